import type { BirthDate } from '../model.ts';
import { countryCode } from './countries.ts';
import { circa, clean, englishDate, yearRange } from './text.ts';

/** What Drop reads out of an OFAC `Remarks` field: the rest stays as text for the reviewer. */
export interface OfacRemarks {
  birthDates: BirthDate[];
  /** ISO2 of `nationality …` and `citizen …` (persons). */
  nationalities: string[];
  /** ISO2 of `Nationality of Registration …` (companies, vessels). */
  registrations: string[];
  /** `a.k.a. '…'` inside the remarks: OFAC's weak aliases, which do not match on their own. */
  weakAliases: string[];
}

const AKA_STATEMENT = /^[afn]\.k\.a\.\s+'(.*)'\.?"?$/;
const WEAK_AKA = /\b[afn]\.k\.a\.\s+'([^']+)'/g;

export function parseOfacRemarks(remarks: string): OfacRemarks {
  const result: OfacRemarks = { birthDates: [], nationalities: [], registrations: [], weakAliases: [] };
  if (!remarks) return result;
  // Remarks are `;`-separated statements; `alt.` marks a second value of the same kind.
  for (const raw of remarks.split(';')) {
    const statement = raw.trim().replace(/^alt\.\s+/, '');
    if (statement.startsWith('DOB ')) {
      const date = ofacBirthDate(statement.slice(4));
      if (date) result.birthDates.push(date);
    } else if (statement.startsWith('Nationality of Registration ')) {
      addCountry(result.registrations, statement.slice('Nationality of Registration '.length));
    } else if (statement.startsWith('nationality ')) {
      addCountry(result.nationalities, statement.slice('nationality '.length));
    } else if (statement.startsWith('citizen ')) {
      addCountry(result.nationalities, statement.slice('citizen '.length));
    } else if (AKA_STATEMENT.test(statement)) {
      // The whole statement is the alias, so a name that begins or contains an apostrophe (''ABD AL-MUHSI') survives.
      const name = clean(statement.replace(AKA_STATEMENT, '$1'));
      if (name) result.weakAliases.push(name);
    } else if (statement.includes('.k.a. ')) {
      for (const [, value = ''] of statement.matchAll(WEAK_AKA)) {
        const name = clean(value);
        if (name) result.weakAliases.push(name);
      }
    }
  }
  return result;
}

function addCountry(codes: string[], name: string): void {
  const code = countryCode(name.replace(/[."]+$/, ''));
  if (code && !codes.includes(code)) codes.push(code);
}

/** `26 Apr 1961`, `Apr 1961`, `1961`, `circa 1958`, `circa 12 Jan 1958`, `1955 to 1957`, `12 Jan 1960 to 15 Jan 1962`, `circa 1955-1957`. */
export function ofacBirthDate(raw: string): BirthDate | undefined {
  const text = clean(raw).replace(/[."]+$/, '');
  const approximate = /^circa\s+/i.test(text);
  const value = text.replace(/^circa\s+/i, '');
  const range = /^(.+?)\s+to\s+(.+)$/.exec(value) ?? /^(\d{4})-(\d{4})$/.exec(value);
  if (range) {
    const from = yearOf(range[1] ?? '');
    const to = yearOf(range[2] ?? '');
    return from !== undefined && to !== undefined ? yearRange(from, to) : undefined;
  }
  const date = englishDate(value);
  if (!date) return undefined;
  if (approximate) return circa(Number(date.slice(0, 4)));
  return { date };
}

function yearOf(text: string): number | undefined {
  const date = englishDate(text);
  return date ? Number(date.slice(0, 4)) : undefined;
}
