/**
 * A bank payment that arrives after the transfer's price expired, in the customer app, in a real
 * Chromium against a real server. The transfer is made through the API as the app makes it, and
 * the bank's camt.054 notification (booked five days later, beyond the three days' tolerance) is
 * imported with core, as `drop payments import` does. Ola's transfer page then says the money came
 * after the price expired, shows nothing to pay and nothing to cancel, and offers the two ways
 * out: he sees the new price beside the old one (letting it run out once and asking again),
 * accepts it and lands on the new, paid transfer, while the old one shows cancelled. On a phone,
 * in English, Kari asks for her money back instead (changing her mind once), and is told where it
 * goes; a payment whose bank did not say which account paid cannot be sent back by the app, and
 * she is told to contact customer service; and when the decision was made meanwhile in another
 * tab, the page says so and shows where the transfer now stands.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { type BankEntry, importBankFile } from '@drop/core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { GERMAN_IBAN, recipientBody } from '../support/customers.ts';
import { CustomerApp } from './pages/customer-app.ts';
import { CustomerTransfers, figuresIn } from './pages/customer-send.ts';
import { eventually, openWatchedPage, type PageProblems, text, useBrowserTestBed } from './support.ts';

/** Drop's client account in the test configuration (PAYIN_ACCOUNT's default), and as the bank names it. */
const PAYIN_ACCOUNT = '86011117947';
const PAYIN_IBAN = 'NO9386011117947';
/** The account the late payments come from. */
const PAYER_ACCOUNT = '12345678903';

/** Where this suite's screenshots go. */
const SHOTS = path.join(tmpdir(), 'drop-customer-late-payment');

type Tag = 'nb-NO' | 'en-GB';

/** Whitespace collapsed, as `text()` reads the page (Intl groups with no-break spaces). */
const collapse = (value: string) => value.replace(/\s+/g, ' ').trim();

/** What the page must show for an amount, computed here independently of the app's own helpers. */
function money(amount: string, currency: string, tag: Tag): string {
  return collapse(new Intl.NumberFormat(tag, { style: 'currency', currency }).format(amount as `${number}`));
}

/** A rate as the figures show it ("1 NOK = 0,08510 EUR"), or as the comparison does (`perNok`: "0,0851 EUR"). */
function rateText(rate: string, currency: string, tag: Tag, options: { perNok?: boolean } = {}): string {
  // Five digits from the first digit of the whole part (or of the decimals, below one), at least four significant, cut.
  const [whole = '', fraction = ''] = rate.split('.');
  const significantWhole = whole.replace(/^0+/, '');
  const decimals = significantWhole ? Math.max(0, 5 - significantWhole.length) : Math.max(5, (/^0*/.exec(fraction)?.[0].length ?? 0) + 4);
  const shown = new Intl.NumberFormat(tag, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    roundingMode: 'trunc',
  }).format(rate as `${number}`);
  return collapse(options.perNok ? `${shown} ${currency}` : `1 NOK = ${shown} ${currency}`);
}

/** A calendar date ("2026-11-27") as the page writes it: "27. november 2026", "27 November 2026". */
function calendarDate(isoDate: string, tag: Tag): string {
  return new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

/** What `POST /api/transfers` answers, as far as this test reads it. */
interface CreatedTransfer {
  id: string;
  kid: string;
  status: string;
  send: { amount: string; currency: string };
  fee: { amount: string; currency: string };
  receive: { amount: string; currency: string };
  rate: string;
}

interface NewQuote {
  id: string;
  send: { amount: string };
  fee: { amount: string };
  receive: { amount: string; currency: string };
  rate: string;
}

/** The late-payment card on a transfer's page. */
class LatePaymentCard {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  card(): Locator {
    return this.page.getByTestId('late-payment-card');
  }

  async waitUntilShown(): Promise<void> {
    await this.card().waitFor();
  }

  title(): Promise<string> {
    return text(this.card().getByRole('heading', { level: 2 }));
  }

  async facts(): Promise<{ amount: string; bookedOn: string }> {
    return { amount: await text(this.card().getByTestId('late-amount')), bookedOn: await text(this.card().getByTestId('late-booked-on')) };
  }

  seePriceButton(): Locator {
    return this.page.getByTestId('late-see-price');
  }

  acceptButton(): Locator {
    return this.page.getByTestId('late-accept');
  }

  refundButton(): Locator {
    return this.page.getByTestId('late-refund');
  }

  refundDialog(): Locator {
    return this.page.getByTestId('late-refund-dialog');
  }

  /** Clicks "See the new price" (or "Get a new price") and returns the quote the page asked for. */
  async seeNewPrice(): Promise<NewQuote> {
    const answer = this.page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/late-payment/quote'),
    );
    await this.seePriceButton().click();
    const response = await answer;
    assert.equal(response.status(), 201);
    const quote = ((await response.json()) as { data: NewQuote }).data;
    await eventually(async () => assert.equal(await this.card().getByTestId('late-offer').getAttribute('data-quote-id'), quote.id));
    return quote;
  }

  /** The old and the new price as shown, row by row. */
  async comparison(): Promise<Record<'old' | 'new', Record<'send' | 'fee' | 'rate' | 'receive', string>>> {
    const read = async (which: 'old' | 'new') => ({
      send: await text(this.card().getByTestId(`late-${which}-send`)),
      fee: await text(this.card().getByTestId(`late-${which}-fee`)),
      rate: await text(this.card().getByTestId(`late-${which}-rate`)),
      receive: await text(this.card().getByTestId(`late-${which}-receive`)),
    });
    return { old: await read('old'), new: await read('new') };
  }

  countdown(): Locator {
    return this.card().getByTestId('quote-countdown');
  }

  /** Accepts the new price and returns the new transfer the server made. */
  async accept(): Promise<CreatedTransfer> {
    const answer = this.page.waitForResponse(
      (response) => response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/late-payment/accept'),
    );
    await this.acceptButton().click();
    const response = await answer;
    assert.equal(response.status(), 201);
    return ((await response.json()) as { data: CreatedTransfer }).data;
  }

  /** "Get my money back", then confirms in the dialog. */
  async refund(): Promise<void> {
    await this.refundButton().click();
    await this.refundDialog().waitFor();
    await this.refundDialog().getByTestId('late-refund-confirm').click();
  }
}

describe('customer app: a payment that arrived after the price expired', () => {
  const bed = useBrowserTestBed();
  let fileNumber = 0;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
  });

  interface Visit {
    context: BrowserContext;
    page: Page;
    app: CustomerApp;
    transfers: CustomerTransfers;
    late: LatePaymentCard;
    problems: PageProblems;
  }

  async function visit(options: { phone?: boolean } = {}): Promise<Visit> {
    const { context, page, problems } = await openWatchedPage(bed.browser, { phone: options.phone, timezoneId: 'Europe/Oslo' });
    return {
      context,
      page,
      app: new CustomerApp(page, bed.origin),
      transfers: new CustomerTransfers(page, bed.origin),
      late: new LatePaymentCard(page),
      problems,
    };
  }

  /** Signs in through the BankID test provider and approves the customer's identity check; returns their id. */
  async function signInVerified(visit: Visit, person: string): Promise<string> {
    const userId = await visit.app.signInWithBankId(person);
    const { rowCount } = await bed.database.pool.query("UPDATE users SET kyc_status = 'approved', kyc_tier = 1 WHERE id = $1", [userId]);
    assert.equal(rowCount, 1);
    return userId;
  }

  /** What went wrong on a visit's pages, less the BankID provider's missing favicon and the refusals the test caused. */
  async function problemsOf(visit: Visit, expected: RegExp[] = []): Promise<string[]> {
    return (await visit.problems.list()).filter(
      (problem) => !/status of 404 .*\/favicon\.ico\)$/.test(problem) && !expected.some((pattern) => pattern.test(problem)),
    );
  }

  /** A transfer of `sendAmount` kr to Anna Schmidt in Germany, made through the API as the app makes it: quote, recipient, transfer. */
  async function newTransfer(page: Page, sendAmount: string): Promise<CreatedTransfer> {
    const created = await page.evaluate(
      async ({ sendAmount, anna, key }) => {
        const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
          const response = await fetch(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
            body: JSON.stringify(body),
          });
          if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
          return ((await response.json()) as { data: { id: string } }).data;
        };
        const quote = await post('/api/quotes', { country: 'DE', currency: 'EUR', sendAmount });
        const recipient = await post('/api/recipients', anna);
        return post('/api/transfers', { quoteId: quote.id, recipientId: recipient.id }, { 'idempotency-key': key });
      },
      { sendAmount, anna: recipientBody({ iban: GERMAN_IBAN }), key: randomUUID() },
    );
    const transfer = created as unknown as CreatedTransfer;
    assert.equal(transfer.status, 'awaiting_funds');
    assert.match(transfer.kid, /^\d{12}$/);
    return transfer;
  }

  /**
   * The bank's camt.054 notification of the payment for `transfer`, booked five days from today
   * (beyond the three days' tolerance after its 30-minute quote), imported with core as
   * `drop payments import` does. Returns the booking date.
   */
  async function payLate(transfer: CreatedTransfer, debtor: BankEntry['debtor'] = { name: 'Kari Nordmann', account: PAYER_ACCOUNT }) {
    const bookedOn = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    fileNumber++;
    const summary = await importBankFile(bed.database.pool, {
      file: {
        kind: 'camt.054',
        messageId: `DNB-LATE-${fileNumber}-${randomUUID().slice(0, 8)}`,
        reports: [
          {
            id: `NTF-LATE-${fileNumber}`,
            account: { iban: PAYIN_IBAN },
            entries: [
              {
                reference: `BOOK-${randomUUID()}`,
                creditDebit: 'CRDT',
                reversal: false,
                status: 'BOOK',
                amountMinor: BigInt(transfer.send.amount.replace('.', '')),
                currency: 'NOK',
                bookingDate: bookedOn,
                kid: transfer.kid,
                debtor,
              },
            ],
          },
        ],
      },
      sha256: createHash('sha256').update(randomBytes(32)).digest(),
      importedBy: 'test',
      payInAccount: PAYIN_ACCOUNT,
      kidFormat: { method: 'MOD10', length: 12 },
      lateToleranceDays: 3,
    });
    assert.deepEqual(
      summary.exceptions.map((exception) => [exception.reason, exception.kid]),
      [['late_payment', transfer.kid]],
      'the payment waits for the customer, not funding the transfer',
    );
    assert.deepEqual(summary.funded, []);
    return bookedOn;
  }

  async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    const fullPage = options.fullPage ?? true;
    // A full-page capture from a scrolled position would paint the sticky header mid-page.
    if (fullPage) await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage, animations: 'disabled' });
  }

  async function noHorizontalScroll(page: Page): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `no horizontal scrolling at ${page.viewportSize()?.width} px (${new URL(page.url()).pathname})`);
  }

  test('Ola sees the new price beside the old one, lets it run out once, accepts a fresh one, and lands on the new, paid transfer', async () => {
    const ola = await visit();
    const { page, app, transfers, late } = ola;
    try {
      await signInVerified(ola, 'ola');
      const old = await newTransfer(page, '700');
      const bookedOn = await payLate(old);

      // The browser's clock is the test's, so the new price can be let run out without waiting.
      await page.clock.install();
      await app.open(`/transfers/${old.id}`);
      await transfers.waitForTransfer(old.id, 'awaiting_funds');
      await late.waitUntilShown();
      assert.equal(await late.title(), 'Betalingen din kom etter at prisen utløp');
      assert.deepEqual(await late.facts(), { amount: money('700.00', 'NOK', 'nb-NO'), bookedOn: calendarDate(bookedOn, 'nb-NO') });
      assert.equal(await text(transfers.statusBadge()), 'Venter på svaret ditt');
      assert.equal(
        await text(page.getByTestId('transfer-status-text')),
        'Pengene har kommet, men etter at prisen utløp. Velg hva vi skal gjøre med dem.',
      );
      assert.equal(await page.getByTestId('payin-card').count(), 0, 'nothing to pay: the money has arrived');
      assert.equal(await page.getByTestId('cancel-card').count(), 0, 'no plain cancel: the money would have nowhere to go');
      assert.equal(await text(late.seePriceButton()), 'Se ny pris');
      assert.equal(await text(late.refundButton()), 'Få pengene tilbake');
      await noHorizontalScroll(page);
      await shot(page, 'late-payment-card');

      // The new price beside the old one, with its countdown.
      const quote = await late.seeNewPrice();
      assert.equal(quote.send.amount, old.send.amount, 'a new price for the same amount');
      assert.deepEqual(await late.comparison(), {
        old: {
          send: money(old.send.amount, 'NOK', 'nb-NO'),
          fee: money(old.fee.amount, 'NOK', 'nb-NO'),
          rate: rateText(old.rate, 'EUR', 'nb-NO', { perNok: true }),
          receive: money(old.receive.amount, 'EUR', 'nb-NO'),
        },
        new: {
          send: money(quote.send.amount, 'NOK', 'nb-NO'),
          fee: money(quote.fee.amount, 'NOK', 'nb-NO'),
          rate: rateText(quote.rate, 'EUR', 'nb-NO', { perNok: true }),
          receive: money(quote.receive.amount, 'EUR', 'nb-NO'),
        },
      });
      assert.match(await text(late.countdown()), /^Prisen er låst i (29:[0-5]\d|30:00)$/);
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Gammel og ny pris', 'focus moves to the new price');
      const change = await text(page.getByTestId('late-change'));
      if (quote.receive.amount === old.receive.amount) assert.equal(change, 'Mottakeren får det samme med den nye prisen.');
      else assert.match(change, /^Med den nye prisen får mottakeren .+ (mer|mindre)\.$/);
      assert.equal(await text(late.acceptButton()), 'Godta og send');
      await noHorizontalScroll(page);
      await shot(page, 'late-payment-new-price');

      // Left too long, the new price is no longer locked: no accepting it, a fresh one instead.
      await page.clock.fastForward('30:05');
      await eventually(async () => assert.equal(await late.countdown().getAttribute('data-expired'), 'true'));
      assert.equal(await text(late.countdown()), 'Prisen er ikke lenger låst');
      assert.equal(await late.acceptButton().count(), 0);
      assert.equal(await text(late.seePriceButton()), 'Hent ny pris');
      await shot(page, 'late-payment-price-expired');
      const fresh = await late.seeNewPrice();
      assert.notEqual(fresh.id, quote.id);
      assert.match(await text(late.countdown()), /^Prisen er låst i (29:[0-5]\d|30:00)$/);

      // Accepted: a new transfer, already paid, replaces the old one.
      const replacement = await late.accept();
      assert.notEqual(replacement.id, old.id);
      assert.equal(replacement.status, 'funds_received');
      await transfers.waitForTransfer(replacement.id, 'funds_received');
      assert.equal(await text(transfers.statusBadge()), 'Betaling mottatt');
      assert.equal(await text(page.getByTestId('transfer-status-text')), 'Vi har mottatt pengene og gjør overføringen klar.');
      assert.equal(await late.card().count(), 0);
      assert.equal(await page.getByTestId('payin-card').count(), 0);
      const figures = await figuresIn(transfers.detail().getByTestId('transfer-figures'));
      assert.equal(figures.receive, money(fresh.receive.amount, 'EUR', 'nb-NO'));
      assert.equal(figures.rate, rateText(fresh.rate, 'EUR', 'nb-NO'));
      await shot(page, 'late-payment-accepted');

      // The old transfer is cancelled, by Ola.
      await app.open(`/transfers/${old.id}`);
      await transfers.waitForTransfer(old.id, 'cancelled');
      assert.equal(await text(transfers.statusBadge()), 'Kansellert');
      assert.equal(await late.card().count(), 0);
      const timeline = await transfers.timeline();
      assert.deepEqual(
        timeline.map((entry) => entry.to),
        ['awaiting_funds', 'cancelled'],
      );
      assert.match(timeline[1]?.meta ?? '', /av deg$/);
      await transfers.openList();
      const listed = await transfers.list();
      assert.deepEqual(
        listed.map((row) => [row.id, row.status]),
        [
          [replacement.id, 'funds_received'],
          [old.id, 'cancelled'],
        ],
      );

      assert.deepEqual(await problemsOf(ola), []);
    } finally {
      await ola.context.close();
    }
  });

  test('on a phone, in English: Kari gets her money back after confirming; without the paying account she is sent to customer service; a decision made in another tab is noticed', async () => {
    const kari = await visit({ phone: true });
    const { page, app, transfers, late } = kari;
    try {
      await signInVerified(kari, 'kari');
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await eventually(async () => assert.equal(await page.locator('html').getAttribute('lang'), 'en'));
      const declined = await newTransfer(page, '720');
      const bookedOn = await payLate(declined);

      await app.open(`/transfers/${declined.id}`);
      await transfers.waitForTransfer(declined.id, 'awaiting_funds');
      await late.waitUntilShown();
      assert.equal(await late.title(), 'Your payment arrived after the price expired');
      assert.deepEqual(await late.facts(), { amount: money('720.00', 'NOK', 'en-GB'), bookedOn: calendarDate(bookedOn, 'en-GB') });
      assert.equal(await text(transfers.statusBadge()), 'Waiting for your decision');
      assert.equal(await text(late.seePriceButton()), 'See the new price');
      assert.equal(await text(late.refundButton()), 'Get my money back');
      await noHorizontalScroll(page);
      await shot(page, 'late-payment-card-phone-en');

      // The new price on a phone, to see that the comparison fits.
      const quote = await late.seeNewPrice();
      const shown = await late.comparison();
      assert.equal(shown.new.receive, money(quote.receive.amount, 'EUR', 'en-GB'));
      assert.equal(shown.new.rate, rateText(quote.rate, 'EUR', 'en-GB', { perNok: true }));
      assert.match(await text(late.countdown()), /^Price locked for (29:[0-5]\d|30:00)$/);
      assert.equal(await text(late.acceptButton()), 'Accept and send');
      await noHorizontalScroll(page);
      await late
        .card()
        .getByTestId('late-compare')
        .evaluate((table) => table.scrollIntoView({ block: 'center' }));
      await shot(page, 'late-payment-new-price-phone-en', { fullPage: false });

      // She changes her mind once: nothing happens.
      await late.refundButton().click();
      const dialog = late.refundDialog();
      await dialog.waitFor();
      assert.equal(await text(dialog.getByRole('heading')), 'Get your money back?');
      assert.equal(
        await text(dialog.locator('p')),
        `The transfer is cancelled, and we send ${money('720.00', 'NOK', 'en-GB')} back to the account you paid from. This cannot be undone.`,
      );
      await shot(page, 'late-payment-refund-dialog-phone-en', { fullPage: false });
      await dialog.getByRole('button', { name: 'No, go back' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await late.card().count(), 1);

      // Then she asks for it back.
      await late.refund();
      const refunded = page.getByTestId('late-refunded');
      await refunded.waitFor();
      await transfers.waitForTransfer(declined.id, 'cancelled');
      assert.equal(await text(refunded.getByRole('heading')), 'Your money is on its way back');
      assert.equal(
        await text(page.getByTestId('late-refunded-text')),
        `We are sending ${money('720.00', 'NOK', 'en-GB')} back to account 1234.56.78903, which you paid from. The transfer is cancelled.`,
      );
      assert.equal(await text(transfers.statusBadge()), 'Cancelled');
      assert.equal(await late.card().count(), 0);
      assert.equal(await page.getByTestId('cancel-card').count(), 0);
      const { rows } = await bed.database.pool.query<{ status: string; refund_account: string }>(
        'SELECT status, refund_account FROM bank_entries WHERE kid = $1',
        [declined.kid],
      );
      assert.deepEqual(rows, [{ status: 'refunded', refund_account: PAYER_ACCOUNT }]);
      await noHorizontalScroll(page);
      await shot(page, 'late-payment-refunded-phone-en');

      // A payment whose bank did not say which account it came from: the app cannot send it back.
      const anonymous = await newTransfer(page, '650');
      await payLate(anonymous, { name: 'Kari Nordmann' });
      await app.open(`/transfers/${anonymous.id}`);
      await late.waitUntilShown();
      await late.refund();
      const error = page.getByTestId('late-error');
      await error.waitFor();
      assert.equal(
        await text(error),
        'Your bank did not tell us which account the money came from, so we cannot send it back ourselves. Contact customer service and we will help you.',
      );
      await transfers.waitForTransfer(anonymous.id, 'awaiting_funds');
      assert.equal(await late.card().count(), 1, 'the payment still waits for a decision');
      await shot(page, 'late-payment-refund-no-account-phone-en');

      // Decided meanwhile in another tab (a new price accepted there): this page says so and shows where the transfer stands.
      const elsewhere = await page.evaluate(async (id) => {
        const post = async (path: string, body: unknown) =>
          (
            (await (
              await fetch(`/api/transfers/${id}/late-payment/${path}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', accept: 'application/json' },
                body: JSON.stringify(body),
              })
            ).json()) as { data: { id: string } }
          ).data;
        const quote = await post('quote', {});
        return post('accept', { quoteId: quote.id });
      }, anonymous.id);
      assert.notEqual(elsewhere.id, anonymous.id);
      await late.seePriceButton().click();
      await page.getByTestId('late-notice').waitFor();
      assert.equal(
        await text(page.getByTestId('late-notice')),
        'This payment has already been dealt with, so we have loaded the transfer again.',
      );
      await transfers.waitForTransfer(anonymous.id, 'cancelled');
      assert.equal(await late.card().count(), 0);

      assert.deepEqual(
        await problemsOf(kari, [/status of 400 .*\/late-payment\/refund\)$/, /status of 404 .*\/late-payment\/quote\)$/]),
        [],
      );
    } finally {
      await kari.context.close();
    }
  });
});
