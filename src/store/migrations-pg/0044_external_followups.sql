-- 0044_external_followups.sql - x-fix: what each follow-up rule started,
-- per external case; see the SQLite migration.
CREATE TABLE external_followups (
  external_case_id bigint NOT NULL REFERENCES external_cases(id),
  rule text NOT NULL,
  case_id bigint NOT NULL,
  started_at bigint NOT NULL,
  PRIMARY KEY (external_case_id, rule)
);
