-- Up Migration

-- The audit log: append-only and tamper-evident. Each row's hash covers the previous row's hash
-- and the row's own content (fields joined by the unit separator; a NULL resource_id is the record separator), computed by a trigger inside the database, so rows that an operator
-- inserts by hand in psql (the runbook's `secret_rotated` insert) join the chain like any other.
-- seq, prev_hash, hash, actor and timestamp are always set by the audit_log_chain trigger.
CREATE TABLE audit_log (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  seq           bigint      NOT NULL UNIQUE,
  "timestamp"   timestamptz NOT NULL DEFAULT now(),
  actor         text        NOT NULL,
  action        text        NOT NULL CHECK (action <> ''),
  resource_type text        NOT NULL CHECK (resource_type <> ''),
  resource_id   text,
  details       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  prev_hash     bytea       NOT NULL,
  hash          bytea       NOT NULL
);
CREATE INDEX audit_log_timestamp_idx ON audit_log ("timestamp" DESC);
CREATE INDEX audit_log_action_timestamp_idx ON audit_log (action, "timestamp" DESC);
CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id);

COMMENT ON TABLE audit_log IS 'Append-only, hash-chained log of application events and row changes. Verify with `drop audit verify`.';

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change('Record a new event instead.');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('Record a new event instead.');
-- ENABLE ALWAYS: the guards fire even with session_replication_role = replica, which a superuser
-- could otherwise use to skip them. Only ALTER TABLE … DISABLE TRIGGER (itself a DDL change that
-- the chain verification exposes) gets around them.
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_chain;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_or_delete;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- Down Migration
DROP TABLE IF EXISTS audit_log;
