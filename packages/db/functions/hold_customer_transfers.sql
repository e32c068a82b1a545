-- Holds a customer's transfers whose money has not left Drop: awaiting funds, funds received, and
-- processing while the payout is still Drop's to stop (not yet accepted by the partner, nor in a
-- SEPA file). A processing transfer whose payout the partner already has is left to finish (its
-- webhook must still apply) and named in the audit event, so compliance can ask for a recall.
-- The timeline rows carry the caller's actor (drop.actor, else the database user) and p_reason;
-- the caller's own drop.reason is put back afterwards. Returns how many transfers it held.
CREATE OR REPLACE FUNCTION hold_customer_transfers(p_user_id text, p_reason text) RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  previous_reason text := current_setting('drop.reason', true);
  actor text := coalesce(nullif(current_setting('drop.actor', true), ''), 'db:' || session_user);
  held text[];
  already_at_partner text[];
BEGIN
  PERFORM set_config('drop.reason', p_reason, true);
  WITH stopped AS (
    UPDATE transactions t SET status = 'held'
     WHERE t.user_id = p_user_id AND t.type = 'transfer'
       AND (t.status IN ('awaiting_funds', 'funds_received')
            OR (t.status = 'processing'
                AND NOT EXISTS (SELECT 1 FROM payouts p
                                 WHERE p.transaction_id = t.id AND (p.state <> 'sending' OR p.sepa_file_id IS NOT NULL))))
    RETURNING t.id
  )
  SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO held FROM stopped;
  PERFORM set_config('drop.reason', coalesce(previous_reason, ''), true);

  SELECT coalesce(array_agg(t.id ORDER BY t.id), '{}') INTO already_at_partner
    FROM transactions t WHERE t.user_id = p_user_id AND t.type = 'transfer' AND t.status = 'processing';

  IF cardinality(held) > 0 OR cardinality(already_at_partner) > 0 THEN
    INSERT INTO audit_log (action, resource_type, resource_id, actor, details)
    VALUES ('customer_transfers_held', 'user', p_user_id, actor,
            jsonb_build_object('reason', p_reason, 'held', to_jsonb(held), 'payoutAlreadyAtPartner', to_jsonb(already_at_partner)));
  END IF;
  RETURN cardinality(held);
END;
$$;
