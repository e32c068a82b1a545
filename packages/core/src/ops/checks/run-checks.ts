/**
 * `drop checks daily|weekly|monthly`: runs one of the operational runbook's checklists (3.1, 3.2,
 * 3.3) and gives every item ok, warn or fail with a line saying what was measured. The report's
 * status is the worst of them: fail is an unmet checklist item (the command exits 1), warn asks a
 * person to look (exits 0).
 */
import type { HealthReport, OpsCheckPeriod, OpsCheckResult, OpsCheckStatus, OpsChecksReport } from '@drop/contracts';
import type { Db } from '@drop/db';
import type { OpsAlert } from '@drop/observability';
import { checkHealth } from '../../health/check-health.ts';
import {
  criticalAlertsCheck,
  healthCheck,
  lastBackupCheck,
  openAlertsCheck,
  pendingKycCheck,
  pendingStrsCheck,
  restoreVerifiedCheck,
  type StorageSettings,
  secretsDueCheck,
  slaReportCheck,
  storageCheck,
} from './checks.ts';

export interface ChecksContext {
  db: Db;
  now: Date;
  /** The health report to judge (a running server's /api/health, or this process's own probe) and where it came from. */
  health: () => Promise<{ report: HealthReport; source: string }>;
  latencyAlertMs: number;
  storage: StorageSettings;
  /** The backup repository (BACKUP_DIR). */
  backupDir: string;
}

/** What the checks need from the configuration (built by workerServices and the CLI). */
export interface OpsChecksSettings {
  version: string;
  healthTimeoutMs: number;
  latencyAlertMs: number;
  storage: StorageSettings;
  backupDir: string;
}

/** The checks' context over `db`, the health probed from this process (the CLI's --url replaces `health`). */
export function checksContext(db: Db, settings: OpsChecksSettings, now = new Date()): ChecksContext {
  return {
    db,
    now,
    latencyAlertMs: settings.latencyAlertMs,
    storage: settings.storage,
    backupDir: settings.backupDir,
    health: async () => {
      const probe = () => checkHealth(db, { version: settings.version, startedAt: Date.now(), timeoutMs: settings.healthTimeoutMs });
      // The first round trip of a new process also opens the connection; the latency the runbook
      // means (§9, a running server's) is that of an open one, so a reachable database is probed twice.
      const first = await probe();
      return { report: first.status === 'ok' ? await probe() : first, source: 'from this host' };
    },
  };
}

interface Check {
  name: OpsCheckResult['name'];
  run(context: ChecksContext): Promise<OpsCheckResult>;
}

/** Each period's checklist, in the runbook's order. The periods do not include each other: run daily every day. */
export const CHECKLISTS: Readonly<Record<OpsCheckPeriod, readonly Check[]>> = {
  daily: [
    {
      name: 'health',
      run: async ({ health, latencyAlertMs }) => {
        const { report, source } = await health();
        return healthCheck(report, latencyAlertMs, source);
      },
    },
    { name: 'last_backup', run: ({ backupDir, now }) => lastBackupCheck(backupDir, now) },
    { name: 'critical_alerts', run: ({ db, now }) => criticalAlertsCheck(db, now) },
  ],
  weekly: [
    { name: 'storage', run: ({ db, storage }) => storageCheck(db, storage) },
    { name: 'open_alerts', run: ({ db, now }) => openAlertsCheck(db, now) },
    { name: 'pending_kyc', run: ({ db, now }) => pendingKycCheck(db, now) },
  ],
  monthly: [
    { name: 'sla_report', run: async ({ now }) => slaReportCheck(now) },
    { name: 'restore_verified', run: ({ backupDir, now }) => restoreVerifiedCheck(backupDir, now) },
    { name: 'secrets_due', run: ({ db, now }) => secretsDueCheck(db, now) },
    { name: 'pending_strs', run: ({ db, now }) => pendingStrsCheck(db, now) },
  ],
};

const RANK: Record<OpsCheckStatus, number> = { ok: 0, warn: 1, fail: 2 };

/** Runs every check of `period`; a check that throws is a fail naming the error, and the others still run. */
export async function runChecks(period: OpsCheckPeriod, context: ChecksContext): Promise<OpsChecksReport> {
  const checks: OpsCheckResult[] = [];
  for (const check of CHECKLISTS[period]) {
    try {
      checks.push(await check.run(context));
    } catch (error) {
      checks.push({ name: check.name, status: 'fail', runbook: '3', detail: `the check itself failed: ${(error as Error).message}` });
    }
  }
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const check of checks) counts[check.status]++;
  const status = checks.reduce<OpsCheckStatus>((worst, check) => (RANK[check.status] > RANK[worst] ? check.status : worst), 'ok');
  return { period, checkedAt: context.now.toISOString(), status, counts, checks };
}

const MARK: Record<OpsCheckStatus, string> = { ok: ':white_check_mark:', warn: ':warning:', fail: ':x:' };
const SEVERITY: Record<OpsCheckStatus, OpsAlert['severity']> = { ok: 'info', warn: 'warning', fail: 'critical' };

/** The Slack summary of a report: one line per check, its severity the worst status. */
export function checksSummaryAlert(report: OpsChecksReport): OpsAlert {
  const period = report.period[0]?.toUpperCase() + report.period.slice(1);
  const { ok, warn, fail } = report.counts;
  return {
    kind: 'ops_checks',
    severity: SEVERITY[report.status],
    title: `${period} checks: ${fail} fail, ${warn} warn, ${ok} ok`,
    detail: report.checks.map((check) => `${MARK[check.status]} *${check.name}* ${check.detail}`).join('\n'),
  };
}

/** The report as text, one line per check. */
export function formatChecksReport(report: OpsChecksReport): string {
  const lines = report.checks.map((check) => `${check.status.toUpperCase().padEnd(4)} ${check.name.padEnd(16)} ${check.detail}`);
  const { ok, warn, fail } = report.counts;
  lines.push(`${report.period} checks at ${report.checkedAt}: ${fail} fail, ${warn} warn, ${ok} ok`);
  return lines.join('\n');
}
