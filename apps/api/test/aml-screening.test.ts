/**
 * Sanctions and PEP screening where Drop's flows need it, end to end over real HTTP against the
 * real shipped lists (OFAC SDN and OpenSanctions' PEPs): the BankID test provider's sanctioned
 * person is held at KYC with a critical alert, the PEP is approved with a request for enhanced
 * due diligence, a recipient named like a listed person (with a typo) holds the transfer and
 * freezes the customer, and a transfer of NOK 50 001 raises the large-transfer alert that the
 * runbook's alert query shows.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { groupListFiles, importListFiles } from '@drop/core';
import { SHIPPED_LISTS } from '@drop/screening';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import { postAs, type TestCustomer, transferAs } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { waitUntil } from '../../../test/support/server.ts';
import type { RunningDrop } from '../src/runtime.ts';

/** The runbook's alert queue query (operational runbook 7.1), exactly as operators paste it. */
async function runbookAlertQuery(): Promise<string> {
  // The repository's verbatim copy of shared/seeds/runbook-statements.sql (test/runbook-statements.test.ts keeps it so).
  const statements = await readFile(fileURLToPath(new URL('../../../test/fixtures/runbook-statements.sql', import.meta.url)), 'utf8');
  const start = statements.indexOf('SELECT a.*, u.email, t.send_amount, t.send_currency');
  const end = statements.indexOf(';', start);
  assert.ok(start >= 0 && end > start, 'the runbook has its alert queue query');
  return statements.slice(start, end);
}

describe('AML screening in the flows', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    const shipped = SHIPPED_LISTS.filter((list) => list.list === 'ofac-sdn' || list.list === 'os').flatMap((list) => list.files);
    await importListFiles(db.pool, await groupListFiles(shipped), { source: 'file', actor: 'test' });
    // The server's index picks the new versions up (NOTIFY); wait for that build here rather than in the first webhook.
    await drop.aml.indexes.upToDate();
  });
  after(() => stopDropOnFreePort({ db, drop }));

  const simulator = () => drop.app.sumsubSimulator;
  const statusOf = async (userId: string) =>
    (await db.pool.query<{ kyc_status: string }>('SELECT kyc_status FROM users WHERE id = $1', [userId])).rows[0]?.kyc_status;
  const alertsOf = async (userId: string) =>
    (
      await db.pool.query<{
        rule: string;
        severity: string;
        status: string;
        transaction_id: string | null;
        details: Record<string, unknown>;
      }>('SELECT rule, severity, status, transaction_id, details FROM aml_alerts WHERE user_id = $1 ORDER BY created_at, id', [userId])
    ).rows;

  /** Signs `person` in with BankID, starts verification, and has the provider approve it. */
  async function verify(person: string): Promise<TestCustomer & { settledStatus: string }> {
    const { sessionCookie } = await signInThroughTestProvider(base, person);
    const cookie = `__Host-drop_session=${sessionCookie}`;
    const start = await fetch(`${base}/api/kyc/start`, { method: 'POST', headers: { cookie, origin: base } });
    assert.equal(start.status, 200);
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).data;
    const applicant = await db.pool.query('SELECT applicant_id FROM kyc_applicants WHERE user_id = $1', [me.id]);
    const applicantId = applicant.rows[0].applicant_id as string;
    await simulator().submitDocuments(applicantId);
    await simulator().decide(applicantId, 'approve');
    await simulator().settled();
    await waitUntil(async () => ['approved', 'on_hold'].includes((await statusOf(me.id)) ?? ''), 30_000, `${person} reviewed`);
    return { base, cookie, userId: me.id, email: '', settledStatus: (await statusOf(me.id)) ?? '' };
  }

  const transfer = (who: TestCustomer, recipientName: string, sendAmount = '1000') => transferAs(who, sendAmount, recipientName);

  it("holds the sanctioned person's verification with a critical alert that names the OFAC record", async () => {
    const sanctioned = await verify('sanctioned');
    assert.equal(sanctioned.settledStatus, 'on_hold', 'a sanctions match holds the approval');
    const alerts = await alertsOf(sanctioned.userId);
    const critical = alerts.find((alert) => alert.rule === 'sanctions_match');
    assert.ok(critical, `a sanctions alert (got ${alerts.map((a) => a.rule).join(', ')})`);
    assert.equal(critical.severity, 'critical');
    assert.equal(critical.status, 'open');
    const match = await db.pool.query(
      `SELECT list, record_key, score, name, query_name FROM screening_matches WHERE user_id = $1 AND subject_type = 'customer'`,
      [sanctioned.userId],
    );
    assert.deepEqual(
      match.rows.map((row) => `${row.list}:${row.record_key}`),
      ['ofac-sdn:6861'],
      'the match is the OFAC SDN record of Joaquin Guzman Loera',
    );
    assert.ok(Number(match.rows[0].score) >= 0.9, `a strong score (${match.rows[0].score})`);
    const frozen = await db.pool.query('SELECT aml_frozen_at IS NOT NULL AS frozen FROM users WHERE id = $1', [sanctioned.userId]);
    assert.equal(frozen.rows[0].frozen, true);
    const kyc = (await (await fetch(`${base}/api/kyc`, { headers: { cookie: sanctioned.cookie } })).json()).data;
    assert.equal(kyc.canSend, false);
  });

  it('approves the PEP and asks for enhanced due diligence, without blocking', async () => {
    const pep = await verify('pep');
    assert.equal(pep.settledStatus, 'approved');
    const alerts = await alertsOf(pep.userId);
    assert.deepEqual(
      alerts.map((alert) => `${alert.rule}/${alert.severity}`),
      ['pep_match/medium'],
    );
    const edd = await db.pool.query('SELECT edd_required_at IS NOT NULL AS asked, edd_reason, aml_frozen_at FROM users WHERE id = $1', [
      pep.userId,
    ]);
    assert.equal(edd.rows[0].asked, true);
    assert.equal(edd.rows[0].aml_frozen_at, null, 'a PEP is not frozen');
    const kyc = (await (await fetch(`${base}/api/kyc`, { headers: { cookie: pep.cookie } })).json()).data;
    assert.equal(kyc.canSend, true);
    assert.equal(kyc.sourceOfFundsRequested, true, 'the app asks where the money comes from');
    const sent = await transfer(pep, 'Anna Schmidt');
    assert.equal(sent.status, 'awaiting_funds', 'a PEP sends like anyone else');
  });

  it('holds a transfer to a recipient named like a listed person (with a typo) and freezes the customer', async () => {
    const kari = await verify('kari');
    assert.equal(kari.settledStatus, 'approved');
    assert.deepEqual(await alertsOf(kari.userId), [], 'Kari Nordmann is on no list');

    const held = await transfer(kari, 'Joaquin Guzman Loeraa');
    assert.equal(held.status, 'held');
    const alerts = await alertsOf(kari.userId);
    const critical = alerts.filter((alert) => alert.rule === 'sanctions_match');
    assert.ok(critical.length >= 1, 'a critical alert');
    assert.ok(
      critical.every((alert) => alert.severity === 'critical'),
      'sanctions alerts are critical',
    );
    assert.ok(
      critical.some((alert) => alert.transaction_id === held.id),
      'one names the held transfer',
    );
    const recipientMatch = await db.pool.query(
      `SELECT list, record_key, query_name FROM screening_matches WHERE user_id = $1 AND subject_type = 'recipient'`,
      [kari.userId],
    );
    assert.deepEqual(
      recipientMatch.rows.map((row) => [`${row.list}:${row.record_key}`, row.query_name]),
      [['ofac-sdn:6861', 'Joaquin Guzman Loeraa']],
    );

    // Frozen: her next transfer, to someone on no list, is held too.
    const next = await transfer(kari, 'Anna Schmidt');
    assert.equal(next.status, 'held');
  });

  it('raises the large-transfer alert for NOK 50 001, and the runbook alert queue shows it', async () => {
    const ola = await verify('ola');
    assert.equal(ola.settledStatus, 'approved');
    const declared = await postAs(ola, '/api/kyc/source-of-funds', { source: 'Sale of my flat in Bergen, settled through DNB' });
    assert.equal(declared.status, 204, 'tier 2 (source of funds declared) may send more than NOK 50 000');

    const below = await transfer(ola, 'Anna Schmidt', '49999');
    assert.equal(below.status, 'awaiting_funds');
    assert.deepEqual(
      (await alertsOf(ola.userId)).filter((alert) => alert.rule === 'large_transfer'),
      [],
      'NOK 49 999 is below the threshold',
    );

    const large = await transfer(ola, 'Anna Schmidt', '50001');
    const alerts = (await alertsOf(ola.userId)).filter((alert) => alert.rule === 'large_transfer');
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]?.transaction_id, large.id);

    const queue = await db.pool.query(await runbookAlertQuery());
    const row = queue.rows.find((candidate) => candidate.transaction_id === large.id && candidate.rule === 'large_transfer');
    assert.ok(row, 'the runbook query lists the alert');
    assert.equal(Number(row.send_amount), 50001);
    assert.equal(row.send_currency, 'NOK');
  });
});
