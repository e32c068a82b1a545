/**
 * Requests that reach Drop by letter, e-mail or phone (issue 14 item 4): support records each
 * type with `POST /api/staff/data-requests`. Due one month after it was received; an erasure goes
 * through the app's erasure operation and restricts the customer at once; the customer's own list
 * shows the request without the staff note; the audit log names the staff member. Bad input is
 * 400 VALIDATION_FAILED and stores nothing; a compliance officer (no data_requests) gets 403.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dataRequestTypes } from '@drop/contracts';
import { applyRetention } from '@drop/core';
import { newId } from '@drop/db';
import { postAs, type TestCustomer, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

/** Today in Oslo, minus `days`, as YYYY-MM-DD (the received date staff type in). */
const osloDay = (days: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo' }).format(new Date(Date.now() - days * 24 * 60 * 60 * 1000));

describe('Staff record a privacy request that came by letter, e-mail or phone', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let support: string;
  let officer: string;
  let astrid: TestCustomer;
  let per: TestCustomer;

  const post = (cookie: string, body: unknown) => postAs({ base, cookie }, '/api/staff/data-requests', body);
  const requestCount = async () => Number((await db.pool.query('SELECT count(*) AS n FROM data_access_requests')).rows[0].n);

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ WORKER_MODE: 'inline' }));
    support = await signInStaff(base, db.pool, 'support', 'support@drop.no');
    officer = await signInStaff(base, db.pool, 'compliance_officer', 'officer@drop.no');
    astrid = await verifiedCustomer(base, db.pool, 'kari');
    per = await verifiedCustomer(base, db.pool, 'ola');
  });
  after(async () => {
    await stopDropOnFreePort({ db, drop });
  });

  it('records every type but erasure as received, due a month after receipt, audited, and the customer sees it without the note', async () => {
    const receivedOn = osloDay(3);
    for (const type of dataRequestTypes.filter((each) => each !== 'erasure')) {
      const answer = await post(support, { userId: astrid.userId, type, receivedOn, channel: 'letter', note: `Letter about ${type}` });
      assert.equal(answer.status, 201, await answer.clone().text());
      const request = (await answer.json()).data;
      assert.equal(request.type, type);
      assert.equal(request.status, 'received');
      assert.equal(request.channel, 'letter');
      assert.equal(request.receivedOn, receivedOn);
      assert.match(request.notes, new RegExp(`Letter about ${type}`));
      const due = await db.pool.query<{ due_local: string }>(
        `SELECT to_char(due_at AT TIME ZONE 'Europe/Oslo', 'YYYY-MM-DD HH24:MI:SS') AS due_local FROM data_access_requests WHERE id = $1`,
        [request.id],
      );
      const expected = await db.pool.query<{ day: string }>(`SELECT to_char($1::date + interval '1 month', 'YYYY-MM-DD') AS day`, [
        receivedOn,
      ]);
      assert.equal(
        due.rows[0]?.due_local,
        `${expected.rows[0]?.day} 23:59:59`,
        'due by the end of the day one month after it was received',
      );
      const audit = await db.pool.query(
        `SELECT actor, details FROM audit_log WHERE action = 'data_request_recorded' AND resource_id = $1`,
        [request.id],
      );
      assert.equal(audit.rowCount, 1);
      assert.match(audit.rows[0].actor, /^stf_/);
      assert.equal(audit.rows[0].details.type, type);
      assert.ok(!JSON.stringify(audit.rows[0].details).includes('Letter about'), 'the note stays out of the audit log');
    }
    // Astrid is still a customer: only erasure restricts.
    assert.equal((await fetch(`${base}/api/me`, { headers: { cookie: astrid.cookie } })).status, 200);
    const mine = await fetch(`${base}/api/user/data-requests`, { headers: { cookie: astrid.cookie } });
    assert.equal(mine.status, 200);
    const text = await mine.text();
    assert.ok(!text.includes('Letter about'), 'no staff notes for the customer');
    const listed = JSON.parse(text).data as { type: string }[];
    assert.deepEqual(listed.map((each) => each.type).sort(), ['export', 'objection', 'rectification', 'restriction']);
  });

  it('records an erasure through the erasure operation: restricted at once, due a month after receipt', async () => {
    const receivedOn = osloDay(10);
    const answer = await post(support, { userId: per.userId, type: 'erasure', receivedOn, channel: 'phone', note: 'Called on Monday' });
    assert.equal(answer.status, 201, await answer.clone().text());
    const request = (await answer.json()).data;
    assert.equal(request.type, 'erasure');
    assert.equal(request.status, 'restricted');
    assert.equal(request.channel, 'phone');
    assert.equal(request.receivedOn, receivedOn);
    assert.equal((await fetch(`${base}/api/me`, { headers: { cookie: per.cookie } })).status, 401, 'signed out everywhere');
    const user = await db.pool.query('SELECT deleted_at FROM users WHERE id = $1', [per.userId]);
    assert.ok(user.rows[0].deleted_at, 'restricted (runbook 7.3: deleted_at)');
    const audit = await db.pool.query(`SELECT actor FROM audit_log WHERE action = 'erasure_requested' AND resource_id = $1`, [per.userId]);
    assert.match(audit.rows[0].actor, /^stf_/);
    // Recorded again (a second letter): the open request is reused, not doubled.
    const again = await post(support, { userId: per.userId, type: 'erasure', receivedOn, channel: 'letter', note: 'Letter too' });
    assert.equal(again.status, 200);
    assert.equal((await again.json()).data.id, request.id);
  });

  it('refuses bad input with 400 VALIDATION_FAILED, an unknown customer with 404, a role without data_requests with 403; nothing is stored', async () => {
    const good = { userId: astrid.userId, type: 'objection', receivedOn: osloDay(1), channel: 'email', note: 'Objects to marketing' };
    const before = await requestCount();
    const bad: [string, unknown][] = [
      ['unknown type', { ...good, type: 'complaint' }],
      ['unknown channel', { ...good, channel: 'fax' }],
      ['empty note', { ...good, note: '  ' }],
      ['not a date', { ...good, receivedOn: '2026-02-31' }],
      ['wrong date format', { ...good, receivedOn: '3 March' }],
      ['in the future', { ...good, receivedOn: osloDay(-2) }],
      ['over a year ago', { ...good, receivedOn: osloDay(400) }],
      ['not a customer id', { ...good, userId: 'astrid' }],
      ['missing type', { ...good, type: undefined }],
    ];
    for (const [what, body] of bad) {
      const answer = await post(support, body);
      assert.equal(answer.status, 400, `${what}: ${await answer.clone().text()}`);
      assert.equal((await answer.json()).code, 'VALIDATION_FAILED', what);
    }
    const unknown = await post(support, { ...good, userId: newId('usr') });
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).code, 'NOT_FOUND');
    const unknownErasure = await post(support, { ...good, type: 'erasure', userId: newId('usr') });
    assert.equal(unknownErasure.status, 404);
    const denied = await post(officer, good);
    assert.equal(denied.status, 403);
    assert.equal(await requestCount(), before, 'nothing stored');
    const audit = await db.pool.query(`SELECT 1 FROM audit_log WHERE action = 'data_request_recorded' AND details->>'type' = 'objection'`);
    assert.equal(audit.rowCount, 1, 'only the objection of the first test was audited');
  });

  it('says when the retention job last ran and what it removed (a dry run is not a run)', async () => {
    const lastRun = async () => {
      const answer = await fetch(`${base}/api/staff/privacy/retention/last-run`, { headers: { cookie: support } });
      assert.equal(answer.status, 200);
      return (await answer.json()).data;
    };
    assert.equal(await lastRun(), null, 'never ran');
    await applyRetention(db.pool, { now: new Date(), dryRun: true });
    assert.equal(await lastRun(), null, 'a dry run records nothing');
    const sixYearsOn = new Date(Date.now() + 6 * 366 * 24 * 60 * 60 * 1000);
    await applyRetention(db.pool, { now: sixYearsOn, actor: 'system' });
    const run = await lastRun();
    assert.ok(run, 'recorded');
    assert.ok(Date.parse(run.at) < sixYearsOn.getTime() - 365 * 24 * 60 * 60 * 1000, 'at is when it ran, not the now it applied');
    assert.equal(run.applied.ended_customer_personal_data, 1, 'the customer who asked by phone, six years on');
    const denied = await fetch(`${base}/api/staff/privacy/retention/last-run`, { headers: { cookie: officer } });
    assert.equal(denied.status, 403);
  });
});
