-- 0040_case_state_since.sql - p-waits (issue 16, point 3): when a case
-- entered its current state (epoch seconds). A case type's timed waits
-- count from it ("the reflection period ends three months after the case
-- entered it"); updated_at cannot serve, since notes and assignments
-- move it. Cases from before take the time of their last state change in
-- the event log (events.at is in microseconds), else when they came in.
ALTER TABLE cases ADD COLUMN state_since INTEGER;
UPDATE cases SET state_since = coalesce(
  (SELECT max(e.at) / 1000000 FROM events e
    WHERE e.entity = 'case' AND e.entity_id = cases.id
      AND e.action IN ('transition', 'request', 'answer')),
  created_at);
