import { JOBS, payoutsToRecover, sendPayout, sendTransferEmail, startPayout } from '@drop/core';
import { defineTask, type TaskContext } from './define-task.ts';

function partnerOf(context: TaskContext) {
  if (!context.payoutPartner) throw new Error('No payout partner is configured for this worker.');
  return context.payoutPartner;
}

/**
 * Funds received → processing, and the payout queued (AML screening will sit before this); with
 * SEPA_PAYOUTS=bank a euro payout to an IBAN waits for the next SEPA file instead.
 */
export const startPayoutTask = defineTask({
  ...JOBS.startPayout,
  async run({ transactionId }, context) {
    await startPayout(context.db, {
      transactionId,
      partner: partnerOf(context).name,
      actor: 'system:payouts',
      sepaPayouts: context.sepaPayouts,
    });
  },
});

/** Sends one payout (idempotent at the partner: a retry never pays twice). */
export const sendPayoutTask = defineTask({
  ...JOBS.sendPayout,
  async run({ transactionId }, context) {
    const outcome = await sendPayout(context.db, partnerOf(context), transactionId);
    if (outcome === 'refused') {
      context.logger.error({ transactionId }, 'the payout partner refused the payout: it needs a person');
      await context.notifier.send({
        kind: 'error_spike',
        severity: 'critical',
        title: 'Payout refused by the partner',
        detail: `Transfer ${transactionId}: the partner refused the payout. See payouts.last_error; the customer is waiting.`,
        fields: { transfer: transactionId },
      });
    }
  },
});

/** Every minute: payouts a crash left between "sent to the partner" and "recorded" are sent again (same key). */
export const recoverPayoutsTask = defineTask({
  ...JOBS.recoverPayouts,
  async run(_payload, context) {
    const partner = partnerOf(context);
    for (const transactionId of await payoutsToRecover(context.db, { olderThanSeconds: 60, limit: 100, partner: partner.name })) {
      const outcome = await sendPayout(context.db, partner, transactionId);
      context.logger.info({ transactionId, outcome }, 'payout recovered');
    }
  },
});

export const transferEmailTask = defineTask({
  ...JOBS.transferEmail,
  async run({ transactionId, kind }, context) {
    if (!context.mailer) {
      context.logger.warn({ transactionId, kind }, 'no mailer configured: customer email not sent');
      return;
    }
    const outcome = await sendTransferEmail(context.db, context.mailer, { transactionId, kind, appUrl: context.appUrl });
    context.logger.info({ transactionId, kind, outcome }, 'transfer email');
  },
});
