-- 0036_external_cases_newest.sql - rv2-fix (x-ext): Mit overblik's
-- order of a citizen's external cases.
-- PostgreSQL's dialect of migrations/0036_external_cases_newest.sql
-- (docs/postgres.md): the list orders by the sender's updated_at, else
-- received_at (sent_updated_at 0: not given), then id; this expression
-- index serves that ORDER BY ... LIMIT for one cpr_hash, as the one it
-- replaces served sent_updated_at. The expression must stay the one in
-- postgres_external.c's P_EXT_LIST.
DROP INDEX external_cases_citizen;
CREATE INDEX external_cases_citizen_newest ON external_cases(
  cpr_hash, (COALESCE(NULLIF(sent_updated_at, 0), received_at)), id);
