/**
 * A job locked by a worker that died (kill -9, or its pool gave up when the database crashed under
 * it) runs again within seconds, not after graphile-worker's four hours; a job of a worker that
 * lives stays its own. Found by `npm run chaos`: a funded transfer stuck in funds_received because
 * its payouts:start job was locked by a worker the database crash had ended.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPool, type Db, enqueueJob } from '@drop/db';
import { createLogger, type OpsNotifier } from '@drop/observability';
import pg from 'pg';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { waitUntil } from '../../../test/support/server.ts';
import { STALE_AFTER_SECONDS, unlockDeadPoolJobs } from './dead-pool-jobs.ts';
import { defineTask } from './tasks/define-task.ts';
import { startWorker, type WorkerHandle } from './worker.ts';

const logger = createLogger({ level: 'silent' });
const notifier: OpsNotifier = { send: async () => undefined };

describe('jobs of a dead worker pool', () => {
  let database: TestDatabase;
  let pool: Db;
  let alive: pg.Client;
  let worker: WorkerHandle | undefined;
  const ran: string[] = [];
  const task = defineTask({
    name: 'test:after_crash',
    payload: z.object({ id: z.string() }),
    async run(payload) {
      ran.push(payload.id);
    },
  });

  before(async () => {
    database = await createTestDatabase();
    pool = createPool({ url: database.url, max: 6, connectTimeoutMs: 5000, statementTimeoutMs: 15000, applicationName: 'dead-pool-test' });
    // A pool that lives: it holds its liveness lock, as holdPoolLiveness does.
    alive = new pg.Client({ connectionString: database.url });
    await alive.connect();
    await alive.query(`SELECT pg_advisory_lock(hashtextextended('drop-worker-pool:' || $1, 0))`, ['pool-alive']);
  });
  after(async () => {
    await worker?.stop();
    await alive?.end();
    await pool?.end();
    await database?.drop();
  });

  /** Queues a job and marks it as taken by `poolId` long enough ago to be stale. */
  async function lockedJob(id: string, poolId: string): Promise<void> {
    await enqueueJob(pool, task.name, { id });
    await pool.query(
      `UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() - make_interval(secs => $3), attempts = 1
        WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = $4) AND payload->>'id' = $1`,
      [id, poolId, STALE_AFTER_SECONDS + 5, task.name],
    );
  }
  const lockedBy = async (id: string) =>
    (await pool.query(`SELECT locked_by FROM graphile_worker._private_jobs WHERE payload->>'id' = $1`, [id])).rows[0]?.locked_by;

  it('unlocks the jobs of a pool that holds no liveness lock, and leaves a living pool its own', async () => {
    await lockedJob('of-the-dead', 'pool-dead');
    await lockedJob('of-the-living', 'pool-alive');
    assert.deepEqual(await unlockDeadPoolJobs(pool), ['pool-dead']);
    assert.equal(await lockedBy('of-the-dead'), null, 'free to run again');
    assert.equal(await lockedBy('of-the-living'), 'pool-alive', 'a pool that lives keeps its job');
    assert.deepEqual(await unlockDeadPoolJobs(pool), [], 'nothing more to free');
  });

  it('a worker starting after the crash runs the dead pool’s job', async () => {
    await lockedJob('after-restart', 'pool-killed');
    worker = await startWorker({ db: pool, logger, notifier, concurrency: 2, extraTasks: [task], pollIntervalMs: 50, withCron: false });
    await waitUntil(async () => ran.includes('after-restart'), 30_000, 'the job of the killed worker to run');
    assert.ok(!ran.includes('of-the-living'), 'the living pool’s job was not taken from it');
    assert.equal(ran.filter((id) => id === 'after-restart').length, 1);
  });
});
