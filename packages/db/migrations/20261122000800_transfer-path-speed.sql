-- Up Migration

-- The transfer path, measured by `npm run bench:transfers` (issue 5 note), spent most of its
-- database CPU in three avoidable places:
--   1. ledger_post joined the legs to ledger_transfers to resolve pending ids. The planner guesses
--      100 rows for jsonb_to_recordset and chose a hash join over a full scan of all postings,
--      on every transfer. A lateral lookup by primary key is one index probe per leg.
--   2. format_minor and transfer_json were SQL functions that read a table, so they cannot be
--      inlined and were parsed and planned on every call (8 and 1 times per transfer). PL/pgSQL
--      caches its plans for the session.
--   3. sessions_audit called audit_row_change on every last_seen_at touch just for it to discard
--      the change; a WHEN clause skips the call when nothing but last_seen_at changed.

CREATE OR REPLACE FUNCTION format_minor(amount bigint, currency text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $$
DECLARE
  places smallint;
BEGIN
  SELECT c.decimals INTO places FROM currencies c WHERE c.code = currency;
  IF places IS NULL THEN
    RETURN NULL;
  END IF;
  RETURN to_char(amount::numeric / (10::numeric ^ places),
                 'FM999999999999999990' || CASE WHEN places > 0 THEN '.' || repeat('0', places) ELSE '' END);
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
  -- Resolutions must name an unresolved pending posting (the unique pending_id refuses a second
  -- resolution even from a concurrent caller).
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

-- Skip the audit function when only the activity stamp moved (it would discard the change).
-- A WHEN clause cannot mention NEW for deletes, so deletes get their own trigger.
DROP TRIGGER sessions_audit ON sessions;
CREATE TRIGGER sessions_audit AFTER UPDATE ON sessions
  FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_seen_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_seen_at'))
  EXECUTE FUNCTION audit_row_change('last_seen_at');
CREATE TRIGGER sessions_audit_delete AFTER DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION audit_row_change('last_seen_at');
ALTER TABLE sessions ENABLE ALWAYS TRIGGER sessions_audit;
ALTER TABLE sessions ENABLE ALWAYS TRIGGER sessions_audit_delete;

-- Down Migration
-- The functions keep their faster bodies (same behaviour); only the trigger returns to its old form.
DROP TRIGGER sessions_audit_delete ON sessions;
DROP TRIGGER sessions_audit ON sessions;
CREATE TRIGGER sessions_audit AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION audit_row_change('last_seen_at');
ALTER TABLE sessions ENABLE ALWAYS TRIGGER sessions_audit;
