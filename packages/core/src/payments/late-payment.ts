import type { LatePayment } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';
import { formatAmount } from '../money/amount.ts';

/**
 * A payment that arrived after its quote's rate lapsed (beyond the tolerance) is not converted
 * at a rate Drop no longer offers, and not at a new one the customer has not seen: the customer
 * chooses. They get a fresh quote for the same amount and either accept it (the old transfer is
 * cancelled, a new one is made from the new quote and funded by the payment, in one transaction)
 * or ask for the money back (refunded to the account that paid). Staff can still decide by hand
 * in the console.
 */
export type { LatePayment } from '@drop/contracts';

export interface LocatedLatePayment {
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

async function locate(
  db: DbClient,
  input: { userId: string; transactionId: string },
  lock: boolean,
): Promise<LocatedLatePayment | undefined> {
  const { rows } = await db.query<LocatedLatePayment>(
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

/** The late payment waiting on this customer's transfer (locked for the caller's transaction when asked); NOT_FOUND when none is. */
export async function requiredLatePayment(
  db: DbClient,
  input: { userId: string; transactionId: string },
  lock: boolean,
): Promise<LocatedLatePayment> {
  const found = await locate(db, input, lock);
  if (found?.status !== 'awaiting_funds') {
    throw new DomainError('NOT_FOUND', 'This transfer has no late payment waiting for your decision.');
  }
  return found;
}
