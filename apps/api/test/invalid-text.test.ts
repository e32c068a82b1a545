/**
 * Text PostgreSQL refuses never reaches it (issue 17, item 1): a NUL character in a body, a path
 * or a query is a 400 INVALID_TEXT that changes nothing (it was a 500 from PostgreSQL), and the
 * BankID callback that carries one still leaves its failed sign-in in the audit log. A lost
 * database connection is a 503 to retry (isDatabaseUnavailable), not a 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInThroughTestProvider } from '../../../test/support/bankid-sign-in.ts';
import { GERMAN_IBAN, recipientBody } from '../../../test/support/customers.ts';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import { isDatabaseUnavailable } from '../src/http/errors.ts';
import { findNul } from '../src/http/text-guard.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('text PostgreSQL cannot store', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;
  let cookie: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
    cookie = `__Host-drop_session=${(await signInThroughTestProvider(base, 'kari')).sessionCookie}`;
  });
  after(() => stopDropOnFreePort({ db, drop }));

  const count = async (table: string) => Number((await db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  const post = (path: string, body: string) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'application/json' }, body });

  async function assertInvalidText(response: Response, where: RegExp) {
    const body = await response.text();
    assert.equal(response.status, 400, body);
    const problem = JSON.parse(body) as { code: string; detail: string };
    assert.equal(problem.code, 'INVALID_TEXT');
    assert.match(problem.detail, where);
  }

  it('in a JSON body, a string value or a key: 400, nothing stored', async () => {
    const quotes = await count('quotes');
    const recipients = await count('recipients');
    await assertInvalidText(await post('/api/quotes', '{"country":"DE","currency":"EUR","sendAmount":"10\\u00000"}'), /^body\.sendAmount /);
    const withNulName = JSON.stringify(recipientBody({ iban: GERMAN_IBAN }, 'DE', 'EUR')).replace('"name":"', '"name":"A\\u0000');
    assert.ok(withNulName.includes('\\u0000'), 'the recipient body has a name to spoil');
    await assertInvalidText(await post('/api/recipients', withNulName), /^body\.name /);
    await assertInvalidText(await post('/api/quotes', '{"country":"DE","currency":"EUR","sendAmount":"100","x\\u0000":1}'), /^body\.x\\0 /);
    assert.equal(await count('quotes'), quotes);
    assert.equal(await count('recipients'), recipients);
    // The same request without the NUL is fine: the guard refuses the character, not the route.
    assert.equal((await post('/api/quotes', '{"country":"DE","currency":"EUR","sendAmount":"100"}')).status, 201);
  });

  it('in a path parameter or a query: 400', async () => {
    await assertInvalidText(await fetch(`${base}/api/transfers/tx_%00`, { headers: { cookie } }), /^path\.id /);
    await assertInvalidText(await fetch(`${base}/api/quotes/preview?by=send&amount=100&country=DE&currency=EU%00R`), /^query\.currency /);
  });

  it('the BankID callback with error=%00: 400, and the failed sign-in is audited', async () => {
    const before = await db.pool.query(`SELECT count(*) FROM audit_log WHERE action = 'login_failed'`);
    await assertInvalidText(await fetch(`${base}/api/auth/bankid/callback?error=%00&state=x`, { redirect: 'manual' }), /^query\.error /);
    const { rows } = await db.pool.query<{ details: { reason: string; query: string } }>(
      `SELECT details FROM audit_log WHERE action = 'login_failed' ORDER BY seq DESC LIMIT 1`,
    );
    assert.equal(
      Number((await db.pool.query(`SELECT count(*) FROM audit_log WHERE action = 'login_failed'`)).rows[0].count),
      Number(before.rows[0].count) + 1,
    );
    assert.equal(rows[0]?.details.reason, 'invalid_text');
    assert.equal(rows[0]?.details.query, '{"error":"\\0","state":"x"}');
  });
});

describe('findNul and isDatabaseUnavailable', () => {
  it('find a NUL anywhere in a request, and only there', () => {
    assert.equal(findNul({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, 'body'), 'body.a.1.c');
    assert.equal(findNul({ a: [1, true, null, 'fine'] }, 'body'), null);
    assert.equal(findNul('plain', 'query'), null);
  });

  it('tell a lost database connection from a bug', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P03', '08006', '08003']) {
      assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code);
    }
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect')));
    assert.ok(!isDatabaseUnavailable(Object.assign(new Error('x'), { code: '23505' })), 'a unique violation is not an outage');
    assert.ok(!isDatabaseUnavailable(new TypeError('cannot read properties of undefined')));
  });
});
