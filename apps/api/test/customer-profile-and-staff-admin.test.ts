/**
 * The console's customer profile and staff administration over real HTTP (issue 16): the profile
 * shows a customer's identity (the national id masked unless the role may see it), limits, recipients,
 * transfers, sessions and notes, and reading it is audited; notes refuse bad input; only admins
 * administer staff, never their own account, and Drop keeps one active admin whoever writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getEnrolment } from '@drop/core';
import { testPerson } from '../../../packages/simulators/src/bankid-test-provider/people.ts';
import { type TestCustomer, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import { type DropOnPort, signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { DEV_DATA_KEY, enrolStaff, STAFF_PASSWORD, signInCode } from '../../../test/support/staff.ts';

describe('customer profile and staff administration', () => {
  let running: DropOnPort;
  let base: string;
  let kari: TestCustomer;
  let transferId: string;
  const cookies: Record<string, string> = {};

  before(async () => {
    running = await startDropOnFreePort();
    base = running.base;
    const pool = running.db.pool;
    kari = await verifiedCustomer(base, pool, 'kari');
    transferId = (await transferAs(kari, '1500')).id;
    cookies.support = await signInStaff(base, pool, 'support');
    cookies.officer = await signInStaff(base, pool, 'compliance_officer');
    cookies.admin = await signInStaff(base, pool, 'admin');
    cookies.admin2 = await signInStaff(base, pool, 'admin', 'second.admin@drop.no');
  });
  after(async () => {
    await stopDropOnFreePort(running ?? {});
  });

  const get = (path: string, cookie?: string) => fetch(`${base}${path}`, { headers: { origin: base, ...(cookie ? { cookie } : {}) } });
  const post = (path: string, body: unknown, cookie?: string) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
  const staffId = async (email: string) =>
    (await running.db.pool.query<{ id: string }>('SELECT id FROM staff WHERE email = $1', [email])).rows[0]?.id as string;
  const audit = async (action: string, resourceId: string) =>
    (
      await running.db.pool.query<{ actor: string; details: Record<string, unknown> }>(
        'SELECT actor, details FROM audit_log WHERE action = $1 AND resource_id = $2 ORDER BY seq',
        [action, resourceId],
      )
    ).rows;

  it('shows support the whole profile with the national id masked, and audits the read', async () => {
    const response = await get(`/api/staff/customers/${kari.userId}`, cookies.support);
    assert.equal(response.status, 200);
    const profile = (await response.json()).data;
    const person = testPerson('kari');
    assert.equal(profile.identity.nationalId, `${person.nationalId.slice(0, 6)}*****`);
    assert.equal(profile.identity.nationalIdMasked, true);
    assert.equal(profile.identity.birthDate, person.birthdate);
    assert.equal(profile.identity.address, null, 'Drop keeps no address');
    assert.equal(profile.identity.email, kari.email);
    assert.equal(profile.standing.kycStatus, 'approved');
    const spent = await running.db.pool.query<{ nok: string }>(
      'SELECT (sum(amount_minor) / 100)::bigint::text AS nok FROM user_spending_days WHERE user_id = $1',
      [kari.userId],
    );
    const used = spent.rows[0]?.nok ?? '';
    assert.ok(Number(used) >= 1500, `the transfer counts against her limits (${used})`);
    assert.deepEqual(profile.limits, {
      tier: 1,
      limitsNok: { perTransfer: '50000', thirtyDays: '100000', twelveMonths: '300000' },
      usedNok: { thirtyDays: used, twelveMonths: used },
      eddThresholdNok: '100000',
    });
    assert.deepEqual(
      profile.recipients.map((recipient: { name: string; transfers: number }) => [recipient.name, recipient.transfers]),
      [['Anna Schmidt', 1]],
    );
    assert.equal(profile.transfers.total, 1);
    assert.equal(profile.transfers.rows[0].id, transferId);
    assert.equal(profile.transfers.rows[0].status, 'awaiting_funds');
    assert.ok(
      profile.sessions.some((session: { live: boolean }) => session.live),
      'her sign-in is a live session',
    );
    assert.deepEqual(profile.notes, []);

    const supportId = await staffId('support@drop.no');
    const events = await audit('customer_profile_viewed', kari.userId);
    assert.deepEqual(events, [{ actor: supportId, details: { nationalIdShown: false } }]);
  });

  it('shows a compliance officer the national id in full, and says so in the audit event', async () => {
    const profile = (await (await get(`/api/staff/customers/${kari.userId}`, cookies.officer)).json()).data;
    assert.equal(profile.identity.nationalId, testPerson('kari').nationalId);
    assert.equal(profile.identity.nationalIdMasked, false);
    const events = await audit('customer_profile_viewed', kari.userId);
    assert.deepEqual(events.at(-1), { actor: await staffId('compliance_officer@drop.no'), details: { nationalIdShown: true } });
  });

  it('refuses a malformed or unknown customer, and a stranger or a customer', async () => {
    assert.equal((await get('/api/staff/customers/usr_nope', cookies.support)).status, 400);
    const unknown = await get('/api/staff/customers/usr_01JZZZZZZZZZZZZZZZZZZZZZZZ', cookies.support);
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).code, 'NOT_FOUND');
    assert.equal((await get(`/api/staff/customers/${kari.userId}`)).status, 401);
    assert.equal((await get(`/api/staff/customers/${kari.userId}`, kari.cookie)).status, 403);
  });

  it('adds a note, kept as written and audited with ids only; refuses an empty or too long one and changes nothing', async () => {
    for (const body of [{}, { body: ' ' }, { body: 'x' }, { body: 'x'.repeat(2001) }, { body: 42 }]) {
      const refused = await post(`/api/staff/customers/${kari.userId}/notes`, body, cookies.support);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal((await refused.json()).code, 'VALIDATION_FAILED');
    }
    const unknown = await post(
      '/api/staff/customers/usr_01JZZZZZZZZZZZZZZZZZZZZZZZ/notes',
      { body: 'Ringte om overføringen' },
      cookies.support,
    );
    assert.equal(unknown.status, 404);
    assert.equal((await running.db.pool.query('SELECT count(*)::int AS n FROM customer_notes')).rows[0].n, 0);

    const added = await post(`/api/staff/customers/${kari.userId}/notes`, { body: '  Ringte om overføringen.  ' }, cookies.support);
    assert.equal(added.status, 201);
    const note = (await added.json()).data;
    assert.equal(note.body, 'Ringte om overføringen.');
    assert.match(note.id, /^cno_/);
    const profile = (await (await get(`/api/staff/customers/${kari.userId}`, cookies.officer)).json()).data;
    assert.deepEqual(
      profile.notes.map((entry: { body: string; staffName: string }) => [entry.body, entry.staffName]),
      [['Ringte om overføringen.', 'support person']],
    );
    assert.deepEqual(
      (await audit('customer_note_added', kari.userId)).map((event) => event.details),
      [{ noteId: note.id }],
      'the text stays out of the audit log',
    );
    await assert.rejects(running.db.pool.query(`UPDATE customer_notes SET body = 'changed'`), /append-only/);
    await assert.rejects(running.db.pool.query('DELETE FROM customer_notes'), /append-only/);
  });

  it('lets only admins list and change staff (403 for the others)', async () => {
    const target = await staffId('support@drop.no');
    for (const role of ['support', 'officer'] as const) {
      assert.equal((await get('/api/staff/members', cookies[role])).status, 403, role);
      const refused = await post(`/api/staff/members/${target}/disable`, { reason: 'testing' }, cookies[role]);
      assert.equal(refused.status, 403, role);
      assert.equal((await refused.json()).code, 'FORBIDDEN');
    }
    const listed = await get('/api/staff/members', cookies.admin);
    assert.equal(listed.status, 200);
    const members = (await listed.json()).data as Array<{ email: string; role: string; state: string }>;
    assert.deepEqual(
      members.map((member) => member.role),
      ['admin', 'admin', 'compliance_officer', 'support'],
      'admins first',
    );
    assert.ok(members.every((member) => member.state === 'active'));
  });

  it('refuses bad input with stable codes and changes nothing', async () => {
    const target = await staffId('compliance_officer@drop.no');
    const cases: Array<[string, unknown, number, string]> = [
      [`/api/staff/members/${target}/disable`, {}, 400, 'VALIDATION_FAILED'],
      [`/api/staff/members/${target}/disable`, { reason: 'x' }, 400, 'VALIDATION_FAILED'],
      [`/api/staff/members/${target}/role`, { reason: 'promotion', role: 'boss' }, 400, 'VALIDATION_FAILED'],
      ['/api/staff/members/stf_nope/disable', { reason: 'testing' }, 400, 'VALIDATION_FAILED'],
      ['/api/staff/members/stf_01JZZZZZZZZZZZZZZZZZZZZZZZ/disable', { reason: 'testing' }, 404, 'NOT_FOUND'],
      [`/api/staff/members/${target}/enable`, { reason: 'not disabled' }, 409, 'STAFF_STATE_INVALID'],
      [`/api/staff/members/${target}/role`, { reason: 'same role', role: 'compliance_officer' }, 409, 'STAFF_STATE_INVALID'],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await post(path, body, cookies.admin);
      assert.equal(response.status, status, `${path} ${JSON.stringify(body)}`);
      assert.equal((await response.json()).code, code, path);
    }
    const { rows } = await running.db.pool.query('SELECT role, disabled_at FROM staff WHERE id = $1', [target]);
    assert.deepEqual(rows, [{ role: 'compliance_officer', disabled_at: null }]);
  });

  it('refuses an admin changes to their own account (STAFF_SELF_CHANGE)', async () => {
    const own = await staffId('admin@drop.no');
    for (const [kind, body] of [
      ['disable', { reason: 'leaving' }],
      ['role', { reason: 'stepping down', role: 'support' }],
      ['reset-totp', { reason: 'new phone' }],
    ] as const) {
      const response = await post(`/api/staff/members/${own}/${kind}`, body, cookies.admin);
      assert.equal(response.status, 403, kind);
      assert.equal((await response.json()).code, 'STAFF_SELF_CHANGE', kind);
    }
    assert.equal((await get('/api/staff/me', cookies.admin)).status, 200, 'still an admin, still signed in');
    const { rows } = await running.db.pool.query('SELECT role, disabled_at, enrolled_at IS NOT NULL AS enrolled FROM staff WHERE id = $1', [
      own,
    ]);
    assert.deepEqual(rows, [{ role: 'admin', disabled_at: null, enrolled: true }]);
  });

  it('disables a staff member: their session ends at once, they cannot sign in; enabling lets them back', async () => {
    const pool = running.db.pool;
    const email = 'leaving.support@drop.no';
    const totp = await enrolStaff(pool, { email, role: 'support' });
    const login = (code: string) => post('/api/staff/login', { email, password: STAFF_PASSWORD, totp: code });
    const first = await login(signInCode(totp));
    assert.equal(first.status, 204);
    const cookie = (first.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
    assert.equal((await get('/api/staff/me', cookie)).status, 200);

    const target = await staffId(email);
    const disabled = await post(`/api/staff/members/${target}/disable`, { reason: 'Sluttet i dag' }, cookies.admin);
    assert.equal(disabled.status, 200);
    const answer = (await disabled.json()).data;
    assert.equal(answer.member.state, 'disabled');
    assert.equal(answer.sessionsEnded, 1);
    assert.equal((await get('/api/staff/me', cookie)).status, 401, 'the session ended at once');
    const refused = await login(totp.generate({ timestamp: Date.now() + 60_000 }));
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).code, 'INVALID_CREDENTIALS');
    const again = await post(`/api/staff/members/${target}/disable`, { reason: 'twice' }, cookies.admin);
    assert.equal((await again.json()).code, 'STAFF_STATE_INVALID');
    assert.deepEqual(
      (await audit('staff_disabled', target)).map((event) => event.details),
      [{ reason: 'Sluttet i dag', sessionsEnded: 1 }],
    );

    const enabled = await post(`/api/staff/members/${target}/enable`, { reason: 'Kom tilbake' }, cookies.admin);
    assert.equal(enabled.status, 200);
    assert.equal((await enabled.json()).data.member.state, 'active');
    const usable = await pool.query('SELECT disabled_at IS NULL AND enrolled_at IS NOT NULL AS usable FROM staff WHERE id = $1', [target]);
    assert.equal(usable.rows[0].usable, true, 'the sign-in check lets them in again');
  });

  it('resets an authenticator: sessions end, the account is invited again, and the new link enrols with a new secret', async () => {
    const pool = running.db.pool;
    const target = await staffId('compliance_officer@drop.no');
    const before = (await pool.query('SELECT totp_secret_ciphertext FROM staff WHERE id = $1', [target])).rows[0].totp_secret_ciphertext;
    const response = await post(`/api/staff/members/${target}/reset-totp`, { reason: 'Mistet telefonen' }, cookies.admin);
    assert.equal(response.status, 200);
    const answer = (await response.json()).data;
    assert.equal(answer.member.state, 'invited');
    assert.equal(answer.sessionsEnded, 1);
    assert.equal((await get('/api/staff/me', cookies.officer)).status, 401);
    const enrolment = await getEnrolment(pool, { token: answer.enrolmentToken, dataEncryptionKey: DEV_DATA_KEY });
    assert.equal(enrolment.email, 'compliance_officer@drop.no');
    const after = (await pool.query('SELECT totp_secret_ciphertext FROM staff WHERE id = $1', [target])).rows[0].totp_secret_ciphertext;
    assert.notDeepEqual(after, before, 'a new secret');
    assert.deepEqual(
      (await audit('staff_totp_reset', target)).map((event) => event.details),
      [{ reason: 'Mistet telefonen', sessionsEnded: 1 }],
    );
  });

  it('changes a role, audited; the new role applies at the next request', async () => {
    const target = await staffId('support@drop.no');
    const changed = await post(`/api/staff/members/${target}/role`, { reason: 'Ny stilling', role: 'compliance_lead' }, cookies.admin);
    assert.equal(changed.status, 200);
    assert.equal((await changed.json()).data.member.role, 'compliance_lead');
    const me = (await (await get('/api/staff/me', cookies.support)).json()).data;
    assert.equal(me.role, 'compliance_lead');
    assert.ok(me.permissions.includes('customer_national_id'));
    assert.deepEqual(
      (await audit('staff_role_changed', target)).map((event) => event.details),
      [{ from: 'support', to: 'compliance_lead', reason: 'Ny stilling' }],
    );
  });

  it('keeps one active admin whoever writes: the database refuses to demote or disable the last one', async () => {
    const pool = running.db.pool;
    const second = await staffId('second.admin@drop.no');
    const demoted = await post(`/api/staff/members/${second}/role`, { reason: 'Ikke lenger admin', role: 'support' }, cookies.admin);
    assert.equal(demoted.status, 200, 'another admin remains');
    const last = await staffId('admin@drop.no');
    await assert.rejects(pool.query('UPDATE staff SET disabled_at = now() WHERE id = $1', [last]), /LAST_ADMIN/);
    await assert.rejects(pool.query(`UPDATE staff SET role = 'support' WHERE id = $1`, [last]), /LAST_ADMIN/);
    await assert.rejects(pool.query('UPDATE staff SET enrolled_at = NULL WHERE id = $1', [last]), /LAST_ADMIN/);
    assert.equal((await pool.query('SELECT role FROM staff WHERE id = $1', [last])).rows[0].role, 'admin');
    // With the second admin back, either may go.
    await pool.query(`UPDATE staff SET role = 'admin' WHERE id = $1`, [second]);
    await pool.query('UPDATE staff SET disabled_at = now() WHERE id = $1', [second]);
    await assert.rejects(pool.query('UPDATE staff SET disabled_at = now() WHERE id = $1', [last]), /LAST_ADMIN/);
  });
});
