-- Up Migration

-- KYC with Sumsub. `users.kyc_status` stays the runbooks' view (pending = waiting on review,
-- rejected = blocked); the tier decides how much a customer may send.
ALTER TABLE users
  ADD COLUMN kyc_tier smallint NOT NULL DEFAULT 0 CHECK (kyc_tier BETWEEN 0 AND 2),
  -- Enhanced due diligence: the customer's answer about the source of their funds.
  ADD COLUMN source_of_funds text,
  ADD COLUMN source_of_funds_declared_at timestamptz;

-- The customer's Sumsub applicant and the last review Drop applied.
CREATE TABLE kyc_applicants (
  user_id            text        PRIMARY KEY REFERENCES users (id),
  applicant_id       text        NOT NULL UNIQUE,
  level_name         text        NOT NULL,
  review_status      text        NOT NULL DEFAULT 'init',
  review_answer      text        CHECK (review_answer IN ('GREEN', 'RED')),
  reject_type        text        CHECK (reject_type IN ('FINAL', 'RETRY')),
  reject_labels      text[]      NOT NULL DEFAULT '{}',
  moderation_comment text,
  -- createdAtMs of the last event applied: older events are ignored, so nothing regresses.
  last_event_ms      bigint      NOT NULL DEFAULT 0,
  decided_by         text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER kyc_applicants_touch BEFORE UPDATE ON kyc_applicants FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Every webhook Drop accepted, once: the digest of the raw body is the deduplication key, written
-- in the same transaction as the webhook's effect.
CREATE TABLE webhook_events (
  id           bigserial   PRIMARY KEY,
  provider     text        NOT NULL,
  body_sha256  bytea       NOT NULL,
  event_type   text        NOT NULL,
  subject_id   text,
  created_at_ms bigint,
  received_at  timestamptz NOT NULL DEFAULT now(),
  outcome      text        NOT NULL CHECK (outcome IN ('applied', 'stale', 'ignored')),
  UNIQUE (provider, body_sha256)
);
CREATE INDEX webhook_events_subject_idx ON webhook_events (provider, subject_id, received_at DESC);

-- Down Migration
DROP TABLE IF EXISTS webhook_events;
DROP TABLE IF EXISTS kyc_applicants;
ALTER TABLE users DROP COLUMN IF EXISTS source_of_funds_declared_at, DROP COLUMN IF EXISTS source_of_funds, DROP COLUMN IF EXISTS kyc_tier;
