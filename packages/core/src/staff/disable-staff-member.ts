import type { StaffMemberChanged } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { endStaffSessions, lockStaffForChange, staffMemberById } from './staff-members.ts';

/**
 * An admin disables a staff member: they cannot sign in, and their sessions end at once (the
 * session check also refuses a disabled account). Not oneself (STAFF_SELF_CHANGE); never the last
 * active admin (LAST_ADMIN, from the database's staff_keep_an_admin).
 */
export async function disableStaffMember(db: Db, input: { staffId: string; actor: string; reason: string }): Promise<StaffMemberChanged> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const staff = await lockStaffForChange(tx, input);
      if (staff.disabled) throw new DomainError('STAFF_STATE_INVALID', 'This staff member is disabled already.');
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query('UPDATE staff SET disabled_at = now() WHERE id = $1', [staff.id]);
      const sessionsEnded = await endStaffSessions(tx, staff.id);
      await recordAuditEvent(tx, {
        action: 'staff_disabled',
        resourceType: 'staff',
        resourceId: staff.id,
        actor: input.actor,
        details: { reason: input.reason.trim(), sessionsEnded },
      });
      return { member: await staffMemberById(tx, staff.id), sessionsEnded, enrolmentToken: null };
    }),
  );
}
