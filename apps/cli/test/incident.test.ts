/**
 * `drop incident affected-users` finds who a security incident touched (sessions live in a window,
 * from one IP, a revoked set of sessions, a compromised staff account's changes) as a table, JSON
 * or CSV, and audits each run; `drop incident notice` writes the Datatilsynet notice with the
 * 72-hour deadline and the report's counts, and mails the customer notice (an admin's --send)
 * through real SMTP to the capture server, with nothing of AML work in it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openAmlCase, recordAuditEvent, revokeSessions } from '@drop/core';
import { newId } from '@drop/db';
import { type MailCapture, startMailCapture } from '@drop/integrations';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { enrolStaff } from '../../../test/support/staff.ts';
import { tracesIn } from '../../../test/support/tipping-off.ts';
import { describeResult, runDrop } from './run-cli.ts';

/** The incident's window, two days ago (UTC), so that nothing the test run does falls into it. */
const DAY = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
const at = (time: string) => `${DAY}T${time}:00.000Z`;
const WINDOW = ['--from', at('10:00'), '--to', at('12:00')];
const ATTACKER_IP = '203.0.113.7';
const CASE_TITLE = 'Structuring below NOK 10 000';

interface Report {
  counts: { users: number; sessions: number; records: number };
  users: Array<{ userId: string; email: string | null; touched: string[]; reasons: string[]; sessionIds: string[] }>;
  unknownSessionIds: string[];
  caveats: string[];
}

describe('drop incident affected-users and notice', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let mail: MailCapture;
  let dir: string;
  const users: Record<string, string> = {};
  const sessions: Record<string, string> = {};

  const customer = async (key: string, input: { email: string | null; name: string; locale: 'nb' | 'en' }) => {
    users[key] = newId('usr');
    await db.pool.query(`INSERT INTO users (id, email, full_name, given_name, locale) VALUES ($1, $2, $3, $4, $5)`, [
      users[key],
      input.email,
      input.name,
      input.name.split(' ')[0],
      input.locale,
    ]);
  };
  const session = async (key: string, user: string, input: { from: string; lastSeen: string; ip: string }) => {
    sessions[key] = newId('ses');
    await db.pool.query(
      `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $3::timestamptz + interval '12 hours', $5, 'Mozilla/5.0')`,
      [sessions[key], users[user], at(input.from), at(input.lastSeen), input.ip],
    );
  };
  const reportOf = (stdout: string) => JSON.parse(stdout) as Report;
  const idsOf = (report: Report) => report.users.map((user) => user.userId).sort();
  const auditCount = async (action: string) =>
    Number((await db.pool.query('SELECT count(*) AS n FROM audit_log WHERE action = $1', [action])).rows[0].n);

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_cli_incident' });
    mail = await startMailCapture();
    dir = await mkdtemp(path.join(tmpdir(), 'drop-incident-'));
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', SMTP_URL: mail.url };
    await enrolStaff(db.pool, { email: 'admin@drop.no', role: 'admin' });
    await enrolStaff(db.pool, { email: 'support@drop.no', role: 'support' });
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });

    await customer('kari', { email: 'kari@example.no', name: 'Kari Nordmann', locale: 'nb' });
    await customer('ola', { email: 'ola@example.no', name: 'Ola Hansen', locale: 'en' });
    await customer('per', { email: 'per@example.no', name: 'Per Berg', locale: 'nb' });
    await customer('liv', { email: null, name: 'Liv Dahl', locale: 'nb' });
    // In the window from the attacker's address; before it; across its start; inside it, no e-mail.
    await session('kari', 'kari', { from: '10:05', lastSeen: '10:40', ip: ATTACKER_IP });
    await session('ola', 'ola', { from: '07:00', lastSeen: '09:59', ip: '198.51.100.20' });
    await session('per', 'per', { from: '09:30', lastSeen: '10:01', ip: '198.51.100.30' });
    await session('liv', 'liv', { from: '11:00', lastSeen: '11:30', ip: ATTACKER_IP });
  });
  after(async () => {
    await mail?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a window lists the customers with a session live in it, not one that ended before; --ip narrows it', async () => {
    const listed = await runDrop(['incident', 'affected-users', ...WINDOW, '--json'], env);
    assert.equal(listed.code, 0, describeResult(listed));
    const report = reportOf(listed.stdout);
    assert.deepEqual(idsOf(report), [users.kari, users.per, users.liv].sort());
    assert.deepEqual(report.counts, { users: 3, sessions: 3, records: 0 });
    const kari = report.users.find((user) => user.userId === users.kari);
    assert.deepEqual(kari?.sessionIds, [sessions.kari]);
    assert.match(
      kari?.reasons[0] ?? '',
      new RegExp(`session ${sessions.kari} was live in the window .* from ${ATTACKER_IP.replace(/\./g, '\\.')}`),
    );
    assert.deepEqual(kari?.touched, ['profile', 'kyc_status', 'recipients', 'transfers', 'payments', 'sessions']);

    const fromAttacker = await runDrop(['incident', 'affected-users', ...WINDOW, '--ip', ATTACKER_IP, '--json'], env);
    assert.equal(fromAttacker.code, 0, describeResult(fromAttacker));
    assert.deepEqual(idsOf(reportOf(fromAttacker.stdout)), [users.kari, users.liv].sort());

    const table = await runDrop(['incident', 'affected-users', ...WINDOW, '--ip', ATTACKER_IP], env);
    assert.equal(table.code, 0, describeResult(table));
    assert.match(table.stdout, /^USER\s+EMAIL\s+NAME\s+TOUCHED\s+WHY$/m);
    assert.match(
      table.stdout,
      new RegExp(`^${users.kari}\\s+kari@example\\.no\\s+Kari Nordmann\\s+profile,kyc_status,.*session ${sessions.kari}`, 'm'),
    );
    assert.match(table.stdout, /^2 customers, 2 sessions, 0 audited events\.$/m);

    const csv = await runDrop(['incident', 'affected-users', ...WINDOW, '--ip', ATTACKER_IP, '--csv'], env);
    const lines = csv.stdout.trimEnd().split('\r\n');
    assert.equal(lines[0], 'user_id,email,name,locale,touched,sessions,reasons');
    assert.equal(lines.length, 3);
    assert.ok(
      lines.some((line) => line.startsWith(`${users.liv},,Liv Dahl,nb,`)),
      csv.stdout,
    );
  });

  it('the set of sessions revoked by the runbook, read from a file, lists their owners; an unknown id is named', async () => {
    await db.pool.query('UPDATE sessions SET revoked = 1 WHERE id = ANY($1)', [[sessions.kari, sessions.ola]]);
    const revoked = (await db.pool.query<{ id: string }>('SELECT id FROM sessions WHERE revoked = 1 ORDER BY id')).rows.map(
      (row) => row.id,
    );
    const unknown = newId('ses');
    const file = path.join(dir, 'revoked-sessions.txt');
    await writeFile(file, `# revoked during containment\n${revoked.join('\n')}\n${unknown}\n`);

    const listed = await runDrop(['incident', 'affected-users', '--sessions-file', file, '--json'], env);
    assert.equal(listed.code, 0, describeResult(listed));
    const report = reportOf(listed.stdout);
    assert.deepEqual(idsOf(report), [users.kari, users.ola].sort(), 'both owners, though Ola’s session ended before the window');
    assert.deepEqual(report.unknownSessionIds, [unknown]);
    assert.match(listed.stderr, new RegExp(`warning: no session ${unknown}`));
    const ola = report.users.find((user) => user.userId === users.ola);
    assert.match(ola?.reasons[0] ?? '', new RegExp(`session ${sessions.ola} is in the compromised set .*revoked `));

    const inline = await runDrop(['incident', 'affected-users', '--sessions', `${sessions.per},${sessions.liv}`, '--json'], env);
    assert.deepEqual(idsOf(reportOf(inline.stdout)), [users.per, users.liv].sort());
  });

  it('counts what the customer account did while a listed session was live, once, though two listed sessions cover it', async () => {
    const first = newId('ses');
    const second = newId('ses');
    for (const id of [first, second]) {
      await db.pool.query(
        `INSERT INTO sessions (id, user_id, created_at, expires_at, ip) VALUES ($1, $2, now() - interval '1 hour', now() + interval '1 hour', '192.0.2.9')`,
        [id, users.ola],
      );
    }
    await recordAuditEvent(db.pool, {
      action: 'recipient_added',
      resourceType: 'recipient',
      resourceId: 'rcp_x',
      actor: users.ola as string,
    });
    await db.pool.query('UPDATE sessions SET last_seen_at = now() WHERE id = ANY($1)', [[first, second]]);

    const listed = await runDrop(['incident', 'affected-users', '--sessions', `${first},${second}`, '--json'], env);
    assert.equal(listed.code, 0, describeResult(listed));
    const report = reportOf(listed.stdout) as Report & { users: Array<{ auditedActions: Record<string, number> }> };
    assert.deepEqual(idsOf(report), [users.ola]);
    assert.deepEqual(report.users[0]?.auditedActions, { recipient_added: 1 });
    assert.deepEqual(report.counts, { users: 1, sessions: 2, records: 1 });
  });

  it('a staff account lists the customers whose records it changed, with AML work only in the internal report, and says reads are not audited', async () => {
    const officer = (await db.pool.query<{ id: string }>(`SELECT id FROM staff WHERE email = 'officer@drop.no'`)).rows[0]?.id as string;
    await revokeSessions(db.pool, { userId: users.liv as string, actor: officer, which: 'all', reason: 'revoked_by_staff' });
    await openAmlCase(db.pool, { userId: users.per as string, title: CASE_TITLE, actor: officer });

    const listed = await runDrop(['incident', 'affected-users', '--staff', 'officer@drop.no', '--json'], env);
    assert.equal(listed.code, 0, describeResult(listed));
    const report = reportOf(listed.stdout);
    assert.deepEqual(idsOf(report), [users.per, users.liv].sort());
    const per = report.users.find((user) => user.userId === users.per);
    assert.deepEqual(per?.touched, ['compliance_records']);
    assert.match(per?.reasons[0] ?? '', /^records changed by officer@drop\.no \(\d+ audited events?\)$/);
    assert.ok(report.users.find((user) => user.userId === users.liv)?.touched.includes('sessions'));
    assert.ok(report.counts.records >= 3, `the session revocation, its user event and the case: ${report.counts.records}`);
    assert.match(report.caveats.join(' '), /Staff reads are not audited/);
  });

  it('refuses a request that names nothing, a malformed session, half a window or an unknown staff member, and audits each listing', async () => {
    const before = await auditCount('incident_affected_users_listed');
    for (const args of [
      [],
      ['--sessions', 'ses_nope'],
      ['--from', at('10:00')],
      ['--staff', 'nobody@drop.no'],
      [...WINDOW, '--ip', '203.0.113'],
      ['--from', 'yesterday', '--to', at('12:00')],
    ]) {
      const refused = await runDrop(['incident', 'affected-users', ...args], env);
      assert.equal(refused.code, 1, describeResult(refused));
      assert.match(refused.stderr, /^(VALIDATION_FAILED|NOT_FOUND): /m);
    }
    assert.equal(await auditCount('incident_affected_users_listed'), before, 'a refused request lists nothing and records nothing');
    const listed = await runDrop(['incident', 'affected-users', '--sessions', sessions.kari as string, '--as', 'support@drop.no'], env);
    assert.equal(listed.code, 0, describeResult(listed));
    const event = (
      await db.pool.query(`SELECT actor, details FROM audit_log WHERE action = 'incident_affected_users_listed' ORDER BY seq DESC LIMIT 1`)
    ).rows[0];
    const support = (await db.pool.query(`SELECT id FROM staff WHERE email = 'support@drop.no'`)).rows[0].id;
    assert.equal(event.actor, support);
    assert.equal(event.details.users, 1);
    assert.equal(JSON.stringify(event.details).includes('@'), false, 'no e-mail addresses in the audit log');
  });

  it('the Datatilsynet notice counts the affected, computes the 72-hour deadline from --detected-at and marks the blanks', async () => {
    const listed = await runDrop(['incident', 'affected-users', ...WINDOW, '--json'], env);
    const file = path.join(dir, 'affected.json');
    await writeFile(file, listed.stdout);
    const detectedAt = new Date(Date.now() - 10 * 3600_000);
    detectedAt.setUTCMilliseconds(0);
    const deadline = new Date(detectedAt.getTime() + 72 * 3600_000).toISOString();

    const en = await runDrop(
      [
        'incident',
        'notice',
        '--to',
        'datatilsynet',
        '--affected',
        file,
        '--detected-at',
        detectedAt.toISOString(),
        '--lang',
        'en',
        '--reference',
        'INC-7',
      ],
      env,
    );
    assert.equal(en.code, 0, describeResult(en));
    assert.match(en.stdout, /^# Personal data breach notification to Datatilsynet$/m);
    assert.ok(en.stdout.includes(`Deadline for this notification: `) && en.stdout.includes(`(${deadline})`), en.stdout);
    assert.match(en.stdout, /hours from now/);
    assert.match(en.stdout, /^- Approximate number of data subjects: 3$/m);
    assert.match(en.stdout, /^- Approximate number of records concerned: 3 sign-in sessions/m);
    assert.match(en.stdout, /^ {2}- your recipients \(names and account numbers\): 3 customers$/m);
    assert.match(en.stdout, /^- Organisation: Drop AS, org\. no\. /m);
    assert.match(en.stdout, /Contact point \(data protection officer or other contact\): \[\[FILL IN: name, e-mail and phone\]\]/);
    assert.match(en.stderr, /\d+ blanks marked/);

    const late = new Date(Date.now() - 100 * 3600_000).toISOString();
    const nb = await runDrop(
      [
        'incident',
        'notice',
        '--to',
        'datatilsynet',
        '--affected',
        file,
        '--detected-at',
        late,
        '--contact',
        'Personvernombud, dpo@getdrop.no',
      ],
      env,
    );
    assert.equal(nb.code, 0, describeResult(nb));
    assert.match(nb.stdout, /^# Melding om brudd på personopplysningssikkerheten til Datatilsynet$/m);
    assert.match(nb.stdout, /Fristen gikk ut .* Begrunnelse for forsinkelsen \(art\. 33 nr\. 1\): \[\[FYLL UT: /);
    assert.match(nb.stdout, /^- Omtrentlig antall registrerte: 3$/m);
    assert.match(nb.stdout, /Kontaktpunkt \(personvernombud eller annen kontakt\): Personvernombud, dpo@getdrop\.no$/m);

    const noTime = await runDrop(['incident', 'notice', '--to', 'datatilsynet', '--affected', file], env);
    assert.equal(noTime.code, 1, describeResult(noTime));
    assert.match(noTime.stderr, /^VALIDATION_FAILED: Give --detected-at/m);
    const prepared = (await db.pool.query(`SELECT details FROM audit_log WHERE action = 'incident_notice_prepared' ORDER BY seq`)).rows.map(
      (row) => row.details,
    );
    assert.equal(prepared.length, 2);
    assert.equal(prepared[0].deadline, deadline);
  });

  it('the customer notice is mailed by an admin to each affected customer in their language, with nothing of AML work in it', async () => {
    const listed = await runDrop(
      ['incident', 'affected-users', '--staff', 'officer@drop.no', '--sessions', sessions.kari as string, '--json'],
      env,
    );
    const file = path.join(dir, 'affected-customers.json');
    await writeFile(file, listed.stdout);
    const report = reportOf(listed.stdout);
    assert.deepEqual(idsOf(report), [users.kari, users.per, users.liv].sort());
    assert.ok(report.users.find((user) => user.userId === users.per)?.touched.includes('compliance_records'));

    const preview = await runDrop(['incident', 'notice', '--to', 'customers', '--affected', file, '--lang', 'en'], env);
    assert.equal(preview.code, 0, describeResult(preview));
    assert.match(preview.stdout, /^Subject: Important: a security breach may have affected your details at Drop$/m);
    assert.match(preview.stdout, /^## What happened\n\n\[\[FILL IN: /m);
    assert.deepEqual(tracesIn(preview.stdout, [CASE_TITLE]), []);

    const texts = [
      '--what-happened',
      'On 1 December someone used stolen sign-in details to open Drop accounts.',
      '--what-we-did',
      'We signed out every affected session and closed the gap the same day.',
      '--contact',
      'personvern@getdrop.no',
    ];
    const send = (...args: string[]) => runDrop(['incident', 'notice', '--to', 'customers', '--affected', file, '--send', ...args], env);
    const nobody = await send(...texts);
    assert.equal(nobody.code, 1, describeResult(nobody));
    assert.match(nobody.stderr, /^VALIDATION_FAILED: Sending needs --as/m);
    const support = await send(...texts, '--as', 'support@drop.no');
    assert.equal(support.code, 1, describeResult(support));
    assert.match(support.stderr, /^FORBIDDEN: /m);
    const blanks = await send('--as', 'admin@drop.no');
    assert.equal(blanks.code, 1, describeResult(blanks));
    assert.match(blanks.stderr, /^VALIDATION_FAILED: /m);
    const tipping = await send(
      '--what-happened',
      'A suspicious login while your case was open.',
      '--what-we-did',
      'We froze it.',
      '--contact',
      'personvern@getdrop.no',
      '--as',
      'admin@drop.no',
    );
    assert.equal(tipping.code, 1, describeResult(tipping));
    assert.match(tipping.stderr, /^VALIDATION_FAILED: --what-happened says "suspicious"/m);
    assert.equal(mail.messages().length, 0, 'a refused send mails nobody');
    assert.equal(await auditCount('incident_notice_sent'), 0);

    const sent = await send(...texts, '--as', 'admin@drop.no', '--reference', 'INC-7');
    assert.equal(sent.code, 0, describeResult(sent));
    assert.match(sent.stdout, /^Sent the breach notice to 2 customers\.$/m);
    assert.match(sent.stdout, new RegExp(`No e-mail address \\(tell them another way\\): ${users.liv}`));

    const toKari = await mail.waitFor((message) => message.to.includes('kari@example.no'));
    const toPer = await mail.waitFor((message) => message.to.includes('per@example.no'));
    assert.equal(toKari.subject, 'Viktig: et sikkerhetsbrudd kan ha berørt opplysningene dine hos Drop');
    assert.equal(toKari.headers['x-drop-incident'], 'INC-7');
    assert.match(toKari.text, /^Hei Kari,$/m);
    assert.match(toKari.text, /On 1 December someone used stolen sign-in details/);
    assert.match(toKari.text, /mottakerne dine \(navn og kontonummer\)/);
    assert.match(toKari.html, /<h2[^>]*>Hva du bør gjøre<\/h2>/);
    assert.equal(mail.messages().length, 2);
    for (const message of [toKari, toPer]) {
      const caseId = (await db.pool.query('SELECT id FROM aml_cases WHERE user_id = $1', [users.per])).rows[0].id;
      assert.deepEqual(tracesIn(`${message.subject}\n${message.text}\n${message.html}`, [CASE_TITLE, caseId]), [], `mail to ${message.to}`);
      assert.equal(blanksIn(message.text), 0);
    }
    // Per's own data were only compliance records: his notice names no category of them.
    assert.match(toPer.text, /andre opplysninger om kontoen din/);

    const events = (
      await db.pool.query(`SELECT actor, resource_id, details FROM audit_log WHERE action = 'incident_notice_sent' ORDER BY resource_id`)
    ).rows;
    const admin = (await db.pool.query(`SELECT id FROM staff WHERE email = 'admin@drop.no'`)).rows[0].id;
    assert.deepEqual(
      events.map((event) => [event.resource_id, event.actor, event.details.lang, event.details.reference]),
      [
        [users.kari, admin, 'nb', 'INC-7'],
        [users.per, admin, 'nb', 'INC-7'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );

    const verified = await runDrop(['audit', 'verify'], env);
    assert.equal(verified.code, 0, `the audit chain verifies after every run: ${describeResult(verified)}`);
  });
});

function blanksIn(text: string): number {
  return text.match(/\[\[(FYLL UT|FILL IN):/g)?.length ?? 0;
}
