import { checksContext, checksSummaryAlert, JOBS, runChecks } from '@drop/core';
import { defineTask } from './define-task.ts';

/** Each morning: the runbook's daily checklist (3.1: health, last backup, critical alerts), its summary posted to Slack. */
export const dailyOpsChecksTask = defineTask({
  ...JOBS.dailyOpsChecks,
  async run(_payload, { db, logger, notifier, opsChecks }) {
    if (!opsChecks) {
      logger.warn('daily checks skipped: this worker was started without the checks settings');
      return;
    }
    const report = await runChecks('daily', checksContext(db, opsChecks));
    logger.info({ status: report.status, counts: report.counts }, 'daily checks ran');
    await notifier.send(checksSummaryAlert(report));
  },
});
