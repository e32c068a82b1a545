/**
 * Page objects for identity verification: the customer app's `/kyc` page, the Sumsub simulator's
 * embedded WebSDK stand-in and operator dashboard (served by the Drop server under /sumsub-sim/), and the
 * console's KYC case page (`/console/kyc/<userId>`).
 */
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { AppPage } from './app-page.ts';

export class CustomerKyc extends AppPage {
  async open(): Promise<void> {
    await this.goto('/kyc');
  }

  root(): Locator {
    return this.page.getByTestId('kyc-page');
  }

  headline(): Locator {
    return this.page.getByTestId('kyc-headline');
  }

  /** Waits until `/kyc` shows `status` (the page polls the API; decisions arrive by webhook). */
  async waitForStatus(status: string, timeoutMs = 15_000): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/kyc');
    await eventually(async () => assert.equal(await this.root().getAttribute('data-status', { timeout: 1000 }), status), timeoutMs);
  }

  startButton(): Locator {
    return this.page.getByTestId('kyc-start');
  }

  retryButton(): Locator {
    return this.page.getByTestId('kyc-retry');
  }

  message(): Locator {
    return this.page.getByTestId('kyc-message');
  }

  limits(): { perTransfer: Locator; thirtyDays: Locator; twelveMonths: Locator; used30d: Locator; used12m: Locator; tier: Locator } {
    return {
      perTransfer: this.page.getByTestId('limit-per-transfer'),
      thirtyDays: this.page.getByTestId('limit-30d'),
      twelveMonths: this.page.getByTestId('limit-12m'),
      used30d: this.page.getByTestId('used-30d'),
      used12m: this.page.getByTestId('used-12m'),
      tier: this.page.getByTestId('kyc-tier'),
    };
  }

  /** Answers the enhanced due diligence question ("Kilde til midler"). */
  async declareSourceOfFunds(source: string): Promise<void> {
    await this.page.getByTestId('sof-input').fill(source);
    await this.page.getByTestId('sof-submit').click();
  }

  sourceOfFundsError(): Locator {
    return this.page.getByTestId('sof-error');
  }

  sourceOfFundsDone(): Locator {
    return this.page.getByTestId('sof-done');
  }
}

/**
 * The WebSDK step embedded in `/kyc`: the builder script (the simulator's stand-in for Sumsub's
 * `sns-websdk-builder.js`) launched into `#sumsub-websdk-container`.
 */
export class SumsubWebSdk {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  container(): Locator {
    return this.page.locator('#sumsub-websdk-container');
  }

  async waitUntilShown(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/kyc');
    await this.container().getByTestId('websdk').waitFor();
    await this.container().getByTestId('review-status').waitFor();
  }

  personName(): Locator {
    return this.container().getByTestId('person-name');
  }

  moderationComment(): Locator {
    return this.container().getByTestId('moderation-comment');
  }

  /** Sends the test documents inside the embedded step; the page then shows "pending". */
  async submitDocuments(): Promise<void> {
    await this.container().getByTestId('submit-documents').click();
  }

  /** Closes the step without sending anything (Drop's own "Avbryt" on the step card). */
  async cancel(): Promise<void> {
    await this.page.getByTestId('kyc-sdk-cancel').click();
  }
}

/** The simulator's operator dashboard (`/sumsub-sim/`): the decisions a Sumsub reviewer would make. */
export class SumsubDashboard extends AppPage {
  async open(): Promise<void> {
    await this.goto('/sumsub-sim/');
    await this.page.getByTestId('applicants').waitFor();
  }

  applicantRow(applicantId: string): Locator {
    return this.page.getByTestId(`applicant-${applicantId}`);
  }

  /** Clicks the decision button; the dashboard posts, redirects to itself and shows the answer. */
  async decide(applicantId: string, decision: 'approve' | 'reject_retry' | 'reject_final' | 'on_hold'): Promise<void> {
    await this.page.getByTestId(`decide-${decision}-${applicantId}`).click();
    await this.page.waitForURL((url) => url.pathname === '/sumsub-sim/');
    await eventually(async () => assert.equal(await text(this.page.getByTestId(`status-${applicantId}`)), 'completed'));
  }
}

/** The console's KYC case page: a customer's history and, for `kyc_decide`, the decision form. */
export class ConsoleKycCase {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** Opens the case of the queue row that mentions `name`, through its "Open case" link. */
  async openFromQueue(name: string): Promise<void> {
    await this.page.getByTestId('kyc-row').filter({ hasText: name }).getByTestId('open-case').click();
    await this.page.waitForURL((url) => /^\/console\/kyc\/usr_[0-9A-Z]{26}$/.test(url.pathname));
    await this.historyEntries().first().waitFor();
  }

  status(): Locator {
    return this.page.getByTestId('case-status');
  }

  historyEntries(): Locator {
    return this.page.getByTestId('history-entry');
  }

  /** Each history entry: its action and the status it moved to (for status changes). */
  async history(): Promise<Array<{ action: string; to: string | undefined }>> {
    const entries = await this.historyEntries().all();
    return Promise.all(
      entries.map(async (entry) => ({
        action: (await entry.getAttribute('data-action')) ?? '',
        to: (await entry.getByTestId('history-to').count()) ? await text(entry.getByTestId('history-to')) : undefined,
      })),
    );
  }

  decisionForm(): Locator {
    return this.page.getByTestId('decision-form');
  }

  /** Fills the decision form and submits it; the confirmation dialog opens (not confirmed yet). */
  async fillDecision(decision: 'approve' | 'reject', note: string): Promise<void> {
    await this.page.getByTestId(`decision-${decision}`).check();
    await this.page.getByTestId('decision-note').fill(note);
    await this.page.getByTestId('decision-submit').click();
  }

  dialog(): Locator {
    return this.page.getByTestId('decision-dialog');
  }

  outcome(): Locator {
    return this.page.getByTestId('decision-outcome');
  }
}
