/**
 * No tipping off (hvitvaskingsloven § 26): nothing a customer can see reveals that Drop raised an
 * alert, opened a case or reported them. One customer gets every kind of AML work Drop does: a
 * PEP's request for enhanced due diligence, a large-transfer alert, a recipient on the OFAC list
 * (critical alert, transfer held, customer frozen, their other transfer held too), a staff hold
 * with a reason, a stop and a release proposed for four eyes, the stop's refund, alert comments,
 * an assignment and a closing note, a case with its timeline, and two STRs (a draft, and a filed
 * one with its Økokrim receipt). Then every customer-facing GET route of the OpenAPI document
 * (so a new customer route is crawled without anyone listing it here), the responses the customer
 * got while it happened, the data export, the receipts' text and every email the customer was
 * sent are searched for any trace of that work: its ids, rule names, list names, staff texts and
 * the words that name it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { groupListFiles, importListFiles } from '@drop/core';
import { newId } from '@drop/db';
import { SHIPPED_LISTS } from '@drop/screening';
import { unzipSync } from 'fflate';
import { extractText, getDocumentProxy } from 'unpdf';
import { postAs, type TestCustomer, type TestTransfer, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { payInByBankFile } from '../../../test/support/pay-in.ts';
import { waitUntil } from '../../../test/support/server.ts';
import { tracesIn } from '../../../test/support/tipping-off.ts';
import { CUSTOMER_RATE_LIMITS } from '../src/http/customer-rate-limits.ts';
import type { RunningDrop } from '../src/runtime.ts';

const DATA_EXPORTS_PER_HOUR = CUSTOMER_RATE_LIMITS.dataExport.max;

/** The local stand-ins for BankID, Sumsub, Norges Bank and Wise: third parties' APIs, not Drop's. */
const SIMULATOR_PREFIXES = ['/test-bankid/', '/sumsub-sim/', '/norges-bank-sim/', '/wise-sim/'];

/** The full paths of Fastify's route tree as `printRoutes({ commonPrefix: false })` draws it. */
function registeredGetRoutes(tree: string): string[] {
  const parents: string[] = [];
  const paths: string[] = [];
  for (const line of tree.split('\n')) {
    const branch = line.indexOf('── ');
    if (branch < 0) continue;
    const depth = (branch - 1) / 4;
    const path = (parents[depth - 1] ?? '') + line.slice(branch + 3).replace(/ \(.*\)$/, '');
    parents[depth] = path;
    paths.push(path);
  }
  return paths;
}

describe('No tipping off: what the customer can see', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let kari: TestCustomer;
  let officer: string;
  let lead: string;
  /** Finance work (bank files, refunds) is the admin's. */
  let finance: string;
  /** Every body the customer was answered while the AML work happened (POSTs included). */
  const answered: Array<{ what: string; body: string }> = [];
  const marker = randomUUID().slice(0, 8);
  /** The alert an officer commented on. */
  let commentedAlertId: string;
  /** Staff texts, each carrying the marker so a hit can only be a leak. */
  const staffTexts = {
    hold: `Held pending investigation ${marker}-hold: structuring pattern`,
    stop: `Stop and return the money ${marker}-stop`,
    release: `Release after review ${marker}-release`,
    refundNote: `Refund paid by hand ${marker}-refund`,
    comment: `Matches the OFAC record, escalating ${marker}-comment`,
    closing: `Large amount, part of the case ${marker}-closing`,
    caseTitle: `Kari N. network ${marker}-case-title`,
    caseNote: `Spoke to the bank ${marker}-case-note`,
    grounds: `The customer sent to a listed person ${marker}-grounds`,
    eddReason: `PEP match: customer is Minister of Something on os:Q${marker}`,
  };

  const get = (path: string, cookie = kari.cookie) => fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
  const staffIdOf = async (email: string) =>
    (await db.pool.query<{ id: string }>('SELECT id FROM staff WHERE email = $1', [email])).rows[0]?.id as string;
  const statusOf = async (id: string) => (await (await get(`/api/transfers/${id}`)).json()).data.status as string;
  const keep = async (what: string, response: Response) => {
    answered.push({ what, body: await response.clone().text() });
    return response;
  };
  const staffPost = async (cookie: string, path: string, body: unknown) => {
    const response = await postAs({ base, cookie }, path, body);
    assert.ok(response.status < 300, `POST ${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()).data;
  };
  const transfer = async (amount: string, recipientName?: string): Promise<TestTransfer> => {
    const made = await transferAs(kari, amount, recipientName);
    answered.push({ what: `POST /api/transfers (${amount}, ${recipientName ?? 'Anna Schmidt'})`, body: JSON.stringify(made) });
    return made;
  };

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ WORKER_MODE: 'inline', CUSTOMER_RATE_LIMIT_MULTIPLIER: '1' }));
    // The OFAC SDN list as shipped, so screening finds the listed person the way it does in production.
    const sdn = SHIPPED_LISTS.filter((list) => list.list === 'ofac-sdn').flatMap((list) => list.files);
    await importListFiles(db.pool, await groupListFiles(sdn), { source: 'file', actor: 'test' });
    await drop.aml.indexes.upToDate();
    officer = await signInStaff(base, db.pool, 'compliance_officer', 'officer@drop.no');
    lead = await signInStaff(base, db.pool, 'compliance_lead', 'lead@drop.no');
    finance = await signInStaff(base, db.pool, 'admin', 'finance@drop.no');
    kari = await verifiedCustomer(base, db.pool, 'kari');

    // A PEP: screening asked for enhanced due diligence with a medium alert (as aml_record_screening writes it).
    await db.pool.query('UPDATE users SET edd_required_at = now(), edd_reason = $2 WHERE id = $1', [kari.userId, staffTexts.eddReason]);
    await db.pool.query(
      `INSERT INTO aml_alerts (id, user_id, rule, severity, details, dedup_key)
       VALUES ($1, $2, 'pep_match', 'medium', $3, $4)`,
      [
        newId('alert'),
        kari.userId,
        JSON.stringify({ list: 'os', key: `Q${marker}`, name: 'Kari Nordmann', reason: staffTexts.eddReason }),
        `pep_match:customer:${kari.userId}:Q${marker}`,
      ],
    );
    // The app asks the question, and that is all it says.
    const asked = await keep('GET /api/kyc (EDD asked)', await get('/api/kyc'));
    assert.equal((await asked.json()).data.sourceOfFundsRequested, true);
    const declared = await keep(
      'POST /api/kyc/source-of-funds',
      await postAs(kari, '/api/kyc/source-of-funds', { source: 'Salary and savings from my job as a nurse' }),
    );
    assert.equal(declared.status, 204);

    // Paid out before anything happened: a receipt, and the funds-received and paid-out emails.
    const paid = await transfer('1000');
    await payInByBankFile({ base, staffCookie: finance, transfers: [paid] });
    await waitUntil(async () => (await statusOf(paid.id)) === 'paid_out', 30_000, 'the first transfer to be paid out');

    // NOK 50 001: the large-transfer rule's alert.
    const large = await transfer('50001');

    // Held by staff with a reason, paid while held, stopped with four eyes (a refund is owed and
    // paid), and a release proposed for another transfer and left waiting for a second person.
    const stopped = await transfer('1200');
    await staffPost(officer, `/api/staff/transfers/${stopped.id}/hold`, { reason: staffTexts.hold });
    await payInByBankFile({ base, staffCookie: finance, transfers: [stopped] });
    const stop = await staffPost(officer, `/api/staff/transfers/${stopped.id}/stop-request`, { reason: staffTexts.stop });
    await staffPost(lead, `/api/staff/approvals/${stop.id}/approve`, { note: `Agreed ${marker}-approve` });

    // A recipient named like a person on the OFAC list: critical alert, the transfer held, Kari frozen.
    const listed = await transfer('1000', 'Joaquin Guzman Loeraa');
    assert.equal(listed.status, 'held');
    await staffPost(officer, `/api/staff/transfers/${listed.id}/release-request`, { reason: staffTexts.release });
    assert.equal(await statusOf(large.id), 'held', "the freeze held Kari's waiting transfer too");
    // Frozen, she may still ask: a new transfer is held at once, and cancelling a held one is refused.
    const afterFreeze = await transfer('500');
    assert.equal(afterFreeze.status, 'held');
    for (const id of [listed.id, afterFreeze.id]) {
      const refused = await keep(`POST /api/transfers/${id}/cancel`, await postAs(kari, `/api/transfers/${id}/cancel`, {}));
      assert.equal(refused.status, 409);
    }

    // Alert work: assigned, commented, one closed as escalated.
    const alerts = await db.pool.query<{ id: string; rule: string }>('SELECT id, rule FROM aml_alerts WHERE user_id = $1', [kari.userId]);
    const sanctionsAlert = alerts.rows.find((alert) => alert.rule === 'sanctions_match');
    const largeAlert = alerts.rows.find((alert) => alert.rule === 'large_transfer');
    assert.ok(sanctionsAlert && largeAlert, `the alerts were raised (${alerts.rows.map((a) => a.rule).join(', ')})`);
    await staffPost(officer, `/api/staff/aml-alerts/${sanctionsAlert.id}/assign`, {});
    await staffPost(officer, `/api/staff/aml-alerts/${sanctionsAlert.id}/comment`, { text: staffTexts.comment });
    commentedAlertId = sanctionsAlert.id;
    const escalated = await staffPost(officer, `/api/staff/aml-alerts/${largeAlert.id}/close`, {
      outcome: 'escalated',
      notes: staffTexts.closing,
    });

    // The escalation opened Kari's case: worked through the case routes (all her alerts in it, assigned,
    // investigating, a note), with its timeline, and two STRs: a draft and a filed one.
    const officerId = await staffIdOf('officer@drop.no');
    const leadId = await staffIdOf('lead@drop.no');
    const caseId: string = escalated.caseId;
    assert.match(caseId, /^case_/);
    await db.pool.query('UPDATE aml_cases SET title = $2 WHERE id = $1', [caseId, staffTexts.caseTitle]);
    for (const alert of alerts.rows.filter((row) => row.id !== largeAlert.id)) {
      await staffPost(officer, `/api/staff/cases/${caseId}/alerts`, { alertId: alert.id });
    }
    await staffPost(officer, `/api/staff/cases/${caseId}/assign`, {});
    await staffPost(officer, `/api/staff/cases/${caseId}/status`, { status: 'investigating' });
    await staffPost(officer, `/api/staff/cases/${caseId}/note`, { text: staffTexts.caseNote });
    const details = JSON.stringify({ grounds: staffTexts.grounds, transfers: [listed.id, large.id], persons: ['Kari Nordmann'] });
    await db.pool.query(
      `INSERT INTO str_reports (user_id, transaction_id, report_type, details, status, drafted_by, case_id)
       VALUES ($1, $2, 'str', $3, 'draft', $4, $5)`,
      [kari.userId, large.id, details, officerId, caseId],
    );
    await db.pool.query(
      `INSERT INTO str_reports (user_id, transaction_id, report_type, details, status, drafted_by, approved_by, case_id,
                                submitted_at, approved_at, filed_at, filed_by, filing_reference, mfa_notified_at, decision_note)
       VALUES ($1, $2, 'str', $3, 'filed', $4, $5, $6, now(), now(), now(), $5, $7, now(), $8)`,
      [kari.userId, listed.id, details, officerId, leadId, caseId, `AR-${marker}-0002`, `Approved ${marker}-decision`],
    );
    await db.pool.query(`INSERT INTO aml_case_events (case_id, kind, actor, text) VALUES ($1, 'str_filed', $2, $3)`, [
      caseId,
      leadId,
      `Filed with Økokrim ${marker}-filed`,
    ]);

    // The stop's refund leaves Drop: the refunded email.
    const refunded = await fetch(`${base}/api/staff/transfers/${stopped.id}/refund-paid`, {
      method: 'POST',
      headers: { cookie: finance, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ note: staffTexts.refundNote }),
    });
    assert.equal(refunded.status, 200, await refunded.clone().text());
    await waitUntil(async () => (await statusOf(stopped.id)) === 'refunded', 20_000, 'the stopped transfer to be refunded');
    // The emails the worker sends after each change: all of them, before anything is searched.
    await waitUntil(
      async () => (await db.pool.query(`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier LIKE 'emails:%'`)).rowCount === 0,
      30_000,
      'the queued emails to be sent',
    );
  });
  after(() => stopDropOnFreePort({ db, drop }));

  /** Everything that names Kari's AML work: its ids, rules, lists and texts, read from the database. */
  async function plantedTraces(): Promise<string[]> {
    const ids = await db.pool.query<{ value: string }>(
      `SELECT id AS value FROM aml_alerts WHERE user_id = $1
       UNION ALL SELECT id FROM aml_cases WHERE user_id = $1
       UNION ALL SELECT id::text FROM str_reports WHERE user_id = $1
       UNION ALL SELECT reference FROM str_reports WHERE user_id = $1
       UNION ALL SELECT filing_reference FROM str_reports WHERE user_id = $1 AND filing_reference IS NOT NULL
       UNION ALL SELECT id FROM four_eyes_requests
       UNION ALL SELECT id FROM screening_matches WHERE user_id = $1
       UNION ALL SELECT code FROM aml_rules
       UNION ALL SELECT DISTINCT list FROM screening_matches WHERE user_id = $1
       UNION ALL SELECT aml_frozen_reason FROM users WHERE id = $1 AND aml_frozen_reason IS NOT NULL
       UNION ALL SELECT edd_reason FROM users WHERE id = $1 AND edd_reason IS NOT NULL
       UNION ALL SELECT reason FROM customer_refunds r JOIN transactions t ON t.id = r.transaction_id WHERE t.user_id = $1
       UNION ALL SELECT reviewer_notes FROM aml_alerts WHERE user_id = $1 AND reviewer_notes IS NOT NULL
       UNION ALL SELECT DISTINCT e.reason FROM transfer_events e JOIN transactions t ON t.id = e.transaction_id
                  WHERE t.user_id = $1 AND e.actor <> $1 AND (e.reason LIKE 'AML%' OR e.reason LIKE '%blocked%' OR e.reason LIKE '%: %')`,
      [kari.userId],
    );
    const planted = [
      ...new Set([...ids.rows.map((row) => row.value), ...Object.values(staffTexts), marker, 'sanctions_match', 'pep_match']),
    ];
    assert.ok(planted.some((value) => value.startsWith('alert_')));
    assert.ok(planted.some((value) => value.startsWith('case_')));
    assert.ok(planted.some((value) => value.startsWith('DROP-STR-')));
    assert.ok(planted.some((value) => value.startsWith('fer_')));
    return planted;
  }

  it('finds planted traces where staff may see them (the search works)', async () => {
    const planted = await plantedTraces();
    const alertId = commentedAlertId;
    const staffView = await (await get(`/api/staff/aml-alerts/${alertId}`, officer)).text();
    const hits = tracesIn(staffView, planted);
    assert.ok(
      hits.some((hit) => hit.includes(alertId)),
      `the staff view names the alert (${hits.length} hits)`,
    );
    assert.ok(
      hits.some((hit) => hit.includes(`${marker}-comment`)),
      `the staff view shows the comment (${hits.join('; ')})`,
    );
    assert.ok(hits.some((hit) => hit.startsWith('word "sanction')));
    assert.deepEqual(tracesIn('{"reference":"DROP-STR-000001","note":"Reported to Økokrim"}', []).length, 2);
    assert.deepEqual(tracesIn('Your transfer is held for a check. Dette er ikke en sak for oss.', []), []);
  });

  it('shows no trace in any customer-facing GET route', async () => {
    const planted = await plantedTraces();
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const all = Object.keys(spec.paths);
    const customerGets = Object.entries(spec.paths)
      .filter(([path, methods]) => 'get' in methods && path.startsWith('/api/') && !path.startsWith('/api/staff/'))
      .map(([path]) => path);
    // A route left out of the document (schema.hide) is still a route: every GET the server has
    // under /api/ must be in the crawl, but for the staff's, the document itself and its viewer.
    const registered = registeredGetRoutes(drop.app.printRoutes({ commonPrefix: false, method: 'GET' }))
      .filter((path) => path.startsWith('/api/') && !path.startsWith('/api/staff/') && !path.startsWith('/api/docs'))
      .filter((path) => path !== '/api/openapi.json')
      .map((path) => path.replace(/:(\w+)/g, '{$1}'));
    assert.ok(registered.includes('/api/transfers/{id}/receipt.pdf'), `the route table is read (${registered.join(', ')})`);
    assert.deepEqual(
      registered.filter((path) => !customerGets.includes(path)),
      [],
      'every customer GET route the server has is crawled',
    );
    // Outside /api/ only the local stand-ins for third parties (never in production) are documented.
    assert.deepEqual(
      all.filter((path) => !path.startsWith('/api/') && !SIMULATOR_PREFIXES.some((prefix) => path.startsWith(prefix))),
      [],
      'every documented path is the API or a simulator',
    );
    for (const expected of [
      '/api/me',
      '/api/kyc',
      '/api/transfers',
      '/api/transfers/{id}',
      '/api/transfers/{id}/receipt.pdf',
      '/api/user/data-export',
    ]) {
      assert.ok(customerGets.includes(expected), `${expected} is crawled (found: ${customerGets.join(', ')})`);
    }

    const transfers = (await (await get('/api/transfers')).json()).data as Array<{ id: string; quoteId: string }>;
    assert.equal(transfers.length, 5);
    /** The values a path's parameters take for Kari: every one of her transfers and quotes. */
    const parameterValues: Record<string, string[]> = {
      '/api/transfers/{id}': transfers.map((t) => t.id),
      '/api/transfers/{id}/receipt.pdf': transfers.map((t) => t.id),
      '/api/quotes/{id}': transfers.map((t) => t.quoteId),
    };
    /** The query a path needs to answer 200 (the public price preview: a destination and an amount). */
    const queries: Record<string, string> = { '/api/quotes/preview': '?country=DE&currency=EUR&sendAmount=1000' };
    const answeredOk = new Set<string>();
    for (const path of customerGets) {
      const urls = path.includes('{')
        ? (parameterValues[path] ?? assert.fail(`${path} is a customer GET route the crawl does not know how to fill: add its values`)).map(
            (value) => path.replace(/\{[^}]+\}/, value),
          )
        : [`${path}${queries[path] ?? ''}`];
      for (const url of path.endsWith('receipt.pdf') ? urls.flatMap((u) => [`${u}?lang=nb`, `${u}?lang=en`]) : urls) {
        const response = await get(url);
        assert.ok(response.status < 500, `GET ${url}: ${response.status}`);
        if (response.status === 200) answeredOk.add(path);
        const body =
          response.headers.get('content-type') === 'application/pdf'
            ? (await extractText(await getDocumentProxy(new Uint8Array(await response.arrayBuffer())), { mergePages: true })).text
            : await response.text();
        answered.push({ what: `GET ${url} (${response.status})`, body });
      }
    }
    // Every customer route was reached with something to show, except BankID's callback, which
    // without BankID's code answers a redirect to the sign-in page (and was searched as well).
    assert.deepEqual(
      customerGets.filter((path) => !answeredOk.has(path) && path !== '/api/auth/bankid/callback'),
      [],
      'every customer GET route answered 200 at least once',
    );

    const leaks = answered.flatMap(({ what, body }) => tracesIn(body, planted).map((hit) => `${what}: ${hit}`));
    assert.deepEqual(leaks, [], 'the customer sees no AML work');
    // Kari's held transfers are shown as held, nothing more.
    const held = transfers.filter((t) =>
      answered.some(({ what, body }) => what === `GET /api/transfers/${t.id} (200)` && body.includes('"status":"held"')),
    );
    assert.equal(held.length, 3, 'the listed recipient’s transfer, the one the freeze held and the one made while frozen');
  });

  it('exports all of Kari’s data, recorded as the runbook expects, and nothing of the AML work', async () => {
    const planted = await plantedTraces();
    // Another customer's data, which must not be in Kari's export.
    const ola = await verifiedCustomer(base, db.pool, 'ola');
    const olas = await transferAs(ola, '700');
    const response = await get('/api/user/data-export');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="drop-data-export-\d{4}-\d{2}-\d{2}\.json"$/);
    const text = await response.text();
    assert.deepEqual(tracesIn(text, planted), []);
    for (const other of [ola.userId, olas.id, ola.email]) assert.ok(!text.includes(other), `nothing of Ola's (${other})`);
    const exported = JSON.parse(text).data;
    assert.equal(exported.profile.id, kari.userId);
    assert.equal(exported.profile.sourceOfFunds, 'Salary and savings from my job as a nurse');
    assert.equal(exported.kyc.status, 'approved');
    assert.equal(exported.transfers.length, 5);
    assert.ok(exported.transfers.every((t: { timeline: unknown[] }) => t.timeline.length >= 1));
    assert.equal(exported.quotes.length, 5);
    assert.equal(exported.recipients.length, 5);
    assert.ok(exported.sessions.length >= 1);
    assert.equal(exported.payments.length, 2, 'the two pay-ins');
    assert.deepEqual(
      exported.refunds.map((r: { state: string; amount: { amount: string } }) => [r.state, r.amount.amount]),
      [['sent', '1200.00']],
    );
    // The runbook's query shows the export as a completed request.
    const rows = (await db.pool.query(`SELECT * FROM data_access_requests WHERE user_id = '${kari.userId}' ORDER BY created_at DESC;`))
      .rows;
    assert.equal(rows[0]?.id, exported.requestId);
    assert.equal(rows[0]?.type, 'export');
    assert.equal(rows[0]?.status, 'completed');
    assert.ok(rows[0]?.completed_at instanceof Date);
    // The ZIP export: its data.json and the text of every receipt in it show no trace either.
    const zipped = await get('/api/user/data-export?format=zip');
    assert.equal(zipped.status, 200);
    const files = unzipSync(new Uint8Array(await zipped.arrayBuffer()));
    const receipts = Object.keys(files).filter((name) => name.startsWith('receipts/'));
    assert.equal(receipts.length, 1, 'the paid-out transfer’s receipt');
    assert.deepEqual(tracesIn(new TextDecoder().decode(files['data.json']), planted), []);
    for (const name of receipts) {
      const pdfText = (await extractText(await getDocumentProxy(files[name] as Uint8Array), { mergePages: true })).text;
      assert.deepEqual(tracesIn(pdfText, planted), [], name);
    }
    // Someone signed out gets nothing, and nothing is recorded for them.
    assert.equal((await fetch(`${base}/api/user/data-export`)).status, 401);
  });

  it('limits exports per customer', async () => {
    const before_ = (await db.pool.query('SELECT count(*)::int AS n FROM data_access_requests WHERE user_id = $1', [kari.userId])).rows[0]
      .n;
    const statuses: number[] = [];
    for (let i = 0; i < DATA_EXPORTS_PER_HOUR; i++) statuses.push((await get('/api/user/data-export')).status);
    assert.ok(statuses.includes(429), `the limit is reached within ${DATA_EXPORTS_PER_HOUR} more (${statuses.join(', ')})`);
    const after_ = (await db.pool.query('SELECT count(*)::int AS n FROM data_access_requests WHERE user_id = $1', [kari.userId])).rows[0].n;
    assert.equal(after_ - before_, statuses.filter((status) => status === 200).length, 'a refused export records nothing');
    // Another customer has their own allowance.
    const ola = await verifiedCustomer(base, db.pool, 'ola');
    assert.equal((await get('/api/user/data-export', ola.cookie)).status, 200);
  });

  it('sends emails that show no trace', async () => {
    const planted = await plantedTraces();
    const capture = drop.mailCapture;
    assert.ok(capture, 'the test server captures mail');
    const mails = capture.messages().filter((mail) => mail.to.includes(kari.email));
    const kinds = mails.map((mail) => mail.subject);
    assert.ok(mails.length >= 3, `funds received, paid out and refunded (got: ${kinds.join(' | ')})`);
    const leaks = mails.flatMap((mail) =>
      tracesIn(`${mail.subject}\n${mail.text}\n${mail.html}`, planted).map((hit) => `email "${mail.subject}": ${hit}`),
    );
    assert.deepEqual(leaks, []);
  });
});
