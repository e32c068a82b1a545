-- Folds the deferred pending-balance changes of system accounts (ledger_pending_deltas, written by
-- ledger_post) into their ledger_accounts rows, in one short transaction; returns how many
-- accounts moved. Run by the worker each minute, so the rows stay few; correctness never waits for
-- it (a balance is its row plus its deferred rows, and every reader sums both), and no reader
-- calls it: reads do not write.
--
-- Exactly once: the rows are deleted and their sum added in one statement, so a change is either
-- still in the table or in the balance, never both or neither. One roll-up at a time (the
-- advisory lock): two deleting the same rows would otherwise wait on each other. It never waits
-- for an account: the accounts are locked FOR NO KEY UPDATE SKIP LOCKED (in descending id order,
-- ledger_post's), and only the locked accounts' rows are taken; an account some transaction holds
-- (a long bank-file import, a posting) keeps its rows for the next run. Whole accounts only, so
-- the sum taken is that of a set of committed rows of one account, never negative: a resolution's
-- decrease commits after the reservation it resolves, so whoever sees it sees that.
-- A row naming no account (there is no foreign key, see the migration) is an error, not dropped.
CREATE OR REPLACE FUNCTION ledger_rollup() RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  moved integer;
  missing bigint;
  locked_ids bigint[];
BEGIN
  PERFORM pg_advisory_xact_lock(7406720170);
  SELECT min(d.account_id) INTO missing
    FROM ledger_pending_deltas d
   WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = d.account_id);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'ledger_pending_deltas names account %, which does not exist', missing
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT array_agg(l.id) INTO locked_ids
    FROM (SELECT a.id FROM ledger_accounts a
           WHERE a.id IN (SELECT d.account_id FROM ledger_pending_deltas d)
           ORDER BY a.id DESC FOR NO KEY UPDATE OF a SKIP LOCKED) l;
  IF locked_ids IS NULL THEN
    RETURN 0;
  END IF;
  WITH taken AS (
    DELETE FROM ledger_pending_deltas WHERE account_id = ANY (locked_ids)
    RETURNING account_id, debits_pending, credits_pending
  ), per_account AS (
    SELECT account_id, sum(debits_pending)::bigint AS dp, sum(credits_pending)::bigint AS cp
      FROM taken GROUP BY account_id
  ), updated AS (
    UPDATE ledger_accounts a
       SET debits_pending = a.debits_pending + p.dp, credits_pending = a.credits_pending + p.cp
      FROM per_account p WHERE a.id = p.account_id AND (p.dp <> 0 OR p.cp <> 0)
    RETURNING 1
  )
  SELECT count(*)::integer INTO moved FROM updated;
  RETURN moved;
END;
$$;
