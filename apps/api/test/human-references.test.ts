/**
 * Human references over HTTP: a transfer carries its DRP reference and a customer their number,
 * and staff find either however it was typed (case, dashes, spaces); a typo in the check character
 * finds nothing. The customer's language, switched in the app, is kept for emails and receipts.
 * A quote by receive amount delivers exactly that amount. The email Drop sends when the money
 * arrives speaks the kept language and names the transfer by its reference.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parseCustomerNumber, parseTransferReference, REFERENCE_ALPHABET } from '@drop/check-digits';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import { GERMAN_IBAN, recipientBody, type TestTransfer } from '../../../test/support/customers.ts';
import { type DropOnPort, signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { payInByBankFile } from '../../../test/support/pay-in.ts';

describe('human references over HTTP', () => {
  let running: DropOnPort;
  let cookie: string;
  let support: string;
  let admin: string;
  let transfer: TestTransfer & { reference: string };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${running.base}${path}`, {
      method: 'POST',
      headers: { cookie, origin: running.base, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const staffGet = async (path: string) => {
    const response = await fetch(`${running.base}${path}`, { headers: { cookie: support } });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()).data;
  };

  before(async () => {
    running = await startDropOnFreePort({ WORKER_MODE: 'inline' });
    const { sessionCookie } = await signInThroughTestProvider(running.base, 'kari');
    cookie = `__Host-drop_session=${sessionCookie}`;
    const me = (await (await fetch(`${running.base}/api/me`, { headers: { cookie } })).json()).data;
    await running.db.pool.query(`UPDATE users SET kyc_status = 'approved', kyc_tier = 1, email = 'kari@example.no' WHERE id = $1`, [me.id]);
    support = await signInStaff(running.base, running.db.pool, 'support');
    admin = await signInStaff(running.base, running.db.pool, 'admin');
  });
  after(async () => {
    await stopDropOnFreePort(running ?? {});
  });

  it('gives a transfer a reference staff find in any case, with or without dashes; a typo finds nothing', async () => {
    const quote = (await (await post('/api/quotes', { country: 'DE', currency: 'EUR', receiveAmount: '250' })).json()).data;
    assert.equal(quote.receive.amount, '250.00', 'a quote by receive amount delivers exactly that amount');
    const recipient = (await (await post('/api/recipients', recipientBody({ iban: GERMAN_IBAN }, 'DE', 'EUR'))).json()).data;
    const created = await post('/api/transfers', { quoteId: quote.id, recipientId: recipient.id }, { 'idempotency-key': randomUUID() });
    assert.equal(created.status, 201, await created.clone().text());
    transfer = (await created.json()).data;
    assert.equal(parseTransferReference(transfer.reference), transfer.reference);
    assert.equal(transfer.receive.amount, '250.00');

    const read = (await (await fetch(`${running.base}/api/transfers/${transfer.id}`, { headers: { cookie } })).json()).data;
    assert.equal(read.reference, transfer.reference);
    const listed = (await (await fetch(`${running.base}/api/transfers`, { headers: { cookie } })).json()).data;
    assert.deepEqual(
      listed.map((item: { reference: string }) => item.reference),
      [transfer.reference],
    );

    const compact = transfer.reference.replaceAll('-', '');
    for (const typed of [
      transfer.reference,
      transfer.reference.toLowerCase(),
      compact.toLowerCase(),
      compact.slice(3),
      ` ${transfer.reference} `,
    ]) {
      const found = await staffGet(`/api/staff/transfers?${new URLSearchParams({ query: typed })}`);
      assert.deepEqual(
        found.transfers.map((row: { id: string; reference: string }) => [row.id, row.reference]),
        [[transfer.id, transfer.reference]],
        typed,
      );
      assert.equal(found.query, typed.trim());
    }
    const check = transfer.reference.slice(-1);
    const typo = `${transfer.reference.slice(0, -1)}${REFERENCE_ALPHABET[(REFERENCE_ALPHABET.indexOf(check) + 1) % 31]}`;
    assert.deepEqual((await staffGet(`/api/staff/transfers?${new URLSearchParams({ query: typo })}`)).transfers, []);
    // The KID finds it too; the staff detail carries the reference.
    assert.equal((await staffGet(`/api/staff/transfers?${new URLSearchParams({ query: transfer.kid })}`)).transfers[0].id, transfer.id);
    assert.equal((await staffGet(`/api/staff/transfers/${transfer.id}`)).transfer.reference, transfer.reference);
  });

  it("gives a customer a number staff find with or without a space, and keeps the customer's language", async () => {
    const me = (await (await fetch(`${running.base}/api/me`, { headers: { cookie } })).json()).data;
    assert.equal(parseCustomerNumber(me.customerNumber), me.customerNumber);
    assert.equal(me.language, 'nb');
    const spaced = `${me.customerNumber.slice(0, 4)} ${me.customerNumber.slice(4)}`;
    for (const typed of [me.customerNumber, spaced, spaced.replace(' ', '-')]) {
      const found = await staffGet(`/api/staff/customers?${new URLSearchParams({ query: typed })}`);
      assert.deepEqual(
        found.map((row: { id: string; customerNumber: string }) => [row.id, row.customerNumber]),
        [[me.id, me.customerNumber]],
        typed,
      );
    }
    const wrongDigit = `${me.customerNumber.slice(0, 7)}${(Number(me.customerNumber.slice(7)) + 1) % 10}`;
    assert.deepEqual(await staffGet(`/api/staff/customers?${new URLSearchParams({ query: wrongDigit })}`), []);
    // By customer number, the transfer search lists the customer's transfers.
    const theirs = await staffGet(`/api/staff/transfers?${new URLSearchParams({ query: spaced })}`);
    assert.equal(theirs.transfers.length, 1);

    const put = (body: unknown) =>
      fetch(`${running.base}/api/me/language`, {
        method: 'PUT',
        headers: { cookie, origin: running.base, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await put({ language: 'en' })).status, 204);
    assert.equal((await (await fetch(`${running.base}/api/me`, { headers: { cookie } })).json()).data.language, 'en');
    const refused = await put({ language: 'de' });
    assert.equal(refused.status, 400);
    assert.equal((await refused.json()).code, 'VALIDATION_FAILED');
    assert.equal((await (await fetch(`${running.base}/api/me`, { headers: { cookie } })).json()).data.language, 'en');
  });

  it('mails the customer in the language they kept, naming the transfer by its reference', async () => {
    const summary = await payInByBankFile({ base: running.base, staffCookie: admin, transfers: [transfer] });
    assert.deepEqual(
      summary.funded.map((f) => f.transactionId),
      [transfer.id],
    );
    const capture = running.drop.mailCapture;
    assert.ok(capture, 'outside production mail goes to the local capture');
    let mail: { subject: string; text: string } | undefined;
    for (let attempt = 0; attempt < 100 && !mail; attempt++) {
      mail = capture.messages().find((message) => message.to.includes('kari@example.no'));
      if (!mail) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(mail, 'the funds-received email was sent');
    assert.match(mail.subject, /^We've received NOK\s/, 'in English, the language Kari switched to');
    assert.match(mail.text, new RegExp(`Reference:\\s+${transfer.reference}`));
  });
});
