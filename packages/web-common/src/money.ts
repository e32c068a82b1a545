/**
 * Money on screen. The API carries amounts as decimal strings in major units ("1000.50"), and
 * they stay strings here: Intl.NumberFormat formats a numeric string as the exact decimal it
 * spells (ECMA-402, 2023), so no amount ever passes through a float and no øre is lost or
 * rounded. What the customer types is turned back into such a string digit by digit.
 */
import { localeTag } from './format.ts';
import type { Locale } from './locale.ts';

const DECIMAL = /^-?(\d+)(?:\.(\d+))?$/;

type NumericString = `${number}`;

function asNumeric(value: string): NumericString | undefined {
  return DECIMAL.test(value) ? (value as NumericString) : undefined;
}

/**
 * A decimal string from the API as money ("1000.50" NOK → "1 000,50 kr" in nb, "NOK 1,000.50" in
 * en) and a customer rate with sensible precision: the one formatting of contracts' display.ts,
 * which the console, emails and receipts use too.
 */
export { formatCustomerNumber, formatMoney, formatRate } from '@drop/contracts';

/**
 * A decimal string as a plain number for the locale ("0.0849112345" → "0,0849112345"), with at
 * least `minimumFractionDigits` decimals and trailing zeros beyond them dropped. Never rounds away
 * a digit the string has.
 */
export function formatDecimal(value: string, locale: Locale, minimumFractionDigits = 0): string {
  const numeric = asNumeric(value);
  if (numeric === undefined) return value;
  const digits = (DECIMAL.exec(value)?.[2] ?? '').length;
  return new Intl.NumberFormat(localeTag(locale), {
    minimumFractionDigits,
    maximumFractionDigits: Math.max(digits, minimumFractionDigits),
  }).format(numeric);
}

/**
 * What the customer typed into an amount field, as the API's decimal string, or undefined when it
 * is not an amount. Spaces and a trailing ",-" are ignored ("1 000,-" is 1000). Both separators
 * are understood: when both appear the last one is the decimal point ("1.000,50", "1,000.50"); a
 * lone separator followed by exactly three digits that is not the language's decimal separator
 * groups thousands ("1,000" in English, "1.000" in Norwegian); otherwise it is the decimal point.
 * Whether the decimals suit the currency is the API's to say (AMOUNT_INVALID too_many_decimals).
 */
export function parseAmountInput(text: string, locale: Locale): string | undefined {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(/[.,]-$/, '');
  if (!/^[\d.,]+$/.test(compact) || !/\d/.test(compact)) return undefined;
  const separators = compact.match(/[.,]/g) ?? [];
  const decimalSeparator = locale === 'nb' ? ',' : '.';
  const last = Math.max(compact.lastIndexOf(','), compact.lastIndexOf('.'));
  let decimalAt = -1;
  if (new Set(separators).size === 2) decimalAt = last;
  else if (separators.length === 1) {
    const groupsThousands = compact[last] !== decimalSeparator && compact.length - last - 1 === 3;
    decimalAt = groupsThousands ? -1 : last;
  }
  // Several of one separator: they group thousands ("1.000.000").
  const whole = (decimalAt === -1 ? compact : compact.slice(0, decimalAt)).replace(/[.,]/g, '').replace(/^0+(?=\d)/, '') || '0';
  const fraction = decimalAt === -1 ? '' : compact.slice(decimalAt + 1);
  if (/[.,]/.test(fraction)) return undefined;
  return fraction ? `${whole}.${fraction}` : whole;
}

/** An API amount ("85.12") as the customer would type it in their language ("85,12"), without grouping. */
export function toAmountInput(amount: string, locale: Locale): string {
  return locale === 'nb' ? amount.replace('.', ',') : amount;
}

/** "29:41" (or "1:02:03" past an hour): what is left of `ms`, in whole seconds (never more than there is). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${String(minutes).padStart(2, '0')}:${seconds}`;
}

const regionNames = new Map<Locale, Intl.DisplayNames>();

/** A country's name in the customer's language ("DE" → "Tyskland", "Germany"); the code itself if unknown. */
export function countryName(code: string, locale: Locale): string {
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([localeTag(locale)], { type: 'region', fallback: 'code' });
    regionNames.set(locale, names);
  }
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
