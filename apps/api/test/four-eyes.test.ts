/**
 * Holds and releases with four eyes (issue 13), over real HTTP with a real worker and Wise (the
 * simulator, through the real client). A transfer held by staff is released only when a second
 * person approves (the proposer is refused by the API and by the database), and then pays out;
 * stopped while its money is with Drop, its refund is owed and the ledger verifies. Blocking and
 * unblocking a customer takes two people the same way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { confirmCustomerRefund, startPayout, verifyLedger } from '@drop/core';
import { postAs, type TestCustomer, type TestTransfer, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { payInByBankFile } from '../../../test/support/pay-in.ts';
import { runQueuedJobs as runJobs } from '../../../test/support/run-queued-jobs.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('holds and releases with four eyes', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let finance: string;
  let officer: string;
  let lead: string;
  let secondLead: string;

  const post = (cookie: string, path: string, body: unknown = {}) => postAs({ base, cookie }, path, body);
  async function ok(response: Response, status = 200) {
    assert.equal(response.status, status, await response.clone().text());
    return (await response.json()).data;
  }

  /** The bank's notification that these transfers were paid, uploaded by staff; returns the import summary. */
  const payIn = (...transfers: TestTransfer[]) => payInByBankFile({ base, staffCookie: finance, transfers });

  /** Runs Drop's worker (Wise as its payout partner) until every queued job has run. */
  const runQueuedJobs = () => runJobs({ databaseUrl: db.url, base, name: 'four-eyes-worker' });

  const transferRow = async (id: string) =>
    (await db.pool.query<{ status: string; held_from: string | null }>('SELECT status, held_from FROM transactions WHERE id = $1', [id]))
      .rows[0];
  async function atWise(id: string) {
    const key = (await db.pool.query('SELECT idempotency_key FROM payouts WHERE transaction_id = $1', [id])).rows[0]?.idempotency_key;
    return drop.app.wiseSimulator.transfers().filter((t) => key !== undefined && t.customerTransactionId === key);
  }
  const ledgerOk = async () => assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  const customer = (person: string): Promise<TestCustomer> => verifiedCustomer(base, db.pool, person);
  const auditActions = async (resourceId: string) =>
    (await db.pool.query<{ action: string }>('SELECT action FROM audit_log WHERE resource_id = $1 ORDER BY seq', [resourceId])).rows.map(
      (row) => row.action,
    );

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ PAYOUT_SIMULATOR_OUTCOME: 'manual' }));
    finance = await signInStaff(base, db.pool, 'admin', 'finance@drop.no');
    officer = await signInStaff(base, db.pool, 'compliance_officer', 'officer@drop.no');
    lead = await signInStaff(base, db.pool, 'compliance_lead', 'lead@drop.no');
    secondLead = await signInStaff(base, db.pool, 'compliance_lead', 'lead2@drop.no');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('a held transfer is not released by its proposer (API and SQL refuse); a second lead releases it and it pays out', async () => {
    const kari = await customer('kari');
    const transfer = await transferAs(kari, '1000');
    await payIn(transfer);
    // Held before the worker starts its payout.
    const held = await ok(await post(officer, `/api/staff/transfers/${transfer.id}/hold`, { reason: 'Unusual pattern, looking into it' }));
    assert.deepEqual(held, { id: transfer.id, from: 'funds_received', to: 'held' });
    assert.deepEqual(await transferRow(transfer.id), { status: 'held', held_from: 'funds_received' });
    await runQueuedJobs();
    assert.deepEqual(await atWise(transfer.id), [], 'nothing paid while held');

    const proposal = await ok(
      await post(lead, `/api/staff/transfers/${transfer.id}/release-request`, { reason: 'Source of funds documented' }),
      201,
    );
    assert.equal(proposal.kind, 'release_transfer');
    assert.equal(proposal.status, 'pending');
    const again = await post(officer, `/api/staff/transfers/${transfer.id}/release-request`, { reason: 'Me too' });
    assert.equal(again.status, 409, 'one pending proposal per transfer and kind');

    const own = await post(lead, `/api/staff/approvals/${proposal.id}/approve`, { note: 'looks fine to me' });
    assert.equal(own.status, 403);
    assert.equal((await own.json()).code, 'FOUR_EYES_REQUIRED');
    const byOfficer = await post(officer, `/api/staff/approvals/${proposal.id}/approve`, { note: 'fine' });
    assert.equal(byOfficer.status, 403, 'an officer may propose, not approve');
    assert.equal((await byOfficer.json()).code, 'FORBIDDEN');
    // Whatever writes it, the database refuses the proposer as approver.
    await assert.rejects(
      db.pool.query(`UPDATE four_eyes_requests SET status = 'approved', decided_by = proposed_by, decided_at = now() WHERE id = $1`, [
        proposal.id,
      ]),
      /FOUR_EYES_REQUIRED/,
    );
    await assert.rejects(
      db.pool.query(
        `INSERT INTO four_eyes_requests (id, kind, subject_id, reason, proposed_by, status, decided_by, decided_at)
         SELECT 'fer_01JAAAAAAAAAAAAAAAAAAAAAAA', 'release_transfer', $1, 'x', proposed_by, 'approved', proposed_by, now()
           FROM four_eyes_requests WHERE id = $2`,
        [transfer.id, proposal.id],
      ),
      /four_eyes_requests_second_person/,
    );
    assert.deepEqual(await transferRow(transfer.id), { status: 'held', held_from: 'funds_received' }, 'nothing changed');
    const pending = await ok(await fetch(`${base}/api/staff/approvals`, { headers: { cookie: secondLead } }));
    assert.deepEqual(
      pending.map((r: { id: string }) => r.id),
      [proposal.id],
    );

    const approved = await ok(await post(secondLead, `/api/staff/approvals/${proposal.id}/approve`, { note: 'Agreed' }));
    assert.equal(approved.status, 'approved');
    assert.equal(approved.decisionNote, 'Agreed');
    assert.deepEqual(await transferRow(transfer.id), { status: 'funds_received', held_from: null });
    await runQueuedJobs();
    assert.equal((await atWise(transfer.id)).length, 1, 'released: the payout went to Wise');
    assert.equal((await transferRow(transfer.id))?.status, 'processing');
    const actions = await auditActions(transfer.id);
    for (const action of ['transfer_held', 'four_eyes_proposed', 'four_eyes_approved']) assert.ok(actions.includes(action), action);
    const twice = await post(lead, `/api/staff/approvals/${proposal.id}/reject`, { note: 'late' });
    assert.equal(twice.status, 409, 'a decided request stays decided');
    await ledgerOk();
  });

  it('stopped while its money is with Drop: the refund is owed, nothing pays out, and the ledger verifies', async () => {
    const ola = await customer('ola');
    const transfer = await transferAs(ola, '1500');
    await payIn(transfer);
    await ok(await post(lead, `/api/staff/transfers/${transfer.id}/hold`, { reason: 'Screening match under review' }));
    const proposal = await ok(await post(officer, `/api/staff/transfers/${transfer.id}/stop-request`, { reason: 'Confirmed match' }), 201);
    const own = await post(officer, `/api/staff/approvals/${proposal.id}/reject`, { note: 'withdraw' });
    assert.equal(own.status, 403, 'the proposer cannot reject their own either');
    await ok(await post(lead, `/api/staff/approvals/${proposal.id}/approve`, { note: 'Stop it' }));

    const refund = await db.pool.query('SELECT amount_minor, state, to_account FROM customer_refunds WHERE transaction_id = $1', [
      transfer.id,
    ]);
    assert.deepEqual(refund.rows, [{ amount_minor: '150000', state: 'pending', to_account: '12345678903' }]);
    assert.deepEqual(await transferRow(transfer.id), { status: 'held', held_from: 'funds_received' }, 'the money is still with Drop');
    await ledgerOk();
    await runQueuedJobs();
    assert.deepEqual(await atWise(transfer.id), []);
    const release = await post(lead, `/api/staff/transfers/${transfer.id}/release-request`, { reason: 'changed my mind' });
    assert.equal(release.status, 409, 'a stopped transfer cannot be released');

    // The refund goes out: the transfer becomes refunded and the ledger still verifies.
    await confirmCustomerRefund(db.pool, { transactionId: transfer.id, actor: 'test', note: 'paid by hand' });
    assert.deepEqual(await transferRow(transfer.id), { status: 'refunded', held_from: null });
    await ledgerOk();
  });

  it('held while processing: a stop is refused (the payout is written), a release sends the payout; awaiting funds: a stop cancels', async () => {
    const ola = await customer('ola');
    const processing = await transferAs(ola, '900');
    const awaiting = await transferAs(ola, '600');
    await payIn(processing);
    assert.equal(await startPayout(db.pool, { transactionId: processing.id, partner: 'wise', actor: 'system:payouts' }), 'started');
    await ok(await post(officer, `/api/staff/transfers/${processing.id}/hold`, { reason: 'Recipient under review' }));
    await ok(await post(officer, `/api/staff/transfers/${awaiting.id}/hold`, { reason: 'Same customer' }));
    assert.deepEqual(await transferRow(processing.id), { status: 'held', held_from: 'processing' });
    await runQueuedJobs();
    assert.deepEqual(await atWise(processing.id), [], 'the queued send found it held');

    const stop = await post(officer, `/api/staff/transfers/${processing.id}/stop-request`, { reason: 'Confirmed' });
    assert.equal(stop.status, 409);
    assert.equal((await stop.json()).code, 'TRANSFER_STATE_INVALID');
    const release = await ok(await post(officer, `/api/staff/transfers/${processing.id}/release-request`, { reason: 'Cleared' }), 201);
    await ok(await post(lead, `/api/staff/approvals/${release.id}/approve`, { note: 'ok' }));
    assert.deepEqual(await transferRow(processing.id), { status: 'processing', held_from: null });

    const cancel = await ok(await post(officer, `/api/staff/transfers/${awaiting.id}/stop-request`, { reason: 'Not wanted' }), 201);
    await ok(await post(lead, `/api/staff/approvals/${cancel.id}/approve`, { note: 'Stop' }));
    assert.deepEqual(await transferRow(awaiting.id), { status: 'cancelled', held_from: null });
    const refunds = await db.pool.query('SELECT 1 FROM customer_refunds WHERE transaction_id = $1', [awaiting.id]);
    assert.equal(refunds.rowCount, 0, 'nothing was paid, nothing is owed');

    await runQueuedJobs();
    assert.equal((await atWise(processing.id)).length, 1, 'released: the waiting payout went to Wise');
    await ledgerOk();
    // A transfer that is no longer in flight cannot be held.
    const late = await post(officer, `/api/staff/transfers/${awaiting.id}/hold`, { reason: 'too late' });
    assert.equal(late.status, 409);
    assert.equal((await late.json()).code, 'TRANSFER_STATE_INVALID');
  });

  it('blocking a customer takes two people and holds their transfers; unblocking likewise, and leaves KYC alone', async () => {
    const per = await customer('elderly');
    const transfer = await transferAs(per, '700');
    const proposal = await ok(
      await post(officer, `/api/staff/customers/${per.userId}/block-request`, { reason: 'Sanctions hit confirmed' }),
      201,
    );
    assert.equal(proposal.kind, 'block_customer');
    assert.equal((await transferRow(transfer.id))?.status, 'awaiting_funds', 'nothing happens on a proposal');
    await ok(await post(lead, `/api/staff/approvals/${proposal.id}/approve`, {}));
    const frozen = await db.pool.query(
      'SELECT aml_frozen_at IS NOT NULL AS frozen, aml_frozen_reason, kyc_status FROM users WHERE id = $1',
      [per.userId],
    );
    assert.deepEqual(frozen.rows[0], { frozen: true, aml_frozen_reason: 'Sanctions hit confirmed', kyc_status: 'approved' });
    const listed = (await ok(await fetch(`${base}/api/staff/customers?query=${per.userId}`, { headers: { cookie: officer } })))[0];
    assert.equal(listed.blockReason, 'aml_frozen', 'the customer search says they are blocked, and why');
    assert.equal(listed.amlFrozenReason, 'Sanctions hit confirmed');
    assert.equal(listed.pendingBlockRequest, null);
    assert.deepEqual(await transferRow(transfer.id), { status: 'held', held_from: 'awaiting_funds' });

    const unblock = await ok(
      await post(lead, `/api/staff/customers/${per.userId}/unblock-request`, { reason: 'False positive after all' }),
      201,
    );
    const own = await post(lead, `/api/staff/approvals/${unblock.id}/approve`, {});
    assert.equal(own.status, 403);
    await ok(await post(secondLead, `/api/staff/approvals/${unblock.id}/approve`, { note: 'ok' }));
    const after = await db.pool.query('SELECT aml_frozen_at, kyc_status FROM users WHERE id = $1', [per.userId]);
    assert.deepEqual(after.rows[0], { aml_frozen_at: null, kyc_status: 'approved' });
    assert.equal((await transferRow(transfer.id))?.status, 'held', 'the held transfer is released on its own, with four eyes');
    const actions = await auditActions(per.userId);
    assert.ok(actions.filter((a) => a === 'four_eyes_approved').length === 2, actions.join());
    await ledgerOk();
  });
  it('the proposer, and only the proposer, withdraws a pending proposal: nothing is carried out, it is audited, and it cannot be decided after', async () => {
    const per = await customer('kari');
    const proposal = await ok(await post(officer, `/api/staff/customers/${per.userId}/block-request`, { reason: 'Odd pattern' }), 201);
    const found = async () =>
      (await ok(await fetch(`${base}/api/staff/customers?query=${per.userId}`, { headers: { cookie: officer } })))[0];
    const listed = await found();
    assert.equal(listed.pendingBlockRequest?.id, proposal.id, 'the customer search shows the proposal waiting');
    assert.equal(listed.blockReason, null);

    const byLead = await post(lead, `/api/staff/approvals/${proposal.id}/withdraw`, { note: 'not mine' });
    assert.equal(byLead.status, 403);
    assert.equal((await byLead.json()).code, 'FORBIDDEN', 'another person approves or rejects; they do not withdraw');
    const unknown = await post(officer, '/api/staff/approvals/fer_00000000000000000000000000/withdraw', {});
    assert.equal(unknown.status, 404);
    const badBody = await post(officer, `/api/staff/approvals/${proposal.id}/withdraw`, { note: 'x'.repeat(2001) });
    assert.equal(badBody.status, 400);
    assert.equal((await db.pool.query('SELECT status FROM four_eyes_requests WHERE id = $1', [proposal.id])).rows[0]?.status, 'pending');

    const withdrawn = await ok(await post(officer, `/api/staff/approvals/${proposal.id}/withdraw`, { note: 'Explained by the customer' }));
    assert.equal(withdrawn.status, 'withdrawn');
    assert.equal(withdrawn.decidedBy, null);
    assert.equal(withdrawn.decisionNote, 'Explained by the customer');
    const user = await db.pool.query('SELECT aml_frozen_at FROM users WHERE id = $1', [per.userId]);
    assert.equal(user.rows[0]?.aml_frozen_at, null, 'a withdrawn block blocks nobody');
    const pending = await ok(await fetch(`${base}/api/staff/approvals?subjectId=${per.userId}`, { headers: { cookie: lead } }));
    assert.deepEqual(pending, []);
    assert.equal((await found()).pendingBlockRequest, null);

    const late = await post(lead, `/api/staff/approvals/${proposal.id}/approve`, {});
    assert.equal(late.status, 409);
    const again = await post(officer, `/api/staff/approvals/${proposal.id}/withdraw`, {});
    assert.equal(again.status, 409);
    const audit = await db.pool.query<{ actor: string; details: { requestId: string } }>(
      `SELECT actor, details FROM audit_log WHERE action = 'four_eyes_withdrawn' AND resource_id = $1`,
      [per.userId],
    );
    assert.equal(audit.rows.length, 1);
    assert.equal(audit.rows[0]?.details.requestId, proposal.id);

    // Withdrawn, the same proposal can be made again (one pending per subject and kind).
    await ok(await post(officer, `/api/staff/customers/${per.userId}/block-request`, { reason: 'Odd pattern again' }), 201);
  });
});
