import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mod10CheckDigit, mod11CheckDigit } from '@drop/check-digits';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { isValidKid, type KidFormat, kidFromNumber, kidProblem, normaliseKid } from './kid.ts';
import { SequenceKidAllocator } from './kid-allocator.ts';

describe('KID check digits', () => {
  it('computes the published examples', () => {
    // Luhn's textbook number, and a Norwegian account number (same MOD11 weights as KID).
    assert.equal(mod10CheckDigit('7992739871'), 3);
    assert.equal(mod11CheckDigit('8601111794'), 7);
    assert.equal(mod11CheckDigit('1234567890'), 3);
    assert.ok(isValidKid('79927398713', { method: 'MOD10', length: 11 }));
    assert.ok(isValidKid('86011117947', { method: 'MOD11', length: 11 }));
  });

  it('says what is wrong with a bad KID', () => {
    const format: KidFormat = { method: 'MOD10', length: 11 };
    assert.equal(kidProblem('79927398710', format), 'check_digit');
    assert.equal(kidProblem('7992739871', format), 'wrong_length');
    assert.equal(kidProblem('7992739871A', format), 'not_digits');
    assert.equal(kidProblem('', format), 'not_digits');
    assert.equal(normaliseKid(' 7992 7398 713 '), '79927398713');
  });

  it('catches every single-digit typo and (MOD11) every swap of neighbours', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 11n - 1n }),
        fc.constantFrom<KidFormat['method']>('MOD10', 'MOD11'),
        fc.nat(11),
        fc.integer({ min: 1, max: 9 }),
        (n, method, position, delta) => {
          const format: KidFormat = { method, length: 12 };
          const kid = kidFromNumber(n, format);
          if (kid === undefined) return method === 'MOD11';
          assert.ok(isValidKid(kid, format), kid);
          const digits = [...kid];
          digits[position] = String((Number(digits[position]) + delta) % 10);
          assert.equal(isValidKid(digits.join(''), format), false, `typo at ${position} in ${kid} went unnoticed`);
          if (method === 'MOD11' && position < 11 && digits[position] !== digits[position + 1]) {
            const swapped = [...kid];
            [swapped[position], swapped[position + 1]] = [swapped[position + 1] as string, swapped[position] as string];
            if (swapped.join('') !== kid) assert.equal(isValidKid(swapped.join(''), format), false);
          }
          return true;
        },
      ),
    );
  });

  it('issues no KID for a number that does not fit or has no MOD11 check digit', () => {
    assert.equal(kidFromNumber(10n ** 11n, { method: 'MOD10', length: 12 }), undefined);
    assert.equal(kidFromNumber(-1n, { method: 'MOD10', length: 12 }), undefined);
    // 0000000001: weighted sum 2, check 11 − 2 = 9; 0000000006: sum 12 ≡ 1, check 10 → none.
    assert.equal(kidFromNumber(1n, { method: 'MOD11', length: 11 }), '00000000019');
    assert.equal(kidFromNumber(6n, { method: 'MOD11', length: 11 }), undefined);
  });
});

describe('SequenceKidAllocator', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_kid' });
  });
  after(async () => {
    await db?.drop();
  });

  it('gives two servers valid, distinct KIDs, one sequence call per hundred', async () => {
    const format: KidFormat = { method: 'MOD11', length: 10 };
    const first = new SequenceKidAllocator(format);
    const second = new SequenceKidAllocator(format);
    const kids = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? first : second).next(db.pool)));
    assert.equal(new Set(kids).size, kids.length);
    for (const kid of kids) assert.ok(isValidKid(kid, format), kid);
    const { rows } = await db.pool.query<{ last: string }>('SELECT last_value::text AS last FROM transfer_kid_seq');
    // 150 KIDs each, ~9 % of MOD11 numbers skipped: two blocks each, so four nextval calls.
    assert.ok(Number(rows[0]?.last) <= 100 + 4 * 100, `sequence at ${rows[0]?.last}`);
  });

  it('refuses a format banks do not accept', () => {
    assert.throws(() => new SequenceKidAllocator({ method: 'MOD10', length: 3 }), /4 to 25 digits/);
    assert.throws(() => new SequenceKidAllocator({ method: 'MOD97' as 'MOD10', length: 10 }), /unknown KID method/);
  });
});
