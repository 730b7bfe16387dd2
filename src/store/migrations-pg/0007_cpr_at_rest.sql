-- 0007_cpr_at_rest.sql - CPR numbers sealed at rest (src/domain/vault.c).
-- PostgreSQL's dialect of migrations/0007_cpr_at_rest.sql (docs/postgres.md).
--
-- The domain seals every CPR number before it writes one and opens it
-- after it reads one; these columns name the key each row is sealed
-- under, so that sealing the rows written before this migration and a
-- key rotation can go a batch at a time and pick up where they stopped.
-- A NULL key means "not sealed yet" (rows from before this migration,
-- sealed by the domain's first start after it).

-- citizens.cpr holds the sealed form "v1:KEYID:..." under cpr_key;
-- cpr_hash is a keyed hash of the number's 10 digits (under the hash key
-- cpr_hash_key) for finding a citizen by CPR without opening every row.
ALTER TABLE citizens ADD COLUMN cpr_key text;
ALTER TABLE citizens ADD COLUMN cpr_hash bytea;
ALTER TABLE citizens ADD COLUMN cpr_hash_key text;
CREATE INDEX citizens_cpr_hash ON citizens(cpr_hash);

-- CPR numbers in a case's form values (data) are sealed in place; the
-- row names the key they are sealed under.
ALTER TABLE cases ADD COLUMN seal_key text;
