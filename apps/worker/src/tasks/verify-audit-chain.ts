import { JOBS, verifyAuditChain } from '@drop/core';
import { defineTask } from './define-task.ts';

/** Nightly: walk the audit chain and page the team if any row was tampered with. */
export const verifyAuditChainTask = defineTask({
  ...JOBS.verifyAuditChain,
  async run(_payload, { db, logger, notifier }) {
    const report = await verifyAuditChain(db);
    if (report.ok) {
      logger.info({ rowsChecked: report.rowsChecked, head: report.head }, 'audit chain verified');
      return;
    }
    logger.error({ firstBroken: report.firstBroken }, 'audit chain broken');
    await notifier.send({
      kind: 'error_spike',
      severity: 'critical',
      title: 'Audit log chain is broken',
      detail:
        'A row of audit_log no longer matches its hash. Run `drop audit verify` and treat it as a security incident (DR runbook, scenario 5).',
      fields: { seq: report.firstBroken?.seq ?? '?', reason: report.firstBroken?.reason ?? '?' },
    });
  },
});
