-- 0027_search_chosen_kind.sql - a search answered by a guide or a form
-- PostgreSQL's dialect of migrations/0027_search_chosen_kind.sql (docs/postgres.md).
-- (issue 13, s-trap). Until now only an article chosen from the results
-- was recorded (chosen_article_id), so a search that led to a life-event
-- guide (/livssituation/...) or a self-service form (/blanket/...) counted
-- as weak or unanswered in the editors' report and the service figures.
-- chosen_kind is the kind of the document chosen (enum hh_doc_kind: 1 a
-- guide, 2 a form; NULL: nothing of those, an article stays in
-- chosen_article_id) and chosen_doc_id its id (the life event's or the
-- case type's). A search counts as chosen when either is set.
ALTER TABLE search_log ADD COLUMN chosen_kind bigint;
ALTER TABLE search_log ADD COLUMN chosen_doc_id bigint;
-- the figures' search counts read chosen_kind too: the covering index of
-- 0026 with it, so that they still read the index alone
DROP INDEX search_log_muni_cover;
CREATE INDEX search_log_muni_cover ON search_log(municipality_id, at,
  results, chosen_article_id, visit, strength, chosen_kind);
