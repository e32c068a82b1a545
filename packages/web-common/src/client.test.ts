import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { transfer } from '@drop/contracts';
import { z } from 'zod';
import { callApi } from './client.ts';

const realFetch = globalThis.fetch;
/** Answers every fetch with this response (and records what was asked). */
function answer(response: () => Response): Array<{ url: string; init: RequestInit | undefined }> {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  globalThis.fetch = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return response();
  }) as typeof fetch;
  return calls;
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const aTransfer = {
  id: 'tx_01JAAAAAAAAAAAAAAAAAAAAAAA',
  reference: 'DRP-7K3-92QX',
  status: 'awaiting_funds',
  send: { amount: '1000.00', currency: 'NOK' },
  fee: { amount: '25.00', currency: 'NOK' },
  converted: { amount: '975.00', currency: 'NOK' },
  receive: { amount: '84.12', currency: 'EUR' },
  rate: '0.0862814',
  quoteId: 'qt_01JAAAAAAAAAAAAAAAAAAAAAAA',
  kid: '000000000018',
  payBy: '2026-12-06T12:00:00.000Z',
  recipient: null,
  failureReason: null,
  createdAt: '2026-12-06T11:00:00.000Z',
  updatedAt: '2026-12-06T11:00:00.000Z',
  payIn: null,
};

describe('the web apps’ API client', () => {
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  test('parses the data envelope with the contract’s schema and marks an idempotent replay', async () => {
    const calls = answer(() =>
      json(201, { data: { ...aTransfer, extra: 'a newer server may add fields' } }, { 'idempotent-replayed': 'true' }),
    );
    const result = await callApi(
      { method: 'POST', path: '/api/transfers', body: { quoteId: 'q', recipientId: 'r' }, headers: { 'idempotency-key': 'k' } },
      transfer,
    );
    assert.deepEqual(result, { kind: 'ok', data: aTransfer, replayed: true });
    const init = calls[0]?.init;
    assert.equal(init?.method, 'POST');
    assert.equal(init?.body, JSON.stringify({ quoteId: 'q', recipientId: 'r' }));
    assert.deepEqual(init?.headers, { accept: 'application/json', 'idempotency-key': 'k', 'content-type': 'application/json' });
  });

  test('an answer that breaks the contract is INVALID_RESPONSE, naming the first mismatch', async () => {
    answer(() => json(200, { data: [{ ...aTransfer, status: 'teleported' }] }));
    const result = await callApi({ path: '/api/transfers' }, z.array(transfer));
    assert.equal(result.kind, 'error');
    assert.equal(result.kind === 'error' && result.code, 'INVALID_RESPONSE');
    assert.match(result.kind === 'error' ? (result.detail ?? '') : '', /^data\.0\.status: /);
  });

  test('a problem keeps its stable code, detail, details and Retry-After', async () => {
    answer(() =>
      json(
        423,
        {
          type: 'urn:drop:error:account_locked',
          title: 'Locked',
          status: 423,
          code: 'ACCOUNT_LOCKED',
          detail: 'Locked.',
          details: { minutes: 15 },
        },
        { 'retry-after': '900' },
      ),
    );
    assert.deepEqual(await callApi({ method: 'POST', path: '/api/staff/login', body: {}, credentials: true }), {
      kind: 'error',
      status: 423,
      code: 'ACCOUNT_LOCKED',
      detail: 'Locked.',
      details: { minutes: 15 },
      retryAfterSeconds: 900,
    });
    answer(() => new Response('<html>bad gateway</html>', { status: 502 }));
    assert.deepEqual(await callApi({ path: '/api/me' }), { kind: 'error', status: 502, code: 'HTTP_502' });
  });

  test('401 means nobody is signed in (blocked when the account is), except on sign-in itself', async () => {
    answer(() => json(401, { code: 'UNAUTHENTICATED' }));
    assert.deepEqual(await callApi({ path: '/api/me' }), { kind: 'unauthenticated' });
    answer(() => json(401, { code: 'ACCOUNT_BLOCKED' }));
    assert.deepEqual(await callApi({ path: '/api/me' }), { kind: 'unauthenticated', blocked: true });
    answer(() => json(401, { code: 'INVALID_CREDENTIALS' }));
    assert.deepEqual(await callApi({ method: 'POST', path: '/api/staff/login', credentials: true }), {
      kind: 'error',
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
  });

  test('no answer is NETWORK_ERROR; an answer without a body is ok', async () => {
    answer(() => {
      throw new TypeError('Failed to fetch');
    });
    assert.deepEqual(await callApi({ path: '/api/me' }), { kind: 'error', status: 0, code: 'NETWORK_ERROR' });
    answer(() => new Response(null, { status: 204 }));
    assert.deepEqual(await callApi({ method: 'DELETE', path: '/api/recipients/rcp_1' }), { kind: 'ok', data: undefined });
  });
});
