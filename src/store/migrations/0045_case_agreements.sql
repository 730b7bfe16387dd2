-- 0045_case_agreements.sql - p-agree (issue 16, point 4): agreements
-- signed by both parents (domain/agreements.h). One row per version of
-- a case's agreement: its canonical content (the agreement's fields as
-- compact JSON with sorted keys), the content's SHA-256 (hex), who
-- proposed it (the submission is version 1) and the signers it needs
-- (comma-separated: "applicant,parent"). One row per signature, bound to
-- one version and that version's hash, written in the transaction that
-- signs. Both tables are append-only: a version's content is never
-- updated (a change is a new version), and a signature is never taken
-- back; "signed" is derived (every signer has a row for the version).
CREATE TABLE case_agreements (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  version INTEGER NOT NULL,
  content TEXT NOT NULL,
  hash TEXT NOT NULL,
  signers TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  proposed_by_citizen INTEGER NOT NULL,
  proposed_at INTEGER NOT NULL,
  UNIQUE (case_id, version)
);
CREATE TABLE case_agreement_signatures (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  version INTEGER NOT NULL,
  hash TEXT NOT NULL,
  signer TEXT NOT NULL,
  citizen_id INTEGER NOT NULL,
  signed_at INTEGER NOT NULL,
  UNIQUE (case_id, version, signer)
);
CREATE TRIGGER case_agreements_no_update BEFORE UPDATE ON case_agreements
BEGIN SELECT RAISE(ABORT, 'case_agreements is append-only'); END;
CREATE TRIGGER case_agreements_no_delete BEFORE DELETE ON case_agreements
BEGIN SELECT RAISE(ABORT, 'case_agreements is append-only'); END;
CREATE TRIGGER case_agreement_signatures_no_update
BEFORE UPDATE ON case_agreement_signatures
BEGIN SELECT RAISE(ABORT, 'case_agreement_signatures is append-only'); END;
CREATE TRIGGER case_agreement_signatures_no_delete
BEFORE DELETE ON case_agreement_signatures
BEGIN SELECT RAISE(ABORT, 'case_agreement_signatures is append-only'); END;
