/** Page object for the console's Data requests page: the list (overdue first) and the answer dialog. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually } from '../support.ts';
import { ConsoleStaff } from './console-staff.ts';

export class ConsoleDataRequests extends ConsoleStaff {
  requestRow(id: string): Locator {
    return this.page.locator(`[data-testid="data-request-row"][data-id="${id}"]`);
  }

  /** The request ids of the list, top to bottom. */
  async listedRequestIds(): Promise<string[]> {
    return this.page.getByTestId('data-request-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id') ?? ''));
  }

  async waitForRequests(ids: string[]): Promise<void> {
    await eventually(async () => assert.deepEqual(await this.listedRequestIds(), ids));
  }

  /** Opens a request's answer dialog, picks the status (by its label), writes the note and saves. */
  async answer(id: string, statusLabel: string, note: string): Promise<void> {
    await this.requestRow(id).getByTestId('data-request-open').click();
    const dialog = this.page.getByTestId('data-request-dialog');
    await dialog.waitFor();
    await dialog.getByLabel(/^(Ny status|New status)$/).selectOption({ label: statusLabel });
    await dialog.getByLabel(/^(Notat|Note)$/).fill(note);
    await dialog.getByRole('button', { name: /^(Lagre|Save)$/ }).click();
    await this.page.getByTestId('data-request-done').waitFor();
  }

  /** Opens "Record a request", fills it in (type and channel by their labels) and saves; waits for the dialog's answer. */
  async record(input: { userId: string; typeLabel: string; channelLabel: string; receivedOn: string; note: string }): Promise<Locator> {
    await this.page.getByTestId('data-request-record').click();
    const dialog = this.page.getByTestId('data-request-record-dialog');
    await dialog.waitFor();
    await dialog.getByLabel(/^(Kunde-ID|Customer id)$/).fill(input.userId);
    await dialog.getByLabel(/^Type$/).selectOption({ label: input.typeLabel });
    await dialog.getByLabel(/^(Kom inn per|Arrived by)$/).selectOption({ label: input.channelLabel });
    await dialog.getByLabel(/^(Mottatt dato|Date received)$/).fill(input.receivedOn);
    await dialog.getByLabel(/^(Notat|Note)$/).fill(input.note);
    await dialog.getByRole('button', { name: /^(Lagre|Save)$/ }).click();
    return dialog;
  }

  retentionRule(code: string): Locator {
    return this.page.locator(`[data-testid="retention-rule"][data-code="${code}"]`);
  }
}
