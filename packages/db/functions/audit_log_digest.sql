-- The one definition of a row's hash, used by the insert trigger and by the verifier.
-- Timestamps are rendered in UTC with microseconds and jsonb in its canonical text form, so the
-- digest does not depend on the session's time zone or on key order.
CREATE OR REPLACE FUNCTION audit_log_digest(
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
