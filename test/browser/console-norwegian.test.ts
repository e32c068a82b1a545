/**
 * Every console page in Norwegian, in a real Chromium against a real server with the demo data
 * (plus a four-eyes proposal, so Approvals has a row): an admin signs in and opens every page of `routes.ts` (a page added there is
 * visited too: pages with an id get one of the seeded ids that fits the page's pattern). No page
 * may show staff a raw code (a snake_case token, or an enum value from the contracts), nor a
 * staff or customer id outside the cells meant for ids; at 1280 px no table is cut off without a
 * way to scroll to its last column.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import * as contracts from '@drop/contracts';
import { type DemoSeedResult, proposeFourEyes, seedDemoData } from '@drop/core';
import type { Page } from 'playwright-core';
import { PATTERNS, type PageRoute, pathFor } from '../../apps/console/src/routes.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleStaff } from './pages/console-staff.ts';
import { eventually, screenshot, useBrowserTestBed, visitApp } from './support.ts';

const DATA_KEY = randomBytes(32).toString('base64');
const PASSWORD = 'en lang setning til konsollen 7';

/** The console at the width of a 13-inch laptop. */
const LAPTOP = { width: 1280, height: 800 };

/** The pages a signed-out visitor sees; the rest need a staff session. */
const PUBLIC_ROUTES: PageRoute[] = ['login', 'enrol'];

/**
 * Every code the contracts name (transfer and KYC statuses, roles, audit actions, AML outcomes, …):
 * the values of each exported enum and list of strings. Only codes that cannot be a Norwegian word
 * are looked for as words (two letters or more, with an underscore, or English words that are no
 * Norwegian ones); snake_case is looked for anyway.
 */
function contractCodes(): Set<string> {
  const codes = new Set<string>();
  for (const value of Object.values(contracts) as unknown[]) {
    const options = Array.isArray(value) ? value : (value as { options?: unknown } | null)?.options;
    if (!Array.isArray(options) || !options.every((option) => typeof option === 'string')) continue;
    for (const option of options as string[]) if (/^[a-z][a-z_]{2,}$/.test(option) || /^[A-Z]{4,}$/.test(option)) codes.add(option);
  }
  return codes;
}

/**
 * Words that are codes in the contracts and also ordinary words on a Norwegian page (or a proper
 * name staff read as such), each with where it shows.
 */
const ALSO_WORDS = new Set([
  'admin', // no: "admin" is Norwegian too, though the console says "Administrator"
  'sepa', // "SEPA" (the payment scheme's name)
  'iban', // "IBAN"
  'goaml', // "goAML" (the FIU's system)
  'altinn', // "Altinn"
]);

interface PageText {
  /**
   * The text a person sees, outside the cells meant for ids (`code.id`), text the server keeps in
   * English and says so (`[lang=en]`), and what is not to be translated (`[translate=no]`: a
   * command to type, a person's own note).
   */
  shown: string;
  /** Every visible `stf_…`/`usr_…` id outside id cells. */
  ids: string[];
}

async function visibleText(page: Page): Promise<PageText> {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    const parts: string[] = [];
    const ids: string[] = [];
    if (!main) return { shown: '', ids };
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('code.id, [lang="en"], [translate="no"], script, style')) continue;
      const style = getComputedStyle(parent);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      const value = node.textContent ?? '';
      parts.push(value);
      for (const match of value.matchAll(/\b(?:stf|usr)_[0-9A-Z]{4,}/g)) ids.push(match[0]);
    }
    return { shown: parts.join(' '), ids };
  });
}

/** The raw codes in `text`: snake_case tokens, and whole-word codes from the contracts. */
function rawCodes(text: string, codes: Set<string>): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])/g)) found.add(match[0]);
  for (const word of text.split(/[^A-Za-z_]+/)) {
    if (codes.has(word) && !ALSO_WORDS.has(word.toLowerCase()) && word.length > 0) found.add(word);
  }
  return [...found];
}

/**
 * Tables at this width: every table's last column is in the window, or the table sits in a
 * scroll container that shows it scrolls (`data-overflowing`); the page itself never scrolls sideways.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth} px in ${window.innerWidth} px)`);
    }
    for (const table of document.querySelectorAll('main table')) {
      const name = (table as HTMLElement).dataset.testid ?? table.className;
      const wrap = table.closest('.table-wrap') as HTMLElement | null;
      const right = Math.max(...[...table.querySelectorAll('tr > :last-child')].map((cell) => cell.getBoundingClientRect().right));
      const container = (wrap ?? table.parentElement) as HTMLElement;
      const edge = Math.min(container.getBoundingClientRect().right, window.innerWidth);
      const overflows = container.scrollWidth > container.clientWidth + 1 || right > edge + 1;
      if (!overflows) continue;
      const scrolls = wrap !== null && getComputedStyle(wrap).overflowX === 'auto' && wrap.dataset.overflowing === 'true';
      if (!scrolls)
        problems.push(
          `${name}: its last column ends at ${Math.round(right)} px, past ${Math.round(edge)} px, and nothing shows it scrolls`,
        );
    }
    return problems;
  });
}

describe('console: every page in Norwegian', () => {
  const bed = useBrowserTestBed({ DATA_ENCRYPTION_KEY: DATA_KEY });
  let demo: DemoSeedResult;
  /** Ids a page with an id may take, the most telling first (a customer awaiting review, a failed transfer). */
  let candidateIds: string[] = [];

  before(async () => {
    demo = await seedDemoData(bed.database.pool, { actor: 'test' });
    const { rows: strs } = await bed.database.pool.query<{ id: string }>(
      `SELECT id::text AS id FROM str_reports ORDER BY status = 'draft' DESC, created_at`,
    );
    const { rows: staff } = await bed.database.pool.query<{ id: string }>('SELECT id FROM staff ORDER BY id');
    const first = (record: Record<string, string>, key: string) => [record[key] as string, ...Object.values(record)];
    candidateIds = [
      ...first(demo.users, 'pendingOld'),
      ...first(demo.transactions, 'failed'),
      ...Object.values(demo.alerts),
      ...Object.values(demo.cases),
      ...strs.map((row) => row.id),
      ...staff.map((row) => row.id),
    ];
  });

  /** The URL of every page of routes.ts a signed-in admin can open, with a seeded id where the page needs one. */
  function everyPage(): Array<{ route: PageRoute; path: string }> {
    const searches: Partial<Record<PageRoute, string>> = {
      customers: '?query=example.no',
      strNew: `?case=${Object.values(demo.cases)[0]}`,
    };
    return (Object.entries(PATTERNS) as Array<[PageRoute, string | RegExp]>)
      .filter(([route]) => !PUBLIC_ROUTES.includes(route))
      .map(([route, pattern]) => {
        const search = searches[route] ?? '';
        if (typeof pattern === 'string') return { route, path: pathFor(route, search) };
        const id = candidateIds.find((candidate) => pattern.test(pathFor(route, '', candidate)));
        assert.ok(id, `the test seeds something the ${route} page can show (an id that fits ${pattern})`);
        return { route, path: pathFor(route, search, id) };
      });
  }

  test('an admin opens every page at 1280 px: Norwegian words only, names instead of ids, no table cut off', async () => {
    const { context, page, app, problems } = await visitApp(bed, ConsoleStaff, { viewport: LAPTOP });
    try {
      const admin = await newStaffMember(bed.database.pool, { role: 'admin', name: 'Ada Admin', dataEncryptionKey: DATA_KEY });
      await app.enrolAndSignIn({ ...admin, password: PASSWORD });
      await app.waitForHeading('Oversikt');
      const { rows } = await bed.database.pool.query<{ id: string }>('SELECT id FROM staff WHERE email = $1', [admin.email]);
      // An open proposal, so Approvals has a row (and the audit log a four-eyes event by a named person).
      await proposeFourEyes(bed.database.pool, {
        kind: 'release_transfer',
        subjectId: demo.transactions.large as string,
        reason: 'Midlenes opprinnelse er dokumentert',
        staffId: rows[0]?.id as string,
      });

      const codes = contractCodes();
      assert.ok(
        codes.has('awaiting_funds') && codes.has('four_eyes_proposed') && codes.has('compliance_officer'),
        'the contracts’ codes were found',
      );
      const found: string[] = [];
      const pages = everyPage();
      assert.ok(pages.length >= 20, `every page of routes.ts (${pages.length})`);
      for (const { route, path } of pages) {
        await app.goto(`/console${path}`);
        await eventually(async () => {
          assert.equal(await page.locator('main h1').count(), 1, `${route}: the page has its heading`);
          assert.equal(
            await page
              .locator('main')
              .getByText(/^Laster …$/)
              .count(),
            0,
            `${route}: still loading`,
          );
          assert.equal(await page.locator('main [aria-busy="true"]').count(), 0, `${route}: still loading`);
        });
        const shown = await visibleText(page);
        for (const code of rawCodes(shown.shown, codes)) found.push(`${route} (${path}) shows the code “${code}”`);
        for (const id of shown.ids) found.push(`${route} (${path}) shows the id ${id} where a name belongs`);
        for (const problem of await layoutProblems(page)) found.push(`${route} (${path}) at 1280 px: ${problem}`);
        await screenshot(page, `console-nb-1280-${route}`);
      }
      assert.deepEqual(found, []);
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('the checks find what they look for: a raw code, an id and a cut-off table', async () => {
    const codes = contractCodes();
    assert.deepEqual(rawCodes('Status: awaiting_funds · held · Godkjent', codes).sort(), ['awaiting_funds', 'held']);
    assert.deepEqual(rawCodes('Kunden betaler 2 500,00 kr · ola.nordmann@example.no', codes), []);
    const { context, page } = await visitApp(bed, ConsoleStaff, { viewport: LAPTOP });
    try {
      await page.setContent(
        `<main><h1>Prøve</h1><p>Utført av stf_01M96ADEDJE8VWY97BKSV4BGWP</p><p><code class="id">usr_01M96ADCV5HC5HP8Y9XZZDBZ42</code></p>
         <div class="table-wrap" style="overflow-x: hidden; width: 300px"><table data-testid="wide"><tr><td style="min-width: 900px">a</td><td>b</td></tr></table></div></main>`,
      );
      assert.deepEqual((await visibleText(page)).ids, ['stf_01M96ADEDJE8VWY97BKSV4BGWP']);
      assert.match((await layoutProblems(page)).join('\n'), /wide: its last column ends at/);
    } finally {
      await context.close();
    }
  });
});
