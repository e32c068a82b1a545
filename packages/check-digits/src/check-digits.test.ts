import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeIBAN } from 'ibantools';
import {
  hasNationalIdControlDigits,
  isNorwegianAccountNumber,
  isNorwegianIban,
  mod10CheckDigit,
  mod11CheckDigit,
  nationalIdControlDigits,
  validIban,
} from './index.ts';

describe('check digits', () => {
  it('computes the published MOD10 and MOD11 examples', () => {
    assert.equal(mod10CheckDigit('7992739871'), 3, "Luhn's textbook number");
    assert.equal(mod11CheckDigit('8601111794'), 7, 'the textbook account number 8601.11.17947');
    assert.equal(mod11CheckDigit('1234567890'), 3);
    // A body whose MOD11 digit would be 10 has none.
    assert.equal(mod11CheckDigit('0000000006'), undefined);
  });

  it('checks Norwegian account numbers by their MOD11 digit', () => {
    assert.ok(isNorwegianAccountNumber('86011117947'));
    assert.ok(isNorwegianAccountNumber('12345678903'));
    assert.ok(!isNorwegianAccountNumber('86011117948'), 'wrong check digit');
    assert.ok(!isNorwegianAccountNumber('8601.11.17947'), 'dots are the caller’s to remove');
    assert.ok(!isNorwegianAccountNumber('8601111794'), 'ten digits');
  });

  it('computes and checks the two control digits of a fødselsnummer', () => {
    assert.equal(nationalIdControlDigits('150765005'), '65');
    assert.ok(hasNationalIdControlDigits('15076500565'));
    assert.ok(!hasNationalIdControlDigits('15076500566'), 'wrong second control digit');
    assert.ok(!hasNationalIdControlDigits('15076500575'), 'wrong first control digit');
    assert.ok(!hasNationalIdControlDigits('1507650056'), 'ten digits');
  });

  it('validates IBANs through ibantools, Norwegian ones down to the account number', () => {
    assert.equal(validIban('de89 3704 0044 0532 0130 00'), 'DE89370400440532013000');
    assert.equal(validIban('DE89370400440532013001'), undefined);
    assert.ok(isNorwegianIban('NO9386011117947'));
    assert.ok(isNorwegianIban('NO3715030512348'));
    // IBAN check digits right, account number's MOD11 digit wrong.
    const wrongAccount = composeIBAN({ countryCode: 'NO', bban: '86011117948' });
    assert.ok(wrongAccount && !isNorwegianIban(wrongAccount));
    assert.ok(!isNorwegianIban('DE89370400440532013000'));
  });
});
