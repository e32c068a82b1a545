-- Up Migration

-- A second payout rail: euros to IBANs paid by Drop's own bank. Payouts on this rail
-- (partner 'sepa') wait in 'sending' until staff export them in a SEPA credit-transfer file
-- (pain.001.001.09) for the bank; the export marks them 'sent' with their EndToEndId as the
-- reference, and the bank's statements of Drop's EUR account (camt.053/054) settle them: the
-- booked debit pays them, a returned credit fails them.

-- Every file Drop made for the bank, exactly as written: what was sent is evidence, so a file is
-- never changed or deleted (a wrong file is cancelled at the bank and its payouts handled there).
CREATE TABLE sepa_payout_files (
  id                text        PRIMARY KEY CHECK (id ~ '^spf_[0-9A-HJKMNP-TV-Z]{26}$'),
  -- GrpHdr/MsgId: the bank refuses a second file with the same one.
  message_id        text        NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 1 AND 35),
  created_by        text        NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  payouts           integer     NOT NULL CHECK (payouts > 0),
  control_sum_minor bigint      NOT NULL CHECK (control_sum_minor > 0),
  currency          text        NOT NULL DEFAULT 'EUR' CHECK (currency = 'EUR'),
  debtor_iban       text        NOT NULL,
  sha256            bytea       NOT NULL UNIQUE CHECK (length(sha256) = 32),
  xml               text        NOT NULL
);

CREATE TRIGGER sepa_payout_files_no_update_or_delete BEFORE UPDATE OR DELETE ON sepa_payout_files
  FOR EACH ROW EXECUTE FUNCTION refuse_change('Export a new file instead.');
CREATE TRIGGER sepa_payout_files_no_truncate BEFORE TRUNCATE ON sepa_payout_files
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('Export a new file instead.');
ALTER TABLE sepa_payout_files ENABLE ALWAYS TRIGGER sepa_payout_files_no_update_or_delete;
ALTER TABLE sepa_payout_files ENABLE ALWAYS TRIGGER sepa_payout_files_no_truncate;

-- The file a SEPA payout went out in; only SEPA payouts have one, and a payout in a file has left
-- 'sending' with its EndToEndId recorded.
ALTER TABLE payouts ADD COLUMN sepa_file_id text REFERENCES sepa_payout_files (id);
ALTER TABLE payouts ADD CONSTRAINT payouts_sepa_file_check
  CHECK (sepa_file_id IS NULL OR (partner = 'sepa' AND state <> 'sending'));
CREATE INDEX payouts_sepa_file_idx ON payouts (sepa_file_id) WHERE sepa_file_id IS NOT NULL;
-- What the next export takes.
CREATE INDEX payouts_sepa_waiting_idx ON payouts (created_at) WHERE partner = 'sepa' AND state = 'sending';

-- Down Migration
DROP INDEX IF EXISTS payouts_sepa_waiting_idx;
DROP INDEX IF EXISTS payouts_sepa_file_idx;
ALTER TABLE payouts DROP CONSTRAINT IF EXISTS payouts_sepa_file_check;
ALTER TABLE payouts DROP COLUMN IF EXISTS sepa_file_id;
DROP TABLE IF EXISTS sepa_payout_files;
