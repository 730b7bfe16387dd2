-- 0032_email_fold_case_refs.sql - pg-ssi (issue 14), PostgreSQL only: a
-- user's email folded as SQLite folds it, and two references to cases
-- whose checks made concurrent submissions fail. SQLite's file of this
-- number (migrations/0032_email_fold_case_refs.sql) is a no-op.
--
-- 1. Emails. SQLite's users.email is UNIQUE COLLATE NOCASE: A-Z equal
-- a-z, and nothing else is folded. 0001 put lower(email) in its place, on
-- the belief that lower() folds only ASCII; in a C.UTF-8 database (the
-- one helhed asks for) it folds every letter libc knows: "İ" (U+0130) to
-- "i", the Kelvin sign "K" (U+212A) to "k", "Æ" to "æ". So on PostgreSQL
-- "edİtor@kommune.dk" found the user "editor@kommune.dk", and two
-- users "ærø@…" and "ÆRØ@…", distinct on SQLite, conflicted. The one
-- fold both backends now share is helhed_fold_ascii(): A-Z to a-z. It is
-- IMMUTABLE (translate() with constant arguments), so it can be indexed;
-- the planner inlines the SQL function on both sides, and the look-up
-- (user_get_by_email) uses the index. Emails unique under lower() are
-- unique under this narrower fold too, so the new index builds on any
-- database 0001 to 0031 made.
CREATE FUNCTION helhed_fold_ascii(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                         'abcdefghijklmnopqrstuvwxyz') $$;
DROP INDEX users_email;
CREATE UNIQUE INDEX users_email ON users(helhed_fold_ascii(email));

-- 2. idempotency.case_id and case_files.case_id no longer REFERENCES
-- cases(id) on PostgreSQL. Under SERIALIZABLE a foreign key's check is a
-- read of cases_pkey, and it takes a predicate lock on the leaf page that
-- holds the new case's id: the newest leaf, where every concurrent
-- submission inserts its own case. Each such check made a read/write
-- dependency with every submission that inserted after it, and
-- PostgreSQL failed submissions as pivots of those (40001, mostly at
-- COMMIT): with the case's read-back also off that leaf
-- (postgres_cases.c, case_get), 430 to 880 failures in 10 s of three
-- instances with the references, none after the first seconds without
-- them (docs/postgres.md, "Read/write dependencies between submissions").
-- A deferred check only moves the read to COMMIT and failed as often.
-- What the references guarded still holds: cases are never deleted, and
-- the only writers of these rows are the domain's submission (with the
-- case it inserted in the same transaction) and a case's answer (with a
-- case it has just read, in the same transaction). SQLite keeps them: it
-- lets one writer in at a time and has no such failures.
ALTER TABLE idempotency DROP CONSTRAINT idempotency_case_id_fkey;
ALTER TABLE case_files DROP CONSTRAINT case_files_case_id_fkey;
