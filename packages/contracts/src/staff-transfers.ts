/** Transfers as staff see them in the console: the runbook's lists and one transfer in full. */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { kycStatus } from './kyc.ts';
import { posting } from './ledger.ts';
import { money } from './money.ts';
import { recipient } from './recipients.ts';
import { transferJson, transferStatus } from './transfers.ts';

/** The runbook's transfer lists (operations runbook 6.3) plus compliance's held transfers. */
export const TRANSFER_LIST_VIEWS = ['recent', 'failed', 'large', 'held'] as const;
export type TransferListView = (typeof TRANSFER_LIST_VIEWS)[number];

const transferType = z.enum(['transfer', 'refund']);

export const staffTransferListQuery = z.object({
  view: z.enum(TRANSFER_LIST_VIEWS).default('recent'),
  customerId: idSchema('usr').optional(),
  query: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe(
      "A transfer's reference (DRP-7K3-92QX, any case, with or without dashes), its id or KID, or a customer number: searches every transfer, not the view",
    ),
});

export const staffTransferRow = z.object({
  id: z.string(),
  reference: z.string().describe('The human reference (DRP-7K3-92QX)'),
  type: transferType,
  status: transferStatus,
  customer: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  send: money.describe('NOK the customer pays, fee included'),
  fee: money,
  receive: money.nullable(),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
});
export type StaffTransferRow = z.infer<typeof staffTransferRow>;

/** `GET /api/staff/transfers?view=`. */
export const staffTransferList = z.object({
  view: z.enum(TRANSFER_LIST_VIEWS),
  customerId: z.string().nullable(),
  query: z.string().nullable().describe('The search this list answers, when there was one'),
  limit: z.number().int(),
  truncated: z.boolean().describe('More rows matched than `limit`'),
  transfers: z.array(staffTransferRow),
});
export type StaffTransferList = z.infer<typeof staffTransferList>;

export const staffTimelineEvent = z.object({
  from: transferStatus.nullable(),
  to: transferStatus,
  at: z.string(),
  actor: z.string().describe("The customer's id, a staff id, 'system:<job>' or a database role"),
  actorKind: z.enum(['customer', 'staff', 'system']),
  actorName: z.string().nullable().describe("The staff member's name, when a staff member acted"),
  reason: z.string().nullable(),
});
export type StaffTimelineEvent = z.infer<typeof staffTimelineEvent>;

export const PAYOUT_STATES = ['sending', 'sent', 'paid', 'failed', 'returned'] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];

/** The payout to the recipient through the partner (one per transfer). */
export const staffPayout = z.object({
  partner: z.string(),
  state: z.enum(PAYOUT_STATES),
  partnerReference: z.string().nullable(),
  partnerState: z.string().nullable().describe("The partner's own status, as it last reported it"),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  settledAt: z.string().nullable(),
});
export type StaffPayout = z.infer<typeof staffPayout>;

export const BANK_ENTRY_STATUSES = ['matched', 'exception', 'resolved', 'refunded', 'recorded'] as const;
export type BankEntryStatus = (typeof BANK_ENTRY_STATUSES)[number];

/** A booking on Drop's client account that paid for the transfer (matched by KID, or by hand). */
export const staffBankEntry = z.object({
  reference: z.string().describe("The bank's reference for the booking"),
  amount: money,
  bookingDate: z.string().nullable().describe('YYYY-MM-DD'),
  status: z.enum(BANK_ENTRY_STATUSES),
  debtorName: z.string().nullable(),
  debtorAccount: z.string().nullable().describe('The paying account, masked to its last four characters'),
});
export type StaffBankEntry = z.infer<typeof staffBankEntry>;

/** The customer's money on its way back after a failed or returned payout. */
export const staffCustomerRefund = z.object({
  amount: money,
  toAccount: z.string().nullable().describe('Masked to its last four characters; null when the bank did not say who paid'),
  state: z.enum(['pending', 'sent']),
  reason: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type StaffCustomerRefund = z.infer<typeof staffCustomerRefund>;

export const staffTransferParams = z.object({ id: idSchema('tx') });

/** `GET /api/staff/transfers/:id`: one transfer, where its money is, and who did what. */
export const staffTransferDetail = z.object({
  transfer: transferJson.extend({
    type: transferType,
    receive: z.object({ amount: z.string().nullable(), currency: z.string().nullable() }),
    rate: z.string().nullable(),
    heldFrom: transferStatus.nullable(),
    ledgerShard: z.number().int(),
  }),
  customer: z.object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    kycStatus,
    deletedAt: z.string().nullable(),
  }),
  recipient: recipient
    .omit({ createdAt: true })
    .extend({
      details: z.record(z.string(), z.string()).describe('The payout details (IBAN, account number, mobile number …)'),
      deletedAt: z.string().nullable(),
    })
    .nullable(),
  timeline: z.array(staffTimelineEvent),
  postings: z.array(posting),
  payout: staffPayout.nullable().describe('The payout to the recipient through the partner; null until one is sent'),
  bankEntries: z
    .array(staffBankEntry)
    .describe('The bank payments that funded the transfer (by its KID, or matched by hand), oldest first'),
  customerRefund: staffCustomerRefund
    .nullable()
    .describe("The customer's money going back after a failed or returned payout; null when none is owed"),
});
export type StaffTransferDetail = z.infer<typeof staffTransferDetail>;
