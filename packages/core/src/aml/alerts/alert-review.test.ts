/**
 * Alert review against a real PostgreSQL: assign, comment and close keep a history that cannot be
 * changed; the runbook's UPDATE in psql and the console's close agree both ways; closing twice is
 * refused; and a name match closed as a false positive is cleared for its subject: screening the
 * same record again raises nothing, a changed record (new hash) raises a new alert.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { verifiedCustomer } from '../../../../../test/support/money.ts';
import { enrolStaff } from '../../../../../test/support/staff.ts';
import { DomainError } from '../../errors.ts';
import { assignAmlAlert } from './assign-aml-alert.ts';
import { closeAmlAlert } from './close-aml-alert.ts';
import { commentAmlAlert } from './comment-aml-alert.ts';
import { getAmlAlert } from './get-aml-alert.ts';

const isCode = (code: string) => (error: unknown) => error instanceof DomainError && error.code === code;

describe('alert review', () => {
  let db: TestDatabase;
  let officer: string;
  let lead: string;
  let support: string;
  let userId: string;

  const staffId = async (email: string) => (await db.pool.query('SELECT id FROM staff WHERE email = $1', [email])).rows[0].id as string;
  const rawAlert = async (rule = 'large_transfer') => {
    const id = newId('alert');
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity, details) VALUES ($1, $2, $3, 'high', '{}')`, [
      id,
      userId,
      rule,
    ]);
    return id;
  };
  /** Screens the customer as aml_record_screening does, with one sanctions match on record 36100 at `hash`. */
  const screen = (hash: string) =>
    db.pool.query('SELECT aml_record_screening($1, $2, $3, NULL, $4::jsonb) AS verdict', [
      userId,
      'customer',
      userId,
      JSON.stringify([
        {
          list: 'ofac-sdn',
          key: '36100',
          recordHash: hash,
          score: 0.97,
          topics: ['sanction'],
          name: 'Vladimir PUTIN',
          queryName: 'Vladimir Putin',
        },
      ]),
    ]);
  const sanctionAlerts = async () =>
    (
      await db.pool.query(
        `SELECT id, status, screening_match_id FROM aml_alerts WHERE user_id = $1 AND rule = 'sanctions_match' ORDER BY created_at`,
        [userId],
      )
    ).rows;

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_alert_review' });
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
    await enrolStaff(db.pool, { email: 'lead@drop.no', role: 'compliance_lead' });
    await enrolStaff(db.pool, { email: 'support@drop.no', role: 'support' });
    officer = await staffId('officer@drop.no');
    lead = await staffId('lead@drop.no');
    support = await staffId('support@drop.no');
    ({ userId } = await verifiedCustomer(db.pool, 1));
  });
  after(async () => {
    await db?.drop();
  });

  it('assigns, comments and closes with an outcome, as the runbook sees it, with the history kept', async () => {
    const id = await rawAlert();
    await assignAmlAlert(db.pool, { alertId: id, staffId: officer, actor: officer });
    await assignAmlAlert(db.pool, { alertId: id, staffId: lead, actor: officer });
    await commentAmlAlert(db.pool, { alertId: id, text: 'Asked the customer for payslips', actor: lead });
    await assert.rejects(assignAmlAlert(db.pool, { alertId: id, staffId: support, actor: officer }), isCode('VALIDATION_FAILED'));
    const closed = await closeAmlAlert(db.pool, { alertId: id, outcome: 'legitimate', notes: 'Salary, documented', actor: lead });
    assert.equal(closed.outcome, 'legitimate');
    assert.equal(closed.assignedTo?.id, lead);
    assert.deepEqual(
      closed.history.map((event) => [event.kind, event.actor, event.assignedTo, event.outcome, event.text]),
      [
        ['assigned', officer, officer, null, null],
        ['assigned', officer, lead, null, null],
        ['commented', lead, null, null, 'Asked the customer for payslips'],
        ['closed', lead, null, 'legitimate', 'Salary, documented'],
      ],
    );
    assert.equal(closed.history[0]?.actorName, 'compliance_officer person');
    // Runbook 7.1's queue no longer has it; the row is closed as its UPDATE would leave it.
    const { rows } = await db.pool.query(
      `SELECT a.status, a.reviewed_at, a.reviewer_notes, a.reviewed_by FROM aml_alerts a JOIN users u ON a.user_id = u.id
        LEFT JOIN transactions t ON a.transaction_id = t.id WHERE a.id = $1`,
      [id],
    );
    assert.equal(rows[0].status, 'closed');
    assert.ok(rows[0].reviewed_at instanceof Date);
    assert.equal(rows[0].reviewer_notes, 'Salary, documented');
    assert.equal(rows[0].reviewed_by, lead);

    await assert.rejects(
      closeAmlAlert(db.pool, { alertId: id, outcome: 'escalated', notes: 'again', actor: officer }),
      isCode('ALERT_CLOSED'),
    );
    await assert.rejects(assignAmlAlert(db.pool, { alertId: id, staffId: officer, actor: officer }), isCode('ALERT_CLOSED'));
    const after = await getAmlAlert(db.pool, id);
    assert.equal(after.outcome, 'legitimate', 'the refused close changed nothing');
    assert.equal(after.history.length, 4);
    const audit = await db.pool.query(
      `SELECT action, actor FROM audit_log WHERE resource_id = $1 AND action LIKE 'aml_alert_%' ORDER BY seq`,
      [id],
    );
    assert.deepEqual(
      audit.rows.map((row) => row.action),
      ['aml_alert_assigned', 'aml_alert_assigned', 'aml_alert_commented', 'aml_alert_closed'],
    );
  });

  it('keeps the history append-only', async () => {
    const id = await rawAlert();
    await commentAmlAlert(db.pool, { alertId: id, text: 'first look', actor: officer });
    await assert.rejects(db.pool.query(`UPDATE aml_alert_events SET text = 'rewritten' WHERE alert_id = $1`, [id]), /append-only/);
    await assert.rejects(db.pool.query('DELETE FROM aml_alert_events WHERE alert_id = $1', [id]), /append-only/);
    // TRUNCATE is not granted to the application at all; the trigger refuses it to the owner too.
    await assert.rejects(db.pool.query('TRUNCATE aml_alert_events'), { code: '42501' });
    await assert.rejects(db.owner.query('TRUNCATE aml_alert_events'), /append-only/);
  });

  it('shows an alert closed with the runbook’s UPDATE in psql as closed, with its notes and a history entry', async () => {
    const id = await rawAlert();
    await db.pool.query(
      `UPDATE aml_alerts SET status = 'closed', reviewed_at = NOW(), reviewer_notes = 'Reviewed — legitimate transaction' WHERE id = $1`,
      [id],
    );
    const alert = await getAmlAlert(db.pool, id);
    assert.equal(alert.status, 'closed');
    assert.equal(alert.reviewerNotes, 'Reviewed — legitimate transaction');
    assert.equal(alert.outcome, null);
    assert.match(alert.reviewedBy ?? '', /^db:/);
    assert.equal(alert.history.length, 1);
    assert.equal(alert.history[0]?.kind, 'closed');
    assert.match(alert.history[0]?.actor ?? '', /^db:/);
    assert.equal(alert.history[0]?.text, 'Reviewed — legitimate transaction');

    const client = await db.pool.connect();
    try {
      const other = await rawAlert();
      await client.query('BEGIN');
      await client.query(`SELECT set_config('drop.actor', 'ops:kari', true)`);
      await client.query(`UPDATE aml_alerts SET status = 'closed', reviewed_at = NOW(), reviewer_notes = 'ok' WHERE id = $1`, [other]);
      await client.query('COMMIT');
      const closed = await getAmlAlert(db.pool, other);
      assert.equal(closed.history[0]?.actor, 'ops:kari');
      assert.equal(closed.reviewedBy, 'ops:kari');
    } finally {
      client.release();
    }
  });

  it('clears a sanctions match closed as a false positive: the same record raises nothing again, a changed one does', async () => {
    await screen('hash-1');
    const [first] = await sanctionAlerts();
    assert.ok(first, 'screening raised an alert');
    await closeAmlAlert(db.pool, {
      alertId: first.id,
      outcome: 'false_positive',
      notes: 'Different birth date and country',
      actor: officer,
    });
    const clearance = await db.pool.query(
      `SELECT subject_type, subject_id, list, record_key, record_hash, cleared_by, reason FROM screening_clearances WHERE subject_id = $1`,
      [userId],
    );
    assert.deepEqual(clearance.rows, [
      {
        subject_type: 'customer',
        subject_id: userId,
        list: 'ofac-sdn',
        record_key: '36100',
        record_hash: 'hash-1',
        cleared_by: officer,
        reason: 'Different birth date and country',
      },
    ]);
    const match = await db.pool.query('SELECT status FROM screening_matches WHERE id = $1', [first.screening_match_id]);
    assert.equal(match.rows[0].status, 'cleared');

    await screen('hash-1');
    assert.equal((await sanctionAlerts()).length, 1, 'the cleared record raises no new alert');
    await screen('hash-2');
    const alerts = await sanctionAlerts();
    assert.equal(alerts.length, 2, 'the changed record raises a new alert');
    assert.equal(alerts[1]?.status, 'open');
    const reopened = await db.pool.query('SELECT status, record_hash FROM screening_matches WHERE id = $1', [first.screening_match_id]);
    assert.deepEqual(reopened.rows[0], { status: 'open', record_hash: 'hash-2' });
  });

  it('does not clear a match closed as legitimate or escalated', async () => {
    const { userId: other } = await verifiedCustomer(db.pool, 1);
    await db.pool.query('SELECT aml_record_screening($1, $2, $1, NULL, $3::jsonb)', [
      other,
      'customer',
      JSON.stringify([{ list: 'ofac-sdn', key: '999', recordHash: 'h', score: 0.97, topics: ['sanction'], name: 'Someone Listed' }]),
    ]);
    const alert = (await db.pool.query(`SELECT id FROM aml_alerts WHERE user_id = $1 AND rule = 'sanctions_match'`, [other])).rows[0];
    await closeAmlAlert(db.pool, { alertId: alert.id, outcome: 'escalated', notes: 'Opened a case', actor: officer });
    const clearances = await db.pool.query('SELECT 1 FROM screening_clearances WHERE subject_id = $1', [other]);
    assert.equal(clearances.rowCount, 0);
  });
});
