-- 0008_public_ids.sql - a case's public id for Open311 (random, 96 bits,
-- PostgreSQL's dialect of migrations/0008_public_ids.sql (docs/postgres.md).
-- so that the public cannot walk the cases by counting), and the hash of
-- the request an idempotency key was first used with (a reuse with
-- another request is refused, not replayed).
ALTER TABLE cases ADD COLUMN public_id text;
UPDATE cases SET public_id = substr(replace(gen_random_uuid()::text, '-', ''), 1, 24);
CREATE UNIQUE INDEX cases_public_id ON cases(public_id);
ALTER TABLE idempotency ADD COLUMN request_hash text;
