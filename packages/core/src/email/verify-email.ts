import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import type { CustomerLocale } from '../notifications/customer-formatting.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { EMAIL_CODE_RULES, type EmailCodeHasher } from './email-codes.ts';
import { renderEmailReplaced } from './email-messages.ts';

type Outcome =
  | { kind: 'verified'; previous: string | null; email: string; locale: CustomerLocale }
  | { kind: 'wrong'; attemptsLeft: number }
  | { kind: 'in_use' };

/**
 * The customer enters the code. Right: the address becomes `users.email` (verified now), the
 * request closes, and the old address, if there was one, is told it was replaced. Wrong: one try
 * fewer (EMAIL_CODE_INVALID with `attemptsLeft`, then EMAIL_CODE_LOCKED), committed before the
 * refusal. Expired: EMAIL_CODE_EXPIRED (ask for a new code). An address another customer has
 * verified in the meantime: EMAIL_IN_USE, and the request closes.
 */
export async function verifyEmail(
  db: Db,
  mailer: Mailer | undefined,
  codes: EmailCodeHasher,
  input: { userId: string; code: string },
): Promise<{ email: string; replacedNoticeSent: boolean }> {
  const outcome = await withTransaction(db, async (tx): Promise<Outcome> => {
    const { rows } = await tx.query<{
      id: string;
      email: string;
      code_hash: Buffer;
      attempts: number;
      expired: boolean;
      previous: string | null;
      locale: CustomerLocale;
    }>(
      `SELECT v.id, v.email, v.code_hash, v.attempts, v.expires_at <= now() AS expired, u.email AS previous, u.locale
         FROM email_verifications v JOIN users u ON u.id = v.user_id
        WHERE v.user_id = $1 AND v.closed_at IS NULL FOR UPDATE OF v, u`,
      [input.userId],
    );
    const open = rows[0];
    if (!open) throw new DomainError('EMAIL_NOT_PENDING', 'No email address is waiting for a code.');
    if (open.attempts >= EMAIL_CODE_RULES.maxAttempts) {
      throw new DomainError('EMAIL_CODE_LOCKED', 'Too many wrong codes. Ask for a new code.', { attemptsLeft: 0 });
    }
    if (open.expired) throw new DomainError('EMAIL_CODE_EXPIRED', 'The code has expired. Ask for a new code.');
    if (!codes.matches(open.id, input.code, open.code_hash)) {
      const attempts = open.attempts + 1;
      await tx.query('UPDATE email_verifications SET attempts = $2 WHERE id = $1', [open.id, attempts]);
      await recordAuditEvent(tx, {
        action: 'email_code_rejected',
        resourceType: 'user',
        resourceId: input.userId,
        actor: input.userId,
        details: { verificationId: open.id, attempts },
      });
      return { kind: 'wrong', attemptsLeft: EMAIL_CODE_RULES.maxAttempts - attempts };
    }
    const taken = await tx.query('SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2', [open.email, input.userId]);
    if (taken.rowCount) {
      await tx.query('UPDATE email_verifications SET closed_at = now() WHERE id = $1', [open.id]);
      await recordAuditEvent(tx, {
        action: 'email_verification_refused',
        resourceType: 'user',
        resourceId: input.userId,
        actor: input.userId,
        details: { verificationId: open.id, reason: 'in_use' },
      });
      return { kind: 'in_use' };
    }
    await tx.query('UPDATE users SET email = $2, email_verified_at = now() WHERE id = $1', [input.userId, open.email]);
    await tx.query('UPDATE email_verifications SET verified_at = now(), closed_at = now() WHERE id = $1', [open.id]);
    await recordAuditEvent(tx, {
      action: 'email_verified',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.userId,
      details: { verificationId: open.id, replacedPrevious: open.previous !== null },
    });
    return { kind: 'verified', previous: open.previous, email: open.email, locale: open.locale };
  }).catch((error: unknown) => {
    // Another customer verified the same address between our check and our write (users_email_key).
    if ((error as { code?: string }).code === '23505') return { kind: 'in_use' } as const;
    throw error;
  });

  if (outcome.kind === 'wrong') {
    if (outcome.attemptsLeft <= 0) {
      throw new DomainError('EMAIL_CODE_LOCKED', 'Too many wrong codes. Ask for a new code.', { attemptsLeft: 0 });
    }
    throw new DomainError('EMAIL_CODE_INVALID', 'That code is not right.', { attemptsLeft: outcome.attemptsLeft });
  }
  if (outcome.kind === 'in_use') {
    throw new DomainError('EMAIL_IN_USE', 'Another Drop account uses this email address. Use another address.');
  }
  let replacedNoticeSent = false;
  if (outcome.previous && mailer && outcome.previous.toLowerCase() !== outcome.email.toLowerCase()) {
    // Best effort: the change has committed; a refused notice must not undo it or fail the answer.
    replacedNoticeSent = await mailer
      .send({ to: outcome.previous, ...renderEmailReplaced(outcome.locale, outcome.email), headers: { 'X-Drop-Email-Changed': 'true' } })
      .then(
        () => true,
        () => false,
      );
  }
  return { email: outcome.email, replacedNoticeSent };
}
