-- BEFORE UPDATE, DELETE and TRUNCATE on an append-only table (audit_log, ledger_transfers,
-- sepa_payout_files): refuses the change. The trigger's one argument is the hint, what to do
-- instead, e.g. EXECUTE FUNCTION refuse_change('Record a new event instead.').
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = TG_ARGV[0];
END;
$$;
