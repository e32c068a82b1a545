import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  formatCustomerNumber,
  mod10CheckDigit,
  mod31CheckChar,
  parseCustomerNumber,
  parseTransferReference,
  REFERENCE_ALPHABET,
} from './index.ts';

const referenceChar = fc.constantFrom(...REFERENCE_ALPHABET);
const body = fc.array(referenceChar, { minLength: 6, maxLength: 6 }).map((chars) => chars.join(''));
const reference = body.map((text) => text + mod31CheckChar(text));

describe('transfer references', () => {
  it('use 31 characters, none of them 0, O, 1, I or L', () => {
    assert.equal(REFERENCE_ALPHABET.length, 31);
    assert.equal(new Set(REFERENCE_ALPHABET).size, 31);
    for (const lookAlike of '0O1IL') assert.ok(!REFERENCE_ALPHABET.includes(lookAlike), lookAlike);
  });

  it('read back whatever way a person types them', () => {
    const check = mod31CheckChar('7K392Q');
    const canonical = `DRP-7K3-92Q${check}`;
    for (const typed of [canonical, canonical.toLowerCase(), `drp 7k3 92q${check.toLowerCase()}`, `7K392Q${check}`, ` 7k3-92q${check} `]) {
      assert.equal(parseTransferReference(typed), canonical, typed);
    }
    assert.equal(parseTransferReference(`XRP-7K3-92Q${check}`), undefined, 'another prefix');
    assert.equal(parseTransferReference('DRP-7K3-92Q'), undefined, 'too short');
    assert.equal(parseTransferReference('DRP-0K3-92QX'), undefined, 'a character outside the alphabet');
    assert.equal(parseTransferReference('tx_01JABCDEFGHJKMNPQRSTVWXYZ'), undefined);
  });

  it('property: any one wrong character is caught by the check character', () => {
    fc.assert(
      fc.property(reference, fc.nat({ max: 6 }), referenceChar, (valid, at, typo) => {
        fc.pre(valid.charAt(at) !== typo);
        const typed = valid.slice(0, at) + typo + valid.slice(at + 1);
        assert.ok(parseTransferReference(valid));
        assert.equal(parseTransferReference(typed), undefined, `${valid} → ${typed}`);
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: any two characters swapped are caught, next to each other or not', () => {
    fc.assert(
      fc.property(reference, fc.nat({ max: 6 }), fc.nat({ max: 6 }), (valid, i, j) => {
        fc.pre(valid.charAt(i) !== valid.charAt(j));
        const chars = [...valid];
        [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
        assert.equal(parseTransferReference(chars.join('')), undefined, `${valid} → ${chars.join('')}`);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('customer numbers', () => {
  it('are eight digits with a Luhn check digit, typed with or without a space', () => {
    const digits = `1000001${mod10CheckDigit('1000001')}`;
    assert.equal(formatCustomerNumber(digits), `1000 001${digits.slice(-1)}`);
    assert.equal(parseCustomerNumber(formatCustomerNumber(digits)), digits);
    assert.equal(parseCustomerNumber(`1000-001${digits.slice(-1)}`), digits);
    assert.equal(parseCustomerNumber('1000001'), undefined, 'seven digits');
    assert.equal(parseCustomerNumber('1000 00a7'), undefined);
  });

  it('property: any one wrong digit is caught by the check digit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000_000, max: 9_999_999 }), fc.nat({ max: 7 }), fc.nat({ max: 9 }), (sequence, at, typo) => {
        const valid = `${sequence}${mod10CheckDigit(String(sequence))}`;
        fc.pre(valid.charAt(at) !== String(typo));
        const typed = valid.slice(0, at) + typo + valid.slice(at + 1);
        assert.equal(parseCustomerNumber(valid), valid);
        assert.equal(parseCustomerNumber(typed), undefined, `${valid} → ${typed}`);
      }),
      { numRuns: 2_000 },
    );
  });
});
