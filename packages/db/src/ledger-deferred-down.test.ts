/**
 * The Down section of 20261207200000_ledger-deferred-pending (run by hand, never by migrate()):
 * it folds every deferred pending change into its account's row before dropping the table, so a
 * rollback of the schema loses no money.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';

describe('20261207200000_ledger-deferred-pending down', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_deferred_down' });
  });
  after(async () => {
    await db?.drop();
  });

  it('folds the deferred changes into the rows, then drops the table', async () => {
    const { rows } = await db.pool.query<{ bank: string; fees: string }>(
      `SELECT ledger_system_account('bank', 'NOK', 0::smallint) AS bank, ledger_system_account('fee_revenue', 'NOK', 0::smallint) AS fees`,
    );
    const { bank, fees } = rows[0] ?? assert.fail('accounts');
    await db.pool.query('SELECT ledger_post(NULL, $1::jsonb)', [
      JSON.stringify([{ kind: 'pending', code: 'payin', debit: Number(bank), credit: Number(fees), amount: 77, currency: 'NOK' }]),
    ]);
    const sql = await readFile(new URL('../migrations/20261207200000_ledger-deferred-pending.sql', import.meta.url), 'utf8');
    const down = sql.split(/^-- Down Migration$/m)[1] ?? assert.fail('a down section');
    const client = await db.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query(down);
      const { rows: account } = await client.query('SELECT debits_pending::int AS dp FROM ledger_accounts WHERE id = $1', [bank]);
      assert.equal(account[0]?.dp, 77);
      assert.equal((await client.query(`SELECT to_regclass('ledger_pending_deltas') AS t`)).rows[0]?.t, null);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
