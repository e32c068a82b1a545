/**
 * The Wise simulator's memory: quotes, recipient accounts and transfers of one profile, and the
 * transfer state machine. Every method is synchronous, so a check and the change it guards happen
 * in one turn of the event loop: two requests with one customerTransactionId make one transfer,
 * and a transfer is funded at most once.
 *
 * States (docs.wise.com, "Tracking transfers"): incoming_payment_waiting → (funded) processing →
 * funds_converted → outgoing_payment_sent; a failure before paying out is cancelled →
 * funds_refunded (just cancelled when it was never funded); a bounce after paying out is
 * bounced_back → funds_refunded.
 */

export type WiseState =
  | 'incoming_payment_waiting'
  | 'processing'
  | 'funds_converted'
  | 'outgoing_payment_sent'
  | 'bounced_back'
  | 'cancelled'
  | 'funds_refunded';

export const OUTCOMES = ['paid', 'failed', 'bounced_back'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A refusal with the HTTP status and Wise error code to answer with. */
export class WiseSimulatorError extends Error {
  readonly status: number;
  readonly code: string;
  readonly path: string | undefined;
  constructor(status: number, code: string, message: string, path?: string) {
    super(message);
    this.name = 'WiseSimulatorError';
    this.status = status;
    this.code = code;
    this.path = path;
  }
}

export interface SimQuote {
  id: string;
  currency: string;
  /** The amount as the decimal text of the JSON number received. */
  amount: string;
  value: number;
  providedAmountType: 'SOURCE' | 'TARGET';
  targetAccount: number | null;
  createdAt: Date;
  expiresAt: Date;
  /** The transfer made from this quote: Wise allows one. */
  usedBy: number | undefined;
}

export interface SimAccount {
  id: number;
  currency: string;
  type: string;
  country: string | null;
  accountHolderName: string;
  details: Record<string, unknown>;
}

export interface SimTransfer {
  id: number;
  customerTransactionId: string;
  quoteUuid: string;
  targetAccount: number;
  currency: string;
  amount: string;
  value: number;
  reference: string;
  state: WiseState;
  createdAt: Date;
  /** Completed fundings; more than one would be a double payout. */
  payments: number;
  history: Array<{ state: WiseState; at: string }>;
}

export interface StateChange {
  transfer: SimTransfer;
  previous: WiseState | null;
  current: WiseState;
  occurredAt: string;
}

export class WiseSimStore {
  readonly #quotes = new Map<string, SimQuote>();
  readonly #accounts = new Map<number, SimAccount>();
  readonly #transfers = new Map<number, SimTransfer>();
  readonly #byCustomerTransactionId = new Map<string, SimTransfer>();
  readonly #clock: () => Date;
  readonly #onChange: (change: StateChange) => void;
  #nextAccountId = 40_000_001;
  #nextTransferId = 50_000_001;

  constructor(options: { clock: () => Date; onChange: (change: StateChange) => void }) {
    this.#clock = options.clock;
    this.#onChange = options.onChange;
  }

  addQuote(quote: SimQuote): SimQuote {
    this.#quotes.set(quote.id, quote);
    return quote;
  }

  addAccount(account: Omit<SimAccount, 'id'>): SimAccount {
    const stored = { ...account, id: this.#nextAccountId++ };
    this.#accounts.set(stored.id, stored);
    return stored;
  }

  account(id: number): SimAccount | undefined {
    return this.#accounts.get(id);
  }

  transfer(id: number): SimTransfer | undefined {
    return this.#transfers.get(id);
  }

  transfers(): SimTransfer[] {
    return [...this.#transfers.values()];
  }

  /**
   * Wise's `POST /v1/transfers`: the transfer already made with this customerTransactionId, or a
   * new one from an unused, unexpired quote to an account in the quote's currency.
   */
  createTransfer(input: {
    customerTransactionId: string;
    quoteUuid: string;
    targetAccount: number;
    reference: string;
    /** Longest reference Wise passes on in a currency. */
    referenceLimit: (currency: string) => number;
  }): { transfer: SimTransfer; created: boolean } {
    const key = input.customerTransactionId.toLowerCase();
    const existing = this.#byCustomerTransactionId.get(key);
    if (existing) return { transfer: existing, created: false };

    const quote = this.#quotes.get(input.quoteUuid);
    if (!quote) throw new WiseSimulatorError(422, 'error.quote.invalid', `Quote ${input.quoteUuid} does not exist`, 'quoteUuid');
    if (quote.usedBy !== undefined) {
      throw new WiseSimulatorError(422, 'error.quote.used', `Quote ${quote.id} was already used for transfer ${quote.usedBy}`, 'quoteUuid');
    }
    if (quote.expiresAt.getTime() <= this.#clock().getTime()) {
      throw new WiseSimulatorError(422, 'error.quote.expired', `Quote ${quote.id} has expired`, 'quoteUuid');
    }
    const account = this.#accounts.get(input.targetAccount);
    if (!account) throw new WiseSimulatorError(422, 'error.targetAccount.invalid', 'The recipient account does not exist', 'targetAccount');
    if (account.currency !== quote.currency) {
      throw new WiseSimulatorError(
        422,
        'error.targetAccount.currency',
        `The recipient account is in ${account.currency}, the quote in ${quote.currency}`,
        'targetAccount',
      );
    }
    const referenceLimit = input.referenceLimit(quote.currency);
    if ([...input.reference].length > referenceLimit) {
      throw new WiseSimulatorError(
        422,
        'error.reference.length',
        `The reference may be at most ${referenceLimit} characters for ${quote.currency}`,
        'details.reference',
      );
    }

    const transfer: SimTransfer = {
      id: this.#nextTransferId++,
      customerTransactionId: input.customerTransactionId,
      quoteUuid: quote.id,
      targetAccount: account.id,
      currency: quote.currency,
      amount: quote.amount,
      value: quote.value,
      reference: input.reference,
      state: 'incoming_payment_waiting',
      createdAt: this.#clock(),
      payments: 0,
      history: [],
    };
    quote.usedBy = transfer.id;
    this.#transfers.set(transfer.id, transfer);
    this.#byCustomerTransactionId.set(key, transfer);
    this.#move(transfer, 'incoming_payment_waiting', null);
    return { transfer, created: true };
  }

  /** Wise's `{type: 'BALANCE'}` funding: once, and only while the transfer waits for its money. */
  fund(transfer: SimTransfer): void {
    if (transfer.state !== 'incoming_payment_waiting') {
      throw new WiseSimulatorError(
        422,
        'transfer.invalid-state',
        `Transfer ${transfer.id} cannot be funded: it is ${transfer.state}. A transfer cannot be funded twice.`,
      );
    }
    transfer.payments += 1;
    this.#move(transfer, 'processing');
  }

  /** One step of the automatic payout; false when the transfer has moved on in the meantime. */
  advance(transfer: SimTransfer, from: WiseState, to: WiseState): boolean {
    if (transfer.state !== from) return false;
    this.#move(transfer, to);
    return true;
  }

  /** The control API's outcome: every state on the way, each its own change. */
  decide(transfer: SimTransfer, outcome: Outcome): void {
    const refuse = (): never => {
      throw new WiseSimulatorError(
        409,
        'simulator.invalid-outcome',
        `Transfer ${transfer.id} is ${transfer.state}: it cannot be ${outcome}`,
      );
    };
    switch (outcome) {
      case 'paid':
        if (transfer.state === 'processing') this.#move(transfer, 'funds_converted');
        if (transfer.state !== 'funds_converted') refuse();
        this.#move(transfer, 'outgoing_payment_sent');
        return;
      case 'failed':
        if (transfer.state === 'incoming_payment_waiting') {
          this.#move(transfer, 'cancelled');
          return;
        }
        if (transfer.state !== 'processing' && transfer.state !== 'funds_converted') refuse();
        this.#move(transfer, 'cancelled');
        this.#move(transfer, 'funds_refunded');
        return;
      case 'bounced_back':
        if (transfer.state !== 'outgoing_payment_sent') refuse();
        this.#move(transfer, 'bounced_back');
        this.#move(transfer, 'funds_refunded');
        return;
    }
  }

  #move(transfer: SimTransfer, to: WiseState, from: WiseState | null = transfer.state): void {
    // Strictly increasing per transfer, so Drop can order a burst of changes by occurred_at.
    const last = transfer.history.at(-1);
    const now = this.#clock().getTime();
    const at = new Date(last ? Math.max(now, Date.parse(last.at) + 1) : now).toISOString();
    transfer.state = to;
    transfer.history.push({ state: to, at });
    this.#onChange({ transfer, previous: from, current: to, occurredAt: at });
  }
}
