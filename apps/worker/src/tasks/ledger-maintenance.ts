import { JOBS, pruneAmlAggregates, pruneIdempotencyKeys, rollupLedger, verifyLedger } from '@drop/core';
import { defineTask } from './define-task.ts';

/** Nightly: check every ledger invariant and page the team on any violation. */
export const verifyLedgerTask = defineTask({
  ...JOBS.verifyLedger,
  async run(_payload, { db, logger, notifier }) {
    const report = await verifyLedger(db);
    if (report.ok) {
      logger.info({ accounts: report.accounts, postings: report.postings, transfers: report.transfers }, 'ledger verified');
      return;
    }
    logger.error({ violations: report.violations.slice(0, 20) }, 'ledger invariant violated');
    await notifier.send({
      kind: 'error_spike',
      severity: 'critical',
      title: 'Ledger invariant violated',
      detail: 'Money may have been lost or created. Run `drop ledger verify` for the details and stop payouts until it is explained.',
      fields: { violations: String(report.violations.length), first: report.violations[0]?.invariant ?? '?' },
    });
  },
});

/** Every minute: the system accounts' deferred pending-balance changes folded into their rows. */
export const rollupLedgerTask = defineTask({
  ...JOBS.rollupLedger,
  async run(_payload, { db, logger }) {
    const moved = await rollupLedger(db);
    if (moved > 0) logger.debug({ accounts: moved }, 'deferred pending balances rolled up');
  },
});

/** Nightly: forget idempotency keys older than a week. */
export const pruneIdempotencyKeysTask = defineTask({
  ...JOBS.pruneIdempotencyKeys,
  async run(_payload, { db, logger }) {
    const deleted = await pruneIdempotencyKeys(db);
    logger.info({ deleted }, 'old idempotency keys pruned');
  },
});

/** Nightly: drop the per-day AML aggregates older than 13 months. */
export const pruneAmlAggregatesTask = defineTask({
  ...JOBS.pruneAmlAggregates,
  async run(_payload, { db, logger }) {
    const removed = await pruneAmlAggregates(db);
    logger.info({ removed }, 'old AML aggregates pruned');
  },
});
