import type { DbClient } from '@drop/db';
import { JOBS, queueJob } from '../jobs.ts';
import { recordRefundOwed } from '../transfers/record-refund-owed.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';
import type { PayoutPartnerEvent } from './payout-partner.ts';

const ACTOR = 'system:payouts';

/**
 * What a partner's status news did: applied (the transfer moved), ignored (nothing new: a
 * repeat, an older event arriving late, an in-between state), or unknown (no payout of ours has
 * that reference yet: the partner should deliver it again later).
 */
export type PayoutEventOutcome = 'applied' | 'ignored' | 'unknown';

interface PayoutRow {
  transaction_id: string;
  state: 'sending' | 'sent' | 'paid' | 'failed' | 'returned';
}

/**
 * Applies a payout's state at the partner to the transfer, in the caller's transaction: paid →
 * paid_out (the reserved payout is posted); failed → failed (released, fee and conversion
 * reversed); returned after paying → failed (reversed); each failure records the refund owed to
 * the customer and queues it. Events may come twice or out of order: only a move forward from
 * the payout's current state does anything.
 */
export async function applyPayoutEvent(tx: DbClient, input: { partner: string; event: PayoutPartnerEvent }): Promise<PayoutEventOutcome> {
  const { event } = input;
  const { rows } = await tx.query<PayoutRow>(
    `SELECT transaction_id, state FROM payouts WHERE partner = $1 AND partner_reference = $2 FOR UPDATE`,
    [input.partner, event.partnerReference],
  );
  const payout = rows[0];
  if (!payout) return 'unknown';
  const id = payout.transaction_id;
  const open = payout.state === 'sending' || payout.state === 'sent';
  await tx.query('UPDATE payouts SET partner_state = $2 WHERE transaction_id = $1 AND partner_state IS DISTINCT FROM $2', [
    id,
    event.partnerState,
  ]);

  const settle = async (state: 'paid' | 'failed' | 'returned') =>
    tx.query('UPDATE payouts SET state = $2, settled_at = now() WHERE transaction_id = $1', [id, state]);
  const paid = async () => {
    await transitionTransferIn(tx, { transactionId: id, to: 'paid_out', actor: ACTOR, reason: `partner: ${event.partnerState}` });
    await settle('paid');
    await queueJob(tx, JOBS.transferEmail, { transactionId: id, kind: 'paid_out' }, { jobKey: `email:${id}:paid_out` });
  };
  const failed = async (state: 'failed' | 'returned', failureReason: string) => {
    await transitionTransferIn(tx, {
      transactionId: id,
      to: 'failed',
      actor: ACTOR,
      reason: `partner: ${event.partnerState}`,
      failureReason,
    });
    await settle(state);
    await recordRefundOwed(tx, id, failureReason);
    await queueJob(tx, JOBS.transferEmail, { transactionId: id, kind: 'failed' }, { jobKey: `email:${id}:failed` });
  };

  switch (event.state) {
    case 'processing':
      return 'ignored';
    case 'paid':
      if (!open) return 'ignored';
      await paid();
      return 'applied';
    case 'failed':
      if (!open) return 'ignored';
      await failed('failed', 'The payout partner could not pay the recipient.');
      return 'applied';
    case 'returned':
      if (payout.state === 'failed' || payout.state === 'returned') return 'ignored';
      // The "paid" news may not have come yet: the payout was paid before it came back.
      if (open) await paid();
      await failed('returned', "The recipient's bank sent the payment back.");
      return 'applied';
  }
}
