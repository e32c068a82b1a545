/**
 * The field rules Drop's ISO 20022 writers check before writing anything, so a file Drop writes
 * is one the receiving bank (or Drop's own reader) accepts: lengths from the schema's MaxNNText
 * types, dates as xs:date and xs:dateTime, IBANs by their check digits, BICs by ISO 9362's shape.
 */
import { validIban } from '@drop/check-digits';
import { isValidBIC } from 'ibantools';
import { isXmlCharacter } from './xml-element.ts';

/**
 * A problem with a text field, or undefined: the schema's 1..max length, and single-line text
 * without surrounding spaces (readers trim text, so "x " would not read back as written).
 */
export function textProblem(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return 'is not text';
  if (value.length === 0) return 'is empty';
  if ([...value].length > maxLength) return `is ${[...value].length} characters; at most ${maxLength} are allowed`;
  if (value.trim() !== value) return 'starts or ends with whitespace';
  for (const character of value) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f) || !isXmlCharacter(codePoint)) {
      return `holds the character U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}, a control character or one XML cannot carry`;
    }
  }
  return undefined;
}

/** YYYY-MM-DD naming a real day. */
export function isIsoDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().startsWith(text);
}

/** xs:dateTime as banks write it: a real day, a time, optional fractions and offset. */
export function isIsoDateTime(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-](0\d|1[0-4]):[0-5]\d)?$/.exec(text);
  return match?.[1] !== undefined && isIsoDate(match[1]);
}

/** Accepts an IBAN as people write it (spaces, lower case) and gives its electronic form. */
export function normalIban(value: unknown): string | undefined {
  return typeof value === 'string' ? validIban(value) : undefined;
}

/** ISO 9362, as the schemas' BICFIDec2014Identifier pattern and ibantools agree. */
export function isBic(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(value) && isValidBIC(value);
}
