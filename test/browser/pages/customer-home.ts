/** Page object for the customer app's home page at `/`. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { AppPage } from './app-page.ts';

export class CustomerHome extends AppPage {
  async open(): Promise<void> {
    await this.goto('/');
    await this.heading().waitFor();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  statusCard(): Locator {
    return this.page.getByTestId('service-status');
  }

  async htmlLang(): Promise<string | null> {
    return this.page.locator('html').getAttribute('lang');
  }

  /** Waits until the status card shows `state` ('ok', 'down', 'unreachable') and returns its texts. */
  async waitForStatus(state: string): Promise<{ headline: string; version: string; latency: string; uptime: string }> {
    const card = this.statusCard();
    await eventually(async () => assert.equal(await card.getAttribute('data-state'), state));
    return {
      headline: await text(card.getByRole('status')),
      version: await text(card.getByTestId('version')),
      latency: await text(card.getByTestId('db-latency')),
      uptime: await text(card.getByTestId('uptime')),
    };
  }

  async retry(): Promise<void> {
    await this.statusCard().getByRole('button').click();
  }

  async switchLanguage(name: 'Norsk' | 'English'): Promise<void> {
    const button = this.page.getByRole('button', { name, exact: true });
    await button.click();
    await eventually(async () => assert.equal(await button.getAttribute('aria-pressed'), 'true'));
  }
}
