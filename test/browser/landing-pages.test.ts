/**
 * The public side of the customer app, in a real Chromium against a real server: the landing
 * page's price check gives a visitor today's price from the same pricing as a signed-in quote –
 * the same figures for the same amount, with nothing stored – and the public preview endpoint is
 * rate limited and refuses bad input; the footer leads to the terms, the privacy notice and the
 * contact page (with the company details from configuration) and to no developer pages. Norwegian
 * and English, desktop and phone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CustomerSend } from './pages/customer-send.ts';
import { Landing } from './pages/landing.ts';
import { eventually, screenshot, text, useBrowserTestBed, visitApp } from './support.ts';

const COMPANY = {
  COMPANY_NAME: 'Drop Payments AS',
  COMPANY_ORG_NUMBER: '923 609 016',
  COMPANY_ADDRESS: 'Akersgata 1, 0158 Oslo',
  SUPPORT_EMAIL: 'hjelp@drop.example',
};

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, `no sideways scrolling at ${page.viewportSize()?.width} px on ${new URL(page.url()).pathname}`);
}

/** What a quote says about its price, without what makes it one customer's (id, times). */
function priceOf(quote: Record<string, unknown>) {
  const { id: _id, createdAt: _created, expiresAt: _expires, ...price } = quote;
  return price;
}

describe('the landing page and the public pages', () => {
  const bed = useBrowserTestBed(COMPANY);

  const quoteCount = async () => (await bed.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM quotes')).rows[0]?.n;

  test("a visitor's price on the landing page is the price a signed-in customer is quoted for the same amount", async () => {
    const { page, app, problems, context } = await visitApp(bed, Landing);
    try {
      await app.open('/');
      await app.waitForLanding();
      // Today's price for the default example, live, not an illustration.
      await app.waitForPrice('5 000,00 kr');
      assert.equal(
        await text(app.priceCheck().getByTestId('price-check-note')),
        'Samme pris som i appen akkurat nå, men ikke låst. Når du er logget inn, låses prisen i 30 minutter før du sender.',
      );

      await app.chooseDestination('DE', 'EUR');
      await app.enterAmount('1 000');
      const visitor = await app.waitForPrice('1 000,00 kr');
      assert.equal(visitor.fee, '29,00 kr');
      assert.equal(visitor.converted, '971,00 kr');
      assert.match(visitor.rate, /^1 NOK = 0,\d{4,10} EUR$/);
      assert.equal(await quoteCount(), 0, 'a preview stores no quote');
      await screenshot(page, 'landing-price-check');

      // An amount the corridor does not take is explained at the price.
      await app.enterAmount('50');
      await eventually(async () =>
        assert.equal(
          await text(app.priceCheck().getByTestId('price-check-error')),
          'Det minste du kan sende, er 100,00 kr, gebyret inkludert.',
        ),
      );

      // No amount: no price and no complaint.
      await app.enterAmount('');
      await eventually(async () => assert.equal(await app.priceCheck().getAttribute('data-status'), 'idle'));
      assert.equal(await app.priceCheck().getByTestId('price-check-error').count(), 0);

      // Signed in and verified, the same amount to the same place is quoted at the same price.
      const userId = await app.signInWithBankId('ola');
      await bed.database.pool.query(`UPDATE users SET kyc_status = 'approved', kyc_tier = 1 WHERE id = $1`, [userId]);
      const send = new CustomerSend(page, bed.origin);
      await send.open();
      await send.waitForStep('amount');
      await send.chooseDestination('DE', 'EUR');
      await send.enterAmount('1 000');
      const customer = await send.waitForQuote();
      assert.deepEqual(customer.figures, visitor, 'the same figures, shown the same way');

      // And through the API: the preview is the quote's price, field for field.
      const compared = await page.evaluate(async () => {
        const preview = await (await fetch('/api/quotes/preview?country=DE&currency=EUR&sendAmount=1000')).json();
        const quote = await (
          await fetch('/api/quotes', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount: '1000' }),
          })
        ).json();
        const byReceive = await (await fetch('/api/quotes/preview?country=PL&currency=PLN&receiveAmount=2000')).json();
        const quoteByReceive = await (
          await fetch('/api/quotes', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ country: 'PL', currency: 'PLN', receiveAmount: '2000' }),
          })
        ).json();
        return {
          preview: preview.data as Record<string, unknown>,
          quote: quote.data as Record<string, unknown>,
          byReceive: byReceive.data as { receive: { amount: string } },
          quoteByReceive: quoteByReceive.data as Record<string, unknown>,
        };
      });
      assert.deepEqual(compared.preview, priceOf(compared.quote));
      assert.deepEqual(compared.byReceive, priceOf(compared.quoteByReceive));
      assert.equal(compared.byReceive.receive.amount, '2000.00');
      // Chromium logs the refused preview of 50 kr (asked for above) as a failed resource.
      const refusedPreview = /status of 422 \(Unprocessable Entity\) \(http:\/\/localhost:\d+\/api\/quotes\/preview\?/;
      assert.deepEqual(
        (await problems.list()).filter((problem) => !refusedPreview.test(problem)),
        [],
      );
    } finally {
      await context.close();
    }
  });

  test('the footer leads to the terms, the privacy notice and the contact page, and to no developer pages (Norwegian, desktop)', async () => {
    const { page, app, problems, context } = await visitApp(bed, Landing);
    try {
      await app.open('/');
      await app.waitForLanding();
      const links = await app.footerLinks();
      assert.deepEqual(links, [
        { text: 'Slik fungerer det', href: '/#how' },
        { text: 'Hvorfor Drop', href: '/#why' },
        { text: 'Driftsstatus', href: '/#status' },
        { text: 'Vilkår', href: '/terms' },
        { text: 'Personvern', href: '/privacy-notice' },
        { text: 'Kontakt oss', href: '/contact' },
      ]);
      assert.ok(!links.some((link) => link.href.startsWith('/api')), 'no API links in the footer');
      assert.doesNotMatch(await text(app.footer()), /API|JSON|Helsesjekk|For utviklere/i);

      const company = 'Drop Payments AS, organisasjonsnummer 923 609 016, Akersgata 1, 0158 Oslo.';
      for (const [name, path, heading, title] of [
        ['Vilkår', '/terms', 'Vilkår for bruk av Drop', 'Vilkår for bruk av Drop – Drop'],
        ['Personvern', '/privacy-notice', 'Slik behandler vi personopplysninger', 'Slik behandler vi personopplysninger – Drop'],
        ['Kontakt oss', '/contact', 'Kontakt oss', 'Kontakt oss – Drop'],
      ] as const) {
        await app.footer().getByRole('link', { name, exact: true }).click();
        await page.waitForURL((url) => url.pathname === path);
        await eventually(async () => assert.equal(await text(app.heading()), heading));
        assert.equal(await page.title(), title);
        assert.equal(await app.companyDetails(), `Hvem vi er ${company} Skriv til oss på hjelp@drop.example.`);
        assert.equal(
          await page.getByTestId('company-details').getByTestId('support-email').getAttribute('href'),
          'mailto:hjelp@drop.example',
        );
        await screenshot(page, `public${path.replace('/', '-')}-nb`);
      }
      assert.equal(await text(page.getByTestId('contact').getByTestId('support-email')), 'hjelp@drop.example');
      // The privacy notice is public: it is not the signed-in data page at /privacy.
      await app.open('/privacy-notice');
      await eventually(async () => assert.equal(await text(app.heading()), 'Slik behandler vi personopplysninger'));
      assert.equal(new URL(page.url()).pathname, '/privacy-notice');
      assert.match(await text(page.getByTestId('privacy-notice')), /Datatilsynet/);
      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });

  test('in English on a phone: the price check, the footer and the public pages read in English and fit', async () => {
    const { page, app, problems, context } = await visitApp(bed, Landing, { phone: true });
    try {
      await app.open('/');
      await app.waitForLanding();
      await page.getByRole('button', { name: 'English', exact: true }).click();
      await eventually(async () => assert.equal(await text(app.priceCheck().getByRole('heading')), 'What does it cost today?'));
      await app.waitForPrice('NOK 5,000.00');
      await noSidewaysScroll(page);
      await screenshot(page, 'landing-phone-en');
      assert.deepEqual(
        (await app.footerLinks()).map((link) => link.text),
        ['How it works', 'Why Drop', 'Service status', 'Terms', 'Privacy', 'Contact us'],
      );
      for (const [name, heading] of [
        ['Terms', 'Terms of use'],
        ['Privacy', 'How we handle personal data'],
        ['Contact us', 'Contact us'],
      ] as const) {
        await app.footer().getByRole('link', { name, exact: true }).click();
        await eventually(async () => assert.equal(await text(app.heading()), heading));
        assert.match(await app.companyDetails(), /^Who we are Drop Payments AS, organisation number 923 609 016/);
        await noSidewaysScroll(page);
      }
      await screenshot(page, 'public-contact-phone-en');
      assert.deepEqual(await problems.list(), []);
    } finally {
      await context.close();
    }
  });

  test('the public preview refuses bad input and is rate limited per address; it never needs a session', async () => {
    const preview = (query: string) => fetch(`${bed.origin}/api/quotes/preview?${query}`);
    const both = await preview('country=DE&currency=EUR&sendAmount=1000&receiveAmount=10');
    assert.equal(both.status, 400);
    assert.equal((await both.json()).code, 'VALIDATION_FAILED');
    const tooSmall = await preview('country=DE&currency=EUR&sendAmount=50');
    assert.equal(tooSmall.status, 422);
    assert.equal((await tooSmall.json()).code, 'AMOUNT_INVALID');
    const nowhere = await preview('country=XX&currency=EUR&sendAmount=1000');
    assert.equal(nowhere.status, 422);
    assert.equal((await nowhere.json()).code, 'CORRIDOR_UNSUPPORTED');

    const quotesBefore = await quoteCount();
    // 60 a minute per address (the tests above used some): the next ones are refused with Retry-After.
    let refused: Response | undefined;
    for (let i = 0; i < 61 && !refused; i++) {
      const response = await preview('country=DE&currency=EUR&sendAmount=1000');
      if (response.status === 429) refused = response;
      else assert.equal(response.status, 200);
    }
    assert.ok(refused, 'the 61st preview in a minute is refused');
    assert.equal((await refused.json()).code, 'RATE_LIMITED');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(await quoteCount(), quotesBefore, 'previews store no quotes');
  });
});
