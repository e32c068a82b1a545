-- Up Migration

-- Money out: payouts through the partner, exactly once per transfer, and refunds to the customer.

-- A payout the recipient's bank sends back after it was paid (Wise: bounced_back) fails the
-- transfer after paid_out; it is then refunded like any failed transfer.
INSERT INTO transfer_status_transitions (from_status, to_status) VALUES ('paid_out', 'failed');

-- One payout per transfer. The row (with its idempotency key) is written and committed before the
-- partner is first called; every attempt, including one after a crash between the partner's
-- answer and this row's update, sends the same key, and the partner answers with the payout it
-- already has. 'sending' rows are what a crash leaves behind: `payouts:recover` sends them again.
CREATE TABLE payouts (
  transaction_id    text        PRIMARY KEY REFERENCES transactions (id),
  partner           text        NOT NULL,
  idempotency_key   uuid        NOT NULL UNIQUE,
  amount_minor      bigint      NOT NULL CHECK (amount_minor > 0),
  currency          text        NOT NULL REFERENCES currencies (code),
  state             text        NOT NULL DEFAULT 'sending' CHECK (state IN ('sending', 'sent', 'paid', 'failed', 'returned')),
  partner_reference text,
  partner_state     text,
  attempts          integer     NOT NULL DEFAULT 0,
  last_error        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  sent_at           timestamptz,
  settled_at        timestamptz,
  UNIQUE (partner, partner_reference),
  CHECK (state = 'sending' OR partner_reference IS NOT NULL)
);
CREATE INDEX payouts_sending_idx ON payouts (created_at) WHERE state = 'sending';

CREATE TRIGGER payouts_audit AFTER UPDATE OR DELETE ON payouts
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();
ALTER TABLE payouts ENABLE ALWAYS TRIGGER payouts_audit;

-- The customer's money going back to their bank account after a failed or returned payout: the
-- account is the one that paid (from the bank statement), when the bank said so.
CREATE TABLE customer_refunds (
  transaction_id text        PRIMARY KEY REFERENCES transactions (id),
  amount_minor   bigint      NOT NULL CHECK (amount_minor > 0),
  currency       text        NOT NULL DEFAULT 'NOK' CHECK (currency = 'NOK'),
  to_account     text,
  reason         text        NOT NULL,
  state          text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  sent_at        timestamptz,
  CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);

CREATE TRIGGER customer_refunds_audit AFTER UPDATE OR DELETE ON customer_refunds
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();
ALTER TABLE customer_refunds ENABLE ALWAYS TRIGGER customer_refunds_audit;

-- Down Migration
DROP TABLE IF EXISTS customer_refunds;
DROP TABLE IF EXISTS payouts;
DELETE FROM transfer_status_transitions WHERE from_status = 'paid_out' AND to_status = 'failed';
