-- 0004_case_queue_indexes.sql - indexes for the caseworker's queue.
-- PostgreSQL's dialect of migrations/0004_case_queue_indexes.sql (docs/postgres.md).
--
-- The queue lists an organisation's open cases by deadline, with the total
-- count, optionally narrowed to overdue, a state, a case type or an
-- assignee (case_list in src/store/sqlite.c). With only
-- cases_queue(organisation_id, deadline_at) SQLite read every case of the
-- organisation from the table to test closed_at and the filters, for the
-- count and for the page alike; closed cases have the oldest deadlines, so
-- even the first page walked past all of them. At 100,000 cases that was
-- 100-700 ms a request (bench/cases.sh). Measured on SQLite 3.40.1:
--
-- cases_open_queue: closed_at second makes "open" an equality (IS NULL);
-- id right after deadline_at lets the index give ORDER BY deadline_at, id
-- as it is (else the planner goes back to cases_queue to avoid a sort); the
-- columns after id let the count and the filters be answered from the index
-- alone, so only the rows of the page are read from the table. (A partial
-- index WHERE closed_at IS NULL is not taken as covering by SQLite 3.40,
-- so the count would go back to the table.)
CREATE INDEX cases_open_queue ON cases(organisation_id, closed_at, deadline_at,
  id, paused_since, state, case_type_id, assigned_to);

-- "My cases" (assigned=me): a caseworker's open cases by deadline, counted
-- from the index.
CREATE INDEX cases_assigned ON cases(assigned_to, organisation_id, closed_at,
  deadline_at);

-- A chosen state, open or not (the /sagsbehandling page lists closed cases
-- too when a state is chosen): counted from the index and walked in
-- deadline order. case_type_id, closed_at and assigned_to after id keep the
-- API's state + case type filter answerable from this index alone, which
-- the planner picks for it once the index exists.
CREATE INDEX cases_state ON cases(organisation_id, state, deadline_at, id,
  case_type_id, closed_at, assigned_to);
