-- The one home of what Drop's application role may do in this database, applied by `migrate()`
-- (migrateDatabase) after the migrations and the job queue's schema, every time, as the owner.
--
-- drop_app (NOLOGIN) owns nothing and holds the rights; the logins Drop's pool uses are members
-- of it (dropuser and dropuser_clone in production, drop_app_login on the embedded server and in
-- the tests). Roles are cluster-wide, so it is created here only if missing (many databases share
-- a cluster, and two of them may migrate at once); grants are per database, so they are applied
-- in each one.
--
-- A function run after every migration rather than ALTER DEFAULT PRIVILEGES: default privileges
-- belong to the role that creates a table (the tests, the embedded server and RDS migrate as
-- different owners), they cannot say "no UPDATE on the append-only tables", and they do nothing
-- for the tables that already exist. Here the whole policy is one statement list, derived from
-- the schema itself:
--   * every table in public and graphile_worker: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE,
--     never REFERENCES or TRIGGER);
--   * a table with a refuse_change trigger on UPDATE or DELETE (audit_log, ledger_transfers,
--     sepa_payout_files, the case and alert histories, …) loses that right too, so an append-only
--     table is INSERT and SELECT only, refused by the privilege system before any trigger runs;
--   * the migration bookkeeping (schema_migrations, schema_functions) is SELECT only: the app
--     checks that the schema is current but never changes it;
--   * ledger_pending_deltas (rows appended by ledger_post, deleted by ledger_rollup, never
--     changed) is SELECT, INSERT and DELETE: no UPDATE;
--   * sequences USAGE and SELECT, functions EXECUTE, schemas USAGE and never CREATE.
CREATE OR REPLACE FUNCTION grant_app_privileges() RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  target record;
BEGIN
  -- Two processes migrating the same database at once would update the same catalog rows.
  PERFORM pg_advisory_xact_lock(7406720160);
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'drop_app') THEN
    BEGIN
      CREATE ROLE drop_app NOLOGIN;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN
        NULL; -- another database on this cluster created it a moment ago
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role drop_app does not exist and % may not create it', current_user
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Once, as an administrator: CREATE ROLE drop_app NOLOGIN; then GRANT drop_app TO the application''s logins.';
    END;
  END IF;

  -- A new schema object is nobody's but its owner's: nobody else may create in public.
  BEGIN
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  EXCEPTION WHEN insufficient_privilege THEN
    NULL; -- the schema's owner (the database owner) has done or will do it; drop_app never gets CREATE
  END;
  REVOKE CREATE ON SCHEMA public FROM drop_app;
  GRANT USAGE ON SCHEMA public TO drop_app;

  FOR target IN
    SELECT n.nspname AS schema_name, c.relname AS table_name,
           EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                    WHERE t.tgrelid = c.oid AND p.proname = 'refuse_change' AND (t.tgtype & 16) <> 0) AS refuses_update,
           EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                    WHERE t.tgrelid = c.oid AND p.proname = 'refuse_change' AND (t.tgtype & 8) <> 0) AS refuses_delete
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname IN ('public', 'graphile_worker')
  LOOP
    EXECUTE format('REVOKE ALL ON %I.%I FROM drop_app', target.schema_name, target.table_name);
    IF target.schema_name = 'public' AND target.table_name IN ('schema_migrations', 'schema_functions') THEN
      EXECUTE format('GRANT SELECT ON %I.%I TO drop_app', target.schema_name, target.table_name);
      CONTINUE;
    END IF;
    EXECUTE format('GRANT SELECT, INSERT ON %I.%I TO drop_app', target.schema_name, target.table_name);
    IF NOT target.refuses_update
       AND NOT (target.schema_name = 'public' AND target.table_name IN ('ledger_pending_deltas')) THEN
      EXECUTE format('GRANT UPDATE ON %I.%I TO drop_app', target.schema_name, target.table_name);
    END IF;
    IF NOT target.refuses_delete THEN
      EXECUTE format('GRANT DELETE ON %I.%I TO drop_app', target.schema_name, target.table_name);
    END IF;
  END LOOP;

  -- graphile-worker turns on row-level security for its private tables (so that only their owner
  -- sees them through an API built on the schema); Drop's worker runs as drop_app, so a policy
  -- shows it every row. The grants above still decide what it may do with them.
  FOR target IN
    SELECT n.nspname AS schema_name, c.relname AS table_name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relrowsecurity AND n.nspname IN ('public', 'graphile_worker')
       AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'drop_app_all_rows')
  LOOP
    EXECUTE format('CREATE POLICY drop_app_all_rows ON %I.%I TO drop_app USING (true) WITH CHECK (true)',
                   target.schema_name, target.table_name);
  END LOOP;

  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO drop_app;
  GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO drop_app;
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'graphile_worker') THEN
    GRANT USAGE ON SCHEMA graphile_worker TO drop_app;
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA graphile_worker TO drop_app;
    GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO drop_app;
  END IF;
END;
$$;
