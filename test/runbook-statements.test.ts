/**
 * Every SQL statement the production runbooks tell an operator to paste (test/fixtures/
 * runbook-statements.sql, a verbatim copy of shared/seeds/runbook-statements.sql) runs unchanged
 * against a migrated database holding the demo data, with placeholders replaced by ids of real
 * rows, and does what the runbook says it does.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type DemoSeedResult, seedDemoData, verifyAuditChain } from '@drop/core';
import type pg from 'pg';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

const FIXTURE = new URL('./fixtures/runbook-statements.sql', import.meta.url);

/** Splits the file into statements: comments dropped, one statement per terminating semicolon. */
function parseStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

interface Placeholders {
  usr?: string;
  tx?: string;
  alert?: string;
  email?: string;
}

function fill(statement: string, values: Placeholders, rotatedAt: string): string {
  let sql = statement.replace('$(date -u --iso-8601=seconds)', rotatedAt);
  const replacements: Array<[string, string | undefined]> = [
    ["'usr_...'", values.usr],
    ["'tx_...'", values.tx],
    ["'alert_...'", values.alert],
    ["'[email protected]'", values.email],
  ];
  for (const [placeholder, value] of replacements) {
    if (!sql.includes(placeholder)) continue;
    assert.ok(value, `statement needs a value for ${placeholder}:\n${sql}`);
    sql = sql.replaceAll(placeholder, `'${value}'`);
  }
  assert.doesNotMatch(sql, /'(usr|tx|alert)_\.\.\.'|\[email/, 'every placeholder is replaced');
  return sql;
}

const ids = (result: pg.QueryResult) => result.rows.map((row) => row.id as string);

describe('runbook statements against the demo data', () => {
  let db: TestDatabase;
  let demo: DemoSeedResult;
  const user = (key: string) => demo.users[key] as string;
  const tx = (key: string) => demo.transactions[key] as string;
  const alert = (key: string) => demo.alerts[key] as string;

  before(async () => {
    db = await createTestDatabase();
    demo = await seedDemoData(db.pool, { actor: 'test' });
    assert.equal(demo.created, true);
  });
  after(async () => {
    await db.drop();
  });

  it('run in order, unchanged, and do what the runbooks say', async () => {
    const statements = parseStatements(readFileSync(FIXTURE, 'utf8'));
    const rotatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const one = async (sql: string, params: unknown[]) => (await db.pool.query(sql, params)).rows[0];

    // One step per statement, in file order: the placeholders it needs and the effect to check.
    const steps: Array<{ values?: Placeholders; check: (result: pg.QueryResult) => Promise<void> | void }> = [
      // DR 3: deleted users
      { check: (r) => assert.equal(r.rows[0].count, '0') },
      // DR 3: recent updates and deletes in the audit log: so far only what the demo's story did
      // through the real flows (transfers walking the state machine, bank entries matched, payouts
      // sent and settled, the refund sent, customers' KYC reviews and declarations, an alert closed)
      {
        check: (r) => {
          assert.ok(r.rowCount && r.rowCount > 0);
          const story = ['transactions', 'bank_entries', 'payouts', 'customer_refunds', 'users', 'aml_alerts'];
          for (const row of r.rows) {
            assert.equal(row.action, 'UPDATE');
            assert.ok(story.includes(row.resource_type), row.resource_type);
          }
          assert.ok(r.rows.some((row) => row.resource_type === 'transactions' && row.details.changed.includes('status')));
        },
      },
      // DR 5: audit log of the last 24 hours
      { check: (r) => assert.ok(r.rows.some((row) => row.action === 'demo_data_seeded')) },
      // DR 5: open alerts or alerts from the last 24 hours
      {
        check: (r) =>
          // Every demo alert: those monitoring raised today and the older open ones.
          assert.deepEqual(new Set(ids(r)), new Set(Object.values(demo.alerts))),
      },
      // DR 5: revoke sessions of users with open alerts (the two customers with a live session both
      // have one: the on-hold customer's sanctions alert, and what monitoring raised on Ingrid's transfers)
      {
        check: async (r) => {
          assert.equal(r.rowCount, 2);
          for (const key of ['onHold', 'approved'] as const) {
            const session = await one('SELECT revoked, revoked_at FROM sessions WHERE user_id = $1', [user(key)]);
            assert.equal(session.revoked, 1, key);
            assert.ok(session.revoked_at instanceof Date, key);
          }
        },
      },
      // DR 5: block users with critical alerts
      {
        check: async (r) => {
          assert.equal(r.rowCount, 1);
          assert.equal((await one('SELECT kyc_status FROM users WHERE id = $1', [user('onHold')])).kyc_status, 'rejected');
        },
      },
      // Connection test
      { check: (r) => assert.deepEqual(Object.values(r.rows[0]), [1]) },
      // 3.2: pending KYC, oldest first
      { check: (r) => assert.deepEqual(ids(r), [user('pendingOld'), user('pendingNew')]) },
      // 5.1: record the JWT secret rotation
      {
        check: async (r) => {
          assert.equal(r.rowCount, 1);
          const row = await one(`SELECT details, seq FROM audit_log WHERE action = 'secret_rotated' AND resource_id = 'JWT_SECRET'`, []);
          assert.equal(row.details.rotated_at, rotatedAt);
        },
      },
      // 6.2: look up a user by email
      {
        values: { email: 'ingrid.hansen@example.no' },
        check: (r) => {
          assert.deepEqual(ids(r), [user('approved')]);
          assert.equal(r.rows[0].auth_provider, 'bankid');
          assert.equal(r.rows[0].kyc_status, 'approved');
        },
      },
      // 6.2: pending for more than 24 hours
      { check: (r) => assert.deepEqual(ids(r), [user('pendingOld')]) },
      // 6.2: revoke a user's live sessions (DR 5 revoked this customer's already)
      { values: { usr: user('approved') }, check: (r) => assert.equal(r.rowCount, 0) },
      // 6.2: soft-delete the user: blocked at once, so their transfers whose money has not left
      // are held (the containment trigger on users), and those already ended stay as they were
      {
        values: { usr: user('approved') },
        check: async (r) => {
          assert.equal(r.rowCount, 1);
          assert.ok((await one('SELECT deleted_at FROM users WHERE id = $1', [user('approved')])).deleted_at instanceof Date);
          for (const [key, heldFrom] of [
            ['awaitingFunds', 'awaiting_funds'],
            ['fundsReceived', 'funds_received'],
          ] as const) {
            const held = await one('SELECT status, held_from FROM transactions WHERE id = $1', [tx(key)]);
            assert.deepEqual({ ...held }, { status: 'held', held_from: heldFrom }, key);
          }
          assert.equal((await one('SELECT status FROM transactions WHERE id = $1', [tx('paidOut')])).status, 'paid_out');
        },
      },
      // 6.2: revoke all of the user's sessions (already revoked: stays revoked)
      {
        values: { usr: user('approved') },
        check: async () => {
          const live = await one('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked = 0', [user('approved')]);
          assert.equal(live.n, 0);
        },
      },
      // 6.3: transactions of the last 24 hours, newest first
      {
        check: (r) => {
          // The demo's transfers were all made today, one after the other.
          assert.deepEqual(ids(r), Object.values(demo.transactions).reverse());
          assert.deepEqual(Object.keys(r.rows[0]), ['id', 'type', 'status', 'send_amount', 'send_currency', 'created_at']);
          assert.equal(r.rows[0].send_amount, '49000.00');
          assert.equal(r.rows[0].send_currency, 'NOK');
        },
      },
      // 6.3: failed transactions of the last 7 days, with the customer's email
      {
        check: (r) => {
          assert.deepEqual(ids(r), [tx('failed')]);
          assert.equal(r.rows[0].email, 'jonas.bakke@example.no');
        },
      },
      // 6.3: large transactions (over NOK 50 000) of the last 30 days, largest first
      {
        check: (r) => {
          assert.deepEqual(ids(r), [tx('large'), tx('largePaid')]);
          assert.deepEqual(
            r.rows.map((row) => row.send_amount),
            ['75000.00', '52000.00'],
          );
        },
      },
      // 7.1: open alerts with customer email and amount
      {
        check: (r) => {
          assert.equal(r.rowCount, Object.keys(demo.alerts).length - 1, 'every demo alert but the one closed');
          const large = r.rows.find((row) => row.id === alert('largeOpen'));
          assert.equal(large.email, 'jonas.bakke@example.no');
          assert.equal(large.send_amount, '75000.00');
          const noTransaction = r.rows.find((row) => row.id === alert('newCustomerOpen'));
          assert.equal(noTransaction.send_amount, null);
        },
      },
      // 7.1: close an alert after review
      {
        values: { alert: alert('largeOpen') },
        check: async (r) => {
          assert.equal(r.rowCount, 1);
          const closed = await one('SELECT status, reviewed_at, reviewer_notes FROM aml_alerts WHERE id = $1', [alert('largeOpen')]);
          assert.equal(closed.status, 'closed');
          assert.ok(closed.reviewed_at instanceof Date);
          assert.equal(closed.reviewer_notes, 'Reviewed — legitimate transaction');
        },
      },
      // 7.2: file an STR
      {
        values: { usr: user('sender'), tx: tx('large') },
        check: async (r) => {
          assert.equal(r.rowCount, 1);
          const str = await one(`SELECT report_type, status, filed_at, details FROM str_reports WHERE transaction_id = $1`, [tx('large')]);
          assert.equal(str.status, 'filed');
          assert.equal(str.report_type, 'suspicious_transaction');
          assert.ok(str.filed_at instanceof Date);
          assert.deepEqual(str.details, { reason: 'Unusual pattern', amount: 50000 });
        },
      },
      // 7.3: a user's data access requests
      {
        values: { usr: user('rejected') },
        check: (r) => {
          assert.equal(r.rowCount, 1);
          assert.equal(r.rows[0].type, 'erasure');
          assert.equal(r.rows[0].user_id, user('rejected'));
        },
      },
      // 7.3: erasure (soft delete) and session revocation
      { values: { usr: user('rejected') }, check: (r) => assert.equal(r.rowCount, 1) },
      { values: { usr: user('rejected') }, check: (r) => assert.equal(r.rowCount, 0, 'this customer had no sessions') },
      // 8.2: KYC stuck in pending for more than 2 hours
      { check: (r) => assert.deepEqual(ids(r), [user('pendingOld')]) },
    ];
    assert.equal(statements.length, steps.length, 'one checked step per runbook statement');

    for (const [index, statement] of statements.entries()) {
      const step = steps[index];
      assert.ok(step);
      const sql = fill(statement, step.values ?? {}, rotatedAt);
      const result = await db.pool.query(sql).catch((error: Error) => {
        throw new Error(`runbook statement ${index + 1} failed: ${error.message}\n${sql}`);
      });
      await step.check(result);
    }
  });

  it('leave the trail the DR runbook looks for, and an intact audit chain', async () => {
    const dr = parseStatements(readFileSync(FIXTURE, 'utf8'))[1] ?? '';
    assert.ok(dr.includes("action IN ('DELETE', 'UPDATE')"));
    const trail = await db.pool.query(dr);
    const changed = new Set(trail.rows.map((row) => `${row.resource_type}:${row.resource_id}`));
    for (const expected of [
      `users:${user('onHold')}`,
      `users:${user('approved')}`,
      `users:${user('rejected')}`,
      `aml_alerts:${alert('largeOpen')}`,
    ]) {
      assert.ok(changed.has(expected), `audit trail has ${expected}`);
    }
    assert.ok(trail.rows.some((row) => row.resource_type === 'sessions' && row.details.after.revoked === 1));
    const kyc = trail.rows.find((row) => row.resource_id === user('onHold') && row.resource_type === 'users');
    assert.equal(kyc.details.before.kyc_status, 'on_hold');
    assert.equal(kyc.details.after.kyc_status, 'rejected');
    const report = await verifyAuditChain(db.pool);
    assert.equal(report.ok, true);
    const deleted = await db.pool.query('SELECT COUNT(*) FROM users WHERE deleted_at IS NOT NULL');
    assert.equal(deleted.rows[0].count, '2');
  });
});
