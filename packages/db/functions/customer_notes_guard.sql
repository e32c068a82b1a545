-- BEFORE UPDATE OR DELETE on customer_notes: a note is never changed or removed, except that the
-- retention job deletes the notes of a former customer whose personal data it has erased
-- (users.personal_data_erased_at): the database, not the caller, decides when. The argument is the hint.
CREATE OR REPLACE FUNCTION customer_notes_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND EXISTS (SELECT 1 FROM users u WHERE u.id = OLD.user_id AND u.personal_data_erased_at IS NOT NULL) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = TG_ARGV[0];
END;
$$;
