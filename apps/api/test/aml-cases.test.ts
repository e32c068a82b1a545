/**
 * AML cases over HTTP: closing an alert as escalated answers with the case it joined (the alert's
 * response keeps its shape, plus caseId); the case shows its alert and the customer's transfer on
 * its timeline; note, assign, investigate, close; a second case for the customer is 409
 * CASE_ALREADY_OPEN naming the first; support (no 'str_reports') gets 403 and nothing changes; bad
 * input is 4xx with a stable code and no change; the overdue view lists a case whose due date passed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { seedLargeTransferAlert } from '../../../test/support/aml-alerts.ts';
import { postAs, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { verifiedCustomer as customerInDatabase } from '../../../test/support/money.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('AML cases', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let officer: string;
  let lead: string;
  let support: string;
  let officerId: string;
  const post = (cookie: string, path: string, body: unknown) => postAs({ base, cookie }, path, body);
  const get = (cookie: string, path: string) => fetch(`${base}${path}`, { headers: { cookie } });
  const caseRow = async (caseId: string) =>
    (await db.pool.query('SELECT status, assigned_to, outcome, due_at FROM aml_cases WHERE id = $1', [caseId])).rows[0];
  const eventCount = async (caseId: string) =>
    (await db.pool.query('SELECT count(*)::int AS n FROM aml_case_events WHERE case_id = $1', [caseId])).rows[0].n as number;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    officer = await signInStaff(base, db.pool, 'compliance_officer');
    lead = await signInStaff(base, db.pool, 'compliance_lead');
    support = await signInStaff(base, db.pool, 'support');
    officerId = (await db.pool.query(`SELECT id FROM staff WHERE email = 'compliance_officer@drop.no'`)).rows[0].id;
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('escalates an alert to a case and works it: timeline, note, assign, investigate, close', async () => {
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    const transfer = await transferAs(kari, '1000');
    const alertId = await seedLargeTransferAlert(db.pool, { userId: kari.userId, transactionId: transfer.id });

    const closed = await post(officer, `/api/staff/aml-alerts/${alertId}/close`, { outcome: 'escalated', notes: 'Needs a case' });
    assert.equal(closed.status, 200);
    const alert = (await closed.json()).data;
    assert.equal(alert.status, 'closed');
    assert.equal(alert.outcome, 'escalated');
    assert.match(alert.caseId, /^case_/);
    const caseId: string = alert.caseId;

    const shown = await get(officer, `/api/staff/cases/${caseId}`);
    assert.equal(shown.status, 200);
    const detail = (await shown.json()).data;
    assert.equal(detail.customer.id, kari.userId);
    assert.equal(detail.customer.blocked, false);
    assert.deepEqual(
      detail.alerts.map((item: { id: string }) => item.id),
      [alertId],
    );
    assert.ok(
      detail.timeline.some(
        (entry: { source: string; subjectId: string }) => entry.source === 'transfer' && entry.subjectId === transfer.id,
      ),
    );
    assert.ok(detail.timeline.some((entry: { source: string; kind: string }) => entry.source === 'case' && entry.kind === 'alert_added'));

    assert.equal((await post(officer, `/api/staff/cases/${caseId}/note`, { text: 'Asked for payslips' })).status, 200);
    const assigned = await post(officer, `/api/staff/cases/${caseId}/assign`, {});
    assert.equal(assigned.status, 200);
    assert.equal((await assigned.json()).data.assignedTo.id, officerId);
    const investigating = await post(officer, `/api/staff/cases/${caseId}/status`, { status: 'investigating' });
    assert.equal(investigating.status, 200);
    assert.equal((await investigating.json()).data.status, 'investigating');

    const again = await post(officer, '/api/staff/cases', { userId: kari.userId, title: 'Second' });
    assert.equal(again.status, 409);
    const problem = await again.json();
    assert.equal(problem.code, 'CASE_ALREADY_OPEN');
    assert.equal(problem.details.caseId, caseId);

    // A network: another customer's alert joins the case.
    const partner = await customerInDatabase(db.pool, 1);
    const partnerAlert = newId('alert');
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, 'velocity_daily', 'medium')`, [
      partnerAlert,
      partner.userId,
    ]);
    const added = await post(officer, `/api/staff/cases/${caseId}/alerts`, { alertId: partnerAlert });
    assert.equal(added.status, 200);
    assert.deepEqual(
      (await added.json()).data.alerts.map((item: { userId: string }) => item.userId),
      [kari.userId, partner.userId],
    );

    // An STR of the case waiting for approval: the case cannot close, and nothing changes.
    const str = (
      await db.pool.query(
        `INSERT INTO str_reports (user_id, report_type, status, drafted_by, case_id) VALUES ($1, 'suspicious_transaction', 'awaiting_approval', $2, $3) RETURNING id, reference`,
        [kari.userId, officerId, caseId],
      )
    ).rows[0];
    const eventsBefore = await eventCount(caseId);
    const unfiled = await post(lead, `/api/staff/cases/${caseId}/close`, { outcome: 'no_suspicion', notes: 'Nothing' });
    assert.equal(unfiled.status, 409);
    const unfiledProblem = await unfiled.json();
    assert.equal(unfiledProblem.code, 'CASE_STR_UNFILED');
    assert.equal(unfiledProblem.details.strs[0].reference, str.reference);
    assert.equal(await eventCount(caseId), eventsBefore);
    assert.equal((await caseRow(caseId)).status, 'investigating');
    const withStr = (await (await get(officer, `/api/staff/cases/${caseId}`)).json()).data;
    assert.deepEqual(
      withStr.strs.map((item: { id: string; status: string }) => [item.id, item.status]),
      [[str.id, 'awaiting_approval']],
    );
    // A lead rejects it (never its drafter): a case whose STRs are all rejected can close.
    const rejected = await post(lead, `/api/staff/strs/${str.id}/reject`, { reason: 'Nothing to report' });
    assert.equal(rejected.status, 200, await rejected.clone().text());
    assert.equal((await rejected.json()).data.status, 'rejected');

    const reported = await post(lead, `/api/staff/cases/${caseId}/close`, { outcome: 'reported', notes: 'Reported' });
    assert.equal(reported.status, 409);
    assert.equal((await reported.json()).code, 'CASE_STR_NOT_FILED');
    const done = await post(lead, `/api/staff/cases/${caseId}/close`, { outcome: 'no_suspicion', notes: 'Salary, documented' });
    assert.equal(done.status, 200);
    assert.equal((await done.json()).data.status, 'closed');
    const late = await post(officer, `/api/staff/cases/${caseId}/note`, { text: 'late' });
    assert.equal(late.status, 409);
    assert.equal((await late.json()).code, 'CASE_CLOSED');

    const audited = await db.pool.query(`SELECT action FROM audit_log WHERE resource_type = 'aml_case' AND resource_id = $1 ORDER BY seq`, [
      caseId,
    ]);
    assert.deepEqual(
      audited.rows.map((row) => row.action),
      [
        'aml_case_opened',
        'aml_case_alert_added',
        'aml_case_noted',
        'aml_case_assigned',
        'aml_case_status_changed',
        'aml_case_alert_added',
        'aml_case_closed',
      ],
    );
  });

  it('refuses support with 403 for every case route, and nothing changes', async () => {
    const ola = await customerInDatabase(db.pool, 1);
    const opened = await post(officer, '/api/staff/cases', { userId: ola.userId, title: 'Ola' });
    assert.equal(opened.status, 201);
    const caseId: string = (await opened.json()).data.id;
    const before = await eventCount(caseId);

    assert.equal((await get(support, '/api/staff/cases')).status, 403);
    assert.equal((await get(support, `/api/staff/cases/${caseId}`)).status, 403);
    for (const [action, body] of [
      ['assign', {}],
      ['note', { text: 'hello' }],
      ['status', { status: 'investigating' }],
      ['close', { outcome: 'no_suspicion', notes: 'x' }],
    ] as const) {
      const refused = await post(support, `/api/staff/cases/${caseId}/${action}`, body);
      assert.equal(refused.status, 403, action);
      assert.equal((await refused.json()).code, 'FORBIDDEN');
    }
    const supportOpen = await post(support, '/api/staff/cases', { userId: ola.userId, title: 'Support' });
    assert.equal(supportOpen.status, 403);
    assert.equal(await eventCount(caseId), before);
    assert.equal((await caseRow(caseId)).status, 'open');
  });

  it('answers bad input with 4xx and a stable code, changing nothing', async () => {
    const per = await customerInDatabase(db.pool, 1);
    const opened = await post(officer, '/api/staff/cases', { userId: per.userId, title: 'Per' });
    const caseId: string = (await opened.json()).data.id;
    const before = await eventCount(caseId);
    const cases = [
      [`/api/staff/cases/${caseId}/note`, { text: '   ' }, 400, 'VALIDATION_FAILED'],
      [`/api/staff/cases/${caseId}/status`, { status: 'closed' }, 400, 'VALIDATION_FAILED'],
      [`/api/staff/cases/${caseId}/close`, { outcome: 'maybe', notes: 'x' }, 400, 'VALIDATION_FAILED'],
      [`/api/staff/cases/${caseId}/close`, { outcome: 'no_suspicion', notes: '' }, 400, 'VALIDATION_FAILED'],
      [`/api/staff/cases/${caseId}/alerts`, { alertId: 'not-an-alert' }, 400, 'VALIDATION_FAILED'],
      [`/api/staff/cases/${caseId}/alerts`, { alertId: 'alert_01JZZZZZZZZZZZZZZZZZZZZZZZ' }, 404, 'NOT_FOUND'],
      ['/api/staff/cases/case_01JZZZZZZZZZZZZZZZZZZZZZZZ/note', { text: 'hi' }, 404, 'NOT_FOUND'],
      ['/api/staff/cases', { userId: per.userId }, 400, 'VALIDATION_FAILED'],
      ['/api/staff/cases', { userId: 'usr_01JZZZZZZZZZZZZZZZZZZZZZZZ', title: 'Nobody' }, 404, 'NOT_FOUND'],
    ] as const;
    for (const [path, body, status, code] of cases) {
      const response = await post(officer, path, body);
      assert.equal(response.status, status, `${path} ${JSON.stringify(body)}`);
      assert.equal((await response.json()).code, code, path);
    }
    assert.equal((await get(officer, '/api/staff/cases?status=maybe')).status, 400);
    assert.equal(await eventCount(caseId), before);
    assert.equal((await caseRow(caseId)).status, 'open');
    assert.equal((await caseRow(caseId)).assigned_to, null);
  });

  it('lists a case whose due date has passed in the overdue view, first, with its days overdue', async () => {
    const siri = await customerInDatabase(db.pool, 1);
    const opened = await post(officer, '/api/staff/cases', { userId: siri.userId, title: 'Siri' });
    const caseId: string = (await opened.json()).data.id;
    let overdue = (await (await get(lead, '/api/staff/cases?overdue=true')).json()).data;
    assert.ok(!overdue.some((item: { id: string }) => item.id === caseId), 'not overdue yet');

    await db.pool.query(
      `UPDATE aml_cases SET opened_at = now() - interval '35 days', due_at = now() - interval '5 days 2 hours' WHERE id = $1`,
      [caseId],
    );
    overdue = (await (await get(lead, '/api/staff/cases?overdue=true')).json()).data;
    assert.deepEqual(
      overdue.map((item: { id: string; overdue: boolean; daysOverdue: number; email: string }) => [
        item.id,
        item.overdue,
        item.daysOverdue,
      ]),
      [[caseId, true, 5]],
    );
    const active = (await (await get(lead, '/api/staff/cases')).json()).data;
    assert.equal(active[0].id, caseId, 'overdue first');
  });
});
