/**
 * The customer's email address and email choices (issue 16), in a real Chromium against a real
 * server, with every code read back from the local SMTP capture: Kari adds her address from the
 * home page's card, gets a wrong code refused and the right one accepted, chooses her emails (and
 * the transfer emails follow the choice over real SMTP), then changes the address, which keeps
 * the old one until the new one is proven and tells the old one. Then the same pages in English
 * on a phone. And Emma, 15, signing in with BankID: a kind page in Norwegian and English, no
 * account, no session, the reason in the audit log.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { sendTransferEmail } from '@drop/core';
import { SmtpMailer } from '@drop/integrations';
import type { Page } from 'playwright-core';
import { paidOutTransferOf } from '../support/paid-out-transfer.ts';
import { BankIdTestProvider } from './pages/bankid-test-provider.ts';
import { CustomerApp } from './pages/customer-app.ts';
import { CustomerEmail } from './pages/customer-email.ts';
import { eventually, openWatchedPage, screenshot, text, useBrowserTestBed } from './support.ts';

describe('customer email and the age limit', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') });

  /** The six digits of the newest code mailed to `to` since `since`. */
  async function codeSentTo(to: string, since: Date): Promise<string> {
    const capture = bed.server.mailCapture;
    assert.ok(capture, 'the server captures mail');
    const mail = await capture.waitFor((m) => m.to.includes(to) && m.receivedAt >= since && /\d{6}/.test(m.subject), 10_000);
    const code = /(\d{6})/.exec(mail.subject)?.[1];
    assert.ok(code);
    return code;
  }

  const userRow = async (userId: string) =>
    (
      await bed.database.pool.query<{ email: string | null; notify_funds_received: boolean; notify_paid_out: boolean }>(
        'SELECT email, notify_funds_received, notify_paid_out FROM users WHERE id = $1',
        [userId],
      )
    ).rows[0];

  async function problemsOf(page: Page, problems: { list(): Promise<string[]> }): Promise<string[]> {
    void page;
    // Chromium logs every 4xx it is answered as a failed resource; the refusals here are on purpose.
    return (await problems.list()).filter(
      (problem) => !/status of (400|422) .*\/api\/me\/email/.test(problem) && !/status of 404 .*\/favicon\.ico\)$/.test(problem),
    );
  }

  test('Kari adds her address from the home page, proves it, chooses her emails, and changes it', async () => {
    const { context, page, problems } = await openWatchedPage(bed.browser);
    const app = new CustomerApp(page, bed.origin);
    const email = new CustomerEmail(page, bed.origin);
    try {
      const userId = await app.signInWithBankId('kari');

      // Getting started: the home page asks for the address beside the identity check.
      const card = email.homeCard();
      await eventually(async () => assert.equal(await card.getAttribute('data-state'), 'missing'));
      assert.match(await text(email.homeText()), /Legg til e-postadressen din/);
      await screenshot(page, 'customer-email-home-missing', { fullPage: false });
      await email.homeAction().click();
      await email.waitForPage();
      assert.equal(await text(app.heading()), 'E-post og varsler');
      assert.equal(await email.preference('fundsReceived').isDisabled(), true, 'no choices before an address is proven');
      await screenshot(page, 'customer-email-add');

      // A bad address is refused by the server, in words.
      await email.sendCodeTo('kari@');
      assert.match(await text(email.addressError()), /Skriv en gyldig e-postadresse/);
      assert.equal((await userRow(userId))?.email, null);

      const asked = new Date();
      await email.sendCodeTo('kari.nordmann@example.no');
      await email.codeInput().waitFor();
      assert.match(await text(email.codeSent()), /Vi har sendt en kode til kari\.nordmann@example\.no\./);
      assert.equal(await email.resendButton().isDisabled(), true, 'a new code only after a minute');
      const code = await codeSentTo('kari.nordmann@example.no', asked);
      await screenshot(page, 'customer-email-code');

      await email.enterCode(code === '000000' ? '000001' : '000000');
      assert.equal(await text(email.codeError()), 'Koden stemmer ikke. Du har 4 forsøk igjen.');
      assert.equal((await userRow(userId))?.email, null, 'a wrong code changes nothing');

      await email.enterCode(code);
      await email.verifiedNotice().waitFor();
      assert.equal(await text(email.verifiedNotice()), 'Takk! E-post fra Drop går nå til kari.nordmann@example.no.');
      assert.equal(await text(email.current()), 'kari.nordmann@example.no');
      assert.equal((await userRow(userId))?.email, 'kari.nordmann@example.no');
      await screenshot(page, 'customer-email-verified');

      // Her choices: no "paid out" emails. A failed payout and its refund are not a choice.
      assert.equal(await email.preference('always').isDisabled(), true);
      assert.equal(await email.preference('always').isChecked(), true);
      await email.preference('paidOut').uncheck();
      await eventually(async () => assert.equal(await text(email.preferencesSaved()), 'Lagret'));
      assert.equal(await email.preference('paidOut').isChecked(), false);
      assert.deepEqual(await userRow(userId), { email: 'kari.nordmann@example.no', notify_funds_received: true, notify_paid_out: false });

      // ... and the transfer emails follow them, over the server's real SMTP.
      const capture = bed.server.mailCapture;
      assert.ok(capture);
      const mailer = new SmtpMailer({ url: capture.url, from: 'Drop <hei@drop.no>' });
      const { id } = await paidOutTransferOf(bed.database.pool, userId);
      const appUrl = bed.origin;
      assert.equal(await sendTransferEmail(bed.database.pool, mailer, { transactionId: id, kind: 'paid_out', appUrl }), 'opted_out');
      assert.equal(await sendTransferEmail(bed.database.pool, mailer, { transactionId: id, kind: 'funds_received', appUrl }), 'sent');
      const received = await capture.waitFor((m) => m.headers['x-drop-transfer'] === id);
      assert.deepEqual(received.to, ['kari.nordmann@example.no']);
      assert.equal(capture.messages().filter((m) => m.headers['x-drop-transfer'] === id).length, 1, 'no paid-out email');

      // The home page now says where the emails go.
      await page.goto(`${bed.origin}/home`);
      await eventually(async () => assert.equal(await card.getAttribute('data-state'), 'verified'));
      assert.match(await text(email.homeText()), /kari\.nordmann@example\.no/);

      // A change: the old address keeps getting mail until the new one is proven.
      await email.homeAction().click();
      await email.waitForPage();
      await email.changeButton().click();
      const changeAt = new Date();
      await email.sendCodeTo('kari@nordmann.example');
      await email.codeInput().waitFor();
      assert.match(await text(email.keepsOld()), /sender vi fortsatt e-post til kari\.nordmann@example\.no/);
      assert.equal((await userRow(userId))?.email, 'kari.nordmann@example.no');
      await screenshot(page, 'customer-email-change');
      const newCode = await codeSentTo('kari@nordmann.example', changeAt);
      await email.enterCode(newCode);
      await eventually(async () => assert.equal(await text(email.current()), 'kari@nordmann.example'));
      assert.equal((await userRow(userId))?.email, 'kari@nordmann.example');
      const notice = await capture.waitFor((m) => m.to.includes('kari.nordmann@example.no') && m.receivedAt >= changeAt);
      assert.equal(notice.subject, 'E-postadressen din hos Drop er endret');

      assert.deepEqual(await problemsOf(page, problems), []);
    } finally {
      await context.close();
    }
  });

  test('Ola adds his address in English on a phone, and the wait before a new code is shown', async () => {
    const { context, page, problems } = await openWatchedPage(bed.browser, { phone: true });
    await context.addInitScript(() => localStorage.setItem('drop.locale', 'en'));
    const app = new CustomerApp(page, bed.origin);
    const email = new CustomerEmail(page, bed.origin);
    try {
      await app.open('/');
      await app.heroSignIn().click();
      const provider = new BankIdTestProvider(page);
      await provider.waitUntilShown();
      await provider.signInAs('ola', 'bid');
      assert.equal(await app.waitForHome(), 'Hi, Ola!');
      await eventually(async () => assert.equal(await email.homeCard().getAttribute('data-state'), 'missing'));
      await screenshot(page, 'customer-email-home-missing-en-phone');
      await email.homeAction().click();
      await email.waitForPage();
      assert.equal(await text(app.heading()), 'E-mail and notifications');
      await screenshot(page, 'customer-email-add-en-phone');

      const asked = new Date();
      await email.sendCodeTo('ola@example.no');
      await email.codeInput().waitFor();
      const code = await codeSentTo('ola@example.no', asked);
      const mail = bed.server.mailCapture?.messages().find((m) => m.to.includes('ola@example.no'));
      assert.equal(mail?.subject, `${code} is your Drop code`, 'the code comes in the language the app was in');
      assert.match(await text(email.resendButton()), /^New code in \d+ s$/);
      await screenshot(page, 'customer-email-code-en-phone');

      // The home card leads back to the code while one is waiting.
      await page.goto(`${bed.origin}/home`);
      await eventually(async () => assert.equal(await email.homeCard().getAttribute('data-state'), 'pending'));
      assert.equal(await text(email.homeText()), 'Enter the code we sent to ola@example.no.');
      await email.homeAction().click();
      await email.enterCode(code);
      await email.verifiedNotice().waitFor();
      assert.equal(await text(email.verifiedNotice()), 'Thank you! E-mail from Drop now goes to ola@example.no.');
      await screenshot(page, 'customer-email-verified-en-phone');
      assert.deepEqual(await problemsOf(page, problems), []);
    } finally {
      await context.close();
    }
  });

  test('Emma, 15, is told kindly that Drop is for adults, in Norwegian and English, on desktop and phone; nothing is created', async () => {
    for (const phone of [false, true]) {
      const { context, page, problems } = await openWatchedPage(bed.browser, { phone });
      const app = new CustomerApp(page, bed.origin);
      try {
        await app.open('/');
        await app.heroSignIn().click();
        const provider = new BankIdTestProvider(page);
        await provider.waitUntilShown();
        await provider.signInAs('minor', 'bid');
        await page.waitForURL((url) => url.pathname === '/age-limit');
        await page.getByTestId('age-limit').waitFor();
        assert.equal(await text(app.heading()), 'Drop er for deg som er 18 år eller eldre');
        assert.match(await text(page.getByTestId('age-limit-lead')), /BankID viser at du ikke har fylt 18 år ennå/);
        assert.match(await text(page.getByTestId('age-limit')), /Du er hjertelig velkommen tilbake når du har fylt 18 år/);
        await screenshot(page, `customer-age-limit-nb-${phone ? 'phone' : 'desktop'}`);
        // Not signed in: /api/me answers 401, and the account pages send her to the front page.
        assert.equal(await page.evaluate(async () => (await fetch('/api/me')).status), 401);

        await page.getByRole('button', { name: 'English', exact: true }).click();
        await eventually(async () => assert.equal(await text(app.heading()), 'Drop is for people aged 18 or over'));
        await screenshot(page, `customer-age-limit-en-${phone ? 'phone' : 'desktop'}`);
        await page.getByTestId('age-limit-back').click();
        await app.waitForLanding();
        assert.deepEqual(
          (await problems.list()).filter((problem) => !/status of 404 .*\/favicon\.ico\)$/.test(problem)),
          [],
        );
      } finally {
        await context.close();
      }
    }
    const users = await bed.database.pool.query("SELECT 1 FROM users WHERE given_name = 'Emma'");
    assert.equal(users.rowCount, 0, 'no customer');
    const refusals = await bed.database.pool.query<{ details: { reason: string; age: number } }>(
      "SELECT details FROM audit_log WHERE action = 'signup_refused' ORDER BY seq",
    );
    assert.deepEqual(
      refusals.rows.map((row) => [row.details.reason, row.details.age]),
      [
        ['under_age', 15],
        ['under_age', 15],
      ],
    );
  });
});
