-- The API's view of a transfer by its id, for replays and reads: looks up the rows
-- transfer_json_of (where the shape is written) needs (PL/pgSQL for its cached plan, as
-- format_minor). The currencies' decimals are joined here, once each, rather than looked up by
-- format_minor for each of the four amounts (a query per call).
CREATE OR REPLACE FUNCTION transfer_json(p_id text) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN (
    SELECT transfer_json_of(t, r, q.expires_at, sc.decimals, sc.receive_decimals)
    FROM transactions t LEFT JOIN recipients r ON r.id = t.recipient_id LEFT JOIN quotes q ON q.id = t.quote_id
         -- Two primary-key lookups, once each (OFFSET 0 keeps the subquery whole): as joins the
         -- planner hashes the whole currencies table on every call.
         CROSS JOIN LATERAL (SELECT (SELECT c.decimals FROM currencies c WHERE c.code = t.send_currency) AS decimals,
                                    (SELECT c.decimals FROM currencies c WHERE c.code = t.receive_currency) AS receive_decimals
                             OFFSET 0) sc
    WHERE t.id = p_id);
END;
$$;
