/**
 * The scheduled refresh against a local HTTP server standing in for the publishers: a good file is
 * imported, the same file again is not modified (ETag) or unchanged (no validators), and a broken
 * file, an HTTP error, an oversized file or an unreachable server change nothing but the list's
 * last error.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readShippedList } from '@drop/screening';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/database.ts';
import { freePort } from '../../../../../test/support/embedded.ts';
import { currentListVersions } from './current-snapshots.ts';
import { refreshLists } from './refresh-lists.ts';

const UN = readShippedList('un').files['consolidated.xml'] as Buffer;
const CONS = readShippedList('ofac-cons').files;
const UN_ETAG = '"un-2026-02-27"';

interface Publisher {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  server: Server;
}

/** Serves the shipped UN file with an ETag, the OFAC consolidated CSVs without, a truncated UN file, a 500 and a big file. */
async function startPublisher(): Promise<Publisher> {
  const requests: Publisher['requests'] = [];
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    requests.push({ path, headers: request.headers });
    if (path === '/un/consolidated.xml') {
      if (request.headers['if-none-match'] === UN_ETAG) {
        response.writeHead(304).end();
        return;
      }
      response.writeHead(200, { etag: UN_ETAG, 'content-type': 'application/xml' }).end(UN);
      return;
    }
    const consName = path.startsWith('/ofac/') ? basename(path) : undefined;
    if (consName && CONS[consName]) {
      response.writeHead(200, { 'content-type': 'text/csv' }).end(CONS[consName]);
      return;
    }
    if (path === '/broken/consolidated.xml') {
      response.writeHead(200, { 'content-type': 'application/xml' }).end(UN.subarray(0, Math.floor(UN.length / 2)));
      return;
    }
    if (path === '/error/consolidated.xml') {
      response.writeHead(500).end('Internal Server Error');
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

describe('refreshing the lists over HTTP', () => {
  let db: TestDatabase;
  let publisher: Publisher;
  const setSource = (list: string, url: string | null) =>
    db.pool.query('UPDATE sanctions_lists SET source_url = $2 WHERE name = $1', [list, url]);
  const lastError = async (list: string) =>
    (await db.pool.query<{ last_error: string | null }>('SELECT last_error FROM sanctions_lists WHERE name = $1', [list])).rows[0]
      ?.last_error;

  before(async () => {
    db = await createTestDatabase();
    publisher = await startPublisher();
    // Only the local publisher: no test reaches the real ones.
    await db.pool.query('UPDATE sanctions_lists SET source_url = NULL');
    await setSource('un', `${publisher.url}/un/consolidated.xml`);
    await setSource('ofac-cons', `${publisher.url}/ofac/cons_prim.csv`);
  });
  after(async () => {
    publisher.server.close();
    await db.drop();
  });

  it('downloads each enabled list with a source URL, the OFAC set file by file beside the main one, and imports them', async () => {
    const outcomes = await refreshLists(db.pool);
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.list, outcome.outcome, 'version' in outcome ? outcome.version : undefined]),
      [
        ['ofac-cons', 'imported', 1],
        ['un', 'imported', 1],
      ],
    );
    assert.deepEqual(publisher.requests.map((request) => request.path).sort(), [
      '/ofac/cons_add.csv',
      '/ofac/cons_alt.csv',
      '/ofac/cons_comments.csv',
      '/ofac/cons_prim.csv',
      '/un/consolidated.xml',
    ]);
    assert.equal(publisher.requests.find((request) => request.path === '/un/consolidated.xml')?.headers['if-none-match'], undefined);
    const { rows } = await db.pool.query('SELECT list, source, imported_by FROM sanctions_list_versions ORDER BY list');
    assert.deepEqual(rows, [
      { list: 'ofac-cons', source: 'http', imported_by: 'system' },
      { list: 'un', source: 'http', imported_by: 'system' },
    ]);
  });

  it('asks again with the ETag (304: not modified) and, where the publisher gives none, finds the same files unchanged', async () => {
    publisher.requests.length = 0;
    const outcomes = await refreshLists(db.pool);
    assert.deepEqual(
      outcomes.map((outcome) => [outcome.list, outcome.outcome]),
      [
        ['ofac-cons', 'unchanged'],
        ['un', 'not_modified'],
      ],
    );
    assert.equal(publisher.requests.find((request) => request.path === '/un/consolidated.xml')?.headers['if-none-match'], UN_ETAG);
    assert.deepEqual(
      (await currentListVersions(db.pool)).map((ref) => [ref.list, ref.version]),
      [
        ['ofac-cons', 1],
        ['un', 1],
      ],
    );
  });

  it('skips lists checked within their refresh interval when only due lists are asked for (the hourly job)', async () => {
    assert.deepEqual(await refreshLists(db.pool, { dueOnly: true }), []);
    await db.pool.query(`UPDATE sanctions_lists SET last_checked_at = now() - interval '2 days' WHERE name = 'un'`);
    assert.deepEqual(
      (await refreshLists(db.pool, { dueOnly: true })).map((outcome) => outcome.list),
      ['un'],
    );
  });

  for (const [what, path, options, error] of [
    ['a broken file', '/broken/consolidated.xml', {}, /un-xml/],
    ['an HTTP error', '/error/consolidated.xml', {}, /HTTP 500/],
    ['a file over the size cap', '/un/consolidated.xml?big', { maxBytes: 1000 }, /more than the 1000 bytes allowed/],
  ] as const) {
    it(`refuses ${what}: nothing changes but the list's last error`, async () => {
      // No validators, so the server sends the whole file.
      await db.pool.query(`UPDATE sanctions_lists SET http_etag = NULL WHERE name = 'un'`);
      await setSource('un', `${publisher.url}${path}`);
      const before = (await db.pool.query('SELECT id, version, current FROM sanctions_list_versions ORDER BY id')).rows;
      const outcomes = await refreshLists(db.pool, { lists: ['un'], ...options });
      assert.equal(outcomes.length, 1);
      const [outcome] = outcomes;
      assert.equal(outcome?.outcome, 'failed');
      assert.match(outcome?.outcome === 'failed' ? outcome.error : '', error);
      assert.deepEqual((await db.pool.query('SELECT id, version, current FROM sanctions_list_versions ORDER BY id')).rows, before);
      assert.match((await lastError('un')) ?? '', error);
    });
  }

  it('refuses an unreachable publisher the same way, and a good download afterwards clears the error', async () => {
    await setSource('un', `http://127.0.0.1:${await freePort()}/consolidated.xml`);
    const [unreachable] = await refreshLists(db.pool, { lists: ['un'] });
    assert.equal(unreachable?.outcome, 'failed');
    assert.ok(await lastError('un'));
    await setSource('un', `${publisher.url}/un/consolidated.xml`);
    const [good] = await refreshLists(db.pool, { lists: ['un'] });
    assert.deepEqual(good, { list: 'un', outcome: 'unchanged', version: 1 });
    assert.equal(await lastError('un'), null);
  });
});
