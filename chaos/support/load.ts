/**
 * The chaos run's customers, behaving like a careful client: each one loops quote → create a
 * transfer (a fresh Idempotency-Key) → cancel it or pay it in (the bank's camt.054 for its KID,
 * uploaded at /api/staff/bank-files, the path the API tests pay with), while the worker pays out
 * and the partner's webhooks come back. A request without an answer (connection refused or cut,
 * a timeout, 502–504) is sent again, the same request with the same key, after a back-off with
 * jitter, until it is answered or the run's deadline passes. Every answered write is logged with
 * its key and response: the history the invariant checks compare with the database.
 */
import { randomUUID } from 'node:crypto';
import { buildCamt054 } from '@drop/integrations';
import type { BenchCustomer } from '../../bench/support/customers.ts';
import { PAYIN_IBAN } from '../../test/support/pay-in.ts';

export type WriteKind = 'create' | 'cancel' | 'payin';

export interface AcknowledgedWrite {
  kind: WriteKind;
  /** The Idempotency-Key of a create; for a cancel or pay-in the transfer's id. */
  key: string;
  transferId: string;
  status: number;
  /** Sends until the answer (1: answered the first time). */
  attempts: number;
  /** The answer came to a retry after the first attempt's outcome was unknown. */
  afterUnknownOutcome: boolean;
}

export interface LoadHistory {
  acknowledged: AcknowledgedWrite[];
  /** Writes still unanswered when the deadline passed (indefinite outcomes). */
  unanswered: Array<{ kind: WriteKind; key: string }>;
  /** Definitive refusals (4xx) by status and code. */
  refused: Record<string, number>;
  /** 500s: a fault must be a 503 to retry, never an internal error. */
  internalErrors: Array<{ path: string; body: string }>;
  retries: number;
  /** Retryable answers by kind: 'network', '503 SERVICE_UNAVAILABLE', … */
  retryable: Record<string, number>;
}

export interface Client {
  base: string;
  origin: string;
  staffCookie: string;
  history: LoadHistory;
  /** When retries give up (the run's end plus its drain time). */
  deadline: () => number;
}

export function newHistory(): LoadHistory {
  return { acknowledged: [], unanswered: [], refused: {}, internalErrors: [], retries: 0, retryable: {} };
}

export interface Answer {
  status: number;
  body: { data?: Record<string, unknown>; code?: string; details?: Record<string, unknown> } & Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends until answered: a status other than 502–504 (a 500 is recorded and also retried, as a
 * client would, but counts against Drop). Undefined when the deadline passed unanswered.
 */
export async function sendUntilAnswered(
  client: Client,
  request: { method: string; path: string; headers: Record<string, string>; body?: string },
): Promise<{ answer: Answer; attempts: number; unknownBefore: boolean } | undefined> {
  let unknownBefore = false;
  for (let attempt = 1; ; attempt++) {
    let failure: string;
    try {
      const response = await fetch(`${client.base}${request.path}`, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      let body: Answer['body'] = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = { raw: text.slice(0, 200) };
      }
      if (response.status === 500) client.history.internalErrors.push({ path: request.path, body: text.slice(0, 300) });
      if (response.status < 500 || response.status === 501)
        return { answer: { status: response.status, body }, attempts: attempt, unknownBefore };
      failure = `${response.status} ${body.code ?? ''}`.trim();
      if (response.status === 503 && !response.headers.get('retry-after') && body.code === 'SERVICE_UNAVAILABLE')
        failure += ' without Retry-After';
    } catch (error) {
      failure = `network ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name}`;
    }
    // The write may or may not have happened: only a retry with the same key can tell.
    unknownBefore = true;
    client.history.retryable[failure] = (client.history.retryable[failure] ?? 0) + 1;
    if (Date.now() > client.deadline()) return undefined;
    client.history.retries++;
    const backoff = Math.min(2000, 50 * 2 ** Math.min(attempt, 6));
    await sleep(backoff / 2 + Math.random() * (backoff / 2));
  }
}

const customerHeaders = (client: Client, customer: BenchCustomer) => ({
  'content-type': 'application/json',
  cookie: `__Host-drop_session=${customer.token}`,
  origin: client.origin,
});

function refuse(client: Client, what: string, answer: Answer) {
  const key = `${what} ${answer.status} ${answer.body.code ?? ''}`.trim();
  client.history.refused[key] = (client.history.refused[key] ?? 0) + 1;
}

/** POST /api/quotes then POST /api/transfers with a fresh key: the new transfer, if it was created. */
export async function createTransfer(
  client: Client,
  customer: BenchCustomer,
  sendAmount: string,
): Promise<{ id: string; kid: string; amount: string } | undefined> {
  const quote = await sendUntilAnswered(client, {
    method: 'POST',
    path: '/api/quotes',
    headers: customerHeaders(client, customer),
    body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount }),
  });
  if (!quote) return undefined;
  if (quote.answer.status !== 201) {
    refuse(client, 'quote', quote.answer);
    return undefined;
  }
  const key = randomUUID();
  const created = await sendUntilAnswered(client, {
    method: 'POST',
    path: '/api/transfers',
    headers: { ...customerHeaders(client, customer), 'idempotency-key': key },
    body: JSON.stringify({ quoteId: quote.answer.body.data?.id, recipientId: customer.recipientId }),
  });
  if (!created) {
    client.history.unanswered.push({ kind: 'create', key });
    return undefined;
  }
  if (created.answer.status !== 201) {
    refuse(client, 'create', created.answer);
    return undefined;
  }
  const data = created.answer.body.data as { id: string; payIn: { kid: string; amount: { amount: string } } };
  client.history.acknowledged.push({
    kind: 'create',
    key,
    transferId: data.id,
    status: 201,
    attempts: created.attempts,
    afterUnknownOutcome: created.unknownBefore,
  });
  return { id: data.id, kid: data.payIn.kid, amount: data.payIn.amount.amount };
}

/**
 * POST /api/transfers/:id/cancel. A cancel carries no key: a retry after an unknown outcome that
 * is told TRANSFER_STATE_INVALID from 'cancelled' learns the first attempt did it.
 */
export async function cancelTransfer(client: Client, customer: BenchCustomer, transferId: string): Promise<void> {
  const sent = await sendUntilAnswered(client, {
    method: 'POST',
    path: `/api/transfers/${transferId}/cancel`,
    headers: customerHeaders(client, customer),
    body: '{}',
  });
  if (!sent) {
    client.history.unanswered.push({ kind: 'cancel', key: transferId });
    return;
  }
  const { answer } = sent;
  const alreadyDone = sent.unknownBefore && answer.status === 409 && answer.body.details?.from === 'cancelled';
  if (answer.status === 200 || alreadyDone) {
    client.history.acknowledged.push({
      kind: 'cancel',
      key: transferId,
      transferId,
      status: answer.status,
      attempts: sent.attempts,
      afterUnknownOutcome: sent.unknownBefore,
    });
  } else {
    refuse(client, 'cancel', answer);
  }
}

/**
 * The customer's payment arriving: the bank's camt.054 for this transfer, uploaded by staff. The
 * same file every time for the same transfer (message id, booking reference and time fixed), so a
 * retry is recognised by its digest, and the booking by its bank reference.
 */
export async function payIn(client: Client, transfer: { id: string; kid: string; amount: string }): Promise<void> {
  const xml = buildCamt054({
    messageId: `CHAOS-${transfer.id}`,
    createdAt: '2026-12-06T12:00:00.000Z',
    account: { iban: PAYIN_IBAN },
    entries: [
      {
        reference: `BOOK-${transfer.id}`,
        creditDebit: 'CRDT',
        amountMinor: BigInt(transfer.amount.replace('.', '')),
        currency: 'NOK',
        bookingDate: new Date().toISOString().slice(0, 10),
        kid: transfer.kid,
        debtorName: 'Kari Nordmann',
        debtorAccount: '12345678903',
      },
    ],
  });
  const sent = await sendUntilAnswered(client, {
    method: 'POST',
    path: '/api/staff/bank-files',
    headers: { cookie: client.staffCookie, origin: client.origin, 'content-type': 'application/xml', 'x-file-name': 'camt054.xml' },
    body: xml,
  });
  if (!sent) {
    client.history.unanswered.push({ kind: 'payin', key: transfer.id });
    return;
  }
  if (sent.answer.status === 201 || sent.answer.status === 200) {
    client.history.acknowledged.push({
      kind: 'payin',
      key: transfer.id,
      transferId: transfer.id,
      status: sent.answer.status,
      attempts: sent.attempts,
      afterUnknownOutcome: sent.unknownBefore,
    });
  } else {
    refuse(client, 'payin', sent.answer);
  }
}

/** One customer's loop until `stopped()`: a transfer, then (3 in 10) cancel it or (7 in 10) pay it in. */
export async function customerLoop(client: Client, customer: BenchCustomer, stopped: () => boolean): Promise<void> {
  while (!stopped()) {
    const transfer = await createTransfer(client, customer, String(100 + Math.floor(Math.random() * 801)));
    if (transfer && !stopped()) {
      if (Math.random() < 0.3) await cancelTransfer(client, customer, transfer.id);
      else await payIn(client, transfer);
    }
    await sleep(100 + Math.random() * 300);
  }
}
