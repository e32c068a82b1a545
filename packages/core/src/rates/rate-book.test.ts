import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { RateBook, type RateSource, type ReferenceRateSet } from './rate-book.ts';

function rateSet(date: string, rates: Record<string, string>): ReferenceRateSet {
  return { source: 'test-bank', date, fetchedAt: new Date(`${date}T15:00:00Z`), rates: new Map(Object.entries(rates)) };
}

/** A source that answers from a queue: a set, or an error to throw. */
function scriptedSource(...answers: Array<ReferenceRateSet | Error>) {
  const requested: Array<readonly string[]> = [];
  const source: RateSource = {
    name: 'test-bank',
    async fetchLatest(currencies) {
      requested.push(currencies);
      const answer = answers.shift();
      if (!answer) throw new Error('no more answers scripted');
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { source, requested };
}

function clockAt(iso: string) {
  let now = new Date(iso);
  return {
    clock: () => now,
    set: (next: string) => {
      now = new Date(next);
    },
  };
}

const FRIDAY = rateSet('2026-11-20', { EUR: '11.7035', SEK: '1.0712' });

test('before the first refresh there is no rate: RATES_UNAVAILABLE, not_loaded', () => {
  const book = new RateBook({ source: scriptedSource().source, currencies: ['EUR'] });
  assert.throws(() => book.rateFor('EUR'), { code: 'RATES_UNAVAILABLE', details: { currency: 'EUR', reason: 'not_loaded' } });
  assert.equal(book.latest, undefined);
});

test('after a refresh each currency has its rate, business day and source', async () => {
  const { source, requested } = scriptedSource(FRIDAY);
  const { clock } = clockAt('2026-11-21T10:00:00Z');
  const book = new RateBook({ source, currencies: ['EUR', 'SEK'], clock });
  assert.equal(await book.refresh(), FRIDAY);
  assert.deepEqual(requested, [['EUR', 'SEK']]);
  assert.deepEqual(book.rateFor('EUR'), { nokPerUnit: '11.7035', date: '2026-11-20', source: 'test-bank' });
  assert.deepEqual(book.rateFor('SEK'), { nokPerUnit: '1.0712', date: '2026-11-20', source: 'test-bank' });
});

test('a currency missing from the set is RATES_UNAVAILABLE, missing', async () => {
  const book = new RateBook({
    source: scriptedSource(FRIDAY).source,
    currencies: ['EUR', 'LKR'],
    clock: clockAt('2026-11-20T16:00:00Z').clock,
  });
  await book.refresh();
  assert.throws(() => book.rateFor('LKR'), {
    code: 'RATES_UNAVAILABLE',
    details: { currency: 'LKR', reason: 'missing', date: '2026-11-20' },
  });
});

test("Friday's rates serve until Tuesday (4 days) and are stale on Wednesday, counted in Oslo days", async () => {
  const time = clockAt('2026-11-24T22:59:00Z'); // Tuesday 23:59 in Oslo
  const book = new RateBook({ source: scriptedSource(FRIDAY).source, currencies: ['EUR'], clock: time.clock });
  await book.refresh();
  assert.equal(book.rateFor('EUR').nokPerUnit, '11.7035');
  time.set('2026-11-24T23:00:00Z'); // Wednesday 00:00 in Oslo, still Tuesday in UTC
  assert.throws(() => book.rateFor('EUR'), {
    code: 'RATES_UNAVAILABLE',
    details: { currency: 'EUR', reason: 'stale', date: '2026-11-20' },
  });
});

test('maxAgeDays is configurable', async () => {
  const time = clockAt('2026-11-21T12:00:00Z');
  const book = new RateBook({ source: scriptedSource(FRIDAY).source, currencies: ['EUR'], clock: time.clock, maxAgeDays: 0 });
  await book.refresh();
  assert.throws(() => book.rateFor('EUR'), { details: { currency: 'EUR', reason: 'stale', date: '2026-11-20' } });
});

test('a failed refresh keeps the old set and rethrows for the caller to log', async () => {
  const outage = new Error('Norges Bank is down');
  const { source } = scriptedSource(FRIDAY, outage);
  const book = new RateBook({ source, currencies: ['EUR'], clock: clockAt('2026-11-23T10:00:00Z').clock });
  await book.refresh();
  await assert.rejects(book.refresh(), outage);
  assert.equal(book.latest, FRIDAY);
  assert.equal(book.rateFor('EUR').date, '2026-11-20');
});

test('an answer with an older business day does not replace newer rates', async () => {
  const monday = rateSet('2026-11-23', { EUR: '11.6901' });
  const { source } = scriptedSource(monday, FRIDAY);
  const book = new RateBook({ source, currencies: ['EUR'], clock: clockAt('2026-11-23T16:00:00Z').clock });
  await book.refresh();
  assert.equal(await book.refresh(), monday);
  assert.equal(book.rateFor('EUR').nokPerUnit, '11.6901');
});

test('a set with a business day that is not YYYY-MM-DD is refused and the old one kept', async () => {
  const { source } = scriptedSource(FRIDAY, rateSet('20.11.2026', { EUR: '1' }));
  const book = new RateBook({ source, currencies: ['EUR'], clock: clockAt('2026-11-21T10:00:00Z').clock });
  await book.refresh();
  await assert.rejects(book.refresh(), /business day '20.11.2026'/);
  assert.equal(book.latest, FRIDAY);
});

test('refreshes that overlap share one fetch', async () => {
  const { source, requested } = scriptedSource(FRIDAY);
  const book = new RateBook({ source, currencies: ['EUR'] });
  const [first, second] = await Promise.all([book.refresh(), book.refresh()]);
  assert.equal(first, FRIDAY);
  assert.equal(second, FRIDAY);
  assert.equal(requested.length, 1);
});

test('auto-refresh fetches on every interval, reports failures and stops when told', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval'] });
  const monday = rateSet('2026-11-23', { EUR: '11.6901' });
  const outage = new Error('timeout');
  const { source, requested } = scriptedSource(FRIDAY, outage, monday);
  const book = new RateBook({ source, currencies: ['EUR'], clock: clockAt('2026-11-23T16:00:00Z').clock });
  const errors: unknown[] = [];
  const stop = book.startAutoRefresh(60_000, (error) => errors.push(error));
  assert.equal(requested.length, 0, 'no fetch before the first interval');

  // Each tick starts a refresh; calling refresh() right after joins that same fetch.
  t.mock.timers.tick(60_000);
  assert.equal(await book.refresh(), FRIDAY);

  t.mock.timers.tick(60_000);
  await assert.rejects(book.refresh(), outage);
  assert.deepEqual(errors, [outage]);
  assert.equal(book.rateFor('EUR').nokPerUnit, '11.7035');

  t.mock.timers.tick(60_000);
  assert.equal(await book.refresh(), monday);
  assert.equal(requested.length, 3);

  stop();
  t.mock.timers.tick(600_000);
  assert.equal(requested.length, 3);
  assert.deepEqual(errors, [outage]);
});

test('the auto-refresh timer does not keep the process alive', () => {
  const unref = mock.fn();
  const fakeTimer = { unref } as unknown as NodeJS.Timeout;
  const setIntervalMock = mock.method(globalThis, 'setInterval', () => fakeTimer);
  const clearIntervalMock = mock.method(globalThis, 'clearInterval', () => undefined);
  try {
    const stop = new RateBook({ source: scriptedSource().source, currencies: ['EUR'] }).startAutoRefresh(1000, () => undefined);
    assert.equal(unref.mock.callCount(), 1);
    stop();
    assert.deepEqual(clearIntervalMock.mock.calls[0]?.arguments, [fakeTimer]);
  } finally {
    setIntervalMock.mock.restore();
    clearIntervalMock.mock.restore();
  }
});
