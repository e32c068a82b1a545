/**
 * `drop users block|unblock` proposes; `drop approvals list|approve|reject` decides, never by the
 * proposer (FOUR_EYES_REQUIRED), and an approved block freezes the customer and holds their transfers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemoData } from '@drop/core';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { enrolStaff } from '../../../test/support/staff.ts';
import { describeResult, runDrop } from './run-cli.ts';

describe('drop users block|unblock and drop approvals', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let sender: string;
  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_four_eyes' });
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    const demo = await seedDemoData(db.pool, { actor: 'test' });
    sender = demo.users.approved as string;
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
    await enrolStaff(db.pool, { email: 'lead@drop.no', role: 'compliance_lead' });
    await enrolStaff(db.pool, { email: 'support@drop.no', role: 'support' });
  });
  after(async () => {
    await db?.drop();
  });

  const user = async () =>
    (await db.pool.query('SELECT aml_frozen_at IS NOT NULL AS frozen, kyc_status FROM users WHERE id = $1', [sender])).rows[0];
  const inFlight = async () =>
    (
      await db.pool.query<{ status: string }>(
        `SELECT status FROM transactions WHERE user_id = $1 AND type = 'transfer' AND status IN ('awaiting_funds', 'funds_received', 'held') ORDER BY id`,
        [sender],
      )
    ).rows.map((row) => row.status);

  it('a block is proposed by one person, refused to the proposer and to support, and approved by a lead: transfers held', async () => {
    assert.ok(
      (await inFlight()).some((status) => status !== 'held'),
      'the demo customer has transfers in flight',
    );
    const refused = await runDrop(['users', 'block', sender, '--reason', 'Sanctions hit', '--as', 'support@drop.no'], env);
    assert.equal(refused.code, 1, describeResult(refused));
    assert.match(refused.stderr, /FORBIDDEN/);

    const proposed = await runDrop(['users', 'block', sender, '--reason', 'Sanctions hit', '--as', 'lead@drop.no'], env);
    assert.equal(proposed.code, 0, describeResult(proposed));
    const id = /request (fer_\w+)/.exec(proposed.stdout)?.[1];
    assert.ok(id, proposed.stdout);
    assert.equal((await user()).frozen, false, 'a proposal changes nothing');

    const listed = await runDrop(['approvals', 'list'], env);
    assert.match(listed.stdout, new RegExp(`^${id}\\s+block_customer\\s+${sender}\\s+by .*: Sanctions hit$`, 'm'));

    const own = await runDrop(['approvals', 'approve', id, '--as', 'lead@drop.no'], env);
    assert.equal(own.code, 1, describeResult(own));
    assert.match(own.stderr, /^FOUR_EYES_REQUIRED:/m);
    const officer = await runDrop(['approvals', 'approve', id, '--as', 'officer@drop.no'], env);
    assert.match(officer.stderr, /^FORBIDDEN:/m, 'an officer proposes, a lead approves');
    assert.equal((await user()).frozen, false);

    // A second lead approves.
    await enrolStaff(db.pool, { email: 'lead2@drop.no', role: 'compliance_lead' });
    const approved = await runDrop(['approvals', 'approve', id, '--as', 'lead2@drop.no', '--note', 'Confirmed'], env);
    assert.equal(approved.code, 0, describeResult(approved));
    assert.match(approved.stdout, /is approved\./);
    assert.deepEqual(await user(), { frozen: true, kyc_status: 'approved' });
    assert.ok(
      (await inFlight()).every((status) => status === 'held'),
      'the containment trigger held every transfer in flight',
    );
  });

  it('an unblock likewise: rejected once, then approved, clearing only the freeze', async () => {
    const first = await runDrop(['users', 'unblock', sender, '--reason', 'Cleared', '--as', 'officer@drop.no'], env);
    const firstId = /request (fer_\w+)/.exec(first.stdout)?.[1] as string;
    const rejected = await runDrop(['approvals', 'reject', firstId, '--as', 'lead@drop.no', '--note', 'Not yet'], env);
    assert.equal(rejected.code, 0, describeResult(rejected));
    assert.equal((await user()).frozen, true);

    const second = await runDrop(['users', 'unblock', sender, '--reason', 'Cleared after review', '--as', 'officer@drop.no'], env);
    const secondId = /request (fer_\w+)/.exec(second.stdout)?.[1] as string;
    const approved = await runDrop(['approvals', 'approve', secondId, '--as', 'lead@drop.no'], env);
    assert.equal(approved.code, 0, describeResult(approved));
    assert.deepEqual(await user(), { frozen: false, kyc_status: 'approved' });
    const audit = await db.pool.query(`SELECT action FROM audit_log WHERE resource_id = $1 AND action LIKE 'four_eyes_%' ORDER BY seq`, [
      sender,
    ]);
    assert.deepEqual(
      audit.rows.map((row) => row.action),
      ['four_eyes_proposed', 'four_eyes_approved', 'four_eyes_proposed', 'four_eyes_rejected', 'four_eyes_proposed', 'four_eyes_approved'],
    );
  });
  it('drop approvals withdraw: only the proposer takes back a pending proposal; it is then neither carried out nor decidable', async () => {
    const proposed = await runDrop(['users', 'block', sender, '--reason', 'Second look', '--as', 'officer@drop.no'], env);
    const id = /request (fer_\w+)/.exec(proposed.stdout)?.[1] as string;
    assert.ok(id, describeResult(proposed));

    const byLead = await runDrop(['approvals', 'withdraw', id, '--as', 'lead@drop.no'], env);
    assert.equal(byLead.code, 1, describeResult(byLead));
    assert.match(byLead.stderr, /^FORBIDDEN:/m);

    const withdrawn = await runDrop(['approvals', 'withdraw', id, '--as', 'officer@drop.no', '--note', 'Answered'], env);
    assert.equal(withdrawn.code, 0, describeResult(withdrawn));
    assert.match(withdrawn.stdout, new RegExp(`^${id} \\(block_customer of ${sender}\\) is withdrawn\\.$`, 'm'));
    assert.deepEqual(await user(), { frozen: false, kyc_status: 'approved' });
    const listed = await runDrop(['approvals', 'list'], env);
    assert.doesNotMatch(listed.stdout, new RegExp(id));

    const late = await runDrop(['approvals', 'approve', id, '--as', 'lead@drop.no'], env);
    assert.match(late.stderr, /^CONFLICT:/m);
    const audit = await db.pool.query(`SELECT actor, details->>'note' AS note FROM audit_log WHERE action = 'four_eyes_withdrawn'`);
    assert.equal(audit.rows.length, 1);
    assert.equal(audit.rows[0]?.note, 'Answered');
  });
});
