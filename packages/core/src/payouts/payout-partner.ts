/**
 * The payout partner port: what Drop needs from whoever delivers the money to the recipient
 * (a bank, a wallet, a cash network). The real implementation is a client of the partner's
 * published API (Wise Platform: packages/integrations/src/wise/); outside production a simulator
 * of that API runs inside the server, and the same client talks to it.
 */

/** One payout: the foreign-currency amount a transfer's recipient gets. */
export interface PayoutOrder {
  /** Drop's transfer id (`tx_…`), also sent as the payment reference's tail for support. */
  transferId: string;
  /**
   * A UUID stored with the payout before the first attempt and reused on every retry: the
   * partner treats a repeat as the same payout, so a crash between sending and recording the
   * answer never pays twice (Wise: `customerTransactionId`).
   */
  idempotencyKey: string;
  amountMinor: bigint;
  currency: string;
  recipient: {
    name: string;
    country: string;
    rail: 'iban' | 'bank_account' | 'mobile_money';
    /** The recipient's normalised fields as stored (iban; sortCode + accountNumber; …). */
    details: Record<string, string>;
  };
  /** What the recipient sees on their statement. */
  reference: string;
}

/** Where a payout stands at the partner, in Drop's words. */
export type PayoutPartnerState = 'processing' | 'paid' | 'failed' | 'returned';

export interface PayoutSubmission {
  /** The partner's id for the payout (Wise: the transfer id). */
  partnerReference: string;
  state: PayoutPartnerState;
}

/** A status change the partner told Drop about by webhook, authenticated. */
export interface PayoutPartnerEvent {
  partnerReference: string;
  state: PayoutPartnerState;
  /** The partner's own state name, for the timeline and support. */
  partnerState: string;
  /** When it happened at the partner (events may arrive out of order). */
  occurredAt: string;
  /** The partner's id for this delivery, for logs. */
  deliveryId: string | undefined;
}

export class PayoutPartnerError extends Error {
  /** True when trying again later may work (network, 5xx, 429); false for a refusal. */
  readonly retryable: boolean;
  constructor(message: string, retryable: boolean) {
    super(message);
    this.name = 'PayoutPartnerError';
    this.retryable = retryable;
  }
}

export interface PayoutPartner {
  readonly name: string;
  /** Sends a payout, or finds the one already sent with this idempotency key. */
  send(order: PayoutOrder): Promise<PayoutSubmission>;
  /**
   * Authenticates a webhook delivery (signature over the raw body) and reads it. Returns null for
   * an authentic delivery that is not about a payout's state (a test notification, another
   * event type); throws WebhookSignatureError when it is not authentic.
   */
  parseWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): PayoutPartnerEvent | null;
}

export class WebhookSignatureError extends Error {
  constructor(message = 'The webhook signature is not valid.') {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}
