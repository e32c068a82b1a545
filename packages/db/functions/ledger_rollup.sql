-- Folds the deferred pending-balance changes of system accounts (ledger_pending_deltas, written by
-- ledger_post) into their ledger_accounts rows, in one short transaction; returns how many
-- accounts moved. Run by the worker each minute and before balances are shown, so the rows stay
-- few; correctness never waits for it (a balance is its row plus its deferred rows).
--
-- Exactly once: the rows are deleted and their sum added in one statement, so a change is either
-- still in the table or in the balance, never both or neither. One roll-up at a time (the
-- advisory lock): two deleting the same rows would otherwise wait on each other. The accounts are
-- locked in descending id order, ledger_post's order, so a roll-up and a posting never wait on
-- each other in a cycle. Any set of committed rows sums to balances that are not negative: a
-- resolution's decrease commits after the reservation it resolves, so whoever sees it sees that.
CREATE OR REPLACE FUNCTION ledger_rollup() RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  moved integer;
BEGIN
  PERFORM pg_advisory_xact_lock(7406720170);
  WITH taken AS (
    DELETE FROM ledger_pending_deltas RETURNING account_id, debits_pending, credits_pending
  ), per_account AS (
    SELECT account_id, sum(debits_pending)::bigint AS dp, sum(credits_pending)::bigint AS cp
      FROM taken GROUP BY account_id
  ), locked AS (
    SELECT a.id, p.dp, p.cp FROM ledger_accounts a JOIN per_account p ON p.account_id = a.id
     ORDER BY a.id DESC FOR NO KEY UPDATE OF a
  ), updated AS (
    UPDATE ledger_accounts a
       SET debits_pending = a.debits_pending + l.dp, credits_pending = a.credits_pending + l.cp
      FROM locked l WHERE a.id = l.id AND (l.dp <> 0 OR l.cp <> 0)
    RETURNING 1
  )
  SELECT count(*)::integer INTO moved FROM updated;
  RETURN moved;
END;
$$;
