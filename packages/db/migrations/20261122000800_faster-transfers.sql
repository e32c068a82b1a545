-- Up Migration

-- A faster transfer path, from profiling `npm run bench:transfers` (perf on the PostgreSQL
-- backends plus auto_explain of the nested statements; see the issue 5 note).

-- ledger_post, second version. Same contract as before (see 0700); four changes:
--   1. Balances are updated *before* the postings are inserted. The postings' foreign keys take a
--      KEY SHARE lock on both accounts; taken after another transaction's UPDATE of a shared
--      account (a bank shard) and before our own, that lock turned the row's xmax into a
--      MultiXact, and every later read of those row versions paid for resolving it (11% of the
--      database's CPU in the profile). Updating first makes us wait for the row, then the foreign
--      key check finds it locked by ourselves and adds nothing.
--   2. Pending postings are looked up with OFFSET 0 in the LATERAL subquery: without it the
--      planner pulled the subquery up into a plain join and, with small-table statistics,
--      hash-joined the legs against a scan of every posting.
--   3. Balance limits are checked in the UPDATE's WHERE clause rather than by catching the CHECK
--      constraint's error (see the comment at the loop), and a second resolution of a pending
--      posting is refused with LEDGER_INVALID before anything moves.
--   4. Accounts are updated in descending id order, so the shared accounts come last.
CREATE OR REPLACE FUNCTION ledger_post(p_transaction_id text, p_legs jsonb) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  kinds text[];
  codes text[];
  pending_ids bigint[];
  debits bigint[];
  credits bigint[];
  amounts bigint[];
  leg_currencies text[];
  bad_pending bigint;
  bad_account text;
  ids bigint[];
  currencies_ text[];
  d_pending bigint[];
  d_posted bigint[];
  c_pending bigint[];
  c_posted bigint[];
  account ledger_accounts;
BEGIN
  -- The legs, resolutions completed from the pending posting they name. A resolution must name a
  -- pending posting not yet resolved (a concurrent second resolution is refused below, by the
  -- pending balance it would take negative, or by the unique pending_id).
  SELECT array_agg(l.kind), array_agg(l.code), array_agg(l.pending_id),
         array_agg(coalesce(p.debit_account_id, l.debit)), array_agg(coalesce(p.credit_account_id, l.credit)),
         array_agg(coalesce(p.amount, l.amount)), array_agg(coalesce(p.currency, l.currency)),
         min(l.pending_id) FILTER (WHERE l.kind IN ('post_pending', 'void_pending')
                                   AND (p.kind IS DISTINCT FROM 'pending' OR p.resolved)),
         min(format('Account %s or %s does not hold %s.', coalesce(p.debit_account_id, l.debit),
                    coalesce(p.credit_account_id, l.credit), coalesce(p.currency, l.currency)))
           FILTER (WHERE NOT (a.debit_ok AND a.credit_ok))
    INTO kinds, codes, pending_ids, debits, credits, amounts, leg_currencies, bad_pending, bad_account
    FROM jsonb_to_recordset(p_legs) AS l(kind text, code text, pending_id bigint, debit bigint, credit bigint, amount bigint, currency text)
    LEFT JOIN LATERAL (
      SELECT lt.kind, lt.debit_account_id, lt.credit_account_id, lt.amount, lt.currency,
             EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = lt.id) AS resolved
        FROM ledger_transfers lt WHERE lt.id = l.pending_id OFFSET 0
    ) p ON true
    -- Both accounts exist and hold the leg's currency (scalar subqueries: always primary-key lookups).
    CROSS JOIN LATERAL (
      SELECT coalesce((SELECT da.currency = coalesce(p.currency, l.currency) FROM ledger_accounts da
                        WHERE da.id = coalesce(p.debit_account_id, l.debit)), false) AS debit_ok,
             coalesce((SELECT ca.currency = coalesce(p.currency, l.currency) FROM ledger_accounts ca
                        WHERE ca.id = coalesce(p.credit_account_id, l.credit)), false) AS credit_ok
    ) a;
  IF bad_pending IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('message', format('Posting %s is not an unresolved pending posting.', bad_pending))::text;
  END IF;
  IF bad_account IS NOT NULL THEN
    RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object('message', bad_account)::text;
  END IF;

  -- What each account's four balances move by, in descending account id: one global order, so
  -- two posters never wait on each other in a cycle. Descending because the shared accounts (bank
  -- shards, fees, FX) are created first and so have the lowest ids: they are locked last and held
  -- for the shortest time, which is what bounds throughput on a hot account.
  SELECT array_agg(account_id ORDER BY account_id DESC), array_agg(currency ORDER BY account_id DESC),
         array_agg(dp ORDER BY account_id DESC), array_agg(dpo ORDER BY account_id DESC),
         array_agg(cp ORDER BY account_id DESC), array_agg(cpo ORDER BY account_id DESC)
    INTO ids, currencies_, d_pending, d_posted, c_pending, c_posted
    FROM (
      SELECT m.account_id, m.currency, sum(m.dp)::bigint AS dp, sum(m.dpo)::bigint AS dpo,
             sum(m.cp)::bigint AS cp, sum(m.cpo)::bigint AS cpo
        FROM unnest(kinds, debits, credits, amounts, leg_currencies) AS leg(kind, debit, credit, amount, currency)
        CROSS JOIN LATERAL (
          SELECT CASE leg.kind WHEN 'pending' THEN leg.amount WHEN 'posted' THEN 0 ELSE -leg.amount END AS pending_delta,
                 CASE WHEN leg.kind IN ('posted', 'post_pending') THEN leg.amount ELSE 0 END AS posted_delta
        ) d
        CROSS JOIN LATERAL (VALUES
          (leg.debit, leg.currency, d.pending_delta, d.posted_delta, 0::bigint, 0::bigint),
          (leg.credit, leg.currency, 0::bigint, 0::bigint, d.pending_delta, d.posted_delta)
        ) AS m(account_id, currency, dp, dpo, cp, cpo)
       GROUP BY m.account_id, m.currency
    ) deltas;

  -- Balance limits (and non-negative pending balances) are checked in the UPDATE's own WHERE
  -- clause; the CHECK constraints stay as the backstop. Catching the constraint's error instead
  -- would open a subtransaction per account, and every UPDATE in one gets its own transaction id,
  -- which every later reader of the row then has to map back to its parent through pg_subtrans.
  FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
    UPDATE ledger_accounts
       SET debits_pending = debits_pending + d_pending[i], debits_posted = debits_posted + d_posted[i],
           credits_pending = credits_pending + c_pending[i], credits_posted = credits_posted + c_posted[i]
     WHERE id = ids[i] AND currency = currencies_[i]
       AND debits_pending + d_pending[i] >= 0 AND credits_pending + c_pending[i] >= 0
       AND (NOT debits_must_not_exceed_credits
            OR debits_pending + d_pending[i] + debits_posted + d_posted[i] <= credits_posted + c_posted[i])
       AND (NOT credits_must_not_exceed_debits
            OR credits_pending + c_pending[i] + credits_posted + c_posted[i] <= debits_posted + d_posted[i]);
    IF NOT FOUND THEN
      SELECT * INTO account FROM ledger_accounts WHERE id = ids[i] AND currency = currencies_[i];
      IF NOT FOUND THEN
        RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
          DETAIL = jsonb_build_object('message', format('Account %s does not hold %s.', ids[i], currencies_[i]))::text;
      END IF;
      IF account.debits_pending + d_pending[i] < 0 OR account.credits_pending + c_pending[i] < 0 THEN
        RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
          DETAIL = jsonb_build_object('message', 'A pending posting was resolved twice.')::text;
      END IF;
      RAISE EXCEPTION 'INSUFFICIENT_FUNDS' USING ERRCODE = 'DR001',
        DETAIL = jsonb_build_object('account', ids[i], 'message', 'The ledger account would exceed its balance limit.')::text;
    END IF;
  END LOOP;

  INSERT INTO ledger_transfers (transaction_id, code, kind, pending_id, debit_account_id, credit_account_id, amount, currency)
  SELECT p_transaction_id, leg.code, leg.kind, leg.pending_id, leg.debit, leg.credit, leg.amount, leg.currency
    FROM unnest(codes, kinds, pending_ids, debits, credits, amounts, leg_currencies)
         WITH ORDINALITY AS leg(code, kind, pending_id, debit, credit, amount, currency, n)
   ORDER BY leg.n;
END;
$$;

-- create_transfer, second version: the same checks and writes, with the ledger posting moved to the
-- end (see the comment there).
CREATE OR REPLACE FUNCTION create_transfer(
  p_user_id text, p_idempotency_key text, p_request_hash bytea, p_transaction_id text,
  p_quote_id text, p_recipient_id text, p_limits bigint[], p_edd_threshold bigint, p_shard smallint
) RETURNS TABLE (replayed boolean, response_status smallint, response_body jsonb)
LANGUAGE plpgsql
AS $$
DECLARE
  customer record;
  previous record;
  q record;
  r record;
  bank_account bigint;
  customer_account bigint;
  body jsonb;
BEGIN
  -- The transfer's timeline names the customer as the one who created it.
  PERFORM set_config('drop.actor', p_user_id, true);
  SELECT kyc_status, kyc_tier, deleted_at IS NOT NULL AS deleted, source_of_funds_declared_at IS NOT NULL AS edd
    INTO customer FROM users WHERE id = p_user_id FOR NO KEY UPDATE;
  IF NOT FOUND OR customer.deleted THEN
    RAISE EXCEPTION 'NOT_FOUND' USING ERRCODE = 'DR001', DETAIL = '{"message": "No such customer."}';
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

  SELECT * INTO q FROM quotes WHERE id = p_quote_id AND user_id = p_user_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'QUOTE_NOT_FOUND' USING ERRCODE = 'DR001', DETAIL = '{"message": "No such quote."}';
  END IF;
  IF q.expires_at <= now() THEN
    RAISE EXCEPTION 'QUOTE_EXPIRED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'expiredAt', q.expires_at, 'message', 'This quote has expired. Get a new quote.')::text;
  END IF;
  IF EXISTS (SELECT 1 FROM transactions WHERE quote_id = p_quote_id) THEN
    RAISE EXCEPTION 'QUOTE_USED' USING ERRCODE = 'DR001', DETAIL = '{"message": "This quote was already used for a transfer."}';
  END IF;

  SELECT * INTO r FROM recipients WHERE id = p_recipient_id AND user_id = p_user_id AND deleted_at IS NULL;
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
                            receive_amount_minor, receive_currency, fx_rate, quote_id, recipient_id, ledger_shard)
  VALUES (p_transaction_id, p_user_id, 'transfer', 'awaiting_funds', q.send_amount_minor, 'NOK', q.fee_minor,
          q.receive_amount_minor, q.receive_currency, q.rate, q.id, r.id, p_shard);

  body := jsonb_build_object('data', transfer_json(p_transaction_id));
  INSERT INTO idempotency_keys (user_id, key, request_hash, transaction_id, response_status, response_body)
  VALUES (p_user_id, p_idempotency_key, p_request_hash, p_transaction_id, 201, body);

  -- The pay-in the customer owes: reserved now, posted when the money arrives, voided on cancel.
  -- Last, because it locks a shard of the shared bank account until commit: the less work after
  -- it, the more transfers per second one shard (or, with one shard, the whole system) can take.
  bank_account := ledger_system_account('bank', 'NOK', p_shard);
  customer_account := ledger_customer_account(p_user_id, 'NOK');
  PERFORM ledger_post(p_transaction_id, jsonb_build_array(jsonb_build_object(
    'kind', 'pending', 'code', 'payin', 'debit', bank_account, 'credit', customer_account,
    'amount', q.send_amount_minor, 'currency', 'NOK')));
  RETURN QUERY SELECT false, 201::smallint, body;
END;
$$;

-- Down Migration
-- The 0700 version of ledger_post (update-after-insert, pulled-up pending lookup).
CREATE OR REPLACE FUNCTION ledger_post(p_transaction_id text, p_legs jsonb) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  ids bigint[];
  currencies_ text[];
  d_pending bigint[];
  d_posted bigint[];
  c_pending bigint[];
  c_posted bigint[];
  bad record;
BEGIN
  SELECT l.pending_id, p.kind INTO bad
    FROM jsonb_to_recordset(p_legs) AS l(kind text, pending_id bigint)
    LEFT JOIN LATERAL (SELECT lt.kind FROM ledger_transfers lt WHERE lt.id = l.pending_id) p ON true
   WHERE l.kind IN ('post_pending', 'void_pending') AND p.kind IS DISTINCT FROM 'pending'
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('message', format('Posting %s is not a pending posting.', bad.pending_id))::text;
  END IF;

  WITH legs AS (
    SELECT l.kind, l.code, l.pending_id,
           coalesce(p.debit_account_id, l.debit) AS debit_account_id,
           coalesce(p.credit_account_id, l.credit) AS credit_account_id,
           coalesce(p.amount, l.amount) AS amount,
           coalesce(p.currency, l.currency) AS currency
      FROM jsonb_to_recordset(p_legs) AS l(kind text, code text, pending_id bigint, debit bigint, credit bigint, amount bigint, currency text)
      LEFT JOIN LATERAL (
        SELECT lt.debit_account_id, lt.credit_account_id, lt.amount, lt.currency FROM ledger_transfers lt WHERE lt.id = l.pending_id
      ) p ON true
  ), inserted AS (
    INSERT INTO ledger_transfers (transaction_id, code, kind, pending_id, debit_account_id, credit_account_id, amount, currency)
    SELECT p_transaction_id, code, kind, pending_id, debit_account_id, credit_account_id, amount, currency FROM legs
    RETURNING kind, debit_account_id, credit_account_id, amount, currency
  ), deltas AS (
    SELECT account_id, currency, sum(dp)::bigint AS dp, sum(dpo)::bigint AS dpo, sum(cp)::bigint AS cp, sum(cpo)::bigint AS cpo
      FROM (
        SELECT debit_account_id AS account_id, currency,
               CASE kind WHEN 'pending' THEN amount WHEN 'posted' THEN 0 ELSE -amount END AS dp,
               CASE WHEN kind IN ('posted', 'post_pending') THEN amount ELSE 0 END AS dpo,
               0 AS cp, 0 AS cpo
          FROM inserted
        UNION ALL
        SELECT credit_account_id, currency, 0, 0,
               CASE kind WHEN 'pending' THEN amount WHEN 'posted' THEN 0 ELSE -amount END,
               CASE WHEN kind IN ('posted', 'post_pending') THEN amount ELSE 0 END
          FROM inserted
      ) moves
     GROUP BY account_id, currency
  )
  SELECT array_agg(account_id ORDER BY account_id), array_agg(currency ORDER BY account_id),
         array_agg(dp ORDER BY account_id), array_agg(dpo ORDER BY account_id),
         array_agg(cp ORDER BY account_id), array_agg(cpo ORDER BY account_id)
    INTO ids, currencies_, d_pending, d_posted, c_pending, c_posted
    FROM deltas;

  FOR i IN 1 .. coalesce(array_length(ids, 1), 0) LOOP
    BEGIN
      UPDATE ledger_accounts
         SET debits_pending = debits_pending + d_pending[i], debits_posted = debits_posted + d_posted[i],
             credits_pending = credits_pending + c_pending[i], credits_posted = credits_posted + c_posted[i]
       WHERE id = ids[i] AND currency = currencies_[i];
    EXCEPTION WHEN check_violation THEN
      RAISE EXCEPTION 'INSUFFICIENT_FUNDS' USING ERRCODE = 'DR001',
        DETAIL = jsonb_build_object('account', ids[i], 'message', 'The ledger account would exceed its balance limit.')::text;
    END;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'LEDGER_INVALID' USING ERRCODE = 'DR001',
        DETAIL = jsonb_build_object('message', format('Account %s does not hold %s.', ids[i], currencies_[i]))::text;
    END IF;
  END LOOP;
END;
$$;

-- The 0700 version of create_transfer (ledger posting before the response is stored).
CREATE OR REPLACE FUNCTION create_transfer(
  p_user_id text, p_idempotency_key text, p_request_hash bytea, p_transaction_id text,
  p_quote_id text, p_recipient_id text, p_limits bigint[], p_edd_threshold bigint, p_shard smallint
) RETURNS TABLE (replayed boolean, response_status smallint, response_body jsonb)
LANGUAGE plpgsql
AS $$
DECLARE
  customer record;
  previous record;
  q record;
  r record;
  bank_account bigint;
  customer_account bigint;
  body jsonb;
BEGIN
  -- The transfer's timeline names the customer as the one who created it.
  PERFORM set_config('drop.actor', p_user_id, true);
  SELECT kyc_status, kyc_tier, deleted_at IS NOT NULL AS deleted, source_of_funds_declared_at IS NOT NULL AS edd
    INTO customer FROM users WHERE id = p_user_id FOR NO KEY UPDATE;
  IF NOT FOUND OR customer.deleted THEN
    RAISE EXCEPTION 'NOT_FOUND' USING ERRCODE = 'DR001', DETAIL = '{"message": "No such customer."}';
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

  SELECT * INTO q FROM quotes WHERE id = p_quote_id AND user_id = p_user_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'QUOTE_NOT_FOUND' USING ERRCODE = 'DR001', DETAIL = '{"message": "No such quote."}';
  END IF;
  IF q.expires_at <= now() THEN
    RAISE EXCEPTION 'QUOTE_EXPIRED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'expiredAt', q.expires_at, 'message', 'This quote has expired. Get a new quote.')::text;
  END IF;
  IF EXISTS (SELECT 1 FROM transactions WHERE quote_id = p_quote_id) THEN
    RAISE EXCEPTION 'QUOTE_USED' USING ERRCODE = 'DR001', DETAIL = '{"message": "This quote was already used for a transfer."}';
  END IF;

  SELECT * INTO r FROM recipients WHERE id = p_recipient_id AND user_id = p_user_id AND deleted_at IS NULL;
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
                            receive_amount_minor, receive_currency, fx_rate, quote_id, recipient_id, ledger_shard)
  VALUES (p_transaction_id, p_user_id, 'transfer', 'awaiting_funds', q.send_amount_minor, 'NOK', q.fee_minor,
          q.receive_amount_minor, q.receive_currency, q.rate, q.id, r.id, p_shard);

  -- The pay-in the customer owes: reserved now, posted when the money arrives, voided on cancel.
  bank_account := ledger_system_account('bank', 'NOK', p_shard);
  customer_account := ledger_customer_account(p_user_id, 'NOK');
  PERFORM ledger_post(p_transaction_id, jsonb_build_array(jsonb_build_object(
    'kind', 'pending', 'code', 'payin', 'debit', bank_account, 'credit', customer_account,
    'amount', q.send_amount_minor, 'currency', 'NOK')));

  body := jsonb_build_object('data', transfer_json(p_transaction_id));
  INSERT INTO idempotency_keys (user_id, key, request_hash, transaction_id, response_status, response_body)
  VALUES (p_user_id, p_idempotency_key, p_request_hash, p_transaction_id, 201, body);
  RETURN QUERY SELECT false, 201::smallint, body;
END;
$$;

