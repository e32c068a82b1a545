-- Up Migration

-- The pending balances of the shared (system) accounts, moved without locking their row: see
-- ledger_post. Every transfer's pay-in reservation debits a shard of the bank account; updating
-- that row held its lock until COMMIT (including the WAL flush), so with one shard every transfer
-- in the system waited for the one before it to reach the disk. A change to a system account's
-- pending balance that cannot bring any balance limit closer (a decrease, or an increase of the
-- side no limit counts) is appended here instead, and ledger_rollup() folds the rows into
-- ledger_accounts in one short transaction (the worker each minute, and before the console shows
-- balances). An account's pending balance is its row plus its rows here; verifyLedger judges
-- both in one snapshot. Posted balances and customer accounts never come here.
--
-- No foreign key: each row is written by ledger_post in the same call as the posting whose
-- foreign keys check the same account (and take the lock a second check would take again). No
-- index: it is read whole (the roll-up deletes every row; readers sum it), and kept small.
CREATE TABLE ledger_pending_deltas (
  account_id      bigint NOT NULL,
  debits_pending  bigint NOT NULL,
  credits_pending bigint NOT NULL
);
COMMENT ON TABLE ledger_pending_deltas IS
  'Pending-balance changes of system ledger accounts not yet folded into ledger_accounts (ledger_rollup()); a balance is its row plus these.';

-- Down Migration
SELECT ledger_rollup();
DROP TABLE IF EXISTS ledger_pending_deltas;
