/**
 * Drop's payout partner on Wise Platform's published API (docs.wise.com), paying from Drop's own
 * Wise balance in the payout currency. One payout is four calls, each with
 * `Authorization: Bearer <token>`:
 *
 *   1. POST /v1/accounts                     the recipient account (wise-mapping.ts)
 *   2. POST /v3/profiles/{p}/quotes           same-currency quote for targetAmount, paid in from the balance
 *   3. POST /v1/transfers                     customerTransactionId = the order's idempotency key
 *   4. POST /v3/profiles/{p}/transfers/{t}/payments  {type: BALANCE} → {status: COMPLETED}
 *
 * Retrying `send` with the same idempotency key is safe: Wise answers step 3 with the transfer it
 * already made for that customerTransactionId (the retry's fresh quote and recipient account go
 * unused), and step 4 is skipped when that transfer is past `incoming_payment_waiting`. When two
 * attempts race to fund, Wise refuses the second with `transfer.invalid-state` ("you can't fund a
 * transfer twice"); the transfer is then read back and its state returned.
 *
 * Errors: network failures, timeouts, 429 and 5xx are retryable PayoutPartnerErrors; other 4xx
 * are not, and carry Wise's message. A 2xx answer Drop cannot read is retryable too: Wise may have
 * acted on it, so the payout must not be given up as failed, and a retry with the same key is safe.
 *
 * Webhooks are `transfers#state-change` events signed with Wise's RSA key: X-Signature-SHA256 is
 * the Base64 RSA-SHA256 signature of the raw body.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  type PayoutOrder,
  type PayoutPartner,
  PayoutPartnerError,
  type PayoutPartnerEvent,
  type PayoutSubmission,
  WebhookSignatureError,
} from '@drop/core';
import type { z } from 'zod';
import {
  WISE_TRANSFER_STATE_CHANGE,
  type WiseTransfer,
  wiseAccountSchema,
  wiseErrorCodes,
  wiseErrorMessage,
  wiseFundingSchema,
  wiseQuoteSchema,
  wiseTransferSchema,
  wiseTransferStateChangeSchema,
} from './wise-api.ts';
import { payoutStateOfWise, wiseAmount, wiseRecipientAccount, wiseReference } from './wise-mapping.ts';

export interface WisePayoutPartnerOptions {
  /** 'https://api.wise.com', or the simulator's mount, e.g. 'http://127.0.0.1:3000/wise-sim'. */
  baseUrl: string;
  apiToken: string;
  /** Drop's business profile at Wise, which owns the balance, recipients and transfers. */
  profileId: number;
  /** Wise's webhook signing key (PEM), or the simulator's. */
  /** Wise's webhook key. A process that only sends payouts (`drop worker`) may leave it out. */
  webhookPublicKey?: string | KeyObject | undefined;
  fetch?: typeof fetch;
  /** Deadline of each HTTP call. */
  timeoutMs?: number;
}

type Headers = Record<string, string | string[] | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const INVALID_STATE = 'transfer.invalid-state';
const INSUFFICIENT_FUNDS = 'transfer.insufficient_funds';

interface Answer {
  status: number;
  body: unknown;
  /** The body was not JSON. */
  unreadable: boolean;
}

function header(headers: Headers, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

export class WisePayoutPartner implements PayoutPartner {
  readonly name = 'wise';
  readonly #baseUrl: string;
  readonly #apiToken: string;
  readonly #profileId: number;
  readonly #publicKey: KeyObject | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: WisePayoutPartnerOptions) {
    if (!options.apiToken) throw new Error('Wise: apiToken is required');
    if (!Number.isSafeInteger(options.profileId) || options.profileId <= 0) throw new Error('Wise: profileId must be a positive integer');
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiToken = options.apiToken;
    this.#profileId = options.profileId;
    // Parsed once, so a wrong key fails at start rather than on the first webhook.
    this.#publicKey = typeof options.webhookPublicKey === 'string' ? createPublicKey(options.webhookPublicKey) : options.webhookPublicKey;
    if (this.#publicKey && (this.#publicKey.type !== 'public' || this.#publicKey.asymmetricKeyType !== 'rsa')) {
      throw new Error('Wise: webhookPublicKey must be an RSA public key');
    }
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  async send(order: PayoutOrder): Promise<PayoutSubmission> {
    if (!UUID.test(order.idempotencyKey)) {
      throw new PayoutPartnerError(`Wise payout ${order.transferId}: the idempotency key must be a UUID (customerTransactionId)`, false);
    }
    // Everything that can be refused without asking Wise is checked before the first call.
    const amount = wiseAmount(order.amountMinor, order.currency);
    const accountRequest = wiseRecipientAccount(order.recipient, order.currency, this.#profileId);
    const reference = wiseReference(order.reference, order.currency);
    const profile = this.#profileId;

    const account = this.#read(await this.#call('POST', '/v1/accounts', accountRequest), wiseAccountSchema, 'the recipient account');
    const quote = this.#read(
      await this.#call('POST', `/v3/profiles/${profile}/quotes`, {
        sourceCurrency: order.currency,
        targetCurrency: order.currency,
        targetAmount: amount.value,
        targetAccount: account.id,
        payOut: 'BANK_TRANSFER',
        preferredPayIn: 'BALANCE',
      }),
      wiseQuoteSchema,
      'the quote',
    );
    const transfer = this.#read(
      await this.#call('POST', '/v1/transfers', {
        targetAccount: account.id,
        quoteUuid: quote.id,
        customerTransactionId: order.idempotencyKey,
        details: reference ? { reference } : {},
      }),
      wiseTransferSchema,
      'the transfer',
    );
    this.#checkSamePayout(order, amount.value, transfer);

    const partnerReference = String(transfer.id);
    // A repeat of an attempt that got further: the transfer is funded (or over) already.
    if (transfer.status !== 'incoming_payment_waiting') return { partnerReference, state: payoutStateOfWise(transfer.status) };
    return { partnerReference, state: await this.#fund(transfer.id) };
  }

  /** The payout's state as Wise has it now (`GET /v1/transfers/{id}`), for reconciliation. */
  async fetchState(partnerReference: string): Promise<PayoutSubmission & { partnerState: string }> {
    if (!/^[1-9]\d{0,17}$/.test(partnerReference)) throw new PayoutPartnerError(`'${partnerReference}' is not a Wise transfer id`, false);
    const transfer = this.#read(await this.#call('GET', `/v1/transfers/${partnerReference}`), wiseTransferSchema, 'the transfer');
    return { partnerReference: String(transfer.id), state: payoutStateOfWise(transfer.status), partnerState: transfer.status };
  }

  parseWebhook(rawBody: Buffer, headers: Headers): PayoutPartnerEvent | null {
    const signature = header(headers, 'x-signature-sha256')?.trim();
    if (!signature) throw new WebhookSignatureError('The Wise webhook has no X-Signature-SHA256 header.');
    if (!this.#publicKey) throw new WebhookSignatureError('No Wise webhook key is configured here.');
    let authentic = false;
    try {
      authentic = BASE64.test(signature) && verify('sha256', rawBody, this.#publicKey as KeyObject, Buffer.from(signature, 'base64'));
    } catch {
      authentic = false;
    }
    if (!authentic) throw new WebhookSignatureError('The Wise webhook signature does not match its body.');

    if (header(headers, 'x-test-notification')?.trim().toLowerCase() === 'true') return null;
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new Error('The Wise webhook is signed but its body is not JSON');
    }
    if (typeof body !== 'object' || body === null || (body as { event_type?: unknown }).event_type !== WISE_TRANSFER_STATE_CHANGE) {
      return null;
    }
    const parsed = wiseTransferStateChangeSchema.safeParse(body);
    if (!parsed.success) throw new Error(`The Wise ${WISE_TRANSFER_STATE_CHANGE} event is malformed: ${parsed.error.issues[0]?.message}`);
    const { resource, current_state, occurred_at } = parsed.data.data;
    // An application-level subscription also reports other profiles' transfers: none is Drop's payout.
    if (resource.profile_id !== undefined && resource.profile_id !== this.#profileId) return null;
    return {
      partnerReference: String(resource.id),
      state: payoutStateOfWise(current_state),
      partnerState: current_state,
      occurredAt: occurred_at,
      deliveryId: header(headers, 'x-delivery-id'),
    };
  }

  /** Funds the transfer from the balance; the payout's state afterwards. */
  async #fund(transferId: number): Promise<PayoutSubmission['state']> {
    const answer = await this.#call('POST', `/v3/profiles/${this.#profileId}/transfers/${transferId}/payments`, { type: 'BALANCE' });
    if (answer.status >= 200 && answer.status < 300) {
      const funding = this.#read(answer, wiseFundingSchema, 'the funding');
      if (funding.status === 'COMPLETED') return 'processing';
      const code = funding.errorCode ?? undefined;
      if (code === INVALID_STATE) return this.#stateAfterRefusedFunding(transferId);
      const why = `Wise did not fund transfer ${transferId} from the balance: ${funding.status}${code ? ` ${code}` : ''}`;
      // Insufficient funds clears when the balance is topped up; Wise says to retry then.
      if (funding.status === 'REJECTED') throw new PayoutPartnerError(why, code === INSUFFICIENT_FUNDS);
      throw new PayoutPartnerError(why, true);
    }
    if (wiseErrorCodes(answer.body).includes(INVALID_STATE)) return this.#stateAfterRefusedFunding(transferId);
    throw this.#httpError('POST', `/v3/profiles/{profileId}/transfers/${transferId}/payments`, answer);
  }

  /** Wise refuses to fund a transfer twice (or one already over): what happened to it? */
  async #stateAfterRefusedFunding(transferId: number): Promise<PayoutSubmission['state']> {
    const { state, partnerState } = await this.fetchState(String(transferId));
    if (partnerState === 'incoming_payment_waiting') {
      throw new PayoutPartnerError(`Wise refused to fund transfer ${transferId}, which still waits for its funds`, true);
    }
    return state;
  }

  /** The transfer Wise answered with must be this payout: a key reused for another order is a bug, not a payout. */
  #checkSamePayout(order: PayoutOrder, amount: number, transfer: WiseTransfer): void {
    const sameKey =
      transfer.customerTransactionId == null || transfer.customerTransactionId.toLowerCase() === order.idempotencyKey.toLowerCase();
    if (!sameKey || transfer.targetCurrency !== order.currency || transfer.targetValue !== amount) {
      throw new PayoutPartnerError(
        `Wise transfer ${transfer.id} for customerTransactionId ${order.idempotencyKey} is ${transfer.targetValue} ${transfer.targetCurrency}, ` +
          `not the ${amount} ${order.currency} of ${order.transferId}`,
        false,
      );
    }
  }

  async #call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
    const template = path.replace(/\/\d+(?=\/|$)/g, '/{id}');
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#apiToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const cause = error as Error;
      const why =
        cause.name === 'TimeoutError'
          ? `no answer within ${this.#timeoutMs} ms`
          : (cause.cause as Error | undefined)?.message || cause.message;
      throw new PayoutPartnerError(`Wise ${method} ${template} failed: ${why}`, true);
    }
    try {
      return { status: response.status, body: text === '' ? undefined : JSON.parse(text), unreadable: false };
    } catch {
      return { status: response.status, body: text.slice(0, 200), unreadable: true };
    }
  }

  /** A 2xx answer read with its schema; anything else thrown as a PayoutPartnerError. */
  #read<T extends z.ZodType>(answer: Answer, schema: T, what: string): z.infer<T> {
    if (answer.status < 200 || answer.status >= 300) throw this.#httpError('', what, answer);
    const parsed = answer.unreadable ? undefined : schema.safeParse(answer.body);
    if (!parsed?.success) {
      throw new PayoutPartnerError(`Wise answered ${answer.status} for ${what} with a body Drop cannot read`, true);
    }
    return parsed.data;
  }

  #httpError(method: string, what: string, answer: Answer): PayoutPartnerError {
    const retryable = answer.status === 429 || answer.status >= 500;
    const message = wiseErrorMessage(answer.body) ?? (typeof answer.body === 'string' && answer.body ? answer.body : undefined);
    const call = method ? `${method} ${what}` : what;
    return new PayoutPartnerError(`Wise answered ${answer.status} for ${call}${message ? `: ${message}` : ''}`, retryable);
  }
}
