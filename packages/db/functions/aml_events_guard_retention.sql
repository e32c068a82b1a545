-- BEFORE UPDATE OR DELETE on the append-only AML histories (aml_alert_events, aml_case_events,
-- screening_clearances):
-- refuses the change like refuse_change, with one exception the retention rules need
-- (hvitvaskingsloven § 30: delete after five years): deleting the events of a former customer
-- whose personal data the retention job has erased (users.personal_data_erased_at). Whoever runs
-- the DELETE, the database decides whether the retention period is over. The argument is the hint.
CREATE OR REPLACE FUNCTION aml_events_guard_retention() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  customer_erased boolean;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF TG_TABLE_NAME = 'aml_alert_events' THEN
      SELECT u.personal_data_erased_at IS NOT NULL INTO customer_erased
        FROM aml_alerts a JOIN users u ON u.id = a.user_id WHERE a.id = OLD.alert_id;
    ELSIF TG_TABLE_NAME = 'aml_case_events' THEN
      SELECT u.personal_data_erased_at IS NOT NULL INTO customer_erased
        FROM aml_cases c JOIN users u ON u.id = c.user_id WHERE c.id = OLD.case_id;
    ELSIF TG_TABLE_NAME = 'screening_clearances' THEN
      SELECT u.personal_data_erased_at IS NOT NULL INTO customer_erased
        FROM users u
       WHERE u.id = CASE WHEN OLD.subject_type = 'customer' THEN OLD.subject_id
                         ELSE (SELECT r.user_id FROM recipients r WHERE r.id = OLD.subject_id) END;
    END IF;
    IF coalesce(customer_erased, false) THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = TG_ARGV[0];
END;
$$;
