/** `drop checks daily|weekly|monthly --json`: the operational runbook's checklists (3.1–3.3) as named checks. */
import { z } from 'zod';

export const opsCheckPeriod = z.enum(['daily', 'weekly', 'monthly']);
export type OpsCheckPeriod = z.infer<typeof opsCheckPeriod>;

/** ok: as the runbook wants it; warn: someone should look (exit 0); fail: the checklist item is not met (exit 1). */
export const opsCheckStatus = z.enum(['ok', 'warn', 'fail']);
export type OpsCheckStatus = z.infer<typeof opsCheckStatus>;

export const opsCheckName = z.enum([
  // 3.1 daily
  'health',
  'last_backup',
  'critical_alerts',
  // 3.2 weekly
  'storage',
  'open_alerts',
  'pending_kyc',
  // 3.3 monthly
  'sla_report',
  'restore_verified',
  'secrets_due',
  'pending_strs',
]);
export type OpsCheckName = z.infer<typeof opsCheckName>;

export const opsCheckResult = z.object({
  name: opsCheckName,
  status: opsCheckStatus,
  /** One line for a person: what was measured and what it found. */
  detail: z.string(),
  /** The runbook section the check serves. */
  runbook: z.string(),
});
export type OpsCheckResult = z.infer<typeof opsCheckResult>;

export const opsChecksReport = z.object({
  period: opsCheckPeriod,
  checkedAt: z.string(),
  status: opsCheckStatus,
  counts: z.object({ ok: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
  checks: z.array(opsCheckResult),
});
export type OpsChecksReport = z.infer<typeof opsChecksReport>;
