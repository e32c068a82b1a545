/**
 * A local Norges Bank exchange-rate API for development and tests. It answers the one request
 * Drop's client makes, in the real API's URL shape and SDMX-JSON 1.0 document shape, from a
 * recorded document (packages/integrations/fixtures/norges-bank/exr-latest.sdmx.json):
 *
 *   GET <prefix>/api/data/EXR/<FREQ>.<BASE_CUR>.<QUOTE_CUR>.<TENOR>?format=sdmx-json&lastNObservations=N
 *
 * - The key works like the real one: values joined with '+', an empty part means all
 *   (`B..NOK.SP`). Only the requested series come back, re-indexed; a key that matches no series
 *   answers 404 "No Results Found", as SDMX REST services do; a key without four parts, 400.
 * - `lastNObservations` keeps the newest N per series; `startPeriod`/`endPeriod` (YYYY-MM-DD) filter.
 * - Only `format=sdmx-json` is simulated (the real API also has csv and SDMX-ML); anything else, 406.
 * - By default the recorded business days are moved forward so the newest is the latest weekday
 *   up to today in Oslo: a dev stack left running for weeks still has fresh-looking rates (the
 *   RateBook refuses stale ones). `dates: 'fixture'` keeps the recorded days, for tests.
 *
 * The fixture is read once at registration. It lives outside `src`, so an image that mounts this
 * simulator must include it.
 */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';

export interface NorgesBankSimulatorOptions {
  /** e.g. '/norges-bank-sim'; Drop's client then uses `${publicUrl}/norges-bank-sim` as its baseUrl. */
  prefix: string;
  /** 'rolling' (default) or 'fixture', see above. */
  dates?: 'rolling' | 'fixture';
  clock?: () => Date;
}

interface RecordedSeries {
  currency: string;
  /** The series' attribute indexes, as recorded (they point into the unchanged attribute lists). */
  attributes: unknown[];
  /** Oldest first. `value` is the whole observation array (value, then observation attributes). */
  observations: Array<{ date: string; value: unknown[] }>;
}

interface Recorded {
  document: Record<string, unknown>;
  structure: Record<string, unknown>;
  currencyValues: Array<Record<string, unknown>>;
  series: RecordedSeries[];
}

type Json = Record<string, unknown>;

const SDMX_JSON = 'application/vnd.sdmx.data+json; charset=utf-8; version=1.0.0';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const osloDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

function normalisePrefix(value: string): string {
  const prefix = value.replace(/\/+$/, '');
  if (!prefix.startsWith('/') || prefix.length < 2 || /[?#\s]/.test(prefix)) {
    throw new Error(`Norges Bank simulator: prefix must be a path like '/norges-bank-sim', not '${value}'`);
  }
  return prefix;
}

function fixtureUrl(): URL {
  // Resolved through the package so this file need not know the repository layout.
  return new URL('../fixtures/norges-bank/exr-latest.sdmx.json', import.meta.resolve('@drop/integrations'));
}

function fail(what: string): never {
  throw new Error(`Norges Bank simulator: the fixture is not an EXR SDMX-JSON document (${what})`);
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(what);
  return value as Json;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) fail(what);
  return value;
}

/** Reads the recorded document into series with their dates, so each request can cut its own. */
function readRecorded(document: Json): Recorded {
  const data = asObject(document.data, 'data');
  const structure = asObject(data.structure, 'data.structure');
  const dimensions = asObject(structure.dimensions, 'dimensions');
  const seriesDimensions = asArray(dimensions.series, 'dimensions.series').map((d) => asObject(d, 'dimension'));
  const ids = seriesDimensions.map((d) => d.id).join('.');
  if (ids !== 'FREQ.BASE_CUR.QUOTE_CUR.TENOR') fail(`dimensions ${ids}`);
  const currencyValues = asArray(seriesDimensions[1]?.values, 'BASE_CUR values').map((v) => asObject(v, 'BASE_CUR value'));
  const time = asArray(dimensions.observation, 'dimensions.observation').map((d) => asObject(d, 'observation dimension'));
  const periods = asArray(time.find((d) => d.id === 'TIME_PERIOD')?.values, 'TIME_PERIOD').map((v) => String(asObject(v, 'period').id));
  const dataSet = asObject(asArray(data.dataSets, 'dataSets')[0], 'dataSets[0]');

  const series = Object.entries(asObject(dataSet.series, 'series')).map(([key, raw]): RecordedSeries => {
    const recorded = asObject(raw, key);
    const currency = currencyValues[Number(key.split(':')[1])]?.id;
    if (typeof currency !== 'string' || !key.startsWith('0:') || !key.endsWith(':0:0')) fail(`series ${key}`);
    const observations = Object.entries(asObject(recorded.observations, `${key} observations`))
      .map(([index, value]) => {
        const date = periods[Number(index)];
        if (!date || !DAY.test(date)) fail(`${key} observation ${index}`);
        return { date, value: asArray(value, `${key} observation ${index}`) };
      })
      .sort((a, b) => a.date.localeCompare(b.date));
    return { currency, attributes: asArray(recorded.attributes, `${key} attributes`), observations };
  });
  return { document, structure, currencyValues, series };
}

function weekdayOnOrBefore(isoDate: string): Date {
  const day = new Date(`${isoDate}T00:00:00Z`);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setTime(day.getTime() - DAY_MS);
  return day;
}

/** Recorded business day → the day it is served as: newest → latest weekday up to today, and back from there. */
function rollingDates(recorded: Recorded, today: string): Map<string, string> {
  const recordedDays = [...new Set(recorded.series.flatMap((s) => s.observations.map((o) => o.date)))].sort().reverse();
  const mapping = new Map<string, string>();
  let day = weekdayOnOrBefore(today);
  for (const recordedDay of recordedDays) {
    mapping.set(recordedDay, day.toISOString().slice(0, 10));
    day = weekdayOnOrBefore(new Date(day.getTime() - DAY_MS).toISOString().slice(0, 10));
  }
  return mapping;
}

/** A key part: '' is every value, otherwise values joined with '+'. */
function keyPart(part: string): ((value: string) => boolean) | undefined {
  if (part === '') return () => true;
  const values = part.split('+');
  if (values.some((value) => !/^[A-Z0-9_]+$/.test(value))) return undefined;
  return (value) => values.includes(value);
}

function sendText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(text);
}

interface ExrQuery {
  format?: string;
  lastNObservations?: string;
  startPeriod?: string;
  endPeriod?: string;
}

export async function registerNorgesBankSimulator(app: FastifyInstance, options: NorgesBankSimulatorOptions): Promise<void> {
  const prefix = normalisePrefix(options.prefix);
  const clock = options.clock ?? (() => new Date());
  const recorded = readRecorded(asObject(JSON.parse(await readFile(fixtureUrl(), 'utf8')), 'document'));

  function respond(
    url: string,
    selected: RecordedSeries[],
    query: { lastN: number | undefined; start: string | undefined; end: string | undefined },
  ): Json | undefined {
    const dateFor = options.dates === 'fixture' ? undefined : rollingDates(recorded, osloDate.format(clock()));
    const cut = selected
      .map((series) => {
        let observations = series.observations
          .map((o) => ({ ...o, date: dateFor?.get(o.date) ?? o.date }))
          .filter((o) => (!query.start || o.date >= query.start) && (!query.end || o.date <= query.end));
        if (query.lastN !== undefined) observations = observations.slice(-query.lastN);
        return { ...series, observations };
      })
      .filter((series) => series.observations.length > 0);
    if (cut.length === 0) return undefined;

    const periods = [...new Set(cut.flatMap((s) => s.observations.map((o) => o.date)))].sort();
    const series: Json = {};
    cut.forEach((s, index) => {
      const observations: Json = {};
      for (const o of s.observations) observations[String(periods.indexOf(o.date))] = o.value;
      series[`0:${index}:0:0`] = { attributes: s.attributes, observations };
    });
    const currencyValues = cut.map((s) => recorded.currencyValues.find((v) => v.id === s.currency));
    const dimensions = recorded.structure.dimensions as Json;
    const [freq, , quote, tenor] = dimensions.series as Json[];
    const timePeriod = (dimensions.observation as Json[])[0] as Json;
    const recordedDataSet = ((recorded.document.data as Json).dataSets as Json[])[0];
    return {
      meta: { ...(recorded.document.meta as Json), prepared: clock().toISOString().slice(0, 19), links: [{ rel: 'self', href: url }] },
      data: {
        dataSets: [
          {
            ...recordedDataSet,
            reportingBegin: `${periods[0]}T00:00:00`,
            reportingEnd: `${periods.at(-1)}T23:59:59`,
            series,
          },
        ],
        structure: {
          ...recorded.structure,
          dimensions: {
            ...dimensions,
            series: [freq, { ...(dimensions.series as Json[])[1], values: currencyValues }, quote, tenor],
            observation: [
              { ...timePeriod, values: periods.map((d) => ({ start: `${d}T00:00:00`, end: `${d}T23:59:59`, id: d, name: d })) },
            ],
          },
        },
      },
    };
  }

  const routes: FastifyPluginAsync = async (scope) => {
    scope.get<{ Params: { key: string }; Querystring: ExrQuery }>(`${prefix}/api/data/EXR/:key`, async (request, reply) => {
      const { format, lastNObservations, startPeriod, endPeriod } = request.query;
      if (format !== 'sdmx-json') return sendText(reply, 406, 'Not Acceptable: the simulator only answers format=sdmx-json');
      const lastN = lastNObservations === undefined ? undefined : Number(lastNObservations);
      if (lastN !== undefined && !(Number.isSafeInteger(lastN) && lastN > 0))
        return sendText(reply, 400, 'Syntax error: lastNObservations');
      for (const period of [startPeriod, endPeriod]) {
        if (period !== undefined && !DAY.test(period))
          return sendText(reply, 400, 'Syntax error: startPeriod/endPeriod must be YYYY-MM-DD');
      }

      const parts = request.params.key.split('.');
      const [freq, base, quote, tenor] = parts.map(keyPart);
      if (parts.length !== 4 || !freq || !base || !quote || !tenor)
        return sendText(reply, 400, 'Syntax error: the key must be FREQ.BASE_CUR.QUOTE_CUR.TENOR');
      // The recording holds business-day (B) NOK spot (SP) series only.
      const selected = freq('B') && quote('NOK') && tenor('SP') ? recorded.series.filter((s) => base(s.currency)) : [];
      const document = respond(request.url, selected, { lastN, start: startPeriod, end: endPeriod });
      if (!document) return sendText(reply, 404, 'No Results Found');
      return reply.code(200).header('cache-control', 'no-store').type(SDMX_JSON).send(JSON.stringify(document));
    });
  };
  await app.register(routes);
}
