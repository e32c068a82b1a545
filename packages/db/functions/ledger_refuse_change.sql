-- BEFORE UPDATE, DELETE and TRUNCATE on ledger_transfers: postings are append-only.
CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'ledger_transfers is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Post a correcting transfer instead.';
END;
$$;
