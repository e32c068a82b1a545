import { applyAppPrivileges, type Db, mayChangeSchema, migrate } from '@drop/db';
import type { Logger } from '@drop/observability';
import { migrateJobQueue } from './worker.ts';

/**
 * Everything a database needs before Drop runs on it: Drop's own schema (the migrations and the SQL
 * function files, applied by `migrate`), graphile-worker's job-queue schema, and then the
 * application role's rights on all of it (`applyAppPrivileges`, so a new table gets them). The
 * server at start, `drop db migrate`, the tests and the benchmarks all call this one function, so
 * none of them can forget a part. Given the owner's login it changes the schema; given the
 * application's (a member of drop_app) it only checks that the schema is current. Returns the names
 * of the migrations applied this time.
 */
export async function migrateDatabase(db: Db, logger: Logger): Promise<string[]> {
  const client = await db.connect();
  let applied: string[];
  let owner: boolean;
  try {
    applied = await migrate(client, (message) => logger.debug(message));
    owner = await mayChangeSchema(client);
  } finally {
    client.release();
  }
  await migrateJobQueue(db, logger);
  if (owner) {
    const grantClient = await db.connect();
    try {
      const { ddlGuard } = await applyAppPrivileges(grantClient, (message) => logger.debug(message));
      if (!ddlGuard) logger.warn('the audit log DDL guard is missing: migrate as a superuser (rds_superuser on RDS) to create it');
    } finally {
      grantClient.release();
    }
  }
  return applied;
}
