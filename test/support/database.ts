/**
 * Real PostgreSQL for tests. `scripts/test.ts` exports DROP_TEST_ADMIN_URL: the machine's server
 * (CI: 127.0.0.1:5432) or an embedded one it started. Each test file creates its own fresh
 * database. No database is a failure, never a skip.
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '@drop/observability';
import { migrateDatabase } from '@drop/worker';
import pg from 'pg';

export function adminUrl(): string {
  const url = process.env.DROP_TEST_ADMIN_URL;
  if (!url) {
    throw new Error('DROP_TEST_ADMIN_URL is not set: run the tests with `npm test`, which provides a PostgreSQL server.');
  }
  return url;
}

export function databaseUrl(name: string, base = adminUrl()): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { migrate?: boolean; prefix?: string } = {}): Promise<TestDatabase> {
  const name = `${options.prefix ?? 'drop_test'}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  if (options.migrate ?? true) {
    await migrateDatabase(pool, createLogger({ level: 'silent' }));
  }
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end().catch(() => undefined);
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
