/**
 * The customer app and the back-office console, built and served by a real Drop server, in a real
 * Chromium: texts in both languages, live health from /api/health, SPA deep links, and no console
 * errors or CSP violations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer } from '../support/server.ts';
import { ConsoleApp } from './pages/console-app.ts';
import { CustomerHome } from './pages/customer-home.ts';
import { ensureAppsBuilt, eventually, launchBrowser, screenshot, text, watchPage } from './support.ts';

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

  async function newContext(viewport = { width: 1366, height: 900 }): Promise<BrowserContext> {
    return browser.newContext({ viewport, locale: 'nb-NO', colorScheme: 'light' });
  }

  test('customer home: Norwegian by default, live service status, switches to English and remembers it', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const problems = await watchPage(page);
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
    const context = await newContext({ width: 390, height: 844 });
    const page = await context.newPage();
    const problems = await watchPage(page);
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

  test('console overview shows database health and version; sections not built yet are disabled', async () => {
    const context = await newContext({ width: 1440, height: 900 });
    const page = await context.newPage();
    const problems = await watchPage(page);
    const consoleApp = new ConsoleApp(page, server.url);
    try {
      await consoleApp.open('/console/');
      assert.equal(await text(consoleApp.heading()), 'Oversikt');
      assert.equal(await consoleApp.currentNav(), 'Oversikt');
      const overview = await consoleApp.waitForDatabaseOk();
      assert.equal(overview.dbStatus, 'Tilkoblet');
      assert.equal(overview.version, version);
      assert.equal(await text(page.getByTestId('system-status')), 'I drift');

      const soon = await consoleApp.comingSoonItems().allTextContents();
      for (const section of ['KYC-kø', 'AML-varsler', 'STR-rapporter', 'Kunder', 'Dataforespørsler']) {
        assert.ok(
          soon.some((text) => text.includes(section)),
          `${section} is shown as coming soon`,
        );
      }
      assert.equal(await consoleApp.sidebar().getByRole('link').count(), 2, 'only Overview and Operations are links');
      assert.equal(await page.getByRole('link', { name: /API-dokumentasjon/ }).getAttribute('href'), '/api/docs');
      assert.equal(await page.getByRole('link', { name: /Prometheus/ }).getAttribute('href'), '/metrics');
      await screenshot(page, 'console-overview');

      // Client-side navigation to Operations and back.
      await consoleApp.navLink('Drift').click();
      await eventually(async () => assert.equal(await text(consoleApp.heading()), 'Drift'));
      assert.equal(new URL(page.url()).pathname, '/console/operations');
      await page.goBack();
      await eventually(async () => assert.equal(await text(consoleApp.heading()), 'Oversikt'));

      await consoleApp.switchLanguage('EN');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      await eventually(async () => assert.equal(await text(consoleApp.heading()), 'Overview'));
      assert.equal((await consoleApp.waitForDatabaseOk()).dbStatus, 'Connected');

      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });

  test('console deep links load through the SPA fallback', async () => {
    const context = await newContext({ width: 1440, height: 900 });
    const page = await context.newPage();
    const problems = await watchPage(page);
    const consoleApp = new ConsoleApp(page, server.url);
    try {
      await consoleApp.open('/console/operations');
      assert.equal(await text(consoleApp.heading()), 'Drift');
      assert.equal(await consoleApp.currentNav(), 'Drift');
      const operations = await consoleApp.waitForDatabaseOk();
      assert.equal(operations.dbStatus, 'Tilkoblet');
      assert.match(await text(page.getByTestId('check-api')), new RegExp(`HTTP 200 · versjon ${version.replaceAll('.', '\\.')}`));
      assert.match(await text(page.getByTestId('db-latency')), /\d\s?ms/);
      const samples = async () => Number(/(\d+) målinger/.exec(await text(page.getByRole('figure')))?.[1] ?? 0);
      await eventually(async () => assert.ok((await samples()) >= 1));
      const before = await samples();
      await page.getByRole('button', { name: 'Sjekk nå' }).click();
      await eventually(async () => assert.ok((await samples()) > before, 'the check ran again and added a sample'));
      await screenshot(page, 'console-operations');

      await consoleApp.open('/console/no-such-page');
      assert.equal(await text(consoleApp.heading()), 'Fant ikke siden');
      await page.getByRole('link', { name: 'Tilbake til oversikten' }).click();
      await eventually(async () => assert.equal(await text(consoleApp.heading()), 'Oversikt'));

      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });
});
