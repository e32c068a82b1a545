/**
 * The soak (`npm run soak`, and a short run in `npm test`): Drop as its own process under an
 * open-loop transfer load at a fixed fraction of its measured capacity, sampled every few seconds,
 * and judged flat or not.
 *
 * 1. Capacity: a closed-loop run at full concurrency (`bench:transfers`' load: autocannon, each
 *    connection a customer doing quote → create), counting transfers committed in the database.
 * 2. Soak: an open-loop load at `loadFraction` of that capacity. Every `sampleSeconds`: the
 *    server's RSS (/proc/<pid>/status, the kernel's view), heap and external memory and event-loop
 *    lag (its own GET /metrics, prom-client's process metrics), the window's transfer p50/p99,
 *    errors and achieved rate, and the database's connections (pg_stat_activity, by application).
 * 3. After the load: the ledger (verifyLedger, one transfer per idempotency key) and the audit
 *    chain (verifyAuditChain) are verified.
 * 4. Analysis over the samples after `warmupSeconds` (V8 grows its heap, PostgreSQL fills its
 *    caches and the screening index is built in the first minute; a leak check that includes that
 *    sees growth that is not a leak): least-squares slopes per minute, and drift of the last third
 *    against the first third.
 * 5. Memory as the program holds it: the server runs with the inspector on a loopback port, and
 *    its live heap (after a full collection) and RSS are taken with the server idle before the
 *    open loop (after the capacity run has warmed it up) and again after it. The sampled heap and RSS saw-tooth by hundreds of MB between major
 *    collections (every few minutes under this load), so their least-squares slope over ten
 *    minutes says more about where the saw-tooth stood at the ends than about a leak; they are
 *    reported, and the verdict on memory uses the collected figures.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { importShippedLists, verifyAuditChain } from '@drop/core';
import type pg from 'pg';
import { type BenchCustomer, createCustomers } from './customers.ts';
import type { DropProcess } from './drop-server.ts';
import { freePort } from './drop-server.ts';
import { liveHeapBytes } from './inspector.ts';
import { LatencyRecorder, ms } from './latency.ts';
import { type LoadWindow, startOpenLoopLoad } from './open-loop-load.ts';
import { checkTransferInvariants, countTransfers, launchTransferDrop } from './transfer-drop.ts';
import { runTransferLoad } from './transfer-load.ts';

/**
 * What "flat" means, and why:
 * - Memory: the live heap and the RSS, each after a full collection, grow by less than 1% of
 *   their value before the open loop per minute of it. A leak of 1%/min doubles the
 *   process in under two hours and would end in an out-of-memory restart within a working day;
 *   slower growth is within what a 10-minute run can tell from caches settling.
 * - p99: the transfers of the last third have a p99 at most 1.5 × that of the first third. A
 *   10-second window's p99 jitters by tens of percent on a shared 2-core machine (GC pauses,
 *   checkpoints, other processes); 1.5 × is beyond that jitter and well before a slow-down a
 *   customer would notice.
 * - Errors: none. Under 80% of capacity every request has headroom; any error is a defect.
 * - Achieved rate at least 95% of the target: a run that did not deliver its load proves nothing.
 */
export const FLAT = {
  memorySlopePercentPerMinute: 1,
  p99LastOverFirstThird: 1.5,
  errors: 0,
  achievedOverTarget: 0.95,
} as const;

export interface SoakSample {
  /** Seconds since the soak load started, at the window's end. */
  t_s: number;
  rss_mb: number;
  heap_used_mb: number;
  external_mb: number;
  event_loop_p99_ms: number;
  transfers: number;
  rate: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  error_rate: number;
  shed: number;
  in_flight: number;
  db_connections: number;
  db_connections_drop: number;
  pool_waiting: number;
  /** Checkpoints the database server has completed so far, and autovacuum workers running now. */
  checkpoints: number | null;
  autovacuum_workers: number;
  load_average: number;
}

export interface SoakResult {
  capacity_transfers_per_s: number;
  capacity_p99_ms: number;
  capacity_errors: number;
  load_fraction: number;
  target_rate: number;
  achieved_rate: number;
  seconds: number;
  sample_seconds: number;
  warmup_seconds: number;
  transfers: number;
  committed_transfers: number;
  errors: number;
  failures: Record<string, { count: number; example: string }>;
  samples: SoakSample[];
  /** Live heap and RSS after a full collection, before the open loop and after it. */
  memory_after_full_gc: MemoryAfterGc;
  slopes_per_minute: { rss_mb: number; heap_used_mb: number; p99_ms: number; error_rate: number } | null;
  drift: {
    rss_first_mb: number;
    rss_last_mb: number;
    heap_first_mb: number;
    heap_last_mb: number;
    p99_first_ms: number;
    p99_last_ms: number;
    p99_ratio: number;
    error_rate_first: number;
    error_rate_last: number;
  } | null;
  ledger: { verified: boolean; violations: number; examples: unknown[] };
  audit: { verified: boolean; rows: number; first_broken: unknown };
  load_average: { before: number[]; during_max: number; after: number[] };
  thresholds: typeof FLAT;
  flat: boolean;
  not_flat_because: string[];
}

export interface MemoryAfterGc {
  heap_before_mb: number;
  heap_after_mb: number;
  rss_before_mb: number;
  rss_after_mb: number;
  /** Minutes of load between the two. */
  minutes: number;
  heap_growth_mb_per_min: number;
  rss_growth_mb_per_min: number;
  /** Growth of the live heap per transfer made between the two, bytes. */
  heap_bytes_per_transfer: number;
}

export interface SoakOptions {
  root: string;
  workDir: string;
  databaseUrl: string;
  /** A pool on the same database, for setup, sampling and verification. */
  pool: pg.Pool;
  seconds: number;
  sampleSeconds: number;
  warmupSeconds: number;
  capacitySeconds: number;
  capacityWarmupSeconds: number;
  /** Closed-loop connections for the capacity run. */
  connections: number;
  loadFraction: number;
  customers: number;
  /** Drop's DATABASE_POOL_MAX. */
  dropPool: number;
  ledgerShards: number;
  workerMode: 'inline' | 'off';
  /**
   * Import the shipped sanctions and PEP lists, so every transfer is screened as in production
   * (default). Without them the index is empty: the short run in `npm test` checks the harness,
   * not screening, and saves the import and the index build.
   */
  screeningLists?: boolean;
  log?: (line: string) => void;
}

const MB = 1024 * 1024;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * The transfer count once it stops changing: a load that has ended may still have requests on
 * their way to a commit (autocannon does not wait for them), and a count taken before they land
 * would credit them to the next phase.
 */
async function settledTransferCount(pool: pg.Pool): Promise<number> {
  let count = await countTransfers(pool);
  for (let attempt = 0; attempt < 50; attempt++) {
    await sleep(200);
    const again = await countTransfers(pool);
    if (again === count) return count;
    count = again;
  }
  return count;
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY);
    variance += (p.x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/** Resident set size of a process in bytes, as the kernel counts it. */
async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

/** The server's own process metrics from GET /metrics (Prometheus text format). */
async function serverMetrics(url: string): Promise<{ heapUsed: number; external: number; eventLoopP99: number; poolWaiting: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => {
    const match = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} ([0-9.e+-]+)$`, 'm').exec(text);
    return match?.[1] === undefined ? Number.NaN : Number(match[1]);
  };
  return {
    heapUsed: value('drop_nodejs_heap_size_used_bytes'),
    external: value('drop_nodejs_external_memory_bytes'),
    eventLoopP99: value('drop_nodejs_eventloop_lag_p99_seconds'),
    poolWaiting: value('drop_db_pool_connections{state="waiting"}'),
  };
}

/**
 * The database's side: connections to this database (Drop's by their application name), and what
 * the server does besides answering them that can slow it (checkpoints, autovacuum), so a window
 * with a high p99 can be told apart from a trend.
 */
async function databaseActivity(pool: pg.Pool): Promise<{ total: number; drop: number; checkpoints: number | null; autovacuum: number }> {
  const { rows } = await pool.query<{ app: string; count: string }>(
    `SELECT coalesce(application_name, '') AS app, count(*) FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1`,
  );
  let total = 0;
  let drop = 0;
  for (const row of rows) {
    total += Number(row.count);
    if (row.app.startsWith('drop-')) drop += Number(row.count);
  }
  const autovacuum = await pool.query<{ count: string }>(`SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`);
  // pg_stat_bgwriter has the counts up to PostgreSQL 16, pg_stat_checkpointer from 17.
  const checkpoints = await pool
    .query<{ count: string }>('SELECT checkpoints_timed + checkpoints_req AS count FROM pg_stat_bgwriter')
    .catch(() => pool.query<{ count: string }>('SELECT num_timed + num_requested AS count FROM pg_stat_checkpointer'))
    .then(
      (result) => Number(result.rows[0]?.count ?? 0),
      () => null,
    );
  return { total, drop, checkpoints, autovacuum: Number(autovacuum.rows[0]?.count ?? 0) };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Slopes and drift over the samples after warm-up, and the verdict. */
export function analyse(
  samples: readonly SoakSample[],
  windows: readonly LoadWindow[],
  options: {
    warmupSeconds: number;
    sampleSeconds: number;
    targetRate: number;
    errors: number;
    ledgerOk: boolean;
    auditOk: boolean;
    memory: MemoryAfterGc | null;
  },
): Pick<SoakResult, 'slopes_per_minute' | 'drift' | 'flat' | 'not_flat_because' | 'achieved_rate'> {
  const steadyIndexes = samples.flatMap((sample, i) => (sample.t_s - options.sampleSeconds >= options.warmupSeconds - 1e-9 ? [i] : []));
  const steady = steadyIndexes.map((i) => samples[i] as SoakSample);
  const reasons: string[] = [];
  const achieved = steady.length === 0 ? 0 : mean(steady.map((s) => s.rate));
  if (options.errors > FLAT.errors) reasons.push(`${options.errors} errors (allowed ${FLAT.errors})`);
  if (!options.ledgerOk) reasons.push('the ledger did not verify');
  if (!options.auditOk) reasons.push('the audit chain did not verify');
  if (achieved < FLAT.achievedOverTarget * options.targetRate) {
    reasons.push(`achieved ${round(achieved)} transfers/s, under ${FLAT.achievedOverTarget} × the target ${round(options.targetRate)}`);
  }
  // Three samples are the least a slope and thirds can be drawn from.
  if (steady.length < 3) {
    reasons.push(`only ${steady.length} samples after the ${options.warmupSeconds} s warm-up: too few to judge`);
    return { slopes_per_minute: null, drift: null, flat: false, not_flat_because: reasons, achieved_rate: round(achieved) };
  }
  const perMinute = (pick: (s: SoakSample) => number) => slope(steady.map((s) => ({ x: s.t_s / 60, y: pick(s) })));
  const slopes = {
    rss_mb: round(
      perMinute((s) => s.rss_mb),
      3,
    ),
    heap_used_mb: round(
      perMinute((s) => s.heap_used_mb),
      3,
    ),
    p99_ms: round(
      perMinute((s) => s.p99_ms),
      3,
    ),
    error_rate: round(
      perMinute((s) => s.error_rate),
      6,
    ),
  };
  const third = Math.floor(steady.length / 3);
  const firstIndexes = steadyIndexes.slice(0, third);
  const lastIndexes = steadyIndexes.slice(-third);
  const p99Of = (indexes: number[]) => {
    const merged = new LatencyRecorder();
    for (const i of indexes) for (const value of (windows[i] as LoadWindow).latency.recorded()) merged.record(value);
    return merged.summary().p99;
  };
  const pick = (indexes: number[], field: (s: SoakSample) => number) => mean(indexes.map((i) => field(samples[i] as SoakSample)));
  const errorRateOf = (indexes: number[]) => {
    const errors = indexes.reduce((sum, i) => sum + (samples[i] as SoakSample).errors, 0);
    const all = indexes.reduce((sum, i) => sum + (samples[i] as SoakSample).errors + (samples[i] as SoakSample).transfers, 0);
    return all === 0 ? 0 : errors / all;
  };
  const p99First = p99Of(firstIndexes);
  const p99Last = p99Of(lastIndexes);
  const drift = {
    rss_first_mb: round(pick(firstIndexes, (s) => s.rss_mb)),
    rss_last_mb: round(pick(lastIndexes, (s) => s.rss_mb)),
    heap_first_mb: round(pick(firstIndexes, (s) => s.heap_used_mb)),
    heap_last_mb: round(pick(lastIndexes, (s) => s.heap_used_mb)),
    p99_first_ms: ms(p99First),
    p99_last_ms: ms(p99Last),
    p99_ratio: round(p99First === 0 ? 0 : p99Last / p99First, 3),
    error_rate_first: round(errorRateOf(firstIndexes), 6),
    error_rate_last: round(errorRateOf(lastIndexes), 6),
  };
  const memory = options.memory;
  const memoryLimit = (start: number) => round((FLAT.memorySlopePercentPerMinute / 100) * start, 3);
  if (!memory) {
    reasons.push('memory after a full collection was not measured');
  } else {
    if (memory.heap_growth_mb_per_min >= memoryLimit(memory.heap_before_mb)) {
      reasons.push(
        `the live heap grows ${memory.heap_growth_mb_per_min} MB/min, not under ${memoryLimit(memory.heap_before_mb)} ` +
          `(${FLAT.memorySlopePercentPerMinute}% of ${memory.heap_before_mb} MB)`,
      );
    }
    if (memory.rss_growth_mb_per_min >= memoryLimit(memory.rss_before_mb)) {
      reasons.push(
        `RSS after a full collection grows ${memory.rss_growth_mb_per_min} MB/min, not under ${memoryLimit(memory.rss_before_mb)} ` +
          `(${FLAT.memorySlopePercentPerMinute}% of ${memory.rss_before_mb} MB)`,
      );
    }
  }
  if (drift.p99_ratio > FLAT.p99LastOverFirstThird) {
    reasons.push(
      `p99 ${drift.p99_last_ms} ms in the last third is over ${FLAT.p99LastOverFirstThird} × the first third's ${drift.p99_first_ms} ms`,
    );
  }
  return { slopes_per_minute: slopes, drift, flat: reasons.length === 0, not_flat_because: reasons, achieved_rate: round(achieved) };
}

/**
 * Closed-loop load until Drop runs at its steady pace: at least `minSeconds`, then in short runs
 * until two in a row agree on the rate within 20% (at most a minute more). The server builds its
 * screening index in the background after it starts (seconds of CPU, longer on a busy machine),
 * and transfers wait for it: a capacity run that overlaps the build measures the build.
 */
async function warmUp(load: Omit<Parameters<typeof runTransferLoad>[0], 'seconds'>, minSeconds: number, log: (line: string) => void) {
  if (minSeconds > 0) await runTransferLoad({ ...load, seconds: minSeconds });
  let previous = 0;
  for (let round = 0; round < 20; round++) {
    const run = await runTransferLoad({ ...load, seconds: 3 });
    const rate = run.transfersAccepted / run.seconds;
    if (previous > 0 && Math.abs(rate - previous) <= 0.2 * Math.max(rate, previous)) return;
    log(`warming up: ${Math.round(rate)} transfers/s`);
    previous = rate;
  }
  log('warning: the rate did not settle during warm-up');
}

/**
 * One transfer per customer, a few at a time. The server screens each party once per list
 * version and keeps the answer (SubjectScreener's cache), so a customer's first transfer costs
 * a screening of both names and the next ones do not. The capacity run uses only
 * `connections` customers and the open loop all of them: without this, the open loop's first
 * minute pays a thousand screenings at 80% of a capacity measured without them, and falls behind.
 */
async function primeCustomers(options: {
  url: string;
  origin: string;
  customers: readonly BenchCustomer[];
  concurrency: number;
}): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < options.customers.length; i = next++) {
      const customer = options.customers[i] as BenchCustomer;
      const headers = { 'content-type': 'application/json', cookie: `__Host-drop_session=${customer.token}`, origin: options.origin };
      const quote = await fetch(`${options.url}/api/quotes`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount: '500' }),
      });
      const quoteBody = (await quote.json()) as { data?: { id?: string } };
      const create = await fetch(`${options.url}/api/transfers`, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `prime-${randomUUID()}` },
        body: JSON.stringify({ quoteId: quoteBody.data?.id, recipientId: customer.recipientId }),
      });
      await create.arrayBuffer();
      if (create.status !== 201) throw new Error(`priming customer ${customer.n}: quote ${quote.status}, create ${create.status}`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}

/** The open loop's Idempotency-Keys start with this; the closed-loop runs' keys are bare UUIDs. */
const SOAK_KEY_PREFIX = 'soak-';

/** Transfers the open loop made that are in the database (it waits for all it started before this is read). */
async function soakTransfersCommitted(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ count: string }>(
    `SELECT count(*) FROM idempotency_keys WHERE starts_with(key, $1) AND transaction_id IS NOT NULL`,
    [SOAK_KEY_PREFIX],
  );
  return Number(rows[0]?.count ?? 0);
}

function memoryAfterGc(
  before: { at: number; heap: number; rss: number; transfers: number },
  after: { at: number; heap: number; rss: number; transfers: number },
): MemoryAfterGc {
  const minutes = (after.at - before.at) / 60_000;
  return {
    heap_before_mb: round(before.heap / MB),
    heap_after_mb: round(after.heap / MB),
    rss_before_mb: round(before.rss / MB),
    rss_after_mb: round(after.rss / MB),
    minutes: round(minutes),
    heap_growth_mb_per_min: round((after.heap - before.heap) / MB / minutes, 3),
    rss_growth_mb_per_min: round((after.rss - before.rss) / MB / minutes, 3),
    heap_bytes_per_transfer: Math.round((after.heap - before.heap) / Math.max(1, after.transfers - before.transfers)),
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => undefined);
  const loadAverageBefore = loadavg().map((v) => round(v));
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const url = `http://127.0.0.1:${port}`;
  const jwtSecret = randomBytes(32).toString('hex');
  const customers = await createCustomers(options.pool, { count: options.customers, jwtSecret, issuer: origin });
  // Screening is real, as in production: both parties of each transfer against every shipped list.
  const lists = options.screeningLists === false ? [] : await importShippedLists(options.pool, { actor: 'soak' });
  log(`${customers.length} customers; lists ${lists.map((list) => `${list.list} ${list.recordCount}`).join(', ')}`);

  const inspectorPort = await freePort();
  const drop: DropProcess = await launchTransferDrop({
    root: options.root,
    port,
    databaseUrl: options.databaseUrl,
    pool: options.dropPool,
    jwtSecret,
    ledgerShards: options.ledgerShards,
    logFile: path.join(options.workDir, 'drop-soak.log'),
    customer: customers[0] as (typeof customers)[number],
    env: {
      // The production default (the worker's schedules run in the server), unless told otherwise.
      WORKER_MODE: options.workerMode,
      // Without lists here, the worker would import them itself, in the middle of the run.
      SANCTIONS_SHIPPED_LISTS: String(options.screeningLists !== false),
      // Loopback only: the soak collects the server's garbage through it to read its live heap.
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectorPort}`,
    },
  });
  try {
    // 1. Capacity, closed loop, after one transfer per customer (see primeCustomers).
    await primeCustomers({ url, origin, customers, concurrency: options.connections });
    const closed = { url, origin, customers, connections: options.connections };
    await warmUp(closed, options.capacityWarmupSeconds, log);
    const before = await settledTransferCount(options.pool);
    const capacityRun = await runTransferLoad({ ...closed, seconds: options.capacitySeconds });
    const afterCapacityRun = await settledTransferCount(options.pool);
    const capacity = (afterCapacityRun - before) / capacityRun.seconds;
    const capacityErrors = capacityRun.non2xx + capacityRun.socketErrors;
    const targetRate = Math.max(1, capacity * options.loadFraction);
    log(
      `capacity ${round(capacity, 1)} transfers/s (closed loop, ${options.connections} connections, ${options.capacitySeconds} s, ` +
        `p99 ${ms(capacityRun.transfer.p99)} ms, ${capacityErrors} errors); soak at ${options.loadFraction} × = ${round(targetRate, 1)}/s ` +
        `for ${options.seconds} s`,
    );

    // 2. Soak, open loop, sampled. Memory after a full collection is read with the server idle,
    // now (warmed up by the capacity run) and after the load: a full collection of a few hundred
    // MB stops the server for a second, for ten on a machine this busy, and under load that
    // stall would be counted as the soak's latency.
    const collected = async () => {
      const heap = await liveHeapBytes(inspectorPort);
      return { at: performance.now(), heap, rss: await residentBytes(drop.pid), transfers: await soakTransfersCommitted(options.pool) };
    };
    const memoryBefore = await collected();
    const load = startOpenLoopLoad({
      url,
      origin,
      customers,
      rate: targetRate,
      // Enough sockets that a normal answer never waits for one; past that, waiting is latency.
      sockets: 64,
      // Ten seconds of arrivals open at once means the server has fallen hopelessly behind.
      maxInFlight: Math.max(100, Math.ceil(targetRate * 10)),
      timeoutMs: 10_000,
      keyPrefix: SOAK_KEY_PREFIX,
    });
    const started = performance.now();
    const samples: SoakSample[] = [];
    const windows: LoadWindow[] = [];
    let loadAverageMax = 0;
    const count = Math.max(1, Math.round(options.seconds / options.sampleSeconds));
    for (let n = 1; n <= count; n++) {
      await sleep(Math.max(0, started + n * options.sampleSeconds * 1000 - performance.now()));
      const window = load.takeWindow();
      const [rss, metrics, connections] = await Promise.all([residentBytes(drop.pid), serverMetrics(url), databaseActivity(options.pool)]);
      const seconds = (window.to - window.from) / 1000;
      const latency = window.latency.summary();
      const loadAverage = round(loadavg()[0] ?? 0);
      loadAverageMax = Math.max(loadAverageMax, loadAverage);
      const sample: SoakSample = {
        t_s: round((window.to - started) / 1000, 1),
        rss_mb: round(rss / MB),
        heap_used_mb: round(metrics.heapUsed / MB),
        external_mb: round(metrics.external / MB),
        event_loop_p99_ms: ms(metrics.eventLoopP99 * 1000),
        transfers: window.completed,
        rate: round(window.completed / seconds),
        p50_ms: ms(latency.p50),
        p99_ms: ms(latency.p99),
        errors: window.errors + window.shed,
        error_rate: round((window.errors + window.shed) / Math.max(1, window.completed + window.errors + window.shed), 6),
        shed: window.shed,
        in_flight: window.inFlight,
        db_connections: connections.total,
        db_connections_drop: connections.drop,
        pool_waiting: metrics.poolWaiting,
        checkpoints: connections.checkpoints,
        autovacuum_workers: connections.autovacuum,
        load_average: loadAverage,
      };
      samples.push(sample);
      windows.push(window);
      log(
        `[${String(Math.round(sample.t_s)).padStart(4)} s] rss ${sample.rss_mb} MB, heap ${sample.heap_used_mb} MB | ` +
          `${sample.rate}/s, p50 ${sample.p50_ms} ms, p99 ${sample.p99_ms} ms, errors ${sample.errors} | ` +
          `db connections ${sample.db_connections} (drop ${sample.db_connections_drop}), pool waiting ${sample.pool_waiting}, ` +
          `checkpoints ${sample.checkpoints}, autovacuum ${sample.autovacuum_workers} | load ${loadAverage}`,
      );
    }
    await load.stop();
    // What finished after the last sample still counts: errors above all.
    const tail = load.takeWindow();
    const transfers = windows.reduce((sum, w) => sum + w.completed, tail.completed);
    const errors = windows.reduce((sum, w) => sum + w.errors + w.shed, tail.errors + tail.shed);
    const memoryAfter = await collected();
    const memory = memoryAfterGc(memoryBefore, memoryAfter);
    log(`after a full collection: ${JSON.stringify(memory)}`);
    const committed = await soakTransfersCommitted(options.pool);
    await drop.stop();

    // 3. Verification, with the server stopped: nothing moves while it is checked.
    const invariants = await checkTransferInvariants(options.pool);
    const audit = await verifyAuditChain(options.pool);
    log(`ledger: ${invariants.violations} violation(s); audit chain: ${audit.ok ? 'intact' : 'broken'} over ${audit.rowsChecked} rows`);

    const verdict = analyse(samples, windows, {
      warmupSeconds: options.warmupSeconds,
      sampleSeconds: options.sampleSeconds,
      targetRate,
      errors,
      ledgerOk: invariants.violations === 0,
      auditOk: audit.ok,
      memory,
    });
    return {
      capacity_transfers_per_s: round(capacity, 1),
      capacity_p99_ms: ms(capacityRun.transfer.p99),
      capacity_errors: capacityErrors,
      load_fraction: options.loadFraction,
      target_rate: round(targetRate, 1),
      achieved_rate: verdict.achieved_rate,
      seconds: options.seconds,
      sample_seconds: options.sampleSeconds,
      warmup_seconds: options.warmupSeconds,
      transfers,
      committed_transfers: committed,
      errors,
      failures: load.failures,
      samples,
      memory_after_full_gc: memory,
      slopes_per_minute: verdict.slopes_per_minute,
      drift: verdict.drift,
      ledger: { verified: invariants.violations === 0, violations: invariants.violations, examples: invariants.examples },
      audit: { verified: audit.ok, rows: audit.rowsChecked, first_broken: audit.firstBroken },
      load_average: { before: loadAverageBefore, during_max: loadAverageMax, after: loadavg().map((v) => round(v)) },
      thresholds: FLAT,
      flat: verdict.flat,
      not_flat_because: verdict.not_flat_because,
    };
  } catch (error) {
    log(await drop.logTail());
    throw error;
  } finally {
    await drop.stop();
  }
}
