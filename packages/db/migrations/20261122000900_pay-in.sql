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

-- Down Migration

DROP TABLE IF EXISTS bank_entries;
DROP TABLE IF EXISTS bank_files;

ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_purpose_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_purpose_check
  CHECK (purpose IN ('bank', 'customer_funds', 'fee_revenue', 'fx_position', 'partner_clearing'));
ALTER TABLE transactions DROP COLUMN IF EXISTS kid;
DROP SEQUENCE IF EXISTS transfer_kid_seq;
