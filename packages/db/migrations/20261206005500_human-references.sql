-- Up Migration

-- Human references (issue 16): a customer number and a transfer reference a person can read aloud
-- and type, beside the internal ids. Issued by new_customer_number() and new_transfer_reference()
-- as column defaults; existing rows get theirs here, when ADD COLUMN evaluates the volatile default
-- once per row while it rewrites the table (no UPDATE, so no row-change audit events for a
-- schema change). The KID stays the payment reference the bank matches on: see README.

CREATE SEQUENCE customer_number_seq MINVALUE 1000000 MAXVALUE 9999999 START 1000001 NO CYCLE;
CREATE SEQUENCE transfer_reference_seq MINVALUE 1 MAXVALUE 887503680 START 1 NO CYCLE;

ALTER TABLE users ADD COLUMN customer_number text NOT NULL DEFAULT new_customer_number()
  CONSTRAINT users_customer_number_format CHECK (customer_number ~ '^[0-9]{8}$');
ALTER TABLE users ADD CONSTRAINT users_customer_number_key UNIQUE (customer_number);

ALTER TABLE transactions ADD COLUMN reference text NOT NULL DEFAULT new_transfer_reference()
  CONSTRAINT transactions_reference_format CHECK (reference ~ '^DRP-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{4}$');
ALTER TABLE transactions ADD CONSTRAINT transactions_reference_key UNIQUE (reference);

-- Down Migration
ALTER TABLE transactions DROP COLUMN IF EXISTS reference;
ALTER TABLE users DROP COLUMN IF EXISTS customer_number;
DROP SEQUENCE IF EXISTS transfer_reference_seq;
DROP SEQUENCE IF EXISTS customer_number_seq;
