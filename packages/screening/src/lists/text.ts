import type { BirthDate, RecordName } from '../model.ts';

/** Whitespace runs as one space, ends trimmed: lists pad and double-space names. */
export function clean(value: string | undefined | null): string {
  if (!value) return '';
  return NEEDS_CLEANING.test(value) ? value.replace(/\s+/g, ' ').trim() : value;
}

const NEEDS_CLEANING = /^\s|\s$|\s\s|[\t\n\r\f\v\u00a0]/;

/** Remarks are for a reviewer to read beside a hit, not a copy of the publisher's notes. */
export function shortRemarks(parts: readonly (string | undefined)[], limit = 1000): string | undefined {
  const text = clean(parts.filter(Boolean).join('; '));
  if (!text) return undefined;
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** Adds a name unless the record already has it (same text, case-insensitive): lists repeat names across aliases and scripts. */
export function addName(names: RecordName[], name: RecordName): void {
  const full = clean(name.full);
  if (!full) return;
  const known = names.find((n) => n.full.toLowerCase() === full.toLowerCase());
  if (known) {
    // A repeated name keeps the best quality it is given.
    if (known.quality === 'weak' && name.quality !== 'weak') known.quality = name.quality;
    return;
  }
  const entry: RecordName = { full, quality: name.quality };
  const given = clean(name.given);
  const family = clean(name.family);
  if (given) entry.given = given;
  if (family) entry.family = family;
  if (name.lang) entry.lang = name.lang;
  names.push(entry);
}

export function addBirthDate(dates: BirthDate[], date: BirthDate | undefined): void {
  if (!date) return;
  if (dates.some((d) => d.date === date.date && d.fromYear === date.fromYear && d.toYear === date.toYear)) return;
  dates.push(date);
}

export function addUnique<T>(values: T[], value: T | undefined): void {
  if (value !== undefined && !values.includes(value)) values.push(value);
}

/** "circa 1958" means 1957–1959 (model.ts). */
export function circa(year: number): BirthDate {
  return { fromYear: year - 1, toYear: year + 1 };
}

export function yearRange(from: number, to: number): BirthDate | undefined {
  if (!Number.isInteger(from) || !Number.isInteger(to)) return undefined;
  return from <= to ? { fromYear: from, toYear: to } : { fromYear: to, toYear: from };
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' from a year, month number and day, checking the calendar. */
export function isoDate(year: number, month?: number, day?: number): string | undefined {
  if (!Number.isInteger(year) || year < 1800 || year > 2100) return undefined;
  if (month === undefined) return String(year);
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  const yyyyMm = `${year}-${String(month).padStart(2, '0')}`;
  if (day === undefined) return yyyyMm;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (!Number.isInteger(day) || day < 1 || day > days) return undefined;
  return `${yyyyMm}-${String(day).padStart(2, '0')}`;
}

/** English day–month–year as OFAC and the UN write it: '26 Apr 1961', 'Apr 1961', '11 Apr. 1963', '1961'. */
export function englishDate(text: string): string | undefined {
  const m = /^(?:(\d{1,2})\s+)?(?:([A-Za-z]{3})[a-z]*\.?\s+)?(\d{4})$/.exec(clean(text));
  if (!m) return undefined;
  const year = Number(m[3]);
  if (!m[2]) return m[1] ? undefined : isoDate(year);
  const month = MONTHS[m[2].toLowerCase()];
  if (month === undefined) return undefined;
  return isoDate(year, month, m[1] ? Number(m[1]) : undefined);
}

/** An ISO date or prefix ('1971', '1971-01', '1971-01-22', '1971-01-22T…') cut to what it says. */
export function isoPrefix(text: string | undefined): string | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(clean(text));
  if (!m) return undefined;
  return isoDate(Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined);
}
