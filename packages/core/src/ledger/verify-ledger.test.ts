/**
 * `verifyLedger`'s check that each transfer's postings agree with its status, against a real
 * PostgreSQL: the demo book (transfers in every status) passes, and each way a transfer's postings
 * can disagree with it (a pay-in reservation for the wrong amount, a payout never settled, a
 * settled payout recorded as returned) is reported for exactly that transfer. The guard triggers
 * that keep the ledger append-only are switched off here only to make the damage.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { seedDemoData } from '../demo/seed-demo-data.ts';
import { verifyLedger } from './verify-ledger.ts';

describe('verifyLedger: transfers against their postings', () => {
  let db: TestDatabase;

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_verify_ledger' });
    await seedDemoData(db.pool, { actor: 'test' });
  });
  after(async () => {
    await db?.drop();
  });

  /** Runs `sql` with the ledger's and the transfers' guard triggers off, and answers the transfer it damaged. */
  const damage = async (sql: string): Promise<string> => {
    // The owner (a superuser): the application's login may not disable triggers.
    const client = await db.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE ledger_transfers DISABLE TRIGGER ALL');
      const { rows } = await client.query<{ transaction_id: string }>(sql);
      await client.query('ALTER TABLE ledger_transfers ENABLE TRIGGER ALL');
      await client.query('COMMIT');
      const damaged = rows[0]?.transaction_id;
      assert.ok(damaged, `nothing damaged by ${sql}`);
      return damaged;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  };
  const flagged = async () =>
    new Map(
      (await verifyLedger(db.pool)).violations
        .filter((violation) => violation.invariant === 'transfer_matches_status')
        .map((violation) => [String(violation.detail.transfer), violation.detail]),
    );

  it('passes the demo book, then names each damaged transfer with what its postings say', async () => {
    const clean = await verifyLedger(db.pool);
    assert.deepEqual(clean.violations, []);
    assert.ok(clean.transfers > 0);

    // A pay-in reservation for another amount than the transfer's: the pay-in is "broken".
    const wrongAmount = await damage(
      `UPDATE ledger_transfers l SET amount = l.amount + 1 FROM transactions t
        WHERE t.id = l.transaction_id AND t.status = 'awaiting_funds' AND l.code = 'payin' AND l.kind = 'pending'
          AND l.id = (SELECT min(l2.id) FROM ledger_transfers l2 JOIN transactions t2 ON t2.id = l2.transaction_id
                       WHERE t2.status = 'awaiting_funds' AND l2.code = 'payin' AND l2.kind = 'pending')
        RETURNING l.transaction_id`,
    );
    // A paid-out transfer whose payout was never settled: the payout is "open", not "posted".
    const unsettled = await damage(
      `DELETE FROM ledger_transfers WHERE id = (
         SELECT min(l.id) FROM ledger_transfers l JOIN transactions t ON t.id = l.transaction_id
          WHERE t.status = 'paid_out' AND t.held_from IS NULL AND l.kind = 'post_pending' AND l.code LIKE 'payout%')
       RETURNING transaction_id`,
    );
    // A paid-out transfer whose settled payout is recorded as returned: "returned", not "posted".
    const returned = await damage(
      `UPDATE ledger_transfers SET code = 'payout_returned' WHERE id = (
         SELECT max(l.id) FROM ledger_transfers l JOIN transactions t ON t.id = l.transaction_id
          WHERE t.status = 'paid_out' AND t.held_from IS NULL AND l.kind = 'post_pending' AND l.code LIKE 'payout%' AND t.id <> '${unsettled}')
       RETURNING transaction_id`,
    );

    const report = await flagged();
    assert.deepEqual([...report.keys()].sort(), [wrongAmount, unsettled, returned].sort());
    assert.equal(report.get(wrongAmount)?.payin, 'broken');
    assert.equal(report.get(unsettled)?.payout, 'open');
    assert.equal(report.get(returned)?.payout, 'returned');
  });
});
