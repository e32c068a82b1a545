import type { LatePayment } from '@drop/contracts';
import { type Db, type DbClient, newId, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import type { KycTier, TierLimits } from '../kyc/tiers.ts';
import { formatAmount } from '../money/amount.ts';
import type { Corridor } from '../pricing/corridors.ts';
import { createQuote, type QuoteJson } from '../quotes/create-quote.ts';
import type { RateBook } from '../rates/rate-source.ts';
import { type BeforeTransferCommit, createTransferIn } from '../transfers/create-transfer.ts';
import type { TransferJson } from '../transfers/transfer-views.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';
import type { KidSource } from './kid-allocator.ts';
import { matchBankEntryIn, refundBankEntryIn } from './resolve-bank-exception.ts';

/**
 * A payment that arrived after its quote's rate lapsed (beyond the tolerance) is not converted
 * at a rate Drop no longer offers, and not at a new one the customer has not seen: the customer
 * chooses. They get a fresh quote for the same amount and either accept it (the old transfer is
 * cancelled, a new one is made from the new quote and funded by the payment, in one transaction)
 * or ask for the money back (refunded to the account that paid). Staff can still decide by hand
 * in the console.
 */
export type { LatePayment } from '@drop/contracts';

interface Located {
  entry_id: string;
  amount_minor: string;
  booking_date: string | null;
  status: string;
  send_amount_minor: string;
  recipient_id: string;
  country: string;
  receive_currency: string;
  kid: string;
}

async function locate(db: DbClient, input: { userId: string; transactionId: string }, lock: boolean): Promise<Located | undefined> {
  const { rows } = await db.query<Located>(
    `SELECT e.id AS entry_id, e.amount_minor, to_char(e.booking_date, 'YYYY-MM-DD') AS booking_date, t.status, t.send_amount_minor,
            t.recipient_id, r.country, t.receive_currency, t.kid
       FROM transactions t JOIN recipients r ON r.id = t.recipient_id
       JOIN bank_entries e ON e.kid = t.kid AND e.status = 'exception' AND e.exception_reason = 'late_payment'
      WHERE t.id = $1 AND t.user_id = $2 AND t.type = 'transfer'
      ORDER BY e.created_at LIMIT 1 ${lock ? 'FOR UPDATE OF t, e' : ''}`,
    [input.transactionId, input.userId],
  );
  return rows[0];
}

/** The late payment waiting for this customer's decision on this transfer, if any. */
export async function latePaymentFor(db: DbClient, input: { userId: string; transactionId: string }): Promise<LatePayment | null> {
  const found = await locate(db, input, false);
  if (found?.status !== 'awaiting_funds') return null;
  return { entryId: found.entry_id, amount: formatAmount(BigInt(found.amount_minor), 'NOK'), bookedOn: found.booking_date };
}

async function required(db: DbClient, input: { userId: string; transactionId: string }, lock: boolean): Promise<Located> {
  const found = await locate(db, input, lock);
  if (found?.status !== 'awaiting_funds') {
    throw new DomainError('NOT_FOUND', 'This transfer has no late payment waiting for your decision.');
  }
  return found;
}

/** A fresh quote at today's rate for the amount that arrived, to the same recipient's corridor. */
export async function requoteLatePayment(
  db: DbClient,
  input: { userId: string; transactionId: string; corridors: readonly Corridor[]; rates: RateBook; ttlSeconds: number },
): Promise<QuoteJson> {
  const found = await required(db, input, false);
  return createQuote(db, {
    userId: input.userId,
    by: 'send',
    amount: formatAmount(BigInt(found.send_amount_minor), 'NOK'),
    country: found.country,
    currency: found.receive_currency,
    corridors: input.corridors,
    rates: input.rates,
    ttlSeconds: input.ttlSeconds,
  });
}

export interface AcceptRequoteInput {
  userId: string;
  transactionId: string;
  quoteId: string;
  kids: KidSource;
  limits: Record<KycTier, TierLimits>;
  eddThresholdOre: bigint;
  ledgerShards: number;
  /** The checks that run before any transfer commits (AML screening). */
  beforeCommit?: readonly BeforeTransferCommit[];
}

/**
 * The customer accepts the new quote: in one transaction the old transfer is cancelled, a new one
 * is created from the quote (all of create_transfer's checks apply: the quote is theirs, unexpired,
 * unused, for the same amount; limits), and the late payment funds it. Returns the new transfer.
 */
export async function acceptRequote(db: Db, input: AcceptRequoteInput): Promise<TransferJson> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const found = await required(tx, input, true);
      const quote = await tx.query<{ send_amount_minor: string }>('SELECT send_amount_minor FROM quotes WHERE id = $1 AND user_id = $2', [
        input.quoteId,
        input.userId,
      ]);
      if (!quote.rows[0]) throw new DomainError('QUOTE_NOT_FOUND', 'No such quote.');
      if (quote.rows[0].send_amount_minor !== found.amount_minor) {
        throw new DomainError('PAYMENT_AMOUNT_MISMATCH', 'The new quote must be for the amount that arrived.');
      }
      const newTransactionId = newId('tx');
      await transitionTransferIn(tx, {
        transactionId: input.transactionId,
        to: 'cancelled',
        actor: input.userId,
        reason: `replaced by ${newTransactionId}: the payment came after the quote expired`,
        ownerId: input.userId,
        onlyFrom: ['awaiting_funds'],
      });
      // Every check and hook of a new transfer applies (limits, AML screening before commit).
      const result = await createTransferIn(tx, {
        userId: input.userId,
        idempotencyKey: `late-payment:${input.transactionId}`,
        request: { quoteId: input.quoteId, recipientId: found.recipient_id },
        limits: input.limits,
        eddThresholdOre: input.eddThresholdOre,
        ledgerShards: input.ledgerShards,
        kids: input.kids,
        transactionId: newTransactionId,
        ...(input.beforeCommit ? { beforeCommit: input.beforeCommit } : {}),
      });
      const created = result.body.data;
      if (!created) throw new Error('create_transfer returned no transfer');
      await matchBankEntryIn(tx, {
        entryId: found.entry_id,
        transactionId: created.id,
        staffId: input.userId,
        note: `the customer accepted a new quote (${input.quoteId}) for a payment that came after ${input.transactionId}'s quote expired`,
      });
      await recordAuditEvent(tx, {
        action: 'late_payment_requoted',
        resourceType: 'transaction',
        resourceId: created.id,
        actor: input.userId,
        details: { replaces: input.transactionId, quoteId: input.quoteId, entryId: found.entry_id },
      });
      const { rows: fresh } = await tx.query<{ transfer: TransferJson }>('SELECT transfer_json($1) AS transfer', [created.id]);
      return fresh[0]?.transfer ?? created;
    }),
  );
}

/** The customer declines a new rate: the transfer is cancelled and the payment goes back to the account it came from. */
export async function refundLatePayment(db: Db, input: { userId: string; transactionId: string }) {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const found = await required(tx, input, true);
      await transitionTransferIn(tx, {
        transactionId: input.transactionId,
        to: 'cancelled',
        actor: input.userId,
        reason: 'the payment came after the quote expired; the customer asked for it back',
        ownerId: input.userId,
        onlyFrom: ['awaiting_funds'],
      });
      return refundBankEntryIn(tx, {
        entryId: found.entry_id,
        staffId: input.userId,
        note: 'the customer declined a new quote for a late payment',
      });
    }),
  );
}
