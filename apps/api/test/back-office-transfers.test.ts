/**
 * Transfers in the back office: the console's lists are the operations runbook's queries (6.3),
 * so for each view the API returns exactly the rows, in the same order, that the runbook's SQL
 * (read from the runbook file, unchanged) returns in psql. The detail shows where the money is:
 * the customer, the recipient, the timeline with who acted, and every ledger posting.
 *
 * Data: the demo data, plus transfers placed on the edges of each query (24 hours, 7 and 30 days,
 * exactly NOK 50 000, more than 50 in a day), each made the way real ones are (pay-in reserved,
 * then walked through the state machine), so the ledger stays consistent.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  type DemoSeedResult,
  STAFF_ROLES,
  STEPS_TO_STATUS,
  type StaffRole,
  seedDemoData,
  type TransferStatus,
  transitionTransfer,
  verifyLedger,
} from '@drop/core';
import { newId } from '@drop/db';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

const RUNBOOK = new URL('../../../test/fixtures/runbook-statements.sql', import.meta.url);

/** The runbook's statements, comments dropped, one per terminating semicolon (as test/runbook-statements.test.ts reads them). */
function runbookStatements(): string[] {
  const sql = readFileSync(RUNBOOK, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.replace(/\s+/g, ' ').trim())
    .filter((statement) => statement.length > 0);
}

/** The one runbook statement that starts with `start`. */
function runbook(start: string): string {
  const found = runbookStatements().filter((statement) => statement.startsWith(start));
  assert.equal(found.length, 1, `exactly one runbook statement starts with ${start}`);
  return found[0] as string;
}

const RUNBOOK_RECENT = runbook(
  "SELECT id, type, status, send_amount, send_currency, created_at FROM transactions WHERE created_at > NOW() - INTERVAL '24 hours'",
);
const RUNBOOK_FAILED = runbook('SELECT t.*, u.email FROM transactions t JOIN users u');
const RUNBOOK_LARGE = runbook('SELECT * FROM transactions WHERE send_amount > 50000');

interface Body<T> {
  data: T;
}
interface Row {
  id: string;
  status: string;
  customer: { id: string; name: string | null; email: string | null };
  send: { amount: string; currency: string };
  receive: { amount: string; currency: string } | null;
}
interface List {
  view: string;
  customerId: string | null;
  limit: number;
  truncated: boolean;
  transfers: Row[];
}

describe('back-office transfers', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let demo: DemoSeedResult;
  let customerCookie: string;
  let adminId: string;
  let extraCustomer: string;
  let withRecipient: string;
  const cookies = new Map<StaffRole, string>();

  /** A transfer made like a real one: created awaiting funds with its pay-in reserved, then walked to `status`. */
  async function addTransfer(input: {
    userId: string;
    sendOre: bigint;
    age: string;
    status: TransferStatus;
    recipientId?: string;
    currency?: string;
  }): Promise<string> {
    const id = newId('tx');
    const fee = 4_900n;
    await db.pool.query(
      `INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor, receive_amount_minor,
                                 receive_currency, fx_rate, recipient_id, created_at, updated_at)
       VALUES ($1, $2, 'transfer', 'awaiting_funds', $3, 'NOK', $4, $5, $6, 0.0852, $7, now() - $8::interval, now() - $8::interval)`,
      [
        id,
        input.userId,
        input.sendOre.toString(),
        fee.toString(),
        (((input.sendOre - fee) * 852n) / 10_000n).toString(),
        input.currency ?? 'EUR',
        input.recipientId ?? null,
        input.age,
      ],
    );
    await db.pool.query(
      `SELECT ledger_post($1, jsonb_build_array(jsonb_build_object('kind', 'pending', 'code', 'payin',
              'debit', ledger_system_account('bank', 'NOK', 0::smallint), 'credit', ledger_customer_account($2, 'NOK'),
              'amount', $3::bigint, 'currency', 'NOK')))`,
      [id, input.userId, input.sendOre.toString()],
    );
    for (const to of STEPS_TO_STATUS[input.status]) {
      await transitionTransfer(db.pool, {
        transactionId: id,
        to,
        actor: 'system:test',
        ...(to === 'failed' ? { failureReason: 'payout_partner_rejected: test' } : {}),
      });
    }
    return id;
  }

  const get = (path: string, cookie?: string) => fetch(`${base}${path}`, { headers: cookie ? { cookie } : {} });

  async function list(query: string, role: StaffRole = 'support'): Promise<List> {
    const response = await get(`/api/staff/transfers?${query}`, cookies.get(role));
    assert.equal(response.status, 200, `GET /api/staff/transfers?${query}`);
    return ((await response.json()) as Body<List>).data;
  }

  const runbookIds = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows.map((row) => row.id as string);

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    demo = await seedDemoData(db.pool, { actor: 'test' });
    assert.equal(demo.created, true);

    // A second sender with transfers on the edges of the runbook's windows and thresholds.
    extraCustomer = newId('usr');
    await db.pool.query(
      `INSERT INTO users (id, email, full_name, kyc_status, kyc_tier, created_at) VALUES ($1, 'edge.case@example.no', 'Edda Kant', 'approved', 2, now() - interval '400 days')`,
      [extraCustomer],
    );
    const recipient = newId('rcp');
    await db.pool.query(
      `INSERT INTO recipients (id, user_id, name, country, currency, rail, relationship, details, display)
       VALUES ($1, $2, 'Marta Kowalska', 'DE', 'EUR', 'iban', 'family', '{"iban": "DE89370400440532013000"}', 'DE89 •••• 3000')`,
      [recipient, extraCustomer],
    );
    // More than 50 in the last 24 hours, so `recent` is cut at 50 as the runbook's LIMIT cuts it.
    for (let minutes = 1; minutes <= 53; minutes++) {
      await addTransfer({
        userId: extraCustomer,
        sendOre: 10_000n + BigInt(minutes),
        age: `${minutes * 5 + 1} minutes`,
        status: 'awaiting_funds',
      });
    }
    await addTransfer({ userId: extraCustomer, sendOre: 200_000n, age: '25 hours', status: 'paid_out' }); // just outside 24 hours
    await addTransfer({ userId: extraCustomer, sendOre: 5_000_000n, age: '3 days', status: 'paid_out' }); // exactly NOK 50 000: not large
    await addTransfer({ userId: extraCustomer, sendOre: 5_000_001n, age: '4 days', status: 'paid_out' }); // NOK 50 000.01: large
    await addTransfer({ userId: extraCustomer, sendOre: 9_900_000n, age: '31 days', status: 'paid_out' }); // large, but too old
    await addTransfer({ userId: extraCustomer, sendOre: 6_100_000n, age: '29 days', status: 'refunded' }); // large, in the window
    await addTransfer({ userId: extraCustomer, sendOre: 300_000n, age: '6 days 23 hours', status: 'failed' }); // failed, just inside 7 days
    await addTransfer({ userId: extraCustomer, sendOre: 310_000n, age: '7 days 1 hour', status: 'failed' }); // failed, too old
    await addTransfer({ userId: extraCustomer, sendOre: 120_000n, age: '40 days', status: 'held' }); // the oldest held
    withRecipient = await addTransfer({
      userId: extraCustomer,
      sendOre: 77_700n,
      age: '2 hours',
      status: 'processing',
      recipientId: recipient,
    });

    for (const role of STAFF_ROLES) cookies.set(role, await signInStaff(base, db.pool, role));
    const me = (await (await get('/api/staff/me', cookies.get('admin'))).json()) as Body<{ id: string }>;
    adminId = me.data.id;
    // Compliance holds the transfer: the timeline names the staff member.
    await transitionTransfer(db.pool, {
      transactionId: withRecipient,
      to: 'held',
      actor: adminId,
      reason: 'manual review: unusual amount',
    });

    const customer = await signInThroughTestProvider(base, 'kari');
    customerCookie = `__Host-drop_session=${customer.sessionCookie}`;
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('lists the last 24 hours exactly as the runbook does: same ids, same order, cut at 50', async () => {
    const expected = await runbookIds(RUNBOOK_RECENT);
    assert.equal(expected.length, 50, 'the runbook query is cut at 50 too');
    const recent = await list('view=recent');
    assert.deepEqual(
      recent.transfers.map((row) => row.id),
      expected,
    );
    assert.equal(recent.truncated, true);
    assert.equal(recent.limit, 50);
    // No view named: the last 24 hours.
    assert.deepEqual(
      (await list('')).transfers.map((row) => row.id),
      expected,
    );
  });

  it('lists failed transfers of the last 7 days with the customer’s email, exactly as the runbook does', async () => {
    const { rows } = await db.pool.query(RUNBOOK_FAILED);
    const failed = await list('view=failed');
    assert.deepEqual(
      failed.transfers.map((row) => [row.id, row.customer.email]),
      rows.map((row) => [row.id, row.email]),
    );
    assert.equal(failed.transfers.length, 2, 'the demo failure and the one just inside 7 days');
    assert.ok(failed.transfers.some((row) => row.id === demo.transactions.failed && row.customer.email === 'jonas.bakke@example.no'));
    assert.equal(failed.truncated, false);
  });

  it('lists transfers over NOK 50 000 in 30 days, largest first, exactly as the runbook does', async () => {
    const expected = await runbookIds(RUNBOOK_LARGE);
    const large = await list('view=large');
    assert.deepEqual(
      large.transfers.map((row) => row.id),
      expected,
    );
    assert.deepEqual(
      large.transfers.map((row) => row.send.amount),
      ['75000.00', '61000.00', '52000.00', '50000.01'],
      'NOK 50 000.00 exactly is not large; NOK 99 000 31 days ago is too old',
    );
    assert.deepEqual(large.transfers[0]?.send, { amount: '75000.00', currency: 'NOK' });
  });

  it('lists every held transfer, oldest first', async () => {
    const held = await list('view=held', 'compliance_officer');
    const expected = await runbookIds(`SELECT id FROM transactions WHERE status = 'held' ORDER BY created_at ASC`);
    assert.deepEqual(
      held.transfers.map((row) => row.id),
      expected,
    );
    assert.equal(held.transfers.length, 4);
    assert.ok(held.transfers.every((row) => row.status === 'held'));
    assert.equal(held.transfers[0]?.customer.id, extraCustomer, 'held 40 days ago: first');
  });

  it('narrows each view to one customer without changing its rows or order', async () => {
    const sender = demo.users.sender as string;
    const recentForSender = await runbookIds(
      `SELECT id FROM transactions WHERE created_at > NOW() - INTERVAL '24 hours' AND user_id = $1 ORDER BY created_at DESC LIMIT 50`,
      [sender],
    );
    assert.deepEqual(
      (await list(`view=recent&customerId=${sender}`)).transfers.map((row) => row.id),
      recentForSender,
    );
    assert.deepEqual(
      recentForSender,
      [demo.transactions.refunded, demo.transactions.failed, demo.transactions.large, demo.transactions.processing],
      'the sender’s transfers today, newest first, which the 50 newest crowd out',
    );
    for (const view of ['failed', 'large', 'held']) {
      const all = await list(`view=${view}`);
      const mine = await list(`view=${view}&customerId=${extraCustomer}`);
      assert.equal(mine.customerId, extraCustomer);
      assert.ok(mine.transfers.length > 0, `${view}: the edge customer has some`);
      assert.deepEqual(
        mine.transfers.map((row) => row.id),
        all.transfers.filter((row) => row.customer.id === extraCustomer).map((row) => row.id),
        view,
      );
    }
  });

  it('shows one transfer with its figures, customer, timeline and every ledger posting', async () => {
    const id = demo.transactions.failed as string;
    const response = await get(`/api/staff/transfers/${id}`, cookies.get('support'));
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as Body<{
      transfer: Record<string, unknown>;
      customer: Record<string, unknown>;
      recipient: unknown;
      timeline: Array<Record<string, unknown>>;
      postings: Array<{
        id: string;
        code: string;
        kind: string;
        pendingId: string | null;
        debit: { purpose: string; currency: string; shard: number; userId: string | null };
        credit: { purpose: string; currency: string; shard: number; userId: string | null };
        amount: { amount: string; currency: string };
      }>;
    }>;
    const sender = demo.users.sender as string;
    const view = (await db.pool.query('SELECT transfer_json($1) AS t', [id])).rows[0].t;
    const bankReference = (await db.pool.query('SELECT reference FROM bank_entries WHERE transaction_id = $1', [id])).rows[0]?.reference;
    assert.deepEqual(data.transfer, { ...view, type: 'transfer', heldFrom: null, ledgerShard: 0 }, 'the API’s own view of the transfer');
    assert.equal(data.transfer.status, 'failed');
    assert.equal(data.transfer.failureReason, 'The payout partner could not pay the recipient.');
    assert.deepEqual(data.customer, {
      id: sender,
      name: 'Jonas Bakke',
      email: 'jonas.bakke@example.no',
      kycStatus: 'approved',
      deletedAt: null,
    });
    assert.equal((data.recipient as { name?: string } | null)?.name, 'Ayşe Yılmaz', 'demo transfers have a recipient, as real ones do');
    assert.deepEqual(
      data.timeline.map(({ from, to, actor, actorKind, actorName, reason }) => ({ from, to, actor, actorKind, actorName, reason })),
      [
        { from: null, to: 'awaiting_funds', actor: sender, actorKind: 'customer', actorName: null, reason: null },
        {
          from: 'awaiting_funds',
          to: 'funds_received',
          actor: 'system:bank-import',
          actorKind: 'system',
          actorName: null,
          reason: `bank payment ${bankReference}`,
        },
        {
          from: 'funds_received',
          to: 'processing',
          actor: 'system:payouts',
          actorKind: 'system',
          actorName: null,
          reason: 'payout started',
        },
        {
          from: 'processing',
          to: 'failed',
          actor: 'system:payouts',
          actorKind: 'system',
          actorName: null,
          reason: 'partner: bounced_back',
        },
      ],
      'the demo transfer walked the real flows: created by the customer, paid by a bank file, failed by the partner',
    );
    const account = (purpose: string, currency: string) => ({
      purpose,
      currency,
      shard: 0,
      userId: purpose === 'customer_funds' ? sender : null,
    });
    const bank = account('bank', 'NOK');
    const customer = account('customer_funds', 'NOK');
    const fees = account('fee_revenue', 'NOK');
    const fxNok = account('fx_position', 'NOK');
    const fxTry = account('fx_position', 'TRY');
    const partner = account('partner_clearing', 'TRY');
    const nok = (amount: string) => ({ amount, currency: 'NOK' });
    // Postings come in the order they were made; the legs of one movement (one ledger_post call) in any order.
    const byName = <T extends { code: string }>(rows: T[]) => [...rows].sort((a, b) => a.code.localeCompare(b.code));
    assert.deepEqual(
      data.postings.slice(0, 2).map((posting) => posting.code),
      ['payin', 'payin_received'],
    );
    assert.deepEqual(
      byName(data.postings.slice(2, 5)).map((posting) => posting.code),
      ['conversion', 'fee', 'payout'],
    );
    assert.deepEqual(
      byName(
        data.postings.map(({ code, kind, debit, credit, amount }) => ({
          code,
          kind,
          debit: { purpose: debit.purpose, currency: debit.currency, shard: debit.shard, userId: debit.userId },
          credit: { purpose: credit.purpose, currency: credit.currency, shard: credit.shard, userId: credit.userId },
          amount,
        })),
      ),
      byName([
        { code: 'payin', kind: 'pending', debit: bank, credit: customer, amount: nok('4200.00') },
        { code: 'payin_received', kind: 'post_pending', debit: bank, credit: customer, amount: nok('4200.00') },
        { code: 'fee', kind: 'posted', debit: customer, credit: fees, amount: nok('60.00') },
        { code: 'conversion', kind: 'posted', debit: customer, credit: fxNok, amount: nok('4140.00') },
        { code: 'payout', kind: 'pending', debit: fxTry, credit: partner, amount: { amount: '15349.24', currency: 'TRY' } },
        { code: 'payout_failed', kind: 'void_pending', debit: fxTry, credit: partner, amount: { amount: '15349.24', currency: 'TRY' } },
        { code: 'fee_reversal', kind: 'posted', debit: fees, credit: customer, amount: nok('60.00') },
        { code: 'conversion_reversal', kind: 'posted', debit: fxNok, credit: customer, amount: nok('4140.00') },
      ]),
    );
    // The settlements point at their reservations.
    const byCode = new Map(data.postings.map((posting) => [posting.code, posting]));
    assert.equal(byCode.get('payin_received')?.pendingId, byCode.get('payin')?.id);
    assert.equal(byCode.get('payout_failed')?.pendingId, byCode.get('payout')?.id);
    assert.equal(byCode.get('fee')?.pendingId, null);
    const stored = await db.pool.query('SELECT count(*)::int AS n FROM ledger_transfers WHERE transaction_id = $1', [id]);
    assert.equal(data.postings.length, stored.rows[0].n, 'every posting of the transfer');
  });

  it('shows the recipient’s payout details and names the staff member who held the transfer', async () => {
    const response = await get(`/api/staff/transfers/${withRecipient}`, cookies.get('compliance_lead'));
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as Body<{
      transfer: { status: string; heldFrom: string | null; recipient: { name: string } | null };
      recipient: Record<string, unknown> | null;
      timeline: Array<{ to: string; actor: string; actorKind: string; actorName: string | null; reason: string | null }>;
    }>;
    assert.equal(data.transfer.status, 'held');
    assert.equal(data.transfer.heldFrom, 'processing');
    assert.equal(data.transfer.recipient?.name, 'Marta Kowalska');
    assert.deepEqual(data.recipient && { ...data.recipient, id: undefined }, {
      id: undefined,
      name: 'Marta Kowalska',
      country: 'DE',
      currency: 'EUR',
      rail: 'iban',
      relationship: 'family',
      display: 'DE89 •••• 3000',
      details: { iban: 'DE89370400440532013000' },
      deletedAt: null,
    });
    assert.deepEqual(data.timeline.at(-1), {
      ...data.timeline.at(-1),
      to: 'held',
      actor: adminId,
      actorKind: 'staff',
      actorName: 'admin person',
      reason: 'manual review: unusual amount',
    });
  });

  it('answers 404 for a transfer that does not exist and 400 for a malformed id or an unknown view', async () => {
    const missing = await get(`/api/staff/transfers/${newId('tx')}`, cookies.get('support'));
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: string }).code, 'NOT_FOUND');
    assert.equal((await get('/api/staff/transfers/tx_nope', cookies.get('support'))).status, 400);
    assert.equal((await get('/api/staff/transfers?view=everything', cookies.get('support'))).status, 400);
    assert.equal((await get('/api/staff/transfers?customerId=robert', cookies.get('support'))).status, 400);
  });

  it('opens transfers to support, compliance and admins, the ledger to admins only; customers get 403, strangers 401', async () => {
    const id = demo.transactions.failed as string;
    const routes = ['/api/staff/transfers?view=failed', `/api/staff/transfers/${id}`, '/api/staff/ledger'];
    const seen: Record<string, number[]> = {};
    for (const route of routes) {
      seen[route] = [];
      for (const role of STAFF_ROLES) seen[route].push((await get(route, cookies.get(role))).status);
      seen[route].push((await get(route, customerCookie)).status);
      seen[route].push((await get(route)).status);
    }
    //                     support compliance_officer compliance_lead admin customer nobody
    assert.deepEqual(seen, {
      '/api/staff/transfers?view=failed': [200, 200, 200, 200, 403, 401],
      [`/api/staff/transfers/${id}`]: [200, 200, 200, 200, 403, 401],
      '/api/staff/ledger': [403, 403, 403, 200, 403, 401],
    });
    const denied = await db.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'access_denied' AND details->>'permission' = 'ledger_view'`,
    );
    assert.ok(denied.rows[0].n >= 4, 'refusals are audited');
  });

  it('gives admins the ledger check and balances per purpose and currency over all shards', async () => {
    const response = await get('/api/staff/ledger', cookies.get('admin'));
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as Body<{
      report: { ok: boolean; accounts: number; postings: number; transfers: number; violations: unknown[] };
      balances: Array<{
        purpose: string;
        currency: string;
        accounts: number;
        debitsPending: string;
        debitsPosted: string;
        creditsPending: string;
        creditsPosted: string;
        postedNet: string;
      }>;
    }>;
    assert.deepEqual(data.report, await verifyLedger(db.pool));
    assert.equal(data.report.ok, true);
    assert.equal(data.report.transfers, 10 + 53 + 9);

    const { rows } = await db.pool.query(
      // A pending balance is the row plus the changes ledger_post deferred (not rolled up: a read does not write).
      `SELECT purpose, currency, count(*)::int AS accounts, sum(debits_posted)::text AS dpo, sum(credits_posted)::text AS cpo,
              sum(debits_pending + coalesce(d.dp, 0))::text AS dp, sum(credits_pending + coalesce(d.cp, 0))::text AS cp
         FROM ledger_accounts a
         LEFT JOIN (SELECT account_id, sum(debits_pending) AS dp, sum(credits_pending) AS cp
                      FROM ledger_pending_deltas GROUP BY account_id) d ON d.account_id = a.id
        GROUP BY purpose, currency`,
    );
    const minor = (major: string) => BigInt(major.replace('.', ''));
    assert.equal(data.balances.length, rows.length);
    for (const row of rows) {
      const balance = data.balances.find((b) => b.purpose === row.purpose && b.currency === row.currency);
      assert.ok(balance, `${row.purpose} ${row.currency}`);
      assert.deepEqual(
        [
          balance.accounts,
          minor(balance.debitsPosted),
          minor(balance.creditsPosted),
          minor(balance.debitsPending),
          minor(balance.creditsPending),
        ],
        [row.accounts, BigInt(row.dpo), BigInt(row.cpo), BigInt(row.dp), BigInt(row.cp)],
        `${row.purpose} ${row.currency}`,
      );
      assert.equal(minor(balance.postedNet), BigInt(row.cpo) - BigInt(row.dpo));
    }
    // Money is conserved: per currency, the posted nets of all purposes sum to zero.
    const perCurrency = new Map<string, bigint>();
    for (const balance of data.balances)
      perCurrency.set(balance.currency, (perCurrency.get(balance.currency) ?? 0n) + minor(balance.postedNet));
    assert.deepEqual(
      [...perCurrency.values()].filter((sum) => sum !== 0n),
      [],
    );
    const bank = data.balances.find((b) => b.purpose === 'bank' && b.currency === 'NOK');
    assert.ok(bank && bank.accounts === 1 && bank.postedNet.startsWith('-'), 'the bank (an asset) has a debit balance');
  });
});
