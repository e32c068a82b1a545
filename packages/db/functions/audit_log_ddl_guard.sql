-- The event trigger drop_audit_log_ddl_guard (created by migrate() when the migrating role may:
-- a superuser, or rds_superuser on RDS): DDL that would silently end the audit log's guarantees is
-- refused, whoever runs it, the owner included.
--   * sql_drop: dropping audit_log or ledger_transfers, or one of audit_log's triggers;
--   * ddl_command_end: ALTER TABLE audit_log … DISABLE TRIGGER / ENABLE REPLICA TRIGGER (which
--     would let rows be edited or deleted) or RENAME, once the log holds a row (a restore loads
--     an empty, freshly migrated log with its triggers off, as pg_restore does).
-- TRUNCATE is not DDL and fires no event trigger: the table's own ENABLE ALWAYS trigger refuses
-- it. A superuser can still disable this event trigger first; that is what the signed checkpoints
-- outside the database are for (`drop audit checkpoint`, `drop audit verify`).
CREATE OR REPLACE FUNCTION audit_log_ddl_guard() RETURNS event_trigger
LANGUAGE plpgsql
AS $$
DECLARE
  item record;
  has_rows boolean;
BEGIN
  IF TG_EVENT = 'sql_drop' THEN
    FOR item IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
      IF (item.object_type = 'table' AND item.object_identity IN ('public.audit_log', 'public.ledger_transfers'))
         OR (item.object_type = 'trigger' AND item.object_identity LIKE '% on public.audit_log') THEN
        RAISE EXCEPTION 'dropping % is refused: the audit log and the ledger are kept', item.object_identity
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'drop_audit_log_ddl_guard refuses this DDL (packages/db/functions/audit_log_ddl_guard.sql).';
      END IF;
    END LOOP;
    RETURN;
  END IF;

  FOR item IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
    -- The log is the table its chain trigger runs on (by oid: after a RENAME its name is another).
    CONTINUE WHEN item.command_tag <> 'ALTER TABLE' OR item.classid <> 'pg_class'::regclass
      OR NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                      WHERE t.tgrelid = item.objid AND p.proname = 'audit_log_chain');
    CONTINUE WHEN current_query() !~* '(disable\s+trigger|enable\s+replica\s+trigger|rename)';
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', item.objid::regclass) INTO has_rows;
    IF has_rows THEN
      RAISE EXCEPTION 'this change to audit_log is refused: its triggers keep it append-only'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'drop_audit_log_ddl_guard refuses this DDL (packages/db/functions/audit_log_ddl_guard.sql).';
    END IF;
  END LOOP;
END;
$$;
