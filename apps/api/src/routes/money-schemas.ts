/** The JSON shapes of money in the API: amounts are decimal strings in major units. */
import { TRANSFER_STATUSES } from '@drop/core';
import { z } from 'zod';

export const money = z.object({
  amount: z.string().describe('Decimal string in major units with the currency’s decimals, e.g. "1000.50"'),
  currency: z.string().length(3),
});

export const amountInput = z
  .string()
  .max(32)
  .describe('Decimal string in major units, e.g. "1000" or "1000.50"; never a JSON number (no floats touch money)');

export const quoteSchema = z.object({
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

export const transferSchema = z.object({
  id: z.string(),
  status: z.enum(TRANSFER_STATUSES),
  send: money,
  fee: money,
  converted: money,
  receive: money,
  rate: z.string(),
  quoteId: z.string().nullable(),
  kid: z.string().nullable(),
  payBy: z.string().nullable(),
  recipient: z.object({ id: z.string(), name: z.string(), country: z.string(), currency: z.string(), display: z.string() }).nullable(),
  failureReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  // Present while the transfer awaits the customer's payment: where and how to pay.
  payIn: z.object({ account: z.string(), kid: z.string(), amount: money, payBy: z.string().nullable() }).nullable(),
});

export const timelineSchema = z.array(
  z.object({
    from: z.enum(TRANSFER_STATUSES).nullable(),
    to: z.enum(TRANSFER_STATUSES),
    at: z.string(),
    by: z.enum(['customer', 'staff', 'system']),
  }),
);

export const recipientSchema = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string(),
  currency: z.string(),
  rail: z.string(),
  relationship: z.string(),
  details: z.record(z.string(), z.string()),
  display: z.string(),
  createdAt: z.string(),
});
