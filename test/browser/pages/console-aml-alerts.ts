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
}
