-- Records one subject's current screening matches (those at or above the alert threshold, as
-- the screening found them) and acts on them. Returns 'hold', 'edd' or 'clear'.
--   * A match staff cleared for this subject with the same record hash is ignored; a changed
--     record (new hash) is a new finding and opens the match again.
--   * Every other match is kept in screening_matches (one row per subject and list record).
--   * A sanctions match raises a critical alert (rule sanctions_match) and freezes the customer
--     (users.aml_frozen_at): their further transfers are held at creation.
--   * A PEP or close associate asks for enhanced due diligence (users.edd_required_at,
--     edd_reason) with a medium alert (rule pep_match), and blocks nothing.
-- p_user_id is the customer concerned (the subject, or the customer whose recipient it is);
-- p_transaction_id the transfer being made, NULL at KYC, on a new recipient or in continuous
-- screening. Each match: {list, key, recordHash, score, topics, name, matchedName, queryName,
-- explanation}.
CREATE OR REPLACE FUNCTION aml_record_screening(
  p_user_id text, p_subject_type text, p_subject_id text, p_transaction_id text, p_matches jsonb
) RETURNS text
LANGUAGE plpgsql
AS $$
DECLARE
  m jsonb;
  topics text[];
  is_sanction boolean;
  match_id text;
  rule record;
  verdict text := 'clear';
  facts jsonb;
BEGIN
  IF p_subject_type NOT IN ('customer', 'recipient') THEN
    RAISE EXCEPTION 'subject type % is not customer or recipient', p_subject_type USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF jsonb_typeof(p_matches) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'the matches must be a JSON array' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOR m IN SELECT value FROM jsonb_array_elements(p_matches) LOOP
    IF m ->> 'list' IS NULL OR m ->> 'key' IS NULL OR m ->> 'recordHash' IS NULL OR m ->> 'name' IS NULL
       OR jsonb_typeof(m -> 'score') IS DISTINCT FROM 'number' THEN
      RAISE EXCEPTION 'a screening match needs list, key, recordHash, name and a numeric score: %', m
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    topics := ARRAY(SELECT jsonb_array_elements_text(coalesce(m -> 'topics', '[]')));
    is_sanction := 'sanction' = ANY (topics);
    IF NOT is_sanction AND NOT topics && ARRAY['pep', 'rca'] THEN
      CONTINUE;
    END IF;
    IF EXISTS (SELECT 1 FROM screening_clearances c
                WHERE c.subject_type = p_subject_type AND c.subject_id = p_subject_id AND c.list = m ->> 'list'
                  AND c.record_key = m ->> 'key' AND c.record_hash = m ->> 'recordHash') THEN
      CONTINUE;
    END IF;

    INSERT INTO screening_matches AS s (id, user_id, subject_type, subject_id, list, record_key, record_hash, score, topics,
                                        name, matched_name, query_name, explanation, transaction_id)
    VALUES (aml_new_id('scm'), p_user_id, p_subject_type, p_subject_id, m ->> 'list', m ->> 'key', m ->> 'recordHash',
            (m ->> 'score')::numeric, topics, m ->> 'name', m ->> 'matchedName', m ->> 'queryName',
            coalesce(m -> 'explanation', '{}'::jsonb), p_transaction_id)
    ON CONFLICT (subject_type, subject_id, list, record_key) DO UPDATE
      SET record_hash = EXCLUDED.record_hash, score = EXCLUDED.score, topics = EXCLUDED.topics, name = EXCLUDED.name,
          matched_name = EXCLUDED.matched_name, query_name = EXCLUDED.query_name, explanation = EXCLUDED.explanation,
          transaction_id = coalesce(EXCLUDED.transaction_id, s.transaction_id),
          -- Cleared for an older version of the record: this one is a new finding.
          status = CASE WHEN s.status = 'cleared' AND s.record_hash <> EXCLUDED.record_hash THEN 'open' ELSE s.status END
    RETURNING id INTO match_id;

    SELECT code, version, enabled, severity, action, params INTO rule
      FROM aml_rules WHERE code = CASE WHEN is_sanction THEN 'sanctions_match' ELSE 'pep_match' END;
    IF NOT FOUND OR NOT rule.enabled OR (m ->> 'score')::numeric < coalesce((rule.params ->> 'minScore')::numeric, 0) THEN
      CONTINUE;
    END IF;
    facts := jsonb_build_object('list', m ->> 'list', 'key', m ->> 'key', 'recordHash', m ->> 'recordHash',
                                'score', m -> 'score', 'topics', to_jsonb(topics), 'name', m ->> 'name',
                                'matchedName', m ->> 'matchedName', 'queryName', m ->> 'queryName',
                                'subjectType', p_subject_type, 'subjectId', p_subject_id);
    -- One alert per subject and version of the list record, and one more per transfer it holds:
    -- each held transfer is a decision of its own for the reviewer (release or stop).
    PERFORM aml_raise_alert(p_user_id, p_transaction_id, rule.code, rule.version, rule.severity, rule.action,
                            p_subject_type, p_subject_id,
                            concat_ws(':', rule.code, p_subject_type, p_subject_id, m ->> 'list', m ->> 'key', m ->> 'recordHash',
                                      p_transaction_id),
                            match_id, facts,
                            format('%s %s matches %s on %s (%s, score %s)', p_subject_type, coalesce(m ->> 'queryName', p_subject_id),
                                   m ->> 'name', m ->> 'list', m ->> 'key', m ->> 'score'));
    IF is_sanction THEN
      IF rule.action = 'hold' THEN
        verdict := 'hold';
        UPDATE users SET aml_frozen_at = now(),
                         aml_frozen_reason = format('sanctions match: %s %s on %s:%s', p_subject_type, p_subject_id, m ->> 'list', m ->> 'key')
         WHERE id = p_user_id AND aml_frozen_at IS NULL;
      END IF;
    ELSE
      IF rule.action = 'hold' THEN
        verdict := 'hold';
      ELSIF verdict = 'clear' THEN
        verdict := 'edd';
      END IF;
      UPDATE users SET edd_required_at = now(),
                       edd_reason = format('PEP match: %s %s is %s on %s:%s', p_subject_type, p_subject_id, m ->> 'name', m ->> 'list', m ->> 'key')
       WHERE id = p_user_id AND edd_required_at IS NULL;
    END IF;
  END LOOP;
  RETURN verdict;
END;
$$;
