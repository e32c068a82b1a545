/**
 * `drop sessions revoke` ends customers' sessions as runbook 6.2's emergency UPDATE does (by customer, or
 * every customer with an open AML alert, as the DR runbook's scenario 5), audited per customer; a dry run and bad input
 * change nothing. `drop secrets status` reports each secret's age and due date and exits 1 when
 * one is overdue.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { verifiedCustomer } from '../../../test/support/money.ts';
import { enrolStaff } from '../../../test/support/staff.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop sessions revoke and drop secrets status', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let flagged: string;
  let other: string;
  let bystander: string;

  const openSession = async (userId: string) => {
    await db.pool.query(`INSERT INTO sessions (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [
      newId('ses'),
      userId,
    ]);
  };
  const live = async (userId: string) =>
    Number((await db.pool.query('SELECT count(*) FROM sessions WHERE user_id = $1 AND revoked = 0', [userId])).rows[0].count);
  const auditRows = async (userId: string) =>
    (await db.pool.query(`SELECT actor, details FROM audit_log WHERE action = 'revoked_by_staff' AND resource_id = $1`, [userId])).rows;
  const snapshot = async () =>
    (await db.pool.query(`SELECT (SELECT count(*) FROM sessions WHERE revoked = 1) AS revoked, (SELECT count(*) FROM audit_log) AS audit`))
      .rows[0];

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_sessions' });
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    await enrolStaff(db.pool, { email: 'support@drop.no', role: 'support' });
  });
  beforeEach(async () => {
    ({ userId: flagged } = await verifiedCustomer(db.pool, 1));
    ({ userId: other } = await verifiedCustomer(db.pool, 1));
    ({ userId: bystander } = await verifiedCustomer(db.pool, 1));
    await db.pool.query(`UPDATE aml_alerts SET status = 'closed', reviewed_at = now() WHERE status = 'open'`);
    for (const userId of [flagged, flagged, other, bystander]) await openSession(userId);
  });
  after(async () => {
    await db?.drop();
  });

  it('ends every session of one customer, leaves the others, and audits it once', async () => {
    const result = await runDrop(['sessions', 'revoke', '--user', flagged, '--reason', 'Phone stolen', '--as', 'support@drop.no'], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, new RegExp(`^${flagged}: 2 session\\(s\\) ended$`, 'm'));
    assert.equal(await live(flagged), 0);
    assert.equal(await live(other), 1);
    assert.equal(await live(bystander), 1);
    const audit = await auditRows(flagged);
    const staffId = (await db.pool.query(`SELECT id FROM staff WHERE email = 'support@drop.no'`)).rows[0].id;
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor, staffId);
    assert.deepEqual(audit[0].details, { sessionsEnded: 2, note: 'Phone stolen' });
  });

  it('ends the sessions of every customer with an open alert of any severity, as the DR runbook does, and no one else', async () => {
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, 'large_transfer', 'critical')`, [
      newId('alert'),
      flagged,
    ]);
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, 'large_transfer', 'critical')`, [
      newId('alert'),
      flagged,
    ]);
    // An open high alert counts too (the runbook takes any open alert); a closed critical one does not.
    await db.pool.query(`INSERT INTO aml_alerts (id, user_id, rule, severity) VALUES ($1, $2, 'velocity_daily', 'high')`, [
      newId('alert'),
      other,
    ]);
    await db.pool.query(
      `INSERT INTO aml_alerts (id, user_id, rule, severity, status, reviewed_at, reviewer_notes, outcome)
       VALUES ($1, $2, 'large_transfer', 'critical', 'closed', now(), 'ok', 'legitimate')`,
      [newId('alert'), bystander],
    );

    const dry = await runDrop(['sessions', 'revoke', '--open-alerts', '--dry-run'], env);
    assert.equal(dry.code, 0, describeResult(dry));
    assert.match(dry.stdout, new RegExp(`^${flagged}: 2 session\\(s\\) would be ended$`, 'm'));
    assert.match(dry.stdout, new RegExp(`^${other}: 1 session\\(s\\) would be ended$`, 'm'));
    assert.doesNotMatch(dry.stdout, new RegExp(bystander));
    assert.equal(await live(flagged), 2);
    assert.equal((await auditRows(flagged)).length, 0);

    const result = await runDrop(['sessions', 'revoke', '--open-alerts'], env);
    assert.equal(result.code, 0, describeResult(result));
    assert.match(result.stdout, new RegExp(`^${flagged}: 2 session\\(s\\) ended$`, 'm'));
    assert.equal(await live(flagged), 0);
    assert.equal(await live(other), 0);
    assert.equal(await live(bystander), 1);
    const audit = await auditRows(flagged);
    assert.equal(audit.length, 1);
    assert.match(audit[0].actor, /^cli:/);
  });

  it('refuses bad input with a stable code and changes nothing', async () => {
    const before = await snapshot();
    const cases: [string[], RegExp][] = [
      [['sessions', 'revoke'], /VALIDATION_FAILED/],
      [['sessions', 'revoke', '--user', flagged, '--open-alerts'], /VALIDATION_FAILED/],
      [['sessions', 'revoke', '--user', 'usr_nope'], /VALIDATION_FAILED/],
      [['sessions', 'revoke', '--user', newId('usr')], /NOT_FOUND/],
      [['sessions', 'revoke', '--user', flagged, '--as', 'nobody@drop.no'], /NOT_FOUND/],
    ];
    for (const [args, code] of cases) {
      const result = await runDrop(args, env);
      assert.equal(result.code, 1, describeResult(result));
      assert.match(result.stderr, code);
    }
    assert.deepEqual(await snapshot(), before);
    assert.equal(await live(flagged), 2);
  });

  it('secrets status: unknown without a record, ok for a fresh key, exit 1 for an overdue one', async () => {
    const none = await runDrop(['secrets', 'status', '--json'], env);
    assert.equal(none.code, 0, describeResult(none));
    const initial = JSON.parse(none.stdout) as { secret: string; state: string; lastRotatedAt: string | null }[];
    assert.deepEqual(
      initial.map((row) => [row.secret, row.state, row.lastRotatedAt]),
      [
        ['JWT_SECRET', 'unknown', null],
        ['DATABASE_PASSWORD', 'unknown', null],
      ],
    );

    const kid = `k-${newId('usr').slice(4)}`;
    await db.pool.query(
      `INSERT INTO signing_keys (kid, secret_ciphertext, status, created_at) VALUES ($1, $2, 'active', now() - interval '10 days')`,
      [kid, randomBytes(64)],
    );
    const fresh = await runDrop(['secrets', 'status', '--json'], env);
    assert.equal(fresh.code, 0, describeResult(fresh));
    const jwt = JSON.parse(fresh.stdout)[0];
    assert.deepEqual([jwt.secret, jwt.state, jwt.source, jwt.ageDays, jwt.periodDays], ['JWT_SECRET', 'ok', 'signing_keys', 10, 90]);
    assert.equal(new Date(jwt.dueAt).getTime() - new Date(jwt.lastRotatedAt).getTime(), 90 * 86_400_000);

    await db.pool.query(`UPDATE signing_keys SET created_at = now() - interval '100 days' WHERE kid = $1`, [kid]);
    const overdue = await runDrop(['secrets', 'status'], env);
    assert.equal(overdue.code, 1, describeResult(overdue));
    assert.match(overdue.stdout, /^JWT_SECRET\s+overdue\s+last rotated .*\(100 days ago, signing_keys\); every 90 days; due /m);
    assert.match(overdue.stdout, /^DATABASE_PASSWORD\s+unknown\s+last rotated unknown; every 90 days; due unknown$/m);

    // Runbook 5.1's manual audit row is a record too.
    await db.pool.query(
      `INSERT INTO audit_log (id, action, resource_type, resource_id, details) VALUES (gen_random_uuid(), 'secret_rotated', 'secret', 'DATABASE_PASSWORD', '{}')`,
    );
    const audited = JSON.parse((await runDrop(['secrets', 'status', '--json'], env)).stdout)[1];
    assert.deepEqual([audited.secret, audited.state, audited.source, audited.ageDays], ['DATABASE_PASSWORD', 'ok', 'audit_log', 0]);
  });
});
