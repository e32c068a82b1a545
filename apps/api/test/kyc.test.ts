/**
 * KYC end to end over real HTTP: Drop's Sumsub client against the local Sumsub simulator, signed
 * webhooks into Drop, and what the transfer path then allows (a real quote and create_transfer). Every refused webhook is shown to
 * change nothing in the database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DomainError, listKycQueue, recordManualKycDecision, SequenceKidAllocator } from '@drop/core';
import { newId } from '@drop/db';
import { formatSumsubTimestamp, sumsubKycProviderFrom, webhookDigest } from '@drop/integrations';
import { createLogger, LogOnlyNotifier } from '@drop/observability';
import { startWorker } from '@drop/worker';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { addGermanRecipient, fixedRates, makeTransfer } from '../../../test/support/money.ts';
import { waitUntil } from '../../../test/support/server.ts';
import type { RunningDrop } from '../src/runtime.ts';

const WEBHOOK_SECRET = 'development-only-sumsub-webhook-secret';
const isCode = (code: string) => (error: unknown) => error instanceof DomainError && error.code === code;

describe('KYC with Sumsub', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    await rates.refresh();
  });
  after(() => stopDropOnFreePort({ db, drop }));

  const simulator = () => drop.app.sumsubSimulator;
  const rates = fixedRates({ EUR: '11.7035' });
  const kids = new SequenceKidAllocator({ method: 'MOD10', length: 12 });
  const recipients = new Map<string, string>();
  /** The customer's one recipient (a German IBAN), added on first use. */
  async function recipientFor(userId: string): Promise<string> {
    const known = recipients.get(userId);
    if (known) return known;
    const id = await addGermanRecipient(db.pool, userId);
    recipients.set(userId, id);
    return id;
  }
  /** Sends `nok` kroner the way the API does (a quote, then create_transfer): refused with the transfer path's code, or made. */
  const send = async (userId: string, nok: number) =>
    makeTransfer(db.pool, { userId, recipientId: await recipientFor(userId), nok, rates, kids });
  /** A customer signed in with BankID who has started verification. */
  async function customerInVerification(person: string) {
    const { sessionCookie } = await signInThroughTestProvider(base, person);
    const cookie = `__Host-drop_session=${sessionCookie}`;
    const start = await fetch(`${base}/api/kyc/start`, { method: 'POST', headers: { cookie, origin: base } });
    assert.equal(start.status, 200);
    const started = (await start.json()).data;
    assert.ok(started.accessToken);
    assert.match(started.webSdkScriptUrl, /\/sumsub-sim\/websdk\/sns-websdk-builder\.js$/);
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).data;
    const applicant = await db.pool.query('SELECT applicant_id FROM kyc_applicants WHERE user_id = $1', [me.id]);
    return { cookie, userId: me.id as string, applicantId: applicant.rows[0].applicant_id as string };
  }
  const statusOf = async (userId: string) =>
    (await db.pool.query('SELECT kyc_status FROM users WHERE id = $1', [userId])).rows[0].kyc_status;
  const waitForStatus = (userId: string, status: string) =>
    waitUntil(async () => (await statusOf(userId)) === status, 10_000, `kyc_status ${status}`);
  /** Everything a webhook could change, to show that a refused one changed nothing. */
  const state = async () =>
    JSON.stringify([
      (await db.pool.query('SELECT id, kyc_status, kyc_tier FROM users ORDER BY id')).rows,
      (await db.pool.query('SELECT * FROM kyc_applicants ORDER BY user_id')).rows,
      (await db.pool.query('SELECT count(*) FROM webhook_events')).rows,
      (await db.pool.query('SELECT id, status FROM transactions ORDER BY id')).rows,
    ]);
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${base}/api/webhooks/sumsub`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (body: string, algorithm: 'HMAC_SHA256_HEX' | 'HMAC_SHA512_HEX' = 'HMAC_SHA256_HEX', secret = WEBHOOK_SECRET) => ({
    'x-payload-digest': webhookDigest(secret, algorithm, body),
    'x-payload-digest-alg': algorithm,
  });

  it('takes a customer from not started to pending to approved, and the runbook and console agree on pending', async () => {
    const { cookie, userId, applicantId } = await customerInVerification('kari');
    assert.equal(await statusOf(userId), 'not_started');
    await simulator().submitDocuments(applicantId);
    await waitForStatus(userId, 'pending');
    const runbook = await db.pool.query(
      `SELECT id, email, kyc_status, created_at FROM users WHERE kyc_status = 'pending' ORDER BY created_at ASC`,
    );
    assert.deepEqual(
      (await listKycQueue(db.pool)).map((row) => row.id),
      runbook.rows.map((row) => row.id),
    );
    assert.ok(runbook.rows.some((row) => row.id === userId));

    await simulator().decide(applicantId, 'approve');
    await waitForStatus(userId, 'approved');
    const kyc = (await (await fetch(`${base}/api/kyc`, { headers: { cookie } })).json()).data;
    assert.equal(kyc.canSend, true);
    assert.equal(kyc.tier, 1);
    assert.deepEqual(kyc.limitsNok, { perTransfer: '50000', thirtyDays: '100000', twelveMonths: '300000' });
    const changes = await db.pool.query(
      `SELECT details FROM audit_log WHERE action = 'kyc_status_changed' AND resource_id = $1 ORDER BY seq`,
      [userId],
    );
    assert.deepEqual(
      changes.rows.map((row) => `${row.details.from}→${row.details.to}`),
      ['not_started→pending', 'pending→approved'],
    );
  });

  it('refuses a forged webhook, a disallowed algorithm, a replay and an older event, changing nothing', async () => {
    const { userId, applicantId } = await customerInVerification('ola');
    await simulator().submitDocuments(applicantId);
    await simulator().decide(applicantId, 'approve');
    await waitForStatus(userId, 'approved');
    const reviewed = simulator()
      .deliveries()
      .filter((delivery) => delivery.applicantId === applicantId && delivery.type === 'applicantReviewed');
    assert.equal(reviewed.length, 1);
    // The status can turn 'approved' on the pending webhook (Drop re-reads the applicant, already
    // decided); wait for the reviewed one too, so no genuine delivery lands inside the snapshot.
    await simulator().settled();
    const before_ = await state();

    const red = JSON.stringify({
      applicantId,
      externalUserId: userId,
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'RED', reviewRejectType: 'FINAL', rejectLabels: ['FORGERY'] },
      createdAtMs: formatSumsubTimestamp(Date.now() + 60_000),
    });
    const forged = await post(red, signed(red, 'HMAC_SHA256_HEX', 'an-attacker-guessing-the-secret'));
    assert.equal(forged.status, 401);
    assert.equal((await forged.json()).code, 'WEBHOOK_SIGNATURE_INVALID');
    const sha1 = await post(red, {
      'x-payload-digest': webhookDigest(WEBHOOK_SECRET, 'HMAC_SHA256_HEX', red),
      'x-payload-digest-alg': 'HMAC_SHA1_HEX',
    });
    assert.equal(sha1.status, 401, 'SHA-1 is not an allowed algorithm');
    const unsigned = await post(red, {});
    assert.equal(unsigned.status, 401);
    const tampered = await post(red.replace('FINAL', 'RETRY'), signed(red));
    assert.equal(tampered.status, 401, 'one changed byte breaks the digest');
    assert.equal(await state(), before_);
    const rejected = await db.pool.query(`SELECT details FROM audit_log WHERE action = 'webhook_rejected' ORDER BY seq`);
    assert.ok(rejected.rows.length >= 4, 'refusals are recorded');

    // A replay of the real delivery: accepted, applied once.
    const replay = reviewed[0];
    assert.ok(replay);
    await simulator().redeliver(replay.id);
    assert.equal(await state(), before_, 'a redelivered webhook changes nothing');

    // A correctly signed but older event: ignored, nothing regresses.
    const older = JSON.stringify({ ...JSON.parse(red), createdAtMs: formatSumsubTimestamp(Date.now() - 3_600_000) });
    const stale = await post(older, signed(older));
    assert.equal(stale.status, 200);
    assert.equal((await stale.json()).outcome, 'stale');
    assert.equal(await statusOf(userId), 'approved');

    // A correctly signed, newer event that lies: Drop re-reads the applicant from Sumsub, which says GREEN.
    const lying = JSON.stringify({ ...JSON.parse(red), createdAtMs: formatSumsubTimestamp(Date.now() + 120_000) });
    const applied = await post(lying, signed(lying, 'HMAC_SHA512_HEX'));
    assert.equal(applied.status, 200);
    assert.equal(await statusOf(userId), 'approved', "the payload's RED is not trusted; Sumsub's current review is");
  });

  it('lets only approved customers send, within their tier limits, and asks for source of funds from NOK 100 000', async () => {
    const { userId, applicantId } = await customerInVerification('elderly');
    const check = (nok: number) => send(userId, nok);
    await assert.rejects(check(100), isCode('KYC_REQUIRED'));
    await simulator().submitDocuments(applicantId);
    await simulator().decide(applicantId, 'approve');
    await waitForStatus(userId, 'approved');
    await check(1000);
    await assert.rejects(check(50_001), isCode('LIMIT_EXCEEDED'));
    // With the 1 000 just sent, 95 000 over twelve months.
    await db.pool.query(
      `INSERT INTO transactions (id, user_id, status, send_amount_minor, created_at) VALUES ($1, $2, 'paid_out', 9400000, now() - interval '60 days')`,
      [newId('tx'), userId],
    );
    await assert.rejects(check(5000), isCode('EDD_REQUIRED'), '95 000 + 5 000 reaches the threshold');
    await check(4999);
  });

  it('moves an approved customer to tier 2 once they say where their money comes from', async () => {
    // Kari was approved in the first test; starting again is refused (409), she is already verified.
    const { sessionCookie } = await signInThroughTestProvider(base, 'kari');
    const cookie = `__Host-drop_session=${sessionCookie}`;
    const userId = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).data.id as string;
    assert.equal(await statusOf(userId), 'approved');
    assert.equal((await fetch(`${base}/api/kyc/start`, { method: 'POST', headers: { cookie, origin: base } })).status, 409);
    const tooShort = await fetch(`${base}/api/kyc/source-of-funds`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'salary' }),
    });
    assert.equal(tooShort.status, 400);
    const declared = await fetch(`${base}/api/kyc/source-of-funds`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'Salary from my job as a nurse at Oslo University Hospital' }),
    });
    assert.equal(declared.status, 204);
    const kyc = (await (await fetch(`${base}/api/kyc`, { headers: { cookie } })).json()).data;
    assert.equal(kyc.tier, 2);
    assert.equal(kyc.sourceOfFundsDeclared, true);
    assert.deepEqual(kyc.limitsNok, { perTransfer: '250000', thirtyDays: '500000', twelveMonths: '2000000' });
    await send(userId, 150_000);
  });

  it('never lets two concurrent transfers both pass a limit only one fits under', async () => {
    const { userId, applicantId } = await customerInVerification('pep');
    await simulator().submitDocuments(applicantId);
    await simulator().decide(applicantId, 'approve');
    await waitForStatus(userId, 'approved');
    // Each attempt is a whole transfer of 40 000 (checked and spent in one transaction); the 30-day limit is 100 000.
    await recipientFor(userId);
    const attempt = () =>
      send(userId, 40_000).then(
        () => 'ok',
        (error: unknown) => (error instanceof DomainError ? error.code : 'error'),
      );
    const outcomes = await Promise.all(Array.from({ length: 6 }, attempt));
    assert.equal(outcomes.filter((outcome) => outcome === 'ok').length, 2, outcomes.join(', '));
    const spent = await db.pool.query(`SELECT sum(send_amount_minor)::text AS s FROM transactions WHERE user_id = $1`, [userId]);
    assert.equal(spent.rows[0].s, '8000000');
  });

  it('on a later downgrade stops new transfers at once and holds those in flight', async () => {
    const { userId, applicantId } = await customerInVerification('sanctioned');
    await simulator().submitDocuments(applicantId);
    await simulator().decide(applicantId, 'approve');
    await waitForStatus(userId, 'approved');
    const inFlight = newId('tx');
    await db.pool.query(`INSERT INTO transactions (id, user_id, status, send_amount_minor) VALUES ($1, $2, 'funds_received', 250000)`, [
      inFlight,
      userId,
    ]);
    await simulator().decide(applicantId, 'downgrade');
    await waitForStatus(userId, 'rejected');
    const held = await db.pool.query('SELECT status FROM transactions WHERE id = $1', [inFlight]);
    assert.equal(held.rows[0].status, 'held');
    await assert.rejects(send(userId, 100), isCode('KYC_REQUIRED'));
    const change = await db.pool.query(
      `SELECT details FROM audit_log WHERE action = 'kyc_status_changed' AND resource_id = $1 ORDER BY seq DESC LIMIT 1`,
      [userId],
    );
    assert.equal(change.rows[0].details.transfersHeld, 1);
  });

  it('asks for a retry with the reason, and lets the customer try again', async () => {
    const { cookie, userId, applicantId } = await customerInVerification('per');
    await simulator().submitDocuments(applicantId);
    await simulator().decide(applicantId, 'reject_retry');
    await waitForStatus(userId, 'retry');
    const kyc = (await (await fetch(`${base}/api/kyc`, { headers: { cookie } })).json()).data;
    assert.equal(kyc.rejectType, 'RETRY');
    assert.ok(kyc.message && kyc.message.length > 0, 'the customer is told what to fix');
    assert.equal(kyc.canSend, false);
    const again = await fetch(`${base}/api/kyc/start`, { method: 'POST', headers: { cookie, origin: base } });
    assert.equal(again.status, 200);
    await simulator().submitDocuments(applicantId);
    await waitForStatus(userId, 'pending');
  });

  it("sends a compliance officer's rejection to Sumsub after commit, and Sumsub's answer changes nothing more", async () => {
    // Per is pending again after the retry scenario above.
    const userId = (await db.pool.query(`SELECT id FROM users WHERE given_name = 'Per'`)).rows[0].id as string;
    await waitForStatus(userId, 'pending');
    const applicantId = (await db.pool.query('SELECT applicant_id FROM kyc_applicants WHERE user_id = $1', [userId])).rows[0]
      .applicant_id as string;
    const reviewedEvents = async () =>
      (
        await db.pool.query(`SELECT count(*)::int AS n FROM webhook_events WHERE subject_id = $1 AND event_type = 'applicantReviewed'`, [
          applicantId,
        ])
      ).rows[0].n as number;
    const reviewedBefore = await reviewedEvents();
    const provider = sumsubKycProviderFrom({
      baseUrl: `${base}/sumsub-sim`,
      appToken: 'drop-local-app-token',
      secretKey: 'development-only-sumsub-secret-key',
    });
    const worker = await startWorker({
      db: db.pool,
      logger: createLogger({ level: 'silent' }),
      notifier: new LogOnlyNotifier(createLogger({ level: 'silent' })),
      concurrency: 1,
      pollIntervalMs: 50,
      withCron: false,
      kycProvider: sumsubKycProviderFrom({
        baseUrl: `${base}/sumsub-sim`,
        appToken: 'drop-local-app-token',
        secretKey: 'development-only-sumsub-secret-key',
      }),
    });
    try {
      const result = await recordManualKycDecision(db.pool, {
        userId,
        decision: 'reject',
        note: 'Applicant is under 18',
        staffId: 'stf_01JAAAAAAAAAAAAAAAAAAAAAAA',
      });
      assert.deepEqual(result, { from: 'pending', to: 'rejected', transfersHeld: 0 });
      // Read back through Sumsub's own API, as an operator would.
      await waitUntil(
        async () => (await provider.getApplicant(applicantId)).rejectLabels?.includes('EXTERNAL_DECISION_REJECTION') === true,
        10_000,
        'Sumsub to record the rejection',
      );
      await waitUntil(async () => (await reviewedEvents()) === reviewedBefore + 1, 10_000, "Sumsub's answering webhook");
      assert.equal(await statusOf(userId), 'rejected');
      const changes = await db.pool.query(
        `SELECT details FROM audit_log WHERE action = 'kyc_status_changed' AND resource_id = $1 AND details->>'to' = 'rejected'`,
        [userId],
      );
      assert.equal(changes.rowCount, 1, 'one rejection, not two');
      const sent = await db.pool.query(`SELECT 1 FROM audit_log WHERE action = 'kyc_decision_sent_to_provider' AND resource_id = $1`, [
        userId,
      ]);
      assert.equal(sent.rowCount, 1);
    } finally {
      await worker.stop();
    }
  });
});
