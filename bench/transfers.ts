/**
 * `npm run bench:transfers`: money transfers per second end to end (HTTP, auth, quote, create,
 * ledger, durable commit) against the same transfer SQL run by pgbench on the same database server
 * in the same run (reference/ledger-perf-anchors.md §7.4, §10). Two variants:
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
 * Settings: BENCH_ADMIN_URL (a PostgreSQL server to create drop_bench_<random> on; without it an
 * embedded PostgreSQL is started), BENCH_SECONDS (30), BENCH_WARMUP_SECONDS (8: covers the screening index build),
 * BENCH_CONNECTIONS (8: on 2 cores more connections only queue; see the issue 5 note), BENCH_CUSTOMERS (200), BENCH_POOL (10: Drop's DATABASE_POOL_MAX and
 * pgbench's -c), BENCH_LEDGER_SHARDS (16, the server default), BENCH_DROP_NODE_OPTIONS (NODE_OPTIONS
 * for the server only, e.g. to profile it). Exits non-zero if an invariant
 * is violated or the run could not complete. The last line is `RESULT {json}`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EDD_THRESHOLD_ORE, importShippedLists, limitsArray, tierLimitsFromJson } from '@drop/core';
import { type CpuSample, cpuSeconds, machineBusy, type ProcessCpu, postgresOf, sampleCpu } from './support/cpu.ts';
import type { BenchCustomer } from './support/customers.ts';
import { createCustomers } from './support/customers.ts';
import { type BenchDatabase, openBenchDatabase } from './support/database.ts';
import { freePort, stopAllDrops } from './support/drop-server.ts';
import { ms } from './support/latency.ts';
import { type PgbenchResult, runPgbench, stopPgbench } from './support/pgbench.ts';
import {
  checkTransferInvariants,
  countTransfers as countTransfersIn,
  IDLE_SECONDS,
  launchTransferDrop,
  QUOTE_TTL_SECONDS,
  TIER_LIMITS_JSON,
} from './support/transfer-drop.ts';
import { type LoadResult, runTransferLoad } from './support/transfer-load.ts';

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
if (CUSTOMERS < POOL) throw new Error('BENCH_CUSTOMERS must be at least BENCH_POOL (pgbench needs a customer per client)');
const TARGETS = { ratio: 0.4, p99_ms: 25, errors: 0, invariant_violations: 0, aml_throughput_ratio: 0.9 };

interface VariantResult {
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
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

const countTransfers = (db: BenchDatabase) => countTransfersIn(db.pool);
const checkInvariants = (db: BenchDatabase) => checkTransferInvariants(db.pool);

interface CpuBreakdown {
  /** The process serving HTTP: Drop, or none for pgbench. */
  serverMs: number;
  /** Backends of the bench database. */
  postgresMs: number;
  /** The rest of the same PostgreSQL cluster: WAL writer, checkpointer, … */
  postgresOtherMs: number;
  /** autocannon (this process) or pgbench. */
  loadMs: number;
  /** Everything else on the machine: not part of the run, it competes for the cores. */
  outsideMs: number;
  machineBusy: number;
}

function cpuBreakdown(db: BenchDatabase, from: CpuSample, to: CpuSample, parts: { serverPid?: number; loadMs?: number }): CpuBreakdown {
  const cluster = postgresOf(db.postmasterPid, db.name);
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

async function ledgerPostings(db: BenchDatabase): Promise<number> {
  const { rows } = await db.pool.query<{ count: string }>('SELECT count(*) FROM ledger_transfers');
  return Number(rows[0]?.count ?? 0);
}

/**
 * One variant: the pgbench baseline first, then Drop under load, then the invariants. The
 * baseline goes first on purpose: each phase adds rows, and if anything in the transfer path
 * slows down as the tables grow, it is Drop that runs on the bigger tables, so the ratio errs on
 * the pessimistic side. The posting count at the start of each phase is printed to show it.
 */
async function runVariant(options: {
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
  });
  const baselineCommitted = (await countTransfers(db)) - baselineBefore;
  const baselineCpu = baseline.cpu && cpuBreakdown(db, baseline.cpu.from, baseline.cpu.to, {});
  const baselineCpuTransfers = baseline.cpu ? (baseline.tps * (baseline.cpu.to.at - baseline.cpu.from.at)) / 1000 : 0;
  console.log(`[${options.name}] pgbench: ${Math.round(baseline.tps)} transfers/s`);

  // 2. Drop under load.
  console.log(`[${options.name}] starting Drop (LEDGER_SHARDS=${options.shards}, DATABASE_POOL_MAX=${POOL})`);
  const drop = await launch();
  let load: LoadResult;
  let committed: number;
  let cpu: VariantResult['cpu'];
  try {
    const loadOptions = { url, origin, customers, connections: CONNECTIONS };
    if (WARMUP_SECONDS > 0) {
      console.log(`[${options.name}] warm-up ${WARMUP_SECONDS} s`);
      await runTransferLoad({ ...loadOptions, seconds: WARMUP_SECONDS });
      // Let the warm-up's last requests commit before the window's count starts.
      await sleep(250);
    }
    console.log(`[${options.name}] load: ${CONNECTIONS} connections for ${SECONDS} s (${await ledgerPostings(db)} postings in the ledger)`);
    const before = await countTransfers(db);
    const cpuFrom = await sampleCpu();
    const benchFrom = process.cpuUsage();
    load = await runTransferLoad({ ...loadOptions, seconds: SECONDS });
    const benchUsage = process.cpuUsage(benchFrom);
    const cpuTo = await sampleCpu();
    cpu = cpuBreakdown(db, cpuFrom, cpuTo, { serverPid: drop.pid, loadMs: (benchUsage.user + benchUsage.system) / 1000 });
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

  // 3. Invariants over everything written so far, Drop's and pgbench's transfers alike.
  const invariants = await checkInvariants(db);
  console.log(`[${options.name}] ledger verified: ${invariants.violations} violation(s)`);

  return {
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
  };
}

function errorsOf(load: LoadResult): number {
  return load.non2xx + load.socketErrors;
}

function report(settings: BenchDatabase['settings'], server: string, variants: VariantResult[]) {
  const [amlOffBefore, main, amlOffAfter, hot] = variants as [VariantResult, VariantResult, VariantResult, VariantResult];
  // AML off before and after AML on: the mean of the two brackets the growth of the tables.
  const offTransfersPerSecond = (amlOffBefore.transfersPerSecond + amlOffAfter.transfersPerSecond) / 2;
  const offCreateP99 = (amlOffBefore.load.create.p99 + amlOffAfter.load.create.p99) / 2;
  const ratio = (v: VariantResult) => v.transfersPerSecond / v.baseline.tps;
  console.log(
    `\nPOST /api/quotes + POST /api/transfers per transfer; ${CONNECTIONS} connections (one customer each, of ${CUSTOMERS}), ` +
      `${SECONDS} s after ${WARMUP_SECONDS} s warm-up; Drop pool = pgbench -c = ${POOL}; Node ${process.version}`,
  );
  console.log(
    `PostgreSQL: ${settings.postgres.split(' on ')[0]} (${server}); synchronous_commit=${settings.synchronous_commit}, fsync=${settings.fsync}, ` +
      `shared_buffers=${settings.shared_buffers}, wal_sync_method=${settings.wal_sync_method}, commit_delay=${settings.commit_delay}`,
  );
  const rows: Record<string, Record<string, string | number>> = {};
  for (const v of variants) {
    rows[`Drop, ${v.name}`] = {
      'transfers/s (committed)': Math.round(v.transfersPerSecond),
      'p50 ms': ms(v.load.transfer.p50),
      'p99 ms': ms(v.load.transfer.p99),
      'p99.9 ms': ms(v.load.transfer.p999),
      errors: errorsOf(v.load),
      'ratio to pgbench': ratio(v).toFixed(2),
    };
    rows[`pgbench, ${v.name}`] = {
      'transfers/s (committed)': Math.round(v.baseline.tps),
      'p50 ms': ms(v.baseline.latency.p50),
      'p99 ms': ms(v.baseline.latency.p99),
      'p99.9 ms': ms(v.baseline.latency.p999),
      errors: v.baseline.failed,
      'ratio to pgbench': '1.00',
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
    'CPU per transfer (µs) by process; "outside" is CPU taken by processes not part of the run (it competes for the same cores):',
  );
  const cpuRows: Record<string, Record<string, number | string>> = {};
  const cpuRow = (cpu: CpuBreakdown, transfers: number) => {
    const per = (cpuMs: number) => Math.round((cpuMs * 1000) / Math.max(1, transfers));
    return {
      'Drop (node)': per(cpu.serverMs),
      'postgres backends': per(cpu.postgresMs),
      'postgres other': per(cpu.postgresOtherMs),
      'autocannon / pgbench': per(cpu.loadMs),
      outside: per(cpu.outsideMs),
      'machine busy': `${Math.round(cpu.machineBusy * 100)}%`,
    };
  };
  for (const v of variants) {
    cpuRows[`Drop, ${v.name}`] = cpuRow(v.cpu, v.committed);
    if (v.baselineCpu) cpuRows[`pgbench, ${v.name}`] = cpuRow(v.baselineCpu, v.baselineCpuTransfers);
  }
  console.table(cpuRows);

  console.log('pgbench per statement (average ms, -r):');
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

  const invariantViolations = main.invariantViolations;
  const hotViolations = hot.invariantViolations + amlOffBefore.invariantViolations + amlOffAfter.invariantViolations;
  const amlThroughputRatio = main.transfersPerSecond / offTransfersPerSecond;
  console.log(
    `AML: create p99 ${ms(main.load.create.p99)} ms on, ${ms(offCreateP99)} ms off (mean of ${ms(amlOffBefore.load.create.p99)} before and ` +
      `${ms(amlOffAfter.load.create.p99)} after); ${Math.round(main.transfersPerSecond)} transfers/s on, ${Math.round(offTransfersPerSecond)} off ` +
      `(${Math.round(amlOffBefore.transfersPerSecond)} before, ${Math.round(amlOffAfter.transfersPerSecond)} after; ratio ${amlThroughputRatio.toFixed(3)}, target ≥ ${TARGETS.aml_throughput_ratio})`,
  );
  const result = {
    transfers_per_s: Math.round(main.transfersPerSecond),
    p50_ms: ms(main.load.transfer.p50),
    p99_ms: ms(main.load.transfer.p99),
    p999_ms: ms(main.load.transfer.p999),
    quote_p99_ms: ms(main.load.quote.p99),
    create_p99_ms: ms(main.load.create.p99),
    request_p99_ms: main.load.requestLatency.p99,
    errors: errorsOf(main.load),
    accepted_transfers: main.load.transfersAccepted,
    committed_transfers: main.committed,
    baseline_tps: Math.round(main.baseline.tps),
    baseline_p99_ms: ms(main.baseline.latency.p99),
    ratio: Number(ratio(main).toFixed(3)),
    invariant_violations: invariantViolations,
    cpu_us_per_transfer: {
      drop: Math.round((main.cpu.serverMs * 1000) / Math.max(1, main.committed)),
      postgres: Math.round(((main.cpu.postgresMs + main.cpu.postgresOtherMs) * 1000) / Math.max(1, main.committed)),
      load_generator: Math.round((main.cpu.loadMs * 1000) / Math.max(1, main.committed)),
      outside: Math.round((main.cpu.outsideMs * 1000) / Math.max(1, main.committed)),
      baseline_postgres: main.baselineCpu
        ? Math.round(((main.baselineCpu.postgresMs + main.baselineCpu.postgresOtherMs) * 1000) / Math.max(1, main.baselineCpuTransfers))
        : null,
    },
    connections: CONNECTIONS,
    seconds: SECONDS,
    machine_busy_before_run: Number(busyBeforeRun.toFixed(2)),
    pool: POOL,
    customers: CUSTOMERS,
    ledger_shards: SHARDS,
    database: ADMIN_URL ? 'BENCH_ADMIN_URL' : 'embedded',
    postgres: settings.postgres.split(' on ')[0],
    synchronous_commit: settings.synchronous_commit,
    fsync: settings.fsync,
    hot_account: {
      transfers_per_s: Math.round(hot.transfersPerSecond),
      p50_ms: ms(hot.load.transfer.p50),
      p99_ms: ms(hot.load.transfer.p99),
      p999_ms: ms(hot.load.transfer.p999),
      create_p99_ms: ms(hot.load.create.p99),
      errors: errorsOf(hot.load),
      baseline_tps: Math.round(hot.baseline.tps),
      baseline_p99_ms: ms(hot.baseline.latency.p99),
      ratio: Number(ratio(hot).toFixed(3)),
      invariant_violations: hotViolations,
    },
    aml: {
      create_p99_ms_on: ms(main.load.create.p99),
      create_p99_ms_off: ms(offCreateP99),
      create_p99_ms_off_before_after: [ms(amlOffBefore.load.create.p99), ms(amlOffAfter.load.create.p99)],
      transfers_per_s_on: Math.round(main.transfersPerSecond),
      transfers_per_s_off: Math.round(offTransfersPerSecond),
      transfers_per_s_off_before_after: [Math.round(amlOffBefore.transfersPerSecond), Math.round(amlOffAfter.transfersPerSecond)],
      throughput_ratio_on_off: Number(amlThroughputRatio.toFixed(3)),
      baseline_tps_on: Math.round(main.baseline.tps),
      baseline_tps_off_before_after: [Math.round(amlOffBefore.baseline.tps), Math.round(amlOffAfter.baseline.tps)],
      errors_off: errorsOf(amlOffBefore.load) + errorsOf(amlOffAfter.load),
    },
    targets: TARGETS,
    meets_targets:
      ratio(main) >= TARGETS.ratio &&
      main.load.transfer.p99 <= TARGETS.p99_ms &&
      errorsOf(main.load) === TARGETS.errors &&
      invariantViolations === TARGETS.invariant_violations &&
      amlThroughputRatio >= TARGETS.aml_throughput_ratio,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
  return invariantViolations + hotViolations;
}

const work = await mkdtemp(path.join(tmpdir(), 'drop-bench-transfers-'));
// An embedded PostgreSQL runs as the `postgres` user when the bench runs as root.
await chmod(work, 0o755);
let db: BenchDatabase | undefined;
let exitCode = 1;
let busyBeforeRun = 0;
const cleanUp = async () => {
  stopPgbench();
  await stopAllDrops();
  await db?.drop().catch((error: unknown) => console.error('could not remove the bench database:', error));
  db = undefined;
  await rm(work, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  // Other work on the machine competes for the same cores; say how busy it was before we began.
  const quietFrom = await sampleCpu();
  await sleep(2000);
  busyBeforeRun = machineBusy(quietFrom, await sampleCpu());
  console.log(`machine busy before the run: ${Math.round(busyBeforeRun * 100)}% of ${availableParallelism()} cores`);
  if (busyBeforeRun > 0.1)
    console.log('WARNING: the machine is not idle; other processes will take CPU from the measurement (see "outside").');
  const pgbenchVersion = (await promisify(execFile)('/usr/bin/pgbench', ['--version'])).stdout.trim();
  console.log(`${pgbenchVersion}; database server: ${ADMIN_URL ? new URL(ADMIN_URL).host : 'embedded PostgreSQL'}`);
  db = await openBenchDatabase({ adminUrl: ADMIN_URL, workDir: work, port: await freePort() });
  console.log(
    `database ${db.name}: ${db.settings.postgres}; synchronous_commit=${db.settings.synchronous_commit}, fsync=${db.settings.fsync}`,
  );
  if (db.settings.synchronous_commit !== 'on' || db.settings.fsync !== 'on') {
    console.log('WARNING: this server does not commit durably; the figures are not comparable with the goals.');
  }
  const port = await freePort();
  const jwtSecret = randomBytes(32).toString('hex');
  const customers = await createCustomers(db.pool, { count: CUSTOMERS, jwtSecret, issuer: `http://localhost:${port}` });
  console.log(`${customers.length} customers with a recipient and a session each`);
  // Screening is real in every variant: both parties of each transfer against every shipped list
  // (the server builds its index at start; the warm-up covers the build, then hits the cache).
  const lists = await importShippedLists(db.pool, { actor: 'bench' });
  console.log(`sanctions and PEP lists: ${lists.map((list) => `${list.list} ${list.recordCount}`).join(', ')}`);
  if (CONNECTIONS > customers.length) console.log('WARNING: more connections than customers: some customers have two connections');

  const variants: VariantResult[] = [];
  for (const variant of [
    { name: `${SHARDS} shards, AML off`, shards: SHARDS, aml: false },
    { name: `${SHARDS} shards`, shards: SHARDS, aml: true },
    { name: `${SHARDS} shards, AML off again`, shards: SHARDS, aml: false },
    { name: 'hot account', shards: 1, aml: true },
  ]) {
    variants.push(await runVariant({ ...variant, db, customers, port, jwtSecret, workDir: work }));
  }
  const violations = report(db.settings, db.server, variants);
  exitCode = violations > 0 ? 1 : 0;
} catch (error) {
  console.error('bench:transfers could not complete:', error);
  exitCode = 1;
} finally {
  await cleanUp();
}
process.exit(exitCode);
