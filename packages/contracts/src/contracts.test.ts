import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ID_PREFIXES, idPattern, idSchema, idSource, isId, quoteRequest, staffTransferListQuery } from './index.ts';

describe('the API contract', () => {
  test('an id is its prefix, an underscore and a 26-character ULID, and nothing else', () => {
    const body = '01JEXAMPLE0000000000000000';
    for (const prefix of ID_PREFIXES) {
      assert.ok(isId(prefix, `${prefix}_${body}`), prefix);
      assert.ok(!isId(prefix, `${prefix}_${body.toLowerCase()}`), `${prefix}: lower case`);
      assert.ok(!isId(prefix, `${prefix}_${body}0`), `${prefix}: too long`);
      assert.ok(!isId(prefix, ` ${prefix}_${body}`), `${prefix}: anchored`);
    }
    assert.ok(!isId('usr', `tx_${body}`));
    assert.equal(idPattern('tx').source, '^tx_[0-9A-Z]{26}$');
    assert.match(`transfers/tx_${body}`, new RegExp(`^transfers/(${idSource('tx')})$`));
    assert.equal(idSchema('be').safeParse(`be_${body}`).success, true);
    assert.equal(idSchema('be').safeParse(`tx_${body}`).success, false);
  });

  test('a quote request names exactly one of the send and the receive amount', () => {
    const base = { country: 'DE', currency: 'EUR' };
    assert.equal(quoteRequest.safeParse({ ...base, sendAmount: '1000' }).success, true);
    assert.equal(quoteRequest.safeParse({ ...base, receiveAmount: '80.50' }).success, true);
    assert.equal(quoteRequest.safeParse({ ...base }).success, false);
    assert.equal(quoteRequest.safeParse({ ...base, sendAmount: '1000', receiveAmount: '80' }).success, false);
    assert.equal(quoteRequest.safeParse({ ...base, sendAmount: 1000 }).success, false, 'never a JSON number');
    assert.equal(quoteRequest.safeParse({ ...base, sendAmount: '1000', extra: true }).success, false, 'no undeclared fields');
  });

  test('the staff transfer lists default to recent and take only a customer id', () => {
    assert.deepEqual(staffTransferListQuery.parse({}), { view: 'recent' });
    assert.equal(staffTransferListQuery.safeParse({ customerId: 'someone' }).success, false);
  });
});
