import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JOBS, queueJob, seedDemoData } from '@drop/core';
import { createPool, type Db, enqueueJob, withTransaction } from '@drop/db';
import { createLogger, type OpsNotifier } from '@drop/observability';
import { SHIPPED_LISTS } from '@drop/screening';
import { z } from 'zod';
import { type ChaosCluster, createChaosCluster } from '../../../chaos/support/cluster.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { waitUntil } from '../../../test/support/server.ts';
import { migrateDatabase } from './migrate-database.ts';
import { queueDepth } from './queue-depth.ts';
import { type DropTask, defineTask } from './tasks/define-task.ts';
import { DROP_TASKS, startWorker, type WorkerHandle } from './worker.ts';

const logger = createLogger({ level: 'silent' });
const notifier: OpsNotifier = { send: async () => undefined };

interface JobRow {
  task_identifier: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_at: Date | null;
  run_at: Date;
  key: string | null;
}

async function jobs(db: Db, task?: string): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `SELECT j.task_identifier, p.payload, j.attempts, j.max_attempts, j.last_error, j.locked_at, j.run_at, j.key
       FROM graphile_worker.jobs j JOIN graphile_worker._private_jobs p ON p.id = j.id
      WHERE $1::text IS NULL OR j.task_identifier = $1
      ORDER BY j.id`,
    [task ?? null],
  );
  return rows;
}

async function jobCount(db: Db): Promise<number> {
  const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM graphile_worker.jobs');
  return rows[0]?.count ?? -1;
}

/** A worker pool of its own, so two workers do not compete for the test's connections. */
function workerPool(url: string): Db {
  return createPool({ url, max: 8, connectTimeoutMs: 5000, statementTimeoutMs: 15000, applicationName: 'worker-test' });
}

function start(db: Db, tasks: DropTask[], concurrency = 4): Promise<WorkerHandle> {
  return startWorker({ db, logger, notifier, concurrency, extraTasks: tasks, pollIntervalMs: 50, withCron: false });
}

describe('transactional outbox', () => {
  let database: TestDatabase;
  let worker: WorkerHandle;
  const runs: Array<{ payload: unknown; attempt: number }> = [];
  const recordTask = defineTask({
    name: 'test:outbox_record',
    payload: z.object({ transferId: z.string(), amountOre: z.number().int() }),
    async run(payload, context) {
      runs.push({ payload, attempt: context.attempt });
    },
  });

  before(async () => {
    database = await createTestDatabase();
    worker = await start(database.pool, [recordTask as DropTask]);
  });
  after(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it('adds no job when the transaction that enqueued it rolls back', async () => {
    await assert.rejects(
      withTransaction(database.pool, async (tx) => {
        await enqueueJob(tx, 'test:outbox_record', { transferId: 'tx_rolled_back', amountOre: 100 });
        const inside = await tx.query<{ count: number }>('SELECT count(*)::int AS count FROM graphile_worker.jobs');
        assert.equal(inside.rows[0]?.count, 1, 'the job is visible inside its own transaction');
        throw new Error('the transfer failed');
      }),
      /the transfer failed/,
    );
    assert.equal(await jobCount(database.pool), 0);
  });

  it('runs the job once with its payload when the transaction commits, and only after the commit', async () => {
    await withTransaction(database.pool, async (tx) => {
      await enqueueJob(tx, 'test:outbox_record', { transferId: 'tx_committed', amountOre: 250_000 });
      // Another connection (a worker) cannot see the job before the commit.
      assert.equal(await jobCount(database.pool), 0);
    });
    await waitUntil(async () => runs.length >= 1 && (await jobCount(database.pool)) === 0, 20_000, 'the committed job to run');
    // The rolled-back job from the test before never ran; the committed one ran once, first try.
    assert.deepEqual(runs, [{ payload: { transferId: 'tx_committed', amountOre: 250_000 }, attempt: 1 }]);
  });

  it('keeps one job per job key, with the latest payload', async () => {
    const db = database.pool;
    await worker.stop();
    try {
      await enqueueJob(db, 'test:outbox_record', { transferId: 'tx_first', amountOre: 1 }, { jobKey: 'receipt:tx_1' });
      await enqueueJob(db, 'test:outbox_record', { transferId: 'tx_second', amountOre: 2 }, { jobKey: 'receipt:tx_1' });
      const rows = await jobs(db, 'test:outbox_record');
      assert.deepEqual(
        rows.map((row) => [row.key, row.payload, row.attempts, row.max_attempts]),
        [['receipt:tx_1', { transferId: 'tx_second', amountOre: 2 }, 0, 10]],
      );
    } finally {
      worker = await start(db, [recordTask as DropTask]);
    }
    await waitUntil(async () => runs.length >= 2 && (await jobCount(db)) === 0, 20_000, 'the keyed job to run');
    assert.deepEqual(
      runs.map((run) => run.payload),
      [
        { transferId: 'tx_committed', amountOre: 250_000 },
        { transferId: 'tx_second', amountOre: 2 },
      ],
    );
  });
});

describe('two workers on one database', () => {
  const JOBS = 60;
  const BARRIER = 8; // more than one worker's concurrency: only reachable with both workers running jobs
  let database: TestDatabase;
  const pools: Db[] = [];
  const workers: WorkerHandle[] = [];
  const runs: Array<{ id: number; worker: string }> = [];
  const inFlight: Record<string, number> = { a: 0, b: 0 };
  const maxInFlight: Record<string, number> = { a: 0, b: 0 };
  let started = 0;
  let releaseBarrier: () => void = () => undefined;
  const barrier = new Promise<void>((resolve) => {
    releaseBarrier = resolve;
  });

  function countingTask(worker: 'a' | 'b') {
    return defineTask({
      name: 'test:count_once',
      payload: z.object({ id: z.number().int().min(1) }),
      async run({ id }, { db }) {
        inFlight[worker] = (inFlight[worker] ?? 0) + 1;
        maxInFlight[worker] = Math.max(maxInFlight[worker] ?? 0, inFlight[worker] ?? 0);
        try {
          started++;
          if (started === BARRIER) releaseBarrier();
          if (started <= BARRIER) {
            // Hold the first jobs until both workers have jobs running at once (or give up after 20 s,
            // and the assertions below fail).
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([
              barrier,
              new Promise((resolve) => {
                timer = setTimeout(resolve, 20_000);
              }),
            ]);
            clearTimeout(timer);
          }
          runs.push({ id, worker });
          await db.query('INSERT INTO worker_test_runs (payload_id, worker) VALUES ($1, $2)', [id, worker]);
        } finally {
          inFlight[worker] = (inFlight[worker] ?? 0) - 1;
        }
      },
    });
  }

  before(async () => {
    database = await createTestDatabase();
    // A table of the test's own, made by the owner; the workers (the application's login) write it.
    await database.owner.query('CREATE TABLE worker_test_runs (payload_id int NOT NULL UNIQUE, worker text NOT NULL)');
    await database.owner.query('GRANT SELECT, INSERT ON worker_test_runs TO drop_app');
    for (let id = 1; id <= JOBS; id++) await enqueueJob(database.pool, 'test:count_once', { id });
    for (const name of ['a', 'b'] as const) {
      const pool = workerPool(database.url);
      pools.push(pool);
      workers.push(await start(pool, [countingTask(name) as DropTask], 4));
    }
  });
  after(async () => {
    releaseBarrier();
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all(pools.map((pool) => pool.end()));
    await database?.drop();
  });

  it('runs each of 60 jobs exactly once between them, both taking part, neither over its concurrency', async () => {
    await waitUntil(
      async () => {
        const { rows } = await database.pool.query<{ count: number }>('SELECT count(*)::int AS count FROM worker_test_runs');
        return rows[0]?.count === JOBS && (await jobCount(database.pool)) === 0;
      },
      60_000,
      'all jobs to run',
    );
    const expectedIds = Array.from({ length: JOBS }, (_, i) => i + 1);
    assert.deepEqual(
      runs.map((run) => run.id).sort((x, y) => x - y),
      expectedIds,
    );
    const { rows } = await database.pool.query<{ payload_id: number; worker: string }>(
      'SELECT payload_id, worker FROM worker_test_runs ORDER BY payload_id',
    );
    assert.deepEqual(
      rows.map((row) => row.payload_id),
      expectedIds,
    );
    const byWorker = { a: runs.filter((run) => run.worker === 'a').length, b: runs.filter((run) => run.worker === 'b').length };
    assert.ok(byWorker.a > 0 && byWorker.b > 0, `both workers ran jobs: ${JSON.stringify(byWorker)}`);
    assert.equal(byWorker.a + byWorker.b, JOBS);
    assert.ok((maxInFlight.a ?? 0) <= 4 && (maxInFlight.b ?? 0) <= 4, `concurrency respected: ${JSON.stringify(maxInFlight)}`);
  });
});

describe('payload validation', () => {
  let database: TestDatabase;
  let worker: WorkerHandle;
  const ran: unknown[] = [];
  const strictTask = defineTask({
    name: 'test:strict_payload',
    payload: z.object({ transferId: z.string().startsWith('tx_') }),
    async run(payload) {
      ran.push(payload);
    },
  });

  // A task built from a job definition, as Drop's own tasks are (`...JOBS.startPayout`).
  const job = { name: 'test:typed', version: 2, payload: z.object({ transactionId: z.string().startsWith('tx_') }) };
  const typed: unknown[] = [];
  const typedTask = defineTask({
    ...job,
    async run(payload) {
      typed.push(payload);
    },
  });

  before(async () => {
    database = await createTestDatabase();
    worker = await start(database.pool, [strictTask as DropTask, typedTask as DropTask]);
  });
  after(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it('does not run the task for a payload that fails its schema, and records the failed attempt', async () => {
    await enqueueJob(database.pool, 'test:strict_payload', { transferId: 42 }, { maxAttempts: 1 });
    await enqueueJob(database.pool, 'test:strict_payload', { transferId: 'usr_not_a_transfer' });
    await enqueueJob(database.pool, 'test:strict_payload', { transferId: 'tx_valid' });

    await waitUntil(
      async () => {
        const rows = await jobs(database.pool, 'test:strict_payload');
        return ran.length === 1 && rows.length === 2 && rows.every((row) => row.attempts === 1 && row.locked_at === null);
      },
      20_000,
      'the valid job to run and the invalid ones to fail once',
    );
    assert.deepEqual(ran, [{ transferId: 'tx_valid' }]);

    const [permanent, retrying] = await jobs(database.pool, 'test:strict_payload');
    // One attempt allowed: failed for good, kept for an operator to see.
    assert.deepEqual(permanent?.payload, { transferId: 42 });
    assert.equal(permanent?.attempts, 1);
    assert.equal(permanent?.max_attempts, 1);
    assert.match(permanent?.last_error ?? '', /transferId/);
    // Default attempts: failed once and scheduled to be retried later, not dropped.
    assert.deepEqual(retrying?.payload, { transferId: 'usr_not_a_transfer' });
    assert.equal(retrying?.attempts, 1);
    assert.equal(retrying?.max_attempts, 10);
    assert.match(retrying?.last_error ?? '', /transferId/);
    assert.ok((retrying?.run_at.getTime() ?? 0) > Date.now(), 'the retry is scheduled in the future');

    assert.deepEqual(await queueDepth(database.pool), { ready: 0, scheduled: 1, running: 0, failed: 1 });
  });

  describe('typed jobs: one definition for the producer and the task', () => {
    it('queueJob refuses, in the producer, a payload the task could not parse, and queues nothing', async () => {
      await assert.rejects(
        withTransaction(database.pool, (tx) => queueJob(tx, job, { transactionId: 'usr_not_a_transfer' })),
        (error: unknown) => error instanceof z.ZodError,
      );
      assert.deepEqual(await jobs(database.pool, 'test:typed'), []);
    });

    it('queues the payload with its version, and the task reads it', async () => {
      await withTransaction(database.pool, (tx) => queueJob(tx, job, { transactionId: 'tx_1' }));
      await waitUntil(async () => typed.length === 1, 20_000, 'the typed job to run');
      assert.deepEqual(typed, [{ transactionId: 'tx_1' }]);
    });

    it('a job of another payload version is refused by the task and kept for a retry, not misread', async () => {
      await enqueueJob(database.pool, 'test:typed', { transactionId: 'tx_2', _v: 1 });
      await waitUntil(
        async () => (await jobs(database.pool, 'test:typed')).some((row) => row.attempts === 1 && row.locked_at === null),
        20_000,
        'the old-version job to fail once',
      );
      const [stored] = await jobs(database.pool, 'test:typed');
      assert.match(stored?.last_error ?? '', /payload version 1; this worker runs version 2/);
      assert.deepEqual(typed, [{ transactionId: 'tx_1' }]);
    });

    it("Drop's jobs: every task the worker runs is a job definition, and each producer-side definition has its task", () => {
      const names = Object.values(JOBS).map((definition) => definition.name);
      assert.equal(new Set(names).size, names.length, 'no two jobs share a name');
      for (const definition of Object.values(JOBS)) {
        const task = DROP_TASKS.find((candidate) => candidate.name === definition.name);
        assert.ok(task, `no task runs ${definition.name}`);
        assert.equal(task.payload, definition.payload, `${definition.name}: the task parses with the job's own schema`);
        assert.equal(task.version, definition.version);
      }
      assert.equal(DROP_TASKS.length, names.length, 'every task has a job definition');
    });
  });
});

describe('queueDepth', () => {
  let database: TestDatabase;
  let worker: WorkerHandle | undefined;
  const ran: number[] = [];
  const depthTask = defineTask({
    name: 'test:depth',
    payload: z.object({ n: z.number() }),
    async run({ n }) {
      ran.push(n);
    },
  });

  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await worker?.stop();
    await database?.drop();
  });

  it('is all zero on an empty queue', async () => {
    assert.deepEqual(await queueDepth(database.pool), { ready: 0, scheduled: 0, running: 0, failed: 0 });
  });

  it('reports ready and scheduled jobs before a worker runs, and no ready jobs after', async () => {
    for (const n of [1, 2, 3]) await enqueueJob(database.pool, 'test:depth', { n });
    await enqueueJob(database.pool, 'test:depth', { n: 4 }, { runAt: new Date(Date.now() + 3_600_000) });
    assert.deepEqual(await queueDepth(database.pool), { ready: 3, scheduled: 1, running: 0, failed: 0 });

    worker = await start(database.pool, [depthTask as DropTask]);
    // Done means recorded as done (the job row deleted), not only run: a completion is written just after its task returns.
    await waitUntil(async () => ran.length === 3 && (await jobCount(database.pool)) === 1, 20_000, 'the ready jobs to run and complete');
    assert.deepEqual(
      [...ran].sort((x, y) => x - y),
      [1, 2, 3],
    );
    assert.deepEqual(await queueDepth(database.pool), { ready: 0, scheduled: 1, running: 0, failed: 0 });
    assert.equal(await jobCount(database.pool), 1);
  });
});

describe('nightly ledger maintenance', () => {
  let database: TestDatabase;
  let worker: WorkerHandle;
  const alerts: Array<{ title: string; severity: string }> = [];

  before(async () => {
    database = await createTestDatabase();
    await seedDemoData(database.pool, { actor: 'test' });
    worker = await startWorker({
      db: database.pool,
      logger,
      notifier: { send: async (alert) => void alerts.push({ title: alert.title, severity: alert.severity }) },
      concurrency: 2,
      pollIntervalMs: 50,
      withCron: false,
    });
  });
  after(async () => {
    await worker?.stop();
    await database?.drop();
  });

  const finished = (task: string) => async () => (await jobs(database.pool, task)).length === 0;

  it('ledger:verify stays quiet on a balanced ledger and pages on a hand-edited balance', async () => {
    await enqueueJob(database.pool, 'ledger:verify', {});
    await waitUntil(finished('ledger:verify'), 20_000, 'ledger:verify on the demo ledger');
    assert.deepEqual(alerts, []);

    await database.pool.query(`UPDATE ledger_accounts SET debits_posted = debits_posted + 100 WHERE purpose = 'bank' AND shard = 0`);
    await enqueueJob(database.pool, 'ledger:verify', {});
    await waitUntil(async () => alerts.length === 1, 20_000, 'the ledger alert');
    assert.deepEqual(alerts, [{ title: 'Ledger invariant violated', severity: 'critical' }]);
  });

  it("ledger:rollup folds a bank shard's deferred reservations into its row, once", async () => {
    const { rows } = await database.pool.query<{ bank: string; customer: string }>(
      `SELECT (SELECT id FROM ledger_accounts WHERE purpose = 'bank' AND currency = 'NOK' AND shard = 0) AS bank,
              (SELECT id FROM ledger_accounts WHERE purpose = 'customer_funds' AND currency = 'NOK' ORDER BY id LIMIT 1) AS customer`,
    );
    const { bank, customer } = rows[0] ?? assert.fail('the demo ledger has a bank shard and a customer');
    const pending = async () =>
      (
        await database.pool.query<{ row: string; deferred: string }>(
          `SELECT (SELECT debits_pending FROM ledger_accounts WHERE id = $1)::text AS row,
                  (SELECT coalesce(sum(debits_pending), 0) FROM ledger_pending_deltas WHERE account_id = $1)::text AS deferred`,
          [bank],
        )
      ).rows[0];
    const before = await pending();
    await database.pool.query('SELECT ledger_post(NULL, $1::jsonb)', [
      JSON.stringify([{ kind: 'pending', code: 'payin', debit: Number(bank), credit: Number(customer), amount: 4_200, currency: 'NOK' }]),
    ]);
    const total = BigInt(before?.row ?? 0) + BigInt(before?.deferred ?? 0) + 4_200n;
    assert.equal(BigInt((await pending())?.deferred ?? 0), BigInt(before?.deferred ?? 0) + 4_200n);
    await enqueueJob(database.pool, 'ledger:rollup', {});
    await waitUntil(finished('ledger:rollup'), 20_000, 'ledger:rollup');
    assert.deepEqual(await pending(), { row: String(total), deferred: '0' });
  });

  it('idempotency:prune forgets keys older than a week and keeps the rest', async () => {
    const transfers = await database.pool.query<{ id: string; user_id: string }>('SELECT id, user_id FROM transactions LIMIT 2');
    const [old, fresh] = transfers.rows;
    assert.ok(old && fresh);
    await database.pool.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, transaction_id, response_status, response_body, created_at)
       VALUES ($1, 'old-key', '\\x00', $2, 201, '{}', now() - interval '8 days'),
              ($3, 'fresh-key', '\\x00', $4, 201, '{}', now() - interval '6 days')`,
      [old.user_id, old.id, fresh.user_id, fresh.id],
    );
    await enqueueJob(database.pool, 'idempotency:prune', {});
    await waitUntil(finished('idempotency:prune'), 20_000, 'idempotency:prune');
    const left = await database.pool.query('SELECT key FROM idempotency_keys ORDER BY key');
    const keys: string[] = left.rows.map((row) => row.key);
    assert.deepEqual(
      keys.filter((key) => !key.startsWith('demo-')),
      ['fresh-key'],
    );
    assert.equal(keys.filter((key) => key.startsWith('demo-')).length, 10, 'the demo transfers’ keys, made today, stay');
  });
});

describe('sanctions lists', () => {
  let database: TestDatabase;
  const alerts: Array<{ title: string; severity: string; fields?: Record<string, string | number> | undefined }> = [];
  const listVersions = async () =>
    (await database.pool.query<{ list: string; source: string }>('SELECT list, source FROM sanctions_list_versions ORDER BY list')).rows;

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database?.drop());

  const startListsWorker = (importShippedLists: boolean) =>
    startWorker({
      db: database.pool,
      logger,
      notifier: { send: async (alert) => void alerts.push({ title: alert.title, severity: alert.severity, fields: alert.fields }) },
      concurrency: 2,
      pollIntervalMs: 50,
      withCron: false,
      importShippedLists,
    });

  it('on a database without lists, the first worker imports the shipped files; a later start queues nothing', async () => {
    const worker = await startListsWorker(true);
    try {
      await waitUntil(async () => (await listVersions()).length === SHIPPED_LISTS.length, 120_000, 'the shipped lists');
    } finally {
      await worker.stop();
    }
    assert.deepEqual(
      await listVersions(),
      [...SHIPPED_LISTS].map((shipped) => ({ list: shipped.list, source: 'shipped' })).sort((a, b) => a.list.localeCompare(b.list)),
    );
    const again = await startListsWorker(true);
    await again.stop();
    assert.deepEqual(await jobs(database.pool, JOBS.importShippedLists.name), []);
  });

  it('lists:refresh pages the team when a publisher cannot be reached, and changes no list', async () => {
    await database.pool.query('UPDATE sanctions_lists SET source_url = NULL');
    await database.pool.query(`UPDATE sanctions_lists SET source_url = 'http://127.0.0.1:9/consolidated.xml' WHERE name = 'un'`);
    const before = await listVersions();
    const worker = await startListsWorker(false);
    try {
      await enqueueJob(database.pool, JOBS.refreshLists.name, {});
      await waitUntil(async () => alerts.length === 1, 20_000, 'the refresh alert');
    } finally {
      await worker.stop();
    }
    assert.equal(alerts[0]?.title, 'Sanctions list refresh failed');
    assert.deepEqual(Object.keys(alerts[0]?.fields ?? {}), ['un']);
    assert.deepEqual(await listVersions(), before);
  });
});

/**
 * `pg_ctl stop -m immediate` under running jobs, as the chaos run's postgres_stop_immediate does:
 * the jobs fail while the server is down, graphile-worker cannot record the failures and ends its
 * pool (the chaos run saw `drop worker` exit so, its jobs locked until the dead-pool sweep; after
 * a second such failure the pool's shutdown never finishes). The worker must outlive it: a new
 * pool runs the jobs it held and the jobs queued after the restart.
 */
describe('a database restart under running jobs', () => {
  let cluster: ChaosCluster;
  let db: Db;
  let worker: WorkerHandle | undefined;
  const attempts: Array<{ id: string; attempt: number }> = [];
  const logged: string[] = [];
  // graphile-worker's own messages, to see when it has given up on recording a job's failure.
  const capturing = createLogger({ level: 'error', destination: { write: (line: string) => void logged.push(JSON.parse(line).msg) } });
  let letRun: () => void = () => undefined;
  const serverDown = new Promise<void>((resolve) => {
    letRun = resolve;
  });
  const failuresNotRecorded = () => logged.filter((message) => message.startsWith('Failed to fail jobs')).length;
  const task = defineTask({
    name: 'test:across_restart',
    payload: z.object({ id: z.string() }),
    async run(payload, context) {
      attempts.push({ id: payload.id, attempt: context.attempt });
      if (!payload.id.startsWith('held') || context.attempt > 1) return;
      await serverDown;
      // One after the other, so that graphile-worker tries (and fails) to record each outcome on its
      // own: two failures, then a success while the pool shuts down (its shutdown then never ends).
      if (payload.id === 'held-3') {
        await waitUntil(async () => failuresNotRecorded() === 2, 20_000, 'the second failure');
        return;
      }
      if (payload.id === 'held-2') await waitUntil(async () => failuresNotRecorded() === 1, 20_000, 'the first failure');
      await context.db.query('SELECT 1');
    },
  });

  before(async () => {
    cluster = await createChaosCluster();
    // The restart breaks the pool's idle connections: logged in production (onIdleError), ignored here.
    db = createPool({
      url: cluster.url,
      max: 8,
      connectTimeoutMs: 5000,
      statementTimeoutMs: 15000,
      applicationName: 'worker-test',
      onIdleError: () => undefined,
    });
    await migrateDatabase(db, logger);
  });
  after(async () => {
    await worker?.stop();
    await db?.end();
    await cluster?.remove();
  });

  it('keeps running jobs: those whose outcome the crash lost run again, and one queued after the restart runs', async () => {
    worker = await startWorker({
      db,
      logger: capturing,
      notifier,
      concurrency: 3,
      extraTasks: [task as DropTask],
      pollIntervalMs: 50,
      withCron: false,
    });
    let stopped = false;
    void worker.stopped.then(() => {
      stopped = true;
    });
    const held = ['held-1', 'held-2', 'held-3'];
    for (const id of held) await enqueueJob(db, task.name, { id });
    await waitUntil(async () => attempts.length === held.length, 20_000, 'the jobs to start');
    await cluster.stopImmediately();
    letRun();
    await waitUntil(
      async () => logged.some((message) => message.startsWith('Failed to complete jobs')),
      20_000,
      'graphile-worker to give up on the jobs',
    );
    await cluster.start();
    await waitUntil(
      async () => {
        await enqueueJob(db, task.name, { id: 'after' });
        return true;
      },
      60_000,
      'the server to take a job again',
    );
    await waitUntil(async () => attempts.some((run) => run.id === 'after'), 60_000, 'the job queued after the restart to run');
    for (const id of held) {
      await waitUntil(async () => attempts.some((run) => run.id === id && run.attempt > 1), 60_000, `${id} to run again`);
    }
    await waitUntil(async () => (await jobCount(db)) === 0, 60_000, 'the queue to empty');
    assert.equal(stopped, false, 'the worker still runs');
  });
});
