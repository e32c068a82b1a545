import type { AmlScreening, AuditCheckpointing, KycProvider, Mailer, OpsChecksSettings, PayoutPartner } from '@drop/core';
import type { Db } from '@drop/db';
import type { Logger, OpsNotifier } from '@drop/observability';
import type { z } from 'zod';

export interface TaskContext {
  db: Db;
  logger: Logger;
  notifier: OpsNotifier;
  jobId: string;
  attempt: number;
  /**
   * Aborted a few seconds into a graceful shutdown: a long task (a list import, continuous
   * screening) stops between steps, its transaction rolls back and the job runs again later.
   */
  signal: AbortSignal;
  /** The identity-verification provider, for tasks that call it. */
  kycProvider: KycProvider | undefined;
  /** Who pays recipients (Wise, or its simulator outside production). */
  payoutPartner: PayoutPartner | undefined;
  /** SEPA_PAYOUTS: 'bank' has Drop's own bank pay euro payouts to IBANs from SEPA files; 'partner' leaves all to the partner. */
  sepaPayouts: 'partner' | 'bank';
  /** Customer email. */
  mailer: Mailer | undefined;
  /** The customer app's public URL, for links in email. */
  appUrl: string;
  /** Sanctions and PEP screening over the lists in memory (continuous screening). */
  aml: AmlScreening | undefined;
  /** The routine checks' settings (the morning's daily checks). */
  opsChecks: OpsChecksSettings | undefined;
  /** The audit chain's signed checkpoints: keys and stores. */
  auditCheckpoints: AuditCheckpointing | undefined;
}

/**
 * A job type: its name, the version and zod contract of its payload, and what it does. Drop's own
 * tasks take the first three from their job definition (`...JOBS.startPayout`, @drop/core), which
 * the producers queue with, so both sides hold the same contract.
 */
export interface DropTask<Schema extends z.ZodType = z.ZodType> {
  name: string;
  /** The payload version this task reads (default 1); a job of another version is refused and retried. */
  version?: number;
  payload: Schema;
  run(payload: z.infer<Schema>, context: TaskContext): Promise<void>;
}

export function defineTask<Schema extends z.ZodType>(task: DropTask<Schema>): DropTask<Schema> {
  return task;
}
