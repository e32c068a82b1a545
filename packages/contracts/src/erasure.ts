/**
 * Erasure (GDPR art. 17) and retention (hvitvaskingsloven § 30). A customer's erasure request
 * restricts them at once; the personal data goes when the retention period in `retention_rules`
 * ends (the retention job). What the customer sees says only that: nothing about holds, alerts,
 * cases or reports (hvitvaskingsloven § 26).
 */
import { z } from 'zod';
import { customerDataRequest } from './privacy.ts';

const isoTime = z.string().describe('ISO 8601, UTC');

/**
 * An erasure request as the customer and support see it: the customer's privacy request
 * (`customerDataRequest`, which the app's `erasureRequestAnswer` parses), and when the data goes.
 */
export const erasureRequest = customerDataRequest.extend({
  type: z.literal('erasure'),
  /** false when an open request already existed: asking twice changes nothing. */
  created: z.boolean(),
  /** When the personal data will be removed: the end of the relationship plus the retention period. */
  personalDataRemovedAfter: isoTime.nullable(),
});
export type ErasureRequest = z.infer<typeof erasureRequest>;

/** Staff record an erasure request the customer made by letter, email or phone. */
export const staffErasureRequestBody = z.object({ reason: z.string().trim().min(1).max(2000) });

/** What staff learn besides the request: what happened to the customer's transfers in flight. */
export const staffErasureRequest = erasureRequest.extend({
  transfers: z.object({
    cancelled: z.array(z.string()).describe('Awaiting payment: cancelled, the pay-in reservation released'),
    refundsOwed: z.array(z.string()).describe('Paid in, not paid out: refunded to the paying account (customer_refunds)'),
    leftHeld: z.array(z.string()).describe('Held while its payout was written: staff release or recall it'),
    finishing: z.array(z.string()).describe('Payout already with the partner: it completes'),
  }),
});
export type StaffErasureRequest = z.infer<typeof staffErasureRequest>;

export const RETENTION_ACTIONS = ['delete', 'anonymise'] as const;

/** One retention rule and what it would do now. */
export const retentionRuleStatus = z.object({
  code: z.string(),
  appliesTo: z.string(),
  keepFor: z.string().describe('A PostgreSQL interval, e.g. "5 years"'),
  countedFrom: z.string(),
  action: z.enum(RETENTION_ACTIONS),
  legalBasis: z.string(),
  enforcedBy: z.enum(['job', 'log_platform', 'identity_provider']),
  enabled: z.boolean(),
  /** Subjects due now (customers, or sessions for ended_sessions); null when not the job's. */
  due: z.number().int().nullable(),
  /** Due but held back: an AML case still open or an STR not yet filed or rejected. */
  heldForInvestigation: z.number().int().nullable(),
});
export type RetentionRuleStatus = z.infer<typeof retentionRuleStatus>;

export const retentionRun = z.object({
  now: isoTime,
  dryRun: z.boolean(),
  rules: z.array(retentionRuleStatus.extend({ applied: z.number().int() })),
  erasedCustomers: z.array(z.string()),
});
export type RetentionRun = z.infer<typeof retentionRun>;

/** When the retention job last ran (`GET /api/staff/privacy/retention/last-run`); null before its first run. */
export const lastRetentionRun = z
  .object({
    at: isoTime,
    applied: z.record(z.string(), z.number().int()).describe('Subjects removed per rule code in that run'),
  })
  .nullable();
export type LastRetentionRun = z.infer<typeof lastRetentionRun>;
