/** The console's customer work: the KYC queue and decisions, customer search (AML alerts: aml.ts). */
import { z } from 'zod';
import { fourEyesRequest } from './approvals.ts';
import { idSchema } from './ids.ts';
import { kycStatus } from './kyc.ts';

export const userParams = z.object({ userId: idSchema('usr') });

/** Who a customer is, as the console lists them. */
const customerRow = z.object({
  id: z.string(),
  customerNumber: z.string().describe('Eight digits, what the customer quotes (`10000017`, shown `1000 0017`)'),
  email: z.string().nullable(),
  name: z.string().nullable(),
  kycStatus,
  createdAt: z.string(),
});

/** A customer waiting for a KYC decision (`GET /api/staff/kyc-queue`, oldest first). */
export const kycCase = customerRow.extend({
  waitingHours: z.number().int(),
  overdue: z.boolean().describe('Waiting more than 24 hours'),
});
export type KycCase = z.infer<typeof kycCase>;

/** One event in a customer's verification history (`GET /api/staff/kyc/:userId`, oldest first). */
export const kycHistoryEntry = z.object({
  timestamp: z.string(),
  actor: z.string().describe("`sumsub`, the customer's id (they started), or a staff id (a manual decision)"),
  actorName: z.string().nullable().describe('The staff member’s name, for a manual decision'),
  action: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type KycHistoryEntry = z.infer<typeof kycHistoryEntry>;

export const KYC_DECISIONS = ['approve', 'reject'] as const;
export type KycDecision = (typeof KYC_DECISIONS)[number];
export const kycDecisionRequest = z.object({ decision: z.enum(KYC_DECISIONS), note: z.string().min(5).max(2000) });
export const kycDecisionResult = z.object({ from: z.string(), to: z.string() });

export const customerSearchQuery = z.object({ query: z.string().max(200).default('') });

/** A customer found by `GET /api/staff/customers?query=`. */
export const customerSummary = customerRow.extend({
  deletedAt: z.string().nullable(),
  liveSessions: z.number().int(),
  blockReason: z
    .string()
    .nullable()
    .describe('Why they may not move money (customer_block_reason: deleted, aml_frozen, kyc_…), or null when they may'),
  amlFrozenAt: z.string().nullable().describe('Blocked by compliance (screening or an approved block proposal) since'),
  amlFrozenReason: z.string().nullable(),
  pendingBlockRequest: fourEyesRequest.nullable().describe('A block or unblock proposal waiting for a second person'),
});
export type CustomerSummary = z.infer<typeof customerSummary>;

export const sessionsRevoked = z.object({ sessionsEnded: z.number().int() });
