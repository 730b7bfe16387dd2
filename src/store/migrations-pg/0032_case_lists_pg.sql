-- 0032_case_lists_pg.sql - pg-caselist (issue 14): the caseworker's open
-- case lists on PostgreSQL.
-- PostgreSQL's dialect has no counterpart in migrations/0032_case_lists_pg.sql
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
-- the table: the order is the ORDER BY's, the count is an index-only scan of
-- the open cases only (264 pages where cases_open_queue needed 351), and
-- overdue (paused_since IS NULL AND deadline_at < now) and the API's filters
-- (state, case type, assignee) are tested on the INCLUDE columns, not on the
-- table. Measured on the 100,000-case copy: the first page's ids 0.05 ms
-- (21,517 rows walked before), the page 2-6 ms instead of 44.
--
-- The queue's total (count(*) of the open cases) is read from a third,
-- narrow one: with a single key column B-tree deduplication keeps one
-- entry per run of equal keys, and an index-only scan returns each run's
-- rows without handling an index tuple for each. Under SERIALIZABLE each
-- row of an index-only scan also checks a predicate lock. Counting 24,996
-- open cases of one organisation took 3.1 ms (2.0 under REPEATABLE READ)
-- over 264 pages of cases_open_deadline, 1.6 ms (1.0) over this one,
-- which has 44 pages for both organisations.
--
-- cases_open_queue and cases_assigned stay: the first serves ranges of
-- closed_at, the second a caseworker's cases open or closed.
CREATE INDEX cases_open_deadline ON cases(organisation_id, deadline_at, id)
  INCLUDE (paused_since, state, case_type_id, assigned_to)
  WHERE closed_at IS NULL;
CREATE INDEX cases_open_assigned ON cases(assigned_to, organisation_id,
  deadline_at, id) WHERE closed_at IS NULL;
CREATE INDEX cases_open_org ON cases(organisation_id) WHERE closed_at IS NULL;
