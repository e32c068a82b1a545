-- BEFORE INSERT on aml_alerts: an alert written without a subject or a deduplication key (the demo
-- seed, an operator in psql) is about the customer and is its own window (its id).
CREATE OR REPLACE FUNCTION aml_alerts_defaults() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.subject_type := coalesce(NEW.subject_type, 'customer');
  NEW.subject_id := coalesce(NEW.subject_id, NEW.user_id);
  NEW.dedup_key := coalesce(NEW.dedup_key, NEW.id);
  RETURN NEW;
END;
$$;
