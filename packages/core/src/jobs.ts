/**
 * Every background job Drop runs, defined once: its task name, the version of its payload and the
 * payload's zod schema. Producers queue a job with `queueJob` (which checks the payload against the
 * schema, so a producer cannot queue what the task cannot read) and the worker's task for it parses
 * with the same schema (apps/worker/src/tasks, `taskFor`).
 *
 * The version travels in the payload as `_v` (graphile-worker's own `_cron` key sits beside it):
 * change a payload incompatibly and bump the version, and a worker still running the old code
 * refuses the new jobs (they are retried) instead of misreading them. Jobs without `_v` (cron
 * jobs) are version 1.
 */
import { idSchema } from '@drop/contracts';
import { type DbClient, enqueueJob } from '@drop/db';
import { z } from 'zod';
import type { TransferEmailKind } from './notifications/transfer-emails.ts';

export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  /** The graphile-worker task identifier. */
  name: string;
  version: number;
  payload: Schema;
}

function defineJob<Schema extends z.ZodType>(name: string, version: number, payload: Schema): JobDefinition<Schema> {
  return { name, version, payload };
}

const transfer = z.object({ transactionId: idSchema('tx') });
/** Cron jobs carry graphile-worker's `_cron` details and nothing of Drop's. */
const scheduled = z.object({}).passthrough();
const TRANSFER_EMAIL_KINDS = ['funds_received', 'paid_out', 'failed', 'refunded'] as const satisfies readonly TransferEmailKind[];

export const JOBS = {
  /** Sends a compliance officer's rejection to Sumsub. */
  rejectAtProvider: defineJob('kyc:reject_at_provider', 1, z.object({ userId: z.string(), applicantId: z.string(), note: z.string() })),
  /** Funds received → processing, and the payout queued. */
  startPayout: defineJob('payouts:start', 1, transfer),
  /** One payout sent to the partner (idempotent there). */
  sendPayout: defineJob('payouts:send', 1, transfer),
  /** The customer's email about their transfer. */
  transferEmail: defineJob('emails:transfer', 1, transfer.extend({ kind: z.enum(TRANSFER_EMAIL_KINDS) })),
  /** Every minute: payouts a crash left unrecorded are sent again. */
  recoverPayouts: defineJob('payouts:recover', 1, scheduled),
  /** Nightly checks and clean-up. */
  verifyAuditChain: defineJob('audit:verify_chain', 1, scheduled),
  /** Hourly: the audit chain's head signed and written outside the database (object storage, the operations channel). */
  auditCheckpoint: defineJob('audit:checkpoint', 1, scheduled),
  verifyLedger: defineJob('ledger:verify', 1, scheduled),
  /** Every minute: the system accounts' deferred pending-balance changes folded into their rows (ledger_rollup). */
  rollupLedger: defineJob('ledger:rollup', 1, scheduled),
  pruneIdempotencyKeys: defineJob('idempotency:prune', 1, scheduled),
  /** Hourly: each sanctions/PEP list whose refresh interval has passed is downloaded and imported if it changed. */
  refreshLists: defineJob('lists:refresh', 1, scheduled),
  /** At a worker's first start on a database without lists: the shipped list files are imported. */
  importShippedLists: defineJob(
    'lists:import_shipped',
    1,
    // skip: lists not to import (OpenSanctions' 'os' in production without a data licence).
    z.object({ skip: z.array(z.string()).default([]) }),
  ),
  /** After a list version lands: every customer and recipient screened again for the records that changed. */
  rescreenSubjects: defineJob('aml:rescreen', 1, z.object({})),
  pruneAmlAggregates: defineJob('aml:prune_aggregates', 1, scheduled),
  /** Each morning: the operational runbook's daily checklist (3.1), its summary posted to Slack. */
  dailyOpsChecks: defineJob('ops:daily_checks', 1, scheduled),
  /**
   * Nightly: the retention rules applied (packages/core/src/privacy/apply-retention.ts). `now`, when
   * given, is the time the rules are applied at (a rerun for a missed night, or a test's fake
   * clock); otherwise the time the job runs.
   */
  applyRetention: defineJob('privacy:apply_retention', 1, z.object({ now: z.string().datetime().optional() }).passthrough()),
} as const;

/**
 * Queues `job` with `payload` through `tx` (the outbox: it runs only if `tx` commits). The payload
 * is checked against the job's schema first; a payload the task could not parse throws here, in the
 * producer's transaction.
 */
export async function queueJob<Schema extends z.ZodType>(
  tx: DbClient,
  job: JobDefinition<Schema>,
  payload: z.input<Schema>,
  options: { jobKey?: string; runAt?: Date; maxAttempts?: number } = {},
): Promise<void> {
  const checked = job.payload.parse(payload) as Record<string, unknown>;
  await enqueueJob(tx, job.name, { ...checked, _v: job.version }, options);
}

/**
 * Reads a job's stored payload for its task: the version must be the one this code runs, and the
 * rest must match the schema. Throws otherwise (graphile-worker retries the job).
 */
export function readJobPayload<Schema extends z.ZodType>(
  job: Pick<JobDefinition<Schema>, 'name' | 'version' | 'payload'>,
  raw: unknown,
): z.infer<Schema> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return job.payload.parse(raw);
  const { _v: version = 1, ...rest } = raw as Record<string, unknown>;
  if (version !== job.version) {
    throw new Error(`Job ${job.name} has payload version ${String(version)}; this worker runs version ${job.version}.`);
  }
  return job.payload.parse(rest);
}
