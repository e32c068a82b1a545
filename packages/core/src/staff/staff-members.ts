import type { StaffMember } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The SELECT every reader of a staff account shares (alias s), with its state worked out once. */
const STAFF_MEMBER_SELECT = `
  SELECT s.id, s.email, s.full_name AS name, s.role,
         CASE WHEN s.disabled_at IS NOT NULL THEN 'disabled'
              WHEN s.enrolled_at IS NULL THEN 'invited'
              WHEN s.locked_until > now() THEN 'locked'
              ELSE 'active' END AS state,
         ${ISO('s.enrolled_at')} AS "enrolledAt", ${ISO('s.disabled_at')} AS "disabledAt",
         (SELECT ${ISO('max(ss.created_at)')} FROM staff_sessions ss WHERE ss.staff_id = s.id) AS "lastSignInAt",
         (SELECT count(*)::int FROM staff_sessions ss WHERE ss.staff_id = s.id AND ss.revoked = 0 AND ss.expires_at > now()) AS "liveSessions",
         ${ISO('s.created_at')} AS "createdAt"
    FROM staff s`;

/** Every staff account for the admins' page: admins first, then by name. */
export async function listStaffMembers(db: DbClient): Promise<StaffMember[]> {
  const { rows } = await db.query<StaffMember>(
    `${STAFF_MEMBER_SELECT}
      ORDER BY s.disabled_at IS NOT NULL, array_position(ARRAY['admin', 'compliance_lead', 'compliance_officer', 'support'], s.role),
               lower(s.full_name), s.id`,
  );
  return rows;
}

export async function staffMemberById(db: DbClient, staffId: string): Promise<StaffMember> {
  const { rows } = await db.query<StaffMember>(`${STAFF_MEMBER_SELECT} WHERE s.id = $1`, [staffId]);
  const member = rows[0];
  if (!member) throw new DomainError('NOT_FOUND', 'No such staff member.');
  return member;
}

/**
 * The start of every change an admin makes to a staff account: the account locked for the change
 * (NOT_FOUND when there is none), and never the admin's own (STAFF_SELF_CHANGE: another admin
 * disables, demotes or resets an admin, so nobody locks themselves out or keeps power alone).
 */
export async function lockStaffForChange(
  tx: DbClient,
  input: { staffId: string; actor: string },
): Promise<{ id: string; role: StaffMember['role']; disabled: boolean; enrolled: boolean }> {
  if (input.staffId === input.actor) {
    throw new DomainError('STAFF_SELF_CHANGE', 'Another admin must make this change to your own account.');
  }
  const { rows } = await tx.query<{ id: string; role: StaffMember['role']; disabled: boolean; enrolled: boolean }>(
    `SELECT id, role, disabled_at IS NOT NULL AS disabled, enrolled_at IS NOT NULL AS enrolled FROM staff WHERE id = $1 FOR UPDATE`,
    [input.staffId],
  );
  const row = rows[0];
  if (!row) throw new DomainError('NOT_FOUND', 'No such staff member.');
  return row;
}

/** Ends every live session of a staff member at once (disabled, or their authenticator reset). */
export async function endStaffSessions(tx: DbClient, staffId: string): Promise<number> {
  const result = await tx.query(`UPDATE staff_sessions SET revoked = 1, revoked_at = now() WHERE staff_id = $1 AND revoked = 0`, [staffId]);
  return result.rowCount ?? 0;
}
