import type { AmlAlertDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { permissionsOf } from '../../staff/roles.ts';
import { getAmlAlert } from './get-aml-alert.ts';
import { lockAlert } from './lock-alert.ts';

/**
 * Assigns an open alert to a compliance staff member (one whose role may review alerts, and whose
 * account is enabled): `staffId`, or the actor themselves. The trigger on aml_alerts sets
 * assigned_at and writes the 'assigned' history entry; the audit log gets `aml_alert_assigned`.
 * Assigning it to whom it is assigned already changes nothing.
 */
export async function assignAmlAlert(db: Db, input: { alertId: string; staffId: string; actor: string }): Promise<AmlAlertDetail> {
  await withTransaction(db, async (tx) => {
    const alert = await lockAlert(tx, input.alertId, true);
    const { rows } = await tx.query<{ role: Parameters<typeof permissionsOf>[0]; disabled_at: Date | null }>(
      'SELECT role, disabled_at FROM staff WHERE id = $1',
      [input.staffId],
    );
    const assignee = rows[0];
    if (!assignee || assignee.disabled_at) throw new DomainError('NOT_FOUND', 'No such staff member.');
    if (!permissionsOf(assignee.role).includes('aml_review')) {
      throw new DomainError('VALIDATION_FAILED', 'Alerts are assigned to compliance staff only.', {
        errors: [{ path: 'staffId', message: 'this staff member may not review alerts' }],
      });
    }
    if (alert.assigned_to === input.staffId) return;
    await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
    await tx.query('UPDATE aml_alerts SET assigned_to = $2 WHERE id = $1', [input.alertId, input.staffId]);
    await recordAuditEvent(tx, {
      action: 'aml_alert_assigned',
      resourceType: 'aml_alert',
      resourceId: input.alertId,
      actor: input.actor,
      details: { assignedTo: input.staffId, previously: alert.assigned_to },
    });
  });
  return getAmlAlert(db, input.alertId);
}
