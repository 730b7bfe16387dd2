-- 0038_case_systems.sql - x-decl (issue 15, points 1, 2 and 6): the case
-- systems an organisation declares (domain/casesystems.h), and what a
-- report now names beside its state.
--
-- One row per (organisation, system): label is the Danish name the
-- organisation gives its system; definition is the declaration as JSON
-- (its case types with their facts and follow-ups, and its states with
-- their stages), checked by the domain when it was declared.
--
-- external_cases gains the case type the report names (a key of the
-- system's declaration), the stage its state had in the declaration when
-- the report was stored, and the facts it carried (JSON, typed by the
-- case type's declaration). Rows stored before this migration keep NULL
-- in all three: they still show in Mit overblik and read back as before
-- (without case type or stage), and the next report of such a case must
-- fit its system's declaration like any other.
CREATE TABLE case_systems (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  system TEXT NOT NULL,
  label TEXT NOT NULL,
  definition TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (organisation_id, system)
);
ALTER TABLE external_cases ADD COLUMN case_type TEXT;
ALTER TABLE external_cases ADD COLUMN stage TEXT;
ALTER TABLE external_cases ADD COLUMN facts TEXT;
