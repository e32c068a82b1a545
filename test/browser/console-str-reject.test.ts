/**
 * Rejecting an STR in the console, in a real Chromium: a compliance lead opens an STR an officer
 * submitted (the rows written in SQL), rejects it through the dialog with a reason; the page shows
 * it rejected with the reason and no steps left, the row names the lead as rejecter, and the
 * case's history has the step. The officer who drafted it sees no way to reject it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { openCase } from '../support/str-cases.ts';
import { ConsoleStrs } from './pages/console-strs.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: rejecting an STR', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('a lead rejects an STR awaiting approval with a reason; it is final', async () => {
    const pool = bed.database.pool;
    const kari = await verifiedCustomer(pool, 1);
    const officer = await newStaffMember(pool, { role: 'compliance_officer', name: 'Oda Offiser', dataEncryptionKey: DATA_KEY });
    const officerId = (await pool.query('SELECT id FROM staff WHERE email = $1', [officer.email])).rows[0].id as string;
    const caseId = await openCase(pool, { userId: kari.userId, openedBy: officerId });
    const strId = (
      await pool.query(
        `INSERT INTO str_reports (user_id, report_type, details, status, drafted_by, case_id)
         VALUES ($1, 'suspicious_activity', '{"reason": "Mange små innskudd", "amount": 0}', 'awaiting_approval', $2, $3) RETURNING id::text AS id`,
        [kari.userId, officerId, caseId],
      )
    ).rows[0].id as string;

    const leadVisit = await visitApp(bed, ConsoleStrs, { viewport: WIDE_DESKTOP });
    const officerVisit = await visitApp(bed, ConsoleStrs, { viewport: WIDE_DESKTOP });
    try {
      const drafter = officerVisit.app;
      await drafter.enrolAndSignIn({ ...officer, password: PASSWORD });
      await drafter.waitForHeading('Oversikt');
      await drafter.openStr(strId);
      await drafter.waitForStatus('awaiting_approval');
      assert.equal(await drafter.stepButton('str-reject').isDisabled(), true);
      assert.match(await text(drafter.whyDisabled('str-reject')), /en annen leder må avvise den/);

      const lead = leadVisit.app;
      await lead.enrolAndSignIn({
        ...(await newStaffMember(pool, { role: 'compliance_lead', name: 'Lise Leder', dataEncryptionKey: DATA_KEY })),
        password: PASSWORD,
      });
      await lead.waitForHeading('Oversikt');
      await lead.openStr(strId);
      await lead.waitForStatus('awaiting_approval');
      assert.equal(await lead.stepButton('str-reject').isDisabled(), false);
      await lead.stepWithDialog('str-reject', 'Kunden har dokumentert lønnsinnskuddene');
      await lead.waitForStatus('rejected');
      await eventually(async () => assert.equal(await text(lead.done()), 'STR-en er avvist.'));
      assert.match(
        await text(lead.page.getByTestId('str-rejected-note')),
        /^Avvist: Kunden har dokumentert lønnsinnskuddene \(Lise Leder\)$/,
      );
      for (const step of ['str-approve', 'str-return', 'str-reject', 'str-file'] as const) {
        assert.equal(await lead.stepButton(step).count(), 0, `${step} is gone`);
      }
      assert.equal(await lead.page.getByTestId('str-exports').count(), 0, 'a rejected STR is never exported');
      await screenshot(lead.page, 'console-str-rejected');

      const { rows } = await pool.query(
        `SELECT s.status, s.decision_note, st.full_name AS rejecter FROM str_reports s JOIN staff st ON st.id = s.rejected_by WHERE s.id = $1`,
        [strId],
      );
      assert.deepEqual(rows[0], { status: 'rejected', decision_note: 'Kunden har dokumentert lønnsinnskuddene', rejecter: 'Lise Leder' });
      const events = await pool.query(`SELECT kind FROM aml_case_events WHERE case_id = $1 AND kind LIKE 'str_%'`, [caseId]);
      assert.deepEqual(events.rows, [{ kind: 'str_rejected' }]);
      assert.deepEqual(await lead.unexpectedProblems(leadVisit.problems), []);
      assert.deepEqual(await drafter.unexpectedProblems(officerVisit.problems), []);
    } finally {
      await leadVisit.context.close();
      await officerVisit.context.close();
    }
  });
});
