/**
 * Per-customer limits on the signed-in writes (T15, ASVS 2.4.1): keyed by the customer, so a second
 * session shares the budget and X-Forwarded-For cannot reset it; another customer keeps theirs; a
 * refused request writes nothing. The server runs with the production limits (multiplier 1).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import { GERMAN_IBAN, postAs, recipientBody, type TestCustomer, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { CUSTOMER_RATE_LIMITS } from '../src/http/customer-rate-limits.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('per-customer rate limits', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let kari: TestCustomer;
  /** Kari's second session (another device): the same customer, another cookie. */
  let kariElsewhere: TestCustomer;
  let ola: TestCustomer;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ CUSTOMER_RATE_LIMIT_MULTIPLIER: '1' }));
    kari = await verifiedCustomer(base, db.pool, 'kari');
    const { sessionCookie } = await signInThroughTestProvider(base, 'kari');
    kariElsewhere = { ...kari, cookie: `__Host-drop_session=${sessionCookie}` };
    assert.notEqual(kariElsewhere.cookie, kari.cookie, 'two sessions');
    ola = await verifiedCustomer(base, db.pool, 'ola');
  });
  after(() => stopDropOnFreePort({ db, drop }));

  const quoteFor = async (who: TestCustomer) => {
    const response = await postAs(who, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '500' });
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()).data.id as string;
  };
  const recipientFor = async (who: TestCustomer) => {
    const response = await postAs(who, '/api/recipients', recipientBody({ iban: GERMAN_IBAN }));
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()).data.id as string;
  };
  const count = async (sql: string, userId: string) => Number((await db.pool.query(sql, [userId])).rows[0].count);
  const assertLimited = async (response: Response) => {
    assert.equal(response.status, 429, await response.clone().text());
    assert.ok(Number(response.headers.get('retry-after')) > 0, 'Retry-After says when to come back');
    assert.equal((await response.json()).code, 'RATE_LIMITED');
  };
  const forged = { 'x-forwarded-for': '203.0.113.7' };

  it('limits transfers per customer across sessions, and the refused one writes nothing', async () => {
    const { max } = CUSTOMER_RATE_LIMITS.transfer;
    const recipientId = await recipientFor(kari);
    const body = { quoteId: await quoteFor(kari), recipientId };
    const key = randomUUID();
    // Retries with one idempotency key: one transfer, and every retry spends the budget as a new request would.
    for (let i = 0; i < max; i++) {
      const who = i % 2 === 0 ? kari : kariElsewhere;
      const response = await postAs(who, '/api/transfers', body, { 'idempotency-key': key });
      assert.equal(response.status, 201, `request ${i + 1} of ${max}: ${await response.clone().text()}`);
    }
    const transfers = 'SELECT count(*) FROM transactions WHERE user_id = $1';
    const quotes = 'SELECT count(*) FROM quotes WHERE user_id = $1';
    const before = { transfers: await count(transfers, kari.userId), quotes: await count(quotes, kari.userId) };
    assert.equal(before.transfers, 1);
    const fresh = { quoteId: await quoteFor(kari), recipientId };
    await assertLimited(await postAs(kariElsewhere, '/api/transfers', fresh, { 'idempotency-key': randomUUID(), ...forged }));
    assert.equal(await count(transfers, kari.userId), 1, 'no transfer from the refused request');
    assert.equal(await count(quotes, kari.userId), before.quotes + 1, 'its quote still unused');
    const olaTransfer = await postAs(
      ola,
      '/api/transfers',
      { quoteId: await quoteFor(ola), recipientId: await recipientFor(ola) },
      { 'idempotency-key': randomUUID() },
    );
    assert.equal(olaTransfer.status, 201, 'another customer keeps their own budget');
  });

  it('limits adding recipients, and changing them, per customer across sessions', async () => {
    const { max } = CUSTOMER_RATE_LIMITS.recipient;
    const recipients = 'SELECT count(*) FROM recipients WHERE user_id = $1';
    // The transfer test above added one recipient for Kari.
    let latest = '';
    for (let i = 1; i < max; i++) latest = await recipientFor(i % 2 === 0 ? kari : kariElsewhere);
    const before = await count(recipients, kari.userId);
    await assertLimited(await postAs(kariElsewhere, '/api/recipients', recipientBody({ iban: GERMAN_IBAN }), forged));
    assert.equal(await count(recipients, kari.userId), before, 'no recipient added by the refused request');
    // Changing one has a budget of its own (a change is a retire and an add): the same size.
    const change = (who: TestCustomer, id: string, name: string) =>
      fetch(`${base}/api/recipients/${id}`, {
        method: 'PUT',
        headers: { cookie: who.cookie, origin: base, 'content-type': 'application/json', ...forged },
        body: JSON.stringify({ ...recipientBody({ iban: GERMAN_IBAN }), name }),
      });
    for (let i = 0; i < max; i++) {
      const response = await change(i % 2 === 0 ? kari : kariElsewhere, latest, i % 2 === 0 ? 'Anna Meyer' : 'Anna Schmidt');
      assert.equal(response.status, 200, await response.clone().text());
      latest = (await response.json()).data.id;
    }
    const retired = 'SELECT count(*) FROM recipients WHERE user_id = $1 AND deleted_at IS NOT NULL';
    const retiredBefore = await count(retired, kari.userId);
    await assertLimited(await change(kariElsewhere, latest, 'Anna Schmidt-Meyer'));
    assert.equal(await count(retired, kari.userId), retiredBefore, 'nothing retired by the refused change');
    assert.equal((await change(ola, await recipientFor(ola), 'Anna Meyer')).status, 200, 'another customer can change theirs');
  });

  it('limits quotes per customer across sessions', async () => {
    const { max } = CUSTOMER_RATE_LIMITS.quote;
    const quotes = 'SELECT count(*) FROM quotes WHERE user_id = $1';
    // Kari has used two quotes above; each loop request is another.
    let used = 2;
    while (used < max) {
      await quoteFor(used % 2 === 0 ? kari : kariElsewhere);
      used++;
    }
    const before = await count(quotes, kari.userId);
    await assertLimited(await postAs(kariElsewhere, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '500' }, forged));
    assert.equal(await count(quotes, kari.userId), before, 'no quote stored by the refused request');
    await quoteFor(ola);
  });

  it('limits KYC starts per customer across sessions', async () => {
    const { max } = CUSTOMER_RATE_LIMITS.kycStart;
    const start = (who: TestCustomer, headers: Record<string, string> = {}) =>
      fetch(`${base}/api/kyc/start`, { method: 'POST', headers: { cookie: who.cookie, origin: base, ...headers } });
    // Kari is verified already (409), which spends the budget as a start would: a loop is refused either way.
    for (let i = 0; i < max; i++) assert.notEqual((await start(i % 2 === 0 ? kari : kariElsewhere)).status, 429, `start ${i + 1}`);
    await assertLimited(await start(kariElsewhere, forged));
    const per = await signInThroughTestProvider(base, 'per');
    const other = await start({ ...kari, cookie: `__Host-drop_session=${per.sessionCookie}` });
    assert.equal(other.status, 200, 'another customer can start');
  });
});
