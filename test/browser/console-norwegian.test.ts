/**
 * Every console page in Norwegian, in a real Chromium against a real server with the demo data
 * (plus a four-eyes proposal and a bank file with an unknown KID, so Approvals and Payments have
 * rows): an admin signs in and opens every page of `routes.ts` (a page added there is visited
 * too: a page with an id gets a seeded id that fits its pattern) and the lists' other views. No
 * page may show staff a raw code (a snake_case token, or a code from the contracts), nor a staff
 * or customer id outside the cells meant for ids; at 1280 px no table is cut off without a visible
 * way to scroll to its last column. Signed out, the login and enrolment pages are checked too.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, test } from 'node:test';
import * as contracts from '@drop/contracts';
import { type DemoSeedResult, proposeFourEyes, recordAuditEvent, seedDemoData } from '@drop/core';
import type { Page } from 'playwright-core';
import { PATTERNS, type PageRoute, pathFor } from '../../apps/console/src/routes.ts';
import { newStaffMember } from '../support/staff.ts';
import { ConsoleStaff } from './pages/console-staff.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp } from './support.ts';

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

/** One page to look at: its route, its URL below the base, and a button to press there first (a filter). */
interface Visit {
  route: PageRoute;
  path: string;
  press?: RegExp;
}

/** Drop's default pay-in account 8601.11.17947 as an IBAN. */
const PAY_IN_IBAN = 'NO9386011117947';

/** A camt.054 notification for the pay-in account: one booked credit whose KID (valid MOD10) no transfer has. */
function camt054WithUnknownKid(): string {
  const date = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>NB-TEST-1</MsgId><CreDtTm>${date}T09:15:00+01:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NB-TEST-1-1</Id>
      <CreDtTm>${date}T09:15:00+01:00</CreDtTm>
      <Acct><Id><IBAN>${PAY_IN_IBAN}</IBAN></Id><Ccy>NOK</Ccy></Acct>
      <Ntry>
        <Amt Ccy="NOK">1500.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>${date}</Dt></BookgDt>
        <ValDt><Dt>${date}</Dt></ValDt>
        <AcctSvcrRef>NB-BOOK-0001</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <Amt Ccy="NOK">1500.00</Amt>
          <CdtDbtInd>CRDT</CdtDbtInd>
          <RltdPties>
            <Dbtr><Pty><Nm>Kari Nordmann</Nm></Pty></Dbtr>
            <DbtrAcct><Id><Othr><Id>12345678903</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id></DbtrAcct>
          </RltdPties>
          <RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>000000000018</Ref></CdtrRefInf></Strd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
`;
}

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

/** Proper names written in camelCase. */
const CAMEL_NAMES = new Set(['goAML']);

/** The raw codes in `text`: snake_case and camelCase tokens, and whole-word codes from the contracts. */
function rawCodes(text: string, codes: Set<string>): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])/g)) found.add(match[0]);
  // camelCase keys (an AML fact's `amountNok`), but not brand names written that way.
  for (const match of text.matchAll(/(?<![\w.@/-])[a-z]+[A-Z][A-Za-z]*(?![\w@/-])/g)) if (!CAMEL_NAMES.has(match[0])) found.add(match[0]);
  for (const word of text.split(/[^A-Za-z_]+/)) {
    if (codes.has(word) && !ALSO_WORDS.has(word.toLowerCase()) && word.length > 0) found.add(word);
  }
  return [...found];
}

/**
 * Tables at this width: every table's last column is in the window, or the table sits in a
 * scroll container that shows it scrolls (`data-overflowing`); the page itself never scrolls sideways.
 */
async function tableLayout(page: Page): Promise<{ problems: string[]; scrolling: string[] }> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const scrolling: string[] = [];
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
      if (scrolls) scrolling.push(`${name}: ${container.scrollWidth} px in ${container.clientWidth} px`);
      else
        problems.push(
          `${name}: its last column ends at ${Math.round(right)} px, past ${Math.round(edge)} px, and nothing shows it scrolls`,
        );
    }
    // An id (or IBAN) never sticks out of a box it is in (into padding, or past a border): it fits,
    // is cut with an ellipsis, or scrolls with its table.
    for (const id of document.querySelectorAll<HTMLElement>('main code.id')) {
      if (id.closest('.table-wrap')) continue;
      const right = id.getBoundingClientRect().right;
      for (let box = id.parentElement; box && box.tagName !== 'MAIN'; box = box.parentElement) {
        const style = getComputedStyle(box);
        if (style.display.startsWith('inline') || style.display === 'contents') continue;
        const inner = box.getBoundingClientRect().right - Number.parseFloat(style.paddingRight) - Number.parseFloat(style.borderRightWidth);
        if (right > inner + 1) {
          problems.push(`the id ${id.textContent} sticks out of its box (${Math.round(right - inner)} px)`);
          break;
        }
        if (style.overflowX !== 'visible') break;
      }
    }
    return { problems, scrolling };
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
    // A verification history as Sumsub and a compliance officer leave it: what the KYC case page shows.
    const officer = staff[0]?.id as string;
    const pending = demo.users.pendingOld as string;
    const history: Array<{ action: 'kyc_started' | 'kyc_status_changed'; actor: string; details: Record<string, unknown> }> = [
      { action: 'kyc_started', actor: pending, details: { levelName: 'basic-kyc-level' } },
      {
        action: 'kyc_status_changed',
        actor: 'sumsub',
        details: { from: 'pending', to: 'retry', reason: 'sumsub:applicantReviewed', rejectLabels: ['BAD_QUALITY'] },
      },
      { action: 'kyc_status_changed', actor: 'sumsub', details: { from: 'retry', to: 'pending', reason: 'sumsub:applicantPending' } },
    ];
    for (const event of history) {
      await recordAuditEvent(bed.database.pool, { ...event, resourceType: 'user', resourceId: pending });
    }
    await recordAuditEvent(bed.database.pool, {
      action: 'kyc_status_changed',
      resourceType: 'user',
      resourceId: demo.users.approved as string,
      actor: officer,
      details: { from: 'pending', to: 'approved', reason: 'manual: Pass og selfie kontrollert mot BankID.' },
    });
    candidateIds = [
      ...first(demo.users, 'pendingOld'),
      ...first(demo.transactions, 'failed'),
      ...Object.values(demo.alerts),
      ...Object.values(demo.cases),
      ...strs.map((row) => row.id),
      ...staff.map((row) => row.id),
    ];
  });

  /**
   * Every page of routes.ts a signed-in admin can open, with a seeded id where the page needs one,
   * and the other views of the lists that have them (a tab is a URL, or a button to press).
   */
  function everyPage(): Visit[] {
    const searches: Partial<Record<PageRoute, string>> = {
      customers: '?query=example.no',
      strNew: `?case=${Object.values(demo.cases)[0]}`,
    };
    const pages = (Object.entries(PATTERNS) as Array<[PageRoute, string | RegExp]>)
      .filter(([route]) => !PUBLIC_ROUTES.includes(route))
      .flatMap(([route, pattern]): Visit[] => {
        const search = searches[route] ?? '';
        if (typeof pattern === 'string') return [{ route, path: pathFor(route, search) }];
        // A page with an id: once for every seeded id it takes (each customer, transfer, alert, case, STR).
        const ids = [...new Set(candidateIds)].filter((candidate) => pattern.test(pathFor(route, '', candidate)));
        assert.ok(ids.length > 0, `the test seeds something the ${route} page can show (an id that fits ${pattern})`);
        return ids.map((id) => ({ route, path: pathFor(route, search, id) }));
      });
    const views: Visit[] = [
      ...['failed', 'large', 'held'].map((view) => ({ route: 'transfers' as const, path: pathFor('transfers', `?view=${view}`) })),
      { route: 'cases', path: pathFor('cases', '?view=all') },
      { route: 'aml', path: pathFor('aml'), press: /^Åpne og lukkede$/ },
    ];
    return [...pages, ...views];
  }

  /** Opens `visit` and waits until it has loaded: its heading, and nothing still saying it loads. */
  async function open(app: ConsoleStaff, visit: Visit): Promise<void> {
    await app.goto(`/console${visit.path}`);
    const loaded = async () => {
      assert.equal(await app.page.locator('main h1').count(), 1, `${visit.path}: the page has its heading`);
      assert.equal(
        await app.page
          .locator('main')
          .getByText(/^Laster …$/)
          .count(),
        0,
        `${visit.path}: still loading`,
      );
    };
    await eventually(loaded);
    if (visit.press) {
      await app.page.locator('main').getByRole('button', { name: visit.press }).click();
      await eventually(loaded);
    }
  }

  /** What is wrong with the page now: raw codes, ids where names belong, tables cut off. */
  async function pageProblems(app: ConsoleStaff, visit: Visit): Promise<string[]> {
    const codes = contractCodes();
    const where = `${visit.route} (${visit.path}${visit.press ? `, ${visit.press.source}` : ''})`;
    const shown = await visibleText(app.page);
    return [
      ...rawCodes(shown.shown, codes).map((code) => `${where} shows the code “${code}”`),
      ...shown.ids.map((id) => `${where} shows the id ${id} where a name belongs`),
      ...(await tableLayout(app.page)).problems.map((problem) => `${where} at 1280 px: ${problem}`),
    ];
  }

  test('an admin opens every page at 1280 px: Norwegian words only, names instead of ids, no table cut off', async (t) => {
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
      // A bank payment with a KID no transfer has, imported as staff do, so Payments has an import and a queue.
      await app.goto('/console/payments');
      await page.getByLabel('Bankfil (XML)').setInputFiles({
        name: 'camt054-ukjent-kid.xml',
        mimeType: 'application/xml',
        buffer: Buffer.from(camt054WithUnknownKid(), 'utf8'),
      });
      await page.getByRole('button', { name: 'Importer' }).click();
      await page.getByTestId('import-result').waitFor();
      // The API names who imported it (the console shows the name for anyone but the viewer).
      const files = (await (await page.request.get(`${bed.origin}/api/staff/bank-files`)).json()) as {
        data: Array<{ importedBy: string; importedByName: string | null }>;
      };
      // The demo seed's own camt imports were made by the seeding command line (`test`), no person: no name.
      assert.deepEqual(
        files.data.filter((file) => file.importedBy.startsWith('stf_')).map((file) => [file.importedBy, file.importedByName]),
        [[rows[0]?.id, 'Ada Admin']],
      );
      const bySystem = files.data.filter((file) => !file.importedBy.startsWith('stf_'));
      assert.ok(bySystem.length > 0 && bySystem.every((file) => file.importedByName === null), 'the seed imported files too, by no person');

      const codes = contractCodes();
      assert.ok(
        codes.has('awaiting_funds') && codes.has('four_eyes_proposed') && codes.has('compliance_officer'),
        'the contracts’ codes were found',
      );
      const found: string[] = [];
      const shots = new Set<string>();
      const visits = everyPage();
      assert.ok(visits.length >= 45, `every page of routes.ts and the lists' views (${visits.length})`);
      for (const visit of visits) {
        await open(app, visit);
        found.push(...(await pageProblems(app, visit)));
        // A table that scrolls (and shows it) is allowed; the report names them, as candidates for a better fit.
        for (const table of (await tableLayout(page)).scrolling) t.diagnostic(`${visit.path} scrolls at 1280 px: ${table}`);
        const shot = `console-nb-1280-${visit.route}${visit.path.includes('?view=') ? `-${visit.path.split('?view=')[1]}` : ''}`;
        if (!shots.has(shot)) await screenshot(page, shot);
        shots.add(shot);
      }
      assert.deepEqual(found, []);

      // A decision by another staff member is theirs by name; Sumsub's events and reasons are in words.
      await open(app, { route: 'kycCase', path: pathFor('kycCase', '', demo.users.approved as string) });
      assert.match(await text(page.getByTestId('history-entry').last()), /Manuell avgjørelse.*Demo Compliance (Officer|Lead)/);
      // Sofie Dahl's photo was refused by Sumsub (RETRY, BAD_QUALITY): the last step of her history.
      await open(app, { route: 'kycCase', path: pathFor('kycCase', '', demo.users.retry as string) });
      assert.match(await text(page.getByTestId('history-entry').last()), /Sumsub-hendelse vurdert.*Dårlig bildekvalitet/);

      // The audit log names who acted and what they did; the staff id stays in the tooltip.
      await open(app, { route: 'auditLog', path: pathFor('auditLog') });
      const proposal = page.getByTestId('audit-row').filter({ has: page.locator('[data-action="four_eyes_proposed"]') });
      assert.equal(await text(proposal.getByTestId('audit-actor')), 'Ada Admin');
      assert.equal(await proposal.getByTestId('audit-actor').getAttribute('title'), rows[0]?.id);
      assert.match(await text(proposal), /Forslag til godkjenning \(fire øyne\)\s*Overføring/);
      await screenshot(page, 'console-nb-1280-auditLog');
      await app.switchLanguage('EN');
      await eventually(async () => assert.match(await text(proposal), /Proposal for approval \(four eyes\)\s*Transfer/));
      await screenshot(page, 'console-en-1280-auditLog');
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('signed out, the login and enrolment pages are Norwegian too', async () => {
    const { context, app, problems } = await visitApp(bed, ConsoleStaff, { viewport: LAPTOP });
    try {
      for (const route of PUBLIC_ROUTES) {
        const visit = { route, path: pathFor(route) };
        await open(app, visit);
        assert.deepEqual(await pageProblems(app, visit), []);
      }
      assert.deepEqual(await app.unexpectedProblems(problems), []);
    } finally {
      await context.close();
    }
  });

  test('the checks find what they look for: a raw code, an id and a cut-off table', async () => {
    const codes = contractCodes();
    assert.deepEqual(rawCodes('Status: awaiting_funds · held · Godkjent · amountNok 75000', codes).sort(), [
      'amountNok',
      'awaiting_funds',
      'held',
    ]);
    assert.deepEqual(rawCodes('Kunden betaler 2 500,00 kr · ola.nordmann@example.no · eksport til goAML', codes), []);
    const { context, page } = await visitApp(bed, ConsoleStaff, { viewport: LAPTOP });
    try {
      await page.setContent(
        `<main><h1>Prøve</h1><p>Utført av stf_01M96ADEDJE8VWY97BKSV4BGWP</p><p><code class="id">usr_01M96ADCV5HC5HP8Y9XZZDBZ42</code></p>
         <section class="card" style="width: 120px"><code class="id" style="white-space: nowrap">tx_01M96ADCVH70W4BP36T1QKXYTV</code></section>
         <div class="table-wrap" style="overflow-x: hidden; width: 300px"><table data-testid="wide"><tr><td style="min-width: 900px">a</td><td>b</td></tr></table></div></main>`,
      );
      assert.deepEqual((await visibleText(page)).ids, ['stf_01M96ADEDJE8VWY97BKSV4BGWP']);
      const { problems } = await tableLayout(page);
      assert.match(problems.join('\n'), /wide: its last column ends at/);
      assert.match(problems.join('\n'), /the id tx_01M96ADCVH70W4BP36T1QKXYTV sticks out of its box/);
    } finally {
      await context.close();
    }
  });
});
