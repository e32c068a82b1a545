/**
 * Small text helpers the three STR exports share: Norwegian wall-clock dates (the reports are read
 * in Norway, and goAML's dates carry no time zone), amounts written from their decimal strings
 * (never through a float), country names in Norwegian, and cutting text to a length without
 * splitting a character.
 */
import type { StrPerson } from '@drop/contracts';
import { DomainError } from '../../errors.ts';

const OSLO_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A timestamp as Oslo wall-clock time, `YYYY-MM-DDTHH:MM:SS` (no offset: the form goAML's sql_date takes). */
export function osloDateTime(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new DomainError('VALIDATION_FAILED', 'The report holds a date that is not a valid date.');
  const part = (type: Intl.DateTimeFormatPartTypes) => OSLO_PARTS.formatToParts(at).find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
}

/** A stored ISO timestamp (transfer date, mfaNotifiedAt) as a Date, refusing text that is not one. */
export function parseTimestamp(value: string, what: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new DomainError('VALIDATION_FAILED', `${what} is not a valid timestamp: ${value}`);
  return at;
}

/** `12.03.2026 kl. 14:05` — how a Norwegian reader expects a time. */
export function norwegianDateTime(at: Date): string {
  const [date, time] = osloDateTime(at).split('T') as [string, string];
  const [year, month, day] = date.split('-');
  return `${day}.${month}.${year} kl. ${time.slice(0, 5)}`;
}

export function norwegianDate(at: Date): string {
  return norwegianDateTime(at).slice(0, 10);
}

/** `1985-04-12` → `12.04.1985`; anything else is shown as given. */
export function norwegianCalendarDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : isoDate;
}

/**
 * A decimal amount string ("50001.5") in Norwegian notation with two decimals ("50 001,50"), done on
 * the digits so no float ever rounds it. More than two decimals are kept as given.
 */
export function norwegianAmount(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${negative ? '-' : ''}${grouped},${fraction.padEnd(2, '0')}`;
}

/** Sums decimal amount strings exactly (scaled integers), for totals in the texts. */
export function sumDecimals(amounts: readonly string[]): string {
  const scale = Math.max(2, ...amounts.map((amount) => amount.split('.')[1]?.length ?? 0));
  const total = amounts.reduce((sum, amount) => sum + scaled(amount, scale), 0n);
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** A decimal string as an integer of `scale` decimal places ("12.5", 2 → 1250n). */
export function scaled(decimal: string, scale: number): bigint {
  const negative = decimal.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const value = BigInt(whole + fraction.padEnd(scale, '0').slice(0, scale));
  return negative ? -value : value;
}

const COUNTRY_NAMES = new Intl.DisplayNames(['nb'], { type: 'region', fallback: 'code' });

/** `MX` → `Mexico (MX)`: the name for the reader, the code for whoever keys it in. */
export function countryName(code: string): string {
  let name = code;
  try {
    name = COUNTRY_NAMES.of(code) ?? code;
  } catch {
    // An invalid region code: show the code alone.
  }
  return name === code ? code : `${name} (${code})`;
}

export function fullName(person: Pick<StrPerson, 'firstName' | 'lastName'>): string {
  return `${person.firstName} ${person.lastName}`;
}

/**
 * Cuts text to at most `max` characters (Unicode code points, as XML schemas count them), never
 * splitting a surrogate pair, and marks the cut with `…` so a reader sees that text is missing.
 */
export function clampText(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  return `${characters.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** An identity document's kind in Norwegian. */
export const ID_DOCUMENT_NAMES: Record<NonNullable<StrPerson['idDocument']>['type'], string> = {
  passport: 'Pass',
  national_id_card: 'Nasjonalt ID-kort',
  drivers_licence: 'Førerkort',
  other: 'Annet ID-dokument',
};

/** The customer a report is about: a subject who is a Drop customer, else the first subject. */
export function subjectOf(persons: readonly StrPerson[]): StrPerson | undefined {
  const subjects = persons.filter((person) => person.role === 'subject');
  return subjects.find((person) => person.customerId !== null) ?? subjects[0];
}

const TRANSFER_STATUS_NAMES: Record<string, string> = {
  awaiting_funds: 'venter på innbetaling',
  funds_received: 'innbetalt, ikke utbetalt',
  processing: 'under utbetaling',
  paid_out: 'utbetalt til mottaker',
  held: 'holdt tilbake (ikke utbetalt)',
  cancelled: 'kansellert',
  failed: 'feilet',
  refunded: 'tilbakebetalt til kunden',
};

/** A transfer status in Norwegian words (unknown statuses as given). */
export function transferStatusName(status: string): string {
  return TRANSFER_STATUS_NAMES[status] ?? status;
}
