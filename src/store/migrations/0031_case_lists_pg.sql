-- 0031_case_lists_pg.sql - pg-caselist (issue 14): nothing for SQLite.
-- On PostgreSQL this migration adds partial indexes over the open cases
-- for the caseworker's queue (migrations-pg/0031_case_lists_pg.sql): there
-- "closed_at IS NULL" does not make cases_open_queue's order the queue's.
-- SQLite treats IS NULL as an equality and walks cases_open_queue in
-- deadline order already (0004). The file exists so that both folders
-- keep the same numbers and names.
SELECT 1;
