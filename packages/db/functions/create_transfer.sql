-- Creates a transfer from a quote, in one call: the whole check-and-write happens under the
-- customer's row lock, so concurrent requests of one customer (same key or not) run one at a time
-- and limits hold; other customers are not blocked. Stores the KID the application issued (p_kid:
-- no transfer without one). Returns the response to send and whether it is a replay of an
-- earlier request with the same idempotency key. The AML decision (aml_assess_transfer: the
-- parties' screening matches in p_screening, a frozen customer, the monitoring rules) is taken on
-- the new row before the response is built, so a held transfer answers `held`. The ledger posting
-- comes last (see the comment there). With p_session_id (a customer's request), the session is
-- checked right after the customer's lock (customer_session_verdict), before the replay of an earlier answer: a request
-- whose session is not live gets UNAUTHENTICATED and writes nothing (the API then finds out why
-- and answers 401), in the same round trip as the transfer when it is.
CREATE OR REPLACE FUNCTION create_transfer(
  p_user_id text, p_idempotency_key text, p_request_hash bytea, p_transaction_id text,
  p_quote_id text, p_recipient_id text, p_limits bigint[], p_edd_threshold bigint, p_shard smallint,
  p_kid text, p_screening jsonb DEFAULT '[]'::jsonb, p_session_id text DEFAULT NULL, p_idle_seconds double precision DEFAULT NULL
) RETURNS TABLE (replayed boolean, response_status smallint, response_body jsonb)
LANGUAGE plpgsql
AS $$
DECLARE
  customer record;
  previous record;
  q record;
  r recipients;
  tx transactions;
  bank_account bigint;
  customer_account bigint;
  body jsonb;
  actor_setting text;
  assessment jsonb;
BEGIN
  -- The transfer's timeline names the customer as the one who created it.
  -- Assignments, not PERFORM: a call in an assignment is a plain expression, PERFORM a statement.
  actor_setting := set_config('drop.actor', p_user_id, true);
  SELECT kyc_status, kyc_tier, deleted_at IS NOT NULL AS deleted, source_of_funds_declared_at IS NOT NULL AS edd
    INTO customer FROM users WHERE id = p_user_id FOR NO KEY UPDATE;
  IF NOT FOUND OR customer.deleted THEN
    RAISE EXCEPTION 'NOT_FOUND' USING ERRCODE = 'DR001', DETAIL = '{"message": "No such customer."}';
  END IF;
  -- The session, after the customer's lock (the lock order of customer_session_verdict).
  IF p_session_id IS NOT NULL AND customer_session_verdict(p_session_id, p_user_id, p_idle_seconds) <> 'ok' THEN
    RAISE EXCEPTION 'UNAUTHENTICATED' USING ERRCODE = 'DR001', DETAIL = '{"message": "Your session has ended. Sign in again."}';
  END IF;

  -- After the lock, so a concurrent request with the same key has committed and is seen here.
  SELECT k.request_hash, k.response_status, k.response_body INTO previous
    FROM idempotency_keys k WHERE k.user_id = p_user_id AND k.key = p_idempotency_key;
  IF FOUND THEN
    IF previous.request_hash <> p_request_hash THEN
      RAISE EXCEPTION 'IDEMPOTENCY_KEY_REUSED' USING ERRCODE = 'DR001',
        DETAIL = '{"message": "This Idempotency-Key was already used for a different request."}';
    END IF;
    RETURN QUERY SELECT true, previous.response_status, previous.response_body;
    RETURN;
  END IF;

  IF customer.kyc_status <> 'approved' THEN
    RAISE EXCEPTION 'KYC_REQUIRED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'kycStatus', customer.kyc_status, 'message', 'Verify your identity before sending money.')::text;
  END IF;

  -- Whether a transfer already used the quote, and the currencies' decimals the answer formats
  -- its amounts with, read with it: one statement, not three.
  SELECT quotes.*, EXISTS (SELECT 1 FROM transactions t WHERE t.quote_id = p_quote_id) AS used,
         (SELECT c.decimals FROM currencies c WHERE c.code = quotes.send_currency) AS send_places,
         (SELECT c.decimals FROM currencies c WHERE c.code = quotes.receive_currency) AS receive_places
    INTO q FROM quotes WHERE id = p_quote_id AND user_id = p_user_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'QUOTE_NOT_FOUND' USING ERRCODE = 'DR001', DETAIL = '{"message": "No such quote."}';
  END IF;
  IF q.expires_at <= now() THEN
    RAISE EXCEPTION 'QUOTE_EXPIRED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'expiredAt', q.expires_at, 'message', 'This quote has expired. Get a new quote.')::text;
  END IF;
  IF q.used THEN
    RAISE EXCEPTION 'QUOTE_USED' USING ERRCODE = 'DR001', DETAIL = '{"message": "This quote was already used for a transfer."}';
  END IF;

  -- FOR KEY SHARE: a recipient being edited or removed (FOR UPDATE) is waited for, then seen as gone.
  SELECT * INTO r FROM recipients WHERE id = p_recipient_id AND user_id = p_user_id AND deleted_at IS NULL FOR KEY SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'RECIPIENT_NOT_FOUND' USING ERRCODE = 'DR001', DETAIL = '{"message": "No such recipient."}';
  END IF;
  IF r.country <> q.country OR r.currency <> q.receive_currency THEN
    RAISE EXCEPTION 'RECIPIENT_MISMATCH' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'recipient', jsonb_build_object('country', r.country, 'currency', r.currency),
      'quote', jsonb_build_object('country', q.country, 'currency', q.receive_currency),
      'message', 'The recipient does not receive in the quoted country and currency.')::text;
  END IF;

  PERFORM check_transfer_limits(p_user_id, customer.kyc_tier, customer.edd, q.send_amount_minor, p_limits, p_edd_threshold);

  INSERT INTO transactions (id, user_id, type, status, send_amount_minor, send_currency, fee_minor,
                            receive_amount_minor, receive_currency, fx_rate, quote_id, recipient_id, ledger_shard, kid)
  VALUES (p_transaction_id, p_user_id, 'transfer', 'awaiting_funds', q.send_amount_minor, 'NOK', q.fee_minor,
          q.receive_amount_minor, q.receive_currency, q.rate, q.id, r.id, p_shard, p_kid)
  RETURNING * INTO tx;

  assessment := aml_assess_transfer(p_transaction_id, coalesce(p_screening, '[]'::jsonb));

  -- The answer from the rows in hand (transfer_json_of: no lookups). The AML decision changes the
  -- transfer's row only when it holds it (status, held_from, updated_at): then it is read again.
  IF assessment ->> 'decision' = 'hold' THEN
    body := jsonb_build_object('data', transfer_json(p_transaction_id));
  ELSE
    body := jsonb_build_object('data', transfer_json_of(tx, r, q.expires_at, q.send_places, q.receive_places));
  END IF;
  INSERT INTO idempotency_keys (user_id, key, request_hash, transaction_id, response_status, response_body)
  VALUES (p_user_id, p_idempotency_key, p_request_hash, p_transaction_id, 201, body);

  -- The pay-in the customer owes: reserved now, posted when the money arrives, voided on cancel.
  -- Last: it locks the customer's funds account until commit. The bank shard's row is not updated
  -- (ledger_post defers a pending debit of the bank, which its limit does not count; the posting's
  -- foreign key takes only a KEY SHARE lock, which no other transfer waits on), so one shard no
  -- longer serialises every transfer on the previous one's COMMIT.
  bank_account := ledger_system_account('bank', 'NOK', p_shard);
  customer_account := ledger_customer_account(p_user_id, 'NOK');
  PERFORM ledger_post(p_transaction_id, jsonb_build_array(jsonb_build_object(
    'kind', 'pending', 'code', 'payin', 'debit', bank_account, 'credit', customer_account,
    'amount', q.send_amount_minor, 'currency', 'NOK')));
  RETURN QUERY SELECT false, 201::smallint, body;
END;
$$;
