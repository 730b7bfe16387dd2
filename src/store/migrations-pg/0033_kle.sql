-- 0033_kle.sql - kle (issue 15): the KLE classification imported from
-- KL's emneplan XML. PostgreSQL's dialect of migrations/0033_kle.sql
-- (docs/postgres.md), which says what the columns hold.
CREATE TABLE kle (
  number text PRIMARY KEY COLLATE "C",
  level integer NOT NULL CHECK (level BETWEEN 1 AND 3),
  title text NOT NULL,
  in_use_from text,
  in_use_to text,
  updated_at bigint NOT NULL
);
CREATE INDEX kle_level ON kle(level);
