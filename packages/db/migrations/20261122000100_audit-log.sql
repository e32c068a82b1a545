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

-- The one definition of a row's hash, used by the insert trigger and by the verifier.
-- Timestamps are rendered in UTC with microseconds and jsonb in its canonical text form, so the
-- digest does not depend on the session's time zone or on key order.
CREATE FUNCTION audit_log_digest(
  prev_hash bytea, seq bigint, id uuid, ts timestamptz, actor text, action text,
  resource_type text, resource_id text, details jsonb
) RETURNS bytea
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog
AS $$
  SELECT sha256(
    prev_hash || convert_to(
      concat_ws(E'\x1f',
        seq::text, id::text,
        to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        actor, action, resource_type, coalesce(resource_id, E'\x1e'), details::text),
      'UTF8'))
$$;

CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  last_seq  bigint;
  last_hash bytea;
BEGIN
  -- One appender at a time until commit, so the chain cannot fork. The lock is per transaction.
  PERFORM pg_advisory_xact_lock(7406720151);
  SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
  NEW.seq       := coalesce(last_seq, 0) + 1;
  NEW.prev_hash := coalesce(last_hash, '\x'::bytea);
  -- The database, not the caller, decides when an event was recorded.
  NEW."timestamp" := clock_timestamp();
  NEW.details   := coalesce(NEW.details, '{}'::jsonb);
  NEW.actor     := coalesce(nullif(NEW.actor, ''), nullif(current_setting('drop.actor', true), ''), 'db:' || session_user);
  NEW.hash      := audit_log_digest(NEW.prev_hash, NEW.seq, NEW.id, NEW."timestamp", NEW.actor, NEW.action,
                                    NEW.resource_type, NEW.resource_id, NEW.details);
  RETURN NEW;
END;
$$;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Record a new event instead.';
END;
$$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
-- ENABLE ALWAYS: the guards fire even with session_replication_role = replica, which a superuser
-- could otherwise use to skip them. Only ALTER TABLE … DISABLE TRIGGER (itself a DDL change that
-- the chain verification exposes) gets around them.
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_chain;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_or_delete;
ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;

-- Drops values that must never be copied into the audit trail (encrypted national id numbers,
-- lookup hashes, secrets, tokens) from a row image.
CREATE FUNCTION audit_redact(image jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog
AS $$
  SELECT CASE WHEN image IS NULL THEN NULL ELSE coalesce(
    (SELECT jsonb_object_agg(key,
              CASE WHEN key ~ '(ciphertext|_hash|secret|token|password|national_id)' THEN to_jsonb('[redacted]'::text)
                   ELSE value END)
       FROM jsonb_each(image)),
    '{}'::jsonb) END
$$;

-- Row-level UPDATE and DELETE on the sensitive tables become audit events, whoever makes them:
-- the application, a job, or an operator in psql. Trigger arguments name columns whose change
-- alone is not worth an event (for example a session's last activity time).
CREATE FUNCTION audit_row_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  before_image jsonb := to_jsonb(OLD);
  after_image  jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(NEW) END;
  changed      text[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT coalesce(array_agg(n.key ORDER BY n.key), '{}') INTO changed
      FROM jsonb_each(after_image) n
     WHERE n.value IS DISTINCT FROM before_image -> n.key
       -- TG_ARGV is NULL, not empty, when the trigger has no arguments.
       AND NOT (n.key = ANY (coalesce(TG_ARGV, '{}'::text[])));
    IF cardinality(changed) = 0 THEN
      RETURN NULL;
    END IF;
  END IF;
  INSERT INTO audit_log (action, resource_type, resource_id, details)
  VALUES (TG_OP, TG_TABLE_NAME, before_image ->> 'id',
          jsonb_build_object(
            'before', audit_redact(before_image),
            'after', audit_redact(after_image),
            'changed', to_jsonb(changed),
            'db_user', session_user,
            'application_name', current_setting('application_name', true)));
  RETURN NULL;
END;
$$;

-- Down Migration
DROP FUNCTION IF EXISTS audit_row_change();
DROP FUNCTION IF EXISTS audit_redact(jsonb);
DROP TABLE IF EXISTS audit_log;
DROP FUNCTION IF EXISTS audit_log_refuse_change();
DROP FUNCTION IF EXISTS audit_log_chain();
DROP FUNCTION IF EXISTS audit_log_digest(bytea, bigint, uuid, timestamptz, text, text, text, text, jsonb);
