/** Page object for holds and four eyes: the transfer page's Hold / Propose buttons and the Approvals page. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { ConsoleStaff } from './console-staff.ts';

export class ConsoleApprovals extends ConsoleStaff {
  async openTransfer(id: string): Promise<void> {
    await this.goto(`/console/transfers/${id}`);
    await eventually(async () => assert.equal(await text(this.page.getByTestId('transfer-id')), id));
  }

  transferStatus(): Locator {
    return this.page.getByTestId('transfer-status');
  }

  /** Clicks one of the transfer page's buttons, writes the reason and confirms; waits for the dialog to close. */
  async actOnTransfer(button: 'hold-button' | 'propose-release-button' | 'propose-stop-button', reason: string): Promise<void> {
    await this.page.getByTestId(button).click();
    const dialog = this.page.locator('dialog[open]');
    await dialog.locator('textarea').fill(reason);
    await dialog.getByTestId('dialog-confirm').click();
    await eventually(async () => assert.equal(await this.page.locator('dialog[open]').count(), 0));
  }

  approvalRow(id: string): Locator {
    return this.page.locator(`[data-testid="approval-row"][data-id="${id}"]`);
  }

  async approvalIds(): Promise<string[]> {
    return this.page.getByTestId('approval-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id') ?? ''));
  }

  /** The Customers page, searched for one customer (by id): their single row. */
  async findCustomer(userId: string): Promise<Locator> {
    await this.goto(`/console/customers?${new URLSearchParams({ query: userId })}`);
    const row = this.page.getByTestId('customer-row');
    await eventually(async () => assert.equal(await row.count(), 1));
    return row;
  }

  /** Clicks a button in the customer's row (propose block/unblock, withdraw), writes the text and confirms. */
  async actOnCustomer(
    row: Locator,
    button: 'propose-block-button' | 'propose-unblock-button' | 'withdraw-block-button',
    text: string,
  ): Promise<void> {
    await row.getByTestId(button).click();
    const dialog = this.page.locator('dialog[open]');
    await dialog.locator('textarea').fill(text);
    await dialog.getByTestId('dialog-confirm').click();
    await eventually(async () => assert.equal(await this.page.locator('dialog[open]').count(), 0));
  }
}
