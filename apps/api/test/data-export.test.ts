/**
 * The data export (GDPR articles 15 and 20) and privacy requests (issue 14). Kari has one of each
 * kind of record Drop keeps about a customer (a session, a verification status change, recipients,
 * quotes, a paid-out transfer with its receipt, a stopped one refunded, payments, ledger postings,
 * the emails about them, audit events); Ola has his own. Kari finds each of hers in the export,
 * as JSON and as a ZIP with the receipt, and nothing of Ola's or of staff work. Then her requests
 * as she sees them, and support answering them in the console's API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { postAs, type TestCustomer, type TestTransfer, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { payInByBankFile } from '../../../test/support/pay-in.ts';
import { waitUntil } from '../../../test/support/server.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('Data export and privacy requests', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let kari: TestCustomer;
  let ola: TestCustomer;
  let paid: TestTransfer;
  let stopped: TestTransfer;
  let olas: TestTransfer;
  let support: string;
  let officer: string;
  let lead: string;
  let admin: string;
  const holdReason = 'Held by staff: check the pattern (staff-only text)';

  const get = (path: string, cookie = kari.cookie) => fetch(`${base}${path}`, { headers: { cookie } });
  const staffPost = (cookie: string, path: string, body: unknown) => postAs({ base, cookie }, path, body);
  const statusOf = async (who: TestCustomer, id: string) => (await (await get(`/api/transfers/${id}`, who.cookie)).json()).data.status;
  const ok = async (response: Promise<Response>) => {
    const answered = await response;
    assert.ok(answered.status < 300, `${answered.status} ${await answered.clone().text()}`);
    return (await answered.json()).data;
  };

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ WORKER_MODE: 'inline' }));
    support = await signInStaff(base, db.pool, 'support', 'support@drop.no');
    officer = await signInStaff(base, db.pool, 'compliance_officer', 'officer@drop.no');
    lead = await signInStaff(base, db.pool, 'compliance_lead', 'lead@drop.no');
    admin = await signInStaff(base, db.pool, 'admin', 'admin@drop.no');
    kari = await verifiedCustomer(base, db.pool, 'kari');
    ola = await verifiedCustomer(base, db.pool, 'ola');

    paid = await transferAs(kari, '1000');
    olas = await transferAs(ola, '700', 'Ola Recipient');
    await payInByBankFile({ base, staffCookie: admin, transfers: [paid, olas] });
    // Stopped with four eyes after the money came in: a refund owed, then paid.
    stopped = await transferAs(kari, '1200');
    await ok(staffPost(officer, `/api/staff/transfers/${stopped.id}/hold`, { reason: holdReason }));
    await payInByBankFile({ base, staffCookie: admin, transfers: [stopped] });
    const stop = await ok(staffPost(officer, `/api/staff/transfers/${stopped.id}/stop-request`, { reason: holdReason }));
    await ok(staffPost(lead, `/api/staff/approvals/${stop.id}/approve`, { note: 'Agreed (staff-only text)' }));
    await ok(staffPost(admin, `/api/staff/transfers/${stopped.id}/refund-paid`, { note: 'Paid by hand (staff-only text)' }));
    await waitUntil(async () => (await statusOf(kari, paid.id)) === 'paid_out', 30_000, "Kari's transfer to be paid out");
    await waitUntil(async () => (await statusOf(ola, olas.id)) === 'paid_out', 30_000, "Ola's transfer to be paid out");
    await waitUntil(async () => (await statusOf(kari, stopped.id)) === 'refunded', 30_000, 'the stopped transfer to be refunded');
    await waitUntil(
      async () => (await db.pool.query(`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier LIKE 'emails:%'`)).rowCount === 0,
      30_000,
      'the queued emails to be sent',
    );
  });
  after(() => stopDropOnFreePort({ db, drop }));

  /** What must never be in Kari's export: Ola's records and the staff's texts and ids. */
  async function foreign(): Promise<string[]> {
    const staffIds = (await db.pool.query<{ id: string }>('SELECT id FROM staff')).rows.map((row) => row.id);
    return [ola.userId, ola.email, olas.id, 'Ola Recipient', holdReason, 'staff-only text', ...staffIds];
  }

  it('holds one of each kind of record, and nothing of another customer or of staff work', async () => {
    const response = await get('/api/user/data-export');
    assert.equal(response.status, 200);
    const text = await response.text();
    for (const other of await foreign()) assert.ok(!text.includes(other), `nothing foreign in the export (${other})`);
    const exported = JSON.parse(text).data;
    assert.equal(exported.profile.id, kari.userId);
    assert.equal(exported.profile.email, kari.email);
    assert.equal(exported.kyc.status, 'approved');
    assert.ok(exported.sessions.length >= 1, 'sessions');
    assert.equal(exported.recipients.length, 2, 'recipients');
    assert.equal(exported.quotes.length, 2, 'quotes');
    assert.deepEqual(exported.transfers.map((t: { id: string }) => t.id).sort(), [paid.id, stopped.id].sort());
    assert.equal(exported.payments.length, 2, 'payments');
    assert.deepEqual(
      exported.refunds.map((r: { transferId: string; state: string }) => [r.transferId, r.state]),
      [[stopped.id, 'sent']],
    );

    // Ledger: the paid transfer's money came in to Kari's account (credit) and left it (debit).
    const postings = exported.ledgerPostings as Array<{ transferId: string; direction: string; code: string; kind: string }>;
    assert.ok(postings.length >= 2, `ledger postings (${JSON.stringify(postings)})`);
    assert.ok(
      postings.every((p) => [paid.id, stopped.id].includes(p.transferId)),
      'only postings of her transfers',
    );
    const paidPostings = postings.filter((p) => p.transferId === paid.id);
    assert.ok(
      paidPostings.some((p) => p.direction === 'credit'),
      'the pay-in credited her account',
    );
    assert.ok(
      paidPostings.some((p) => p.direction === 'debit'),
      'the payout debited it',
    );
    const ledgerRows = await db.pool.query(
      `SELECT count(*)::int AS n FROM ledger_transfers l JOIN ledger_accounts a ON a.id IN (l.debit_account_id, l.credit_account_id)
        WHERE a.purpose = 'customer_funds' AND a.user_id = $1`,
      [kari.userId],
    );
    assert.equal(postings.length, ledgerRows.rows[0].n, 'every posting on her account');

    // Emails: those the worker sent her, as the mail capture saw them.
    const sent = drop.mailCapture?.messages().filter((mail) => mail.to.includes(kari.email)) ?? [];
    assert.ok(sent.length >= 3, `funds received, paid out, refunded (${sent.map((m) => m.subject).join(' | ')})`);
    const emails = exported.emails as Array<{ kind: string; subject: string; to: string; transferId: string }>;
    assert.deepEqual(emails.map((e) => e.subject).sort(), sent.map((m) => m.subject).sort());
    assert.ok(emails.every((e) => e.to === kari.email));
    assert.ok(emails.some((e) => e.kind === 'paid_out' && e.transferId === paid.id));

    // Audit events: her sign-in, on the allow-list; no staff action on her transfers.
    const events = exported.auditEvents as Array<{ action: string; resourceType: string; resourceId: string }>;
    assert.ok(events.some((e) => e.action === 'login_succeeded' && e.resourceId === kari.userId));
    const staffActions = await db.pool.query<{ action: string }>(
      `SELECT DISTINCT action FROM audit_log WHERE resource_id IN ($1, $2) AND actor LIKE 'stf_%'`,
      [stopped.id, kari.userId],
    );
    assert.ok(staffActions.rowCount && staffActions.rowCount > 0, 'staff did act on her transfer (the filter has work)');
    for (const { action } of staffActions.rows) assert.ok(!events.some((e) => e.action === action), `no ${action} in the export`);
    assert.ok(
      events.every((e) => !['UPDATE', 'DELETE'].includes(e.action)),
      'no row images',
    );

    // KYC history: approved (by verifiedCustomer's update, recorded by the row trigger).
    assert.ok(
      exported.kycHistory.some((k: { to: string }) => k.to === 'approved'),
      JSON.stringify(exported.kycHistory),
    );
  });

  it('gives a ZIP archive with data.json and the paid-out transfer’s receipt', async () => {
    const response = await get('/api/user/data-export?format=zip');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/zip');
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="drop-data-export-\d{4}-\d{2}-\d{2}\.zip"$/);
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    assert.deepEqual(Object.keys(files).sort(), ['data.json', `receipts/drop-receipt-${paid.id}.pdf`]);
    const data = JSON.parse(new TextDecoder().decode(files['data.json']));
    assert.equal(data.profile.id, kari.userId);
    assert.equal(data.transfers.length, 2);
    const pdf = files[`receipts/drop-receipt-${paid.id}.pdf`] as Uint8Array;
    assert.equal(new TextDecoder().decode(pdf.slice(0, 5)), '%PDF-');
    const text = new TextDecoder().decode(files['data.json']);
    for (const other of await foreign()) assert.ok(!text.includes(other), `nothing foreign in data.json (${other})`);
    // An unknown format is refused with the stable code.
    const refused = await get('/api/user/data-export?format=tar');
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).code, 'VALIDATION_FAILED');
  });

  it('lists the customer’s own requests without staff notes', async () => {
    await db.pool.query(
      `INSERT INTO data_access_requests (id, user_id, type, notes) VALUES ('dar_01KBZ0000000000000000000E1', $1, 'rectification', 'staff-only text')`,
      [ola.userId],
    );
    const requests = await ok(get('/api/user/data-requests'));
    assert.ok(requests.length >= 2, 'the exports above');
    assert.ok(requests.every((r: { type: string; status: string }) => r.type === 'export' && r.status === 'completed'));
    assert.deepEqual(Object.keys(requests[0]).sort(), ['completedAt', 'createdAt', 'dueAt', 'id', 'status', 'type']);
    assert.ok(!JSON.stringify(requests).includes('dar_01KBZ0000000000000000000E1'), "not Ola's");
    assert.equal((await fetch(`${base}/api/user/data-requests`)).status, 401);
  });

  it('shows staff every request, overdue first, and records their answer (audited)', async () => {
    const overdueId = 'dar_01KBZ0000000000000000000E2';
    await db.pool.query(
      `INSERT INTO data_access_requests (id, user_id, type, created_at, due_at) VALUES ($1, $2, 'erasure', now() - interval '40 days', now() - interval '9 days 1 hour')`,
      [overdueId, kari.userId],
    );
    const list = await ok(get('/api/staff/data-requests', support));
    assert.equal(list[0].id, overdueId);
    assert.equal(list[0].overdue, true);
    assert.equal(list[0].daysOverdue, 9);
    assert.equal(list[0].customer.id, kari.userId);
    assert.ok(list.slice(1).every((r: { overdue: boolean }) => !r.overdue));
    // Compliance officers do not handle privacy requests.
    assert.equal((await get('/api/staff/data-requests', officer)).status, 403);

    const path = `/api/staff/data-requests/${overdueId}/status`;
    const bad = await staffPost(support, path, { status: 'received', note: 'x' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).code, 'VALIDATION_FAILED');
    const started = await ok(staffPost(support, path, { status: 'in_progress', note: 'Checking what AML law requires us to keep' }));
    assert.equal(started.status, 'in_progress');
    assert.equal(started.completedAt, null);
    const done = await ok(staffPost(lead, path, { status: 'completed', note: 'Answered by letter' }));
    assert.equal(done.status, 'completed');
    assert.ok(done.completedAt);
    assert.equal(done.overdue, false);
    assert.match(done.notes, /in_progress: Checking what AML law[\s\S]*completed: Answered by letter/);
    // Answered: a further change is refused and changes nothing.
    const again = await staffPost(support, path, { status: 'rejected', note: 'too late' });
    assert.equal(again.status, 409);
    assert.equal((await again.json()).code, 'CONFLICT');
    const row = (await db.pool.query('SELECT status, notes FROM data_access_requests WHERE id = $1', [overdueId])).rows[0];
    assert.equal(row.status, 'completed');
    assert.ok(!row.notes.includes('too late'));
    const unknown = await staffPost(support, '/api/staff/data-requests/dar_01KBZ0000000000000000000E9/status', {
      status: 'completed',
      note: 'x',
    });
    assert.equal(unknown.status, 404);
    const audited = await db.pool.query<{ actor: string; details: { from: string; to: string } }>(
      `SELECT actor, details FROM audit_log WHERE action = 'data_request_status_changed' AND resource_id = $1 ORDER BY seq`,
      [overdueId],
    );
    assert.deepEqual(
      audited.rows.map((r) => [r.details.from, r.details.to]),
      [
        ['received', 'in_progress'],
        ['in_progress', 'completed'],
      ],
    );
    assert.ok(audited.rows.every((r) => r.actor.startsWith('stf_')));
    // The customer sees the answer, not the notes.
    const mine = await ok(get('/api/user/data-requests'));
    const erasure = mine.find((r: { id: string }) => r.id === overdueId);
    assert.equal(erasure.status, 'completed');
    assert.ok(!JSON.stringify(mine).includes('Answered by letter'));
  });
});
