-- 0026_search_strength.sql - how sure each logged search was of its best
-- PostgreSQL's dialect of migrations/0026_search_strength.sql (docs/postgres.md).
-- hit (issue 13, s-rank): 0 none (no hits), 1 weak (only weak evidence:
-- one part of a compound word, a common word of a longer question), 2
-- strong; NULL for searches logged before, or by a caller that does not
-- know (the generated demo year). The editors' report of searches that
-- did not help counts weak searches as weak, not as answered, and so do
-- the service figures (a weak search is not a search that helped).
ALTER TABLE search_log ADD COLUMN strength bigint;
-- the figures' search counts read strength too: the covering index of
-- 0022 with it, so that they still read the index alone
DROP INDEX search_log_muni_cover;
CREATE INDEX search_log_muni_cover ON search_log(municipality_id, at,
  results, chosen_article_id, visit, strength);
