import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { composeIBAN, countrySpecs, isValidIBAN } from 'ibantools';
import { DomainError } from '../errors.ts';
import { RECIPIENT_COUNTRIES, RECIPIENT_RULES } from './recipient-rules.ts';
import { type RecipientInput, type ValidRecipient, validateRecipient } from './validate-recipient.ts';

function recipient(
  country: string,
  currency: string,
  details: Record<string, string>,
  extra: Partial<RecipientInput> = {},
): RecipientInput {
  return { name: 'Ola Nordmann', country, currency, relationship: 'family', details, ...extra };
}

/** Asserts the call is refused with exactly this code and these details. */
function assertRefused(call: () => unknown, code: string, details: Record<string, unknown>) {
  assert.throws(call, (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.deepEqual(error.details, details);
    return true;
  });
}

const refusedField = (field: string, reason: string) => ({ field, reason });

describe('recipient rules', () => {
  it('list exactly the corridors Drop pays out to, each country once', () => {
    assert.deepEqual(Object.keys(RECIPIENT_RULES).sort(), [...RECIPIENT_COUNTRIES].sort());
    assert.equal(new Set(RECIPIENT_COUNTRIES).size, 33);
    for (const [country, rule] of Object.entries(RECIPIENT_RULES)) assert.equal(rule.country, country);
    const euro = Object.values(RECIPIENT_RULES).filter((rule) => rule.currency === 'EUR');
    assert.deepEqual(euro.map((rule) => rule.country).sort(), 'AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK'.split(' '));
    assert.ok(euro.every((rule) => rule.rail === 'iban'));
  });

  it('have examples that pass validation in every country, so the form never shows a bad placeholder', () => {
    for (const rule of Object.values(RECIPIENT_RULES)) {
      const details = Object.fromEntries(rule.fields.map((field) => [field.name, field.example]));
      const valid = validateRecipient(recipient(rule.country, rule.currency, details));
      assert.equal(valid.rail, rule.rail, rule.country);
      assert.deepEqual(Object.keys(valid.details), Object.keys(details), rule.country);
      for (const field of rule.fields) {
        assert.ok(field.label.en && field.label.nb, `${rule.country}.${field.name} has labels in both languages`);
      }
    }
  });
});

describe('validating a recipient', () => {
  it('normalises a German IBAN recipient and shows only the ends of the IBAN', () => {
    const valid = validateRecipient({
      name: '  Anna   Müller ',
      country: 'de',
      currency: 'eur',
      relationship: 'Friend',
      details: { iban: 'de89 3704 0044 0532 0130 00', bic: 'deut de ff' },
    });
    assert.deepEqual(valid, {
      name: 'Anna Müller',
      country: 'DE',
      currency: 'EUR',
      rail: 'iban',
      relationship: 'friend',
      details: { iban: 'DE89370400440532013000', bic: 'DEUTDEFF' },
      display: 'DE89 •••• •••• 3000',
    } satisfies ValidRecipient);
  });

  it('accepts an IBAN in each non-euro IBAN country, in its own currency', () => {
    const cases = [
      ['SE', 'SEK', 'SE45 5000 0000 0583 9825 7466', 'SE45 •••• •••• 7466'],
      ['DK', 'DKK', 'DK50 0040 0440 1162 43', 'DK50 •••• •••• 6243'],
      ['PL', 'PLN', 'PL61 1090 1014 0000 0712 1981 2874', 'PL61 •••• •••• 2874'],
      ['TR', 'TRY', 'TR33 0006 1005 1978 6457 8413 26', 'TR33 •••• •••• 1326'],
      ['PK', 'PKR', 'PK36 SCBL 0000 0011 2345 6702', 'PK36 •••• •••• 6702'],
    ] as const;
    for (const [country, currency, iban, display] of cases) {
      const valid = validateRecipient(recipient(country, currency, { iban }));
      assert.deepEqual([valid.details, valid.display], [{ iban: iban.replace(/ /g, '') }, display]);
    }
  });

  it('accepts each bank-account country in its usual notation and keeps digits only', () => {
    // Each case: country, currency, the details as typed, how they are shown, and the fields normalising changes.
    const cases: Array<[string, string, Record<string, string>, string, Record<string, string>?]> = [
      ['GB', 'GBP', { sortCode: '40-47-84', accountNumber: '70872490' }, '40-47-84 •••• 2490', { sortCode: '404784' }],
      [
        'US',
        'USD',
        { routingNumber: '021000021', accountNumber: '000123456789', accountType: 'Savings' },
        '021000021 •••• 6789',
        { accountType: 'savings' },
      ],
      ['IN', 'INR', { ifsc: 'sbin0000300', accountNumber: '12345678901' }, 'SBIN0000300 •••• 8901', { ifsc: 'SBIN0000300' }],
      ['TH', 'THB', { bankCode: '004', accountNumber: '123-4-56789-0' }, '004 •••• 7890', { accountNumber: '1234567890' }],
      ['VN', 'VND', { bankCode: '970436', accountNumber: '0011001234567' }, '970436 •••• 4567'],
      ['LK', 'LKR', { bankCode: '7010', branchCode: '001', accountNumber: '0012345678' }, '7010-001 •••• 5678'],
      ['BD', 'BDT', { routingNumber: '090261726', accountNumber: '1234567890123' }, '090261726 •••• 0123'],
    ];
    for (const [country, currency, given, display, changed = {}] of cases) {
      const valid = validateRecipient(recipient(country, currency, given));
      assert.deepEqual(
        { rail: valid.rail, details: valid.details, display: valid.display },
        { rail: 'bank_account', details: { ...given, ...changed }, display },
        country,
      );
    }
  });

  it('never shows a short account number whole', () => {
    const valid = validateRecipient(recipient('US', 'USD', { routingNumber: '021000021', accountNumber: '1234', accountType: 'checking' }));
    assert.equal(valid.display, '021000021 •••• 34');
  });

  it('normalises a Philippine mobile number written any common way to E.164', () => {
    for (const written of [
      '+63 917 123 4567',
      '0917 123 4567',
      '0917-123-4567',
      '+63 (917) 123-4567',
      '639171234567',
      '0063 917 123 4567',
    ]) {
      const valid = validateRecipient(recipient('PH', 'PHP', { provider: 'gcash', mobileNumber: written }));
      assert.deepEqual(
        [valid.rail, valid.details, valid.display],
        ['mobile_money', { provider: 'gcash', mobileNumber: '+639171234567' }, 'GCash +63 917 ••• 4567'],
        written,
      );
    }
    const maya = validateRecipient(recipient('PH', 'PHP', { provider: 'MAYA', mobileNumber: '0995 765 4321' }));
    assert.equal(maya.display, 'Maya +63 995 ••• 4321');
  });

  it('accepts names in any script with the punctuation names carry', () => {
    for (const name of ["Seán O'Brien", 'Nguyễn Văn An', 'محمد علي', 'Jean-Luc St. Pierre', 'Ólöf Þórsdóttir', '李雷', 'Rʼaïs N’Diaye']) {
      assert.equal(validateRecipient(recipient('DE', 'EUR', { iban: 'DE89370400440532013000' }, { name })).name, name);
    }
    // Combining accents are composed, so the same name is stored the same way however it was typed.
    const decomposed = 'Jose\u0301 Nun\u0303ez';
    assert.notEqual(decomposed, 'José Nuñez');
    assert.equal(validateRecipient(recipient('ES', 'EUR', { iban: 'ES9121000418450200051332' }, { name: decomposed })).name, 'José Nuñez');
  });
});

describe('refusing a recipient', () => {
  const de =
    (details: Record<string, string>, extra: Partial<RecipientInput> = {}) =>
    () =>
      validateRecipient(recipient('DE', 'EUR', details, extra));
  const deIban = { iban: 'DE89370400440532013000' };

  it('refuses bad names, naming the name field', () => {
    const cases: Array<[string, string]> = [
      ['   ', 'required'],
      ['A', 'too_short'],
      ['x'.repeat(141), 'too_long'],
      ['Robert"); DROP TABLE', 'invalid'],
      ['Agent 007', 'invalid'],
      ['<b>Eve</b>', 'invalid'],
      ["A'", 'invalid'],
      ['-.', 'invalid'],
    ];
    for (const [name, reason] of cases) assertRefused(de(deIban, { name }), 'RECIPIENT_INVALID', refusedField('name', reason));
    assert.equal(validateRecipient(recipient('DE', 'EUR', deIban, { name: 'x'.repeat(140) })).name.length, 140);
  });

  it('refuses a relationship outside the list', () => {
    assertRefused(de(deIban, { relationship: 'lover' }), 'RECIPIENT_INVALID', refusedField('relationship', 'invalid'));
    assertRefused(de(deIban, { relationship: '' }), 'RECIPIENT_INVALID', refusedField('relationship', 'required'));
  });

  it('refuses countries and currencies Drop does not pay out in as an unsupported corridor', () => {
    assertRefused(() => validateRecipient(recipient('NO', 'NOK', {})), 'CORRIDOR_UNSUPPORTED', { country: 'NO' });
    assertRefused(() => validateRecipient(recipient('constructor', 'EUR', {})), 'RECIPIENT_INVALID', refusedField('country', 'invalid'));
    assertRefused(() => validateRecipient(recipient('', 'EUR', {})), 'RECIPIENT_INVALID', refusedField('country', 'required'));
    assertRefused(de(deIban, { currency: 'USD' }), 'CORRIDOR_UNSUPPORTED', { country: 'DE', currency: 'USD', expected: 'EUR' });
    assertRefused(() => validateRecipient(recipient('SE', 'EUR', { iban: 'SE4550000000058398257466' })), 'CORRIDOR_UNSUPPORTED', {
      country: 'SE',
      currency: 'EUR',
      expected: 'SEK',
    });
  });

  it('refuses unknown and missing fields', () => {
    assertRefused(de({ ...deIban, accountNumber: '123' }), 'RECIPIENT_INVALID', refusedField('details.accountNumber', 'unknown_field'));
    // As JSON.parse leaves it: an own key, not the prototype.
    const polluted = JSON.parse('{"iban":"DE89370400440532013000","__proto__":"x"}') as Record<string, string>;
    assertRefused(de(polluted), 'RECIPIENT_INVALID', refusedField('details.__proto__', 'unknown_field'));
    assertRefused(de({}), 'RECIPIENT_INVALID', refusedField('details.iban', 'required'));
    assertRefused(de({ iban: '  ' }), 'RECIPIENT_INVALID', refusedField('details.iban', 'required'));
    assertRefused(
      () => validateRecipient({ ...recipient('DE', 'EUR', {}), details: null as never }),
      'RECIPIENT_INVALID',
      refusedField('details', 'required'),
    );
    assertRefused(
      () => validateRecipient(recipient('GB', 'GBP', { sortCode: '404784' })),
      'RECIPIENT_INVALID',
      refusedField('details.accountNumber', 'required'),
    );
    assertRefused(de({ iban: 12 as never }), 'RECIPIENT_INVALID', refusedField('details.iban', 'invalid'));
  });

  it('refuses a bad IBAN, and one from another country', () => {
    assertRefused(de({ iban: 'DE88370400440532013000' }), 'RECIPIENT_INVALID', refusedField('details.iban', 'invalid'));
    assertRefused(de({ iban: 'DE8937040044053201300' }), 'RECIPIENT_INVALID', refusedField('details.iban', 'invalid'));
    assertRefused(de({ iban: 'not an iban' }), 'RECIPIENT_INVALID', refusedField('details.iban', 'invalid'));
    assertRefused(de({ iban: 'FR1420041010050500013M02606' }), 'RECIPIENT_INVALID', refusedField('details.iban', 'country_mismatch'));
    // Norway has IBANs, but Drop does not pay out in Norway, so a Norwegian IBAN is a mismatch everywhere.
    assertRefused(de({ iban: 'NO9386011117947' }), 'RECIPIENT_INVALID', refusedField('details.iban', 'country_mismatch'));
  });

  it('refuses a malformed BIC, and one from another country', () => {
    assertRefused(de({ ...deIban, bic: 'DEUTDEF' }), 'RECIPIENT_INVALID', refusedField('details.bic', 'invalid'));
    assertRefused(de({ ...deIban, bic: 'DEUTXXFF' }), 'RECIPIENT_INVALID', refusedField('details.bic', 'invalid'));
    assertRefused(de({ ...deIban, bic: 'BNPAFRPP' }), 'RECIPIENT_INVALID', refusedField('details.bic', 'country_mismatch'));
    assert.deepEqual(validateRecipient(recipient('DE', 'EUR', { ...deIban, bic: 'DEUTDEFF500' })).details, {
      ...deIban,
      bic: 'DEUTDEFF500',
    });
    assert.deepEqual(
      validateRecipient(recipient('DE', 'EUR', { ...deIban, bic: '' })).details,
      deIban,
      'an empty optional field is left out',
    );
  });

  it('refuses US routing numbers that fail the ABA checksum or are not payable', () => {
    const us = (routingNumber: string) => () =>
      validateRecipient(recipient('US', 'USD', { routingNumber, accountNumber: '123456789', accountType: 'checking' }));
    assertRefused(us('021000022'), 'RECIPIENT_INVALID', refusedField('details.routingNumber', 'checksum'));
    assertRefused(us('000000000'), 'RECIPIENT_INVALID', refusedField('details.routingNumber', 'invalid'));
    assertRefused(us('02100002'), 'RECIPIENT_INVALID', refusedField('details.routingNumber', 'too_short'));
    assertRefused(us('02100002A'), 'RECIPIENT_INVALID', refusedField('details.routingNumber', 'invalid'));
    for (const valid of ['011000015', '121000358', '026009593'])
      assert.equal(
        validateRecipient(recipient('US', 'USD', { routingNumber: valid, accountNumber: '123456789', accountType: 'checking' })).details
          .routingNumber,
        valid,
      );
    assertRefused(
      () => validateRecipient(recipient('US', 'USD', { routingNumber: '021000021', accountNumber: '123456789', accountType: 'brokerage' })),
      'RECIPIENT_INVALID',
      refusedField('details.accountType', 'invalid'),
    );
  });

  it('refuses ABA routing numbers with any single digit changed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const digits = [...'021000021'];
        digits[position] = String((Number(digits[position]) + delta) % 10);
        const routingNumber = digits.join('');
        assert.throws(
          () => validateRecipient(recipient('US', 'USD', { routingNumber, accountNumber: '123456789', accountType: 'checking' })),
          DomainError,
        );
      }),
    );
  });

  it('refuses account details of the wrong length or shape, country by country', () => {
    const cases: Array<[string, string, Record<string, string>, string, string]> = [
      ['GB', 'GBP', { sortCode: '40-47-8', accountNumber: '70872490' }, 'details.sortCode', 'too_short'],
      ['GB', 'GBP', { sortCode: '40-47-84', accountNumber: '708724901' }, 'details.accountNumber', 'too_long'],
      ['US', 'USD', { routingNumber: '021000021', accountNumber: '123', accountType: 'checking' }, 'details.accountNumber', 'too_short'],
      ['IN', 'INR', { ifsc: 'SBIN1000300', accountNumber: '12345678901' }, 'details.ifsc', 'invalid'],
      ['IN', 'INR', { ifsc: 'SBIN0000300', accountNumber: '12345678' }, 'details.accountNumber', 'too_short'],
      ['TH', 'THB', { bankCode: '04', accountNumber: '1234567890' }, 'details.bankCode', 'too_short'],
      ['TH', 'THB', { bankCode: '004', accountNumber: '1234567890123' }, 'details.accountNumber', 'too_long'],
      ['VN', 'VND', { bankCode: '97043', accountNumber: '0011001234567' }, 'details.bankCode', 'too_short'],
      ['VN', 'VND', { bankCode: '970436', accountNumber: '00110012345678901234' }, 'details.accountNumber', 'too_long'],
      ['LK', 'LKR', { bankCode: '7010', branchCode: '0001', accountNumber: '0012345678' }, 'details.branchCode', 'too_long'],
      ['LK', 'LKR', { bankCode: '7010', branchCode: '001', accountNumber: '12345' }, 'details.accountNumber', 'too_short'],
      ['BD', 'BDT', { routingNumber: '09026172X', accountNumber: '1234567890123' }, 'details.routingNumber', 'invalid'],
      ['BD', 'BDT', { routingNumber: '090261726', accountNumber: '123456789' }, 'details.accountNumber', 'too_short'],
      ['GB', 'GBP', { sortCode: '40-47-84', iban: 'GB33BUKB20201555555555' }, 'details.iban', 'unknown_field'],
    ];
    for (const [country, currency, details, field, reason] of cases) {
      assertRefused(() => validateRecipient(recipient(country, currency, details)), 'RECIPIENT_INVALID', refusedField(field, reason));
    }
  });

  it('refuses Philippine numbers that are not valid mobile numbers, or not Philippine', () => {
    const ph =
      (mobileNumber: string, provider = 'gcash') =>
      () =>
        validateRecipient(recipient('PH', 'PHP', { provider, mobileNumber }));
    assertRefused(ph('+63 2 8123 4567'), 'RECIPIENT_INVALID', refusedField('details.mobileNumber', 'not_mobile'));
    assertRefused(ph('+47 412 34 567'), 'RECIPIENT_INVALID', refusedField('details.mobileNumber', 'country_mismatch'));
    assertRefused(ph('0917 123 45678'), 'RECIPIENT_INVALID', refusedField('details.mobileNumber', 'invalid'));
    assertRefused(ph('call me on 0917 123 4567'), 'RECIPIENT_INVALID', refusedField('details.mobileNumber', 'invalid'));
    assertRefused(ph('0917 123 4567 ext. 5'), 'RECIPIENT_INVALID', refusedField('details.mobileNumber', 'invalid'));
    assertRefused(ph('0917 123 4567', 'paypal'), 'RECIPIENT_INVALID', refusedField('details.provider', 'invalid'));
  });
});

describe('IBAN properties', () => {
  // Any BBAN that fits the country's pattern, with the check digits computed by ibantools.
  const bban = { DE: fc.stringMatching(/^[0-9]{18}$/), NL: fc.stringMatching(/^[A-Z]{4}[0-9]{10}$/) };

  it('accepts generated German and Dutch IBANs in any spacing and case, and returns them compact', () => {
    for (const country of ['DE', 'NL'] as const) {
      assert.ok(countrySpecs[country]?.chars, `ibantools knows ${country}`);
      fc.assert(
        fc.property(bban[country], fc.boolean(), (generated, spaced) => {
          const iban = composeIBAN({ countryCode: country, bban: generated });
          assert.ok(iban && isValidIBAN(iban));
          const typed = spaced ? (iban.toLowerCase().match(/.{1,4}/g) ?? []).join(' ') : iban;
          const valid = validateRecipient(recipient(country, 'EUR', { iban: typed }));
          assert.equal(valid.details.iban, iban);
          assert.equal(valid.display, `${iban.slice(0, 4)} •••• •••• ${iban.slice(-4)}`);
        }),
      );
    }
  });

  it('refuses any IBAN with a single digit changed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(RECIPIENT_RULES).filter((rule) => rule.rail === 'iban')),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (rule, pick, delta) => {
          const iban = rule.fields.find((field) => field.name === 'iban')?.example ?? '';
          const digitPositions = [...iban].flatMap((char, i) => (i >= 2 && /\d/.test(char) ? [i] : []));
          const position = digitPositions[pick % digitPositions.length] ?? 2;
          const changed = iban.slice(0, position) + String((Number(iban[position]) + delta) % 10) + iban.slice(position + 1);
          assertRefused(
            () => validateRecipient(recipient(rule.country, rule.currency, { iban: changed })),
            'RECIPIENT_INVALID',
            refusedField('details.iban', 'invalid'),
          );
        },
      ),
    );
  });
});
