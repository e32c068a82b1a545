/**
 * `drop secrets rotate-jwt` against a running server: requests in flight during the rotation all
 * succeed, existing sessions keep working, new sessions are signed with the new key; with
 * `--emergency` every session ends.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

const CLI = path.resolve(import.meta.dirname, '../../cli/src/main.ts');
const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid as string;

describe('JWT key rotation on a running server', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
  });
  after(() => stopDropOnFreePort({ db, drop }));

  const rotate = async (...flags: string[]) =>
    promisify(execFile)(process.execPath, [CLI, 'secrets', 'rotate-jwt', ...flags], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
    });
  const me = (cookie: string | undefined) => fetch(`${base}/api/me`, { headers: { cookie: `__Host-drop_session=${cookie ?? ''}` } });

  it('keeps every session working through a rotation, with requests in flight', async () => {
    const old = await signInThroughTestProvider(base, 'kari');
    assert.ok(old.sessionCookie);
    const oldKid = kidOf(old.sessionCookie);

    let rotating = true;
    const statuses: number[] = [];
    const load = Array.from({ length: 8 }, async () => {
      while (rotating || statuses.length < 200) {
        statuses.push((await me(old.sessionCookie)).status);
      }
    });
    const { stdout } = await rotate();
    rotating = false;
    await Promise.all(load);
    assert.match(stdout, /New signing key k-[0-9A-Z]{26} is active/);
    assert.match(stdout, /nobody is logged out/);
    assert.ok(statuses.length >= 200);
    assert.deepEqual([...new Set(statuses)], [200], 'no request failed during the rotation');

    const newKid = /New signing key (k-[0-9A-Z]{26})/.exec(stdout)?.[1];
    const fresh = await signInThroughTestProvider(base, 'kari');
    assert.ok(fresh.sessionCookie);
    assert.equal(kidOf(fresh.sessionCookie), newKid);
    assert.notEqual(newKid, oldKid);
    assert.equal((await me(old.sessionCookie)).status, 200, 'the session signed with the old key still works');
    assert.equal((await me(fresh.sessionCookie)).status, 200);

    const audit = await db.pool.query(
      `SELECT actor, details FROM audit_log WHERE action = 'secret_rotated' AND resource_id = 'JWT_SECRET'`,
    );
    assert.equal(audit.rowCount, 1);
    assert.match(audit.rows[0].actor, /^cli:/);
  });

  it('with --emergency ends every session at once', async () => {
    const a = await signInThroughTestProvider(base, 'ola');
    const b = await signInThroughTestProvider(base, 'kari');
    assert.equal((await me(a.sessionCookie)).status, 200);
    const { stdout } = await rotate('--emergency');
    assert.match(stdout, /Emergency rotation: every earlier key is retired and \d+ session\(s\) ended/);
    assert.equal((await me(a.sessionCookie)).status, 401);
    assert.equal((await me(b.sessionCookie)).status, 401);
    const again = await signInThroughTestProvider(base, 'ola');
    assert.equal((await me(again.sessionCookie)).status, 200, 'signing in again works');
    const newest = /New signing key (k-[0-9A-Z]{26})/.exec(stdout)?.[1];
    assert.equal(kidOf(again.sessionCookie ?? ''), newest, 'at once signed with the new key, not a retired one');
  });
});
