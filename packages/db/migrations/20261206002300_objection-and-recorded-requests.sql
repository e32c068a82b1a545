-- Up Migration

-- Issue 14 item 4: objection requests (GDPR art. 21) join export, erasure, rectification and
-- restriction; and staff record requests that arrived by letter, e-mail or phone, so the row
-- says how it came and when Drop received it (the one-month deadline of GDPR art. 12(3) runs
-- from receipt, not from when staff typed it in). Requests made in the app leave both null.
ALTER TABLE data_access_requests DROP CONSTRAINT data_access_requests_type_check;
ALTER TABLE data_access_requests ADD CONSTRAINT data_access_requests_type_check
  CHECK (type IN ('export', 'erasure', 'rectification', 'restriction', 'objection'));
ALTER TABLE data_access_requests ADD COLUMN channel text CHECK (channel IN ('letter', 'email', 'phone'));
ALTER TABLE data_access_requests ADD COLUMN received_on date;

-- Down Migration
ALTER TABLE data_access_requests DROP COLUMN IF EXISTS received_on;
ALTER TABLE data_access_requests DROP COLUMN IF EXISTS channel;
DELETE FROM data_access_requests WHERE type = 'objection';
ALTER TABLE data_access_requests DROP CONSTRAINT data_access_requests_type_check;
ALTER TABLE data_access_requests ADD CONSTRAINT data_access_requests_type_check
  CHECK (type IN ('export', 'erasure', 'rectification', 'restriction'));
