-- Up Migration

-- Four eyes (issue 13): releasing or stopping a held transfer, and blocking or unblocking a
-- customer, is proposed by one staff member and approved by another. Approving executes the
-- request in the same transaction. The database refuses an approval by the proposer whatever
-- writes it: a CHECK on the row, and a trigger that names the refusal (FOUR_EYES_REQUIRED).
CREATE TABLE four_eyes_requests (
  id             text        PRIMARY KEY CHECK (id ~ '^fer_[0-9A-HJKMNP-TV-Z]{26}$'),
  kind           text        NOT NULL CHECK (kind IN ('release_transfer', 'stop_transfer', 'block_customer', 'unblock_customer')),
  -- A transfer (tx_…) for release/stop, a customer (usr_…) for block/unblock.
  subject_id     text        NOT NULL,
  reason         text        NOT NULL CHECK (length(btrim(reason)) > 0),
  proposed_by    text        NOT NULL REFERENCES staff (id),
  proposed_at    timestamptz NOT NULL DEFAULT now(),
  status         text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn')),
  decided_by     text        REFERENCES staff (id),
  decided_at     timestamptz,
  decision_note  text,
  CHECK ((kind IN ('release_transfer', 'stop_transfer')) = (subject_id LIKE 'tx\_%')),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK (status IN ('pending', 'withdrawn') OR decided_by IS NOT NULL),
  -- The approver (or rejecter) is never the proposer.
  CONSTRAINT four_eyes_requests_second_person CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
-- One open request per subject and kind.
CREATE UNIQUE INDEX four_eyes_requests_one_pending ON four_eyes_requests (subject_id, kind) WHERE status = 'pending';
CREATE INDEX four_eyes_requests_pending ON four_eyes_requests (proposed_at) WHERE status = 'pending';

CREATE TRIGGER four_eyes_requests_guard BEFORE UPDATE ON four_eyes_requests
  FOR EACH ROW EXECUTE FUNCTION four_eyes_requests_guard();
ALTER TABLE four_eyes_requests ENABLE ALWAYS TRIGGER four_eyes_requests_guard;
CREATE TRIGGER four_eyes_requests_audit AFTER UPDATE OR DELETE ON four_eyes_requests
  FOR EACH ROW EXECUTE FUNCTION audit_row_change();
ALTER TABLE four_eyes_requests ENABLE ALWAYS TRIGGER four_eyes_requests_audit;

-- Down Migration
DROP TABLE IF EXISTS four_eyes_requests;
