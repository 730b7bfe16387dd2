-- 0002_search_log.sql - what citizens searched for, without personal data.
CREATE TABLE search_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  query TEXT NOT NULL,
  municipality_id INTEGER,
  results INTEGER NOT NULL,
  chosen_article_id INTEGER,
  chosen_at INTEGER
);
CREATE INDEX search_log_at ON search_log(at);
CREATE INDEX search_log_chosen ON search_log(chosen_article_id) WHERE chosen_article_id IS NOT NULL;
