/**
 * Reference exchange rates: the mid-market rates Drop prices against before its margin. A
 * RateSource fetches them (Norges Bank in production, its simulator locally); a RateBook keeps the
 * latest set in memory and refuses to price on rates that are missing or too old.
 *
 * Rates are decimal strings of NOK per ONE unit of the foreign currency, whatever unit the source
 * quotes in (Norges Bank quotes SEK per 100; the source converts).
 */
import { DomainError } from '../errors.ts';

export interface ReferenceRateSet {
  source: string;
  /** YYYY-MM-DD, the business day the rates are for. */
  date: string;
  fetchedAt: Date;
  /** Currency → NOK per 1 unit, as a decimal string. */
  rates: ReadonlyMap<string, string>;
}

export interface RateSource {
  readonly name: string;
  fetchLatest(currencies: readonly string[]): Promise<ReferenceRateSet>;
}

export interface ReferenceRate {
  nokPerUnit: string;
  date: string;
  source: string;
}

export interface RateBookOptions {
  source: RateSource;
  currencies: readonly string[];
  /**
   * How many calendar days after its business day a set may still be used. 4 covers a weekend
   * followed by a Norwegian holiday Monday; Easter and Christmas can be longer.
   */
  maxAgeDays?: number;
  clock?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

// Norges Bank's business days are Norwegian days: "today" is today in Oslo, not in UTC.
const osloDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Today in Oslo, formatted once per minute: every quote asks, and Intl formatting was a few per
 * cent of the server's CPU under bench:transfers. Exact, not approximate: Oslo's offset from UTC
 * is whole hours, so its date changes only on a minute boundary.
 */
let osloToday: { minute: number; date: string } | undefined;
function osloDateOf(now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (osloToday?.minute !== minute) osloToday = { minute, date: osloDate.format(now) };
  return osloToday.date;
}

function daysBetween(fromIsoDate: string, toIsoDate: string): number {
  return Math.round((Date.parse(`${toIsoDate}T00:00:00Z`) - Date.parse(`${fromIsoDate}T00:00:00Z`)) / DAY_MS);
}

function unavailable(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('RATES_UNAVAILABLE', message, details);
}

export class RateBook {
  private readonly source: RateSource;
  private readonly currencies: readonly string[];
  private readonly maxAgeDays: number;
  private readonly clock: () => Date;
  private current: ReferenceRateSet | undefined;
  private inFlight: Promise<ReferenceRateSet> | undefined;

  constructor(options: RateBookOptions) {
    this.source = options.source;
    this.currencies = [...options.currencies];
    this.maxAgeDays = options.maxAgeDays ?? 4;
    this.clock = options.clock ?? (() => new Date());
  }

  /** The set in use, if any (for health checks and the back office). */
  get latest(): ReferenceRateSet | undefined {
    return this.current;
  }

  /**
   * Fetches a new set. On failure the old set stays in use (until it is too old) and the error is
   * rethrown for the caller to log. Calls while a fetch is running share it.
   */
  refresh(): Promise<ReferenceRateSet> {
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<ReferenceRateSet> {
    const set = await this.source.fetchLatest(this.currencies);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(set.date) || Number.isNaN(Date.parse(set.date))) {
      throw new Error(`Rate source ${set.source} returned the business day '${set.date}'`);
    }
    // A lagging mirror or cache must not replace newer rates with older ones.
    if (!this.current || set.date >= this.current.date) this.current = set;
    return this.current;
  }

  /** The reference rate to price `currency` with, or RATES_UNAVAILABLE. */
  rateFor(currency: string): ReferenceRate {
    const set = this.current;
    if (!set) throw unavailable('Exchange rates have not been loaded yet.', { currency, reason: 'not_loaded' });
    const ageDays = daysBetween(set.date, osloDateOf(this.clock()));
    if (ageDays > this.maxAgeDays) {
      throw unavailable(`The latest exchange rates are from ${set.date}, too old to price with.`, {
        currency,
        reason: 'stale',
        date: set.date,
      });
    }
    const nokPerUnit = set.rates.get(currency);
    if (nokPerUnit === undefined) throw unavailable(`No exchange rate for ${currency}.`, { currency, reason: 'missing', date: set.date });
    return { nokPerUnit, date: set.date, source: set.source };
  }

  /**
   * Refreshes every `intervalMs` until the returned function is called. Does not fetch at once
   * (await refresh() at start-up for that). The timer does not keep the process alive.
   */
  startAutoRefresh(intervalMs: number, onError: (error: unknown) => void): () => void {
    const timer = setInterval(() => {
      this.refresh().catch(onError);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
