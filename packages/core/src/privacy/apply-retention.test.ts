/**
 * The retention rules against a real PostgreSQL with a fake clock (`now` is a parameter): an
 * abandoned sign-up goes after a year, a rejected applicant after five, a former customer under
 * investigation waits until the case is closed and then loses their personal data and their AML
 * records (a filed STR included), ended sessions go after a year, a current customer is never
 * touched, and the AML histories stay append-only for anyone not yet erased.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { enrolStaff } from '../../../../test/support/staff.ts';
import { openCase } from '../../../../test/support/str-cases.ts';
import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { JOBS, readJobPayload } from '../jobs.ts';
import { applyRetention, retentionStatus } from './apply-retention.ts';

const T0 = new Date('2027-03-01T12:00:00Z');
const plus = (years: number, days = 0) => {
  const at = new Date(T0);
  at.setUTCFullYear(at.getUTCFullYear() + years);
  return new Date(at.getTime() + days * 24 * 60 * 60 * 1000);
};

describe('applyRetention with a fake clock', () => {
  let db: TestDatabase;
  let staffId: string;
  const users: Record<string, string> = {};
  const nameOf = async (id: string | undefined) =>
    (await db.pool.query<{ full_name: string | null }>('SELECT full_name FROM users WHERE id = $1', [id])).rows[0]?.full_name;

  const customer = async (key: string, kycStatus: string, ended: Date | null) => {
    const id = newId('usr');
    await db.pool.query(
      `INSERT INTO users (id, full_name, email, birth_date, kyc_status, created_at, deleted_at)
       VALUES ($1, $2, $3, '1990-01-01', $4, $5, $6)`,
      [id, `Person ${key}`, `${key}@example.no`, kycStatus, T0, ended],
    );
    users[key] = id;
    return id;
  };

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_retention' });
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
    staffId = (await db.pool.query<{ id: string }>(`SELECT id FROM staff WHERE email = 'officer@drop.no'`)).rows[0]?.id as string;
    await customer('signup', 'not_started', null);
    await customer('rejected', 'rejected', null);
    await customer('active', 'approved', null);
    const investigated = await customer('investigated', 'approved', T0);
    const caseId = await openCase(db.pool, { userId: investigated, openedBy: staffId });
    await db.pool.query(`INSERT INTO customer_notes (id, user_id, staff_id, body) VALUES ($1, $2, $3, 'Ringte om saken')`, [
      newId('cno'),
      investigated,
      staffId,
    ]);
    await db.pool.query(
      `INSERT INTO str_reports (user_id, report_type, details, status, drafted_by, filed_at, case_id)
       VALUES ($1, 'str', '{"document": {"subject": "Person investigated"}}', 'filed', $2, $3, $4)`,
      [investigated, staffId, T0, caseId],
    );
    // Sessions: one ended at T0 + 1 day, one still valid far ahead.
    for (const [expires, key] of [
      [new Date(T0.getTime() + 24 * 60 * 60 * 1000), 'signup'],
      [new Date('2040-01-01T00:00:00Z'), 'active'],
    ] as const) {
      await db.pool.query(
        `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, ip) VALUES ($1, $2, $3, $3, $4, '10.0.0.1')`,
        [newId('ses'), users[key], T0, expires],
      );
    }
  });
  after(async () => {
    await db?.drop();
  });

  it('keeps the AML histories and staff notes append-only for customers not erased', async () => {
    await assert.rejects(
      db.pool.query('DELETE FROM aml_case_events e USING aml_cases c WHERE c.id = e.case_id AND c.user_id = $1', [users.investigated]),
      /append-only/,
    );
    await assert.rejects(db.pool.query('DELETE FROM customer_notes WHERE user_id = $1', [users.investigated]), /append-only/);
  });

  it('removes an abandoned sign-up after a year, and nothing a day before', async () => {
    let run = await applyRetention(db.pool, { now: plus(1, -1) });
    assert.deepEqual(run.erasedCustomers, []);
    assert.equal(run.rules.find((rule) => rule.code === 'ended_sessions')?.applied, 0);
    run = await applyRetention(db.pool, { now: plus(1, 2) });
    assert.deepEqual(run.erasedCustomers, [users.signup]);
    assert.equal(await nameOf(users.signup), null);
    const signup = await db.pool.query('SELECT deleted_at, email, birth_date FROM users WHERE id = $1', [users.signup]);
    assert.ok(signup.rows[0].deleted_at, 'the relationship that never began is ended too');
    assert.deepEqual([signup.rows[0].email, signup.rows[0].birth_date], [null, null]);
    assert.equal(run.rules.find((rule) => rule.code === 'ended_sessions')?.applied, 1, 'the ended session is deleted');
    const live = await db.pool.query('SELECT ip FROM sessions WHERE user_id = $1', [users.active]);
    assert.equal(live.rows[0].ip, '10.0.0.1', 'a valid session stays');
    assert.equal(await nameOf(users.rejected), 'Person rejected', 'a rejected applicant is kept five years');
  });

  it('waits for an open case; once it is closed, erases the former customer and deletes their AML records', async () => {
    const status = await retentionStatus(db.pool, plus(5, 1));
    const personal = status.find((rule) => rule.code === 'ended_customer_personal_data');
    assert.deepEqual([personal?.due, personal?.heldForInvestigation], [0, 1]);
    let run = await applyRetention(db.pool, { now: plus(5, 1) });
    assert.deepEqual(run.erasedCustomers, [users.rejected], 'the rejected applicant goes at five years; the investigated customer waits');
    assert.equal(await nameOf(users.investigated), 'Person investigated');

    await db.pool.query(
      `UPDATE aml_cases SET status = 'closed', outcome = 'reported', closed_by = $2, closed_at = now() WHERE user_id = $1`,
      [users.investigated, staffId],
    );
    run = await applyRetention(db.pool, { now: plus(5, 1) });
    assert.deepEqual(run.erasedCustomers, [users.investigated]);
    assert.equal(await nameOf(users.investigated), null);
    for (const table of ['str_reports', 'aml_cases', 'customer_notes']) {
      const left = await db.pool.query(`SELECT 1 FROM ${table} WHERE user_id = $1`, [users.investigated]);
      assert.equal(left.rowCount, 0, `${table} deleted`);
    }
    assert.equal(await nameOf(users.active), 'Person active', 'a current customer is never touched');
    const chain = await verifyAuditChain(db.pool);
    assert.equal(chain.ok, true);
    const leaked = await db.pool.query(`SELECT seq FROM audit_log WHERE details::text LIKE '%Person investigated%'`);
    assert.equal(leaked.rowCount, 0, 'the deleted STR’s content is not copied into the audit log');
  });

  it('is a job whose payload may carry the time to apply the rules at', () => {
    assert.deepEqual(readJobPayload(JOBS.applyRetention, { now: '2032-01-01T00:00:00Z', _v: 1 }), { now: '2032-01-01T00:00:00Z' });
    assert.deepEqual(readJobPayload(JOBS.applyRetention, { _cron: { ts: 'x', backfilled: false } }), {
      _cron: { ts: 'x', backfilled: false },
    });
    assert.throws(() => readJobPayload(JOBS.applyRetention, { now: 'yesterday' }));
  });
});
