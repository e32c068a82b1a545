/**
 * A transfer's whole life over real HTTP with the worker running: quote → create → the bank's
 * camt.054 file with the KID (uploaded by staff) → funded → payout sent to Wise (the simulator on
 * the same server, through the real client) → Wise's signed webhook "paid" → paid out → customer
 * email captured over SMTP → PDF receipt readable → ledger verifies. And the unhappy ways: a
 * payout the recipient's bank sends back ends refunded; an unknown KID lands in the exceptions
 * queue; the same file twice changes nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyLedger } from '@drop/core';
import { buildCamt053, buildCamt054 } from '@drop/integrations';
import { extractText, getDocumentProxy } from 'unpdf';
import { type TestCustomer, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { waitUntil } from '../../../test/support/server.ts';
import type { RunningDrop } from '../src/runtime.ts';

const PAYIN_IBAN = 'NO9386011117947';

describe('money in and out, end to end', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let staffCookie: string;
  let fileNumber = 0;

  type Customer = TestCustomer;
  const customer = (person: string) => verifiedCustomer(base, db.pool, person);
  const post = (cookie: string, path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { cookie, origin: base, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const get = (cookie: string, path: string) => fetch(`${base}${path}`, { headers: { cookie } });
  const transfer = transferAs;

  /** The bank's notification of incoming payments, as a Norwegian bank writes it. */
  function notification(credits: Array<{ kid: string; amount: string; bookingDate?: string }>) {
    fileNumber++;
    return buildCamt054({
      messageId: `DNB-${fileNumber}-${randomUUID().slice(0, 8)}`,
      createdAt: new Date().toISOString(),
      account: { iban: PAYIN_IBAN },
      entries: credits.map((credit, i) => ({
        reference: `BOOK-${fileNumber}-${i}-${randomUUID().slice(0, 8)}`,
        creditDebit: 'CRDT' as const,
        amountMinor: BigInt(credit.amount.replace('.', '')),
        currency: 'NOK',
        bookingDate: credit.bookingDate ?? new Date().toISOString().slice(0, 10),
        kid: credit.kid,
        debtorName: 'Kari Nordmann',
        debtorAccount: '12345678903',
      })),
    });
  }
  const upload = (xml: string) =>
    fetch(`${base}/api/staff/bank-files`, {
      method: 'POST',
      headers: { cookie: staffCookie, origin: base, 'content-type': 'application/xml', 'x-file-name': 'camt054.xml' },
      body: xml,
    });
  const statusOf = async (who: Customer, id: string) => (await (await get(who.cookie, `/api/transfers/${id}`)).json()).data.status;
  /** The worker sends the payout after funding; its row once the partner's answer is recorded. */
  async function sentPayout(transactionId: string): Promise<{ partner_reference: string; idempotency_key: string }> {
    const payout = () =>
      db.pool.query(`SELECT state, partner_reference, idempotency_key FROM payouts WHERE transaction_id = $1`, [transactionId]);
    await waitUntil(async () => (await payout()).rows[0]?.state === 'sent', 20_000, 'the payout to be sent');
    return (await payout()).rows[0];
  }
  /** A transfer by `person`, paid in by KID in an uploaded bank notification, whose payout has gone to the partner. */
  async function transferWithPayoutSent(person: string, amount: string) {
    const who = await customer(person);
    const created = await transfer(who, amount);
    assert.equal((await upload(notification([{ kid: created.kid, amount: created.send.amount }]))).status, 201);
    const reference = (await sentPayout(created.id)).partner_reference;
    return { customer: who, created, reference };
  }
  /** What Wise does next with a payout (the simulator then sends its signed webhook). */
  const decide = (partnerReference: string, outcome: 'paid' | 'failed' | 'bounced_back') =>
    fetch(`${base}/wise-sim/_simulator/transfers/${partnerReference}/outcome`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ outcome }),
    });
  async function ledgerBalances() {
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  }

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ WORKER_MODE: 'inline', PAYOUT_SIMULATOR_OUTCOME: 'manual' }));
    staffCookie = await signInStaff(base, db.pool, 'admin', 'finance@drop.no');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('runs a whole transfer: pay-in by KID, payout, webhook, email, receipt, balanced ledger', async () => {
    const kari = await customer('kari');
    const created = await transfer(kari);
    assert.equal(created.payIn.kid, created.kid);

    const xml = notification([{ kid: created.kid, amount: created.send.amount }]);
    const imported = await upload(xml);
    assert.equal(imported.status, 201, await imported.clone().text());
    const summary = (await imported.json()).data;
    assert.deepEqual(
      summary.funded.map((f: { transactionId: string }) => f.transactionId),
      [created.id],
    );

    // The worker converts and sends the payout; the simulator holds it until told.
    await waitUntil(async () => (await statusOf(kari, created.id)) === 'processing', 20_000, 'the payout to start');
    const payout = await sentPayout(created.id);
    const atWise = drop.app.wiseSimulator.transfers().filter((t) => t.customerTransactionId === payout.idempotency_key);
    assert.equal(atWise.length, 1);
    assert.equal(String(atWise[0]?.id), payout.partner_reference);

    // Wise pays and says so with a signed webhook.
    const decided = await decide(payout.partner_reference, 'paid');
    assert.equal(decided.status, 200, await decided.clone().text());
    await waitUntil(async () => (await statusOf(kari, created.id)) === 'paid_out', 20_000, 'the transfer to be paid out');

    // The customer was told at each step, in Norwegian (their language).
    const capture = drop.mailCapture;
    assert.ok(capture);
    const received = await capture.waitFor(
      (mail) => mail.to.includes(kari.email) && mail.headers['x-drop-transfer'] === created.id && mail.subject.includes('mottatt'),
      20_000,
    );
    assert.ok(received);
    assert.match(received.subject, /mottatt 1\s000,00\skr/);
    const receive = created.receive.amount.replace('.', ',');
    const paidMail = await capture.waitFor(
      (mail) => mail.to.includes(kari.email) && mail.subject.includes(`Anna Schmidt har fått ${receive}`),
      20_000,
    );
    assert.ok(paidMail.html.includes(created.id) || paidMail.text.includes(created.id), 'the email names the transfer');

    // The receipt.
    const receipt = await get(kari.cookie, `/api/transfers/${created.id}/receipt.pdf`);
    assert.equal(receipt.status, 200);
    assert.equal(receipt.headers.get('content-type'), 'application/pdf');
    const pdf = await getDocumentProxy(new Uint8Array(await receipt.arrayBuffer()));
    const { text } = await extractText(pdf, { mergePages: true });
    assert.ok(text.includes(created.id), 'the receipt names the transfer');
    assert.ok(text.includes('Anna Schmidt'));
    assert.ok(text.includes(payout.partner_reference), 'the receipt carries the partner reference');
    // Someone else's receipt does not exist for them.
    const ola = await customer('ola');
    assert.equal((await get(ola.cookie, `/api/transfers/${created.id}/receipt.pdf`)).status, 404);
    await ledgerBalances();
  });

  it('refunds a payout the recipient’s bank sends back, with the ledger balanced at every step', async () => {
    const { customer: ola, created, reference } = await transferWithPayoutSent('ola', '1500');
    assert.equal((await decide(reference, 'paid')).status, 200);
    await waitUntil(async () => (await statusOf(ola, created.id)) === 'paid_out', 20_000, 'paid out');
    await ledgerBalances();
    assert.equal((await decide(reference, 'bounced_back')).status, 200);
    await waitUntil(async () => (await statusOf(ola, created.id)) === 'failed', 20_000, 'the returned payout to fail the transfer');
    await ledgerBalances();
    // Failed until the money is really back: the runbook's failed-transfers query (6.3) lists it,
    // unchanged, and the refund is owed to the account that paid.
    const failedQuery = await db.pool.query(
      `SELECT t.*, u.email FROM transactions t
JOIN users u ON t.user_id = u.id
WHERE t.status = 'failed'
AND t.created_at > NOW() - INTERVAL '7 days'
ORDER BY t.created_at DESC`,
    );
    const listed = failedQuery.rows.find((row) => row.id === created.id);
    assert.ok(listed, 'the runbook lists the failed transfer');
    assert.equal(listed.email, ola.email);
    assert.match(listed.failure_reason, /sent the payment back/);
    const owed = (await db.pool.query(`SELECT state, to_account FROM customer_refunds WHERE transaction_id = $1`, [created.id])).rows[0];
    assert.deepEqual([owed.state, owed.to_account], ['pending', '12345678903']);

    // Drop's bank pays the refund; the next statement shows the debit, and the transfer is refunded.
    const statement = buildCamt053({
      messageId: `DNB-STMT-${randomUUID().slice(0, 8)}`,
      statementId: `STMT-${randomUUID().slice(0, 8)}`,
      createdAt: new Date().toISOString(),
      account: { iban: PAYIN_IBAN },
      openingBalanceMinor: 10_000_000n,
      entries: [
        {
          reference: `REFUND-${randomUUID().slice(0, 8)}`,
          creditDebit: 'DBIT',
          amountMinor: BigInt(created.send.amount.replace('.', '')),
          currency: 'NOK',
          bookingDate: new Date().toISOString().slice(0, 10),
          creditorName: 'Ola Nordmann',
          creditorAccount: '12345678903',
          unstructured: `Refund ${created.id}`,
        },
      ],
    });
    const imported = await upload(statement);
    assert.equal(imported.status, 201, await imported.clone().text());
    assert.deepEqual(
      (await imported.json()).data.refunds.map((r: { transactionId: string }) => r.transactionId),
      [created.id],
    );
    assert.equal(await statusOf(ola, created.id), 'refunded');
    const timeline = (await (await get(ola.cookie, `/api/transfers/${created.id}`)).json()).data.timeline.map(
      (event: { to: string }) => event.to,
    );
    assert.deepEqual(timeline, ['awaiting_funds', 'funds_received', 'processing', 'paid_out', 'failed', 'refunded']);
    const refund = (
      await db.pool.query(`SELECT state, to_account, amount_minor FROM customer_refunds WHERE transaction_id = $1`, [created.id])
    ).rows[0];
    assert.deepEqual(
      { state: refund.state, to: refund.to_account, amount: refund.amount_minor },
      { state: 'sent', to: '12345678903', amount: created.send.amount.replace('.', '') },
    );
    // The customer is told the money is back.
    await drop.mailCapture?.waitFor(
      (mail) => mail.to.includes(ola.email) && mail.headers['x-drop-transfer'] === created.id && /refu|tilbake/i.test(mail.subject),
      20_000,
    );
    await ledgerBalances();
  });

  it('a payout the partner fails: failed until staff record the refund paid by hand, then refunded', async () => {
    const { customer: kari, created, reference } = await transferWithPayoutSent('kari', '1200');
    assert.equal((await decide(reference, 'failed')).status, 200);
    await waitUntil(async () => (await statusOf(kari, created.id)) === 'failed', 20_000, 'the failed payout to fail the transfer');
    await ledgerBalances();
    const confirm = (body: unknown) =>
      fetch(`${base}/api/staff/transfers/${created.id}/refund-paid`, {
        method: 'POST',
        headers: { cookie: staffCookie, origin: base, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await confirm({ note: 'no' })).status, 400);
    assert.equal(await statusOf(kari, created.id), 'failed');
    const confirmed = await confirm({ note: 'paid from the bank portal, ref 12345' });
    assert.equal(confirmed.status, 200, await confirmed.clone().text());
    assert.equal((await confirmed.json()).data.outcome, 'sent');
    assert.equal(await statusOf(kari, created.id), 'refunded');
    assert.equal((await (await confirm({ note: 'paid from the bank portal, ref 12345' })).json()).data.outcome, 'already_sent');
    await ledgerBalances();
  });

  it('asks the customer about a payment that came after the quote expired: a new quote accepted, or the money back', async () => {
    const inFiveDays = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const siri = await customer('elderly');
    const accepted = await transfer(siri, '700');
    const declined = await transfer(siri, '720');
    const imported = await upload(
      notification([
        { kid: accepted.kid, amount: accepted.send.amount, bookingDate: inFiveDays },
        { kid: declined.kid, amount: declined.send.amount, bookingDate: inFiveDays },
      ]),
    );
    const summary = (await imported.json()).data;
    assert.deepEqual(
      summary.exceptions.map((e: { reason: string }) => e.reason),
      ['late_payment', 'late_payment'],
    );
    const detail = (await (await get(siri.cookie, `/api/transfers/${accepted.id}`)).json()).data;
    assert.equal(detail.latePayment.amount, accepted.send.amount);

    // A new quote for the same amount, accepted: the old transfer is cancelled, the new one funded.
    const requote = await post(siri.cookie, `/api/transfers/${accepted.id}/late-payment/quote`, {});
    assert.equal(requote.status, 201, await requote.clone().text());
    const quote = (await requote.json()).data;
    assert.equal(quote.send.amount, accepted.send.amount);
    const accept = await post(siri.cookie, `/api/transfers/${accepted.id}/late-payment/accept`, { quoteId: quote.id });
    assert.equal(accept.status, 201, await accept.clone().text());
    const replacement = (await accept.json()).data;
    assert.equal(replacement.quoteId, quote.id);
    assert.equal(replacement.status, 'funds_received');
    assert.equal(await statusOf(siri, accepted.id), 'cancelled');
    const entry = (await db.pool.query(`SELECT status, transaction_id FROM bank_entries WHERE kid = $1`, [accepted.kid])).rows[0];
    assert.deepEqual([entry.status, entry.transaction_id], ['resolved', replacement.id]);
    // Only once.
    assert.equal((await post(siri.cookie, `/api/transfers/${accepted.id}/late-payment/accept`, { quoteId: quote.id })).status, 404);

    // Declined: the transfer is cancelled and the money goes back to the paying account.
    const refund = await post(siri.cookie, `/api/transfers/${declined.id}/late-payment/refund`, {});
    assert.equal(refund.status, 200, await refund.clone().text());
    assert.deepEqual((await refund.json()).data.refundedTo, '12345678903');
    assert.equal(await statusOf(siri, declined.id), 'cancelled');
    // Someone else cannot act on Siri's transfers.
    const ola = await customer('ola');
    assert.equal((await post(ola.cookie, `/api/transfers/${declined.id}/late-payment/quote`, {})).status, 404);
    await ledgerBalances();
  });

  it('queues an unknown KID, and changes nothing when the same file comes twice', async () => {
    const xml = notification([{ kid: '000000000018', amount: '250.00' }]);
    const first = await upload(xml);
    assert.equal(first.status, 201);
    const summary = (await first.json()).data;
    assert.deepEqual(
      summary.exceptions.map((e: { reason: string }) => e.reason),
      ['unknown_kid'],
    );
    const before = (await db.pool.query('SELECT (SELECT count(*) FROM bank_entries) AS e, (SELECT count(*) FROM ledger_transfers) AS l'))
      .rows[0];
    const again = await upload(xml);
    assert.equal(again.status, 200);
    assert.equal((await again.json()).data.alreadyImported, true);
    const afterwards = (
      await db.pool.query('SELECT (SELECT count(*) FROM bank_entries) AS e, (SELECT count(*) FROM ledger_transfers) AS l')
    ).rows[0];
    assert.deepEqual(afterwards, before);
    const queue = (await (await get(staffCookie, '/api/staff/payment-exceptions')).json()).data;
    assert.ok(queue.some((row: { kid: string; reason: string }) => row.kid === '000000000018' && row.reason === 'unknown_kid'));
    // The console shows the money waiting as the API sums it, per currency, NOK first (it does no arithmetic itself).
    const minor = (amount: string) => BigInt(amount.replace('.', ''));
    const expected = new Map<string, bigint>();
    for (const row of queue as Array<{ amount: string; currency: string }>) {
      expected.set(row.currency, (expected.get(row.currency) ?? 0n) + minor(row.amount));
    }
    const totals = (await (await get(staffCookie, '/api/staff/payment-exceptions/totals')).json()).data;
    assert.equal(totals[0].currency, 'NOK');
    assert.deepEqual(new Map(totals.map((total: { amount: string; currency: string }) => [total.currency, minor(total.amount)])), expected);

    // A truncated file is refused whole, naming the problem.
    const truncated = await upload(notification([{ kid: '000000000117', amount: '10.00' }]).slice(0, 900));
    assert.equal(truncated.status, 422);
    const problem = await truncated.json();
    assert.equal(problem.code, 'BANK_FILE_INVALID');
    assert.match(problem.detail, /refused/i);
    await ledgerBalances();
  });
});
