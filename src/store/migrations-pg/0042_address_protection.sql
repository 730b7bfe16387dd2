-- 0042_address_protection.sql - p-parties (issue 16, point 2): name and
-- address protection as a flag on the citizen; see the SQLite migration.
ALTER TABLE citizens ADD COLUMN address_protected integer NOT NULL DEFAULT 0;
