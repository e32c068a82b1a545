import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatCountdown, formatDecimal, formatMoney, parseAmountInput, toAmountInput } from './money.ts';

/** Intl separates groups with a no-break space (nb) or a narrow one; compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('money on screen', () => {
  test('formats decimal strings exactly, in Norwegian and English', () => {
    assert.equal(plain(formatMoney('1000.50', 'NOK', 'nb')), '1 000,50 kr');
    assert.equal(plain(formatMoney('1000.50', 'NOK', 'en')), 'NOK 1,000.50');
    assert.equal(plain(formatMoney('82.45', 'EUR', 'nb')), '82,45 €');
    assert.equal(formatMoney('82.45', 'EUR', 'en'), '€82.45');
    assert.equal(plain(formatMoney('2500000', 'VND', 'nb')), '2 500 000 VND');
  });

  test('never loses an øre, even beyond what a float can hold', () => {
    // 2^53 + 1 øre: a float would print …992,00 or …993,00.
    assert.equal(plain(formatMoney('90071992547409.93', 'NOK', 'nb')), '90 071 992 547 409,93 kr');
    assert.equal(plain(formatMoney('0.10', 'NOK', 'nb')), '0,10 kr');
    assert.equal(plain(formatMoney('1.005', 'NOK', 'en')), 'NOK 1.005', 'shows every digit it is given rather than rounding');
  });

  test('formats a rate with every digit it has, trailing zeros trimmed', () => {
    assert.equal(formatDecimal('0.0849112345', 'nb', 4), '0,0849112345');
    assert.equal(formatDecimal('0.0850000000', 'en', 4), '0.0850');
    assert.equal(plain(formatDecimal('2421.5000000000', 'nb', 2)), '2 421,50');
  });

  test('reads what the customer types as a decimal string', () => {
    const cases: Array<[string, 'nb' | 'en', string | undefined]> = [
      ['1000', 'nb', '1000'],
      ['1 000,50', 'nb', '1000.50'],
      ['1000.50', 'nb', '1000.50'],
      ['1.000', 'nb', '1000'],
      ['1.000,5', 'nb', '1000.5'],
      ['1 000,-', 'nb', '1000'],
      ['1,000', 'en', '1000'],
      ['1,000.25', 'en', '1000.25'],
      ['1000,5', 'en', '1000.5'],
      ['0,5', 'nb', '0.5'],
      [',5', 'nb', '0.5'],
      ['007', 'en', '7'],
      ['1,234', 'nb', '1.234'],
      ['', 'nb', undefined],
      ['abc', 'nb', undefined],
      ['-100', 'nb', undefined],
      ['1e3', 'en', undefined],
      [',', 'nb', undefined],
    ];
    for (const [input, locale, expected] of cases) assert.equal(parseAmountInput(input, locale), expected, `${input} (${locale})`);
    assert.equal(toAmountInput('85.12', 'nb'), '85,12');
    assert.equal(toAmountInput('85.12', 'en'), '85.12');
  });

  test('counts down in minutes and seconds', () => {
    assert.equal(formatCountdown(29 * 60_000 + 41_000), '29:41');
    assert.equal(formatCountdown(29 * 60_000 + 40_999), '29:40', 'whole seconds left: never promises more time than there is');
    assert.equal(formatCountdown(0), '00:00');
    assert.equal(formatCountdown(-5), '00:00');
    assert.equal(formatCountdown(3_723_000), '1:02:03');
  });
});
