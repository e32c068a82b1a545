/**
 * The receipt of a paid-out transfer in the customer app, in a real Chromium against a real server:
 * Ola's transfer to Germany is made in the database the way real ones are (pay-in reserved, then
 * walked through the state machine to paid out, with the partner's payout recorded), and his
 * transfer page offers the PDF receipt in the language he reads; the download is a PDF that names
 * the transfer, its DRP reference, Ola's customer number, the partner's reference and Drop's company
 * details as configured (name, organisation number, address, licence). On a phone, in English, the
 * same in English, and the language Ola switched to is kept for his emails and receipts; then the payout
 * comes back from the recipient's bank: the receipt goes, the reason and where the money goes
 * are shown, and finally that it has been sent back.
 *
 * Sending money and KYC have their own tests; here the transfer and the verification are set up
 * directly in the database.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { transitionTransfer } from '@drop/core';
import type { BrowserContext, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { paidOutTransferOf } from '../support/paid-out-transfer.ts';
import { CustomerApp } from './pages/customer-app.ts';
import { CustomerTransfers } from './pages/customer-send.ts';
import { eventually, openWatchedPage, type PageProblems, screenshot, text, useBrowserTestBed } from './support.ts';

const RETURN_REASON = "The recipient's bank sent the payment back.";
const COMPANY = {
  COMPANY_NAME: 'Drop Betaling AS',
  COMPANY_ORG_NUMBER: '912 345 678',
  COMPANY_ADDRESS: 'Storgata 1, 0155 Oslo',
  COMPANY_LICENCE: 'Betalingsforetak med tillatelse fra Finanstilsynet',
};

describe('customer app: the receipt of a paid-out transfer', () => {
  const bed = useBrowserTestBed(COMPANY);

  interface Visit {
    context: BrowserContext;
    page: Page;
    app: CustomerApp;
    transfers: CustomerTransfers;
    problems: PageProblems;
  }

  async function visit(options: { phone?: boolean } = {}): Promise<Visit> {
    const { context, page, problems } = await openWatchedPage(bed.browser, {
      phone: options.phone,
      timezoneId: 'Europe/Oslo',
      acceptDownloads: true,
    });
    return { context, page, app: new CustomerApp(page, bed.origin), transfers: new CustomerTransfers(page, bed.origin), problems };
  }

  /** What went wrong on a visit's pages, less the BankID provider's missing favicon. */
  async function problemsOf(visit: Visit): Promise<string[]> {
    return (await visit.problems.list()).filter((problem) => !/status of 404 .*\/favicon\.ico\)$/.test(problem));
  }

  const paidOutTransfer = (userId: string) => paidOutTransferOf(bed.database.pool, userId);

  /** Clicks the receipt link and returns the downloaded file's name and bytes. */
  async function downloadReceipt(page: Page): Promise<{ fileName: string; bytes: Uint8Array }> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receipt-link').click()]);
    const file = await download.path();
    return { fileName: download.suggestedFilename(), bytes: new Uint8Array(await readFile(file)) };
  }

  /** The PDF's text, Intl's no-break spaces as plain ones and lines joined by single spaces. */
  async function pdfText(bytes: Uint8Array): Promise<string> {
    const { text: content } = await extractText(await getDocumentProxy(bytes.slice()), { mergePages: true });
    return content.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');
  }

  /** The transfer's reference and the customer's number, as the database issued them. */
  async function referencesOf(transferId: string): Promise<{ reference: string; customerNumber: string }> {
    const { rows } = await bed.database.pool.query(
      `SELECT t.reference, substr(u.customer_number, 1, 4) || ' ' || substr(u.customer_number, 5) AS customer_number
         FROM transactions t JOIN users u ON u.id = t.user_id WHERE t.id = $1`,
      [transferId],
    );
    return { reference: rows[0].reference, customerNumber: rows[0].customer_number };
  }

  function assertShows(content: string, pieces: readonly string[]): void {
    for (const piece of pieces) assert.ok(content.includes(piece), `the receipt shows "${piece}"\n${content}`);
  }

  const isPdf = (bytes: Uint8Array) => new TextDecoder('latin1').decode(bytes.subarray(0, 5)) === '%PDF-';

  async function noHorizontalScroll(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `no horizontal scrolling at ${page.viewportSize()?.width} px (${new URL(page.url()).pathname})`);
  }

  test('Ola downloads the PDF receipt of his paid-out transfer from its page, in Norwegian', async () => {
    const ola = await visit();
    const { page, app, transfers } = ola;
    try {
      const userId = await ola.app.signInWithBankId('ola');
      const { id: transferId, partnerReference } = await paidOutTransfer(userId);

      await app.open(`/transfers/${transferId}`);
      await transfers.waitForTransfer(transferId, 'paid_out');
      assert.equal(await text(transfers.statusBadge()), 'Utbetalt');
      assert.equal(await text(page.getByTestId('transfer-status-text')), 'Pengene er utbetalt til mottakeren.');
      const link = page.getByTestId('receipt-link');
      assert.equal(await text(link), 'Last ned kvittering (PDF)');
      assert.equal(await link.getAttribute('href'), `/api/transfers/${transferId}/receipt.pdf?lang=nb`);
      assert.equal(await link.getAttribute('download'), '');
      assert.equal(await text(page.locator('.footer-note')), 'Drop er under utvikling.');
      await noHorizontalScroll(page);
      await screenshot(page, 'customer-receipt-paid-out');

      const receipt = await downloadReceipt(page);
      assert.equal(receipt.fileName, `drop-receipt-${transferId}.pdf`);
      assert.ok(isPdf(receipt.bytes), 'the download is a PDF');
      const content = await pdfText(receipt.bytes);
      assert.ok(content.includes(transferId), 'the receipt names the transfer');
      assert.ok(content.includes(partnerReference), 'the receipt carries the partner’s reference');
      assert.match(content, /Kvittering/);
      assert.match(content, /Anna Schmidt/);
      const { reference, customerNumber } = await referencesOf(transferId);
      assertShows(content, [
        'Drop Betaling AS Kvittering',
        'Org.nr. 912 345 678 · Storgata 1, 0155 Oslo',
        'Betalingsforetak med tillatelse fra Finanstilsynet',
        `Referanse ${reference}`,
        `Transaksjons-ID ${transferId}`,
        `Kundenummer ${customerNumber}`,
        'Du sendte 2 500,00 kr',
        'Alle tidspunkter er norsk tid.',
      ]);
      assert.doesNotMatch(content, /000 000 000|Development/, 'no placeholder company details');

      assert.deepEqual(await problemsOf(ola), []);
    } finally {
      await ola.context.close();
    }
  });

  test('on a phone, in English: the receipt in English; then the payout comes back and the money goes back to Ola', async () => {
    const ola = await visit({ phone: true });
    const { page, app, transfers } = ola;
    try {
      const { id: transferId } = await paidOutTransfer(await ola.app.signInWithBankId('ola'));
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await eventually(async () => assert.equal(await page.locator('html').getAttribute('lang'), 'en'));

      await app.open(`/transfers/${transferId}`);
      await transfers.waitForTransfer(transferId, 'paid_out');
      const link = page.getByTestId('receipt-link');
      assert.equal(await text(link), 'Download receipt (PDF)');
      assert.equal(await link.getAttribute('href'), `/api/transfers/${transferId}/receipt.pdf?lang=en`);
      assert.equal(await text(page.locator('.footer-note')), 'Drop is in development.');
      await noHorizontalScroll(page);
      await screenshot(page, 'customer-receipt-paid-out-phone');
      await page.getByTestId('transfer-figures').evaluate((card) => card.scrollIntoView({ block: 'center' }));
      await screenshot(page, 'customer-receipt-link-phone', { fullPage: false });
      const receipt = await downloadReceipt(page);
      assert.ok(isPdf(receipt.bytes), 'the download is a PDF');
      const content = await pdfText(receipt.bytes);
      assert.ok(content.includes(transferId), 'the receipt names the transfer');
      assert.match(content, /Receipt/);
      const { reference, customerNumber } = await referencesOf(transferId);
      assertShows(content, [
        'Drop Betaling AS Receipt',
        'Org. no. 912 345 678 · Storgata 1, 0155 Oslo',
        'Betalingsforetak med tillatelse fra Finanstilsynet',
        `Reference ${reference}`,
        `Transaction ID ${transferId}`,
        `Customer number ${customerNumber}`,
        'You sent NOK 2,500.00',
        'All times are Norwegian time.',
      ]);
      assert.doesNotMatch(content, /Kvittering|Kundenummer/, 'nothing in Norwegian');
      // The language Ola switched to is kept for what Drop sends him later.
      await eventually(async () => {
        const { rows } = await bed.database.pool.query(
          'SELECT locale FROM users u JOIN transactions t ON t.user_id = u.id WHERE t.id = $1',
          [transferId],
        );
        assert.equal(rows[0].locale, 'en');
      });

      // The recipient's bank sends the payment back: no receipt now, the reason, and where the money goes.
      await transitionTransfer(bed.database.pool, { transactionId: transferId, to: 'failed', actor: 'test', failureReason: RETURN_REASON });
      await app.open(`/transfers/${transferId}`);
      await transfers.waitForTransfer(transferId, 'failed');
      assert.equal(await text(transfers.statusBadge()), 'Failed');
      assert.equal(
        await text(page.getByTestId('transfer-status-text')),
        'The transfer failed. We are sending the money back to the account you paid from.',
      );
      assert.equal(await text(page.getByTestId('transfer-failure-reason')), RETURN_REASON);
      assert.equal(await page.getByTestId('receipt-link').count(), 0, 'no receipt for a transfer that did not arrive');
      await noHorizontalScroll(page);
      await screenshot(page, 'customer-receipt-returned-phone');

      await transitionTransfer(bed.database.pool, { transactionId: transferId, to: 'refunded', actor: 'test' });
      await app.open(`/transfers/${transferId}`);
      await transfers.waitForTransfer(transferId, 'refunded');
      assert.equal(await text(transfers.statusBadge()), 'Refunded');
      assert.equal(await text(page.getByTestId('transfer-status-text')), 'The money has been paid back to you.');
      assert.equal(await page.getByTestId('receipt-link').count(), 0);
      await screenshot(page, 'customer-receipt-refunded-phone');

      assert.deepEqual(await problemsOf(ola), []);
    } finally {
      await ola.context.close();
    }
  });
});
