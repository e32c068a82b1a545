/**
 * Ids carry their type and sort by creation time: `usr_01J…`, `tx_01J…`. The body is a ULID
 * (Crockford base32, 26 characters); the prefixes and the pattern live in @drop/contracts
 * (`idPattern`), and the database checks the shape of each table's ids.
 */
import { randomFillSync } from 'node:crypto';
import type { IdPrefix } from '@drop/contracts';
import { monotonicFactory } from 'ulidx';

export type { IdPrefix } from '@drop/contracts';

/**
 * ulidx's own generator asks the operating system's CSPRNG for one byte per character (16 calls
 * per id): about 7 % of the server's CPU under bench:transfers. The same CSPRNG is read here a
 * page at a time instead, as Node's randomUUID does. A byte / 256 gives each of the 32 characters
 * exactly 8 of the 256 byte values (ulidx's byte / 255 made the last character slightly rarer).
 */
const RANDOM_POOL_BYTES = 4096;
const randomPool = Buffer.alloc(RANDOM_POOL_BYTES);
let randomOffset = RANDOM_POOL_BYTES;

function randomUnit(): number {
  if (randomOffset === RANDOM_POOL_BYTES) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  return (randomPool[randomOffset++] as number) / 256;
}

const ulid = monotonicFactory(randomUnit);

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}
