/**
 * No tipping off in the customer app (hvitvaskingsloven § 26), in a real Chromium against a real
 * server: Ola's transfer is held because screening matched his recipient to the OFAC list, he is
 * frozen, and screening also asked him for his source of funds as a PEP. His transfer page, his
 * list and his identity page say that the transfer is held for a check and ask where his money
 * comes from, in Norwegian and in English, and nothing on them (nor on his privacy page) names the alert, the rule, the
 * list, the freeze or its reason.
 *
 * The transfer, the alert and the freeze are set up in the database the way screening writes
 * them (apps/api/test/aml-screening.test.ts has the real screening end to end).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newId } from '@drop/db';
import { tracesIn } from '../support/tipping-off.ts';
import { CustomerApp } from './pages/customer-app.ts';
import { CustomerKyc } from './pages/customer-kyc.ts';
import { CustomerTransfers } from './pages/customer-send.ts';
import { eventually, openWatchedPage, screenshot, text, useBrowserTestBed } from './support.ts';

describe('customer app: a transfer held by AML', () => {
  const bed = useBrowserTestBed();

  /**
   * A transfer of 1 000 kr to a recipient named like a listed person, awaiting funds with its
   * pay-in reserved; then screening's work: a critical alert on it, Ola frozen with the match as
   * the reason (the containment trigger holds the transfer), and a PEP's EDD request.
   * Returns what must never reach Ola.
   */
  async function heldByScreening(userId: string): Promise<{ transferId: string; planted: string[] }> {
    const pool = bed.database.pool;
    await pool.query("UPDATE users SET kyc_status = 'approved', kyc_tier = 1 WHERE id = $1", [userId]);
    const recipient = newId('rcp');
    await pool.query(
      `INSERT INTO recipients (id, user_id, name, country, currency, rail, relationship, details, display)
       VALUES ($1, $2, 'Joaquin Guzman Loeraa', 'DE', 'EUR', 'iban', 'friend', '{"iban": "DE89370400440532013000"}', 'DE89 •••• •••• 3000')`,
      [recipient, userId],
    );
    const transferId = newId('tx');
    await pool.query(
      `INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor, receive_amount_minor,
                                 receive_currency, fx_rate, recipient_id)
       VALUES ($1, $2, 'transfer', 'awaiting_funds', 100000, 'NOK', 2900, 8273, 'EUR', 0.0852, $3)`,
      [transferId, userId, recipient],
    );
    await pool.query(
      `SELECT ledger_post($1, jsonb_build_array(jsonb_build_object('kind', 'pending', 'code', 'payin',
              'debit', ledger_system_account('bank', 'NOK', 0::smallint), 'credit', ledger_customer_account($2, 'NOK'),
              'amount', 100000::bigint, 'currency', 'NOK')))`,
      [transferId, userId],
    );
    const alertId = newId('alert');
    const frozenReason = `sanctions match: recipient ${recipient} on ofac-sdn:6861`;
    const eddReason = `PEP match: customer ${userId} is Minister of Something on os:Q4711`;
    await pool.query(
      `INSERT INTO aml_alerts (id, user_id, transaction_id, rule, severity, details, dedup_key)
       VALUES ($1, $2, $3, 'sanctions_match', 'critical', $4, $5)`,
      [
        alertId,
        userId,
        transferId,
        JSON.stringify({ list: 'ofac-sdn', key: '6861', name: 'Joaquin GUZMAN LOERA', summary: frozenReason }),
        `sanctions_match:recipient:${recipient}:6861`,
      ],
    );
    await pool.query(
      'UPDATE users SET aml_frozen_at = now(), aml_frozen_reason = $2, edd_required_at = now(), edd_reason = $3 WHERE id = $1',
      [userId, frozenReason, eddReason],
    );
    const reasons = await pool.query<{ reason: string }>(
      `SELECT DISTINCT reason FROM transfer_events WHERE transaction_id = $1 AND reason <> ''`,
      [transferId],
    );
    return {
      transferId,
      planted: [alertId, frozenReason, eddReason, 'sanctions_match', 'pep_match', 'ofac-sdn', ...reasons.rows.map((row) => row.reason)],
    };
  }

  test('Ola sees his transfer held for a check and is asked where his money comes from, and nothing more', async () => {
    const { context, page, problems } = await openWatchedPage(bed.browser, { timezoneId: 'Europe/Oslo' });
    const app = new CustomerApp(page, bed.origin);
    const transfers = new CustomerTransfers(page, bed.origin);
    const kyc = new CustomerKyc(page, bed.origin);
    try {
      const userId = await app.signInWithBankId('ola');
      const { transferId, planted } = await heldByScreening(userId);
      // All the page's text, shown or not (textContent: hidden text would reach the customer too).
      const shown = async () => (await page.locator('body').textContent()) ?? '';

      await app.open(`/transfers/${transferId}`);
      await transfers.waitForTransfer(transferId, 'held');
      assert.equal(await text(transfers.statusBadge()), 'Stanset for kontroll');
      assert.equal(
        await text(page.getByTestId('transfer-status-text')),
        'Overføringen er stanset for en kontroll. Vi tar kontakt hvis vi trenger noe fra deg.',
      );
      const timeline = await transfers.timeline();
      assert.deepEqual(
        timeline.map((entry) => entry.to),
        ['awaiting_funds', 'held'],
      );
      assert.match(timeline[1]?.meta ?? '', /automatisk$/, 'the hold was the system’s, and no more is said');
      assert.deepEqual(tracesIn(await shown(), planted), []);
      await screenshot(page, 'customer-held-transfer');

      await transfers.openList();
      const row = (await transfers.list()).find((listed) => listed.id === transferId);
      assert.equal(row?.badge, 'Stanset for kontroll');
      assert.deepEqual(tracesIn(await shown(), planted), []);

      // The identity page asks the source-of-funds question, without saying why.
      await kyc.open();
      await kyc.waitForStatus('approved');
      await page.getByTestId('sof-requested').waitFor();
      const question = (await page.getByTestId('sof-card').textContent()) ?? '';
      assert.deepEqual(tracesIn(question, planted), []);

      await page.getByRole('button', { name: 'English', exact: true }).click();
      await eventually(async () => assert.equal(await page.locator('html').getAttribute('lang'), 'en'));
      assert.deepEqual(tracesIn((await page.getByTestId('sof-card').textContent()) ?? '', planted), []);
      await app.open(`/transfers/${transferId}`);
      await transfers.waitForTransfer(transferId, 'held');
      assert.equal(await text(transfers.statusBadge()), 'Held for a check');
      assert.equal(
        await text(page.getByTestId('transfer-status-text')),
        'The transfer is held for a check. We will contact you if we need anything from you.',
      );
      assert.deepEqual(tracesIn(await shown(), planted), []);

      // The privacy page (his requests, downloads, deleting the account) says nothing of it either.
      await app.open('/privacy');
      await page.getByTestId('privacy-requests-card').getByText('You have no requests yet.').waitFor();
      assert.deepEqual(tracesIn(await shown(), planted), []);

      assert.deepEqual(
        (await problems.list()).filter((problem) => !/status of 404 .*\/favicon\.ico\)$/.test(problem)),
        [],
      );
    } finally {
      await context.close();
    }
  });
});
