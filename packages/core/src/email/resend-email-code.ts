import { type Db, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { DomainError } from '../errors.ts';
import type { CustomerLocale } from '../notifications/customer-formatting.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { EMAIL_CODE_RULES, type EmailCodeHasher, newEmailCode } from './email-codes.ts';
import { sendEmailCode } from './send-email-code.ts';

/**
 * A new code for the address waiting for one: the old code stops working, the tries and the 15
 * minutes start again. At most once a minute and five times per address (EMAIL_RESEND_TOO_SOON,
 * with the seconds to wait).
 */
export async function resendEmailCode(db: Db, mailer: Mailer, codes: EmailCodeHasher, input: { userId: string }): Promise<void> {
  const code = newEmailCode();
  const resent = await withTransaction(db, async (tx) => {
    const { rows } = await tx.query<{
      id: string;
      email: string;
      sends: number;
      wait: number;
      locale: CustomerLocale;
      given_name: string | null;
    }>(
      `SELECT v.id, v.email, v.sends, u.locale, u.given_name,
              ceil(extract(epoch FROM v.last_sent_at + make_interval(secs => $2) - now()))::int AS wait
         FROM email_verifications v JOIN users u ON u.id = v.user_id
        WHERE v.user_id = $1 AND v.closed_at IS NULL FOR UPDATE OF v`,
      [input.userId, EMAIL_CODE_RULES.resendAfterSeconds],
    );
    const open = rows[0];
    if (!open) throw new DomainError('EMAIL_NOT_PENDING', 'No email address is waiting for a code.');
    if (open.wait > 0) {
      throw new DomainError('EMAIL_RESEND_TOO_SOON', `Wait ${open.wait} seconds before asking for another code.`, {
        retryAfterSeconds: open.wait,
      });
    }
    if (open.sends >= EMAIL_CODE_RULES.maxSends) {
      throw new DomainError('EMAIL_RESEND_TOO_SOON', 'No more codes for this address. Give the address again later.', {
        retryAfterSeconds: 3600,
      });
    }
    await tx.query(
      `UPDATE email_verifications
          SET code_hash = $2, sends = sends + 1, last_sent_at = now(), attempts = 0,
              expires_at = now() + make_interval(mins => $3)
        WHERE id = $1`,
      [open.id, codes.hash(open.id, code), EMAIL_CODE_RULES.ttlMinutes],
    );
    await recordAuditEvent(tx, {
      action: 'email_code_resent',
      resourceType: 'user',
      resourceId: input.userId,
      actor: input.userId,
      details: { verificationId: open.id, sends: open.sends + 1 },
    });
    return open;
  });
  await sendEmailCode(db, mailer, {
    verificationId: resent.id,
    to: resent.email,
    code,
    locale: resent.locale,
    name: resent.given_name ?? undefined,
  });
}
