/**
 * The human references the database issues (new_customer_number.sql, new_transfer_reference.sql)
 * are the ones packages/check-digits reads back: every issued one passes its check, they are
 * unique, every reader of a transfer (transfer_json) carries its reference, and rows that existed
 * before the migration got theirs when it ran.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { parseCustomerNumber, parseTransferReference } from '@drop/check-digits';
import { MIGRATIONS_DIR, migrate, newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../../../../test/support/money.ts';
import { SequenceKidAllocator } from '../payments/kid-allocator.ts';

const rates = fixedRates({ EUR: '11.7035' });
const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
const MIGRATION = '20261206005500_human-references.sql';

describe('human references', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_references' });
    await rates.refresh();
  });
  after(async () => {
    await db?.drop();
  });

  it('give every new customer a distinct eight-digit number whose Luhn digit checks', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 25; i++) {
      const { userId } = await verifiedCustomer(db.pool, 1);
      const { rows } = await db.pool.query('SELECT customer_number FROM users WHERE id = $1', [userId]);
      numbers.push(rows[0].customer_number);
    }
    assert.equal(new Set(numbers).size, numbers.length);
    for (const number of numbers) assert.equal(parseCustomerNumber(number), number, number);
  });

  it('give every transfer a distinct DRP reference whose check character checks, in its transfer_json', async () => {
    const { userId, recipientId } = await verifiedCustomer(db.pool, 2);
    const references: string[] = [];
    for (let i = 0; i < 20; i++) {
      const made = await makeTransfer(db.pool, { userId, recipientId, nok: 200 + i, rates, kids });
      const { rows } = await db.pool.query('SELECT reference, transfer_json(id) AS json FROM transactions WHERE id = $1', [made.id]);
      assert.equal(rows[0].json.reference, rows[0].reference);
      references.push(rows[0].reference);
    }
    assert.equal(new Set(references).size, references.length);
    for (const reference of references) {
      assert.match(reference, /^DRP-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{4}$/);
      assert.equal(parseTransferReference(reference), reference, reference);
      assert.equal(parseTransferReference(reference.toLowerCase().replaceAll('-', ' ')), reference);
    }
    // Consecutive transfers do not get neighbouring references.
    assert.notEqual(references[0]?.slice(4, 9), references[1]?.slice(4, 9));
  });

  it('cannot be changed or reused', async () => {
    const { userId, recipientId } = await verifiedCustomer(db.pool, 1);
    const made = await makeTransfer(db.pool, { userId, recipientId, nok: 300, rates, kids });
    await assert.rejects(db.pool.query(`UPDATE transactions SET reference = 'DRP-222-2222' WHERE id = $1`, [made.id]), {
      code: '23514',
    });
    const other = await verifiedCustomer(db.pool, 1);
    const { rows } = await db.pool.query('SELECT customer_number FROM users WHERE id = $1', [userId]);
    await assert.rejects(db.pool.query('UPDATE users SET customer_number = $1 WHERE id = $2', [rows[0].customer_number, other.userId]), {
      code: '23505',
    });
  });
});

describe('the human-references migration on a database with customers and transfers', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_references_upgrade', migrate: false });
  });
  after(async () => {
    await db?.drop();
  });

  it('numbers the customers and transfers that were already there', async () => {
    const names = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
    const before = names.indexOf(MIGRATION);
    assert.ok(before > 0);
    const client = await db.pool.connect();
    try {
      await migrate(client, () => undefined, { count: before });
      const users = [newId('usr'), newId('usr')];
      for (const id of users) await client.query(`INSERT INTO users (id, full_name) VALUES ($1, 'Kari Nordmann')`, [id]);
      const transferId = newId('tx');
      await client.query(
        `INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor, receive_amount_minor, receive_currency, fx_rate)
         VALUES ($1, $2, 'transfer', 'awaiting_funds', 50000, 'NOK', 2900, 4000, 'EUR', 0.0851)`,
        [transferId, users[0]],
      );
      await migrate(client);
      const numbered = await client.query('SELECT customer_number FROM users WHERE id = ANY($1::text[])', [users]);
      assert.equal(numbered.rows.length, 2);
      for (const row of numbered.rows) assert.ok(parseCustomerNumber(row.customer_number), row.customer_number);
      assert.notEqual(numbered.rows[0].customer_number, numbered.rows[1].customer_number);
      const { rows } = await client.query('SELECT reference FROM transactions WHERE id = $1', [transferId]);
      assert.ok(parseTransferReference(rows[0].reference), rows[0].reference);
    } finally {
      client.release();
    }
  });
});
