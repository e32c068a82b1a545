/**
 * Erasure and retention (issue 14), with a fake clock: a customer with a paid-out transfer, a
 * recipient, KYC data, two sessions and an alert asks to be forgotten in the app. They are
 * restricted at once (signed out everywhere, deleted_at set), a second request changes nothing,
 * their transfer awaiting payment is cancelled and the one paid in but not paid out is refunded
 * through the refund path. `drop privacy apply-retention --now` four years and 364 days after the
 * relationship ended removes nothing; five years and a day after, the personal data is gone, the
 * AML records deleted, the request completed, another customer untouched; `drop ledger verify`
 * and `drop audit verify` pass, nothing personal of hers is in the audit log, and the runbook's
 * statements still run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { seedLargeTransferAlert } from '../../../test/support/aml-alerts.ts';
import {
  GERMAN_IBAN,
  postAs,
  type TestCustomer,
  type TestTransfer,
  transferAs,
  verifiedCustomer,
} from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { payInByBankFile } from '../../../test/support/pay-in.ts';
import { waitUntil } from '../../../test/support/server.ts';
import { enrolStaff } from '../../../test/support/staff.ts';
import { describeResult, runDrop } from '../../cli/test/run-cli.ts';
import type { RunningDrop } from '../src/runtime.ts';

const DAY = 24 * 60 * 60 * 1000;
/** Five calendar years after `from` (the rule's interval is '5 years', not 5 × 365 days). */
const fiveYearsAfter = (from: Date) => {
  const at = new Date(from);
  at.setUTCFullYear(at.getUTCFullYear() + 5);
  return at;
};

describe('Erasure: restricted at once, erased when the five-year retention ends', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let env: Record<string, string>;
  let kari: TestCustomer;
  let kariSecondSession: TestCustomer;
  let ola: TestCustomer;
  /** Asks by letter; support records it. */
  let byLetter: TestCustomer;
  let paidOut: TestTransfer;
  let paidNotOut: TestTransfer;
  let awaiting: TestTransfer;
  let kariAlert: string;
  let olaAlert: string;
  let support: string;
  let finance: string;
  let relationshipEnded: Date;
  let kariName: string;

  const statusOf = async (id: string) =>
    (await db.pool.query<{ status: string }>('SELECT status FROM transactions WHERE id = $1', [id])).rows[0]?.status;
  const staffPost = (cookie: string, path: string, body: unknown) => postAs({ base, cookie }, path, body);
  const cli = async (args: string[]) => {
    const result = await runDrop(args, env);
    assert.equal(result.code, 0, describeResult(result));
    return result;
  };

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ WORKER_MODE: 'inline' }));
    env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    support = await signInStaff(base, db.pool, 'support', 'support@drop.no');
    finance = await signInStaff(base, db.pool, 'admin', 'finance@drop.no');
    const officer = await signInStaff(base, db.pool, 'compliance_officer', 'officer@drop.no');
    await enrolStaff(db.pool, { email: 'support2@drop.no', role: 'support' });

    kari = await verifiedCustomer(base, db.pool, 'kari');
    kariSecondSession = await verifiedCustomer(base, db.pool, 'kari');
    assert.equal(kariSecondSession.userId, kari.userId, 'the same person signed in twice: two sessions');
    kari = { ...kari, email: kariSecondSession.email };
    ola = await verifiedCustomer(base, db.pool, 'ola');

    // Kari: one transfer paid out, one paid in while held by staff (money with Drop), one awaiting payment.
    paidOut = await transferAs(kari, '1000');
    paidNotOut = await transferAs(kari, '1200', 'Per Hansen');
    const held = await staffPost(officer, `/api/staff/transfers/${paidNotOut.id}/hold`, { reason: 'Checking the source of funds' });
    assert.equal(held.status, 200, await held.text());
    await payInByBankFile({ base, staffCookie: finance, transfers: [paidOut, paidNotOut] });
    await waitUntil(async () => (await statusOf(paidOut.id)) === 'paid_out', 30_000, 'the first transfer to be paid out');
    awaiting = await transferAs(kari, '900');
    const olaTransfer = await transferAs(ola, '1000');

    // KYC data at the provider's side, and AML work on both customers.
    await db.pool.query(
      `INSERT INTO kyc_applicants (user_id, applicant_id, level_name, review_status, review_answer, moderation_comment)
       VALUES ($1, $2, 'basic-kyc-level', 'completed', 'GREEN', 'Document matches the selfie of Kari')`,
      [kari.userId, `sim-${newId('alert').slice(6)}`],
    );
    kariAlert = await seedLargeTransferAlert(db.pool, { userId: kari.userId, transactionId: paidOut.id });
    await db.pool.query(
      `INSERT INTO aml_alert_events (alert_id, kind, actor, text) VALUES ($1, 'commented', 'stf_x', 'Kari said it was rent')`,
      [kariAlert],
    );
    // An email on record (the mailer writes these; the test server may have none configured).
    await db.pool.query(
      `INSERT INTO customer_emails (user_id, kind, to_address, subject) VALUES ($1, 'paid_out', $2, 'Anna Schmidt got the money')`,
      [kari.userId, kari.email],
    );
    olaAlert = await seedLargeTransferAlert(db.pool, { userId: ola.userId, transactionId: olaTransfer.id });
    kariName = (await db.pool.query<{ full_name: string }>('SELECT full_name FROM users WHERE id = $1', [kari.userId])).rows[0]
      ?.full_name as string;
    assert.ok(kariName, 'BankID gave her name');
  });
  after(async () => {
    await stopDropOnFreePort({ db, drop });
  });

  it('restricts at once: the request is recorded with its deadline, every session ends, transfers in flight end', async () => {
    const asked = await postAs(kari, '/api/user/erasure-request', {});
    assert.equal(asked.status, 201, await asked.clone().text());
    const request = (await asked.json()).data;
    assert.equal(request.type, 'erasure');
    assert.equal(request.status, 'restricted');
    assert.equal(request.created, true);
    assert.equal(request.completedAt, null);
    assert.equal('transfers' in request, false, 'the customer is not told about holds');
    const dueInDays = (Date.parse(request.dueAt) - Date.parse(request.createdAt)) / DAY;
    assert.ok(dueInDays >= 28 && dueInDays <= 31, `due in one month (GDPR art. 12(3)), not ${dueInDays} days`);

    const user = await db.pool.query<{ deleted_at: Date }>('SELECT deleted_at FROM users WHERE id = $1', [kari.userId]);
    relationshipEnded = user.rows[0]?.deleted_at as Date;
    assert.ok(relationshipEnded instanceof Date, 'users.deleted_at set (the runbook’s restriction)');
    assert.equal(Date.parse(request.personalDataRemovedAfter), fiveYearsAfter(relationshipEnded).getTime());
    const live = await db.pool.query('SELECT id FROM sessions WHERE user_id = $1 AND revoked = 0', [kari.userId]);
    assert.equal(live.rowCount, 0, 'every session revoked');
    for (const who of [kari, kariSecondSession]) {
      const me = await fetch(`${base}/api/me`, { headers: { cookie: who.cookie } });
      assert.equal(me.status, 401);
    }
    const again = await postAs(kariSecondSession, '/api/user/erasure-request', {});
    assert.equal(again.status, 401, 'a revoked session cannot ask again');

    // Transfers: awaiting payment → cancelled; paid in, not out → refund owed, then refunded by the refund path.
    assert.equal(await statusOf(awaiting.id), 'cancelled');
    assert.equal(await statusOf(paidOut.id), 'paid_out');
    const refund = await db.pool.query<{ state: string; amount_minor: string }>(
      'SELECT state, amount_minor FROM customer_refunds WHERE transaction_id = $1',
      [paidNotOut.id],
    );
    assert.equal(refund.rows[0]?.state, 'pending');
    assert.equal(refund.rows[0]?.amount_minor, '120000');
    const paidBack = await staffPost(finance, `/api/staff/transfers/${paidNotOut.id}/refund-paid`, { note: 'Paid back from DNB online' });
    assert.equal(paidBack.status, 200, await paidBack.clone().text());
    assert.equal(await statusOf(paidNotOut.id), 'refunded');
    await cli(['ledger', 'verify']);
    await cli(['audit', 'verify']);
  });

  it('is idempotent for staff too (API and CLI), and refuses an unknown customer and a role without data_requests', async () => {
    const first = await db.pool.query<{ id: string }>(`SELECT id FROM data_access_requests WHERE user_id = $1 AND type = 'erasure'`, [
      kari.userId,
    ]);
    const staffAgain = await staffPost(support, `/api/staff/customers/${kari.userId}/erasure-request`, { reason: 'Letter of 3 March' });
    assert.equal(staffAgain.status, 200, await staffAgain.clone().text());
    const body = (await staffAgain.json()).data;
    assert.equal(body.created, false);
    assert.equal(body.id, first.rows[0]?.id);
    const viaCli = await cli(['users', 'erase', kari.userId, '--reason', 'Phone call', '--as', 'support2@drop.no']);
    assert.match(viaCli.stdout, /already has an open erasure request/);
    const count = await db.pool.query(`SELECT 1 FROM data_access_requests WHERE user_id = $1 AND type = 'erasure'`, [kari.userId]);
    assert.equal(count.rowCount, 1);

    const unknown = await staffPost(support, `/api/staff/customers/${newId('usr')}/erasure-request`, { reason: 'x' });
    assert.equal(unknown.status, 404);
    const noReason = await staffPost(support, `/api/staff/customers/${ola.userId}/erasure-request`, { reason: '' });
    assert.equal(noReason.status, 400);
    const officerCookie = await signInStaff(base, db.pool, 'compliance_officer', 'officer2@drop.no');
    const denied = await staffPost(officerCookie, `/api/staff/customers/${ola.userId}/erasure-request`, { reason: 'x' });
    assert.equal(denied.status, 403);
    const olaStill = await db.pool.query('SELECT deleted_at FROM users WHERE id = $1', [ola.userId]);
    assert.equal(olaStill.rows[0].deleted_at, null, 'a refused request changes nothing');
    const unknownCli = await runDrop(['users', 'erase', newId('usr'), '--reason', 'x', '--as', 'support2@drop.no'], env);
    assert.equal(unknownCli.code, 1, describeResult(unknownCli));
    assert.match(unknownCli.stderr, /NOT_FOUND/);

    // Another customer wrote a letter: support records it; they are restricted at once, and the audit names the staff member.
    byLetter = await verifiedCustomer(base, db.pool, 'elderly');
    const recorded = await staffPost(support, `/api/staff/customers/${byLetter.userId}/erasure-request`, { reason: 'Letter of 3 March' });
    assert.equal(recorded.status, 201, await recorded.clone().text());
    const byLetterRequest = (await recorded.json()).data;
    assert.equal(byLetterRequest.created, true);
    assert.deepEqual(byLetterRequest.transfers, { cancelled: [], refundsOwed: [], leftHeld: [], finishing: [] });
    assert.equal((await fetch(`${base}/api/me`, { headers: { cookie: byLetter.cookie } })).status, 401);
    const audit = await db.pool.query(`SELECT actor FROM audit_log WHERE action = 'erasure_requested' AND resource_id = $1`, [
      byLetter.userId,
    ]);
    assert.match(audit.rows[0].actor, /^stf_/);
  });

  it('keeps everything at four years and 364 days; erases the personal data after five years; ledger, audit and runbook still work', async () => {
    const badTime = await runDrop(['privacy', 'apply-retention', '--now', 'yesterday'], env);
    assert.equal(badTime.code, 2, describeResult(badTime));
    assert.match(badTime.stderr, /VALIDATION_FAILED/);

    const almost = new Date(fiveYearsAfter(relationshipEnded).getTime() - DAY);
    const early = await cli(['privacy', 'apply-retention', '--now', almost.toISOString(), '--json']);
    assert.deepEqual(JSON.parse(early.stdout).erasedCustomers, []);
    const kept = await db.pool.query('SELECT full_name, personal_data_erased_at FROM users WHERE id = $1', [kari.userId]);
    assert.equal(kept.rows[0].full_name, kariName);
    assert.equal((await db.pool.query('SELECT 1 FROM aml_alerts WHERE id = $1', [kariAlert])).rowCount, 1);

    const later = new Date(fiveYearsAfter(relationshipEnded).getTime() + DAY);
    const listed = await cli(['privacy', 'retention', '--now', later.toISOString(), '--json']);
    const rules = JSON.parse(listed.stdout) as Array<{ code: string; due: number | null }>;
    assert.equal(rules.find((rule) => rule.code === 'ended_customer_personal_data')?.due, 2);
    const dry = await cli(['privacy', 'apply-retention', '--now', later.toISOString(), '--dry-run', '--json']);
    assert.deepEqual(JSON.parse(dry.stdout).erasedCustomers, []);
    assert.equal((await db.pool.query('SELECT full_name FROM users WHERE id = $1', [kari.userId])).rows[0].full_name, kariName);

    const run = await cli(['privacy', 'apply-retention', '--now', later.toISOString(), '--json']);
    // The one who wrote asked seconds after Kari: their five years have passed too.
    assert.deepEqual(JSON.parse(run.stdout).erasedCustomers, [kari.userId, byLetter.userId].sort());

    const user = await db.pool.query(
      `SELECT email, full_name, given_name, family_name, birth_date, bankid_sub, national_id_ciphertext, national_id_hash,
              personal_data_erased_at, deleted_at FROM users WHERE id = $1`,
      [kari.userId],
    );
    const row = user.rows[0];
    for (const column of [
      'email',
      'full_name',
      'given_name',
      'family_name',
      'birth_date',
      'bankid_sub',
      'national_id_ciphertext',
      'national_id_hash',
    ]) {
      assert.equal(row[column], null, `users.${column} removed`);
    }
    assert.equal(row.personal_data_erased_at.getTime(), later.getTime());
    const recipients = await db.pool.query('SELECT name, details FROM recipients WHERE user_id = $1', [kari.userId]);
    assert.ok(recipients.rowCount && recipients.rowCount > 0);
    for (const recipient of recipients.rows) {
      assert.equal(recipient.name, 'Erased');
      assert.deepEqual(recipient.details, {});
    }
    const sessions = await db.pool.query('SELECT ip, user_agent FROM sessions WHERE user_id = $1', [kari.userId]);
    for (const session of sessions.rows) assert.deepEqual([session.ip, session.user_agent], [null, null]);
    const kyc = await db.pool.query('SELECT moderation_comment FROM kyc_applicants WHERE user_id = $1', [kari.userId]);
    assert.equal(kyc.rows[0].moderation_comment, null);
    const payer = await db.pool.query(
      'SELECT e.debtor_name, e.debtor_account FROM bank_entries e JOIN transactions t ON t.id = e.transaction_id WHERE t.user_id = $1',
      [kari.userId],
    );
    assert.ok(payer.rowCount && payer.rowCount > 0);
    for (const entry of payer.rows) assert.deepEqual([entry.debtor_name, entry.debtor_account], [null, null]);
    assert.equal((await db.pool.query('SELECT 1 FROM aml_alerts WHERE user_id = $1', [kari.userId])).rowCount, 0, 'AML records deleted');
    assert.equal(
      (await db.pool.query('SELECT 1 FROM customer_emails WHERE user_id = $1', [kari.userId])).rowCount,
      0,
      'no record of her emails',
    );
    const request = await db.pool.query(`SELECT status, completed_at FROM data_access_requests WHERE user_id = $1 AND type = 'erasure'`, [
      kari.userId,
    ]);
    assert.equal(request.rows[0].status, 'completed');
    assert.equal(request.rows[0].completed_at.getTime(), later.getTime());

    // What stays: the transfers, their amounts and the ledger.
    assert.equal(await statusOf(paidOut.id), 'paid_out');
    const amount = await db.pool.query('SELECT send_amount_minor FROM transactions WHERE id = $1', [paidOut.id]);
    assert.equal(amount.rows[0].send_amount_minor, '100000');

    // Staff still find the anonymous customer by id and see the transfer (amounts, statuses, no names).
    const staffGet = (path: string) => fetch(`${base}${path}`, { headers: { cookie: finance } });
    const found = await staffGet(`/api/staff/customers?query=${kari.userId}`);
    assert.equal(found.status, 200, await found.clone().text());
    const summary = (await found.json()).data[0];
    assert.deepEqual([summary.id, summary.name, summary.email], [kari.userId, null, null]);
    const transferView = await staffGet(`/api/staff/transfers/${paidOut.id}`);
    assert.equal(transferView.status, 200, await transferView.clone().text());
    assert.doesNotMatch(await transferView.text(), new RegExp(`${kariName}|Anna Schmidt|${GERMAN_IBAN}`));

    // Ola is untouched.
    const olaRow = await db.pool.query('SELECT full_name, email, deleted_at, personal_data_erased_at FROM users WHERE id = $1', [
      ola.userId,
    ]);
    assert.ok(olaRow.rows[0].full_name);
    assert.equal(olaRow.rows[0].email, ola.email);
    assert.equal(olaRow.rows[0].personal_data_erased_at, null);
    assert.equal((await db.pool.query('SELECT 1 FROM aml_alerts WHERE id = $1', [olaAlert])).rowCount, 1);
    assert.equal((await db.pool.query(`SELECT 1 FROM recipients WHERE user_id = $1 AND name = 'Anna Schmidt'`, [ola.userId])).rowCount, 1);

    // The ledger and the audit chain verify; the audit log holds nothing that names her.
    const ledger = await cli(['ledger', 'verify']);
    assert.doesNotMatch(ledger.stdout, /violat/i);
    await cli(['audit', 'verify']);
    for (const personal of [kariName, kari.email, kariSecondSession.email, 'Per Hansen', 'Kari Nordmann']) {
      const found = await db.pool.query(`SELECT seq, action, resource_type FROM audit_log WHERE details::text ILIKE '%' || $1 || '%'`, [
        personal,
      ]);
      assert.deepEqual(found.rows, [], `the audit log does not hold "${personal}"`);
    }

    // A second run finds nothing more to do.
    const again = await cli(['privacy', 'apply-retention', '--now', later.toISOString(), '--json']);
    assert.deepEqual(JSON.parse(again.stdout).erasedCustomers, []);

    // The runbook's statements still run unchanged against the erased customer.
    const runbook = readFileSync(new URL('../../../test/fixtures/runbook-statements.sql', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n')
      .split(/;\s*(?:\n|$)/)
      .map((statement) => statement.trim())
      .filter(Boolean);
    for (const statement of runbook) {
      const sql = statement
        .replace('$(date -u --iso-8601=seconds)', new Date().toISOString())
        .replaceAll("'usr_...'", `'${kari.userId}'`)
        .replaceAll("'tx_...'", `'${paidOut.id}'`)
        .replaceAll("'alert_...'", `'${olaAlert}'`)
        .replaceAll("'[email protected]'", `'${ola.email}'`);
      await db.pool.query(sql);
    }
    await cli(['audit', 'verify']);
  });
});
