/**
 * The SEPA payout rail against a real PostgreSQL: with SEPA_PAYOUTS=bank a funded euro transfer to
 * an IBAN waits for Drop's bank instead of going to the partner; an export puts every waiting
 * payout in one pain.001 file the EPC schema accepts, once (also when two exports race); the EUR
 * account's statement pays it by its EndToEndId, and a returned credit fails it so the customer is
 * refunded. After every money step the ledger verifies.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newId } from '@drop/db';
import { buildPain001 } from '@drop/integrations';
import { XMLParser } from 'fast-xml-parser';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/database.ts';
import { fixedRates, makeTransfer } from '../../../../test/support/money.ts';
import { schemaErrors } from '../../../integrations/src/iso20022/test-support.ts';
import { DomainError } from '../errors.ts';
import { verifyLedger } from '../ledger/verify-ledger.ts';
import type { BankEntry, BankFile } from '../payments/bank-file.ts';
import { importBankFile } from '../payments/import-bank-file.ts';
import type { KidFormat } from '../payments/kid.ts';
import { SequenceKidAllocator } from '../payments/kid-allocator.ts';
import { bankEntry, CUSTOMER_DEBTOR } from '../payments/test-support.ts';
import { addRecipient } from '../recipients/manage-recipients.ts';
import { confirmCustomerRefund } from '../transfers/confirm-customer-refund.ts';
import { exportSepaPayouts } from './export-sepa-payouts.ts';
import type { PayoutPartner } from './payout-partner.ts';
import { payoutsToRecover } from './payouts-to-recover.ts';
import { sendPayout } from './send-payout.ts';
import { SEPA_PARTNER, sepaEndToEndId } from './sepa-rail.ts';
import { startPayout } from './start-payout.ts';

const PAYIN_ACCOUNT = '86011117947';
const DEBTOR = { name: 'Drop AS', iban: 'NO3715030512348', bic: 'DNBANOKKXXX' };
const EUR_ACCOUNT = '15030512348';
const KID_FORMAT: KidFormat = { method: 'MOD10', length: 12 };
const rates = fixedRates({ EUR: '11.7035', SEK: '1.0123' });
const kids = new SequenceKidAllocator(KID_FORMAT);
/** 71 characters: one more than a SEPA file may carry for a name (and names are never shortened). */
const LONG_NAME = `Anna ${'Maria '.repeat(10)}Schmid`;
const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => name === 'CdtTrfTxInf',
});

interface PayoutRow {
  partner: string;
  state: string;
  idempotency_key: string;
  amount_minor: string;
  partner_reference: string | null;
  sepa_file_id: string | null;
}

describe('SEPA payouts through Drop’s own bank', () => {
  let db: TestDatabase;
  let userId: string;
  let recipients: { anna: string; longName: string; sweden: string };
  let fileNumber = 0;

  const transfer = (nok: number, recipientId = recipients.anna, country = 'DE', currency = 'EUR') =>
    makeTransfer(db.pool, { userId, recipientId, nok, rates, kids, country, currency });
  const importFile = (file: BankFile, sepaAccountIban: string | null = DEBTOR.iban) =>
    importBankFile(db.pool, {
      file,
      sha256: createHash('sha256')
        .update(JSON.stringify(file, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
        .digest(),
      fileName: 'test.xml',
      importedBy: 'cli:test',
      payInAccount: PAYIN_ACCOUNT,
      kidFormat: KID_FORMAT,
      lateToleranceDays: 3,
      sepaAccountIban: sepaAccountIban ?? undefined,
    });
  const statement = (iban: string, entries: BankEntry[]): BankFile => ({
    kind: 'camt.053',
    messageId: `STMT-${++fileNumber}`,
    reports: [{ id: `RPT-${fileNumber}`, account: { iban }, entries }],
  });
  /** The customer paid with the KID: the transfer is funds_received. */
  const funded = async (nok: number, recipientId?: string, country?: string, currency?: string) => {
    const t = await transfer(nok, recipientId, country, currency);
    const summary = await importFile(
      statement(`NO93${PAYIN_ACCOUNT}`, [bankEntry(t.amountMinor, { kid: t.kid, debtor: CUSTOMER_DEBTOR })]),
    );
    assert.deepEqual(
      summary.funded.map((f) => f.transactionId),
      [t.id],
    );
    return t;
  };
  /** Funded and its payout started on the bank rail. */
  const waiting = async (nok: number, recipientId?: string) => {
    const t = await funded(nok, recipientId);
    await startPayout(db.pool, { transactionId: t.id, partner: 'wise', actor: 'system:test', sepaPayouts: 'bank' });
    return t;
  };
  const exportFile = () => exportSepaPayouts(db.pool, { debtor: DEBTOR, createdBy: 'cli:test', writeFile: buildPain001 });
  const payoutOf = async (id: string) =>
    (
      await db.pool.query<PayoutRow>(
        `SELECT partner, state, idempotency_key::text, amount_minor::text, partner_reference, sepa_file_id FROM payouts WHERE transaction_id = $1`,
        [id],
      )
    ).rows[0] as PayoutRow;
  const statusOf = async (id: string) => (await db.pool.query('SELECT status FROM transactions WHERE id = $1', [id])).rows[0]?.status;
  const sendJobs = async (id: string) =>
    (
      await db.pool.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'payouts:send' AND key = $1`, [
        `payout:${id}`,
      ])
    ).rows[0].n as number;
  const ledgerOk = async () => assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  /** Staff confirm they paid the customer back by hand: the transfer is refunded, the ledger balanced. */
  const refundByHand = async (id: string) => {
    assert.equal(await confirmCustomerRefund(db.pool, { transactionId: id, actor: 'stf_test', note: 'paid by hand in the bank' }), 'sent');
    assert.equal(await statusOf(id), 'refunded');
    await ledgerOk();
  };
  const suspense = async () =>
    (
      await db.pool.query(
        `SELECT coalesce(sum(credits_posted - debits_posted), 0)::text AS held FROM ledger_accounts WHERE purpose = 'suspense'`,
      )
    ).rows[0].held as string;
  /** A payout exported in a file: sent, with its EndToEndId. */
  const exported = async (nok: number) => {
    const t = await waiting(nok);
    const file = await exportFile();
    assert.equal(file?.count, 1);
    const payout = await payoutOf(t.id);
    return { ...t, endToEndId: payout.partner_reference as string, payoutMinor: BigInt(payout.amount_minor) };
  };
  const eurDebit = (amountMinor: bigint, endToEndId: string | undefined) =>
    bankEntry(amountMinor, {
      creditDebit: 'DBIT',
      currency: 'EUR',
      ...(endToEndId ? { endToEndId } : {}),
      creditor: { name: 'Anna Schmidt' },
    });
  const eurReturn = (amountMinor: bigint, endToEndId: string) =>
    bankEntry(amountMinor, { creditDebit: 'CRDT', currency: 'EUR', endToEndId, returnReason: 'AC04' });

  before(async () => {
    db = await createTestDatabase({ prefix: 'drop_sepa_payouts' });
    await rates.refresh();
    userId = newId('usr');
    await db.pool.query(`INSERT INTO users (id, full_name, kyc_status, kyc_tier) VALUES ($1, 'Kari Nordmann', 'approved', 1)`, [userId]);
    const add = async (name: string, country: string, currency: string, iban: string) =>
      (await addRecipient(db.pool, { userId, recipient: { name, country, currency, relationship: 'family', details: { iban } } })).id;
    recipients = {
      anna: await add('Anna Schmidt', 'DE', 'EUR', 'DE89370400440532013000'),
      longName: await add(LONG_NAME, 'DE', 'EUR', 'DE89370400440532013000'),
      sweden: await add('Sven Svensson', 'SE', 'SEK', 'SE4550000000058398257466'),
    };
  });
  after(async () => {
    await db?.drop();
  });

  it('exports waiting payouts once, in a pain.001 the EPC schema accepts, and marks them sent', async () => {
    const first = await waiting(1000);
    const second = await waiting(1234);
    for (const t of [first, second]) {
      assert.equal((await payoutOf(t.id)).partner, SEPA_PARTNER);
      assert.equal((await payoutOf(t.id)).state, 'sending');
      assert.equal(await sendJobs(t.id), 0, 'no partner job for a payout the bank pays');
      assert.equal(await statusOf(t.id), 'processing');
    }
    const file = await exportFile();
    assert.ok(file);
    assert.deepEqual(await schemaErrors(file.xml, 'pain.001.001.09.xsd'), []);

    const payouts = [await payoutOf(first.id), await payoutOf(second.id)];
    const total = payouts.reduce((sum, p) => sum + BigInt(p.amount_minor), 0n);
    const eur = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;
    assert.deepEqual([file.count, file.controlSum], [2, eur(total)]);
    const initiation = reader.parse(file.xml).Document.CstmrCdtTrfInitn;
    assert.deepEqual(initiation.GrpHdr, {
      MsgId: file.messageId,
      CreDtTm: initiation.GrpHdr.CreDtTm,
      NbOfTxs: '2',
      CtrlSum: eur(total),
      InitgPty: { Nm: 'Drop AS' },
    });
    assert.deepEqual(
      [initiation.PmtInf.DbtrAcct, initiation.PmtInf.DbtrAgt],
      [{ Id: { IBAN: DEBTOR.iban } }, { FinInstnId: { BICFI: DEBTOR.bic } }],
    );
    assert.deepEqual(
      initiation.PmtInf.CdtTrfTxInf,
      [first, second].map((t, i) => ({
        PmtId: { EndToEndId: sepaEndToEndId(payouts[i]?.idempotency_key ?? '') },
        Amt: { InstdAmt: { '#text': eur(BigInt(payouts[i]?.amount_minor ?? 0)), '@_Ccy': 'EUR' } },
        Cdtr: { Nm: 'Anna Schmidt', PstlAdr: { Ctry: 'DE' } },
        CdtrAcct: { Id: { IBAN: 'DE89370400440532013000' } },
        RmtInf: { Ustrd: `Drop ${t.id.slice(-10)}` },
      })),
    );
    for (const payout of payouts) {
      assert.match(payout.partner_reference ?? '', /^[0-9a-f]{32}$/);
      assert.deepEqual(
        [payout.state, payout.partner_reference, payout.sepa_file_id],
        ['sent', sepaEndToEndId(payout.idempotency_key), file.fileId],
      );
    }
    const stored = (
      await db.pool.query(
        `SELECT message_id, created_by, payouts, control_sum_minor::text, encode(sha256, 'hex') AS sha256, xml FROM sepa_payout_files WHERE id = $1`,
        [file.fileId],
      )
    ).rows[0];
    assert.deepEqual(stored, {
      message_id: file.messageId,
      created_by: 'cli:test',
      payouts: 2,
      control_sum_minor: total.toString(),
      sha256: createHash('sha256').update(file.xml).digest('hex'),
      xml: file.xml,
    });
    const audit = await db.pool.query(
      `SELECT actor, details FROM audit_log WHERE action = 'sepa_payout_file_exported' AND resource_id = $1`,
      [file.fileId],
    );
    assert.deepEqual(
      audit.rows.map((row) => [row.actor, row.details.payouts, row.details.controlSum]),
      [['cli:test', 2, eur(total)]],
    );

    // A second export takes none of them: nothing is waiting, so no file; a new payout goes alone.
    assert.equal(await exportFile(), undefined);
    const third = await waiting(777);
    const next = await exportFile();
    assert.equal(next?.count, 1);
    const ids = [...(next?.xml.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g) ?? [])].map((m) => m[1]);
    assert.deepEqual(ids, [(await payoutOf(third.id)).partner_reference]);
    assert.equal((await db.pool.query('SELECT count(*)::int AS n FROM sepa_payout_files')).rows[0].n, 2);
    await ledgerOk();
  });

  it('never puts one payout in two files when two exports run at once', async () => {
    // One export is held while it writes its file (its payouts taken); another runs meanwhile.
    const held = await waiting(490);
    let release = () => {};
    let writing = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const insideFirst = new Promise<void>((resolve) => {
      writing = resolve;
    });
    const first = exportSepaPayouts(db.pool, {
      debtor: DEBTOR,
      createdBy: 'cli:first',
      writeFile: async (batch) => {
        writing();
        await gate;
        return buildPain001(batch);
      },
    });
    await insideFirst;
    // It must neither take the held payout nor wait for the held export.
    const second = exportFile();
    const meanwhile = await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 3000, 'still waiting'))]);
    release();
    assert.deepEqual([meanwhile, (await first)?.count, await second], [undefined, 1, undefined]);
    assert.equal((await payoutOf(held.id)).state, 'sent');

    // And several at once, as they come.
    const transfers = [];
    for (let i = 0; i < 6; i++) transfers.push(await waiting(500 + i * 10));
    const files = (await Promise.all([exportFile(), exportFile(), exportFile()])).filter((file) => file !== undefined);
    assert.ok(files.length >= 1);
    const endToEndIds = files.flatMap((file) => [...file.xml.matchAll(/<EndToEndId>([^<]+)<\/EndToEndId>/g)].map((m) => m[1]));
    const expected = await Promise.all(transfers.map(async (t) => (await payoutOf(t.id)).partner_reference));
    assert.deepEqual([...endToEndIds].sort(), [...expected].sort(), 'every payout in exactly one file');
    assert.equal(
      files.reduce((sum, file) => sum + file.count, 0),
      6,
    );
    for (const t of transfers) {
      const payout = await payoutOf(t.id);
      assert.equal(payout.state, 'sent');
      assert.ok(files.some((file) => file.fileId === payout.sepa_file_id));
    }
  });

  it('pays the transfer when the EUR account’s statement books the debit with its EndToEndId', async () => {
    const t = await exported(900);
    const suspenseBefore = await suspense();
    const booking = eurDebit(t.payoutMinor, t.endToEndId);
    const summary = await importFile(
      statement(DEBTOR.iban, [
        booking,
        eurDebit(250n, undefined), // a bank fee: recorded, nothing else
        bankEntry(10_000n, { currency: 'EUR', debtor: { name: 'Drop AS' } }), // Drop funding its EUR account
        { ...eurDebit(t.payoutMinor, t.endToEndId), status: 'PDNG', reference: 'pending-1' },
      ]),
    );
    assert.deepEqual(summary.payouts, [
      { entryId: summary.payouts?.[0]?.entryId, transactionId: t.id, endToEndId: t.endToEndId, outcome: 'paid' },
    ]);
    assert.deepEqual([summary.funded, summary.exceptions, summary.debits, summary.notBooked], [[], [], 2, 1]);
    assert.equal(await statusOf(t.id), 'paid_out');
    assert.equal((await payoutOf(t.id)).state, 'paid');
    assert.equal(await suspense(), suspenseBefore, 'nothing of the EUR account goes to suspense');
    const entries = await db.pool.query(
      `SELECT account, status, transaction_id FROM bank_entries WHERE bank_file_id = $1 ORDER BY amount_minor DESC`,
      [summary.fileId],
    );
    assert.deepEqual(
      entries.rows.map((row) => [row.account, row.status, row.transaction_id]).sort(),
      [
        [EUR_ACCOUNT, 'recorded', null],
        [EUR_ACCOUNT, 'recorded', null],
        [EUR_ACCOUNT, 'recorded', t.id],
      ].sort(),
    );
    const file = await db.pool.query('SELECT account FROM bank_files WHERE id = $1', [summary.fileId]);
    assert.equal(file.rows[0].account, EUR_ACCOUNT);
    await ledgerOk();

    // The same booking in the next statement is skipped; a second debit naming a paid payout changes nothing.
    const again = await importFile(statement(DEBTOR.iban, [booking, eurDebit(t.payoutMinor, t.endToEndId)]));
    assert.equal(again.alreadySeen, 1);
    assert.deepEqual(
      again.payouts?.map((p) => [p.transactionId, p.outcome]),
      [[t.id, 'ignored']],
    );
    assert.equal(await statusOf(t.id), 'paid_out');
    await ledgerOk();
  });

  it('leaves a debit of another amount for staff', async () => {
    const t = await exported(650);
    const summary = await importFile(statement(DEBTOR.iban, [eurDebit(t.payoutMinor + 1n, t.endToEndId)]));
    assert.deepEqual(
      summary.payouts?.map((p) => [p.transactionId, p.outcome]),
      [[t.id, 'amount_mismatch']],
    );
    assert.equal(await statusOf(t.id), 'processing');
    assert.equal((await payoutOf(t.id)).state, 'sent');
    await ledgerOk();
  });

  it('refunds the customer when the recipient’s bank returns a paid payout', async () => {
    const t = await exported(1100);
    await importFile(statement(DEBTOR.iban, [eurDebit(t.payoutMinor, t.endToEndId)]));
    assert.equal(await statusOf(t.id), 'paid_out');
    const summary = await importFile(statement(DEBTOR.iban, [eurReturn(t.payoutMinor, t.endToEndId)]));
    assert.deepEqual(
      summary.payouts?.map((p) => [p.transactionId, p.outcome]),
      [[t.id, 'returned']],
    );
    assert.deepEqual(summary.exceptions, []);
    assert.equal(await statusOf(t.id), 'failed');
    assert.equal((await payoutOf(t.id)).state, 'returned');
    const refund = await db.pool.query('SELECT state, amount_minor::text, to_account FROM customer_refunds WHERE transaction_id = $1', [
      t.id,
    ]);
    assert.deepEqual(refund.rows, [{ state: 'pending', amount_minor: t.amountMinor.toString(), to_account: '12345678903' }]);
    await ledgerOk();
    await refundByHand(t.id);
  });

  it('fails the payout and refunds when the return comes before any debit', async () => {
    const t = await exported(1200);
    const summary = await importFile(statement(DEBTOR.iban, [eurReturn(t.payoutMinor, t.endToEndId)]));
    assert.deepEqual(
      summary.payouts?.map((p) => [p.transactionId, p.outcome]),
      [[t.id, 'failed']],
    );
    assert.equal(await statusOf(t.id), 'failed');
    assert.equal((await payoutOf(t.id)).state, 'failed');
    await ledgerOk();
    await refundByHand(t.id);
  });

  it('takes a EUR-account file only when that account is given, and never one for a third account', async () => {
    const file = statement(DEBTOR.iban, [eurDebit(100n, undefined)]);
    for (const [account, sepa] of [
      [DEBTOR.iban, null],
      ['NO8330001234567', DEBTOR.iban],
    ] as const) {
      await assert.rejects(
        importFile({ ...file, reports: [{ id: 'R', account: { iban: account }, entries: file.reports[0]?.entries ?? [] }] }, sepa),
        (error: unknown) => error instanceof DomainError && error.code === 'BANK_ACCOUNT_MISMATCH',
      );
    }
  });

  it('with SEPA_PAYOUTS=partner, and for what SEPA cannot carry, the partner pays as before', async () => {
    assert.equal([...LONG_NAME].length, 71);
    const sent: string[] = [];
    const wise: PayoutPartner = {
      name: 'wise',
      send: async (order) => {
        sent.push(order.transferId);
        return { partnerReference: `wise-${order.transferId}`, state: 'processing' };
      },
      parseWebhook: () => null,
    };
    const byPartner = await funded(800);
    await startPayout(db.pool, { transactionId: byPartner.id, partner: 'wise', actor: 'system:test' });
    const explicitly = await funded(810);
    await startPayout(db.pool, { transactionId: explicitly.id, partner: 'wise', actor: 'system:test', sepaPayouts: 'partner' });
    const longName = await funded(820, recipients.longName);
    await startPayout(db.pool, { transactionId: longName.id, partner: 'wise', actor: 'system:test', sepaPayouts: 'bank' });
    const kronor = await funded(830, recipients.sweden, 'SE', 'SEK');
    await startPayout(db.pool, { transactionId: kronor.id, partner: 'wise', actor: 'system:test', sepaPayouts: 'bank' });
    const toPartner = [byPartner, explicitly, longName, kronor];
    for (const t of toPartner) {
      assert.deepEqual([(await payoutOf(t.id)).partner, await sendJobs(t.id)], ['wise', 1]);
    }
    assert.equal(await exportFile(), undefined, 'the bank gets none of them');

    // A SEPA payout is never sent to the partner, and the recovery job does not see it.
    const bySepa = await waiting(840);
    assert.equal(await sendPayout(db.pool, wise, bySepa.id), 'other_partner');
    assert.deepEqual(sent, []);
    const toRecover = await payoutsToRecover(db.pool, { olderThanSeconds: 0, limit: 100, partner: 'wise' });
    assert.deepEqual([...toRecover].sort(), toPartner.map((t) => t.id).sort());
    assert.ok(!(await payoutsToRecover(db.pool, { olderThanSeconds: 0, limit: 100 })).includes(bySepa.id));
    assert.deepEqual(await payoutsToRecover(db.pool, { olderThanSeconds: 0, limit: 100, partner: 'other' }), []);
    for (const t of toPartner) assert.equal(await sendPayout(db.pool, wise, t.id), 'sent');
    assert.deepEqual([...sent].sort(), toPartner.map((t) => t.id).sort());
    assert.equal((await exportFile())?.count, 1);
    await ledgerOk();
  });
});
