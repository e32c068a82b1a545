/** The ledger as staff see it: accounts, postings, the invariant check and balances. */
import { z } from 'zod';
import { money } from './money.ts';

export const LEDGER_PURPOSES = ['bank', 'customer_funds', 'fee_revenue', 'fx_position', 'partner_clearing', 'suspense'] as const;
export const ledgerPurpose = z.enum(LEDGER_PURPOSES);
export type LedgerPurpose = z.infer<typeof ledgerPurpose>;

export const ledgerAccount = z.object({
  id: z.string(),
  purpose: ledgerPurpose,
  currency: z.string(),
  shard: z.number().int(),
  userId: z.string().nullable().describe('The customer, for customer_funds'),
});
export type LedgerAccount = z.infer<typeof ledgerAccount>;

export const POSTING_KINDS = ['pending', 'posted', 'post_pending', 'void_pending'] as const;
export type PostingKind = (typeof POSTING_KINDS)[number];

export const posting = z.object({
  id: z.string(),
  code: z.string(),
  kind: z.enum(POSTING_KINDS),
  pendingId: z.string().nullable(),
  debit: ledgerAccount,
  credit: ledgerAccount,
  amount: money,
  createdAt: z.string(),
});
export type Posting = z.infer<typeof posting>;

export const ledgerBalance = z.object({
  purpose: ledgerPurpose,
  currency: z.string(),
  accounts: z.number().int(),
  debitsPending: z.string(),
  debitsPosted: z.string(),
  creditsPending: z.string(),
  creditsPosted: z.string(),
  postedNet: z.string().describe('Posted credits − posted debits, major units'),
});
export type LedgerBalance = z.infer<typeof ledgerBalance>;

/** `GET /api/staff/ledger`: the invariants checked now (as `drop ledger verify`) and balances per purpose and currency. */
export const ledgerSummary = z.object({
  report: z.object({
    ok: z.boolean(),
    accounts: z.number().int(),
    postings: z.number().int(),
    transfers: z.number().int(),
    violations: z.array(z.object({ invariant: z.string(), detail: z.record(z.string(), z.unknown()) })),
  }),
  balances: z.array(ledgerBalance),
});
export type LedgerSummary = z.infer<typeof ledgerSummary>;
