import type { QuotePreview } from '@drop/contracts';
import { formatAmount, parseAmount } from '../money/amount.ts';
import { type Corridor, findCorridor } from '../pricing/corridors.ts';
import { priceQuote } from '../pricing/price-quote.ts';
import type { RateBook } from '../rates/rate-book.ts';

export interface PreviewQuoteInput {
  by: 'send' | 'receive';
  /** Decimal string in NOK (by send) or in the receive currency (by receive). */
  amount: string;
  country: string;
  currency: string;
  corridors: readonly Corridor[];
  rates: RateBook;
}

/**
 * A quote request priced: the corridor, the amount parsed in its currency, today's reference rate
 * and priceQuote. The one path both a signed-in quote (createQuote) and a visitor's preview take,
 * so the two show the same figures at the same rates.
 */
export function priceQuoteRequest(input: PreviewQuoteInput) {
  const corridor = findCorridor(input.corridors, input.country.toUpperCase(), input.currency.toUpperCase());
  const amountMinor = parseAmount(input.amount, input.by === 'send' ? 'NOK' : corridor.currency);
  const reference = input.rates.rateFor(corridor.currency);
  return { corridor, reference, priced: priceQuote({ by: input.by, amountMinor, corridor, reference }) };
}

/**
 * Today's price for a visitor who is not signed in: priceQuoteRequest, as `createQuote`, so a signed-in quote for the same amount (at the same
 * rates) shows the same figures. Nothing is stored and nothing is locked: no database at all.
 */
export function previewQuote(input: PreviewQuoteInput): QuotePreview {
  const { corridor, reference, priced } = priceQuoteRequest(input);
  return {
    country: corridor.country,
    quotedBy: input.by,
    send: { amount: formatAmount(priced.sendAmountMinor, 'NOK'), currency: 'NOK' },
    fee: { amount: formatAmount(priced.feeMinor, 'NOK'), currency: 'NOK' },
    converted: { amount: formatAmount(priced.sendAmountMinor - priced.feeMinor, 'NOK'), currency: 'NOK' },
    receive: { amount: formatAmount(priced.receiveAmountMinor, corridor.currency), currency: corridor.currency },
    rate: priced.rate,
    reference: {
      // As the database shows a stored quote's (trim_scale): no trailing zeros.
      nokPerUnit: reference.nokPerUnit.includes('.') ? reference.nokPerUnit.replace(/\.?0+$/, '') : reference.nokPerUnit,
      source: reference.source,
      date: reference.date,
      marginPercent: (corridor.marginBps / 100).toFixed(2),
    },
  };
}
