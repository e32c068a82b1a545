-- Up Migration

-- Sending money: currencies, quotes, recipients, transfers (rows of `transactions`, the runbooks'
-- view) with a state machine the database enforces, idempotency keys, and a double-entry ledger.
--
-- Why so much of it is SQL: creating a transfer must check KYC, limits, the quote and the
-- recipient, write the transfer and post to the ledger atomically and under concurrency. Doing it
-- in one function call (create_transfer; the functions live in packages/db/functions) keeps the
-- customer's lock held for one round trip instead of seven (reference/ledger-perf-anchors.md
-- §7.4: 1.9× the throughput), and it makes the guarantees hold for every writer, including an
-- operator in psql.
--
-- Domain errors leave this schema as SQLSTATE 'DR001' with MESSAGE = a stable Drop error code and
-- DETAIL = a JSON object; packages/core maps them to DomainError.

-- ISO 4217 minor units for the currencies Drop knows (packages/core/src/money/currencies.ts is the
-- same table for the application; packages/core/src/money/currencies.test.ts checks that the two
-- agree).
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

CREATE TRIGGER ledger_transfers_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION refuse_change('Post a correcting transfer instead.');
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('Post a correcting transfer instead.');
ALTER TABLE ledger_transfers ENABLE ALWAYS TRIGGER ledger_transfers_no_update_or_delete;
ALTER TABLE ledger_transfers ENABLE ALWAYS TRIGGER ledger_transfers_no_truncate;

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
DROP TABLE IF EXISTS ledger_transfers;
DROP TABLE IF EXISTS ledger_accounts;
DROP TABLE IF EXISTS idempotency_keys;
DROP TRIGGER IF EXISTS transactions_track ON transactions;
DROP TABLE IF EXISTS user_spending_days;
DROP TABLE IF EXISTS transfer_events;
DROP TRIGGER IF EXISTS transactions_guard ON transactions;
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
DROP TABLE IF EXISTS currencies;
