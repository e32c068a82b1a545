import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADULT_AGE, ageOn, birthdateFromNationalId } from './age.ts';

describe('age from BankID', () => {
  it('counts whole years, the birthday itself included', () => {
    const today = new Date('2026-12-06T12:00:00Z');
    assert.equal(ageOn('2008-12-06', today), 18, '18 today');
    assert.equal(ageOn('2008-12-07', today), 17, '18 tomorrow');
    assert.equal(ageOn('2011-06-01', today), 15);
    assert.equal(ageOn('1985-04-12', today), 41);
    assert.equal(ageOn('2008-02-29', new Date('2026-02-28T12:00:00Z')) < ADULT_AGE, true, 'a leap-day child turns 18 on 1 March');
  });

  it('reads the birth date a fødselsnummer, D-number or H-number encodes, with the century from the individual number', () => {
    assert.equal(birthdateFromNationalId('12048510254'), '1985-04-12');
    assert.equal(birthdateFromNationalId('01061150200'), '2011-06-01');
    assert.equal(birthdateFromNationalId('52048510254'), '1985-04-12', 'D-number: day + 40');
    assert.equal(birthdateFromNationalId('12448510254'), '1985-04-12', 'H-number: month + 40');
    assert.equal(birthdateFromNationalId('1204851025'), undefined);
    assert.equal(birthdateFromNationalId('12138510254'), undefined, 'no 13th month');
  });
});
