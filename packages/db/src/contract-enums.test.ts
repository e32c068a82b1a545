/**
 * The contract's enums and the database's CHECK constraints name the same values: a status, role
 * or purpose added on one side only fails here, not in production.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KYC_STATUSES, LEDGER_PURPOSES, STAFF_ROLES, TRANSFER_STATUSES } from '@drop/contracts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';

describe('the contract and the database', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  /** The values a column's CHECK (column IN (…)) constraint admits. */
  async function admitted(table: string, column: string): Promise<string[]> {
    const { rows } = await db.pool.query<{ definition: string }>(
      `SELECT pg_get_constraintdef(c.oid) AS definition
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND a.attname = $2 AND array_length(c.conkey, 1) = 1`,
      [table, column],
    );
    assert.equal(rows.length, 1, `one CHECK on ${table}.${column}`);
    return [...(rows[0]?.definition ?? '').matchAll(/'([^']+)'::text/g)].map((match) => match[1] ?? '');
  }

  it('agree on the KYC statuses, the transfer statuses, the staff roles and the ledger purposes', async () => {
    assert.deepEqual((await admitted('users', 'kyc_status')).sort(), [...KYC_STATUSES].sort());
    assert.deepEqual((await admitted('transactions', 'status')).sort(), [...TRANSFER_STATUSES].sort());
    assert.deepEqual((await admitted('staff', 'role')).sort(), [...STAFF_ROLES].sort());
    assert.deepEqual((await admitted('ledger_accounts', 'purpose')).sort(), [...LEDGER_PURPOSES].sort());
  });
});
