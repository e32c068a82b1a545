-- A customer's funds held by Drop (a liability): never debited beyond what was credited.
CREATE OR REPLACE FUNCTION ledger_customer_account(p_user_id text, p_currency text) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  account_id bigint;
BEGIN
  SELECT id INTO account_id FROM ledger_accounts
   WHERE purpose = 'customer_funds' AND currency = p_currency AND user_id = p_user_id AND shard = 0;
  IF account_id IS NULL THEN
    INSERT INTO ledger_accounts (purpose, currency, user_id, debits_must_not_exceed_credits)
    VALUES ('customer_funds', p_currency, p_user_id, true)
    ON CONFLICT DO NOTHING;
    SELECT id INTO account_id FROM ledger_accounts
     WHERE purpose = 'customer_funds' AND currency = p_currency AND user_id = p_user_id AND shard = 0;
  END IF;
  RETURN account_id;
END;
$$;
