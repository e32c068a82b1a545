/**
 * Drop set up for the transfer benchmarks (`bench:transfers`, `soak`): its own process, customers'
 * sessions that never idle out, quotes that outlive the run, tier limits checked on every transfer
 * but never reached, and started only once it quotes (reference rates loaded). Also the checks
 * both run afterwards: the ledger, and one transfer per idempotency key.
 */
import { verifyLedger } from '@drop/core';
import type pg from 'pg';
import type { BenchCustomer } from './customers.ts';
import { type DropProcess, startDrop, waitFor } from './drop-server.ts';

export const IDLE_SECONDS = 30 * 24 * 3600;
export const QUOTE_TTL_SECONDS = 1800;
// A customer sends a few hundred kroner a few hundred times per run (four runs, with warm-ups):
// the tier-2 period limits are raised so they are checked on every transfer but never reached.
// The same limits go to pgbench, so both do the same work.
export const TIER_LIMITS_JSON = JSON.stringify({
  1: { perTransferNok: 50_000, thirtyDaysNok: 100_000, twelveMonthsNok: 300_000 },
  2: { perTransferNok: 250_000, thirtyDaysNok: 1_000_000_000, twelveMonthsNok: 1_000_000_000 },
});

/**
 * Starts Drop on `port` against `databaseUrl` and waits until it answers a quote for `customer`.
 * `env` adds to or overrides the settings below.
 */
export async function launchTransferDrop(options: {
  root: string;
  port: number;
  databaseUrl: string;
  pool: number;
  jwtSecret: string;
  ledgerShards: number;
  logFile: string;
  customer: BenchCustomer;
  env?: Record<string, string>;
}): Promise<DropProcess> {
  const { port } = options;
  const origin = `http://localhost:${port}`;
  const url = `http://127.0.0.1:${port}`;
  const drop = await startDrop({
    root: options.root,
    port,
    logFile: options.logFile,
    env: {
      NODE_ENV: 'development',
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: String(options.pool),
      PORT: String(port),
      PUBLIC_URL: origin,
      LOG_LEVEL: 'warn',
      WORKER_MODE: 'off',
      SESSION_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
      JWT_SECRET: options.jwtSecret,
      LEDGER_SHARDS: String(options.ledgerShards),
      KYC_TIER_LIMITS: TIER_LIMITS_JSON,
      QUOTE_TTL_SECONDS: String(QUOTE_TTL_SECONDS),
      // Bench customers send hundreds of transfers a second each: the per-customer limits would cap them.
      CUSTOMER_RATE_LIMIT_MULTIPLIER: '1000000',
      ...options.env,
    },
  });
  try {
    await waitFor('GET /api/health → 200', drop, async () => (await fetch(`${url}/api/health`)).status === 200);
    // Reference rates load from the built-in Norges Bank simulator right after listen.
    await waitFor(
      'POST /api/quotes → 201 (reference rates loaded)',
      drop,
      async () =>
        (
          await fetch(`${url}/api/quotes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: `__Host-drop_session=${options.customer.token}`, origin },
            body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount: '500' }),
          })
        ).status === 201,
    );
    return drop;
  } catch (error) {
    await drop.stop();
    throw error;
  }
}

export async function countTransfers(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM transactions');
  return Number(rows[0]?.count ?? 0);
}

/** Ledger invariants plus "every idempotency key has exactly one transfer, every transfer one key". */
export async function checkTransferInvariants(pool: pg.Pool): Promise<{ violations: number; examples: unknown[] }> {
  const ledger = await verifyLedger(pool);
  const { rows } = await pool.query<{
    keys_without_transfer: string;
    transfers_with_several_keys: string;
    transfers_without_key: string;
  }>(
    `SELECT (SELECT count(*) FROM idempotency_keys k
              WHERE k.transaction_id IS NULL OR NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = k.transaction_id)) AS keys_without_transfer,
            (SELECT count(*) FROM (SELECT transaction_id FROM idempotency_keys GROUP BY 1 HAVING count(*) > 1) d) AS transfers_with_several_keys,
            (SELECT count(*) FROM transactions t
              WHERE NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.transaction_id = t.id)) AS transfers_without_key`,
  );
  const idempotency = rows[0];
  const anomalies = Object.entries(idempotency ?? {}).filter(([, count]) => Number(count) > 0);
  return {
    violations: ledger.violations.length + anomalies.reduce((sum, [, count]) => sum + Number(count), 0),
    examples: [...ledger.violations.slice(0, 3), ...anomalies.map(([name, count]) => ({ invariant: name, count }))],
  };
}

export interface FirstTransfer {
  ms: number;
  /** The two answers as Drop sent them (the Node floor answers with the same bodies). */
  quoteBody: string;
  transferBody: string;
}

/**
 * Sends one transfer (quote → create) for `customer` and waits for its 201. A create waits for the
 * screening index, which Drop builds in the background after it starts; on a busy machine that
 * takes longer than any fixed warm-up, so the warm-up starts only after this.
 */
export async function firstTransfer(options: {
  url: string;
  origin: string;
  customer: BenchCustomer;
  timeoutMs?: number;
}): Promise<FirstTransfer> {
  const started = performance.now();
  const headers = {
    'content-type': 'application/json',
    cookie: `__Host-drop_session=${options.customer.token}`,
    origin: options.origin,
  };
  const timeoutMs = options.timeoutMs ?? 180_000;
  for (;;) {
    const quote = await fetch(`${options.url}/api/quotes`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount: '500' }),
    });
    const quoteBody = await quote.text();
    const quoteId = /"id":"(qt_[0-9A-Z]+)"/.exec(quoteBody)?.[1];
    const create = quoteId
      ? await fetch(`${options.url}/api/transfers`, {
          method: 'POST',
          headers: { ...headers, 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({ quoteId, recipientId: options.customer.recipientId }),
          signal: AbortSignal.timeout(timeoutMs),
        })
      : undefined;
    if (create?.status === 201) return { ms: performance.now() - started, quoteBody, transferBody: await create.text() };
    const problem = create ? `create ${create.status}: ${(await create.text()).slice(0, 300)}` : `quote ${quote.status}`;
    // A refusal (4xx) will not go away by asking again.
    const refused = (create ?? quote).status < 500;
    if (refused || performance.now() - started > timeoutMs)
      throw new Error(`no first transfer (after ${Math.round(performance.now() - started)} ms): ${problem}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
