import type { DbClient } from '@drop/db';
import { attachAlertIn } from './add-alert-to-case.ts';
import { openCaseIn } from './open-aml-case.ts';

/**
 * An alert closed as 'escalated' goes to a case, in the closing transaction: the case it was added
 * to already when that one is still open, else its customer's open case, else a new case opened for
 * it. Returns the case's id.
 */
export async function escalateAlertIn(tx: DbClient, input: { alertId: string; actor: string }): Promise<string> {
  const { rows } = await tx.query<{ user_id: string; rule: string; case_id: string | null; case_status: string | null }>(
    `SELECT a.user_id, a.rule, a.case_id, c.status AS case_status
       FROM aml_alerts a LEFT JOIN aml_cases c ON c.id = a.case_id WHERE a.id = $1`,
    [input.alertId],
  );
  const alert = rows[0];
  if (!alert) throw new Error(`escalateAlertIn: no alert ${input.alertId}`);
  if (alert.case_id && alert.case_status !== 'closed') return alert.case_id;
  const { caseId } = await openCaseIn(tx, {
    userId: alert.user_id,
    // The plain title psql readers see; the console shows a localized one from escalatedRule.
    title: `Escalated alert: ${alert.rule}`,
    actor: input.actor,
    why: 'escalated',
    escalatedRule: alert.rule,
  });
  if (alert.case_id) {
    // Its earlier case is closed: the new suspicion is investigated in the customer's current case.
    await tx.query('UPDATE aml_alerts SET case_id = NULL WHERE id = $1', [input.alertId]);
  }
  await attachAlertIn(tx, { caseId, alertId: input.alertId, actor: input.actor, joinedBy: 'escalated' });
  return caseId;
}
