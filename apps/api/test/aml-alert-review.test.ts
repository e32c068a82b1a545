/**
 * Working an AML alert over HTTP: assign (to oneself or another officer), comment, close with an
 * outcome and notes, as runbook 7.1's UPDATE leaves the row; the history on the alert; closing
 * twice is 409 ALERT_CLOSED; support (no 'aml_review') gets 403 and nothing changes; the list
 * filters open and closed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedLargeTransferAlert, seedSanctionsAlert } from '../../../test/support/aml-alerts.ts';
import { postAs, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('AML alert review', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let officer: string;
  let lead: string;
  let support: string;
  let leadId: string;
  const post = (cookie: string, path: string, body: unknown) => postAs({ base, cookie }, path, body);
  const get = async (cookie: string, path: string) => (await (await fetch(`${base}${path}`, { headers: { cookie } })).json()).data;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    officer = await signInStaff(base, db.pool, 'compliance_officer');
    lead = await signInStaff(base, db.pool, 'compliance_lead');
    support = await signInStaff(base, db.pool, 'support');
    leadId = (await db.pool.query(`SELECT id FROM staff WHERE email = 'compliance_lead@drop.no'`)).rows[0].id;
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('assigns, comments and closes an alert; the row is closed as the runbook expects, with its history', async () => {
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    const transfer = await transferAs(kari, '1000');
    const alertId = await seedLargeTransferAlert(db.pool, { userId: kari.userId, transactionId: transfer.id });

    const mine = await post(officer, `/api/staff/aml-alerts/${alertId}/assign`, {});
    assert.equal(mine.status, 200);
    assert.equal((await mine.json()).data.assignedTo.name, 'compliance_officer person');
    const handed = await post(officer, `/api/staff/aml-alerts/${alertId}/assign`, { staffId: leadId });
    assert.equal(handed.status, 200);
    assert.equal((await handed.json()).data.assignedTo.id, leadId);
    assert.equal((await post(lead, `/api/staff/aml-alerts/${alertId}/comment`, { text: 'Payslips requested' })).status, 200);
    assert.equal((await post(lead, `/api/staff/aml-alerts/${alertId}/comment`, { text: '   ' })).status, 400);

    const closed = await post(lead, `/api/staff/aml-alerts/${alertId}/close`, { outcome: 'legitimate', notes: 'Salary, documented' });
    assert.equal(closed.status, 200);
    const alert = (await closed.json()).data;
    assert.equal(alert.status, 'closed');
    assert.equal(alert.outcome, 'legitimate');
    assert.equal(alert.reviewerNotes, 'Salary, documented');
    assert.equal(alert.reviewedBy, leadId);
    assert.deepEqual(
      alert.history.map((event: { kind: string; actorName: string | null; text: string | null }) => [
        event.kind,
        event.actorName,
        event.text,
      ]),
      [
        ['assigned', 'compliance_officer person', null],
        ['assigned', 'compliance_officer person', null],
        ['commented', 'compliance_lead person', 'Payslips requested'],
        ['closed', 'compliance_lead person', 'Salary, documented'],
      ],
    );
    const { rows } = await db.pool.query('SELECT status, reviewed_at, reviewer_notes, reviewed_by, outcome FROM aml_alerts WHERE id = $1', [
      alertId,
    ]);
    assert.equal(rows[0].status, 'closed');
    assert.ok(rows[0].reviewed_at);
    assert.equal(rows[0].reviewer_notes, 'Salary, documented');

    const again = await post(officer, `/api/staff/aml-alerts/${alertId}/close`, { outcome: 'escalated', notes: 'second try' });
    assert.equal(again.status, 409);
    assert.equal((await again.json()).code, 'ALERT_CLOSED');
    const after = await db.pool.query('SELECT outcome, reviewer_notes FROM aml_alerts WHERE id = $1', [alertId]);
    assert.deepEqual(after.rows[0], { outcome: 'legitimate', reviewer_notes: 'Salary, documented' });

    const open = await get(officer, '/api/staff/aml-alerts');
    assert.ok(!open.some((row: { id: string }) => row.id === alertId), 'not in the open queue');
    const closedList = await get(officer, '/api/staff/aml-alerts?status=closed');
    assert.deepEqual(
      closedList.map((row: { id: string }) => row.id),
      [alertId],
    );
  });

  it('refuses support (no aml_review) with 403, changing nothing, and an assignee who may not review', async () => {
    const ola = await verifiedCustomer(base, db.pool, 'ola');
    const { alertId } = await seedSanctionsAlert(db.pool, { userId: ola.userId });
    for (const action of ['assign', 'comment', 'close']) {
      const refused = await post(support, `/api/staff/aml-alerts/${alertId}/${action}`, {
        outcome: 'false_positive',
        notes: 'x',
        text: 'x',
      });
      assert.equal(refused.status, 403, action);
    }
    const supportId = (await db.pool.query(`SELECT id FROM staff WHERE email = 'support@drop.no'`)).rows[0].id;
    const wrong = await post(officer, `/api/staff/aml-alerts/${alertId}/assign`, { staffId: supportId });
    assert.equal(wrong.status, 400);
    const { rows } = await db.pool.query('SELECT status, assigned_to FROM aml_alerts WHERE id = $1', [alertId]);
    assert.deepEqual(rows[0], { status: 'open', assigned_to: null });
    assert.equal((await db.pool.query('SELECT 1 FROM aml_alert_events WHERE alert_id = $1', [alertId])).rowCount, 0);
  });

  it('clears the screening match of a sanctions alert closed as a false positive', async () => {
    const per = await verifiedCustomer(base, db.pool, 'elderly');
    const { alertId, matchId } = await seedSanctionsAlert(db.pool, { userId: per.userId });
    const closed = await post(officer, `/api/staff/aml-alerts/${alertId}/close`, {
      outcome: 'false_positive',
      notes: 'Not the listed person',
    });
    assert.equal(closed.status, 200);
    assert.equal((await closed.json()).data.screeningMatch.status, 'cleared');
    const clearance = await db.pool.query('SELECT list, record_key, reason FROM screening_clearances WHERE subject_id = $1', [per.userId]);
    assert.deepEqual(clearance.rows, [{ list: 'ofac-sdn', record_key: '36100', reason: 'Not the listed person' }]);
    assert.equal((await db.pool.query('SELECT status FROM screening_matches WHERE id = $1', [matchId])).rows[0].status, 'cleared');
  });
});
