-- The deduplication key of an alert about a subject over a window of `p_hours` hours: windows are
-- consecutive buckets since the epoch, so there is at most one alert per rule, subject and bucket.
-- STABLE like concat_ws, so the planner inlines it into the caller's expression (an IMMUTABLE
-- declaration over a STABLE body is not inlined, and a call per rule per transfer showed in profiles).
CREATE OR REPLACE FUNCTION aml_window_key(p_rule text, p_subject_type text, p_subject_id text, p_hours numeric, p_at timestamptz)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT concat_ws(':', p_rule, p_subject_type, p_subject_id,
                   p_hours::text || 'h' || floor(extract(epoch FROM p_at) / (p_hours * 3600))::bigint::text);
$$;
