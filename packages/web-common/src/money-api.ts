import { type ApiProblem, type ApiResult, callApi } from './api.ts';
/**
 * Sending money through Drop's HTTP API: where Drop sends (`/api/corridors`), quotes, the
 * customer's recipients and transfers. Amounts are decimal strings in major units, as the API
 * sends them. A refusal keeps the problem document's `code`, its human `detail` and, for domain
 * errors, its `details` (which field, which limit), so a page can say exactly what is wrong.
 */

/** The money endpoints' results are the shared API client's (`replayed` marks an idempotent retry). */
export type MoneyApiResult<T> = ApiResult<T>;
export type { ApiProblem };

// Quotes and transfers do more work than a profile read: a little more time before giving up.
const moneyCall = <T>(method: 'GET' | 'POST' | 'DELETE', path: string, options: Parameters<typeof callApi<T>>[2] = {}) =>
  callApi<T>(method, path, { timeoutMs: 10_000, ...options });

export interface Money {
  amount: string;
  currency: string;
}

export interface RecipientField {
  name: string;
  required: boolean;
  example: string;
  label: { en: string; nb: string };
  hint?: { en: string; nb: string };
}

/** `GET /api/corridors`: one destination country and currency, its fee, bounds and recipient fields. */
export interface Corridor {
  country: string;
  currency: string;
  rail: string;
  fee: { fixedNok: string; percent: string; minimumNok: string; maximumNok: string | null };
  minSendNok: string;
  maxSendNok: string;
  rateDecimals: number;
  recipientFields: RecipientField[];
}

export type QuoteRequest = { country: string; currency: string } & ({ sendAmount: string } | { receiveAmount: string });

/** `POST /api/quotes`: a price locked until `expiresAt`. */
export interface Quote {
  id: string;
  country: string;
  quotedBy: 'send' | 'receive';
  send: Money;
  fee: Money;
  converted: Money;
  receive: Money;
  /** Receive-currency units per 1 NOK, after Drop's margin. */
  rate: string;
  reference: { nokPerUnit: string; source: string; date: string; marginPercent: string };
  createdAt: string;
  expiresAt: string;
}

export const RELATIONSHIPS = ['family', 'friend', 'self', 'business', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export interface Recipient {
  id: string;
  name: string;
  country: string;
  currency: string;
  rail: string;
  relationship: string;
  details: Record<string, string>;
  /** Safe to show: the account or number masked. */
  display: string;
  createdAt: string;
}

export interface NewRecipient {
  name: string;
  country: string;
  currency: string;
  relationship: Relationship;
  details: Record<string, string>;
}

export const TRANSFER_STATUSES = [
  'awaiting_funds',
  'funds_received',
  'processing',
  'paid_out',
  'held',
  'cancelled',
  'failed',
  'refunded',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface Transfer {
  id: string;
  status: TransferStatus;
  send: Money;
  fee: Money;
  converted: Money;
  receive: Money;
  rate: string;
  quoteId: string | null;
  /** The reference the customer's bank payment must carry. */
  kid: string | null;
  /** Until when the quote's rate holds. */
  payBy: string | null;
  recipient: { id: string; name: string; country: string; currency: string; display: string } | null;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
  /** While awaiting the customer's payment: pay exactly `amount` to `account` with `kid`. */
  payIn: { account: string; kid: string; amount: Money; payBy: string | null } | null;
}

export interface TimelineEntry {
  from: TransferStatus | null;
  to: TransferStatus;
  at: string;
  by: 'customer' | 'staff' | 'system';
}

/**
 * A bank payment for the transfer that arrived after its quote expired (beyond the few days'
 * tolerance): Drop has the money but converts it at neither the old rate nor an unseen new one.
 * The customer takes a new quote (`requoteLatePayment`, then `acceptRequote`) or asks for the
 * money back (`refundLatePayment`).
 */
export interface LatePayment {
  /** The bank entry that carried the payment. */
  entryId: string;
  /** NOK, as the bank booked it. */
  amount: string;
  /** YYYY-MM-DD, when the bank booked it (null if the bank did not say). */
  bookedOn: string | null;
}

export interface TransferDetail extends Transfer {
  timeline: TimelineEntry[];
  /** Only while the transfer awaits funds and a late payment waits for the customer's decision. */
  latePayment: LatePayment | null;
}

/** `POST /api/transfers/:id/late-payment/refund`: where the money goes back to. */
export interface LatePaymentRefund {
  /** The paying account: 11 digits or an IBAN. */
  refundedTo: string;
  amount: string;
  currency: string;
}

// ---- the call ------------------------------------------------------------------------------

// ---- checking what came back ---------------------------------------------------------------

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isAmount = (value: unknown): value is string => isString(value) && /^-?\d+(\.\d+)?$/.test(value);
const isMoney = (value: unknown): value is Money => isRecord(value) && isAmount(value.amount) && isString(value.currency);
const isStatus = (value: unknown): value is TransferStatus => TRANSFER_STATUSES.includes(value as TransferStatus);

function listOf<T>(check: (value: unknown) => boolean): (data: unknown) => T[] | undefined {
  return (data) => (Array.isArray(data) && data.every(check) ? (data as T[]) : undefined);
}

function isCorridor(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.fee) || !Array.isArray(value.recipientFields)) return false;
  return (
    isString(value.country) &&
    isString(value.currency) &&
    isAmount(value.minSendNok) &&
    isAmount(value.maxSendNok) &&
    value.recipientFields.every(
      (field) => isRecord(field) && isString(field.name) && typeof field.required === 'boolean' && isRecord(field.label),
    )
  );
}

function isQuote(value: unknown): boolean {
  return (
    isRecord(value) &&
    isString(value.id) &&
    (value.quotedBy === 'send' || value.quotedBy === 'receive') &&
    [value.send, value.fee, value.converted, value.receive].every(isMoney) &&
    isAmount(value.rate) &&
    isRecord(value.reference) &&
    isString(value.createdAt) &&
    isString(value.expiresAt)
  );
}

function isRecipient(value: unknown): boolean {
  return isRecord(value) && isString(value.id) && isString(value.name) && isString(value.country) && isString(value.display);
}

function isTransfer(value: unknown): boolean {
  return (
    isRecord(value) &&
    isString(value.id) &&
    isStatus(value.status) &&
    [value.send, value.fee, value.converted, value.receive].every(isMoney) &&
    isAmount(value.rate) &&
    (value.recipient === null || isRecipient(value.recipient)) &&
    isString(value.createdAt)
  );
}

function isLatePayment(value: unknown): boolean {
  return isRecord(value) && isString(value.entryId) && isAmount(value.amount) && (value.bookedOn === null || isString(value.bookedOn));
}

function isTransferDetail(value: unknown): boolean {
  return (
    isTransfer(value) &&
    isRecord(value) &&
    Array.isArray(value.timeline) &&
    value.timeline.every((entry) => isRecord(entry) && isStatus(entry.to) && isString(entry.at)) &&
    (value.latePayment === null || isLatePayment(value.latePayment))
  );
}

function isRefund(value: unknown): boolean {
  return isRecord(value) && isString(value.refundedTo) && isAmount(value.amount) && isString(value.currency);
}

const one =
  <T>(check: (value: unknown) => boolean) =>
  (data: unknown): T | undefined =>
    check(data) ? (data as T) : undefined;

// ---- the endpoints -------------------------------------------------------------------------

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

/** `GET /api/corridors` (public): where Drop sends, with fees, bounds and recipient fields. */
export function fetchCorridors(signal?: AbortSignal): Promise<MoneyApiResult<Corridor[]>> {
  return moneyCall('GET', '/api/corridors', { parse: listOf<Corridor>(isCorridor), ...withSignal(signal) });
}

/** `POST /api/quotes`. Errors: AMOUNT_INVALID (details.reason), CORRIDOR_UNSUPPORTED, RATES_UNAVAILABLE. */
export function requestQuote(request: QuoteRequest, signal?: AbortSignal): Promise<MoneyApiResult<Quote>> {
  return moneyCall('POST', '/api/quotes', { body: request, parse: one<Quote>(isQuote), ...withSignal(signal) });
}

/** `GET /api/recipients`: the customer's recipients. */
export function fetchRecipients(signal?: AbortSignal): Promise<MoneyApiResult<Recipient[]>> {
  return moneyCall('GET', '/api/recipients', { parse: listOf<Recipient>(isRecipient), ...withSignal(signal) });
}

/** `POST /api/recipients`. Errors: RECIPIENT_INVALID with details `{ field, reason }`, CORRIDOR_UNSUPPORTED. */
export function addRecipient(recipient: NewRecipient): Promise<MoneyApiResult<Recipient>> {
  return moneyCall('POST', '/api/recipients', { body: recipient, parse: one<Recipient>(isRecipient) });
}

/** `DELETE /api/recipients/:id`. */
export function removeRecipient(id: string): Promise<MoneyApiResult<void>> {
  return moneyCall('DELETE', `/api/recipients/${encodeURIComponent(id)}`);
}

/**
 * `POST /api/transfers` with an Idempotency-Key: send the same key again to retry the same
 * submission (a double click, a lost answer) and the server answers with the first transfer
 * (`replayed`) instead of making a second. Errors: KYC_REQUIRED, LIMIT_EXCEEDED, EDD_REQUIRED,
 * QUOTE_EXPIRED, QUOTE_USED, QUOTE_NOT_FOUND, RECIPIENT_NOT_FOUND, RECIPIENT_MISMATCH.
 */
export function createTransfer(
  request: { quoteId: string; recipientId: string },
  idempotencyKey: string,
): Promise<MoneyApiResult<Transfer>> {
  return moneyCall('POST', '/api/transfers', {
    body: request,
    headers: { 'idempotency-key': idempotencyKey },
    parse: one<Transfer>(isTransfer),
  });
}

/** `GET /api/transfers?limit=`: the customer's transfers, newest first. */
export function fetchTransfers(limit = 50, signal?: AbortSignal): Promise<MoneyApiResult<Transfer[]>> {
  return moneyCall('GET', `/api/transfers?limit=${limit}`, { parse: listOf<Transfer>(isTransfer), ...withSignal(signal) });
}

/** `GET /api/transfers/:id`: one transfer with its timeline. */
export function fetchTransfer(id: string, signal?: AbortSignal): Promise<MoneyApiResult<TransferDetail>> {
  return moneyCall('GET', `/api/transfers/${encodeURIComponent(id)}`, {
    parse: one<TransferDetail>(isTransferDetail),
    ...withSignal(signal),
  });
}

/** `POST /api/transfers/:id/cancel`: only while the transfer awaits the customer's payment. */
export function cancelTransfer(id: string): Promise<MoneyApiResult<TransferDetail>> {
  return moneyCall('POST', `/api/transfers/${encodeURIComponent(id)}/cancel`, { parse: one<TransferDetail>(isTransferDetail) });
}

const latePaymentPath = (id: string, action: 'quote' | 'accept' | 'refund') =>
  `/api/transfers/${encodeURIComponent(id)}/late-payment/${action}`;

/**
 * `POST /api/transfers/:id/late-payment/quote`: a fresh quote at today's rate for the amount that
 * arrived late, to the same recipient. Errors: NOT_FOUND (no late payment waits for a decision),
 * RATES_UNAVAILABLE.
 */
export function requoteLatePayment(id: string): Promise<MoneyApiResult<Quote>> {
  return moneyCall('POST', latePaymentPath(id, 'quote'), { body: {}, parse: one<Quote>(isQuote) });
}

/**
 * `POST /api/transfers/:id/late-payment/accept`: this transfer is cancelled and a new one (a new
 * id), made from `quoteId` and already funded by the late payment, replaces it. Errors: NOT_FOUND
 * (already decided), QUOTE_EXPIRED, QUOTE_USED, QUOTE_NOT_FOUND, PAYMENT_AMOUNT_MISMATCH,
 * LIMIT_EXCEEDED, KYC_REQUIRED, EDD_REQUIRED.
 */
export function acceptRequote(id: string, quoteId: string): Promise<MoneyApiResult<Transfer>> {
  return moneyCall('POST', latePaymentPath(id, 'accept'), { body: { quoteId }, parse: one<Transfer>(isTransfer) });
}

/**
 * `POST /api/transfers/:id/late-payment/refund`: the transfer is cancelled and the late payment
 * goes back to the account it came from. Errors: NOT_FOUND (already decided), VALIDATION_FAILED
 * (the bank did not say which account paid: customer support has to ask).
 */
export function refundLatePayment(id: string): Promise<MoneyApiResult<LatePaymentRefund>> {
  return moneyCall('POST', latePaymentPath(id, 'refund'), { parse: one<LatePaymentRefund>(isRefund) });
}
