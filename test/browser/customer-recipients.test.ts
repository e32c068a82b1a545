/**
 * The customer's recipients at `/recipients`, in a real Chromium against a real server: reached
 * from the account's navigation; listed; edited with the same validation as a new recipient (a
 * wrong IBAN refused at its field and nothing stored), where the change becomes a new recipient and
 * the old one – with the transfer already made to it – stays as it was; removal refused while a
 * transfer to the recipient is on its way (and editing too), allowed once it is cancelled; a
 * removed recipient stays gone after a reload. In Norwegian on a desktop and in English on a phone.
 *
 * The account tabs on a phone (390 and 360 px) either fit or visibly scroll: measured from element
 * boxes, not screenshots.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CustomerRecipients } from './pages/customer-recipients.ts';
import { eventually, type PageProblems, screenshot, text, useBrowserTestBed, visitApp } from './support.ts';

const ANNA_IBAN = 'DE89370400440532013000';
const ANNA_NEW_IBAN = 'DE75512108001245126199';
/** ANNA_NEW_IBAN with its last digit changed: the checksum no longer holds. */
const BAD_IBAN = 'DE75512108001245126198';
const BENT_IBAN = 'DE02120300000000202051';

/** Calls the API from the signed-in page (its session cookie, its Origin), as the app does. */
async function api(page: Page, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return page.evaluate(
    async ({ method, path, body, headers }) => {
      const response = await fetch(path, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, json: text ? JSON.parse(text) : undefined };
    },
    { method, path, body, headers },
  );
}

async function addRecipient(page: Page, name: string, iban: string): Promise<{ id: string; display: string }> {
  const added = await api(page, 'POST', '/api/recipients', {
    name,
    country: 'DE',
    currency: 'EUR',
    relationship: 'family',
    details: { iban },
  });
  assert.equal(added.status, 201, JSON.stringify(added.json));
  return added.json.data;
}

/** A quote and a transfer to `recipientId`: a transfer awaiting the customer's payment. */
async function transferTo(page: Page, recipientId: string): Promise<string> {
  const quote = await api(page, 'POST', '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '1000' });
  assert.equal(quote.status, 201, JSON.stringify(quote.json));
  const created = await api(
    page,
    'POST',
    '/api/transfers',
    { quoteId: quote.json.data.id, recipientId },
    { 'idempotency-key': randomUUID() },
  );
  assert.equal(created.status, 201, JSON.stringify(created.json));
  return created.json.data.id;
}

interface NavMeasure {
  viewport: number;
  pageOverflow: number;
  nav: { left: number; right: number; scrollWidth: number; clientWidth: number };
  moreStart: string | undefined;
  moreEnd: string | undefined;
  /** The "more" arrows over the row's edges, where shown. */
  arrows: { start?: { left: number; right: number; width: number }; end?: { left: number; right: number; width: number } };
  links: Array<{ name: string; left: number; right: number; current: boolean }>;
}

/** The account tabs' boxes, as laid out now. */
function measureNav(page: Page): Promise<NavMeasure> {
  return page.evaluate(() => {
    const nav = document.querySelector<HTMLElement>('nav.account-nav');
    if (!nav) throw new Error('no account navigation');
    const box = nav.getBoundingClientRect();
    return {
      viewport: document.documentElement.clientWidth,
      pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      nav: { left: box.left, right: box.right, scrollWidth: nav.scrollWidth, clientWidth: nav.clientWidth },
      moreStart: nav.dataset.moreStart,
      moreEnd: nav.dataset.moreEnd,
      arrows: Object.fromEntries(
        (['start', 'end'] as const).flatMap((edge) => {
          const arrow = document.querySelector(`[data-testid="account-nav-more-${edge}"]`);
          if (!arrow) return [];
          const r = arrow.getBoundingClientRect();
          return [[edge, { left: r.left, right: r.right, width: r.width }]];
        }),
      ),
      links: [...nav.querySelectorAll('a')].map((link) => {
        const r = link.getBoundingClientRect();
        return {
          name: (link.textContent ?? '').trim(),
          left: r.left,
          right: r.right,
          current: link.getAttribute('aria-current') === 'page',
        };
      }),
    };
  });
}

/** What went wrong on the page, less the refusals (409, 422) this test asks for: Chromium logs each failed request. */
async function unexpected(problems: PageProblems): Promise<string[]> {
  const asked = /status of (409 \(Conflict\)|422 \(Unprocessable Entity\)) \(http:\/\/localhost:\d+\/api\/recipients\/rcp_/;
  return (await problems.list()).filter((problem) => !asked.test(problem));
}

const inside = (link: { left: number; right: number }, nav: { left: number; right: number }) =>
  link.left >= nav.left - 0.5 && link.right <= nav.right + 0.5;

/**
 * At a phone's width the tabs do not all fit, so the row must say it scrolls: the page itself does
 * not scroll sideways, the current tab is in full view, the first tab cut off at the right edge
 * shows part of itself under a faded edge, and every tab can be scrolled fully into view – the
 * last one turning the fade to the other edge.
 */
async function assertTabsScrollVisibly(page: Page, names: readonly string[], options: { justLoaded: boolean }): Promise<void> {
  await page.waitForFunction(() => document.querySelector<HTMLElement>('nav.account-nav')?.dataset.moreEnd !== undefined);
  // The arrows follow the row's marks on the next render.
  const first = await eventually(async () => {
    const measured = await measureNav(page);
    assert.equal(Boolean(measured.arrows.start), measured.moreStart === 'true');
    assert.equal(Boolean(measured.arrows.end), measured.moreEnd === 'true');
    return measured;
  });
  assert.equal(first.pageOverflow, 0, `no sideways page scroll at ${first.viewport} px`);
  assert.deepEqual(
    first.links.map((link) => link.name),
    names,
  );
  assert.ok(first.nav.left >= 0 && first.nav.right <= first.viewport + 0.5, 'the tab row lies within the screen');
  if (options.justLoaded) {
    const current = first.links.find((link) => link.current);
    assert.ok(current && inside(current, first.nav), `on arrival the current tab is in full view at ${first.viewport} px`);
    if (first.arrows.start) assert.ok(current.left >= first.arrows.start.right, 'and clear of the arrow on the left');
    if (first.arrows.end) assert.ok(current.right <= first.arrows.end.left, 'and clear of the arrow on the right');
  }

  if (first.nav.scrollWidth <= first.nav.clientWidth) {
    // Everything fits: nothing is cut off.
    for (const link of first.links) assert.ok(inside(link, first.nav), `${link.name} fits at ${first.viewport} px`);
    assert.equal(first.moreEnd, 'false');
    return;
  }
  // Back at the start: an arrow over the right edge says the row goes on, and nothing over the left.
  await page.evaluate(() => document.querySelector('nav.account-nav')?.scrollTo({ left: 0, behavior: 'instant' }));
  const atStart = await eventually(async () => {
    const measured = await measureNav(page);
    assert.equal(measured.moreStart, 'false');
    assert.equal(Boolean(measured.arrows.start), false);
    return measured;
  });
  assert.equal(atStart.moreEnd, 'true', `the row says there is more to the right at ${atStart.viewport} px`);
  assert.ok(atStart.arrows.end && atStart.arrows.end.width >= 24, 'an arrow shows over the right edge');
  assert.ok(Math.abs(atStart.arrows.end.right - atStart.nav.right) < 1, 'the arrow sits at the edge of the row');
  assert.equal(atStart.arrows.start, undefined, 'no arrow on the left at the start');
  assert.ok(
    atStart.links.some((link) => !inside(link, atStart.nav)),
    'some tab is out of view, which is why the arrow is there',
  );

  // The arrow scrolls the row on.
  const scrolled = await page.evaluate(() => document.querySelector('nav.account-nav')?.scrollLeft ?? 0);
  await page.getByTestId('account-nav-more-end').click();
  await eventually(async () =>
    assert.ok(
      (await page.evaluate(() => document.querySelector('nav.account-nav')?.scrollLeft ?? 0)) > scrolled + 40,
      'the arrow scrolls the tabs',
    ),
  );

  for (const name of names) {
    await page.locator('nav.account-nav').getByRole('link', { name, exact: true }).scrollIntoViewIfNeeded();
    const now = await measureNav(page);
    const link = now.links.find((candidate) => candidate.name === name);
    assert.ok(link && inside(link, now.nav), `"${name}" scrolls fully into view at ${now.viewport} px`);
  }
  await eventually(async () => {
    const end = await measureNav(page);
    assert.equal(end.moreEnd, 'false', 'at the end, nothing more to the right');
    assert.equal(end.moreStart, 'true', 'at the end, the row says there is more to the left');
    assert.ok(end.arrows.start && !end.arrows.end, 'the arrow is now on the left');
    const last = end.links[end.links.length - 1];
    assert.ok(
      last && inside(last, end.nav) && end.arrows.start && last.left > end.arrows.start.right,
      'the last tab is clear of the arrow',
    );
  });
  assert.equal((await measureNav(page)).pageOverflow, 0);
}

const NB_TABS = ['Oversikt', 'Send penger', 'Overføringer', 'Mottakere', 'Identitet', 'Innlogginger', 'Personvern'];
const EN_TABS = ['Overview', 'Send money', 'Transfers', 'Recipients', 'Identity', 'Sign-ins', 'Privacy'];

describe('recipients in the customer app', () => {
  const bed = useBrowserTestBed();

  async function stored(id: string) {
    const { rows } = await bed.database.pool.query<{ name: string; iban: string; deleted: boolean; replaced_by: string | null }>(
      `SELECT name, details->>'iban' AS iban, deleted_at IS NOT NULL AS deleted, replaced_by FROM recipients WHERE id = $1`,
      [id],
    );
    assert.ok(rows[0], `recipient ${id} is stored`);
    return rows[0];
  }

  test('Ola lists, edits and removes recipients; removing or editing one with a transfer on its way is refused', async () => {
    const { page, app, problems, context } = await visitApp(bed, CustomerRecipients);
    try {
      const userId = await app.signInWithBankId('ola');
      await bed.database.pool.query(`UPDATE users SET kyc_status = 'approved', kyc_tier = 1 WHERE id = $1`, [userId]);
      const anna = await addRecipient(page, 'Anna Schmidt', ANNA_IBAN);
      const bent = await addRecipient(page, 'Bent Hansen', BENT_IBAN);
      // Anna: a transfer made and cancelled (history). Bent: a transfer awaiting payment (on its way).
      const pastTransfer = await transferTo(page, anna.id);
      assert.equal((await api(page, 'POST', `/api/transfers/${pastTransfer}/cancel`)).status, 200);
      const bentTransfer = await transferTo(page, bent.id);

      // Reached from the account's navigation.
      await app.accountNavLink('Mottakere').click();
      await app.waitForList();
      assert.equal(await text(app.heading()), 'Mottakere');
      assert.equal(await page.title(), 'Mottakere – Drop');
      assert.equal(await app.accountNavLink('Mottakere').getAttribute('aria-current'), 'page');
      assert.equal(await text(page.getByTestId('recipients-count')), '2 mottakere');
      assert.deepEqual(await app.listed(), [
        { id: bent.id, name: 'Bent Hansen', account: bent.display },
        { id: anna.id, name: 'Anna Schmidt', account: anna.display },
      ]);
      assert.ok(!(await app.listed()).some((row) => row.account.includes(ANNA_IBAN)), 'the full IBAN is not listed');
      await screenshot(page, 'customer-recipients');

      // Edit Anna: the form holds her details; a wrong IBAN is refused at its field and nothing changes.
      await app.startEdit('Anna Schmidt');
      assert.equal(await app.field('name').inputValue(), 'Anna Schmidt');
      assert.equal(await app.field('iban').inputValue(), ANNA_IBAN);
      assert.equal(await app.field('relationship').inputValue(), 'family');
      await app.field('iban').fill(BAD_IBAN);
      await app.save();
      await page.getByTestId('recipient-error-iban').waitFor();
      assert.equal(await text(page.getByTestId('recipient-error-iban')), 'IBAN er ikke gyldig. Se etter skrivefeil.');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'recipient-field-iban');
      assert.deepEqual(await stored(anna.id), { name: 'Anna Schmidt', iban: ANNA_IBAN, deleted: false, replaced_by: null });
      await screenshot(page, 'customer-recipients-edit-refused');

      await app.field('name').fill('Anna Schmidt-Berg');
      await app.field('iban').fill(ANNA_NEW_IBAN.replace(/(.{4})/g, '$1 ').trim());
      await app.save();
      assert.equal(await app.waitForRecipientsNotice('ok'), 'Anna Schmidt-Berg er oppdatert.');
      const afterEdit = await app.listed();
      const newAnna = afterEdit.find((row) => row.name === 'Anna Schmidt-Berg');
      assert.ok(newAnna && newAnna.id !== anna.id, 'the edit is a new version of the recipient');
      assert.ok(newAnna.account.endsWith(ANNA_NEW_IBAN.slice(-4)), `the new account is shown (${newAnna.account})`);
      assert.equal(afterEdit.length, 2);
      assert.deepEqual(await stored(newAnna.id), { name: 'Anna Schmidt-Berg', iban: ANNA_NEW_IBAN, deleted: false, replaced_by: null });
      // The old version is retired, not rewritten, and the transfer made to it still points at it.
      assert.deepEqual(await stored(anna.id), { name: 'Anna Schmidt', iban: ANNA_IBAN, deleted: true, replaced_by: newAnna.id });
      const past = await bed.database.pool.query('SELECT recipient_id FROM transactions WHERE id = $1', [pastTransfer]);
      assert.equal(past.rows[0].recipient_id, anna.id);
      const pastDetail = await api(page, 'GET', `/api/transfers/${pastTransfer}`);
      assert.equal(pastDetail.status, 200);
      assert.equal(pastDetail.json.data.recipient.name, 'Anna Schmidt', 'the past transfer shows who it went to then');

      // Bent has a transfer on its way: removing him is refused, and he stays.
      await app.remove('Bent Hansen');
      assert.equal(
        await app.waitForRecipientsNotice('refused'),
        'Bent Hansen kan ikke fjernes ennå: en overføring til Bent Hansen er på vei. Når den er fremme (eller kansellert), kan du fjerne mottakeren.',
      );
      assert.equal(await app.recipientsNotice().getAttribute('role'), 'alert');
      assert.equal(await app.recipientsNotice().getByRole('link').getAttribute('href'), '/transfers');
      assert.equal(await text(app.recipientsNotice().getByRole('link')), 'Se overføringene dine');
      assert.deepEqual(await stored(bent.id), { name: 'Bent Hansen', iban: BENT_IBAN, deleted: false, replaced_by: null });
      assert.equal(await app.row('Bent Hansen').count(), 1);
      await screenshot(page, 'customer-recipients-remove-refused');

      // Editing him is refused too, with the reason in the form; nothing is stored.
      await app.startEdit('Bent Hansen');
      await app.field('name').fill('Bent Olav Hansen');
      await app.save();
      const formError = page.getByTestId('recipient-form-error');
      await formError.waitFor();
      assert.match(await text(formError), /^Bent Hansen kan ikke endres ennå: en overføring til Bent Hansen er på vei/);
      assert.deepEqual(await stored(bent.id), { name: 'Bent Hansen', iban: BENT_IBAN, deleted: false, replaced_by: null });
      const count = await bed.database.pool.query('SELECT count(*)::int AS n FROM recipients WHERE user_id = $1', [userId]);
      assert.equal(count.rows[0].n, 3, 'Anna, her old version, and Bent: no new row from the refused edit');
      await page.getByRole('button', { name: 'Avbryt' }).click();

      // Remove Anna's new version: asked first, then gone.
      await app.remove('Anna Schmidt-Berg');
      assert.equal(await app.waitForRecipientsNotice('ok'), 'Anna Schmidt-Berg er fjernet fra mottakerne dine.');
      assert.deepEqual(
        (await app.listed()).map((row) => row.name),
        ['Bent Hansen'],
      );
      assert.equal((await stored(newAnna.id)).deleted, true);

      // Once Bent's transfer is cancelled, he can be removed.
      assert.equal((await api(page, 'POST', `/api/transfers/${bentTransfer}/cancel`)).status, 200);
      await app.remove('Bent Hansen');
      assert.equal(await app.waitForRecipientsNotice('ok'), 'Bent Hansen er fjernet fra mottakerne dine.');
      await page.getByTestId('recipients-empty').waitFor();

      // After a reload the list is still empty, and it says where recipients come from.
      await app.open('/recipients');
      await app.waitForList();
      assert.equal(await text(page.getByTestId('recipients-count')), '0 mottakere');
      assert.equal(await page.getByTestId('recipients-empty').getByRole('link').getAttribute('href'), '/send');
      assert.deepEqual(await unexpected(problems), []);
    } finally {
      await context.close();
    }
  });

  test('in English on a phone: the list, the edit form and the refusal read in English and fit; the tabs scroll visibly at 390 and 360 px', async () => {
    const { page, app, problems, context } = await visitApp(bed, CustomerRecipients, { phone: true });
    try {
      const userId = await app.signInWithBankId('kari');
      await bed.database.pool.query(`UPDATE users SET kyc_status = 'approved', kyc_tier = 1 WHERE id = $1`, [userId]);
      const bent = await addRecipient(page, 'Bent Hansen', BENT_IBAN);
      await addRecipient(page, 'Anna Schmidt', ANNA_IBAN);
      await transferTo(page, bent.id);

      await app.open('/recipients');
      await app.waitForList();
      await page.getByTestId('account-nav-more-end').waitFor();
      await screenshot(page, 'customer-recipients-phone-tabs', { fullPage: false });
      await assertTabsScrollVisibly(page, NB_TABS, { justLoaded: true });
      await screenshot(page, 'customer-recipients-phone-nb', { fullPage: false });

      await page.getByRole('button', { name: 'English', exact: true }).click();
      await eventually(async () => assert.equal(await text(app.heading()), 'Recipients'));
      assert.equal(await text(page.getByTestId('recipients-count')), '2 recipients');
      await assertTabsScrollVisibly(page, EN_TABS, { justLoaded: false });

      await app.remove('Bent Hansen');
      assert.match(
        await app.waitForRecipientsNotice('refused'),
        /^Bent Hansen cannot be removed yet: a transfer to Bent Hansen is on its way\./,
      );
      await app.startEdit('Anna Schmidt');
      assert.equal(await text(page.getByTestId('recipient-save')), 'Save changes');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, 'the edit form fits the phone');
      await screenshot(page, 'customer-recipients-phone-en');

      // 360 px: the narrowest common phone, on arrival (the language is remembered) and after switching.
      await page.setViewportSize({ width: 360, height: 780 });
      await app.open('/recipients');
      await app.waitForList();
      await assertTabsScrollVisibly(page, EN_TABS, { justLoaded: true });
      await page.getByRole('button', { name: 'Norsk', exact: true }).click();
      await eventually(async () => assert.equal(await text(app.heading()), 'Mottakere'));
      await assertTabsScrollVisibly(page, NB_TABS, { justLoaded: false });
      await screenshot(page, 'customer-recipients-phone-360', { fullPage: false });

      // On a desktop every tab fits, nothing fades.
      await page.setViewportSize({ width: 1280, height: 900 });
      // The row's data-more-* attributes change at once; the arrows go with React's next render.
      await eventually(async () => {
        const settled = await measureNav(page);
        assert.equal(settled.moreEnd, 'false');
        assert.deepEqual(settled.arrows, {}, 'no arrows on a desktop');
      });
      const desktop = await measureNav(page);
      for (const link of desktop.links) assert.ok(inside(link, desktop.nav), `${link.name} fits at 1280 px`);
      assert.deepEqual(desktop.arrows, {}, 'no arrows on a desktop');
      await screenshot(page, 'customer-recipients-desktop-edit', { fullPage: false });
      assert.deepEqual(await unexpected(problems), []);
    } finally {
      await context.close();
    }
  });
});
