/**
 * The load: autocannon connections on loopback, each one a customer sending money in a loop,
 * as the web app does it: POST /api/quotes, then POST /api/transfers with that quote, the
 * customer's recipient and a fresh Idempotency-Key. A transfer counts when the create answers 201.
 *
 * Each connection is its own autocannon instance (one connection each) so it carries its own
 * customer in `initialContext` (autocannon resets the context to it at the start of every
 * quote → create sequence); the instances' results are aggregated afterwards. Besides
 * autocannon's own per-request histogram, latency is recorded per endpoint and per transfer
 * (quote sent → create answered 201).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { BenchCustomer } from './customers.ts';
import { LatencyRecorder, type LatencySummary } from './latency.ts';

export interface LoadResult {
  seconds: number;
  /** Creates answered 201, as the client saw them. */
  transfersAccepted: number;
  transfer: LatencySummary;
  quote: LatencySummary;
  create: LatencySummary;
  /** Per-request latency from autocannon's histogram (2xx responses), ms. */
  requestLatency: { p50: number; p99: number; p999: number; max: number };
  /** Responses received, quotes and creates. */
  requests: number;
  non2xx: number;
  /** Socket errors and timeouts (autocannon's `errors`, which includes `timeouts`). */
  socketErrors: number;
  timeouts: number;
  /** Status → count for refused quotes and creates, with the first problem body of each. */
  refused: Record<string, { count: number; example: string }>;
}

interface Context {
  customer: number;
  quoteId?: string;
  quoteSentAt?: number;
  createSentAt?: number;
}

const QUOTE_ID = /"id":"(qt_[0-9A-Z]+)"/;

export async function runTransferLoad(options: {
  url: string;
  origin: string;
  customers: readonly BenchCustomer[];
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const transfer = new LatencyRecorder();
  const quote = new LatencyRecorder();
  const create = new LatencyRecorder();
  const refused: LoadResult['refused'] = {};
  let transfersAccepted = 0;
  const refuse = (what: string, status: number, body: string) => {
    const key = `${what} ${status}`;
    const entry = refused[key];
    if (entry) entry.count++;
    else refused[key] = { count: 1, example: body.slice(0, 300) };
  };
  const customerOf = (context: object) => {
    const customer = options.customers[(context as Context).customer];
    if (!customer) throw new Error('connection without a customer');
    return customer;
  };
  const baseHeaders = (customer: BenchCustomer) => ({
    'content-type': 'application/json',
    cookie: `__Host-drop_session=${customer.token}`,
    // State-changing requests from a browser are same-origin; the server checks.
    origin: options.origin,
  });

  const requests = (): autocannon.Request[] => [
    {
      method: 'POST',
      path: '/api/quotes',
      setupRequest: (request, context) => {
        const sendAmount = String(100 + Math.floor(Math.random() * 801));
        (context as Context).quoteSentAt = performance.now();
        return {
          ...request,
          headers: baseHeaders(customerOf(context)),
          body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount }),
        };
      },
      onResponse: (status, body, context) => {
        const ctx = context as Context;
        quote.record(performance.now() - (ctx.quoteSentAt ?? 0));
        const id = status === 201 ? QUOTE_ID.exec(body)?.[1] : undefined;
        if (id) ctx.quoteId = id;
        else refuse('quote', status, body);
      },
    },
    {
      method: 'POST',
      path: '/api/transfers',
      setupRequest: (request, context) => {
        const ctx = context as Context;
        // No quote, no transfer: returning nothing makes autocannon start over with a new quote.
        if (!ctx.quoteId) return null as unknown as autocannon.Request;
        const customer = customerOf(context);
        ctx.createSentAt = performance.now();
        return {
          ...request,
          headers: { ...baseHeaders(customer), 'idempotency-key': randomUUID() },
          body: JSON.stringify({ quoteId: ctx.quoteId, recipientId: customer.recipientId }),
        };
      },
      onResponse: (status, body, context) => {
        const ctx = context as Context;
        const now = performance.now();
        create.record(now - (ctx.createSentAt ?? now));
        if (status === 201) {
          transfersAccepted++;
          transfer.record(now - (ctx.quoteSentAt ?? now));
        } else {
          refuse('create', status, body);
        }
      },
    },
  ];

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: options.connections }, (_, connection) =>
      autocannon({
        url: options.url,
        connections: 1,
        duration: options.seconds,
        timeout: 10,
        requests: requests(),
        initialContext: { customer: connection % options.customers.length } satisfies Context,
        skipAggregateResult: true,
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const aggregate = (
    autocannon as unknown as {
      aggregateResult(results: autocannon.Result[], options: { url: string; connections: number }): autocannon.Result;
    }
  ).aggregateResult(results, { url: options.url, connections: options.connections });

  return {
    seconds,
    transfersAccepted,
    transfer: transfer.summary(),
    quote: quote.summary(),
    create: create.summary(),
    requestLatency: {
      p50: aggregate.latency.p50,
      p99: aggregate.latency.p99,
      p999: aggregate.latency.p99_9,
      max: aggregate.latency.max,
    },
    requests: quote.size + create.size,
    non2xx: aggregate.non2xx,
    socketErrors: aggregate.errors,
    timeouts: aggregate.timeouts,
    refused,
  };
}
