-- 0032_email_fold_case_refs.sql - pg-ssi (issue 14): nothing for SQLite.
-- On PostgreSQL this migration makes users' emails fold as SQLite's
-- COLLATE NOCASE does (A-Z only; lower() there folded every letter) and
-- drops two references to cases whose checks failed concurrent
-- submissions under SERIALIZABLE (migrations-pg/0032_email_fold_case_refs.sql).
-- SQLite's users.email is UNIQUE COLLATE NOCASE since 0001, and SQLite
-- keeps the references: it lets one writer in at a time. The file exists
-- so that both folders keep the same numbers and names.
SELECT 1;
