/**
 * Page objects for sending money in the customer app: the step flow at `/send` (amount and
 * destination with a live price, recipient, review, confirmation), the transfer list at
 * `/transfers` and one transfer at `/transfers/:id`.
 */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { eventually, text } from '../support.ts';
import { AppPage } from './app-page.ts';

/** The figures of a price or a transfer as shown, whitespace collapsed. */
export interface ShownFigures {
  send: string;
  fee: string;
  converted: string;
  rate: string;
  receive: string;
}

export async function figuresIn(scope: Locator): Promise<ShownFigures> {
  return {
    send: await text(scope.getByTestId('figure-send')),
    fee: await text(scope.getByTestId('figure-fee')),
    converted: await text(scope.getByTestId('figure-converted')),
    rate: await text(scope.getByTestId('figure-rate')),
    receive: await text(scope.getByTestId('figure-receive')),
  };
}

export class CustomerSend extends AppPage {
  async open(): Promise<void> {
    await this.goto('/send');
  }

  flow(): Locator {
    return this.page.getByTestId('send-flow');
  }

  blocked(): Locator {
    return this.page.getByTestId('send-blocked');
  }

  /** Waits until the flow shows `step` ('amount', 'recipient', 'review' or 'done'). */
  async waitForStep(step: string): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/send');
    await eventually(async () => assert.equal(await this.flow().getAttribute('data-step', { timeout: 1000 }), step), 15_000);
  }

  // Step 1: amount and destination

  async chooseDestination(country: string, currency: string): Promise<void> {
    await this.page.getByTestId('destination').selectOption(`${country}-${currency}`);
  }

  destinationLabel(): Promise<string> {
    return this.page.getByTestId('destination').evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent ?? '');
  }

  async chooseMode(mode: 'send' | 'receive'): Promise<void> {
    await this.page.getByTestId(`mode-${mode}`).check();
  }

  modeLabel(mode: 'send' | 'receive'): Locator {
    return this.page
      .getByTestId('amount-mode')
      .locator('label')
      .filter({ has: this.page.getByTestId(`mode-${mode}`) });
  }

  amountInput(): Locator {
    return this.page.getByTestId('amount-input');
  }

  async enterAmount(amount: string): Promise<void> {
    await this.amountInput().fill(amount);
  }

  amountError(): Locator {
    return this.page.getByTestId('amount-error');
  }

  quote(): Locator {
    return this.page.getByTestId('quote');
  }

  /**
   * Waits until the price answers what is typed now (not an earlier amount) and returns its id,
   * figures and countdown.
   */
  async waitForQuote(): Promise<{ id: string; figures: ShownFigures; countdown: string }> {
    const quote = this.quote();
    await eventually(async () => {
      assert.equal(await quote.getAttribute('data-status', { timeout: 1000 }), 'ok');
      assert.equal(await quote.getAttribute('data-current', { timeout: 1000 }), 'true');
    }, 15_000);
    const id = (await quote.getAttribute('data-quote-id')) ?? '';
    assert.match(id, /^qt_[0-9A-Z]{26}$/);
    return { id, figures: await figuresIn(quote), countdown: await text(quote.getByTestId('quote-countdown')) };
  }

  /** The amount field's refusal, waiting (briefly) for one to show. */
  async amountErrorText(): Promise<string> {
    return (await this.amountError().textContent({ timeout: 2000 }))?.replace(/\s+/g, ' ').trim() ?? '';
  }

  continueButton(): Locator {
    return this.page.getByTestId('amount-continue');
  }

  // Step 2: recipient

  recipientForm(): Locator {
    return this.page.getByTestId('recipient-form');
  }

  recipientField(name: string): Locator {
    return this.page.getByTestId(`recipient-field-${name}`);
  }

  recipientFieldError(name: string): Locator {
    return this.page.getByTestId(`recipient-error-${name}`);
  }

  /** Fills the new-recipient form (the payout fields by their API names) and saves it. */
  async addRecipient(recipient: { name: string; relationship: string; details: Record<string, string> }): Promise<void> {
    await this.recipientField('name').fill(recipient.name);
    await this.recipientField('relationship').selectOption(recipient.relationship);
    for (const [field, value] of Object.entries(recipient.details)) await this.recipientField(field).fill(value);
    await this.page.getByTestId('recipient-save').click();
  }

  /** The label a screen reader reads for a recipient field: its <label> and its hint and error. */
  async fieldDescription(name: string): Promise<{ label: string; invalid: string | null; describedBy: string }> {
    const field = this.recipientField(name);
    return field.evaluate((input: HTMLInputElement) => ({
      label: (input.labels?.[0]?.textContent ?? '').trim(),
      invalid: input.getAttribute('aria-invalid'),
      describedBy: (input.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' | '),
    }));
  }

  // Step 3: review

  review(): Locator {
    return this.page.getByTestId('send-step-review');
  }

  sendButton(): Locator {
    return this.page.getByTestId('send-button');
  }

  transferError(): Locator {
    return this.page.getByTestId('transfer-error');
  }

  // Step 4: confirmation

  done(): Locator {
    return this.page.getByTestId('send-step-done');
  }

  async transferIdShown(): Promise<string> {
    return (await this.done().getAttribute('data-transfer-id')) ?? '';
  }

  async openTransferFromConfirmation(): Promise<void> {
    await this.page.getByTestId('done-view').click();
  }
}

export class CustomerTransfers extends AppPage {
  async openList(): Promise<void> {
    await this.goto('/transfers');
    await this.waitForList();
  }

  async waitForList(): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === '/transfers');
    await this.page.getByTestId('transfer-list').or(this.page.getByTestId('transfers-empty')).waitFor();
  }

  rows(): Locator {
    return this.page.getByTestId('transfer-row');
  }

  /** The list as shown: each row's id, status, recipient and amounts. */
  async list(): Promise<Array<{ id: string; status: string; name: string; send: string; receive: string; badge: string }>> {
    return this.rows().evaluateAll((rows) =>
      rows.map((row) => {
        const pick = (id: string) => (row.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').replace(/\s+/g, ' ').trim();
        return {
          id: row.getAttribute('data-id') ?? '',
          status: row.getAttribute('data-status') ?? '',
          name: pick('transfer-row-name'),
          send: pick('transfer-row-send'),
          receive: pick('transfer-row-receive'),
          badge: pick('transfer-status'),
        };
      }),
    );
  }

  detail(): Locator {
    return this.page.getByTestId('transfer-page');
  }

  /** Waits for `/transfers/<id>` showing that transfer (in `status`, if given). */
  async waitForTransfer(id: string, status?: string): Promise<void> {
    await this.page.waitForURL((url) => url.pathname === `/transfers/${id}`);
    await eventually(async () => {
      assert.equal(await this.detail().getAttribute('data-id', { timeout: 1000 }), id);
      if (status) assert.equal(await this.detail().getAttribute('data-status', { timeout: 1000 }), status);
    }, 15_000);
  }

  statusBadge(): Locator {
    return this.detail().getByTestId('transfer-status').first();
  }

  /** The timeline as shown, oldest first: the status each entry moved to, what it says and when and by whom. */
  async timeline(): Promise<Array<{ to: string; title: string; meta: string }>> {
    return this.page.getByTestId('timeline-entry').evaluateAll((entries) =>
      entries.map((entry) => {
        const pick = (selector: string) => (entry.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
        return { to: entry.getAttribute('data-to') ?? '', title: pick('.timeline-title'), meta: pick('.timeline-meta') };
      }),
    );
  }

  /** Cancels through the button and the confirmation dialog. */
  async cancel(): Promise<void> {
    await this.page.getByTestId('cancel-transfer').click();
    const dialog = this.page.getByTestId('cancel-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('cancel-confirm').click();
  }
}
