-- 0040_case_state_since.sql - p-waits (issue 16, point 3): when a case
-- entered its current state (epoch seconds); see the SQLite migration.
ALTER TABLE cases ADD COLUMN state_since bigint;
UPDATE cases SET state_since = coalesce(
  (SELECT max(e.at) / 1000000 FROM events e
    WHERE e.entity = 'case' AND e.entity_id = cases.id
      AND e.action IN ('transition', 'request', 'answer')),
  created_at);
