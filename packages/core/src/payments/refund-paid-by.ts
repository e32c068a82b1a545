import type { DbClient } from '@drop/db';

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
