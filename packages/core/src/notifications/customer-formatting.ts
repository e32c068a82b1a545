/**
 * How amounts, rates, dates, countries and account numbers read in what Drop sends a customer
 * (e-mails, PDF receipts). Amounts and rates are formatted by contracts' display.ts, the same
 * functions the customer app and the console use, so a sum reads alike on screen, in an email and
 * on a receipt. Times are Norwegian wall-clock time whatever the server's zone.
 */

import {
  formatExactRate as formatDisplayExactRate,
  formatMoney as formatDisplayMoney,
  formatRate as formatDisplayRate,
} from '@drop/contracts';

/** The languages Drop writes to customers in: Norwegian Bokmål and English. */
export type CustomerLocale = 'nb' | 'en';

/** An amount as the API carries it: a decimal string in major units ("1000.50") and its currency. */
export interface MoneyText {
  amount: string;
  currency: string;
}

const TAGS: Record<CustomerLocale, string> = { nb: 'nb-NO', en: 'en-GB' };

/** "1234.56" NOK → "1 234,56 kr" (nb), "NOK 1,234.56" (en): contracts' formatMoney, as every app shows it. */
export function formatMoney(money: MoneyText, locale: CustomerLocale): string {
  return formatDisplayMoney(money.amount, money.currency, locale);
}

/** A rate with every decimal it was priced with, trailing zeros dropped ("0.0851027470" → "0,085102747"): for receipts, where the sum must redo exactly. */
export function formatExactRate(rate: string, locale: CustomerLocale): string {
  return formatDisplayExactRate(rate, locale);
}

/** A customer rate with sensible precision ("0.0851027470" → "0,08510"): contracts' formatRate, as the app shows it. */
export function formatRate(rate: string, locale: CustomerLocale): string {
  return formatDisplayRate(rate, locale);
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
