import { JOBS, recordAuditEvent } from '@drop/core';
import { defineTask } from './define-task.ts';

/** Sends a compliance officer's rejection to Sumsub (enqueued with the decision; retried on failure). */
export const rejectAtProviderTask = defineTask({
  ...JOBS.rejectAtProvider,
  async run(payload, { db, logger, kycProvider }) {
    if (!kycProvider) throw new Error('this worker has no KYC provider configured');
    await kycProvider.rejectApplicant(payload.applicantId, payload.note);
    await recordAuditEvent(db, {
      action: 'kyc_decision_sent_to_provider',
      resourceType: 'user',
      resourceId: payload.userId,
      actor: 'system',
      details: { applicantId: payload.applicantId, decision: 'reject' },
    });
    logger.info({ applicantId: payload.applicantId }, 'rejection sent to Sumsub');
  },
});
