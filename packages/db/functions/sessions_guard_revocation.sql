-- A revoked session stays revoked, whatever statement tries otherwise; revoking stamps the time.
CREATE OR REPLACE FUNCTION sessions_guard_revocation() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF OLD.revoked = 1 AND NEW.revoked = 0 THEN
    RAISE EXCEPTION 'session % is revoked and cannot be reinstated', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.revoked = 0 AND NEW.revoked = 1 THEN
    NEW.revoked_at := coalesce(NEW.revoked_at, now());
    NEW.revoked_reason := coalesce(NEW.revoked_reason, 'revoked by ' || coalesce(nullif(current_setting('drop.actor', true), ''), 'db:' || session_user));
  END IF;
  RETURN NEW;
END;
$$;
