/**
 * A request whose database connection is cut mid-way answers 503 SERVICE_UNAVAILABLE with
 * Retry-After (issue 17, item 1), never a 500, and the client's retry does the work once: the
 * connection between Drop and PostgreSQL runs through a TCP proxy that cuts it while a request's
 * query waits for its answer, just before a COMMIT reaches the server (the transaction is rolled
 * back) or just after (it committed; Drop cannot know). The chaos run (`npm run chaos`) does the
 * same under load.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { verifyLedger } from '@drop/core';
import { GERMAN_IBAN, postAs, recipientBody, type TestCustomer, transferAs, verifiedCustomer } from '../../../test/support/customers.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { freePort } from '../../../test/support/embedded.ts';
import { startTestServer, waitUntil } from '../../../test/support/server.ts';
import { startTcpProxy, type TcpProxy } from '../../../test/support/tcp-proxy.ts';
import type { RunningDrop } from '../src/runtime.ts';

describe('a database connection cut mid-request', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let drop: RunningDrop;
  let customer: TestCustomer;

  before(async () => {
    db = await createTestDatabase();
    const upstream = new URL(db.url);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const port = await freePort();
    drop = await startTestServer({
      databaseUrl: viaProxy.toString(),
      env: { PORT: String(port), PUBLIC_URL: `http://localhost:${port}` },
    });
    customer = await verifiedCustomer(`http://localhost:${port}`, db.pool, 'kari');
  });
  after(async () => {
    proxy?.resume();
    await drop?.stop('test finished');
    await proxy?.close();
    await db?.drop();
  });

  async function assertServiceUnavailable(response: Response) {
    const body = await response.text();
    assert.equal(response.status, 503, body);
    assert.equal((JSON.parse(body) as { code: string }).code, 'SERVICE_UNAVAILABLE');
    assert.ok(Number(response.headers.get('retry-after')) > 0, 'Retry-After tells the client when to try again');
  }

  const statusOf = async (id: string) => (await db.pool.query('SELECT status FROM transactions WHERE id = $1', [id])).rows[0]?.status;

  it('while a query waits: 503 with Retry-After, and the retry with the same idempotency key creates one transfer', async () => {
    const quote = (await (await postAs(customer, '/api/quotes', { country: 'DE', currency: 'EUR', sendAmount: '700' })).json()).data;
    const recipient = (await (await postAs(customer, '/api/recipients', recipientBody({ iban: GERMAN_IBAN }))).json()).data;
    const key = randomUUID();
    const create = () => postAs(customer, '/api/transfers', { quoteId: quote.id, recipientId: recipient.id }, { 'idempotency-key': key });
    const transfers = async () =>
      Number((await db.pool.query(`SELECT count(*) FROM transactions WHERE user_id = $1`, [customer.userId])).rows[0].count);
    const before = await transfers();

    proxy.pause();
    const inFlight = create();
    await waitUntil(async () => proxy.bytesSinceUpstreamPause() > 0, 10_000, 'the request to reach the database');
    proxy.cut();
    proxy.resume();
    await assertServiceUnavailable(await inFlight);

    const retried = await create();
    assert.equal(retried.status, 201, await retried.clone().text());
    const again = await create();
    assert.equal(again.status, 201, 'a replay answers the stored response');
    assert.equal((await again.json()).data.id, (await retried.json()).data.id);
    assert.equal(await transfers(), before + 1, 'one transfer for the key, whatever the cut did');
  });

  it('just before COMMIT: 503, nothing changed, and the retry cancels the transfer', async () => {
    const transfer = await transferAs(customer, '600');
    const { cut } = proxy.cutAtCommit('before');
    await assertServiceUnavailable(await postAs(customer, `/api/transfers/${transfer.id}/cancel`, {}));
    await cut;
    assert.equal(await statusOf(transfer.id), 'awaiting_funds', 'the server rolled the transaction back');

    const retried = await postAs(customer, `/api/transfers/${transfer.id}/cancel`, {});
    assert.equal(retried.status, 200, await retried.clone().text());
    assert.equal(await statusOf(transfer.id), 'cancelled');
    const ledger = await verifyLedger(db.pool);
    assert.deepEqual(ledger.violations, []);
  });

  it('just after COMMIT: 503 although the cancel committed; the retry is told the transfer is already cancelled', async () => {
    const transfer = await transferAs(customer, '500');
    const { cut } = proxy.cutAtCommit('after');
    await assertServiceUnavailable(await postAs(customer, `/api/transfers/${transfer.id}/cancel`, {}));
    await cut;
    assert.equal(await statusOf(transfer.id), 'cancelled', 'the COMMIT reached the server');

    const retried = await postAs(customer, `/api/transfers/${transfer.id}/cancel`, {});
    assert.equal(retried.status, 409, await retried.clone().text());
    const problem = await retried.json();
    assert.equal(problem.code, 'TRANSFER_STATE_INVALID');
    assert.equal(problem.details?.from, 'cancelled', 'the refusal names the state the first attempt left');
    const events = await db.pool.query(
      `SELECT count(*)::int AS n FROM transfer_events WHERE transaction_id = $1 AND to_status = 'cancelled'`,
      [transfer.id],
    );
    assert.equal(events.rows[0].n, 1, 'cancelled once');
    const ledger = await verifyLedger(db.pool);
    assert.deepEqual(ledger.violations, []);
  });
});
