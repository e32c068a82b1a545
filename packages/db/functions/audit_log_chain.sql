-- BEFORE INSERT on audit_log: links the new row into the hash chain (seq, prev_hash, hash) and
-- sets its actor and timestamp, whatever the inserter wrote.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
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
