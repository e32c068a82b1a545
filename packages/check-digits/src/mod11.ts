/**
 * MOD11, the check digit Norway uses for KIDs, account numbers and the fødselsnummer: each digit
 * times its weight, summed; the check digit is 11 − (sum mod 11), 0 when that is 11. A remainder
 * that would need a check digit of 10 has none: no valid number ends that way ('-' in some KID
 * agreements), so Drop never issues one and refuses one it reads.
 */
function checkDigitOf(sum: number): number | undefined {
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

/** MOD11 with the given weights, paired with the digits from the left. */
export function mod11ControlDigit(digits: string, weights: readonly number[]): number | undefined {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] ?? 0);
  return checkDigitOf(sum);
}

/** MOD11 with weights 2, 3, 4, 5, 6, 7, 2, 3, … from the right (KIDs and account numbers); undefined when no digit works. */
export function mod11CheckDigit(body: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (body.charCodeAt(body.length - 1 - i) - 48) * (2 + (i % 6));
  return checkDigitOf(sum);
}

/** A Norwegian account number: 11 digits (dots and spaces not allowed here), the last its MOD11 check digit. */
export function isNorwegianAccountNumber(digits: string): boolean {
  return /^\d{11}$/.test(digits) && mod11CheckDigit(digits.slice(0, 10)) === digits.charCodeAt(10) - 48;
}

const NATIONAL_ID_K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const NATIONAL_ID_K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * The two control digits of a fødselsnummer or D-number (k1 over the first nine digits, k2 over
 * those and k1) for its first nine digits; undefined when either would be 10 (no such number).
 */
export function nationalIdControlDigits(firstNine: string): string | undefined {
  const k1 = mod11ControlDigit(firstNine, NATIONAL_ID_K1);
  if (k1 === undefined) return undefined;
  const k2 = mod11ControlDigit(`${firstNine}${k1}`, NATIONAL_ID_K2);
  return k2 === undefined ? undefined : `${k1}${k2}`;
}

/** Eleven digits whose last two are the fødselsnummer's control digits (the date is not checked). */
export function hasNationalIdControlDigits(value: string): boolean {
  return /^\d{11}$/.test(value) && nationalIdControlDigits(value.slice(0, 9)) === value.slice(9);
}
