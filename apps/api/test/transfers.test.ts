/**
 * Sending money over real HTTP against a real server and PostgreSQL: quotes from Norges Bank's
 * rates (the local simulator, through the real client), recipients, idempotent transfer creation
 * under concurrency and across a restart, limits that hold under concurrent requests, and every
 * refusal shown to write nothing. The ledger is verified after each scenario.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isValidKid, verifyLedger } from '@drop/core';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import { GERMAN_IBAN, recipientBody } from '../../../test/support/customers.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/embedded.ts';
import { startTestServer } from '../../../test/support/server.ts';
import type { RunningDrop } from '../src/runtime.ts';

// Small tier-1 limits so a handful of transfers reach them.
const LIMITS = JSON.stringify({ 1: { perTransferNok: 5_000, thirtyDaysNok: 10_000, twelveMonthsNok: 20_000 } });

describe('sending money over HTTP', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let port: number;
  const env = () => ({ PORT: String(port), PUBLIC_URL: base, KYC_TIER_LIMITS: LIMITS });

  before(async () => {
    db = await createTestDatabase();
    port = await freePort();
    base = `http://localhost:${port}`;
    drop = await startTestServer({ databaseUrl: db.url, env: env() });
  });
  after(async () => {
    await drop?.stop('test finished');
    await db?.drop();
  });

  interface Customer {
    cookie: string;
    userId: string;
  }
  /** A customer signed in with BankID; verified unless told otherwise (KYC has its own tests). */
  async function customer(person: string, verified = true): Promise<Customer> {
    const { sessionCookie } = await signInThroughTestProvider(base, person);
    const cookie = `__Host-drop_session=${sessionCookie}`;
    const me = (await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).data;
    if (verified) await db.pool.query(`UPDATE users SET kyc_status = 'approved', kyc_tier = 1 WHERE id = $1`, [me.id]);
    return { cookie, userId: me.id };
  }
  const post = (who: Customer, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { cookie: who.cookie, origin: base, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const get = (who: Customer, path: string) => fetch(`${base}${path}`, { headers: { cookie: who.cookie } });
  async function quote(who: Customer, body: Record<string, string> = { country: 'DE', currency: 'EUR', sendAmount: '1000' }) {
    const response = await post(who, '/api/quotes', body);
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()).data;
  }
  async function recipient(who: Customer, details: Record<string, string> = { iban: GERMAN_IBAN }, country = 'DE', currency = 'EUR') {
    const response = await post(who, '/api/recipients', recipientBody(details, country, currency));
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()).data;
  }
  const send = (who: Customer, body: { quoteId: string; recipientId: string }, key: string = randomUUID()) =>
    post(who, '/api/transfers', body, { 'idempotency-key': key });
  /** Everything a refused request could have written. */
  const writes = async () =>
    JSON.stringify(
      (
        await db.pool.query(
          `SELECT (SELECT count(*) FROM transactions) AS transactions, (SELECT count(*) FROM ledger_transfers) AS postings,
                  (SELECT count(*) FROM idempotency_keys) AS keys, (SELECT count(*) FROM recipients) AS recipients,
                  (SELECT count(*) FROM quotes) AS quotes, (SELECT coalesce(sum(amount_minor), 0) FROM user_spending_days) AS spent`,
        )
      ).rows[0],
    );
  async function refused(response: Response, status: number, code: string, before: string) {
    const body = await response.json();
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(body.code, code, JSON.stringify(body));
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(await writes(), before, `${code} wrote something`);
    return body;
  }
  async function ledgerBalances() {
    const report = await verifyLedger(db.pool);
    assert.deepEqual(report.violations, []);
  }

  it('lists the corridors with their fees and recipient fields, without signing in', async () => {
    const response = await fetch(`${base}/api/corridors`);
    assert.equal(response.status, 200);
    const corridors = (await response.json()).data;
    const germany = corridors.find((c: { country: string }) => c.country === 'DE');
    assert.equal(germany.currency, 'EUR');
    assert.equal(germany.rail, 'iban');
    assert.ok(germany.recipientFields.some((f: { name: string; required: boolean }) => f.name === 'iban' && f.required));
    assert.ok(corridors.some((c: { country: string; rail: string }) => c.country === 'PH' && c.rail === 'mobile_money'));
  });

  it('quotes by send amount and by receive amount, with the rate, fee and expiry locked', async () => {
    const kari = await customer('kari');
    const bySend = await quote(kari);
    assert.equal(bySend.send.amount, '1000.00');
    assert.equal(bySend.send.currency, 'NOK');
    assert.equal(bySend.receive.currency, 'EUR');
    assert.equal(bySend.reference.source, 'norges-bank');
    // receive = floor(converted × rate), in cents: anyone can check the quote.
    const convertedOre = BigInt(bySend.converted.amount.replace('.', ''));
    const [whole, fraction = ''] = bySend.rate.split('.');
    const rateScaled = BigInt(whole + fraction);
    const expectedCents = (convertedOre * rateScaled) / 10n ** BigInt(fraction.length);
    assert.equal(bySend.receive.amount, (Number(expectedCents) / 100).toFixed(2));
    assert.equal(BigInt(bySend.send.amount.replace('.', '')), convertedOre + BigInt(bySend.fee.amount.replace('.', '')));
    const lifetime = Date.parse(bySend.expiresAt) - Date.parse(bySend.createdAt);
    assert.equal(lifetime, 30 * 60 * 1000);

    const byReceive = await quote(kari, { country: 'DE', currency: 'EUR', receiveAmount: '100' });
    assert.equal(byReceive.quotedBy, 'receive');
    assert.ok(Number(byReceive.receive.amount) >= 100, byReceive.receive.amount);

    const again = await (await get(kari, `/api/quotes/${bySend.id}`)).json();
    assert.deepEqual(again.data, bySend);
  });

  it('refuses bad amounts, unknown corridors and strangers with a stable code, writing nothing', async () => {
    const ola = await customer('ola');
    const before = await writes();
    for (const [amount, reason] of [
      ['10.001', 'too_many_decimals'],
      ['0', 'not_positive'],
      ['-5', 'format'],
      ['1e3', 'format'],
      ['5', 'below_minimum'],
    ] as const) {
      const body = await refused(
        await post(ola, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: amount }),
        422,
        'AMOUNT_INVALID',
        before,
      );
      assert.equal(body.details.reason, reason, amount);
    }
    await refused(
      await post(ola, '/api/quotes', { country: 'DE', currency: 'XXX', sendAmount: '100' }),
      422,
      'CORRIDOR_UNSUPPORTED',
      before,
    );
    await refused(
      await post(ola, '/api/quotes', { country: 'NO', currency: 'NOK', sendAmount: '100' }),
      422,
      'CORRIDOR_UNSUPPORTED',
      before,
    );
    // Amounts are strings: a JSON number never gets near the money code.
    await refused(await post(ola, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: 100 }), 400, 'VALIDATION_FAILED', before);
    await refused(
      await post(ola, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '100', receiveAmount: '10' }),
      400,
      'VALIDATION_FAILED',
      before,
    );
    const stranger = await fetch(`${base}/api/quotes`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ country: 'DE', currency: 'EUR', sendAmount: '100' }),
    });
    await refused(stranger, 401, 'UNAUTHENTICATED', before);
  });

  it('validates recipients per country and keeps them to their owner', async () => {
    const kari = await customer('kari');
    const before = await writes();
    const bad = await refused(
      await post(kari, '/api/recipients', recipientBody({ iban: 'DE89370400440532013001' })),
      422,
      'RECIPIENT_INVALID',
      before,
    );
    assert.equal(bad.details.field, 'details.iban');
    const french = await post(kari, '/api/recipients', recipientBody({ iban: 'FR1420041010050500013M02606' }));
    assert.equal((await refused(french, 422, 'RECIPIENT_INVALID', before)).details.reason, 'country_mismatch');

    const anna = await recipient(kari);
    assert.equal(anna.details.iban, GERMAN_IBAN);
    assert.match(anna.display, /^DE89 .*3000$/);
    const maria = await recipient(kari, { provider: 'gcash', mobileNumber: '0917 123 4567' }, 'PH', 'PHP');
    assert.equal(maria.details.mobileNumber, '+639171234567');
    const list = (await (await get(kari, '/api/recipients')).json()).data;
    assert.deepEqual(
      new Set(list.map((r: { id: string }) => r.id)),
      new Set([anna.id, maria.id, ...list.map((r: { id: string }) => r.id)]),
    );

    const ola = await customer('ola');
    const olaList = (await (await get(ola, '/api/recipients')).json()).data;
    assert.ok(!olaList.some((r: { id: string }) => r.id === anna.id));
    const removeOthers = await fetch(`${base}/api/recipients/${anna.id}`, {
      method: 'DELETE',
      headers: { cookie: ola.cookie, origin: base },
    });
    assert.equal(removeOthers.status, 404);
  });

  it('creates a transfer awaiting funds with the quote’s locked figures; a retry returns it, another body is refused', async () => {
    const kari = await customer('kari');
    const q = await quote(kari);
    const r = await recipient(kari);
    const key = randomUUID();
    const first = await send(kari, { quoteId: q.id, recipientId: r.id }, key);
    assert.equal(first.status, 201, await first.clone().text());
    const created = (await first.json()).data;
    assert.equal(created.status, 'awaiting_funds');
    assert.deepEqual([created.send, created.fee, created.receive, created.rate], [q.send, q.fee, q.receive, q.rate]);
    assert.equal(created.recipient.id, r.id);
    // How to pay: exactly the amount, to Drop's client account, with a KID that passes its check
    // digit (MOD10, 12 digits by default), before the quote's rate lapses.
    assert.deepEqual(created.payIn, { account: '8601.11.17947', kid: created.kid, amount: q.send, payBy: q.expiresAt });
    assert.ok(isValidKid(created.kid, { method: 'MOD10', length: 12 }), created.kid);

    const replay = await send(kari, { quoteId: q.id, recipientId: r.id }, key);
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual((await replay.json()).data, created);

    const before = await writes();
    const other = await quote(kari);
    const beforeOther = await writes();
    assert.notEqual(before, beforeOther);
    await refused(await send(kari, { quoteId: other.id, recipientId: r.id }, key), 422, 'IDEMPOTENCY_KEY_REUSED', beforeOther);
    await refused(
      await post(kari, '/api/transfers', { quoteId: other.id, recipientId: r.id }),
      400,
      'IDEMPOTENCY_KEY_REQUIRED',
      beforeOther,
    );

    // The runbook's query (6.3) and the API agree: NOK major units, the same status.
    const runbook = await db.pool.query(
      `SELECT id, type, status, send_amount, send_currency, created_at FROM transactions
       WHERE created_at > NOW() - INTERVAL '24 hours' ORDER BY created_at DESC LIMIT 50`,
    );
    const row = runbook.rows.find((t) => t.id === created.id);
    assert.equal(row.status, 'awaiting_funds');
    assert.equal(row.send_amount, created.send.amount);
    assert.equal(row.send_currency, 'NOK');

    const detail = (await (await get(kari, `/api/transfers/${created.id}`)).json()).data;
    assert.deepEqual(
      detail.timeline.map((e: { from: string | null; to: string; by: string }) => [e.from, e.to, e.by]),
      [[null, 'awaiting_funds', 'customer']],
    );
    const list = (await (await get(kari, '/api/transfers')).json()).data;
    assert.equal(list[0].id, created.id);
    await ledgerBalances();
  });

  it('refuses used, expired and foreign quotes, someone else’s recipient and unverified customers, writing nothing', async () => {
    const kari = await customer('kari');
    const ola = await customer('ola');
    const anna = await recipient(kari);
    const olasRecipient = await recipient(ola);
    const used = await quote(kari);
    assert.equal((await send(kari, { quoteId: used.id, recipientId: anna.id })).status, 201);
    const expired = await quote(kari);
    await db.pool.query(
      `UPDATE quotes SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 minute' WHERE id = $1`,
      [expired.id],
    );
    const fresh = await quote(kari);
    const olasQuote = await quote(ola);
    const filipino = await recipient(kari, { provider: 'gcash', mobileNumber: '+63 917 123 4567' }, 'PH', 'PHP');
    const before = await writes();
    await refused(await send(kari, { quoteId: used.id, recipientId: anna.id }), 409, 'QUOTE_USED', before);
    await refused(await send(kari, { quoteId: expired.id, recipientId: anna.id }), 409, 'QUOTE_EXPIRED', before);
    await refused(await send(kari, { quoteId: olasQuote.id, recipientId: anna.id }), 404, 'QUOTE_NOT_FOUND', before);
    await refused(await send(kari, { quoteId: fresh.id, recipientId: olasRecipient.id }), 404, 'RECIPIENT_NOT_FOUND', before);
    await refused(await send(kari, { quoteId: fresh.id, recipientId: filipino.id }), 422, 'RECIPIENT_MISMATCH', before);
    await refused(
      await send(kari, { quoteId: fresh.id, recipientId: anna.id }, 'has spaces in it'),
      400,
      'IDEMPOTENCY_KEY_REQUIRED',
      before,
    );

    const unverified = await customer('elderly', false);
    const theirRecipient = await recipient(unverified);
    const theirQuote = await quote(unverified);
    const beforeUnverified = await writes();
    const body = await refused(
      await send(unverified, { quoteId: theirQuote.id, recipientId: theirRecipient.id }),
      403,
      'KYC_REQUIRED',
      beforeUnverified,
    );
    assert.equal(body.details.kycStatus, 'not_started');
    await ledgerBalances();
  });

  it('appends nothing to the audit chain and locks no bank shard: quote, transfer and session check leave audit_log as it was', async () => {
    // audit_log_chain serialises every appender until its COMMIT (an advisory lock and the chain's
    // last row), and a shared bank shard's row lock is held the same way: neither may be on the
    // path of every transfer, or unrelated transfers would run one at a time.
    const kari = await customer('kari');
    const r = await recipient(kari);
    // The session check's UPDATE of last_seen_at runs on every request once this is old enough.
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() - interval '10 seconds' WHERE user_id = $1`, [kari.userId]);
    const head = async () =>
      (await db.pool.query(`SELECT count(*)::int AS rows, coalesce(max(seq), 0)::text AS seq FROM audit_log`)).rows[0];
    const bank = async () =>
      (await db.pool.query(`SELECT id, xmin::text AS version FROM ledger_accounts WHERE purpose = 'bank' ORDER BY id`)).rows;
    const before = await head();
    const banksBefore = await bank();
    const q = await quote(kari);
    const response = await send(kari, { quoteId: q.id, recipientId: r.id });
    assert.equal(response.status, 201, await response.clone().text());
    // Kari's earlier sign-ins in this file left other sessions; the one these requests used was touched.
    const seen = await db.pool.query(`SELECT last_seen_at > now() - interval '5 seconds' AS touched FROM sessions WHERE user_id = $1`, [
      kari.userId,
    ]);
    assert.ok(
      seen.rows.some((row) => row.touched),
      'the session check updated the session',
    );
    assert.deepEqual(await head(), before);
    // The pay-in reservation debits a bank shard's pending balance: deferred, the shard's row
    // unchanged (a bank shard created by this transfer is new, not changed).
    const banksAfter = await bank();
    for (const shard of banksBefore)
      assert.deepEqual(
        banksAfter.find((row) => row.id === shard.id),
        shard,
      );
    await ledgerBalances();
  });

  it('makes one transfer from many concurrent requests with one key, and all of them get it', async () => {
    const kari = await customer('kari');
    const q = await quote(kari);
    const r = await recipient(kari);
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 20 }, () => send(kari, { quoteId: q.id, recipientId: r.id }, key)));
    const bodies = await Promise.all(responses.map(async (response) => ({ status: response.status, body: await response.json() })));
    assert.deepEqual(new Set(bodies.map((b) => b.status)), new Set([201]));
    assert.equal(new Set(bodies.map((b) => b.body.data.id)).size, 1);
    const made = await db.pool.query('SELECT count(*)::int AS n FROM transactions WHERE quote_id = $1', [q.id]);
    assert.equal(made.rows[0].n, 1);
    await ledgerBalances();
  });

  it('never lets concurrent transfers past the customer’s limit', async () => {
    // 30-day limit NOK 10 000 (per transfer 5 000): 12 concurrent transfers of NOK 1 500 fit 6 times.
    const ola = await customer('ola');
    const r = await recipient(ola);
    const quotes = await Promise.all(Array.from({ length: 12 }, () => quote(ola, { country: 'DE', currency: 'EUR', sendAmount: '1500' })));
    const responses = await Promise.all(quotes.map((q) => send(ola, { quoteId: q.id, recipientId: r.id })));
    const codes = await Promise.all(
      responses.map(async (response) => (response.status === 201 ? 'created' : (await response.json()).code)),
    );
    const spent = await db.pool.query(
      `SELECT coalesce(sum(send_amount_minor), 0)::bigint AS total FROM transactions
        WHERE user_id = $1 AND status NOT IN ('cancelled', 'failed', 'refunded')`,
      [ola.userId],
    );
    assert.ok(BigInt(spent.rows[0].total) <= 1_000_000n, `spent ${spent.rows[0].total} øre of a 1 000 000 øre limit`);
    assert.ok(codes.includes('created'));
    assert.ok(codes.includes('LIMIT_EXCEEDED'), codes.join());
    assert.deepEqual(new Set(codes), new Set(['created', 'LIMIT_EXCEEDED']));
    // Cancelling gives the amount back to the limit.
    const mine = (await (await get(ola, '/api/transfers')).json()).data;
    const cancelled = await post(ola, `/api/transfers/${mine[0].id}/cancel`, {});
    assert.equal(cancelled.status, 200, await cancelled.clone().text());
    const body = (await cancelled.json()).data;
    assert.equal(body.status, 'cancelled');
    assert.deepEqual(
      body.timeline.map((e: { to: string; by: string }) => [e.to, e.by]),
      [
        ['awaiting_funds', 'customer'],
        ['cancelled', 'customer'],
      ],
    );
    const before = await writes();
    await refused(await post(ola, `/api/transfers/${mine[0].id}/cancel`, {}), 409, 'TRANSFER_STATE_INVALID', before);
    const kari = await customer('kari');
    await refused(await post(kari, `/api/transfers/${mine[1].id}/cancel`, {}), 404, 'NOT_FOUND', before);
    await ledgerBalances();
  });

  it('answers a retry after a restart with the first response', async () => {
    const kari = await customer('kari');
    const q = await quote(kari);
    const r = await recipient(kari);
    const key = randomUUID();
    const first = await send(kari, { quoteId: q.id, recipientId: r.id }, key);
    assert.equal(first.status, 201);
    const created = (await first.json()).data;

    await drop.stop('restart in test');
    drop = await startTestServer({ databaseUrl: db.url, env: env() });
    const replay = await send(kari, { quoteId: q.id, recipientId: r.id }, key);
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual((await replay.json()).data, created);
    await ledgerBalances();
  });
});
