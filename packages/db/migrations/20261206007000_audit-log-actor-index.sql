-- Up Migration

-- Reads of the audit log by who acted: an incident's scoping (`drop incident affected`: a staff
-- account's changes, `actor = $1` in a time window; a customer's own events while a session was
-- live, `actor = user_id AND "timestamp" BETWEEN …`). Without it each is a scan of the whole log.
-- The console's recent-events list reads by seq (its unique index) and needs nothing new.
CREATE INDEX audit_log_actor_timestamp_idx ON audit_log (actor, "timestamp");

-- Down Migration
DROP INDEX IF EXISTS audit_log_actor_timestamp_idx;
