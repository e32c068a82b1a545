/**
 * Jobs a dead worker left locked. graphile-worker marks a job it runs with its pool's id
 * (`locked_by`); when the process dies without shutting down (kill -9, an out-of-memory kill) the
 * job stays locked, and graphile-worker lets another worker take it only after four hours: a funded
 * transfer would wait four hours for its payout to start. The chaos run (`npm run chaos`) found one
 * so. (A pool that gives up while its process lives, after the database crashed under a running
 * job, is replaced by startWorker, which unlocks its jobs at once.)
 *
 * So each pool, while it lives, holds a session advisory lock named for its id on a connection of
 * its own (`holdPoolLiveness`). PostgreSQL releases that lock when the session ends, however the
 * process died, and a database restart ends every session. Every worker sweeps (`unlockDeadPoolJobs`,
 * at start and every SWEEP_INTERVAL_MS): a pool whose lock can be taken is gone, and its jobs
 * are unlocked (graphile_worker.force_unlock_workers) to run again. A job must also have been locked
 * for STALE_AFTER_SECONDS, so a live pool whose lock connection just broke (it takes the lock again
 * at once) keeps its jobs; were it to lose one anyway, Drop's jobs are safe to run twice (payouts
 * lock their transfer and check its state, and the partner knows the payout's idempotency key).
 */
import type { Db } from '@drop/db';
import type { Logger } from '@drop/observability';
import pg from 'pg';

export const SWEEP_INTERVAL_MS = 10_000;
export const STALE_AFTER_SECONDS = 20;

const lockKey = (poolId: string) => `hashtextextended('drop-worker-pool:' || ${poolId}, 0)`;

/** Holds the pool's liveness lock until `release()`, taking it again whenever its connection is lost. */
export function holdPoolLiveness(db: Db, poolId: string, logger: Logger): { release(): Promise<void> } {
  let client: pg.Client | undefined;
  let released = false;
  let retry: NodeJS.Timeout | undefined;
  const take = async () => {
    if (released) return;
    // A connection of its own, not one of the pool's: it is held for the pool's whole life.
    const connected = new pg.Client({ ...db.options, application_name: 'drop-worker-liveness' });
    try {
      connected.on('error', (error) => {
        logger.warn({ err: error }, 'worker liveness connection lost; taking the lock again');
        void connected.end().catch(() => undefined);
        if (client === connected) client = undefined;
        schedule();
      });
      await connected.connect();
      await connected.query(`SELECT pg_advisory_lock(${lockKey('$1')})`, [poolId]);
      client = connected;
      if (released) await releaseClient();
    } catch (error) {
      logger.warn({ err: error }, 'could not take the worker liveness lock; trying again');
      await connected.end().catch(() => undefined);
      schedule();
    }
  };
  const schedule = () => {
    if (released || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void take();
    }, 500);
    retry.unref();
  };
  const releaseClient = async () => {
    const held = client;
    client = undefined;
    if (!held) return;
    // Ending the session releases the lock.
    await held.end().catch(() => undefined);
  };
  void take();
  return {
    async release() {
      released = true;
      if (retry) clearTimeout(retry);
      await releaseClient();
    },
  };
}

/** Unlocks the jobs of every pool that no longer holds its liveness lock; the pools it freed. */
export async function unlockDeadPoolJobs(db: Db): Promise<string[]> {
  // Session locks: taken, used and given back on this one connection.
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    const { rows } = await client.query<{ locked_by: string }>(
      `SELECT locked_by FROM (
         SELECT DISTINCT locked_by FROM graphile_worker._private_jobs
          WHERE locked_by IS NOT NULL AND locked_at < now() - make_interval(secs => $1)
       ) pools
       WHERE pg_try_advisory_lock(${lockKey('locked_by')})`,
      [STALE_AFTER_SECONDS],
    );
    const dead = rows.map((row) => row.locked_by);
    if (dead.length > 0) {
      try {
        await client.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [dead]);
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${lockKey('id')}) FROM unnest($1::text[]) AS id`, [dead]);
      }
    }
    return dead;
  } catch (error) {
    broken = error as Error;
    throw error;
  } finally {
    client.release(broken);
  }
}
