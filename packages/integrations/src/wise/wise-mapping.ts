/**
 * How Drop's payout order becomes Wise's words, and Wise's transfer states become Drop's. Pure:
 * no network, so each rule is tested on its own.
 *
 * - Amounts: Wise takes `targetAmount` as a JSON number of major units. It is made from the
 *   integer minor units on the digits (never by dividing a float) and checked to survive the trip
 *   through a double unchanged; Drop's amounts (at most 10^15 minor units, ≤ 15 significant
 *   digits) always do.
 * - Recipients: Wise's recipient account types (`POST /v1/accounts`, "Create a recipient
 *   account"): EUR/SEK/DKK/PLN/… IBAN → `iban` {IBAN}; GBP → `sort_code` {sortCode, accountNumber};
 *   USD → `aba` {abartn, accountNumber, accountType}; INR → `indian` {ifscCode, accountNumber}. For
 *   the other countries Drop passes its stored fields through under a type named after the
 *   country; Wise's real requirements for those routes come from its account-requirements
 *   endpoint and are not checked here.
 * - References: Wise cuts the recipient's statement reference to what the local payment scheme
 *   carries, per currency (Wise Help Centre, "The recipient of my business transfer needs to
 *   receive a specific reference"). Where the help centre's versions disagree the shorter limit is
 *   used; a currency it does not list gets 10 characters, its shortest (USD).
 */
import { currencyDecimals, type PayoutOrder, PayoutPartnerError, type PayoutPartnerState } from '@drop/core';

/** Wise's transfer states, in the order of a transfer's life ("Tracking transfers"). */
export const WISE_TRANSFER_STATES = [
  'incoming_payment_waiting',
  'incoming_payment_initiated',
  'processing',
  'funds_converted',
  'outgoing_payment_sent',
  'bounced_back',
  'cancelled',
  'funds_refunded',
  'charged_back',
] as const;

export type WiseTransferState = (typeof WISE_TRANSFER_STATES)[number];

/** A Wise transfer state in Drop's words; a state Wise adds later counts as still processing. */
export function payoutStateOfWise(state: string): PayoutPartnerState {
  switch (state) {
    case 'outgoing_payment_sent':
      return 'paid';
    case 'bounced_back':
      return 'returned';
    case 'cancelled':
    case 'funds_refunded':
    case 'charged_back':
      return 'failed';
    default:
      return 'processing';
  }
}

/** The amount as Wise's decimal number of major units, made exactly from minor units. */
export function wiseAmount(amountMinor: bigint, currency: string): { text: string; value: number } {
  let decimals: number;
  try {
    decimals = currencyDecimals(currency);
  } catch (error) {
    throw new PayoutPartnerError(`Wise payout: ${(error as Error).message}`, false);
  }
  if (amountMinor <= 0n) throw new PayoutPartnerError('Wise payout: the amount must be more than zero', false);
  const digits = amountMinor.toString().padStart(decimals + 1, '0');
  const point = digits.length - decimals;
  const fraction = digits.slice(point).replace(/0+$/, '');
  const text = fraction ? `${digits.slice(0, point)}.${fraction}` : digits.slice(0, point);
  const value = Number(text);
  // A double prints back the same digits for up to 15 significant digits; refuse anything else
  // rather than send an amount that is not the one in the ledger.
  if (String(value) !== text) throw new PayoutPartnerError(`Wise payout: ${text} ${currency} cannot be sent exactly`, false);
  return { text, value };
}

/** Longest statement reference Wise passes on, per target currency. */
export const WISE_REFERENCE_LIMITS: Readonly<Record<string, number>> = {
  AED: 35,
  AUD: 18,
  BGN: 35,
  CAD: 50,
  CHF: 50,
  CZK: 25,
  DKK: 35,
  EUR: 35,
  GBP: 16,
  GEL: 35,
  HKD: 50,
  HUF: 35,
  IDR: 35,
  INR: 16,
  KRW: 35,
  LKR: 35,
  MAD: 50,
  MXN: 100,
  MYR: 35,
  NGN: 14,
  NOK: 35,
  NZD: 12,
  PHP: 35,
  PLN: 35,
  RON: 30,
  SEK: 12,
  SGD: 25,
  THB: 50,
  USD: 10,
  ZAR: 18,
};

export const WISE_DEFAULT_REFERENCE_LIMIT = 10;

/** The reference cut to Wise's limit for the currency, by characters (not UTF-16 units); '' when nothing is left. */
export function wiseReference(reference: string, currency: string): string {
  const limit = Object.hasOwn(WISE_REFERENCE_LIMITS, currency) ? (WISE_REFERENCE_LIMITS[currency] ?? 0) : WISE_DEFAULT_REFERENCE_LIMIT;
  return [...reference.trim().replace(/\s+/g, ' ')].slice(0, limit).join('').trim();
}

/** The body of Wise's `POST /v1/accounts`. */
export interface WiseRecipientAccountRequest {
  currency: string;
  type: string;
  profile: number;
  accountHolderName: string;
  ownedByCustomer: false;
  details: Record<string, string>;
}

/** Wise's recipient types for the countries Drop pays by local bank details or wallet, beyond GB, US and IN. */
const COUNTRY_TYPES: Readonly<Record<string, string>> = {
  BD: 'bangladesh',
  LK: 'srilanka',
  PH: 'philippines',
  TH: 'thailand',
  VN: 'vietnam',
};

function required(details: Record<string, string>, field: string, country: string): string {
  const value = details[field]?.trim();
  if (!value) throw new PayoutPartnerError(`Wise payout: the ${country} recipient has no ${field}`, false);
  return value;
}

/** Drop's stored recipient as a Wise recipient account of Drop's profile. */
export function wiseRecipientAccount(
  recipient: PayoutOrder['recipient'],
  currency: string,
  profileId: number,
): WiseRecipientAccountRequest {
  const { country, details } = recipient;
  const account = (type: string, fields: Record<string, string>): WiseRecipientAccountRequest => ({
    currency,
    type,
    profile: profileId,
    accountHolderName: recipient.name,
    ownedByCustomer: false,
    details: { legalType: 'PRIVATE', ...fields },
  });
  if (recipient.rail === 'iban') return account('iban', { IBAN: required(details, 'iban', country) });
  if (recipient.rail === 'bank_account' && country === 'GB') {
    return account('sort_code', {
      sortCode: required(details, 'sortCode', country),
      accountNumber: required(details, 'accountNumber', country),
    });
  }
  if (recipient.rail === 'bank_account' && country === 'US') {
    const accountType = required(details, 'accountType', country).toUpperCase();
    if (accountType !== 'CHECKING' && accountType !== 'SAVINGS') {
      throw new PayoutPartnerError(`Wise payout: the US account type '${accountType}' is neither checking nor savings`, false);
    }
    return account('aba', {
      abartn: required(details, 'routingNumber', country),
      accountNumber: required(details, 'accountNumber', country),
      accountType,
    });
  }
  if (recipient.rail === 'bank_account' && country === 'IN') {
    return account('indian', {
      ifscCode: required(details, 'ifsc', country),
      accountNumber: required(details, 'accountNumber', country),
    });
  }
  if (Object.keys(details).length === 0) throw new PayoutPartnerError(`Wise payout: the ${country} recipient has no payout details`, false);
  return account(COUNTRY_TYPES[country] ?? country.toLowerCase(), { ...details });
}
