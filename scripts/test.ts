/**
 * `npm test`: unit, integration and browser tests with Node's test runner against real PostgreSQL.
 *
 * The database server is DATABASE_URL's when it is set (CI points it at the machine's PostgreSQL),
 * otherwise a private embedded PostgreSQL under .data/test-postgres. Each test file creates and
 * drops its own databases on that server: copies of one template database migrated here once
 * (DROP_TEST_TEMPLATE_DB, see test/support/database.ts), which is dropped when the run ends.
 * Every test process, and every `drop` CLI process the tests start, shares Node's compile cache
 * (NODE_COMPILE_CACHE, under node_modules/.cache): without it each of them spends seconds
 * compiling the same TypeScript modules again. Extra arguments are passed to `node --test`
 * (e.g. `npm test -- --test-name-pattern=audit`).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startEmbeddedPostgres } from '@drop/db';
import pg from 'pg';
import { createTemplateDatabase } from '../test/support/database.ts';

const root = path.resolve(import.meta.dirname, '..');

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    console.error(`The test database server at ${new URL(url).host} is unreachable: ${(error as Error).message}`);
    process.exit(1);
  } finally {
    await client.end().catch(() => undefined);
  }
}

let adminUrl = process.env.DATABASE_URL;
let stopEmbedded: (() => Promise<void>) | undefined;
if (!adminUrl) {
  const embedded = await startEmbeddedPostgres({ dir: path.join(root, '.data/test-postgres'), port: 54330, database: 'postgres' });
  adminUrl = embedded.url;
  stopEmbedded = () => embedded.stop();
  console.log(`tests use the embedded PostgreSQL on 127.0.0.1:${embedded.port}`);
} else {
  console.log(`tests use the PostgreSQL server at ${new URL(adminUrl).host}`);
}
await assertReachable(adminUrl);
process.env.DROP_TEST_ADMIN_URL = adminUrl;
const template = await createTemplateDatabase();

const patterns = [
  'packages/*/src/**/*.test.ts',
  'apps/*/src/**/*.test.ts',
  'apps/*/test/**/*.test.ts',
  'infra/test/**/*.test.ts',
  'test/**/*.test.ts',
];
// One test file at a time: the browser suites each run a server and Chromium, and two of them at
// once on a 2-core machine made condition waits time out under load. A serial run is slow: CI's
// last run before the template database and the compile cache spent ~1000 s in tests; on a
// 2-core machine shared with other test runs the suite took 19 min before them and 15.5 min
// after (load average 3–13; 53 and 40 min at load 10–20). The time goes to starting Node
// processes (each test file, each `drop` run of the CLI tests), the embedded PostgreSQL clusters
// of the backup, DR and password-rotation tests, and the browser suites.
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-timeout=180000', ...process.argv.slice(2), ...patterns], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    DROP_TEST_ADMIN_URL: adminUrl,
    DROP_TEST_TEMPLATE_DB: template.name,
    DATABASE_URL: '',
    NODE_ENV: 'test',
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(root, 'node_modules/.cache/node-compile-cache'),
  },
});
// Ctrl-C reaches the test runner too; this process waits for it to end, then cleans up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const code: number = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0))));
await template.drop().catch((error: Error) => console.error(`dropping the template database failed: ${error.message}`));
await stopEmbedded?.();
process.exit(code);
