/** Page object for the console's AML cases: the list (with its overdue view) and one case with its timeline and casework. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { ConsoleAmlAlerts } from './console-aml-alerts.ts';

export class ConsoleCases extends ConsoleAmlAlerts {
  caseRow(id: string): Locator {
    return this.page.locator(`[data-testid="case-row"][data-case-id="${id}"]`);
  }

  /** The case ids of the list, top to bottom. */
  async listedCaseIds(): Promise<string[]> {
    return this.page.getByTestId('case-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id') ?? ''));
  }

  async waitForCases(ids: string[]): Promise<void> {
    await eventually(async () => assert.deepEqual(await this.listedCaseIds(), ids));
  }

  /** Switches the list to a view (active, overdue, open, investigating, closed, all). */
  async showCases(view: string): Promise<void> {
    await this.page.getByTestId(`case-view-${view}`).click();
    await eventually(async () => assert.equal(await this.page.getByTestId('case-table').getAttribute('data-view'), view));
  }

  /** The case id shown on a case page, once it is there. */
  async shownCaseId(): Promise<string> {
    return eventually(async () => {
      const id = await text(this.page.getByTestId('case-id'));
      assert.match(id, /^case_/);
      return id;
    });
  }

  /** Follows the alert page's link to its case and waits for the case page. */
  async followAlertToCase(): Promise<string> {
    await this.page.getByTestId('alert-case-link').click();
    return this.shownCaseId();
  }

  /** The timeline's entries, oldest first, as `source:kind:subject`. */
  async timeline(): Promise<string[]> {
    return this.page
      .getByTestId('case-timeline-entry')
      .evaluateAll((rows) =>
        rows.map((row) => `${row.getAttribute('data-source')}:${row.getAttribute('data-kind')}:${row.getAttribute('data-subject') ?? ''}`),
      );
  }

  async waitForTimelineEntry(entry: RegExp): Promise<void> {
    await eventually(async () =>
      assert.ok(
        (await this.timeline()).some((line) => entry.test(line)),
        (await this.timeline()).join('\n'),
      ),
    );
  }

  /** Writes a note and adds it; waits for it on the timeline. */
  async addNote(words: string): Promise<void> {
    await this.page.getByTestId('case-note').fill(words);
    await this.page.getByTestId('case-note-send').click();
    await eventually(async () => assert.match(await text(this.page.getByTestId('case-timeline-list')), new RegExp(words)));
  }

  /** Start investigation; waits for the status badge to say so. */
  async startInvestigation(label: string): Promise<void> {
    await this.page.getByTestId('case-investigate').click();
    await eventually(async () => assert.equal(await text(this.page.locator('.page-head [data-testid="case-status"]')), label));
  }

  async assignCaseToMe(name: RegExp): Promise<void> {
    await this.page.getByTestId('case-assign-to-me').click();
    await eventually(async () => assert.match(await text(this.page.getByTestId('case-assignee')), name));
  }
}
