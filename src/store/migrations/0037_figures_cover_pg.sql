-- 0037_figures_cover_pg.sql - pg-figures (issue 14): nothing for SQLite.
-- On PostgreSQL this migration makes the primary keys of fig_agg and
-- fig_proc cover the columns the figures read
-- (migrations-pg/0037_figures_cover_pg.sql). SQLite keeps both tables
-- WITHOUT ROWID (0020, 0023): a filter's days are one range of the
-- primary key's B-tree already. The file exists so that both folders
-- keep the same numbers and names.
SELECT 1;
