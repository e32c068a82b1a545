-- What-if for `npm run bench:transfers` (BENCH_WHAT_IF=no-foreign-keys): the foreign keys of every
-- table a transfer writes, dropped. Each checked foreign key runs a query of its own (an RI trigger
-- and a SELECT … FOR KEY SHARE on the referenced row) for every row written. Not Drop's schema:
-- the run's figures say what the checks cost, nothing more.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
     WHERE contype = 'f' AND conrelid::regclass::text IN (
       'quotes', 'transactions', 'idempotency_keys', 'ledger_transfers', 'ledger_pending_deltas', 'ledger_accounts',
       'transfer_events', 'user_spending_days', 'aml_customer_activity', 'aml_customer_daily', 'aml_sender_recipients')
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
  END LOOP;
END;
$$;
