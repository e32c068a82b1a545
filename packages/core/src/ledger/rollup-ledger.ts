import type { Db } from '@drop/db';

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
