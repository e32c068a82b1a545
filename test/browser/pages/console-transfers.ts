/** Page object for the console's transfer pages: the runbook's lists as tabs, one transfer, and the ledger. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { ConsoleStaff } from './console-staff.ts';

export class ConsoleTransfers extends ConsoleStaff {
  tab(name: string): Locator {
    return this.page.getByRole('navigation', { name: /^(Utvalg|Lists)$/ }).getByRole('link', { name, exact: true });
  }

  /** Opens a tab and waits until its list has loaded. */
  async openTab(name: string, view: string): Promise<void> {
    await this.tab(name).click();
    await eventually(async () => assert.equal(await this.tab(name).getAttribute('aria-current'), 'page'));
    await this.page.locator(`[data-testid="transfer-table"][data-view="${view}"]`).waitFor();
  }

  transferRows(): Locator {
    return this.page.getByTestId('transfer-row');
  }

  transferRow(id: string): Locator {
    return this.page.locator(`[data-testid="transfer-row"][data-transfer-id="${id}"]`);
  }

  /** The transfer ids of the list, top to bottom. */
  async listedIds(): Promise<string[]> {
    const ids = await this.transferRows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-transfer-id') ?? ''));
    return ids;
  }

  /** Waits until the list shows exactly `ids`, in order. */
  async waitForList(ids: string[]): Promise<void> {
    await eventually(async () => assert.deepEqual(await this.listedIds(), ids));
  }

  async openTransfer(id: string): Promise<void> {
    await this.transferRow(id).getByTestId('open-transfer').click();
    await this.waitForHeading(/^(Overføring|Transfer)$/);
    await eventually(async () => assert.equal(await text(this.page.getByTestId('transfer-id')), id));
  }

  status(): Locator {
    return this.page.getByTestId('transfer-status').first();
  }

  figure(name: 'send' | 'fee' | 'rate' | 'receive'): Locator {
    return this.page.getByTestId(`figure-${name}`);
  }

  timelineEntries(): Locator {
    return this.page.getByTestId('timeline-entry');
  }

  postingRows(): Locator {
    return this.page.getByTestId('posting-row');
  }

  /** `code:kind` of each posting, in the order shown. */
  async postings(): Promise<string[]> {
    return this.postingRows().evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-code')}:${row.getAttribute('data-kind')}`));
  }

  customerCard(): Locator {
    return this.page.getByTestId('transfer-customer');
  }

  recipientCard(): Locator {
    return this.page.getByTestId('transfer-recipient');
  }

  async back(): Promise<void> {
    await this.page.getByRole('link', { name: /^(Tilbake til overføringene|Back to transfers)$/ }).click();
    await this.waitForHeading(/^(Overføringer|Transfers)$/);
  }

  /** How far the page scrolls sideways (0 when it fits the screen). */
  async sidewaysOverflow(): Promise<number> {
    return this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  /** The elements that reach past the right edge of the screen (outside scrolling boxes), for a failure message. */
  async overflowingElements(): Promise<string[]> {
    return this.page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const found: string[] = [];
      for (const element of document.querySelectorAll('body *')) {
        const box = element.getBoundingClientRect();
        let scrolled = false;
        for (let parent = element.parentElement; parent; parent = parent.parentElement) {
          const overflowX = getComputedStyle(parent).overflowX;
          if (overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden') scrolled = true;
        }
        if (!scrolled && box.right > width + 1)
          found.push(`${element.tagName.toLowerCase()}.${element.className} right=${Math.round(box.right)}`);
      }
      return found.slice(0, 8);
    });
  }
}
