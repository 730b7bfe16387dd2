-- 0037_figures_cover_pg.sql - pg-figures (issue 14): the service figures'
-- daily aggregates read from their primary keys alone on PostgreSQL.
-- PostgreSQL's dialect has no counterpart in migrations/0037_figures_cover_pg.sql
-- (a no-op there); see docs/postgres.md, "The service figures".
--
-- A figure for a filter and a period sums one range of fig_agg's primary
-- key: one row per day (docs/figures.md). In SQLite fig_agg is WITHOUT
-- ROWID, so that range is a few adjacent pages of one B-tree. In
-- PostgreSQL the rows live in a heap beside the key, in the order the
-- fold wrote them: day by day, every metric and dimension of a day
-- together. So each day of a range was on a page of its own: on a copied
-- demo year (scale 0.2) a 12-month breakdown of inquiries by topic read
-- 4,333 rows from about 2,180 heap pages (12 ms with every page in
-- memory, 36 ms from the disk), a total 364 rows from 139 pages.
--
-- With n and sum in the key's leaf (INCLUDE) those reads are index-only
-- scans: the same breakdown read 84 pages (4.8 ms from the disk), and the
-- heap is visited only for the pages changed since the last vacuum (the
-- last days, which the fold still updates). The key stays the conflict
-- target of the fold's upsert (ON CONFLICT on the key columns). The cost
-- is on the fold: n and sum are now indexed, so its updates are no
-- longer HOT and each adds a key entry (B-tree bottom-up deletion
-- removes the old versions as the leaf fills). fig_proc's key gets n for
-- the count of decisions (fig_proc_count); its secs are too long for a
-- key and stay in the heap (one row a day, about 140 pages a year).
ALTER TABLE fig_agg DROP CONSTRAINT fig_agg_pkey,
  ADD CONSTRAINT fig_agg_pkey
    PRIMARY KEY (org_id, metric, channel, case_type, topic, day) INCLUDE (n, sum);
ALTER TABLE fig_proc DROP CONSTRAINT fig_proc_pkey,
  ADD CONSTRAINT fig_proc_pkey
    PRIMARY KEY (org_id, channel, case_type, topic, day) INCLUDE (n);
