-- Why a customer may not move money now, or NULL when they may: erased or deleted by an operator
-- (deleted_at), frozen by AML screening (aml_frozen_at, set on a sanctions match), or not (or no
-- longer) verified (kyc_status other than 'approved', 'rejected' being the runbooks' block). The
-- one definition of "blocked": the containment trigger on users (users_contain_blocked), payout
-- start and send, the SEPA export and the bank import all ask it. Pure, so it inlines.
CREATE OR REPLACE FUNCTION customer_block_reason(p_kyc_status text, p_deleted_at timestamptz, p_aml_frozen_at timestamptz)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
  SELECT CASE
    WHEN p_deleted_at IS NOT NULL THEN 'deleted'
    WHEN p_aml_frozen_at IS NOT NULL THEN 'aml_frozen'
    WHEN p_kyc_status IS DISTINCT FROM 'approved' THEN 'kyc_' || coalesce(p_kyc_status, 'unknown')
  END
$$;
