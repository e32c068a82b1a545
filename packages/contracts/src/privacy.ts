/**
 * Privacy: the customer's data export (`GET /api/user/data-export`, GDPR articles 15 and 20).
 *
 * What is here is what the customer may see. Anything about anti-money-laundering work (alerts,
 * cases, suspicious-transaction reports, screening matches, four-eyes requests, hold reasons,
 * staff notes) has no field here and never will: hvitvaskingsloven § 26 forbids telling the
 * customer, and it prevails over GDPR article 15 (personopplysningsloven § 16 lets the law
 * restrict the right of access).
 */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { kycOverview } from './kyc.ts';
import { me } from './me.ts';
import { money } from './money.ts';
import { quote } from './quotes.ts';
import { recipient } from './recipients.ts';
import { timelineEntry, transferJson } from './transfers.ts';

const isoTime = z.string().describe('ISO 8601, UTC');

/** The customer's profile: who BankID says they are, and what they told us. */
export const exportedProfile = me.extend({
  locale: z.enum(['nb', 'en']),
  sourceOfFunds: z.string().nullable().describe('Where the money comes from, as the customer wrote it'),
  sourceOfFundsDeclaredAt: isoTime.nullable(),
});

/** A session, live or ended. The table holds no token (the cookie's JWT is never stored). */
export const exportedSession = z.object({
  id: z.string(),
  createdAt: isoTime,
  lastSeenAt: isoTime,
  expiresAt: isoTime,
  ended: z.boolean().describe('Signed out, ended by the customer or ended by Drop'),
  endedAt: isoTime.nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  acr: z.string().nullable(),
});

export const exportedRecipient = recipient.extend({ removedAt: isoTime.nullable() });

/** A transfer as the customer's API shows it, with its whole timeline. */
export const exportedTransfer = transferJson.extend({ timeline: z.array(timelineEntry) });

/** A bank payment the customer made to Drop for one of their transfers (a pay-in in NOK). */
export const exportedPayment = z.object({
  id: z.string(),
  transferId: z.string(),
  amount: money,
  bookedOn: z.string().nullable().describe('YYYY-MM-DD'),
  fromAccount: z.string().nullable().describe('The account the money came from'),
  kid: z.string().nullable().describe('The reference the payment carried'),
  status: z.enum(['matched', 'exception', 'resolved', 'refunded', 'recorded']),
});

/** Money Drop owes or has paid back to the customer for a transfer. */
export const exportedRefund = z.object({
  transferId: z.string(),
  amount: money,
  toAccount: z.string().nullable(),
  state: z.enum(['pending', 'sent']),
  createdAt: isoTime,
  sentAt: isoTime.nullable(),
});

/** `GET /api/user/data-export`. */
export const dataExport = z.object({
  requestId: idSchema('dar').describe('The data_access_requests row that records this export'),
  exportedAt: isoTime,
  profile: exportedProfile,
  kyc: kycOverview,
  sessions: z.array(exportedSession),
  recipients: z.array(exportedRecipient),
  quotes: z.array(quote),
  transfers: z.array(exportedTransfer),
  payments: z.array(exportedPayment),
  refunds: z.array(exportedRefund),
});
export type DataExport = z.infer<typeof dataExport>;
