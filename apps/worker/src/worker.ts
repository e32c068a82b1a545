/**
 * Background jobs on PostgreSQL with graphile-worker: jobs are rows, fetched with SKIP LOCKED so
 * two workers never run the same job, retried with back-off, and added with plain SQL inside the
 * transaction of the change that caused them (the outbox: see `enqueueJob` in @drop/db).
 * Runs inside the server by default (`WORKER_MODE=inline`) or alone with `drop worker`.
 */

import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type AmlScreening,
  type AuditCheckpointing,
  JOBS,
  type KycProvider,
  type Mailer,
  type OpsChecksSettings,
  type PayoutPartner,
  queueJob,
  readJobPayload,
  shippedListsMissing,
} from '@drop/core';
import type { Db } from '@drop/db';
import type { Logger, Metrics, OpsNotifier } from '@drop/observability';
import { type Runner, run, runMigrations, type TaskList, type WorkerEvents, Logger as WorkerLogger } from 'graphile-worker';
import { holdPoolLiveness, SWEEP_INTERVAL_MS, unlockDeadPoolJobs } from './dead-pool-jobs.ts';
import { applyRetentionTask } from './tasks/apply-retention.ts';
import { auditCheckpointTask } from './tasks/audit-checkpoint.ts';
import { dailyOpsChecksTask } from './tasks/daily-checks.ts';
import type { DropTask } from './tasks/define-task.ts';
import { pruneAmlAggregatesTask, pruneIdempotencyKeysTask, rollupLedgerTask, verifyLedgerTask } from './tasks/ledger-maintenance.ts';
import { recoverPayoutsTask, sendPayoutTask, startPayoutTask, transferEmailTask } from './tasks/money-out.ts';
import { rejectAtProviderTask } from './tasks/reject-at-provider.ts';
import { importShippedListsTask, refreshListsTask, rescreenSubjectsTask } from './tasks/sanctions-lists.ts';
import { verifyAuditChainTask } from './tasks/verify-audit-chain.ts';

/** Every task Drop runs. Later features add theirs here. */
export const DROP_TASKS: DropTask[] = [
  verifyAuditChainTask as DropTask,
  auditCheckpointTask as DropTask,
  rejectAtProviderTask as DropTask,
  verifyLedgerTask as DropTask,
  rollupLedgerTask as DropTask,
  pruneIdempotencyKeysTask as DropTask,
  pruneAmlAggregatesTask as DropTask,
  startPayoutTask as DropTask,
  sendPayoutTask as DropTask,
  recoverPayoutsTask as DropTask,
  transferEmailTask as DropTask,
  refreshListsTask as DropTask,
  importShippedListsTask as DropTask,
  rescreenSubjectsTask as DropTask,
  applyRetentionTask as DropTask,
  dailyOpsChecksTask as DropTask,
];

// Nightly at 03:15–03:45 UTC: audit chain, ledger invariants, old idempotency keys. Job keys make
// each one job even with many workers.
const CRONTAB = [
  `15 3 * * * ${JOBS.verifyAuditChain.name} ?jobKey=audit_verify_chain&max=3`,
  // Hourly: the audit chain's head, signed, to object storage and the operations channel.
  `5 * * * * ${JOBS.auditCheckpoint.name} ?jobKey=audit_checkpoint&max=3`,
  `30 3 * * * ${JOBS.verifyLedger.name} ?jobKey=ledger_verify&max=3`,
  // The system accounts' deferred pending-balance changes (ledger_post) folded into their rows.
  `* * * * * ${JOBS.rollupLedger.name} ?jobKey=ledger_rollup&max=1`,
  `45 3 * * * ${JOBS.pruneIdempotencyKeys.name} ?jobKey=idempotency_prune&max=3`,
  // Hourly: sanctions lists whose refresh interval has passed (sanctions_lists.refresh_interval_minutes).
  `10 * * * * ${JOBS.refreshLists.name} ?jobKey=lists_refresh&max=3`,
  `50 3 * * * ${JOBS.pruneAmlAggregates.name} ?jobKey=aml_prune_aggregates&max=3`,
  // Nightly after the checks: personal data whose retention period ended is erased (retention_rules).
  `20 4 * * * ${JOBS.applyRetention.name} ?jobKey=privacy_apply_retention&max=3`,
  // Each morning (07:00 UTC, 08:00 in Oslo): the runbook's daily checklist, summarised to Slack.
  `0 7 * * * ${JOBS.dailyOpsChecks.name} ?jobKey=ops_daily_checks&max=3`,
  // Payouts a crash left unrecorded are sent again with their key: at most a minute's delay.
  `* * * * * ${JOBS.recoverPayouts.name} ?jobKey=payouts_recover&max=1`,
].join('\n');

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => (level, message, meta) => {
    const child = logger.child({ worker: scope.workerId, task: scope.taskIdentifier, jobId: scope.jobId });
    const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'info' ? 'info' : 'debug';
    child[method](meta ?? {}, message);
  });
}

export async function migrateJobQueue(db: Db, logger: Logger): Promise<void> {
  await runMigrations({ pgPool: db, logger: workerLogger(logger) });
}

export interface WorkerHandle {
  /** Settles once stop() has stopped the worker (a pool that ends on its own is replaced, not reported here). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

interface RunningPool {
  runner: Runner;
  /** The ids of the runner's worker pools (graphile-worker's locked_by). */
  poolIds: string[];
  releaseLiveness(): Promise<void>;
  /** Whether the runner has begun to stop. */
  stopping(): boolean;
  /** Settles once the pool has ended, stopped or not: none of its jobs runs any more. */
  ended: Promise<void>;
  hasEnded(): boolean;
}

export async function startWorker(options: {
  db: Db;
  logger: Logger;
  notifier: OpsNotifier;
  concurrency: number;
  metrics?: Metrics;
  kycProvider?: KycProvider;
  payoutPartner?: PayoutPartner;
  /** SEPA_PAYOUTS (default 'partner': the payout partner pays everything). */
  sepaPayouts?: 'partner' | 'bank';
  mailer?: Mailer;
  /** Screening over the lists in memory, for continuous screening. */
  aml?: AmlScreening;
  /** The customer app's public URL, for links in email. */
  appUrl?: string;
  /** The routine checks' settings, for the morning's daily checks. */
  opsChecks?: OpsChecksSettings;
  /** The audit chain's signed checkpoints (the hourly audit:checkpoint job). */
  auditCheckpoints?: AuditCheckpointing;
  /** Extra tasks (tests use this to observe delivery). */
  extraTasks?: DropTask[];
  pollIntervalMs?: number;
  withCron?: boolean;
  /**
   * SANCTIONS_SHIPPED_LISTS: on a database where a shipped list has no version, queue the import of
   * the shipped files (a job, not inline: the lists take seconds to import, and a start should not wait).
   */
  importShippedLists?: boolean;
  /** Shipped lists not to import: OpenSanctions ('os') in production without its data licence (OPENSANCTIONS_LICENSED). */
  skipShippedLists?: readonly string[];
}): Promise<WorkerHandle> {
  const logger = options.logger.child({ component: 'worker' });
  const taskList: TaskList = {};
  for (const task of [...DROP_TASKS, ...(options.extraTasks ?? [])]) {
    taskList[task.name] = async (rawPayload, helpers) => {
      const payload = readJobPayload({ name: task.name, version: task.version ?? 1, payload: task.payload }, rawPayload);
      try {
        await task.run(payload, {
          db: options.db,
          logger: logger.child({ task: task.name, jobId: helpers.job.id }),
          notifier: options.notifier,
          jobId: helpers.job.id,
          attempt: helpers.job.attempts,
          signal: helpers.abortSignal,
          kycProvider: options.kycProvider,
          payoutPartner: options.payoutPartner,
          sepaPayouts: options.sepaPayouts ?? 'partner',
          mailer: options.mailer,
          appUrl: options.appUrl ?? 'http://localhost:3000',
          aml: options.aml,
          opsChecks: options.opsChecks,
          auditCheckpoints: options.auditCheckpoints,
        });
        options.metrics?.jobsCompleted.inc({ task: task.name, outcome: 'succeeded' });
      } catch (error) {
        options.metrics?.jobsCompleted.inc({ task: task.name, outcome: 'failed' });
        throw error;
      }
    };
  }
  const sweep = async () => {
    try {
      const freed = await unlockDeadPoolJobs(options.db);
      if (freed.length > 0) logger.warn({ pools: freed }, 'unlocked the jobs of worker pools that are gone');
    } catch (error) {
      logger.warn({ err: error }, 'could not look for jobs of dead worker pools');
    }
  };
  let stopping = false;
  const launch = async (): Promise<RunningPool> => {
    // Each pool proves it lives with an advisory lock; jobs locked by a pool that is gone are
    // unlocked by whichever worker sweeps next (dead-pool-jobs.ts).
    const events: WorkerEvents = new EventEmitter();
    const poolIds: string[] = [];
    const liveness: Array<{ release(): Promise<void> }> = [];
    events.on('pool:create', ({ workerPool }) => {
      poolIds.push(workerPool.id);
      liveness.push(holdPoolLiveness(options.db, workerPool.id, logger));
    });
    const releaseLiveness = async () => {
      await Promise.all(liveness.map((held) => held.release()));
    };
    // Emitted once the runner stops, whoever stopped it; a second runner.stop() would throw.
    let runnerStopping = false;
    events.on('stop', () => {
      runnerStopping = true;
    });
    // The pool has ended once its shutdown has waited for its workers: no job of it runs any more.
    // Not the runner's promise alone: after a second failed completion (or failure) graphile-worker's
    // batcher counts its pending calls below zero, and the shutdown's flush then waits forever.
    let ended = false;
    const { promise: endedPromise, resolve: end } = Promise.withResolvers<void>();
    const markEnded = () => {
      ended = true;
      end();
    };
    events.on('pool:gracefulShutdown:complete', markEnded);
    events.on('pool:gracefulShutdown:error', markEnded);
    try {
      const runner = await run({
        pgPool: options.db,
        events,
        concurrency: options.concurrency,
        noHandleSignals: true,
        pollInterval: options.pollIntervalMs ?? 2000,
        taskList,
        ...(options.withCron === false ? { parsedCronItems: [] } : { crontab: CRONTAB }),
        logger: workerLogger(logger),
        // Completions and failures go through graphile-worker's batcher, which a graceful shutdown
        // flushes; unbatched (the default) they are fire-and-forget and can be lost at stop, leaving
        // a finished job locked to run again.
        preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      });
      void runner.promise.then(markEnded, markEnded);
      return { runner, poolIds, releaseLiveness, stopping: () => runnerStopping, ended: endedPromise, hasEnded: () => ended };
    } catch (error) {
      await releaseLiveness();
      throw error;
    }
  };

  let current = await launch();
  const stopWaiting = new AbortController();
  /**
   * A new pool in place of one that ended while nobody stopped it, once the database answers; the
   * jobs the old pool held are unlocked first. Undefined if the worker is stopped meanwhile.
   */
  const replace = async (dead: RunningPool): Promise<RunningPool | undefined> => {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await delay(Math.min(500 * 2 ** attempt, 10_000), undefined, { signal: stopWaiting.signal });
      } catch {
        return undefined; // stop() while waiting
      }
      try {
        // The pool has ended and none of its jobs runs any more, so they need not wait for the
        // dead-pool sweep and its STALE_AFTER_SECONDS.
        await options.db.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [dead.poolIds]);
        return await launch();
      } catch (error) {
        logger.warn({ err: error, attempt }, 'could not start a new job worker pool yet; trying again');
      }
    }
    return undefined;
  };
  // graphile-worker ends its pool for good when it cannot record a job's outcome (complete or
  // fail it): its batcher gives up at the first error instead of retrying, so a database restart
  // under a running job ends the pool. Left so, this process would run no job again (and
  // `drop worker` would exit, or hang); a new pool takes its place instead.
  const supervision = (async () => {
    for (;;) {
      await current.ended;
      if (stopping) return;
      // Its liveness locks go with it, so other workers' sweeps see it as dead too.
      await current.releaseLiveness();
      logger.error({ pools: current.poolIds }, 'the job worker pool ended on its own; starting a new one');
      // Stops its cron; the runner's promise may never settle, so nothing waits for this.
      if (!current.stopping()) void current.runner.stop().catch(() => undefined);
      const next = await replace(current);
      if (!next) return;
      current = next;
      if (stopping) await current.runner.stop().catch((error) => logger.warn({ err: error }, 'could not stop the job worker'));
    }
  })();
  if (options.importShippedLists) {
    try {
      const skip = [...(options.skipShippedLists ?? [])];
      if (await shippedListsMissing(options.db, skip)) {
        // The job key makes it one job however many workers start at once.
        await queueJob(options.db, JOBS.importShippedLists, { skip }, { jobKey: 'lists_import_shipped', maxAttempts: 3 });
        logger.info('no sanctions lists yet: the shipped list files are queued for import');
      }
    } catch (error) {
      logger.error({ err: error }, 'could not queue the import of the shipped sanctions lists');
    }
  }
  await sweep();
  const sweeper = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
  sweeper.unref();
  const stopped = supervision.finally(() => clearInterval(sweeper));
  return {
    stopped,
    async stop() {
      stopping = true;
      stopWaiting.abort();
      try {
        // A pool that ended on its own needs no stop; the supervision stops its replacement.
        if (!current.hasEnded() && !current.stopping()) await current.runner.stop();
      } finally {
        await stopped;
        // Only now: the runner's stop has recorded the outcome of the jobs it ran, which a sweep
        // must not unlock before.
        await current.releaseLiveness();
      }
    },
  };
}
