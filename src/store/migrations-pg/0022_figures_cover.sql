-- 0022_figures_cover.sql - covering indexes for the service figures'
-- PostgreSQL's dialect of migrations/0022_figures_cover.sql (docs/postgres.md).
-- reads over a long period (domain/figures.h), measured on the generated
-- year (helhed demo-year: 1.24 million inquiries, 590,000 searches):
-- the inquiries answered with an article (figures by article, S_FIG_ART_*)
-- and the search figures (S_FIG_SEARCH) read every row of the period
-- from the table after its index; with these they read the index alone.
-- A year's /api/v1/figures for 901 went from about 1.0 s to 0.53 s
-- (docs/benchmarks.md).
CREATE INDEX fig_inquiry_org_article ON fig_inquiry(org_id, day, article_id,
  first_outcome, channel, topic) WHERE article_id <> 0;
CREATE INDEX search_log_muni_cover ON search_log(municipality_id, at,
  results, chosen_article_id, visit);
DROP INDEX search_log_muni;
