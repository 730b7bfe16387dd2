-- 0028_synonym_removal.sql - s-tune (issue 13): editors remove synonym
-- PostgreSQL's dialect of migrations/0028_synonym_removal.sql (docs/postgres.md).
-- rules. A removed rule stays in the table, marked removed, so that
-- neither the seed from content/synonyms.txt at start nor `helhed
-- import` brings it back (both add only rules whose text is not there);
-- an editor adding the same rule again clears the mark. The index and
-- `helhed export` read only the rules not removed.
ALTER TABLE synonyms ADD COLUMN removed_at bigint;
ALTER TABLE synonyms ADD COLUMN removed_by text;
