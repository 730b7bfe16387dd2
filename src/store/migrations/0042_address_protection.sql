-- 0042_address_protection.sql - p-parties (issue 16, point 2): name and
-- address protection (navne- og adressebeskyttelse) as a flag on the
-- citizen: 1 when the citizen's address must never be shown to another
-- party to their cases (domain/parties.h). Set by the demo content
-- ("address_protected": true); a real deployment takes it from CPR.
ALTER TABLE citizens ADD COLUMN address_protected INTEGER NOT NULL DEFAULT 0;
