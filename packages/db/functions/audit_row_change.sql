-- Row-level UPDATE and DELETE on the sensitive tables become audit events, whoever makes them:
-- the application, a job, or an operator in psql. Trigger arguments name columns whose change
-- alone is not worth an event (for example a session's last activity time). Row images carry no
-- secrets (audit_redact) and no personal data (audit_strip_personal): the chain can never be edited.
CREATE OR REPLACE FUNCTION audit_row_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  before_image jsonb := to_jsonb(OLD);
  after_image  jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(NEW) END;
  changed      text[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT coalesce(array_agg(n.key ORDER BY n.key), '{}') INTO changed
      FROM jsonb_each(after_image) n
     WHERE n.value IS DISTINCT FROM before_image -> n.key
       -- TG_ARGV is NULL, not empty, when the trigger has no arguments.
       AND NOT (n.key = ANY (coalesce(TG_ARGV, '{}'::text[])));
    IF cardinality(changed) = 0 THEN
      RETURN NULL;
    END IF;
  END IF;
  INSERT INTO audit_log (action, resource_type, resource_id, details)
  VALUES (TG_OP, TG_TABLE_NAME, before_image ->> 'id',
          jsonb_build_object(
            'before', audit_strip_personal(audit_redact(before_image), TG_TABLE_NAME),
            'after', audit_strip_personal(audit_redact(after_image), TG_TABLE_NAME),
            'changed', to_jsonb(changed),
            'db_user', session_user,
            'application_name', current_setting('application_name', true)));
  RETURN NULL;
END;
$$;
