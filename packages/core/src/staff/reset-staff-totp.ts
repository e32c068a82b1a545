import { randomBytes } from 'node:crypto';
import type { StaffMemberChanged } from '@drop/contracts';
import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { deriveKey, seal } from '../crypto/data-key.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { ENROLMENT_LIFETIME, hashToken, TOTP_KEY_PURPOSE } from './create-staff-member.ts';
import { endStaffSessions, lockStaffForChange, staffMemberById } from './staff-members.ts';
import { newTotpSecret } from './totp.ts';

/**
 * An admin resets a staff member's authenticator (a lost phone): a new TOTP secret, the account
 * back to "invited" so it cannot sign in, its sessions ended and earlier enrolment links void, and
 * a new one-time enrolment link (72 hours) for the admin to hand over; with it the member sets a
 * password and their new authenticator, as at their first enrolment. Only the token's hash is stored.
 */
export async function resetStaffTotp(
  db: Db,
  input: { staffId: string; actor: string; reason: string; dataEncryptionKey: string },
): Promise<StaffMemberChanged> {
  const enrolmentToken = randomBytes(32).toString('base64url');
  const totpSecret = seal(deriveKey(input.dataEncryptionKey, TOTP_KEY_PURPOSE), Buffer.from(newTotpSecret()));
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const staff = await lockStaffForChange(tx, input);
      if (staff.disabled) throw new DomainError('STAFF_STATE_INVALID', 'Enable this staff member before resetting their authenticator.');
      await tx.query(`SELECT set_config('drop.actor', $1, true)`, [input.actor]);
      await tx.query(
        `UPDATE staff SET totp_secret_ciphertext = $2, totp_last_step = NULL, enrolled_at = NULL, failed_attempts = 0, locked_until = NULL
          WHERE id = $1`,
        [staff.id, totpSecret],
      );
      await tx.query('UPDATE staff_enrolments SET expires_at = now() WHERE staff_id = $1 AND used_at IS NULL AND expires_at > now()', [
        staff.id,
      ]);
      await tx.query(`INSERT INTO staff_enrolments (token_hash, staff_id, expires_at) VALUES ($1, $2, now() + $3::interval)`, [
        hashToken(enrolmentToken),
        staff.id,
        ENROLMENT_LIFETIME,
      ]);
      const sessionsEnded = await endStaffSessions(tx, staff.id);
      await recordAuditEvent(tx, {
        action: 'staff_totp_reset',
        resourceType: 'staff',
        resourceId: staff.id,
        actor: input.actor,
        details: { reason: input.reason.trim(), sessionsEnded },
      });
      return { member: await staffMemberById(tx, staff.id), sessionsEnded, enrolmentToken };
    }),
  );
}
