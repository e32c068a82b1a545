/**
 * The contract's enums and the database's CHECK constraints name the same values: a status, role
 * or purpose added on one side only fails here, not in production.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CASE_EVENT_KINDS,
  CASE_OUTCOMES,
  CASE_STATUSES,
  dataRequestStatuses,
  dataRequestTypes,
  KYC_STATUSES,
  LEDGER_PURPOSES,
  STAFF_ROLES,
  STR_STATUSES,
  TRANSFER_STATUSES,
} from '@drop/contracts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';

/** The values each column's CHECK (column IN (…)) constraint admits. */
async function admitted(db: TestDatabase, table: string, column: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ definition: string }>(
    `SELECT pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND a.attname = $2 AND array_length(c.conkey, 1) = 1`,
    [table, column],
  );
  assert.equal(rows.length, 1, `one CHECK on ${table}.${column}`);
  return [...(rows[0]?.definition ?? '').matchAll(/'([^']+)'::text/g)].map((match) => match[1] ?? '').sort();
}

test('the contract and the database agree on the KYC and transfer statuses, staff roles, ledger purposes, case and STR enums, privacy request types and statuses', async () => {
  const db = await createTestDatabase();
  try {
    assert.deepEqual(await admitted(db, 'users', 'kyc_status'), [...KYC_STATUSES].sort());
    assert.deepEqual(await admitted(db, 'transactions', 'status'), [...TRANSFER_STATUSES].sort());
    assert.deepEqual(await admitted(db, 'staff', 'role'), [...STAFF_ROLES].sort());
    assert.deepEqual(await admitted(db, 'ledger_accounts', 'purpose'), [...LEDGER_PURPOSES].sort());
    assert.deepEqual(await admitted(db, 'aml_cases', 'status'), [...CASE_STATUSES].sort());
    assert.deepEqual(await admitted(db, 'aml_cases', 'outcome'), [...CASE_OUTCOMES].sort());
    assert.deepEqual(await admitted(db, 'aml_case_events', 'kind'), [...CASE_EVENT_KINDS].sort());
    assert.deepEqual(await admitted(db, 'str_reports', 'status'), [...STR_STATUSES].sort());
    assert.deepEqual(await admitted(db, 'data_access_requests', 'type'), [...dataRequestTypes].sort());
    assert.deepEqual(await admitted(db, 'data_access_requests', 'status'), [...dataRequestStatuses].sort());
  } finally {
    await db.drop();
  }
});
