-- 0003_cases.sql - life-event guides, case types, citizens, plans, cases,
-- idempotency keys, uploaded files and the audit log of personal data.
ALTER TABLE life_events ADD COLUMN definition TEXT NOT NULL DEFAULT '{}';

CREATE TABLE case_types (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  organisation TEXT NOT NULL, -- an organisation code, or 'municipality'
  name TEXT NOT NULL,
  public INTEGER NOT NULL,
  definition TEXT NOT NULL,   -- states, transitions, deadline, form (JSON)
  updated_at INTEGER NOT NULL
);

CREATE TABLE citizens (
  id INTEGER PRIMARY KEY,
  subject TEXT NOT NULL UNIQUE, -- the identity provider's subject
  name TEXT NOT NULL,
  cpr TEXT,
  municipality_id INTEGER REFERENCES organisations(id),
  created_at INTEGER NOT NULL
);

CREATE TABLE citizen_sessions (
  token_hash BLOB PRIMARY KEY,
  citizen_id INTEGER NOT NULL REFERENCES citizens(id),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE plans (
  id INTEGER PRIMARY KEY,
  citizen_id INTEGER NOT NULL REFERENCES citizens(id),
  life_event_id INTEGER NOT NULL REFERENCES life_events(id),
  answers TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX plans_citizen ON plans(citizen_id, id);

CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  case_type_id INTEGER NOT NULL REFERENCES case_types(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  citizen_id INTEGER REFERENCES citizens(id),
  plan_id INTEGER REFERENCES plans(id),
  step TEXT,
  parent_case_id INTEGER REFERENCES cases(id),
  state TEXT NOT NULL,
  assigned_to INTEGER REFERENCES users(id),
  data TEXT NOT NULL,          -- the form values (JSON)
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deadline_at INTEGER NOT NULL,
  paused_since INTEGER,        -- set while awaiting the citizen
  closed_at INTEGER
);
CREATE INDEX cases_queue ON cases(organisation_id, deadline_at);
CREATE INDEX cases_citizen ON cases(citizen_id, id);
CREATE INDEX cases_plan ON cases(plan_id);

CREATE TABLE idempotency (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE TABLE case_files (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  field TEXT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  data BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX case_files_case ON case_files(case_id);

-- Every read of a citizen's personal data: who, when, which citizen, why.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  citizen_id INTEGER NOT NULL,
  what TEXT NOT NULL,
  why TEXT NOT NULL
);
CREATE INDEX audit_citizen ON audit_log(citizen_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
