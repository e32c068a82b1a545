import type { Locale } from './locale.ts';

const TAGS: Record<Locale, string> = { nb: 'nb-NO', en: 'en-GB' };

export function localeTag(locale: Locale): string {
  return TAGS[locale];
}

function unit(locale: Locale, value: number, name: 'day' | 'hour' | 'minute' | 'second'): string {
  return new Intl.NumberFormat(TAGS[locale], { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);
}

/** "3 days 4 hours", "12 minutes", "45 seconds": the two largest non-zero units. */
export function formatUptime(seconds: number, locale: Locale): string {
  const total = Math.max(0, Math.floor(seconds));
  const parts: Array<[number, 'day' | 'hour' | 'minute' | 'second']> = [
    [Math.floor(total / 86_400), 'day'],
    [Math.floor((total % 86_400) / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return unit(locale, 0, 'second');
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, name]) => unit(locale, value, name))
    .join(' ');
}

export function formatLatency(ms: number, locale: Locale): string {
  return new Intl.NumberFormat(TAGS[locale], {
    style: 'unit',
    unit: 'millisecond',
    unitDisplay: 'short',
    maximumFractionDigits: ms < 10 ? 1 : 0,
  }).format(ms);
}

export function formatTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date);
}

export function formatDateTime(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A calendar date given as `YYYY-MM-DD` ("12. april 1985", "12 April 1985"), without any time-zone shift. */
export function formatDate(isoDate: string, locale: Locale): string {
  const date = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(TAGS[locale], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** "akkurat nå", "for 5 minutter siden", "i går": how long ago `date` was, seen from `now`. */
export function formatRelative(date: Date, now: Date, locale: Locale): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(TAGS[locale], { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(0, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/** Whole kroner as the API sends them (`"50000"`): "50 000 kr", "NOK 50,000". */
export function formatNok(amount: string | number, locale: Locale): string {
  return new Intl.NumberFormat(TAGS[locale], { style: 'currency', currency: 'NOK', maximumFractionDigits: 0 }).format(Number(amount));
}
