/** Browser-test support: building the web apps, launching Chromium, and watching pages for errors. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { type Browser, type BrowserContext, type ConsoleMessage, chromium, type Locator, type Page } from 'playwright-core';
import type { RunningDrop } from '../../apps/api/src/runtime.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/embedded.ts';
import { startTestServer } from '../support/server.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'browser');

const APPS = ['web', 'console'] as const;

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** Builds each app whose `dist/index.html` is missing or older than its sources. */
export function ensureAppsBuilt(): void {
  for (const app of APPS) {
    const dir = path.join(ROOT, 'apps', app);
    const built = path.join(dir, 'dist', 'index.html');
    const sources = Math.max(
      ...['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((entry) => newestMtime(path.join(dir, entry))),
    );
    if (existsSync(built) && statSync(built).mtimeMs >= sources) continue;
    const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    // NODE_ENV=production: `npm test` exports NODE_ENV=test, which would make Vite bundle React's development build.
    const env = { ...process.env, NODE_ENV: 'production' };
    const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: dir, env, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`building apps/${app} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Records everything a page reports going wrong: console errors and warnings, uncaught exceptions,
 * and Content-Security-Policy violations (through a `securitypolicyviolation` listener installed
 * before any page script runs).
 */
export interface PageProblems {
  list(): Promise<string[]>;
}

/**
 * The customer app asks `GET /api/me` whether anyone is signed in; for a visitor the answer is 401,
 * which Chromium logs as a failed resource although the app expects it. Only that exact message is
 * not a problem.
 */
function isExpectedSignedOutProbe(message: ConsoleMessage): boolean {
  if (!/^Failed to load resource: the server responded with a status of 401\b/.test(message.text())) return false;
  const url = URL.parse(message.location().url);
  return url?.pathname === '/api/me';
}

export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if ((message.type() === 'error' || message.type() === 'warning') && !isExpectedSignedOutProbe(message)) {
      problems.push(`console.${message.type()}: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => {
    // The page aborting its own request (a newer probe, a navigation) is not a failure.
    const reason = request.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') problems.push(`request failed: ${request.url()} ${reason}`);
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile}:${event.lineNumber}`);
    });
  });
  return {
    async list() {
      const csp = await page
        .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
        .catch(() => [] as string[]);
      return [...problems, ...csp.map((violation) => `CSP violation: ${violation}`)];
    },
  };
}

/** Retries `check` (which throws while its condition does not hold yet) until it passes or `timeoutMs` ends. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  const fullPage = options.fullPage ?? true;
  // A full-page capture from a scrolled position would paint the sticky header mid-page.
  if (fullPage) await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
  await page.screenshot({ path: file, fullPage, animations: 'disabled' });
  return file;
}

/** The trimmed text content of the first element `locator` matches, waiting for it to exist. */
export async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** What a browser suite runs against: a fresh database, a real Drop server and Chromium. */
export interface BrowserTestBed {
  database: TestDatabase;
  server: RunningDrop;
  browser: Browser;
  /** `http://localhost:<port>`: browse here, so the `__Host-` (Secure) cookies work over http. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Builds the web apps if needed, creates a database, starts Drop on a free port with its public
 * URL on localhost, and launches Chromium. Browser suites sign in many times from one address,
 * so the per-address sign-in limit is raised here; the limit has its own HTTP tests.
 */
export async function startBrowserTestBed(env: Record<string, string> = {}): Promise<BrowserTestBed> {
  ensureAppsBuilt();
  const database = await createTestDatabase();
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  let server: RunningDrop | undefined;
  let browser: Browser;
  try {
    server = await startTestServer({
      databaseUrl: database.url,
      env: { PORT: String(port), PUBLIC_URL: origin, SIGN_IN_RATE_LIMIT_PER_MINUTE: '200', ...env },
    });
    browser = await launchBrowser();
  } catch (error) {
    // Whatever did start must stop, or the test file never ends (its before() failed, so its
    // after() may never get a test bed to close) and the run waits for the file's timeout.
    await server?.stop().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw error;
  }
  const running = server;
  return {
    database,
    server: running,
    browser,
    origin,
    async close() {
      await browser.close();
      await running.stop();
      await database.drop();
    },
  };
}

/**
 * Starts a test bed (see `startBrowserTestBed`) before the tests of the enclosing `describe` and
 * closes it after them. Call it in the `describe` body; read the fields inside tests and hooks
 * registered after this call (reading them earlier throws).
 */
export function useBrowserTestBed(env: Record<string, string> = {}): Omit<BrowserTestBed, 'close'> {
  let bed: BrowserTestBed | undefined;
  before(async () => {
    bed = await startBrowserTestBed(env);
  });
  after(async () => {
    await bed?.close();
  });
  const started = (): BrowserTestBed => {
    if (!bed) throw new Error('the browser test bed has not started yet');
    return bed;
  };
  return {
    get database() {
      return started().database;
    },
    get server() {
      return started().server;
    },
    get browser() {
      return started().browser;
    },
    get origin() {
      return started().origin;
    },
  };
}

export const DESKTOP = { width: 1366, height: 900 };
/** The console's desktop window: a little wider, for its tables. */
export const WIDE_DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** The window a visit browses in; every visit reads Norwegian (nb-NO) in the light colour scheme. */
export interface WindowOptions {
  /** The window size on a desktop; `DESKTOP` unless given. */
  viewport?: { width: number; height: number };
  /** A phone: `PHONE`-sized, mobile, with touch. */
  phone?: boolean;
  /** The browser's user agent (Chromium's own unless given). */
  userAgent?: string;
  timezoneId?: string;
  acceptDownloads?: boolean;
}

/** A fresh browser context with one page, watched for problems from its first script on. */
export async function openWatchedPage(
  browser: Browser,
  options: WindowOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({
    viewport: options.phone ? PHONE : (options.viewport ?? DESKTOP),
    ...(options.phone ? { isMobile: true, hasTouch: true } : {}),
    ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
    locale: 'nb-NO',
    colorScheme: 'light',
  });
  const page = await context.newPage();
  const problems = await watchPage(page);
  return { context, page, problems };
}

/** One visit to an app: its own browser context and page, the page object for it, and what went wrong. */
export interface AppVisit<App> {
  context: BrowserContext;
  page: Page;
  app: App;
  problems: PageProblems;
}

/** Opens a watched page (see `openWatchedPage`) with `App`'s page object on the test bed's origin. */
export async function visitApp<App>(
  bed: Pick<BrowserTestBed, 'browser' | 'origin'>,
  App: new (page: Page, baseUrl: string) => App,
  options: WindowOptions = {},
): Promise<AppVisit<App>> {
  const { context, page, problems } = await openWatchedPage(bed.browser, options);
  return { context, page, app: new App(page, bed.origin), problems };
}
