/** Page object for the customer app's privacy page (`/privacy`): downloads, the request list, deleting the account. */
import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { CustomerApp } from './customer-app.ts';

export class CustomerPrivacy extends CustomerApp {
  requests(): Locator {
    return this.page.getByTestId('privacy-request');
  }

  /** The listed requests, top to bottom, as `type:status`. */
  async listedRequests(): Promise<string[]> {
    return this.requests().evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-type')}:${row.getAttribute('data-status')}`));
  }

  /** Clicks a download button and returns the saved file's name and bytes. */
  async download(format: 'json' | 'zip'): Promise<{ fileName: string; bytes: Uint8Array }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`privacy-download-${format}`).click()]);
    const file = await download.path();
    return { fileName: download.suggestedFilename(), bytes: new Uint8Array(await readFile(file)) };
  }
}
