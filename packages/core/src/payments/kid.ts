/**
 * KID (kundeidentifikasjon), the reference Norwegians type when they pay a bill: digits ending in
 * a check digit computed by MOD10 (Luhn) or MOD11, as the bank's agreement with the payee says.
 * Banks reject a payment whose KID fails its check digit, so a typo cannot fund someone else's
 * transfer. Drop gives every transfer its own KID from the database sequence `transfer_kid_seq`
 * (see kid-allocator.ts; `create_transfer` stores it) and reads KIDs back from bank statements.
 *
 * The check digits themselves are computed by @drop/check-digits (MOD11 weights the digits 2, 3,
 * 4, 5, 6, 7, 2, 3, … from the right; a number whose MOD11 digit would be 10 has no valid KID, so
 * Drop never issues one).
 */
import { mod10CheckDigit, mod11CheckDigit } from '@drop/check-digits';

export type KidMethod = 'MOD10' | 'MOD11';

export interface KidFormat {
  method: KidMethod;
  /** Total digits including the check digit (Nets allows 2–25). */
  length: number;
}

export function kidFormatProblem(format: KidFormat): string | undefined {
  if (format.method !== 'MOD10' && format.method !== 'MOD11') return `unknown KID method ${String(format.method)}`;
  if (!Number.isInteger(format.length) || format.length < 4 || format.length > 25) {
    return 'a KID has 4 to 25 digits, check digit included';
  }
  return undefined;
}

function checkDigit(body: string, method: KidMethod): number | undefined {
  return method === 'MOD10' ? mod10CheckDigit(body) : mod11CheckDigit(body);
}

export type KidProblem = 'not_digits' | 'wrong_length' | 'check_digit';

/** Why a KID is not valid for this format, or undefined when it is. */
export function kidProblem(kid: string, format: KidFormat): KidProblem | undefined {
  if (!/^\d+$/.test(kid)) return 'not_digits';
  if (kid.length !== format.length) return 'wrong_length';
  const expected = checkDigit(kid.slice(0, -1), format.method);
  return expected !== undefined && String(expected) === kid.slice(-1) ? undefined : 'check_digit';
}

export function isValidKid(kid: string, format: KidFormat): boolean {
  return kidProblem(kid, format) === undefined;
}

/**
 * The KID for a sequence number: the number zero-padded to length − 1 digits plus its check
 * digit. Undefined when the number does not fit, or (MOD11) has no check digit: the caller takes
 * the next number.
 */
export function kidFromNumber(sequence: bigint, format: KidFormat): string | undefined {
  if (sequence < 0n) return undefined;
  const body = sequence.toString().padStart(format.length - 1, '0');
  if (body.length !== format.length - 1) return undefined;
  const check = checkDigit(body, format.method);
  return check === undefined ? undefined : body + String(check);
}

/** What a person may have typed: spaces and dots between digit groups are dropped. */
export function normaliseKid(text: string): string {
  return text.replace(/[\s.]/g, '');
}
