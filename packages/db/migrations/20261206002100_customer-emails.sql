-- Up Migration

-- The emails Drop sent to a customer (issue 14: the data export lists "emails sent"). Transfer
-- emails go through a graphile-worker job that is deleted once it ran, so without this table
-- nothing would remember them. One row per email handed to the mailer: what kind, to which
-- address, with which subject; the body is re-rendered from the transfer, so it is not stored.
CREATE TABLE customer_emails (
  id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        text        NOT NULL REFERENCES users (id),
  transaction_id text        REFERENCES transactions (id),
  kind           text        NOT NULL CHECK (kind ~ '^[a-z][a-z_]*$'),
  to_address     text        NOT NULL,
  subject        text        NOT NULL,
  sent_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_emails_user_idx ON customer_emails (user_id, sent_at DESC);

-- Down Migration
DROP TABLE IF EXISTS customer_emails;
