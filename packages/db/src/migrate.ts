import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PG_MIGRATE_LOCK_ID, runner } from 'node-pg-migrate';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
export const FUNCTIONS_DIR = fileURLToPath(new URL('../functions', import.meta.url));

export interface MigrateOptions {
  migrationsDir?: string;
  functionsDir?: string;
  /** Apply at most this many pending migrations (the upgrade test applies them one at a time). */
  count?: number;
}

/**
 * Brings the database to the schema of this code: the pending migrations in
 * `packages/db/migrations` (tables, constraints, indexes, triggers, data: reviewed SQL files
 * applied once each, in file-name order, refusing an applied migration that is missing or out of
 * order) and the functions in `packages/db/functions` (one file per function, the only copy of its
 * body, applied again whenever the file changes, like Flyway's repeatable migrations).
 *
 * Order: functions whose file is new are created before the migrations, so a migration can use
 * them in a trigger, a default, a check or a data step (PL/pgSQL bodies are bound when first
 * called, and SQL bodies are not checked here, so a function may name a table a later migration
 * creates). Changed files are applied after the migrations, as are all files when a migration ran
 * (so no migration can leave a stale body behind), and a function whose file is gone is dropped
 * then (without CASCADE: a trigger still using it is an error, fixed by a migration dropping the
 * trigger). Returns the names of the migrations applied.
 *
 * Everything runs under one advisory lock, held until the end: a second server starting at the
 * same time waits, then finds nothing to do.
 */
export async function migrate(client: pg.ClientBase, log: (message: string) => void = () => undefined, options: MigrateOptions = {}) {
  const functions = await readFunctionFiles(options.functionsDir ?? FUNCTIONS_DIR);
  if (!(await mayChangeSchema(client))) {
    await checkSchemaCurrent(client, functions, options.migrationsDir ?? MIGRATIONS_DIR);
    log('the schema is current (this login may not change it: migrations run as the owner, DATABASE_OWNER_URL)');
    return [];
  }
  await client.query('SELECT pg_advisory_lock($1)', [PG_MIGRATE_LOCK_ID]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_functions (
      name       text        PRIMARY KEY,
      checksum   text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    await applyFunctions(client, functions, log, 'new');
    const applied = await runner({
      dbClient: client,
      dir: options.migrationsDir ?? MIGRATIONS_DIR,
      direction: 'up',
      ...(options.count === undefined ? {} : { count: options.count }),
      migrationsTable: 'schema_migrations',
      checkOrder: true,
      log,
      logger: { debug: () => undefined, info: log, warn: log, error: log },
    });
    await applyFunctions(client, functions, log, applied.length > 0 ? 'all' : 'changed');
    return applied.map((migration) => migration.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_MIGRATE_LOCK_ID]);
  }
}

/** Whether this login may create in the public schema: the owner (or a superuser), not the application's role. */
export async function mayChangeSchema(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ may: boolean }>(`SELECT has_schema_privilege('public', 'CREATE') AS may`);
  return rows[0]?.may === true;
}

/**
 * The application's login (a member of drop_app) cannot migrate: it checks that the owner has,
 * and refuses to run on a schema older than this code, naming what is pending.
 */
async function checkSchemaCurrent(client: pg.ClientBase, functions: FunctionFile[], migrationsDir: string): Promise<void> {
  const files = (await readdir(migrationsDir))
    .filter((file) => /\.(sql|js|ts)$/.test(file))
    .map((file) => file.replace(/\.(sql|js|ts)$/, ''));
  const applied = await client
    .query<{ name: string }>('SELECT name FROM schema_migrations')
    .then((result) => new Set(result.rows.map((row) => row.name)))
    .catch(() => new Set<string>());
  const recorded = await client
    .query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_functions')
    .then((result) => new Map(result.rows.map((row) => [row.name, row.checksum])))
    .catch(() => new Map<string, string>());
  const pendingMigrations = files.filter((name) => !applied.has(name)).sort();
  const staleFunctions = functions.filter((file) => recorded.get(file.name) !== file.checksum).map((file) => file.name);
  if (pendingMigrations.length === 0 && staleFunctions.length === 0) return;
  const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
  throw new Error(
    `the database schema is older than this code (pending migrations: ${pendingMigrations.join(', ') || 'none'}; ` +
      `functions to apply: ${staleFunctions.join(', ') || 'none'}) and ${rows[0]?.user} may not change it: ` +
      "run `drop db migrate` with DATABASE_OWNER_URL set to the owner's login",
  );
}

interface FunctionFile {
  name: string;
  sql: string;
  checksum: string;
}

async function readFunctionFiles(dir: string): Promise<FunctionFile[]> {
  const names = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (file) => {
      const name = file.slice(0, -'.sql'.length);
      const sql = await readFile(path.join(dir, file), 'utf8');
      // The file's name is the function's: that is how a removed or re-signed function is found.
      const defines = [...sql.matchAll(/^CREATE OR REPLACE FUNCTION\s+(\w+)\s*\(/gim)].map((match) => match[1]);
      if (defines.length !== 1 || defines[0] !== name) {
        throw new Error(
          `${file} must define exactly one function, ${name}, with CREATE OR REPLACE FUNCTION (found: ${defines.join(', ') || 'none'})`,
        );
      }
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies the function files in one transaction: 'new' ones only (before the migrations), or the
 * 'changed' ones (new or edited since they were applied) and the removal of functions whose file
 * is gone, or 'all' of them and the removals. schema_functions records each file's checksum, so
 * an everyday start reads one small table and applies nothing.
 */
async function applyFunctions(
  client: pg.ClientBase,
  files: FunctionFile[],
  log: (message: string) => void,
  which: 'new' | 'changed' | 'all',
) {
  const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_functions');
  const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
  const toApply = files.filter((file) =>
    which === 'all' ? true : which === 'new' ? !recorded.has(file.name) : recorded.get(file.name) !== file.checksum,
  );
  const onDisk = new Set(files.map((file) => file.name));
  const toDrop = which === 'new' ? [] : [...recorded.keys()].filter((name) => !onDisk.has(name));
  if (toApply.length === 0 && toDrop.length === 0) return;

  await client.query('BEGIN');
  try {
    // Bodies may name tables and columns that a pending migration has yet to create.
    await client.query('SET LOCAL check_function_bodies = off');
    for (const file of toApply) {
      await client.query(file.sql);
      // Another signature of the same name is a leftover of an earlier version of the file:
      // the one just written is the one this transaction created or replaced.
      await dropFunctions(client, file.name, 'not-written-now');
      await client.query(
        `INSERT INTO schema_functions (name, checksum) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
        [file.name, file.checksum],
      );
    }
    for (const name of toDrop) {
      await dropFunctions(client, name, 'all');
      await client.query('DELETE FROM schema_functions WHERE name = $1', [name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  log(`functions applied: ${toApply.map((file) => file.name).join(', ') || 'none'}; dropped: ${toDrop.join(', ') || 'none'}`);
}

/** Drops the public functions of a name: all of them, or those this transaction did not write. */
async function dropFunctions(client: pg.ClientBase, name: string, which: 'all' | 'not-written-now') {
  const { rows } = await client.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'public' AND p.proname = $1
        AND ($2 OR p.xmin::text::bigint <> pg_current_xact_id()::text::bigint % 4294967296)`,
    [name, which === 'all'],
  );
  for (const row of rows) await client.query(`DROP FUNCTION ${row.signature}`);
}
