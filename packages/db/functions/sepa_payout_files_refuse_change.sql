-- BEFORE UPDATE, DELETE and TRUNCATE on sepa_payout_files: an exported file is never changed.
CREATE OR REPLACE FUNCTION sepa_payout_files_refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'sepa_payout_files is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Export a new file instead.';
END;
$$;
