/** Page object for the console's SLA page (Operations → SLA): the month, the three figures, the daily chart, the incidents. */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { ConsoleStaff } from './console-staff.ts';

export type SlaFigure = 'uptime' | 'error-rate' | 'p99';

export class ConsoleSla extends ConsoleStaff {
  report(): Locator {
    return this.page.getByTestId('sla-report');
  }

  /** Picks a month in the month field and waits for its report. */
  async chooseMonth(month: string): Promise<void> {
    await this.page.getByTestId('sla-month').fill(month);
    await this.waitForMonth(month);
  }

  async waitForMonth(month: string): Promise<void> {
    await eventually(async () => assert.equal(await this.report().getAttribute('data-month'), month));
  }

  /** A figure's value and its verdict ("Nådd"/"Met"…), as shown. */
  async figure(name: SlaFigure): Promise<{ value: string; verdict: string; text: string }> {
    const card = this.page.getByTestId(`sla-${name}`);
    return {
      value: await text(card.getByTestId(`sla-${name}-value`)),
      verdict: await text(card.getByTestId(`sla-${name}-verdict`)),
      text: await text(card),
    };
  }

  async showMetric(metric: 'uptime' | 'errorRate' | 'p99'): Promise<void> {
    await this.page.getByTestId(`sla-metric-${metric}`).click();
    await eventually(async () => assert.equal(await this.page.getByTestId('sla-chart').getAttribute('data-metric'), metric));
  }

  /** The dates of the chart's bars, and of those drawn red (the day broke the target). */
  async bars(): Promise<{ all: string[]; red: string[] }> {
    const bars = this.page.getByTestId('sla-bar');
    const all = await bars.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-date') ?? ''));
    const red = await bars.evaluateAll((nodes) =>
      nodes.filter((node) => node.classList.contains('bar-down')).map((node) => node.getAttribute('data-date') ?? ''),
    );
    return { all, red };
  }

  incidentRows(): Locator {
    return this.page.getByTestId('sla-incident');
  }

  async incidents(): Promise<Array<{ kind: string; impact: string; budget: string }>> {
    const rows = await this.incidentRows().all();
    return Promise.all(
      rows.map(async (row) => ({
        kind: (await row.getAttribute('data-kind')) ?? '',
        impact: await text(row.getByTestId('sla-incident-impact')),
        budget: await text(row.getByTestId('sla-incident-budget')),
      })),
    );
  }
}
