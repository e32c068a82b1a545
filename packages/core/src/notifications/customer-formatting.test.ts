import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  countryName,
  formatExactRate,
  formatMoney,
  formatOsloDateTime,
  formatRate,
  maskAccountNumber,
  maskAccountNumbersIn,
} from './customer-formatting.ts';

/** Intl separates groups with a no-break space (nb) or a narrow one; compare with plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('what customers read', () => {
  test('money reads as in the app: "1 234,56 kr" in Norwegian, "NOK 1,234.56" in English', () => {
    assert.equal(plain(formatMoney({ amount: '1234.56', currency: 'NOK' }, 'nb')), '1 234,56 kr');
    assert.equal(plain(formatMoney({ amount: '1234.56', currency: 'NOK' }, 'en')), 'NOK 1,234.56');
    assert.equal(plain(formatMoney({ amount: '105.12', currency: 'EUR' }, 'nb')), '105,12 €');
    assert.equal(formatMoney({ amount: '105.12', currency: 'EUR' }, 'en'), '€105.12');
    assert.equal(plain(formatMoney({ amount: '2500000', currency: 'VND' }, 'nb')), '2 500 000 VND');
    assert.equal(plain(formatMoney({ amount: '0.10', currency: 'NOK' }, 'nb')), '0,10 kr');
  });

  test('an amount a float cannot hold keeps every øre', () => {
    // 2^53 + 1 øre: through a float it would print …992,00 or …993,00.
    assert.equal(plain(formatMoney({ amount: '90071992547409.93', currency: 'NOK' }, 'nb')), '90 071 992 547 409,93 kr');
  });

  test('a rate reads with about five digits, cut; on a receipt with every decimal it was priced with', () => {
    assert.equal(formatRate('0.0851027470', 'nb'), '0,08510');
    assert.equal(formatRate('0.0850000000', 'en'), '0.08500');
    assert.equal(plain(formatRate('2421.5000', 'nb')), '2 421,5');
    assert.equal(formatExactRate('0.0851027470', 'nb'), '0,085102747');
    assert.equal(plain(formatExactRate('2421.5000', 'nb')), '2 421,5');
  });

  test('times are Norwegian wall-clock time, winter and summer', () => {
    // 23:30 UTC on the last Saturday of March is already Sunday in Oslo (UTC+1)…
    assert.equal(formatOsloDateTime(new Date('2026-03-28T23:30:00Z'), 'nb'), '29. mars 2026 kl. 00:30');
    assert.equal(formatOsloDateTime(new Date('2026-03-28T23:30:00Z'), 'en'), '29 March 2026 at 00:30');
    // …and in July Oslo is UTC+2.
    assert.equal(formatOsloDateTime(new Date('2026-07-01T12:05:00Z'), 'nb'), '1. juli 2026 kl. 14:05');
  });

  test('countries by name in the customer’s language', () => {
    assert.equal(countryName('DE', 'nb'), 'Tyskland');
    assert.equal(countryName('de', 'en'), 'Germany');
    assert.equal(countryName('??', 'en'), '??');
  });

  test('an account number shows its last four characters only, however it is written', () => {
    assert.equal(maskAccountNumber('97100512345'), '•••• 2345');
    assert.equal(maskAccountNumber('9710.05.12345'), '•••• 2345');
    assert.equal(maskAccountNumber('DE89 3704 0044 0532 0130 00'), '•••• 3000');
    assert.equal(maskAccountNumber('•••• 2345'), '•••• 2345', 'masking twice changes nothing');
    assert.equal(maskAccountNumber('DE89 •••• •••• 3000'), '•••• 3000', 'the app’s IBAN display loses its country code too');
    assert.equal(maskAccountNumber('123456'), '•••• 456', 'a short number keeps at most half');
    assert.equal(maskAccountNumber(''), '••••');
  });

  test('account numbers quoted in free text are masked; dates, amounts and codes are not', () => {
    assert.equal(
      maskAccountNumbersIn('Konto 9710.05.12345 stengt 29.03.2026; IBAN DE89 3704 0044 0532 0130 00; UK 12345678'),
      'Konto •••• 2345 stengt 29.03.2026; IBAN •••• 3000; UK •••• 5678',
    );
    assert.equal(maskAccountNumbersIn('Error 404 on 2026-03-29: limit 1 234,56 kr'), 'Error 404 on 2026-03-29: limit 1 234,56 kr');
  });
});
