-- What-if for `npm run bench:transfers` (BENCH_WHAT_IF=no-checks): the CHECK constraints of every
-- table a transfer writes, dropped. PostgreSQL reads and prepares a table's CHECK expressions for
-- every statement that writes it. Not Drop's schema: the run's figures say what the checks cost.
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
     WHERE contype = 'c' AND conrelid::regclass::text IN (
       'quotes', 'transactions', 'idempotency_keys', 'ledger_transfers', 'ledger_pending_deltas', 'ledger_accounts',
       'transfer_events', 'user_spending_days', 'aml_customer_activity', 'aml_customer_daily', 'aml_sender_recipients')
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
  END LOOP;
END;
$$;
