import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { currencyDecimals } from '../money/currencies.ts';
import { type Corridor, corridorsFromJson, DEFAULT_CORRIDORS, findCorridor } from './corridors.ts';
import { feeFor, type PricedQuote, priceQuote, RATE_DECIMALS } from './price-quote.ts';

const GERMANY = findCorridor(DEFAULT_CORRIDORS, 'DE', 'EUR');
const VIETNAM = findCorridor(DEFAULT_CORRIDORS, 'VN', 'VND');
const EUR_REFERENCE = { nokPerUnit: '11.7035' };

/** What a customer can do with the quote and a calculator: converted NOK × the shown rate, floored to minor units. */
function recomputeReceive(quote: PricedQuote, convertedOre: bigint = quote.convertedMinor): bigint {
  const [whole = '', fraction = ''] = quote.rate.split('.');
  assert.equal(fraction.length, RATE_DECIMALS);
  const rateScaled = BigInt(whole + fraction);
  const unit = 10n ** BigInt(currencyDecimals(quote.receiveCurrency));
  if (convertedOre <= 0n) return 0n;
  return (convertedOre * rateScaled * unit) / (100n * 10n ** BigInt(RATE_DECIMALS));
}

test('NOK 10 000 to Germany: NOK 19 + 0.35 % fee, the rest at the reference less 40 bps', () => {
  const quote = priceQuote({ by: 'send', amountMinor: 1_000_000n, corridor: GERMANY, reference: EUR_REFERENCE });
  // fee 19.00 + ceil(35.00) = 54.00; 9946.00 NOK × (1/11.7035 × 0.996 = 0.0851027470…) = EUR 846.43
  assert.deepEqual(quote, {
    sendAmountMinor: 1_000_000n,
    feeMinor: 5_400n,
    convertedMinor: 994_600n,
    rate: '0.0851027470',
    receiveAmountMinor: 84_643n,
    receiveCurrency: 'EUR',
  });
});

test('a percentage fee with a fraction of an øre is rounded up', () => {
  // 0.35 % of NOK 10 000.01 is 3500.0035 øre: the fee is 19.00 + 35.01.
  const quote = priceQuote({ by: 'send', amountMinor: 1_000_001n, corridor: GERMANY, reference: EUR_REFERENCE });
  assert.equal(quote.feeMinor, 5_401n);
  assert.equal(quote.convertedMinor, 994_600n);
});

test('NOK 100 to Germany pays the NOK 29 minimum fee', () => {
  const quote = priceQuote({ by: 'send', amountMinor: 10_000n, corridor: GERMANY, reference: EUR_REFERENCE });
  assert.deepEqual(
    { fee: quote.feeMinor, converted: quote.convertedMinor, receive: quote.receiveAmountMinor },
    { fee: 2_900n, converted: 7_100n, receive: 604n },
  );
});

test('NOK 250 000 to Germany pays the NOK 199 maximum fee', () => {
  const quote = priceQuote({ by: 'send', amountMinor: 25_000_000n, corridor: GERMANY, reference: EUR_REFERENCE });
  assert.deepEqual(
    { fee: quote.feeMinor, converted: quote.convertedMinor, receive: quote.receiveAmountMinor },
    { fee: 19_900n, converted: 24_980_100n, receive: 2_125_875n },
  );
});

test('NOK 5 000 to Vietnam: whole dong, long-haul fee and margin', () => {
  // Norges Bank quotes VND per 100; per dong that is 0.00038412 NOK.
  const quote = priceQuote({ by: 'send', amountMinor: 500_000n, corridor: VIETNAM, reference: { nokPerUnit: '0.00038412' } });
  assert.deepEqual(quote, {
    sendAmountMinor: 500_000n,
    feeMinor: 6_400n,
    convertedMinor: 493_600n,
    rate: '2561.6994689159',
    receiveAmountMinor: 12_644_548n,
    receiveCurrency: 'VND',
  });
});

test('EUR 500.00 to arrive in Germany: exactly EUR 500.00, for the smallest NOK amount that delivers it', () => {
  const quote = priceQuote({ by: 'receive', amountMinor: 50_000n, corridor: GERMANY, reference: EUR_REFERENCE });
  assert.equal(quote.receiveAmountMinor, 50_000n);
  assert.ok(recomputeReceive(quote) >= 50_000n);
  const oneOreLess = priceQuote({ by: 'send', amountMinor: quote.sendAmountMinor - 1n, corridor: GERMANY, reference: EUR_REFERENCE });
  assert.ok(oneOreLess.receiveAmountMinor < 50_000n);
  assert.equal(quote.sendAmountMinor, quote.feeMinor + quote.convertedMinor);
});

test('INR 20 000 to arrive is exactly ₹20,000.00, not ₹20,000.06', () => {
  const india = findCorridor(DEFAULT_CORRIDORS, 'IN', 'INR');
  const reference = { nokPerUnit: '0.12801' };
  const quote = priceQuote({ by: 'receive', amountMinor: 2_000_000n, corridor: india, reference });
  assert.equal(quote.receiveAmountMinor, 2_000_000n);
  // The whole-øre send converts to a few paise more than asked; one øre less would be too little.
  assert.ok(recomputeReceive(quote) >= 2_000_000n);
  assert.ok(recomputeReceive(quote, quote.convertedMinor - 1n) < 2_000_000n);
  // The same send quoted by send amount shows what that send delivers at most.
  const bySend = priceQuote({ by: 'send', amountMinor: quote.sendAmountMinor, corridor: india, reference });
  assert.deepEqual({ ...bySend, receiveAmountMinor: 2_000_000n }, quote);
});

test('VND 10 000 000 to arrive is exactly 10 000 000 dong, although one øre buys about 26 dong', () => {
  const quote = priceQuote({ by: 'receive', amountMinor: 10_000_000n, corridor: VIETNAM, reference: { nokPerUnit: '0.00038412' } });
  assert.equal(quote.receiveAmountMinor, 10_000_000n);
  assert.ok(recomputeReceive(quote) >= 10_000_000n);
  assert.ok(recomputeReceive(quote) < 10_000_000n + 26n);
});

test('below the corridor minimum is refused with the minimum in NOK', () => {
  assert.throws(() => priceQuote({ by: 'send', amountMinor: 9_999n, corridor: GERMANY, reference: EUR_REFERENCE }), {
    code: 'AMOUNT_INVALID',
    details: { reason: 'below_minimum', minimumNok: '100.00' },
  });
  // EUR 1.00 needs far less than NOK 100.
  assert.throws(() => priceQuote({ by: 'receive', amountMinor: 100n, corridor: GERMANY, reference: EUR_REFERENCE }), {
    code: 'AMOUNT_INVALID',
    details: { reason: 'below_minimum', minimumNok: '100.00' },
  });
});

test('above the corridor maximum is refused with the maximum in NOK', () => {
  assert.throws(() => priceQuote({ by: 'send', amountMinor: 25_000_001n, corridor: GERMANY, reference: EUR_REFERENCE }), {
    code: 'AMOUNT_INVALID',
    details: { reason: 'above_maximum', maximumNok: '250000.00' },
  });
  assert.throws(() => priceQuote({ by: 'receive', amountMinor: 2_200_000n, corridor: GERMANY, reference: EUR_REFERENCE }), {
    code: 'AMOUNT_INVALID',
    details: { reason: 'above_maximum', maximumNok: '250000.00' },
  });
  const philippines = findCorridor(DEFAULT_CORRIDORS, 'PH', 'PHP');
  assert.throws(() => priceQuote({ by: 'send', amountMinor: 5_000_001n, corridor: philippines, reference: { nokPerUnit: '0.17221' } }), {
    details: { reason: 'above_maximum', maximumNok: '50000.00' },
  });
});

test('zero or negative amounts are refused as not positive', () => {
  for (const by of ['send', 'receive'] as const) {
    assert.throws(() => priceQuote({ by, amountMinor: 0n, corridor: GERMANY, reference: EUR_REFERENCE }), {
      details: { reason: 'not_positive' },
    });
  }
});

test('a reference rate that is not a positive decimal string is a bug, not a customer error', () => {
  for (const nokPerUnit of ['', '0', '0.000', '-11.7', '1e1', '11,70', ' 11.7']) {
    assert.throws(
      () => priceQuote({ by: 'send', amountMinor: 1_000_000n, corridor: GERMANY, reference: { nokPerUnit } }),
      (error: unknown) => error instanceof Error && !('code' in error),
      nokPerUnit,
    );
  }
});

test('unknown destinations are CORRIDOR_UNSUPPORTED', () => {
  assert.throws(() => findCorridor(DEFAULT_CORRIDORS, 'DE', 'USD'), {
    code: 'CORRIDOR_UNSUPPORTED',
    details: { country: 'DE', currency: 'USD' },
  });
  assert.throws(() => findCorridor(DEFAULT_CORRIDORS, 'LK', 'LKR'), { code: 'CORRIDOR_UNSUPPORTED' });
});

test('the default corridors are exactly the countries Drop serves, one currency each', () => {
  const countries = DEFAULT_CORRIDORS.map((c) => `${c.country}:${c.currency}:${c.rail}`).sort();
  const eur = 'AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK'.split(' ').map((c) => `${c}:EUR:iban`);
  const others = [
    'SE:SEK:iban',
    'DK:DKK:iban',
    'PL:PLN:iban',
    'TR:TRY:iban',
    'PK:PKR:iban',
    'GB:GBP:bank_account',
    'US:USD:bank_account',
    'IN:INR:bank_account',
    'TH:THB:bank_account',
    'VN:VND:bank_account',
    'BD:BDT:bank_account',
    'PH:PHP:mobile_money',
  ];
  assert.deepEqual(countries, [...eur, ...others].sort());
  for (const c of DEFAULT_CORRIDORS) {
    assert.ok(c.minSendOre > c.fee.minimumOre && c.minSendOre < c.maxSendOre, c.country);
    assert.ok(c.fee.maximumOre === undefined || c.fee.maximumOre >= c.fee.minimumOre, c.country);
  }
});

test('corridor settings override margin and fee for one country and leave the rest alone', () => {
  const corridors = corridorsFromJson(
    JSON.stringify({
      SE: { marginBps: 25, fixedFeeNok: '9.50', percentFeeBps: 20, minimumFeeNok: 15, maximumFeeNok: null, maxSendNok: '100000' },
    }),
  );
  const sweden = findCorridor(corridors, 'SE', 'SEK');
  assert.deepEqual(sweden, {
    country: 'SE',
    currency: 'SEK',
    rail: 'iban',
    marginBps: 25,
    fee: { fixedOre: 950n, percentBps: 20, minimumOre: 1_500n },
    minSendOre: 10_000n,
    maxSendOre: 10_000_000n,
  });
  assert.deepEqual(findCorridor(corridors, 'DK', 'DKK'), findCorridor(DEFAULT_CORRIDORS, 'DK', 'DKK'));
  assert.equal(corridorsFromJson(undefined), DEFAULT_CORRIDORS);
  assert.equal(corridorsFromJson(''), DEFAULT_CORRIDORS);
});

test('corridor settings with unknown countries or fields, or impossible values, fail loudly', () => {
  assert.throws(() => corridorsFromJson('{"LK":{"marginBps":100}}'), /unknown country 'LK'/);
  assert.throws(() => corridorsFromJson('{"SE":{"margin":100}}'), /SE\.margin is not a known setting/);
  assert.throws(() => corridorsFromJson('{"SE":{"marginBps":10000}}'), /marginBps/);
  assert.throws(() => corridorsFromJson('{"SE":{"marginBps":1.5}}'), /marginBps/);
  assert.throws(() => corridorsFromJson('{"SE":{"fixedFeeNok":19.5}}'), /fixedFeeNok/);
  assert.throws(() => corridorsFromJson('{"SE":{"minimumFeeNok":"300","maximumFeeNok":"200"}}'), /maximum fee is below the minimum/);
  assert.throws(() => corridorsFromJson('{"SE":{"minSendNok":"20"}}'), /minSend must exceed the fee/);
  assert.throws(() => corridorsFromJson('[]'), /JSON object/);
});

// Reference rates from 0.00001 to 999.99999 NOK per unit, as decimal strings with up to 8 decimals.
const referenceRate = fc
  .tuple(fc.bigInt({ min: 1n, max: 99_999_999_999n }), fc.integer({ min: 0, max: 8 }))
  .map(([digits, decimals]) => {
    const text = digits.toString().padStart(decimals + 1, '0');
    return decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
  })
  .filter((rate) => Number(rate) >= 0.00001 && Number(rate) < 1000);

const corridorArb = fc.oneof(
  fc.constantFrom(...DEFAULT_CORRIDORS),
  // Tuned corridors too: any margin, percentage and fee bounds the settings allow.
  fc
    .record({
      base: fc.constantFrom(...DEFAULT_CORRIDORS),
      marginBps: fc.integer({ min: 0, max: 9_999 }),
      percentBps: fc.integer({ min: 0, max: 10_000 }),
      fixedOre: fc.bigInt({ min: 0n, max: 5_000n }),
      minimumOre: fc.bigInt({ min: 0n, max: 9_000n }),
      capped: fc.boolean(),
    })
    .map(
      ({ base, marginBps, percentBps, fixedOre, minimumOre, capped }): Corridor => ({
        ...base,
        marginBps,
        fee: { fixedOre, percentBps, minimumOre, ...(capped ? { maximumOre: minimumOre + 5_000n } : {}) },
      }),
    ),
);

function asFraction(decimal: string): { numerator: bigint; denominator: bigint } {
  const [whole = '', fraction = ''] = decimal.split('.');
  return { numerator: BigInt(whole + fraction), denominator: 10n ** BigInt(fraction.length) };
}

function tryQuote(input: Parameters<typeof priceQuote>[0]): PricedQuote | undefined {
  try {
    return priceQuote(input);
  } catch (error) {
    // Only the corridor's bounds may refuse an in-range request (e.g. a fee eating a tiny send).
    assert.equal((error as { code?: string }).code, 'AMOUNT_INVALID');
    return undefined;
  }
}

test('property: by send, send = fee + converted, the fee is within bounds, and receive = floor(converted × shown rate)', () => {
  fc.assert(
    fc.property(corridorArb, referenceRate, fc.bigInt({ min: 10_000n, max: 25_000_000n }), (corridor, nokPerUnit, send) => {
      const quote = tryQuote({ by: 'send', amountMinor: send, corridor, reference: { nokPerUnit } });
      if (!quote) return;
      assert.equal(quote.sendAmountMinor, send);
      assert.equal(quote.sendAmountMinor, quote.feeMinor + quote.convertedMinor);
      assert.ok(quote.convertedMinor > 0n);
      // The fee from the schedule, rounded up to whole øre (written independently of feeFor).
      const percentTimesBps = send * BigInt(corridor.fee.percentBps);
      const percent = percentTimesBps / 10_000n + (percentTimesBps % 10_000n === 0n ? 0n : 1n);
      let expectedFee = corridor.fee.fixedOre + percent;
      if (corridor.fee.maximumOre !== undefined && expectedFee > corridor.fee.maximumOre) expectedFee = corridor.fee.maximumOre;
      if (expectedFee < corridor.fee.minimumOre) expectedFee = corridor.fee.minimumOre;
      assert.equal(quote.feeMinor, expectedFee);
      assert.ok(quote.feeMinor >= corridor.fee.minimumOre);
      if (corridor.fee.maximumOre !== undefined) assert.ok(quote.feeMinor <= corridor.fee.maximumOre);
      assert.equal(quote.receiveAmountMinor, recomputeReceive(quote));
      assert.equal(quote.receiveCurrency, corridor.currency);
    }),
    { numRuns: 500 },
  );
});

test('property: the margin is never negative: the customer rate is at most the reference, and at most 1e-10 under reference × (1 − margin)', () => {
  fc.assert(
    fc.property(corridorArb, referenceRate, (corridor, nokPerUnit) => {
      const quote = tryQuote({ by: 'send', amountMinor: corridor.maxSendOre, corridor, reference: { nokPerUnit } });
      if (!quote) return;
      const rate = asFraction(quote.rate);
      const reference = asFraction(nokPerUnit);
      // rate ≤ 1 / reference  ⇔  rate.n × reference.n ≤ rate.d × reference.d
      assert.ok(rate.numerator * reference.numerator <= rate.denominator * reference.denominator);
      // rate > (1 / reference) × (1 − m) − 10^-10, i.e. truncation is the only other rounding.
      const bps = 10_000n;
      const exact = { numerator: reference.denominator * (bps - BigInt(corridor.marginBps)), denominator: reference.numerator * bps };
      assert.ok((rate.numerator + 1n) * exact.denominator > exact.numerator * rate.denominator);
    }),
    { numRuns: 500 },
  );
});

test('property: by receive, exactly what was asked arrives, converted × rate covers it, and one øre less would not', () => {
  fc.assert(
    fc.property(corridorArb, referenceRate, fc.bigInt({ min: 10_000n, max: 25_000_000n }), (corridor, nokPerUnit, seedSend) => {
      const reference = { nokPerUnit };
      // Ask for what some in-range send delivers, so the request is feasible.
      const seed = tryQuote({ by: 'send', amountMinor: seedSend, corridor, reference });
      if (!seed || seed.receiveAmountMinor === 0n) return;
      const wanted = seed.receiveAmountMinor;
      const quote = tryQuote({ by: 'receive', amountMinor: wanted, corridor, reference });
      if (!quote) return;
      assert.equal(quote.receiveAmountMinor, wanted);
      assert.equal(quote.receiveCurrency, corridor.currency);
      assert.ok(quote.sendAmountMinor <= seedSend);
      assert.equal(quote.sendAmountMinor, quote.feeMinor + quote.convertedMinor);
      // The rate shown is the rate used: converted × rate reaches the amount, and one øre of it less does not.
      assert.ok(recomputeReceive(quote) >= wanted);
      assert.ok(recomputeReceive(quote, quote.convertedMinor - 1n) < wanted);
      const lessSend = quote.sendAmountMinor - 1n;
      const lessReceive = recomputeReceive(quote, lessSend - feeFor(corridor.fee, lessSend));
      assert.ok(lessReceive < wanted, `sending ${lessSend} øre would already deliver ${lessReceive}`);
    }),
    { numRuns: 500 },
  );
});
