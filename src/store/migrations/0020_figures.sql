-- 0020_figures.sql - the service figures (domain/figures.h, issue 12):
-- facts and daily aggregates folded from the event log, and the
-- anonymous per-browser visit id on searches and chats (written by the
-- feedback module) that search success joins on.
--
-- Every row here is derived: the fold (domain/figfold.c) writes it from
-- the events after the cursor (meta 'figures_cursor') in the same
-- transaction that moves the cursor, and `helhed figures-rebuild` empties
-- these tables and folds every event again. Nothing else writes them.

-- One row per inquiry. first_outcome is what the first agent logged (the
-- first outcome other than 'open'; NULL while open); transfers counts the
-- first transfer and every onward one; callback_kept: NULL while no
-- callback was promised or the promised one is not made yet, 1 made by
-- its due time, 0 made late.
CREATE TABLE fig_inquiry (
  id INTEGER PRIMARY KEY,          -- the inquiry's id
  org_id INTEGER NOT NULL,
  channel TEXT NOT NULL,
  started_at INTEGER NOT NULL,     -- epoch seconds
  day INTEGER NOT NULL,            -- YYYYMMDD, Danish
  topic TEXT NOT NULL,             -- KLE as logged at creation ('' none)
  article_id INTEGER NOT NULL,     -- 0: none
  outcome TEXT NOT NULL,           -- the current outcome
  first_outcome TEXT,
  transfers INTEGER NOT NULL,
  callback_due_at INTEGER,         -- the promise outstanding / last kept
  callback_day INTEGER,
  callback_kept INTEGER
);
CREATE INDEX fig_inquiry_org ON fig_inquiry(org_id, day, id);
-- the drill-down: an organisation's newest first
CREATE INDEX fig_inquiry_org_id ON fig_inquiry(org_id, id);
CREATE INDEX fig_inquiry_article ON fig_inquiry(article_id, org_id)
  WHERE article_id <> 0;

-- One row per case. channel: self_service, assisted or follow_up (from
-- the submitting event's actor). paused_s sums every pause; deadline_end
-- is the end of the published deadline (epoch seconds) once decided;
-- proc_days = (decided_at - submitted_at - paused_s) / 86400.
CREATE TABLE fig_case (
  id INTEGER PRIMARY KEY,          -- the case's id
  org_id INTEGER NOT NULL,
  case_type TEXT NOT NULL,
  channel TEXT NOT NULL,
  topic TEXT NOT NULL,             -- the case type's KLE ('' none)
  submitted_at INTEGER NOT NULL,
  day INTEGER NOT NULL,
  state TEXT NOT NULL,
  paused_since INTEGER NOT NULL,   -- 0: not paused
  paused_s INTEGER NOT NULL,
  deadline_days INTEGER NOT NULL,
  closed_at INTEGER NOT NULL,      -- 0: open; a final state reached
  decided INTEGER NOT NULL,        -- 1: closed with a decision
  decided_day INTEGER NOT NULL,    -- 0: not decided
  deadline_day INTEGER NOT NULL,   -- the published deadline's day
  proc_days REAL NOT NULL,
  within INTEGER NOT NULL
);
-- the drill-down: an organisation's newest first
CREATE INDEX fig_case_org_id ON fig_case(org_id, id);
-- medians and percentiles: the processing days of the decisions of a
-- period, read from the index alone (every column a filter names is in
-- it), for all case types and for one
CREATE INDEX fig_case_decided ON fig_case(org_id, decided_day, channel,
  topic, case_type, proc_days) WHERE decided = 1;
CREATE INDEX fig_case_type_decided ON fig_case(org_id, case_type,
  decided_day, channel, topic, proc_days) WHERE decided = 1;

-- One row per rated chat: its first rating (the domain refuses a second).
CREATE TABLE fig_chat (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL,
  day INTEGER NOT NULL,
  rating INTEGER NOT NULL
);

-- One row per "Fandt du det, du søgte?" answer (events entity 'feedback').
CREATE TABLE fig_feedback (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL,         -- 0: the shared knowledge base
  day INTEGER NOT NULL,
  found INTEGER NOT NULL,
  page TEXT NOT NULL,
  article_id INTEGER NOT NULL,
  topic TEXT NOT NULL
);
CREATE INDEX fig_feedback_org ON fig_feedback(org_id, day);

-- Daily aggregates: per organisation, metric, the dimensions a filter
-- may name and Danish day, a count n and a sum. Each event adds to the
-- row of its own channel, case type and topic and to the rows where any
-- of them is '*' (all): the topic both as its KLE main group ('02') and
-- to its second level ('02.34'). So a figure for any filter and period
-- is a sum over at most one row per day (the primary key's prefix
-- names the filter, the days are a range); see docs/figures.md.
CREATE TABLE fig_agg (
  org_id INTEGER NOT NULL,
  metric TEXT NOT NULL,
  channel TEXT NOT NULL,           -- '*': all
  case_type TEXT NOT NULL,         -- '*': all
  topic TEXT NOT NULL,             -- '*': all; '02' or '02.34'
  day INTEGER NOT NULL,
  n INTEGER NOT NULL,
  sum REAL NOT NULL,
  PRIMARY KEY (org_id, metric, channel, case_type, topic, day)
) WITHOUT ROWID;
-- The keys each metric has met per dimension ('channel', 'case_type',
-- 'topic': main groups), for breakdowns: a breakdown reads one range of
-- fig_agg per key instead of every row of the metric.
CREATE TABLE fig_keys (
  org_id INTEGER NOT NULL,
  metric TEXT NOT NULL,
  dim TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (org_id, metric, dim, key)
) WITHOUT ROWID;

-- The anonymous visit id (no personal data) of a search and of a chat.
ALTER TABLE search_log ADD COLUMN visit TEXT;
ALTER TABLE chats ADD COLUMN visit TEXT;
-- search figures per municipality and period; chats from a visit
CREATE INDEX search_log_muni ON search_log(municipality_id, at);
CREATE INDEX chats_visit ON chats(visit, created_at) WHERE visit IS NOT NULL;
