/**
 * The real Norges Bank client against the simulator, over HTTP on a loopback port. A second route
 * on the same server serves documents the simulator never would, to check that the client refuses
 * them.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { RateBook } from '@drop/core';
import { NorgesBankRateSource, parseExchangeRateDocument, shiftDecimalLeft } from '@drop/integrations';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerNorgesBankSimulator } from './index.ts';

const FIXTURE = new URL('../../../integrations/fixtures/norges-bank/exr-latest.sdmx.json', import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: the tests edit recorded documents as free-form JSON.
type Json = Record<string, any>;

let app: FastifyInstance;
let origin: string;
/** What the '/broken' route answers next: a status and a body (an object is sent as JSON). */
let brokenAnswer: { status: number; body: unknown } = { status: 200, body: {} };

async function fixture(): Promise<Json> {
  return JSON.parse(await readFile(FIXTURE, 'utf8')) as Json;
}

before(async () => {
  app = Fastify();
  await registerNorgesBankSimulator(app, { prefix: '/norges-bank-sim', dates: 'fixture' });
  await registerNorgesBankSimulator(app, { prefix: '/rolling-sim', clock: () => new Date('2026-11-29T12:00:00Z') });
  app.get('/broken/api/data/EXR/:key', async (_request, reply) => {
    const { status, body } = brokenAnswer;
    return reply
      .code(status)
      .type('application/vnd.sdmx.data+json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  assert.ok(address && typeof address === 'object');
  origin = `http://127.0.0.1:${address.port}`;
});

after(async () => {
  await app.close();
});

function client(path = '/norges-bank-sim') {
  return new NorgesBankRateSource({ baseUrl: `${origin}${path}`, timeoutMs: 5000 });
}

function serveBroken(body: unknown, status = 200) {
  brokenAnswer = { status, body };
  return client('/broken');
}

test('the latest business day of every corridor currency, per ONE unit', async () => {
  const corridorCurrencies = ['EUR', 'SEK', 'DKK', 'PLN', 'TRY', 'PKR', 'GBP', 'USD', 'INR', 'THB', 'VND', 'BDT', 'PHP'];
  const set = await client().fetchLatest(corridorCurrencies);
  assert.equal(set.source, 'norges-bank');
  assert.equal(set.date, '2026-11-20');
  assert.ok(set.fetchedAt instanceof Date);
  assert.deepEqual(Object.fromEntries(set.rates), {
    EUR: '11.7035',
    GBP: '13.2874',
    PLN: '2.7544',
    TRY: '0.2398',
    USD: '10.1032',
    // Quoted per 100 (UNIT_MULT = 2) and divided exactly on the digits.
    SEK: '1.0712',
    DKK: '1.5677',
    PKR: '0.035911',
    INR: '0.114123',
    THB: '0.310845',
    VND: '0.00038412',
    BDT: '0.082841',
    PHP: '0.17221',
  });
});

test('UNIT_MULT is read per series: a per-100 zero-decimal currency next to a per-1 one', async () => {
  const set = await client().fetchLatest(['JPY', 'CHF']);
  assert.deepEqual(Object.fromEntries(set.rates), { JPY: '0.065412', CHF: '12.612' });
});

test('the client asks for B.<currencies>.NOK.SP in SDMX-JSON, the last observation only', () => {
  assert.equal(
    new NorgesBankRateSource({ baseUrl: 'https://data.norges-bank.no/' }).urlFor(['USD', 'EUR', 'SEK', 'EUR']),
    'https://data.norges-bank.no/api/data/EXR/B.USD+EUR+SEK.NOK.SP?format=sdmx-json&lastNObservations=1&locale=en',
  );
  assert.throws(() => client().urlFor(['EUR', 'usd']), /not an ISO 4217 currency code/);
  assert.throws(() => client().urlFor(['EUR.NOK.SP?x=']), /not an ISO 4217 currency code/);
});

test('a currency Norges Bank does not publish is left out; only unknown currencies is a 404 error', async () => {
  const set = await client().fetchLatest(['EUR', 'LKR']);
  assert.deepEqual([...set.rates.keys()], ['EUR']);
  await assert.rejects(client().fetchLatest(['LKR', 'NGN']), /publishes no exchange rates for LKR, NGN \(404\)/);
});

test('the newest observation wins, whatever order the periods and observations come in', async () => {
  const document = await fixture();
  // Reverse the TIME_PERIOD list and re-point every observation, so index order ≠ date order.
  const periods: Json[] = document.data.structure.dimensions.observation[0].values;
  const count = periods.length;
  document.data.structure.dimensions.observation[0].values = [...periods].reverse();
  for (const series of Object.values<Json>(document.data.dataSets[0].series)) {
    series.observations = Object.fromEntries(
      Object.entries(series.observations).map(([index, value]) => [String(count - 1 - Number(index)), value]),
    );
  }
  const set = await serveBroken(document).fetchLatest(['EUR', 'SEK']);
  assert.equal(set.date, '2026-11-20');
  assert.deepEqual(Object.fromEntries(set.rates), { EUR: '11.7035', SEK: '1.0712' });
});

test('a day without a value (null) falls back to the day before it', async () => {
  const document = await fixture();
  const eur = Object.entries<Json>(document.data.dataSets[0].series).find(([key]) => key === '0:4:0:0')?.[1];
  assert.ok(eur);
  eur.observations['2'] = [null];
  const observations = parseExchangeRateDocument(document);
  assert.deepEqual(observations.get('EUR'), { date: '2026-11-19', nokPerUnit: '11.6836' });
  assert.deepEqual(observations.get('USD'), { date: '2026-11-20', nokPerUnit: '10.1032' });
});

test("a currency whose newest rate is older than the others' is left out of the set", async () => {
  const document = await fixture();
  delete document.data.dataSets[0].series['0:4:0:0'].observations['2']; // EUR stops on the 19th
  const set = await serveBroken(document).fetchLatest(['EUR', 'USD']);
  assert.equal(set.date, '2026-11-20');
  assert.deepEqual([...set.rates.keys()], ['USD']);
});

test('malformed documents are refused with a clear error', async (t) => {
  const cases: Array<[string, (document: Json) => unknown, RegExp]> = [
    ['not JSON', () => '<html>maintenance</html>', /not JSON/],
    ['no data', () => ({ meta: {} }), /document\.data is missing/],
    [
      'no UNIT_MULT attribute',
      (d) => {
        d.data.structure.attributes.series = d.data.structure.attributes.series.filter((a: Json) => a.id !== 'UNIT_MULT');
        return d;
      },
      /no UNIT_MULT/,
    ],
    [
      'a UNIT_MULT index that points nowhere',
      (d) => {
        d.data.dataSets[0].series['0:4:0:0'].attributes[2] = 7;
        return d;
      },
      /\(EUR\) has no valid UNIT_MULT/,
    ],
    [
      'a number instead of a decimal string',
      (d) => {
        d.data.dataSets[0].series['0:4:0:0'].observations['2'] = [11.7035];
        return d;
      },
      /not a decimal string/,
    ],
    [
      'a negative rate',
      (d) => {
        d.data.dataSets[0].series['0:4:0:0'].observations['2'] = ['-11.7035'];
        return d;
      },
      /not a decimal string/,
    ],
    [
      'a zero rate',
      (d) => {
        d.data.dataSets[0].series['0:4:0:0'].observations['2'] = ['0.0000'];
        return d;
      },
      /rate of zero/,
    ],
    [
      'a quote currency other than NOK',
      (d) => {
        d.data.structure.dimensions.series[2].values = [{ id: 'SEK' }];
        return d;
      },
      /not quoted in NOK/,
    ],
    [
      'an observation for a period that is not listed',
      (d) => {
        d.data.dataSets[0].series['0:4:0:0'].observations['9'] = ['1.0'];
        return d;
      },
      /unknown period 9/,
    ],
    [
      'a series key with too few parts',
      (d) => {
        d.data.dataSets[0].series['0:4'] = {};
        return d;
      },
      /series key 0:4 does not match/,
    ],
    [
      'no TIME_PERIOD',
      (d) => {
        d.data.structure.dimensions.observation = [];
        return d;
      },
      /no TIME_PERIOD/,
    ],
  ];
  for (const [name, breakIt, expected] of cases) {
    await t.test(name, async () => {
      await assert.rejects(serveBroken(breakIt(await fixture())).fetchLatest(['EUR']), expected);
    });
  }
});

test('an error status is reported with the status', async () => {
  await assert.rejects(serveBroken('Service Unavailable', 503).fetchLatest(['EUR']), /answered 503/);
});

test('SDMX-JSON 2.0 (data.structures) is read the same way', async () => {
  const document = await fixture();
  document.data.structures = [document.data.structure];
  delete document.data.structure;
  document.data.dataSets[0].structure = 0;
  const set = await serveBroken(document).fetchLatest(['SEK']);
  assert.deepEqual(Object.fromEntries(set.rates), { SEK: '1.0712' });
});

test('shifting the decimal point is exact, on the digits', () => {
  assert.equal(shiftDecimalLeft('107.12', 2), '1.0712');
  assert.equal(shiftDecimalLeft('0.038412', 2), '0.00038412');
  assert.equal(shiftDecimalLeft('6.5412', 2), '0.065412');
  assert.equal(shiftDecimalLeft('100', 2), '1');
  assert.equal(shiftDecimalLeft('11.7000', 0), '11.7');
  assert.equal(shiftDecimalLeft('12345.6', 3), '12.3456');
  assert.throws(() => shiftDecimalLeft('1e2', 2), /not a decimal number/);
});

test('the simulator keeps only the requested series and the last N observations', async () => {
  const response = await fetch(`${origin}/norges-bank-sim/api/data/EXR/B.SEK+USD.NOK.SP?format=sdmx-json&lastNObservations=2`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^application\/vnd\.sdmx\.data\+json/);
  const document = (await response.json()) as Json;
  assert.deepEqual(
    document.data.structure.dimensions.series[1].values.map((v: Json) => v.id),
    ['SEK', 'USD'],
  );
  assert.deepEqual(
    document.data.structure.dimensions.observation[0].values.map((v: Json) => v.id),
    ['2026-11-19', '2026-11-20'],
  );
  assert.deepEqual(Object.keys(document.data.dataSets[0].series), ['0:0:0:0', '0:1:0:0']);
  assert.deepEqual(document.data.dataSets[0].series['0:0:0:0'].observations, { '0': ['106.94'], '1': ['107.12'] });
});

test('the simulator answers a wildcard key with every recorded currency', async () => {
  const response = await fetch(`${origin}/norges-bank-sim/api/data/EXR/B..NOK.SP?format=sdmx-json&lastNObservations=1`);
  const document = (await response.json()) as Json;
  assert.equal(document.data.structure.dimensions.series[1].values.length, 16);
});

test('the simulator refuses what the real API refuses', async () => {
  const base = `${origin}/norges-bank-sim/api/data/EXR`;
  assert.equal((await fetch(`${base}/B.LKR.NOK.SP?format=sdmx-json`)).status, 404);
  assert.equal((await fetch(`${base}/B.EUR.SEK.SP?format=sdmx-json`)).status, 404);
  assert.equal((await fetch(`${base}/M.EUR.NOK.SP?format=sdmx-json`)).status, 404);
  assert.equal((await fetch(`${base}/B.EUR.NOK?format=sdmx-json`)).status, 400);
  assert.equal((await fetch(`${base}/B.EUR.NOK.SP?format=sdmx-json&lastNObservations=0`)).status, 400);
  assert.equal((await fetch(`${base}/B.EUR.NOK.SP?format=csv`)).status, 406);
  assert.equal((await fetch(`${base}/B.EUR.NOK.SP?format=sdmx-json&startPeriod=2026-11-21`)).status, 404);
});

test('by default the simulator moves the recorded days up to the latest weekday', async () => {
  // The rolling simulator's clock says Sunday 2026-11-29: the newest day becomes Friday the 27th.
  const set = await client('/rolling-sim').fetchLatest(['EUR']);
  assert.equal(set.date, '2026-11-27');
  assert.equal(set.rates.get('EUR'), '11.7035');
  const response = await fetch(`${origin}/rolling-sim/api/data/EXR/B.EUR.NOK.SP?format=sdmx-json&lastNObservations=3`);
  const document = (await response.json()) as Json;
  assert.deepEqual(
    document.data.structure.dimensions.observation[0].values.map((v: Json) => v.id),
    ['2026-11-25', '2026-11-26', '2026-11-27'],
  );
});

test("a RateBook on Norges Bank's source prices SEK per krona", async () => {
  const book = new RateBook({ source: client(), currencies: ['SEK', 'EUR'], clock: () => new Date('2026-11-23T09:00:00Z') });
  await book.refresh();
  assert.deepEqual(book.rateFor('SEK'), { nokPerUnit: '1.0712', date: '2026-11-20', source: 'norges-bank' });
});
