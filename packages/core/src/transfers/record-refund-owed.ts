import type { DbClient } from '@drop/db';

/**
 * The customer gets back what they paid, to the account they paid from when the bank said which.
 * Recorded as owed (after a failed payout, or a cancel after paying; one already owed is left as
 * it is); it is sent from Drop's bank and confirmed when the statement shows the debit (or by
 * staff), and only then does the transfer become refunded.
 */
export async function recordRefundOwed(tx: DbClient, transactionId: string, reason: string): Promise<void> {
  await tx.query(
    `INSERT INTO customer_refunds (transaction_id, amount_minor, to_account, reason)
     SELECT t.id, t.send_amount_minor,
            (SELECT e.debtor_account FROM bank_entries e
              WHERE e.transaction_id = t.id AND e.status IN ('matched', 'resolved') AND e.debtor_account IS NOT NULL
              ORDER BY e.created_at LIMIT 1),
            $2
       FROM transactions t WHERE t.id = $1
     ON CONFLICT (transaction_id) DO NOTHING`,
    [transactionId, reason],
  );
}
