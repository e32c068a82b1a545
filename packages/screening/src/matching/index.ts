export { normalizeName } from './normalize.ts';
export { recordHash } from './record-hash.ts';
export { ALERT_THRESHOLD, ScreeningIndex } from './screening-index.ts';
export type { ScreeningExplanation, ScreeningMatch, ScreeningQuery } from './types.ts';
