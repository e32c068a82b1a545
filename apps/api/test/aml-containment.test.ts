/**
 * Containment that stops the money, over real HTTP with a real worker and Wise (the simulator on
 * the same server, through the real client). A customer's transfer is paid in by a bank file the
 * staff upload; then an operator blocks the customer with the runbooks' own SQL; then the worker
 * runs the payout jobs that were already queued. Wise must receive nothing for that customer,
 * while another customer's payout in the same run goes out (so the worker did run). The ledger
 * verifies after each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPayout, verifyLedger } from '@drop/core';
import { newId } from '@drop/db';
import { type TestCustomer, type TestTransfer, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { payInByBankFile } from '../../../test/support/pay-in.ts';
import { runQueuedJobs as runJobs } from '../../../test/support/run-queued-jobs.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('a blocked customer’s paid-in transfer does not pay out', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let staffCookie: string;

  /** The bank's notification that these transfers were paid, uploaded by staff; returns the import summary. */
  const payIn = (...transfers: TestTransfer[]) => payInByBankFile({ base, staffCookie: staffCookie, transfers });

  /** Runs Drop's worker (Wise as its payout partner) until every queued job has run. */
  const runQueuedJobs = () => runJobs({ databaseUrl: db.url, base, name: 'containment-worker' });

  const transferRow = async (id: string) =>
    (await db.pool.query<{ status: string; held_from: string | null }>('SELECT status, held_from FROM transactions WHERE id = $1', [id]))
      .rows[0];
  const idempotencyKeyOf = async (id: string) =>
    (await db.pool.query<{ idempotency_key: string }>('SELECT idempotency_key FROM payouts WHERE transaction_id = $1', [id])).rows[0]
      ?.idempotency_key;
  /** What Wise was asked to pay for these transfers (by the payouts' idempotency keys). */
  async function atWise(...ids: string[]) {
    const keys = new Set((await Promise.all(ids.map(idempotencyKeyOf))).filter((key) => key !== undefined));
    return drop.app.wiseSimulator.transfers().filter((t) => keys.has(t.customerTransactionId));
  }
  const ledgerOk = async () => assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  const customer = (person: string): Promise<TestCustomer> => verifiedCustomer(base, db.pool, person);

  before(async () => {
    // No worker in the server: the test runs it when the scene is set.
    ({ db, drop, base } = await startDropOnFreePort({ PAYOUT_SIMULATOR_OUTCOME: 'manual' }));
    staffCookie = await signInStaff(base, db.pool, 'admin', 'finance@drop.no');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it("the runbook's `UPDATE users SET kyc_status = 'rejected' …` in plain SQL holds the paid-in transfer: Wise receives nothing", async () => {
    const kari = await customer('kari');
    const ola = await customer('ola');
    const blocked = await transferAs(kari, '1000');
    const bystander = await transferAs(ola, '1200');
    const summary = await payIn(blocked, bystander);
    assert.deepEqual(
      summary.funded.map((row) => [row.transactionId, row.held]),
      [
        [blocked.id, false],
        [bystander.id, false],
      ],
    );
    assert.equal((await transferRow(blocked.id))?.status, 'funds_received', 'paid in; its payout start is queued');

    // Screening raised a critical alert on Kari; the DR runbook's scenario 5 blocks such customers, verbatim.
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, 'sanctions_match', 'critical')`, [
      newId('alert'),
      kari.userId,
    ]);
    const block = await db.pool.query(
      `UPDATE users SET kyc_status = 'rejected' WHERE id IN (SELECT user_id FROM aml_alerts WHERE severity = 'critical')`,
    );
    assert.equal(block.rowCount, 1);
    assert.deepEqual(await transferRow(blocked.id), { status: 'held', held_from: 'funds_received' });

    await runQueuedJobs();
    assert.deepEqual(await atWise(blocked.id), [], 'nothing paid for the blocked customer');
    assert.equal(await idempotencyKeyOf(blocked.id), undefined, 'no payout was even written');
    assert.equal((await atWise(bystander.id)).length, 1, 'the other customer’s payout went out in the same run');
    assert.deepEqual(await transferRow(blocked.id), { status: 'held', held_from: 'funds_received' });
    await ledgerOk();
  });

  it('soft-deleting the customer (runbook 6.2) after the payout was queued: the send job sends nothing', async () => {
    const per = await customer('elderly');
    const blocked = await transferAs(per, '900');
    await payIn(blocked);
    // The payout start already ran: processing, the payout written, its send job queued.
    assert.equal(await startPayout(db.pool, { transactionId: blocked.id, partner: 'wise', actor: 'system:payouts' }), 'started');

    await db.pool.query(`UPDATE users SET deleted_at = NOW() WHERE id = '${per.userId}'`);
    assert.deepEqual(await transferRow(blocked.id), { status: 'held', held_from: 'processing' });

    await runQueuedJobs();
    assert.deepEqual(await atWise(blocked.id), []);
    const payout = await db.pool.query('SELECT state FROM payouts WHERE transaction_id = $1', [blocked.id]);
    assert.equal(payout.rows[0].state, 'sending', 'the payout waits, unsent, with the hold');
    await ledgerOk();
  });

  it('a transfer awaiting funds whose customer is blocked: the money that then arrives is recorded, and the transfer goes to held', async () => {
    // Ola, whose earlier payout is already at Wise (that one is not Drop's to stop any more).
    const olaAgain = await customer('ola');
    const awaiting = await transferAs(olaAgain, '800');
    await db.pool.query(`UPDATE users SET kyc_status = 'rejected' WHERE id IN ('${olaAgain.userId}')`);
    assert.deepEqual(await transferRow(awaiting.id), { status: 'held', held_from: 'awaiting_funds' });

    const summary = await payIn(awaiting);
    assert.deepEqual(summary.exceptions, [], 'not an exception: the money is this transfer’s');
    assert.deepEqual(
      summary.funded.map((row) => [row.transactionId, row.held]),
      [[awaiting.id, true]],
    );
    assert.deepEqual(await transferRow(awaiting.id), { status: 'held', held_from: 'funds_received' });

    await runQueuedJobs();
    assert.deepEqual(await atWise(awaiting.id), []);
    assert.deepEqual(await transferRow(awaiting.id), { status: 'held', held_from: 'funds_received' });
    await ledgerOk();
  });
});
