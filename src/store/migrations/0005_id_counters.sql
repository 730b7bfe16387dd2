-- 0005_id_counters.sql - ids handed out in blocks by the database (the
-- store's id_block), so that several instances on one database never give
-- out the same id. The search log's counter starts after its stored rows.
CREATE TABLE id_counters (
  name TEXT PRIMARY KEY,
  next_id INTEGER NOT NULL
);
INSERT INTO id_counters(name, next_id)
  SELECT 'search_log', ifnull(max(id), 0) + 1 FROM search_log;
