-- Up Migration

-- Who a customer is, as BankID says: the pseudonymous subject, names, and the national identity
-- number. The number is never stored in clear: AES-256-GCM ciphertext for the rare case it must be
-- read (reporting to the FIU), and a keyed hash (HMAC-SHA-256) to find the customer again.
ALTER TABLE users
  ADD COLUMN bankid_sub             text,
  ADD COLUMN given_name             text,
  ADD COLUMN family_name            text,
  ADD COLUMN national_id_ciphertext bytea,
  ADD COLUMN national_id_hash       bytea,
  ADD COLUMN last_login_at          timestamptz;
CREATE UNIQUE INDEX users_national_id_hash_key ON users (national_id_hash) WHERE national_id_hash IS NOT NULL;
CREATE INDEX users_bankid_sub_idx ON users (bankid_sub) WHERE bankid_sub IS NOT NULL;

-- One sign-in in progress: the values that bind BankID's answer to the browser that asked
-- (state, nonce, PKCE verifier). Single use, and short-lived.
CREATE TABLE auth_attempts (
  id            text        PRIMARY KEY CHECK (id ~ '^att_[0-9A-HJKMNP-TV-Z]{26}$'),
  state         text        NOT NULL UNIQUE,
  nonce         text        NOT NULL,
  code_verifier text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz
);
CREATE INDEX auth_attempts_expires_idx ON auth_attempts (expires_at);

-- Sessions remember how the customer authenticated.
ALTER TABLE sessions
  ADD COLUMN acr text,
  ADD COLUMN amr text[];

-- Down Migration
ALTER TABLE sessions DROP COLUMN IF EXISTS amr, DROP COLUMN IF EXISTS acr;
DROP TABLE IF EXISTS auth_attempts;
DROP INDEX IF EXISTS users_bankid_sub_idx;
DROP INDEX IF EXISTS users_national_id_hash_key;
ALTER TABLE users
  DROP COLUMN IF EXISTS last_login_at,
  DROP COLUMN IF EXISTS national_id_hash,
  DROP COLUMN IF EXISTS national_id_ciphertext,
  DROP COLUMN IF EXISTS family_name,
  DROP COLUMN IF EXISTS given_name,
  DROP COLUMN IF EXISTS bankid_sub;
