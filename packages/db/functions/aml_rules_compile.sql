-- AFTER INSERT, UPDATE or DELETE on aml_rules (per statement): aml_rules_compiled.rules is the
-- rules as aml_assess_transfer reads them, code → {e: enabled, v: version, s: severity, a: action,
-- p: params}, written again after any change (the application's or SQL by hand).
CREATE OR REPLACE FUNCTION aml_rules_compile() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  INSERT INTO aml_rules_compiled (id, rules)
  SELECT true, coalesce(jsonb_object_agg(code, jsonb_build_object('e', enabled, 'v', version, 's', severity, 'a', action, 'p', params)),
                        '{}'::jsonb)
    FROM aml_rules
  ON CONFLICT (id) DO UPDATE SET rules = EXCLUDED.rules;
  RETURN NULL;
END;
$$;
