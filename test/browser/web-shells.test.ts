/**
 * The customer app and the back-office console, built and served by a real Drop server, in a real
 * Chromium: texts in both languages, live health from /api/health, SPA deep links, and no console
 * errors or CSP violations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer } from '../support/server.ts';
import { ConsoleStaff } from './pages/console-staff.ts';
import { CustomerHome } from './pages/customer-home.ts';
import { ensureAppsBuilt, eventually, launchBrowser, openWatchedPage, PHONE, screenshot, text, WIDE_DESKTOP } from './support.ts';

type Server = Awaited<ReturnType<typeof startTestServer>>;

describe('web shells in a browser', () => {
  let database: TestDatabase;
  let server: Server;
  let browser: Browser;
  let version: string;

  before(async () => {
    ensureAppsBuilt();
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    browser = await launchBrowser();
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { data: { version: string } };
    version = health.data.version;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
  });

  test('customer home: Norwegian by default, live service status, switches to English and remembers it', async () => {
    const { context, page, problems } = await openWatchedPage(browser);
    const home = new CustomerHome(page, server.url);
    try {
      await home.open();
      assert.equal(await home.htmlLang(), 'nb');
      assert.match(await text(home.heading()), /Send penger til utlandet/);
      assert.ok(await page.getByRole('link', { name: 'Drop, til forsiden' }).isVisible(), 'the Drop wordmark links home');
      assert.ok(await page.getByRole('contentinfo').isVisible(), 'there is a footer');

      const nb = await home.waitForStatus('ok');
      assert.equal(nb.headline, 'Alle systemer fungerer');
      assert.equal(nb.version, version);
      assert.match(nb.latency, /\d\s?ms/);
      assert.match(nb.uptime, /sekund|minutt|time|døgn|dag/);
      assert.equal(await page.title(), 'Drop – send penger fra Norge');
      await screenshot(page, 'customer-home-nb');

      await home.switchLanguage('English');
      assert.equal(await home.htmlLang(), 'en');
      await eventually(async () => assert.match(await text(home.heading()), /Send money abroad/));
      const en = await home.waitForStatus('ok');
      assert.equal(en.headline, 'All systems operational');
      assert.equal(en.version, version);
      assert.match(en.uptime, /second|minute|hour|day/);
      assert.equal(await page.title(), 'Drop – send money from Norway');

      await home.retry();
      await home.waitForStatus('ok');
      await screenshot(page, 'customer-home-en');

      // The choice survives a reload.
      await home.open();
      assert.equal(await home.htmlLang(), 'en');
      assert.match(await text(home.heading()), /Send money abroad/);

      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });

  test('customer home on a phone', async () => {
    const { context, page, problems } = await openWatchedPage(browser, { viewport: PHONE });
    const home = new CustomerHome(page, server.url);
    try {
      await home.open();
      await home.waitForStatus('ok');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'no horizontal scrolling on a narrow screen');
      await screenshot(page, 'customer-home-mobile', { fullPage: false });
      await home.statusCard().scrollIntoViewIfNeeded();
      await screenshot(page, 'customer-home-mobile-status', { fullPage: false });
      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });

  test('the console, and any deep link into it, asks a signed-out visitor to sign in as staff', async () => {
    const { context, page, problems } = await openWatchedPage(browser, { viewport: WIDE_DESKTOP });
    const consoleStaff = new ConsoleStaff(page, server.url);
    try {
      for (const path of ['/console/', '/console/operations', '/console/kyc']) {
        await consoleStaff.goto(path);
        await eventually(async () => assert.equal(consoleStaff.pathname(), '/console/login'), 15_000);
        await eventually(async () => assert.equal(await text(page.getByRole('heading', { level: 1 })), 'Logg inn'));
      }
      await page.getByLabel(/E-post/).waitFor();
      await screenshot(page, 'console-login');
      // Health, version and the operations page behind the sign-in: test/browser/console-staff.test.ts.
      assert.deepEqual(await consoleStaff.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });
});
