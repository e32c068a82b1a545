/**
 * Working an AML alert in the console, in a real Chromium against a real server: a compliance
 * officer assigns the alert to herself, comments, and closes it with an outcome and notes in the
 * dialog; the history shows who did what, the list shows it under Closed, and the row in the
 * database is closed exactly as runbook 7.1's query sees it. A support user (no 'aml_review') sees
 * no Close button, and the API refuses their close with 403.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SequenceKidAllocator } from '../../packages/core/src/payments/kid-allocator.ts';
import { seedLargeTransferAlert, seedSanctionsAlert } from '../support/aml-alerts.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleAmlAlerts } from './pages/console-aml-alerts.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: reviewing an AML alert', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('an officer assigns, comments and closes an alert with notes; the runbook’s query sees it closed', async () => {
    const pool = bed.database.pool;
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kari = await verifiedCustomer(pool, 1);
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const transfer = await makeTransfer(pool, { ...kari, nok: 1000, rates, kids });
    const alertId = await seedLargeTransferAlert(pool, { userId: kari.userId, transactionId: transfer.id });

    const { context, app, problems } = await visitApp(bed, ConsoleAmlAlerts, { viewport: WIDE_DESKTOP });
    try {
      const staff = await newStaffMember(pool, { role: 'compliance_officer', name: 'Cecilie Compliance', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await app.goToSection('AML-varsler');
      await app.waitForList([alertId]);
      await app.openAlert(alertId);
      await app.waitForHeading('Stor overføring');
      assert.equal(await text(app.page.getByTestId('alert-assignee')), 'Ikke tildelt noen');
      assert.equal(await text(app.page.getByTestId('alert-history')), 'HistorikkIngen har gjort noe med varselet ennå.');

      await app.assignToMe();
      assert.match(await text(app.page.getByTestId('alert-assignee')), /^Tildelt Cecilie Compliance \(deg\)/);
      assert.equal(await app.page.getByTestId('assign-to-me').count(), 0, 'no Assign to me once it is mine');
      await app.comment('Ba kunden om lønnsslipper');
      await app.fillCloseDialog('legitimate', 'Lønn, dokumentert med lønnsslipper');
      await screenshot(app.page, 'console-aml-alert-close-dialog');
      await app.confirmClose('Lukket');
      await app.waitForHistory(['assigned', 'commented', 'closed']);
      assert.equal(await text(app.page.getByTestId('alert-outcome')), 'Legitim aktivitet');
      assert.equal(await text(app.page.getByTestId('alert-reviewer-notes')), 'Lønn, dokumentert med lønnsslipper');
      assert.equal(await app.page.getByTestId('close-alert').count(), 0, 'no Close on a closed alert');
      const entries = app.page.getByTestId('alert-history-entry');
      assert.match(await text(entries.nth(0)), /Cecilie Compliance \(deg\) tildelte varselet til Cecilie Compliance/);
      assert.match(await text(entries.nth(2)), /lukket varselet: Legitim aktivitet.*Lønn, dokumentert med lønnsslipper/);
      await screenshot(app.page, 'console-aml-alert-closed', { fullPage: true });

      // Runbook 7.1: the open queue no longer has it; the row is closed with its review.
      const queue = await pool.query(
        `SELECT a.*, u.email, t.send_amount, t.send_currency FROM aml_alerts a JOIN users u ON a.user_id = u.id
           LEFT JOIN transactions t ON a.transaction_id = t.id WHERE a.status = 'open' ORDER BY a.created_at DESC`,
      );
      assert.ok(!queue.rows.some((row) => row.id === alertId));
      const { rows } = await pool.query('SELECT status, reviewed_at, reviewer_notes, reviewed_by, outcome FROM aml_alerts WHERE id = $1', [
        alertId,
      ]);
      const staffId = (await pool.query('SELECT id FROM staff WHERE email = $1', [staff.email])).rows[0].id;
      assert.equal(rows[0].status, 'closed');
      assert.ok(rows[0].reviewed_at instanceof Date);
      assert.equal(rows[0].reviewer_notes, 'Lønn, dokumentert med lønnsslipper');
      assert.equal(rows[0].reviewed_by, staffId);
      assert.equal(rows[0].outcome, 'legitimate');

      // The list: not among the open ones; under Closed.
      await app.page.goto(`${bed.origin}/console/aml-alerts`);
      await app.waitForList([]);
      await app.page.getByTestId('status-closed').click();
      await app.waitForList([alertId]);
      assert.equal(await app.alertRow(alertId).getAttribute('data-status'), 'closed');

      // In English too.
      await app.page.getByRole('button', { name: /^EN/ }).click();
      await app.openAlert(alertId);
      await app.waitForHeading('Large transfer');
      assert.equal(await text(app.page.getByTestId('alert-outcome')), 'Legitimate activity');
      assert.match(await text(app.page.getByTestId('alert-history-entry').nth(1)), /Cecilie Compliance \(you\) commented/);
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('support sees no Close button, and the API refuses their close with 403', async () => {
    const pool = bed.database.pool;
    const ola = await verifiedCustomer(pool, 1);
    const { alertId } = await seedSanctionsAlert(pool, { userId: ola.userId });
    const { context, app, problems } = await visitApp(bed, ConsoleAmlAlerts, { viewport: WIDE_DESKTOP });
    try {
      const staff = await newStaffMember(pool, { role: 'support', name: 'Siri Support', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      const status = await app.page.evaluate(async (id) => {
        const response = await fetch(`/api/staff/aml-alerts/${id}/close`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ outcome: 'false_positive', notes: 'not allowed' }),
        });
        return { status: response.status, code: (await response.json()).code };
      }, alertId);
      assert.deepEqual(status, { status: 403, code: 'FORBIDDEN' });
      const { rows } = await pool.query('SELECT status, reviewer_notes FROM aml_alerts WHERE id = $1', [alertId]);
      assert.deepEqual(rows[0], { status: 'open', reviewer_notes: null });
      // Their console has no AML section; the alert's address shows no review and no Close button.
      assert.ok(!(await app.sections()).includes('AML-varsler'));
      await app.page.goto(`${bed.origin}/console/aml-alerts/${alertId}`);
      await eventually(async () => assert.match(await text(app.page.locator('main')), /^Ingen tilgang/));
      await screenshot(app.page, 'console-aml-alert-support');
      assert.equal(await app.page.getByTestId('close-alert').count(), 0);
      assert.equal(await app.page.getByTestId('alert-review').count(), 0);
      const unexpected = (await app.unexpectedProblems(problems)).filter((problem) => !/status of 403 .*\/close\)$/.test(problem));
      assert.deepEqual(unexpected, []);
    } finally {
      await context.close();
    }
  });
});
