import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Applies every pending migration in `packages/db/migrations` (reviewed SQL files, applied in
 * file-name order, each in its own transaction, under an advisory lock so two starting servers
 * cannot race). Refuses to run when an applied migration is missing or out of order.
 */
export async function migrate(client: pg.ClientBase, log: (message: string) => void = () => undefined, dir = MIGRATIONS_DIR) {
  const applied = await runner({
    dbClient: client,
    dir,
    direction: 'up',
    migrationsTable: 'schema_migrations',
    checkOrder: true,
    log,
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
  return applied.map((migration) => migration.name);
}
