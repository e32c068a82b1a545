/**
 * The customer app's privacy page, in a real Chromium against a real server: Kari reaches it from
 * her overview, sees the erasure request she sent earlier (received, with its due date), downloads
 * her data as JSON (her profile, her paid-out transfer) and as a ZIP with data.json and the
 * transfer's PDF receipt; each download then shows in her list as a completed request. The page
 * explains what deleting the account does; in English it reads in English; on a phone it fits.
 * Deleting the account itself is the erasure's own test (the button is only looked at here).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newId } from '@drop/db';
import { unzipSync } from 'fflate';
import { paidOutTransferOf } from '../support/paid-out-transfer.ts';
import { CustomerPrivacy } from './pages/customer-privacy.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp } from './support.ts';

describe('customer app: the privacy page', () => {
  const bed = useBrowserTestBed();

  /** A paid-out transfer of 2 500 kr to Anna Schmidt. */
  const paidOutTransfer = async (userId: string) => (await paidOutTransferOf(bed.database.pool, userId)).id;

  test('Kari downloads her data as JSON and as a ZIP with her receipt, and follows her requests', async () => {
    const kari = await visitApp(bed, CustomerPrivacy, { timezoneId: 'Europe/Oslo', acceptDownloads: true });
    const { page, app } = kari;
    try {
      const userId = await app.signInWithBankId('kari');
      const transferId = await paidOutTransfer(userId);
      // An erasure request she sent earlier, still waiting (due a month after it came in).
      await bed.database.pool.query(
        `INSERT INTO data_access_requests (id, user_id, type, created_at, due_at, notes)
         VALUES ($1, $2, 'erasure', '2026-11-20T10:00:00Z', '2026-12-20T10:00:00Z', 'staff-only note')`,
        [newId('dar'), userId],
      );

      await page.getByTestId('privacy-link').click();
      await page.waitForURL((url) => url.pathname === '/privacy');
      assert.equal(await text(app.heading()), 'Personvern');
      await eventually(async () => assert.deepEqual(await app.listedRequests(), ['erasure:received']));
      assert.equal(await text(app.requests().first().getByTestId('privacy-request-type')), 'Sletting av konto');
      assert.equal(await text(app.requests().first().getByTestId('privacy-request-status')), 'Mottatt');
      assert.equal(await text(app.requests().first().getByTestId('privacy-request-due')), '20. desember 2026');
      assert.ok(!(await text(page.locator('main'))).includes('staff-only note'), 'no staff notes');
      // What deleting the account does is said before the button.
      const deletion = page.getByTestId('privacy-delete');
      assert.match(await text(deletion), /Tilgangen stopper med en gang/);
      assert.match(await text(deletion), /fem år/);
      assert.equal(await text(deletion.getByTestId('privacy-delete-button')), 'Slett kontoen min');
      await screenshot(page, 'customer-privacy');

      const json = await app.download('json');
      assert.match(json.fileName, /^drop-data-export-\d{4}-\d{2}-\d{2}\.json$/);
      const exported = JSON.parse(new TextDecoder().decode(json.bytes)).data;
      assert.equal(exported.profile.id, userId);
      assert.deepEqual(
        exported.transfers.map((t: { id: string; status: string }) => [t.id, t.status]),
        [[transferId, 'paid_out']],
      );
      await eventually(async () => assert.deepEqual(await app.listedRequests(), ['export:completed', 'erasure:received']));
      assert.equal(await text(page.getByTestId('privacy-download-status')), 'Nedlastingen har startet.');

      const zip = await app.download('zip');
      assert.match(zip.fileName, /^drop-data-export-\d{4}-\d{2}-\d{2}\.zip$/);
      const files = unzipSync(zip.bytes);
      assert.deepEqual(Object.keys(files).sort(), ['data.json', `receipts/drop-receipt-${transferId}.pdf`]);
      assert.equal(new TextDecoder('latin1').decode(files[`receipts/drop-receipt-${transferId}.pdf`]?.subarray(0, 5)), '%PDF-');
      await eventually(async () =>
        assert.deepEqual(await app.listedRequests(), ['export:completed', 'export:completed', 'erasure:received']),
      );
      await screenshot(page, 'customer-privacy-after-downloads');

      await page.getByRole('button', { name: 'English', exact: true }).click();
      await eventually(async () => assert.equal(await text(app.heading()), 'Privacy'));
      assert.equal(await text(app.requests().last().getByTestId('privacy-request-type')), 'Account deletion');
      assert.equal(await text(app.requests().last().getByTestId('privacy-request-due')), '20 December 2026');
      assert.equal(await text(page.getByTestId('privacy-download-zip')), 'Download with receipts (ZIP)');
      await screenshot(page, 'customer-privacy-en');
      assert.deepEqual(await kari.problems.list(), []);
    } finally {
      await kari.context.close();
    }
  });

  test('on a phone, the page fits the screen', async () => {
    const ola = await visitApp(bed, CustomerPrivacy, { phone: true });
    const { page, app } = ola;
    try {
      await app.signInWithBankId('ola');
      await app.open('/privacy');
      await eventually(async () => assert.equal(await text(app.heading()), 'Personvern'));
      await page.getByText('Du har ingen forespørsler ennå.').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling');
      await screenshot(page, 'customer-privacy-phone');
    } finally {
      await ola.context.close();
    }
  });
});
