/**
 * ISO 20022 amounts are decimal text in major units (`1234.50`); Drop counts integer minor units
 * (`123450n`). These conversions work on the digits as text, so no amount ever passes through a
 * float, and the number of decimals comes from the one currency table in @drop/core.
 */
import { currencyDecimals } from '@drop/core';

/** Why a decimal could not become minor units; the caller adds where in its file that was. */
export class AmountProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmountProblem';
  }
}

/** xs:decimal as banks write it: digits with an optional fraction, no sign, no exponent. */
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** ISO 20022 amounts have at most 18 digits in all (totalDigits 18). */
const MAX_DIGITS = 18;

/** Exact: refuses a fraction longer than the currency has, rather than rounding it away. */
export function decimalToMinorUnits(text: string, currency: string): bigint {
  const decimals = knownCurrencyDecimals(currency);
  const match = DECIMAL.exec(text);
  if (!match) {
    if (/^-/.test(text)) throw new AmountProblem(`the amount ${text} ${currency} is negative; the direction is CdtDbtInd's job`);
    throw new AmountProblem(`'${text}' is not a decimal amount`);
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    throw new AmountProblem(
      `the amount ${text} ${currency} has ${fraction.length} decimals, but ${currency} has ${decimals === 0 ? 'none' : `only ${decimals}`}`,
    );
  }
  const digits = (whole + fraction.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_DIGITS) throw new AmountProblem(`the amount ${text} ${currency} has more than ${MAX_DIGITS} digits`);
  return BigInt(digits);
}

/** `123450n` NOK → `'1234.50'`; negative amounts are refused, since ISO 20022 amounts carry no sign. */
export function minorUnitsToDecimal(amountMinor: bigint, currency: string): string {
  if (amountMinor < 0n) throw new AmountProblem(`the amount ${amountMinor} (minor units) is negative`);
  return scaledToDecimal(amountMinor, knownCurrencyDecimals(currency));
}

/** An unsigned integer count of 10^-scale units as decimal text with exactly `scale` decimals. */
export function scaledToDecimal(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, '0');
  if (scale === 0) return digits;
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

export function knownCurrencyDecimals(currency: string): number {
  try {
    return currencyDecimals(currency);
  } catch {
    throw new AmountProblem(`the currency '${currency}' is not one Drop knows`);
  }
}
