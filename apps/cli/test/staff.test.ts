/**
 * `drop staff list|disable|enable|reset-totp|role EMAIL --as ADMIN`: the console's staff
 * administration at the command line, with the same refusals (FORBIDDEN for a non-admin,
 * STAFF_SELF_CHANGE for one's own account) and audit events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { enrolStaff } from '../../../test/support/staff.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop staff administration', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_staff' });
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', PUBLIC_URL: 'https://drop.example' };
    await enrolStaff(db.pool, { email: 'admin@drop.no', role: 'admin' });
    await enrolStaff(db.pool, { email: 'support@drop.no', role: 'support' });
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
  });
  after(async () => {
    await db?.drop();
  });

  const state = async (email: string) =>
    (
      await db.pool.query<{ role: string; disabled: boolean; enrolled: boolean }>(
        'SELECT role, disabled_at IS NOT NULL AS disabled, enrolled_at IS NOT NULL AS enrolled FROM staff WHERE email = $1',
        [email],
      )
    ).rows[0];

  it('lists staff, and lets only an admin change them, never their own account', async () => {
    const listed = await runDrop(['staff', 'list'], env);
    assert.equal(listed.code, 0, describeResult(listed));
    assert.match(listed.stdout, /^stf_\w+\s+admin\s+active\s+admin@drop\.no/m);

    const notAdmin = await runDrop(['staff', 'disable', 'officer@drop.no', '--reason', 'testing', '--as', 'support@drop.no'], env);
    assert.equal(notAdmin.code, 1, describeResult(notAdmin));
    assert.match(notAdmin.stderr, /^FORBIDDEN:/m);
    const self = await runDrop(
      ['staff', 'role', 'admin@drop.no', '--role', 'support', '--reason', 'stepping down', '--as', 'admin@drop.no'],
      env,
    );
    assert.equal(self.code, 1, describeResult(self));
    assert.match(self.stderr, /^STAFF_SELF_CHANGE:/m);
    const unknown = await runDrop(['staff', 'enable', 'nobody@drop.no', '--reason', 'testing', '--as', 'admin@drop.no'], env);
    assert.match(unknown.stderr, /^NOT_FOUND:/m);
    assert.deepEqual(await state('admin@drop.no'), { role: 'admin', disabled: false, enrolled: true });
  });

  it('disables, enables, resets the authenticator (printing the new link) and changes a role, audited', async () => {
    const disabled = await runDrop(['staff', 'disable', 'support@drop.no', '--reason', 'Sluttet', '--as', 'admin@drop.no'], env);
    assert.equal(disabled.code, 0, describeResult(disabled));
    assert.equal((await state('support@drop.no'))?.disabled, true);
    const enabled = await runDrop(['staff', 'enable', 'support@drop.no', '--reason', 'Tilbake', '--as', 'admin@drop.no'], env);
    assert.equal(enabled.code, 0, describeResult(enabled));
    assert.equal((await state('support@drop.no'))?.disabled, false);

    const reset = await runDrop(['staff', 'reset-totp', 'officer@drop.no', '--reason', 'Ny telefon', '--as', 'admin@drop.no'], env);
    assert.equal(reset.code, 0, describeResult(reset));
    assert.match(reset.stdout, /^https:\/\/drop\.example\/console\/enrol\?token=[\w-]{40,}$/m);
    assert.equal((await state('officer@drop.no'))?.enrolled, false);

    const role = await runDrop(
      ['staff', 'role', 'officer@drop.no', '--role', 'compliance_lead', '--reason', 'Ny stilling', '--as', 'admin@drop.no'],
      env,
    );
    assert.equal(role.code, 0, describeResult(role));
    assert.equal((await state('officer@drop.no'))?.role, 'compliance_lead');
    const actions = await db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action LIKE 'staff\\_%' AND action NOT IN ('staff_created', 'staff_enrolled') ORDER BY seq`,
    );
    assert.deepEqual(
      actions.rows.map((row) => row.action),
      ['staff_disabled', 'staff_enabled', 'staff_totp_reset', 'staff_role_changed'],
    );
  });
});
