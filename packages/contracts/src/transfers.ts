/** Transfers: the statuses, the customer's view of a transfer, its timeline and the late-payment choices. */
import { z } from 'zod';
import { money } from './money.ts';

/**
 * A transfer's life: awaiting funds → funds received → processing → paid out, with cancelled,
 * failed and refunded as the ways out and 'held' as compliance's pause button. The database owns
 * the rules (table transfer_status_transitions and trigger transactions_guard).
 */
export const TRANSFER_STATUSES = [
  'awaiting_funds',
  'funds_received',
  'processing',
  'paid_out',
  'held',
  'cancelled',
  'failed',
  'refunded',
] as const;
export const transferStatus = z.enum(TRANSFER_STATUSES);
export type TransferStatus = z.infer<typeof transferStatus>;

export const transferRecipient = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  currency: z.string(),
  display: z.string(),
});

/** A transfer as the SQL function transfer_json builds it (core's `TransferJson`). */
export const transferJson = z.object({
  id: z.string(),
  reference: z
    .string()
    .describe('The human reference a person reads aloud and types (`DRP-7K3-92QX`); not the bank payment reference (`kid`)'),
  status: transferStatus,
  send: money,
  fee: money,
  converted: money,
  receive: money,
  rate: z.string(),
  quoteId: z.string().nullable(),
  kid: z.string().nullable().describe("The reference the customer's bank payment must carry"),
  payBy: z.string().nullable().describe("Until when the quote's rate holds: pay before this"),
  recipient: transferRecipient.nullable(),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TransferJson = z.infer<typeof transferJson>;

export const payInInstructions = z
  .object({ account: z.string(), kid: z.string(), amount: money, payBy: z.string().nullable() })
  .describe("While the transfer awaits the customer's payment: pay exactly `amount` to `account` with `kid`");
export type PayInInstructions = z.infer<typeof payInInstructions>;

/** The customer's view of a transfer (`POST/GET /api/transfers`). */
export const transfer = transferJson.extend({ payIn: payInInstructions.nullable() });
export type Transfer = z.infer<typeof transfer>;

export const timelineEntry = z.object({
  from: transferStatus.nullable(),
  to: transferStatus,
  at: z.string(),
  by: z.enum(['customer', 'staff', 'system']).describe('Who acted, without naming staff'),
});
export type TimelineEntry = z.infer<typeof timelineEntry>;

/**
 * A bank payment for the transfer that arrived after its quote expired: the customer takes a new
 * quote or asks for the money back.
 */
export const latePayment = z.object({
  entryId: z.string().describe('The bank entry that carried the payment'),
  amount: z.string().describe('NOK, as the bank booked it'),
  bookedOn: z.string().nullable().describe('YYYY-MM-DD'),
});
export type LatePayment = z.infer<typeof latePayment>;

/** `GET /api/transfers/:id`: one transfer with its timeline. */
export const transferDetail = transfer.extend({
  timeline: z.array(timelineEntry),
  latePayment: latePayment
    .nullable()
    .describe('A payment that arrived after the quote expired, waiting for the customer to accept a new quote or ask for it back'),
});
export type TransferDetail = z.infer<typeof transferDetail>;

export const createTransferRequest = z.strictObject({ quoteId: z.string().max(40), recipientId: z.string().max(40) });
export const acceptRequoteRequest = z.strictObject({ quoteId: z.string().max(40) });

/** `POST /api/transfers/:id/late-payment/refund`: where the money goes back to. */
export const latePaymentRefund = z.object({
  entryId: z.string(),
  refundedTo: z.string().describe('The paying account: 11 digits or an IBAN'),
  amount: z.string(),
  currency: z.string(),
});
export type LatePaymentRefund = z.infer<typeof latePaymentRefund>;

export const transferListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });
/** A customer's transfer, quote or recipient id: unknown or foreign ids answer 404, so only the length is checked. */
export const resourceParams = z.object({ id: z.string().max(40) });
export const receiptQuery = z.object({ lang: z.enum(['nb', 'en']).optional() });
