-- Up Migration

-- Cases (issue 13): one investigation of a customer. It groups that customer's alerts (and, for a
-- network, alerts of other customers the investigator adds), keeps a timeline of what was done,
-- and carries the duty to investigate of hvitvaskingsloven § 25 as a due date: by then the
-- suspicion is dispelled (closed, no suspicion) or reported (an STR is filed). Statuses go from
-- open through investigating to closed with an outcome; one case at a time per customer, so a
-- new alert of theirs joins the case that is already open.
CREATE TABLE aml_cases (
  id            text        PRIMARY KEY CHECK (id ~ '^case_[0-9A-HJKMNP-TV-Z]{26}$'),
  user_id       text        NOT NULL REFERENCES users (id),
  title         text        NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  status        text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'investigating', 'closed')),
  outcome       text        CHECK (outcome IN ('no_suspicion', 'reported', 'customer_exited')),
  opened_by     text        NOT NULL REFERENCES staff (id),
  opened_at     timestamptz NOT NULL DEFAULT now(),
  assigned_to   text        REFERENCES staff (id),
  due_at        timestamptz NOT NULL DEFAULT (now() + interval '30 days'),
  closed_by     text        REFERENCES staff (id),
  closed_at     timestamptz,
  closing_notes text,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT aml_cases_closed_has_outcome CHECK ((status = 'closed') = (outcome IS NOT NULL)),
  CONSTRAINT aml_cases_closed_at CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CONSTRAINT aml_cases_due_after_opened CHECK (due_at > opened_at)
);
CREATE UNIQUE INDEX aml_cases_one_open_per_customer ON aml_cases (user_id) WHERE status <> 'closed';
CREATE INDEX aml_cases_due_idx ON aml_cases (due_at) WHERE status <> 'closed';
CREATE INDEX aml_cases_opened_idx ON aml_cases (opened_at DESC);
CREATE TRIGGER aml_cases_touch BEFORE UPDATE ON aml_cases FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
CREATE TRIGGER aml_cases_audit AFTER UPDATE OR DELETE ON aml_cases
  FOR EACH ROW EXECUTE FUNCTION audit_row_change('updated_at');
ALTER TABLE aml_cases ENABLE ALWAYS TRIGGER aml_cases_audit;

-- The case an alert was escalated to (closed with outcome 'escalated', or added by hand).
ALTER TABLE aml_alerts ADD COLUMN case_id text REFERENCES aml_cases (id);
CREATE INDEX aml_alerts_case_idx ON aml_alerts (case_id) WHERE case_id IS NOT NULL;

-- The case's own timeline: what staff did (opened, assigned, status changes, notes, alerts
-- added, STR steps, closed). Transfers, screening matches and KYC history are read from their
-- own tables when the timeline is shown; this table keeps only the casework, and keeps it.
CREATE TABLE aml_case_events (
  id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id    text        NOT NULL REFERENCES aml_cases (id),
  kind       text        NOT NULL CHECK (kind IN (
               'opened', 'assigned', 'status_changed', 'alert_added', 'noted',
               'str_drafted', 'str_submitted', 'str_returned', 'str_approved', 'str_filed', 'closed')),
  actor      text        NOT NULL CHECK (length(actor) > 0),
  text       text,
  details    jsonb       NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'noted' OR length(btrim(text)) > 0)
);
CREATE INDEX aml_case_events_case_idx ON aml_case_events (case_id, id);
CREATE TRIGGER aml_case_events_no_update_or_delete BEFORE UPDATE OR DELETE ON aml_case_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change('The case history is kept: record a new event instead.');
CREATE TRIGGER aml_case_events_no_truncate BEFORE TRUNCATE ON aml_case_events
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('The case history is kept: record a new event instead.');
ALTER TABLE aml_case_events ENABLE ALWAYS TRIGGER aml_case_events_no_update_or_delete;
ALTER TABLE aml_case_events ENABLE ALWAYS TRIGGER aml_case_events_no_truncate;

-- STRs drafted from a case. The runbook's INSERT (no case, status 'filed') still works as written:
-- every new column is nullable or has a default. `reference` is the reporter's own reference
-- that ØKOKRIM asks for (MT-0002 item 2, goAML entity_reference).
CREATE SEQUENCE str_reports_reference_seq;
ALTER TABLE str_reports
  ADD COLUMN case_id          text REFERENCES aml_cases (id),
  ADD COLUMN reference        text NOT NULL UNIQUE
    DEFAULT ('DROP-STR-' || lpad(nextval('str_reports_reference_seq')::text, 6, '0')),
  ADD COLUMN submitted_at     timestamptz,
  ADD COLUMN approved_at      timestamptz,
  ADD COLUMN filed_by         text,
  -- The FIU's receipt for the filing (Altinn's reference for MT-0002), when there is one.
  ADD COLUMN filing_reference text,
  -- A sanctions hit is also reported to the Ministry of Foreign Affairs (UD).
  ADD COLUMN mfa_notified_at  timestamptz,
  ADD COLUMN decision_note    text;
CREATE INDEX str_reports_case_idx ON str_reports (case_id) WHERE case_id IS NOT NULL;

-- Down Migration
ALTER TABLE str_reports
  DROP COLUMN IF EXISTS decision_note, DROP COLUMN IF EXISTS mfa_notified_at, DROP COLUMN IF EXISTS filing_reference,
  DROP COLUMN IF EXISTS filed_by, DROP COLUMN IF EXISTS approved_at, DROP COLUMN IF EXISTS submitted_at,
  DROP COLUMN IF EXISTS reference, DROP COLUMN IF EXISTS case_id;
DROP SEQUENCE IF EXISTS str_reports_reference_seq;
DROP TABLE IF EXISTS aml_case_events;
ALTER TABLE aml_alerts DROP COLUMN IF EXISTS case_id;
DROP TABLE IF EXISTS aml_cases;
