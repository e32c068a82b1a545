/**
 * Stopping Drop drains work instead of dropping it: a request in flight gets its answer, a running
 * job finishes, and new connections are refused once the server is closing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueueJob } from '@drop/db';
import { createLogger, LogOnlyNotifier } from '@drop/observability';
import { defineTask, startWorker } from '@drop/worker';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startTestServer, waitUntil } from './support/server.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';

describe('graceful shutdown', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  it('answers the request in flight before the server closes, and refuses new connections', async () => {
    const upstream = new URL(db.url);
    const proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const viaProxy = new URL(db.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const drop = await startTestServer({ databaseUrl: viaProxy.toString() });
    try {
      // Hold the database's replies, send a request, and wait until its query has reached the proxy.
      proxy.pause();
      const inFlight = fetch(`${drop.url}/api/health`);
      await waitUntil(async () => proxy.bytesSinceUpstreamPause() > 0, 10_000, 'the health query to be in flight');
      const stopping = drop.stop('test');
      await waitUntil(
        async () =>
          fetch(`${drop.url}/api/health`).then(
            () => false,
            () => true,
          ),
        10_000,
        'new connections to be refused',
      );
      proxy.resume();
      const response = await inFlight;
      assert.equal(response.status, 200, 'the request that arrived before stop() was answered');
      assert.equal((await response.json()).data.status, 'ok');
      await stopping;
    } finally {
      proxy.resume();
      await drop.stop('cleanup');
      await proxy.close();
    }
  });

  it('lets a running job finish before the worker stops', async () => {
    const finished: string[] = [];
    let started = false;
    const slowTask = defineTask({
      name: 'test:slow',
      payload: z.object({ id: z.string() }),
      async run(payload) {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished.push(payload.id);
      },
    });
    const worker = await startWorker({
      db: db.pool,
      logger: createLogger({ level: 'silent' }),
      notifier: new LogOnlyNotifier(createLogger({ level: 'silent' })),
      concurrency: 1,
      extraTasks: [slowTask],
      pollIntervalMs: 50,
      withCron: false,
    });
    await enqueueJob(db.pool, 'test:slow', { id: 'job-1' });
    await waitUntil(async () => started, 10_000, 'the job to start');
    await worker.stop();
    assert.deepEqual(finished, ['job-1'], 'stop() returned only after the running job finished');
    const left = await db.pool.query(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = 'test:slow'`);
    assert.equal(left.rows[0].n, 0, 'the finished job is not left to run again');
  });
});
