/**
 * The demo data tells a true story: its transfers were made and moved by the real flows, so the
 * ledger verifies and reconciles with the bank files without a warning, every transfer has its
 * recipient, and every customer who started verification can be decided in the console. And its
 * casework, read back through the same queries the console uses: the case of the
 * customer whose STR awaits approval (investigating, nobody assigned, the critical alert in it, a
 * note, the STR linked), and an overdue case; the staff the casework names cannot sign in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { getAmlCase } from '../aml/cases/get-aml-case.ts';
import { listAmlCases } from '../aml/cases/list-aml-cases.ts';
import { kycHistory, recordManualKycDecision } from '../kyc/record-manual-decision.ts';
import { reconcileLedger } from '../ledger/reconcile-ledger.ts';
import { verifyLedger } from '../ledger/verify-ledger.ts';
import { type DemoSeedResult, seedDemoData } from './seed-demo-data.ts';

describe('demo data: the money and the verifications', () => {
  let db: TestDatabase;
  let demo: DemoSeedResult;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_demo_story' });
    demo = await seedDemoData(db.pool, { actor: 'test' });
  });
  after(async () => {
    await db?.drop();
  });

  it('reconciles with its bank files, payouts and refunds without a warning, and the ledger verifies', async () => {
    const report = await reconcileLedger(db.pool);
    assert.deepEqual(report.differences, [], 'no difference, not even a warning');
    assert.equal(report.ok, true);
    assert.ok(report.counts.bank_credits.checked > 0 && report.counts.payouts.checked > 0 && report.counts.refunds.checked > 0);
    const verified = await verifyLedger(db.pool);
    assert.equal(verified.ok, true, JSON.stringify(verified.violations));
    assert.equal(verified.transfers, Object.keys(demo.transactions).length);
  });

  it('has every transfer in the status it names, each with a recipient and a KID, as create_transfer makes them', async () => {
    const { rows } = await db.pool.query<{
      id: string;
      status: string;
      recipient: string | null;
      kid: string | null;
      quote: string | null;
    }>(
      `SELECT t.id, t.status, r.name AS recipient, t.kid, t.quote_id AS quote
         FROM transactions t LEFT JOIN recipients r ON r.id = t.recipient_id AND r.user_id = t.user_id`,
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const expected: Record<string, string> = {
      awaitingFunds: 'awaiting_funds',
      fundsReceived: 'funds_received',
      processing: 'processing',
      paidOut: 'paid_out',
      large: 'held',
      largePaid: 'paid_out',
      cancelled: 'cancelled',
      failed: 'failed',
      refunded: 'refunded',
      onHoldUser: 'held',
    };
    assert.deepEqual(Object.keys(demo.transactions).sort(), Object.keys(expected).sort());
    for (const [key, status] of Object.entries(expected)) {
      const row = byId.get(demo.transactions[key] as string);
      assert.equal(row?.status, status, key);
      assert.ok(row?.recipient, `${key} has its recipient`);
      assert.ok(row?.kid && row.quote, `${key} has a KID and a quote`);
    }
    const refund = await db.pool.query(`SELECT state FROM customer_refunds WHERE transaction_id = $1`, [demo.transactions.refunded]);
    assert.deepEqual(refund.rows, [{ state: 'sent' }], 'the refund was confirmed by the bank debit');
  });

  it('lets staff decide every customer who started verification: each has a history and an applicant', async () => {
    const { rows } = await db.pool.query<{ id: string; kyc_status: string }>(
      `SELECT id, kyc_status FROM users WHERE email LIKE '%@example.no' ORDER BY email`,
    );
    const started = rows.filter((row) => row.kyc_status !== 'not_started');
    assert.equal(started.length, 7);
    assert.ok(rows.some((row) => row.kyc_status === 'pending'));
    for (const customer of started) {
      const history = await kycHistory(db.pool, customer.id);
      assert.equal(history[0]?.action, 'kyc_started', customer.kyc_status);
      assert.equal(history.at(-1)?.details.to, customer.kyc_status, 'the history ends in the status the customer has');
    }
    // The console's decision, on each of them (a pending case is the one "awaiting review").
    for (const customer of started) {
      const decision = customer.kyc_status === 'approved' ? 'reject' : 'approve';
      const result = await recordManualKycDecision(db.pool, {
        userId: customer.id,
        decision,
        note: 'Checked the documents against the register.',
        staffId: 'stf_demo_test',
      });
      assert.equal(result.to, decision === 'approve' ? 'approved' : 'rejected', customer.kyc_status);
    }
  });
});

describe('demo data: cases', () => {
  let db: TestDatabase;
  let demo: DemoSeedResult;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_demo_cases' });
    demo = await seedDemoData(db.pool, { actor: 'test' });
  });
  after(async () => {
    await db?.drop();
  });

  it('has the STR awaiting approval in an investigated, unassigned case with its alert and a note', async () => {
    const caseId = demo.cases.sanctionsInvestigating as string;
    const found = await getAmlCase(db.pool, caseId);
    assert.equal(found.status, 'investigating');
    assert.equal(found.assignedTo, null);
    assert.equal(found.customer.id, demo.users.onHold);
    assert.equal(found.openedBy.name, 'Demo Compliance Officer');
    assert.deepEqual(
      found.alerts.map((alert) => alert.id),
      [demo.alerts.sanctionsCritical],
    );
    assert.deepEqual(
      found.strs.map((str) => str.status),
      ['awaiting_approval'],
    );
    const kinds = found.timeline.filter((entry) => entry.source === 'case').map((entry) => entry.kind);
    for (const kind of ['opened', 'alert_added', 'status_changed', 'noted', 'str_drafted', 'str_submitted'])
      assert.ok(kinds.includes(kind), kind);
    const str = await db.pool.query('SELECT status, drafted_by, approved_by, case_id FROM str_reports WHERE case_id = $1', [caseId]);
    assert.equal(str.rows.length, 1);
    assert.equal(str.rows[0].approved_by, null, 'a second person approves it in the demo');
  });

  it('has one overdue case, and the demo staff are disabled and never enrolled', async () => {
    const overdue = await listAmlCases(db.pool, { overdue: true });
    assert.deepEqual(
      overdue.map((item) => item.id),
      [demo.cases.overdue],
    );
    assert.ok((overdue[0]?.daysOverdue ?? 0) >= 3);
    const staff = await db.pool.query(
      `SELECT count(*)::int AS n FROM staff WHERE email LIKE 'demo.%@drop.example' AND disabled_at IS NOT NULL AND enrolled_at IS NULL`,
    );
    assert.equal(staff.rows[0].n, 2);
    assert.equal((await seedDemoData(db.pool, { actor: 'test' })).created, false, 'seeding again adds nothing');
    assert.equal((await listAmlCases(db.pool, { status: 'all' })).length, 2);
  });
});
