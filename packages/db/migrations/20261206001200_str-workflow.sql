-- Up Migration

-- The STR workflow in the database (issue 13): allowed status steps, content fixed once submitted,
-- a filed STR unchangeable, and the drafter never the approver (str_reports_guard.sql). ENABLE
-- ALWAYS, so replica mode cannot skip it either.
CREATE TRIGGER str_reports_guard BEFORE UPDATE ON str_reports
  FOR EACH ROW EXECUTE FUNCTION str_reports_guard();
ALTER TABLE str_reports ENABLE ALWAYS TRIGGER str_reports_guard;

-- Down Migration
DROP TRIGGER IF EXISTS str_reports_guard ON str_reports;
