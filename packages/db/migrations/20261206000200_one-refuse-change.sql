-- Up Migration

-- The append-only tables' guards share one function, refuse_change (packages/db/functions), which
-- takes its hint as the trigger's argument, instead of one function per table. This re-points the
-- guards of a database made before; the per-table functions go with their files once it has run.
DO $$
DECLARE
  guarded record;
BEGIN
  FOR guarded IN
    SELECT * FROM (VALUES
      ('audit_log', 'Record a new event instead.'),
      ('ledger_transfers', 'Post a correcting transfer instead.'),
      ('sepa_payout_files', 'Export a new file instead.')
    ) AS t (table_name, hint)
  LOOP
    EXECUTE format('DROP TRIGGER %I ON %I', guarded.table_name || '_no_update_or_delete', guarded.table_name);
    EXECUTE format('DROP TRIGGER %I ON %I', guarded.table_name || '_no_truncate', guarded.table_name);
    EXECUTE format(
      'CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION refuse_change(%L)',
      guarded.table_name || '_no_update_or_delete', guarded.table_name, guarded.hint);
    EXECUTE format(
      'CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refuse_change(%L)',
      guarded.table_name || '_no_truncate', guarded.table_name, guarded.hint);
    -- ENABLE ALWAYS, as before: the guards fire even with session_replication_role = replica.
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', guarded.table_name, guarded.table_name || '_no_update_or_delete');
    EXECUTE format('ALTER TABLE %I ENABLE ALWAYS TRIGGER %I', guarded.table_name, guarded.table_name || '_no_truncate');
  END LOOP;
END;
$$;

-- Down Migration
-- Nothing to undo: the guards keep the shared function, the only one there is now.
SELECT 1;
