-- 0031_case_lists_pg.sql - pg-caselist (issue 14): the caseworker's open
-- case lists on PostgreSQL.
-- PostgreSQL's dialect has no counterpart in migrations/0031_case_lists_pg.sql
-- (a no-op there); see docs/postgres.md, "Reads with 100,000 cases".
--
-- The queue (GET /api/v1/cases, /sagsbehandling) is an organisation's open
-- cases in deadline order: WHERE organisation_id = $1 AND closed_at IS NULL
-- ORDER BY deadline_at, id LIMIT 50. SQLite walks cases_open_queue
-- (organisation_id, closed_at, deadline_at, id, ...) for it, since SQLite
-- treats "closed_at IS NULL" as an equality on the second column. PostgreSQL
-- does not: an IS NULL condition gives no equivalence, so that index's order
-- (closed_at, deadline_at, id) is not the ORDER BY's, and the planner took
-- cases_queue (organisation_id, deadline_at) instead and tested closed_at on
-- every row from the table, walking the organisation's closed cases (the
-- oldest deadlines) before it found 50 open ones: with 100,000 cases, 21,517
-- rows and ~21,700 buffers for the first page, 44 ms of execution. The same
-- for "my cases": cases_assigned (assigned_to, organisation_id, closed_at,
-- deadline_at) needed a sort of all of the caseworker's open cases.
--
-- Partial indexes over the open cases alone, as PostgreSQL (unlike SQLite
-- 3.40, see 0004) takes them for "closed_at IS NULL" and reads them without
-- the table. cases_open_deadline's order is the queue's ORDER BY, and
-- overdue (paused_since IS NULL AND deadline_at < now) and the API's
-- filters (state, case type, assignee) are tested on its INCLUDE columns,
-- not on the table; cases_open_assigned is the same for "my cases".
-- Measured on the 100,000-case copy: the first page's ids in 0.05 ms
-- (21,517 rows walked before), the page in 2-6 ms instead of 44.
--
-- The totals (count(*)) are read from narrow indexes: with few key
-- columns B-tree deduplication keeps one entry per run of equal keys, and
-- an index-only scan returns each run's rows without handling an index
-- tuple for each (under SERIALIZABLE each row of an index-only scan also
-- checks a predicate lock). The 24,996 open cases of one organisation
-- counted in 3.1 ms (2.0 under REPEATABLE READ) over 264 pages of
-- cases_open_deadline, in 1.9 ms over cases_open_state (46 pages for both
-- organisations; 1.7 ms with organisation_id alone, which would not serve
-- the states of a stage: its 19,951 open cases in 1.7 ms, 7 to 10 ms
-- before); the 9,989 cases of a chosen state, open or not
-- (/sagsbehandling?tilstand=), in 1.3 ms over cases_state (0004), in 0.7
-- ms over cases_org_state (89 pages). SQLite counts each in 1 to 3 ms.
--
-- Four more indexes on cases cost each insert and each change of an
-- indexed column an entry more; the partial ones only while the case is
-- open. cases_open_queue and cases_assigned stay: the first serves ranges
-- of closed_at, the second a caseworker's cases open or closed.
--
-- IF NOT EXISTS: the version is the number of migrations applied, and
-- this file was written before 0030 and 0031 were merged; a test or bench
-- database migrated by a build without them runs this file again when a
-- build with them migrates it, and must not fail then.
CREATE INDEX IF NOT EXISTS cases_open_deadline ON cases(organisation_id,
  deadline_at, id) INCLUDE (paused_since, state, case_type_id, assigned_to)
  WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS cases_open_assigned ON cases(assigned_to,
  organisation_id, deadline_at, id) WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS cases_open_state ON cases(organisation_id, state)
  WHERE closed_at IS NULL;
CREATE INDEX IF NOT EXISTS cases_org_state ON cases(organisation_id, state);
