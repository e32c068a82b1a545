-- Up Migration

-- A case opened by escalating an alert keeps the alert's rule: the console titles it in the
-- reader's language ("Eskalert varsel: Stor overføring"), while `title` stays the plain words a
-- psql reader understands ("Escalated alert: large_transfer").
ALTER TABLE aml_cases ADD COLUMN escalated_rule text;

-- The case history's kinds: an STR rejected by a lead, and UD notified of a sanctions hit (as
-- structured events the console words in nb and en, instead of English text in the row).
ALTER TABLE aml_case_events DROP CONSTRAINT aml_case_events_kind_check;
ALTER TABLE aml_case_events ADD CONSTRAINT aml_case_events_kind_check CHECK (kind IN (
  'opened', 'assigned', 'status_changed', 'alert_added', 'noted',
  'str_drafted', 'str_submitted', 'str_returned', 'str_approved', 'str_filed', 'closed',
  'str_rejected', 'str_mfa_notified'));

-- Who rejected an STR and when (a compliance lead, never the drafter: str_reports_guard.sql).
ALTER TABLE str_reports
  ADD COLUMN rejected_by text,
  ADD COLUMN rejected_at timestamptz,
  ADD CONSTRAINT str_reports_rejecter_not_drafter CHECK (rejected_by IS NULL OR rejected_by IS DISTINCT FROM drafted_by);

-- Down Migration
ALTER TABLE str_reports DROP CONSTRAINT IF EXISTS str_reports_rejecter_not_drafter,
  DROP COLUMN IF EXISTS rejected_at, DROP COLUMN IF EXISTS rejected_by;
ALTER TABLE aml_case_events DROP CONSTRAINT aml_case_events_kind_check;
ALTER TABLE aml_case_events ADD CONSTRAINT aml_case_events_kind_check CHECK (kind IN (
  'opened', 'assigned', 'status_changed', 'alert_added', 'noted',
  'str_drafted', 'str_submitted', 'str_returned', 'str_approved', 'str_filed', 'closed'));
ALTER TABLE aml_cases DROP COLUMN IF EXISTS escalated_rule;
