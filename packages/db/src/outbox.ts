import type { DbClient } from './pool.ts';

/**
 * The transactional outbox: a job is added with the same client (so in the same transaction) as
 * the change that caused it, and runs only if that transaction commits. graphile-worker's
 * `add_job` is plain SQL, so no separate relay is needed.
 */
export async function enqueueJob(
  db: DbClient,
  task: string,
  payload: unknown,
  options: { jobKey?: string; runAt?: Date; maxAttempts?: number } = {},
): Promise<void> {
  await db.query(
    `SELECT graphile_worker.add_job($1::text, $2::json, job_key => $3::text, run_at => $4::timestamptz,
       max_attempts => $5::int)`,
    [task, JSON.stringify(payload), options.jobKey ?? null, options.runAt ?? null, options.maxAttempts ?? 10],
  );
}
