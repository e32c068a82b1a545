import { type Db, migrate } from '@drop/db';
import type { Logger } from '@drop/observability';
import { migrateJobQueue } from './worker.ts';

/**
 * Everything a database needs before Drop runs on it: Drop's own schema (the migrations and the SQL
 * function files, applied by `migrate`) and graphile-worker's job-queue schema. The server at start,
 * `drop db migrate`, the tests and the benchmarks all call this one function, so none of them can
 * forget half of it. Returns the names of the migrations applied this time.
 */
export async function migrateDatabase(db: Db, logger: Logger): Promise<string[]> {
  const client = await db.connect();
  let applied: string[];
  try {
    applied = await migrate(client, (message) => logger.debug(message));
  } finally {
    client.release();
  }
  await migrateJobQueue(db, logger);
  return applied;
}
