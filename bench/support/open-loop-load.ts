/**
 * Open-loop transfer load: a new transfer starts every 1/rate seconds whether or not earlier ones
 * have finished, as independent customers arrive in production. (A closed loop, like autocannon's
 * connections, waits for each answer before sending the next, so a slow server is sent less and
 * its slowness hides: coordinated omission.) Each transfer is the customer path of
 * `bench:transfers`: POST /api/quotes, then POST /api/transfers with that quote, the customer's
 * recipient and a fresh Idempotency-Key; customers take turns.
 *
 * A transfer's latency runs from the moment it was due to start to the create's 201, so time spent
 * waiting for a free socket or behind a late timer counts. Results are gathered per window:
 * `takeWindow()` returns what finished since the previous call and starts the next window.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { BenchCustomer } from './customers.ts';
import { LatencyRecorder } from './latency.ts';

export interface LoadWindow {
  /** performance.now() at the window's start and end. */
  from: number;
  to: number;
  /** Transfers started in the window. */
  started: number;
  /** Transfers whose create answered 201 in the window, with their latencies (ms). */
  completed: number;
  latency: LatencyRecorder;
  /** Transfers that ended in the window with anything but a 201 for both requests. */
  errors: number;
  /** Transfers not started because `maxInFlight` were still open (the server fell far behind). */
  shed: number;
  inFlight: number;
}

export interface OpenLoopLoad {
  takeWindow(): LoadWindow;
  /** Stops starting transfers and waits for the open ones (at most `timeoutMs` each). */
  stop(): Promise<void>;
  /** Status or error → count, with the first answer of each. */
  readonly failures: Record<string, { count: number; example: string }>;
}

const QUOTE_ID = /"id":"(qt_[0-9A-Z]+)"/;

function post(
  agent: http.Agent,
  url: URL,
  path: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

export function startOpenLoopLoad(options: {
  url: string;
  origin: string;
  customers: readonly BenchCustomer[];
  /** Transfers per second. */
  rate: number;
  /** Sockets to the server; more transfers than this wait for one (and that wait counts). */
  sockets: number;
  /** Open transfers beyond which a due transfer is counted as shed rather than started. */
  maxInFlight: number;
  timeoutMs: number;
  /** Starts every Idempotency-Key, so the transfers this load made can be told from others'. */
  keyPrefix: string;
}): OpenLoopLoad {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.sockets });
  const failures: OpenLoopLoad['failures'] = {};
  const fail = (what: string, example: string) => {
    const entry = failures[what];
    if (entry) entry.count++;
    else failures[what] = { count: 1, example: example.slice(0, 300) };
  };
  const newWindow = (from: number): LoadWindow => ({
    from,
    to: from,
    started: 0,
    completed: 0,
    latency: new LatencyRecorder(),
    errors: 0,
    shed: 0,
    inFlight: 0,
  });

  const startedAt = performance.now();
  let window = newWindow(startedAt);
  let due = 0;
  let nextCustomer = 0;
  let inFlight = 0;
  const open = new Set<Promise<void>>();

  const oneTransfer = async (dueAt: number, customer: BenchCustomer) => {
    const headers = {
      'content-type': 'application/json',
      cookie: `__Host-drop_session=${customer.token}`,
      // State-changing requests from a browser are same-origin; the server checks.
      origin: options.origin,
    };
    try {
      const sendAmount = String(100 + Math.floor(Math.random() * 801));
      const quote = await post(
        agent,
        url,
        '/api/quotes',
        headers,
        JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount }),
        options.timeoutMs,
      );
      const quoteId = quote.status === 201 ? QUOTE_ID.exec(quote.body)?.[1] : undefined;
      if (!quoteId) {
        fail(`quote ${quote.status}`, quote.body);
        window.errors++;
        return;
      }
      const create = await post(
        agent,
        url,
        '/api/transfers',
        { ...headers, 'idempotency-key': `${options.keyPrefix}${randomUUID()}` },
        JSON.stringify({ quoteId, recipientId: customer.recipientId }),
        options.timeoutMs,
      );
      if (create.status === 201) {
        window.completed++;
        window.latency.record(performance.now() - dueAt);
      } else {
        fail(`create ${create.status}`, create.body);
        window.errors++;
      }
    } catch (error) {
      fail(`socket ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, String(error));
      window.errors++;
    }
  };

  // Every few milliseconds, start what is due by now; a late timer starts the backlog at once and
  // its transfers' latencies count from when they were due.
  const intervalMs = 1000 / options.rate;
  const ticker = setInterval(() => {
    const now = performance.now();
    while (startedAt + due * intervalMs <= now) {
      const dueAt = startedAt + due * intervalMs;
      due++;
      if (inFlight >= options.maxInFlight) {
        window.shed++;
        fail('shed', `${inFlight} transfers still open`);
        continue;
      }
      const customer = options.customers[nextCustomer++ % options.customers.length] as BenchCustomer;
      inFlight++;
      window.started++;
      const running = oneTransfer(dueAt, customer).finally(() => {
        inFlight--;
        open.delete(running);
      });
      open.add(running);
    }
  }, 2);

  return {
    failures,
    takeWindow() {
      const now = performance.now();
      const taken = window;
      taken.to = now;
      taken.inFlight = inFlight;
      window = newWindow(now);
      return taken;
    },
    async stop() {
      clearInterval(ticker);
      await Promise.all(open);
      agent.destroy();
    },
  };
}
