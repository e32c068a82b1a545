import type { DbClient } from '@drop/db';

/** Jobs waiting, scheduled, running and failed for good, for the job-queue-depth metric. */
export async function queueDepth(db: DbClient): Promise<Record<'ready' | 'scheduled' | 'running' | 'failed', number>> {
  const { rows } = await db.query<{ ready: number; scheduled: number; running: number; failed: number }>(
    `SELECT count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at <= now())::int AS ready,
            count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at > now())::int AS scheduled,
            count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS running,
            count(*) FILTER (WHERE attempts >= max_attempts)::int AS failed
       FROM graphile_worker.jobs`,
  );
  return rows[0] ?? { ready: 0, scheduled: 0, running: 0, failed: 0 };
}
