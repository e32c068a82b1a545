/**
 * The demo data's casework, read back through the same queries the console uses: the case of the
 * customer whose STR awaits approval (investigating, nobody assigned, the critical alert in it, a
 * note, the STR linked), and an overdue case; the staff the casework names cannot sign in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { getAmlCase } from '../aml/cases/get-aml-case.ts';
import { listAmlCases } from '../aml/cases/list-aml-cases.ts';
import { type DemoSeedResult, seedDemoData } from './seed-demo-data.ts';

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
