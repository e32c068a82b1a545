/**
 * AML cases against a real PostgreSQL: escalating an alert opens its customer's case (or joins the
 * open one), one case at a time per customer, every action writes the case's history and the audit
 * log, the timeline merges the casework with the customer's transfers, alerts, recipients and
 * screening matches, and a case cannot close while an STR of it is unfiled, nor as reported
 * without a filed one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../../../../../test/support/money.ts';
import { enrolStaff } from '../../../../../test/support/staff.ts';
import { DomainError } from '../../errors.ts';
import { SequenceKidAllocator } from '../../payments/kid-allocator.ts';
import { closeAmlAlert } from '../alerts/close-aml-alert.ts';
import { addAlertToCase } from './add-alert-to-case.ts';
import { assignAmlCase } from './assign-aml-case.ts';
import { closeAmlCase } from './close-aml-case.ts';
import { getAmlCase } from './get-aml-case.ts';
import { listAmlCases } from './list-aml-cases.ts';
import { noteAmlCase } from './note-aml-case.ts';
import { openAmlCase } from './open-aml-case.ts';
import { startAmlCaseInvestigation } from './start-aml-case-investigation.ts';

const isCode = (code: string) => (error: unknown) => error instanceof DomainError && error.code === code;
const rates = fixedRates({ EUR: '11.7035' });
const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });

describe('AML cases', () => {
  let db: TestDatabase;
  let officer: string;
  let lead: string;
  let support: string;

  const staffId = async (email: string) => (await db.pool.query('SELECT id FROM staff WHERE email = $1', [email])).rows[0].id as string;
  const rawAlert = async (userId: string, transactionId: string | null = null) => {
    const id = newId('alert');
    await db.pool.query(
      `INSERT INTO aml_alerts (id, user_id, transaction_id, rule, severity, details) VALUES ($1, $2, $3, 'large_transfer', 'high', $4)`,
      [id, userId, transactionId, JSON.stringify({ summary: 'A large transfer' })],
    );
    return id;
  };
  const caseEvents = async (caseId: string) =>
    (await db.pool.query('SELECT kind, actor, text FROM aml_case_events WHERE case_id = $1 ORDER BY id', [caseId])).rows;
  const auditActions = async (caseId: string) =>
    (
      await db.pool.query(`SELECT action FROM audit_log WHERE resource_type = 'aml_case' AND resource_id = $1 ORDER BY seq`, [caseId])
    ).rows.map((row) => row.action as string);

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_aml_cases' });
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
    await enrolStaff(db.pool, { email: 'support@drop.no', role: 'support' });
    officer = await staffId('officer@drop.no');
    await enrolStaff(db.pool, { email: 'lead@drop.no', role: 'compliance_lead' });
    lead = await staffId('lead@drop.no');
    support = await staffId('support@drop.no');
    await rates.refresh();
  });
  after(async () => {
    await db?.drop();
  });

  it('escalating an alert opens the customer’s case, and a second escalation joins it', async () => {
    const { userId, recipientId } = await verifiedCustomer(db.pool, 1);
    const transfer = await makeTransfer(db.pool, { userId, recipientId, nok: 20_000, rates, kids });
    const first = await rawAlert(userId, transfer.id);
    const second = await rawAlert(userId);

    const closed = await closeAmlAlert(db.pool, { alertId: first, outcome: 'escalated', notes: 'Looks structured', actor: officer });
    assert.ok(closed.caseId, 'the close answer names the case');
    const caseId = closed.caseId;
    const again = await closeAmlAlert(db.pool, { alertId: second, outcome: 'escalated', notes: 'Same pattern', actor: officer });
    assert.equal(again.caseId, caseId, 'the open case is joined, not a second one opened');

    const found = await getAmlCase(db.pool, caseId);
    assert.equal(found.status, 'open');
    assert.equal(found.userId, userId);
    assert.deepEqual(
      found.alerts.map((alert) => alert.id),
      [first, second],
    );
    assert.equal(found.customer.kycStatus, 'approved');
    assert.equal(found.customer.blocked, false);
    // The plain title for psql readers; the rule for the console to word in nb or en.
    assert.match(found.title, /^Escalated alert: \w+$/);
    assert.equal(found.escalatedRule, found.alerts[0]?.rule);
    const opened = found.timeline.find((entry) => entry.source === 'case' && entry.kind === 'opened');
    assert.deepEqual([opened?.text, opened?.details.why, opened?.details.rule], [null, 'escalated', found.alerts[0]?.rule]);
    const days = (new Date(found.dueAt).getTime() - new Date(found.openedAt).getTime()) / 86_400_000;
    assert.equal(Math.round(days), 30, 'due in 30 days (hvitvaskingsloven § 25)');
    assert.deepEqual(
      (await caseEvents(caseId)).map((event) => event.kind),
      ['opened', 'alert_added', 'alert_added'],
    );
    assert.deepEqual(await auditActions(caseId), ['aml_case_opened', 'aml_case_alert_added', 'aml_case_alert_added']);

    // The timeline: the casework, the transfer's creation, the alerts raised and closed, the recipient.
    const sources = new Set(found.timeline.map((entry) => `${entry.source}:${entry.kind}`));
    for (const expected of [
      'case:opened',
      'case:alert_added',
      'transfer:awaiting_funds',
      'alert:raised',
      'alert:closed',
      'recipient:added',
    ]) {
      assert.ok(sources.has(expected), `timeline has ${expected}: ${[...sources].join(', ')}`);
    }
    const transferEntry = found.timeline.find((entry) => entry.source === 'transfer');
    assert.equal(transferEntry?.subjectId, transfer.id);
    assert.equal(transferEntry?.details.sendAmount, '20000.00');
    assert.deepEqual(
      found.timeline.filter((entry) => entry.source === 'case').map((entry) => entry.kind),
      ['opened', 'alert_added', 'alert_added'],
      'the casework in the order it was written, also within one instant',
    );
    const times = found.timeline.map((entry) => entry.at);
    assert.deepEqual(times, [...times].sort(), 'oldest first');
  });

  it('opens a case by hand, refuses a second for the same customer naming the first, and changes nothing', async () => {
    const { userId } = await verifiedCustomer(db.pool, 1);
    const alertId = await rawAlert(userId);
    const opened = await openAmlCase(db.pool, { userId, title: 'Cash-intensive pattern', alertIds: [alertId], actor: officer });
    assert.equal(opened.alertCount, 1);
    await assert.rejects(
      openAmlCase(db.pool, { userId, title: 'Another', actor: officer }),
      (error: unknown) => isCode('CASE_ALREADY_OPEN')(error) && (error as DomainError).details?.caseId === opened.id,
    );
    const count = (await db.pool.query('SELECT count(*)::int AS n FROM aml_cases WHERE user_id = $1', [userId])).rows[0].n;
    assert.equal(count, 1);
    await assert.rejects(openAmlCase(db.pool, { userId: newId('usr'), title: 'Nobody', actor: officer }), isCode('NOT_FOUND'));
    const other = await verifiedCustomer(db.pool, 1);
    await assert.rejects(
      openAmlCase(db.pool, { userId: other.userId, title: 'Back-dated', dueAt: '2020-01-01T00:00:00Z', actor: officer }),
      isCode('VALIDATION_FAILED'),
    );
  });

  it('assigns, notes, investigates and adds another customer’s alert (a network), each in the history and the audit log', async () => {
    const { userId } = await verifiedCustomer(db.pool, 1);
    const opened = await openAmlCase(db.pool, { userId, title: 'Network', actor: officer });
    await assert.rejects(assignAmlCase(db.pool, { caseId: opened.id, staffId: support, actor: officer }), isCode('VALIDATION_FAILED'));
    await assignAmlCase(db.pool, { caseId: opened.id, staffId: officer, actor: officer });
    await noteAmlCase(db.pool, { caseId: opened.id, text: '  Called the bank  ', actor: officer });
    await assert.rejects(noteAmlCase(db.pool, { caseId: opened.id, text: '   ', actor: officer }), isCode('VALIDATION_FAILED'));
    const investigating = await startAmlCaseInvestigation(db.pool, { caseId: opened.id, actor: officer });
    assert.equal(investigating.status, 'investigating');
    assert.equal(investigating.assignedTo?.id, officer);

    const partner = await verifiedCustomer(db.pool, 1);
    const partnerAlert = await rawAlert(partner.userId);
    const withPartner = await addAlertToCase(db.pool, { caseId: opened.id, alertId: partnerAlert, actor: officer });
    assert.deepEqual(
      withPartner.alerts.map((alert) => alert.userId),
      [partner.userId],
    );
    // Adding it again changes nothing; to another case it cannot go.
    await addAlertToCase(db.pool, { caseId: opened.id, alertId: partnerAlert, actor: officer });
    const partnerCase = await openAmlCase(db.pool, { userId: partner.userId, title: 'Partner', actor: officer });
    await assert.rejects(addAlertToCase(db.pool, { caseId: partnerCase.id, alertId: partnerAlert, actor: officer }), isCode('CONFLICT'));

    assert.deepEqual(await caseEvents(opened.id), [
      { kind: 'opened', actor: officer, text: 'Network' },
      { kind: 'assigned', actor: officer, text: null },
      { kind: 'noted', actor: officer, text: 'Called the bank' },
      { kind: 'status_changed', actor: officer, text: null },
      { kind: 'alert_added', actor: officer, text: null },
    ]);
    assert.deepEqual(await auditActions(opened.id), [
      'aml_case_opened',
      'aml_case_assigned',
      'aml_case_noted',
      'aml_case_status_changed',
      'aml_case_alert_added',
    ]);
    await assert.rejects(db.pool.query('DELETE FROM aml_case_events WHERE case_id = $1', [opened.id]), /append-only/);
  });

  it('refuses to close while an STR of the case is unfiled, and as reported without a filed one', async () => {
    const { userId } = await verifiedCustomer(db.pool, 1);
    const opened = await openAmlCase(db.pool, { userId, title: 'To report', actor: officer });
    await assert.rejects(
      closeAmlCase(db.pool, { caseId: opened.id, outcome: 'reported', notes: 'Reported', actor: officer }),
      isCode('CASE_STR_NOT_FILED'),
    );
    const str = (
      await db.pool.query(
        `INSERT INTO str_reports (user_id, report_type, status, drafted_by, case_id) VALUES ($1, 'suspicious_transaction', 'awaiting_approval', $2, $3) RETURNING id, reference`,
        [userId, officer, opened.id],
      )
    ).rows[0];
    await assert.rejects(
      closeAmlCase(db.pool, { caseId: opened.id, outcome: 'no_suspicion', notes: 'Nothing', actor: officer }),
      (error: unknown) =>
        isCode('CASE_STR_UNFILED')(error) && JSON.stringify((error as DomainError).details).includes(str.reference as string),
    );
    assert.equal((await getAmlCase(db.pool, opened.id)).status, 'open', 'nothing changed');

    // Filed the way the database allows it (str_reports_guard): approved by a second person first.
    await db.pool.query(`UPDATE str_reports SET status = 'approved', approved_by = $2 WHERE id = $1`, [str.id, lead]);
    await db.pool.query(`UPDATE str_reports SET status = 'filed', filed_at = now() WHERE id = $1`, [str.id]);
    const closed = await closeAmlCase(db.pool, { caseId: opened.id, outcome: 'reported', notes: 'Filed with Økokrim', actor: officer });
    assert.equal(closed.status, 'closed');
    assert.equal(closed.outcome, 'reported');
    assert.equal(closed.closingNotes, 'Filed with Økokrim');
    assert.equal(closed.closedBy?.id, officer);
    assert.deepEqual(
      closed.strs.map((item) => [item.id, item.status]),
      [[str.id, 'filed']],
    );
    assert.ok(closed.timeline.some((entry) => entry.source === 'str' && entry.kind === 'filed'));
    await assert.rejects(noteAmlCase(db.pool, { caseId: opened.id, text: 'late', actor: officer }), isCode('CASE_CLOSED'));
    await assert.rejects(
      closeAmlCase(db.pool, { caseId: opened.id, outcome: 'no_suspicion', notes: 'again', actor: officer }),
      isCode('CASE_CLOSED'),
    );
    // The customer may have a new case once this one is closed.
    const next = await openAmlCase(db.pool, { userId, title: 'New suspicion', actor: officer });
    assert.notEqual(next.id, opened.id);
  });

  it('lists overdue cases first, and the overdue view holds only those past their due date and not closed', async () => {
    const { userId } = await verifiedCustomer(db.pool, 1);
    const late = await openAmlCase(db.pool, { userId, title: 'Late', actor: officer });
    await db.pool.query(
      `UPDATE aml_cases SET opened_at = now() - interval '40 days', due_at = now() - interval '3 days 1 hour' WHERE id = $1`,
      [late.id],
    );
    const overdue = await listAmlCases(db.pool, { overdue: true });
    assert.deepEqual(
      overdue.map((item) => [item.id, item.overdue, item.daysOverdue]),
      [[late.id, true, 3]],
    );
    const active = await listAmlCases(db.pool, {});
    assert.equal(active[0]?.id, late.id, 'overdue first');
    assert.ok(active.length > 1);
    assert.ok(active.every((item) => item.status !== 'closed'));
    const closed = await listAmlCases(db.pool, { status: 'closed' });
    assert.ok(closed.length >= 1 && closed.every((item) => item.status === 'closed' && !item.overdue));
  });
});
