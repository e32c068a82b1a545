/**
 * The one table of the currencies Drop knows, with their ISO 4217 minor-unit decimals. Every
 * amount in code is an integer count of minor units (`bigint`); this table says where the decimal
 * point goes when an amount becomes text. VND and JPY have no minor unit in ISO 4217, so their
 * amounts are whole dong and yen.
 */
import { DomainError } from '../errors.ts';

export interface CurrencyInfo {
  readonly decimals: number;
  readonly name: string;
}

export const CURRENCIES = {
  NOK: { decimals: 2, name: 'Norwegian krone' },
  EUR: { decimals: 2, name: 'Euro' },
  SEK: { decimals: 2, name: 'Swedish krona' },
  DKK: { decimals: 2, name: 'Danish krone' },
  PLN: { decimals: 2, name: 'Polish złoty' },
  GBP: { decimals: 2, name: 'Pound sterling' },
  USD: { decimals: 2, name: 'US dollar' },
  CHF: { decimals: 2, name: 'Swiss franc' },
  PHP: { decimals: 2, name: 'Philippine peso' },
  INR: { decimals: 2, name: 'Indian rupee' },
  PKR: { decimals: 2, name: 'Pakistani rupee' },
  NGN: { decimals: 2, name: 'Nigerian naira' },
  KES: { decimals: 2, name: 'Kenyan shilling' },
  THB: { decimals: 2, name: 'Thai baht' },
  VND: { decimals: 0, name: 'Vietnamese đồng' },
  TRY: { decimals: 2, name: 'Turkish lira' },
  LKR: { decimals: 2, name: 'Sri Lankan rupee' },
  BDT: { decimals: 2, name: 'Bangladeshi taka' },
  CNY: { decimals: 2, name: 'Chinese yuan renminbi' },
  JPY: { decimals: 0, name: 'Japanese yen' },
} as const satisfies Record<string, CurrencyInfo>;

export type CurrencyCode = keyof typeof CURRENCIES;

export function isCurrencyCode(s: string): s is CurrencyCode {
  return Object.hasOwn(CURRENCIES, s);
}

/** Minor-unit decimals of a currency Drop knows; anything else is CURRENCY_UNSUPPORTED. */
export function currencyDecimals(code: string): number {
  if (!isCurrencyCode(code))
    throw new DomainError('CURRENCY_UNSUPPORTED', `Drop does not handle the currency '${code}'.`, { currency: code });
  return CURRENCIES[code].decimals;
}
