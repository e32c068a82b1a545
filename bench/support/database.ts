/**
 * The benchmark's database: a fresh `drop_bench_<random>` on the server BENCH_ADMIN_URL names, or
 * on an embedded PostgreSQL started for the run. Either way it is migrated like a test database
 * (test/support/database.ts) and removed at the end. Commits stay durable: nothing here touches
 * fsync or synchronous_commit, and the run records both.
 */
import { randomBytes } from 'node:crypto';
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
  drop(): Promise<void>;
}

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

export async function openBenchDatabase(options: { adminUrl: string | undefined; workDir: string; port: number }): Promise<BenchDatabase> {
  const name = `drop_bench_${randomBytes(5).toString('hex')}`;
  let url: string;
  let server: string;
  let removeDatabase: () => Promise<void>;
  if (options.adminUrl) {
    const adminUrl = options.adminUrl;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    } finally {
      await admin.end();
    }
    url = withDatabase(adminUrl, name);
    server = new URL(adminUrl).host;
    removeDatabase = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    };
  } else {
    const embedded = await startEmbeddedPostgres({ dir: path.join(options.workDir, 'pg'), port: options.port, database: name });
    url = embedded.url;
    server = `embedded (127.0.0.1:${embedded.port})`;
    // The cluster lives in the run's temporary folder, which the caller removes.
    removeDatabase = () => embedded.stop();
  }

  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await migrateDatabase(pool, createLogger({ level: 'silent' }));
    const settings = await readSettings(pool);
    const backend = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const postmasterPid = await parentPid(backend.rows[0]?.pid ?? 0);
    return {
      postmasterPid,
      name,
      url,
      server,
      pool,
      settings,
      async drop() {
        await pool.end().catch(() => undefined);
        await removeDatabase();
      },
    };
  } catch (error) {
    await pool.end().catch(() => undefined);
    await removeDatabase().catch(() => undefined);
    throw error;
  }
}
