/**
 * `drop aml alerts` lists the runbook's queue (open by default, --status closed|all, --json);
 * `drop aml close` closes an alert with an outcome and notes as the operator or, with --as, as a
 * compliance staff member by email, records the actor, and refuses a second close.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { verifiedCustomer } from '../../../test/support/money.ts';
import { enrolStaff } from '../../../test/support/staff.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop aml alerts and drop aml close', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let userId: string;
  const alert = async (rule: string) => {
    const id = newId('alert');
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, $3, 'high')`, [id, userId, rule]);
    return id;
  };
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_alerts' });
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    ({ userId } = await verifiedCustomer(db.pool, 1));
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
    await enrolStaff(db.pool, { email: 'support@drop.no', role: 'support' });
  });
  after(async () => {
    await db?.drop();
  });

  it('lists the open queue, closes an alert as the operator, and lists it as closed', async () => {
    const first = await alert('large_transfer');
    const second = await alert('velocity_daily');
    const open = await runDrop(['aml', 'alerts'], env);
    assert.equal(open.code, 0, describeResult(open));
    assert.match(open.stdout, new RegExp(`^${first} .* open\\s+high\\s+large_transfer`, 'm'));
    assert.match(open.stdout, new RegExp(`^${second} `, 'm'));

    const closed = await runDrop(['aml', 'close', first, '--outcome', 'legitimate', '--notes', 'Reviewed — legitimate transaction'], env);
    assert.equal(closed.code, 0, describeResult(closed));
    assert.match(closed.stdout, new RegExp(`${first} closed as legitimate by cli:`));
    const { rows } = await db.pool.query('SELECT status, reviewed_at, reviewer_notes, reviewed_by, outcome FROM aml_alerts WHERE id = $1', [
      first,
    ]);
    assert.equal(rows[0].status, 'closed');
    assert.ok(rows[0].reviewed_at);
    assert.equal(rows[0].reviewer_notes, 'Reviewed — legitimate transaction');
    assert.match(rows[0].reviewed_by, /^cli:/);
    const history = await db.pool.query('SELECT kind, actor FROM aml_alert_events WHERE alert_id = $1', [first]);
    assert.equal(history.rows[0].kind, 'closed');
    assert.match(history.rows[0].actor, /^cli:/);

    const afterClose = await runDrop(['aml', 'alerts', '--json'], env);
    assert.deepEqual(
      JSON.parse(afterClose.stdout).map((row: { id: string }) => row.id),
      [second],
    );
    const closedList = await runDrop(['aml', 'alerts', '--status', 'closed', '--json'], env);
    assert.deepEqual(
      JSON.parse(closedList.stdout).map((row: { id: string; status: string }) => [row.id, row.status]),
      [[first, 'closed']],
    );
    const all = await runDrop(['aml', 'alerts', '--status', 'all', '--json'], env);
    assert.equal(JSON.parse(all.stdout).length, 2);

    const again = await runDrop(['aml', 'close', first, '--outcome', 'escalated', '--notes', 'again'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /ALERT_CLOSED/);
  });

  it('closes as a compliance staff member by email, and refuses a role that does not review alerts', async () => {
    const id = await alert('large_transfer');
    const refused = await runDrop(['aml', 'close', id, '--outcome', 'false_positive', '--notes', 'x', '--as', 'support@drop.no'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /FORBIDDEN/);
    const unknown = await runDrop(['aml', 'close', id, '--outcome', 'false_positive', '--notes', 'x', '--as', 'nobody@drop.no'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /NOT_FOUND/);
    assert.equal((await db.pool.query('SELECT status FROM aml_alerts WHERE id = $1', [id])).rows[0].status, 'open');

    const closed = await runDrop(
      ['aml', 'close', id, '--outcome', 'false_positive', '--notes', 'Namesake', '--as', 'OFFICER@drop.no'],
      env,
    );
    assert.equal(closed.code, 0, describeResult(closed));
    const officerId = (await db.pool.query(`SELECT id FROM staff WHERE email = 'officer@drop.no'`)).rows[0].id;
    const { rows } = await db.pool.query('SELECT reviewed_by, outcome FROM aml_alerts WHERE id = $1', [id]);
    assert.deepEqual(rows[0], { reviewed_by: officerId, outcome: 'false_positive' });
    const audit = await db.pool.query(`SELECT actor FROM audit_log WHERE action = 'aml_alert_closed' AND resource_id = $1`, [id]);
    assert.equal(audit.rows[0].actor, officerId);
  });

  it('refuses an outcome it does not know', async () => {
    const id = await alert('large_transfer');
    const result = await runDrop(['aml', 'close', id, '--outcome', 'fine', '--notes', 'x'], env);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /--outcome is one of false_positive, legitimate, escalated/);
  });
});
