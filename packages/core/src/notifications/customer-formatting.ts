/**
 * How amounts, rates, dates, countries and account numbers read in what Drop sends a customer
 * (e-mails, PDF receipts). The rules are the customer app's (packages/web-common/src/money.ts),
 * copied because core must not import browser code: amounts stay decimal strings all the way to
 * Intl.NumberFormat, which formats a numeric string as the exact decimal it spells, so no amount
 * passes through a float. Times are Norwegian wall-clock time whatever the server's zone.
 */

/** The languages Drop writes to customers in: Norwegian Bokmål and English. */
export type CustomerLocale = 'nb' | 'en';

/** An amount as the API carries it: a decimal string in major units ("1000.50") and its currency. */
export interface MoneyText {
  amount: string;
  currency: string;
}

const TAGS: Record<CustomerLocale, string> = { nb: 'nb-NO', en: 'en-GB' };

const DECIMAL = /^-?(\d+)(?:\.(\d+))?$/;

type NumericString = `${number}`;

function decimalsOf(value: string): number {
  return (DECIMAL.exec(value)?.[2] ?? '').length;
}

/** "1234.56" NOK → "1 234,56 kr" (nb), "NOK 1,234.56" (en), with exactly the decimals the string has. */
export function formatMoney(money: MoneyText, locale: CustomerLocale): string {
  if (!DECIMAL.test(money.amount)) return `${money.amount} ${money.currency}`;
  const digits = decimalsOf(money.amount);
  return new Intl.NumberFormat(TAGS[locale], {
    style: 'currency',
    currency: money.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(money.amount as NumericString);
}

/**
 * An exchange rate with every decimal it was priced with ("0.0851027470" → "0,0851027470"): the
 * customer can redo the sum, so no digit is rounded away or trimmed.
 */
export function formatRate(rate: string, locale: CustomerLocale): string {
  if (!DECIMAL.test(rate)) return rate;
  const digits = decimalsOf(rate);
  return new Intl.NumberFormat(TAGS[locale], { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    rate as NumericString,
  );
}

const dateTimeFormats = new Map<CustomerLocale, Intl.DateTimeFormat>();

/** "29. mars 2026 kl. 14:05" / "29 March 2026 at 14:05", in Norwegian time (Europe/Oslo). */
export function formatOsloDateTime(date: Date, locale: CustomerLocale): string {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Oslo' });
    dateTimeFormats.set(locale, format);
  }
  return format.format(date);
}

const regionNames = new Map<CustomerLocale, Intl.DisplayNames>();

/** A country's name in the customer's language ("DE" → "Tyskland", "Germany"); the code itself if unknown. */
export function countryName(code: string, locale: CustomerLocale): string {
  let names = regionNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames([TAGS[locale]], { type: 'region', fallback: 'code' });
    regionNames.set(locale, names);
  }
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

const MASK = '••••';

/**
 * An account number (or IBAN, or an already masked display of one) with only its last four
 * letters or digits left: "1234.56.78903" → "•••• 8903". What goes out by e-mail or PDF can be
 * forwarded anywhere, so a full account number never leaves in one; even an input that claims to
 * be masked is masked again.
 */
export function maskAccountNumber(account: string): string {
  const characters = account.replace(/[^\p{L}\p{N}]/gu, '');
  // A short number keeps at most half its characters, so a 4-digit account is not shown whole. The
  // dots of an earlier mask count as characters, so "•••• 2345" stays as it is.
  const length = characters.length + (account.match(/•/g)?.length ?? 0);
  const shown = Math.min(4, Math.floor(length / 2));
  return shown === 0 ? MASK : `${MASK} ${characters.slice(-shown)}`;
}

// Eight or more digits, possibly grouped by single spaces, dots or dashes, optionally after an IBAN
// country code: account numbers (British ones have 8 digits, Norwegian ones 11), IBANs and card
// numbers. Amounts in such free text are short, and a masked phone number is no loss.
const ACCOUNT_LIKE = /\b(?:[A-Z]{2}\d{2}[ .-]?)?\d(?:[ .-]?\d){7,}\b/g;
// 29.03.2026 and 2026-03-29 also have eight digits, and a date in a reason is worth keeping.
const DATE = /^(?:\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{2}-\d{2})$/;

/**
 * Free text from elsewhere (a payout partner's failure reason) with every account-like number in it
 * masked, because partners quote the account they could not pay.
 */
export function maskAccountNumbersIn(text: string): string {
  return text.replace(ACCOUNT_LIKE, (match) => (DATE.test(match) ? match : maskAccountNumber(match)));
}
