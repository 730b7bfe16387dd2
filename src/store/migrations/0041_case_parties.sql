-- 0041_case_parties.sql - p-parties (issue 16, point 1): the other
-- parties to a case (a spouse, the other parent, a child, a
-- representative), one row each, written in the submission's
-- transaction (domain/parties.h). The invitee's CPR number is kept as
-- citizens keep theirs: sealed (cpr, cpr_key) with a keyed hash
-- (cpr_hash, cpr_hash_key), never in clear; citizen_id is the citizen
-- the number belongs to in the register. status: named, invited,
-- confirmed, declined, expired; version guards each answer.
CREATE TABLE case_parties (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  position INTEGER NOT NULL,
  role TEXT NOT NULL,
  confirm INTEGER NOT NULL,
  citizen_id INTEGER REFERENCES citizens(id),
  cpr TEXT,
  cpr_key TEXT,
  cpr_hash BLOB,
  cpr_hash_key TEXT,
  status TEXT NOT NULL,
  invited_at INTEGER NOT NULL,
  expires_at INTEGER,
  answered_at INTEGER,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (case_id, position)
);
-- Mit overblik's invitations, and the expiry pass
CREATE INDEX case_parties_citizen ON case_parties(citizen_id, id);
CREATE INDEX case_parties_due ON case_parties(expires_at) WHERE status = 'invited';
