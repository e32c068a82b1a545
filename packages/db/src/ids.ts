/**
 * Ids carry their type and sort by creation time: `usr_01J…`, `tx_01J…`. The body is a ULID
 * (Crockford base32, 26 characters); the database checks the shape of each table's ids.
 */
import { monotonicFactory } from 'ulidx';

export type IdPrefix = 'usr' | 'ses' | 'tx' | 'alert' | 'dar' | 'stf' | 'sts' | 'att' | 'qt' | 'rcp' | 'bf' | 'be' | 'spf';

const ulid = monotonicFactory();

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}
