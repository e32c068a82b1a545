/**
 * POST /api/quotes and POST /api/transfers check the customer's session inside their own statement
 * (one round trip, not two). These tests hold them to the answers of the routes that check it first:
 * a session that is not live gets 401 whatever else is wrong with the request (a bad body, a
 * missing Idempotency-Key, an idempotent replay), writes nothing, is audited, has its cookie
 * cleared, and a timed-out session is revoked for good; a live one records its activity.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { keyRingFromSecret, signSessionToken } from '@drop/core';
import type { Db } from '@drop/db';
import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import { GERMAN_IBAN, postAs, recipientBody, type TestCustomer, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { requireCustomerInStatement, sessionToCheck } from '../src/auth/customer-auth.ts';
import { SESSION_COOKIE } from '../src/auth/session-cookie.ts';
import { errorHandler } from '../src/http/errors.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('the session checked inside the quote and transfer statements', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
  });
  after(() => stopDropOnFreePort({ db, drop }));

  const QUOTE = { country: 'DE', currency: 'EUR', sendAmount: '1000' };
  /** The customer's newest session (a person signs in again in a later test: same customer, new session). */
  const sessionId = async (who: TestCustomer) =>
    (await db.pool.query<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1', [who.userId]))
      .rows[0]?.id;
  /** Everything a refused request could have written, and the refusals audited so far. */
  const writes = async () =>
    JSON.stringify(
      (
        await db.pool.query(
          `SELECT (SELECT count(*) FROM quotes) AS quotes, (SELECT count(*) FROM transactions) AS transactions,
                  (SELECT count(*) FROM idempotency_keys) AS keys, (SELECT count(*) FROM ledger_transfers) AS postings`,
        )
      ).rows[0],
    );
  const refusalsAudited = async () =>
    (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'session_refused'`)).rows[0]?.n;
  async function assertRefused(response: Response, before: string) {
    const body = await response.json();
    assert.equal(response.status, 401, JSON.stringify(body));
    assert.equal(body.code, 'UNAUTHENTICATED');
    assert.ok(
      response.headers.getSetCookie().some((cookie) => cookie.startsWith('__Host-drop_session=;')),
      'the dead cookie is cleared',
    );
    assert.equal(await writes(), before, 'a refused request wrote something');
    for (const header of ['x-ratelimit-remaining', 'x-ratelimit-limit', 'retry-after']) {
      assert.equal(response.headers.get(header), null, `a dead session is told ${header}`);
    }
  }
  async function readyToSend(person: string) {
    const who = await verifiedCustomer(base, db.pool, person);
    const quote = (await (await postAs(who, '/api/quotes', QUOTE)).json()).data;
    const added = await postAs(who, '/api/recipients', recipientBody({ iban: GERMAN_IBAN }));
    assert.equal(added.status, 201);
    return { who, transfer: { quoteId: quote.id as string, recipientId: (await added.json()).data.id as string } };
  }

  it('quotes and sends with a live session, recording its activity', async () => {
    const { who, transfer } = await readyToSend('kari');
    const id = await sessionId(who);
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    const sent = await postAs(who, '/api/transfers', transfer, { 'idempotency-key': randomUUID() });
    assert.equal(sent.status, 201, await sent.clone().text());
    const seen = await db.pool.query<{ recent: boolean }>(
      `SELECT last_seen_at > now() - interval '10 seconds' AS recent FROM sessions WHERE id = $1`,
      [id],
    );
    assert.equal(seen.rows[0]?.recent, true, 'the transfer recorded the session as active');
  });

  it('refuses a revoked session with 401 before the body, the key or a replay is looked at, and writes nothing', async () => {
    const { who, transfer } = await readyToSend('ola');
    const key = randomUUID();
    const first = await postAs(who, '/api/transfers', transfer, { 'idempotency-key': key });
    assert.equal(first.status, 201);
    await db.pool.query(`UPDATE sessions SET revoked = 1 WHERE user_id = $1`, [who.userId]);
    const audited = await refusalsAudited();
    const before = await writes();

    await assertRefused(await postAs(who, '/api/quotes', QUOTE), before);
    await assertRefused(await postAs(who, '/api/quotes', { country: 'DE' }), before);
    await assertRefused(await postAs(who, '/api/transfers', transfer, { 'idempotency-key': key }), before);
    await assertRefused(await postAs(who, '/api/transfers', transfer), before);
    await assertRefused(await postAs(who, '/api/transfers', { quoteId: 'nope' }, { 'idempotency-key': randomUUID() }), before);
    // The reads beside them check the session on their own, before answering.
    const list = await fetch(`${base}/api/transfers`, { headers: { cookie: who.cookie } });
    assert.equal(list.status, 401);
    await list.body?.cancel();
    assert.equal(await refusalsAudited(), (audited ?? 0) + 6, 'every refusal is audited');
  });

  it('times out an idle session on a quote: 401, nothing written, and the session revoked for good', async () => {
    const { who } = await readyToSend('kari');
    const id = await sessionId(who);
    await db.pool.query(`UPDATE sessions SET last_seen_at = now() - interval '1 day' WHERE id = $1`, [id]);
    const before = await writes();
    await assertRefused(await postAs(who, '/api/quotes', QUOTE), before);
    const session = await db.pool.query<{ revoked: number; revoked_reason: string }>(
      'SELECT revoked, revoked_reason FROM sessions WHERE id = $1',
      [id],
    );
    assert.deepEqual(session.rows[0], { revoked: 1, revoked_reason: 'idle_timeout' });
  });

  it('refuses a deleted customer on a transfer, and answers a live session with a bad body with 400', async () => {
    const { who, transfer } = await readyToSend('ola');
    const invalid = await postAs(who, '/api/transfers', { quoteId: transfer.quoteId }, { 'idempotency-key': randomUUID() });
    assert.equal(invalid.status, 400, 'a live session learns what is wrong with its body');
    assert.equal((await invalid.json()).code, 'VALIDATION_FAILED');
    const missingKey = await postAs(who, '/api/transfers', transfer);
    assert.equal(missingKey.status, 400);
    assert.equal((await missingKey.json()).code, 'IDEMPOTENCY_KEY_REQUIRED');

    await db.pool.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [who.userId]);
    const before = await writes();
    await assertRefused(await postAs(who, '/api/transfers', transfer, { 'idempotency-key': randomUUID() }), before);
    await assertRefused(await postAs(who, '/api/quotes', QUOTE), before);
    assert.equal((await fetch(`${base}/api/transfers`, { headers: { cookie: who.cookie } })).status, 401);
  });
});

describe('requireCustomerInStatement fails closed', () => {
  it('turns a success whose handler never handed the session to a statement into a 500', async () => {
    const ring = keyRingFromSecret('a-test-secret-of-at-least-32-characters!');
    const issuer = 'http://drop.test';
    const token = await signSessionToken(ring, issuer, {
      userId: 'usr_01J00000000000000000000000',
      sessionId: 'ses_01J00000000000000000000000',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    // The database says the session is live: only the missing hand-over can refuse the answer.
    const db = { query: async () => ({ rows: [{ verdict: 'ok' }] }) } as unknown as Db;
    const guard = requireCustomerInStatement({ db, ring, issuer, idleSeconds: 900 });
    const app = Fastify();
    await app.register(fastifyCookie);
    app.setErrorHandler(errorHandler);
    const options = { preValidation: guard.preValidation, errorHandler: guard.errorHandler, onSend: guard.onSend };
    app.get('/forgot', options, async () => ({ data: 'written without a session check' }));
    app.get('/handed-over', options, async (request) => ({ data: sessionToCheck(request).sessionId }));
    try {
      const cookie = `${SESSION_COOKIE}=${token}`;
      const forgot = await app.inject({ url: '/forgot', headers: { cookie } });
      assert.equal(forgot.statusCode, 500, forgot.body);
      assert.doesNotMatch(forgot.body, /written without a session check/);
      const handedOver = await app.inject({ url: '/handed-over', headers: { cookie } });
      assert.equal(handedOver.statusCode, 200, handedOver.body);
    } finally {
      await app.close();
    }
  });
});
