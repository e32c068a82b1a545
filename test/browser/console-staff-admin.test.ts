/**
 * Staff administration in the console, in a real Chromium against a real server (issue 16): an
 * admin lists the staff on the Staff page; disables a support member, whose open console drops to
 * the login page at its next request (the session ended) and who then cannot sign in; resets an officer's authenticator and gets a
 * new enrolment link that works; changes the officer's role. The admin's own row offers nothing,
 * and the API refuses a self-demotion with STAFF_SELF_CHANGE. Other roles do not see the page.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { completeEnrolment, getEnrolment, totpFor } from '@drop/core';
import type pg from 'pg';
import { enrolmentCode, newStaffMember } from '../support/staff.ts';
import { ConsoleAdmin } from './pages/console-admin.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';
const AT_1280 = { width: 1280, height: 900 };

/** A staff member enrolled straight through core (no browser), as `drop staff create` and the link would. */
async function enrolledStaff(pool: pg.Pool, role: 'support' | 'compliance_officer', name: string) {
  const member = await newStaffMember(pool, { role, name, dataEncryptionKey: DATA_KEY });
  const view = await getEnrolment(pool, { token: member.token, dataEncryptionKey: DATA_KEY });
  const totp = totpFor(view.totpSecret, member.email);
  await completeEnrolment(pool, { token: member.token, password: PASSWORD, totp: enrolmentCode(totp), dataEncryptionKey: DATA_KEY });
  return { ...member, totp };
}

describe('console: staff administration', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('an admin disables, resets and changes the role of staff; never their own account', async () => {
    const pool = bed.database.pool;
    const adminVisit = await visitApp(bed, ConsoleAdmin, { viewport: AT_1280 });
    const supportVisit = await visitApp(bed, ConsoleAdmin, { viewport: AT_1280 });
    const enrolVisit = await visitApp(bed, ConsoleAdmin, { viewport: AT_1280 });
    try {
      const admin = await newStaffMember(pool, { role: 'admin', name: 'Anne Admin', dataEncryptionKey: DATA_KEY });
      const support = await newStaffMember(pool, { role: 'support', name: 'Sigurd Support', dataEncryptionKey: DATA_KEY });
      const officer = await enrolledStaff(pool, 'compliance_officer', 'Otto Officer');

      // Support is at work, and has no Staff page.
      const s = supportVisit.app;
      await s.enrolAndSignIn({ ...support, password: PASSWORD });
      assert.ok(!(await s.navLinks()).includes('Ansatte'), 'support does not see the Staff page');

      const app = adminVisit.app;
      await app.enrolAndSignIn({ ...admin, password: PASSWORD });
      await app.goToSection('Ansatte');
      assert.equal(app.pathname(), '/console/staff');
      await eventually(async () => assert.equal(await app.staffRow(support.email).count(), 1));
      assert.equal(await app.staffState(support.email), 'Aktiv');
      assert.equal(await text(app.staffRow(support.email).getByTestId('staff-role-cell')), 'Kundestøtte');
      // The admin's own row offers nothing: another admin must change it.
      const own = app.staffRow(admin.email);
      assert.equal(await text(own.getByTestId('staff-own')), 'Din egen konto: en annen administrator må endre den.');
      assert.equal(await own.getByRole('button').count(), 0);
      await screenshot(app.page, 'console-staff-admin');

      // Disable support: their console drops to the login page, and they cannot sign in again.
      await app.changeStaff(support.email, 'staff-disable-button', 'Sluttet i dag');
      await eventually(async () => assert.equal(await app.staffState(support.email), 'Deaktivert'));
      assert.match(await text(app.staffOutcome()), /^Sigurd Support er deaktivert\. 1 økt ble avsluttet\./);
      await s.goto('/console/customers');
      await s.waitForLoginPage();
      await s.signIn(support.email, PASSWORD, '123456');
      await eventually(async () => assert.match(await text(s.loginError()), /stemmer ikke/));
      const disabled = await pool.query('SELECT disabled_at IS NOT NULL AS disabled FROM staff WHERE email = $1', [support.email]);
      assert.equal(disabled.rows[0].disabled, true);

      // Reset the officer's authenticator: invited again, with a new enrolment link that works.
      await app.changeStaff(officer.email, 'staff-reset-button', 'Mistet telefonen');
      await eventually(async () => assert.equal(await app.staffState(officer.email), 'Invitert'));
      const link = await text(app.page.getByTestId('staff-enrol-link'));
      assert.match(link, new RegExp(`^${bed.origin}/console/enrol\\?token=`));
      await screenshot(app.page, 'console-staff-admin-reset');
      await enrolVisit.page.goto(link);
      await enrolVisit.app.waitForHeading('Sett opp kontoen din');
      assert.equal(await text(enrolVisit.app.enrolmentName()), 'Otto Officer');
      const newSecret = await enrolVisit.app.secret();
      assert.notEqual(newSecret, officer.totp.secret.base32, 'a new authenticator secret');

      // Change the officer's role.
      await app.changeStaff(officer.email, 'staff-role-button', 'Ny stilling', 'Leder for etterlevelse');
      await eventually(async () =>
        assert.equal(await text(app.staffRow(officer.email).getByTestId('staff-role-cell')), 'Leder for etterlevelse'),
      );
      const role = await pool.query('SELECT role FROM staff WHERE email = $1', [officer.email]);
      assert.equal(role.rows[0].role, 'compliance_lead');

      // Self-demotion is refused by the API too, with a stable code, and changes nothing.
      const adminId = (await pool.query<{ id: string }>('SELECT id FROM staff WHERE email = $1', [admin.email])).rows[0]?.id;
      const refusal = await app.page.evaluate(async (id) => {
        const response = await fetch(`/api/staff/members/${id}/role`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ role: 'support', reason: 'Vil ikke være admin' }),
        });
        return { status: response.status, code: ((await response.json()) as { code: string }).code };
      }, adminId);
      assert.deepEqual(refusal, { status: 403, code: 'STAFF_SELF_CHANGE' });
      assert.equal((await pool.query('SELECT role FROM staff WHERE id = $1', [adminId])).rows[0].role, 'admin');

      const actions = await pool.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE action IN ('staff_disabled', 'staff_totp_reset', 'staff_role_changed') ORDER BY seq`,
      );
      assert.deepEqual(
        actions.rows.map((row) => row.action),
        ['staff_disabled', 'staff_totp_reset', 'staff_role_changed'],
      );

      await app.switchLanguage('EN');
      await eventually(async () => assert.equal(await app.staffState(support.email), 'Disabled'));
      assert.equal(await text(app.staffOutcome()), 'Otto Officer now has the role Compliance lead.', 'the notice follows the language');
      await screenshot(app.page, 'console-staff-admin-en');
      await app.switchLanguage('NB');
      await app.page.setViewportSize({ width: 390, height: 844 });
      const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no sideways scrolling on a phone (${overflow} px)`);
      await screenshot(app.page, 'console-staff-admin-phone');

      assert.deepEqual(await app.unexpectedProblems(adminVisit.problems), []);
      assert.deepEqual(await s.unexpectedProblems(supportVisit.problems), []);
    } finally {
      await adminVisit.context.close();
      await supportVisit.context.close();
      await enrolVisit.context.close();
    }
  });
});
