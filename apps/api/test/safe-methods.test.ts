/**
 * GET changes nothing (ASVS 3.5.3, T14): every GET route of the API, called by a customer, by
 * staff of every role and by a stranger, leaves the business data as it was. (Security logging,
 * such as an audited refusal, a session's last-activity time and the record of a data export are
 * not business data.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STAFF_ROLES, seedDemoData } from '@drop/core';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

/** The business state: every row of every business table, minus activity timestamps. */
async function snapshot(db: TestDatabase): Promise<string> {
  const tables = {
    users: 'SELECT * FROM users ORDER BY id',
    sessions: 'SELECT id, user_id, revoked, revoked_reason, expires_at FROM sessions ORDER BY id',
    transactions: 'SELECT * FROM transactions ORDER BY id',
    aml_alerts: 'SELECT * FROM aml_alerts ORDER BY id',
    str_reports: 'SELECT * FROM str_reports ORDER BY id',
    // A completed export is the record of a disclosure the runbook queries (GDPR article 5(2)):
    // a log that GET /api/user/data-export writes, like the audit log. Every other request counts.
    data_access_requests: `SELECT * FROM data_access_requests WHERE NOT (type = 'export' AND status = 'completed') ORDER BY id`,
    staff: 'SELECT id, email, role, password_hash, enrolled_at, failed_attempts, locked_until, disabled_at FROM staff ORDER BY id',
    staff_sessions: 'SELECT id, staff_id, revoked, expires_at FROM staff_sessions ORDER BY id',
    signing_keys: 'SELECT kid, status, verify_until FROM signing_keys ORDER BY kid',
    auth_attempts: 'SELECT id, used_at FROM auth_attempts ORDER BY id',
  };
  const state: Record<string, unknown> = {};
  for (const [name, sql] of Object.entries(tables)) state[name] = (await db.pool.query(sql)).rows;
  return JSON.stringify(state);
}

describe('GET requests', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  const cookies: Record<string, string | undefined> = { stranger: undefined };

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    await seedDemoData(db.pool, { actor: 'test' });
    const customer = await signInThroughTestProvider(base, 'kari');
    cookies.customer = `__Host-drop_session=${customer.sessionCookie}`;
    for (const role of STAFF_ROLES) cookies[role] = await signInStaff(base, db.pool, role);
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('change no business data, whoever calls them', async () => {
    // Every documented route, plus the undocumented /metrics.
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const gets = [
      '/metrics',
      ...Object.entries(spec.paths)
        .filter(([path, methods]) => 'get' in methods && path !== '/api/auth/bankid/callback')
        .map(([path]) => path.replace('{sessionId}', 'ses_01JAAAAAAAAAAAAAAAAAAAAAAA').replace('{token}', 'x'.repeat(40))),
    ];
    for (const expected of ['/api/health', '/api/me', '/api/me/sessions', '/api/staff/kyc-queue', '/api/staff/audit-log']) {
      assert.ok(gets.includes(expected), `${expected} is walked (found: ${gets.join(', ')})`);
    }
    const before_ = await snapshot(db);
    for (const path of gets) {
      for (const cookie of Object.values(cookies)) {
        const response = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });
        assert.ok(response.status < 500, `GET ${path}: ${response.status}`);
      }
    }
    assert.equal(await snapshot(db), before_);
  });
});
