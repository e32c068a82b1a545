/**
 * Where Drop sends money: one corridor per destination country, always from NOK. A corridor says
 * which currency arrives, how it is paid out, what Drop charges (a fee in NOK plus a margin on the
 * exchange rate) and how much one transfer may be. Amounts are øre (bigint); the margin and the
 * percentage fee are basis points (1 bps = 0.01 %).
 *
 * Pricing: near currencies (EUR, SEK, DKK) are cheap for Drop to buy and cheap to pay out, so the
 * margin is thin and the fee small. Long-haul currencies are bought through correspondents at a
 * wider spread and paid out over slower rails, hence a higher margin and fee. These are defaults;
 * operations tune them per country with `corridorsFromJson`.
 */

import { DomainError } from '../errors.ts';
import { parseAmount } from '../money/amount.ts';
import type { CurrencyCode } from '../money/currencies.ts';
import { EURO_COUNTRIES } from '../recipients/recipient-rules.ts';

export interface FeeSchedule {
  fixedOre: bigint;
  /** Of the amount the customer pays, rounded up to whole øre. */
  percentBps: number;
  minimumOre: bigint;
  maximumOre?: bigint;
}

export type PayoutRail = 'iban' | 'bank_account' | 'mobile_money';

export interface Corridor {
  /** ISO 3166-1 alpha-2. */
  country: string;
  currency: CurrencyCode;
  rail: PayoutRail;
  /** Taken off the reference rate: the customer gets (1 − marginBps/10 000) of it. */
  marginBps: number;
  fee: FeeSchedule;
  /** Bounds on what the customer pays, fee included. */
  minSendOre: bigint;
  maxSendOre: bigint;
}

const NOK = (kroner: number) => BigInt(kroner) * 100n;

// Fee schedules by distance. Each minimum exceeds the fixed part, so small transfers pay the
// minimum and the percentage only matters from a few thousand kroner up.
const NEAR_FEE: FeeSchedule = { fixedOre: NOK(19), percentBps: 35, minimumOre: NOK(29), maximumOre: NOK(199) };
const SWIFT_FEE: FeeSchedule = { fixedOre: NOK(29), percentBps: 40, minimumOre: NOK(39), maximumOre: NOK(299) };
const LONG_HAUL_FEE: FeeSchedule = { fixedOre: NOK(39), percentBps: 50, minimumOre: NOK(49), maximumOre: NOK(399) };
const MOBILE_MONEY_FEE: FeeSchedule = { fixedOre: NOK(29), percentBps: 50, minimumOre: NOK(39), maximumOre: NOK(249) };

const MIN_SEND = NOK(100);
// Matches the per-transfer limit of KYC tier 2 (kyc/tiers.ts); tier limits still apply on top.
const MAX_SEND = NOK(250_000);
// Mobile wallets cap what they will receive, well below bank accounts.
const MAX_SEND_MOBILE_MONEY = NOK(50_000);

function corridor(country: string, currency: CurrencyCode, rail: PayoutRail, marginBps: number, fee: FeeSchedule): Corridor {
  return {
    country,
    currency,
    rail,
    marginBps,
    fee,
    minSendOre: MIN_SEND,
    maxSendOre: rail === 'mobile_money' ? MAX_SEND_MOBILE_MONEY : MAX_SEND,
  };
}

/**
 * Sri Lanka (LKR) is not here: Norges Bank publishes no LKR rate, so Drop has no reference rate to
 * price it against. It comes back with a second rate source.
 */
export const DEFAULT_CORRIDORS: readonly Corridor[] = [
  ...EURO_COUNTRIES.map((country) => corridor(country, 'EUR', 'iban', 40, NEAR_FEE)),
  corridor('SE', 'SEK', 'iban', 35, NEAR_FEE),
  corridor('DK', 'DKK', 'iban', 35, NEAR_FEE),
  corridor('PL', 'PLN', 'iban', 60, NEAR_FEE),
  corridor('TR', 'TRY', 'iban', 175, LONG_HAUL_FEE),
  corridor('PK', 'PKR', 'iban', 175, LONG_HAUL_FEE),
  corridor('GB', 'GBP', 'bank_account', 50, SWIFT_FEE),
  corridor('US', 'USD', 'bank_account', 50, SWIFT_FEE),
  corridor('IN', 'INR', 'bank_account', 120, LONG_HAUL_FEE),
  corridor('TH', 'THB', 'bank_account', 120, LONG_HAUL_FEE),
  corridor('VN', 'VND', 'bank_account', 160, LONG_HAUL_FEE),
  corridor('BD', 'BDT', 'bank_account', 200, LONG_HAUL_FEE),
  corridor('PH', 'PHP', 'mobile_money', 150, MOBILE_MONEY_FEE),
];

export function findCorridor(corridors: readonly Corridor[], country: string, currency: string): Corridor {
  const found = corridors.find((c) => c.country === country && c.currency === currency);
  if (!found) {
    throw new DomainError('CORRIDOR_UNSUPPORTED', `Drop does not send ${currency} to ${country}.`, { country, currency });
  }
  return found;
}

interface CorridorOverride {
  marginBps?: number;
  fixedFeeNok?: string | number;
  percentFeeBps?: number;
  minimumFeeNok?: string | number;
  /** null removes the cap. */
  maximumFeeNok?: string | number | null;
  minSendNok?: string | number;
  maxSendNok?: string | number;
}

const OVERRIDE_KEYS = new Set(['marginBps', 'fixedFeeNok', 'percentFeeBps', 'minimumFeeNok', 'maximumFeeNok', 'minSendNok', 'maxSendNok']);

function nokSetting(country: string, key: string, value: string | number): bigint {
  // Whole kroner as a JSON number (like tierLimitsFromJson), or a decimal string for øre.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return NOK(value);
  if (typeof value === 'string' && /^0+(\.0+)?$/.test(value)) return 0n;
  if (typeof value === 'string') return parseAmount(value, 'NOK');
  throw new Error(`Corridor setting ${country}.${key} must be whole kroner or a decimal string, not ${JSON.stringify(value)}`);
}

function bpsSetting(country: string, key: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`Corridor setting ${country}.${key} must be an integer from 0 to ${max} basis points`);
  }
  return value;
}

function checkCorridor(c: Corridor): Corridor {
  const { fee } = c;
  if (fee.maximumOre !== undefined && fee.maximumOre < fee.minimumOre)
    throw new Error(`Corridor ${c.country}: the maximum fee is below the minimum`);
  if (c.minSendOre > c.maxSendOre) throw new Error(`Corridor ${c.country}: minSend is above maxSend`);
  // Otherwise the smallest allowed transfer would be eaten by the fee.
  if (c.minSendOre <= fee.minimumOre || c.minSendOre <= fee.fixedOre) throw new Error(`Corridor ${c.country}: minSend must exceed the fee`);
  return c;
}

/**
 * Parses `{"SE":{"marginBps":30,"fixedFeeNok":"15","percentFeeBps":30,"minimumFeeNok":"25","maximumFeeNok":null,
 * "minSendNok":"100","maxSendNok":"250000"}, …}` over the defaults; every field is optional. An unknown
 * country or field is a configuration mistake and throws at start-up rather than being ignored.
 */
export function corridorsFromJson(json?: string): readonly Corridor[] {
  if (!json) return DEFAULT_CORRIDORS;
  const parsed = JSON.parse(json) as Record<string, CorridorOverride>;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('Corridor settings must be a JSON object keyed by country');
  for (const country of Object.keys(parsed)) {
    if (!DEFAULT_CORRIDORS.some((c) => c.country === country)) throw new Error(`Corridor settings name an unknown country '${country}'`);
  }
  return DEFAULT_CORRIDORS.map((base) => {
    const given = parsed[base.country];
    if (!given) return base;
    for (const key of Object.keys(given)) {
      if (!OVERRIDE_KEYS.has(key)) throw new Error(`Corridor setting ${base.country}.${key} is not a known setting`);
    }
    const fee: FeeSchedule = { ...base.fee };
    if (given.fixedFeeNok !== undefined) fee.fixedOre = nokSetting(base.country, 'fixedFeeNok', given.fixedFeeNok);
    if (given.percentFeeBps !== undefined) fee.percentBps = bpsSetting(base.country, 'percentFeeBps', given.percentFeeBps, 10_000);
    if (given.minimumFeeNok !== undefined) fee.minimumOre = nokSetting(base.country, 'minimumFeeNok', given.minimumFeeNok);
    if (given.maximumFeeNok === null) delete fee.maximumOre;
    else if (given.maximumFeeNok !== undefined) fee.maximumOre = nokSetting(base.country, 'maximumFeeNok', given.maximumFeeNok);
    return checkCorridor({
      ...base,
      marginBps: given.marginBps === undefined ? base.marginBps : bpsSetting(base.country, 'marginBps', given.marginBps, 9_999),
      fee,
      minSendOre: given.minSendNok === undefined ? base.minSendOre : nokSetting(base.country, 'minSendNok', given.minSendNok),
      maxSendOre: given.maxSendNok === undefined ? base.maxSendOre : nokSetting(base.country, 'maxSendNok', given.maxSendNok),
    });
  });
}
