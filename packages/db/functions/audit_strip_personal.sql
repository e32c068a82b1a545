-- Keeps personal data out of the audit log's row images (issue 14): a customer's name, birth date,
-- email, addresses and accounts, their recipients' and payers' names and accounts, what a
-- screening match, an alert, a case or an STR says about them (staff notes name people too). The
-- audit log is append-only and hash-chained, so what goes in can never be erased; the row image
-- says the column changed ('changed' lists it) and which row (the id), and the table itself holds
-- the value until the retention job anonymises it. Applied after audit_redact (secrets and
-- national ids). Other tables keep their images.
CREATE OR REPLACE FUNCTION audit_strip_personal(image jsonb, table_name text) RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog
AS $$
  SELECT CASE WHEN image IS NULL THEN NULL ELSE coalesce(
    (SELECT jsonb_object_agg(key,
              CASE WHEN value <> 'null'::jsonb AND key = ANY (CASE table_name
                     WHEN 'users' THEN ARRAY['email', 'full_name', 'given_name', 'family_name', 'birth_date', 'bankid_sub', 'source_of_funds',
                                             'aml_frozen_reason', 'edd_reason']
                     WHEN 'sessions' THEN ARRAY['ip', 'user_agent']
                     WHEN 'recipients' THEN ARRAY['name', 'details', 'display']
                     WHEN 'bank_entries' THEN ARRAY['debtor_name', 'debtor_account', 'unstructured', 'refund_account']
                     WHEN 'customer_refunds' THEN ARRAY['to_account']
                     WHEN 'screening_matches' THEN ARRAY['name', 'matched_name', 'query_name']
                     WHEN 'kyc_applicants' THEN ARRAY['moderation_comment']
                     WHEN 'aml_alerts' THEN ARRAY['details', 'reviewer_notes']
                     WHEN 'aml_cases' THEN ARRAY['title', 'closing_notes']
                     WHEN 'str_reports' THEN ARRAY['details']
                     ELSE ARRAY[]::text[] END)
                   THEN to_jsonb('[personal]'::text)
                   ELSE value END)
       FROM jsonb_each(image)),
    '{}'::jsonb) END
$$;
