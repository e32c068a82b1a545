/**
 * The benchmark's database: a fresh `drop_bench_<random>` on the server BENCH_ADMIN_URL names, or
 * on an embedded PostgreSQL started for the run. Either way it is migrated like a test database
 * (test/support/database.ts) and removed at the end. Commits stay durable: nothing here touches
 * fsync or synchronous_commit, and the run records both.
 *
 * With `profile`, the embedded server is restarted once after initdb with pg_stat_statements
 * (track = all, so statements inside PL/pgSQL functions count too) and auto_explain (plans of
 * statements over PROFILE_EXPLAIN_MS, nested ones included) preloaded; its log (auto_explain's
 * plans) goes to `serverLog`. On a BENCH_ADMIN_URL server the bench cannot change the server's
 * configuration: pg_stat_statements is used if the server already loads it.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '@drop/db';
import { createLogger } from '@drop/observability';
import { migrateDatabase } from '@drop/worker';
import pg from 'pg';
import { parentPid } from './cpu.ts';

export interface ServerSettings {
  postgres: string;
  synchronous_commit: string;
  fsync: string;
  shared_buffers: string;
  wal_sync_method: string;
  commit_delay: string;
  max_connections: string;
}

export interface BenchDatabase {
  name: string;
  url: string;
  /** Where the server lives: 'BENCH_ADMIN_URL host' or 'embedded'. */
  server: string;
  pool: pg.Pool;
  settings: ServerSettings;
  /** The server's postmaster, to tell its processes' CPU from other servers' on the machine. */
  postmasterPid: number;
  /** pg_stat_statements is installed in the bench database (profile runs). */
  statements: boolean;
  /** The embedded server's log (profile runs), else undefined. */
  serverLog: string | undefined;
  /** Creates another database `<prefix><random>` on the same server, removed with drop() or its own drop(). */
  createSibling(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }>;
  drop(): Promise<void>;
}

/** auto_explain's threshold in profile runs. */
export const PROFILE_EXPLAIN_MS = 5;

const PROFILE_SETTINGS: Record<string, string> = {
  shared_preload_libraries: 'pg_stat_statements,auto_explain',
  'pg_stat_statements.track': 'all',
  'pg_stat_statements.max': '10000',
  'auto_explain.log_min_duration': `${PROFILE_EXPLAIN_MS}ms`,
  'auto_explain.log_nested_statements': 'on',
  'auto_explain.log_analyze': 'on',
  // Row counts and buffers without a clock read per plan node.
  'auto_explain.log_timing': 'off',
  'auto_explain.log_buffers': 'on',
};

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function readSettings(pool: pg.Pool): Promise<ServerSettings> {
  const { rows } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM unnest(ARRAY['synchronous_commit', 'fsync', 'shared_buffers',
            'wal_sync_method', 'commit_delay', 'max_connections']) AS name
     UNION ALL SELECT 'postgres', version()`,
  );
  const get = (name: string) => rows.find((row) => row.name === name)?.setting ?? '?';
  return {
    postgres: get('postgres'),
    synchronous_commit: get('synchronous_commit'),
    fsync: get('fsync'),
    shared_buffers: get('shared_buffers'),
    wal_sync_method: get('wal_sync_method'),
    commit_delay: get('commit_delay'),
    max_connections: get('max_connections'),
  };
}

async function createDatabase(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function openBenchDatabase(options: {
  adminUrl: string | undefined;
  workDir: string;
  port: number;
  profile?: boolean;
}): Promise<BenchDatabase> {
  const name = `drop_bench_${randomBytes(5).toString('hex')}`;
  let url: string;
  let server: string;
  let removeDatabase: () => Promise<void>;
  let serverLog: string | undefined;
  // A database on the same server from which to create and drop others.
  let maintenanceUrl: string;
  if (options.adminUrl) {
    const adminUrl = options.adminUrl;
    await createDatabase(adminUrl, name);
    url = withDatabase(adminUrl, name);
    server = new URL(adminUrl).host;
    maintenanceUrl = adminUrl;
    removeDatabase = () => dropDatabase(adminUrl, name);
  } else {
    const start = () =>
      startEmbeddedPostgres({
        dir: path.join(options.workDir, 'pg'),
        port: options.port,
        database: name,
        ...(serverLog ? { log: (line: string) => appendFileSync(serverLog as string, `${line}\n`) } : {}),
      });
    if (options.profile) serverLog = path.join(options.workDir, 'postgres.log');
    let embedded = await start();
    if (options.profile) {
      // startEmbeddedPostgres takes no server settings: they go into the cluster's
      // postgresql.auto.conf (ALTER SYSTEM refuses a library's settings before the library is
      // preloaded), read at the restart.
      await embedded.stop();
      const lines = Object.entries(PROFILE_SETTINGS).map(([setting, value]) => `${setting} = ${pg.escapeLiteral(value)}\n`);
      await appendFile(path.join(options.workDir, 'pg', 'postgresql.auto.conf'), lines.join(''));
      embedded = await start();
    }
    url = embedded.url;
    server = `embedded (127.0.0.1:${embedded.port})`;
    // The embedded server's owner is a superuser.
    maintenanceUrl = withDatabase(url, 'postgres');
    // The cluster lives in the run's temporary folder, which the caller removes.
    removeDatabase = () => embedded.stop();
  }
  const siblings = new Set<string>();

  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migrateDatabase(pool, createLogger({ level: 'silent' }));
    const settings = await readSettings(pool);
    const backend = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const postmasterPid = await parentPid(backend.rows[0]?.pid ?? 0);
    let statements = false;
    if (options.profile) {
      const loaded = await pool.query<{ on: boolean }>(
        `SELECT 'pg_stat_statements' = ANY (string_to_array(current_setting('shared_preload_libraries'), ',')) AS on`,
      );
      if (loaded.rows[0]?.on) {
        await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
        statements = true;
      }
    }
    const dropSibling = async (sibling: string) => {
      await dropDatabase(maintenanceUrl, sibling);
      siblings.delete(sibling);
    };
    return {
      postmasterPid,
      name,
      url,
      server,
      pool,
      settings,
      statements,
      serverLog,
      async createSibling(prefix: string) {
        const sibling = `${prefix}${randomBytes(5).toString('hex')}`;
        await createDatabase(maintenanceUrl, sibling);
        siblings.add(sibling);
        return { name: sibling, url: withDatabase(url, sibling), drop: () => dropSibling(sibling) };
      },
      async drop() {
        await pool.end().catch(() => undefined);
        for (const sibling of siblings)
          await dropSibling(sibling).catch((error: unknown) => console.error(`could not drop ${sibling}:`, error));
        await removeDatabase();
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    await removeDatabase().catch(() => undefined);
    throw error;
  }
}
