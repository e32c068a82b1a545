-- BEFORE UPDATE on transactions: amounts, parties, quote and reference never change, and every status change
-- follows transfer_status_transitions (a held transfer goes back to where it was, or out through
-- that state's own exit).
CREATE OR REPLACE FUNCTION transactions_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW.user_id <> OLD.user_id OR NEW.type <> OLD.type OR NEW.send_amount_minor <> OLD.send_amount_minor
     OR NEW.fee_minor <> OLD.fee_minor OR NEW.receive_amount_minor IS DISTINCT FROM OLD.receive_amount_minor
     OR NEW.receive_currency IS DISTINCT FROM OLD.receive_currency OR NEW.fx_rate IS DISTINCT FROM OLD.fx_rate
     OR NEW.quote_id IS DISTINCT FROM OLD.quote_id OR NEW.recipient_id IS DISTINCT FROM OLD.recipient_id
     OR NEW.ledger_shard <> OLD.ledger_shard OR NEW.created_at <> OLD.created_at OR NEW.reference <> OLD.reference THEN
    RAISE EXCEPTION 'the amounts, parties and quote of transaction % cannot change', OLD.id
      USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    IF NOT EXISTS (SELECT 1 FROM transfer_status_transitions WHERE from_status = OLD.status AND to_status = NEW.status) THEN
      RAISE EXCEPTION 'TRANSFER_STATE_INVALID' USING ERRCODE = 'DR001',
        DETAIL = jsonb_build_object('from', OLD.status, 'to', NEW.status, 'message',
          format('A transfer that is %s cannot become %s.', OLD.status, NEW.status))::text;
    END IF;
    IF NEW.status = 'held' THEN
      NEW.held_from := OLD.status;
    ELSIF OLD.status = 'held' THEN
      -- From hold: back to the same state, or out through that state's own exit.
      IF NOT (NEW.status = OLD.held_from
              OR (OLD.held_from = 'awaiting_funds' AND NEW.status = 'cancelled')
              OR (OLD.held_from = 'funds_received' AND NEW.status = 'refunded')
              OR (OLD.held_from = 'processing' AND NEW.status = 'failed')) THEN
        RAISE EXCEPTION 'TRANSFER_STATE_INVALID' USING ERRCODE = 'DR001',
          DETAIL = jsonb_build_object('from', 'held', 'to', NEW.status, 'heldFrom', OLD.held_from, 'message',
            format('A transfer held while %s cannot become %s.', OLD.held_from, NEW.status))::text;
      END IF;
      NEW.held_from := NULL;
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
