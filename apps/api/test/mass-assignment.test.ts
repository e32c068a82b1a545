/**
 * No mass assignment (T08, ASVS 15.3.1 and 15.3.3, OWASP API3): every customer route of the
 * OpenAPI document that takes a JSON body is called twice, by Ola with a plain body and by Kari
 * with the same body plus fields a client must never set (status, KYC status, role, fee, owner,
 * id, settled amount, rate). Kari's call is either refused with 400 VALIDATION_FAILED, writing
 * nothing, or it answers and stores exactly what Ola's plain call did: the extra fields are
 * dropped, never stored and never echoed. A body with a `__proto__` member is refused outright
 * (400, nothing written): the JSON parser rejects prototype poisoning before any route sees it. A new customer route with a JSON
 * body fails this test until it is given a body here.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { postAs, recipientBody, type TestCustomer, verifiedCustomer } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

/** Fields a customer must not be able to set, with values that would matter if they stuck. */
const FORBIDDEN_FIELDS = {
  status: 'paid_out',
  kycStatus: 'approved',
  kyc_status: 'approved',
  kycTier: 3,
  kyc_tier: 3,
  role: 'admin',
  fee: '0.00',
  feeMinor: 0,
  userId: 'usr_01HZZZZZZZZZZZZZZZZZZZZZZZ',
  user_id: 'usr_01HZZZZZZZZZZZZZZZZZZZZZZZ',
  id: 'tx_01HZZZZZZZZZZZZZZZZZZZZZZZ',
  settledAmount: '999999.00',
  rate: '99.0000000000',
};

/** The JSON text of `body` with every forbidden field. */
function withForbiddenFields(body: Record<string, unknown>): string {
  return JSON.stringify({ ...body, ...FORBIDDEN_FIELDS });
}

/** The JSON text of `body` with a `__proto__` member, which JSON.stringify cannot write. */
function withProtoMember(body: Record<string, unknown>): string {
  return `{"__proto__":{"role":"admin","status":"paid_out","kycStatus":"approved"},${JSON.stringify(body).slice(1)}`;
}

/** Customer routes with a JSON body this test cannot reach in a plain state, and why. */
const NOT_EXERCISED: Record<string, string> = {
  'POST /api/me/email/verify': 'its body is only the six-digit code sent by email (no field to assign); customer-email.test.ts tests it',
  'POST /api/transfers/{id}/late-payment/accept':
    'needs a late payment; its body is only a quoteId, checked against the owner in object-authorization.test.ts',
};

interface Scenario {
  /** The path to call for this customer (after any setup), and the plain body. */
  prepare: (who: TestCustomer) => Promise<{ path: string; body: Record<string, unknown> }>;
  /** The row(s) the call writes, for this customer. */
  stored: (who: TestCustomer) => Promise<unknown>;
}

describe('Mass assignment: fields a customer must not set', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let kari: TestCustomer;
  let ola: TestCustomer;

  const latest = async (table: string, who: TestCustomer) =>
    (await db.pool.query(`SELECT * FROM ${table} WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, [who.userId])).rows[0];
  const usersRow = async (who: TestCustomer) => (await db.pool.query('SELECT * FROM users WHERE id = $1', [who.userId])).rows[0];
  /** The columns in which Kari and Ola differ from the start (names, BankID subject, customer number…). */
  let identityColumns: string[] = [];
  /** The customer's users row without who they are: what the settings routes write. */
  const accountRow = async (who: TestCustomer) =>
    Object.fromEntries(Object.entries(await usersRow(who)).filter(([column]) => !identityColumns.includes(column)));
  const quoteFor = async (who: TestCustomer) =>
    (await (await postAs(who, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '700' })).json()).data.id as string;
  const recipientFor = async (who: TestCustomer) =>
    (await (await postAs(who, '/api/recipients', recipientBody({ iban: 'DE89370400440532013000' }))).json()).data.id as string;

  /** A value with what differs between two customers' otherwise equal calls (ids, times, own names and keys) replaced. */
  const normalized = (value: unknown, who: TestCustomer): unknown =>
    JSON.parse(
      JSON.stringify(value)
        .replaceAll(who.userId, '<user>')
        .replaceAll(who.email, '<email>')
        .replace(/"[a-z]{2,5}_[0-9A-HJKMNP-TV-Z]{26}"/g, '"<id>"')
        .replace(/"\d{4}-\d\d-\d\dT[\d:.]+Z?"/g, '"<time>"')
        .replace(/"(kid|kid_number|reference|human_reference|humanReference|email_code_hash|ledger_id)":"[^"]*"/g, '"$1":"<own>"'),
    );

  const scenarios: Record<string, Scenario> = {
    'POST /api/quotes': {
      prepare: async () => ({ path: '/api/quotes', body: { country: 'DE', currency: 'EUR', sendAmount: '1000' } }),
      stored: (who) => latest('quotes', who),
    },
    'POST /api/recipients': {
      prepare: async () => ({ path: '/api/recipients', body: recipientBody({ iban: 'DE89370400440532013000' }) }),
      stored: (who) => latest('recipients', who),
    },
    'PUT /api/recipients/{id}': {
      prepare: async (who) => ({
        path: `/api/recipients/${await recipientFor(who)}`,
        body: { ...recipientBody({ iban: 'DE89370400440532013000' }), name: 'Anna Schmidt-Weber' },
      }),
      stored: (who) => latest('recipients', who),
    },
    'POST /api/transfers': {
      prepare: async (who) => ({ path: '/api/transfers', body: { quoteId: await quoteFor(who), recipientId: await recipientFor(who) } }),
      stored: (who) => latest('transactions', who),
    },
    'PUT /api/me/language': { prepare: async () => ({ path: '/api/me/language', body: { language: 'en' } }), stored: accountRow },
    'PUT /api/me/notifications': {
      prepare: async () => ({ path: '/api/me/notifications', body: { fundsReceived: false, paidOut: true } }),
      stored: accountRow,
    },
    'POST /api/me/email': {
      prepare: async () => ({ path: '/api/me/email', body: { email: 'new.address@example.no', locale: 'nb' } }),
      stored: async (who) => ({
        user: await accountRow(who),
        verification: (
          await db.pool.query(
            `SELECT user_id, email, sends, attempts, verified_at, closed_at FROM email_verifications
             WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`,
            [who.userId],
          )
        ).rows[0],
      }),
    },
    'POST /api/kyc/source-of-funds': {
      prepare: async () => ({ path: '/api/kyc/source-of-funds', body: { source: 'Salary and savings from my job as a nurse' } }),
      stored: accountRow,
    },
  };

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort({ WORKER_MODE: 'inline' }));
    kari = await verifiedCustomer(base, db.pool, 'kari');
    ola = await verifiedCustomer(base, db.pool, 'ola');
    const [kariRow, olaRow] = [await usersRow(kari), await usersRow(ola)];
    identityColumns = Object.keys(kariRow).filter(
      (column) => !['id', 'email'].includes(column) && JSON.stringify(kariRow[column]) !== JSON.stringify(olaRow[column]),
    );
    // Both were asked where their money comes from, so the declaration route accepts a body.
    await db.pool.query(`UPDATE users SET edd_required_at = now(), edd_reason = 'test' WHERE id = ANY($1)`, [[kari.userId, ola.userId]]);
  });

  after(() => stopDropOnFreePort({ db, drop }));

  it('drops or refuses every forbidden field on every customer route with a JSON body', async (t) => {
    const spec = (await (await fetch(`${base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
    };
    const customerBodyRoutes = Object.entries(spec.paths)
      .filter(([path]) => path.startsWith('/api/') && !path.startsWith('/api/staff/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, operation]) => operation.requestBody?.content && 'application/json' in operation.requestBody.content)
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
    assert.deepEqual(
      customerBodyRoutes.filter((route) => !(route in scenarios) && !(route in NOT_EXERCISED)),
      [],
      'every customer route with a JSON body has a scenario here',
    );

    const send = (who: TestCustomer, method: string, path: string, body: string) =>
      fetch(`${base}${path}`, {
        method,
        headers: { cookie: who.cookie, origin: base, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body,
      });
    const outcomes: string[] = [];
    for (const route of customerBodyRoutes.filter((r) => r in scenarios)) {
      const scenario = scenarios[route] as Scenario;
      const method = route.split(' ')[0] as string;

      const plain = await scenario.prepare(ola);
      const olaUserBefore = await usersRow(ola);
      const plainResponse = await send(ola, method, plain.path, JSON.stringify(plain.body));
      const plainText = await plainResponse.text();
      assert.ok(plainResponse.status < 300, `${route} plain: ${plainResponse.status} ${plainText}`);

      const hostile = await scenario.prepare(kari);
      const kariUserBefore = await usersRow(kari);
      const storedBefore = await scenario.stored(kari);

      const poisoned = await send(kari, method, hostile.path, withProtoMember(hostile.body));
      const poisonedText = await poisoned.text();
      assert.equal(poisoned.status, 400, `${route} with __proto__: ${poisonedText}`);
      assert.match(JSON.parse(poisonedText).code, /^[A-Z_]+$/, `${route} with __proto__: a stable code`);
      assert.deepEqual(await scenario.stored(kari), storedBefore, `${route} with __proto__: nothing stored`);
      assert.deepEqual(await usersRow(kari), kariUserBefore, `${route} with __proto__: Kari's account unchanged`);

      const hostileResponse = await send(kari, method, hostile.path, withForbiddenFields(hostile.body));
      const hostileText = await hostileResponse.text();

      if (hostileResponse.status === 400) {
        assert.equal(JSON.parse(hostileText).code, 'VALIDATION_FAILED', `${route}: ${hostileText}`);
        assert.deepEqual(await scenario.stored(kari), storedBefore, `${route}: refused, and nothing stored`);
        assert.deepEqual(await usersRow(kari), kariUserBefore, `${route}: refused, and Kari's account unchanged`);
        outcomes.push(`${route}: 400`);
        continue;
      }
      assert.equal(hostileResponse.status, plainResponse.status, `${route} with extra fields: ${hostileResponse.status} ${hostileText}`);
      assert.deepEqual(
        normalized(hostileText ? JSON.parse(hostileText) : null, kari),
        normalized(plainText ? JSON.parse(plainText) : null, ola),
        `${route}: the answer is the plain call's`,
      );
      assert.deepEqual(
        normalized(await scenario.stored(kari), kari),
        normalized(await scenario.stored(ola), ola),
        `${route}: the stored row is the plain call's`,
      );
      // Kari's account changed in the columns Ola's plain call changed, to the same values, and no other.
      const olaUserAfter = await usersRow(ola);
      const kariUserAfter = await usersRow(kari);
      for (const column of Object.keys(kariUserAfter)) {
        const olaChanged = JSON.stringify(olaUserAfter[column]) !== JSON.stringify(olaUserBefore[column]);
        if (olaChanged) continue;
        assert.deepEqual(kariUserAfter[column], kariUserBefore[column], `${route}: users.${column} is not the client's to set`);
      }
      for (const value of ['999999', '99.0000000000', 'usr_01HZZZZZZZZZZZZZZZZZZZZZZZ', 'tx_01HZZZZZZZZZZZZZZZZZZZZZZZ']) {
        assert.ok(!hostileText.includes(value), `${route}: the answer does not echo ${value}`);
        assert.ok(!JSON.stringify(await scenario.stored(kari)).includes(value), `${route}: ${value} is not stored`);
      }
      outcomes.push(`${route}: ${hostileResponse.status}, extra fields dropped`);
    }
    t.diagnostic(outcomes.join('; '));
    assert.equal(outcomes.length, Object.keys(scenarios).length, outcomes.join('\n'));
    // Nothing leaked into shared prototypes of the server either: an ordinary object still has no role.
    assert.equal(({} as Record<string, unknown>).role, undefined);
  });
});
