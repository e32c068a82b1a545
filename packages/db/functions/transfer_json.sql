-- The API's view of a transfer, built in one place for create responses, replays and reads
-- (PL/pgSQL for its cached plan, as format_minor), with the KID the customer's bank payment must
-- carry and the time the quote's rate holds until. The currencies' decimals are joined here, once
-- each, rather than looked up by format_minor for each of the four amounts (a query per call).
CREATE OR REPLACE FUNCTION transfer_json(p_id text) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN (
    SELECT jsonb_build_object(
      'id', t.id,
      -- What a person reads aloud and types (DRP-7K3-92QX), beside the internal id.
      'reference', t.reference,
      'status', t.status,
      'send', jsonb_build_object('amount', format_minor_places(t.send_amount_minor, sc.decimals), 'currency', t.send_currency),
      'fee', jsonb_build_object('amount', format_minor_places(t.fee_minor, sc.decimals), 'currency', t.send_currency),
      'converted', jsonb_build_object('amount', format_minor_places(t.send_amount_minor - t.fee_minor, sc.decimals), 'currency', t.send_currency),
      'receive', jsonb_build_object('amount', format_minor_places(t.receive_amount_minor, sc.receive_decimals), 'currency', t.receive_currency),
      'rate', to_char(t.fx_rate, 'FM999999999990.0000000000'),
      'quoteId', t.quote_id,
      -- What the customer's bank payment must carry, and until when the quote's rate holds.
      'kid', t.kid,
      'payBy', to_char(q.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'recipient', CASE WHEN r.id IS NULL THEN NULL ELSE
        jsonb_build_object('id', r.id, 'name', r.name, 'country', r.country, 'currency', r.currency, 'display', r.display) END,
      'failureReason', t.failure_reason,
      'createdAt', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'updatedAt', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM transactions t LEFT JOIN recipients r ON r.id = t.recipient_id LEFT JOIN quotes q ON q.id = t.quote_id
         -- Two primary-key lookups, once each (OFFSET 0 keeps the subquery whole): as joins the
         -- planner hashes the whole currencies table on every call.
         CROSS JOIN LATERAL (SELECT (SELECT c.decimals FROM currencies c WHERE c.code = t.send_currency) AS decimals,
                                    (SELECT c.decimals FROM currencies c WHERE c.code = t.receive_currency) AS receive_decimals
                             OFFSET 0) sc
    WHERE t.id = p_id);
END;
$$;
