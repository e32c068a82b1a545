-- Up Migration

-- Issue 16 item 1: BankID gives no email address, so the customer gives one and proves it with a
-- six-digit code sent there. `users.email` stays what it always meant to its readers (transfer
-- emails, the runbooks, the console): the customer's address, now only ever a verified one; a new
-- or changed address waits in `email_verifications` until its code is entered, and the old one
-- keeps getting mail until then.
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
-- Which optional emails the customer wants. A failed payout and its refund are always sent (the
-- customer's money is coming back and they may need to act), and so are verification codes.
ALTER TABLE users ADD COLUMN notify_funds_received boolean NOT NULL DEFAULT true;
ALTER TABLE users ADD COLUMN notify_paid_out boolean NOT NULL DEFAULT true;

-- One row per address a customer asked to use. The code is kept only as an HMAC (keyed, so a
-- copy of the table cannot be brute-forced over the million codes), expires, allows a few wrong
-- tries and a few resends, and is closed when verified or replaced by a newer request.
CREATE TABLE email_verifications (
  id            text        PRIMARY KEY CHECK (id ~ '^emv_[0-9A-HJKMNP-TV-Z]{26}$'),
  user_id       text        NOT NULL REFERENCES users (id),
  email         text        NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
  code_hash     bytea       NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  last_sent_at  timestamptz NOT NULL DEFAULT now(),
  sends         smallint    NOT NULL DEFAULT 1 CHECK (sends >= 1),
  attempts      smallint    NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  verified_at   timestamptz,
  closed_at     timestamptz,
  CHECK (expires_at > created_at),
  CHECK (verified_at IS NULL OR closed_at IS NOT NULL)
);
-- At most one open request per customer: a new address replaces the one waiting.
CREATE UNIQUE INDEX email_verifications_open_key ON email_verifications (user_id) WHERE closed_at IS NULL;

-- Down Migration
DROP TABLE IF EXISTS email_verifications;
ALTER TABLE users DROP COLUMN IF EXISTS notify_paid_out;
ALTER TABLE users DROP COLUMN IF EXISTS notify_funds_received;
ALTER TABLE users DROP COLUMN IF EXISTS email_verified_at;
