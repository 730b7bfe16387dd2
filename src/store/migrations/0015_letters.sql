-- 0015_letters.sql - decisions reach the citizen: letters written from
-- templates on a case, the Digital Post messages that carry them, and what
-- a letter needs to know of its recipient (address, exemption from
-- Digital Post).
--
-- A letter is drafted on a case by its author, approved by a second
-- caseworker where the case type asks for four eyes, and sent: sending
-- renders its PDF, fixes its text, and queues one message in the same
-- transaction. From then on the letter never changes; the message carries
-- it to the citizen's Digital Post, the print batch, or the error queue.

-- The citizen's postal address (from the CPR register in production; the
-- demo citizens' are in content/citizens.json) and exemption from Digital
-- Post (fritaget for Digital Post: since when and why).
ALTER TABLE citizens ADD COLUMN address TEXT;     -- street and number
ALTER TABLE citizens ADD COLUMN postcode TEXT;    -- four digits
ALTER TABLE citizens ADD COLUMN city TEXT;
ALTER TABLE citizens ADD COLUMN dp_exempt_since INTEGER; -- NULL: not exempt
ALTER TABLE citizens ADD COLUMN dp_exempt_reason TEXT;

CREATE TABLE letters (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  case_id INTEGER REFERENCES cases(id),
  citizen_id INTEGER REFERENCES citizens(id),
  -- granted, refused, partly_granted, request, hearing, closing
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
  author_id INTEGER NOT NULL REFERENCES users(id),
  approver_id INTEGER REFERENCES users(id),
  version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  approved_at INTEGER,
  sent_at INTEGER,
  read_at INTEGER,                 -- first opened by the citizen
  pdf BLOB,                        -- rendered when sent
  message_id TEXT UNIQUE           -- the MeMo message's UUID, set when sent
);
CREATE INDEX letters_citizen ON letters(citizen_id, id) WHERE state = 'sent';
CREATE INDEX letters_case ON letters(case_id, id);
CREATE INDEX letters_approval ON letters(organisation_id, id)
  WHERE state = 'awaiting_approval';

-- One message per sent letter. The message id (a UUID) is the idempotency
-- key towards the transport: a retry or a restart sends the same id, and
-- the spool transport writes the file under that name.
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL UNIQUE,
  letter_id INTEGER NOT NULL UNIQUE REFERENCES letters(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  citizen_id INTEGER REFERENCES citizens(id),
  -- digital_post, print (the daily print batch), error (no way to reach
  -- the citizen: the visible error queue); NULL until routed
  channel TEXT CHECK (channel IN ('digital_post', 'print', 'error')),
  state TEXT NOT NULL CHECK (state IN
    ('queued', 'sent', 'delivered', 'failed', 'printed', 'error')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  sent_at INTEGER,
  delivered_at INTEGER,
  print_batch TEXT                 -- the batch (date) it was printed in
);
CREATE INDEX messages_due ON messages(next_attempt_at, id)
  WHERE state = 'queued';
CREATE INDEX messages_org_state ON messages(organisation_id, state, id);
