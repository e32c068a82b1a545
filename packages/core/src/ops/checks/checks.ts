/**
 * The operational runbook's checklist items (3.1 daily, 3.2 weekly, 3.3 monthly), each a function
 * that measures one thing and answers ok, warn or fail with one line saying what it measured.
 * `runChecks` (run-checks.ts) picks them per period.
 */
import { statfs } from 'node:fs/promises';
import type { HealthReport, OpsCheckResult } from '@drop/contracts';
import type { Db } from '@drop/db';
import { secretRotationStatus } from '../../identity/secret-rotation-status.ts';
import { latestRestoreVerification, listBackups } from '../backup/catalog.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const GB = 1024 ** 3;

export interface StorageSettings {
  /** The database's allocated storage (RDS AllocatedStorage), for a server Drop does not run itself. */
  limitBytes: number | undefined;
  /** Runbook 3.2: "alert if < 2GB" free. */
  minFreeBytes: number;
  /** The embedded server's data folder: its file system's free space is measured. */
  embeddedDir: string | undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} kB`;
}

/** "3 h ago", "2 days ago". */
export function formatAge(ms: number): string {
  if (ms < HOUR_MS) return `${Math.max(0, Math.round(ms / 60_000))} min`;
  if (ms < 2 * DAY_MS) return `${Math.round(ms / HOUR_MS)} h`;
  return `${Math.floor(ms / DAY_MS)} days`;
}

/** Runbook 3.1 / §9: the database answers, and within the latency alert threshold. */
export function healthCheck(report: HealthReport, latencyAlertMs: number, source: string): OpsCheckResult {
  const runbook = '3.1, 9';
  const db = report.checks.db;
  if (report.status !== 'ok' || db.latencyMs === null)
    return { name: 'health', status: 'fail', runbook, detail: `${source}: database down (${db.error ?? 'unknown'})` };
  if (db.latencyMs > latencyAlertMs)
    return {
      name: 'health',
      status: 'warn',
      runbook,
      detail: `${source}: database up, ${db.latencyMs} ms round trip, over the ${latencyAlertMs} ms alert threshold (version ${report.version})`,
    };
  return {
    name: 'health',
    status: 'ok',
    runbook,
    detail: `${source}: database up, ${db.latencyMs} ms round trip (version ${report.version})`,
  };
}

/** Runbook 3.1: the newest backup in the repository (`drop db backup`) finished less than 24 h ago, and was verified. */
export async function lastBackupCheck(backupDir: string, now: Date): Promise<OpsCheckResult> {
  const runbook = '3.1';
  const backups = await listBackups(backupDir);
  backups.sort((a, b) => b.finishedAt.localeCompare(a.finishedAt));
  const newest = backups[0];
  if (!newest) return { name: 'last_backup', status: 'fail', runbook, detail: `no backup in ${backupDir}; run drop db backup` };
  const age = now.getTime() - Date.parse(newest.finishedAt);
  const what = `${newest.kind} backup ${newest.id} finished ${formatAge(age)} ago, ${formatBytes(newest.sizeBytes)}`;
  if (age > DAY_MS) return { name: 'last_backup', status: 'fail', runbook, detail: `${what}: older than 24 h` };
  if (!newest.verifiedAt) return { name: 'last_backup', status: 'warn', runbook, detail: `${what}, not verified (drop db verify)` };
  return { name: 'last_backup', status: 'ok', runbook, detail: `${what}, verified` };
}

/** Runbook 3.1: no unresolved critical (AML) alerts from the last 24 h. */
export async function criticalAlertsCheck(db: Db, now: Date): Promise<OpsCheckResult> {
  const { rows } = await db.query<{ count: string; oldest: Date | null }>(
    `SELECT count(*) AS count, min(created_at) AS oldest FROM aml_alerts
      WHERE status = 'open' AND severity = 'critical' AND created_at > $1::timestamptz - interval '24 hours'`,
    [now],
  );
  const count = Number(rows[0]?.count ?? 0);
  const oldest = rows[0]?.oldest;
  if (count === 0)
    return { name: 'critical_alerts', status: 'ok', runbook: '3.1, 7.1', detail: 'no open critical AML alert raised in the last 24 h' };
  return {
    name: 'critical_alerts',
    status: 'fail',
    runbook: '3.1, 7.1',
    detail: `${count} open critical AML alert(s) raised in the last 24 h, the oldest ${oldest ? formatAge(now.getTime() - oldest.getTime()) : '?'} ago`,
  };
}

/** Runbook 3.2: "Review AML alerts table for any open cases" (every severity, any age). */
export async function openAlertsCheck(db: Db, now: Date): Promise<OpsCheckResult> {
  const { rows } = await db.query<{ severity: string; count: string; oldest: Date }>(
    `SELECT severity, count(*) AS count, min(created_at) AS oldest FROM aml_alerts WHERE status = 'open' GROUP BY severity`,
  );
  if (rows.length === 0) return { name: 'open_alerts', status: 'ok', runbook: '3.2, 7.1', detail: 'no open AML alert' };
  const order = ['critical', 'high', 'medium', 'low'];
  rows.sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  const total = rows.reduce((sum, row) => sum + Number(row.count), 0);
  const oldest = Math.min(...rows.map((row) => row.oldest.getTime()));
  return {
    name: 'open_alerts',
    status: 'warn',
    runbook: '3.2, 7.1',
    detail: `${total} open AML alert(s) (${rows.map((row) => `${row.count} ${row.severity}`).join(', ')}), the oldest ${formatAge(now.getTime() - oldest)} ago`,
  };
}

/** Runbook 3.2 with 6.2's query: customers in kyc_status 'pending' who signed up more than 24 h ago. */
export async function pendingKycCheck(db: Db, now: Date): Promise<OpsCheckResult> {
  const { rows } = await db.query<{ count: string; oldest: Date | null }>(
    `SELECT count(*) AS count, min(created_at) AS oldest FROM users
      WHERE kyc_status = 'pending' AND created_at < $1::timestamptz - interval '24 hours'`,
    [now],
  );
  const count = Number(rows[0]?.count ?? 0);
  const oldest = rows[0]?.oldest;
  if (count === 0) return { name: 'pending_kyc', status: 'ok', runbook: '3.2, 6.2', detail: 'no customer pending KYC for more than 24 h' };
  return {
    name: 'pending_kyc',
    status: 'warn',
    runbook: '3.2, 6.2',
    detail: `${count} customer(s) pending KYC for more than 24 h, the oldest signed up ${oldest ? formatAge(now.getTime() - oldest.getTime()) : '?'} ago`,
  };
}

/**
 * Runbook 3.2: free storage under 2 GB. For the embedded server, the free space of the file
 * system holding its data folder; for any other server (RDS), the database's size against its
 * allocated storage when that is configured (Drop cannot see RDS's disk; CloudWatch's
 * FreeStorageSpace alarm watches it there).
 */
export async function storageCheck(db: Db, settings: StorageSettings): Promise<OpsCheckResult> {
  const runbook = '3.2';
  const { rows } = await db.query<{ size: string }>(`SELECT pg_database_size(current_database())::text AS size`);
  const size = Number(rows[0]?.size ?? 0);
  const grade = (free: number) => (free < settings.minFreeBytes ? 'fail' : free < 2 * settings.minFreeBytes ? 'warn' : 'ok');
  const floor = `minimum ${formatBytes(settings.minFreeBytes)} free`;
  if (settings.embeddedDir) {
    const fs = await statfs(settings.embeddedDir);
    const free = fs.bavail * fs.bsize;
    return {
      name: 'storage',
      status: grade(free),
      runbook,
      detail: `embedded database ${formatBytes(size)}; ${formatBytes(free)} free on the disk of ${settings.embeddedDir} (${floor})`,
    };
  }
  if (settings.limitBytes === undefined)
    return {
      name: 'storage',
      status: 'warn',
      runbook,
      detail: `database ${formatBytes(size)}; free space unknown: set DATABASE_STORAGE_LIMIT_GB to the allocated storage (or read RDS FreeStorageSpace)`,
    };
  const free = settings.limitBytes - size;
  return {
    name: 'storage',
    status: grade(free),
    runbook,
    detail: `database ${formatBytes(size)} of ${formatBytes(settings.limitBytes)} allocated: ${formatBytes(Math.max(0, free))} left (${floor})`,
  };
}

/** Runbook 3.3: "Review SLA report": a reminder with the command for last month. */
export function slaReportCheck(now: Date): OpsCheckResult {
  const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
  return {
    name: 'sla_report',
    status: 'ok',
    runbook: '3.3',
    detail: `reminder: review drop sla report --month ${lastMonth} (uptime, error rate, p99 latency)`,
  };
}

/** Runbook 3.3: a restore of a backup passed `drop db verify` this (UTC) month (a report in the repository: `drop dr drill`, `drop db restore`). */
export async function restoreVerifiedCheck(backupDir: string, now: Date): Promise<OpsCheckResult> {
  const runbook = '3.3';
  const last = await latestRestoreVerification(backupDir);
  if (!last)
    return { name: 'restore_verified', status: 'fail', runbook, detail: `no verified restore recorded in ${backupDir}; run drop dr drill` };
  const verifiedAt = new Date(last.verifiedAt);
  const what = `last verified restore ${last.verifiedAt} (backup ${last.backupId}, ${last.source})`;
  const thisMonth = verifiedAt.getUTCFullYear() === now.getUTCFullYear() && verifiedAt.getUTCMonth() === now.getUTCMonth();
  if (!thisMonth) return { name: 'restore_verified', status: 'fail', runbook, detail: `${what}: none this month; run drop dr drill` };
  return { name: 'restore_verified', status: 'ok', runbook, detail: what };
}

/** Runbook 3.3: "secret rotation schedule — anything due?" Overdue fails; unknown or due within 14 days warns. */
export async function secretsDueCheck(db: Db, now: Date): Promise<OpsCheckResult> {
  const rows = await secretRotationStatus(db, { now });
  const soon = now.getTime() + 14 * DAY_MS;
  const overdue = rows.filter((row) => row.state === 'overdue');
  const unknown = rows.filter((row) => row.state === 'unknown');
  const dueSoon = rows.filter((row) => row.state === 'ok' && row.dueAt && row.dueAt.getTime() <= soon);
  const parts = [
    ...overdue.map((row) => `${row.secret} overdue since ${row.dueAt?.toISOString().slice(0, 10)}`),
    ...dueSoon.map((row) => `${row.secret} due ${row.dueAt?.toISOString().slice(0, 10)}`),
    ...unknown.map((row) => `${row.secret} never rotated through Drop`),
  ];
  const status = overdue.length > 0 ? 'fail' : dueSoon.length + unknown.length > 0 ? 'warn' : 'ok';
  const detail =
    parts.length > 0
      ? `${parts.join('; ')} (drop secrets status)`
      : `nothing due within 14 days: ${rows.map((row) => `${row.secret} due ${row.dueAt?.toISOString().slice(0, 10)}`).join(', ')}`;
  return { name: 'secrets_due', status, runbook: '3.3, 5', detail };
}

/** Runbook 3.3: "Review STR reports table — any pending filings?" Approved but not filed fails; drafts and those awaiting approval warn. */
export async function pendingStrsCheck(db: Db, now: Date): Promise<OpsCheckResult> {
  const { rows } = await db.query<{ status: string; count: string; oldest: Date }>(
    `SELECT status, count(*) AS count, min(coalesce(approved_at, submitted_at, created_at)) AS oldest FROM str_reports
      WHERE status IN ('draft', 'awaiting_approval', 'approved') GROUP BY status`,
  );
  const by = new Map(rows.map((row) => [row.status, row]));
  const count = (status: string) => Number(by.get(status)?.count ?? 0);
  const [drafts, awaiting, approved] = [count('draft'), count('awaiting_approval'), count('approved')];
  if (drafts + awaiting + approved === 0)
    return { name: 'pending_strs', status: 'ok', runbook: '3.3, 7.2', detail: 'no STR pending: every report is filed or rejected' };
  const approvedOldest = by.get('approved')?.oldest;
  const detail =
    `${drafts} draft, ${awaiting} awaiting approval, ${approved} approved but not filed` +
    (approvedOldest ? ` (approved ${formatAge(now.getTime() - approvedOldest.getTime())} ago: file it with the FIU)` : '');
  return { name: 'pending_strs', status: approved > 0 ? 'fail' : 'warn', runbook: '3.3, 7.2', detail };
}
