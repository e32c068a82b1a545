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
 *
 * Least privilege: a migrated test database's `url` and `pool` log in as drop_app_login, a member
 * of drop_app that owns nothing (as Drop's own pool does in production), so every test runs the
 * application with the rights it has there. What the application may not do (tampering with the
 * audit log, disabling triggers, DDL) a test does through `owner`/`ownerUrl`, the cluster's
 * administrator. A database created with `migrate: false` is the test's to shape: its `url` and
 * `pool` are the administrator's.
 */
import { randomBytes } from 'node:crypto';
import { ensureAppLogin, LOCAL_APP_LOGIN, LOCAL_APP_PASSWORD } from '@drop/db';
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

/** `databaseUrl(name)` as the application's login (drop_app_login, a member of drop_app). */
export function appDatabaseUrl(name: string): string {
  const url = new URL(databaseUrl(name));
  url.username = LOCAL_APP_LOGIN;
  url.password = LOCAL_APP_PASSWORD;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  /** The application's login (the administrator's for `migrate: false`). */
  url: string;
  pool: pg.Pool;
  /** The cluster administrator (a superuser): for what the application may not do. */
  ownerUrl: string;
  owner: pg.Pool;
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
      // Cluster-wide, so once here rather than by every test file at once.
      await ensureAppLogin(pool, LOCAL_APP_LOGIN, LOCAL_APP_PASSWORD);
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

function quietPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export async function createTestDatabase(options: { migrate?: boolean; prefix?: string } = {}): Promise<TestDatabase> {
  const name = `${options.prefix ?? 'drop_test'}_${randomBytes(5).toString('hex')}`;
  const migrate = options.migrate ?? true;
  const template = process.env.DROP_TEST_TEMPLATE_DB;
  await adminQuery(migrate && template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const ownerUrl = databaseUrl(name);
  const owner = quietPool(ownerUrl, 4);
  if (migrate && !template) {
    await migrateDatabase(owner, createLogger({ level: 'silent' }));
  }
  if (migrate) await ensureAppLogin(owner, LOCAL_APP_LOGIN, LOCAL_APP_PASSWORD);
  const url = migrate ? appDatabaseUrl(name) : ownerUrl;
  const pool = migrate ? quietPool(url, 10) : owner;
  return {
    name,
    url,
    pool,
    ownerUrl,
    owner,
    async drop() {
      await pool.end().catch(() => undefined);
      if (owner !== pool) await owner.end().catch(() => undefined);
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
