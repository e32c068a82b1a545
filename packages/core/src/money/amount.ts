/**
 * Amounts cross the API as decimal strings in major units ("1000.50") and live in code as
 * integer minor units (`bigint`). These two functions are the only doorway between the two, so
 * the text is parsed digit by digit and never through a float.
 */
import { DomainError } from '../errors.ts';
import { currencyDecimals } from './currencies.ts';

/** No single amount Drop handles comes near this; it bounds the work and the ledger's numbers. */
export const MAX_AMOUNT_MINOR = 10n ** 15n;

export type AmountProblem = 'format' | 'too_many_decimals' | 'not_positive' | 'too_large';

// Digits, optionally a point and more digits. No sign, exponent, spaces, grouping or comma.
const AMOUNT_TEXT = /^(\d+)(?:\.(\d+))?$/;

function invalid(reason: AmountProblem, message: string): DomainError {
  return new DomainError('AMOUNT_INVALID', message, { reason });
}

/** "1000", "1000.5", "1000.50" → minor units. Throws AMOUNT_INVALID (with `reason`) or CURRENCY_UNSUPPORTED. */
export function parseAmount(text: string, currency: string): bigint {
  const decimals = currencyDecimals(currency);
  const match = AMOUNT_TEXT.exec(text);
  if (!match) throw invalid('format', `'${text.slice(0, 40)}' is not an amount like 1000 or 1000.50.`);
  const whole = (match[1] ?? '').replace(/^0+(?=\d)/, '');
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    throw invalid('too_many_decimals', `${currency} amounts have at most ${decimals} decimals.`);
  }
  // Checked on the digits first so a very long string is refused before it becomes a bigint.
  if (whole.length > String(MAX_AMOUNT_MINOR).length) throw invalid('too_large', 'The amount is too large.');
  const minor = BigInt(whole + fraction.padEnd(decimals, '0'));
  if (minor > MAX_AMOUNT_MINOR) throw invalid('too_large', 'The amount is too large.');
  if (minor === 0n) throw invalid('not_positive', 'The amount must be more than zero.');
  return minor;
}

/** Minor units → "1000.50" ("1000" for zero-decimal currencies); no grouping, a leading '-' when negative. */
export function formatAmount(minor: bigint, currency: string): string {
  const decimals = currencyDecimals(currency);
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString();
  if (decimals === 0) return sign + digits;
  const padded = digits.padStart(decimals + 1, '0');
  return `${sign}${padded.slice(0, -decimals)}.${padded.slice(-decimals)}`;
}
