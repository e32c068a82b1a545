/**
 * The SEPA payout rail over real HTTP with the worker running and SEPA_PAYOUTS=bank: a funded
 * euro transfer to an IBAN waits for the bank (nothing goes to Wise); staff export the SEPA file,
 * list and download it; the EUR account's camt.053 with the booked debit pays the transfer out.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyLedger } from '@drop/core';
import { buildCamt053, buildCamt054 } from '@drop/integrations';
import { transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { waitUntil } from '../../../test/support/server.ts';
import type { RunningDrop } from '../src/runtime.ts';

const PAYIN_IBAN = 'NO9386011117947';
const EUR_IBAN = 'NO3715030512348';

describe('SEPA payouts over HTTP', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let staffCookie: string;

  const staff = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, { ...init, headers: { cookie: staffCookie, origin: base, ...(init.headers ?? {}) } });
  const upload = (xml: string) =>
    staff('/api/staff/bank-files', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
  const today = () => new Date().toISOString().slice(0, 10);

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ WORKER_MODE: 'inline', SEPA_PAYOUTS: 'bank', SEPA_DEBTOR_IBAN: EUR_IBAN }));
    staffCookie = await signInStaff(base, db.pool, 'admin', 'finance@drop.no');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  it('waits for the bank, exports the file for staff, and pays out on the EUR statement', async () => {
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    const created = await transferAs(kari);
    const paid = await upload(
      buildCamt054({
        messageId: `DNB-${randomUUID().slice(0, 8)}`,
        createdAt: new Date().toISOString(),
        account: { iban: PAYIN_IBAN },
        entries: [
          {
            reference: `BOOK-${randomUUID().slice(0, 8)}`,
            creditDebit: 'CRDT',
            amountMinor: BigInt(created.send.amount.replace('.', '')),
            currency: 'NOK',
            bookingDate: today(),
            kid: created.kid,
            debtorName: 'Kari Nordmann',
            debtorAccount: '12345678903',
          },
        ],
      }),
    );
    assert.equal(paid.status, 201, await paid.clone().text());
    const payout = async () =>
      (
        await db.pool.query(`SELECT partner, state, partner_reference, amount_minor::text FROM payouts WHERE transaction_id = $1`, [
          created.id,
        ])
      ).rows[0];
    await waitUntil(async () => (await payout())?.partner === 'sepa', 20_000, 'the payout to wait for the bank');
    assert.equal((await payout()).state, 'sending');
    assert.equal(drop.app.wiseSimulator.transfers().length, 0, 'nothing went to Wise');

    const made = await staff('/api/staff/payouts/sepa-files', { method: 'POST' });
    assert.equal(made.status, 201, await made.clone().text());
    const file = (await made.json()).data;
    assert.equal(file.count, 1);
    assert.equal(file.controlSum, created.receive.amount);
    assert.match(file.fileId, /^spf_[0-9A-Z]{26}$/);
    assert.equal((await staff('/api/staff/payouts/sepa-files', { method: 'POST' })).status, 204, 'nothing left to pay');

    const listed = (await (await staff('/api/staff/payouts/sepa-files')).json()).data;
    assert.deepEqual(
      listed.map((row: { id: string; payouts: number; controlSum: string }) => [row.id, row.payouts, row.controlSum]),
      [[file.fileId, 1, created.receive.amount]],
    );
    const download = await staff(`/api/staff/payouts/sepa-files/${file.fileId}.xml`);
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-type') ?? '', /^application\/xml/);
    const xml = await download.text();
    const { partner_reference: endToEndId, amount_minor: payoutMinor } = await payout();
    assert.ok(xml.includes(`<EndToEndId>${endToEndId}</EndToEndId>`));
    assert.ok(xml.includes(`<IBAN>${EUR_IBAN}</IBAN>`));
    assert.equal((await staff('/api/staff/payouts/sepa-files/spf_00000000000000000000000000.xml')).status, 404);

    const statement = await upload(
      buildCamt053({
        messageId: `DNB-EUR-${randomUUID().slice(0, 8)}`,
        statementId: `STMT-${randomUUID().slice(0, 8)}`,
        createdAt: new Date().toISOString(),
        account: { iban: EUR_IBAN, currency: 'EUR' },
        entries: [
          {
            reference: `BOOK-${randomUUID().slice(0, 8)}`,
            creditDebit: 'DBIT',
            amountMinor: BigInt(payoutMinor),
            currency: 'EUR',
            bookingDate: today(),
            endToEndId,
          },
        ],
      }),
    );
    assert.equal(statement.status, 201, await statement.clone().text());
    const summary = (await statement.json()).data;
    assert.deepEqual(
      summary.payouts.map((p: { transactionId: string; outcome: string }) => [p.transactionId, p.outcome]),
      [[created.id, 'paid']],
    );
    const status = (await (await fetch(`${base}/api/transfers/${created.id}`, { headers: { cookie: kari.cookie } })).json()).data.status;
    assert.equal(status, 'paid_out');
    assert.deepEqual((await verifyLedger(db.pool)).violations, []);
  });
});
