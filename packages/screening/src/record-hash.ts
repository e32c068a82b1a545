/**
 * A record's content hash: the same record published again hashes the same; any change the
 * publisher makes (a name, an alias, a birth date, a programme) changes it. The database stores it
 * with each record (continuous screening re-screens only records whose hash changed) and the
 * matcher puts it on each match (a match staff cleared stays cleared until the hash changes).
 */
import { createHash } from 'node:crypto';
import type { ListRecord } from './model.ts';

export function recordHash(record: ListRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** JSON with object keys sorted and undefined members left out, so equal content is equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}
