import type { Db } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import { ADULT_AGE, ageOn } from '../identity/age.ts';
import type { KycProvider } from './kyc-provider.ts';

/**
 * Starts (or resumes) identity verification: makes sure the customer has an applicant at the
 * provider and returns a short-lived access token for the provider's WebSDK. A customer rejected
 * for good cannot start again.
 */
export async function startVerification(
  db: Db,
  input: { userId: string; provider: KycProvider; levelName: string },
): Promise<{ accessToken: string; applicantId: string }> {
  const user = await db.query<{ kyc_status: string; given_name: string | null; family_name: string | null; birth_date: string | null }>(
    `SELECT kyc_status, given_name, family_name, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM users WHERE id = $1`,
    [input.userId],
  );
  const status = user.rows[0]?.kyc_status;
  if (status === 'rejected') throw new DomainError('KYC_REJECTED', 'Identity verification was declined. Contact support.');
  if (status === 'approved') throw new DomainError('CONFLICT', 'Your identity is already verified.');
  // Sign-in refuses minors; this stops one who signed up before that rule with a session still open.
  const birthDate = user.rows[0]?.birth_date;
  if (birthDate && ageOn(birthDate, new Date()) < ADULT_AGE) {
    throw new DomainError('UNDER_AGE', `Drop is for customers aged ${ADULT_AGE} or over.`);
  }
  const fixedInfo: Record<string, string> = { country: 'NOR' };
  if (user.rows[0]?.given_name) fixedInfo.firstName = user.rows[0].given_name;
  if (user.rows[0]?.family_name) fixedInfo.lastName = user.rows[0].family_name;
  if (user.rows[0]?.birth_date) fixedInfo.dob = user.rows[0].birth_date;

  const applicant = await input.provider.ensureApplicant({ externalUserId: input.userId, levelName: input.levelName, fixedInfo });
  const inserted = await db.query(
    `INSERT INTO kyc_applicants (user_id, applicant_id, level_name, review_status) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO NOTHING`,
    [input.userId, applicant.applicantId, input.levelName, applicant.reviewStatus],
  );
  if (inserted.rowCount) {
    await recordAuditEvent(db, {
      action: 'kyc_started',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.userId,
      details: { applicantId: applicant.applicantId, levelName: input.levelName },
    });
  }
  const accessToken = await input.provider.createAccessToken({ externalUserId: input.userId, levelName: input.levelName, ttlInSecs: 1800 });
  return { accessToken, applicantId: applicant.applicantId };
}
