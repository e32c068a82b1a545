import type { AmlAlertDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { getAmlAlert } from './get-aml-alert.ts';
import { lockAlert } from './lock-alert.ts';

/** Adds a comment to an alert's history (open or closed: a closed alert can still be annotated), audited. */
export async function commentAmlAlert(db: Db, input: { alertId: string; text: string; actor: string }): Promise<AmlAlertDetail> {
  const text = input.text.trim();
  if (text.length === 0) throw new DomainError('VALIDATION_FAILED', 'Write a comment.');
  await withTransaction(db, async (tx) => {
    await lockAlert(tx, input.alertId, false);
    await tx.query(`INSERT INTO aml_alert_events (alert_id, kind, actor, text) VALUES ($1, 'commented', $2, $3)`, [
      input.alertId,
      input.actor,
      text,
    ]);
    await recordAuditEvent(tx, {
      action: 'aml_alert_commented',
      resourceType: 'aml_alert',
      resourceId: input.alertId,
      actor: input.actor,
      details: { length: text.length },
    });
  });
  return getAmlAlert(db, input.alertId);
}
