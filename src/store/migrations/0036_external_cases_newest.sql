-- 0036_external_cases_newest.sql - rv2-fix (x-ext): Mit overblik lists
-- a citizen's external cases newest first by the sender's updated_at,
-- else by received_at (docs/external-cases.md): sent_updated_at is 0
-- when the sender gave none, and then the case sorted (and was cut at
-- the limit) below one last updated years ago. The list now orders by
-- COALESCE(NULLIF(sent_updated_at, 0), received_at), id; this index
-- serves that ORDER BY ... LIMIT for one cpr_hash as the old one served
-- sent_updated_at. The expression must stay word for word the one in
-- sqlite_external.c's S_EXT_LIST.
DROP INDEX external_cases_citizen;
CREATE INDEX external_cases_citizen_newest ON external_cases(
  cpr_hash, COALESCE(NULLIF(sent_updated_at, 0), received_at), id);
