import type { DbClient } from '@drop/db';
import { type KidFormat, kidFormatProblem, kidFromNumber } from './kid.ts';

/** Where a new transfer's KID comes from. */
export interface KidSource {
  next(db: DbClient): Promise<string>;
}

/**
 * Issues KIDs from the database sequence transfer_kid_seq (migration 0900), a block of 100 per
 * nextval (the sequence counts in hundreds): one round trip per hundred transfers instead of one
 * each, and unique across every server process because each block is theirs alone. Numbers that
 * have no MOD11 check digit are skipped. A restart abandons the rest of its block; gaps are fine.
 */
export class SequenceKidAllocator implements KidSource {
  static readonly BLOCK = 100n;
  readonly format: KidFormat;
  #next = 0n;
  #end = 0n;
  #refill: Promise<void> | undefined;

  constructor(format: KidFormat) {
    const problem = kidFormatProblem(format);
    if (problem) throw new Error(`KID format: ${problem}`);
    this.format = format;
  }

  async next(db: DbClient): Promise<string> {
    for (;;) {
      while (this.#next < this.#end) {
        const kid = kidFromNumber(this.#next++, this.format);
        if (kid !== undefined) return kid;
      }
      // One refill at a time: callers that find the block empty together share it.
      this.#refill ??= this.#takeBlock(db).finally(() => {
        this.#refill = undefined;
      });
      await this.#refill;
    }
  }

  async #takeBlock(db: DbClient): Promise<void> {
    const { rows } = await db.query<{ start: string }>(`SELECT nextval('transfer_kid_seq')::text AS start`);
    const start = BigInt(rows[0]?.start ?? '0');
    if ((start + SequenceKidAllocator.BLOCK - 1n).toString().length > this.format.length - 1) {
      throw new Error(`KIDs of ${this.format.length} digits are used up: raise KID_LENGTH`);
    }
    this.#next = start;
    this.#end = start + SequenceKidAllocator.BLOCK;
  }
}
