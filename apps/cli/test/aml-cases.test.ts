/**
 * `drop aml cases` lists the cases (active by default, --status, --overdue for those past their
 * due date, --json) with the customer's email, status, due date, the overdue flag and the alert
 * count; `drop aml case ID` shows one with its alerts and timeline. `drop aml close --outcome
 * escalated` puts the alert in a case, and needs a staff member (--as) to open one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { verifiedCustomer } from '../../../test/support/money.ts';
import { enrolStaff } from '../../../test/support/staff.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop aml cases and drop aml case', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const customer = async (email: string) => {
    const { userId } = await verifiedCustomer(db.pool, 1);
    await db.pool.query('UPDATE users SET email = $2 WHERE id = $1', [userId, email]);
    return userId;
  };
  const alert = async (userId: string) => {
    const id = newId('alert');
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, 'large_transfer', 'high')`, [id, userId]);
    return id;
  };
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_cases' });
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
  });
  after(async () => {
    await db?.drop();
  });

  it('escalates an alert into a case as a staff member, refusing the operator alone, and shows the case with its timeline', async () => {
    const userId = await customer('kari.cases@example.no');
    const alertId = await alert(userId);
    const alone = await runDrop(['aml', 'close', alertId, '--outcome', 'escalated', '--notes', 'Structuring'], env);
    assert.equal(alone.code, 1, describeResult(alone));
    assert.match(alone.stderr, /VALIDATION_FAILED: A case is opened by a compliance staff member/);
    assert.equal((await db.pool.query('SELECT status FROM aml_alerts WHERE id = $1', [alertId])).rows[0].status, 'open', 'nothing changed');

    const escalated = await runDrop(
      ['aml', 'close', alertId, '--outcome', 'escalated', '--notes', 'Structuring', '--as', 'officer@drop.no'],
      env,
    );
    assert.equal(escalated.code, 0, describeResult(escalated));
    const caseId = /In case (case_[0-9A-Z]{26})/.exec(escalated.stdout)?.[1];
    assert.ok(caseId, escalated.stdout);

    const list = await runDrop(['aml', 'cases'], env);
    assert.equal(list.code, 0, describeResult(list));
    assert.match(
      list.stdout,
      new RegExp(`^${caseId}\\s+kari\\.cases@example\\.no\\s+open\\s+due \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+1 alert\\s*$`, 'm'),
    );

    const shown = await runDrop(['aml', 'case', caseId], env);
    assert.equal(shown.code, 0, describeResult(shown));
    assert.match(shown.stdout, /status open/);
    assert.match(shown.stdout, /customer Kari Nordmann <kari\.cases@example\.no>/);
    assert.match(shown.stdout, new RegExp(`^  ${alertId}\\s+large_transfer`, 'm'));
    // The escalation is structured (the rule in details); the case's plain title heads the output.
    assert.match(shown.stdout, new RegExp(`^${caseId}  Escalated alert: large_transfer$`, 'm'));
    assert.match(shown.stdout, /case\s+opened\s+by compliance_officer person\s+why=escalated rule=large_transfer/);
    assert.match(shown.stdout, new RegExp(`alert\\s+raised\\s+${alertId}`));
    assert.match(shown.stdout, /recipient\s+added/);

    const json = await runDrop(['aml', 'case', caseId, '--json'], env);
    assert.equal(JSON.parse(json.stdout).id, caseId);
  });

  it('shows the overdue view with the overdue flag, and refuses an unknown status', async () => {
    const userId = await customer('late.cases@example.no');
    const escalated = await runDrop(
      ['aml', 'close', await alert(userId), '--outcome', 'escalated', '--notes', 'Late', '--as', 'officer@drop.no'],
      env,
    );
    const caseId = /In case (case_[0-9A-Z]{26})/.exec(escalated.stdout)?.[1];
    assert.ok(caseId, describeResult(escalated));
    const before = await runDrop(['aml', 'cases', '--overdue'], env);
    assert.doesNotMatch(before.stdout, new RegExp(caseId));
    await db.pool.query(
      `UPDATE aml_cases SET opened_at = now() - interval '40 days', due_at = now() - interval '2 days 1 hour' WHERE id = $1`,
      [caseId],
    );
    const overdue = await runDrop(['aml', 'cases', '--overdue'], env);
    assert.equal(overdue.code, 0, describeResult(overdue));
    assert.deepEqual(
      overdue.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
      [caseId],
    );
    assert.match(overdue.stdout, /late\.cases@example\.no\s+open\s+due .*OVERDUE 2d$/m);

    const bad = await runDrop(['aml', 'cases', '--status', 'maybe'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--status is one of/);
    const unknown = await runDrop(['aml', 'case', 'case_01JZZZZZZZZZZZZZZZZZZZZZZZ'], env);
    assert.equal(unknown.code, 1, describeResult(unknown));
    assert.match(unknown.stderr, /^NOT_FOUND: No such case\./m);
  });
});
