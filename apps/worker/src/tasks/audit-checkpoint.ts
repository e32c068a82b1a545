import { JOBS, writeAuditCheckpoint } from '@drop/core';
import { defineTask } from './define-task.ts';

/**
 * Hourly: the audit chain's head, signed with a key the database does not hold, to every
 * checkpoint store and the operations channel (packages/core/src/audit/checkpoints). A failure is
 * retried by the queue; the next hour's run anchors a later head anyway.
 */
export const auditCheckpointTask = defineTask({
  ...JOBS.auditCheckpoint,
  async run(_payload, { db, logger, notifier, auditCheckpoints }) {
    if (!auditCheckpoints?.signingKey) {
      logger.warn('no AUDIT_CHECKPOINT_SIGNING_KEY: the audit chain is not anchored outside the database');
      return;
    }
    const written = await writeAuditCheckpoint(db, {
      signingKey: auditCheckpoints.signingKey,
      stores: await auditCheckpoints.stores(),
      notifier,
    });
    if (written) logger.info({ seq: written.checkpoint.seq, locations: written.locations }, 'audit checkpoint written');
  },
});
