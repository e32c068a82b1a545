/**
 * The baseline: pgbench running the SQL the API runs for one transfer, against the same database
 * on the same server, with as many connections as Drop's pool. One pgbench "transaction" is one
 * transfer's two statements, each its own autocommit as in the API, each checking the customer's
 * session itself (customer_session_verdict) as the API's do:
 *   1. the quote INSERT … RETURNING of POST /api/quotes (createQuote),
 *   2. SELECT … FROM create_transfer(…) of POST /api/transfers (createTransfer).
 * The statements are the server's own, imported from @drop/core, so the baseline cannot drift
 * from what the server does. pgbench also does one lookup per
 * transaction that the API does not (the customer's ids by number, a primary-key SELECT on a
 * small table, ~0.1 ms at one client here): that makes the baseline slightly slower than the pure
 * transfer SQL, so the ratio is, if anything, flattered by a few per cent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CREATE_TRANSFER_SQL, QUOTE_INSERT_SQL } from '@drop/core';
import { type CpuSample, sampleCpu } from './cpu.ts';
import { LatencyRecorder, type LatencySummary } from './latency.ts';

/** $n → a pgbench expression, all at once (so $1 does not eat the front of $14). */
function bind(sql: string, values: Record<number, string>): string {
  return sql.replace(/\$(\d+)/g, (match, n: string) => values[Number(n)] ?? match);
}

/**
 * In prepared mode pgbench turns every `:name` into a parameter, even inside a string literal. The
 * to_char patterns' colons are therefore quoted as to_char literal text ("…"), which prints the
 * same characters.
 */
function escapeColons(sql: string): string {
  return sql.replaceAll('HH24:MI:SS', 'HH24":"MI":"SS');
}

export interface QuoteShape {
  feeOre: number;
  /** Receive-currency units per NOK after the margin (numeric text). */
  rate: string;
  referenceRate: string;
  referenceSource: string;
  referenceDate: string;
  marginBps: number;
}

/**
 * `customers`: how many customers (numbers 1…customers) the load uses. Each client gets its own
 * share of them (client c: c+1, c+1+clients, …) and picks one at random per transaction, so no two
 * clients act for one customer at once, as with Drop, where a customer is one connection. That
 * keeps the row locks and the once-a-second session touches the same as under the HTTP load.
 */
export function pgbenchScript(options: { customers: number; clients: number; shards: number }): string {
  if (options.customers < options.clients) throw new Error('pgbench needs at least one customer per client');
  const ids = (prefix: string) => `'${prefix}_' || upper(substr(md5(random()::text), 1, 26))`;
  const quote = `${escapeColons(
    bind(QUOTE_INSERT_SQL, {
      1: ids('qt'),
      2: ':uid',
      3: ':country',
      4: ':quoted_by',
      5: ':amount',
      6: ':fee',
      7: ':currency',
      8: ':receive',
      9: ':rate',
      10: ':reference_rate',
      11: ':reference_source',
      12: ':reference_date',
      13: ':margin_bps',
      14: ':ttl',
      15: ':sid',
      16: ':idle',
    }),
  )} \\gset q_`;
  const create = `${bind(CREATE_TRANSFER_SQL, {
    1: ':uid',
    2: `'pgbench-' || md5(random()::text)`,
    3: `sha256(convert_to('["POST /api/transfers","' || :q_id || '","' || :rid || '"]', 'UTF8'))`,
    4: ids('tx'),
    5: ':q_id',
    6: ':rid',
    7: ':limits',
    8: ':edd',
    9: ':shard',
    // A fresh KID per transfer, as the server's allocator issues (it takes 100 per nextval).
    10: `lpad(nextval('transfer_kid_seq')::text, 11, '0') || '0'`,
    // No screening matches: the bench's customers and recipients are on no list.
    11: `'[]'`,
    12: ':sid',
    13: ':idle',
  })};`;
  return [
    `\\set k random(0, (${options.customers} - 1 - :client_id) / ${options.clients})`,
    `\\set n 1 + :client_id + ${options.clients} * :k`,
    '\\set amount random(10000, 90000)',
    '\\set receive int((:amount - :fee) * :rate)',
    options.shards > 1 ? `\\set shard random(0, ${options.shards - 1})` : '\\set shard 0',
    'SELECT user_id AS uid, session_id AS sid, recipient_id AS rid FROM bench_customers WHERE n = :n \\gset',
    quote,
    create,
    '',
  ].join('\n');
}

let runningPgbench: ChildProcess | undefined;

/** libpq's environment for `databaseUrl`: over TCP like the API, never the Unix socket. */
export function pgEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  return {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: url.pathname.slice(1),
    PGAPPNAME: 'drop-bench-pgbench',
  };
}

/** Stops a pgbench run in progress (for an interrupted run). */
export function stopPgbench(): void {
  runningPgbench?.kill('SIGTERM');
}

export interface PgbenchResult {
  tps: number;
  transactions: number;
  failed: number;
  latencyAverageMs: number;
  latency: LatencySummary;
  /** Average ms per script line (pgbench -r), to see which statement costs what. */
  statements: Array<{ ms: number; failures: number; command: string }>;
  cpu: { from: CpuSample; to: CpuSample } | undefined;
  output: string;
}

/** What pgbench runs: Drop's transfer SQL (pgbenchScript), or one of pgbench's built-in scripts. */
export type PgbenchWorkload =
  | { script: 'transfer'; customers: number; shards: number; variables: Record<string, string> }
  | { builtin: 'tpcb-like' };

let runs = 0;

export async function runPgbench(options: {
  databaseUrl: string;
  workDir: string;
  clients: number;
  seconds: number;
  workload: PgbenchWorkload;
}): Promise<PgbenchResult> {
  const { workload } = options;
  // Each run logs under its own prefix: the latency below reads every file with it.
  const run = ++runs;
  const logPrefix = path.join(options.workDir, `pgbench-log-${run}`);
  let scriptArgs: string[];
  if ('builtin' in workload) {
    // The standard benchmark as pgbench runs it by default (it vacuums its own tables first).
    scriptArgs = ['-b', workload.builtin];
  } else {
    const scriptFile = path.join(options.workDir, `transfer-${run}.sql`);
    await writeFile(scriptFile, pgbenchScript({ customers: workload.customers, clients: options.clients, shards: workload.shards }));
    scriptArgs = [
      '-n', // no vacuum: the script has no pgbench tables
      '-f',
      scriptFile,
      ...Object.entries(workload.variables).flatMap(([name, value]) => ['-D', `${name}=${value}`]),
    ];
  }
  const args = [
    '-M',
    'prepared',
    '-c',
    String(options.clients),
    '-j',
    '2',
    '-T',
    String(options.seconds),
    '-r',
    '-l',
    `--log-prefix=${logPrefix}`,
    ...scriptArgs,
  ];
  const child = spawn('/usr/bin/pgbench', args, {
    cwd: options.workDir,
    env: pgEnvironment(options.databaseUrl),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  runningPgbench = child;
  child.once('exit', () => {
    runningPgbench = undefined;
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  // CPU while the backends are alive (they exit with pgbench, taking their counters with them).
  let cpu: PgbenchResult['cpu'];
  if (options.seconds >= 4) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const from = await sampleCpu();
    await new Promise((resolve) => setTimeout(resolve, (options.seconds - 2) * 1000));
    if (child.exitCode === null) cpu = { from, to: await sampleCpu() };
  }
  const code = await exited;
  if (code !== 0) throw new Error(`pgbench exited with ${code}:\n${output}`);

  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN);
  const statements: PgbenchResult['statements'] = [];
  const table = output.split(/statement latencies in milliseconds[^\n]*\n/)[1] ?? '';
  for (const line of table.split('\n')) {
    const match = /^\s+([\d.]+)\s+(\d+)\s+(.*)$/.exec(line);
    if (match) statements.push({ ms: Number(match[1]), failures: Number(match[2]), command: match[3] ?? '' });
  }

  // Per-transaction latency from the logs: client, transaction number, elapsed µs, …
  const latency = new LatencyRecorder();
  for (const file of await readdir(options.workDir)) {
    // pgbench-log-<run>.<pid>[.<thread>]
    if (!file.startsWith(`${path.basename(logPrefix)}.`)) continue;
    const text = await readFile(path.join(options.workDir, file), 'utf8');
    for (const line of text.split('\n')) {
      const elapsed = Number(line.split(' ')[2]);
      if (Number.isFinite(elapsed) && line) latency.record(elapsed / 1000);
    }
    await rm(path.join(options.workDir, file));
  }

  return {
    tps: number(/tps = ([\d.]+)/),
    transactions: number(/number of transactions actually processed: (\d+)/),
    failed: number(/number of failed transactions: (\d+)/) || 0,
    latencyAverageMs: number(/latency average = ([\d.]+) ms/),
    latency: latency.summary(),
    statements,
    cpu,
    output,
  };
}
