import type { DbClient } from '@drop/db';
import { formatAmount } from '../money/amount.ts';
import type { Corridor } from '../pricing/corridors.ts';
import { createQuote, type QuoteJson } from '../quotes/create-quote.ts';
import type { RateBook } from '../rates/rate-book.ts';
import { requiredLatePayment } from './late-payment.ts';

/** A fresh quote at today's rate for the amount that arrived, to the same recipient's corridor. */
export async function requoteLatePayment(
  db: DbClient,
  input: { userId: string; transactionId: string; corridors: readonly Corridor[]; rates: RateBook; ttlSeconds: number },
): Promise<QuoteJson> {
  const found = await requiredLatePayment(db, input, false);
  return createQuote(db, {
    // The customer's session was checked by the route (requireCustomer).
    session: null,
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
