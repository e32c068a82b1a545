import { createHash, randomBytes } from 'node:crypto';
import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { deriveKey, seal } from '../crypto/data-key.ts';
import { DomainError } from '../errors.ts';
import type { StaffRole } from './roles.ts';
import { newTotpSecret } from './totp.ts';

export const TOTP_KEY_PURPOSE = 'staff totp secrets v1';
export const ENROLMENT_LIFETIME = '72 hours';

export const hashToken = (token: string) => createHash('sha256').update(token).digest();

/**
 * Creates a staff member who cannot sign in yet, and a one-time enrolment token (72 hours) with
 * which they set their password and their authenticator app. Only the token's hash is stored.
 */
export async function createStaffMember(
  db: Db,
  input: { email: string; name: string; role: StaffRole; actor: string; dataEncryptionKey: string },
): Promise<{ staffId: string; enrolmentToken: string }> {
  const staffId = newId('stf');
  const enrolmentToken = randomBytes(32).toString('base64url');
  const totpSecret = seal(deriveKey(input.dataEncryptionKey, TOTP_KEY_PURPOSE), Buffer.from(newTotpSecret()));
  return withTransaction(db, async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO staff (id, email, full_name, role, totp_secret_ciphertext) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT ((lower(email))) DO NOTHING`,
      [staffId, input.email.trim(), input.name.trim(), input.role, totpSecret],
    );
    if (inserted.rowCount === 0) throw new DomainError('CONFLICT', 'A staff member with this email already exists.');
    await tx.query(`INSERT INTO staff_enrolments (token_hash, staff_id, expires_at) VALUES ($1, $2, now() + $3::interval)`, [
      hashToken(enrolmentToken),
      staffId,
      ENROLMENT_LIFETIME,
    ]);
    await recordAuditEvent(tx, {
      action: 'staff_created',
      resourceType: 'staff',
      resourceId: staffId,
      actor: input.actor,
      details: { role: input.role },
    });
    return { staffId, enrolmentToken };
  });
}
