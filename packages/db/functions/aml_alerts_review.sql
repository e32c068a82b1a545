-- BEFORE UPDATE on aml_alerts: closing an alert, in the console or with the runbook's UPDATE in
-- psql, records who reviewed it (the caller's drop.actor, else db:<database user>) when the
-- statement did not say, and when (reviewed_at, if the statement left it empty). An assignment
-- gets its time.
CREATE OR REPLACE FUNCTION aml_alerts_review() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  actor text := coalesce(nullif(current_setting('drop.actor', true), ''), 'db:' || session_user);
BEGIN
  IF NEW.status = 'closed' AND OLD.status = 'open' THEN
    NEW.reviewed_by := coalesce(NEW.reviewed_by, actor);
    NEW.reviewed_at := coalesce(NEW.reviewed_at, now());
  END IF;
  IF NEW.assigned_to IS DISTINCT FROM OLD.assigned_to THEN
    NEW.assigned_at := CASE WHEN NEW.assigned_to IS NULL THEN NULL ELSE now() END;
  END IF;
  RETURN NEW;
END;
$$;
