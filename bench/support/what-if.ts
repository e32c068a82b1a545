/**
 * What-if runs of `npm run bench:transfers` (BENCH_WHAT_IF): a part of the schema taken away, to
 * price it. Each entry is SQL run on the bench database after it is migrated. Not Drop's schema:
 * a what-if run's figures say what that part costs, nothing more.
 */

/** The tables a transfer (quote + create) writes. */
const TRANSFER_TABLES = [
  'quotes',
  'transactions',
  'idempotency_keys',
  'ledger_transfers',
  'ledger_pending_deltas',
  'ledger_accounts',
  'transfer_events',
  'user_spending_days',
  'aml_customer_activity',
  'aml_customer_daily',
  'aml_sender_recipients',
];
const tableList = TRANSFER_TABLES.map((table) => `'${table}'`).join(', ');

/** Drops every constraint of one kind (pg_constraint.contype) on the transfer's tables. */
const dropConstraints = (contype: 'c' | 'f') => `DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
            WHERE contype = '${contype}' AND conrelid::regclass::text IN (${tableList})
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', c.tbl, c.conname);
  END LOOP;
END;
$$`;

export const WHAT_IFS: Record<string, { sql: string; what: string }> = {
  'no-foreign-keys': {
    what: 'the foreign keys of the tables a transfer writes (each checked key is an RI trigger and a SELECT … FOR KEY SHARE of the referenced row, per row written)',
    sql: dropConstraints('f'),
  },
  'no-checks': {
    what: "the CHECK constraints of the tables a transfer writes (PostgreSQL reads and prepares a table's CHECK expressions for every statement that writes it)",
    sql: dropConstraints('c'),
  },
  'no-secondary-indexes': {
    what: 'the indexes of the tables a transfer writes that back no constraint (history, back-office lists, AML look-ups: each one more entry written and WAL-logged per row)',
    sql: `DO $$
DECLARE
  i record;
BEGIN
  FOR i IN SELECT x.indexrelid::regclass AS idx FROM pg_index x
            WHERE x.indrelid::regclass::text IN (${tableList})
              AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid)
  LOOP
    EXECUTE format('DROP INDEX %s', i.idx);
  END LOOP;
END;
$$`,
  },
};
