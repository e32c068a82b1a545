-- Drops values that must never be copied into the audit trail (encrypted national id numbers,
-- lookup hashes, secrets, tokens) from a row image.
CREATE OR REPLACE FUNCTION audit_redact(image jsonb) RETURNS jsonb
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
