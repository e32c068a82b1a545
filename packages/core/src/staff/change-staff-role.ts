import type { StaffMemberChanged, StaffRole } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { lockStaffForChange, staffMemberById } from './staff-members.ts';

/**
 * An admin gives a staff member another role. It applies from their next request (the session
 * check reads the role each time). Not one's own role (STAFF_SELF_CHANGE); never demoting the last
 * active admin (LAST_ADMIN).
 */
export async function changeStaffRole(
  db: Db,
  input: { staffId: string; actor: string; role: StaffRole; reason: string },
): Promise<StaffMemberChanged> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const staff = await lockStaffForChange(tx, input);
      if (staff.role === input.role) throw new DomainError('STAFF_STATE_INVALID', 'This staff member has that role already.');
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query('UPDATE staff SET role = $2 WHERE id = $1', [staff.id, input.role]);
      await recordAuditEvent(tx, {
        action: 'staff_role_changed',
        resourceType: 'staff',
        resourceId: staff.id,
        actor: input.actor,
        details: { from: staff.role, to: input.role, reason: input.reason.trim() },
      });
      return { member: await staffMemberById(tx, staff.id), sessionsEnded: 0, enrolmentToken: null };
    }),
  );
}
