/**
 * Sending money through Drop's HTTP API: where Drop sends (`/api/corridors`), quotes, the
 * customer's recipients and transfers. Amounts are decimal strings in major units, as the API
 * sends them. A refusal keeps the problem document's `code`, its human `detail` and, for domain
 * errors, its `details` (which field, which limit), so a page can say exactly what is wrong.
 * The shapes are @drop/contracts' schemas; answers are parsed with them.
 */
import {
  type CompanyInfo,
  type Corridor,
  companyInfo,
  corridor,
  type LatePayment,
  type LatePaymentRefund,
  latePaymentRefund,
  type Money,
  type NewRecipient,
  type Quote,
  type QuotePreview,
  type QuoteRequest,
  quote,
  quotePreview,
  RELATIONSHIPS,
  type Recipient,
  type RecipientField,
  type Relationship,
  recipient,
  type TimelineEntry,
  TRANSFER_STATUSES,
  type Transfer,
  type TransferDetail,
  type TransferStatus,
  transfer,
  transferDetail,
} from '@drop/contracts';
import { z } from 'zod';
import { type ApiProblem, type ApiRequest, type ApiResult, callApi } from './client.ts';

export type {
  ApiProblem,
  CompanyInfo,
  Corridor,
  LatePayment,
  LatePaymentRefund,
  Money,
  NewRecipient,
  Quote,
  QuotePreview,
  QuoteRequest,
  Recipient,
  RecipientField,
  Relationship,
  TimelineEntry,
  Transfer,
  TransferDetail,
  TransferStatus,
};
export { RELATIONSHIPS, TRANSFER_STATUSES };

/** The money endpoints' results are the shared API client's (`replayed` marks an idempotent retry). */
export type MoneyApiResult<T> = ApiResult<T>;

// Quotes and transfers do more work than a profile read: a little more time before giving up.
const money = (request: ApiRequest): ApiRequest => ({ timeoutMs: 10_000, ...request });

/** `GET /api/company` (public): Drop's company details and customer service address. */
export function fetchCompany(signal?: AbortSignal): Promise<MoneyApiResult<CompanyInfo>> {
  return callApi({ path: '/api/company', signal }, companyInfo);
}

/** `GET /api/corridors` (public): where Drop sends, with fees, bounds and recipient fields. */
export function fetchCorridors(signal?: AbortSignal): Promise<MoneyApiResult<Corridor[]>> {
  return callApi(money({ path: '/api/corridors', signal }), z.array(corridor));
}

/** `POST /api/quotes`. Errors: AMOUNT_INVALID (details.reason), CORRIDOR_UNSUPPORTED, RATES_UNAVAILABLE. */
export function requestQuote(request: QuoteRequest, signal?: AbortSignal): Promise<MoneyApiResult<Quote>> {
  return callApi(money({ method: 'POST', path: '/api/quotes', body: request, signal }), quote);
}

/** `GET /api/quotes/preview` (public): today's price for a visitor, not stored and not locked. Errors as `requestQuote`, and RATE_LIMITED. */
export function previewQuote(request: QuoteRequest, signal?: AbortSignal): Promise<MoneyApiResult<QuotePreview>> {
  const query = new URLSearchParams(Object.entries(request) as Array<[string, string]>);
  return callApi(money({ path: `/api/quotes/preview?${query}`, signal }), quotePreview);
}

/** `GET /api/recipients`: the customer's recipients. */
export function fetchRecipients(signal?: AbortSignal): Promise<MoneyApiResult<Recipient[]>> {
  return callApi(money({ path: '/api/recipients', signal }), z.array(recipient));
}

/** `POST /api/recipients`. Errors: RECIPIENT_INVALID with details `{ field, reason }`, CORRIDOR_UNSUPPORTED. */
export function addRecipient(newRecipient: NewRecipient): Promise<MoneyApiResult<Recipient>> {
  return callApi(money({ method: 'POST', path: '/api/recipients', body: newRecipient }), recipient);
}

/**
 * `PUT /api/recipients/:id`: validated as a new recipient is. The answer has a new id when anything
 * changed (the old recipient is retired; past transfers keep it). Errors: RECIPIENT_INVALID,
 * RECIPIENT_NOT_FOUND, RECIPIENT_IN_USE (a transfer to them is on its way).
 */
export function editRecipient(id: string, changed: NewRecipient): Promise<MoneyApiResult<Recipient>> {
  return callApi(money({ method: 'PUT', path: `/api/recipients/${encodeURIComponent(id)}`, body: changed }), recipient);
}

/** `DELETE /api/recipients/:id`. Errors: RECIPIENT_NOT_FOUND, RECIPIENT_IN_USE (a transfer to them is on its way). */
export function removeRecipient(id: string): Promise<MoneyApiResult<void>> {
  return callApi(money({ method: 'DELETE', path: `/api/recipients/${encodeURIComponent(id)}` }));
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
  return callApi(
    money({ method: 'POST', path: '/api/transfers', body: request, headers: { 'idempotency-key': idempotencyKey } }),
    transfer,
  );
}

/** `GET /api/transfers?limit=`: the customer's transfers, newest first. */
export function fetchTransfers(limit = 50, signal?: AbortSignal): Promise<MoneyApiResult<Transfer[]>> {
  return callApi(money({ path: `/api/transfers?limit=${limit}`, signal }), z.array(transfer));
}

/** `GET /api/transfers/:id`: one transfer with its timeline. */
export function fetchTransfer(id: string, signal?: AbortSignal): Promise<MoneyApiResult<TransferDetail>> {
  return callApi(money({ path: `/api/transfers/${encodeURIComponent(id)}`, signal }), transferDetail);
}

/** `POST /api/transfers/:id/cancel`: only while the transfer awaits the customer's payment. */
export function cancelTransfer(id: string): Promise<MoneyApiResult<TransferDetail>> {
  return callApi(money({ method: 'POST', path: `/api/transfers/${encodeURIComponent(id)}/cancel` }), transferDetail);
}

const latePaymentPath = (id: string, action: 'quote' | 'accept' | 'refund') =>
  `/api/transfers/${encodeURIComponent(id)}/late-payment/${action}`;

/**
 * `POST /api/transfers/:id/late-payment/quote`: a fresh quote at today's rate for the amount that
 * arrived late, to the same recipient. Errors: NOT_FOUND (no late payment waits for a decision),
 * RATES_UNAVAILABLE.
 */
export function requoteLatePayment(id: string): Promise<MoneyApiResult<Quote>> {
  return callApi(money({ method: 'POST', path: latePaymentPath(id, 'quote'), body: {} }), quote);
}

/**
 * `POST /api/transfers/:id/late-payment/accept`: this transfer is cancelled and a new one (a new
 * id), made from `quoteId` and already funded by the late payment, replaces it. Errors: NOT_FOUND
 * (already decided), QUOTE_EXPIRED, QUOTE_USED, QUOTE_NOT_FOUND, PAYMENT_AMOUNT_MISMATCH,
 * LIMIT_EXCEEDED, KYC_REQUIRED, EDD_REQUIRED.
 */
export function acceptRequote(id: string, quoteId: string): Promise<MoneyApiResult<Transfer>> {
  return callApi(money({ method: 'POST', path: latePaymentPath(id, 'accept'), body: { quoteId } }), transfer);
}

/**
 * `POST /api/transfers/:id/late-payment/refund`: the transfer is cancelled and the late payment
 * goes back to the account it came from. Errors: NOT_FOUND (already decided), VALIDATION_FAILED
 * (the bank did not say which account paid: customer support has to ask).
 */
export function refundLatePayment(id: string): Promise<MoneyApiResult<LatePaymentRefund>> {
  return callApi(money({ method: 'POST', path: latePaymentPath(id, 'refund') }), latePaymentRefund);
}
