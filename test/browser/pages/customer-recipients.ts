/** Page object for the customer's recipients at `/recipients`: the list, the edit form, removal and its notices. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { CustomerApp } from './customer-app.ts';

export interface ListedRecipient {
  id: string;
  name: string;
  account: string;
}

export class CustomerRecipients extends CustomerApp {
  rows(): Locator {
    return this.page.getByTestId('recipient-row');
  }

  row(name: string): Locator {
    return this.rows().filter({ has: this.page.getByTestId('recipient-row-name').getByText(name, { exact: true }) });
  }

  /** Waits for the list (or its empty state). */
  async waitForList(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/recipients');
    await this.page.getByTestId('recipients-count').waitFor();
  }

  /** The list as shown right now, read in one go. */
  async listed(): Promise<ListedRecipient[]> {
    return this.rows().evaluateAll((rows) =>
      rows.map((row) => ({
        id: row.getAttribute('data-recipient-id') ?? '',
        name: (row.querySelector('[data-testid="recipient-row-name"]')?.textContent ?? '').trim(),
        account: (row.querySelector('[data-testid="recipient-row-account"]')?.textContent ?? '').trim(),
      })),
    );
  }

  async startEdit(name: string): Promise<Locator> {
    await this.row(name).getByTestId('recipient-edit').click();
    const form = this.page.getByTestId('recipient-form');
    await form.waitFor();
    return form;
  }

  field(name: string): Locator {
    return this.page.getByTestId(`recipient-field-${name}`);
  }

  async save(): Promise<void> {
    await this.page.getByTestId('recipient-save').click();
  }

  /** Opens the removal dialog for `name`, confirms it, and waits for the dialog to close. */
  async remove(name: string): Promise<void> {
    const row = this.row(name);
    await row.getByTestId('recipient-remove').click();
    const dialog = row.getByTestId('recipient-remove-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('recipient-remove-confirm').click();
    await dialog.waitFor({ state: 'hidden' });
  }

  recipientsNotice(): Locator {
    return this.page.getByTestId('recipients-notice');
  }

  /** Waits for the notice of `tone` ('ok', 'refused', 'failed') and returns its text (without the link a refusal has). */
  async waitForRecipientsNotice(tone: 'ok' | 'refused' | 'failed'): Promise<string> {
    await eventually(async () => assert.equal(await this.recipientsNotice().getAttribute('data-tone', { timeout: 1000 }), tone));
    return text(this.recipientsNotice().locator('span').first());
  }
}
