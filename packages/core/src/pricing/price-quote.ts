/**
 * Prices a transfer: what the customer pays in NOK, Drop's fee, the customer rate and what
 * arrives. All arithmetic is on integers (øre, receive minor units, decimal strings scaled to
 * bigint), and rounding happens at exactly three named steps:
 *
 * 1. fee = max(minimum, min(maximum, fixed + ceil(send × percent))), in øre, rounded up;
 * 2. customer rate = (1 / reference) × (1 − margin), truncated to RATE_DECIMALS decimals;
 * 3. receive = floor(converted × customer rate), in receive minor units.
 *
 * The truncated rate from step 2 is both the rate shown and the rate used, so a customer can take
 * the quote and recompute the receive amount with a calculator. Truncating and flooring both favour
 * Drop by less than one unit of the last digit; the margin is never negative.
 *
 * Quoting by receive amount solves for the send: the smallest whole-øre send whose step 3 reaches
 * the amount asked. The recipient then gets exactly that amount (₹20 000.00, not ₹20 000.06): the
 * send is rounded up to whole øre, so converted × rate lies between the amount asked and one øre's
 * worth more, and that part of an øre is the same rounding in Drop's favour as step 3's floor.
 * The ledger posts the stored receive amount, so it stays exact either way.
 */
import { DomainError } from '../errors.ts';
import { formatAmount } from '../money/amount.ts';
import { type CurrencyCode, currencyDecimals } from '../money/currencies.ts';
import type { Corridor, FeeSchedule } from './corridors.ts';

/** Decimals of the customer rate ("0.0849112345"): enough that rounding it costs < 1 VND on NOK 250 000. */
export const RATE_DECIMALS = 10;
const RATE_SCALE = 10n ** BigInt(RATE_DECIMALS);
const BPS = 10_000n;
const ORE_PER_KRONE = 100n;

export interface PriceQuoteInput {
  /** 'send': amountMinor is the NOK øre the customer pays. 'receive': amountMinor is what must arrive, in receive minor units. */
  by: 'send' | 'receive';
  amountMinor: bigint;
  corridor: Corridor;
  /** NOK per ONE unit of the corridor's currency, e.g. "11.7035" for EUR (Norges Bank's mid rate, per unit). */
  reference: { nokPerUnit: string };
}

export interface PricedQuote {
  /** NOK øre the customer pays, fee included. */
  sendAmountMinor: bigint;
  feeMinor: bigint;
  /** Øre converted: send − fee. */
  convertedMinor: bigint;
  /** Customer rate, units of the receive currency per 1 NOK after margin, with RATE_DECIMALS decimals. */
  rate: string;
  receiveAmountMinor: bigint;
  receiveCurrency: CurrencyCode;
}

/** A positive decimal string as numerator / 10^k. */
function parseRate(text: string): { numerator: bigint; denominator: bigint } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || text.length > 40) throw new Error(`Reference rate '${text.slice(0, 40)}' is not a decimal number`);
  const fraction = match[2] ?? '';
  const numerator = BigInt((match[1] ?? '') + fraction);
  if (numerator === 0n) throw new Error('Reference rate is zero');
  return { numerator, denominator: 10n ** BigInt(fraction.length) };
}

/** Step 1. Rounded up: a fee is never a fraction of an øre smaller than its percentage says. */
export function feeFor(fee: FeeSchedule, sendOre: bigint): bigint {
  const percent = (sendOre * BigInt(fee.percentBps) + BPS - 1n) / BPS;
  let total = fee.fixedOre + percent;
  if (fee.maximumOre !== undefined && total > fee.maximumOre) total = fee.maximumOre;
  return total < fee.minimumOre ? fee.minimumOre : total;
}

/** Step 2, as an integer: the customer rate × 10^RATE_DECIMALS. */
function customerRateScaled(nokPerUnit: string, marginBps: number): bigint {
  if (!Number.isInteger(marginBps) || marginBps < 0 || marginBps >= 10_000) throw new Error(`Margin ${marginBps} bps is out of range`);
  const { numerator, denominator } = parseRate(nokPerUnit);
  // (1 / (numerator / denominator)) × (BPS − margin) / BPS, truncated.
  const scaled = (denominator * (BPS - BigInt(marginBps)) * RATE_SCALE) / (numerator * BPS);
  if (scaled === 0n) throw new Error(`Reference rate ${nokPerUnit} gives a customer rate of zero at ${RATE_DECIMALS} decimals`);
  return scaled;
}

function formatRate(scaled: bigint): string {
  const digits = scaled.toString().padStart(RATE_DECIMALS + 1, '0');
  return `${digits.slice(0, -RATE_DECIMALS)}.${digits.slice(-RATE_DECIMALS)}`;
}

interface Pricing {
  corridor: Corridor;
  rateScaled: bigint;
  /** 10^decimals of the receive currency. */
  receiveUnit: bigint;
}

function priceSend(pricing: Pricing, sendOre: bigint) {
  const feeMinor = feeFor(pricing.corridor.fee, sendOre);
  const convertedMinor = sendOre - feeMinor;
  // Step 3: converted øre → NOK (÷100) × rate (÷10^10) → receive minor units (×10^decimals), floored.
  const receiveAmountMinor =
    convertedMinor > 0n ? (convertedMinor * pricing.rateScaled * pricing.receiveUnit) / (ORE_PER_KRONE * RATE_SCALE) : 0n;
  return { sendAmountMinor: sendOre, feeMinor, convertedMinor, receiveAmountMinor };
}

/**
 * The smallest send whose priced receive reaches `wanted`, searched between 1 øre and `ceiling`;
 * undefined when even `ceiling` is not enough. Binary search is sound because send − fee never
 * falls as send grows (the fee rises by at most one øre per øre while percentBps ≤ 10 000).
 */
function smallestSendFor(pricing: Pricing, wanted: bigint, ceiling: bigint): bigint | undefined {
  if (priceSend(pricing, ceiling).receiveAmountMinor < wanted) return undefined;
  let low = 1n; // invariant: the answer is in [low, high]
  let high = ceiling;
  while (low < high) {
    const middle = (low + high) / 2n;
    if (priceSend(pricing, middle).receiveAmountMinor >= wanted) high = middle;
    else low = middle + 1n;
  }
  return low;
}

function outOfBounds(reason: 'below_minimum' | 'above_maximum', corridor: Corridor): DomainError {
  if (reason === 'below_minimum') {
    const minimumNok = formatAmount(corridor.minSendOre, 'NOK');
    return new DomainError('AMOUNT_INVALID', `Transfers to ${corridor.country} start at NOK ${minimumNok}.`, { reason, minimumNok });
  }
  const maximumNok = formatAmount(corridor.maxSendOre, 'NOK');
  return new DomainError('AMOUNT_INVALID', `Transfers to ${corridor.country} are at most NOK ${maximumNok}.`, { reason, maximumNok });
}

/**
 * By 'send': the customer pays `amountMinor` øre; the fee comes out of it and the rest is converted.
 * By 'receive': the recipient gets exactly `amountMinor`; the quote is for the smallest NOK send
 * whose converted amount at the shown rate reaches it (one øre less would not). Either way the send amount must lie within the corridor's bounds, or AMOUNT_INVALID with
 * reason 'below_minimum' / 'above_maximum'.
 */
export function priceQuote(input: PriceQuoteInput): PricedQuote {
  const { corridor } = input;
  if (input.amountMinor <= 0n) {
    throw new DomainError('AMOUNT_INVALID', 'The amount must be more than zero.', { reason: 'not_positive' });
  }
  const pricing: Pricing = {
    corridor,
    rateScaled: customerRateScaled(input.reference.nokPerUnit, corridor.marginBps),
    receiveUnit: 10n ** BigInt(currencyDecimals(corridor.currency)),
  };

  let sendOre = input.amountMinor;
  if (input.by === 'receive') {
    const found = smallestSendFor(pricing, input.amountMinor, corridor.maxSendOre);
    if (found === undefined) throw outOfBounds('above_maximum', corridor);
    sendOre = found;
  }
  if (sendOre < corridor.minSendOre) throw outOfBounds('below_minimum', corridor);
  if (sendOre > corridor.maxSendOre) throw outOfBounds('above_maximum', corridor);

  const priced = priceSend(pricing, sendOre);
  // Only reachable with a misconfigured corridor (fee above its own minimum send).
  if (priced.receiveAmountMinor <= 0n) throw outOfBounds('below_minimum', corridor);
  // By receive, what arrives is what was asked; the send was rounded up to whole øre to reach it.
  const receiveAmountMinor = input.by === 'receive' ? input.amountMinor : priced.receiveAmountMinor;
  return { ...priced, receiveAmountMinor, rate: formatRate(pricing.rateScaled), receiveCurrency: corridor.currency };
}
