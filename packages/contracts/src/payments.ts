/** Money in, for staff: bank files, what each import did, and the exceptions queue. */
import { z } from 'zod';
import { idSchema } from './ids.ts';
import { money } from './money.ts';

export const PAYMENT_EXCEPTION_REASONS = [
  'unknown_kid',
  'no_reference',
  'underpayment',
  'overpayment',
  'duplicate_payment',
  'transfer_not_awaiting_funds',
  'late_payment',
  'wrong_currency',
  'reversal',
] as const;
/** Why an incoming payment could not fund a transfer by itself. */
export const paymentExceptionReason = z.enum(PAYMENT_EXCEPTION_REASONS);
export type PaymentExceptionReason = z.infer<typeof paymentExceptionReason>;

export const BANK_FILE_KINDS = ['camt.053', 'camt.054'] as const;
export type BankFileKind = (typeof BANK_FILE_KINDS)[number];

/** What one import of a bank file did (`POST /api/staff/bank-files`, and each file of `GET`). */
export const bankImportSummary = z.object({
  fileId: z.string(),
  alreadyImported: z.boolean().describe('These exact bytes were imported before: nothing changed this time'),
  kind: z.enum(BANK_FILE_KINDS),
  messageId: z.string(),
  entries: z.number().int(),
  alreadySeen: z.number().int().describe('Booked entries an earlier file already brought'),
  notBooked: z.number().int().describe('Pending or information-only entries: no money moved'),
  funded: z.array(
    z.object({
      entryId: z.string(),
      transactionId: z.string(),
      amount: z.string(),
      kid: z.string(),
      held: z
        .boolean()
        .describe('The money is recorded, but the transfer is held (held before, or its customer is blocked): no payout starts'),
    }),
  ),
  refunds: z
    .array(z.object({ entryId: z.string(), transactionId: z.string(), amount: z.string() }))
    .describe('Customer refunds the statement shows paid'),
  exceptions: z.array(
    z.object({
      entryId: z.string(),
      reason: paymentExceptionReason,
      amount: z.string(),
      currency: z.string(),
      kid: z.string().nullable(),
    }),
  ),
  debits: z.number().int().describe('Money out of the account (payouts, refunds), recorded for reconciliation'),
  // Only for files of the EUR account: what each entry naming a SEPA payout did to it.
  payouts: z
    .array(
      z.object({
        entryId: z.string(),
        transactionId: z.string(),
        endToEndId: z.string(),
        outcome: z.enum(['paid', 'returned', 'failed', 'ignored', 'amount_mismatch']),
      }),
    )
    .optional(),
});
export type BankImportSummary = z.infer<typeof bankImportSummary>;

export const bankFilesQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** A row of `GET /api/staff/bank-files`, newest first. */
export const bankFileRecord = z.object({
  id: z.string(),
  kind: z.string(),
  messageId: z.string(),
  fileName: z.string().nullable(),
  importedBy: z.string().describe('`stf_…` for an upload in the console, `cli:<user>` for `drop payments import`'),
  importedByName: z.string().nullable().describe('The staff member’s name for an upload in the console'),
  importedAt: z.string(),
  summary: bankImportSummary,
});
export type BankFileRecord = z.infer<typeof bankFileRecord>;

export const paymentExceptionsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

/** A payment waiting to be matched by hand or refunded (`GET /api/staff/payment-exceptions`, oldest first). */
export const paymentException = z.object({
  id: z.string(),
  reason: paymentExceptionReason,
  amount: z.string().describe('A decimal string in major units'),
  currency: z.string(),
  kid: z.string().nullable(),
  message: z.string().nullable().describe("The payer's free-text message, if any"),
  debtorName: z.string().nullable(),
  debtorAccount: z.string().nullable(),
  bookingDate: z.string().nullable().describe('YYYY-MM-DD'),
  reference: z.string().describe("The bank's reference for the booking"),
  fileId: z.string(),
  transactionId: z.string().nullable().describe('The transfer the KID names, when it names one'),
  createdAt: z.string(),
});
export type PaymentException = z.infer<typeof paymentException>;

/** `GET /api/staff/payment-exceptions/totals`: the money waiting in the whole queue, one sum per currency, NOK first. */
export const paymentExceptionTotals = z.array(money);

export const bankEntryParams = z.object({ id: idSchema('be') });

const note = z.string().trim().min(5).max(2000);

export const matchPaymentRequest = z.strictObject({
  transactionId: idSchema('tx'),
  note,
  refundExcessTo: z.string().max(40).optional(),
});
export const paymentMatched = z.object({ entryId: z.string(), transactionId: z.string(), refunded: z.string().nullable() });
export type PaymentMatched = z.infer<typeof paymentMatched>;

export const refundPaymentRequest = z.strictObject({ note, refundTo: z.string().max(40).optional() });
export const paymentRefunded = z.object({ entryId: z.string(), refundedTo: z.string(), amount: z.string(), currency: z.string() });
export type PaymentRefunded = z.infer<typeof paymentRefunded>;

export const refundPaidParams = z.object({ id: idSchema('tx') });
export const refundPaidRequest = z.strictObject({ note });
export const refundPaidResult = z.object({ outcome: z.enum(['sent', 'already_sent']) });
