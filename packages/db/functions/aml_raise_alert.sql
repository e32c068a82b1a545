-- Writes one alert unless its window already has one (dedup_key: rule, subject and window).
-- Returns the new alert's id, or NULL when the window's alert exists. The existence check first
-- keeps the common case (already alerted) to one index probe; ON CONFLICT covers the race.
CREATE OR REPLACE FUNCTION aml_raise_alert(
  p_user_id text, p_transaction_id text, p_rule text, p_rule_version integer, p_severity text, p_action text,
  p_subject_type text, p_subject_id text, p_dedup_key text, p_screening_match_id text, p_facts jsonb, p_summary text
) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  alert_id text;
BEGIN
  IF EXISTS (SELECT 1 FROM aml_alerts WHERE dedup_key = p_dedup_key) THEN
    RETURN NULL;
  END IF;
  INSERT INTO aml_alerts (id, user_id, transaction_id, rule, rule_version, severity, subject_type, subject_id, dedup_key,
                          screening_match_id, details)
  VALUES (aml_new_id('alert'), p_user_id, p_transaction_id, p_rule, p_rule_version, p_severity, p_subject_type, p_subject_id,
          p_dedup_key, p_screening_match_id,
          jsonb_build_object('facts', p_facts, 'action', p_action, 'summary', p_summary))
  ON CONFLICT (dedup_key) DO NOTHING
  RETURNING id INTO alert_id;
  RETURN alert_id;
END;
$$;
