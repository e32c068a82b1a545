/**
 * Importing bank files against a real PostgreSQL: an exact payment with the KID funds its
 * transfer; everything else waits in the exceptions queue with its money in suspense; the same
 * file or the same booking twice changes nothing; a file for another account is refused whole;
 * staff match by hand or refund. After every step the ledger verifies.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { fixedRates, makeTransfer, TODAY_IN_OSLO, verifiedCustomer } from '../../../../test/support/money.ts';
import { DomainError } from '../errors.ts';
import { verifyLedger } from '../ledger/verify-ledger.ts';
import { startPayout } from '../payouts/start-payout.ts';
import { cancelTransfer } from '../transfers/cancel-transfer.ts';
import type { BankEntry, BankFile } from './bank-file.ts';
import { listBankExceptions } from './bank-views.ts';
import { importBankFile } from './import-bank-file.ts';
import type { KidFormat } from './kid.ts';
import { SequenceKidAllocator } from './kid-allocator.ts';
import { matchBankEntryByHand } from './match-bank-entry.ts';
import { refundBankEntry } from './refund-bank-entry.ts';
import { bankEntry, CUSTOMER_DEBTOR } from './test-support.ts';

const ACCOUNT = '86011117947';
const KID_FORMAT: KidFormat = { method: 'MOD10', length: 12 };
const today = TODAY_IN_OSLO;
const rates = fixedRates({ EUR: '11.7035' });
const kids = new SequenceKidAllocator(KID_FORMAT);

describe('importing bank files', () => {
  let db: TestDatabase;
  let userId: string;
  let recipientId: string;
  let fileNumber = 0;

  const transfer = (nok: number) => makeTransfer(db.pool, { userId, recipientId, nok, rates, kids });
  const credit = (amountMinor: bigint, extra: Partial<BankEntry> = {}) => bankEntry(amountMinor, { debtor: CUSTOMER_DEBTOR, ...extra });
  const file = (entries: BankEntry[], account = `NO93${ACCOUNT}`): BankFile => ({
    kind: 'camt.054',
    messageId: `MSG-${++fileNumber}`,
    reports: [{ id: `NTF-${fileNumber}`, account: { iban: account }, entries }],
  });
  const run = (bankFile: BankFile, bytes = JSON.stringify(bankFile, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) =>
    importBankFile(db.pool, {
      file: bankFile,
      sha256: createHash('sha256').update(bytes).digest(),
      fileName: 'test.xml',
      importedBy: 'cli:test',
      payInAccount: ACCOUNT,
      kidFormat: KID_FORMAT,
      lateToleranceDays: 3,
    });
  const statusOf = async (id: string) => (await db.pool.query('SELECT status FROM transactions WHERE id = $1', [id])).rows[0]?.status;
  const ledgerOk = async () => assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  const suspense = async () =>
    BigInt(
      (
        await db.pool.query(
          `SELECT coalesce(sum(credits_posted - debits_posted), 0)::text AS held FROM ledger_accounts WHERE purpose = 'suspense'`,
        )
      ).rows[0].held,
    );

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_bank_import' });
    await rates.refresh();
    ({ userId, recipientId } = await verifiedCustomer(db.pool, 1));
  });
  after(async () => {
    await db?.drop();
  });

  it('funds a transfer paid exactly with its KID, once, however often the booking is reported', async () => {
    const t = await transfer(1000);
    const payment = credit(t.amountMinor, { kid: t.kid });
    const notification = file([payment]);
    const first = await run(notification);
    assert.equal(first.alreadyImported, false);
    assert.deepEqual(
      first.funded.map((f) => f.transactionId),
      [t.id],
    );
    assert.equal(await statusOf(t.id), 'funds_received');
    await ledgerOk();

    // The same file again: recognised, nothing done.
    const again = await run(notification);
    assert.equal(again.alreadyImported, true);
    assert.equal(again.fileId, first.fileId);
    // The next day's statement reports the same booking in another file: skipped.
    const statement = await run({ ...file([payment]), kind: 'camt.053' });
    assert.equal(statement.alreadyImported, false);
    assert.equal(statement.alreadySeen, 1);
    assert.deepEqual([statement.funded, statement.exceptions], [[], []]);
    assert.equal(await statusOf(t.id), 'funds_received');
    await ledgerOk();
  });

  it('finds a KID written in the message when the structured reference is missing', async () => {
    const t = await transfer(750);
    const spaced = `${t.kid.slice(0, 4)} ${t.kid.slice(4, 8)} ${t.kid.slice(8)}`;
    const summary = await run(file([credit(t.amountMinor, { unstructured: `Drop overføring KID ${spaced} takk` })]));
    assert.deepEqual(
      summary.funded.map((f) => f.transactionId),
      [t.id],
    );
  });

  it('funds a transfer whose payment names its DRP reference in the message instead of the KID; a wrong check character does not', async () => {
    const t = await transfer(760);
    const { rows } = await db.pool.query('SELECT reference FROM transactions WHERE id = $1', [t.id]);
    const reference: string = rows[0].reference;
    const last = reference.slice(-1);
    const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
    const typo = `${reference.slice(0, -1)}${alphabet[(alphabet.indexOf(last) + 1) % alphabet.length]}`;
    const wrong = await run(file([credit(t.amountMinor, { unstructured: `Overføring ${typo.toLowerCase()}` })]));
    assert.deepEqual(wrong.funded, []);
    assert.deepEqual(
      wrong.exceptions.map((e) => e.reason),
      ['no_reference'],
    );
    const written = reference.toLowerCase().replaceAll('-', ' ');
    const summary = await run(file([credit(t.amountMinor, { unstructured: `Til Anna, ref ${written}` })]));
    assert.deepEqual(
      summary.funded.map((f) => f.transactionId),
      [t.id],
    );
    assert.equal(await statusOf(t.id), 'funds_received');
    await ledgerOk();
  });

  it('queues what it cannot match, with the money in suspense, and funds nothing', async () => {
    const under = await transfer(2000);
    const over = await transfer(2100);
    const paid = await transfer(2200);
    await run(file([credit(paid.amountMinor, { kid: paid.kid })]));
    const suspenseBefore = await suspense();
    const wrongCheckDigit = `${under.kid.slice(0, -1)}${(Number(under.kid.slice(-1)) + 1) % 10}`;
    const summary = await run(
      file([
        credit(under.amountMinor - 1n, { kid: under.kid }),
        credit(over.amountMinor + 100n, { kid: over.kid }),
        credit(paid.amountMinor, { kid: paid.kid }),
        credit(50_000n, { kid: '000000000018' }),
        credit(60_000n, { kid: wrongCheckDigit }),
        credit(70_000n, { currency: 'EUR', kid: under.kid }),
        { ...credit(80_000n), creditDebit: 'DBIT' },
        { ...credit(90_000n), status: 'PDNG' },
      ]),
    );
    assert.deepEqual(
      summary.exceptions.map((e) => e.reason),
      ['underpayment', 'overpayment', 'duplicate_payment', 'unknown_kid', 'no_reference', 'wrong_currency'],
    );
    assert.deepEqual([summary.funded.length, summary.debits, summary.notBooked], [0, 1, 1]);
    for (const id of [under.id, over.id]) assert.equal(await statusOf(id), 'awaiting_funds');
    const nokExceptions = under.amountMinor - 1n + over.amountMinor + 100n + paid.amountMinor + 50_000n + 60_000n;
    assert.equal((await suspense()) - suspenseBefore, nokExceptions);
    const queue = await listBankExceptions(db.pool, { limit: 50 });
    assert.ok(queue.some((row) => row.reason === 'overpayment' && row.transactionId === over.id));
    await ledgerOk();
  });

  it('honours a payment booked within the tolerance after the quote expired, and queues a later one', async () => {
    const plusDays = (days: number) => new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const inTime = await transfer(400);
    const late = await transfer(410);
    const summary = await run(
      file([
        credit(inTime.amountMinor, { kid: inTime.kid, bookingDate: plusDays(3) }),
        credit(late.amountMinor, { kid: late.kid, bookingDate: plusDays(4) }),
      ]),
    );
    assert.deepEqual(
      summary.funded.map((f) => f.transactionId),
      [inTime.id],
    );
    assert.deepEqual(
      summary.exceptions.map((e) => e.reason),
      ['late_payment'],
    );
    // Staff may still honour it by hand.
    await matchBankEntryByHand(db.pool, {
      entryId: summary.exceptions[0]?.entryId as string,
      transactionId: late.id,
      staffId: 'stf_test',
      note: 'honoured: the customer paid on the due date from another bank',
    });
    assert.equal(await statusOf(late.id), 'funds_received');
    await ledgerOk();
  });

  it('refuses a file for another account whole', async () => {
    const t = await transfer(300);
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM bank_entries')).rows[0].n;
    await assert.rejects(
      run(file([credit(t.amountMinor, { kid: t.kid })], 'NO8330001234567')),
      (error: unknown) => error instanceof DomainError && error.code === 'BANK_ACCOUNT_MISMATCH',
    );
    assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM bank_entries')).rows[0].n, before);
    assert.equal(await statusOf(t.id), 'awaiting_funds');
  });

  it('lets staff match an overpayment by hand (refunding the excess) and refund an unknown payment', async () => {
    const t = await transfer(1500);
    const summary = await run(
      file([credit(t.amountMinor + 2500n, { kid: t.kid }), credit(12_345n, { kid: '000000000117', debtor: { name: 'Ola' } })]),
    );
    const [overpaid, unknown] = summary.exceptions;
    assert.ok(overpaid && unknown);
    const suspenseBefore = await suspense();

    const matched = await matchBankEntryByHand(db.pool, {
      entryId: overpaid.entryId,
      transactionId: t.id,
      staffId: 'stf_test',
      note: 'customer paid a little extra',
    });
    assert.equal(matched.refunded, '25.00');
    assert.equal(await statusOf(t.id), 'funds_received');
    assert.equal(suspenseBefore - (await suspense()), t.amountMinor + 2500n);
    await assert.rejects(
      matchBankEntryByHand(db.pool, { entryId: overpaid.entryId, transactionId: t.id, staffId: 'stf_test', note: 'again' }),
      (error: unknown) => error instanceof DomainError && error.code === 'BANK_ENTRY_STATE_INVALID',
    );

    // No account reported for the unknown payer: staff must say where the refund goes.
    await assert.rejects(
      refundBankEntry(db.pool, { entryId: unknown.entryId, staffId: 'stf_test', note: 'not ours' }),
      (error: unknown) => error instanceof DomainError && error.code === 'VALIDATION_FAILED',
    );
    const refunded = await refundBankEntry(db.pool, {
      entryId: unknown.entryId,
      staffId: 'stf_test',
      note: 'not ours',
      refundTo: '1234.56.78903',
    });
    assert.deepEqual(refunded, { entryId: unknown.entryId, refundedTo: '12345678903', amount: '123.45', currency: 'NOK' });
    assert.equal(suspenseBefore - (await suspense()), t.amountMinor + 2500n + 12_345n);
    const { rows } = await db.pool.query(`SELECT action FROM audit_log WHERE resource_id = ANY($1) AND action LIKE 'bank_%' ORDER BY seq`, [
      [overpaid.entryId, unknown.entryId],
    ]);
    assert.deepEqual(
      rows.map((row) => row.action),
      ['bank_entry_matched', 'bank_entry_refunded'],
    );
    await ledgerOk();
  });

  it('lets the customer cancel after paying, before conversion: no payout, funds_received until the refund leaves the bank', async () => {
    const t = await transfer(650);
    await run(file([credit(t.amountMinor, { kid: t.kid, debtor: { name: 'Kari Nordmann', account: '12345678903' } })]));
    assert.equal(await statusOf(t.id), 'funds_received');
    assert.equal(await cancelTransfer(db.pool, { userId, transactionId: t.id }), 'refund_owed');
    // A second cancel, and the payout job arriving late, both find the refund owed and do nothing.
    await assert.rejects(
      cancelTransfer(db.pool, { userId, transactionId: t.id }),
      (error: unknown) => error instanceof DomainError && error.code === 'TRANSFER_STATE_INVALID',
    );
    assert.equal(await startPayout(db.pool, { transactionId: t.id, partner: 'wise', actor: 'test' }), 'skipped');
    assert.equal(await statusOf(t.id), 'funds_received');
    await ledgerOk();
    // The bank pays the refund; the statement's debit to the paying account completes it.
    const summary = await run(
      file([
        {
          ...credit(t.amountMinor),
          creditDebit: 'DBIT',
          debtor: undefined,
          creditor: { name: 'Kari Nordmann', account: '12345678903' },
        } as BankEntry,
      ]),
    );
    assert.deepEqual(
      summary.refunds.map((r) => r.transactionId),
      [t.id],
    );
    assert.equal(await statusOf(t.id), 'refunded');
    await ledgerOk();
    // Someone else's transfer, or one already paid out, cannot be cancelled this way.
    await assert.rejects(
      cancelTransfer(db.pool, { userId: 'usr_01JZZZZZZZZZZZZZZZZZZZZZZZ', transactionId: t.id }),
      (error: unknown) => error instanceof DomainError && error.code === 'NOT_FOUND',
    );
  });

  it('refuses to fund a transfer from a payment that does not cover it', async () => {
    const t = await transfer(900);
    const summary = await run(file([credit(t.amountMinor - 100n, { kid: t.kid })]));
    const entry = summary.exceptions[0];
    assert.equal(entry?.reason, 'underpayment');
    await assert.rejects(
      matchBankEntryByHand(db.pool, { entryId: entry?.entryId as string, transactionId: t.id, staffId: 'stf_test', note: 'close enough' }),
      (error: unknown) => error instanceof DomainError && error.code === 'PAYMENT_AMOUNT_MISMATCH',
    );
    assert.equal(await statusOf(t.id), 'awaiting_funds');
    await ledgerOk();
  });
});
