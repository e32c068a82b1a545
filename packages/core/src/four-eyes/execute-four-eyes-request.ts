import type { FourEyesKind } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { DomainError } from '../errors.ts';
import { JOBS, queueJob } from '../jobs.ts';
import { SEPA_PARTNER } from '../payouts/sepa-rail.ts';
import { recordRefundOwed } from '../transfers/record-refund-owed.ts';
import type { TransferStatus } from '../transfers/transfer-status.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';

/**
 * A transfer held while processing has a payout written in 'sending': a crash may have sent it
 * before it was recorded, and the send and recovery jobs would send it after a failure. Failing
 * it here could pay the recipient and refund the customer both, so it is refused: release it, or
 * ask the partner for a recall and let its webhook fail it.
 */
export function stopRefused(heldFrom: TransferStatus): DomainError {
  return new DomainError(
    'TRANSFER_STATE_INVALID',
    'A transfer held while processing cannot be stopped here: its payout is already written. Release it, or ask the partner to recall it.',
    { from: 'held', heldFrom },
  );
}

export interface ExecutedRequest {
  kind: FourEyesKind;
  subjectId: string;
  /** What it did, for the audit event: the transfer's new status, or the customer's block. */
  outcome: string;
}

/**
 * What an approved proposal does, in the approver's transaction (so the approval and its effect
 * commit together or not at all). `actor` is the approver, `reason` the proposal's.
 * - release: the held transfer goes back to where it was. From funds_received its payout start is
 *   queued (a customer still blocked is held again there); from processing the payout recovery
 *   job sends the payout it left in 'sending'; from awaiting_funds it waits for the money again.
 * - stop: the way out of the state it was held in. awaiting_funds → cancelled (pay-in voided);
 *   funds_received → a refund is owed to the paying account (the transfer stays held, money still
 *   with Drop, until the refund's debit shows and confirmCustomerRefund makes it refunded);
 *   processing → refused (stopRefused): its payout may already be at the partner.
 * - block: users.aml_frozen_at set with the reason; the containment trigger holds their transfers.
 * - unblock: aml_frozen_at cleared (nothing else: KYC status and held transfers stay as they are).
 */
export async function executeFourEyesRequestIn(
  tx: DbClient,
  request: { kind: FourEyesKind; subjectId: string; reason: string },
  actor: string,
): Promise<ExecutedRequest> {
  const done = (outcome: string): ExecutedRequest => ({ kind: request.kind, subjectId: request.subjectId, outcome });
  switch (request.kind) {
    case 'release_transfer':
    case 'stop_transfer': {
      const { rows } = await tx.query<{ status: TransferStatus; held_from: TransferStatus | null; refund_owed: boolean }>(
        `SELECT t.status, t.held_from, EXISTS (SELECT 1 FROM customer_refunds r WHERE r.transaction_id = t.id) AS refund_owed
           FROM transactions t WHERE t.id = $1 FOR UPDATE`,
        [request.subjectId],
      );
      const transfer = rows[0];
      if (!transfer) throw new DomainError('NOT_FOUND', 'No such transfer.');
      if (transfer.status !== 'held' || !transfer.held_from || transfer.refund_owed) {
        throw new DomainError('TRANSFER_STATE_INVALID', 'The transfer is no longer held: this proposal can only be rejected.', {
          from: transfer.status,
        });
      }
      const heldFrom = transfer.held_from;
      if (request.kind === 'release_transfer') {
        await transitionTransferIn(tx, { transactionId: request.subjectId, to: heldFrom, actor, reason: `released: ${request.reason}` });
        if (heldFrom === 'funds_received') {
          await queueJob(tx, JOBS.startPayout, { transactionId: request.subjectId }, { jobKey: `payout-start:${request.subjectId}` });
        }
        if (heldFrom === 'processing') {
          // The payout waited in 'sending': send it now (idempotent at the partner) rather than at
          // the next recovery run. A SEPA payout waits for the next file as before.
          const waiting = await tx.query(`SELECT 1 FROM payouts WHERE transaction_id = $1 AND state = 'sending' AND partner <> $2`, [
            request.subjectId,
            SEPA_PARTNER,
          ]);
          if (waiting.rowCount) {
            await queueJob(tx, JOBS.sendPayout, { transactionId: request.subjectId }, { jobKey: `payout:${request.subjectId}` });
          }
        }
        return done(heldFrom);
      }
      if (heldFrom === 'awaiting_funds') {
        await transitionTransferIn(tx, { transactionId: request.subjectId, to: 'cancelled', actor, reason: `stopped: ${request.reason}` });
        return done('cancelled');
      }
      if (heldFrom === 'funds_received') {
        await recordRefundOwed(tx, request.subjectId, 'Stopped by compliance before the money was converted.');
        return done('refund_owed');
      }
      throw stopRefused(heldFrom);
    }
    case 'block_customer':
    case 'unblock_customer': {
      // The containment trigger writes the hold with this actor and reason on the timeline.
      await tx.query(`SELECT set_config('drop.actor', $1, true), set_config('drop.reason', $2, true)`, [actor, request.reason]);
      const block = request.kind === 'block_customer';
      const { rowCount } = block
        ? await tx.query('UPDATE users SET aml_frozen_at = now(), aml_frozen_reason = $2 WHERE id = $1 AND aml_frozen_at IS NULL', [
            request.subjectId,
            request.reason,
          ])
        : await tx.query('UPDATE users SET aml_frozen_at = NULL, aml_frozen_reason = NULL WHERE id = $1 AND aml_frozen_at IS NOT NULL', [
            request.subjectId,
          ]);
      if (rowCount !== 1) {
        throw new DomainError('CONFLICT', block ? 'This customer is already blocked.' : 'This customer is not blocked.');
      }
      return done(block ? 'blocked' : 'unblocked');
    }
  }
}
