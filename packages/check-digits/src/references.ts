/**
 * Drop's human references: what a customer reads aloud on the phone or types into a search box,
 * instead of a 26-character internal id. The database issues both (new_transfer_reference.sql,
 * new_customer_number.sql); this file checks and normalises what a person typed.
 *
 * - A transfer reference is `DRP-` and seven characters from an alphabet without the look-alikes
 *   0/O, 1/I/L (`DRP-7K3-92QX`): six random-looking characters and a check character. The
 *   alphabet has 31 characters, a prime, so a weighted sum modulo 31 with distinct weights (7…1)
 *   catches every single wrong character and every swap of two characters.
 * - A customer number is eight digits, seven and a MOD10 (Luhn) check digit (`1000 0017`), as a
 *   Norwegian KID or card number is checked.
 */
import { mod10CheckDigit } from './mod10.ts';

/** The characters of a transfer reference: digits 2–9 and the letters without I, L and O. */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const BASE = REFERENCE_ALPHABET.length; // 31, a prime
export const TRANSFER_REFERENCE_PREFIX = 'DRP';
/** Characters before the check character. */
export const TRANSFER_REFERENCE_BODY_LENGTH = 6;

/**
 * The check character for a body of reference characters: the one that makes
 * Σ weightᵢ × valueᵢ ≡ 0 (mod 31), weights counting up from 1 at the check character.
 */
export function mod31CheckChar(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const value = REFERENCE_ALPHABET.indexOf(body.charAt(i));
    if (value < 0) throw new Error(`'${body.charAt(i)}' is not a reference character`);
    sum += value * (body.length - i + 1);
  }
  return REFERENCE_ALPHABET.charAt((BASE - (sum % BASE)) % BASE);
}

/** `7K392Q` + check → `DRP-7K3-92QX`. */
export function formatTransferReference(compact: string): string {
  return `${TRANSFER_REFERENCE_PREFIX}-${compact.slice(0, 3)}-${compact.slice(3)}`;
}

/**
 * What a person typed (`drp 7k3 92qx`, `7K392QX`, `DRP-7K3-92QX`) as the canonical reference, or
 * undefined when it is not one: case, spaces and dashes do not matter, the prefix may be left
 * out, and the check character must agree.
 */
export function parseTransferReference(text: string): string | undefined {
  let compact = text.toUpperCase().replace(/[\s\-–_.]/g, '');
  if (compact.length === TRANSFER_REFERENCE_PREFIX.length + TRANSFER_REFERENCE_BODY_LENGTH + 1) {
    if (!compact.startsWith(TRANSFER_REFERENCE_PREFIX)) return undefined;
    compact = compact.slice(TRANSFER_REFERENCE_PREFIX.length);
  }
  if (compact.length !== TRANSFER_REFERENCE_BODY_LENGTH + 1) return undefined;
  for (const char of compact) if (!REFERENCE_ALPHABET.includes(char)) return undefined;
  const body = compact.slice(0, -1);
  return mod31CheckChar(body) === compact.slice(-1) ? formatTransferReference(compact) : undefined;
}

/** Digits of a customer number. */
export const CUSTOMER_NUMBER_LENGTH = 8;

/** `10000017` → `1000 0017`. */
export function formatCustomerNumber(digits: string): string {
  return digits.length === CUSTOMER_NUMBER_LENGTH ? `${digits.slice(0, 4)} ${digits.slice(4)}` : digits;
}

/** What a person typed (`1000 0017`, `1000-0017`) as the stored eight digits, or undefined when the check digit disagrees. */
export function parseCustomerNumber(text: string): string | undefined {
  const digits = text.replace(/[\s\-–.]/g, '');
  if (!/^\d+$/.test(digits) || digits.length !== CUSTOMER_NUMBER_LENGTH) return undefined;
  return mod10CheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1)) ? digits : undefined;
}
