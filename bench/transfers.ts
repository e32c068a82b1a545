/**
 * `npm run bench:transfers`: money transfers per second end to end (HTTP, auth, quote, create,
 * ledger, durable commit) against two baselines on the same database server in the same run:
 * pgbench running Drop's own transfer SQL (reference/ledger-perf-anchors.md §7.4, §10), and the
 * standard one, pgbench's built-in TPC-B (`pgbench -b tpcb-like`, scale 10, its own database
 * drop_bench_tpcb_<random>, as many clients as Drop's pool, -M prepared, the same seconds), run
 * once before the variants and once after them; the mean of the two is the reference (issue 18
 * targets: TARGETS below). Two variants:
 *   - sharded: the shared ledger accounts spread over LEDGER_SHARDS rows (the server default);
 *   - hot account: LEDGER_SHARDS=1, every transfer posts to the one bank account row.
 * Both run on the same database and the same customers; the hot-account run starts with the
 * sharded run's transfers already in it. Both run with AML on (screening of both parties against
 * every shipped list and every transaction-monitoring rule, as in production). The sharded setup
 * also runs with AML monitoring off (aml_settings.enabled = false) once before and once after the
 * AML-on run, so the same run reports create p99 and throughput with AML on and off (issue 12
 * target: on/off at least 0.9). Every phase adds rows, and a run on bigger tables is slower; the
 * two off runs bracket the on run (A-B-A), and on is compared with their mean.
 *
 * Per variant: pgbench runs the same SQL with as many connections as Drop's pool has (the
 * baseline); then Drop runs as its own process (`node apps/api/src/main.ts`) and autocannon drives
 * it over loopback, each connection one customer doing quote → create. Throughput counts transfers
 * committed in the database during the measured window, not requests accepted. Then the ledger is
 * verified (verifyLedger, and one transfer per idempotency key). The ratio is Drop / pgbench.
 *
 * Server, PostgreSQL, autocannon and pgbench share the machine's cores, as in the anchors.
 * Commits are durable: fsync and synchronous_commit are left as the server has them, and shown.
 *
 * Variants (BENCH_VARIANTS, a comma list, default all, run in the order given): aml-off (sharded,
 * AML off), spread (sharded, AML on: the main figures), aml-off-again, hot (LEDGER_SHARDS=1, AML
 * on). A target whose variant was not run is reported as not measured, and meets_targets is then
 * null (false if a measured target failed).
 *
 * Per variant the bench also prints what the database did per transfer in Drop's measured window:
 * WAL bytes/records/full-page images (pg_stat_wal), bytes added to each table and index, and
 * indexes that grew but were never read (bench/support/db-profile.ts).
 *
 * BENCH_PROFILE=1: the embedded PostgreSQL is started with pg_stat_statements (track = all) and
 * auto_explain (plans of statements over 5 ms, nested ones included, with row counts and buffers)
 * preloaded; per variant it prints the top 25 statements by execution time in Drop's window (µs and
 * calls per transfer, rows per call) and the round trips per transfer; auto_explain's plans are
 * kept in BENCH_PROFILE_DIR (default /tmp/drop-bench-profile-<time>). Profiling costs CPU: compare
 * profile runs with profile runs. With BENCH_ADMIN_URL the server's own configuration decides
 * (pg_stat_statements is used if it is loaded there). For Node, BENCH_DROP_NODE_OPTIONS, e.g.
 * '--cpu-prof --cpu-prof-dir=/tmp/drop-prof' (written when each Drop stops).
 *
 * Settings: BENCH_ADMIN_URL (a PostgreSQL server to create drop_bench_<random> on; without it an
 * embedded PostgreSQL is started), BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (8, after the first transfer, which waits for the screening index build),
 * BENCH_CONNECTIONS (8: on 2 cores more connections only queue; see the issue 5 note), BENCH_CUSTOMERS (200), BENCH_POOL (10: Drop's DATABASE_POOL_MAX and
 * pgbench's -c), BENCH_LEDGER_SHARDS (16, the server default), BENCH_DROP_NODE_OPTIONS (NODE_OPTIONS
 * for the server only, e.g. to profile it), BENCH_VARIANTS (above), BENCH_TPCB (1: TPC-B before and
 * after the variants; `before`: only before; 0: skipped, for quick iterations), BENCH_PROFILE
 * (above), BENCH_WHAT_IF (below). Exits non-zero if an invariant
 * is violated or the run could not complete. The last line is `RESULT {json}`.
 *
 * BENCH_WHAT_IF=name[,name…]: what a part of the schema costs, measured by taking it away. Each
 * name is an entry of bench/support/what-if.ts (no-foreign-keys, no-checks, no-secondary-indexes:
 * that part of the tables a transfer writes, dropped), run on the bench database after it is
 * migrated (before the customers are made). Compare the run's CPU per transfer with a run without
 * it in the same hour. The figures are not Drop's: the run says so, RESULT names the entries
 * (what_if), no target passes or fails, and meets_targets is null.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EDD_THRESHOLD_ORE, importShippedLists, limitsArray, tierLimitsFromJson } from '@drop/core';
import { type CpuSample, cpuSeconds, machineBusy, type ProcessCpu, postgresOf, sampleCpu } from './support/cpu.ts';
import type { BenchCustomer } from './support/customers.ts';
import { createCustomers } from './support/customers.ts';
import { type BenchDatabase, openBenchDatabase, PROFILE_EXPLAIN_MS } from './support/database.ts';
import { type DbProfile, printProfile, profileOf, snapshotDb } from './support/db-profile.ts';
import { freePort, stopAllDrops } from './support/drop-server.ts';
import { ms } from './support/latency.ts';
import { type NodeFloorResult, runNodeFloor } from './support/node-floor.ts';
import { type PgbenchResult, runPgbench, stopPgbench } from './support/pgbench.ts';
import { createTpcbDatabase, runTpcb, TPCB_SCALE, type TpcbDatabase } from './support/tpcb.ts';
import {
  checkTransferInvariants,
  countTransfers as countTransfersIn,
  firstTransfer,
  IDLE_SECONDS,
  launchTransferDrop,
  QUOTE_TTL_SECONDS,
  TIER_LIMITS_JSON,
} from './support/transfer-drop.ts';
import { type LoadResult, runTransferLoad } from './support/transfer-load.ts';
import { WHAT_IFS } from './support/what-if.ts';
import { withBenchWorkDir } from './support/work-dir.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function setting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, not ${raw}`);
  return value;
}

const SECONDS = setting('BENCH_SECONDS', 30);
const WARMUP_SECONDS = setting('BENCH_WARMUP_SECONDS', 8, 0);
const CONNECTIONS = setting('BENCH_CONNECTIONS', 8);
const CUSTOMERS = setting('BENCH_CUSTOMERS', 200);
const POOL = setting('BENCH_POOL', 10);
const SHARDS = setting('BENCH_LEDGER_SHARDS', 16);
const ADMIN_URL = process.env.BENCH_ADMIN_URL || undefined;
const PROFILE = process.env.BENCH_PROFILE === '1';
const TPCB_MODE = process.env.BENCH_TPCB || '1';
const WHAT_IF = (process.env.BENCH_WHAT_IF || '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
for (const name of WHAT_IF) {
  if (!(name in WHAT_IFS)) throw new Error(`BENCH_WHAT_IF: unknown ${name} (known: ${Object.keys(WHAT_IFS).join(', ')})`);
}
if (!['0', '1', 'before'].includes(TPCB_MODE)) throw new Error(`BENCH_TPCB must be 1, before or 0, not ${TPCB_MODE}`);
if (CUSTOMERS < POOL) throw new Error('BENCH_CUSTOMERS must be at least BENCH_POOL (pgbench needs a customer per client)');

const VARIANTS = {
  'aml-off': { name: `${SHARDS} shards, AML off`, shards: SHARDS, aml: false },
  spread: { name: `${SHARDS} shards`, shards: SHARDS, aml: true },
  'aml-off-again': { name: `${SHARDS} shards, AML off again`, shards: SHARDS, aml: false },
  hot: { name: 'hot account', shards: 1, aml: true },
} as const;
type VariantKey = keyof typeof VARIANTS;
const VARIANT_KEYS = (process.env.BENCH_VARIANTS || Object.keys(VARIANTS).join(','))
  .split(',')
  .map((key) => key.trim())
  .filter(Boolean) as VariantKey[];
for (const key of VARIANT_KEYS) {
  if (!(key in VARIANTS)) throw new Error(`BENCH_VARIANTS: unknown variant ${key} (known: ${Object.keys(VARIANTS).join(', ')})`);
}
if (new Set(VARIANT_KEYS).size !== VARIANT_KEYS.length || VARIANT_KEYS.length === 0)
  throw new Error('BENCH_VARIANTS must name each variant at most once, and at least one');

/**
 * Issue 18's targets. The Drop figures are the spread variant's (AML on, sharded); TPC-B's are the
 * mean of its runs before and after the variants; hot and AML-off are compared with spread.
 */
const TARGETS = {
  /** Drop transfers/s ÷ TPC-B tps. */
  tpcb_ratio: 0.5,
  /** Drop p99 (quote sent → create answered) ÷ TPC-B p99 per transaction. */
  p99_vs_tpcb: 3,
  p99_ms: 25,
  /** Drop's process CPU for both requests of a transfer. */
  node_cpu_us_per_transfer: 400,
  /** PostgreSQL CPU (backends + the rest of the cluster) per transfer ÷ TPC-B's per transaction. */
  postgres_cpu_vs_tpcb: 2,
  errors: 0,
  invariant_violations: 0,
  /** Hot account (LEDGER_SHARDS=1) transfers/s ÷ spread. */
  hot_vs_spread: 0.8,
  /** AML on ÷ the mean of AML off before and after. */
  aml_throughput_ratio: 0.9,
};

interface VariantResult {
  key: VariantKey;
  name: string;
  shards: number;
  /** Transaction monitoring on (aml_settings.enabled) for both pgbench and Drop. */
  aml: boolean;
  load: LoadResult;
  committed: number;
  transfersPerSecond: number;
  cpu: CpuBreakdown;
  invariantViolations: number;
  violationExamples: unknown[];
  baseline: PgbenchResult;
  baselineCommitted: number;
  baselineCpu: CpuBreakdown | undefined;
  /** pgbench transactions inside the CPU sampling window. */
  baselineCpuTransfers: number;
  /** The database's work per transfer in Drop's window. */
  db: DbProfile;
  /** The spread variant only: the same requests at the same rate to a server with nothing of Drop's. */
  nodeFloor: NodeFloorResult | undefined;
}

interface TpcbRun {
  when: 'before' | 'after';
  result: PgbenchResult;
  cpu: CpuBreakdown | undefined;
  /** Transactions inside the CPU sampling window. */
  cpuTransactions: number;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

const countTransfers = (db: BenchDatabase) => countTransfersIn(db.pool);
const checkInvariants = (db: BenchDatabase) => checkTransferInvariants(db.pool);

interface CpuBreakdown {
  /** The process serving HTTP: Drop, or none for pgbench. */
  serverMs: number;
  /** Backends of the measured database. */
  postgresMs: number;
  /** The rest of the same PostgreSQL cluster: WAL writer, checkpointer, … */
  postgresOtherMs: number;
  /** autocannon (this process) or pgbench. */
  loadMs: number;
  /** Everything else on the machine: not part of the run, it competes for the cores. */
  outsideMs: number;
  machineBusy: number;
}

function cpuBreakdown(
  db: BenchDatabase,
  database: string,
  from: CpuSample,
  to: CpuSample,
  parts: { serverPid?: number; loadMs?: number },
): CpuBreakdown {
  const cluster = postgresOf(db.postmasterPid, database);
  const sum = (select: (pid: number, process: ProcessCpu) => boolean) => cpuSeconds(from, to, select) * 1000;
  const serverMs = parts.serverPid ? sum((pid) => pid === parts.serverPid) : 0;
  // The bench process's own time is measured exactly (process.cpuUsage) when it is the load.
  const loadMs = parts.loadMs ?? sum((_pid, p) => p.name === 'pgbench');
  const loadSampledMs = parts.loadMs === undefined ? loadMs : sum((pid) => pid === process.pid);
  const postgresMs = sum(cluster.backends);
  const postgresOtherMs = sum(cluster.rest);
  const outsideMs = Math.max(0, sum(() => true) - serverMs - postgresMs - postgresOtherMs - loadSampledMs);
  return { serverMs, postgresMs, postgresOtherMs, loadMs, outsideMs, machineBusy: machineBusy(from, to) };
}

/** µs per transfer (or transaction) of a CPU breakdown's parts. */
function cpuPer(cpu: CpuBreakdown, transfers: number) {
  const per = (cpuMs: number) => Math.round((cpuMs * 1000) / Math.max(1, transfers));
  return {
    server: per(cpu.serverMs),
    backends: per(cpu.postgresMs),
    other: per(cpu.postgresOtherMs),
    postgres: per(cpu.postgresMs + cpu.postgresOtherMs),
    load: per(cpu.loadMs),
    outside: per(cpu.outsideMs),
  };
}

async function ledgerPostings(db: BenchDatabase): Promise<number> {
  const { rows } = await db.pool.query<{ count: string }>('SELECT count(*) FROM ledger_transfers');
  return Number(rows[0]?.count ?? 0);
}

async function tpcbRun(db: BenchDatabase, tpcb: TpcbDatabase, workDir: string, when: TpcbRun['when']): Promise<TpcbRun> {
  console.log(`\n[TPC-B ${when}] pgbench -b tpcb-like -s ${TPCB_SCALE} -c ${POOL} -j 2 -T ${SECONDS} -M prepared`);
  const result = await runTpcb({ tpcb, workDir, clients: POOL, seconds: SECONDS });
  const cpu = result.cpu && cpuBreakdown(db, tpcb.name, result.cpu.from, result.cpu.to, {});
  const cpuTransactions = result.cpu ? (result.tps * (result.cpu.to.at - result.cpu.from.at)) / 1000 : 0;
  console.log(
    `[TPC-B ${when}] ${Math.round(result.tps)} tps, p99 ${ms(result.latency.p99)} ms` +
      (cpu ? `, PostgreSQL ${cpuPer(cpu, cpuTransactions).postgres} µs CPU per transaction` : ''),
  );
  return { when, result, cpu, cpuTransactions };
}

/**
 * One variant: the pgbench baseline first, then Drop under load, then the invariants. The
 * baseline goes first on purpose: each phase adds rows, and if anything in the transfer path
 * slows down as the tables grow, it is Drop that runs on the bigger tables, so the ratio errs on
 * the pessimistic side. The posting count at the start of each phase is printed to show it.
 */
async function runVariant(options: {
  key: VariantKey;
  name: string;
  shards: number;
  aml: boolean;
  db: BenchDatabase;
  customers: readonly BenchCustomer[];
  port: number;
  jwtSecret: string;
  workDir: string;
}): Promise<VariantResult> {
  const { db, customers, port } = options;
  const origin = `http://localhost:${port}`;
  const url = `http://127.0.0.1:${port}`;
  const first = customers[0] as BenchCustomer;
  await db.pool.query('UPDATE aml_settings SET enabled = $1', [options.aml]);
  console.log(`\n[${options.name}] AML transaction monitoring ${options.aml ? 'on' : 'off'}`);
  const launch = () =>
    launchTransferDrop({
      root: ROOT,
      port,
      databaseUrl: db.url,
      pool: POOL,
      jwtSecret: options.jwtSecret,
      ledgerShards: options.shards,
      logFile: path.join(options.workDir, `drop-${options.shards}.log`),
      customer: first,
      // For profiling the server under load, e.g. '--cpu-prof --cpu-prof-dir=/tmp/drop-prof'.
      env: { NODE_OPTIONS: process.env.BENCH_DROP_NODE_OPTIONS ?? '' },
    });

  // 1. Baseline. Its quotes are priced like Drop's: one quote from a running Drop gives today's
  // rate and the fee (the corridor minimum across 100–900 NOK); Drop is then stopped, so pgbench
  // has the machine to itself.
  console.log(`\n[${options.name}] Drop started once to price the baseline's quotes`);
  await (await launch()).stop();
  const sample = await db.pool.query<{
    fee_minor: string;
    rate: string;
    reference_rate: string;
    reference_source: string;
    reference_date: string;
    margin_bps: number;
  }>(
    `SELECT fee_minor::text, rate::text, reference_rate::text, reference_source, reference_date::text, margin_bps
       FROM quotes WHERE country = 'DE' ORDER BY created_at DESC LIMIT 1`,
  );
  const quote = sample.rows[0];
  if (!quote) throw new Error('Drop made no quote');
  console.log(
    `[${options.name}] pgbench baseline: -c ${POOL} -j 2 -T ${SECONDS} -M prepared, shard ${options.shards > 1 ? `random of ${options.shards}` : '0'} ` +
      `(${await ledgerPostings(db)} postings in the ledger)`,
  );
  const baselineBefore = await countTransfers(db);
  const baseline = await runPgbench({
    databaseUrl: db.url,
    workDir: options.workDir,
    clients: POOL,
    seconds: SECONDS,
    workload: {
      script: 'transfer',
      // The customers the HTTP load uses: one per connection (at least one per pgbench client).
      customers: Math.min(customers.length, Math.max(CONNECTIONS, POOL)),
      shards: options.shards,
      variables: {
        idle: String(IDLE_SECONDS),
        country: 'DE',
        quoted_by: 'send',
        currency: 'EUR',
        fee: quote.fee_minor,
        rate: quote.rate,
        reference_rate: quote.reference_rate,
        reference_source: quote.reference_source,
        reference_date: quote.reference_date,
        margin_bps: String(quote.margin_bps),
        ttl: String(QUOTE_TTL_SECONDS),
        limits: `{${limitsArray(tierLimitsFromJson(TIER_LIMITS_JSON)).join(',')}}`,
        edd: EDD_THRESHOLD_ORE.toString(),
      },
    },
  });
  const baselineCommitted = (await countTransfers(db)) - baselineBefore;
  const baselineCpu = baseline.cpu && cpuBreakdown(db, db.name, baseline.cpu.from, baseline.cpu.to, {});
  const baselineCpuTransfers = baseline.cpu ? (baseline.tps * (baseline.cpu.to.at - baseline.cpu.from.at)) / 1000 : 0;
  console.log(`[${options.name}] pgbench: ${Math.round(baseline.tps)} transfers/s`);

  // 2. Drop under load.
  console.log(`[${options.name}] starting Drop (LEDGER_SHARDS=${options.shards}, DATABASE_POOL_MAX=${POOL})`);
  const drop = await launch();
  let load: LoadResult;
  let committed: number;
  let cpu: VariantResult['cpu'];
  let dbFrom: Awaited<ReturnType<typeof snapshotDb>>;
  let firstBodies = { quote: '', transfer: '' };
  try {
    const loadOptions = { url, origin, customers, connections: CONNECTIONS };
    const firstDone = await firstTransfer({ url, origin, customer: first });
    firstBodies = { quote: firstDone.quoteBody, transfer: firstDone.transferBody };
    console.log(`[${options.name}] first transfer after ${Math.round(firstDone.ms)} ms (the screening index is built)`);
    if (WARMUP_SECONDS > 0) {
      console.log(`[${options.name}] warm-up ${WARMUP_SECONDS} s`);
      await runTransferLoad({ ...loadOptions, seconds: WARMUP_SECONDS });
      // Let the warm-up's last requests commit before the window's count starts.
      await sleep(250);
    }
    console.log(`[${options.name}] load: ${CONNECTIONS} connections for ${SECONDS} s (${await ledgerPostings(db)} postings in the ledger)`);
    dbFrom = await snapshotDb(db.pool, { statements: db.statements });
    const before = await countTransfers(db);
    const cpuFrom = await sampleCpu();
    const benchFrom = process.cpuUsage();
    load = await runTransferLoad({ ...loadOptions, seconds: SECONDS });
    const benchUsage = process.cpuUsage(benchFrom);
    const cpuTo = await sampleCpu();
    cpu = cpuBreakdown(db, db.name, cpuFrom, cpuTo, { serverPid: drop.pid, loadMs: (benchUsage.user + benchUsage.system) / 1000 });
    // Requests in flight when the load stopped finish within moments; count what is committed.
    await sleep(250);
    committed = (await countTransfers(db)) - before;
    console.log(`[${options.name}] Drop: ${Math.round(committed / load.seconds)} transfers/s`);
  } catch (error) {
    console.error(await drop.logTail());
    throw error;
  } finally {
    await drop.stop();
  }
  // After Drop stopped: its backends have exited and so flushed their statistics (WAL records,
  // index scans), which a running backend reports only about once a second.
  const dbProfile = profileOf(dbFrom, await snapshotDb(db.pool, { statements: db.statements }), committed);
  printProfile(options.name, dbProfile);

  // 3. Invariants over everything written so far, Drop's and pgbench's transfers alike.
  const invariants = await checkInvariants(db);
  console.log(`[${options.name}] ledger verified: ${invariants.violations} violation(s)`);

  // 4. The Node floor (spread only): Drop's requests at Drop's rate, answered by a server with
  // nothing of Drop's, so the run says what Drop's own code costs in Node. A figure, not a gate: a
  // floor run that fails or loses transfers is reported as not measured.
  let nodeFloor: NodeFloorResult | undefined;
  if (options.key === 'spread') {
    const delaysMs = { quote: load.quote.p50, create: load.create.p50 };
    console.log(
      `[${options.name}] Node floor: Fastify + one pg round trip per request answering Drop's bodies after Drop's median time ` +
        `(quote ${delaysMs.quote.toFixed(1)} ms, create ${delaysMs.create.toFixed(1)} ms), Drop's load: ${CONNECTIONS} connections for ${SECONDS} s`,
    );
    try {
      const floor = await runNodeFloor({
        root: ROOT,
        logFile: path.join(options.workDir, 'node-floor.log'),
        pool: db.pool,
        databaseUrl: db.url,
        port: await freePort(),
        poolMax: POOL,
        customers,
        origin,
        bodies: firstBodies,
        delaysMs,
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupSeconds: Math.min(WARMUP_SECONDS, 3),
        nodeOptions: process.env.BENCH_DROP_NODE_OPTIONS ?? '',
      });
      if (floor.errors > 0 || !Number.isFinite(floor.cpuUsPerTransfer)) {
        console.log(`[${options.name}] Node floor: not measured (${floor.errors} requests failed)`);
      } else {
        nodeFloor = floor;
        console.log(
          `[${options.name}] Node floor: ${Math.round(floor.cpuUsPerTransfer)} µs of CPU per transfer at ${Math.round(floor.transfersPerSecond)} transfers/s ` +
            `(Drop ${Math.round(committed / load.seconds)})`,
        );
      }
    } catch (error) {
      console.log(`[${options.name}] Node floor: not measured (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  return {
    key: options.key,
    name: options.name,
    shards: options.shards,
    aml: options.aml,
    load,
    committed,
    transfersPerSecond: committed / load.seconds,
    cpu,
    invariantViolations: invariants.violations,
    violationExamples: invariants.examples,
    baseline,
    baselineCommitted,
    baselineCpu,
    baselineCpuTransfers,
    db: dbProfile,
    nodeFloor,
  };
}

function errorsOf(load: LoadResult): number {
  return load.non2xx + load.socketErrors;
}

const mean = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length);
const fixed = (value: number | undefined, digits = 3) =>
  value === undefined || !Number.isFinite(value) ? null : Number(value.toFixed(digits));

interface Check {
  target: string;
  figure: string;
  pass: boolean | null;
}

function report(db: BenchDatabase, variants: VariantResult[], tpcbRuns: TpcbRun[], busyBeforeRun: number) {
  const { settings, server } = db;
  const byKey = (key: VariantKey) => variants.find((v) => v.key === key);
  const main = byKey('spread');
  const hot = byKey('hot');
  const offRuns = [byKey('aml-off'), byKey('aml-off-again')].filter((v): v is VariantResult => v !== undefined);
  const ratio = (v: VariantResult) => v.transfersPerSecond / v.baseline.tps;
  console.log(
    `\nPOST /api/quotes + POST /api/transfers per transfer; ${CONNECTIONS} connections (one customer each, of ${CUSTOMERS}), ` +
      `${SECONDS} s after ${WARMUP_SECONDS} s warm-up; Drop pool = pgbench -c = ${POOL}; Node ${process.version}`,
  );
  console.log(
    `PostgreSQL: ${settings.postgres.split(' on ')[0]} (${server}); synchronous_commit=${settings.synchronous_commit}, fsync=${settings.fsync}, ` +
      `shared_buffers=${settings.shared_buffers}, wal_sync_method=${settings.wal_sync_method}, commit_delay=${settings.commit_delay}` +
      (PROFILE ? '; BENCH_PROFILE=1 (pg_stat_statements + auto_explain cost CPU: compare with profile runs only)' : ''),
  );

  // TPC-B: the mean of its runs (before and after the variants) is the reference.
  const tpcbCpu = tpcbRuns.filter((run) => run.cpu).map((run) => cpuPer(run.cpu as CpuBreakdown, run.cpuTransactions));
  const tpcb =
    tpcbRuns.length === 0
      ? undefined
      : {
          tps: mean(tpcbRuns.map((run) => run.result.tps)),
          p50: mean(tpcbRuns.map((run) => run.result.latency.p50)),
          p99: mean(tpcbRuns.map((run) => run.result.latency.p99)),
          p999: mean(tpcbRuns.map((run) => run.result.latency.p999)),
          postgresUs: tpcbCpu.length ? mean(tpcbCpu.map((c) => c.postgres)) : Number.NaN,
          backendsUs: tpcbCpu.length ? mean(tpcbCpu.map((c) => c.backends)) : Number.NaN,
          otherUs: tpcbCpu.length ? mean(tpcbCpu.map((c) => c.other)) : Number.NaN,
          pgbenchUs: tpcbCpu.length ? mean(tpcbCpu.map((c) => c.load)) : Number.NaN,
          failed: tpcbRuns.reduce((sum, run) => sum + run.result.failed, 0),
        };

  const rows: Record<string, Record<string, string | number>> = {};
  for (const run of tpcbRuns) {
    rows[`pgbench TPC-B, ${run.when}`] = {
      'transfers/s (committed)': Math.round(run.result.tps),
      'p50 ms': ms(run.result.latency.p50),
      'p99 ms': ms(run.result.latency.p99),
      'p99.9 ms': ms(run.result.latency.p999),
      errors: run.result.failed,
      'ratio to pgbench': '',
      'ratio to TPC-B': '',
    };
  }
  for (const v of variants) {
    rows[`Drop, ${v.name}`] = {
      'transfers/s (committed)': Math.round(v.transfersPerSecond),
      'p50 ms': ms(v.load.transfer.p50),
      'p99 ms': ms(v.load.transfer.p99),
      'p99.9 ms': ms(v.load.transfer.p999),
      errors: errorsOf(v.load),
      'ratio to pgbench': ratio(v).toFixed(2),
      'ratio to TPC-B': tpcb ? (v.transfersPerSecond / tpcb.tps).toFixed(2) : '',
    };
    rows[`pgbench same SQL, ${v.name}`] = {
      'transfers/s (committed)': Math.round(v.baseline.tps),
      'p50 ms': ms(v.baseline.latency.p50),
      'p99 ms': ms(v.baseline.latency.p99),
      'p99.9 ms': ms(v.baseline.latency.p999),
      errors: v.baseline.failed,
      'ratio to pgbench': '1.00',
      'ratio to TPC-B': tpcb ? (v.baseline.tps / tpcb.tps).toFixed(2) : '',
    };
  }
  console.table(rows);

  console.log('Per HTTP request (ms; autocannon histogram over both endpoints, 2xx only; per endpoint measured by the bench):');
  const perRequest: Record<string, Record<string, number>> = {};
  for (const v of variants) {
    perRequest[`${v.name}: quote`] = {
      p50: ms(v.load.quote.p50),
      p99: ms(v.load.quote.p99),
      'p99.9': ms(v.load.quote.p999),
      count: v.load.quote.count,
    };
    perRequest[`${v.name}: create`] = {
      p50: ms(v.load.create.p50),
      p99: ms(v.load.create.p99),
      'p99.9': ms(v.load.create.p999),
      count: v.load.create.count,
    };
    perRequest[`${v.name}: autocannon`] = {
      p50: v.load.requestLatency.p50,
      p99: v.load.requestLatency.p99,
      'p99.9': v.load.requestLatency.p999,
      count: v.load.requests,
    };
  }
  console.table(perRequest);

  console.log(
    'CPU per transfer (TPC-B: per transaction) (µs) by process; "outside" is CPU taken by processes not part of the run (it competes for the same cores):',
  );
  const cpuRows: Record<string, Record<string, number | string>> = {};
  const cpuRow = (cpu: CpuBreakdown, transfers: number) => {
    const per = cpuPer(cpu, transfers);
    return {
      'Drop (node)': per.server,
      'postgres backends': per.backends,
      'postgres other': per.other,
      'autocannon / pgbench': per.load,
      outside: per.outside,
      'machine busy': `${Math.round(cpu.machineBusy * 100)}%`,
    };
  };
  for (const run of tpcbRuns) if (run.cpu) cpuRows[`pgbench TPC-B, ${run.when}`] = cpuRow(run.cpu, run.cpuTransactions);
  for (const v of variants) {
    cpuRows[`Drop, ${v.name}`] = cpuRow(v.cpu, v.committed);
    if (v.baselineCpu) cpuRows[`pgbench same SQL, ${v.name}`] = cpuRow(v.baselineCpu, v.baselineCpuTransfers);
  }
  console.table(cpuRows);

  console.log('pgbench same SQL per statement (average ms, -r):');
  for (const v of variants) {
    console.log(`  ${v.name}:`);
    for (const s of v.baseline.statements) console.log(`    ${s.ms.toFixed(3).padStart(8)}  ${s.command.slice(0, 100)}`);
  }
  for (const v of variants) {
    const refused = Object.entries(v.load.refused);
    if (refused.length > 0) {
      console.log(`Refused requests (${v.name}):`);
      for (const [what, { count, example }] of refused) console.log(`  ${what}: ${count} e.g. ${example}`);
    }
    if (v.invariantViolations > 0) console.log(`Invariant violations (${v.name}):`, JSON.stringify(v.violationExamples));
    console.log(
      `${v.name}: ${v.load.transfersAccepted} creates answered 201, ${v.committed} committed in the window; ` +
        `pgbench ${v.baseline.transactions} transactions, ${v.baselineCommitted} transfers committed`,
    );
  }

  // AML off before and after AML on: the mean of the two brackets the growth of the tables.
  const offTransfersPerSecond = offRuns.length ? mean(offRuns.map((v) => v.transfersPerSecond)) : undefined;
  const offCreateP99 = offRuns.length ? mean(offRuns.map((v) => v.load.create.p99)) : undefined;
  const amlThroughputRatio = main && offTransfersPerSecond ? main.transfersPerSecond / offTransfersPerSecond : undefined;
  if (main && offCreateP99 !== undefined && offTransfersPerSecond !== undefined) {
    console.log(
      `AML: create p99 ${ms(main.load.create.p99)} ms on, ${ms(offCreateP99)} ms off (${offRuns.map((v) => `${ms(v.load.create.p99)} ${v.key}`).join(', ')}); ` +
        `${Math.round(main.transfersPerSecond)} transfers/s on, ${Math.round(offTransfersPerSecond)} off ` +
        `(${offRuns.map((v) => `${Math.round(v.transfersPerSecond)} ${v.key}`).join(', ')}; ratio ${amlThroughputRatio?.toFixed(3)}, target ≥ ${TARGETS.aml_throughput_ratio})`,
    );
  }

  const mainCpu = main ? cpuPer(main.cpu, main.committed) : undefined;
  const vsTpcb =
    main && tpcb
      ? {
          transfers_per_s: fixed(main.transfersPerSecond / tpcb.tps),
          p99: fixed(main.load.transfer.p99 / tpcb.p99),
          postgres_cpu: fixed((mainCpu?.postgres ?? Number.NaN) / tpcb.postgresUs),
          node_cpu_us_per_transfer: mainCpu?.server ?? null,
        }
      : null;
  const hotVsSpread = main && hot ? hot.transfersPerSecond / main.transfersPerSecond : undefined;
  const allErrors = variants.reduce((sum, v) => sum + errorsOf(v.load), 0);
  // Each check covers every row written so far: the largest count is the run's.
  const allViolations = Math.max(0, ...variants.map((v) => v.invariantViolations));

  const notRun = (what: string) => `not measured (${what} not run)`;
  const checks: Check[] = [];
  // A what-if run's figures are shown, but they pass or fail nothing: not Drop's schema.
  const check = (target: string, figure: string | undefined, pass: boolean | undefined, missing: string) =>
    checks.push(
      figure === undefined || pass === undefined
        ? { target, figure: notRun(missing), pass: null }
        : { target, figure: WHAT_IF.length > 0 ? `${figure} (what-if)` : figure, pass: WHAT_IF.length > 0 ? null : pass },
    );
  check(
    `transfers/s ≥ ${TARGETS.tpcb_ratio} × TPC-B tps`,
    main && tpcb ? `${Math.round(main.transfersPerSecond)} / ${Math.round(tpcb.tps)} = ${vsTpcb?.transfers_per_s}` : undefined,
    main && tpcb ? main.transfersPerSecond >= TARGETS.tpcb_ratio * tpcb.tps : undefined,
    !main ? 'spread' : 'TPC-B',
  );
  check(
    `p99 ≤ ${TARGETS.p99_vs_tpcb} × TPC-B p99`,
    main && tpcb ? `${ms(main.load.transfer.p99)} ms / ${ms(tpcb.p99)} ms = ${vsTpcb?.p99}` : undefined,
    main && tpcb ? main.load.transfer.p99 <= TARGETS.p99_vs_tpcb * tpcb.p99 : undefined,
    !main ? 'spread' : 'TPC-B',
  );
  check(
    `p99 ≤ ${TARGETS.p99_ms} ms`,
    main ? `${ms(main.load.transfer.p99)} ms` : undefined,
    main ? main.load.transfer.p99 <= TARGETS.p99_ms : undefined,
    'spread',
  );
  check(
    `Node CPU ≤ ${TARGETS.node_cpu_us_per_transfer} µs per transfer`,
    mainCpu ? `${mainCpu.server} µs` : undefined,
    mainCpu ? mainCpu.server <= TARGETS.node_cpu_us_per_transfer : undefined,
    'spread',
  );
  check(
    `PostgreSQL CPU ≤ ${TARGETS.postgres_cpu_vs_tpcb} × TPC-B's per transaction`,
    mainCpu && tpcb && Number.isFinite(tpcb.postgresUs)
      ? `${mainCpu.postgres} µs / ${Math.round(tpcb.postgresUs)} µs = ${vsTpcb?.postgres_cpu}`
      : undefined,
    mainCpu && tpcb && Number.isFinite(tpcb.postgresUs) ? mainCpu.postgres <= TARGETS.postgres_cpu_vs_tpcb * tpcb.postgresUs : undefined,
    !main ? 'spread' : 'TPC-B (with CPU sampling: BENCH_SECONDS ≥ 4)',
  );
  check(`errors = ${TARGETS.errors} (every variant run)`, String(allErrors), allErrors === TARGETS.errors, '');
  check(
    `invariant violations = ${TARGETS.invariant_violations}`,
    String(allViolations),
    allViolations === TARGETS.invariant_violations,
    '',
  );
  check(
    `hot account ≥ ${TARGETS.hot_vs_spread} × spread transfers/s`,
    main && hot ? `${Math.round(hot.transfersPerSecond)} / ${Math.round(main.transfersPerSecond)} = ${fixed(hotVsSpread)}` : undefined,
    hotVsSpread === undefined ? undefined : hotVsSpread >= TARGETS.hot_vs_spread,
    !main ? 'spread' : 'hot',
  );
  check(
    `AML on / off transfers/s ≥ ${TARGETS.aml_throughput_ratio}`,
    amlThroughputRatio === undefined
      ? undefined
      : `${fixed(amlThroughputRatio)}${offRuns.length < 2 ? ' (one AML-off run, not bracketed)' : ''}`,
    amlThroughputRatio === undefined ? undefined : amlThroughputRatio >= TARGETS.aml_throughput_ratio,
    !main ? 'spread' : 'aml-off / aml-off-again',
  );
  // A what-if run's checks are all null (check above): it meets nothing.
  const meetsTargets = checks.some((c) => c.pass === false) ? false : checks.some((c) => c.pass === null) ? null : true;

  if (main) {
    console.log(
      `\nDrop vs TPC-B (spread, AML on): transfers/s ratio ${vsTpcb?.transfers_per_s ?? '—'}, p99 ratio ${vsTpcb?.p99 ?? '—'}, ` +
        `PostgreSQL CPU ratio ${vsTpcb?.postgres_cpu ?? '—'}, Node ${mainCpu?.server} µs per transfer; ` +
        `same-SQL pgbench ratio ${ratio(main).toFixed(2)}`,
    );
    if (main.nodeFloor && mainCpu) {
      console.log(
        `Drop's Node CPU over the Node floor (same requests, same rate, nothing of Drop's): ${mainCpu.server} / ` +
          `${Math.round(main.nodeFloor.cpuUsPerTransfer)} µs = ${(mainCpu.server / main.nodeFloor.cpuUsPerTransfer).toFixed(2)}; ` +
          `Drop's own code ${Math.round(mainCpu.server - main.nodeFloor.cpuUsPerTransfer)} µs per transfer`,
      );
    }
  }
  console.log(`\nIssue 18 targets (${VARIANT_KEYS.join(', ')}; TPC-B ${tpcbRuns.map((run) => run.when).join(' + ') || 'not run'}):`);
  const summary: Record<string, { figure: string; result: string }> = {};
  for (const c of checks) summary[c.target] = { figure: c.figure, result: c.pass === null ? '—' : c.pass ? 'pass' : 'FAIL' };
  console.table(summary);
  console.log(
    `meets_targets: ${meetsTargets}${
      WHAT_IF.length > 0
        ? ` (BENCH_WHAT_IF=${WHAT_IF.join(',')}: not Drop's schema)`
        : meetsTargets === null
          ? ' (no measured target failed, but some were not measured)'
          : ''
    }`,
  );

  const dbFigures = (profile: DbProfile) => ({
    wal_bytes: profile.wal.bytes_per_transfer,
    wal_records: profile.wal.records_per_transfer,
    wal_fpi: profile.wal.fpi_per_transfer,
    table_bytes: profile.bytes_per_transfer.tables,
    index_bytes: profile.bytes_per_transfer.indexes,
    by_table: Object.fromEntries(profile.bytes_per_transfer.by_table.map((row) => [row.table, [row.table_bytes, row.index_bytes]])),
    grown_unread_indexes: profile.grown_unread_indexes.map((row) => row.index),
  });
  const mainOrNull = <T>(value: (v: VariantResult) => T): T | null => (main ? value(main) : null);
  const result = {
    variants: VARIANT_KEYS,
    transfers_per_s: mainOrNull((v) => Math.round(v.transfersPerSecond)),
    p50_ms: mainOrNull((v) => ms(v.load.transfer.p50)),
    p99_ms: mainOrNull((v) => ms(v.load.transfer.p99)),
    p999_ms: mainOrNull((v) => ms(v.load.transfer.p999)),
    quote_p99_ms: mainOrNull((v) => ms(v.load.quote.p99)),
    create_p99_ms: mainOrNull((v) => ms(v.load.create.p99)),
    request_p99_ms: mainOrNull((v) => v.load.requestLatency.p99),
    errors: mainOrNull((v) => errorsOf(v.load)),
    errors_all_variants: allErrors,
    accepted_transfers: mainOrNull((v) => v.load.transfersAccepted),
    committed_transfers: mainOrNull((v) => v.committed),
    baseline_tps: mainOrNull((v) => Math.round(v.baseline.tps)),
    baseline_p99_ms: mainOrNull((v) => ms(v.baseline.latency.p99)),
    ratio: mainOrNull((v) => Number(ratio(v).toFixed(3))),
    invariant_violations: mainOrNull((v) => v.invariantViolations),
    invariant_violations_all_variants: allViolations,
    cpu_us_per_transfer: mainOrNull((v) => ({
      drop: cpuPer(v.cpu, v.committed).server,
      postgres: cpuPer(v.cpu, v.committed).postgres,
      postgres_backends: cpuPer(v.cpu, v.committed).backends,
      postgres_other: cpuPer(v.cpu, v.committed).other,
      load_generator: cpuPer(v.cpu, v.committed).load,
      outside: cpuPer(v.cpu, v.committed).outside,
      baseline_postgres: v.baselineCpu ? cpuPer(v.baselineCpu, v.baselineCpuTransfers).postgres : null,
    })),
    db_per_transfer: mainOrNull((v) => dbFigures(v.db)),
    tpcb: tpcb
      ? {
          scale: TPCB_SCALE,
          clients: POOL,
          tps: Math.round(tpcb.tps),
          p50_ms: ms(tpcb.p50),
          p99_ms: ms(tpcb.p99),
          p999_ms: ms(tpcb.p999),
          failed: tpcb.failed,
          cpu_us_per_transaction: {
            postgres: fixed(tpcb.postgresUs, 0),
            postgres_backends: fixed(tpcb.backendsUs, 0),
            postgres_other: fixed(tpcb.otherUs, 0),
            pgbench: fixed(tpcb.pgbenchUs, 0),
          },
          runs: tpcbRuns.map((run) => ({
            when: run.when,
            tps: Math.round(run.result.tps),
            p50_ms: ms(run.result.latency.p50),
            p99_ms: ms(run.result.latency.p99),
            p999_ms: ms(run.result.latency.p999),
            failed: run.result.failed,
            cpu_us_per_transaction: run.cpu ? cpuPer(run.cpu, run.cpuTransactions) : null,
          })),
        }
      : null,
    vs_tpcb: vsTpcb,
    node_floor:
      main?.nodeFloor && mainCpu
        ? {
            cpu_us_per_transfer: Math.round(main.nodeFloor.cpuUsPerTransfer),
            transfers_per_s: Math.round(main.nodeFloor.transfersPerSecond),
            drop_ratio: fixed(mainCpu.server / main.nodeFloor.cpuUsPerTransfer),
          }
        : null,
    hot_vs_spread: fixed(hotVsSpread),
    profile:
      PROFILE && main?.db.statements
        ? {
            round_trips_per_transfer: main.db.statements.round_trips_per_transfer,
            toplevel_us_per_transfer: main.db.statements.toplevel_us_per_transfer,
            top_statements: main.db.statements.top
              .slice(0, 10)
              .map((s) => ({ us: s.us_per_transfer, calls: s.calls_per_transfer, top: s.toplevel, sql: s.query.slice(0, 80) })),
          }
        : undefined,
    connections: CONNECTIONS,
    seconds: SECONDS,
    warmup_seconds: WARMUP_SECONDS,
    machine_busy_before_run: Number(busyBeforeRun.toFixed(2)),
    cores: availableParallelism(),
    pool: POOL,
    customers: CUSTOMERS,
    ledger_shards: SHARDS,
    database: ADMIN_URL ? 'BENCH_ADMIN_URL' : 'embedded',
    postgres: settings.postgres.split(' on ')[0],
    synchronous_commit: settings.synchronous_commit,
    fsync: settings.fsync,
    bench_profile: PROFILE,
    hot_account: hot
      ? {
          transfers_per_s: Math.round(hot.transfersPerSecond),
          p50_ms: ms(hot.load.transfer.p50),
          p99_ms: ms(hot.load.transfer.p99),
          p999_ms: ms(hot.load.transfer.p999),
          create_p99_ms: ms(hot.load.create.p99),
          errors: errorsOf(hot.load),
          baseline_tps: Math.round(hot.baseline.tps),
          baseline_p99_ms: ms(hot.baseline.latency.p99),
          ratio: Number(ratio(hot).toFixed(3)),
          invariant_violations: hot.invariantViolations,
          cpu_us_per_transfer: { drop: cpuPer(hot.cpu, hot.committed).server, postgres: cpuPer(hot.cpu, hot.committed).postgres },
          db_per_transfer: dbFigures(hot.db),
        }
      : null,
    aml:
      main && offRuns.length > 0
        ? {
            create_p99_ms_on: ms(main.load.create.p99),
            create_p99_ms_off: ms(offCreateP99 ?? Number.NaN),
            create_p99_ms_off_before_after: offRuns.map((v) => ms(v.load.create.p99)),
            transfers_per_s_on: Math.round(main.transfersPerSecond),
            transfers_per_s_off: Math.round(offTransfersPerSecond ?? Number.NaN),
            transfers_per_s_off_before_after: offRuns.map((v) => Math.round(v.transfersPerSecond)),
            throughput_ratio_on_off: fixed(amlThroughputRatio),
            baseline_tps_on: Math.round(main.baseline.tps),
            baseline_tps_off_before_after: offRuns.map((v) => Math.round(v.baseline.tps)),
            errors_off: offRuns.reduce((sum, v) => sum + errorsOf(v.load), 0),
          }
        : null,
    what_if: WHAT_IF,
    targets: TARGETS,
    checks: checks.map((c) => ({ target: c.target, figure: c.figure, pass: c.pass })),
    meets_targets: meetsTargets,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  return allViolations;
}

await withBenchWorkDir({ name: 'bench:transfers', prefix: 'drop-bench-transfers-' }, async (work, atCleanUp) => {
  atCleanUp('stop pgbench and Drop', async () => {
    stopPgbench();
    await stopAllDrops();
  });
  // Other work on the machine competes for the same cores; say how busy it was before we began.
  const quietFrom = await sampleCpu();
  await sleep(2000);
  const busyBeforeRun = machineBusy(quietFrom, await sampleCpu());
  console.log(`machine busy before the run: ${Math.round(busyBeforeRun * 100)}% of ${availableParallelism()} cores`);
  if (busyBeforeRun > 0.1)
    console.log('WARNING: the machine is not idle; other processes will take CPU from the measurement (see "outside").');
  const pgbenchVersion = (await promisify(execFile)('/usr/bin/pgbench', ['--version'])).stdout.trim();
  console.log(`${pgbenchVersion}; database server: ${ADMIN_URL ? new URL(ADMIN_URL).host : 'embedded PostgreSQL'}`);
  const db = await openBenchDatabase({ adminUrl: ADMIN_URL, workDir: work, port: await freePort(), profile: PROFILE });
  atCleanUp('remove the bench databases', () => db.drop());
  // auto_explain's plans outlive the work folder: kept before the report (RESULT is the last line),
  // or at the clean-up if the run fails.
  let keepServerLog = async () => undefined as string | undefined;
  if (db.serverLog) {
    const keep = process.env.BENCH_PROFILE_DIR || `/tmp/drop-bench-profile-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    const serverLog = db.serverLog;
    let kept: string | undefined;
    keepServerLog = async () => {
      if (kept) return kept;
      await mkdir(keep, { recursive: true });
      kept = path.join(keep, 'postgres.log');
      await copyFile(serverLog, kept);
      return kept;
    };
    atCleanUp('keep the server log', keepServerLog);
  }
  console.log(
    `database ${db.name}: ${db.settings.postgres}; synchronous_commit=${db.settings.synchronous_commit}, fsync=${db.settings.fsync}`,
  );
  if (PROFILE) {
    console.log(
      db.statements
        ? 'BENCH_PROFILE=1: pg_stat_statements (track = all) and auto_explain loaded'
        : 'BENCH_PROFILE=1, but this server does not load pg_stat_statements: no statement profile',
    );
  }
  if (db.settings.synchronous_commit !== 'on' || db.settings.fsync !== 'on') {
    console.log('WARNING: this server does not commit durably; the figures are not comparable with the goals.');
  }
  for (const name of WHAT_IF) {
    const whatIf = WHAT_IFS[name] as (typeof WHAT_IFS)[string];
    await db.pool.query(whatIf.sql);
    console.log(`WHAT-IF ${name}: ${whatIf.what}, dropped; the figures below are not Drop's schema's`);
  }
  const tpcb = TPCB_MODE === '0' ? undefined : await createTpcbDatabase(db);
  const port = await freePort();
  const jwtSecret = randomBytes(32).toString('hex');
  const customers = await createCustomers(db.pool, { count: CUSTOMERS, jwtSecret, issuer: `http://localhost:${port}` });
  console.log(`${customers.length} customers with a recipient and a session each`);
  // Screening is real in every variant: both parties of each transfer against every shipped list
  // (the server builds its index at start; the warm-up covers the build, then hits the cache).
  const lists = await importShippedLists(db.pool, { actor: 'bench' });
  console.log(`sanctions and PEP lists: ${lists.map((list) => `${list.list} ${list.recordCount}`).join(', ')}`);
  if (CONNECTIONS > customers.length) console.log('WARNING: more connections than customers: some customers have two connections');

  // TPC-B before the variants and, unless BENCH_TPCB=before, after them: the two bracket any
  // drift of the machine (other load, the server's caches) over the run; the mean is used.
  const tpcbRuns: TpcbRun[] = [];
  if (tpcb) tpcbRuns.push(await tpcbRun(db, tpcb, work, 'before'));
  const variants: VariantResult[] = [];
  for (const key of VARIANT_KEYS) {
    variants.push(await runVariant({ key, ...VARIANTS[key], db, customers, port, jwtSecret, workDir: work }));
  }
  if (tpcb && TPCB_MODE === '1') tpcbRuns.push(await tpcbRun(db, tpcb, work, 'after'));
  if (tpcb) await tpcb.drop();
  const keptLog = await keepServerLog();
  if (keptLog) console.log(`\nauto_explain plans (statements over ${PROFILE_EXPLAIN_MS} ms) and the server log: ${keptLog}`);
  const violations = report(db, variants, tpcbRuns, busyBeforeRun);
  return violations > 0 ? 1 : 0;
});
