/**
 * Holds and four eyes in the console, in a real Chromium against a real server: a compliance lead
 * holds a transfer and proposes its release; on the Approvals page their own proposal cannot be
 * approved (the buttons are disabled with the reason, and the API refuses it: FOUR_EYES_REQUIRED);
 * a second lead, in another browser, approves it and the transfer is released. Norwegian, then English.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { SequenceKidAllocator } from '../../packages/core/src/payments/kid-allocator.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleApprovals } from './pages/console-approvals.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: holds and releases with four eyes', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('a lead holds a transfer and proposes its release; they cannot approve it themselves; a second lead does', async () => {
    const pool = bed.database.pool;
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kari = await verifiedCustomer(pool, 1);
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const transfer = await makeTransfer(pool, { ...kari, nok: 1200, rates, kids });
    const status = async () => (await pool.query('SELECT status FROM transactions WHERE id = $1', [transfer.id])).rows[0].status;

    const first = await visitApp(bed, ConsoleApprovals, { viewport: WIDE_DESKTOP });
    const second = await visitApp(bed, ConsoleApprovals, { viewport: WIDE_DESKTOP });
    try {
      const proposer = await newStaffMember(pool, { role: 'compliance_lead', name: 'Live Leder', dataEncryptionKey: DATA_KEY });
      const app = first.app;
      await app.enrolAndSignIn({ ...proposer, password: PASSWORD });
      await app.waitForHeading('Oversikt');

      await app.openTransfer(transfer.id);
      await app.actOnTransfer('hold-button', 'Uvanlig mønster, undersøkes');
      await eventually(async () => assert.equal(await text(app.transferStatus()), 'Holdt tilbake'));
      assert.equal(await status(), 'held');
      await app.actOnTransfer('propose-release-button', 'Midlenes opprinnelse er dokumentert');
      await eventually(async () =>
        assert.match(await text(app.page.getByTestId('pending-proposal')), /Frigi overføring er foreslått av Live Leder/),
      );
      await screenshot(app.page, 'console-four-eyes-transfer');

      await app.goToSection('Godkjenninger');
      assert.equal(app.pathname(), '/console/approvals');
      const { rows } = await pool.query(`SELECT id FROM four_eyes_requests WHERE subject_id = $1 AND status = 'pending'`, [transfer.id]);
      const requestId = rows[0].id as string;
      await eventually(async () => assert.deepEqual(await app.approvalIds(), [requestId]));
      const own = app.approvalRow(requestId);
      assert.equal(await own.getByTestId('approve-button').isDisabled(), true);
      assert.equal(await own.getByTestId('reject-button').isDisabled(), true);
      assert.equal(await text(own.getByTestId('approval-why-disabled')), 'Ditt eget forslag: en annen må godkjenne det.');
      // The server refuses it too, whatever the page shows.
      const refusal = await app.page.evaluate(async (id) => {
        const response = await fetch(`/api/staff/approvals/${id}/approve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ note: 'selv' }),
        });
        return { status: response.status, code: (await response.json()).code };
      }, requestId);
      assert.deepEqual(refusal, { status: 403, code: 'FOUR_EYES_REQUIRED' });
      assert.equal(await status(), 'held', 'nothing changed');
      await screenshot(app.page, 'console-four-eyes-own');

      // A second lead, in another browser, in English.
      const approver = await newStaffMember(pool, { role: 'compliance_lead', name: 'Andre Approver', dataEncryptionKey: DATA_KEY });
      const other = second.app;
      await other.enrolAndSignIn({ ...approver, password: PASSWORD });
      await other.waitForHeading('Oversikt');
      await other.switchLanguage('EN');
      await other.goToSection('Approvals');
      const row = other.approvalRow(requestId);
      await eventually(async () => assert.match(await text(row), /Release transfer/));
      assert.match(await text(row), /Live Leder/);
      assert.equal(await row.getByTestId('approve-button').isDisabled(), false);
      await row.getByTestId('approve-button').click();
      const dialog = other.page.locator('dialog[open]');
      await dialog.locator('textarea').fill('Agreed');
      await dialog.getByTestId('dialog-confirm').click();
      await eventually(async () =>
        assert.equal(await text(other.page.getByTestId('approval-done')), 'The proposal is approved and carried out.'),
      );
      await eventually(async () => assert.deepEqual(await other.approvalIds(), []));
      assert.equal(await status(), 'awaiting_funds', 'released: back where it was held');
      await screenshot(other.page, 'console-four-eyes-approved');
      assert.deepEqual(await app.unexpectedProblems(first.problems), [], 'only the refused approval');
      assert.deepEqual(await other.unexpectedProblems(second.problems), []);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });
});
