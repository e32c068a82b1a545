/**
 * Signing in to the customer app with BankID, end to end in a real Chromium: the landing page's
 * form post, the local BankID test provider, the callback's session cookie, `/home` and
 * `/sessions`, signing out (and the old cookie no longer working), a runbook revocation in the
 * database, a too-weak BankID method, and cancelling at BankID.
 *
 * The server's PUBLIC_URL is `http://localhost:<port>` and the browser goes exactly there: the
 * BankID redirect URI is built from it, and `__Host-` cookies need a secure context, which
 * Chromium grants to localhost over plain http.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { type BankIdMethodId, BankIdTestProvider } from './pages/bankid-test-provider.ts';
import { CustomerApp } from './pages/customer-app.ts';
import { eventually, openWatchedPage, type PageProblems, screenshot, text, useBrowserTestBed } from './support.ts';

const SESSION_COOKIE = '__Host-drop_session';

/** A port nothing listens on right now (the server binds it a moment later). */
async function _freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('customer sign-in with BankID', () => {
  const bed = useBrowserTestBed();

  interface Visit {
    context: BrowserContext;
    page: Page;
    app: CustomerApp;
    provider: BankIdTestProvider;
    problems: PageProblems;
  }

  const IPHONE_SAFARI =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

  async function visit(options: { phone?: boolean } = {}): Promise<Visit> {
    const { context, page, problems } = await openWatchedPage(bed.browser, {
      phone: options.phone,
      userAgent: options.phone ? IPHONE_SAFARI : undefined,
    });
    return { context, page, app: new CustomerApp(page, bed.origin), provider: new BankIdTestProvider(page), problems };
  }

  /**
   * What went wrong on the pages of a visit. The BankID test provider's pages have no icon, so
   * Chromium's automatic `/favicon.ico` request there is a 404; that is not a problem of the app.
   */
  async function problemsOf(visit: Visit): Promise<string[]> {
    return (await visit.problems.list()).filter((problem) => !/status of 404 .*\/favicon\.ico\)$/.test(problem));
  }

  /** From the landing page through the BankID test provider; ends wherever Drop sends the browser. */
  async function signIn(visit: Visit, person: string, method: BankIdMethodId = 'bid'): Promise<void> {
    await visit.app.open('/');
    await visit.app.headerSignIn().click();
    await visit.provider.waitUntilShown();
    await visit.provider.signInAs(person, method);
  }

  async function sessionCookie(context: BrowserContext): Promise<string | undefined> {
    return (await context.cookies(bed.origin)).find((cookie) => cookie.name === SESSION_COOKIE)?.value;
  }

  /** `GET /api/me` from inside the page, with the browser's cookies. */
  async function meFromPage(page: Page): Promise<{ status: number; body: { data?: { id: string; name: string }; code?: string } }> {
    return page.evaluate(async () => {
      const response = await fetch('/api/me', { headers: { accept: 'application/json' } });
      return { status: response.status, body: await response.json() };
    });
  }

  test('Kari signs in with BankID and sees her account and her one session', async () => {
    const kari = await visit();
    const { page, app, provider } = kari;
    try {
      await app.open('/');
      await app.waitForLanding();
      assert.ok(await app.headerSignIn().isVisible(), 'the header offers BankID sign-in');
      assert.equal(await text(app.heroSignIn()), 'Logg inn med BankID');
      assert.equal(await app.headerSignIn().evaluate((button) => button.closest('form')?.getAttribute('action')), '/api/auth/bankid/start');
      assert.equal(await app.headerSignIn().evaluate((button) => button.closest('form')?.getAttribute('method')), 'post');
      assert.equal(await app.notice().count(), 0, 'no sign-in message without ?signin=');
      await eventually(async () => assert.equal(await page.getByTestId('service-status').getAttribute('data-state'), 'ok'));
      await screenshot(page, 'customer-signin-landing', { fullPage: false });

      await app.heroSignIn().click();
      await provider.waitUntilShown();
      assert.ok(await provider.person('kari').isVisible());
      await screenshot(page, 'customer-signin-provider');
      await provider.signInAs('kari', 'bid');

      assert.equal(await app.waitForHome(), 'Hei, Kari!');
      assert.equal(await text(app.profile().name), 'Kari Nordmann');
      assert.equal(await text(app.profile().birthDate), '12. april 1985');
      assert.match(await text(app.profile().customerId), /^\d{4} \d{4}$/, 'the customer number, not the internal id');
      assert.equal(await app.kycCard().getAttribute('data-status'), 'not_started');
      const verify = app.kycCard().getByRole('link', { name: /Bekreft identiteten/ });
      assert.equal(await verify.getAttribute('href'), '/kyc', 'the identity card leads to verification');
      assert.equal(await page.title(), 'Min side – Drop');
      assert.ok(await sessionCookie(kari.context), 'the session cookie is set');
      await screenshot(page, 'customer-signin-home');

      await app.openSessionsFromHome();
      assert.equal(await text(app.heading()), 'Innlogginger');
      const sessions = await app.sessions();
      assert.equal(sessions.length, 1, 'exactly one session');
      assert.equal(sessions[0]?.current, true, 'marked as this device');
      assert.match(sessions[0]?.device ?? '', /Chrome på Linux/);
      assert.equal(await text(app.sessionRows().first().getByTestId('this-device')), 'Denne enheten');
      assert.equal(
        await app
          .sessionRows()
          .getByRole('button', { name: /Avslutt/ })
          .count(),
        0,
        'this device is ended by logging out',
      );
      assert.match(await text(app.sessionRows().first()), /BankID \(kodebrikke\/app\)/);
      await screenshot(page, 'customer-signin-sessions');

      // Client-side navigation back, and the landing page now offers "My account".
      await app.accountNavLink('Oversikt').click();
      assert.equal(await app.waitForHome(), 'Hei, Kari!');
      await app.open('/');
      await app.waitForLanding();
      await app.myAccountLink().waitFor();
      assert.equal(await app.headerSignIn().count(), 0, 'no sign-in button when signed in');

      // English.
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await app.myAccountLink().click();
      assert.equal(await app.waitForHome(), 'Hi, Kari!');
      assert.equal(await text(app.profile().birthDate), '12 April 1985');
      await screenshot(page, 'customer-signin-home-en');
      await page.getByRole('button', { name: 'Norsk', exact: true }).click();

      assert.deepEqual(await problemsOf(kari), []);
    } finally {
      await kari.context.close();
    }
  });

  test('logging out ends the session: back on the landing page, and the old cookie gets 401', async () => {
    const ola = await visit();
    const { app } = ola;
    try {
      await signIn(ola, 'ola');
      assert.equal(await app.waitForHome(), 'Hei, Ola!');
      const cookie = await sessionCookie(ola.context);
      assert.ok(cookie, 'signed in with a session cookie');

      await app.signOut();
      await app.waitForLanding();
      const farewell = await app.waitForNotice('signedOut');
      assert.equal(farewell.title, 'Du er logget ut');
      await app.headerSignIn().waitFor();
      assert.equal(await sessionCookie(ola.context), undefined, 'the cookie is cleared');

      const replay = await fetch(`${bed.origin}/api/me`, { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
      assert.equal(replay.status, 401);
      assert.equal(((await replay.json()) as { code: string }).code, 'UNAUTHENTICATED');

      // /home without a session goes back to the landing page.
      await app.open('/home');
      await app.waitForLanding();
      await app.waitForNotice('sessionEnded');

      await app.dismissNotice();
      assert.equal(await app.notice().count(), 0);
      assert.deepEqual(await problemsOf(ola), []);
    } finally {
      await ola.context.close();
    }
  });

  test('a runbook revocation in the database sends the customer back to the landing page on the next load', async () => {
    const arne = await visit();
    const { page, app } = arne;
    try {
      await signIn(arne, 'elderly');
      assert.equal(await app.waitForHome(), 'Hei, Arne!');
      const me = await meFromPage(page);
      assert.equal(me.status, 200);
      const userId = me.body.data?.id;
      assert.ok(userId);

      const revoked = await bed.database.pool.query('UPDATE sessions SET revoked = 1 WHERE user_id = $1 AND revoked = 0', [userId]);
      assert.equal(revoked.rowCount, 1);

      await page.reload();
      await app.waitForLanding();
      const notice = await app.waitForNotice('sessionEnded');
      assert.equal(notice.title, 'Du er ikke logget inn');
      await app.headerSignIn().waitFor();
      assert.equal((await meFromPage(page)).status, 401);
      assert.deepEqual(await problemsOf(arne), []);
    } finally {
      await arne.context.close();
    }
  });

  test('BankID biometrics (LOA 3) is not enough: the landing page explains, and there is no session', async () => {
    const kari = await visit();
    const { page, app } = kari;
    try {
      const before = await bed.database.pool.query('SELECT count(*)::int AS n FROM sessions');
      await signIn(kari, 'kari', 'bis');
      await app.waitForLanding();
      const notice = await app.waitForNotice('auth_level_too_low');
      assert.match(notice.title, /kodebrikke, app eller BankID på mobil/);
      assert.match(notice.text, /LOA 4/);
      assert.match(notice.text, /biometri/);
      assert.equal(new URL(page.url()).search, '', 'the outcome is taken out of the address');
      assert.equal(await sessionCookie(kari.context), undefined, 'no session cookie');
      assert.equal((await meFromPage(page)).status, 401);
      const afterwards = await bed.database.pool.query('SELECT count(*)::int AS n FROM sessions');
      assert.equal(afterwards.rows[0].n, before.rows[0].n, 'no session was created');
      await screenshot(page, 'customer-signin-auth-level', { fullPage: false });

      // The notice offers to try again straight away.
      await app.notice().getByRole('button', { name: 'Prøv igjen' }).click();
      await kari.provider.waitUntilShown();
      assert.deepEqual(await problemsOf(kari), []);
    } finally {
      await kari.context.close();
    }
  });

  test('cancelling at BankID comes back with a friendly "cancelled" message', async () => {
    const visitor = await visit({ phone: true });
    const { page, app, provider } = visitor;
    try {
      await app.open('/');
      await app.waitForLanding();
      await app.headerSignIn().click();
      await provider.waitUntilShown();
      await provider.cancel();
      await app.waitForLanding();
      const notice = await app.waitForNotice('cancelled');
      assert.equal(notice.title, 'Innloggingen ble avbrutt');
      assert.equal(await sessionCookie(visitor.context), undefined);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling on a phone');
      await screenshot(page, 'customer-signin-cancelled-mobile', { fullPage: false });
      await app.dismissNotice();
      assert.deepEqual(await problemsOf(visitor), []);
    } finally {
      await visitor.context.close();
    }
  });

  test('ending another session from /sessions, then logging out everywhere', async () => {
    const laptop = await visit();
    const phone = await visit({ phone: true });
    try {
      await signIn(phone, 'pep');
      await phone.app.waitForHome();
      await signIn(laptop, 'pep');
      await laptop.app.waitForHome();

      await laptop.app.openSessionsFromHome();
      await eventually(async () => assert.equal((await laptop.app.sessions()).length, 2));
      const sessions = await laptop.app.sessions();
      assert.deepEqual(sessions, [
        { device: 'Chrome på Linux', current: true },
        { device: 'Safari på iPhone', current: false },
      ]);
      await screenshot(laptop.page, 'customer-signin-sessions-two');
      await laptop.app
        .sessionRows()
        .nth(1)
        .getByRole('button', { name: /Avslutt/ })
        .click();
      await eventually(async () => assert.equal((await laptop.app.sessions()).length, 1));
      assert.match(await text(laptop.page.getByTestId('sessions-announcement')), /er avsluttet/);

      // The phone's session is gone: its next load goes to the landing page.
      await phone.page.reload();
      await phone.app.waitForLanding();
      await phone.app.waitForNotice('sessionEnded');

      // Sign in on the phone again, then log out everywhere from the laptop.
      await signIn(phone, 'pep');
      await phone.app.waitForHome();
      await laptop.page.reload();
      await eventually(async () => assert.equal((await laptop.app.sessions()).length, 2));
      await laptop.app.signOutEverywhere();
      await laptop.app.waitForLanding();
      assert.equal((await laptop.app.waitForNotice('signedOutEverywhere')).title, 'Du er logget ut overalt');
      await phone.page.reload();
      await phone.app.waitForLanding();
      const live = await bed.database.pool.query(
        `SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.given_name = 'Nancy' AND s.revoked = 0`,
      );
      assert.equal(live.rows[0].n, 0, 'no live session left');
      assert.deepEqual(await problemsOf(laptop), []);
      assert.deepEqual(await problemsOf(phone), []);
    } finally {
      await laptop.context.close();
      await phone.context.close();
    }
  });
});
