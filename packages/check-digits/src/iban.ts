/** IBANs through ibantools (ISO 13616 check digits, each country's length and BBAN format and, where a country has one, its BBAN check digit: Norway's MOD11). */
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import { isNorwegianAccountNumber } from './mod11.ts';

/** An IBAN as people write it (spaces, hyphens, lower case) → its electronic form when it is valid, else undefined. */
export function validIban(text: string): string | undefined {
  const electronic = electronicFormatIBAN(text);
  return electronic && isValidIBAN(electronic) ? electronic : undefined;
}

/** A Norwegian IBAN in electronic form: NO, the IBAN check digits, and an account number with its MOD11 digit. */
export function isNorwegianIban(iban: string): boolean {
  return /^NO\d{13}$/.test(iban) && isValidIBAN(iban) && isNorwegianAccountNumber(iban.slice(4));
}
