import { type Db, type DbClient, withTransaction } from '@drop/db';
import { recordAuditEvent } from '../audit/record-audit-event.ts';
import { mappingDomainErrors } from '../database-errors.ts';
import { DomainError } from '../errors.ts';
import { JOBS, queueJob } from '../jobs.ts';
import { transitionTransferIn } from '../transfers/transition-transfer.ts';

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
    // Failed payouts, and customers who cancelled after paying, before the money was converted.
    onlyFrom: ['failed', 'funds_received'],
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

/**
 * The refund a bank debit pays, if it pays one: same amount, to the account the refund is owed to
 * (the statement names the creditor's account). Oldest first; the caller's transaction then
 * confirms it.
 */
export async function refundPaidBy(
  tx: DbClient,
  debit: { amountMinor: bigint; currency: string; creditorAccount: string | undefined },
): Promise<string | undefined> {
  const account = debit.creditorAccount?.replace(/[\s.]/g, '').toUpperCase();
  if (!account || debit.currency !== 'NOK') return undefined;
  const digits = /^NO\d{13}$/.test(account) ? account.slice(4) : account;
  const { rows } = await tx.query<{ transaction_id: string }>(
    `SELECT transaction_id FROM customer_refunds
      WHERE state = 'pending' AND amount_minor = $1 AND to_account = $2
      ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    [debit.amountMinor.toString(), digits],
  );
  return rows[0]?.transaction_id;
}

/**
 * A customer cancels after their money arrived but before it was converted: nothing is paid out,
 * and the money is owed back to the account it came from. The transfer stays funds_received (the
 * money is still with Drop) until the refund's debit shows on the statement, then refunded.
 * Refused once the payout has started (the payout job takes the same lock).
 */
export async function cancelFundedTransfer(db: Db, input: { userId: string; transactionId: string }): Promise<void> {
  await mappingDomainErrors(() =>
    withTransaction(db, async (tx) => {
      const { rows } = await tx.query<{ status: string; refund_owed: boolean }>(
        `SELECT t.status, EXISTS (SELECT 1 FROM customer_refunds r WHERE r.transaction_id = t.id) AS refund_owed
           FROM transactions t WHERE t.id = $1 AND t.user_id = $2 AND t.type = 'transfer' FOR UPDATE`,
        [input.transactionId, input.userId],
      );
      const transfer = rows[0];
      if (!transfer) throw new DomainError('NOT_FOUND', 'No such transfer.');
      if (transfer.status !== 'funds_received' || transfer.refund_owed) {
        throw new DomainError('TRANSFER_STATE_INVALID', 'This transfer can no longer be cancelled: its money is already on its way.', {
          from: transfer.status,
          to: 'cancelled',
        });
      }
      await tx.query(
        `INSERT INTO customer_refunds (transaction_id, amount_minor, to_account, reason)
         SELECT t.id, t.send_amount_minor,
                (SELECT e.debtor_account FROM bank_entries e
                  WHERE e.transaction_id = t.id AND e.status IN ('matched', 'resolved') AND e.debtor_account IS NOT NULL
                  ORDER BY e.created_at LIMIT 1),
                'Cancelled by the customer before the money was converted.'
           FROM transactions t WHERE t.id = $1`,
        [input.transactionId],
      );
      await recordAuditEvent(tx, {
        action: 'transfer_cancelled_after_payment',
        resourceType: 'transaction',
        resourceId: input.transactionId,
        actor: input.userId,
        details: { refundOwed: true },
      });
    }),
  );
}
