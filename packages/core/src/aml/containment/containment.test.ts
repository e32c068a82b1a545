/**
 * Containment against a real PostgreSQL: blocking a customer, by any writer (here the runbooks'
 * own statements, pasted as an operator would), holds their transfers whose money has not left;
 * money that arrives for such a transfer is recorded and the transfer stays held; and with the
 * trigger switched off, payout start, payout send and the bank import still refuse to pay a
 * blocked customer's transfer. After every step the ledger verifies.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { fixedRates, type MadeTransfer, makeTransfer, verifiedCustomer } from '../../../../../test/support/money.ts';
import { verifyLedger } from '../../ledger/verify-ledger.ts';
import type { BankEntry } from '../../payments/bank-file.ts';
import { importBankFile } from '../../payments/import-bank-file.ts';
import type { KidFormat } from '../../payments/kid.ts';
import { SequenceKidAllocator } from '../../payments/kid-allocator.ts';
import { bankEntry, CUSTOMER_DEBTOR } from '../../payments/test-support.ts';
import type { PayoutOrder, PayoutPartner } from '../../payouts/payout-partner.ts';
import { sendPayout } from '../../payouts/send-payout.ts';
import { startPayout } from '../../payouts/start-payout.ts';
import { transitionTransfer } from '../../transfers/transition-transfer.ts';

const ACCOUNT = '86011117947';
const KID_FORMAT: KidFormat = { method: 'MOD10', length: 12 };
const rates = fixedRates({ EUR: '11.7035' });
const kids = new SequenceKidAllocator(KID_FORMAT);

describe('containment: a blocked customer’s money does not leave', () => {
  let db: TestDatabase;
  let fileNumber = 0;
  /** Every payout the partner was asked to make. */
  const sent: PayoutOrder[] = [];
  const partner: PayoutPartner = {
    name: 'fake',
    send: async (order) => {
      sent.push(order);
      return { partnerReference: `FAKE-${order.transferId}`, state: 'processing' };
    },
    parseWebhook: () => null,
  };

  const customer = () => verifiedCustomer(db.pool, 1);
  const transfer = (who: { userId: string; recipientId: string }, nok = 1000) => makeTransfer(db.pool, { ...who, nok, rates, kids });
  const funded = async (who: { userId: string; recipientId: string }) => {
    const t = await transfer(who);
    await transitionTransfer(db.pool, { transactionId: t.id, to: 'funds_received', actor: 'test' });
    return t;
  };
  /** Funds received → processing with the payout row written and its send job queued (not sent). */
  const payoutQueued = async (who: { userId: string; recipientId: string }) => {
    const t = await funded(who);
    assert.equal(await startPayout(db.pool, { transactionId: t.id, partner: 'fake', actor: 'test' }), 'started');
    return t;
  };
  const statusOf = async (id: string) =>
    (await db.pool.query<{ status: string; held_from: string | null }>('SELECT status, held_from FROM transactions WHERE id = $1', [id]))
      .rows[0];
  const lastEvent = async (id: string) =>
    (
      await db.pool.query<{ to_status: string; actor: string; reason: string | null }>(
        'SELECT to_status, actor, reason FROM transfer_events WHERE transaction_id = $1 ORDER BY id DESC LIMIT 1',
        [id],
      )
    ).rows[0];
  const ledgerOk = async () => assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  const pay = (t: MadeTransfer) => {
    const entries: BankEntry[] = [bankEntry(t.amountMinor, { debtor: CUSTOMER_DEBTOR, kid: t.kid })];
    const file = {
      kind: 'camt.054' as const,
      messageId: `MSG-${++fileNumber}`,
      reports: [{ id: `NTF-${fileNumber}`, account: { iban: `NO93${ACCOUNT}` }, entries }],
    };
    return importBankFile(db.pool, {
      file,
      sha256: createHash('sha256').update(`file ${fileNumber}`).digest(),
      fileName: 'test.xml',
      importedBy: 'cli:test',
      payInAccount: ACCOUNT,
      kidFormat: KID_FORMAT,
      lateToleranceDays: 3,
    });
  };
  const payoutJobs = async (id: string) =>
    (
      await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'payouts:start' AND key = $1`,
        [`payout-start:${id}`],
      )
    ).rows[0]?.n;

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_containment' });
    await rates.refresh();
  });
  beforeEach(() => {
    sent.length = 0;
  });
  after(async () => {
    await db?.drop();
  });

  it("the runbook's `kyc_status = 'rejected'` holds every transfer whose money has not left, and audits who did it", async () => {
    const kari = await customer();
    const bystander = await customer();
    const awaiting = await transfer(kari);
    const paidIn = await funded(kari);
    const queued = await payoutQueued(kari);
    const atPartner = await payoutQueued(kari);
    assert.equal(await sendPayout(db.pool, partner, atPartner.id), 'sent');
    const others = await funded(bystander);

    // DR runbook, scenario 5, as pasted into psql by an administrator (the subquery picks this customer).
    await db.owner.query(`UPDATE users SET kyc_status = 'rejected' WHERE id IN (SELECT $1::text)`, [kari.userId]);

    assert.deepEqual(await statusOf(awaiting.id), { status: 'held', held_from: 'awaiting_funds' });
    assert.deepEqual(await statusOf(paidIn.id), { status: 'held', held_from: 'funds_received' });
    assert.deepEqual(await statusOf(queued.id), { status: 'held', held_from: 'processing' });
    // Already with the partner: holding it would not stop the money, and its webhook must still apply.
    assert.deepEqual(await statusOf(atPartner.id), { status: 'processing', held_from: null });
    assert.deepEqual(await statusOf(others.id), { status: 'funds_received', held_from: null });
    assert.deepEqual(await lastEvent(paidIn.id), { to_status: 'held', actor: 'db:postgres', reason: 'customer blocked (kyc_rejected)' });
    const audit = await db.pool.query(
      `SELECT actor, details FROM audit_log WHERE action = 'customer_transfers_held' AND resource_id = $1`,
      [kari.userId],
    );
    assert.equal(audit.rowCount, 1);
    assert.equal(audit.rows[0].actor, 'db:postgres');
    assert.deepEqual(audit.rows[0].details, {
      reason: 'customer blocked (kyc_rejected)',
      held: [awaiting.id, paidIn.id, queued.id].sort(),
      payoutAlreadyAtPartner: [atPartner.id],
    });

    // The payout jobs that were already queued run, and pay nothing.
    assert.equal(await startPayout(db.pool, { transactionId: paidIn.id, partner: 'fake', actor: 'system:payouts' }), 'skipped');
    assert.equal(await sendPayout(db.pool, partner, queued.id), 'held');
    assert.deepEqual(
      sent.map((order) => order.transferId),
      [atPartner.id],
      'only the payout sent before the block',
    );
    await ledgerOk();
  });

  it('soft-deleting the customer (runbook 6.2 and 7.3) holds the same way, with the actor the application set', async () => {
    const kari = await customer();
    const paidIn = await funded(kari);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('drop.actor', 'stf_test', true), set_config('drop.reason', 'erasure request', true)`);
      await client.query(`UPDATE users SET deleted_at = NOW() WHERE id = $1`, [kari.userId]);
      // The caller's own reason is back for whatever it writes next in the transaction.
      assert.equal((await client.query(`SELECT current_setting('drop.reason') AS r`)).rows[0].r, 'erasure request');
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    assert.deepEqual(await statusOf(paidIn.id), { status: 'held', held_from: 'funds_received' });
    assert.deepEqual(await lastEvent(paidIn.id), { to_status: 'held', actor: 'stf_test', reason: 'customer blocked (deleted)' });
    await ledgerOk();
  });

  it('an AML freeze (aml_frozen_at) holds the same way', async () => {
    const kari = await customer();
    const queued = await payoutQueued(kari);
    await db.pool.query(`UPDATE users SET aml_frozen_at = now() WHERE id = $1`, [kari.userId]);
    assert.deepEqual(await statusOf(queued.id), { status: 'held', held_from: 'processing' });
    assert.equal(await sendPayout(db.pool, partner, queued.id), 'held');
    assert.deepEqual(sent, []);
    await ledgerOk();
  });

  it('changes that leave the customer free to send hold nothing', async () => {
    const kari = await customer();
    const paidIn = await funded(kari);
    await db.pool.query(`UPDATE users SET kyc_status = 'approved', email = 'kari@example.no' WHERE id = $1`, [kari.userId]);
    assert.deepEqual(await statusOf(paidIn.id), { status: 'funds_received', held_from: null });
  });

  it('money that arrives for a held transfer is recorded against it, and the transfer stays held: no payout starts', async () => {
    const kari = await customer();
    const awaiting = await transfer(kari);
    await db.pool.query(`UPDATE users SET kyc_status = 'rejected' WHERE id IN (SELECT $1::text)`, [kari.userId]);
    assert.deepEqual(await statusOf(awaiting.id), { status: 'held', held_from: 'awaiting_funds' });

    const summary = await pay(awaiting);
    assert.deepEqual(summary.exceptions, []);
    assert.deepEqual(
      summary.funded.map((row) => [row.transactionId, row.held]),
      [[awaiting.id, true]],
    );
    assert.deepEqual(await statusOf(awaiting.id), { status: 'held', held_from: 'funds_received' });
    const steps = await db.pool.query(`SELECT from_status, to_status FROM transfer_events WHERE transaction_id = $1 ORDER BY id`, [
      awaiting.id,
    ]);
    assert.deepEqual(
      steps.rows.map((row) => `${row.from_status}→${row.to_status}`),
      ['null→awaiting_funds', 'awaiting_funds→held', 'held→awaiting_funds', 'awaiting_funds→funds_received', 'funds_received→held'],
    );
    const payin = await db.pool.query(
      `SELECT count(*)::int AS n FROM ledger_transfers WHERE transaction_id = $1 AND code = 'payin_received'`,
      [awaiting.id],
    );
    assert.equal(payin.rows[0].n, 1, 'the pay-in is posted');
    assert.equal(await payoutJobs(awaiting.id), 0);
    await ledgerOk();
  });

  describe('with the trigger switched off (a block that escaped it)', () => {
    before(async () => {
      await db.owner.query('ALTER TABLE users DISABLE TRIGGER users_contain_blocked');
    });
    after(async () => {
      await db.owner.query('ALTER TABLE users ENABLE ALWAYS TRIGGER users_contain_blocked');
    });

    it('payout start holds a blocked customer’s transfer instead of converting it', async () => {
      const kari = await customer();
      const paidIn = await funded(kari);
      await db.pool.query(`UPDATE users SET kyc_status = 'rejected' WHERE id = $1`, [kari.userId]);
      assert.deepEqual(await statusOf(paidIn.id), { status: 'funds_received', held_from: null }, 'the trigger is off');
      assert.equal(await startPayout(db.pool, { transactionId: paidIn.id, partner: 'fake', actor: 'system:payouts' }), 'held');
      assert.deepEqual(await statusOf(paidIn.id), { status: 'held', held_from: 'funds_received' });
      assert.deepEqual(await lastEvent(paidIn.id), {
        to_status: 'held',
        actor: 'system:payouts',
        reason: 'customer blocked (kyc_rejected)',
      });
      const payouts = await db.pool.query('SELECT 1 FROM payouts WHERE transaction_id = $1', [paidIn.id]);
      assert.equal(payouts.rowCount, 0);
      await ledgerOk();
    });

    it('a payout job already queued does not send, and holds the transfer', async () => {
      const kari = await customer();
      const queued = await payoutQueued(kari);
      await db.pool.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [kari.userId]);
      assert.equal(await sendPayout(db.pool, partner, queued.id), 'held');
      assert.deepEqual(sent, []);
      assert.deepEqual(await statusOf(queued.id), { status: 'held', held_from: 'processing' });
      const payout = await db.pool.query('SELECT state FROM payouts WHERE transaction_id = $1', [queued.id]);
      assert.equal(payout.rows[0].state, 'sending');
      await ledgerOk();
    });

    it('the bank import records the money and holds the transfer instead of starting its payout', async () => {
      const kari = await customer();
      const awaiting = await transfer(kari);
      await db.pool.query(`UPDATE users SET aml_frozen_at = now() WHERE id = $1`, [kari.userId]);
      const summary = await pay(awaiting);
      assert.deepEqual(
        summary.funded.map((row) => [row.transactionId, row.held]),
        [[awaiting.id, true]],
      );
      assert.deepEqual(await statusOf(awaiting.id), { status: 'held', held_from: 'funds_received' });
      assert.equal(await payoutJobs(awaiting.id), 0);
      await ledgerOk();
    });
  });
});
