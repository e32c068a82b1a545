/**
 * Object-level authorization (T06, ASVS 8.2.2, OWASP API1): every customer route of the OpenAPI
 * document that takes an object id in its path is called by customer B with the ids of customer
 * A's objects (a paid-out transfer with its receipt, a transfer awaiting payment, a quote, a
 * recipient, a session). Each answer must be 404 (or 403) with a problem code, must not carry any
 * of A's data, and A's rows must be exactly as they were. The routes come from the document, so a
 * new customer route with a path parameter fails this test until it is given A's ids to try.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  postAs,
  recipientBody,
  type TestCustomer,
  type TestTransfer,
  transferAs,
  verifiedCustomer,
} from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { signInStaff, startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { payInByBankFile } from '../../../test/support/pay-in.ts';
import { waitUntil } from '../../../test/support/server.ts';
import type { RunningDrop } from '../src/runtime.ts';

/** The tables holding a customer's own objects, and what is counted across everyone. */
const OWNED_TABLES = ['transactions', 'quotes', 'recipients', 'sessions'] as const;
const COUNTED_TABLES = ['transactions', 'quotes', 'recipients', 'sessions', 'ledger_transfers', 'payouts', 'customer_refunds'];

describe('Object-level authorization: another customer’s ids', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let kari: TestCustomer;
  let ola: TestCustomer;
  let paidOut: TestTransfer;
  let awaiting: TestTransfer;
  let kariQuoteId: string;
  let kariRecipientId: string;
  let kariSessionId: string;
  let olaQuoteId: string;

  const get = (who: TestCustomer, path: string) => fetch(`${base}${path}`, { headers: { cookie: who.cookie } });

  /** Kari's rows and the table counts, as text to compare. */
  const snapshot = async () => {
    const owned: Record<string, unknown> = {};
    for (const table of OWNED_TABLES) {
      owned[table] = (await db.pool.query(`SELECT * FROM ${table} WHERE user_id = $1 ORDER BY id`, [kari.userId])).rows;
    }
    owned.users = (await db.pool.query('SELECT * FROM users WHERE id = $1', [kari.userId])).rows;
    for (const table of COUNTED_TABLES) {
      owned[`count:${table}`] = (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
    }
    return JSON.stringify(owned);
  };

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ WORKER_MODE: 'inline' }));
    const finance = await signInStaff(base, db.pool, 'admin', 'finance@drop.no');
    kari = await verifiedCustomer(base, db.pool, 'kari');
    ola = await verifiedCustomer(base, db.pool, 'ola');

    // Paid out, so its receipt exists.
    paidOut = await transferAs(kari, '1000', 'Kari Recipient One');
    await payInByBankFile({ base, staffCookie: finance, transfers: [paidOut] });
    await waitUntil(
      async () => (await (await get(kari, `/api/transfers/${paidOut.id}`)).json()).data.status === 'paid_out',
      30_000,
      'Kari’s first transfer to be paid out',
    );
    assert.equal((await get(kari, `/api/transfers/${paidOut.id}/receipt.pdf`)).status, 200, 'Kari has a receipt');
    awaiting = await transferAs(kari, '900', 'Kari Recipient Two');

    const quote = await postAs(kari, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '800' });
    assert.equal(quote.status, 201);
    kariQuoteId = (await quote.json()).data.id;
    const recipient = await postAs(kari, '/api/recipients', { ...recipientBody({ iban: 'DE89370400440532013000' }), name: 'Kari Only' });
    assert.equal(recipient.status, 201);
    kariRecipientId = (await recipient.json()).data.id;
    const sessions = (await (await get(kari, '/api/me/sessions')).json()).data as Array<{ id: string }>;
    kariSessionId = sessions[0]?.id as string;
    assert.match(kariSessionId, /^ses_/);

    const olaQuote = await postAs(ola, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '800' });
    olaQuoteId = (await olaQuote.json()).data.id;
  });

  after(() => stopDropOnFreePort({ db, drop }));

  it('answers 404 with a problem code, shows nothing of Kari’s and changes nothing, on every customer route with an id', async () => {
    /** Kari's ids for each customer path with a parameter; a path missing here fails the test. */
    const kariIds: Record<string, string[]> = {
      '/api/transfers/{id}': [paidOut.id, awaiting.id],
      '/api/transfers/{id}/cancel': [paidOut.id, awaiting.id],
      '/api/transfers/{id}/receipt.pdf': [paidOut.id, awaiting.id],
      '/api/transfers/{id}/late-payment/quote': [paidOut.id, awaiting.id],
      '/api/transfers/{id}/late-payment/accept': [paidOut.id, awaiting.id],
      '/api/transfers/{id}/late-payment/refund': [paidOut.id, awaiting.id],
      '/api/quotes/{id}': [kariQuoteId],
      '/api/recipients/{id}': [kariRecipientId],
      '/api/me/sessions/{sessionId}': [kariSessionId],
    };
    /** A valid body where the route wants one, so the refusal can only be about whose object it is. */
    const bodies: Record<string, unknown> = {
      'PUT /api/recipients/{id}': recipientBody({ iban: 'DE89370400440532013000' }),
      'POST /api/transfers/{id}/late-payment/accept': { quoteId: olaQuoteId },
    };
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const customerPathsWithIds = Object.keys(spec.paths).filter(
      (path) => path.startsWith('/api/') && !path.startsWith('/api/staff/') && path.includes('{'),
    );
    assert.deepEqual(
      customerPathsWithIds.filter((path) => !(path in kariIds)),
      [],
      'every customer route with a path parameter is given Kari’s ids to try',
    );
    assert.deepEqual(
      Object.keys(kariIds).filter((path) => !customerPathsWithIds.includes(path)),
      [],
      'no mapping is left for a route that is gone',
    );

    const kariData = [
      paidOut.id,
      paidOut.kid,
      awaiting.id,
      awaiting.kid,
      kariQuoteId,
      kariRecipientId,
      kariSessionId,
      kari.userId,
      kari.email,
      'Kari Recipient',
      'Kari Only',
    ];
    const before = await snapshot();
    let calls = 0;
    for (const path of customerPathsWithIds) {
      for (const method of Object.keys(spec.paths[path] ?? {}).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))) {
        for (const id of kariIds[path] ?? []) {
          const url = base + path.replace(/\{[^}]+\}/, id);
          const body = bodies[`${method.toUpperCase()} ${path}`] ?? (method === 'get' || method === 'delete' ? undefined : {});
          const response = await fetch(url, {
            method: method.toUpperCase(),
            headers: {
              cookie: ola.cookie,
              origin: base,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              'idempotency-key': crypto.randomUUID(),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          const text = await response.text();
          const what = `${method.toUpperCase()} ${path} with Kari’s ${id}`;
          assert.ok([403, 404].includes(response.status), `${what}: ${response.status} ${text}`);
          assert.match(response.headers.get('content-type') ?? '', /json/, `${what}: a problem document`);
          assert.match(JSON.parse(text).code ?? '', /^[A-Z_]+$/, `${what}: a stable code (${text})`);
          // The id Ola sent may be echoed back; nothing else of Kari's may be.
          const leaked = kariData.filter((value) => value !== id && text.includes(value));
          assert.deepEqual(leaked, [], `${what}: shows nothing of Kari's`);
          calls += 1;
        }
      }
    }
    assert.ok(calls >= 16, `every route, method and id was tried (${calls} calls)`);
    assert.equal(await snapshot(), before, 'Kari’s rows and the table counts are unchanged');
    // And Kari still reaches all of it.
    assert.equal((await get(kari, `/api/quotes/${kariQuoteId}`)).status, 200);
    assert.equal((await get(kari, `/api/transfers/${awaiting.id}`)).status, 200);
  });
});
