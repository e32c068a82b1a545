import type { AmlCaseDetail } from '@drop/contracts';
import { type Db, type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { getAmlCase } from './get-aml-case.ts';
import { lockCase } from './lock-case.ts';
import { recordCaseEvent } from './record-case-event.ts';

/** How an alert came into a case: escalated when closed, or added by hand (also another customer's). */
export type AlertJoinedBy = 'escalated' | 'added';

/**
 * Puts the alert in the (locked, not closed) case, in the caller's transaction: sets
 * `aml_alerts.case_id`, writes the case's 'alert_added' event and the audit event. An alert
 * already in this case changes nothing (false is returned); one in another case is refused
 * (CONFLICT naming that case): an alert belongs to one investigation.
 */
export async function attachAlertIn(
  tx: DbClient,
  input: { caseId: string; alertId: string; actor: string; joinedBy: AlertJoinedBy },
): Promise<boolean> {
  const { rows } = await tx.query<{ user_id: string; case_id: string | null; rule: string }>(
    'SELECT user_id, case_id, rule FROM aml_alerts WHERE id = $1 FOR UPDATE',
    [input.alertId],
  );
  const alert = rows[0];
  if (!alert) throw new DomainError('NOT_FOUND', 'No such alert.', { alertId: input.alertId });
  if (alert.case_id === input.caseId) return false;
  if (alert.case_id) {
    throw new DomainError('CONFLICT', 'This alert belongs to another case.', { alertId: input.alertId, caseId: alert.case_id });
  }
  await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
  await tx.query('UPDATE aml_alerts SET case_id = $2 WHERE id = $1', [input.alertId, input.caseId]);
  await recordCaseEvent(tx, {
    caseId: input.caseId,
    kind: 'alert_added',
    actor: input.actor,
    details: { alertId: input.alertId, rule: alert.rule, userId: alert.user_id, joinedBy: input.joinedBy },
  });
  await recordAuditEvent(tx, {
    action: 'aml_case_alert_added',
    resourceType: 'aml_case',
    resourceId: input.caseId,
    actor: input.actor,
    details: { alertId: input.alertId, userId: alert.user_id, joinedBy: input.joinedBy },
  });
  return true;
}

/** Adds an alert (open or closed, this customer's or another's, for a network) to an open case. */
export async function addAlertToCase(db: Db, input: { caseId: string; alertId: string; actor: string }): Promise<AmlCaseDetail> {
  await withTransaction(db, async (tx) => {
    await lockCase(tx, input.caseId);
    await attachAlertIn(tx, { ...input, joinedBy: 'added' });
  });
  return getAmlCase(db, input.caseId);
}
