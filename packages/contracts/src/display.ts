/**
 * How amounts, rates and human references read wherever Drop shows them: the customer app, the
 * console, emails and PDF receipts all format through these functions, so `1 234,50 kr` (nb) and
 * `NOK 1,234.50` (en) look the same everywhere. Amounts stay decimal strings all the way to
 * Intl.NumberFormat, which formats a numeric string as the exact decimal it spells (ECMA-402), so
 * no amount passes through a float. Browser-safe, like the rest of contracts.
 */

/** The languages Drop shows numbers in. */
export type DisplayLocale = 'nb' | 'en';

const TAGS: Record<DisplayLocale, string> = { nb: 'nb-NO', en: 'en-GB' };

const DECIMAL = /^-?(\d+)(?:\.(\d+))?$/;

type NumericString = `${number}`;

const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: DisplayLocale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}:${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(TAGS[locale], options);
    formats.set(key, format);
  }
  return format;
}

/**
 * An API amount ("1234.50") in its currency, with exactly the decimals the string has (the
 * currency's own): `1 234,50 kr`, `846,43 €`, `20 000,00 INR` (nb); `NOK 1,234.50`, `€846.43`,
 * `₹20,000.00` (en). Intl's own currency display for the language, the same in every app.
 */
export function formatMoney(amount: string, currency: string, locale: DisplayLocale): string {
  const match = DECIMAL.exec(amount);
  if (!match) return `${amount} ${currency}`;
  const digits = (match[2] ?? '').length;
  try {
    return numberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount as NumericString);
  } catch {
    return `${amount} ${currency}`;
  }
}

/**
 * How many decimals a customer rate is shown with: five digits counted from the first digit of
 * the whole part, or of the decimals when the rate is below one (NOK→EUR `0.08532`, NOK→INR
 * `7.8123`, NOK→VND `2 561.6`), and at least four significant digits for a very small rate
 * (`0.003845`). Roughly what Wise shows: enough for the sum to come out to the last cent on a
 * typical transfer, without ten decimals nobody reads.
 */
export function rateDecimals(rate: string): number {
  const match = DECIMAL.exec(rate);
  if (!match) return 0;
  const whole = (match[1] ?? '').replace(/^0+/, '');
  if (whole.length > 0) return Math.max(0, 5 - whole.length);
  const leadingZeros = /^0*/.exec(match[2] ?? '')?.[0].length ?? 0;
  return Math.max(5, leadingZeros + 4);
}

/**
 * A customer rate for people ("0.0851027470" → "0,08510"): `rateDecimals` decimals, cut, never
 * rounded up, so the rate shown is never better than the rate used. The exact rate (ten
 * decimals) stays in the API, the console and the ledger.
 */
export function formatRate(rate: string, locale: DisplayLocale): string {
  if (!DECIMAL.test(rate)) return rate;
  const digits = rateDecimals(rate);
  return numberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    roundingMode: 'trunc',
  }).format(rate as NumericString);
}

/** A rate with every decimal it has, trailing zeros dropped ("148.2000000000" → "148,2"): for staff, who reconcile. */
export function formatExactRate(rate: string, locale: DisplayLocale): string {
  const match = DECIMAL.exec(rate);
  if (!match) return rate;
  const digits = (match[2] ?? '').replace(/0+$/, '').length;
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(rate as NumericString);
}

/** A customer number as people read it: `10000017` → `1000 0017`. */
export function formatCustomerNumber(digits: string): string {
  return /^\d{8}$/.test(digits) ? `${digits.slice(0, 4)} ${digits.slice(4)}` : digits;
}
