/**
 * Ids carry their type and sort by creation time: `usr_01J…`, `tx_01J…`. The body is a ULID
 * (Crockford base32, 26 characters). The one place that knows what an id looks like: the
 * generator in packages/db, the routes' parameters and the web apps' links all use it.
 */
import { z } from 'zod';

export const ID_PREFIXES = [
  'usr',
  'ses',
  'tx',
  'alert',
  'dar',
  'stf',
  'sts',
  'att',
  'qt',
  'rcp',
  'bf',
  'be',
  'spf',
  'slv',
  'scm',
  'fer',
  'case',
  'sta',
  'emv',
  'cno',
] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

const ULID_BODY = '[0-9A-Z]{26}';

/** The id's shape as a regular expression source (no anchors), e.g. for a route pattern. */
export function idSource(prefix: IdPrefix): string {
  return `${prefix}_${ULID_BODY}`;
}

/** The whole string is an id of this kind: `idPattern('tx').test(value)`. */
export function idPattern(prefix: IdPrefix): RegExp {
  return new RegExp(`^${idSource(prefix)}$`);
}

export function isId(prefix: IdPrefix, value: string): boolean {
  return idPattern(prefix).test(value);
}

/** A zod string that must be an id of this kind (route parameters and bodies). */
export function idSchema(prefix: IdPrefix) {
  return z.string().regex(idPattern(prefix));
}
