/**
 * Blocking a customer with four eyes in the console, in a real Chromium against a real server: a
 * compliance officer proposes a block from the Customers page with a reason; on the Approvals page
 * they cannot approve it themselves (disabled, with why); a lead, in another browser, approves it
 * and the customer shows as blocked (users.aml_frozen_at, their transfer held). The officer then
 * proposes an unblock and withdraws it from the Approvals page: nothing changes, and the unblock
 * can be proposed again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { seedDemoData } from '@drop/core';
import { SequenceKidAllocator } from '../../packages/core/src/payments/kid-allocator.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../support/money.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleApprovals } from './pages/console-approvals.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

describe('console: blocking a customer with four eyes', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });

  test('an officer proposes a block; they cannot approve it; a lead does; the officer proposes an unblock and withdraws it', async () => {
    const pool = bed.database.pool;
    const rates = fixedRates({ EUR: '11.7035' });
    await rates.refresh();
    const kari = await verifiedCustomer(pool, 1);
    const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
    const transfer = await makeTransfer(pool, { ...kari, nok: 900, rates, kids });
    const customer = async () =>
      (
        await pool.query<{ frozen: boolean; reason: string | null; transfer: string }>(
          `SELECT u.aml_frozen_at IS NOT NULL AS frozen, u.aml_frozen_reason AS reason, t.status AS transfer
             FROM users u JOIN transactions t ON t.user_id = u.id WHERE u.id = $1 AND t.id = $2`,
          [kari.userId, transfer.id],
        )
      ).rows[0];
    const pendingIds = async () =>
      (await pool.query(`SELECT id FROM four_eyes_requests WHERE subject_id = $1 AND status = 'pending'`, [kari.userId])).rows.map(
        (row) => row.id as string,
      );

    const first = await visitApp(bed, ConsoleApprovals, { viewport: WIDE_DESKTOP });
    const second = await visitApp(bed, ConsoleApprovals, { viewport: WIDE_DESKTOP });
    try {
      const officer = await newStaffMember(pool, { role: 'compliance_officer', name: 'Ola Officer', dataEncryptionKey: DATA_KEY });
      const app = first.app;
      await app.enrolAndSignIn({ ...officer, password: PASSWORD });
      await app.waitForHeading('Oversikt');

      let row = await app.findCustomer(kari.userId);
      assert.equal(await text(row.getByTestId('customer-active')), 'Aktiv');
      await app.actOnCustomer(row, 'propose-block-button', 'Treff på sanksjonsliste bekreftet');
      await eventually(async () =>
        assert.equal(
          await text(row.getByTestId('pending-block')),
          'Sperring er foreslått av Ola Officer og venter på en annen person. Godkjenninger',
        ),
      );
      assert.equal(await row.getByTestId('propose-block-button').count(), 0, 'no second proposal while one waits');
      assert.deepEqual(await customer(), { frozen: false, reason: null, transfer: 'awaiting_funds' }, 'a proposal changes nothing');
      await screenshot(app.page, 'console-block-proposed');

      const [blockId] = await pendingIds();
      assert.ok(blockId);
      await app.goToSection('Godkjenninger');
      await eventually(async () => assert.deepEqual(await app.approvalIds(), [blockId]));
      const own = app.approvalRow(blockId);
      assert.match(await text(own), /Sperr kunde/);
      assert.match(await text(own), /Kari Nordmann/);
      assert.equal(await own.getByTestId('approve-button').isDisabled(), true);
      assert.equal(await own.getByTestId('reject-button').isDisabled(), true);
      assert.equal(await text(own.getByTestId('approval-why-disabled')), 'Ditt eget forslag: en annen må godkjenne det.');
      await screenshot(app.page, 'console-block-own');

      // A lead, in another browser, in English, approves it.
      const lead = await newStaffMember(pool, { role: 'compliance_lead', name: 'Lea Lead', dataEncryptionKey: DATA_KEY });
      const other = second.app;
      await other.enrolAndSignIn({ ...lead, password: PASSWORD });
      await other.waitForHeading('Oversikt');
      await other.switchLanguage('EN');
      await other.goToSection('Approvals');
      const theirs = other.approvalRow(blockId);
      await eventually(async () => assert.match(await text(theirs), /Block customer/));
      assert.match(await text(theirs), /Ola Officer/);
      assert.match(await text(theirs), /Treff på sanksjonsliste bekreftet/);
      assert.equal(await theirs.getByTestId('withdraw-button').count(), 0, 'only the proposer withdraws');
      await theirs.getByTestId('approve-button').click();
      const dialog = other.page.locator('dialog[open]');
      await dialog.locator('textarea').fill('Agreed');
      await dialog.getByTestId('dialog-confirm').click();
      await eventually(async () =>
        assert.equal(await text(other.page.getByTestId('approval-done')), 'The proposal is approved and carried out.'),
      );
      assert.deepEqual(await customer(), { frozen: true, reason: 'Treff på sanksjonsliste bekreftet', transfer: 'held' });
      const leadsRow = await other.findCustomer(kari.userId);
      await eventually(async () => assert.match(await text(leadsRow.getByTestId('customer-blocked')), /^Blocked by compliance/));
      assert.match(await text(leadsRow.getByTestId('customer-blocked')), /Treff på sanksjonsliste bekreftet/);
      await screenshot(other.page, 'console-block-blocked');

      // The officer sees the block, proposes an unblock, and withdraws it from the Approvals page.
      row = await app.findCustomer(kari.userId);
      await eventually(async () => assert.match(await text(row.getByTestId('customer-blocked')), /^Sperret av etterlevelse/));
      await app.actOnCustomer(row, 'propose-unblock-button', 'Kunden har dokumentert midlene');
      await eventually(async () =>
        assert.match(await text(row.getByTestId('pending-block')), /^Oppheving av sperringen er foreslått av Ola Officer/),
      );
      const [unblockId] = await pendingIds();
      assert.ok(unblockId);
      await app.goToSection('Godkjenninger');
      const mine = app.approvalRow(unblockId);
      await eventually(async () => assert.equal(await mine.getByTestId('withdraw-button').count(), 1));
      await mine.getByTestId('withdraw-button').click();
      const withdraw = app.page.locator('dialog[open]');
      await withdraw.locator('textarea').fill('Venter på mer dokumentasjon');
      await withdraw.getByTestId('dialog-confirm').click();
      await eventually(async () => assert.equal(await text(app.page.getByTestId('approval-done')), 'Forslaget er trukket tilbake.'));
      await eventually(async () => assert.deepEqual(await app.approvalIds(), []));
      assert.deepEqual(await pendingIds(), []);
      const withdrawn = await pool.query(`SELECT status, decided_by, decision_note FROM four_eyes_requests WHERE id = $1`, [unblockId]);
      assert.deepEqual(withdrawn.rows[0], { status: 'withdrawn', decided_by: null, decision_note: 'Venter på mer dokumentasjon' });
      assert.equal((await customer())?.frozen, true, 'a withdrawn unblock unblocks nobody');
      row = await app.findCustomer(kari.userId);
      await eventually(async () => assert.equal(await row.getByTestId('propose-unblock-button').count(), 1));
      await screenshot(app.page, 'console-block-withdrawn');
      assert.deepEqual(await app.unexpectedProblems(first.problems), []);
      assert.deepEqual(await other.unexpectedProblems(second.problems), []);
    } finally {
      await first.context.close();
      await second.context.close();
    }
  });
  test('on the demo data: the case page shows the casework, and an officer proposes a block from the customer summary and withdraws it', async () => {
    const pool = bed.database.pool;
    const demo = await seedDemoData(pool, { actor: 'test' });
    const caseId = demo.cases.sanctionsInvestigating as string;
    const { app, context, problems } = await visitApp(bed, ConsoleApprovals, { viewport: WIDE_DESKTOP });
    try {
      const officer = await newStaffMember(pool, { role: 'compliance_officer', name: 'Olga Officer', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...officer, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await app.goToSection('Saker');
      await eventually(async () => assert.equal(await app.page.locator('[data-testid="case-table"] tbody tr').count(), 2));
      await screenshot(app.page, 'console-block-demo-cases');

      await app.goto(`/console/cases/${caseId}`);
      const summary = app.page.getByTestId('case-customer');
      await eventually(async () => assert.equal(await text(summary.getByTestId('case-customer-name')), 'Amir Khan'));
      assert.match(await text(app.page.getByTestId('case-alerts')), /sanctions|sanksjon/i);
      assert.match(await text(app.page.getByTestId('case-timeline-list')), /kopi av pass er bedt om/);
      await app.actOnCustomer(summary, 'propose-block-button', 'Sanksjonstreffet er bekreftet');
      await eventually(async () =>
        assert.match(await text(summary.getByTestId('pending-block')), /^Sperring er foreslått av Olga Officer/),
      );
      assert.equal(await summary.getByTestId('propose-block-button').count(), 0);
      await screenshot(app.page, 'console-block-case-page');

      await app.actOnCustomer(summary, 'withdraw-block-button', 'Feil sak');
      await eventually(async () => assert.equal(await text(summary.getByTestId('customer-block-done')), 'Forslaget er trukket tilbake.'));
      assert.equal(await summary.getByTestId('propose-block-button').count(), 1);
      const rows = await pool.query(`SELECT status FROM four_eyes_requests WHERE subject_id = $1`, [demo.users.onHold]);
      assert.deepEqual(
        rows.rows.map((row) => row.status),
        ['withdrawn'],
      );
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });
});
