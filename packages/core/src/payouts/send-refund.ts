import { type Db, enqueueJob, withTransaction } from '@drop/db';
import { mappingDomainErrors } from '../database-errors.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';
import { TRANSFER_EMAIL_TASK } from './apply-payout-event.ts';

/**
 * Pays a failed transfer's money back to the customer: the transfer becomes refunded (the ledger
 * moves the customer's funds out of the bank account) and the refund is recorded as sent, with
 * the account it goes to, in one transaction; the customer is told by email after commit.
 * Idempotent: a refund already sent is left alone.
 */
export async function sendCustomerRefund(db: Db, transactionId: string): Promise<'sent' | 'already_sent' | 'not_found'> {
  return mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{ state: string; to_account: string | null }>(
        'SELECT state, to_account FROM customer_refunds WHERE transaction_id = $1 FOR UPDATE',
        [transactionId],
      );
      const refund = rows[0];
      if (!refund) return 'not_found';
      if (refund.state === 'sent') return 'already_sent';
      await transitionTransferIn(tx, {
        transactionId,
        to: 'refunded',
        actor: 'system:refunds',
        reason: refund.to_account ? `refunded to the paying account ${refund.to_account.slice(-4)}` : 'refunded',
        onlyFrom: ['failed'],
      });
      await tx.query(`UPDATE customer_refunds SET state = 'sent', sent_at = now() WHERE transaction_id = $1`, [transactionId]);
      await enqueueJob(tx, TRANSFER_EMAIL_TASK, { transactionId, kind: 'refunded' }, { jobKey: `email:${transactionId}:refunded` });
      return 'sent';
    }),
  );
}
