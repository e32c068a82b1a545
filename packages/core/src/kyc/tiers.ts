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

const TIER_LIMIT_KEYS = ['perTransferNok', 'thirtyDaysNok', 'twelveMonthsNok'] as const;

/**
 * Parses `{"1":{"perTransferNok":…,"thirtyDaysNok":…,"twelveMonthsNok":…},"2":{…}}` (whole kroner) over
 * the defaults. An unknown tier or field, a missing field or an amount that is not whole kroner is a
 * configuration mistake and throws at start-up rather than being ignored.
 */
export function tierLimitsFromJson(json: string | undefined): Record<KycTier, TierLimits> {
  if (!json) return DEFAULT_TIER_LIMITS;
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('Tier limits must be a JSON object keyed by tier');
  const given = parsed as Record<string, unknown>;
  for (const tier of Object.keys(given)) {
    if (tier !== '1' && tier !== '2') throw new Error(`Tier limits name an unknown tier '${tier}' (only 1 and 2 can be set)`);
  }
  const limits = { ...DEFAULT_TIER_LIMITS };
  for (const tier of [1, 2] as const) {
    const entry = given[String(tier)];
    if (entry === undefined) continue;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`Tier ${tier} limits must be a JSON object`);
    for (const key of Object.keys(entry)) {
      if (!(TIER_LIMIT_KEYS as readonly string[]).includes(key)) throw new Error(`Tier limit ${tier}.${key} is not a known setting`);
    }
    const kroner = (key: (typeof TIER_LIMIT_KEYS)[number]) => {
      const value = (entry as Record<string, unknown>)[key];
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        throw new Error(`Tier limit ${tier}.${key} must be whole kroner (a non-negative integer), not ${JSON.stringify(value)}`);
      }
      return NOK(value);
    };
    limits[tier] = {
      perTransferOre: kroner('perTransferNok'),
      thirtyDaysOre: kroner('thirtyDaysNok'),
      twelveMonthsOre: kroner('twelveMonthsNok'),
    };
  }
  return limits;
}
