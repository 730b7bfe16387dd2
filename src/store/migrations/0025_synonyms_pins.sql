-- 0025_synonyms_pins.sql - s-edit (issue 13): the search's synonyms live
-- in the store (content/synonyms.txt is loaded into it on the first start
-- or import, and editors add to it from the report of searches without
-- answers), and an organisation's editors pin an article to a query:
-- for that exact (normalised) query in the organisation's municipality
-- the article ranks first. Each change is also an event.
CREATE TABLE synonyms (
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL UNIQUE,           -- one line in synonyms.txt's format
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE TABLE search_pins (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  query TEXT NOT NULL,                 -- normalised: case folded, one space
  article_id INTEGER NOT NULL REFERENCES articles(id),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (organisation_id, query)
);
