/**
 * Customers for API tests: signed in through the BankID test provider, verified (KYC has its own
 * tests), and able to make a transfer to a German IBAN in three calls (quote, recipient, create).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { signInThroughTestProvider } from './bankid-sign-in.ts';

export interface TestCustomer {
  base: string;
  cookie: string;
  userId: string;
  email: string;
}

export interface TestTransfer {
  id: string;
  kid: string;
  status: string;
  send: { amount: string };
  receive: { amount: string };
  payIn: { kid: string; amount: { amount: string } };
}

export async function verifiedCustomer(base: string, pool: pg.Pool, person: string): Promise<TestCustomer> {
  const { sessionCookie } = await signInThroughTestProvider(base, person);
  const cookie = `__Host-drop_session=${sessionCookie}`;
  const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).data;
  const email = `${person}.${randomUUID().slice(0, 8)}@example.no`;
  await pool.query(`UPDATE users SET kyc_status = 'approved', kyc_tier = 1, email = $2 WHERE id = $1`, [me.id, email]);
  return { base, cookie, userId: me.id, email };
}

/** A POST as the customer (or a staff member: any session cookie), with the Origin header the API's CSRF check wants. */
export function postAs(
  who: Pick<TestCustomer, 'base' | 'cookie'>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${who.base}${path}`, {
    method: 'POST',
    headers: { cookie: who.cookie, origin: who.base, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export const GERMAN_IBAN = 'DE89370400440532013000';

/** The body of POST /api/recipients for Anna Schmidt, a family member, with these payout details. */
export function recipientBody(details: Record<string, string>, country = 'DE', currency = 'EUR') {
  return { name: 'Anna Schmidt', country, currency, relationship: 'family', details };
}

/** Quote, recipient (a German IBAN, Anna Schmidt unless named) and transfer: a transfer awaiting the customer's payment. */
export async function transferAs(who: TestCustomer, sendAmount = '1000', recipientName?: string): Promise<TestTransfer> {
  const quote = (await (await postAs(who, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount })).json()).data;
  const body = { ...recipientBody({ iban: GERMAN_IBAN }), ...(recipientName ? { name: recipientName } : {}) };
  const added = await postAs(who, '/api/recipients', body);
  assert.equal(added.status, 201, await added.clone().text());
  const recipient = (await added.json()).data;
  const response = await postAs(
    who,
    '/api/transfers',
    { quoteId: quote.id, recipientId: recipient.id },
    { 'idempotency-key': randomUUID() },
  );
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()).data as TestTransfer;
}
