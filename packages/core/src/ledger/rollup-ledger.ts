import type { Db } from '@drop/db';

/**
 * Every ledger account with the balances it holds, as a subquery to select FROM: the row plus the
 * pending changes of system accounts that ledger_post deferred and ledger_rollup() has not folded
 * in yet (ledger_pending_deltas). Whatever reads a pending balance reads it through this.
 */
export const LEDGER_ACCOUNT_BALANCES_SQL = `(SELECT a.id, a.purpose, a.currency, a.debits_must_not_exceed_credits, a.credits_must_not_exceed_debits,
                          a.debits_pending + coalesce(d.dp, 0) AS debits_pending, a.debits_posted,
                          a.credits_pending + coalesce(d.cp, 0) AS credits_pending, a.credits_posted
                     FROM ledger_accounts a
                     LEFT JOIN (SELECT account_id, sum(debits_pending) AS dp, sum(credits_pending) AS cp
                                  FROM ledger_pending_deltas GROUP BY account_id) d ON d.account_id = a.id)`;

/**
 * Folds the pending-balance changes ledger_post deferred for system accounts
 * (ledger_pending_deltas) into their ledger_accounts rows; the number of accounts moved. Balances
 * are right without it (a balance is its row plus its deferred changes, and verifyLedger reads
 * both): it keeps the deferred rows few. One short transaction that never waits for an account
 * (one held by another transaction keeps its changes for the next run); see ledger_rollup.sql.
 */
export async function rollupLedger(db: Pick<Db, 'query'>): Promise<number> {
  const { rows } = await db.query<{ moved: number }>('SELECT ledger_rollup() AS moved');
  return rows[0]?.moved ?? 0;
}
