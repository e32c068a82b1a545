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

/**
 * A posting on the customer's own account in Drop's ledger (customer_funds): money Drop held for
 * them. `direction` is from that account's side: credit = Drop owes the customer more.
 */
export const exportedLedgerPosting = z.object({
  id: z.string(),
  transferId: z.string().nullable(),
  code: z.string().describe('What the posting is for: payin_received, payout, refund…'),
  kind: z.enum(['posted', 'pending', 'post_pending', 'void_pending']),
  direction: z.enum(['debit', 'credit']),
  amount: money,
  createdAt: isoTime,
});

/** An email Drop sent the customer (the body is the transfer's, re-rendered on request). */
export const exportedEmail = z.object({
  kind: z.string(),
  transferId: z.string().nullable(),
  to: z.string(),
  subject: z.string(),
  sentAt: isoTime,
});

/**
 * An audit-log event about the customer or their transfers. Only actions on an allow-list the
 * customer did or may know of (signing in and out, starting verification, transfers created, data
 * exported); never details, staff actions or AML work (hvitvaskingsloven § 26).
 */
export const exportedAuditEvent = z.object({
  at: isoTime,
  action: z.string(),
  resourceType: z.enum(['user', 'transaction']),
  resourceId: z.string().nullable(),
});

/** One step of the customer's verification (KYC) status. */
export const exportedKycStatusChange = z.object({
  at: isoTime,
  event: z.enum(['started', 'status_changed']),
  from: z.string().nullable(),
  to: z.string().nullable(),
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
  ledgerPostings: z.array(exportedLedgerPosting),
  emails: z.array(exportedEmail),
  auditEvents: z.array(exportedAuditEvent),
  kycHistory: z.array(exportedKycStatusChange),
});
export type DataExport = z.infer<typeof dataExport>;

export const dataRequestTypes = ['export', 'erasure', 'rectification', 'restriction', 'objection'] as const;
export const dataRequestStatuses = ['received', 'in_progress', 'restricted', 'completed', 'rejected'] as const;

/**
 * A privacy request as the customer sees it (`GET /api/user/data-requests`): no staff notes.
 * Also the answer of `POST /api/user/erasure-request` (`erasureRequestAnswer`).
 */
export const customerDataRequest = z.object({
  id: idSchema('dar'),
  type: z.enum(dataRequestTypes),
  status: z.enum(dataRequestStatuses),
  createdAt: isoTime,
  dueAt: isoTime,
  completedAt: isoTime.nullable(),
});
export type CustomerDataRequest = z.infer<typeof customerDataRequest>;
export const customerDataRequests = z.array(customerDataRequest);

/** `POST /api/user/erasure-request` answers with the recorded request, as the list shows it. */
export const erasureRequestAnswer = customerDataRequest;

/** How a request staff record reached Drop (one made in the app has none). */
export const dataRequestChannels = ['letter', 'email', 'phone'] as const;

/** A privacy request in the console (`GET /api/staff/data-requests`), overdue ones first. */
export const staffDataRequest = customerDataRequest.extend({
  customer: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  notes: z.string().nullable(),
  channel: z.enum(dataRequestChannels).nullable(),
  receivedOn: z.string().nullable().describe('YYYY-MM-DD, when a letter, e-mail or call came; null for the app'),
  overdue: z.boolean(),
  daysOverdue: z.number().int().describe('Whole days past due_at; 0 when not overdue'),
});
export type StaffDataRequest = z.infer<typeof staffDataRequest>;
export const staffDataRequests = z.array(staffDataRequest);

/** The statuses staff may record (received is where a request starts). */
export const dataRequestAnswerStatuses = ['in_progress', 'completed', 'rejected'] as const;
export const dataRequestParams = z.object({ id: idSchema('dar') });
export const dataRequestStatusChange = z.object({
  status: z.enum(dataRequestAnswerStatuses),
  note: z.string().trim().min(1).max(2000),
});

/**
 * `POST /api/staff/data-requests`: a request that came by letter, e-mail or phone. Due one month
 * after `receivedOn` (GDPR art. 12(3) counts from receipt); not in the future, not older than a
 * year (a typo, not a request). An erasure restricts the customer at once, as the app's does.
 */
export const staffDataRequestRecord = z.object({
  userId: idSchema('usr'),
  type: z.enum(dataRequestTypes),
  receivedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  channel: z.enum(dataRequestChannels),
  note: z.string().trim().min(1).max(2000),
});
export type StaffDataRequestRecord = z.infer<typeof staffDataRequestRecord>;
