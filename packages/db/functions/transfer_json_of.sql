-- The API's view of a transfer, from rows the caller already holds: the one place its shape is
-- written. transfer_json(id) looks the rows up and passes them; create_transfer passes the
-- transfer it has just inserted, the recipient it locked and what it read with the quote, so a
-- new transfer's answer costs no statement of its own (each statement pays its executor start-up;
-- in `npm run bench:transfers`, transfer_json's lookups were ~5% of the database's time per
-- transfer).
--   t: a transactions row; p_recipient: a recipients row, or NULL (a refund has none);
--   p_pay_by: the quote's expiry (NULL without a quote); the places: the send and receive
--   currencies' decimals (currencies.decimals).
-- The rows are typed anyelement and anycompatible, not transactions and recipients: function files
-- are created before the migrations, when those tables may not exist yet, and a signature cannot
-- name a type that does not exist (a body is bound at the call). SQL and one expression, so the
-- planner inlines it into the caller's query or PL/pgSQL expression.
CREATE OR REPLACE FUNCTION transfer_json_of(
  t anyelement, p_recipient anycompatible, p_pay_by timestamptz, p_send_places smallint, p_receive_places smallint
) RETURNS jsonb
LANGUAGE sql STABLE
AS $$
  SELECT jsonb_build_object(
    'id', t.id,
    -- What a person reads aloud and types (DRP-7K3-92QX), beside the internal id.
    'reference', t.reference,
    'status', t.status,
    'send', jsonb_build_object('amount', format_minor_places(t.send_amount_minor, p_send_places), 'currency', t.send_currency),
    'fee', jsonb_build_object('amount', format_minor_places(t.fee_minor, p_send_places), 'currency', t.send_currency),
    'converted', jsonb_build_object('amount', format_minor_places(t.send_amount_minor - t.fee_minor, p_send_places), 'currency', t.send_currency),
    'receive', jsonb_build_object('amount', format_minor_places(t.receive_amount_minor, p_receive_places), 'currency', t.receive_currency),
    'rate', to_char(t.fx_rate, 'FM999999999990.0000000000'),
    'quoteId', t.quote_id,
    -- What the customer's bank payment must carry, and until when the quote's rate holds.
    'kid', t.kid,
    'payBy', to_char(p_pay_by AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'recipient', CASE WHEN (p_recipient).id IS NULL THEN NULL ELSE
      jsonb_build_object('id', (p_recipient).id, 'name', (p_recipient).name, 'country', (p_recipient).country,
                         'currency', (p_recipient).currency, 'display', (p_recipient).display) END,
    'failureReason', t.failure_reason,
    'createdAt', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updatedAt', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
$$;
