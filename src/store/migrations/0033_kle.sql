-- 0033_kle.sql - kle (issue 15): the KLE classification, imported from
-- KL's emneplan XML by `helhed import-kle FILE` (domain/kle.h), so that
-- the KLE numbers articles, case types and cases carry have titles.
-- One row per number: a main group ("16", level 1), a group ("16.10",
-- level 2) or a subject ("16.10.00", level 3). in_use_from and in_use_to
-- are days as KL writes them (YYYY-MM-DD): in_use_to is set when KL marks
-- the number out of use, or when a newer file no longer has it (then the
-- day that file was published). Rows are never deleted: old cases keep
-- their numbers. The data is KL's and is not shipped with helhed.
CREATE TABLE kle (
  number TEXT PRIMARY KEY,
  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
  title TEXT NOT NULL,
  in_use_from TEXT,
  in_use_to TEXT,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX kle_level ON kle(level);
