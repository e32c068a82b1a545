/**
 * What Fastify's router and Node's HTTP parser refuse before any route runs is a problem document
 * with a stable code too (issue 17; the API fuzzer found these answered as Fastify's own JSON,
 * without a code): a path that is not valid percent-encoding, a path parameter over the router's
 * length limit, malformed HTTP, and a request line with headers over Node's size limit.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TestDatabase } from '../../../test/support/database.ts';
import { startDropOnFreePort, stopDropOnFreePort } from '../../../test/support/drop-on-port.ts';
import type { RunningDrop } from '../src/runtime.ts';

/** Sends `raw` on a fresh connection and returns everything the server wrote before closing it. */
function rawExchange(base: string, raw: string): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

function parseRaw(answer: string): { status: number; contentType: string; body: { code?: string } } {
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const contentType = /\r\ncontent-type: ([^\r]+)/i.exec(head)?.[1] ?? '';
  return { status, contentType, body: JSON.parse(body) as { code?: string } };
}

describe('requests refused before any route runs', () => {
  let db: TestDatabase;
  let drop: RunningDrop;
  let base: string;

  before(async () => {
    ({ db, drop, base } = await startDropOnFreePort());
  });
  after(() => stopDropOnFreePort({ db, drop }));

  async function assertProblem(response: Response, status: number, code: string) {
    const text = await response.text();
    assert.equal(response.status, status, text);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((JSON.parse(text) as { code: string }).code, code);
  }

  it('a path that is not valid percent-encoding: 400 VALIDATION_FAILED', async () => {
    await assertProblem(await fetch(`${base}/api/staff/kyc/%C3%28`), 400, 'VALIDATION_FAILED');
    await assertProblem(await fetch(`${base}/api/transfers/%zz`), 400, 'VALIDATION_FAILED');
  });

  it('a path parameter longer than the router takes: 400 VALIDATION_FAILED', async () => {
    await assertProblem(await fetch(`${base}/api/transfers/${'a'.repeat(3000)}`), 400, 'VALIDATION_FAILED');
  });

  it('malformed HTTP: 400 VALIDATION_FAILED on the socket', async () => {
    const answer = parseRaw(await rawExchange(base, 'GET /api/health HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n'));
    assert.equal(answer.status, 400);
    assert.match(answer.contentType, /^application\/problem\+json/);
    assert.equal(answer.body.code, 'VALIDATION_FAILED');
  });

  it('headers over the size limit: 431 HEADERS_TOO_LARGE', async () => {
    const answer = parseRaw(await rawExchange(base, `GET /api/health HTTP/1.1\r\nHost: x\r\nx-filler: ${'a'.repeat(20_000)}\r\n\r\n`));
    assert.equal(answer.status, 431);
    assert.match(answer.contentType, /^application\/problem\+json/);
    assert.equal(answer.body.code, 'HEADERS_TOO_LARGE');
  });
});
