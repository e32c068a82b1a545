-- Up Migration

-- Money in: every transfer gets a KID (the reference a Norwegian bank payment carries), and the
-- bank's ISO 20022 statement files (camt.053 statements, camt.054 notifications) are imported to
-- fund transfers. What cannot be matched by KID and amount lands in an exceptions queue, and its
-- money in the ledger's suspense account until staff match it by hand or send it back.

-- KIDs are numbered from this sequence in blocks of 100 (hi/lo: the application takes a block per
-- nextval and adds the check digit itself, packages/core/src/payments/kid.ts), so issuing a KID
-- costs no extra round trip. Gaps are fine; a KID is unique and never reused.
CREATE SEQUENCE transfer_kid_seq START WITH 100 INCREMENT BY 100;
ALTER TABLE transactions ADD COLUMN kid text UNIQUE CHECK (kid ~ '^[0-9]{4,25}$');

-- Unidentified receipts: money that reached Drop's bank account without a transfer to fund. A
-- liability (it belongs to whoever paid), so never debited beyond what it was credited.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_purpose_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_purpose_check
  CHECK (purpose IN ('bank', 'customer_funds', 'fee_revenue', 'fx_position', 'partner_clearing', 'suspense'));
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

-- Every imported file, once: the same bytes again are recognised by their digest and change
-- nothing.
CREATE TABLE bank_files (
  id           text        PRIMARY KEY CHECK (id ~ '^bf_[0-9A-HJKMNP-TV-Z]{26}$'),
  sha256       bytea       NOT NULL UNIQUE CHECK (length(sha256) = 32),
  kind         text        NOT NULL CHECK (kind IN ('camt.053', 'camt.054')),
  message_id   text        NOT NULL,
  file_name    text,
  account      text        NOT NULL,
  imported_by  text        NOT NULL,
  imported_at  timestamptz NOT NULL DEFAULT now(),
  -- What the import did, for the console and the CLI: entries read, skipped as already seen,
  -- transfers funded, exceptions raised, debits recorded.
  summary      jsonb       NOT NULL
);

-- Every booked entry Drop has seen, once per bank reference (a camt.054 notification and the next
-- day's camt.053 statement report the same booking: it must not fund twice). Credits either fund
-- a transfer (matched) or wait in the exceptions queue; debits are recorded for reconciliation.
CREATE TABLE bank_entries (
  id                text        PRIMARY KEY CHECK (id ~ '^be_[0-9A-HJKMNP-TV-Z]{26}$'),
  bank_file_id      text        NOT NULL REFERENCES bank_files (id),
  account           text        NOT NULL,
  reference         text        NOT NULL,
  credit_debit      text        NOT NULL CHECK (credit_debit IN ('CRDT', 'DBIT')),
  reversal          boolean     NOT NULL DEFAULT false,
  amount_minor      bigint      NOT NULL CHECK (amount_minor > 0),
  currency          text        NOT NULL REFERENCES currencies (code),
  booking_date      date,
  value_date        date,
  kid               text,
  unstructured      text,
  debtor_name       text,
  debtor_account    text,
  end_to_end_id     text,
  return_reason     text,
  transaction_id    text        REFERENCES transactions (id),
  status            text        NOT NULL CHECK (status IN ('matched', 'exception', 'resolved', 'refunded', 'recorded')),
  -- Why a credit could not fund a transfer by itself.
  exception_reason  text        CHECK (exception_reason IN ('unknown_kid', 'no_reference', 'underpayment', 'overpayment',
                                                            'duplicate_payment', 'transfer_not_awaiting_funds', 'late_payment',
                                                            'wrong_currency', 'reversal')),
  resolved_by       text,
  resolved_at       timestamptz,
  resolution_note   text,
  refund_account    text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account, reference),
  CHECK (status <> 'exception' OR (exception_reason IS NOT NULL AND resolved_at IS NULL)),
  CHECK (status <> 'matched' OR transaction_id IS NOT NULL),
  CHECK (status NOT IN ('resolved', 'refunded') OR (resolved_by IS NOT NULL AND resolved_at IS NOT NULL)),
  CHECK (status <> 'refunded' OR refund_account IS NOT NULL)
);
CREATE INDEX bank_entries_exceptions_idx ON bank_entries (created_at) WHERE status = 'exception';
CREATE INDEX bank_entries_transaction_idx ON bank_entries (transaction_id);
CREATE INDEX bank_entries_file_idx ON bank_entries (bank_file_id);

CREATE TRIGGER bank_entries_audit AFTER UPDATE OR DELETE ON bank_entries
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();
ALTER TABLE bank_entries ENABLE ALWAYS TRIGGER bank_entries_audit;

-- transfer_json, third version: adds the KID and the time the quote's rate holds until.
CREATE OR REPLACE FUNCTION transfer_json(p_id text) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN (
    SELECT jsonb_build_object(
      'id', t.id,
      'status', t.status,
      'send', jsonb_build_object('amount', format_minor(t.send_amount_minor, t.send_currency), 'currency', t.send_currency),
      'fee', jsonb_build_object('amount', format_minor(t.fee_minor, t.send_currency), 'currency', t.send_currency),
      'converted', jsonb_build_object('amount', format_minor(t.send_amount_minor - t.fee_minor, t.send_currency), 'currency', t.send_currency),
      'receive', jsonb_build_object('amount', format_minor(t.receive_amount_minor, t.receive_currency), 'currency', t.receive_currency),
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
    WHERE t.id = p_id);
END;
$$;

-- create_transfer, third version: stores the KID the application issued (p_kid). The old
-- signature is dropped so no caller can create a transfer without one.
DROP FUNCTION create_transfer(text, text, bytea, text, text, text, bigint[], bigint, smallint);
CREATE FUNCTION create_transfer(
  p_user_id text, p_idempotency_key text, p_request_hash bytea, p_transaction_id text,
  p_quote_id text, p_recipient_id text, p_limits bigint[], p_edd_threshold bigint, p_shard smallint,
  p_kid text
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
                            receive_amount_minor, receive_currency, fx_rate, quote_id, recipient_id, ledger_shard, kid)
  VALUES (p_transaction_id, p_user_id, 'transfer', 'awaiting_funds', q.send_amount_minor, 'NOK', q.fee_minor,
          q.receive_amount_minor, q.receive_currency, q.rate, q.id, r.id, p_shard, p_kid);

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
DROP FUNCTION IF EXISTS create_transfer(text, text, bytea, text, text, text, bigint[], bigint, smallint, text);
CREATE FUNCTION create_transfer(
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

CREATE OR REPLACE FUNCTION transfer_json(p_id text) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
BEGIN
  RETURN (
    SELECT jsonb_build_object(
      'id', t.id,
      'status', t.status,
      'send', jsonb_build_object('amount', format_minor(t.send_amount_minor, t.send_currency), 'currency', t.send_currency),
      'fee', jsonb_build_object('amount', format_minor(t.fee_minor, t.send_currency), 'currency', t.send_currency),
      'converted', jsonb_build_object('amount', format_minor(t.send_amount_minor - t.fee_minor, t.send_currency), 'currency', t.send_currency),
      'receive', jsonb_build_object('amount', format_minor(t.receive_amount_minor, t.receive_currency), 'currency', t.receive_currency),
      'rate', to_char(t.fx_rate, 'FM999999999990.0000000000'),
      'quoteId', t.quote_id,
      'recipient', CASE WHEN r.id IS NULL THEN NULL ELSE
        jsonb_build_object('id', r.id, 'name', r.name, 'country', r.country, 'currency', r.currency, 'display', r.display) END,
      'failureReason', t.failure_reason,
      'createdAt', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'updatedAt', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM transactions t LEFT JOIN recipients r ON r.id = t.recipient_id
    WHERE t.id = p_id);
END;
$$;

DROP TABLE IF EXISTS bank_entries;
DROP TABLE IF EXISTS bank_files;
CREATE OR REPLACE FUNCTION ledger_system_account(p_purpose text, p_currency text, p_shard smallint) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  account_id bigint;
BEGIN
  SELECT id INTO account_id FROM ledger_accounts
   WHERE purpose = p_purpose AND currency = p_currency AND user_id IS NULL AND shard = p_shard;
  IF account_id IS NULL THEN
    INSERT INTO ledger_accounts (purpose, currency, shard, credits_must_not_exceed_debits)
    VALUES (p_purpose, p_currency, p_shard, p_purpose = 'bank')
    ON CONFLICT DO NOTHING;
    SELECT id INTO account_id FROM ledger_accounts
     WHERE purpose = p_purpose AND currency = p_currency AND user_id IS NULL AND shard = p_shard;
  END IF;
  RETURN account_id;
END;
$$;

ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_purpose_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_purpose_check
  CHECK (purpose IN ('bank', 'customer_funds', 'fee_revenue', 'fx_position', 'partner_clearing'));
ALTER TABLE transactions DROP COLUMN IF EXISTS kid;
DROP SEQUENCE IF EXISTS transfer_kid_seq;
