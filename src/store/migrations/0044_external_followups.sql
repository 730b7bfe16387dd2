-- 0044_external_followups.sql - x-fix (issue 15 review): what each
-- follow-up rule of a declared case system started, per external case,
-- so that a rule starts its helhed case once per external case: not
-- again when the case leaves the rule's state and comes back, and still
-- when a later version in the state corrects the facts the rule reads
-- (domain/external.c). rule is the rule as text (its state, case type
-- and organisation); case_id the helhed case it started.
CREATE TABLE external_followups (
  external_case_id INTEGER NOT NULL REFERENCES external_cases(id),
  rule TEXT NOT NULL,
  case_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  PRIMARY KEY (external_case_id, rule)
);
