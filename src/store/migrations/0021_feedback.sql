-- 0021_feedback.sql - "Fandt du det, du søgte?": one yes/no answer (and an
-- optional comment, personal data scrubbed) per visit, page and Danish
-- day. No name, no citizen, no address: visit is the anonymous hh_visit
-- cookie (128 random bits, one day). Each row is also an event
-- (entity 'feedback'), which the service figures fold.
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,                 -- seconds
  day INTEGER NOT NULL,                -- Danish day, YYYYMMDD
  found INTEGER NOT NULL CHECK (found IN (0, 1)),
  page TEXT NOT NULL CHECK (page IN ('article', 'search')),
  article_id INTEGER REFERENCES articles(id), -- article pages only
  query TEXT,                          -- search pages only, as logged
  comment TEXT,                        -- scrubbed, or NULL
  municipality_id INTEGER REFERENCES organisations(id),
  visit TEXT,
  CHECK ((page = 'article') = (article_id IS NOT NULL)),
  CHECK ((page = 'search') = (query IS NOT NULL))
);
-- one answer per visit, page and day (the domain looks first; this is
-- the second guard)
CREATE UNIQUE INDEX feedback_once ON feedback(visit, day, page,
  ifnull(article_id, 0), ifnull(query, '')) WHERE visit IS NOT NULL;
CREATE INDEX feedback_article ON feedback(article_id, at)
  WHERE article_id IS NOT NULL;
CREATE INDEX feedback_at ON feedback(at);
