import type { AmlCaseDetail } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../../audit/record-audit-event.ts';
import { DomainError } from '../../errors.ts';
import { permissionsOf } from '../../staff/roles.ts';
import { getAmlCase } from './get-aml-case.ts';
import { lockCase } from './lock-case.ts';
import { recordCaseEvent } from './record-case-event.ts';

/**
 * Assigns a case that is not closed to a staff member who works cases (permission `str_reports`,
 * account enabled): `staffId`, or the actor. Assigning it to whom it is assigned changes nothing.
 */
export async function assignAmlCase(db: Db, input: { caseId: string; staffId: string; actor: string }): Promise<AmlCaseDetail> {
  await withTransaction(db, async (tx) => {
    const found = await lockCase(tx, input.caseId);
    const { rows } = await tx.query<{ role: Parameters<typeof permissionsOf>[0]; disabled_at: Date | null }>(
      'SELECT role, disabled_at FROM staff WHERE id = $1',
      [input.staffId],
    );
    const assignee = rows[0];
    if (!assignee || assignee.disabled_at) throw new DomainError('NOT_FOUND', 'No such staff member.');
    if (!permissionsOf(assignee.role).includes('str_reports')) {
      throw new DomainError('VALIDATION_FAILED', 'Cases are assigned to compliance staff only.', {
        errors: [{ path: 'staffId', message: 'this staff member may not work cases' }],
      });
    }
    if (found.assigned_to === input.staffId) return;
    await tx.query('UPDATE aml_cases SET assigned_to = $2 WHERE id = $1', [input.caseId, input.staffId]);
    await recordCaseEvent(tx, {
      caseId: input.caseId,
      kind: 'assigned',
      actor: input.actor,
      details: { assignedTo: input.staffId, previously: found.assigned_to },
    });
    await recordAuditEvent(tx, {
      action: 'aml_case_assigned',
      resourceType: 'aml_case',
      resourceId: input.caseId,
      actor: input.actor,
      details: { assignedTo: input.staffId, previously: found.assigned_to },
    });
  });
  return getAmlCase(db, input.caseId);
}
