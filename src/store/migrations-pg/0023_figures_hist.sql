-- 0023_figures_hist.sql - the service figures over long periods
-- PostgreSQL's dialect of migrations/0023_figures_hist.sql (docs/postgres.md).
-- (domain/figures.h, docs/figures.md "Where the figures come from"):
-- processing times kept per day as the exact list of values, so a
-- median or 90th percentile of a year reads about 366 rows instead of
-- every decision of the year; the covering indexes that read every
-- decision (0020) go.
--
-- Like every fig_ table this is derived: the fold (domain/figfold.c)
-- writes it in the transaction that moves its cursor, and
-- `helhed figures-rebuild` empties it and folds again. A database folded
-- before this migration gets its rows from its fig_case facts on the
-- first catch-up (meta 'figures_proc' marks that done).
--
-- One row per organisation, decision day and the dimensions a filter
-- may name, exactly as fig_agg (each decision is added to the row of its
-- own channel, case type and topic and to those where any of them is
-- '*'): secs holds the processing time of each decision of the row, in
-- whole seconds (decided - submitted - paused, 0 at least), as 4-byte
-- little-endian integers in ascending order; n is how many.
CREATE TABLE fig_proc (
  org_id bigint NOT NULL,
  channel text NOT NULL,           -- '*': all
  case_type text NOT NULL,         -- '*': all
  topic text NOT NULL,             -- '*': all; '02' or '02.34'
  day bigint NOT NULL,            -- the decision's Danish day, YYYYMMDD
  n bigint NOT NULL,
  secs bytea NOT NULL,
  PRIMARY KEY (org_id, channel, case_type, topic, day)
);
DROP INDEX fig_case_decided;
DROP INDEX fig_case_type_decided;

-- The answers to "Fandt du det, du søgte?" per article are kept in
-- fig_agg as metric 'art_found' with the article's id in case_type (n
-- answers, sum found), on the topic rows the fold makes ('*', the KLE
-- main group, the KLE to its second level), so a year's satisfaction per
-- article reads the aggregates instead of every answer. The answers
-- folded before this migration get theirs here, as the fold would have
-- written them.
INSERT INTO fig_agg(org_id, metric, channel, case_type, topic, day, n, sum)
  SELECT org_id, 'art_found', '*', CAST(article_id AS text), tp, day,
         count(*), sum(found)
  FROM (SELECT org_id, article_id, day, found, '*' AS tp FROM fig_feedback
          WHERE article_id <> 0
        UNION ALL
        SELECT org_id, article_id, day, found, substr(topic, 1, 2)
          FROM fig_feedback WHERE article_id <> 0 AND length(topic) >= 2
        UNION ALL
        SELECT org_id, article_id, day, found, substr(topic, 1, 5)
          FROM fig_feedback WHERE article_id <> 0
          AND length(substr(topic, 1, 5)) = 5) AS f
  GROUP BY org_id, article_id, tp, day;
INSERT INTO fig_keys(org_id, metric, dim, key)
  SELECT DISTINCT org_id, 'art_found', 'case_type', CAST(article_id AS text)
  FROM fig_feedback WHERE article_id <> 0
  ON CONFLICT DO NOTHING;

-- The search log is folded into fig_agg ('srch', 'srch_none',
-- 'srch_weak') once a search is final (25 hours after it was made: the
-- chat-within-a-day rule). fig_folded marks the searches the fold has
-- counted (NULL: not yet), so that a figure reads the aggregates for
-- those and the log for the rest, whatever order searches are written in
-- (search ids come in blocks per instance, so ids are not in time order
-- across instances). The partial index holds the searches not folded
-- yet: a day's or so.
ALTER TABLE search_log ADD COLUMN fig_folded bigint;
CREATE INDEX search_log_unfolded ON search_log(municipality_id, at)
  WHERE fig_folded IS NULL;
