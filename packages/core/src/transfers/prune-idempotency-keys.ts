import type { DbClient } from '@drop/db';

/**
 * Idempotency keys are kept for a week (Stripe keeps them at least 24 hours): long enough for any
 * client's retries, short enough that the table stays small. Deletes in batches so a large
 * backlog never holds locks for long.
 */
export async function pruneIdempotencyKeys(db: DbClient, options: { olderThanHours?: number; batchSize?: number } = {}): Promise<number> {
  const hours = options.olderThanHours ?? 24 * 7;
  const batch = options.batchSize ?? 5000;
  let total = 0;
  for (;;) {
    const { rowCount } = await db.query(
      `DELETE FROM idempotency_keys WHERE ctid IN (
         SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) LIMIT $2)`,
      [hours, batch],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return total;
  }
}
