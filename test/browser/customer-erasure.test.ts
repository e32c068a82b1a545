/**
 * Deleting the account from the privacy page, in a real Chromium against a real server: Ola
 * confirms in the dialog, lands signed out on the front page with the goodbye that says what is
 * kept and for how long, and the database shows what the runbook's erasure does (deleted_at, no
 * live session, a restricted erasure request due in a month); the old session answers 401.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CustomerPrivacy } from './pages/customer-privacy.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp } from './support.ts';

describe('customer app: deleting the account', () => {
  const bed = useBrowserTestBed();

  test('Ola deletes his account: signed out at once, restricted, the request recorded with its deadline', async () => {
    const ola = await visitApp(bed, CustomerPrivacy);
    const { page, app } = ola;
    try {
      const userId = await app.signInWithBankId('ola');
      await app.open('/privacy');
      await eventually(async () => assert.equal(await text(app.heading()), 'Personvern'));
      await page.getByTestId('privacy-delete-button').click();
      await page.getByTestId('privacy-delete-dialog').waitFor();
      await page.getByTestId('privacy-delete-confirm').click();

      await page.waitForURL((url) => url.pathname === '/');
      const notice = page.getByTestId('signin-notice');
      await eventually(async () => assert.match(await text(notice), /Vi har mottatt ønsket om å slette kontoen/));
      assert.match(await text(notice), /fem år/);
      await screenshot(page, 'customer-erasure-goodbye');

      const pool = bed.database.pool;
      const user = await pool.query('SELECT deleted_at FROM users WHERE id = $1', [userId]);
      assert.ok(user.rows[0].deleted_at, 'restricted at once');
      const live = await pool.query('SELECT 1 FROM sessions WHERE user_id = $1 AND revoked = 0', [userId]);
      assert.equal(live.rowCount, 0, 'every session ended');
      const request = await pool.query<{ status: string; days: number }>(
        `SELECT status, extract(day FROM due_at - created_at)::int AS days FROM data_access_requests WHERE user_id = $1 AND type = 'erasure'`,
        [userId],
      );
      assert.equal(request.rows[0]?.status, 'restricted');
      assert.ok((request.rows[0]?.days ?? 0) >= 28, 'due in a month');
      const me = await page.evaluate(async () => (await fetch('/api/me')).status);
      assert.equal(me, 401, 'the old session is dead');
      assert.deepEqual(await ola.problems.list(), []);
    } finally {
      await ola.context.close();
    }
  });
});
