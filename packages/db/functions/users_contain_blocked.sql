-- AFTER UPDATE on users, when a change leaves the customer blocked (customer_block_reason): their
-- transfers in flight are held at once, in the same transaction, whoever made the change: KYC
-- review, AML screening (aml_frozen_at), staff, or an operator pasting the runbook's
-- `UPDATE users SET kyc_status = 'rejected' …` or `SET deleted_at = NOW()` into psql.
CREATE OR REPLACE FUNCTION users_contain_blocked() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM hold_customer_transfers(
    NEW.id,
    format('customer blocked (%s)', customer_block_reason(NEW.kyc_status, NEW.deleted_at, NEW.aml_frozen_at)));
  RETURN NULL;
END;
$$;
