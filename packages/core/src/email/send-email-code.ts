import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';
import type { CustomerLocale } from '../notifications/customer-formatting.ts';
import type { Mailer } from '../notifications/mailer.ts';
import { renderEmailCode } from './email-messages.ts';

/**
 * Mails a code after the transaction that stored its hash committed (SMTP cannot commit with the
 * database, and the code must not sit in a job's payload). A refused mail closes the request, so
 * the customer simply asks again; the refusal is EMAIL_SEND_FAILED.
 */
export async function sendEmailCode(
  db: DbClient,
  mailer: Mailer,
  input: { verificationId: string; to: string; code: string; locale: CustomerLocale; name: string | undefined },
): Promise<void> {
  const mail = renderEmailCode(input.locale, input.code, input.name);
  try {
    await mailer.send({ to: input.to, ...mail, headers: { 'X-Drop-Email-Verification': input.verificationId } });
  } catch (error) {
    await db.query('UPDATE email_verifications SET closed_at = now() WHERE id = $1 AND closed_at IS NULL', [input.verificationId]);
    throw new DomainError('EMAIL_SEND_FAILED', `The code could not be sent to that address: ${(error as Error).message.slice(0, 200)}`);
  }
}
