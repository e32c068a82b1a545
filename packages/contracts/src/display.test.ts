import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCustomerNumber, formatExactRate, formatMoney, formatRate, rateDecimals } from './display.ts';

/** Intl separates groups with a no-break space in nb; compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('display formatting', () => {
  it('shows money the same way in every app: kr and code in Norwegian, code or symbol in English', () => {
    assert.equal(plain(formatMoney('1234.50', 'NOK', 'nb')), '1 234,50 kr');
    assert.equal(plain(formatMoney('1234.50', 'NOK', 'en')), 'NOK 1,234.50');
    assert.equal(plain(formatMoney('20000.00', 'INR', 'nb')), '20 000,00 INR');
    assert.equal(plain(formatMoney('20000.00', 'INR', 'en')), '₹20,000.00');
    assert.equal(plain(formatMoney('846.43', 'EUR', 'nb')), '846,43 €');
    assert.equal(plain(formatMoney('12644548', 'VND', 'en')), '₫12,644,548');
    // Exactly the decimals the API sent, never through a float.
    assert.equal(plain(formatMoney('90071992547409.93', 'NOK', 'en')), 'NOK 90,071,992,547,409.93');
    assert.equal(plain(formatMoney('not money', 'NOK', 'en')), 'not money NOK');
  });

  it('shows a customer rate with about five digits, cut rather than rounded up', () => {
    assert.equal(formatRate('0.0853211234', 'en'), '0.08532');
    assert.equal(formatRate('0.0851027470', 'nb'), '0,08510');
    assert.equal(formatRate('7.8123999999', 'en'), '7.8123', 'cut, not rounded to 7.8124');
    assert.equal(plain(formatRate('2561.6994689159', 'nb')), '2 561,6');
    assert.equal(formatRate('0.0038452000', 'en'), '0.003845');
    assert.equal(formatRate('11.7000000000', 'en'), '11.700');
    assert.equal(formatRate('12345.6789000000', 'en'), '12,345');
    assert.deepEqual(['0.5', '1.5', '10.5', '100.5', '0.05', '0.000012'].map(rateDecimals), [5, 4, 3, 2, 5, 8]);
  });

  it('shows staff the exact rate and a customer number in two groups of four', () => {
    assert.equal(formatExactRate('148.2000000000', 'nb'), '148,2');
    assert.equal(formatExactRate('0.0851027470', 'en'), '0.085102747');
    assert.equal(formatCustomerNumber('10000017'), '1000 0017');
  });
});
