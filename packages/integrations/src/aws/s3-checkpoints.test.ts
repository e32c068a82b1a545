/**
 * The S3 checkpoint store over S3's REST protocol (the SDK's own requests, path-style, to a small
 * bucket on loopback that keeps objects and their lock headers): each checkpoint is put in
 * COMPLIANCE mode until the retention date, with an integrity checksum (Object Lock refuses a put
 * without one), and read back newest first.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { checkpointSignatureValid, signCheckpoint } from '@drop/core';
import { s3CheckpointStore } from './s3-checkpoints.ts';

describe('S3 checkpoint store', () => {
  const objects = new Map<string, { body: string; headers: IncomingHttpHeaders }>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      if (bucket !== 'drop-audit-checkpoints-test') {
        response.writeHead(404).end();
      } else if (request.method === 'PUT') {
        // The SDK may send the body in aws-chunked encoding: keep the JSON inside.
        const json = body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1);
        objects.set(key, { body: json, headers: request.headers });
        response.writeHead(200, { ETag: '"etag"' }).end();
      } else if (request.method === 'GET' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = [...objects.keys()].filter((name) => name.startsWith(prefix)).sort();
        const contents = keys.map((name) => `<Contents><Key>${name}</Key><Size>1</Size></Contents>`).join('');
        response
          .writeHead(200, { 'Content-Type': 'application/xml' })
          .end(
            `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
          );
      } else if (request.method === 'GET' && objects.has(key)) {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(objects.get(key)?.body);
      } else {
        response.writeHead(404).end();
      }
    });
  });
  let endpoint = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('puts each checkpoint under a compliance-mode lock until the retention date, and reads them back newest first', async () => {
    const store = s3CheckpointStore({
      bucket: 'drop-audit-checkpoints-test',
      prefix: 'audit-checkpoints/',
      region: 'eu-west-1',
      endpointUrl: endpoint,
      retentionDays: 1825,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const older = signCheckpoint(
        { seq: '9', hash: 'aa'.repeat(32), database: 'dropapp', createdAt: new Date('2026-12-06T10:00:00Z') },
        privateKey,
      );
      const newer = signCheckpoint(
        { seq: '10', hash: 'bb'.repeat(32), database: 'dropapp', createdAt: new Date('2026-12-06T11:00:00Z') },
        privateKey,
      );
      const location = await store.write(older);
      await store.write(newer);
      assert.match(location, /^s3:\/\/drop-audit-checkpoints-test\/audit-checkpoints\/audit-checkpoint-\d{20}-seq-9-/);

      const put = objects.get(location.replace('s3://drop-audit-checkpoints-test/', ''));
      assert.ok(put);
      assert.equal(put.headers['x-amz-object-lock-mode'], 'COMPLIANCE');
      const until = Date.parse(String(put.headers['x-amz-object-lock-retain-until-date']));
      const days = (until - Date.now()) / 86_400_000;
      assert.ok(days > 1824.9 && days <= 1825, `locked for ${days} days`);
      assert.ok(put.headers['x-amz-checksum-sha256'] || put.headers['x-amz-trailer'], 'an integrity checksum');

      const read = await store.newest(10);
      assert.deepEqual(
        read.map((checkpoint) => checkpoint.seq),
        ['10', '9'],
      );
      assert.ok(read.every((checkpoint) => checkpointSignatureValid(checkpoint, publicKey)));
    } finally {
      store.destroy();
    }
  });
});
