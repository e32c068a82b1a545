/**
 * Secrets never reach the logs (ASVS v5.0.0-16.2.5, 14.2.1). A real server with its own secrets
 * (JWT, data key, BankID client secret, Sumsub keys, the Wise token, the metrics token, an SMTP
 * password against a local SMTP server that requires it, a database password) logs at `trace`
 * into memory while real flows run over HTTP: BankID sign-in through the test provider, KYC with
 * the Sumsub simulator's signed webhooks, a transfer paid in by a bank file and paid out by the
 * Wise simulator with its signed webhook and the customer's email, a staff member enrolling from
 * the link `drop staff create` prints and signing in with a password and TOTP, /metrics with its
 * bearer token, and refused requests (forged tokens, a forged webhook, bad input, a failed
 * sign-in callback). Then every captured line is searched for each secret and token the flows
 * used, for anything shaped like a JWT, and for any valid 11-digit fødselsnummer.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { hasNationalIdControlDigits } from '@drop/check-digits';
import { loadConfig } from '@drop/config';
import { createStaffMember, totpFor } from '@drop/core';
import { createLogger } from '@drop/observability';
import { TEST_PEOPLE } from '@drop/simulators';
import { SMTPServer } from 'smtp-server';
import { callDropCallback, visitTestProvider } from '../../../test/support/bankid-sign-in.ts';
import { postAs, type TestCustomer, transferAs } from '../../../test/support/customers.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/embedded.ts';
import { payInByBankFile } from '../../../test/support/pay-in.ts';
import { waitUntil } from '../../../test/support/server.ts';
import { enrolmentCode, STAFF_PASSWORD, signInCode } from '../../../test/support/staff.ts';
import { type RunningDrop, startDrop } from '../src/runtime.ts';

const secret = (label: string) => `${label}-${randomBytes(18).toString('hex')}`;
const SECRETS = {
  JWT_SECRET: secret('log-test-jwt-secret'),
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  BANKID_CLIENT_SECRET: secret('log-test-bankid-client-secret'),
  SUMSUB_APP_TOKEN: secret('log-test-sumsub-app-token'),
  SUMSUB_SECRET_KEY: secret('log-test-sumsub-secret-key'),
  SUMSUB_WEBHOOK_SECRET: secret('log-test-sumsub-webhook-secret'),
  WISE_API_TOKEN: secret('log-test-wise-api-token'),
  METRICS_TOKEN: secret('log-test-metrics-token'),
};
const SMTP_USER = 'drop-mailer';
const SMTP_PASSWORD = secret('log-test-smtp-password');
const DATABASE_PASSWORD = secret('log-test-database-password');

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}/;

describe('secrets in logs', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let smtp: SMTPServer;
  let staffCookie = '';
  const lines: string[] = [];
  /** Every token, code and secret the flows handled, by what it is. */
  const handled = new Map<string, string>();
  const remember = (what: string, value: string | undefined) => {
    assert.ok(value && value.length >= 6, `${what} is missing or too short to search for`);
    handled.set(what, value);
  };
  const delivered: string[] = [];

  before(async () => {
    smtp = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) =>
        auth.username === SMTP_USER && auth.password === SMTP_PASSWORD
          ? callback(null, { user: auth.username })
          : callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 })),
      onData: (stream, session, callback) => {
        stream.resume();
        stream.on('end', () => {
          delivered.push(session.envelope.rcptTo.map((to) => to.address).join(','));
          callback(null);
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    db = await createTestDatabase();
    // The machine's PostgreSQL trusts local connections, so a password in the URL is carried but not needed.
    const databaseUrl = new URL(db.url);
    if (databaseUrl.password === '') databaseUrl.password = DATABASE_PASSWORD;
    handled.set('the database password', decodeURIComponent(databaseUrl.password));

    const port = await freePort();
    base = `http://localhost:${port}`;
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      DATABASE_URL: databaseUrl.toString(),
      WORKER_MODE: 'inline',
      PAYOUT_SIMULATOR_OUTCOME: 'manual',
      SMTP_URL: `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${smtpPort}`,
      ...SECRETS,
    });
    const logger = createLogger({
      level: 'trace',
      destination: {
        write(chunk: string) {
          lines.push(chunk);
        },
      },
    });
    drop = await startDrop(config, { logger });
    for (const [name, value] of Object.entries(SECRETS)) handled.set(name, value);
    handled.set('the SMTP password', SMTP_PASSWORD);
  });

  after(async () => {
    await drop?.stop('test finished');
    await db?.drop();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  async function signIn(person: string): Promise<TestCustomer> {
    const visit = await visitTestProvider(base, { person });
    const callback = new URL(visit.callbackUrl);
    remember(`${person}'s BankID authorization code`, callback.searchParams.get('code') ?? undefined);
    remember(`${person}'s BankID state`, callback.searchParams.get('state') ?? undefined);
    remember(`${person}'s sign-in cookie`, visit.signInCookie);
    const outcome = await callDropCallback(visit);
    assert.equal(outcome.status, 303);
    remember(`${person}'s session cookie`, outcome.sessionCookie);
    const cookie = `__Host-drop_session=${outcome.sessionCookie}`;
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).data;
    return { base, cookie, userId: me.id, email: `${person}.${randomUUID().slice(0, 8)}@example.no` };
  }

  it('customer: BankID sign-in, KYC with signed webhooks, a transfer paid in and paid out with its webhook and email', async () => {
    const kari = await signIn('kari');
    const started = await fetch(`${base}/api/kyc/start`, { method: 'POST', headers: { cookie: kari.cookie, origin: base } });
    assert.equal(started.status, 200);
    remember('the Sumsub SDK access token', (await started.json()).data.accessToken);
    const applicant = await db.pool.query('SELECT applicant_id FROM kyc_applicants WHERE user_id = $1', [kari.userId]);
    await drop.app.sumsubSimulator.submitDocuments(applicant.rows[0].applicant_id);
    await drop.app.sumsubSimulator.decide(applicant.rows[0].applicant_id, 'approve');
    const kycStatus = async () => (await db.pool.query('SELECT kyc_status FROM users WHERE id = $1', [kari.userId])).rows[0].kyc_status;
    await waitUntil(async () => (await kycStatus()) === 'approved', 20_000, 'KYC approval by webhook');
    await db.pool.query('UPDATE users SET email = $2 WHERE id = $1', [kari.userId, kari.email]);

    const transfer = await transferAs(kari, '1500');
    staffCookie = await staffEnrolsAndSignsIn();
    await payInByBankFile({ base, staffCookie, transfers: [transfer] });
    const payout = async () =>
      (await db.pool.query(`SELECT state, partner_reference FROM payouts WHERE transaction_id = $1`, [transfer.id])).rows[0];
    await waitUntil(async () => (await payout())?.state === 'sent', 30_000, 'the payout to be sent');
    const decided = await fetch(`${base}/wise-sim/_simulator/transfers/${(await payout()).partner_reference}/outcome`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome: 'paid' }),
    });
    assert.equal(decided.status, 200, await decided.clone().text());
    const status = async () =>
      (await (await fetch(`${base}/api/transfers/${transfer.id}`, { headers: { cookie: kari.cookie } })).json()).data.status;
    await waitUntil(async () => (await status()) === 'paid_out', 30_000, 'the transfer to be paid out');
    await waitUntil(async () => delivered.includes(kari.email), 30_000, 'an email through the SMTP server that wants the password');

    const loggedOut = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie: kari.cookie, origin: base } });
    assert.ok(loggedOut.status < 300);
  });

  /** As `drop staff create` and the console do: the enrolment link, its page's API, the first sign-in. */
  async function staffEnrolsAndSignsIn(): Promise<string> {
    const email = `finance.${randomBytes(3).toString('hex')}@drop.no`;
    const { enrolmentToken } = await createStaffMember(db.pool, {
      email,
      name: 'Finance Person',
      role: 'admin',
      actor: 'test',
      dataEncryptionKey: SECRETS.DATA_ENCRYPTION_KEY,
    });
    remember('the staff enrolment token', enrolmentToken);
    // The link the CLI prints; the console's page then asks the API with the token in the path.
    await fetch(`${base}/console/enrol?token=${enrolmentToken}`);
    const view = await fetch(`${base}/api/staff/enrolment/${enrolmentToken}`);
    assert.equal(view.status, 200);
    const totpSecret = (await view.json()).data.totpSecret as string;
    remember('the staff TOTP secret', totpSecret);
    const totp = totpFor(totpSecret, email);
    const enrolled = await fetch(`${base}/api/staff/enrolment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ token: enrolmentToken, password: STAFF_PASSWORD, totp: enrolmentCode(totp) }),
    });
    assert.equal(enrolled.status, 204, await enrolled.clone().text());
    handled.set('the staff password', STAFF_PASSWORD);
    const login = await fetch(`${base}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email, password: STAFF_PASSWORD, totp: signInCode(totp) }),
    });
    assert.equal(login.status, 204, await login.clone().text());
    const cookie = login.headers.getSetCookie().find((header) => header.startsWith('__Host-drop_staff='));
    remember('the staff session cookie', cookie?.split(';')[0]?.slice('__Host-drop_staff='.length));
    return cookie?.split(';')[0] ?? '';
  }

  it('staff: customer search by national id, a wrong password, metrics with the bearer token', async () => {
    const kari = TEST_PEOPLE.find((person) => person.id === 'kari');
    assert.ok(kari);
    const search = await fetch(`${base}/api/staff/customers?query=${kari.nationalId}`, { headers: { cookie: staffCookie } });
    assert.equal(search.status, 200, await search.clone().text());
    const wrong = await fetch(`${base}/api/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ email: 'nobody@drop.no', password: 'a wrong staff passphrase 9', totp: '123456' }),
    });
    assert.equal(wrong.status, 401);
    handled.set('a wrong staff password', 'a wrong staff passphrase 9');
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } });
    assert.equal(metrics.status, 200);
    const guessed = secret('a-guessed-metrics-token');
    assert.equal((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${guessed}` } })).status, 401);
    handled.set('a guessed metrics token', guessed);
  });

  it('refused requests: forged session tokens, a forged webhook, bad input, a failed sign-in callback', async () => {
    const forged = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c3JfZm9yZ2VkIn0.${randomBytes(32).toString('base64url')}`;
    assert.equal((await fetch(`${base}/api/me`, { headers: { cookie: `__Host-drop_session=${forged}` } })).status, 401);
    assert.equal((await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${forged}` } })).status, 401);

    const ola = TEST_PEOPLE.find((person) => person.id === 'ola');
    assert.ok(ola);
    const digest = randomBytes(32).toString('hex');
    handled.set('a forged webhook digest', digest);
    const webhook = await fetch(`${base}/api/webhooks/sumsub`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-payload-digest': digest, 'x-payload-digest-alg': 'HMAC_SHA256_HEX' },
      body: JSON.stringify({ type: 'applicantReviewed', applicantId: 'x', info: { idNumber: ola.nationalId } }),
    });
    assert.equal(webhook.status, 401);

    const customer = await signIn('ola');
    const quote = await postAs(customer, '/api/quotes', {
      country: 'DE',
      currency: 'EUR',
      sendAmount: ola.nationalId,
      note: ola.nationalId,
    });
    assert.equal(quote.status, 400);

    const visit = await visitTestProvider(base, { person: 'kari' });
    const tampered = new URL(visit.callbackUrl);
    tampered.searchParams.set('state', secret('a-forged-state'));
    handled.set('the code sent with a forged state', tampered.searchParams.get('code') ?? '');
    const refused = await callDropCallback({ ...visit, callbackUrl: tampered.href });
    assert.equal(refused.sessionCookie, undefined);
  });

  it('no captured log line holds a secret, a token, a JWT or a fødselsnummer', () => {
    assert.ok(lines.length > 100, `only ${lines.length} lines were captured`);
    assert.ok(
      lines.some((line) => line.includes('"incoming request"')),
      'request lines are captured',
    );
    const leaks: string[] = [];
    for (const line of lines) {
      for (const [what, value] of handled) if (line.includes(value)) leaks.push(`${what}: ${line.trim().slice(0, 400)}`);
      if (JWT.test(line)) leaks.push(`a JWT: ${line.trim().slice(0, 400)}`);
      for (const match of line.matchAll(/(?<!\d)\d{11}(?!\d)/g)) {
        if (hasNationalIdControlDigits(match[0])) leaks.push(`a fødselsnummer ${match[0]}: ${line.trim().slice(0, 400)}`);
      }
      for (const person of TEST_PEOPLE) if (line.includes(person.nationalId)) leaks.push(`${person.id}'s national id: ${line.trim()}`);
    }
    assert.deepEqual(leaks, []);
  });
});
