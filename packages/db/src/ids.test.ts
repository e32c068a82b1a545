import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ID_PREFIXES, isId } from '@drop/contracts';
import { newId } from './ids.ts';

test('every id the database layer makes has the shape the contract checks', () => {
  for (const prefix of ID_PREFIXES) {
    const id = newId(prefix);
    assert.ok(isId(prefix, id), id);
  }
});
