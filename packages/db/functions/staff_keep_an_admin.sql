-- BEFORE UPDATE OF role, disabled_at, enrolled_at ON staff: refuses the change that would leave
-- Drop without an active admin (enabled and enrolled), raising LAST_ADMIN. An advisory lock makes
-- two admins who disable each other at the same moment take turns, so the second sees the first's change.
CREATE OR REPLACE FUNCTION staff_keep_an_admin() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF OLD.role = 'admin' AND OLD.disabled_at IS NULL AND OLD.enrolled_at IS NOT NULL
     AND NOT (NEW.role = 'admin' AND NEW.disabled_at IS NULL AND NEW.enrolled_at IS NOT NULL) THEN
    PERFORM pg_advisory_xact_lock(hashtext('staff_keep_an_admin'));
    IF NOT EXISTS (SELECT 1 FROM staff s WHERE s.id <> OLD.id AND s.role = 'admin' AND s.disabled_at IS NULL
                      AND s.enrolled_at IS NOT NULL) THEN
      RAISE EXCEPTION 'LAST_ADMIN' USING ERRCODE = 'DR001',
        DETAIL = jsonb_build_object('message', 'Drop must keep at least one active admin.')::text;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
