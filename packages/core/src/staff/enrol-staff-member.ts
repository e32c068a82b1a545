import type { Db } from '@drop/db';
import { withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { deriveKey, open } from '../crypto/data-key.ts';
import { DomainError } from '../errors.ts';
import { hashToken, TOTP_KEY_PURPOSE } from './create-staff-member.ts';
import { hashPassword, passwordProblem } from './password.ts';
import type { StaffRole } from './roles.ts';
import { acceptedStep, totpFor } from './totp.ts';

export interface EnrolmentView {
  email: string;
  name: string;
  role: StaffRole;
  totpSecret: string;
  otpauthUri: string;
}

/** What the enrolment page shows: who is enrolling, and the TOTP secret for their authenticator app. */
export async function getEnrolment(db: Db, input: { token: string; dataEncryptionKey: string }): Promise<EnrolmentView> {
  const { rows } = await db.query<{ email: string; full_name: string; role: StaffRole; totp_secret_ciphertext: Buffer }>(
    `SELECT s.email, s.full_name, s.role, s.totp_secret_ciphertext
       FROM staff_enrolments e JOIN staff s ON s.id = e.staff_id
      WHERE e.token_hash = $1 AND e.used_at IS NULL AND e.expires_at > now() AND s.disabled_at IS NULL AND s.enrolled_at IS NULL`,
    [hashToken(input.token)],
  );
  const row = rows[0];
  if (!row) throw new DomainError('ENROLMENT_INVALID', 'This enrolment link is not valid (used, expired or unknown).');
  const totpSecret = open(deriveKey(input.dataEncryptionKey, TOTP_KEY_PURPOSE), row.totp_secret_ciphertext).toString();
  return { email: row.email, name: row.full_name, role: row.role, totpSecret, otpauthUri: totpFor(totpSecret, row.email).toString() };
}

/**
 * Completes enrolment: a first TOTP code proves the authenticator app holds the secret; the
 * password is stored as an argon2id hash; the link is used up.
 */
export async function completeEnrolment(
  db: Db,
  input: { token: string; password: string; totp: string; dataEncryptionKey: string },
): Promise<void> {
  const problemWithPassword = passwordProblem(input.password);
  if (problemWithPassword) throw new DomainError('WEAK_PASSWORD', `The password must have ${problemWithPassword}.`);
  const enrolment = await getEnrolment(db, input);
  const step = acceptedStep(enrolment.totpSecret, input.totp);
  if (step === undefined) throw new DomainError('INVALID_CREDENTIALS', 'The code from the authenticator app is not right.');
  const passwordHash = await hashPassword(input.password);
  await withTransaction(db, async (tx) => {
    const used = await tx.query<{ staff_id: string }>(
      `UPDATE staff_enrolments SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING staff_id`,
      [hashToken(input.token)],
    );
    const staffId = used.rows[0]?.staff_id;
    if (!staffId) throw new DomainError('ENROLMENT_INVALID', 'This enrolment link is not valid (used, expired or unknown).');
    await tx.query(`UPDATE staff SET password_hash = $2, totp_last_step = $3, enrolled_at = now() WHERE id = $1`, [
      staffId,
      passwordHash,
      step,
    ]);
    await recordAuditEvent(tx, { action: 'staff_enrolled', resourceType: 'staff', resourceId: staffId, actor: staffId });
  });
}
