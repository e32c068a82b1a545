/**
 * The STR workflow against a real PostgreSQL: drafting builds the document from the customer's and
 * the transfers' own rows (the fødselsnummer opened from its sealed column, and sealed again in the
 * STR), a transfer outside the case is refused, the drafter can never approve (here and in a
 * psql-style UPDATE), a lead approves and files, and the filed row is what the runbook's INSERT
 * writes (status 'filed', filed_at, details.reason and details.amount). A filed STR never changes;
 * the runbook's INSERT still works.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { fixedRates, type MadeTransfer, makeTransfer, verifiedCustomer } from '../../../../../test/support/money.ts';
import { DEV_DATA_KEY, enrolStaff } from '../../../../../test/support/staff.ts';
import { alertInCase, openCase } from '../../../../../test/support/str-cases.ts';
import { DomainError } from '../../errors.ts';
import { createNationalIdProtector } from '../../identity/national-id.ts';
import type { KidFormat } from '../../payments/kid.ts';
import { SequenceKidAllocator } from '../../payments/kid-allocator.ts';
import { approveStr } from './approve-str.ts';
import { buildStrReporter } from './build-str-reporter.ts';
import { draftStr } from './draft-str.ts';
import { editStr } from './edit-str.ts';
import { fileStr } from './file-str.ts';
import { getStr } from './get-str.ts';
import { listStrs } from './list-strs.ts';
import { recordStrMfaNotified } from './record-str-mfa-notified.ts';
import { returnStr } from './return-str.ts';
import { submitStr } from './submit-str.ts';

const KID_FORMAT: KidFormat = { method: 'MOD10', length: 12 };
const rates = fixedRates({ EUR: '11.7035' });
const kids = new SequenceKidAllocator(KID_FORMAT);
const nationalIds = createNationalIdProtector(DEV_DATA_KEY);
/** A synthetic fødselsnummer with valid control digits (Skatteetaten's test range). */
const KARI_FNR = '01129955131';
const PER_FNR = '15058510170';

const isCode = (code: string) => (error: unknown) => error instanceof DomainError && error.code === code;
/** The database's own refusal (SQLSTATE DR001 with the code as the message), as psql shows it. */
const isDatabaseCode = (code: string) => (error: unknown) =>
  (error as { code?: string; message?: string }).code === 'DR001' && (error as { message?: string }).message === code;

describe('STR workflow', () => {
  let db: TestDatabase;
  let officer: string;
  let lead: string;
  let kari: { userId: string; recipientId: string };
  let caseId: string;
  let transfers: MadeTransfer[];

  const staffId = async (email: string) => (await db.pool.query('SELECT id FROM staff WHERE email = $1', [email])).rows[0].id as string;
  const row = async (id: string) => (await db.pool.query('SELECT * FROM str_reports WHERE id = $1', [id])).rows[0];
  const caseEvents = async (id: string) =>
    (await db.pool.query(`SELECT kind, actor, text FROM aml_case_events WHERE case_id = $1 ORDER BY id`, [id])).rows;
  const auditActions = async (strId: string) =>
    (
      await db.pool.query(`SELECT action, actor FROM audit_log WHERE resource_type = 'str_report' AND resource_id = $1 ORDER BY seq`, [
        strId,
      ])
    ).rows;

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_str_workflow' });
    await enrolStaff(db.pool, { email: 'officer@drop.no', role: 'compliance_officer' });
    await enrolStaff(db.pool, { email: 'lead@drop.no', role: 'compliance_lead' });
    officer = await staffId('officer@drop.no');
    lead = await staffId('lead@drop.no');
    await rates.refresh();
    kari = await verifiedCustomer(db.pool, 2);
    await db.pool.query(
      `UPDATE users SET given_name = 'Kari', family_name = 'Nordmann', birth_date = '1999-12-01', email = 'kari@example.no',
              national_id_ciphertext = $2, national_id_hash = $3 WHERE id = $1`,
      [kari.userId, nationalIds.encrypt(KARI_FNR), nationalIds.lookupHash(KARI_FNR)],
    );
    transfers = [
      await makeTransfer(db.pool, { ...kari, nok: 50_000, rates, kids }),
      await makeTransfer(db.pool, { ...kari, nok: 1_234.5, rates, kids }),
    ];
    caseId = await openCase(db.pool, { userId: kari.userId, openedBy: officer });
    await alertInCase(db.pool, { caseId, userId: kari.userId, rule: 'large_transfer', transactionId: transfers[0]?.id ?? null });
  });
  after(async () => {
    await db?.drop();
  });

  it('drafts the document from the customer and transfer rows, with the national id sealed in the row', async () => {
    const [big, small] = transfers as [MadeTransfer, MadeTransfer];
    const str = await draftStr(db.pool, {
      caseId,
      actor: officer,
      nationalIds,
      content: {
        grounds: 'Kari Nordmann sent NOK 51 234.50 to Anna Schmidt in Germany in two days, far beyond her stated income.',
        transactionIds: [small.id, big.id],
        connectedPersons: [
          { firstName: 'Per', lastName: 'Hansen', nationalId: PER_FNR, note: 'Paid NOK 50 000 into her account the day before' },
        ],
        companies: [{ name: 'Hansen Import AS', orgNumber: '987654321', note: 'Per Hansen’s company' }],
      },
    });
    assert.equal(str.status, 'draft');
    assert.equal(str.reportType, 'suspicious_transaction');
    assert.match(str.reference, /^DROP-STR-\d{6}$/);
    assert.equal(str.amountNok, '51234.50');
    assert.deepEqual(str.draftedBy, { id: officer, name: 'compliance_officer person' });
    const document = str.document;
    assert.ok(document);
    assert.equal(document.reference, str.reference);
    assert.deepEqual(document.indicators, ['large_transfer']);
    assert.equal(document.sanctionsHit, false);
    assert.deepEqual(
      document.transactions.map((transfer) => [transfer.id, transfer.amountNok, transfer.destinationCountry, transfer.recipient.account]),
      [
        [big.id, '50000.00', 'DE', 'DE89370400440532013000'],
        [small.id, '1234.50', 'DE', 'DE89370400440532013000'],
      ],
    );
    assert.equal(document.transactions[0]?.foreign?.currency, 'EUR');
    assert.equal(document.transactions[0]?.sender.name, 'Kari Nordmann');
    const [subject, recipient, connected] = document.persons;
    assert.deepEqual(
      [subject?.role, subject?.customerId, subject?.firstName, subject?.lastName, subject?.birthDate, subject?.nationalId, subject?.email],
      ['subject', kari.userId, 'Kari', 'Nordmann', '1999-12-01', KARI_FNR, 'kari@example.no'],
    );
    assert.deepEqual([recipient?.role, recipient?.firstName, recipient?.lastName], ['connected', 'Anna', 'Schmidt']);
    // What the server writes into the document is for ØKOKRIM: bokmål.
    assert.match(recipient?.note ?? '', /^Mottaker av 2 rapporterte overføringer, konto DE89370400440532013000$/);
    assert.equal(subject?.note, 'Sakens kunde');
    assert.match(document.transactions[0]?.description ?? '', /^Pengeoverføring fra Norge til Anna Schmidt i DE, utbetalt /);
    assert.deepEqual([connected?.firstName, connected?.lastName, connected?.nationalId], ['Per', 'Hansen', PER_FNR]);
    // What the drafter wrote comes back for the edit form, the connected person's number opened again.
    assert.deepEqual(str.draftInput?.transactionIds, [small.id, big.id]);
    assert.deepEqual(
      str.draftInput?.connectedPersons?.map((person) => [person.firstName, person.nationalId]),
      [['Per', PER_FNR]],
    );
    assert.deepEqual(document.companies, [
      { name: 'Hansen Import AS', orgNumber: '987654321', country: null, address: null, note: 'Per Hansen’s company' },
    ]);

    const stored = await row(str.id);
    assert.equal(stored.status, 'draft');
    assert.equal(stored.case_id, caseId);
    assert.equal(stored.drafted_by, officer);
    assert.equal(stored.transaction_id, big.id);
    assert.equal(stored.report_type, 'suspicious_transaction');
    assert.equal(stored.details.reason, document.grounds);
    assert.equal(stored.details.amount, 51234.5);
    // The fødselsnummer is nowhere in the row in the clear (its images go to the audit log).
    assert.ok(!JSON.stringify(stored.details).includes(KARI_FNR));
    assert.ok(!JSON.stringify(stored.details).includes(PER_FNR));
    assert.equal(stored.details.document.persons[0].nationalId, null);
    assert.deepEqual(await caseEvents(caseId), [
      { kind: 'opened', actor: officer, text: null },
      { kind: 'str_drafted', actor: officer, text: str.reference },
    ]);
    assert.deepEqual(await auditActions(str.id), [{ action: 'str_drafted', actor: officer }]);
  });

  it('refuses a transfer of a customer who has no alerts in the case, and takes one who has', async () => {
    const other = await verifiedCustomer(db.pool, 1);
    const theirs = await makeTransfer(db.pool, { ...other, nok: 900, rates, kids });
    const draft = () =>
      draftStr(db.pool, { caseId, actor: officer, nationalIds, content: { grounds: 'Network', transactionIds: [theirs.id] } });
    await assert.rejects(
      draft(),
      (error) => isCode('VALIDATION_FAILED')(error) && Array.isArray((error as DomainError).details?.transactionIds),
    );
    await alertInCase(db.pool, { caseId, userId: other.userId, rule: 'shared_recipient' });
    const str = await draft();
    assert.deepEqual(
      str.document?.persons.filter((person) => person.role === 'subject').map((person) => person.customerId),
      [kari.userId, other.userId],
    );
    assert.deepEqual(str.document?.indicators, ['large_transfer', 'shared_recipient']);
  });

  it('never lets the drafter approve, in the use case or in psql; a lead approves and files it as the runbook does', async () => {
    const str = await draftStr(db.pool, {
      caseId,
      actor: officer,
      nationalIds,
      content: { grounds: 'Two large transfers without a plausible source of funds.', transactionIds: [transfers[0]?.id as string] },
    });
    await assert.rejects(submitStr(db.pool, { id: str.id, actor: lead, nationalIds }), isCode('FORBIDDEN'));
    await assert.rejects(approveStr(db.pool, { id: str.id, actor: lead, nationalIds }), isCode('CONFLICT'));
    const submitted = await submitStr(db.pool, { id: str.id, actor: officer, nationalIds });
    assert.equal(submitted.status, 'awaiting_approval');
    assert.ok(submitted.submittedAt);

    await assert.rejects(approveStr(db.pool, { id: str.id, actor: officer, nationalIds }), isCode('FOUR_EYES_REQUIRED'));
    await assert.rejects(
      db.pool.query(`UPDATE str_reports SET status = 'approved', approved_by = drafted_by WHERE id = $1`, [str.id]),
      isDatabaseCode('FOUR_EYES_REQUIRED'),
    );
    await assert.rejects(
      db.pool.query(`UPDATE str_reports SET status = 'approved' WHERE id = $1`, [str.id]),
      isDatabaseCode('FOUR_EYES_REQUIRED'),
    );
    // Submitted, the content is fixed: an edit is refused, by the use case and by the database.
    await assert.rejects(
      editStr(db.pool, { id: str.id, actor: officer, nationalIds, content: { grounds: 'changed', transactionIds: [] } }),
      isCode('CONFLICT'),
    );
    await assert.rejects(
      db.pool.query(`UPDATE str_reports SET details = details || '{"reason": "changed"}' WHERE id = $1`, [str.id]),
      isDatabaseCode('CONFLICT'),
    );
    assert.equal((await row(str.id)).status, 'awaiting_approval');

    const approved = await approveStr(db.pool, { id: str.id, actor: lead, note: 'Well documented', nationalIds });
    assert.equal(approved.status, 'approved');
    assert.equal(approved.approvedBy?.id, lead);
    assert.equal((await fileStr(db.pool, { id: str.id, actor: lead, nationalIds, filingReference: 'AR123' })).status, 'filed');
    await assert.rejects(fileStr(db.pool, { id: str.id, actor: lead, nationalIds }), isCode('CONFLICT'));

    const filed = await row(str.id);
    assert.equal(filed.status, 'filed');
    assert.ok(filed.filed_at instanceof Date);
    assert.equal(filed.filed_by, lead);
    assert.equal(filed.filing_reference, 'AR123');
    assert.equal(filed.approved_by, lead);
    assert.equal(filed.report_type, 'suspicious_transaction');
    assert.equal(filed.transaction_id, transfers[0]?.id);
    // What the runbook's STR query reads: details.reason (text) and details.amount (a number), as its INSERT writes them.
    assert.equal(typeof filed.details.reason, 'string');
    assert.equal(filed.details.amount, 50000);
    const runbook = (
      await db.pool.query(
        `SELECT report_type, status, filed_at, details ->> 'reason' AS reason, (details ->> 'amount')::numeric AS amount
           FROM str_reports WHERE transaction_id = $1 AND status = 'filed'`,
        [transfers[0]?.id],
      )
    ).rows;
    assert.equal(runbook.length, 1);
    assert.equal(runbook[0].amount, '50000');

    // Filed is final, whoever writes.
    await assert.rejects(
      db.pool.query(`UPDATE str_reports SET details = jsonb_set(details, '{amount}', '1') WHERE id = $1`, [str.id]),
      isDatabaseCode('CONFLICT'),
    );
    await assert.rejects(db.pool.query(`UPDATE str_reports SET status = 'draft' WHERE id = $1`, [str.id]), isDatabaseCode('CONFLICT'));

    assert.deepEqual(
      (await caseEvents(caseId))
        .filter((event) => event.kind !== 'opened')
        .slice(-4)
        .map((event) => [event.kind, event.actor]),
      [
        ['str_drafted', officer],
        ['str_submitted', officer],
        ['str_approved', lead],
        ['str_filed', lead],
      ],
    );
    assert.deepEqual(
      (await auditActions(str.id)).map((event) => [event.action, event.actor]),
      [
        ['str_drafted', officer],
        ['str_submitted', officer],
        ['str_approved', lead],
        ['str_filed', lead],
      ],
    );
    const detail = await getStr(db.pool, str.id, nationalIds);
    assert.deepEqual(
      detail.history.map((event) => event.kind),
      ['str_drafted', 'str_submitted', 'str_approved', 'str_filed'],
    );
    assert.equal(detail.filingReference, 'AR123');
  });

  it('returns a draft to its drafter with a note; the drafter edits and submits it again', async () => {
    const str = await draftStr(db.pool, { caseId, actor: officer, nationalIds, content: { grounds: 'Too short.', transactionIds: [] } });
    assert.equal(str.reportType, 'suspicious_activity');
    assert.equal((await row(str.id)).transaction_id, null);
    await submitStr(db.pool, { id: str.id, actor: officer, nationalIds });
    await assert.rejects(returnStr(db.pool, { id: str.id, actor: officer, note: 'mine', nationalIds }), isCode('FOUR_EYES_REQUIRED'));
    const returned = await returnStr(db.pool, { id: str.id, actor: lead, note: 'Name the transfers and the amounts.', nationalIds });
    assert.equal(returned.status, 'draft');
    assert.equal(returned.decisionNote, 'Name the transfers and the amounts.');
    assert.equal(returned.submittedAt, null);
    await assert.rejects(
      editStr(db.pool, { id: str.id, actor: lead, nationalIds, content: { grounds: 'x', transactionIds: [] } }),
      isCode('FORBIDDEN'),
    );
    const edited = await editStr(db.pool, {
      id: str.id,
      actor: officer,
      nationalIds,
      content: { grounds: 'NOK 50 000 to Germany on one day.', transactionIds: [transfers[0]?.id as string] },
    });
    assert.equal(edited.reportType, 'suspicious_transaction');
    assert.equal(edited.amountNok, '50000.00');
    assert.equal(edited.reference, str.reference);
    assert.equal((await submitStr(db.pool, { id: str.id, actor: officer, nationalIds })).status, 'awaiting_approval');
    assert.deepEqual(
      (await getStr(db.pool, str.id, nationalIds)).history.map((event) => event.kind),
      ['str_drafted', 'str_submitted', 'str_returned', 'str_submitted'],
    );
    assert.deepEqual(
      (await listStrs(db.pool, { awaitingApprovalBy: officer })).map((summary) => summary.id),
      [],
      'the drafter has nothing of their own to approve',
    );
    assert.ok((await listStrs(db.pool, { awaitingApprovalBy: lead })).some((summary) => summary.id === str.id));
    assert.ok((await listStrs(db.pool, { status: 'filed' })).every((summary) => summary.status === 'filed'));
  });

  it('records that UD was notified of a sanctions hit, once, and only for a sanctions hit', async () => {
    const plain = await draftStr(db.pool, {
      caseId,
      actor: officer,
      nationalIds,
      content: { grounds: 'No sanctions.', transactionIds: [] },
    });
    await assert.rejects(recordStrMfaNotified(db.pool, { id: plain.id, actor: officer, nationalIds }), isCode('VALIDATION_FAILED'));
    await alertInCase(db.pool, { caseId, userId: kari.userId, rule: 'sanctions_match', severity: 'critical' });
    const hit = await draftStr(db.pool, {
      caseId,
      actor: officer,
      nationalIds,
      content: { grounds: 'Listed person.', transactionIds: [] },
    });
    assert.equal(hit.sanctionsHit, true);
    assert.equal(hit.document?.mfaNotifiedAt, null);
    const notified = await recordStrMfaNotified(db.pool, { id: hit.id, actor: officer, nationalIds });
    assert.ok(notified.mfaNotifiedAt);
    assert.equal(notified.document?.mfaNotifiedAt, notified.mfaNotifiedAt);
    assert.equal((await row(hit.id)).details.document.mfaNotifiedAt, notified.mfaNotifiedAt);
    // In the case's history as a structured event (the console words it in nb or en), not English text.
    const event = (
      await db.pool.query(
        `SELECT kind, text, details FROM aml_case_events WHERE case_id = $1 AND details ->> 'strId' = $2 ORDER BY id DESC LIMIT 1`,
        [caseId, hit.id],
      )
    ).rows[0];
    assert.deepEqual(event, { kind: 'str_mfa_notified', text: null, details: { strId: hit.id, reference: hit.reference } });
    assert.deepEqual(
      notified.history.map((step) => step.kind),
      ['str_drafted', 'str_mfa_notified'],
    );
    await assert.rejects(recordStrMfaNotified(db.pool, { id: hit.id, actor: officer, nationalIds }), isCode('CONFLICT'));
  });

  it('keeps the runbook’s INSERT of a filed STR working, and that row final', async () => {
    const inserted = await db.pool.query(
      `INSERT INTO str_reports (id, user_id, transaction_id, report_type, details, filed_at, status)
       VALUES (gen_random_uuid(), $1, $2, 'suspicious_transaction', '{"reason": "Unusual pattern", "amount": 50000}', NOW(), 'filed')
       RETURNING id::text AS id`,
      [kari.userId, transfers[1]?.id],
    );
    const id = inserted.rows[0].id as string;
    const str = await getStr(db.pool, id, nationalIds);
    assert.deepEqual(
      [str.status, str.reason, str.amountNok, str.document, str.transactionCount],
      ['filed', 'Unusual pattern', '50000.00', null, 1],
    );
    await assert.rejects(db.pool.query(`UPDATE str_reports SET status = 'draft' WHERE id = $1`, [id]), isDatabaseCode('CONFLICT'));
  });

  it('builds the reporter from settings and the filing staff member', async () => {
    const reporter = await buildStrReporter(db.pool, {
      entity: {
        name: 'Drop AS',
        orgNumber: '999888777',
        fiuEntityId: '4711',
        address: { street: 'Storgata 1', postalCode: '0155', city: 'Oslo', country: 'NO' },
      },
      staffId: lead,
    });
    assert.deepEqual(reporter, {
      entityName: 'Drop AS',
      orgNumber: '999888777',
      fiuEntityId: '4711',
      address: { street: 'Storgata 1', postalCode: '0155', city: 'Oslo', country: 'NO' },
      person: {
        firstName: 'compliance_lead',
        lastName: 'person',
        email: 'lead@drop.no',
        phone: null,
        occupation: 'Compliance lead (AML reporting officer)',
      },
    });
  });
});
