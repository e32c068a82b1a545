-- AFTER UPDATE on aml_alerts: an assignment and a closing go to the alert's history
-- (aml_alert_events), whoever makes them: the console, the CLI, or an operator running the
-- runbook's UPDATE in psql. The actor is drop.actor, else db:<database user>.
CREATE OR REPLACE FUNCTION aml_alerts_history() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  actor text := coalesce(nullif(current_setting('drop.actor', true), ''), 'db:' || session_user);
BEGIN
  IF NEW.assigned_to IS DISTINCT FROM OLD.assigned_to AND NEW.assigned_to IS NOT NULL THEN
    INSERT INTO aml_alert_events (alert_id, kind, actor, assigned_to) VALUES (NEW.id, 'assigned', actor, NEW.assigned_to);
  END IF;
  IF NEW.status = 'closed' AND OLD.status = 'open' THEN
    INSERT INTO aml_alert_events (alert_id, kind, actor, outcome, text)
    VALUES (NEW.id, 'closed', actor, NEW.outcome, NEW.reviewer_notes);
  END IF;
  RETURN NULL;
END;
$$;
