-- Up Migration

-- Issue 16 item 3: customers edit and remove their recipients.
--
-- An edit never rewrites a recipient that transfers point at: it adds a new row with the new
-- details and retires the old one (deleted_at), linking the two, so every past transfer keeps the
-- name and account it was paid to, and staff can follow a recipient through its versions.
-- Removing or editing is refused while a transfer to the recipient is on its way
-- (packages/core/src/recipients/recipient-in-use.ts).
ALTER TABLE recipients ADD COLUMN replaced_by text REFERENCES recipients (id);
ALTER TABLE recipients ADD CONSTRAINT recipients_replaced_retired_check CHECK (replaced_by IS NULL OR deleted_at IS NOT NULL);

-- Down Migration

ALTER TABLE recipients DROP CONSTRAINT IF EXISTS recipients_replaced_retired_check;
ALTER TABLE recipients DROP COLUMN IF EXISTS replaced_by;
