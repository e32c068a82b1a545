import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';
import { type Permission, permissionsOf, type StaffRole } from './roles.ts';

/**
 * The CLI's `--as EMAIL`: the enrolled, active staff member an on-call operator acts as, who must
 * have `permission` as the console would require. Four eyes counts people, so a CLI proposal or
 * approval is that staff member's, and the database's rule (approver ≠ proposer) applies unchanged.
 */
export async function staffActingAs(db: DbClient, email: string, permission: Permission): Promise<{ id: string; role: StaffRole }> {
  const { rows } = await db.query<{ id: string; role: StaffRole }>(
    'SELECT id, role FROM staff WHERE lower(email) = lower($1) AND enrolled_at IS NOT NULL AND disabled_at IS NULL',
    [email],
  );
  const staff = rows[0];
  if (!staff) throw new DomainError('NOT_FOUND', `No active staff member ${email}.`);
  if (!permissionsOf(staff.role).includes(permission)) {
    throw new DomainError('FORBIDDEN', `${email} (${staff.role}) does not have the permission ${permission}.`);
  }
  return staff;
}
