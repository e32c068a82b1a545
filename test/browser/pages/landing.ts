/** Page objects for the public pages: the landing page's price check, the footer, and the terms, privacy notice and contact pages. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { CustomerApp } from './customer-app.ts';
import { figuresIn, type ShownFigures } from './customer-send.ts';

export class Landing extends CustomerApp {
  priceCheck(): Locator {
    return this.page.getByTestId('price-check');
  }

  async chooseDestination(country: string, currency: string): Promise<void> {
    await this.priceCheck().getByTestId('price-check-destination').selectOption(`${country}-${currency}`);
  }

  async enterAmount(amount: string): Promise<void> {
    await this.priceCheck().getByTestId('price-check-amount').fill(amount);
  }

  /** Waits until the price check shows a price for what is typed now, and returns its figures. */
  async waitForPrice(send: string): Promise<ShownFigures> {
    const check = this.priceCheck();
    await eventually(async () => {
      assert.equal(await check.getAttribute('data-status', { timeout: 1000 }), 'ok');
      assert.equal(await text(check.getByTestId('figure-send')), send);
    }, 15_000);
    return figuresIn(check);
  }

  footer(): Locator {
    return this.page.getByRole('contentinfo');
  }

  /** Every link in the footer: its text and where it goes. */
  footerLinks(): Promise<Array<{ text: string; href: string }>> {
    return this.footer()
      .getByRole('link')
      .evaluateAll((links) => links.map((link) => ({ text: (link.textContent ?? '').trim(), href: link.getAttribute('href') ?? '' })));
  }

  /** The company card of a terms, privacy or contact page, once it has loaded, as read (its lines joined by spaces). */
  async companyDetails(): Promise<string> {
    const card = this.page.getByTestId('company-details');
    await card.getByTestId('support-email').waitFor();
    const parts = await card.locator('h2, p').allTextContents();
    return parts.join(' ').replace(/\s+/g, ' ').trim();
  }
}
