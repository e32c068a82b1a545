-- Up Migration

-- Issue 16 items 9 and 10: the console's customer profile and staff administration.

-- Staff notes on a customer: what a staff member wants the next one to know ("called about the
-- held transfer, sent the documents by post"). Written by core (`addCustomerNote`, audited as
-- `customer_note_added` with ids only: the text stays here, out of the hash-chained log). A note
-- is never edited or removed: a correction is a new note. The one exception is retention: the
-- notes of a former customer whose personal data was erased go with it (customer_notes_guard).
CREATE TABLE customer_notes (
  id         text        PRIMARY KEY CHECK (id ~ '^cno_[0-9A-HJKMNP-TV-Z]{26}$'),
  user_id    text        NOT NULL REFERENCES users (id),
  staff_id   text        NOT NULL REFERENCES staff (id),
  body       text        NOT NULL CHECK (length(btrim(body)) BETWEEN 2 AND 2000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_notes_user_idx ON customer_notes (user_id, created_at DESC);
CREATE TRIGGER customer_notes_guard BEFORE UPDATE OR DELETE ON customer_notes
  FOR EACH ROW EXECUTE FUNCTION customer_notes_guard('A note is kept: add a new note instead.');
ALTER TABLE customer_notes ENABLE ALWAYS TRIGGER customer_notes_guard;
CREATE TRIGGER customer_notes_no_truncate BEFORE TRUNCATE ON customer_notes
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_change('A note is kept: add a new note instead.');
ALTER TABLE customer_notes ENABLE ALWAYS TRIGGER customer_notes_no_truncate;

-- Drop always keeps one active admin: whoever writes (the console, the CLI, psql), an update that
-- disables or demotes the last enabled, enrolled admin is refused with LAST_ADMIN.
CREATE TRIGGER staff_keep_an_admin BEFORE UPDATE OF role, disabled_at, enrolled_at ON staff
  FOR EACH ROW EXECUTE FUNCTION staff_keep_an_admin();
ALTER TABLE staff ENABLE ALWAYS TRIGGER staff_keep_an_admin;

-- Down Migration
DROP TRIGGER IF EXISTS staff_keep_an_admin ON staff;
DROP TABLE IF EXISTS customer_notes;
