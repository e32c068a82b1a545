export { normalizeName } from './normalize.ts';
export { recordHash } from './record-hash.ts';
export { ALERT_THRESHOLD, ScreeningIndex } from './screening-index.ts';
export { SCORE_FEATURES, type ScreeningExplanation, type ScreeningMatch, type ScreeningQuery } from './types.ts';
