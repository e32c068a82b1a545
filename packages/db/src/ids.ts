/**
 * Ids carry their type and sort by creation time: `usr_01J…`, `tx_01J…`. The body is a ULID
 * (Crockford base32, 26 characters); the prefixes and the pattern live in @drop/contracts
 * (`idPattern`), and the database checks the shape of each table's ids.
 */
import type { IdPrefix } from '@drop/contracts';
import { monotonicFactory } from 'ulidx';

export type { IdPrefix } from '@drop/contracts';

const ulid = monotonicFactory();

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}
