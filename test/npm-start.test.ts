/**
 * Drop starts the way `npm start` does, on the embedded database default (no DATABASE_URL), answers
 * /api/health, keeps its data across a restart, and stops cleanly on SIGTERM. In production mode
 * it refuses to start without its required settings and says which.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { freePort, reachableTempDir } from './support/embedded.ts';
import { waitUntil } from './support/server.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'apps/api/src/main.ts');

function baseEnv(): Record<string, string> {
  // Only what a shell on a fresh machine has: no DATABASE_URL, no test settings.
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };
}

function run(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('starting Drop like npm start', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  it('comes up on the embedded database, keeps data across a restart, and stops on SIGTERM', async () => {
    const dir = await reachableTempDir('drop-start-');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const env = {
      ...baseEnv(),
      PORT: String(await freePort()),
      EMBEDDED_PG_DIR: path.join(dir, 'postgres'),
      EMBEDDED_PG_PORT: String(await freePort()),
    };
    const base = `http://127.0.0.1:${env.PORT}`;

    const first = run(env);
    cleanups.push(async () => first.child.kill('SIGKILL'));
    await waitUntil(
      async () => (await fetch(`${base}/api/health`)).status === 200,
      90_000,
      `Drop to answer /api/health\n${first.output()}`,
    );
    const health = await (await fetch(`${base}/api/health`)).json();
    assert.equal(health.data.status, 'ok');
    assert.equal(health.data.checks.db.status, 'ok');
    assert.ok(existsSync(path.join(env.EMBEDDED_PG_DIR, 'PG_VERSION')), 'the data folder is where EMBEDDED_PG_DIR says');

    const client = new pg.Client({
      host: '127.0.0.1',
      port: Number(env.EMBEDDED_PG_PORT),
      user: 'drop',
      password: 'drop-embedded',
      database: 'drop',
    });
    await client.connect();
    await client.query(`INSERT INTO audit_log (action, resource_type, details) VALUES ('restart_probe', 'test', '{}')`);
    await client.end();

    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, `graceful shutdown exits 0\n${first.output()}`);
    assert.match(first.output(), /Drop stopped/);
    await waitUntil(
      async () =>
        await fetch(`${base}/api/health`).then(
          () => false,
          () => true,
        ),
      10_000,
      'the port to close',
    );

    const second = run(env);
    cleanups.push(async () => second.child.kill('SIGKILL'));
    await waitUntil(async () => (await fetch(`${base}/api/health`)).status === 200, 60_000, `Drop to restart\n${second.output()}`);
    const again = new pg.Client({
      host: '127.0.0.1',
      port: Number(env.EMBEDDED_PG_PORT),
      user: 'drop',
      password: 'drop-embedded',
      database: 'drop',
    });
    await again.connect();
    const kept = await again.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'restart_probe'`);
    await again.end();
    assert.equal(kept.rows[0].n, 1, 'data survives a restart');
    assert.doesNotMatch(second.output(), /database migrations applied/, 'nothing to migrate the second time');
    second.child.kill('SIGTERM');
    assert.equal(await second.exited, 0, `graceful shutdown after a restart exits 0\n${second.output()}`);
  });

  it('refuses to start in production without its required settings, naming each', async () => {
    const refused = run({
      ...baseEnv(),
      NODE_ENV: 'production',
      SUMSUB_SIMULATOR_ENABLED: 'true',
      JWT_SECRET: 'development-only-jwt-secret-not-for-production-use',
    });
    assert.equal(await refused.exited, 78);
    const output = refused.output();
    assert.match(output, /Drop refuses to start/);
    assert.match(output, /DATABASE_URL is required in production/);
    assert.match(output, /JWT_SECRET is the development default/);
    assert.match(output, /PUBLIC_URL is required in production/);
    assert.match(output, /SUMSUB_SIMULATOR_ENABLED must be false in production/);
  });
});
