/**
 * A Drop server for the tests of one `describe` block: a fresh test database, the server on a free
 * port with PUBLIC_URL pointing at it, and staff signed in over HTTP the way the back office does.
 */
import assert from 'node:assert/strict';
import type { StaffRole } from '@drop/core';
import type pg from 'pg';
import type { RunningDrop } from '../../apps/api/src/runtime.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { freePort } from './embedded.ts';
import { startTestServer } from './server.ts';
import { enrolStaff, STAFF_PASSWORD, signInCode } from './staff.ts';

export interface DropOnPort {
  db: TestDatabase;
  drop: RunningDrop;
  /** `http://localhost:PORT`, the server's PUBLIC_URL. */
  base: string;
}

/** Creates a test database and starts Drop on it at a free port; `env` adds to (or overrides) PORT and PUBLIC_URL. */
export async function startDropOnFreePort(env: Record<string, string> = {}): Promise<DropOnPort> {
  const db = await createTestDatabase();
  try {
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const drop = await startTestServer({ databaseUrl: db.url, env: { PORT: String(port), PUBLIC_URL: base, ...env } });
    return { db, drop, base };
  } catch (error) {
    await db.drop();
    throw error;
  }
}

/** Stops what `startDropOnFreePort` started; either part may be missing when the start failed. */
export async function stopDropOnFreePort(running: { db?: TestDatabase; drop?: RunningDrop }): Promise<void> {
  await running.drop?.stop('test finished');
  await running.db?.drop();
}

/**
 * Enrols a staff member (`role@drop.no` unless `email` is given), signs them in at /api/staff/login,
 * asserts the sign-in succeeded, and returns the `__Host-drop_staff=…` cookie to send back.
 */
export async function signInStaff(base: string, pool: pg.Pool, role: StaffRole, email = `${role}@drop.no`): Promise<string> {
  const totp = await enrolStaff(pool, { email, role });
  const response = await fetch(`${base}/api/staff/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password: STAFF_PASSWORD, totp: signInCode(totp) }),
  });
  assert.equal(response.status, 204, `${email} (${role}) signs in`);
  const cookie = response.headers.getSetCookie().find((header) => header.startsWith('__Host-drop_staff='));
  assert.ok(cookie, 'the sign-in sets the staff session cookie');
  return cookie.split(';')[0] ?? '';
}
