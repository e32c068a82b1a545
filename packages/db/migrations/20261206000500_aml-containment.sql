-- Up Migration

-- Containment that stops the money (issue 12): blocking a customer holds their transfers in
-- flight, whatever path blocked them, SQL by hand included. Payout start, payout send, the SEPA
-- export and the bank import check the customer again (customer_block_reason), so a transfer that
-- escaped the trigger still does not pay out.

-- aml_frozen_at belongs to 20261206000400_aml-rules.sql; repeated here (a no-op after it) so this
-- migration stands on its own where that one has not landed yet.
ALTER TABLE users ADD COLUMN IF NOT EXISTS aml_frozen_at timestamptz;

CREATE TRIGGER users_contain_blocked AFTER UPDATE OF kyc_status, deleted_at, aml_frozen_at ON users
  FOR EACH ROW
  WHEN (customer_block_reason(NEW.kyc_status, NEW.deleted_at, NEW.aml_frozen_at) IS NOT NULL
        AND (OLD.kyc_status, OLD.deleted_at, OLD.aml_frozen_at) IS DISTINCT FROM (NEW.kyc_status, NEW.deleted_at, NEW.aml_frozen_at))
  EXECUTE FUNCTION users_contain_blocked();
-- ENABLE ALWAYS: replica mode (session_replication_role = replica) cannot skip it.
ALTER TABLE users ENABLE ALWAYS TRIGGER users_contain_blocked;

-- Down Migration
DROP TRIGGER IF EXISTS users_contain_blocked ON users;
