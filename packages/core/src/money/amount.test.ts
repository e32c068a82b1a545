import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { DomainError } from '../errors.ts';
import { formatAmount, MAX_AMOUNT_MINOR, parseAmount } from './amount.ts';
import { CURRENCIES, type CurrencyCode, currencyDecimals, isCurrencyCode } from './currencies.ts';

const CODES = Object.keys(CURRENCIES) as CurrencyCode[];

function refused(reason: string) {
  return { name: 'DomainError', code: 'AMOUNT_INVALID', details: { reason } };
}

test('whole kroner, one decimal and two decimals all parse to øre', () => {
  assert.equal(parseAmount('1000', 'NOK'), 100_000n);
  assert.equal(parseAmount('1000.5', 'NOK'), 100_050n);
  assert.equal(parseAmount('1000.50', 'NOK'), 100_050n);
  assert.equal(parseAmount('0.01', 'EUR'), 1n);
  assert.equal(parseAmount('007.10', 'EUR'), 710n);
});

test('zero-decimal currencies parse whole units and refuse any decimals', () => {
  assert.equal(parseAmount('2500000', 'VND'), 2_500_000n);
  assert.equal(parseAmount('1500', 'JPY'), 1500n);
  assert.throws(() => parseAmount('1500.5', 'JPY'), refused('too_many_decimals'));
  assert.throws(() => parseAmount('1500.0', 'VND'), refused('too_many_decimals'));
});

test('text that is not a plain decimal is refused as format', () => {
  for (const text of [
    '',
    ' ',
    '1 000',
    ' 10',
    '10 ',
    '+10',
    '-10',
    '1e3',
    '1E3',
    '1,50',
    '1.',
    '.5',
    '1..5',
    'NaN',
    'Infinity',
    '0x10',
    '１０',
    '10\n',
  ]) {
    assert.throws(() => parseAmount(text, 'NOK'), refused('format'), JSON.stringify(text));
  }
});

test('more decimals than the currency has are refused, even when they are zeros', () => {
  assert.throws(() => parseAmount('10.005', 'NOK'), refused('too_many_decimals'));
  assert.throws(() => parseAmount('10.000', 'EUR'), refused('too_many_decimals'));
});

test('zero is refused as not positive', () => {
  for (const text of ['0', '0.0', '0.00', '000']) assert.throws(() => parseAmount(text, 'NOK'), refused('not_positive'), text);
});

test('amounts up to 10^15 minor units are accepted and anything above is too large', () => {
  assert.equal(parseAmount('10000000000000.00', 'NOK'), MAX_AMOUNT_MINOR);
  assert.equal(parseAmount('1000000000000000', 'VND'), MAX_AMOUNT_MINOR);
  assert.throws(() => parseAmount('10000000000000.01', 'NOK'), refused('too_large'));
  assert.throws(() => parseAmount('1000000000000001', 'VND'), refused('too_large'));
  assert.throws(() => parseAmount('9'.repeat(10_000), 'NOK'), refused('too_large'));
});

test('an unknown currency is CURRENCY_UNSUPPORTED, for parsing and formatting', () => {
  assert.throws(() => parseAmount('10', 'XYZ'), { code: 'CURRENCY_UNSUPPORTED', details: { currency: 'XYZ' } });
  assert.throws(() => formatAmount(10n, 'nok'), { code: 'CURRENCY_UNSUPPORTED' });
  assert.throws(() => currencyDecimals('__proto__'), DomainError);
  assert.equal(isCurrencyCode('toString'), false);
});

test('formatting puts the point where the currency has it, without grouping', () => {
  assert.equal(formatAmount(100_050n, 'NOK'), '1000.50');
  assert.equal(formatAmount(5n, 'EUR'), '0.05');
  assert.equal(formatAmount(0n, 'NOK'), '0.00');
  assert.equal(formatAmount(-5n, 'NOK'), '-0.05');
  assert.equal(formatAmount(123_456_789n, 'VND'), '123456789');
  assert.equal(formatAmount(MAX_AMOUNT_MINOR, 'USD'), '10000000000000.00');
});

test('the currency table has ISO 4217 decimals for the zero-decimal currencies', () => {
  assert.equal(CODES.length, 20);
  assert.deepEqual(
    CODES.filter((code) => currencyDecimals(code) === 0),
    ['VND', 'JPY'],
  );
});

test('property: every positive amount survives format then parse, in every currency', () => {
  fc.assert(
    fc.property(fc.constantFrom(...CODES), fc.bigInt({ min: 1n, max: MAX_AMOUNT_MINOR }), (currency, minor) => {
      const text = formatAmount(minor, currency);
      const decimals = currencyDecimals(currency);
      assert.match(text, decimals === 0 ? /^[1-9]\d*$/ : new RegExp(`^(0|[1-9]\\d*)\\.\\d{${decimals}}$`));
      assert.equal(parseAmount(text, currency), minor);
    }),
    { numRuns: 2000 },
  );
});

test('property: whatever parses, formats back to the same value (trailing decimals padded)', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^\d{1,17}(\.\d{1,2})?$/), (text) => {
      let minor: bigint;
      try {
        minor = parseAmount(text, 'NOK');
      } catch (error) {
        assert.ok(error instanceof DomainError && error.code === 'AMOUNT_INVALID');
        return;
      }
      assert.equal(parseAmount(formatAmount(minor, 'NOK'), 'NOK'), minor);
      assert.ok(minor > 0n && minor <= MAX_AMOUNT_MINOR);
    }),
  );
});
