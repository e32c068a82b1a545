-- BEFORE UPDATE on str_reports: the STR workflow, whoever writes it (the API, the CLI, or psql).
-- An STR goes draft → awaiting_approval → approved → filed (or back to draft when the approver
-- returns it, or rejected); its content (details, the transfer, the type) changes only while it is
-- a draft, except the note that UD was notified of a sanctions hit; a filed STR never changes; and
-- the approver is never the drafter (FOUR_EYES_REQUIRED; the CHECK on the row says the same), nor is
-- the one who rejects it (rejected_by, required for 'rejected').
-- Rows the runbook INSERTs as 'filed' are INSERTs, which this does not see.
CREATE OR REPLACE FUNCTION str_reports_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  IF (NEW.id, NEW.reference, NEW.user_id, NEW.case_id, NEW.drafted_by, NEW.created_at)
     IS DISTINCT FROM (OLD.id, OLD.reference, OLD.user_id, OLD.case_id, OLD.drafted_by, OLD.created_at) THEN
    RAISE EXCEPTION 'who and what STR % is about cannot change', OLD.reference USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status IN ('filed', 'rejected') THEN
    RAISE EXCEPTION 'CONFLICT' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('status', OLD.status, 'message', format('This STR is %s: it does not change any more.', OLD.status))::text;
  END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
       (OLD.status = 'draft' AND NEW.status IN ('awaiting_approval', 'rejected'))
    OR (OLD.status = 'awaiting_approval' AND NEW.status IN ('approved', 'draft', 'rejected'))
    OR (OLD.status = 'approved' AND NEW.status IN ('filed', 'rejected'))) THEN
    RAISE EXCEPTION 'CONFLICT' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('status', OLD.status,
        'message', format('An STR that is %s cannot become %s.', OLD.status, NEW.status))::text;
  END IF;
  -- The content is the drafter's until they submit it; after that only the UD note is added.
  IF NOT (OLD.status = 'draft' AND NEW.status = 'draft')
     AND ((NEW.details #- '{document,mfaNotifiedAt}', NEW.transaction_id, NEW.report_type)
          IS DISTINCT FROM (OLD.details #- '{document,mfaNotifiedAt}', OLD.transaction_id, OLD.report_type)) THEN
    RAISE EXCEPTION 'CONFLICT' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('status', OLD.status,
        'message', 'Only a draft can be edited: return it to the drafter first.')::text;
  END IF;
  IF NEW.status = 'approved' AND OLD.status <> 'approved'
     AND (NEW.approved_by IS NULL OR NEW.approved_by IS NOT DISTINCT FROM NEW.drafted_by) THEN
    RAISE EXCEPTION 'FOUR_EYES_REQUIRED' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('message', 'A second person must approve: the drafter cannot approve their own STR.')::text;
  END IF;
  IF NEW.status = 'rejected' AND OLD.status <> 'rejected'
     AND (NEW.rejected_by IS NULL OR NEW.rejected_by IS NOT DISTINCT FROM NEW.drafted_by) THEN
    RAISE EXCEPTION 'FOUR_EYES_REQUIRED' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('message', 'A second person must reject: the drafter cannot reject their own STR.')::text;
  END IF;
  IF NEW.status = 'rejected' AND OLD.status <> 'rejected' THEN
    NEW.rejected_at := coalesce(NEW.rejected_at, now());
  END IF;
  IF NEW.status = 'awaiting_approval' AND OLD.status = 'draft' THEN
    NEW.submitted_at := coalesce(NEW.submitted_at, now());
  END IF;
  IF NEW.status = 'approved' AND OLD.status <> 'approved' THEN
    NEW.approved_at := coalesce(NEW.approved_at, now());
  END IF;
  IF NEW.status = 'filed' THEN
    NEW.filed_at := coalesce(NEW.filed_at, now());
  END IF;
  -- Returned to the drafter: the approval it did not get is not kept on the row.
  IF NEW.status = 'draft' AND OLD.status = 'awaiting_approval' THEN
    NEW.submitted_at := NULL;
    NEW.approved_by := NULL;
    NEW.approved_at := NULL;
  END IF;
  RETURN NEW;
END;
$$;
