-- BEFORE UPDATE on aml_rules: a change to what a rule does (enabled, severity, action, params,
-- description) keeps the version it replaces in aml_rule_versions and bumps `version`, whoever
-- makes it (the application or SQL by hand). The code and the version are not set by hand.
CREATE OR REPLACE FUNCTION aml_rules_version() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW.code <> OLD.code OR NEW.version <> OLD.version THEN
    RAISE EXCEPTION 'the code and version of rule % are not changed by hand', OLD.code USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.enabled, NEW.severity, NEW.action, NEW.params, NEW.description)
     IS NOT DISTINCT FROM (OLD.enabled, OLD.severity, OLD.action, OLD.params, OLD.description) THEN
    RETURN NEW;
  END IF;
  INSERT INTO aml_rule_versions (code, version, enabled, severity, action, params, description, valid_from, valid_to,
                                 updated_by, update_reason)
  VALUES (OLD.code, OLD.version, OLD.enabled, OLD.severity, OLD.action, OLD.params, OLD.description, OLD.updated_at, now(),
          OLD.updated_by, OLD.update_reason);
  NEW.version := OLD.version + 1;
  NEW.updated_at := now();
  -- A writer that did not say who it is (psql) is named like the audit log names it.
  IF NEW.updated_by IS NOT DISTINCT FROM OLD.updated_by THEN
    NEW.updated_by := coalesce(nullif(current_setting('drop.actor', true), ''), 'db:' || session_user);
    NEW.update_reason := nullif(current_setting('drop.reason', true), '');
  END IF;
  RETURN NEW;
END;
$$;
