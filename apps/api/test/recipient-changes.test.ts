/**
 * Changing and removing recipients over real HTTP against a real server and PostgreSQL: an edit is
 * validated as a new recipient is and refused bad input changes nothing; an edit makes a new
 * version and retires the old one, which past transfers keep; an edit that changes nothing keeps
 * the recipient; another customer's recipient is not found; a recipient with a transfer on its way
 * can be neither edited nor removed; and a removal racing a new transfer to the same recipient
 * never leaves a transfer on its way to a removed recipient.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { GERMAN_IBAN, postAs, recipientBody, type TestCustomer, verifiedCustomer } from '../../../test/support/customers.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/embedded.ts';
import { startTestServer } from '../../../test/support/server.ts';
import type { RunningDrop } from '../src/runtime.ts';

const OTHER_IBAN = 'DE75512108001245126199';

describe('changing and removing recipients over HTTP', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    base = `http://localhost:${port}`;
    drop = await startTestServer({ databaseUrl: db.url, env: { PORT: String(port), PUBLIC_URL: base } });
  });
  after(async () => {
    await drop?.stop('test finished');
    await db?.drop();
  });

  const call = (who: TestCustomer, method: 'PUT' | 'DELETE', path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { cookie: who.cookie, origin: base, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function add(who: TestCustomer, iban = GERMAN_IBAN): Promise<{ id: string; name: string }> {
    const response = await postAs(who, '/api/recipients', recipientBody({ iban }));
    assert.equal(response.status, 201, await response.clone().text());
    return (await response.json()).data;
  }

  async function transferTo(who: TestCustomer, recipientId: string): Promise<Response> {
    const quote = (await (await postAs(who, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '1000' })).json()).data;
    return postAs(who, '/api/transfers', { quoteId: quote.id, recipientId }, { 'idempotency-key': randomUUID() });
  }

  const recipients = async () => JSON.stringify((await db.pool.query('SELECT * FROM recipients ORDER BY id')).rows);

  it('an edit is validated like a new recipient, becomes a new version, and leaves past transfers with the old one', async () => {
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    const anna = await add(kari);
    const made = await transferTo(kari, anna.id);
    assert.equal(made.status, 201);
    const transfer = (await made.json()).data;
    assert.equal((await postAs(kari, `/api/transfers/${transfer.id}/cancel`, {})).status, 200);

    const before = await recipients();
    const bad = await call(kari, 'PUT', `/api/recipients/${anna.id}`, recipientBody({ iban: 'DE89370400440532013001' }));
    assert.equal(bad.status, 422);
    const problem = await bad.json();
    assert.equal(problem.code, 'RECIPIENT_INVALID');
    assert.equal(problem.details.field, 'details.iban');
    const unknownField = await call(kari, 'PUT', `/api/recipients/${anna.id}`, { ...recipientBody({ iban: OTHER_IBAN }), extra: 1 });
    assert.equal(unknownField.status, 400);
    assert.equal(await recipients(), before, 'refused edits change nothing');

    // Nothing changed: the same recipient, no new row.
    const same = await call(kari, 'PUT', `/api/recipients/${anna.id}`, recipientBody({ iban: GERMAN_IBAN }));
    assert.equal(same.status, 200);
    assert.equal((await same.json()).data.id, anna.id);
    assert.equal(await recipients(), before);

    const edited = await call(kari, 'PUT', `/api/recipients/${anna.id}`, { ...recipientBody({ iban: OTHER_IBAN }), name: 'Anna Berg' });
    assert.equal(edited.status, 200);
    const next = (await edited.json()).data;
    assert.notEqual(next.id, anna.id);
    assert.equal(next.name, 'Anna Berg');
    assert.equal(next.details.iban, OTHER_IBAN);
    const rows = await db.pool.query<{ id: string; deleted: boolean; replaced_by: string | null; name: string }>(
      'SELECT id, deleted_at IS NOT NULL AS deleted, replaced_by, name FROM recipients WHERE id = ANY($1) ORDER BY created_at',
      [[anna.id, next.id]],
    );
    assert.deepEqual(rows.rows, [
      { id: anna.id, deleted: true, replaced_by: next.id, name: 'Anna Schmidt' },
      { id: next.id, deleted: false, replaced_by: null, name: 'Anna Berg' },
    ]);
    const list = (await (await fetch(`${base}/api/recipients`, { headers: { cookie: kari.cookie } })).json()).data;
    assert.deepEqual(
      list.map((r: { id: string }) => r.id),
      [next.id],
    );
    const past = (await (await fetch(`${base}/api/transfers/${transfer.id}`, { headers: { cookie: kari.cookie } })).json()).data;
    assert.equal(past.recipient.name, 'Anna Schmidt');

    // The retired version cannot be edited or removed again, and nobody else's can be touched.
    assert.equal((await call(kari, 'PUT', `/api/recipients/${anna.id}`, recipientBody({ iban: OTHER_IBAN }))).status, 404);
    assert.equal((await call(kari, 'DELETE', `/api/recipients/${anna.id}`)).status, 404);
    const ola = await verifiedCustomer(base, db.pool, 'ola');
    const foreign = await call(ola, 'PUT', `/api/recipients/${next.id}`, recipientBody({ iban: GERMAN_IBAN }));
    assert.equal(foreign.status, 404);
    assert.equal((await foreign.json()).code, 'RECIPIENT_NOT_FOUND');
    assert.equal((await call(ola, 'DELETE', `/api/recipients/${next.id}`)).status, 404);
  });

  it('a recipient with a transfer on its way can be neither edited nor removed; once it is cancelled, it can', async () => {
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    const bent = await add(kari);
    const made = await transferTo(kari, bent.id);
    assert.equal(made.status, 201);
    const transfer = (await made.json()).data;

    const before = await recipients();
    for (const [method, body] of [
      ['DELETE', undefined],
      ['PUT', recipientBody({ iban: OTHER_IBAN })],
    ] as const) {
      const response = await call(kari, method, `/api/recipients/${bent.id}`, body);
      assert.equal(response.status, 409);
      const problem = await response.json();
      assert.equal(problem.code, 'RECIPIENT_IN_USE');
      assert.equal(problem.details.transfersInFlight, 1);
    }
    assert.equal(await recipients(), before, 'refusals change nothing');

    assert.equal((await postAs(kari, `/api/transfers/${transfer.id}/cancel`, {})).status, 200);
    assert.equal((await call(kari, 'DELETE', `/api/recipients/${bent.id}`)).status, 204);
    assert.equal((await transferTo(kari, bent.id)).status, 404, 'a removed recipient takes no new transfers');
  });

  it('a removal racing a new transfer to the same recipient: one of them wins, never both', async () => {
    const kari = await verifiedCustomer(base, db.pool, 'kari');
    for (let round = 0; round < 8; round++) {
      const target = await add(kari);
      const quote = (await (await postAs(kari, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '500' })).json()).data;
      const [removed, created] = await Promise.all([
        call(kari, 'DELETE', `/api/recipients/${target.id}`),
        postAs(kari, '/api/transfers', { quoteId: quote.id, recipientId: target.id }, { 'idempotency-key': randomUUID() }),
      ]);
      const outcome = `${removed.status}/${created.status}`;
      assert.ok(outcome === '204/404' || outcome === '409/201', `round ${round}: removal ${removed.status}, transfer ${created.status}`);
      const transfer = created.status === 201 ? (await created.json()).data : undefined;
      if (!transfer) await created.body?.cancel();
      const { rows } = await db.pool.query(
        `SELECT t.id FROM transactions t JOIN recipients r ON r.id = t.recipient_id
          WHERE r.id = $1 AND r.deleted_at IS NOT NULL AND t.status IN ('awaiting_funds', 'funds_received', 'processing', 'held')`,
        [target.id],
      );
      assert.deepEqual(rows, [], 'no transfer on its way to a removed recipient');
      if (transfer) assert.equal((await postAs(kari, `/api/transfers/${transfer.id}/cancel`, {})).status, 200);
    }
  });
});
