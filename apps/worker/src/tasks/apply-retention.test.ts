/**
 * The retention job through a real worker: queued with the time to apply the rules at in its
 * payload (how a test, or a rerun for a missed night, moves the clock), it erases the former
 * customer whose five years are over and leaves the one whose are not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JOBS, queueJob } from '@drop/core';
import { newId, withTransaction } from '@drop/db';
import { createLogger } from '@drop/observability';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { waitUntil } from '../../../../test/support/server.ts';
import { startWorker, type WorkerHandle } from '../worker.ts';

describe('privacy:apply_retention', () => {
  let db: TestDatabase;
  let worker: WorkerHandle;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_retention_job' });
    worker = await startWorker({
      db: db.pool,
      logger: createLogger({ level: 'silent' }),
      notifier: { send: async () => undefined },
      concurrency: 1,
      pollIntervalMs: 50,
      withCron: false,
    });
  });
  after(async () => {
    await worker?.stop();
    await db?.drop();
  });

  it('applies the rules at the payload’s now', async () => {
    const longGone = newId('usr');
    const recentlyGone = newId('usr');
    await db.pool.query(
      `INSERT INTO users (id, full_name, kyc_status, deleted_at) VALUES
         ($1, 'Long Gone', 'approved', '2027-01-01T00:00:00Z'), ($2, 'Recently Gone', 'approved', '2030-01-01T00:00:00Z')`,
      [longGone, recentlyGone],
    );
    await withTransaction(db.pool, (tx) => queueJob(tx, JOBS.applyRetention, { now: '2032-06-01T00:00:00Z' }));
    const nameOf = async (id: string) =>
      (await db.pool.query<{ full_name: string | null }>('SELECT full_name FROM users WHERE id = $1', [id])).rows[0]?.full_name;
    await waitUntil(async () => (await nameOf(longGone)) === null, 20_000, 'the job to erase the customer gone five years');
    const erased = await db.pool.query('SELECT personal_data_erased_at FROM users WHERE id = $1', [longGone]);
    assert.equal(erased.rows[0].personal_data_erased_at.toISOString(), '2032-06-01T00:00:00.000Z');
    assert.equal(await nameOf(recentlyGone), 'Recently Gone');
  });
});
