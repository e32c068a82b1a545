/**
 * KYC tiers and what each may send, in NOK. Tier 0: not verified, nothing. Tier 1: verified by
 * Sumsub. Tier 2: enhanced due diligence done. Transfers linked over 12 months that reach
 * NOK 100 000 need enhanced due diligence first (the customer says where the money comes from).
 * Amounts are øre (bigint) so no float ever touches a limit.
 */
export interface TierLimits {
  perTransferOre: bigint;
  thirtyDaysOre: bigint;
  twelveMonthsOre: bigint;
}

export type KycTier = 0 | 1 | 2;

const NOK = (kroner: number) => BigInt(kroner) * 100n;

export const DEFAULT_TIER_LIMITS: Record<KycTier, TierLimits> = {
  0: { perTransferOre: 0n, thirtyDaysOre: 0n, twelveMonthsOre: 0n },
  1: { perTransferOre: NOK(50_000), thirtyDaysOre: NOK(100_000), twelveMonthsOre: NOK(300_000) },
  2: { perTransferOre: NOK(250_000), thirtyDaysOre: NOK(500_000), twelveMonthsOre: NOK(2_000_000) },
};

/** Linked transfers over 12 months reaching this need enhanced due diligence (hvitvaskingsloven). */
export const EDD_THRESHOLD_ORE = NOK(100_000);

/** Parses `{"1":{"perTransferNok":…,"thirtyDaysNok":…,"twelveMonthsNok":…},"2":{…}}` over the defaults. */
export function tierLimitsFromJson(json: string | undefined): Record<KycTier, TierLimits> {
  if (!json) return DEFAULT_TIER_LIMITS;
  const parsed = JSON.parse(json) as Record<string, { perTransferNok: number; thirtyDaysNok: number; twelveMonthsNok: number }>;
  const limits = { ...DEFAULT_TIER_LIMITS };
  for (const tier of [1, 2] as const) {
    const given = parsed[String(tier)];
    if (!given) continue;
    limits[tier] = {
      perTransferOre: NOK(given.perTransferNok),
      thirtyDaysOre: NOK(given.thirtyDaysNok),
      twelveMonthsOre: NOK(given.twelveMonthsNok),
    };
  }
  return limits;
}
