/** The JSON shapes of money in the API: amounts are decimal strings in major units, never JSON numbers. */
import { z } from 'zod';

export const money = z.object({
  amount: z.string().describe('Decimal string in major units with the currency’s decimals, e.g. "1000.50"'),
  currency: z.string().length(3),
});
export type Money = z.infer<typeof money>;

export const amountInput = z
  .string()
  .max(32)
  .describe('Decimal string in major units, e.g. "1000" or "1000.50"; never a JSON number (no floats touch money)');

/** Whole kroner as a decimal string (limits). */
export const nokWhole = z.string().regex(/^\d+$/).describe('NOK, whole kroner');
