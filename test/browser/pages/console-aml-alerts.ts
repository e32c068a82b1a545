/** Page object for the console's AML alerts: the list and one alert with why it fired. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { ConsoleStaff } from './console-staff.ts';

export class ConsoleAmlAlerts extends ConsoleStaff {
  alertRow(id: string): Locator {
    return this.page.locator(`[data-testid="aml-row"][data-alert-id="${id}"]`);
  }

  /** The alert ids of the list, top to bottom. */
  async listedIds(): Promise<string[]> {
    return this.page.getByTestId('aml-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-alert-id') ?? ''));
  }

  async waitForList(ids: string[]): Promise<void> {
    await eventually(async () => assert.deepEqual(await this.listedIds(), ids));
  }

  /** Opens an alert from its row and waits for its page. */
  async openAlert(id: string): Promise<void> {
    await this.alertRow(id).getByTestId('aml-open').click();
    await eventually(async () => assert.equal(await text(this.page.getByTestId('alert-id')), id));
  }

  nameMatch(): Locator {
    return this.page.getByTestId('name-match');
  }

  /** Each feature's label and shown score, as the page lists them. */
  async featureScores(): Promise<Array<[string, string]>> {
    return this.page
      .getByTestId('feature-score')
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.querySelector('.score-label')?.textContent?.trim() ?? '',
          row.querySelector('.score-value')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
        ]),
      ) as Promise<Array<[string, string]>>;
  }

  recordFact(field: string): Locator {
    return this.page.locator(`[data-testid="record-fact"][data-field="${field}"] dd`);
  }

  fact(key: string): Locator {
    return this.page.locator(`[data-testid="fact-row"][data-fact="${key}"] [data-testid="fact-value"]`);
  }

  /** The alert's history, oldest first: each entry's kind and text. */
  async historyKinds(): Promise<string[]> {
    return this.page.getByTestId('alert-history-entry').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind') ?? ''));
  }

  async waitForHistory(kinds: string[]): Promise<void> {
    await eventually(async () => assert.deepEqual(await this.historyKinds(), kinds));
  }

  /** Assign to me, and wait for the page to say so. */
  async assignToMe(): Promise<void> {
    const before = (await this.historyKinds()).length;
    await this.page.getByTestId('assign-to-me').click();
    await eventually(async () => assert.equal((await this.historyKinds()).length, before + 1));
  }

  /** Writes a comment and adds it; waits for it in the history. */
  async comment(words: string): Promise<void> {
    await this.page.getByTestId('alert-comment').fill(words);
    await this.page.getByTestId('alert-comment-send').click();
    await eventually(async () => assert.match(await text(this.page.getByTestId('alert-history-list')), new RegExp(words)));
  }

  /** Opens the Close dialog, picks the outcome and writes the notes (not confirmed yet). */
  async fillCloseDialog(outcome: string, notes: string): Promise<Locator> {
    await this.page.getByTestId('close-alert').click();
    const dialog = this.page.getByTestId('close-alert-dialog');
    await dialog.getByTestId(`outcome-${outcome}`).check();
    await dialog.getByTestId('close-alert-notes').fill(notes);
    return dialog;
  }

  /** Confirms the Close dialog; waits for the alert to show closed. */
  async confirmClose(closedLabel: string): Promise<void> {
    await this.page.getByTestId('close-alert-dialog').getByTestId('dialog-confirm').click();
    await eventually(async () => assert.equal(await text(this.page.getByTestId('alert-status')), closedLabel));
  }
}
