/**
 * Real PostgreSQL for tests. `scripts/test.ts` exports DROP_TEST_ADMIN_URL: the machine's server
 * (CI: 127.0.0.1:5432) or an embedded one it started. Each test file creates its own fresh
 * database. No database is a failure, never a skip.
 *
 * Migrating a database takes about a second and the suite creates dozens, so `scripts/test.ts`
 * migrates one template database at the start of the run (`createTemplateDatabase`) and exports
 * its name as DROP_TEST_TEMPLATE_DB; a migrated test database is then a copy of it
 * (`CREATE DATABASE … TEMPLATE`, tens of milliseconds). Without that variable (a test file run
 * directly with `node --test`) each database is migrated itself, as before.
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

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/**
 * Creates a database, migrates it, and marks it a template nobody can connect to (a connection
 * would make `CREATE DATABASE … TEMPLATE` fail). Returns its name and a function dropping it.
 */
export async function createTemplateDatabase(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `drop_test_template_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const drop = async () => {
    await adminQuery(`ALTER DATABASE ${name} WITH IS_TEMPLATE false ALLOW_CONNECTIONS true`);
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  try {
    const pool = new pg.Pool({ connectionString: databaseUrl(name), max: 2 });
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    try {
      await migrateDatabase(pool, createLogger({ level: 'silent' }));
    } finally {
      await pool.end();
    }
    await adminQuery(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { name, drop };
}

export async function createTestDatabase(options: { migrate?: boolean; prefix?: string } = {}): Promise<TestDatabase> {
  const name = `${options.prefix ?? 'drop_test'}_${randomBytes(5).toString('hex')}`;
  const migrate = options.migrate ?? true;
  const template = process.env.DROP_TEST_TEMPLATE_DB;
  await adminQuery(migrate && template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const url = databaseUrl(name);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  if (migrate && !template) {
    await migrateDatabase(pool, createLogger({ level: 'silent' }));
  }
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end().catch(() => undefined);
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
