-- What-if for `npm run bench:transfers` (BENCH_WHAT_IF=no-secondary-indexes): the indexes of every
-- table a transfer writes that back no constraint (the customer's history, back-office lists,
-- AML look-ups), dropped. Each is one more index entry written, and WAL-logged, per row. Not
-- Drop's schema: the run's figures say what those indexes cost.
DO $$
DECLARE
  i record;
BEGIN
  FOR i IN
    SELECT x.indexrelid::regclass AS idx FROM pg_index x
     WHERE x.indrelid::regclass::text IN (
       'quotes', 'transactions', 'idempotency_keys', 'ledger_transfers', 'ledger_pending_deltas', 'ledger_accounts',
       'transfer_events', 'user_spending_days', 'aml_customer_activity', 'aml_customer_daily', 'aml_sender_recipients')
       AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid)
  LOOP
    EXECUTE format('DROP INDEX %s', i.idx);
  END LOOP;
END;
$$;
