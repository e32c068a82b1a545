-- Up Migration

-- Supporting documents attached to an STR (issue 13 item 4), sent with it to ØKOKRIM: added and
-- removed only while the STR is a draft (str_attachments_guard.sql), never changed. The content
-- is checked by its first bytes in core (a PDF, PNG or JPEG must be one); here the limits hold
-- whoever writes: the allowed types, at most 10 MB, the size and digest of the bytes stored.
CREATE TABLE str_attachments (
  id           text        PRIMARY KEY CHECK (id ~ '^sta_[0-9A-HJKMNP-TV-Z]{26}$'),
  str_id       uuid        NOT NULL REFERENCES str_reports (id),
  file_name    text        NOT NULL CHECK (length(file_name) BETWEEN 1 AND 120 AND file_name !~ '[/\\[:cntrl:]]'),
  content_type text        NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'text/csv', 'text/plain')),
  size_bytes   integer     NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content      bytea       NOT NULL,
  added_by     text        NOT NULL REFERENCES staff (id),
  added_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT str_attachments_size_is_content CHECK (size_bytes = octet_length(content)),
  CONSTRAINT str_attachments_digest_is_content CHECK (sha256 = encode(sha256(content), 'hex'))
);
CREATE INDEX str_attachments_str_idx ON str_attachments (str_id, added_at);
CREATE TRIGGER str_attachments_guard BEFORE INSERT OR UPDATE OR DELETE ON str_attachments
  FOR EACH ROW EXECUTE FUNCTION str_attachments_guard();
ALTER TABLE str_attachments ENABLE ALWAYS TRIGGER str_attachments_guard;

-- Down Migration
DROP TABLE IF EXISTS str_attachments;
