-- AFTER INSERT or status UPDATE on transactions: the transfer's timeline (transfer_events) and
-- the customer's spending per day (user_spending_days), which ended transfers give back.
CREATE OR REPLACE FUNCTION transactions_track() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  uncounted constant text[] := ARRAY['cancelled', 'failed', 'refunded'];
  actor text := coalesce(nullif(current_setting('drop.actor', true), ''), 'db:' || session_user);
  reason text := nullif(current_setting('drop.reason', true), '');
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO transfer_events (transaction_id, from_status, to_status, actor, reason)
    VALUES (NEW.id, NULL, NEW.status, actor, reason);
    IF NEW.type = 'transfer' AND NOT NEW.status = ANY (uncounted) THEN
      INSERT INTO user_spending_days AS s (user_id, day, amount_minor)
      VALUES (NEW.user_id, (NEW.created_at AT TIME ZONE 'UTC')::date, NEW.send_amount_minor)
      ON CONFLICT (user_id, day) DO UPDATE SET amount_minor = s.amount_minor + EXCLUDED.amount_minor;
    END IF;
  ELSIF NEW.status IS DISTINCT FROM OLD.status THEN
    INSERT INTO transfer_events (transaction_id, from_status, to_status, actor, reason)
    VALUES (NEW.id, OLD.status, NEW.status, actor, reason);
    IF NEW.type = 'transfer' AND NEW.status = ANY (uncounted) AND NOT OLD.status = ANY (uncounted) THEN
      UPDATE user_spending_days SET amount_minor = amount_minor - NEW.send_amount_minor
       WHERE user_id = NEW.user_id AND day = (NEW.created_at AT TIME ZONE 'UTC')::date;
    END IF;
  END IF;
  RETURN NULL;
END;
$$;
