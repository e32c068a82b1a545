/**
 * The customer's email address and which emails they get (issue 16). BankID gives no address, so
 * the customer types one and proves it with a six-digit code; until then no transfer email is
 * sent, and a change keeps the old address until the new one is proven.
 */
import { z } from 'zod';

/** The optional emails; a failed payout, its refund and verification codes are always sent. */
export const notificationPreferences = z.object({
  fundsReceived: z.boolean().describe('Email when the payment for a transfer has arrived'),
  paidOut: z.boolean().describe('Email when the recipient has been paid'),
});
export type NotificationPreferences = z.infer<typeof notificationPreferences>;

export const emailSettings = z.object({
  email: z.string().nullable().describe('The verified address transfer emails go to; null until one is verified'),
  verifiedAt: z.string().nullable(),
  pending: z
    .object({
      email: z.string(),
      expiresAt: z.string().describe('When the code sent there stops working'),
      resendAt: z.string().describe('When another code may be asked for'),
      attemptsLeft: z.number().int(),
    })
    .nullable()
    .describe('An address waiting for its code'),
  notifications: notificationPreferences,
});
export type EmailSettings = z.infer<typeof emailSettings>;

export const EMAIL_LOCALES = ['nb', 'en'] as const;

/**
 * One address a mail server takes (RFC 5321): a dot-atom before the @ (letters, digits and
 * !#$%&'*+/=?^_`{|}~- , dots only between them) and a domain of two or more labels (letters,
 * including IDN letters such as æøå, digits, and hyphens inside). Anything looser passed here and
 * came back as 502 EMAIL_SEND_FAILED when the mailer (a list, a display name) or the mail server
 * (`RCPT TO`: bad address syntax) refused it; the API fuzzer found both.
 */
const LOCAL_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const DOMAIN_LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
export const EMAIL_ADDRESS_PATTERN = new RegExp(`^${LOCAL_ATOM}(?:\\.${LOCAL_ATOM})*@(?:${DOMAIN_LABEL}\\.)+${DOMAIN_LABEL}$`, 'u');

export const emailChangeRequest = z.object({
  email: z.string().trim().max(254).regex(EMAIL_ADDRESS_PATTERN, 'must be an email address such as navn@example.no'),
  locale: z.enum(EMAIL_LOCALES).optional().describe('The language of the emails Drop sends the customer (also future ones)'),
});

export const emailVerifyRequest = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the six digits from the email'),
});
