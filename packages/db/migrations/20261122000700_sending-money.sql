-- Up Migration

-- Sending money: currencies, quotes, recipients, transfers (rows of `transactions`, the runbooks'
-- view) with a state machine the database enforces, idempotency keys, and a double-entry ledger.
--
-- Why so much of it is SQL: creating a transfer must check KYC, limits, the quote and the
-- recipient, write the transfer and post to the ledger atomically and under concurrency. Doing it
-- in one function call keeps the customer's lock held for one round trip instead of seven
-- (reference/ledger-perf-anchors.md §7.4: 1.9× the throughput), and it makes the guarantees hold
-- for every writer, including an operator in psql.
--
-- Domain errors leave this schema as SQLSTATE 'DR001' with MESSAGE = a stable Drop error code and
-- DETAIL = a JSON object; packages/core maps them to DomainError.

-- ISO 4217 minor units for the currencies Drop knows (packages/core/src/money/currencies.ts is the
-- same table for the application; a test checks that the two agree).
CREATE TABLE currencies (
  code     text     PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
  decimals smallint NOT NULL CHECK (decimals BETWEEN 0 AND 4),
  name     text     NOT NULL
);
INSERT INTO currencies (code, decimals, name) VALUES
  ('NOK', 2, 'Norwegian krone'), ('EUR', 2, 'Euro'), ('SEK', 2, 'Swedish krona'),
  ('DKK', 2, 'Danish krone'), ('PLN', 2, 'Polish złoty'), ('GBP', 2, 'Pound sterling'),
  ('USD', 2, 'US dollar'), ('CHF', 2, 'Swiss franc'), ('PHP', 2, 'Philippine peso'),
  ('INR', 2, 'Indian rupee'), ('PKR', 2, 'Pakistani rupee'), ('NGN', 2, 'Nigerian naira'),
  ('KES', 2, 'Kenyan shilling'), ('THB', 2, 'Thai baht'), ('VND', 0, 'Vietnamese đồng'),
  ('TRY', 2, 'Turkish lira'), ('LKR', 2, 'Sri Lankan rupee'), ('BDT', 2, 'Bangladeshi taka'),
  ('CNY', 2, 'Chinese yuan'), ('JPY', 0, 'Japanese yen');

-- Minor units as the JSON string the API shows, with exactly the currency's decimals:
-- 123456 NOK → '1234.56', 5000 VND → '5000'. PL/pgSQL, not SQL: a SQL function that reads a
-- table cannot be inlined and would be planned anew on each of its 8 calls per transfer, while
-- PL/pgSQL caches its plan for the session (measured by `npm run bench:transfers`).
CREATE FUNCTION format_minor(amount bigint, currency text) RETURNS text
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

ALTER TABLE transactions ADD CONSTRAINT transactions_receive_currency_fkey
  FOREIGN KEY (receive_currency) REFERENCES currencies (code);

-- A price offered to one customer: rate, fee and receive amount are locked until expires_at.
CREATE TABLE quotes (
  id                   text        PRIMARY KEY CHECK (id ~ '^qt_[0-9A-HJKMNP-TV-Z]{26}$'),
  user_id              text        NOT NULL REFERENCES users (id),
  country              text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  quoted_by            text        NOT NULL CHECK (quoted_by IN ('send', 'receive')),
  send_currency        text        NOT NULL DEFAULT 'NOK' CHECK (send_currency = 'NOK'),
  send_amount_minor    bigint      NOT NULL CHECK (send_amount_minor > 0),
  fee_minor            bigint      NOT NULL CHECK (fee_minor >= 0),
  receive_currency     text        NOT NULL REFERENCES currencies (code),
  receive_amount_minor bigint      NOT NULL CHECK (receive_amount_minor > 0),
  -- What the customer gets per NOK after the margin; receive = floor(converted × rate).
  rate                 numeric(24, 10) NOT NULL CHECK (rate > 0),
  -- The mid-market reference it came from (NOK per unit), its publisher and business day.
  reference_rate       numeric(24, 10) NOT NULL CHECK (reference_rate > 0),
  reference_source     text        NOT NULL,
  reference_date       date        NOT NULL,
  margin_bps           integer     NOT NULL CHECK (margin_bps >= 0),
  created_at           timestamptz NOT NULL DEFAULT now(),
  expires_at           timestamptz NOT NULL,
  CHECK (fee_minor < send_amount_minor),
  CHECK (expires_at > created_at)
);
CREATE INDEX quotes_user_created_idx ON quotes (user_id, created_at DESC);

-- The people a customer sends to. details holds the rail's normalised fields (IBAN, sort code and
-- account number, mobile number, …); display is the masked summary lists show.
CREATE TABLE recipients (
  id           text        PRIMARY KEY CHECK (id ~ '^rcp_[0-9A-HJKMNP-TV-Z]{26}$'),
  user_id      text        NOT NULL REFERENCES users (id),
  name         text        NOT NULL CHECK (length(name) BETWEEN 2 AND 140),
  country      text        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  currency     text        NOT NULL REFERENCES currencies (code),
  rail         text        NOT NULL CHECK (rail IN ('iban', 'bank_account', 'mobile_money')),
  relationship text        NOT NULL CHECK (relationship IN ('family', 'friend', 'self', 'business', 'other')),
  details      jsonb       NOT NULL,
  display      text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at   timestamptz
);
CREATE INDEX recipients_user_idx ON recipients (user_id, created_at DESC) WHERE deleted_at IS NULL;

ALTER TABLE recipients ADD CONSTRAINT recipients_id_user_key UNIQUE (id, user_id);
ALTER TABLE quotes ADD CONSTRAINT quotes_id_user_key UNIQUE (id, user_id);

-- A transfer row points at the quote it used (once: unique) and its recipient, both the
-- customer's own (composite foreign keys, so not even SQL can mix customers).
-- The status a held transfer returns to when compliance releases it. Rows held before this
-- migration were held while awaiting funds (nothing moved money yet).
ALTER TABLE transactions ADD COLUMN held_from text CHECK (held_from IN ('awaiting_funds', 'funds_received', 'processing'));
UPDATE transactions SET held_from = 'awaiting_funds' WHERE status = 'held';
ALTER TABLE transactions
  ADD COLUMN quote_id     text UNIQUE,
  ADD COLUMN recipient_id text,
  -- Which shard of the shared ledger accounts this transfer posts to (hot accounts, see below).
  ADD COLUMN ledger_shard smallint NOT NULL DEFAULT 0 CHECK (ledger_shard BETWEEN 0 AND 63),
  ADD CONSTRAINT transactions_quote_fkey FOREIGN KEY (quote_id, user_id) REFERENCES quotes (id, user_id),
  ADD CONSTRAINT transactions_recipient_fkey FOREIGN KEY (recipient_id, user_id) REFERENCES recipients (id, user_id),
  ADD CONSTRAINT transactions_held_status_check CHECK ((status = 'held') = (held_from IS NOT NULL));
CREATE INDEX transactions_recipient_idx ON transactions (recipient_id);

-- The state machine. Every status change of a transfer must be a row here; the trigger below
-- refuses the rest, whoever tries (the application, a job, psql).
CREATE TABLE transfer_status_transitions (
  from_status text NOT NULL,
  to_status   text NOT NULL,
  PRIMARY KEY (from_status, to_status)
);
INSERT INTO transfer_status_transitions (from_status, to_status) VALUES
  ('awaiting_funds', 'funds_received'), ('awaiting_funds', 'cancelled'), ('awaiting_funds', 'held'),
  ('funds_received', 'processing'), ('funds_received', 'refunded'), ('funds_received', 'held'),
  ('processing', 'paid_out'), ('processing', 'failed'), ('processing', 'held'),
  -- Released (back to where it was) or stopped (the way out of the state it was held in).
  ('held', 'awaiting_funds'), ('held', 'funds_received'), ('held', 'processing'),
  ('held', 'cancelled'), ('held', 'refunded'), ('held', 'failed'),
  ('failed', 'refunded');

CREATE FUNCTION transactions_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW.user_id <> OLD.user_id OR NEW.type <> OLD.type OR NEW.send_amount_minor <> OLD.send_amount_minor
     OR NEW.fee_minor <> OLD.fee_minor OR NEW.receive_amount_minor IS DISTINCT FROM OLD.receive_amount_minor
     OR NEW.receive_currency IS DISTINCT FROM OLD.receive_currency OR NEW.fx_rate IS DISTINCT FROM OLD.fx_rate
     OR NEW.quote_id IS DISTINCT FROM OLD.quote_id OR NEW.recipient_id IS DISTINCT FROM OLD.recipient_id
     OR NEW.ledger_shard <> OLD.ledger_shard OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'the amounts, parties and quote of transaction % cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NOT EXISTS (SELECT 1 FROM transfer_status_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
      RAISE EXCEPTION 'TRANSFER_STATE_INVALID' USING ERRCODE = 'DR001',
        DETAIL = jsonb_build_object('from', OLD.status, 'to', NEW.status, 'message',
          format('A transfer that is %s cannot become %s.', OLD.status, NEW.status))::text;
    END IF;
    IF NEW.status = 'held' THEN
      NEW.held_from := OLD.status;
    ELSIF OLD.status = 'held' THEN
      -- From hold: back to the same state, or out through that state's own exit.
      IF NOT (NEW.status = OLD.held_from
              OR (OLD.held_from = 'awaiting_funds' AND NEW.status = 'cancelled')
              OR (OLD.held_from = 'funds_received' AND NEW.status = 'refunded')
              OR (OLD.held_from = 'processing' AND NEW.status = 'failed')) THEN
        RAISE EXCEPTION 'TRANSFER_STATE_INVALID' USING ERRCODE = 'DR001',
          DETAIL = jsonb_build_object('from', 'held', 'to', NEW.status, 'heldFrom', OLD.held_from, 'message',
            format('A transfer held while %s cannot become %s.', OLD.held_from, NEW.status))::text;
      END IF;
      NEW.held_from := NULL;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER transactions_guard BEFORE UPDATE ON transactions
  FOR EACH ROW EXECUTE FUNCTION transactions_guard();
ALTER TABLE transactions ENABLE ALWAYS TRIGGER transactions_guard;

-- The timeline customers and staff see: one row per status a transfer entered, with who did it.
-- (The hash-chained audit_log also records every UPDATE of transactions, by its own trigger.)
CREATE TABLE transfer_events (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id text        NOT NULL REFERENCES transactions (id),
  from_status    text,
  to_status      text        NOT NULL,
  actor          text        NOT NULL,
  reason         text,
  at             timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX transfer_events_transaction_idx ON transfer_events (transaction_id, id);

-- Spending per customer and UTC day, kept by trigger: the 30-day and 12-month limits sum at most
-- 366 small rows instead of every transfer a customer ever made. Transfers that end without
-- moving money (cancelled, failed, refunded) give their amount back.
CREATE TABLE user_spending_days (
  user_id      text   NOT NULL REFERENCES users (id),
  day          date   NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  PRIMARY KEY (user_id, day)
);
INSERT INTO user_spending_days (user_id, day, amount_minor)
  SELECT user_id, (created_at AT TIME ZONE 'UTC')::date, sum(send_amount_minor)
    FROM transactions
   WHERE type = 'transfer' AND status NOT IN ('cancelled', 'failed', 'refunded')
   GROUP BY 1, 2;

CREATE FUNCTION transactions_track() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  uncounted constant text[] := ARRAY['cancelled', 'failed', 'refunded'];
  actor text := coalesce(nullif(current_setting('drop.actor', true), ''), 'db:' || session_user);
  reason text := nullif(current_setting('drop.reason', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO transfer_events (transaction_id, from_status, to_status, actor, reason)
    VALUES (NEW.id, NULL, NEW.status, actor, reason);
    IF NEW.type = 'transfer' AND NOT NEW.status = ANY (uncounted) THEN
      INSERT INTO user_spending_days AS s (user_id, day, amount_minor)
      VALUES (NEW.user_id, (NEW.created_at AT TIME ZONE 'UTC')::date, NEW.send_amount_minor)
      ON CONFLICT (user_id, day) DO UPDATE SET amount_minor = s.amount_minor + EXCLUDED.amount_minor;
    END IF;
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    INSERT INTO transfer_events (transaction_id, from_status, to_status, actor, reason)
    VALUES (NEW.id, OLD.status, NEW.status, actor, reason);
    IF NEW.type = 'transfer' AND NEW.status = ANY (uncounted) AND NOT OLD.status = ANY (uncounted) THEN
      UPDATE user_spending_days SET amount_minor = amount_minor - NEW.send_amount_minor
       WHERE user_id = NEW.user_id AND day = (NEW.created_at AT TIME ZONE 'UTC')::date;
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER transactions_track AFTER INSERT OR UPDATE OF status ON transactions
  FOR EACH ROW EXECUTE FUNCTION transactions_track();
ALTER TABLE transactions ENABLE ALWAYS TRIGGER transactions_track;

-- Idempotency keys (Stripe's contract): the first successful response to a key is stored in the
-- transaction that created the transfer, so a retry, even after a crash, gets it back; the same
-- key with a different body is refused. Requests that fail validation store nothing.
CREATE TABLE idempotency_keys (
  user_id         text        NOT NULL REFERENCES users (id),
  key             text        NOT NULL CHECK (key ~ '^[\x21-\x7e]{1,255}$'),
  request_hash    bytea       NOT NULL,
  transaction_id  text        REFERENCES transactions (id),
  response_status smallint    NOT NULL,
  response_body   jsonb       NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- ---------------------------------------------------------------------------------------------
-- The ledger, modelled on TigerBeetle (reference/ledger-perf-anchors.md §1.1, §9).
-- Accounts keep debits and credits, pending and posted, never one signed balance. Balance limits
-- are CHECK constraints, so the UPDATE that moves money is the statement that enforces them.
-- Shared accounts (bank, fees, FX, partner) exist in shards: each transfer posts to one shard,
-- so concurrent transfers do not queue on one hot row; an account's balance is the sum of its
-- shards.
CREATE TABLE ledger_accounts (
  id                             bigint   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  purpose                        text     NOT NULL
                                 CHECK (purpose IN ('bank', 'customer_funds', 'fee_revenue', 'fx_position', 'partner_clearing')),
  currency                       text     NOT NULL REFERENCES currencies (code),
  user_id                        text     REFERENCES users (id),
  shard                          smallint NOT NULL DEFAULT 0 CHECK (shard BETWEEN 0 AND 63),
  debits_must_not_exceed_credits boolean  NOT NULL DEFAULT false,
  credits_must_not_exceed_debits boolean  NOT NULL DEFAULT false,
  debits_pending                 bigint   NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  debits_posted                  bigint   NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_pending                bigint   NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  credits_posted                 bigint   NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  created_at                     timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (purpose, currency, user_id, shard),
  CHECK ((purpose = 'customer_funds') = (user_id IS NOT NULL)),
  CHECK (NOT (debits_must_not_exceed_credits AND credits_must_not_exceed_debits)),
  CONSTRAINT ledger_accounts_debit_limit
    CHECK (NOT debits_must_not_exceed_credits OR debits_pending + debits_posted <= credits_posted),
  CONSTRAINT ledger_accounts_credit_limit
    CHECK (NOT credits_must_not_exceed_debits OR credits_pending + credits_posted <= debits_posted)
);
COMMENT ON TABLE ledger_accounts IS 'Double-entry ledger accounts; balances change only through ledger_post(). Verify with `drop ledger verify`.';

-- Immutable postings. Each row moves one amount from one account to another in one currency, so
-- every posting sums to zero by construction. Two-phase: a 'pending' row reserves; exactly one
-- later 'post_pending' or 'void_pending' row (unique pending_id) settles or releases it.
CREATE TABLE ledger_transfers (
  id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id    text        REFERENCES transactions (id),
  code              text        NOT NULL CHECK (code ~ '^[a-z][a-z_]*$'),
  kind              text        NOT NULL CHECK (kind IN ('posted', 'pending', 'post_pending', 'void_pending')),
  pending_id        bigint      UNIQUE REFERENCES ledger_transfers (id),
  debit_account_id  bigint      NOT NULL REFERENCES ledger_accounts (id),
  credit_account_id bigint      NOT NULL REFERENCES ledger_accounts (id),
  amount            bigint      NOT NULL CHECK (amount > 0),
  currency          text        NOT NULL REFERENCES currencies (code),
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((kind IN ('post_pending', 'void_pending')) = (pending_id IS NOT NULL))
);
CREATE INDEX ledger_transfers_transaction_idx ON ledger_transfers (transaction_id);

CREATE FUNCTION ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'ledger_transfers is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Post a correcting transfer instead.';
END;
$$;
CREATE TRIGGER ledger_transfers_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
ALTER TABLE ledger_transfers ENABLE ALWAYS TRIGGER ledger_transfers_no_update_or_delete;
ALTER TABLE ledger_transfers ENABLE ALWAYS TRIGGER ledger_transfers_no_truncate;

-- The shared account for a purpose, currency and shard, created on first use. The bank account
-- (an asset: money in Drop's client account) may never be credited beyond what it was debited.
CREATE FUNCTION ledger_system_account(p_purpose text, p_currency text, p_shard smallint) RETURNS bigint
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

-- A customer's funds held by Drop (a liability): never debited beyond what was credited.
CREATE FUNCTION ledger_customer_account(p_user_id text, p_currency text) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  account_id bigint;
BEGIN
  SELECT id INTO account_id FROM ledger_accounts
   WHERE purpose = 'customer_funds' AND currency = p_currency AND user_id = p_user_id AND shard = 0;
  IF account_id IS NULL THEN
    INSERT INTO ledger_accounts (purpose, currency, user_id, debits_must_not_exceed_credits)
    VALUES ('customer_funds', p_currency, p_user_id, true)
    ON CONFLICT DO NOTHING;
    SELECT id INTO account_id FROM ledger_accounts
     WHERE purpose = 'customer_funds' AND currency = p_currency AND user_id = p_user_id AND shard = 0;
  END IF;
  RETURN account_id;
END;
$$;

-- Posts linked legs atomically: all or none. p_legs is a JSON array of
--   {"kind": "posted"|"pending", "code", "debit": account id, "credit": account id, "amount", "currency"}
--   {"kind": "post_pending"|"void_pending", "code", "pending_id"}
-- Account rows are updated in ascending id order, so two posters never wait on each other in a
-- cycle (no deadlocks); a balance limit breached by the result fails the whole call with
-- INSUFFICIENT_FUNDS. Pending postings are looked up by primary key per leg (LATERAL): a plain
-- join let the planner, guessing 100 legs, hash-join against a scan of every posting.
CREATE FUNCTION ledger_post(p_transaction_id text, p_legs jsonb) RETURNS void
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

-- ---------------------------------------------------------------------------------------------
-- The API's view of a transfer, built in one place for create responses, replays and reads
-- (PL/pgSQL for its cached plan, as format_minor).
CREATE FUNCTION transfer_json(p_id text) RETURNS jsonb
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

-- Limits for one customer and amount, with the customer's row already locked by the caller.
-- p_limits holds, per tier 1 and 2: per transfer, 30 days, 12 months (øre), six values in all.
CREATE FUNCTION check_transfer_limits(p_user_id text, p_tier smallint, p_edd boolean, p_amount bigint,
                                      p_limits bigint[], p_edd_threshold bigint) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
  per_transfer bigint := CASE p_tier WHEN 1 THEN p_limits[1] WHEN 2 THEN p_limits[4] ELSE 0 END;
  thirty_days  bigint := CASE p_tier WHEN 1 THEN p_limits[2] WHEN 2 THEN p_limits[5] ELSE 0 END;
  twelve_months bigint := CASE p_tier WHEN 1 THEN p_limits[3] WHEN 2 THEN p_limits[6] ELSE 0 END;
  today date := (now() AT TIME ZONE 'UTC')::date;
  used_30 bigint;
  used_365 bigint;
BEGIN
  SELECT coalesce(sum(amount_minor) FILTER (WHERE day > today - 30), 0), coalesce(sum(amount_minor), 0)
    INTO used_30, used_365
    FROM user_spending_days WHERE user_id = p_user_id AND day > today - 365;
  IF p_amount > per_transfer THEN
    RAISE EXCEPTION 'LIMIT_EXCEEDED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'limit', 'per-transfer', 'limitNok', (per_transfer / 100)::text, 'availableNok', (per_transfer / 100)::text,
      'message', 'This transfer is over your per-transfer limit.')::text;
  END IF;
  IF used_30 + p_amount > thirty_days THEN
    RAISE EXCEPTION 'LIMIT_EXCEEDED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'limit', '30-day', 'limitNok', (thirty_days / 100)::text, 'availableNok', (greatest(thirty_days - used_30, 0) / 100)::text,
      'message', 'This transfer would exceed your 30-day limit.')::text;
  END IF;
  IF used_365 + p_amount > twelve_months THEN
    RAISE EXCEPTION 'LIMIT_EXCEEDED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'limit', '12-month', 'limitNok', (twelve_months / 100)::text, 'availableNok', (greatest(twelve_months - used_365, 0) / 100)::text,
      'message', 'This transfer would exceed your 12-month limit.')::text;
  END IF;
  IF NOT p_edd AND used_365 + p_amount >= p_edd_threshold THEN
    RAISE EXCEPTION 'EDD_REQUIRED' USING ERRCODE = 'DR001', DETAIL = jsonb_build_object(
      'thresholdNok', (p_edd_threshold / 100)::text,
      'message', 'Tell us where the money comes from before sending this much.')::text;
  END IF;
END;
$$;

-- Creates a transfer from a quote, in one call: the whole check-and-write happens under the
-- customer's row lock, so concurrent requests of one customer (same key or not) run one at a time
-- and limits hold; other customers are not blocked. Returns the response to send and whether it
-- is a replay of an earlier request with the same idempotency key.
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

-- Sessions are touched on every request (last_seen_at, at most once a second): skip the audit
-- function when nothing else changed, as it would discard the change anyway.
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
DROP TRIGGER IF EXISTS sessions_audit_delete ON sessions;
DROP TRIGGER IF EXISTS sessions_audit ON sessions;
CREATE TRIGGER sessions_audit AFTER UPDATE OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION audit_row_change('last_seen_at');
ALTER TABLE sessions ENABLE ALWAYS TRIGGER sessions_audit;
DROP FUNCTION IF EXISTS create_transfer(text, text, bytea, text, text, text, bigint[], bigint, smallint);
DROP FUNCTION IF EXISTS check_transfer_limits(text, smallint, boolean, bigint, bigint[], bigint);
DROP FUNCTION IF EXISTS transfer_json(text);
DROP FUNCTION IF EXISTS ledger_post(text, jsonb);
DROP FUNCTION IF EXISTS ledger_customer_account(text, text);
DROP FUNCTION IF EXISTS ledger_system_account(text, text, smallint);
DROP TABLE IF EXISTS ledger_transfers;
DROP FUNCTION IF EXISTS ledger_refuse_change();
DROP TABLE IF EXISTS ledger_accounts;
DROP TABLE IF EXISTS idempotency_keys;
DROP TRIGGER IF EXISTS transactions_track ON transactions;
DROP FUNCTION IF EXISTS transactions_track();
DROP TABLE IF EXISTS user_spending_days;
DROP TABLE IF EXISTS transfer_events;
DROP TRIGGER IF EXISTS transactions_guard ON transactions;
DROP FUNCTION IF EXISTS transactions_guard();
DROP TABLE IF EXISTS transfer_status_transitions;
ALTER TABLE transactions
  DROP CONSTRAINT IF EXISTS transactions_held_status_check,
  DROP CONSTRAINT IF EXISTS transactions_recipient_fkey,
  DROP CONSTRAINT IF EXISTS transactions_quote_fkey,
  DROP CONSTRAINT IF EXISTS transactions_receive_currency_fkey,
  DROP COLUMN IF EXISTS ledger_shard,
  DROP COLUMN IF EXISTS held_from,
  DROP COLUMN IF EXISTS recipient_id,
  DROP COLUMN IF EXISTS quote_id;
DROP TABLE IF EXISTS recipients;
DROP TABLE IF EXISTS quotes;
DROP FUNCTION IF EXISTS format_minor(bigint, text);
DROP TABLE IF EXISTS currencies;
