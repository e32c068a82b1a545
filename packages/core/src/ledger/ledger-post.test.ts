/**
 * ledger_post, the one SQL function that moves money between ledger accounts, called directly:
 * balance limits refuse a posting whole (INSUFFICIENT_FUNDS, nothing written), resolutions must
 * name an unresolved pending posting, legs must match their accounts' currency, and concurrent
 * posters that name the same accounts in opposite orders neither deadlock nor lose an update.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { ledgerBalances } from '../back-office/transfer-views.ts';
import { domainErrorFromDatabase } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { rollupLedger } from './rollup-ledger.ts';
import { verifyLedger } from './verify-ledger.ts';

interface Leg {
  kind: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  code: string;
  debit?: number;
  credit?: number;
  amount?: number;
  currency?: string;
  pending_id?: number;
}

describe('ledger_post', () => {
  let db: TestDatabase;
  let bank: number;
  let fees: number;
  let fx: number;
  let customer: number;
  let customerEur: number;

  const post = (legs: Leg[]) => db.pool.query('SELECT ledger_post(NULL, $1::jsonb)', [JSON.stringify(legs)]);
  const codeOf = async (work: Promise<unknown>) => {
    const error = await work.then(
      () => assert.fail('expected the posting to be refused'),
      (caught: unknown) => domainErrorFromDatabase(caught),
    );
    assert.ok(error instanceof DomainError, `expected a domain error, got ${String(error)}`);
    return error.code;
  };
  const snapshot = async () => {
    const { rows } = await db.pool.query(
      `SELECT (SELECT json_agg(a ORDER BY id) FROM ledger_accounts a) AS accounts,
              (SELECT count(*) FROM ledger_transfers) AS postings`,
    );
    return rows[0];
  };

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_ledger_post' });
    await db.pool.query(
      `INSERT INTO users (id, full_name, kyc_status, kyc_tier) VALUES ('usr_01JAAAAAAAAAAAAAAAAAAAAAAA', 'Kari Nordmann', 'approved', 1)`,
    );
    const { rows } = await db.pool.query<Record<string, string>>(
      `SELECT ledger_system_account('bank', 'NOK', 0::smallint) AS bank,
              ledger_system_account('fee_revenue', 'NOK', 0::smallint) AS fees,
              ledger_system_account('fx_position', 'NOK', 0::smallint) AS fx,
              ledger_customer_account('usr_01JAAAAAAAAAAAAAAAAAAAAAAA', 'NOK') AS customer,
              ledger_customer_account('usr_01JAAAAAAAAAAAAAAAAAAAAAAA', 'EUR') AS customer_eur`,
    );
    const ids = rows[0] as Record<string, string>;
    [bank, fees, fx, customer, customerEur] = [ids.bank, ids.fees, ids.fx, ids.customer, ids.customer_eur].map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
  });
  after(async () => {
    await db?.drop();
  });

  it('refuses to overdraw a customer or over-credit the bank, whole and writing nothing', async () => {
    await post([{ kind: 'posted', code: 'payin', debit: bank, credit: customer, amount: 10_000, currency: 'NOK' }]);
    const before = await snapshot();

    // 100.01 NOK out of 100.00: the second leg breaks the customer's limit, so neither is written.
    assert.equal(
      await codeOf(
        post([
          { kind: 'posted', code: 'fee', debit: customer, credit: fees, amount: 1, currency: 'NOK' },
          { kind: 'posted', code: 'fx', debit: customer, credit: fx, amount: 10_000, currency: 'NOK' },
        ]),
      ),
      'INSUFFICIENT_FUNDS',
    );
    // A pending debit counts against the limit too.
    assert.equal(
      await codeOf(post([{ kind: 'pending', code: 'fx', debit: customer, credit: fx, amount: 10_001, currency: 'NOK' }])),
      'INSUFFICIENT_FUNDS',
    );
    // The bank (an asset) cannot be credited beyond what it was debited.
    assert.equal(
      await codeOf(post([{ kind: 'posted', code: 'refund', debit: fees, credit: bank, amount: 10_001, currency: 'NOK' }])),
      'INSUFFICIENT_FUNDS',
    );
    assert.deepEqual(await snapshot(), before);

    // Exactly the balance is allowed.
    await post([{ kind: 'posted', code: 'fx', debit: customer, credit: fx, amount: 10_000, currency: 'NOK' }]);
    const { rows } = await db.pool.query('SELECT credits_posted - debits_posted AS balance FROM ledger_accounts WHERE id = $1', [customer]);
    assert.equal(Number(rows[0].balance), 0);
  });

  it('resolves a pending posting once, and refuses anything that is not an unresolved pending posting', async () => {
    await post([{ kind: 'pending', code: 'payin', debit: bank, credit: customer, amount: 5_000, currency: 'NOK' }]);
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM ledger_transfers WHERE kind = 'pending' ORDER BY id DESC LIMIT 1`);
    const pendingId = Number(rows[0]?.id);
    const { rows: posted } = await db.pool.query<{ id: string }>(`SELECT id FROM ledger_transfers WHERE kind = 'posted' LIMIT 1`);

    const before = await snapshot();
    assert.equal(await codeOf(post([{ kind: 'void_pending', code: 'payin', pending_id: Number(posted[0]?.id) }])), 'LEDGER_INVALID');
    assert.equal(await codeOf(post([{ kind: 'post_pending', code: 'payin', pending_id: 987_654_321 }])), 'LEDGER_INVALID');
    assert.deepEqual(await snapshot(), before);

    await post([{ kind: 'post_pending', code: 'payin', pending_id: pendingId }]);
    const resolved = await snapshot();
    assert.equal(await codeOf(post([{ kind: 'void_pending', code: 'payin', pending_id: pendingId }])), 'LEDGER_INVALID');
    assert.equal(await codeOf(post([{ kind: 'post_pending', code: 'payin', pending_id: pendingId }])), 'LEDGER_INVALID');
    assert.deepEqual(await snapshot(), resolved);
    const { rows: account } = await db.pool.query('SELECT credits_pending, credits_posted FROM ledger_accounts WHERE id = $1', [customer]);
    assert.equal(Number(account[0].credits_pending), 0);
    assert.equal(Number(account[0].credits_posted), 15_000);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });

  it('resolves a pending posting once even when many try at the same time', async () => {
    await post([{ kind: 'pending', code: 'payout', debit: customer, credit: bank, amount: 700, currency: 'NOK' }]);
    const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM ledger_transfers WHERE kind = 'pending' ORDER BY id DESC LIMIT 1`);
    const pendingId = Number(rows[0]?.id);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => post([{ kind: i % 2 ? 'void_pending' : 'post_pending', code: 'payout', pending_id: pendingId }])),
    );
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
    const { rows: resolutions } = await db.pool.query('SELECT count(*)::int AS n FROM ledger_transfers WHERE pending_id = $1', [pendingId]);
    assert.equal(resolutions[0].n, 1);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });

  it('refuses a leg in a currency its accounts do not hold', async () => {
    const before = await snapshot();
    assert.equal(
      await codeOf(post([{ kind: 'posted', code: 'fx', debit: customerEur, credit: fx, amount: 1, currency: 'EUR' }])),
      'LEDGER_INVALID',
    );
    assert.equal(
      await codeOf(post([{ kind: 'posted', code: 'payin', debit: bank, credit: 424_242, amount: 1, currency: 'NOK' }])),
      'LEDGER_INVALID',
    );
    assert.deepEqual(await snapshot(), before);
  });

  // The same rule as a constraint, for a writer that does not go through ledger_post: each
  // account's foreign key carries the posting's currency.
  it('refuses, in the schema itself, a posting whose debit or credit account holds another currency', async () => {
    const before = await snapshot();
    const insert = (debit: number, credit: number, currency: string) =>
      db.pool.query(
        `INSERT INTO ledger_transfers (code, kind, debit_account_id, credit_account_id, amount, currency)
         VALUES ('fx', 'posted', $1, $2, 1, $3)`,
        [debit, credit, currency],
      );
    await assert.rejects(insert(customerEur, fx, 'NOK'), { code: '23503', constraint: 'ledger_transfers_debit_account_fkey' });
    await assert.rejects(insert(fx, customerEur, 'NOK'), { code: '23503', constraint: 'ledger_transfers_credit_account_fkey' });
    await assert.rejects(insert(fees, fx, 'EUR'), { code: '23503' });
    assert.deepEqual(await snapshot(), before);
  });

  it('lets concurrent posters name shared accounts in any order without deadlock or lost updates', async () => {
    const { rows: start } = await db.pool.query('SELECT id, debits_posted, credits_posted FROM ledger_accounts WHERE id = ANY($1)', [
      [fees, fx],
    ]);
    const rounds = 40;
    await Promise.all(
      Array.from({ length: rounds }, (_, i) =>
        post(
          i % 2 === 0
            ? [
                { kind: 'posted', code: 'a', debit: fees, credit: fx, amount: 3, currency: 'NOK' },
                { kind: 'posted', code: 'b', debit: fx, credit: fees, amount: 1, currency: 'NOK' },
              ]
            : [
                { kind: 'posted', code: 'b', debit: fx, credit: fees, amount: 1, currency: 'NOK' },
                { kind: 'posted', code: 'a', debit: fees, credit: fx, amount: 3, currency: 'NOK' },
              ],
        ),
      ),
    );
    const { rows: end } = await db.pool.query('SELECT id, debits_posted, credits_posted FROM ledger_accounts WHERE id = ANY($1)', [
      [fees, fx],
    ]);
    const moved = (rows: typeof start, id: number, column: 'debits_posted' | 'credits_posted') =>
      Number(rows.find((row) => Number(row.id) === id)?.[column]);
    for (const id of [fees, fx]) {
      assert.equal(moved(end, id, 'debits_posted') - moved(start, id, 'debits_posted'), rounds * (id === fees ? 3 : 1));
      assert.equal(moved(end, id, 'credits_posted') - moved(start, id, 'credits_posted'), rounds * (id === fees ? 1 : 3));
    }
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });
  it("defers a bank shard's pending debits out of its row and rolls them up exactly once, alongside concurrent postings", async () => {
    await rollupLedger(db.pool);
    const row = async () =>
      (await db.pool.query('SELECT debits_pending, debits_posted, xmin::text AS version FROM ledger_accounts WHERE id = $1', [bank]))
        .rows[0];
    const deferred = async () =>
      Number(
        (await db.pool.query('SELECT coalesce(sum(debits_pending), 0) AS dp FROM ledger_pending_deltas WHERE account_id = $1', [bank]))
          .rows[0].dp,
      );
    const start = await row();
    // A reservation only adds to the bank's debits_pending, which its limit (credits) does not count:
    // the row is not even locked, let alone changed.
    await post([{ kind: 'pending', code: 'payin', debit: bank, credit: customer, amount: 700, currency: 'NOK' }]);
    assert.deepEqual(await row(), start);
    assert.equal(await deferred(), 700);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);

    // Many reservations, resolutions of them and roll-ups at once: nothing counted twice or lost.
    const rounds = 30;
    const ids = await Promise.all(
      Array.from({ length: rounds }, async (_, i) => {
        await post([{ kind: 'pending', code: 'payin', debit: bank, credit: customer, amount: 10 + i, currency: 'NOK' }]);
        if (i % 5 === 0) await rollupLedger(db.pool);
        const { rows } = await db.pool.query<{ id: string }>(
          `SELECT id FROM ledger_transfers WHERE kind = 'pending' AND amount = $1 AND debit_account_id = $2 ORDER BY id DESC LIMIT 1`,
          [10 + i, bank],
        );
        return Number(rows[0]?.id);
      }),
    );
    await Promise.all(
      ids.map(async (id, i) => {
        await post([{ kind: i % 2 === 0 ? 'post_pending' : 'void_pending', code: 'payin_done', pending_id: id }]);
        if (i % 7 === 0) await rollupLedger(db.pool);
      }),
    );
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
    await rollupLedger(db.pool);
    assert.equal(await deferred(), 0);
    const end = await row();
    const posted = ids.reduce((sum, _id, i) => sum + (i % 2 === 0 ? 10 + i : 0), 0);
    assert.equal(Number(end.debits_pending) - Number(start.debits_pending), 700);
    assert.equal(Number(end.debits_posted) - Number(start.debits_posted), posted);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
    // A second roll-up has nothing left to move.
    assert.equal(await rollupLedger(db.pool), 0);
  });
  it("lets two customers' reservations on one bank shard commit in any order: neither waits for the other's COMMIT", async () => {
    await db.pool.query(
      `INSERT INTO users (id, full_name, kyc_status, kyc_tier) VALUES ('usr_01JBBBBBBBBBBBBBBBBBBBBBBB', 'Ola Nordmann', 'approved', 1)`,
    );
    const { rows } = await db.pool.query<{ id: string }>(`SELECT ledger_customer_account('usr_01JBBBBBBBBBBBBBBBBBBBBBBB', 'NOK') AS id`);
    const other = Number(rows[0]?.id);
    const reserve = (credit: number) => [{ kind: 'pending', code: 'payin', debit: bank, credit, amount: 500, currency: 'NOK' }];
    const first = await db.pool.connect();
    const second = await db.pool.connect();
    try {
      await first.query('BEGIN');
      await first.query('SELECT ledger_post(NULL, $1::jsonb)', [JSON.stringify(reserve(customer))]);
      // The first is still open, holding whatever it locked until its COMMIT. Waiting for it would
      // fail the second here instead of hanging the test: with one bank shard, every transfer
      // would wait for the one before it to reach the disk.
      await second.query('BEGIN');
      await second.query(`SET LOCAL lock_timeout = '5s'`);
      await second.query('SELECT ledger_post(NULL, $1::jsonb)', [JSON.stringify(reserve(other))]);
      await second.query('COMMIT');
      await first.query('COMMIT');
    } finally {
      await first.query('ROLLBACK').catch(() => undefined);
      first.release();
      second.release();
    }
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });
  it('resolves a pending posting that uses the whole headroom of a limited side, and a void gives the headroom back at once', async () => {
    // A fresh bank shard: its limit is on its credits (credits_pending + credits_posted <= debits_posted).
    const { rows } = await db.pool.query<{ id: string }>(`SELECT ledger_system_account('bank', 'NOK', 1::smallint) AS id`);
    const shard = Number(rows[0]?.id);
    const pendingId = async () =>
      Number(
        (
          await db.pool.query<{ id: string }>(
            `SELECT id FROM ledger_transfers WHERE kind = 'pending' AND credit_account_id = $1 ORDER BY id DESC LIMIT 1`,
            [shard],
          )
        ).rows[0]?.id,
      );
    await post([{ kind: 'posted', code: 'payin', debit: shard, credit: customer, amount: 1000, currency: 'NOK' }]);
    // The whole headroom reserved, then posted: the decrease of credits_pending and the increase of
    // credits_posted must land together, or the check counts the amount twice.
    await post([{ kind: 'pending', code: 'payout', debit: customer, credit: shard, amount: 1000, currency: 'NOK' }]);
    await post([{ kind: 'post_pending', code: 'payout_done', pending_id: await pendingId() }]);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);

    // A void returns the headroom at once, without waiting for a roll-up.
    await post([{ kind: 'posted', code: 'payin', debit: shard, credit: customer, amount: 1000, currency: 'NOK' }]);
    await post([{ kind: 'pending', code: 'payout', debit: customer, credit: shard, amount: 1000, currency: 'NOK' }]);
    await post([{ kind: 'void_pending', code: 'payout_void', pending_id: await pendingId() }]);
    await post([{ kind: 'pending', code: 'payout', debit: customer, credit: shard, amount: 1000, currency: 'NOK' }]);
    await post([{ kind: 'post_pending', code: 'payout_done', pending_id: await pendingId() }]);
    // Nothing of the limited side was deferred.
    const { rows: deferred } = await db.pool.query(
      'SELECT coalesce(sum(credits_pending), 0)::int AS cp FROM ledger_pending_deltas WHERE account_id = $1',
      [shard],
    );
    assert.equal(deferred[0].cp, 0);
    const { rows: account } = await db.pool.query(
      'SELECT credits_pending::int, credits_posted::int, debits_posted::int FROM ledger_accounts WHERE id = $1',
      [shard],
    );
    assert.deepEqual(account[0], { credits_pending: 0, credits_posted: 2000, debits_posted: 2000 });
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });
  it('rolls up without waiting for an account another transaction holds, leaving its changes for the next run', async () => {
    await rollupLedger(db.pool);
    const { rows } = await db.pool.query<{ id: string }>(`SELECT ledger_system_account('bank', 'NOK', 2::smallint) AS id`);
    const held = Number(rows[0]?.id);
    const deferred = async (id: number) =>
      Number(
        (await db.pool.query('SELECT coalesce(sum(debits_pending), 0) AS dp FROM ledger_pending_deltas WHERE account_id = $1', [id]))
          .rows[0].dp,
      );
    await post([{ kind: 'pending', code: 'payin', debit: held, credit: customer, amount: 300, currency: 'NOK' }]);
    await post([{ kind: 'pending', code: 'payin', debit: bank, credit: customer, amount: 200, currency: 'NOK' }]);
    const holder = await db.pool.connect();
    const roller = await db.pool.connect();
    try {
      // A long transaction (a bank-file import) holding the shard's row.
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM ledger_accounts WHERE id = $1 FOR NO KEY UPDATE', [held]);
      await roller.query('BEGIN');
      await roller.query(`SET LOCAL lock_timeout = '5s'`);
      assert.equal(await rollupLedger(roller), 1);
      await roller.query('COMMIT');
      assert.equal(await deferred(bank), 0);
      assert.equal(await deferred(held), 300);
      assert.deepEqual((await verifyLedger(db.pool)).violations, []);
      await holder.query('COMMIT');
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await roller.query('ROLLBACK').catch(() => undefined);
      holder.release();
      roller.release();
    }
    assert.equal(await rollupLedger(db.pool), 1);
    assert.equal(await deferred(held), 0);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });

  it('refuses to roll up a deferred change of an account that does not exist, rather than dropping it', async () => {
    await db.pool.query('INSERT INTO ledger_pending_deltas (account_id, debits_pending, credits_pending) VALUES (987654321, 5, 0)');
    try {
      await assert.rejects(rollupLedger(db.pool), /987654321/);
      assert.equal(
        Number((await db.pool.query('SELECT count(*) AS n FROM ledger_pending_deltas WHERE account_id = 987654321')).rows[0].n),
        1,
      );
    } finally {
      await db.pool.query('DELETE FROM ledger_pending_deltas WHERE account_id = 987654321');
    }
  });

  it('posts one leg as the general path does: both sides deferred, the currency checked on each, malformed legs refused whole', async () => {
    // The fast path for one pending or posted leg (ledger_post point 6) against what the general
    // path did: a pending leg between two system accounts whose limits count neither side defers
    // both, locking and changing neither row.
    const rows = async () =>
      (await db.pool.query('SELECT id, xmin::text AS version FROM ledger_accounts WHERE id = ANY($1) ORDER BY id', [[fees, fx]])).rows;
    const deltas = async () =>
      (
        await db.pool.query<{ account_id: string; debits_pending: string; credits_pending: string }>(
          'SELECT account_id, debits_pending, credits_pending FROM ledger_pending_deltas ORDER BY account_id, debits_pending, credits_pending',
        )
      ).rows;
    const start = await rows();
    const deferredBefore = await deltas();
    await post([{ kind: 'pending', code: 'fx', debit: fees, credit: fx, amount: 41, currency: 'NOK' }]);
    assert.deepEqual(await rows(), start);
    const added = (await deltas()).filter((row) => !deferredBefore.some((old) => JSON.stringify(old) === JSON.stringify(row)));
    assert.deepEqual(
      added.map((row) => [Number(row.account_id), Number(row.debits_pending), Number(row.credits_pending)]),
      fees < fx
        ? [
            [fees, 41, 0],
            [fx, 0, 41],
          ]
        : [
            [fx, 0, 41],
            [fees, 41, 0],
          ],
    );
    const { rows: posting } = await db.pool.query(
      'SELECT code, kind, pending_id, debit_account_id::int AS debit, credit_account_id::int AS credit, amount::int, currency FROM ledger_transfers ORDER BY id DESC LIMIT 1',
    );
    assert.deepEqual(posting[0], { code: 'fx', kind: 'pending', pending_id: null, debit: fees, credit: fx, amount: 41, currency: 'NOK' });

    // Refusals write nothing: no balance, no deferred change, no posting.
    const before = { ...(await snapshot()), deferred: await deltas() };
    // The credit side in another currency (the debit side, a bank shard, would only be deferred).
    assert.equal(
      await codeOf(post([{ kind: 'pending', code: 'payin', debit: bank, credit: customerEur, amount: 1, currency: 'NOK' }])),
      'LEDGER_INVALID',
    );
    // Legs the fast path leaves to the general path, refused by the posting's constraints as before.
    const violation = (constraint: string) => ({ code: '23514', constraint });
    await assert.rejects(
      post([{ kind: 'pending', code: 'payin', debit: customer, credit: customer, amount: 1, currency: 'NOK' }]),
      violation('ledger_transfers_check'),
    );
    await assert.rejects(
      post([{ kind: 'pending', code: 'payin', debit: bank, credit: customer, amount: 0, currency: 'NOK' }]),
      violation('ledger_transfers_amount_check'),
    );
    assert.deepEqual({ ...(await snapshot()), deferred: await deltas() }, before);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });

  it('shows balances as row plus deferred changes in a read-only transaction, writing nothing', async () => {
    await post([{ kind: 'pending', code: 'payin', debit: bank, credit: customer, amount: 123, currency: 'NOK' }]);
    const count = async () => Number((await db.pool.query('SELECT count(*) AS n FROM ledger_pending_deltas')).rows[0].n);
    const before = await count();
    assert.ok(before > 0);
    // As on a read replica: any write fails.
    const readOnly = new pg.Pool({ connectionString: db.url, max: 1, options: '-c default_transaction_read_only=on' });
    // Its connection may still be closing when the test database is dropped (which terminates it).
    readOnly.on('error', () => undefined);
    try {
      const balances = await ledgerBalances(readOnly);
      const { rows } = await db.pool.query<{ dp: string }>(
        `SELECT (sum(a.debits_pending) + (SELECT coalesce(sum(d.debits_pending), 0) FROM ledger_pending_deltas d
                                            JOIN ledger_accounts b ON b.id = d.account_id
                                           WHERE b.purpose = 'bank' AND b.currency = 'NOK'))::text AS dp
           FROM ledger_accounts a WHERE a.purpose = 'bank' AND a.currency = 'NOK'`,
      );
      const bankNok = balances.find((b) => b.purpose === 'bank' && b.currency === 'NOK');
      assert.equal(BigInt(bankNok?.debitsPending.replace('.', '') ?? ''), BigInt(rows[0]?.dp ?? ''));
    } finally {
      await readOnly.end();
    }
    assert.equal(await count(), before);
  });
});
