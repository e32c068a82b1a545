import { type Db, type DbClient, withTransaction } from '@drop/db';
import { mappingDomainErrors } from '../database-errors.ts';
import { JOBS, queueJob } from '../jobs.ts';
import { transitionTransferIn } from './transition-transfer.ts';

/**
 * A failed transfer's money has gone back to the customer: the transfer becomes refunded (the
 * ledger moves the customer's funds out of the bank account) and the refund is recorded as sent,
 * in one transaction; the customer is told by email after commit. Until then the transfer stays
 * failed, which is the truth: the runbook's failed-transfers query lists it, and support sees the
 * refund owed. Called when the bank statement shows the refund's debit (importBankFile), or by
 * staff who paid it by hand. Idempotent: a refund already sent is left alone.
 */
export async function confirmCustomerRefundIn(
  tx: DbClient,
  input: { transactionId: string; actor: string; via: string },
): Promise<'sent' | 'already_sent' | 'not_found'> {
  const { rows } = await tx.query<{ state: string; to_account: string | null }>(
    'SELECT state, to_account FROM customer_refunds WHERE transaction_id = $1 FOR UPDATE',
    [input.transactionId],
  );
  const refund = rows[0];
  if (!refund) return 'not_found';
  if (refund.state === 'sent') return 'already_sent';
  await transitionTransferIn(tx, {
    transactionId: input.transactionId,
    to: 'refunded',
    actor: input.actor,
    reason: `${refund.to_account ? `refunded to the paying account •••• ${refund.to_account.slice(-4)}` : 'refunded'} (${input.via})`,
    // Failed payouts, customers who cancelled after paying, before the money was converted, and
    // transfers compliance stopped while held with the money received (the guard checks held_from).
    onlyFrom: ['failed', 'funds_received', 'held'],
  });
  await tx.query(`UPDATE customer_refunds SET state = 'sent', sent_at = now() WHERE transaction_id = $1`, [input.transactionId]);
  await queueJob(
    tx,
    JOBS.transferEmail,
    { transactionId: input.transactionId, kind: 'refunded' },
    { jobKey: `email:${input.transactionId}:refunded` },
  );
  return 'sent';
}

/** Staff paid a refund by hand (from the bank's own interface): record it. */
export async function confirmCustomerRefund(db: Db, input: { transactionId: string; actor: string; note: string }) {
  return mappingDomainErrors(() =>
    withTransaction(db, (tx) => confirmCustomerRefundIn(tx, { transactionId: input.transactionId, actor: input.actor, via: input.note })),
  );
}
