-- Up Migration

-- Alert review: an alert is assigned to a compliance staff member, commented on, and closed with
-- an outcome and notes. Closing stays the runbook's UPDATE (status, reviewed_at, reviewer_notes);
-- the outcome is the console's (NULL for an alert closed in psql). Nothing but the runbook's
-- 'open' and 'closed' statuses.
ALTER TABLE aml_alerts
  ADD COLUMN outcome     text CHECK (outcome IN ('false_positive', 'legitimate', 'escalated')),
  ADD COLUMN assigned_to text REFERENCES staff (id),
  ADD COLUMN assigned_at timestamptz,
  ADD CONSTRAINT aml_alerts_outcome_when_closed CHECK (outcome IS NULL OR status = 'closed'),
  ADD CONSTRAINT aml_alerts_assigned_at CHECK ((assigned_to IS NULL) = (assigned_at IS NULL));
CREATE INDEX aml_alerts_assigned_idx ON aml_alerts (assigned_to) WHERE status = 'open' AND assigned_to IS NOT NULL;

-- Who did what to an alert and when, kept after it is closed: assigned, commented, closed.
-- Assignments and closings are written by the trigger on aml_alerts (so a close in psql is in the
-- history too, with drop.actor or db:<role> as the actor); comments by the application.
CREATE TABLE aml_alert_events (
  id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id   text        NOT NULL REFERENCES aml_alerts (id),
  kind       text        NOT NULL CHECK (kind IN ('assigned', 'commented', 'closed')),
  actor      text        NOT NULL CHECK (length(actor) > 0),
  -- assigned: the staff id now assigned; closed: the outcome (NULL when closed in SQL).
  assigned_to text       REFERENCES staff (id),
  outcome    text        CHECK (outcome IN ('false_positive', 'legitimate', 'escalated')),
  -- commented: the comment; closed: the reviewer's notes.
  text       text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'commented' OR length(text) > 0),
  CHECK (kind <> 'assigned' OR assigned_to IS NOT NULL)
);
CREATE INDEX aml_alert_events_alert_idx ON aml_alert_events (alert_id, id);
CREATE TRIGGER aml_alert_events_no_update_or_delete BEFORE UPDATE OR DELETE ON aml_alert_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change('The alert history is kept: record a new event instead.');
CREATE TRIGGER aml_alert_events_no_truncate BEFORE TRUNCATE ON aml_alert_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('The alert history is kept: record a new event instead.');
ALTER TABLE aml_alert_events ENABLE ALWAYS TRIGGER aml_alert_events_no_update_or_delete;
ALTER TABLE aml_alert_events ENABLE ALWAYS TRIGGER aml_alert_events_no_truncate;

CREATE TRIGGER aml_alerts_review BEFORE UPDATE ON aml_alerts FOR EACH ROW EXECUTE FUNCTION aml_alerts_review();
ALTER TABLE aml_alerts ENABLE ALWAYS TRIGGER aml_alerts_review;
CREATE TRIGGER aml_alerts_history AFTER UPDATE ON aml_alerts FOR EACH ROW EXECUTE FUNCTION aml_alerts_history();
ALTER TABLE aml_alerts ENABLE ALWAYS TRIGGER aml_alerts_history;

-- Down Migration
DROP TRIGGER IF EXISTS aml_alerts_history ON aml_alerts;
DROP TRIGGER IF EXISTS aml_alerts_review ON aml_alerts;
DROP TABLE IF EXISTS aml_alert_events;
ALTER TABLE aml_alerts DROP COLUMN IF EXISTS assigned_at, DROP COLUMN IF EXISTS assigned_to, DROP COLUMN IF EXISTS outcome;
