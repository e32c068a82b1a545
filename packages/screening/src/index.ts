export * from './model.ts';
export { canonicalJson, recordHash } from './record-hash.ts';
