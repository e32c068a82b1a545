/**
 * The JSON settings operations tune (CORRIDORS, KYC_TIER_LIMITS): pure parsers with no I/O, exported
 * on their own (`@drop/core/settings`) so packages/config runs them once at start and a bad value
 * stops Drop there, naming the problem.
 */

export { type KycTier, type TierLimits, tierLimitsFromJson } from './kyc/tiers.ts';
export { type Corridor, corridorsFromJson } from './pricing/corridors.ts';
