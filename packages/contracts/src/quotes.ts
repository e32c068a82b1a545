/** Where Drop sends (`GET /api/corridors`) and quotes: a locked price for one country and currency. */
import { z } from 'zod';
import { amountInput, money } from './money.ts';

const bilingual = z.object({ en: z.string(), nb: z.string() });

export const recipientField = z.object({
  name: z.string(),
  required: z.boolean(),
  example: z.string(),
  label: bilingual,
  hint: bilingual.optional(),
});
export type RecipientField = z.infer<typeof recipientField>;

/** One destination country and currency, its fee, bounds and recipient fields. */
export const corridor = z.object({
  country: z.string(),
  currency: z.string(),
  rail: z.string(),
  fee: z.object({ fixedNok: z.string(), percent: z.string(), minimumNok: z.string(), maximumNok: z.string().nullable() }),
  minSendNok: z.string(),
  maxSendNok: z.string(),
  rateDecimals: z.number(),
  recipientFields: z.array(recipientField),
});
export type Corridor = z.infer<typeof corridor>;

/** `POST /api/quotes`: exactly one of sendAmount (NOK, fee included) and receiveAmount. */
export const quoteRequest = z
  .strictObject({
    country: z.string().regex(/^[A-Za-z]{2}$/),
    currency: z.string().regex(/^[A-Za-z]{3}$/),
    sendAmount: amountInput.optional(),
    receiveAmount: amountInput.optional(),
  })
  .refine((b) => (b.sendAmount === undefined) !== (b.receiveAmount === undefined), {
    message: 'Give exactly one of sendAmount and receiveAmount',
    path: ['sendAmount'],
  });
export type QuoteRequest = { country: string; currency: string } & ({ sendAmount: string } | { receiveAmount: string });

/** A price locked until `expiresAt`. */
export const quote = z.object({
  id: z.string(),
  country: z.string(),
  quotedBy: z.enum(['send', 'receive']),
  send: money.describe('What the customer pays in NOK, fee included'),
  fee: money,
  converted: money.describe('NOK converted: send − fee'),
  receive: money.describe('What the recipient gets'),
  rate: z.string().describe('Receive-currency units per 1 NOK after the margin; receive = floor(converted × rate)'),
  reference: z.object({ nokPerUnit: z.string(), source: z.string(), date: z.string(), marginPercent: z.string() }),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Quote = z.infer<typeof quote>;

/**
 * `GET /api/quotes/preview` (public): today's price for a visitor, from the same pricing as a
 * quote, but neither stored nor locked (no id, no expiry).
 */
export const quotePreview = quote.omit({ id: true, createdAt: true, expiresAt: true });
export type QuotePreview = z.infer<typeof quotePreview>;
