/**
 * Human references in a real Chromium against a real server: Ola's transfer carries a reference a
 * person can read aloud (DRP-7K3-92QX) on his transfer list and on the transfer's page, and his
 * overview shows his customer number; support finds the transfer by that reference typed in lower
 * case without dashes, and Ola by his customer number typed with a dash, while a reference with a
 * wrong check character finds nothing. Norwegian and English, desktop and phone.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { paidOutTransferOf } from '../support/paid-out-transfer.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleTransfers } from './pages/console-transfers.ts';
import { CustomerApp } from './pages/customer-app.ts';
import { eventually, PHONE, screenshot, text, useBrowserTestBed, visitApp, WIDE_DESKTOP } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

describe('human references: a transfer reference and a customer number', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });
  let transferId = '';
  let reference = '';
  let customerNumber = '';

  async function referencesOf(userId: string, id: string): Promise<void> {
    const { rows } = await bed.database.pool.query(
      'SELECT t.reference, u.customer_number FROM transactions t JOIN users u ON u.id = t.user_id WHERE t.id = $1 AND u.id = $2',
      [id, userId],
    );
    reference = rows[0].reference;
    customerNumber = rows[0].customer_number;
    assert.match(reference, /^DRP-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{4}$/);
    assert.match(customerNumber, /^\d{8}$/);
  }

  test('Ola sees the reference on his transfers and his customer number, in Norwegian on a desktop', async () => {
    const { context, page, app, problems } = await visitApp(bed, CustomerApp);
    try {
      const userId = await app.signInWithBankId('ola');
      transferId = (await paidOutTransferOf(bed.database.pool, userId)).id;
      await referencesOf(userId, transferId);

      await app.open('/home');
      await eventually(async () =>
        assert.equal(await text(app.profile().customerId), `${customerNumber.slice(0, 4)} ${customerNumber.slice(4)}`),
      );
      assert.match(await text(page.getByTestId('profile-card')), /Kundenummer/);

      await app.open('/transfers');
      const row = page.locator(`[data-testid="transfer-row"][data-id="${transferId}"]`);
      await eventually(async () => assert.equal(await text(row.getByTestId('transfer-row-reference')), reference));
      await screenshot(page, 'references-customer-transfers');

      await app.open(`/transfers/${transferId}`);
      await eventually(async () => assert.equal(await text(page.getByTestId('transfer-reference')), reference));
      assert.doesNotMatch(await text(page.getByTestId('transfer-figures')), /tx_/, 'the internal id is not what the customer reads');
      await screenshot(page, 'references-customer-transfer');
      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });

  test('in English on a phone, the same reference and number', async () => {
    const { context, page, app, problems } = await visitApp(bed, CustomerApp, { phone: true });
    try {
      await app.signInWithBankId('ola');
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await eventually(async () => assert.equal(await page.locator('html').getAttribute('lang'), 'en'));
      await app.open(`/transfers/${transferId}`);
      await eventually(async () => assert.equal(await text(page.getByTestId('transfer-reference')), reference));
      assert.match(await text(page.getByTestId('transfer-figures')), /Reference/);
      await screenshot(page, 'references-customer-transfer-phone-en');
      await app.open('/home');
      await eventually(async () =>
        assert.equal(await text(app.profile().customerId), `${customerNumber.slice(0, 4)} ${customerNumber.slice(4)}`),
      );
      assert.match(await text(page.getByTestId('profile-card')), /Customer number/);
      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });

  test('support finds the transfer by its reference in lower case without dashes, and Ola by his number', async () => {
    const { context, page, app, problems } = await visitApp(bed, ConsoleTransfers, { viewport: WIDE_DESKTOP });
    try {
      const staff = await newStaffMember(bed.database.pool, { role: 'support', name: 'Sofie Support', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...staff, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      await app.goToSection('Overføringer');

      const typed = reference.replaceAll('-', '').toLowerCase();
      await page.locator('#transfer-search').fill(typed);
      await page.getByTestId('transfer-search').getByRole('button', { name: 'Søk' }).click();
      await eventually(async () => assert.equal(new URLSearchParams(new URL(page.url()).search).get('query'), typed));
      await app.waitForList([transferId]);
      assert.equal(await text(app.transferRow(transferId).getByTestId('transfer-reference')), reference);
      assert.match(await text(page.getByTestId('transfer-count')), /1 overføring funnet/);
      await screenshot(page, 'references-console-search');

      await app.openTransfer(transferId);
      assert.equal(await text(page.getByTestId('transfer-reference')), reference);
      await app.back();
      await app.waitForList([transferId]);

      // One character off: the check character catches it, and nothing is found.
      const last = reference.slice(-1);
      const typo = `${reference.slice(0, -1)}${ALPHABET[(ALPHABET.indexOf(last) + 1) % ALPHABET.length]}`;
      await page.locator('#transfer-search').fill(typo);
      await page.getByTestId('transfer-search').getByRole('button', { name: 'Søk' }).click();
      await app.waitForList([]);
      assert.match(await text(page.getByTestId('transfer-table')), /kontrolltegn/);

      await app.goToSection('Kunder');
      const dashed = `${customerNumber.slice(0, 4)}-${customerNumber.slice(4)}`;
      await page.locator('#customer-search').fill(dashed);
      await page.getByRole('button', { name: 'Søk', exact: true }).click();
      const customer = page.getByTestId('customer-row');
      await eventually(async () => assert.equal(await customer.count(), 1));
      assert.equal(await text(customer.getByTestId('customer-number')), `${customerNumber.slice(0, 4)} ${customerNumber.slice(4)}`);
      await screenshot(page, 'references-console-customer');

      await page.setViewportSize(PHONE);
      await app.goToSection('Overføringer');
      await page.locator('#transfer-search').fill(reference);
      await page.getByTestId('transfer-search').getByRole('button', { name: 'Søk' }).click();
      await app.waitForList([transferId]);
      await screenshot(page, 'references-console-search-phone');

      // In English on a desktop: the same search, in English words.
      await page.setViewportSize(WIDE_DESKTOP);
      await app.switchLanguage('EN');
      await eventually(async () => assert.match(await text(page.getByTestId('transfer-count')), /^1 transfer found for “DRP-/));
      assert.equal(
        await page.locator('#transfer-search').getAttribute('placeholder'),
        'Reference (DRP-7K3-92QX), KID, tx_… or customer number',
      );
      await screenshot(page, 'references-console-search-en');
      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });
});
