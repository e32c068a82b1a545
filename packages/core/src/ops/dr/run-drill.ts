/**
 * `drop dr drill`: the DR runbook's recovery procedures (scenario 2, restore from a backup or to a
 * point in time) performed for real, measured, and reported. Three restores into scratch
 * clusters, each verified (verifyDatabase: ledger invariants, audit chain, row counts, the
 * transfers that must be there) and each brought up as a healthy Drop (the caller's `startDrop`
 * resolves once Drop's `/api/health` on the restored data answers ok):
 *
 *   1. latest-backup: the newest physical backup, replayed to the end of the archived WAL.
 *   2. point-in-time: while a write load runs on the live database, an incident instant T is
 *      chosen; once the WAL past T is archived, the same backup is recovered to T
 *      (recovery_target_time). Every transfer acknowledged before T must be there (but for
 *      the last POINT_IN_TIME_EDGE_MS before T, reported apart), none acknowledged after it.
 *   3. primary-lost: the repository frozen at T (the archive as it was when the primary was
 *      lost, freeze-repository.ts) replayed to its end. RPO = how far before T the oldest
 *      acknowledged transfer lost was acknowledged (0 when none is lost): continuous archiving
 *      with archive_timeout bounds it.
 *
 * RTO of a run = restore + verify + a healthy Drop, from the moment the restore starts.
 * Targets: ten times better than the runbook's table (RTO 30 min, RPO 5 min for PITR), so
 * RTO ≤ 180 s and RPO ≤ 30 s. The report goes into the backup repository (JSON and text,
 * reports/dr-drills/), each verified restore is recorded as a restore verification (what
 * `drop checks monthly` reads through latestRestoreVerification), the summary is posted to Slack
 * through the OpsNotifier, and the run is audited.
 */
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Db, withTransaction } from '@drop/db';
import type { OpsNotifier } from '@drop/observability';
import pg from 'pg';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { type BackupEntry, recordRestoreVerification } from '../backup/catalog.ts';
import { chooseBackup, type RestoredDatabase, restoreBackup } from '../backup/restore-backup.ts';
import { type DatabaseVerification, verifyDatabase } from '../backup/verify-database.ts';
import { freezeRepository } from './freeze-repository.ts';
import { renderDrillReport } from './render-drill-report.ts';
import { type AcknowledgedTransfer, cancelDrillTransfers, ensureDrillCustomer, startWriteLoad } from './write-load.ts';

export const DRILL_TARGETS = { rtoSeconds: 180, rpoSeconds: 30 } as const;
export const DRILL_REPORTS_FOLDER = path.join('reports', 'dr-drills');

export type DrillRunName = 'latest-backup' | 'point-in-time' | 'primary-lost';

/**
 * A point-in-time restore's edge: transfers acknowledged within this many milliseconds before T
 * are neither required nor counted as lost, only reported (`atTarget`). Two reasons, both
 * PostgreSQL's and not a loss: the target is given to the millisecond while commit timestamps
 * are microseconds (a commit at T+0.9 ms acknowledged at T+0.95 ms reads as "at T" from
 * Date.now() yet lies after the target), and recovery stops at the first commit record past T
 * while concurrent backends take their commit timestamps before inserting into WAL, so the WAL
 * order of commits a few milliseconds apart is not their timestamp order. A CI run lost one
 * transfer acknowledged in the same millisecond as T this way.
 */
export const POINT_IN_TIME_EDGE_MS = 250;

export interface DrillRpo {
  /** Transfers acknowledged before the incident (for a point-in-time run: before T minus the edge). */
  acknowledgedBefore: number;
  /** Point-in-time runs: acknowledged within the edge before T (POINT_IN_TIME_EDGE_MS), and how many of those are present. */
  atTarget?: { acknowledged: number; present: number };
  /** Of those, missing from the restore. */
  lost: number;
  /** Acknowledged more than 1.5 s after the incident yet present (a commit precedes its acknowledgement by a flush; a point-in-time restore must have none). */
  presentAfterTarget: number;
  /** Seconds between the oldest lost acknowledgement and the incident; 0 when nothing was lost. */
  seconds: number;
  newestPresentAckedAt: string | null;
  oldestLostAckedAt: string | null;
}

export interface DrillRun {
  name: DrillRunName;
  ok: boolean;
  error: string | null;
  backupId: string;
  target: string | null;
  recoveredTo: string | null;
  restoreSeconds: number | null;
  verifySeconds: number | null;
  healthySeconds: number | null;
  /** Restore + verify + healthy Drop, from the start of the restore. */
  rtoSeconds: number | null;
  verification: DatabaseVerification | null;
  rpo: DrillRpo | null;
}

export interface DrillReport {
  id: string;
  startedAt: string;
  finishedAt: string;
  ok: boolean;
  backupId: string;
  load: { seconds: number; writers: number; acknowledged: number; transfersPerSecond: number; errors: string[]; incidentAt: string | null };
  runs: DrillRun[];
  /** The worst RTO of the runs, and the RPO of the primary-lost run. */
  rtoSeconds: number | null;
  rpoSeconds: number | null;
  targets: typeof DRILL_TARGETS;
  files: { json: string; text: string } | null;
}

export interface RunningDropOnRestore {
  stop(): Promise<void>;
}

export interface RunDrillOptions {
  live: Db;
  /** The live database's role and password (a restored cluster has the same roles). */
  liveUrl: string;
  repoDir: string;
  /** Where the scratch clusters and the frozen repository go (removed afterwards). */
  scratchDir: string;
  /** Starts Drop on the restored database and resolves once its health check answers ok. */
  startDrop(databaseUrl: string): Promise<RunningDropOnRestore>;
  /** Seconds of write load before the incident (0: only the latest-backup run). */
  loadSeconds: number;
  writers: number;
  /** Also restore to the incident instant with recovery_target_time (default true; the benchmark leaves it out). */
  pointInTime?: boolean;
  notifier: OpsNotifier;
  actor: string;
  now?: () => Date;
  log?: (message: string) => void;
}

const seconds = (ms: number) => Math.round(ms) / 1000;

async function archiveEverything(live: Db, timeoutMs: number): Promise<void> {
  const { rows } = await live.query<{ file: string }>('SELECT pg_walfile_name(pg_switch_wal()) AS file');
  const file = rows[0]?.file ?? '';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await live.query<{ last: string | null }>('SELECT last_archived_wal AS last FROM pg_stat_archiver');
    const last = status.rows[0]?.last;
    if (last && last.length === 24 && last.slice(8) >= file.slice(8)) return;
    if (Date.now() > deadline) throw new Error(`WAL segment ${file} was not archived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function countAtTarget(acknowledged: readonly AcknowledgedTransfer[], present: ReadonlySet<string>, incidentAt: number, edgeMs: number) {
  const edge = acknowledged.filter((ack) => ack.ackedAt > incidentAt - edgeMs && ack.ackedAt <= incidentAt);
  return { acknowledged: edge.length, present: edge.filter((ack) => present.has(ack.id)).length };
}

function measureRpo(acknowledged: readonly AcknowledgedTransfer[], present: ReadonlySet<string>, incidentAt: number, edgeMs = 0): DrillRpo {
  const before = acknowledged.filter((ack) => ack.ackedAt <= incidentAt - edgeMs);
  const lost = before.filter((ack) => !present.has(ack.id));
  const kept = before.filter((ack) => present.has(ack.id));
  const oldestLost = lost.reduce<number | null>((oldest, ack) => (oldest === null || ack.ackedAt < oldest ? ack.ackedAt : oldest), null);
  const newestKept = kept.reduce<number | null>((newest, ack) => (newest === null || ack.ackedAt > newest ? ack.ackedAt : newest), null);
  return {
    acknowledgedBefore: before.length,
    lost: lost.length,
    presentAfterTarget: acknowledged.filter((ack) => ack.ackedAt > incidentAt + 1500 && present.has(ack.id)).length,
    seconds: oldestLost === null ? 0 : seconds(incidentAt - oldestLost),
    newestPresentAckedAt: newestKept === null ? null : new Date(newestKept).toISOString(),
    oldestLostAckedAt: oldestLost === null ? null : new Date(oldestLost).toISOString(),
    ...(edgeMs > 0 ? { atTarget: countAtTarget(acknowledged, present, incidentAt, edgeMs) } : {}),
  };
}

async function presentIds(url: string, ids: readonly string[]): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>('SELECT id FROM transactions WHERE id = ANY ($1::text[])', [ids]);
    return new Set(rows.map((row) => row.id));
  } finally {
    await client.end();
  }
}

/** One restore, verified and brought up as Drop; never throws (a failed step is the run's error). */
async function restoreVerifyStart(
  options: RunDrillOptions,
  run: { name: DrillRunName; backup: BackupEntry; repoDir: string; to?: Date; expect?: readonly string[] },
  credentials: { user: string; password: string | undefined },
): Promise<{ run: DrillRun; restored: RestoredDatabase | null }> {
  const log = options.log ?? (() => undefined);
  const result: DrillRun = {
    name: run.name,
    ok: false,
    error: null,
    backupId: run.backup.id,
    target: run.to ? run.to.toISOString() : null,
    recoveredTo: null,
    restoreSeconds: null,
    verifySeconds: null,
    healthySeconds: null,
    rtoSeconds: null,
    verification: null,
    rpo: null,
  };
  const started = performance.now();
  let restored: RestoredDatabase | null = null;
  try {
    log(`${run.name}: restoring ${run.backup.id}${run.to ? ` to ${run.to.toISOString()}` : ''}`);
    restored = await restoreBackup({
      repoDir: run.repoDir,
      backupId: run.backup.id,
      to: run.to,
      dataDir: path.join(options.scratchDir, run.name),
      user: credentials.user,
      password: credentials.password,
      log,
    });
    result.recoveredTo = restored.recoveredTo;
    const restoredAt = performance.now();
    result.restoreSeconds = seconds(restoredAt - started);
    const pool = new pg.Pool({ connectionString: restored.url, max: 2 });
    pool.on('error', () => undefined);
    try {
      result.verification = await verifyDatabase(pool, { manifest: run.backup.manifest, expectTransactionIds: run.expect });
    } finally {
      await pool.end();
    }
    const verifiedAt = performance.now();
    result.verifySeconds = seconds(verifiedAt - restoredAt);
    log(`${run.name}: verified (${result.verification.ok ? 'ok' : 'FAILED'}), starting Drop on it`);
    const drop = await options.startDrop(restored.url);
    const healthyAt = performance.now();
    await drop.stop();
    result.healthySeconds = seconds(healthyAt - verifiedAt);
    result.rtoSeconds = seconds(healthyAt - started);
    result.ok = result.verification.ok;
  } catch (error) {
    result.error = (error as Error).message;
  }
  return { run: result, restored };
}

/** Runs the drill; the report says what passed. Throws only when the drill cannot start (no backup). */
export async function runDrill(options: RunDrillOptions): Promise<DrillReport> {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => undefined);
  const startedAt = now();
  const backup = await chooseBackup(options.repoDir, { kind: 'physical' }).catch((error: Error) => {
    throw new DomainError('NOT_FOUND', `${error.message} The drill restores a physical backup: take one with \`drop db backup\`.`);
  });
  if (options.loadSeconds > 0) {
    const archive = await options.live.query<{ mode: string }>(`SELECT current_setting('archive_mode') AS mode`);
    if (archive.rows[0]?.mode === 'off') {
      throw new DomainError(
        'VALIDATION_FAILED',
        'The live database does not archive its WAL: a point-in-time drill needs continuous archiving.',
      );
    }
  }
  const live = new URL(options.liveUrl);
  const credentials = {
    user: decodeURIComponent(live.username || 'postgres'),
    password: live.password ? decodeURIComponent(live.password) : undefined,
  };
  await mkdir(options.scratchDir, { recursive: true });
  const scratch = await mkdtemp(path.join(options.scratchDir, 'drill-'));
  // The restored servers run as the `postgres` user when this process is root: they must reach it.
  await chmod(scratch, 0o755);
  const scoped = { ...options, scratchDir: scratch };
  const runs: DrillRun[] = [];
  const restoredClusters: RestoredDatabase[] = [];
  const keep = (outcome: { run: DrillRun; restored: RestoredDatabase | null }) => {
    runs.push(outcome.run);
    if (outcome.restored) restoredClusters.push(outcome.restored);
    return outcome;
  };
  let load = { seconds: 0, writers: 0, acknowledged: 0, transfersPerSecond: 0, errors: [] as string[], incidentAt: null as string | null };
  try {
    const latest = keep(await restoreVerifyStart(scoped, { name: 'latest-backup', backup, repoDir: options.repoDir }, credentials));
    await latest.restored?.stop();

    if (options.loadSeconds > 0) {
      const customer = await ensureDrillCustomer(options.live);
      log(`write load: ${options.writers} writers for ${options.loadSeconds} s`);
      const loadStarted = Date.now();
      const writer = startWriteLoad(options.live, customer, { writers: options.writers });
      await new Promise((resolve) => setTimeout(resolve, options.loadSeconds * 1000));
      // The incident: the primary is lost now. What the archive holds at this instant survives.
      const incident = Date.now();
      const frozen = await freezeRepository(options.repoDir, backup, scratch);
      log(`incident at ${new Date(incident).toISOString()}: ${frozen.walSegments} WAL segments archived`);
      // The load goes on a little past the incident (writes a point-in-time restore must leave out).
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const acknowledged = await writer.stop();
      const loadMs = incident - loadStarted;
      const acknowledgedBefore = acknowledged.filter((ack) => ack.ackedAt <= incident);
      const requiredAtTarget = acknowledgedBefore.filter((ack) => ack.ackedAt <= incident - POINT_IN_TIME_EDGE_MS);
      load = {
        seconds: seconds(loadMs),
        writers: options.writers,
        acknowledged: acknowledged.length,
        transfersPerSecond: Math.round((acknowledgedBefore.length / loadMs) * 1000 * 10) / 10,
        errors: [...writer.errors],
        incidentAt: new Date(incident).toISOString(),
      };
      const ids = acknowledged.map((ack) => ack.id);
      try {
        let pitr: { run: DrillRun; restored: RestoredDatabase | null } | null = null;
        if (options.pointInTime !== false) {
          // The primary is alive in this run: everything written up to T reaches the archive first.
          await archiveEverything(options.live, 60_000);
          pitr = keep(
            await restoreVerifyStart(
              scoped,
              {
                name: 'point-in-time',
                backup,
                repoDir: options.repoDir,
                to: new Date(incident),
                expect: requiredAtTarget.map((ack) => ack.id),
              },
              credentials,
            ),
          );
        }
        if (pitr?.restored) {
          pitr.run.rpo = measureRpo(acknowledged, await presentIds(pitr.restored.url, ids), incident, POINT_IN_TIME_EDGE_MS);
          if (pitr.run.rpo.presentAfterTarget > 0) {
            pitr.run.ok = false;
            pitr.run.error = `${pitr.run.rpo.presentAfterTarget} transfer(s) acknowledged after the target are in the restore`;
          }
          await pitr.restored.stop();
        }
        const lost = keep(await restoreVerifyStart(scoped, { name: 'primary-lost', backup, repoDir: frozen.repoDir }, credentials));
        if (lost.restored) {
          lost.run.rpo = measureRpo(acknowledged, await presentIds(lost.restored.url, ids), incident);
          await lost.restored.stop();
        }
      } finally {
        const cancelled = await cancelDrillTransfers(options.live, ids);
        log(`cancelled the ${cancelled} drill transfer(s) of the write load`);
      }
    }
  } finally {
    for (const restored of restoredClusters) await restored.stop().catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }

  const rtos = runs.map((run) => run.rtoSeconds).filter((value): value is number => value !== null);
  const lostRun = runs.find((run) => run.name === 'primary-lost');
  const rpoSeconds = lostRun?.rpo?.seconds ?? null;
  const rtoSeconds = rtos.length === runs.length && rtos.length > 0 ? Math.max(...rtos) : null;
  const ok =
    runs.length > 0 &&
    runs.every((run) => run.ok) &&
    rtoSeconds !== null &&
    rtoSeconds <= DRILL_TARGETS.rtoSeconds &&
    (options.loadSeconds === 0 || (rpoSeconds !== null && rpoSeconds <= DRILL_TARGETS.rpoSeconds)) &&
    load.errors.length === 0;
  const report: DrillReport = {
    id: `drill-${startedAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    ok,
    backupId: backup.id,
    load,
    runs,
    rtoSeconds,
    rpoSeconds,
    targets: DRILL_TARGETS,
    files: null,
  };
  report.files = await writeDrillReport(options.repoDir, report);
  for (const run of runs) {
    if (!run.verification) continue;
    await recordRestoreVerification(options.repoDir, {
      backupId: run.backupId,
      target: run.target,
      restoredAt: report.startedAt,
      verifiedAt: run.verification.checkedAt,
      ok: run.ok,
      source: `drop dr drill (${run.name})`,
      details: { drill: report.id, rtoSeconds: run.rtoSeconds, rpo: run.rpo, checks: run.verification.checks.map((c) => [c.name, c.ok]) },
    });
  }
  await withTransaction(options.live, (tx) =>
    recordAuditEvent(tx, {
      action: 'dr_drill_run',
      resourceType: 'backup',
      resourceId: backup.id,
      actor: options.actor,
      details: { drill: report.id, ok, rtoSeconds, rpoSeconds, runs: runs.map((run) => ({ name: run.name, ok: run.ok })) },
    }),
  );
  await options.notifier.send({
    kind: 'dr_drill',
    severity: ok ? 'info' : 'critical',
    title: `DR drill ${ok ? 'passed' : 'FAILED'}: RTO ${rtoSeconds ?? '—'} s (target ${DRILL_TARGETS.rtoSeconds}), RPO ${rpoSeconds ?? '—'} s (target ${DRILL_TARGETS.rpoSeconds})`,
    detail: runs
      .map((run) => `${run.name}: ${run.ok ? 'ok' : `FAILED${run.error ? ` (${run.error})` : ''}`}, RTO ${run.rtoSeconds ?? '—'} s`)
      .join('\n'),
    fields: {
      Backup: backup.id,
      'RTO (s)': rtoSeconds ?? '—',
      'RPO (s)': rpoSeconds ?? '—',
      'Transfers acknowledged under load': load.acknowledged,
      Report: report.files.text,
    },
  });
  return report;
}

async function writeDrillReport(repoDir: string, report: DrillReport): Promise<{ json: string; text: string }> {
  const dir = path.join(repoDir, DRILL_REPORTS_FOLDER);
  await mkdir(dir, { recursive: true });
  const files = { json: path.join(dir, `${report.id}.json`), text: path.join(dir, `${report.id}.txt`) };
  const withFiles = { ...report, files };
  for (const [file, content] of [
    [files.json, `${JSON.stringify(withFiles, null, 2)}\n`],
    [files.text, renderDrillReport(withFiles)],
  ] as const) {
    await writeFile(`${file}.part`, content);
    await rename(`${file}.part`, file);
  }
  return files;
}
