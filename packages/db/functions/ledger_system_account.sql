-- The shared account for a purpose, currency and shard, created on first use. The bank account
-- (an asset: money in Drop's client account) may never be credited beyond what it was debited;
-- the suspense account (unidentified receipts, a liability) never debited beyond what it was
-- credited.
CREATE OR REPLACE FUNCTION ledger_system_account(p_purpose text, p_currency text, p_shard smallint) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  account_id bigint;
BEGIN
  SELECT id INTO account_id FROM ledger_accounts
   WHERE purpose = p_purpose AND currency = p_currency AND user_id IS NULL AND shard = p_shard;
  IF account_id IS NULL THEN
    INSERT INTO ledger_accounts (purpose, currency, shard, credits_must_not_exceed_debits, debits_must_not_exceed_credits)
    VALUES (p_purpose, p_currency, p_shard, p_purpose = 'bank', p_purpose = 'suspense')
    ON CONFLICT DO NOTHING;
    SELECT id INTO account_id FROM ledger_accounts
     WHERE purpose = p_purpose AND currency = p_currency AND user_id IS NULL AND shard = p_shard;
  END IF;
  RETURN account_id;
END;
$$;
