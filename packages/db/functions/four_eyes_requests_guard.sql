-- BEFORE UPDATE on four_eyes_requests: what was proposed never changes, a decided request stays
-- decided, and the person who decides is never the person who proposed (FOUR_EYES_REQUIRED,
-- whoever writes it: the API, the CLI, or psql). The CHECK four_eyes_requests_second_person says
-- the same on the row itself.
CREATE OR REPLACE FUNCTION four_eyes_requests_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF (NEW.id, NEW.kind, NEW.subject_id, NEW.reason, NEW.proposed_by, NEW.proposed_at)
     IS DISTINCT FROM (OLD.id, OLD.kind, OLD.subject_id, OLD.reason, OLD.proposed_by, OLD.proposed_at) THEN
    RAISE EXCEPTION 'what four-eyes request % proposed cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status <> 'pending' THEN
    RAISE EXCEPTION 'CONFLICT' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('status', OLD.status, 'message', format('This request is already %s.', OLD.status))::text;
  END IF;
  IF NEW.status IN ('approved', 'rejected') AND NEW.decided_by IS NOT DISTINCT FROM NEW.proposed_by THEN
    RAISE EXCEPTION 'FOUR_EYES_REQUIRED' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('message', 'A second person must decide: the proposer cannot approve or reject their own request.')::text;
  END IF;
  IF NEW.status <> 'pending' AND NEW.decided_at IS NULL THEN
    NEW.decided_at := now();
  END IF;
  RETURN NEW;
END;
$$;
