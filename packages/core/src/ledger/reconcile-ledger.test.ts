/**
 * Reconciling the ledger with the bank statements, the payout partner and the refund records,
 * against a real PostgreSQL. Each scenario builds the same clean book (transfers funded by the
 * bank, paid out, failed and refunded, an overpayment matched by hand, an unknown payment waiting
 * and one sent back, the statement showing every debit), checks it reconciles with no difference,
 * then makes one difference on purpose and checks the report names exactly it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { withTransaction } from '@drop/db';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { fixedRates, makeTransfer, verifiedCustomer } from '../../../../test/support/money.ts';
import { formatAmount } from '../money/amount.ts';
import type { BankEntry } from '../payments/bank-file.ts';
import { importBankFile } from '../payments/import-bank-file.ts';
import type { KidFormat } from '../payments/kid.ts';
import { SequenceKidAllocator } from '../payments/kid-allocator.ts';
import { matchBankEntryByHand } from '../payments/match-bank-entry.ts';
import { refundBankEntry } from '../payments/refund-bank-entry.ts';
import { bankEntry, CUSTOMER_DEBTOR } from '../payments/test-support.ts';
import type { PayoutPartner, PayoutPartnerState } from '../payouts/payout-partner.ts';
import { sendPayout } from '../payouts/send-payout.ts';
import { startPayout } from '../payouts/start-payout.ts';
import { confirmCustomerRefund } from '../transfers/confirm-customer-refund.ts';
import { transitionTransfer } from '../transfers/transition-transfer.ts';
import {
  type PayoutPartnerStatusSource,
  type ReconcileOptions,
  type ReconciliationDifference,
  type ReconciliationReport,
  reconcileLedger,
} from './reconcile-ledger.ts';
import { verifyLedger } from './verify-ledger.ts';

const ACCOUNT = '86011117947';
const KID_FORMAT: KidFormat = { method: 'MOD10', length: 12 };
const STAFF = 'stf_ops';
const rates = fixedRates({ EUR: '11.7035' });
const NOK = (minor: bigint) => `NOK ${formatAmount(minor, 'NOK')}`;
/** Times vary from run to run: the report's are replaced by a placeholder before comparing. */
const TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z/g;
const WISE_NAMES: Record<PayoutPartnerState, string> = {
  processing: 'processing',
  paid: 'outgoing_payment_sent',
  failed: 'cancelled',
  returned: 'bounced_back',
};

interface Transfer {
  id: string;
  kid: string;
  amountMinor: bigint;
}

describe('reconciling the ledger with the bank, the partner and the refunds', () => {
  let db: TestDatabase;
  let userId: string;
  let recipientId: string;
  let kids: SequenceKidAllocator;
  let fileNumber = 0;

  const transfer = (nok: number): Promise<Transfer> => makeTransfer(db.pool, { userId, recipientId, nok, rates, kids });
  const entry = (creditDebit: 'CRDT' | 'DBIT', amountMinor: bigint, extra: Partial<BankEntry> = {}) =>
    bankEntry(amountMinor, { creditDebit, debtor: CUSTOMER_DEBTOR, ...extra });
  const payment = (t: Transfer) => entry('CRDT', t.amountMinor, { kid: t.kid });
  const importStatement = async (entries: BankEntry[]) => {
    const file = {
      kind: 'camt.053' as const,
      messageId: `MSG-${++fileNumber}`,
      reports: [{ id: `STMT-${fileNumber}`, account: { iban: `NO93${ACCOUNT}` }, entries }],
    };
    const bytes = JSON.stringify(file, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
    return importBankFile(db.pool, {
      file,
      sha256: createHash('sha256').update(bytes).digest(),
      fileName: 'statement.xml',
      importedBy: 'cli:test',
      payInAccount: ACCOUNT,
      kidFormat: KID_FORMAT,
      lateToleranceDays: 3,
    });
  };
  /** A partner that answers every payout with `state` at once. */
  const partnerAnswering = (state: PayoutPartnerState): PayoutPartner => ({
    name: 'fake',
    send: async (order) => ({ partnerReference: `FAKE-${order.transferId}`, state }),
    parseWebhook: () => null,
  });
  const payOut = async (t: Transfer, state: PayoutPartnerState) => {
    await startPayout(db.pool, { transactionId: t.id, partner: 'fake', actor: 'system:test' });
    assert.equal(await sendPayout(db.pool, partnerAnswering(state), t.id), 'sent');
  };
  /** What the partner says now, per transfer; a missing one is an error. */
  const partnerSaying = (states: Record<string, PayoutPartnerState | Error>): PayoutPartnerStatusSource => ({
    name: 'fake',
    fetchState: async (reference) => {
      const state = states[reference.replace(/^FAKE-/, '')];
      if (state instanceof Error) throw state;
      if (!state) throw new Error(`no such transfer ${reference}`);
      return { state, partnerState: WISE_NAMES[state] };
    },
  });
  const reconcile = async (options?: ReconcileOptions) => {
    const report = await reconcileLedger(db.pool, options);
    return { ...report, differences: report.differences.map((d) => ({ ...d, detail: d.detail.replace(TIME, '<time>') })) };
  };
  const differences = async (options?: ReconcileOptions) => (await reconcile(options)).differences;
  const counts = (report: ReconciliationReport) =>
    Object.fromEntries(Object.entries(report.counts).map(([check, count]) => [check, [count.checked, count.errors, count.warnings]]));

  /**
   * The clean book: paid (funded by the bank, paid out), failed (funded, payout failed, refunded,
   * the refund on the statement), sent (funded, payout at the partner), over (overpaid, matched by
   * hand, the excess sent back and on the statement), an unknown payment of NOK 70 in suspense and
   * one of NOK 80 sent back (on the statement).
   */
  const cleanBook = async () => {
    const paid = await transfer(1000);
    const failed = await transfer(1100);
    const sent = await transfer(1200);
    const over = await transfer(1300);
    const incoming = await importStatement([
      payment(paid),
      payment(failed),
      payment(sent),
      entry('CRDT', over.amountMinor + 5_000n, { kid: over.kid }),
      entry('CRDT', 7_000n, { kid: '000000000018' }),
      entry('CRDT', 8_000n, { kid: '000000000117' }),
    ]);
    assert.equal(incoming.funded.length, 3);
    const [overpaid, unknown, returned] = incoming.exceptions;
    assert.ok(overpaid && unknown && returned);
    await payOut(paid, 'paid');
    await payOut(failed, 'failed');
    assert.equal(
      await confirmCustomerRefund(db.pool, { transactionId: failed.id, actor: 'stf_test', note: 'paid by hand in the bank' }),
      'sent',
    );
    await payOut(sent, 'processing');
    await matchBankEntryByHand(db.pool, { entryId: overpaid.entryId, transactionId: over.id, staffId: STAFF, note: 'paid a little extra' });
    await refundBankEntry(db.pool, { entryId: returned.entryId, staffId: STAFF, note: 'not ours' });
    const outgoing = await importStatement([entry('DBIT', failed.amountMinor), entry('DBIT', 5_000n), entry('DBIT', 8_000n)]);
    assert.equal(outgoing.debits, 3);
    const paidEntry = incoming.funded.find((f) => f.transactionId === paid.id)?.entryId as string;
    return { paid, failed, sent, over, paidEntry, unknownEntry: unknown.entryId };
  };

  beforeEach(async () => {
    db = await createTestDatabase({ prefix: 'drop_reconcile' });
    await rates.refresh();
    kids = new SequenceKidAllocator(KID_FORMAT);
    ({ userId, recipientId } = await verifiedCustomer(db.pool, 2));
  });
  afterEach(async () => {
    await db?.drop();
  });

  it('finds no difference in a clean book, with or without asking a partner that agrees, in the pool or a transaction', async () => {
    const book = await cleanBook();
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
    const report = await reconcile();
    assert.equal(report.ok, true);
    assert.deepEqual(report.differences, []);
    assert.equal(report.partner, null);
    assert.match(report.checkedAt, TIME);
    // Checked, errors, warnings: 4 bank credits + 4 pay-ins; 3 credits through suspense; 9
    // statement entries; 3 payouts + 2 transfers in processing or paid out; 1 refund record + 1 posting.
    assert.deepEqual(counts(report), {
      bank_credits: [8, 0, 0],
      suspense: [3, 0, 0],
      bank_account: [9, 0, 0],
      payouts: [5, 0, 0],
      payout_partner: [0, 0, 0],
      refunds: [2, 0, 0],
    });

    const asked: string[] = [];
    const agreeing = partnerSaying({ [book.paid.id]: 'paid', [book.sent.id]: 'processing' });
    const withPartner = await reconcile({
      partner: {
        name: 'fake',
        fetchState: (reference) => {
          asked.push(reference);
          return agreeing.fetchState(reference);
        },
      },
    });
    assert.deepEqual(withPartner.differences, []);
    assert.equal(withPartner.ok, true);
    // The sent payout and the one paid within the last seven days; never the failed one.
    assert.deepEqual(asked.sort(), [`FAKE-${book.paid.id}`, `FAKE-${book.sent.id}`].sort());
    assert.deepEqual(withPartner.counts.payout_partner, { checked: 2, errors: 0, warnings: 0 });
    assert.equal(withPartner.partner?.name, 'fake');
    assert.ok(Date.parse(withPartner.checkedAt) - Date.parse(withPartner.partner?.since ?? '') === 7 * 86_400_000);

    const inTransaction = await withTransaction(db.pool, (tx) => reconcileLedger(tx));
    assert.deepEqual([inTransaction.ok, inTransaction.differences, inTransaction.counts], [true, [], report.counts]);
  });

  it('warns about a transfer funded without a bank payment, and explains the bank account by it', async () => {
    await cleanBook();
    assert.deepEqual(await differences(), []);
    const cash = await transfer(900);
    await transitionTransfer(db.pool, { transactionId: cash.id, to: 'funds_received', actor: STAFF, reason: 'paid at the office' });

    const report = await reconcile();
    assert.equal(report.ok, true);
    assert.deepEqual(report.differences, [
      {
        check: 'bank_credits',
        severity: 'warning',
        subject: cash.id,
        expected: 'a bank payment of NOK 900.00 matched to it',
        actual: 'none: a pay-in of NOK 900.00 posted without a bank record',
        detail: `Marked funds_received by ${STAFF} at <time>; the transfer is funds_received.`,
      },
      {
        check: 'bank_account',
        severity: 'warning',
        subject: 'bank NOK',
        expected: 'NOK 3570.00 (statements: 9 entries, credits NOK 4800.00, debits NOK 1230.00)',
        actual: 'NOK 4470.00 (ledger)',
        detail:
          'Ledger − statements = NOK 900.00 = NOK 900.00 of pay-ins posted without a bank payment (1) − NOK 0.00 sent out but not yet on a ' +
          'statement (0) + NOK 0.00 of statement debits Drop has no record of: partner funding, fees, reversals (0) + NOK 0.00 unexplained.',
      },
    ] satisfies ReconciliationDifference[]);
    assert.deepEqual(report.counts.bank_credits, { checked: 9, errors: 0, warnings: 1 });
  });

  it('names a matched bank payment whose amount was edited by hand, which the ledger’s own checks cannot see', async () => {
    const book = await cleanBook();
    assert.deepEqual(await differences(), []);
    await db.pool.query('UPDATE bank_entries SET amount_minor = amount_minor + 100 WHERE id = $1', [book.paidEntry]);
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);

    const report = await reconcile();
    assert.equal(report.ok, false);
    const { rows } = await db.pool.query<{ reference: string }>('SELECT reference FROM bank_entries WHERE id = $1', [book.paidEntry]);
    assert.deepEqual(report.differences, [
      {
        check: 'bank_credits',
        severity: 'error',
        subject: book.paidEntry,
        expected: `NOK 1000.00, what ${book.paid.id} costs`,
        actual: 'NOK 1001.00 paid',
        detail: `Bank payment ${rows[0]?.reference} of NOK 1001.00, matched, for ${book.paid.id} (paid_out).`,
      },
      {
        check: 'bank_account',
        severity: 'error',
        subject: 'bank NOK',
        expected: 'NOK 3571.00 (statements: 9 entries, credits NOK 4801.00, debits NOK 1230.00)',
        actual: 'NOK 3570.00 (ledger)',
        detail:
          'Ledger − statements = NOK -1.00 = NOK 0.00 of pay-ins posted without a bank payment (0) − NOK 0.00 sent out but not yet on a ' +
          'statement (0) + NOK 0.00 of statement debits Drop has no record of: partner funding, fees, reversals (0) + NOK -1.00 unexplained.',
      },
    ] satisfies ReconciliationDifference[]);
  });

  it('explains a payment sent back from the exceptions queue until the statement shows it, and names it after three days', async () => {
    const book = await cleanBook();
    assert.deepEqual(await differences(), []);
    await refundBankEntry(db.pool, { entryId: book.unknownEntry, staffId: STAFF, note: 'nobody claims it' });
    const bankNok = {
      check: 'bank_account',
      severity: 'warning',
      subject: 'bank NOK',
      expected: 'NOK 3570.00 (statements: 9 entries, credits NOK 4800.00, debits NOK 1230.00)',
      actual: 'NOK 3500.00 (ledger)',
      detail:
        'Ledger − statements = NOK -70.00 = NOK 0.00 of pay-ins posted without a bank payment (0) − NOK 70.00 sent out but not yet on a ' +
        'statement (1) + NOK 0.00 of statement debits Drop has no record of: partner funding, fees, reversals (0) + NOK 0.00 unexplained.',
    } satisfies ReconciliationDifference;
    assert.deepEqual(await differences(), [bankNok]);

    await db.pool.query(`UPDATE bank_entries SET resolved_at = now() - interval '4 days' WHERE id = $1`, [book.unknownEntry]);
    const late = await reconcile();
    assert.equal(late.ok, false);
    assert.deepEqual(late.differences, [
      bankNok,
      {
        check: 'bank_account',
        severity: 'error',
        subject: book.unknownEntry,
        expected: 'a debit of NOK 70.00 on a bank statement',
        actual: 'none 4 days after it was sent',
        detail:
          'A payment sent back from the exceptions queue of NOK 70.00 recorded at <time>; no imported statement shows a debit of that amount.',
      },
    ] satisfies ReconciliationDifference[]);

    await importStatement([entry('DBIT', 7_000n)]);
    assert.deepEqual(await differences(), []);
  });

  it('names a customer refund sent more than three days ago that no statement shows', async () => {
    await cleanBook();
    const bounced = await transfer(600);
    await importStatement([payment(bounced)]);
    await payOut(bounced, 'failed');
    await confirmCustomerRefund(db.pool, { transactionId: bounced.id, actor: 'stf_test', note: 'paid by hand in the bank' });
    await db.pool.query(`UPDATE customer_refunds SET sent_at = now() - interval '5 days' WHERE transaction_id = $1`, [bounced.id]);

    assert.deepEqual(await differences(), [
      {
        check: 'bank_account',
        severity: 'warning',
        subject: 'bank NOK',
        expected: 'NOK 4170.00 (statements: 10 entries, credits NOK 5400.00, debits NOK 1230.00)',
        actual: 'NOK 3570.00 (ledger)',
        detail:
          'Ledger − statements = NOK -600.00 = NOK 0.00 of pay-ins posted without a bank payment (0) − NOK 600.00 sent out but not yet on a ' +
          'statement (1) + NOK 0.00 of statement debits Drop has no record of: partner funding, fees, reversals (0) + NOK 0.00 unexplained.',
      },
      {
        check: 'bank_account',
        severity: 'error',
        subject: bounced.id,
        expected: 'a debit of NOK 600.00 on a bank statement',
        actual: 'none 5 days after it was sent',
        detail: 'A customer refund of NOK 600.00 recorded at <time>; no imported statement shows a debit of that amount.',
      },
    ] satisfies ReconciliationDifference[]);
  });

  it('names suspense that no longer matches the exceptions queue after an exception was closed by hand', async () => {
    const book = await cleanBook();
    assert.deepEqual(await differences(), []);
    await db.pool.query(`UPDATE bank_entries SET status = 'recorded', exception_reason = NULL WHERE id = $1`, [book.unknownEntry]);

    const report = await reconcile();
    assert.equal(report.ok, false);
    assert.deepEqual(report.differences, [
      {
        check: 'suspense',
        severity: 'error',
        subject: 'suspense NOK',
        expected: 'NOK 0.00',
        actual: 'NOK 70.00',
        detail:
          'Bank: 0 payment(s) in the exceptions queue, NOK 0.00. Ledger: NOK 1500.00 of unidentified receipts in; NOK 1300.00 matched to ' +
          'transfers and NOK 130.00 sent back out.',
      },
    ] satisfies ReconciliationDifference[]);
    assert.deepEqual(report.counts.suspense, { checked: 2, errors: 1, warnings: 0 });
  });

  it('reports each payout the partner sees differently, and a partner that does not answer', async () => {
    const book = await cleanBook();
    const report = await reconcile({
      partner: partnerSaying({ [book.paid.id]: 'returned', [book.sent.id]: 'paid' }),
    });
    assert.equal(report.ok, false);
    const [first, second] = [book.paid.id, book.sent.id].sort();
    const disagreements: Record<string, ReconciliationDifference> = {
      [book.paid.id]: {
        check: 'payout_partner',
        severity: 'error',
        subject: book.paid.id,
        expected: 'partner: returned (bounced_back)',
        actual: 'Drop: paid (last heard paid)',
        detail: `The recipient's bank sent the payout back but Drop shows it paid: the customer is not refunded. Partner reference fake FAKE-${book.paid.id}.`,
      },
      [book.sent.id]: {
        check: 'payout_partner',
        severity: 'error',
        subject: book.sent.id,
        expected: 'partner: paid (outgoing_payment_sent)',
        actual: 'Drop: sent (last heard processing)',
        detail: `The partner paid the recipient but Drop has not recorded it (a missed webhook?): the transfer is not paid out. Partner reference fake FAKE-${book.sent.id}.`,
      },
    };
    assert.deepEqual(report.differences, [disagreements[first as string], disagreements[second as string]]);
    assert.deepEqual(report.counts.payout_partner, { checked: 2, errors: 2, warnings: 0 });

    // Paid payouts settled before `since` are not asked about; a partner that fails to answer is a warning.
    const later = await reconcile({
      partner: partnerSaying({ [book.sent.id]: new Error('Wise: no answer within 15000 ms') }),
      since: new Date(Date.now() + 60_000),
    });
    assert.equal(later.ok, true);
    assert.deepEqual(later.differences, [
      {
        check: 'payout_partner',
        severity: 'warning',
        subject: book.sent.id,
        expected: `the partner's state of fake FAKE-${book.sent.id}`,
        actual: 'no answer: Wise: no answer within 15000 ms',
        detail: 'Drop shows the payout sent; ask again later.',
      },
    ] satisfies ReconciliationDifference[]);
  });

  it('warns about a payout that has not moved for a day', async () => {
    const book = await cleanBook();
    assert.deepEqual(await differences(), []);
    await db.pool.query(`UPDATE payouts SET sent_at = now() - interval '25 hours' WHERE transaction_id = $1`, [book.sent.id]);
    assert.deepEqual(await differences(), [
      {
        check: 'payouts',
        severity: 'warning',
        subject: book.sent.id,
        expected: 'paid or failed within 24 hours',
        actual: 'still sent after 25 hours',
        detail: `The payout is sent at fake (FAKE-${book.sent.id}, processing); the transfer is processing. 1 attempt(s).`,
      },
    ] satisfies ReconciliationDifference[]);
  });

  it('names a payout marked paid by hand: no payout_confirmed posting and a transfer still processing', async () => {
    const book = await cleanBook();
    assert.deepEqual(await differences(), []);
    await db.pool.query(`UPDATE payouts SET state = 'paid', settled_at = now() WHERE transaction_id = $1`, [book.sent.id]);
    const detail = `The payout is paid at fake (FAKE-${book.sent.id}, processing); the transfer is processing.`;
    const report = await reconcile();
    assert.equal(report.ok, false);
    assert.deepEqual(report.differences, [
      {
        check: 'payouts',
        severity: 'error',
        subject: book.sent.id,
        expected: 'ledger: payout confirmed (payout_confirmed)',
        actual: 'ledger: payout reserved, not settled',
        detail,
      },
      { check: 'payouts', severity: 'error', subject: book.sent.id, expected: 'transfer paid_out', actual: 'transfer processing', detail },
    ] satisfies ReconciliationDifference[]);
  });

  it('warns about a transfer paid out by hand with no payout record', async () => {
    await cleanBook();
    const byHand = await transfer(500);
    await importStatement([payment(byHand)]);
    assert.deepEqual(await differences(), []);
    await transitionTransfer(db.pool, { transactionId: byHand.id, to: 'processing', actor: STAFF });
    await transitionTransfer(db.pool, { transactionId: byHand.id, to: 'paid_out', actor: STAFF });
    const report = await reconcile();
    assert.equal(report.ok, true);
    assert.deepEqual(report.differences, [
      {
        check: 'payouts',
        severity: 'warning',
        subject: byHand.id,
        expected: 'a payout the partner paid',
        actual: 'no payout record (the transfer is paid_out)',
        detail: `Moved to paid_out by ${STAFF} at <time>.`,
      },
    ] satisfies ReconciliationDifference[]);
  });

  it('names a refund record whose amount differs from the refund posted', async () => {
    const book = await cleanBook();
    assert.deepEqual(await differences(), []);
    await db.pool.query('UPDATE customer_refunds SET amount_minor = amount_minor - 100 WHERE transaction_id = $1', [book.failed.id]);
    const report = await reconcile();
    assert.equal(report.ok, false);
    assert.deepEqual(report.differences, [
      {
        check: 'refunds',
        severity: 'error',
        subject: book.failed.id,
        expected: 'transfer refunded, a refund of NOK 1099.00 posted',
        actual: 'transfer refunded, a refund of NOK 1100.00 posted',
        detail: 'Refund of NOK 1099.00 (The payout partner could not pay the recipient.) to account ending 8903, sent at <time>.',
      },
    ] satisfies ReconciliationDifference[]);
  });

  it('warns about a refund posted without a refund record until the statement shows the money leaving', async () => {
    await cleanBook();
    const refunded = await transfer(450);
    await importStatement([payment(refunded)]);
    await transitionTransfer(db.pool, { transactionId: refunded.id, to: 'refunded', actor: STAFF, reason: 'customer changed their mind' });
    const noRecord = {
      check: 'refunds',
      severity: 'warning',
      subject: refunded.id,
      expected: 'a refund record (customer_refunds) sent for NOK 450.00',
      actual: 'a refund of NOK 450.00 posted with no refund record',
      detail: `Refunded by ${STAFF} at <time>; the transfer is refunded.`,
    } satisfies ReconciliationDifference;
    assert.deepEqual(await differences(), [
      {
        check: 'bank_account',
        severity: 'warning',
        subject: 'bank NOK',
        expected: `NOK 4020.00 (statements: 10 entries, credits ${NOK(480_000n + refunded.amountMinor)}, debits NOK 1230.00)`,
        actual: 'NOK 3570.00 (ledger)',
        detail:
          'Ledger − statements = NOK -450.00 = NOK 0.00 of pay-ins posted without a bank payment (0) − NOK 450.00 sent out but not yet on a ' +
          'statement (1) + NOK 0.00 of statement debits Drop has no record of: partner funding, fees, reversals (0) + NOK 0.00 unexplained.',
      },
      noRecord,
    ]);
    await importStatement([entry('DBIT', refunded.amountMinor)]);
    assert.deepEqual(await differences(), [noRecord]);
  });
});
