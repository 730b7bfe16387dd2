-- 0029_change_notify.sql - pg-multi (issue 14): nothing for SQLite.
-- On PostgreSQL this migration adds the triggers that tell other helhed
-- instances on the same database of committed changes (NOTIFY); see
-- migrations-pg/0029_change_notify.sql and docs/postgres.md. A SQLite
-- file is served by one process, whose write paths tell its own
-- subscribers (hh_store_changed), so there is nothing to add here. The
-- file exists so that both folders keep the same numbers and names.
SELECT 1;
