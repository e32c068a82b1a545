/**
 * The baseline: pgbench running the SQL the API runs for one transfer, against the same database
 * on the same server, with as many connections as Drop's pool. One pgbench "transaction" is one
 * transfer's four statements, each its own autocommit as in the API:
 *   1. the session check of POST /api/quotes (authenticateSession),
 *   2. the quote INSERT … RETURNING (createQuote),
 *   3. the session check of POST /api/transfers,
 *   4. SELECT … FROM create_transfer(…) (createTransfer).
 * The statements are copied from the source files and checked against them at run time, so the
 * baseline cannot silently drift from what the server does. pgbench also does one lookup per
 * transaction that the API does not (the customer's ids by number, a primary-key SELECT on a
 * small table, ~0.1 ms at one client here): that makes the baseline slightly slower than the pure
 * transfer SQL, so the ratio is, if anything, flattered by a few per cent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CpuSample, sampleCpu } from './cpu.ts';
import { LatencyRecorder, type LatencySummary } from './latency.ts';

// packages/core/src/identity/authenticate-session.ts
const SESSION_CHECK_SQL = `WITH s AS (
       SELECT s.id, s.user_id,
              CASE WHEN s.revoked = 1 THEN 'revoked'
                   WHEN s.expires_at <= now() THEN 'expired'
                   WHEN s.last_seen_at <= now() - make_interval(secs => $2) THEN 'idle_timeout'
                   WHEN u.deleted_at IS NOT NULL THEN 'user_deleted'
                   WHEN u.kyc_status = 'rejected' THEN 'user_rejected'
                   ELSE 'ok' END AS verdict
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1
     ), touched AS (
       UPDATE sessions SET last_seen_at = now()
        WHERE id = (SELECT id FROM s WHERE verdict = 'ok') AND last_seen_at < now() - interval '1 second'
     )
     SELECT user_id, verdict FROM s`;

// packages/core/src/quotes/create-quote.ts
const QUOTE_COLUMNS = `id, country, quoted_by AS "quotedBy",
  jsonb_build_object('amount', format_minor(send_amount_minor, 'NOK'), 'currency', 'NOK') AS send,
  jsonb_build_object('amount', format_minor(fee_minor, 'NOK'), 'currency', 'NOK') AS fee,
  jsonb_build_object('amount', format_minor(send_amount_minor - fee_minor, 'NOK'), 'currency', 'NOK') AS converted,
  jsonb_build_object('amount', format_minor(receive_amount_minor, receive_currency), 'currency', receive_currency) AS receive,
  to_char(rate, 'FM999999999990.0000000000') AS rate,
  jsonb_build_object('nokPerUnit', trim_scale(reference_rate)::text, 'source', reference_source,
                     'date', to_char(reference_date, 'YYYY-MM-DD'),
                     'marginPercent', to_char(margin_bps / 100.0, 'FM990.00')) AS reference,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt"`;
const QUOTE_INSERT_TEMPLATE = `INSERT INTO quotes (id, user_id, country, quoted_by, send_amount_minor, fee_minor, receive_currency, receive_amount_minor,
                         rate, reference_rate, reference_source, reference_date, margin_bps, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now() + make_interval(secs => $14))
     RETURNING \${QUOTE_COLUMNS}`;

// packages/core/src/transfers/create-transfer.ts
const CREATE_TRANSFER_SQL = `SELECT replayed, response_status, response_body FROM create_transfer($1, $2, $3, $4, $5, $6, $7::bigint[], $8, $9::smallint, $10)`;

const SOURCES = [
  { file: 'packages/core/src/identity/authenticate-session.ts', sql: SESSION_CHECK_SQL },
  { file: 'packages/core/src/quotes/create-quote.ts', sql: QUOTE_COLUMNS },
  { file: 'packages/core/src/quotes/create-quote.ts', sql: QUOTE_INSERT_TEMPLATE },
  { file: 'packages/core/src/transfers/create-transfer.ts', sql: CREATE_TRANSFER_SQL },
];

/** The statements above that no longer appear verbatim (whitespace aside) in their source files. */
export async function sqlDrift(root: string): Promise<string[]> {
  const squash = (text: string) => text.replace(/\s+/g, ' ');
  const drift: string[] = [];
  for (const source of SOURCES) {
    const text = await readFile(path.join(root, source.file), 'utf8');
    if (!squash(text).includes(squash(source.sql))) drift.push(`${source.file}: ${squash(source.sql).slice(0, 60)}…`);
  }
  return drift;
}

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
  const session = `${bind(SESSION_CHECK_SQL, { 1: ':sid', 2: ':idle' })};`;
  const quote = `${escapeColons(
    bind(QUOTE_INSERT_TEMPLATE.replace(/\$\{QUOTE_COLUMNS\}/, QUOTE_COLUMNS), {
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
  })};`;
  return [
    `\\set k random(0, (${options.customers} - 1 - :client_id) / ${options.clients})`,
    `\\set n 1 + :client_id + ${options.clients} * :k`,
    '\\set amount random(10000, 90000)',
    '\\set receive int((:amount - :fee) * :rate)',
    options.shards > 1 ? `\\set shard random(0, ${options.shards - 1})` : '\\set shard 0',
    'SELECT user_id AS uid, session_id AS sid, recipient_id AS rid FROM bench_customers WHERE n = :n \\gset',
    session,
    quote,
    session,
    create,
    '',
  ].join('\n');
}

let runningPgbench: ChildProcess | undefined;

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

export async function runPgbench(options: {
  databaseUrl: string;
  workDir: string;
  clients: number;
  seconds: number;
  customers: number;
  shards: number;
  variables: Record<string, string>;
}): Promise<PgbenchResult> {
  const scriptFile = path.join(options.workDir, `transfer-${options.shards}.sql`);
  await writeFile(scriptFile, pgbenchScript({ customers: options.customers, clients: options.clients, shards: options.shards }));
  const logPrefix = path.join(options.workDir, `pgbench-log-${options.shards}`);
  const url = new URL(options.databaseUrl);
  const args = [
    '-n', // no vacuum: the script has no pgbench tables
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
    '-f',
    scriptFile,
    ...Object.entries(options.variables).flatMap(([name, value]) => ['-D', `${name}=${value}`]),
  ];
  const child = spawn('/usr/bin/pgbench', args, {
    cwd: options.workDir,
    env: {
      ...process.env,
      // Over TCP like the API, never the Unix socket.
      PGHOST: url.hostname,
      PGPORT: url.port || '5432',
      PGUSER: decodeURIComponent(url.username),
      PGPASSWORD: decodeURIComponent(url.password),
      PGDATABASE: url.pathname.slice(1),
      PGAPPNAME: 'drop-bench-pgbench',
    },
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
    if (!file.startsWith(path.basename(logPrefix))) continue;
    const text = await readFile(path.join(options.workDir, file), 'utf8');
    for (const line of text.split('\n')) {
      const elapsed = Number(line.split(' ')[2]);
      if (Number.isFinite(elapsed) && line) latency.record(elapsed / 1000);
    }
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
