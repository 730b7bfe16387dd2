-- 0005_id_counters.sql - ids handed out in blocks by the database (the
-- PostgreSQL's dialect of migrations/0005_id_counters.sql (docs/postgres.md).
-- store's id_block), so that several instances on one database never give
-- out the same id. The search log's counter starts after its stored rows.
CREATE TABLE id_counters (
  name text PRIMARY KEY,
  next_id bigint NOT NULL
);
INSERT INTO id_counters(name, next_id)
  SELECT 'search_log', coalesce(max(id), 0) + 1 FROM search_log;
