/**
 * Birth dates tell namesakes apart. A query date is compared with every date the record gives
 * (publishers list several, or a range of years); the most favourable one counts, since any of
 * them may be the true one.
 */
import type { BirthDate } from '../model.ts';

export interface BirthDateComparison {
  /** Added to the name score: positive for agreement, negative for conflict, 0 when unknown. */
  adjustment: number;
  note?: string;
}

interface Span {
  from: number;
  to: number;
  /** 'YYYY-MM-DD' when the publisher gives the day. */
  day?: string;
  /** 'YYYY-MM' when the publisher gives the month. */
  month?: string;
}

function spanOf(b: BirthDate): Span | undefined {
  if (b.date && /^\d{4}/.test(b.date)) {
    const year = Number(b.date.slice(0, 4));
    return {
      from: year,
      to: year,
      day: b.date.length >= 10 ? b.date.slice(0, 10) : undefined,
      month: b.date.length >= 7 ? b.date.slice(0, 7) : undefined,
    };
  }
  if (b.fromYear !== undefined || b.toYear !== undefined) {
    const from = b.fromYear ?? (b.toYear as number);
    return { from, to: b.toYear ?? from };
  }
  return undefined;
}

/** Points for agreement and, above all, a penalty that grows with the years between the two dates. */
export function compareBirthDates(query: string | undefined, record: readonly BirthDate[]): BirthDateComparison {
  if (!query || !/^\d{4}/.test(query)) return { adjustment: 0 };
  const spans = record.map(spanOf).filter((s): s is Span => s !== undefined);
  if (spans.length === 0) return { adjustment: 0 };
  const year = Number(query.slice(0, 4));
  const day = query.length >= 10 ? query.slice(0, 10) : undefined;
  const month = query.length >= 7 ? query.slice(0, 7) : undefined;
  let best: BirthDateComparison = { adjustment: -1 };
  for (const s of spans) {
    let c: BirthDateComparison;
    if (year >= s.from && year <= s.to) {
      if (day && s.day) {
        c =
          day === s.day
            ? { adjustment: 0.06, note: `birth date ${day} matches` }
            : { adjustment: -0.04, note: `birth date ${day} vs ${s.day}: same year, other day` };
      } else if (month && s.month && month !== s.month) {
        c = { adjustment: -0.03, note: `birth month ${month} vs ${s.month}` };
      } else {
        c = { adjustment: s.from === s.to ? 0.03 : 0.02, note: `birth year ${year} within ${rangeText(s)}` };
      }
    } else {
      const apart = year < s.from ? s.from - year : year - s.to;
      // One year apart is a common recording error; from two years on it is more likely someone else.
      const adjustment = apart === 1 ? -0.04 : -Math.min(0.45, 0.08 * apart);
      c = { adjustment, note: `birth year ${year} vs ${rangeText(s)}: ${apart} year(s) apart` };
    }
    if (c.adjustment > best.adjustment) best = c;
  }
  return best;
}

function rangeText(s: Span): string {
  if (s.day) return s.day;
  return s.from === s.to ? String(s.from) : `${s.from}–${s.to}`;
}
