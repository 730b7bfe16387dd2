-- 0043_search_log_fewer_indexes.sql - s-score (issue 13, point 6), the
-- PostgreSQL dialect of migrations/0043: search_log_muni_cover goes, one
-- B-tree insert fewer for every search the flusher writes. Its one
-- reader, fig_search (the tests' count of the log beside the folded
-- figures), keeps an index plan through search_log_at; every other
-- reader keeps the index it had (docs/search.md has the plans).
DROP INDEX search_log_muni_cover;
