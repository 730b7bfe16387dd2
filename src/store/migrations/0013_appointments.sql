-- 0013_appointments.sql - appointments (tidsbestilling) at the counter,
-- and the per-organisation content data they and the contact pages read.
--
-- A booking holds one counter from start_at to end_at. Two active
-- bookings of one counter never overlap: the domain checks that inside
-- the booking's write transaction (BEGIN IMMEDIATE: writers take turns),
-- and the unique index below refuses a second active booking with the
-- same start at the same counter even if a writer skipped the check.
CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,         -- the booking code (the citizen's key)
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  service TEXT NOT NULL,             -- a counter service's code
  counter INTEGER NOT NULL CHECK (counter >= 1),
  start_at INTEGER NOT NULL,
  end_at INTEGER NOT NULL CHECK (end_at > start_at),
  citizen_id INTEGER REFERENCES citizens(id), -- NULL: booked without sign-in
  name TEXT,
  email TEXT,
  phone TEXT,
  state TEXT NOT NULL CHECK (state IN ('booked', 'cancelled', 'attended',
                                       'no_show')),
  idem_scope TEXT,
  idem_key TEXT,
  request_hash TEXT,
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX appointments_slot
  ON appointments(organisation_id, counter, start_at)
  WHERE state != 'cancelled';
-- a day's list and the overlap check
CREATE INDEX appointments_day ON appointments(organisation_id, start_at);
CREATE INDEX appointments_citizen ON appointments(citizen_id, start_at)
  WHERE citizen_id IS NOT NULL;
CREATE UNIQUE INDEX appointments_idem ON appointments(idem_scope, idem_key)
  WHERE idem_key IS NOT NULL;

-- Content data per organisation, one JSON document per kind, checked by
-- the domain when imported: 'counter' (content/counter-services.json:
-- services, capacity, how far ahead) and 'contact' (the contact details
-- of content/organisations.json).
CREATE TABLE org_documents (
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL CHECK (kind IN ('counter', 'contact')),
  body TEXT NOT NULL,
  PRIMARY KEY (organisation_id, kind)
) WITHOUT ROWID;
