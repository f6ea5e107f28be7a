-- Only calls a caller's device may hold go to the change log: assigned or escalated, now or
-- before the change (so a reassignment still removes the call from the phone that had it).
-- A town-wide list of 30,000 unassigned calls is no device's business; logging each row
-- made declaring slow and had every device page through removals of calls it never held.
-- The WHEN clauses run without calling the trigger function for rows they skip.
DROP TRIGGER IF EXISTS emergency_calls_change_log ON emergency_calls;--> statement-breakpoint
CREATE TRIGGER emergency_calls_change_log_insert AFTER INSERT ON emergency_calls
  FOR EACH ROW WHEN (NEW.assignee_id IS NOT NULL OR NEW.escalated_to IS NOT NULL)
  EXECUTE FUNCTION kaveret_log_change('emergency_call');--> statement-breakpoint
CREATE TRIGGER emergency_calls_change_log_update AFTER UPDATE ON emergency_calls
  FOR EACH ROW WHEN (NEW.assignee_id IS NOT NULL OR OLD.assignee_id IS NOT NULL
    OR NEW.escalated_to IS NOT NULL OR OLD.escalated_to IS NOT NULL)
  EXECUTE FUNCTION kaveret_log_change('emergency_call');
