/**
 * Transaction monitoring rules (issue 12): the rule codes, each rule's parameters (checked here
 * before they reach aml_rules.params, which aml_assess_transfer reads on every transfer), the
 * change request staff and the CLI send, and the screening matches create_transfer takes.
 */
import { z } from 'zod';

export const AML_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AmlSeverity = (typeof AML_SEVERITIES)[number];
export const AML_ACTIONS = ['alert', 'hold'] as const;
export type AmlAction = (typeof AML_ACTIONS)[number];

const nok = z.number().int().positive().max(100_000_000);
const count = (max = 1000) => z.number().int().min(1).max(max);
const percent = z.number().positive().max(100);
const days = z.number().int().min(1).max(366);
const hours = z
  .number()
  .int()
  .min(1)
  .max(24 * 366);
const score = z.number().min(0).max(1);
const HIGH_RISK_LISTS = ['fatf_black', 'fatf_grey', 'eu_high_risk'] as const;

/** The parameters of each rule. The aggregates keep the last 20 transfers, hence the caps. */
export const AML_RULE_PARAMS = {
  large_transfer: z.strictObject({ minNok: nok }),
  structuring: z.strictObject({ thresholdNok: nok, bandPercent: percent, minCount: count(), days }),
  // The per-day aggregates are kept 13 months.
  linked_transfers: z.strictObject({ thresholdNok: nok, months: z.number().int().min(1).max(12) }),
  velocity_daily: z.strictObject({
    maxCount: count(19),
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 31),
  }),
  velocity_burst: z.strictObject({
    minutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
  fan_in: z.strictObject({ minSenders: count(), hours }),
  fan_out: z.strictObject({ minRecipients: count(), hours }),
  new_customer_large: z.strictObject({ maxAgeDays: days, maxPriorTransfers: z.number().int().min(0).max(1000), minNok: nok }),
  amount_spike: z.strictObject({
    days,
    averageMultiple: z.number().positive().max(1000),
    maxMultiple: z.number().positive().max(1000),
    minPriorTransfers: count(),
    minNok: nok,
  }),
  similar_amounts: z.strictObject({ lastTransfers: count(20), minSimilar: count(20), tolerancePercent: percent, minNok: nok, hours }),
  dormant_reactivated: z.strictObject({ dormantDays: days }),
  high_risk_country: z.strictObject({ lists: z.array(z.enum(HIGH_RISK_LISTS)).min(1), days }),
  high_risk_country_call_for_action: z.strictObject({ lists: z.array(z.enum(HIGH_RISK_LISTS)).min(1) }),
  round_amounts: z.strictObject({ multipleNok: nok, minNok: nok, minCount: count(), days }),
  new_recipient_combined: z.strictObject({ withRules: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).min(1) }),
  multiple_accounts_identity: z.strictObject({ minAccounts: z.number().int().min(2).max(100), days }),
  frozen_customer: z.strictObject({}),
  sanctions_match: z.strictObject({ minScore: score }),
  pep_match: z.strictObject({ minScore: score }),
} as const;

export type AmlRuleCode = keyof typeof AML_RULE_PARAMS;
export const AML_RULE_CODES = Object.keys(AML_RULE_PARAMS) as AmlRuleCode[];

export function isAmlRuleCode(value: string): value is AmlRuleCode {
  return Object.hasOwn(AML_RULE_PARAMS, value);
}

/** A rule as `drop aml rules` and the console show it. */
export const amlRule = z.object({
  code: z.string(),
  version: z.number().int(),
  enabled: z.boolean(),
  severity: z.enum(AML_SEVERITIES),
  action: z.enum(AML_ACTIONS),
  params: z.record(z.string(), z.unknown()),
  description: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  updateReason: z.string().nullable(),
});
export type AmlRule = z.infer<typeof amlRule>;

/**
 * A change to one rule: some parameters (merged into the current ones, then the whole checked
 * against the rule's schema), its severity, action or whether it runs, and always a reason.
 */
export const amlRuleChange = z.strictObject({
  params: z.record(z.string(), z.unknown()).optional(),
  severity: z.enum(AML_SEVERITIES).optional(),
  action: z.enum(AML_ACTIONS).optional(),
  enabled: z.boolean().optional(),
  reason: z.string().trim().min(3).max(500),
});
export type AmlRuleChange = z.infer<typeof amlRuleChange>;

/**
 * One screening match of a party to a new transfer, at or above the alert threshold, as
 * create_transfer takes them (`p_screening`). `subjectId` is the customer (`usr_…`) for the
 * sender and the recipient (`rcp_…`) for the recipient.
 */
export const screeningPartyMatch = z.object({
  party: z.enum(['sender', 'recipient']),
  subjectId: z.string(),
  list: z.string(),
  key: z.string(),
  recordHash: z.string(),
  score: score,
  topics: z.array(z.string()),
  name: z.string(),
  matchedName: z.string().optional(),
  queryName: z.string().optional(),
  explanation: z.record(z.string(), z.unknown()).optional(),
});
export type ScreeningPartyMatch = z.infer<typeof screeningPartyMatch>;
