-- Up Migration

-- The pending balances of the shared (system) accounts, moved without locking their row: see
-- ledger_post. Every transfer's pay-in reservation debits a shard of the bank account; updating
-- that row held its lock until COMMIT (including the WAL flush), so with one shard every transfer
-- in the system waited for the one before it to reach the disk. A change to a system account's
-- pending balance on a side no balance limit of the account counts is appended here instead, and
-- ledger_rollup() folds the rows into ledger_accounts in one short transaction (the worker each
-- minute). An account's pending balance is its row plus its rows here; verifyLedger and the
-- console's balances read both in one snapshot. Posted balances, limit-counted columns and
-- customer accounts never come here.
--
-- No foreign key: each row is written by ledger_post in the same call as the posting whose
-- foreign keys check the same account (and take the lock a second check would take again);
-- ledger_rollup() raises on a row naming no account rather than dropping it. No index: it is read
-- whole (the roll-up takes the rows of every account it can lock; readers sum it), and kept small.
CREATE TABLE ledger_pending_deltas (
  account_id      bigint NOT NULL,
  debits_pending  bigint NOT NULL,
  credits_pending bigint NOT NULL
);
COMMENT ON TABLE ledger_pending_deltas IS
  'Pending-balance changes of system ledger accounts not yet folded into ledger_accounts (ledger_rollup()); a balance is its row plus these.';

-- Down Migration
-- Run by hand only (migrate() applies migrations up, never down), and it cannot restore the
-- functions: they are not part of any migration but applied by migrate() from
-- packages/db/functions after the migrations. This ledger_post (and ledger_rollup) name the table
-- dropped here, so until the previous ledger_post body is re-applied every posting that would
-- defer a change fails (and rolls back whole: nothing is lost, but transfers stop). Re-apply it
-- in the same transaction as this section, before COMMIT (the body from before commit 244af61:
-- git show 244af61^:packages/db/functions/ledger_post.sql), or run the previous release's
-- migrate() right after, which re-applies ledger_post (its checksum differs) and drops
-- ledger_rollup (its file is gone there).
--
-- The table locked first, so no change committed after the fold is lost with the table; then
-- every deferred change folded in directly, waiting for each account (ledger_rollup() skips an
-- account another transaction holds, which here would drop its changes). A deadlock with a
-- posting aborts one of the two; run this again.
LOCK TABLE ledger_pending_deltas IN ACCESS EXCLUSIVE MODE;
DO $$
DECLARE
  missing bigint;
BEGIN
  SELECT min(d.account_id) INTO missing FROM ledger_pending_deltas d
   WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = d.account_id);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'ledger_pending_deltas names account %, which does not exist', missing;
  END IF;
END;
$$;
UPDATE ledger_accounts a
   SET debits_pending = a.debits_pending + d.dp, credits_pending = a.credits_pending + d.cp
  FROM (SELECT account_id, sum(debits_pending)::bigint AS dp, sum(credits_pending)::bigint AS cp
          FROM ledger_pending_deltas GROUP BY account_id) d
 WHERE a.id = d.account_id AND (d.dp <> 0 OR d.cp <> 0);
DROP TABLE IF EXISTS ledger_pending_deltas;
