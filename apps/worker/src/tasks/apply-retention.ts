import { applyRetention, JOBS } from '@drop/core';
import { defineTask } from './define-task.ts';

/** Nightly: the retention rules applied at the payload's `now` (a rerun, a test) or at the time it runs. */
export const applyRetentionTask = defineTask({
  ...JOBS.applyRetention,
  async run(payload, { db, logger }) {
    const run = await applyRetention(db, { now: payload.now ? new Date(payload.now) : new Date(), actor: 'system' });
    logger.info(
      { now: run.now, applied: Object.fromEntries(run.rules.map((rule) => [rule.code, rule.applied])), erased: run.erasedCustomers.length },
      'retention rules applied',
    );
  },
});
