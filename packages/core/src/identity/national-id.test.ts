import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNationalIdProtector, isValidNationalId } from './national-id.ts';

const KEY = Buffer.alloc(32, 1).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 2).toString('base64');
// Synthetic numbers with valid control digits.
const VALID = ['01010100131', '15076500565'];

describe('national identity numbers', () => {
  it('round-trip through encryption, with a fresh IV every time', () => {
    const protector = createNationalIdProtector(KEY);
    const first = protector.encrypt('15076500565');
    const second = protector.encrypt('15076500565');
    assert.notDeepEqual(first, second, 'two encryptions of one number differ');
    assert.equal(first.includes(Buffer.from('15076500565')), false, 'the number is not in the ciphertext');
    assert.equal(protector.decrypt(first), '15076500565');
    assert.equal(protector.decrypt(second), '15076500565');
  });

  it('refuse a tampered ciphertext or another key', () => {
    const protector = createNationalIdProtector(KEY);
    const ciphertext = protector.encrypt('15076500565');
    const tampered = Buffer.from(ciphertext);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    assert.throws(() => protector.decrypt(tampered));
    assert.throws(() => createNationalIdProtector(OTHER_KEY).decrypt(ciphertext));
  });

  it('have a lookup hash that is stable, keyed, and not a plain hash', () => {
    const protector = createNationalIdProtector(KEY);
    assert.deepEqual(protector.lookupHash('15076500565'), protector.lookupHash('15076500565'));
    assert.notDeepEqual(protector.lookupHash('15076500565'), createNationalIdProtector(OTHER_KEY).lookupHash('15076500565'));
    assert.notDeepEqual(protector.lookupHash('15076500565'), protector.lookupHash('01010100131'));
    assert.equal(protector.lookupHash('15076500565').length, 32);
  });

  it('refuse a key that is not 32 bytes', () => {
    assert.throws(() => createNationalIdProtector(Buffer.alloc(16).toString('base64')), /32 bytes/);
  });

  it('check the shape and both control digits', () => {
    for (const number of VALID) assert.equal(isValidNationalId(number), true, number);
    assert.equal(isValidNationalId('15076500566'), false, 'wrong second control digit');
    assert.equal(isValidNationalId('15076500575'), false, 'wrong first control digit');
    assert.equal(isValidNationalId('1507650056'), false, 'ten digits');
    assert.equal(isValidNationalId('150765 00565'), false, 'a space');
    assert.equal(isValidNationalId('abcdefghijk'), false);
  });
});
