/**
 * Transfers in the console, end to end in a real Chromium against a real server with the demo
 * data: support signs in with password and TOTP, opens Transfers, sees the runbook's lists as tabs
 * (the same rows in the same order as the runbook's SQL), finds the failed transfer with the
 * customer's email, and opens it to see the figures, where the money is (the bank payment that
 * funded it with its KID, the partner's failed payout, the refund owed to the customer: the demo's
 * real flows made each), the timeline and the
 * ledger postings. On a phone the pages fit the screen; an admin sees the ledger check.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { type DemoSeedResult, type StaffRole, seedDemoData } from '@drop/core';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleTransfers } from './pages/console-transfers.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';
const RUNBOOK = new URL('../fixtures/runbook-statements.sql', import.meta.url);
/** The account Jonas Bakke paid from in the demo (packages/core/src/demo): the console shows only its last four digits. */
const PAYER_ACCOUNT = '15030012346';

/** The runbook statement (operations runbook 6.3) that starts with `start`, as an operator pastes it. */
function runbook(start: string): string {
  const statements = readFileSync(RUNBOOK, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.replace(/\s+/g, ' ').trim());
  const found = statements.filter((statement) => statement.startsWith(start));
  assert.equal(found.length, 1, `one runbook statement starts with ${start}`);
  return found[0] as string;
}

describe('console: transfers for support and compliance', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });
  let demo: DemoSeedResult;
  const tx = (key: string) => demo.transactions[key] as string;

  before(async () => {
    demo = await seedDemoData(bed.database.pool, { actor: 'test' });
    assert.equal(demo.created, true);
  });

  const visit = (viewport = WIDE_DESKTOP) => visitApp(bed, ConsoleTransfers, { viewport });

  /** A new staff member, enrolled through the enrolment page and signed in with password and a TOTP code. */
  async function signedIn(app: ConsoleTransfers, role: StaffRole, name: string): Promise<void> {
    const staff = await newStaffMember(bed.database.pool, { role, name, dataEncryptionKey: DATA_KEY });
    await app.enrolAndSignIn({ ...staff, password: PASSWORD });
    await app.waitForHeading('Oversikt');
  }

  const runbookIds = async (sql: string) => (await bed.database.pool.query(sql)).rows.map((row) => row.id as string);

  test('support sees the runbook’s lists, finds the failed transfer with the customer’s email, and opens its timeline and postings', async () => {
    const { context, app, problems } = await visit();
    try {
      await signedIn(app, 'support', 'Sofie Support');
      assert.deepEqual(await app.navLinks(), ['Oversikt', 'Kunder', 'Overføringer', 'Innbetalinger', 'Dataforespørsler']);

      await app.goToSection('Overføringer');
      assert.equal(app.pathname(), '/console/transfers');
      // Last 24 hours: exactly the runbook's rows, in its order.
      const recent = await runbookIds(
        runbook(
          "SELECT id, type, status, send_amount, send_currency, created_at FROM transactions WHERE created_at > NOW() - INTERVAL '24 hours'",
        ),
      );
      assert.deepEqual(recent, Object.values(demo.transactions).reverse(), 'every demo transfer was made today, newest first');
      await app.waitForList(recent);
      assert.equal(await app.tab('Siste 24 timer').getAttribute('aria-current'), 'page');

      await app.openTab('Feilet', 'failed');
      assert.equal(new URL(app.page.url()).search, '?view=failed', 'the tab is in the address');
      const failed = await runbookIds(runbook('SELECT t.*, u.email FROM transactions t JOIN users u'));
      assert.deepEqual(failed, [tx('failed')]);
      await app.waitForList(failed);
      const row = app.transferRow(tx('failed'));
      assert.match(await text(row), /Jonas Bakke/);
      assert.match(await text(row), /jonas\.bakke@example\.no/);
      assert.equal(await text(row.getByTestId('transfer-status')), 'Feilet');
      assert.match(await text(row), /Utbetalingspartneren kunne ikke betale mottakeren/);
      assert.match(await text(row.getByTestId('transfer-send')), /^4\s200,00\skr$/);
      assert.match(await text(row.getByTestId('transfer-receive')), /^15\s349,24\sTRY$/);
      await screenshot(app.page, 'console-transfers-failed');

      await app.openTransfer(tx('failed'));
      assert.equal(app.pathname(), `/console/transfers/${tx('failed')}`);
      assert.equal(await text(app.status()), 'Feilet');
      assert.match(await text(app.page.getByTestId('failure-reason')), /Utbetalingspartneren kunne ikke betale mottakeren\./);
      assert.match(await text(app.figure('send')), /^4\s200,00\skr$/);
      assert.match(await text(app.figure('fee')), /^60,00\skr$/);
      assert.match(await text(app.figure('receive')), /^15\s349,24\sTRY$/);
      assert.equal(await text(app.customerCard().getByTestId('customer-email')), 'jonas.bakke@example.no');
      assert.match(await text(app.recipientCard()), /Ayşe Yılmaz/);

      // Where the money is: Jonas's payment arrived with the transfer's KID (from an account shown
      // only by its last digits), the partner's payout failed, and the refund to his account waits to be sent.
      const facts = (
        await bed.database.pool.query<{ kid: string; reference: string; partner_reference: string }>(
          `SELECT t.kid, e.reference, p.partner_reference FROM transactions t
             JOIN bank_entries e ON e.transaction_id = t.id JOIN payouts p ON p.transaction_id = t.id WHERE t.id = $1`,
          [tx('failed')],
        )
      ).rows[0];
      assert.ok(facts);
      const payIn = app.page.getByTestId('transfer-payin');
      assert.match(await text(payIn.getByTestId('transfer-kid')), new RegExp(facts.kid));
      const entry = payIn.getByTestId('bank-entry');
      assert.equal(await entry.count(), 1);
      assert.match(await text(entry.getByTestId('bank-entry-amount')), /^4\s200,00\skr$/);
      assert.equal(await text(entry.getByTestId('bank-entry-status')), 'Koblet med KID');
      assert.match(await text(entry.getByTestId('bank-entry-payer')), /^Jonas Bakke\s*·\s*•••• 2346$/);
      assert.match(await text(entry), new RegExp(facts.reference));
      const payoutCard = app.page.getByTestId('transfer-payout');
      assert.equal(await payoutCard.getAttribute('data-state'), 'failed');
      assert.equal(await text(payoutCard.getByTestId('payout-state')), 'Feilet');
      assert.equal(await text(payoutCard.getByTestId('payout-reference')), facts.partner_reference);
      assert.match(await text(payoutCard), /bounced_back/);
      const refund = app.page.getByTestId('transfer-refund');
      assert.equal(await refund.getAttribute('data-state'), 'pending');
      assert.equal(await text(refund.getByTestId('refund-state')), 'Venter på å bli sendt');
      assert.match(await text(refund.getByTestId('refund-amount')), /^4\s200,00\skr$/);
      assert.equal(await text(refund.getByTestId('refund-to')), '•••• 2346');
      assert.doesNotMatch(await text(app.page.locator('body')), new RegExp(PAYER_ACCOUNT), 'the paying account is never shown whole');

      // The timeline: created by the customer, then each step of the real flows, with who did it.
      const steps = await app.timelineEntries().evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-to')));
      assert.deepEqual(steps, ['awaiting_funds', 'funds_received', 'processing', 'failed']);
      assert.match(await text(app.timelineEntries().last()), /Utbetales\s*→\s*Feilet/);
      // The payout partner's failure came in through the payouts (system:payouts), named in words.
      assert.equal(await text(app.timelineEntries().last().getByTestId('timeline-actor')), 'Utbetalingene (system)');

      // Every posting, where the money went: reserved, received, fee and conversion, payout reserved, then all reversed.
      const postings = await app.postings();
      assert.deepEqual(postings.slice(0, 2), ['payin:pending', 'payin_received:post_pending']);
      assert.deepEqual(postings.slice(2, 5).sort(), ['conversion:posted', 'fee:posted', 'payout:pending']);
      assert.deepEqual(postings.slice(5).sort(), ['conversion_reversal:posted', 'fee_reversal:posted', 'payout_failed:void_pending']);
      const payout = app.page.locator('[data-testid="posting-row"][data-code="payout"]');
      assert.match(await text(payout), /Valutaposisjon TRY.*Utbetalingspartner TRY/);
      assert.match(await text(payout.getByTestId('posting-amount')), /^15\s349,24\sTRY$/);
      const fee = app.page.locator('[data-testid="posting-row"][data-code="fee"]');
      assert.match(await text(fee), /Kundens midler NOK.*Gebyrinntekter NOK/);
      await screenshot(app.page, 'console-transfer-failed-detail');

      // Back to the same tab.
      await app.back();
      assert.equal(new URL(app.page.url()).search, '?view=failed');
      await app.waitForList(failed);

      await app.openTab('Over 50 000 kr', 'large');
      const large = await runbookIds(runbook('SELECT * FROM transactions WHERE send_amount > 50000'));
      assert.deepEqual(large, [tx('large'), tx('largePaid')]);
      await app.waitForList(large);
      await app.openTab('Holdt tilbake', 'held');
      await app.waitForList([tx('large'), tx('onHoldUser')]);
      await screenshot(app.page, 'console-transfers-held');

      // From a customer to their transfers.
      await app.goToSection('Kunder');
      await app.searchCustomers('Jonas');
      await screenshot(app.page, 'console-transfers-customer-search');
      await app.customerRows().first().getByTestId('customer-transfers').click();
      await app.waitForHeading('Overføringer');
      await eventually(async () => assert.match(await text(app.page.getByTestId('customer-filter')), /Jonas Bakke/));
      await app.waitForList([tx('refunded'), tx('failed'), tx('large'), tx('processing')]);
      await screenshot(app.page, 'console-transfers-customer');
      await app.openTab('Feilet', 'failed');
      await app.waitForList([tx('failed')]);
      await app.openTab('Siste 24 timer', 'recent');
      await app.page.getByRole('link', { name: 'Vis alle kunder' }).click();
      await app.waitForList(recent);

      // The ledger is for admins: a deep link says so.
      await app.goto('/console/ledger');
      await app.waitForHeading('Ingen tilgang');

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('on a phone: the list and the transfer page fit the screen; English works', async () => {
    const { context, app, problems } = await visit({ width: 390, height: 844 });
    try {
      await signedIn(app, 'compliance_officer', 'Camilla Compliance');
      await app.goto(`/console/transfers?view=failed`);
      await app.waitForHeading('Overføringer');
      await app.waitForList([tx('failed')]);
      await screenshot(app.page, 'console-transfers-failed-mobile');
      assert.equal(await app.sidewaysOverflow(), 0, `the list does not scroll sideways: ${(await app.overflowingElements()).join(', ')}`);

      await app.openTransfer(tx('failed'));
      await eventually(async () => assert.equal(await app.postingRows().count(), 8));
      await screenshot(app.page, 'console-transfer-failed-detail-mobile');
      await app.page.getByTestId('transfer-figures').evaluate((figures) => figures.scrollIntoView({ block: 'center' }));
      await screenshot(app.page, 'console-transfer-failed-figures-mobile', { fullPage: false });
      await app.postingRows().first().scrollIntoViewIfNeeded();
      await screenshot(app.page, 'console-transfer-failed-postings-mobile', { fullPage: false });
      assert.equal(
        await app.sidewaysOverflow(),
        0,
        `the transfer page does not scroll sideways: ${(await app.overflowingElements()).join(', ')}`,
      );

      await app.switchLanguage('EN');
      await app.waitForHeading('Transfer');
      assert.equal(await text(app.status()), 'Failed');
      assert.ok(await app.page.getByRole('heading', { name: 'Ledger postings' }).isVisible());
      assert.match(await text(app.figure('send')), /^NOK\s4,200\.00$/);
      await app.switchLanguage('NB');

      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('admin: the ledger check holds on the demo data, with balances per purpose and currency', async () => {
    const { context, app, problems } = await visit();
    try {
      await signedIn(app, 'admin', 'Ada Admin');
      await app.goToSection('Hovedbok');
      await eventually(async () =>
        assert.equal(await text(app.page.getByTestId('ledger-status')), 'Hovedboken stemmer: alle invarianter holder.'),
      );
      const purposes = await bed.database.pool.query('SELECT DISTINCT purpose, currency FROM ledger_accounts');
      await eventually(async () => assert.equal(await app.page.getByTestId('balance-row').count(), purposes.rowCount));
      await screenshot(app.page, 'console-ledger');
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });
});
