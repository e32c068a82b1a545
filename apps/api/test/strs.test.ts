/**
 * STRs over HTTP: an officer drafts one from a case (the case row written in SQL) with the
 * customer's transfer, edits and submits it; their own approval is 403 FOUR_EYES_REQUIRED and
 * changes nothing; a lead approves and files it, and the row is what the runbook's INSERT writes.
 * Bad input is 400 with nothing stored; support gets 403; a transfer outside the case is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedSanctionsAlert } from '../../../test/support/aml-alerts.ts';
import { transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { goamlSchemaErrors } from '../../../test/support/goaml-validate.ts';
import { alertInCase, openCase } from '../../../test/support/str-cases.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('STRs over HTTP', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let officer: string;
  let lead: string;
  let support: string;
  let officerId: string;
  let leadId: string;
  const send = (method: string, cookie: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const post = (cookie: string, path: string, body?: unknown) => send('POST', cookie, path, body);
  const get = (cookie: string, path: string) => fetch(`${base}${path}`, { headers: { cookie } });
  const count = async () => (await db.pool.query('SELECT count(*)::int AS count FROM str_reports')).rows[0].count as number;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    officer = await signInStaff(base, db.pool, 'compliance_officer');
    lead = await signInStaff(base, db.pool, 'compliance_lead');
    support = await signInStaff(base, db.pool, 'support');
    const idOf = async (email: string) => (await db.pool.query('SELECT id FROM staff WHERE email = $1', [email])).rows[0].id as string;
    officerId = await idOf('compliance_officer@drop.no');
    leadId = await idOf('compliance_lead@drop.no');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('drafts, edits and submits; the drafter’s own approval is refused; a lead approves and files as the runbook does', async () => {
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    const first = await transferAs(kari, '20000');
    const second = await transferAs(kari, '30000');
    const caseId = await openCase(db.pool, { userId: kari.userId, openedBy: officerId });
    await alertInCase(db.pool, { caseId, userId: kari.userId, rule: 'large_transfer', transactionId: first.id });

    const context = (await (await get(officer, `/api/staff/strs/draft-context?caseId=${caseId}`)).json()).data;
    assert.deepEqual(context.indicators, ['large_transfer']);
    assert.deepEqual(
      context.transfers.map((transfer: { id: string; flagged: boolean }) => [transfer.id, transfer.flagged]),
      [
        [second.id, false],
        [first.id, true],
      ],
    );

    const drafted = await post(officer, '/api/staff/strs', {
      caseId,
      grounds: 'Two transfers of NOK 50 000 in all to Germany within a day; the customer declared a student income.',
      transactionIds: [first.id],
    });
    assert.equal(drafted.status, 201, await drafted.clone().text());
    const str = (await drafted.json()).data;
    assert.equal(str.status, 'draft');
    assert.equal(str.document.persons[0].customerId, kari.userId);
    assert.match(str.document.persons[0].nationalId, /^\d{11}$/, 'the fødselsnummer BankID gave, opened for the report');
    assert.equal(str.document.transactions[0].id, first.id);

    assert.equal((await send('PUT', lead, `/api/staff/strs/${str.id}`, { grounds: 'x', transactionIds: [] })).status, 403);
    const edited = await send('PUT', officer, `/api/staff/strs/${str.id}`, {
      grounds: str.document.grounds,
      transactionIds: [first.id, second.id],
    });
    assert.equal(edited.status, 200, await edited.clone().text());
    assert.equal((await edited.json()).data.amountNok, '50000.00');

    assert.equal((await post(officer, `/api/staff/strs/${str.id}/submit`)).status, 200);
    assert.equal((await send('PUT', officer, `/api/staff/strs/${str.id}`, { grounds: 'later', transactionIds: [] })).status, 409);

    // The drafter is a compliance officer here; a drafter with str_approve is refused the same way (see core's test).
    const ownAsOfficer = await post(officer, `/api/staff/strs/${str.id}/approve`, {});
    assert.equal(ownAsOfficer.status, 403);
    assert.equal((await ownAsOfficer.json()).code, 'FORBIDDEN');

    const waiting = (await (await get(lead, '/api/staff/strs?awaitingMyApproval=true')).json()).data;
    assert.deepEqual(
      waiting.map((summary: { id: string }) => summary.id),
      [str.id],
    );
    assert.deepEqual((await (await get(officer, '/api/staff/strs?awaitingMyApproval=true')).json()).data, []);

    // Not exported before a second person approved it.
    const early = await get(officer, `/api/staff/strs/${str.id}/export?format=goaml`);
    assert.equal(early.status, 409);
    assert.equal((await early.json()).code, 'CONFLICT');

    const approved = await post(lead, `/api/staff/strs/${str.id}/approve`, { note: 'Clear grounds' });
    assert.equal(approved.status, 200, await approved.clone().text());
    assert.equal((await approved.json()).data.approvedBy.id, leadId);
    assert.equal((await post(officer, `/api/staff/strs/${str.id}/file`, {})).status, 403);
    const filed = await post(lead, `/api/staff/strs/${str.id}/file`, { filingReference: 'AR-2026-0042' });
    assert.equal(filed.status, 200, await filed.clone().text());
    assert.equal((await filed.json()).data.status, 'filed');
    assert.equal((await post(lead, `/api/staff/strs/${str.id}/file`, {})).status, 409);

    const { rows } = await db.pool.query(
      `SELECT report_type, status, filed_at, details ->> 'reason' AS reason, details -> 'amount' AS amount, transaction_id, filed_by, filing_reference
         FROM str_reports WHERE id = $1`,
      [str.id],
    );
    assert.equal(rows[0].status, 'filed');
    assert.ok(rows[0].filed_at instanceof Date);
    assert.equal(rows[0].report_type, 'suspicious_transaction');
    assert.equal(rows[0].amount, 50000);
    assert.match(rows[0].reason, /student income/);
    assert.equal(rows[0].transaction_id, first.id);
    assert.equal(rows[0].filed_by, leadId);
    assert.equal(rows[0].filing_reference, 'AR-2026-0042');

    // The filed STR as goAML XML (valid against the 5.0.1 schema) and as the Altinn MT-0002 content.
    const goaml = await get(officer, `/api/staff/strs/${str.id}/export?format=goaml`);
    assert.equal(goaml.status, 200, await goaml.clone().text());
    assert.match(goaml.headers.get('content-type') ?? '', /xml/);
    assert.match(goaml.headers.get('content-disposition') ?? '', /^attachment; filename="DROP-STR-\d{6}-goaml\.xml"$/);
    const xml = await goaml.text();
    assert.deepEqual(await goamlSchemaErrors(xml), []);
    assert.match(xml, /<rentity_id>1000<\/rentity_id>/);
    assert.match(xml, new RegExp(first.id));
    const altinn = await get(officer, `/api/staff/strs/${str.id}/export?format=altinn`);
    assert.equal(altinn.status, 200);
    assert.match(altinn.headers.get('content-disposition') ?? '', /altinn-mt0002\.json"$/);
    assert.match(JSON.stringify(await altinn.json()), /student income/);
    const mfa = await get(officer, `/api/staff/strs/${str.id}/export?format=mfa`);
    assert.equal(mfa.status, 409);
    assert.equal((await mfa.json()).code, 'STR_EXPORT_NOT_APPLICABLE');
    assert.equal((await get(officer, `/api/staff/strs/${str.id}/export?format=pdf`)).status, 400);
    assert.equal((await get(support, `/api/staff/strs/${str.id}/export?format=goaml`)).status, 403);
    const exported = await db.pool.query(
      `SELECT actor, details ->> 'format' AS format FROM audit_log WHERE action = 'str_exported' AND resource_id = $1 ORDER BY seq`,
      [str.id],
    );
    assert.deepEqual(exported.rows, [
      { actor: officerId, format: 'goaml' },
      { actor: officerId, format: 'altinn' },
    ]);

    const shown = (await (await get(officer, `/api/staff/strs/${str.id}`)).json()).data;
    assert.deepEqual(
      shown.history.map((event: { kind: string }) => event.kind),
      ['str_drafted', 'str_submitted', 'str_approved', 'str_filed'],
    );
    const filedList = (await (await get(officer, '/api/staff/strs?status=filed')).json()).data;
    assert.ok(filedList.some((summary: { id: string }) => summary.id === str.id));
  });

  it('refuses self-approval by a lead who drafted, with 403 FOUR_EYES_REQUIRED, and nothing changes', async () => {
    const ola = await verifiedCustomer(base, db.pool, 'ola');
    const transfer = await transferAs(ola, '15000');
    const caseId = await openCase(db.pool, { userId: ola.userId, openedBy: leadId });
    await alertInCase(db.pool, { caseId, userId: ola.userId, rule: 'velocity' });
    const str = (
      await (await post(lead, '/api/staff/strs', { caseId, grounds: 'Drafted by the lead', transactionIds: [transfer.id] })).json()
    ).data;
    assert.equal((await post(lead, `/api/staff/strs/${str.id}/submit`)).status, 200);
    const own = await post(lead, `/api/staff/strs/${str.id}/approve`, {});
    assert.equal(own.status, 403);
    assert.equal((await own.json()).code, 'FOUR_EYES_REQUIRED');
    const ownReturn = await post(lead, `/api/staff/strs/${str.id}/return`, { note: 'mine' });
    assert.equal((await ownReturn.json()).code, 'FOUR_EYES_REQUIRED');
    const ownReject = await post(lead, `/api/staff/strs/${str.id}/reject`, { reason: 'mine' });
    assert.equal(ownReject.status, 403);
    assert.equal((await ownReject.json()).code, 'FOUR_EYES_REQUIRED');
    const { rows } = await db.pool.query('SELECT status, approved_by FROM str_reports WHERE id = $1', [str.id]);
    assert.deepEqual(rows[0], { status: 'awaiting_approval', approved_by: null });
  });

  it('a lead rejects an STR awaiting approval with a reason: final, in the case history and the audit log; its case can close', async () => {
    // A customer of their own (one open case per customer): an activity report, no transfer needed.
    const pep = await verifiedCustomer(base, db.pool, 'pep');
    const caseId = await openCase(db.pool, { userId: pep.userId, openedBy: officerId });
    await alertInCase(db.pool, { caseId, userId: pep.userId, rule: 'velocity' });
    const str = (await (await post(officer, '/api/staff/strs', { caseId, grounds: 'Many small transfers', transactionIds: [] })).json())
      .data;
    // Only an STR awaiting approval is rejected: a draft is the drafter's still.
    const early = await post(lead, `/api/staff/strs/${str.id}/reject`, { reason: 'Too early' });
    assert.equal(early.status, 409);
    assert.equal((await early.json()).code, 'CONFLICT');
    assert.equal((await post(officer, `/api/staff/strs/${str.id}/submit`)).status, 200);

    const byOfficer = await post(officer, `/api/staff/strs/${str.id}/reject`, { reason: 'Mine' });
    assert.equal(byOfficer.status, 403, 'rejecting is a lead’s decision (str_approve)');
    const noReason = await post(lead, `/api/staff/strs/${str.id}/reject`, { reason: '   ' });
    assert.equal(noReason.status, 400);
    assert.equal((await noReason.json()).code, 'VALIDATION_FAILED');
    assert.equal((await db.pool.query('SELECT status FROM str_reports WHERE id = $1', [str.id])).rows[0].status, 'awaiting_approval');

    const rejected = await post(lead, `/api/staff/strs/${str.id}/reject`, { reason: 'The customer documented the salary payment' });
    assert.equal(rejected.status, 200, await rejected.clone().text());
    const detail = (await rejected.json()).data;
    assert.deepEqual(
      [detail.status, detail.decisionNote, detail.rejectedBy?.id, typeof detail.rejectedAt, detail.filedAt],
      ['rejected', 'The customer documented the salary payment', leadId, 'string', null],
    );
    assert.deepEqual(
      detail.history.map((step: { kind: string }) => step.kind),
      ['str_drafted', 'str_submitted', 'str_rejected'],
    );
    const audit = await db.pool.query(`SELECT actor FROM audit_log WHERE action = 'str_rejected' AND resource_id = $1`, [str.id]);
    assert.deepEqual(audit.rows, [{ actor: leadId }]);

    // Final: no second decision, no approval, no filing.
    for (const step of ['reject', 'approve', 'file', 'return']) {
      const late = await post(lead, `/api/staff/strs/${str.id}/${step}`, step === 'reject' ? { reason: 'again' } : { note: 'late' });
      assert.equal(late.status, 409, step);
    }
    const closed = await post(lead, `/api/staff/cases/${caseId}/close`, { outcome: 'no_suspicion', notes: 'The STR was rejected' });
    assert.equal(closed.status, 200, await closed.clone().text());
  });

  it('the database refuses a rejection in psql without a second person', async () => {
    const ola = await verifiedCustomer(base, db.pool, 'ola');
    const str = (
      await db.pool.query(
        `INSERT INTO str_reports (user_id, report_type, status, drafted_by) VALUES ($1, 'suspicious_activity', 'awaiting_approval', $2) RETURNING id`,
        [ola.userId, officerId],
      )
    ).rows[0];
    await assert.rejects(db.pool.query(`UPDATE str_reports SET status = 'rejected' WHERE id = $1`, [str.id]), /FOUR_EYES_REQUIRED/);
    await assert.rejects(
      db.pool.query(`UPDATE str_reports SET status = 'rejected', rejected_by = drafted_by WHERE id = $1`, [str.id]),
      /FOUR_EYES_REQUIRED/,
    );
    await db.pool.query(`UPDATE str_reports SET status = 'rejected', rejected_by = $2 WHERE id = $1`, [str.id, leadId]);
    const { rows } = await db.pool.query('SELECT status, rejected_by, rejected_at IS NOT NULL AS stamped FROM str_reports WHERE id = $1', [
      str.id,
    ]);
    assert.deepEqual(rows[0], { status: 'rejected', rejected_by: leadId, stamped: true });
  });

  it('answers bad input with 400 and stores nothing; support gets 403', async () => {
    const elderly = await verifiedCustomer(base, db.pool, 'elderly');
    const theirs = await transferAs(await verifiedCustomer(base, db.pool, 'ola'), '1000');
    const caseId = await openCase(db.pool, { userId: elderly.userId, openedBy: officerId });
    const before = await count();
    const empty = await post(officer, '/api/staff/strs', { caseId, grounds: '   ', transactionIds: [] });
    assert.equal(empty.status, 400);
    assert.equal((await empty.json()).code, 'VALIDATION_FAILED');
    const outside = await post(officer, '/api/staff/strs', { caseId, grounds: 'Someone else’s transfer', transactionIds: [theirs.id] });
    assert.equal(outside.status, 400);
    assert.deepEqual((await outside.json()).details, { transactionIds: [theirs.id] });
    const badFnr = await post(officer, '/api/staff/strs', {
      caseId,
      grounds: 'A connected person',
      transactionIds: [],
      connectedPersons: [{ firstName: 'Per', lastName: 'Hansen', nationalId: '12345678901' }],
    });
    assert.equal(badFnr.status, 400);
    assert.equal((await post(officer, '/api/staff/strs', { caseId: 'case_nope', grounds: 'x', transactionIds: [] })).status, 400);
    assert.equal((await get(officer, '/api/staff/strs/not-a-uuid')).status, 400);
    assert.equal((await get(officer, '/api/staff/strs/00000000-0000-4000-8000-000000000000')).status, 404);
    assert.equal((await get(support, '/api/staff/strs')).status, 403);
    assert.equal((await post(support, '/api/staff/strs', { caseId, grounds: 'x', transactionIds: [] })).status, 403);
    assert.equal(await count(), before);

    const activity = await post(officer, '/api/staff/strs', { caseId, grounds: 'Activity without a transfer', transactionIds: [] });
    assert.equal(activity.status, 201);
    const str = (await activity.json()).data;
    assert.equal(str.reportType, 'suspicious_activity');
    const notSanctions = await post(officer, `/api/staff/strs/${str.id}/mfa-notified`);
    assert.equal(notSanctions.status, 400);
  });

  it('for a sanctions hit: names the list record, records that UD was notified, and exports the notice to UD', async () => {
    const sanctioned = await verifiedCustomer(base, db.pool, 'sanctioned');
    const transfer = await transferAs(sanctioned, '9000');
    const caseId = await openCase(db.pool, { userId: sanctioned.userId, openedBy: officerId, title: 'Sanctions list match' });
    const { alertId } = await seedSanctionsAlert(db.pool, { userId: sanctioned.userId, transactionId: transfer.id });
    await db.pool.query('UPDATE aml_alerts SET case_id = $2 WHERE id = $1', [alertId, caseId]);

    const drafted = await post(officer, '/api/staff/strs', {
      caseId,
      grounds: 'The customer’s name and birth date match a person on OFAC’s SDN list; the transfer is held.',
      transactionIds: [transfer.id],
      actionTaken: 'Transfer held, customer frozen',
    });
    assert.equal(drafted.status, 201, await drafted.clone().text());
    const str = (await drafted.json()).data;
    assert.equal(str.sanctionsHit, true);
    assert.deepEqual(str.document.sanctionsMatches, [
      {
        list: 'ofac-sdn',
        recordKey: '36100',
        listedName: 'Vladimir Vladimirovich PUTIN',
        matchedName: 'Vladimir Vladimirovitsj Putin',
        programmes: ['RUSSIA-EO14024'],
        listedOn: '2022-02-25',
      },
    ]);
    const notified = await post(officer, `/api/staff/strs/${str.id}/mfa-notified`);
    assert.equal(notified.status, 200);
    assert.ok((await notified.json()).data.document.mfaNotifiedAt);
    assert.equal((await post(officer, `/api/staff/strs/${str.id}/mfa-notified`)).status, 409);
    assert.equal((await post(officer, `/api/staff/strs/${str.id}/submit`)).status, 200);
    assert.equal((await post(lead, `/api/staff/strs/${str.id}/approve`, {})).status, 200);

    const notice = await get(lead, `/api/staff/strs/${str.id}/export?format=mfa`);
    assert.equal(notice.status, 200, await notice.clone().text());
    assert.match(notice.headers.get('content-disposition') ?? '', /^attachment; filename="DROP-UD-\d{6}-varsel-til-ud\.txt"$/);
    const text = await notice.text();
    assert.match(text, /Vladimir Vladimirovich PUTIN/);
    assert.doesNotMatch(text, /STR|Økokrim|ØKOKRIM/, 'the notice to UD does not reveal the report to the FIU');
    const goaml = await get(lead, `/api/staff/strs/${str.id}/export?format=goaml`);
    assert.equal(goaml.status, 200);
    assert.deepEqual(await goamlSchemaErrors(await goaml.text()), []);
  });
});
