-- 0034_external_cases.sql - x-ext (issue 15, point 1): other authorities'
-- cases as their own case systems report them (domain/external.h).
--
-- One row per (organisation, system, external_id): the reporting
-- organisation, the name its system goes by and the case's id there.
-- The citizen is kept as the citizens table keeps a CPR number (0007):
-- sealed (cpr, under cpr_key) and found by a keyed hash of its digits
-- (cpr_hash under cpr_hash_key), never in clear; the citizen need not
-- have signed in to helhed yet. version is the sender's: a report older
-- than the stored one is refused (the domain, and the update's WHERE).
-- deadline_at, sent_created_at and sent_updated_at are the sender's
-- (epoch seconds, 0: not given); received_at is when helhed stored the
-- version.
CREATE TABLE external_cases (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  system TEXT NOT NULL,
  external_id TEXT NOT NULL,
  cpr TEXT NOT NULL,
  cpr_key TEXT,
  cpr_hash BLOB NOT NULL,
  cpr_hash_key TEXT,
  title TEXT NOT NULL,
  state TEXT NOT NULL,
  citizen_text TEXT NOT NULL,
  deadline_at INTEGER NOT NULL DEFAULT 0,
  self_service_url TEXT,
  version INTEGER NOT NULL,
  sent_created_at INTEGER NOT NULL DEFAULT 0,
  sent_updated_at INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  UNIQUE (organisation_id, system, external_id)
);
-- Mit overblik: the citizen's external cases, newest first
CREATE INDEX external_cases_citizen ON external_cases(cpr_hash, sent_updated_at);
