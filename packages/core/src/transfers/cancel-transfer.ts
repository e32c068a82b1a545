import { type Db, type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { recordRefundOwed } from './record-refund-owed.ts';
import type { TransferStatus } from './transfer-status.ts';
import { transitionTransferIn } from './transition-transfer.ts';

/**
 * What cancelling did: `voided` (the transfer awaited the customer's payment: it is cancelled and
 * the pay-in reservation released) or `refund_owed` (the money had arrived but the payout had not
 * started: nothing is paid out, and the money is owed back to the account it came from).
 */
export type CancelOutcome = 'voided' | 'refund_owed';

/**
 * The customer cancels one of their transfers. Under the transfer's lock (the payout job takes the
 * same lock, so a cancel and a payout start never both win) it chooses:
 * - awaiting funds → cancelled, the pay-in reservation voided in the ledger;
 * - funds received, payout not started, no refund owed yet → a refund is owed to the paying
 *   account. The transfer stays funds_received (the money is still with Drop) until the refund's
 *   debit shows on the statement (importBankFile), then refunded;
 * - anything later → TRANSFER_STATE_INVALID. Someone else's transfer → NOT_FOUND.
 */
export async function cancelTransfer(db: Db, input: { userId: string; transactionId: string }): Promise<CancelOutcome> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{ status: TransferStatus; refund_owed: boolean }>(
        `SELECT t.status, EXISTS (SELECT 1 FROM customer_refunds r WHERE r.transaction_id = t.id) AS refund_owed
           FROM transactions t WHERE t.id = $1 AND t.user_id = $2 AND t.type = 'transfer' FOR UPDATE`,
        [input.transactionId, input.userId],
      );
      const transfer = rows[0];
      if (!transfer) throw new DomainError('NOT_FOUND', 'No such transfer.');
      if (transfer.status === 'funds_received') {
        if (transfer.refund_owed) {
          throw new DomainError('TRANSFER_STATE_INVALID', 'This transfer can no longer be cancelled: its money is already on its way.', {
            from: transfer.status,
            to: 'cancelled',
          });
        }
        await recordRefundOwed(tx, input.transactionId, 'Cancelled by the customer before the money was converted.');
        await recordAuditEvent(tx, {
          action: 'transfer_cancelled_after_payment',
          resourceType: 'transaction',
          resourceId: input.transactionId,
          actor: input.userId,
          details: { refundOwed: true },
        });
        return 'refund_owed';
      }
      // Only while it awaits payment; any other status is refused with the state it is in.
      await voidTransferIn(tx, { ...input, reason: 'cancelled by the customer' });
      return 'voided';
    }),
  );
}

/**
 * The void itself, in the caller's transaction: the customer's transfer that awaits their payment
 * becomes cancelled and its pay-in reservation is released (TRANSFER_STATE_INVALID in any other
 * status, NOT_FOUND for someone else's). Also how a late payment's transfer is cancelled, when the
 * customer takes a new quote or asks for the money back.
 */
export async function voidTransferIn(tx: DbClient, input: { userId: string; transactionId: string; reason: string }): Promise<void> {
  await transitionTransferIn(tx, {
    transactionId: input.transactionId,
    to: 'cancelled',
    actor: input.userId,
    reason: input.reason,
    ownerId: input.userId,
    onlyFrom: ['awaiting_funds'],
  });
}
