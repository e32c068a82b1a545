/**
 * Deny by default, tested exhaustively: every back-office route the server has, with every staff
 * role, a customer session, and no session. A route is open to a role exactly when the role has
 * the route's permission.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { permissionsOf, STAFF_ROLES, type StaffRole, seedDemoData } from '@drop/core';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/embedded.ts';
import { startTestServer } from '../../../test/support/server.ts';
import { type SlackReceiver, startSlackReceiver } from '../../../test/support/slack-receiver.ts';
import { enrolStaff, STAFF_PASSWORD as PASSWORD, signInCode } from '../../../test/support/staff.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('back-office access control', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let slack: SlackReceiver;
  let customerUserId: string;
  const staffCookies = new Map<StaffRole, string>();
  let customerCookie: string;

  const enrol = (email: string, role: StaffRole) => enrolStaff(db.pool, { email, role });
  const login = (email: string, password: string, code: string) =>
    fetch(`${base}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email, password, totp: code }),
    });

  before(async () => {
    db = await createTestDatabase();
    slack = await startSlackReceiver();
    const port = await freePort();
    base = `http://localhost:${port}`;
    drop = await startTestServer({ databaseUrl: db.url, env: { PORT: String(port), PUBLIC_URL: base, SLACK_WEBHOOK_URL: slack.url } });
    const demo = await seedDemoData(db.pool, { actor: 'test' });
    customerUserId = demo.users.pendingOld as string;
    for (const role of STAFF_ROLES) {
      const totp = await enrol(`${role}@drop.no`, role);
      const response = await login(`${role}@drop.no`, PASSWORD, signInCode(totp));
      assert.equal(response.status, 204, `${role} signs in`);
      const cookie = response.headers.getSetCookie().find((header) => header.startsWith('__Host-drop_staff='));
      assert.ok(cookie);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /Secure/);
      staffCookies.set(role, cookie.split(';')[0] ?? '');
    }
    const customer = await signInThroughTestProvider(base, 'kari');
    customerCookie = `__Host-drop_session=${customer.sessionCookie}`;
  });
  after(async () => {
    await drop.stop('test finished');
    await slack.close();
    await db.drop();
  });

  const call = (route: { method: string; url: string }, cookie: string | undefined) =>
    fetch(`${base}${route.url.replace(':userId', customerUserId)}`, {
      method: route.method,
      headers: { origin: base, ...(cookie ? { cookie } : {}) },
    });

  it('has a policy on every back-office route, and the routes the console needs', () => {
    const routes = drop.app.backOfficeRoutes.map((route) => `${route.method} ${route.url}`);
    for (const expected of [
      'GET /api/staff/me',
      'GET /api/staff/kyc-queue',
      'GET /api/staff/aml-alerts',
      'POST /api/staff/aml-alerts/:id/assign',
      'POST /api/staff/aml-alerts/:id/comment',
      'POST /api/staff/aml-alerts/:id/close',
      'POST /api/staff/customers/:userId/revoke-sessions',
      'POST /api/staff/transfers/:id/hold',
      'POST /api/staff/transfers/:id/release-request',
      'POST /api/staff/transfers/:id/stop-request',
      'POST /api/staff/customers/:userId/block-request',
      'POST /api/staff/customers/:userId/unblock-request',
      'GET /api/staff/approvals',
      'POST /api/staff/approvals/:id/approve',
      'POST /api/staff/approvals/:id/reject',
      'GET /api/staff/strs',
      'GET /api/staff/strs/draft-context',
      'POST /api/staff/strs',
      'GET /api/staff/strs/:id',
      'PUT /api/staff/strs/:id',
      'POST /api/staff/strs/:id/submit',
      'POST /api/staff/strs/:id/approve',
      'POST /api/staff/strs/:id/return',
      'POST /api/staff/strs/:id/reject',
      'POST /api/staff/strs/:id/file',
      'POST /api/staff/strs/:id/mfa-notified',
      'GET /api/staff/strs/:id/export',
      'GET /api/staff/cases',
      'POST /api/staff/cases',
      'GET /api/staff/cases/:id',
      'POST /api/staff/cases/:id/assign',
      'POST /api/staff/cases/:id/note',
      'POST /api/staff/cases/:id/status',
      'POST /api/staff/cases/:id/alerts',
      'POST /api/staff/cases/:id/close',
      'GET /api/staff/customers/:userId',
      'POST /api/staff/customers/:userId/notes',
      'GET /api/staff/members',
      'POST /api/staff/members/:staffId/disable',
      'POST /api/staff/members/:staffId/enable',
      'POST /api/staff/members/:staffId/reset-totp',
      'POST /api/staff/members/:staffId/role',
    ]) {
      assert.ok(routes.includes(expected), `${expected} is in the inventory`);
    }
    const publicRoutes = drop.app.backOfficeRoutes
      .filter((route) => 'public' in route.policy)
      .map((route) => `${route.method} ${route.url}`);
    assert.deepEqual(publicRoutes.sort(), ['GET /api/staff/enrolment/:token', 'POST /api/staff/enrolment', 'POST /api/staff/login']);
  });

  it('opens each route to exactly the roles with its permission; customers get 403, strangers 401', async () => {
    const guarded = drop.app.backOfficeRoutes.filter((route) => !('public' in route.policy));
    assert.ok(guarded.length >= 7);
    const mismatches: string[] = [];
    for (const route of guarded) {
      const permission = 'permission' in route.policy ? route.policy.permission : undefined;
      for (const role of STAFF_ROLES) {
        if (route.url === '/api/staff/logout') continue; // would end the session the walk uses; checked below
        const allowed = permission !== undefined && permissionsOf(role).includes(permission);
        const status = (await call(route, staffCookies.get(role))).status;
        // Allowed: not refused and no server error (a 400 for the empty body the walk sends is access granted).
        const refused = status === 401 || status === 403;
        if (allowed ? refused || status >= 500 : status !== 403) mismatches.push(`${role} ${route.method} ${route.url}: ${status}`);
      }
      const asCustomer = await call(route, customerCookie);
      if (asCustomer.status !== 403) mismatches.push(`customer ${route.method} ${route.url}: ${asCustomer.status}`);
      const anonymous = await call(route, undefined);
      if (anonymous.status !== 401) mismatches.push(`anonymous ${route.method} ${route.url}: ${anonymous.status}`);
    }
    assert.deepEqual(mismatches, []);
    const denied = await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'access_denied'`);
    assert.ok(denied.rows[0].n > 0, 'refusals are audited');
  });

  it('lets support end a customer’s sessions from the console, audited with the staff id', async () => {
    const kari = await signInThroughTestProvider(base, 'kari');
    const me = await (await fetch(`${base}/api/me`, { headers: { cookie: `__Host-drop_session=${kari.sessionCookie}` } })).json();
    const response = await fetch(`${base}/api/staff/customers/${me.data.id}/revoke-sessions`, {
      method: 'POST',
      headers: { origin: base, cookie: staffCookies.get('support') ?? '' },
    });
    assert.equal(response.status, 200);
    assert.ok((await response.json()).data.sessionsEnded >= 1);
    assert.equal((await fetch(`${base}/api/me`, { headers: { cookie: `__Host-drop_session=${kari.sessionCookie}` } })).status, 401);
    const audit = await db.pool.query(`SELECT actor FROM audit_log WHERE action = 'revoked_by_staff' ORDER BY seq DESC LIMIT 1`);
    assert.match(audit.rows[0].actor, /^stf_/);
  });

  it('shows each role only its permissions, and ends the staff session at logout', async () => {
    for (const role of STAFF_ROLES) {
      const me = await (await fetch(`${base}/api/staff/me`, { headers: { cookie: staffCookies.get(role) ?? '' } })).json();
      assert.equal(me.data.role, role);
      assert.deepEqual(me.data.permissions, [...permissionsOf(role)]);
    }
    const cookie = staffCookies.get('compliance_lead') ?? '';
    const logout = await fetch(`${base}/api/staff/logout`, { method: 'POST', headers: { origin: base, cookie } });
    assert.equal(logout.status, 204);
    assert.equal((await fetch(`${base}/api/staff/me`, { headers: { cookie } })).status, 401);
  });

  it('locks a staff account after 5 failed sign-ins, with Retry-After and a Slack alert', async () => {
    const totp = await enrol('victim@drop.no', 'admin');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++)
      statuses.push((await login('victim@drop.no', 'wrong password 123', signInCode(totp))).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 403]);
    const locked = await login('victim@drop.no', PASSWORD, signInCode(totp));
    assert.equal(locked.status, 403);
    assert.equal((await locked.json()).code, 'ACCOUNT_LOCKED');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    const alert = await slack.waitFor('security');
    assert.match(alert.text, /locked after 5 failed sign-ins/);
  });
});

describe('a back-office route without a policy', () => {
  it('stops the app from being built', async () => {
    const { default: Fastify } = await import('fastify');
    const { registerStaffAccessControl } = await import('../src/auth/staff-access.ts');
    const app = Fastify();
    registerStaffAccessControl(app, { db: undefined as never, idleSeconds: 900 });
    assert.throws(() => app.get('/api/staff/forgotten', async () => 'secret'), /declares no staffPolicy \(deny by default\)/);
    app.get('/api/staff/declared', { config: { staffPolicy: { permission: 'audit_log' } } }, async () => 'ok');
    await app.close();
  });
});

describe('staff sign-in rate limit', () => {
  it('answers 429 with Retry-After once a client has used its attempts, whatever X-Forwarded-For says', async () => {
    const db = await createTestDatabase();
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const drop = await startTestServer({
      databaseUrl: db.url,
      env: { PORT: String(port), PUBLIC_URL: base, SIGN_IN_RATE_LIMIT_PER_MINUTE: '3' },
    });
    try {
      const attempt = (forwardedFor: string) =>
        fetch(`${base}/api/staff/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: base, 'x-forwarded-for': forwardedFor },
          body: JSON.stringify({ email: 'nobody@drop.no', password: 'guess guess 12', totp: '123456' }),
        });
      const statuses = [];
      for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) statuses.push((await attempt(address)).status);
      assert.deepEqual(statuses, [401, 401, 401, 429]);
      const limited = await attempt('203.0.113.5');
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal((await limited.json()).code, 'RATE_LIMITED');
    } finally {
      await drop.stop('test finished');
      await db.drop();
    }
  });
});
