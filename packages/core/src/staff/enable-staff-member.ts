import type { StaffMemberChanged } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import { lockStaffForChange, staffMemberById } from './staff-members.ts';

/** An admin enables a disabled staff member again (with a clean slate of failed sign-ins). */
export async function enableStaffMember(db: Db, input: { staffId: string; actor: string; reason: string }): Promise<StaffMemberChanged> {
  return withTransaction(db, async (tx) => {
    const staff = await lockStaffForChange(tx, input);
    if (!staff.disabled) throw new DomainError('STAFF_STATE_INVALID', 'This staff member is not disabled.');
    await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
    await tx.query('UPDATE staff SET disabled_at = NULL, failed_attempts = 0, locked_until = NULL WHERE id = $1', [staff.id]);
    await recordAuditEvent(tx, {
      action: 'staff_enabled',
      resourceType: 'staff',
      resourceId: staff.id,
      actor: input.actor,
      details: { reason: input.reason.trim() },
    });
    return { member: await staffMemberById(tx, staff.id), sessionsEnded: 0, enrolmentToken: null };
  });
}
