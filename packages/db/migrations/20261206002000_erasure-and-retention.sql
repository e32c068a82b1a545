-- Up Migration

-- Erasure and retention (issue 14). An erasure request restricts the customer at once
-- (users.deleted_at, sessions revoked); what the law makes Drop keep is kept for the period in
-- retention_rules, then the retention job (JOBS.applyRetention, packages/core/src/privacy/
-- apply-retention.ts) anonymises or deletes it.

-- When the retention job removed the customer's personal data. The row stays (ids, the ledger's
-- accounts and every transfer point at it); only the person is gone.
ALTER TABLE users ADD COLUMN personal_data_erased_at timestamptz;
CREATE INDEX users_relationship_ended_idx ON users (deleted_at) WHERE deleted_at IS NOT NULL AND personal_data_erased_at IS NULL;

-- What is kept how long, and why: data, not code, so the console and `drop privacy retention`
-- show what the job applies. The job knows each code's records (what `applies_to` describes);
-- the period, the action and whether it runs are read from here on every run.
CREATE TABLE retention_rules (
  code         text        PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
  applies_to   text        NOT NULL,
  keep_for     interval    NOT NULL CHECK (keep_for > interval '0'),
  counted_from text        NOT NULL,
  action       text        NOT NULL CHECK (action IN ('delete', 'anonymise')),
  legal_basis  text        NOT NULL,
  -- 'job': the retention job applies it. 'log_platform': applied where the logs live (Drop's
  -- processes write logs to stdout, never to this database). 'identity_provider': applied at the
  -- KYC provider, which holds the documents. Listed here so every rule has one home.
  enforced_by  text        NOT NULL DEFAULT 'job' CHECK (enforced_by IN ('job', 'log_platform', 'identity_provider')),
  enabled      boolean     NOT NULL DEFAULT true,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER retention_rules_audit AFTER UPDATE OR DELETE ON retention_rules
  FOR EACH ROW EXECUTE FUNCTION audit_row_change('updated_at');
ALTER TABLE retention_rules ENABLE ALWAYS TRIGGER retention_rules_audit;
CREATE TRIGGER retention_rules_touch BEFORE UPDATE ON retention_rules FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

INSERT INTO retention_rules (code, applies_to, keep_for, counted_from, action, legal_basis, enforced_by) VALUES
  ('ended_customer_personal_data',
   'A former customer''s personal data: name, birth date, national id (ciphertext and lookup hash), BankID subject, email, '
   || 'source of funds, recipients'' names and account details, KYC applicant data, session addresses and browsers, '
   || 'payers'' names and accounts on bank entries, refund accounts, screening-match names, the record of emails sent. '
   || 'Ledger rows, amounts, ids and '
   || 'the audit log stay.',
   interval '5 years', 'the end of the customer relationship (erasure request or account closed: users.deleted_at)',
   'anonymise',
   'Hvitvaskingsloven § 30 (customer due diligence data and transaction documents kept five years after the relationship '
   || 'ends, then deleted); GDPR art. 17(3)(b) and (e) allow keeping them until then; bokføringsloven § 13 keeps the '
   || 'accounting records (amounts, ids) for five years, which carry no personal data after anonymisation.',
   'job'),
  ('aml_records',
   'AML work about a former customer: alerts and their history, cases and their timeline, STRs, screening matches and '
   || 'clearances, the AML aggregates.',
   interval '5 years', 'the end of the customer relationship (users.deleted_at)',
   'delete',
   'Hvitvaskingsloven § 30: documents from investigations and reports kept five years, then deleted. Not while a case is '
   || 'still open or an STR not filed or rejected (the investigation is not done).',
   'job'),
  ('rejected_applicants',
   'People who applied and were rejected in verification (kyc_status rejected) and never sent money: their personal data.',
   interval '5 years', 'their last activity (last sign-in, else sign-up)',
   'anonymise',
   'Hvitvaskingsloven § 30 covers the due-diligence data gathered when a relationship is refused; GDPR art. 5(1)(e) '
   || '(storage limitation) after that.',
   'job'),
  ('abandoned_signups',
   'Sign-ups that never started verification (kyc_status not_started) and never sent money: their personal data.',
   interval '1 year', 'their last activity (last sign-in, else sign-up)',
   'anonymise',
   'GDPR art. 5(1)(e) (storage limitation): no customer relationship began, so no AML duty to keep anything.',
   'job'),
  ('ended_sessions',
   'Customer sessions (IP address, browser) that expired or were ended.',
   interval '1 year', 'the session''s end (revoked_at, else expires_at)',
   'delete',
   'GDPR art. 5(1)(e) and art. 32: kept a year for security investigations (a breach is often found months later), then '
   || 'deleted.',
   'job'),
  ('kyc_documents',
   'Identity documents, selfies and liveness videos from verification, held by the KYC provider (Sumsub) under the '
   || 'applicant id Drop keeps in kyc_applicants.',
   interval '5 years', 'the end of the customer relationship (users.deleted_at), or the rejection',
   'delete',
   'Hvitvaskingsloven § 30: copies of identity documents are customer due-diligence records, kept five years after the '
   || 'relationship ends, then deleted (the provider''s retention setting, or a deletion request by applicant id).',
   'identity_provider'),
  ('application_logs',
   'Application and access logs (stdout of api, worker and CLI): request ids, paths, staff and customer ids.',
   interval '90 days', 'the time of the log line',
   'delete',
   'GDPR art. 5(1)(e) and art. 32: long enough to investigate incidents; the audit log, not these logs, is the record.',
   'log_platform');

-- The AML histories and screening clearances are append-only (refuse_change), except that the retention job may delete a
-- former customer's rows once their personal data is erased (users.personal_data_erased_at): the
-- database, not the caller, decides when that is (aml_events_guard_retention.sql).
DROP TRIGGER aml_alert_events_no_update_or_delete ON aml_alert_events;
CREATE TRIGGER aml_alert_events_no_update_or_delete BEFORE UPDATE OR DELETE ON aml_alert_events
  FOR EACH ROW EXECUTE FUNCTION aml_events_guard_retention('The alert history is kept: record a new event instead.');
ALTER TABLE aml_alert_events ENABLE ALWAYS TRIGGER aml_alert_events_no_update_or_delete;
DROP TRIGGER aml_case_events_no_update_or_delete ON aml_case_events;
CREATE TRIGGER aml_case_events_no_update_or_delete BEFORE UPDATE OR DELETE ON aml_case_events
  FOR EACH ROW EXECUTE FUNCTION aml_events_guard_retention('The case history is kept: record a new event instead.');
ALTER TABLE aml_case_events ENABLE ALWAYS TRIGGER aml_case_events_no_update_or_delete;
DROP TRIGGER screening_clearances_no_update_or_delete ON screening_clearances;
CREATE TRIGGER screening_clearances_no_update_or_delete BEFORE UPDATE OR DELETE ON screening_clearances
  FOR EACH ROW EXECUTE FUNCTION aml_events_guard_retention('Clearances are kept: a changed list record is screened again by its new hash.');
ALTER TABLE screening_clearances ENABLE ALWAYS TRIGGER screening_clearances_no_update_or_delete;

-- Down Migration
DROP TRIGGER IF EXISTS screening_clearances_no_update_or_delete ON screening_clearances;
CREATE TRIGGER screening_clearances_no_update_or_delete BEFORE UPDATE OR DELETE ON screening_clearances
  FOR EACH ROW EXECUTE FUNCTION refuse_change('Clearances are kept: a changed list record is screened again by its new hash.');
DROP TRIGGER IF EXISTS aml_case_events_no_update_or_delete ON aml_case_events;
CREATE TRIGGER aml_case_events_no_update_or_delete BEFORE UPDATE OR DELETE ON aml_case_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change('The case history is kept: record a new event instead.');
DROP TRIGGER IF EXISTS aml_alert_events_no_update_or_delete ON aml_alert_events;
CREATE TRIGGER aml_alert_events_no_update_or_delete BEFORE UPDATE OR DELETE ON aml_alert_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change('The alert history is kept: record a new event instead.');
DROP TABLE IF EXISTS retention_rules;
DROP INDEX IF EXISTS users_relationship_ended_idx;
ALTER TABLE users DROP COLUMN IF EXISTS personal_data_erased_at;
