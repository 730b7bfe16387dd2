-- 0009_inquiries.sql - inquiries (henvendelser): one row per contact with
-- the front desk, whatever the channel, with its outcome. Channels and
-- outcomes are checked in C (domain/inquiries.c); teams and transfer
-- reasons are content data. Every change is also an event (entity
-- 'inquiry'); version is the optimistic-concurrency counter.
CREATE TABLE inquiries (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  channel TEXT NOT NULL,
  article_id INTEGER REFERENCES articles(id), -- the topic: an article,
  kle TEXT,                                   -- and/or a KLE number
  citizen_id INTEGER REFERENCES citizens(id), -- NULL: anonymous
  agent_id INTEGER REFERENCES users(id),      -- NULL: none (a web form)
  started_at INTEGER NOT NULL,
  ended_at INTEGER,                           -- NULL while open
  outcome TEXT NOT NULL,
  transfer_team TEXT,                         -- outcome 'transferred':
  transfer_org_id INTEGER REFERENCES organisations(id), -- to whom
  transfer_reason TEXT,                       -- and why (a reason code)
  case_id INTEGER REFERENCES cases(id),       -- outcome 'case_created'
  callback_due_at INTEGER,                    -- outcome 'callback_promised'
  note TEXT,
  -- the Idempotency-Key it was created with, the caller's scope, and the
  -- hash of that request (a reuse with another request is refused)
  idem_scope TEXT,
  idem_key TEXT,
  request_hash TEXT,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- the organisation's queue: open ones by start; all of them by start
CREATE INDEX inquiries_open ON inquiries(organisation_id, started_at, id)
  WHERE outcome = 'open';
CREATE INDEX inquiries_org ON inquiries(organisation_id, started_at, id);
-- a citizen's history
CREATE INDEX inquiries_citizen ON inquiries(citizen_id, started_at, id)
  WHERE citizen_id IS NOT NULL;
CREATE UNIQUE INDEX inquiries_idem ON inquiries(idem_scope, idem_key)
  WHERE idem_key IS NOT NULL;

-- Content data per organisation (content/teams.json): the teams an
-- inquiry is transferred to (kind 'team') and the reason codes of a
-- transfer (kind 'reason').
CREATE TABLE inquiry_codes (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL CHECK (kind IN ('team', 'reason')),
  code TEXT NOT NULL,
  label TEXT NOT NULL,
  PRIMARY KEY (organisation_id, kind, code)
) WITHOUT ROWID;
