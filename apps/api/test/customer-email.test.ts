/**
 * The customer's email address (issue 16) over HTTP, with the codes read back from the local SMTP
 * capture: every refusal has its stable code and changes nothing it should not (a bad address, a
 * code in the wrong shape, a wrong code, an expired one, five wrong ones, a new code too soon, no
 * address waiting, another customer's address, the address one already has), codes are kept only
 * as a keyed hash, a change keeps the old address until the new one is proven and then tells the
 * old one, and the email choices decide which transfer emails are sent. And a person under 18 is
 * refused at sign-in without an account, with the reason in the audit log.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EmailSettings } from '@drop/contracts';
import { createNationalIdProtector, type Mailer, type OutgoingMail, sendTransferEmail } from '@drop/core';
import { newId } from '@drop/db';
import { testPerson } from '@drop/simulators';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { paidOutTransferOf } from '../../../test/support/paid-out-transfer.ts';
import type { RunningDrop } from '../src/runtime.ts';

const DATA_KEY = randomBytes(32).toString('base64');

interface Answer {
  data: EmailSettings;
  code?: string;
  details: { retryAfterSeconds: number; attemptsLeft: number };
}

describe('Customer email: address, code, change and choices', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ DATA_ENCRYPTION_KEY: DATA_KEY }));
  });
  after(async () => {
    await stopDropOnFreePort({ db, drop });
  });

  async function signIn(person: string): Promise<{ cookie: string; userId: string }> {
    const { sessionCookie } = await signInThroughTestProvider(base, person);
    assert.ok(sessionCookie, `${person} signed in`);
    const cookie = `__Host-drop_session=${sessionCookie}`;
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).data;
    return { cookie, userId: me.id };
  }

  const call = async (cookie: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };

  /** The six digits of the newest code mailed to `to`. */
  async function codeSentTo(to: string, after = new Date(0)): Promise<string> {
    const mail = await drop.mailCapture?.waitFor((m) => m.to.includes(to) && m.receivedAt >= after && /Drop/.test(m.subject));
    assert.ok(mail, `a code was mailed to ${to}`);
    const code = /\b(\d{6})\b/.exec(mail.subject)?.[1];
    assert.ok(code, mail.subject);
    assert.ok(mail.text.includes(code) && mail.html.includes(code), 'the code is in the text and the HTML');
    return code;
  }

  const verification = async (userId: string) =>
    (
      await db.pool.query<{ id: string; email: string; code_hash: Buffer; attempts: number; sends: number }>(
        'SELECT id, email, code_hash, attempts, sends FROM email_verifications WHERE user_id = $1 AND closed_at IS NULL',
        [userId],
      )
    ).rows[0];
  const userEmail = async (userId: string) =>
    (await db.pool.query('SELECT email, email_verified_at FROM users WHERE id = $1', [userId])).rows[0] as {
      email: string | null;
      email_verified_at: Date | null;
    };
  const auditActions = async (userId: string) =>
    (await db.pool.query<{ action: string }>('SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY seq', [userId])).rows.map(
      (row) => row.action,
    );
  /** The wait before another code is over (as if a minute had passed). */
  const resendAllowed = (userId: string) =>
    db.pool.query("UPDATE email_verifications SET last_sent_at = now() - interval '2 minutes' WHERE user_id = $1 AND closed_at IS NULL", [
      userId,
    ]);

  it('adds an address: bad inputs refused with their codes, a wrong code costs a try, the right one verifies', async () => {
    const kari = await signIn('kari');
    const start = await call(kari.cookie, 'GET', '/api/me/email');
    assert.deepEqual(start.body.data, {
      email: null,
      verifiedAt: null,
      pending: null,
      notifications: { fundsReceived: true, paidOut: true },
    });

    // An address the mailer cannot send to alone (a list, a display name, a quoted part) is refused
    // here, not a 502 EMAIL_SEND_FAILED after it was accepted (the API fuzzer found that).
    const notOneAddress = [
      "+argumentsb_@8*aF]?^>B.'xN",
      "/7id_T?NN7@B?L.*j{RHI.Pz6e'",
      'kari@example.no,ola@example.no',
      'Kari <kari@example.no>',
      '"k"@example.no',
      '.kari@example.no',
      'kari..n@example.no',
      'kari@-example.no',
      'kari@example..no',
    ];
    for (const email of ['not-an-email', 'kari@', '', `${'k'.repeat(250)}@example.no`, ...notOneAddress]) {
      const refused = await call(kari.cookie, 'POST', '/api/me/email', { email });
      assert.equal(refused.status, 400, email);
      assert.equal(refused.body.code, 'VALIDATION_FAILED');
    }
    assert.equal((await call(kari.cookie, 'POST', '/api/me/email/verify', { code: '123456' })).body.code, 'EMAIL_NOT_PENDING');
    assert.equal((await call(kari.cookie, 'POST', '/api/me/email/resend', {})).body.code, 'EMAIL_NOT_PENDING');
    assert.equal(await verification(kari.userId), undefined, 'nothing was opened');

    const asked = new Date();
    const opened = await call(kari.cookie, 'POST', '/api/me/email', { email: 'kari.nordmann@example.no', locale: 'en' });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    assert.equal(opened.body.data.email, null, 'not used before the code is entered');
    assert.equal(opened.body.data.pending?.email, 'kari.nordmann@example.no');
    assert.equal(opened.body.data.pending?.attemptsLeft, 5);
    const code = await codeSentTo('kari.nordmann@example.no', asked);
    const mail = drop.mailCapture?.messages().find((m) => m.to.includes('kari.nordmann@example.no'));
    assert.match(mail?.subject ?? '', /is your Drop code/, 'in the language the customer chose');

    // At rest: a keyed hash, not the code.
    const row = await verification(kari.userId);
    assert.ok(row);
    assert.equal(row.code_hash.length, 32);
    assert.ok(!row.code_hash.toString('latin1').includes(code) && !row.code_hash.toString('hex').includes(code));

    const tooSoon = await call(kari.cookie, 'POST', '/api/me/email/resend', {});
    assert.equal(tooSoon.status, 429);
    assert.equal(tooSoon.body.code, 'EMAIL_RESEND_TOO_SOON');
    assert.ok(tooSoon.body.details.retryAfterSeconds > 0 && tooSoon.body.details.retryAfterSeconds <= 60);

    for (const bad of ['12345', '1234567', 'abcdef', '']) {
      const refused = await call(kari.cookie, 'POST', '/api/me/email/verify', { code: bad });
      assert.equal(refused.status, 400, bad);
      assert.equal(refused.body.code, 'VALIDATION_FAILED');
    }
    assert.equal((await verification(kari.userId))?.attempts, 0, 'a code in the wrong shape costs no try');

    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await call(kari.cookie, 'POST', '/api/me/email/verify', { code: wrong });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'EMAIL_CODE_INVALID');
    assert.equal(refused.body.details.attemptsLeft, 4);
    assert.equal((await verification(kari.userId))?.attempts, 1);
    assert.equal((await userEmail(kari.userId)).email, null);

    const verified = await call(kari.cookie, 'POST', '/api/me/email/verify', { code });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.data.email, 'kari.nordmann@example.no');
    assert.equal(verified.body.data.pending, null);
    const stored = await userEmail(kari.userId);
    assert.equal(stored.email, 'kari.nordmann@example.no');
    assert.ok(stored.email_verified_at);
    assert.equal((await call(kari.cookie, 'POST', '/api/me/email/verify', { code })).body.code, 'EMAIL_NOT_PENDING', 'a code works once');

    const same = await call(kari.cookie, 'POST', '/api/me/email', { email: 'KARI.nordmann@example.no' });
    assert.equal(same.status, 409);
    assert.equal(same.body.code, 'CONFLICT');

    const actions = await auditActions(kari.userId);
    for (const action of ['email_verification_requested', 'email_code_rejected', 'email_verified']) {
      assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    }
  });

  it('expired and used-up codes: EMAIL_CODE_EXPIRED, then EMAIL_CODE_LOCKED after five wrong tries, and a new code works', async () => {
    const ola = await signIn('ola');
    await call(ola.cookie, 'POST', '/api/me/email', { email: 'ola@example.no' });
    const first = await codeSentTo('ola@example.no');
    await db.pool.query(
      "UPDATE email_verifications SET created_at = now() - interval '20 minutes', expires_at = now() - interval '5 minutes' WHERE user_id = $1 AND closed_at IS NULL",
      [ola.userId],
    );
    const expired = await call(ola.cookie, 'POST', '/api/me/email/verify', { code: first });
    assert.equal(expired.status, 410);
    assert.equal(expired.body.code, 'EMAIL_CODE_EXPIRED');
    assert.equal((await userEmail(ola.userId)).email, null);

    await resendAllowed(ola.userId);
    const resentAt = new Date();
    const resent = await call(ola.cookie, 'POST', '/api/me/email/resend', {});
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    const second = await codeSentTo('ola@example.no', resentAt);
    assert.equal((await verification(ola.userId))?.sends, 2);
    if (second !== first) {
      assert.equal(
        (await call(ola.cookie, 'POST', '/api/me/email/verify', { code: first })).body.code,
        'EMAIL_CODE_INVALID',
        'the old code stops working',
      );
    }

    const wrong = second === '999999' ? '999998' : '999999';
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = (await verification(ola.userId))?.attempts ?? 0; i < 5; i++) {
      last = await call(ola.cookie, 'POST', '/api/me/email/verify', { code: wrong });
    }
    assert.equal(last?.status, 429);
    assert.equal(last?.body.code, 'EMAIL_CODE_LOCKED');
    const locked = await call(ola.cookie, 'POST', '/api/me/email/verify', { code: second });
    assert.equal(locked.body.code, 'EMAIL_CODE_LOCKED', 'not even the right code once locked');
    assert.equal((await userEmail(ola.userId)).email, null);

    await resendAllowed(ola.userId);
    const thirdAt = new Date();
    await call(ola.cookie, 'POST', '/api/me/email/resend', {});
    const third = await codeSentTo('ola@example.no', thirdAt);
    const verified = await call(ola.cookie, 'POST', '/api/me/email/verify', { code: third });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal((await userEmail(ola.userId)).email, 'ola@example.no');
  });

  it('a change keeps the old address until the new one is proven, then tells the old one; another customer’s address is refused only after the code', async () => {
    const kari = await signIn('kari');
    assert.equal((await userEmail(kari.userId)).email, 'kari.nordmann@example.no', 'from the first test');
    const askedAt = new Date();
    await call(kari.cookie, 'POST', '/api/me/email', { email: 'kari@nordmann.example' });
    const code = await codeSentTo('kari@nordmann.example', askedAt);
    const waiting = await call(kari.cookie, 'GET', '/api/me/email');
    assert.equal(waiting.body.data.email, 'kari.nordmann@example.no', 'the old address still gets mail');
    assert.equal(waiting.body.data.pending?.email, 'kari@nordmann.example');

    // Withdrawn: the old address stays, the code no longer works.
    assert.equal((await call(kari.cookie, 'DELETE', '/api/me/email/pending')).body.data.pending, null);
    assert.equal((await call(kari.cookie, 'POST', '/api/me/email/verify', { code })).body.code, 'EMAIL_NOT_PENDING');

    const againAt = new Date();
    await call(kari.cookie, 'POST', '/api/me/email', { email: 'kari@nordmann.example' });
    const again = await codeSentTo('kari@nordmann.example', againAt);
    const changed = await call(kari.cookie, 'POST', '/api/me/email/verify', { code: again });
    assert.equal(changed.body.data.email, 'kari@nordmann.example');
    const notice = await drop.mailCapture?.waitFor((m) => m.to.includes('kari.nordmann@example.no') && m.receivedAt >= againAt);
    assert.match(notice?.subject ?? '', /e-mail address at Drop has changed/);
    assert.ok(notice?.text.includes('k•••@nordmann.example'), 'the old address sees the new one masked');

    // Ola asks for Kari's address: the code goes there (nobody learns whose it is), and entering it is refused.
    const ola = await signIn('ola');
    const olaAt = new Date();
    const asked = await call(ola.cookie, 'POST', '/api/me/email', { email: 'kari@nordmann.example' });
    assert.equal(asked.status, 200);
    const olaCode = await codeSentTo('kari@nordmann.example', olaAt);
    const inUse = await call(ola.cookie, 'POST', '/api/me/email/verify', { code: olaCode });
    assert.equal(inUse.status, 409);
    assert.equal(inUse.body.code, 'EMAIL_IN_USE');
    assert.equal((await userEmail(ola.userId)).email, 'ola@example.no', 'his own address stays');
    assert.equal(await verification(ola.userId), undefined, 'the request is closed');
  });

  it('the email choices: bad bodies refused; funds-received and paid-out emails follow them, a failed one always goes', async () => {
    const kari = await signIn('kari');
    for (const body of [{}, { fundsReceived: 'no', paidOut: true }, { fundsReceived: true }]) {
      const refused = await call(kari.cookie, 'PUT', '/api/me/notifications', body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.code, 'VALIDATION_FAILED');
    }
    const saved = await call(kari.cookie, 'PUT', '/api/me/notifications', { fundsReceived: false, paidOut: true });
    assert.deepEqual(saved.body.data.notifications, { fundsReceived: false, paidOut: true });
    assert.ok((await auditActions(kari.userId)).includes('notification_preferences_changed'));

    const sent: OutgoingMail[] = [];
    const mailer: Mailer = {
      send: async (mail) => {
        sent.push(mail);
        return { messageId: String(sent.length) };
      },
    };
    const { id } = await paidOutTransferOf(db.pool, kari.userId);
    const appUrl = base;
    assert.equal(await sendTransferEmail(db.pool, mailer, { transactionId: id, kind: 'funds_received', appUrl }), 'opted_out');
    assert.equal(await sendTransferEmail(db.pool, mailer, { transactionId: id, kind: 'paid_out', appUrl }), 'sent');
    await call(kari.cookie, 'PUT', '/api/me/notifications', { fundsReceived: true, paidOut: false });
    assert.equal(await sendTransferEmail(db.pool, mailer, { transactionId: id, kind: 'paid_out', appUrl }), 'opted_out');
    assert.equal(await sendTransferEmail(db.pool, mailer, { transactionId: id, kind: 'failed', appUrl }), 'sent', 'not a choice');
    assert.deepEqual(
      sent.map((mail) => mail.to),
      ['kari@nordmann.example', 'kari@nordmann.example'],
    );

    // Only a verified address gets mail: a customer who never proved one gets none.
    const pep = await signIn('pep');
    await call(pep.cookie, 'POST', '/api/me/email', { email: 'nancy@example.com' });
    const transfer = await paidOutTransferOf(db.pool, pep.userId);
    assert.equal(await sendTransferEmail(db.pool, mailer, { transactionId: transfer.id, kind: 'paid_out', appUrl }), 'no_address');
  });

  it('a person under 18 is refused at sign-in: no account, no session, the reason in the audit log; KYC refuses a minor already signed up', async () => {
    const outcome = await signInThroughTestProvider(base, 'minor');
    assert.equal(outcome.status, 303);
    assert.equal(outcome.location, '/age-limit');
    assert.equal(outcome.sessionCookie, undefined);
    const users = await db.pool.query("SELECT id FROM users WHERE given_name = 'Emma'");
    assert.equal(users.rowCount, 0, 'no customer was created');
    const refused = await db.pool.query<{ actor: string; details: Record<string, unknown> }>(
      "SELECT actor, details FROM audit_log WHERE action = 'signup_refused' ORDER BY seq DESC LIMIT 1",
    );
    assert.equal(refused.rows[0]?.actor, 'anonymous');
    assert.equal(refused.rows[0]?.details.reason, 'under_age');
    assert.equal(refused.rows[0]?.details.age, 15);
    assert.equal(refused.rows[0]?.details.minimumAge, 18);

    // Someone who signed up before the rule is refused too, and told that an account exists.
    const emma = newId('usr');
    await db.pool.query(`INSERT INTO users (id, full_name, birth_date, national_id_hash) VALUES ($1, 'Emma N.', $2, $3)`, [
      emma,
      testPerson('minor').birthdate,
      createNationalIdProtector(DATA_KEY).lookupHash(testPerson('minor').nationalId),
    ]);
    const again = await signInThroughTestProvider(base, 'minor');
    assert.equal(again.location, '/age-limit?account=1');
    assert.equal(again.sessionCookie, undefined);
    const login = await db.pool.query<{ details: Record<string, unknown> }>(
      "SELECT details FROM audit_log WHERE action = 'login_refused' AND resource_id = $1",
      [emma],
    );
    assert.equal(login.rows[0]?.details.reason, 'under_age');
    assert.equal((await db.pool.query('SELECT 1 FROM sessions WHERE user_id = $1', [emma])).rowCount, 0);

    // Someone who signed up before the rule, with a session still open, cannot start KYC.
    const elderly = await signIn('elderly');
    await db.pool.query("UPDATE users SET birth_date = current_date - interval '17 years' WHERE id = $1", [elderly.userId]);
    const kyc = await call(elderly.cookie, 'POST', '/api/kyc/start', {});
    assert.equal(kyc.status, 403);
    assert.equal(kyc.body.code, 'UNDER_AGE');
    assert.equal((await db.pool.query('SELECT 1 FROM kyc_applicants WHERE user_id = $1', [elderly.userId])).rowCount, 0);
  });
});
