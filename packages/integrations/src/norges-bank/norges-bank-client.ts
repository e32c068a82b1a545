/**
 * Norges Bank's exchange rates, from its open data API (SDMX REST, no key):
 *
 *   GET {baseUrl}/api/data/EXR/B.USD+EUR+SEK.NOK.SP?format=sdmx-json&lastNObservations=1&locale=en
 *
 * The series key is FREQ.BASE_CUR.QUOTE_CUR.TENOR: B = business-day rates, several base currencies
 * joined with '+', always quoted in NOK, always spot. Rates are mid rates published about 16:00
 * Oslo time on Norwegian business days. A key with no known currency at all answers 404.
 *
 * The answer is SDMX-JSON: `data.structure.dimensions.series` lists each dimension's values, and a
 * series in `data.dataSets[0].series` is keyed by indexes into them ("0:3:0:0" = the fourth
 * BASE_CUR). Its `observations` are keyed by indexes into the TIME_PERIOD values, each an array
 * whose first element is the value as a decimal string. Its `attributes` are indexes into
 * `data.structure.attributes.series[i].values`; UNIT_MULT says the value is per 10^UNIT_MULT units
 * (SEK, DKK, JPY, INR, … are quoted per 100), so it is divided out here, exactly, on the digits.
 * SDMX-JSON 2.0 (`data.structures[n]`) is read the same way.
 */
import type { RateSource, ReferenceRateSet } from '@drop/core';

export interface NorgesBankRateSourceOptions {
  /** 'https://data.norges-bank.no', or the simulator's mount, e.g. 'http://127.0.0.1:3000/norges-bank-sim'. */
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface NorgesBankObservation {
  /** YYYY-MM-DD */
  date: string;
  /** NOK per 1 unit of the currency, UNIT_MULT divided out. */
  nokPerUnit: string;
}

const CURRENCY = /^[A-Z]{3}$/;
const DECIMAL = /^\d+(\.\d+)?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function malformed(detail: string): Error {
  return new Error(`Norges Bank exchange-rate document is malformed: ${detail}`);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(parent: Json, key: string, where: string): Json {
  const value = parent[key];
  if (!isObject(value)) throw malformed(`${where}.${key} is missing`);
  return value;
}

function arrayAt(parent: Json, key: string, where: string): unknown[] {
  const value = parent[key];
  if (!Array.isArray(value)) throw malformed(`${where}.${key} is not a list`);
  return value;
}

/** The `id`s of a dimension's or attribute's values, in order. */
function valueIds(component: Json, where: string): string[] {
  return arrayAt(component, 'values', where).map((value, index) => {
    if (!isObject(value) || typeof value.id !== 'string') throw malformed(`${where}.values[${index}] has no id`);
    return value.id;
  });
}

function findComponent(list: unknown[], id: string): Json | undefined {
  return list.find((component): component is Json => isObject(component) && component.id === id);
}

/** `value` ÷ 10^places on the digits, without trailing zeros: ("107.12", 2) → "1.0712". */
export function shiftDecimalLeft(value: string, places: number): string {
  if (!DECIMAL.test(value)) throw malformed(`'${value}' is not a decimal number`);
  const [whole = '', fraction = ''] = value.split('.');
  const digits = (whole + fraction).padStart(places + fraction.length + 1, '0');
  const point = digits.length - fraction.length - places;
  const integerPart = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const fractionPart = digits.slice(point).replace(/0+$/, '');
  return fractionPart ? `${integerPart}.${fractionPart}` : integerPart;
}

/**
 * The latest observation per base currency in an EXR document. Refuses (throws) anything that is
 * not a well-formed NOK spot-rate document rather than guess: a wrong rate is worse than none.
 */
export function parseExchangeRateDocument(document: unknown): Map<string, NorgesBankObservation> {
  if (!isObject(document)) throw malformed('not a JSON object');
  const data = objectAt(document, 'data', 'document');
  const dataSets = arrayAt(data, 'dataSets', 'data');
  const dataSet = dataSets[0];
  if (dataSets.length !== 1 || !isObject(dataSet)) throw malformed(`expected one data set, got ${dataSets.length}`);
  // SDMX-JSON 1.0 has one `structure`; 2.0 has `structures`, which a data set points into.
  const structureIndex = typeof dataSet.structure === 'number' ? dataSet.structure : 0;
  const structure: unknown = isObject(data.structure)
    ? data.structure
    : Array.isArray(data.structures)
      ? data.structures[structureIndex]
      : undefined;
  if (!isObject(structure)) throw malformed('data.structure is missing');

  const dimensions = objectAt(structure, 'dimensions', 'structure');
  const seriesDimensions = arrayAt(dimensions, 'series', 'structure.dimensions');
  const dimensionIds = seriesDimensions.map((dimension) => (isObject(dimension) ? dimension.id : undefined));
  const basePosition = dimensionIds.indexOf('BASE_CUR');
  const quotePosition = dimensionIds.indexOf('QUOTE_CUR');
  if (basePosition < 0 || quotePosition < 0) throw malformed('the series dimensions lack BASE_CUR or QUOTE_CUR');
  const dimensionValues = seriesDimensions.map((dimension, index) => {
    if (!isObject(dimension)) throw malformed(`structure.dimensions.series[${index}] is not an object`);
    return valueIds(dimension, `structure.dimensions.series[${index}]`);
  });

  const timeDimension = findComponent(arrayAt(dimensions, 'observation', 'structure.dimensions'), 'TIME_PERIOD');
  if (!timeDimension) throw malformed('there is no TIME_PERIOD observation dimension');
  const periods = valueIds(timeDimension, 'TIME_PERIOD');

  const seriesAttributes = arrayAt(objectAt(structure, 'attributes', 'structure'), 'series', 'structure.attributes');
  const unitMultPosition = seriesAttributes.findIndex((attribute) => isObject(attribute) && attribute.id === 'UNIT_MULT');
  if (unitMultPosition < 0) throw malformed('there is no UNIT_MULT series attribute');
  const unitMults = valueIds(seriesAttributes[unitMultPosition] as Json, 'UNIT_MULT');

  const latest = new Map<string, NorgesBankObservation>();
  for (const [key, series] of Object.entries(objectAt(dataSet, 'series', 'dataSet'))) {
    if (!isObject(series)) throw malformed(`series ${key} is not an object`);
    const indexes = key.split(':').map(Number);
    if (indexes.length !== dimensionValues.length) throw malformed(`series key ${key} does not match the dimensions`);
    const value = (position: number) => dimensionValues[position]?.[indexes[position] ?? -1];
    const currency = value(basePosition);
    if (currency === undefined || !CURRENCY.test(currency)) throw malformed(`series ${key} has no base currency`);
    if (value(quotePosition) !== 'NOK') throw malformed(`series ${key} is not quoted in NOK`);

    const unitMultIndex = arrayAt(series, 'attributes', `series ${key}`)[unitMultPosition];
    const unitMult = typeof unitMultIndex === 'number' ? unitMults[unitMultIndex] : undefined;
    if (unitMult === undefined || !/^\d$/.test(unitMult)) throw malformed(`series ${key} (${currency}) has no valid UNIT_MULT`);

    let newest: { date: string; raw: string } | undefined;
    for (const [periodIndex, observation] of Object.entries(objectAt(series, 'observations', `series ${key}`))) {
      const date = periods[Number(periodIndex)];
      if (date === undefined || !DAY.test(date)) throw malformed(`series ${key} has an observation for an unknown period ${periodIndex}`);
      if (!Array.isArray(observation)) throw malformed(`series ${key} observation ${date} is not a list`);
      const raw = observation[0];
      if (raw === null || raw === undefined) continue; // no rate that day
      if (typeof raw !== 'string' || !DECIMAL.test(raw)) throw malformed(`series ${key} observation ${date} is not a decimal string`);
      if (!newest || date > newest.date) newest = { date, raw };
    }
    if (!newest) continue;
    const nokPerUnit = shiftDecimalLeft(newest.raw, Number(unitMult));
    if (!/[1-9]/.test(nokPerUnit)) throw malformed(`${currency} has a rate of zero on ${newest.date}`);
    latest.set(currency, { date: newest.date, nokPerUnit });
  }
  return latest;
}

export class NorgesBankRateSource implements RateSource {
  readonly name = 'norges-bank';
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: NorgesBankRateSourceOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The URL for the latest business-day rate of each currency. */
  urlFor(currencies: readonly string[]): string {
    for (const currency of currencies) if (!CURRENCY.test(currency)) throw new Error(`'${currency}' is not an ISO 4217 currency code`);
    if (currencies.length === 0) throw new Error('No currencies to fetch');
    const key = `B.${[...new Set(currencies)].join('+')}.NOK.SP`;
    return `${this.baseUrl}/api/data/EXR/${key}?format=sdmx-json&lastNObservations=1&locale=en`;
  }

  /**
   * The newest business day in the answer, with every requested currency that has a rate for that
   * day. A currency Norges Bank does not publish, or whose rate is older than the others' (a
   * suspended quote), is left out, so pricing it fails rather than using an old rate.
   */
  async fetchLatest(currencies: readonly string[]): Promise<ReferenceRateSet> {
    const url = this.urlFor(currencies);
    const response = await this.fetchFn(url, {
      headers: { accept: 'application/vnd.sdmx.data+json, application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const body = await response.text();
    if (response.status === 404) throw new Error(`Norges Bank publishes no exchange rates for ${currencies.join(', ')} (404)`);
    if (!response.ok) throw new Error(`Norges Bank answered ${response.status} for ${url}: ${body.slice(0, 200)}`);
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      throw malformed('the answer is not JSON');
    }
    const observations = parseExchangeRateDocument(document);
    let date = '';
    for (const currency of currencies) {
      const observation = observations.get(currency);
      if (observation && observation.date > date) date = observation.date;
    }
    if (!date) throw new Error(`Norges Bank's answer has no rates for ${currencies.join(', ')}`);
    const rates = new Map<string, string>();
    for (const currency of currencies) {
      const observation = observations.get(currency);
      if (observation?.date === date) rates.set(currency, observation.nokPerUnit);
    }
    return { source: this.name, date, fetchedAt: new Date(), rates };
  }
}
