-- 0046_party_letters.sql - p-letters (issue 16, point 1): letters to the
-- parties of a case (domain/partyletters.h). helhed itself writes them
-- when a party is invited and when a decline or an expiry closes the
-- case, so such a letter has no author (author_id NULL; the closing
-- names the organisation only). party_event says which event of the
-- case a letter tells of ("invited:<party row>", "closed"): one letter
-- per case, recipient and event, which the unique index holds even
-- against a bug that would send it twice.
--
-- SQLite cannot drop a NOT NULL constraint in place: the table is
-- rebuilt (with its PDFs: this migration copies every letter once).
-- messages.letter_id refers to letters; with the checks deferred the
-- rows that the DROP orphans are matched again by the INSERT before
-- the migration's transaction commits.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE letters_0046 AS SELECT * FROM letters;
DROP TABLE letters;
CREATE TABLE letters (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  case_id INTEGER REFERENCES cases(id),
  citizen_id INTEGER REFERENCES citizens(id),
  -- granted, refused, partly_granted, request, hearing, closing, and the
  -- parties' party_invitation, party_declined(_party), party_expired(_party)
  kind TEXT NOT NULL,
  template TEXT NOT NULL,          -- the template's code
  state TEXT NOT NULL CHECK (state IN
    ('draft', 'awaiting_approval', 'approved', 'sent', 'cancelled')),
  decision TEXT,                   -- the case state the letter records
  title TEXT NOT NULL,
  body TEXT NOT NULL,              -- merged text (paragraphs, "## ", "- ")
  fields TEXT NOT NULL DEFAULT '{}', -- JSON: the free parts as written
  reply_allowed INTEGER NOT NULL DEFAULT 0,
  reply_by INTEGER,                -- the citizen's deadline to answer
  author_id INTEGER REFERENCES users(id), -- NULL: written by helhed
  approver_id INTEGER REFERENCES users(id),
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  approved_at INTEGER,
  sent_at INTEGER,
  read_at INTEGER,                 -- first opened by the citizen
  pdf BLOB,                        -- rendered when sent
  message_id TEXT UNIQUE,          -- the MeMo message's UUID, set when sent
  party_event TEXT                 -- a letter to a party: which event
);
INSERT INTO letters(id, organisation_id, case_id, citizen_id, kind, template,
  state, decision, title, body, fields, reply_allowed, reply_by, author_id,
  approver_id, version, created_at, updated_at, approved_at, sent_at, read_at,
  pdf, message_id)
SELECT id, organisation_id, case_id, citizen_id, kind, template, state,
  decision, title, body, fields, reply_allowed, reply_by, author_id,
  approver_id, version, created_at, updated_at, approved_at, sent_at, read_at,
  pdf, message_id FROM letters_0046;
DROP TABLE letters_0046;
CREATE INDEX letters_citizen ON letters(citizen_id, id) WHERE state = 'sent';
CREATE INDEX letters_case ON letters(case_id, id);
CREATE INDEX letters_approval ON letters(organisation_id, id)
  WHERE state = 'awaiting_approval';
CREATE INDEX letters_inbox ON letters(citizen_id, sent_at, id, read_at)
  WHERE state = 'sent';
CREATE UNIQUE INDEX letters_party_event ON letters(case_id, citizen_id,
  party_event) WHERE party_event IS NOT NULL;
-- p-letters (issue 16, point 3): a party named by a CPR number the
-- register knew and helhed did not has no citizen yet; their sign-in
-- finds the row by the number's keyed hash.
CREATE INDEX case_parties_unclaimed ON case_parties(cpr_hash)
  WHERE citizen_id IS NULL;
