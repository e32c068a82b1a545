-- BEFORE INSERT, UPDATE or DELETE on str_attachments: an STR's supporting documents are the
-- drafter's to add and remove while it is a draft; once it is submitted they are part of the
-- report and stay as they are (CONFLICT, whoever writes: the API or psql). An attachment never
-- changes in place: remove it and add the corrected file.
CREATE OR REPLACE FUNCTION str_attachments_guard() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
  str_status text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'CONFLICT' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('message', 'An attachment does not change: remove it and add the corrected file.')::text;
  END IF;
  -- FOR SHARE: a submit racing this insert waits for it, or this waits and sees the new status.
  SELECT status INTO str_status FROM str_reports
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.str_id ELSE NEW.str_id END FOR SHARE;
  IF str_status IS DISTINCT FROM 'draft' THEN
    RAISE EXCEPTION 'CONFLICT' USING ERRCODE = 'DR001',
      DETAIL = jsonb_build_object('status', str_status,
        'message', 'Attachments are added and removed only while the STR is a draft.')::text;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
