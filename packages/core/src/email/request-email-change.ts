import { type Db, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import type { CustomerLocale } from '../notifications/customer-formatting.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { EMAIL_CODE_RULES, type EmailCodeHasher, newEmailCode } from './email-codes.ts';
import { sendEmailCode } from './send-email-code.ts';

/**
 * The customer gives an address (their first, or a new one): a request waiting for its code is
 * opened (replacing any that waited) and the code is mailed there. The verified address, if any,
 * keeps getting mail until the new one is proven. Whether another customer uses the address is
 * only checked once the code is entered, so this answer tells nobody whose address it is.
 */
export async function requestEmailChange(
  db: Db,
  mailer: Mailer,
  codes: EmailCodeHasher,
  input: { userId: string; email: string; locale?: CustomerLocale | undefined },
): Promise<void> {
  const email = input.email.trim();
  const code = newEmailCode();
  const opened = await withTransaction(db, async (tx) => {
    const user = await tx.query<{ email: string | null; locale: CustomerLocale; given_name: string | null; recent: number }>(
      `SELECT u.email, u.locale, u.given_name,
              (SELECT count(*)::int FROM email_verifications v WHERE v.user_id = u.id AND v.created_at > now() - interval '1 hour') AS recent
         FROM users u WHERE u.id = $1 FOR NO KEY UPDATE`,
      [input.userId],
    );
    const row = user.rows[0];
    if (!row) throw new DomainError('NOT_FOUND', 'No such customer.');
    if (row.email && row.email.toLowerCase() === email.toLowerCase()) {
      throw new DomainError('CONFLICT', 'That is already your verified email address.');
    }
    if (row.recent >= EMAIL_CODE_RULES.maxRequestsPerHour) {
      throw new DomainError('EMAIL_RESEND_TOO_SOON', 'Too many new addresses in the last hour. Try again later.', {
        retryAfterSeconds: 3600,
      });
    }
    const locale = input.locale ?? row.locale;
    if (input.locale && input.locale !== row.locale) await tx.query('UPDATE users SET locale = $2 WHERE id = $1', [input.userId, locale]);
    const replaced = await tx.query<{ id: string }>(
      'UPDATE email_verifications SET closed_at = now() WHERE user_id = $1 AND closed_at IS NULL RETURNING id',
      [input.userId],
    );
    const id = newId('emv');
    await tx.query(
      `INSERT INTO email_verifications (id, user_id, email, code_hash, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(mins => $5))`,
      [id, input.userId, email, codes.hash(id, code), EMAIL_CODE_RULES.ttlMinutes],
    );
    await recordAuditEvent(tx, {
      action: 'email_verification_requested',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.userId,
      details: { verificationId: id, change: row.email !== null, replaced: replaced.rows.map((r) => r.id) },
    });
    return { id, locale, name: row.given_name ?? undefined };
  });
  await sendEmailCode(db, mailer, { verificationId: opened.id, to: email, code, locale: opened.locale, name: opened.name });
}
