-- 0017_delivery.sql - Digital Post delivery: the sender's CVR number that
-- a MeMo message names, the print batches for citizens exempt from
-- Digital Post, and an index for the delivery pass.

-- The organisation's CVR number (8 digits), the sender of its Digital
-- Post; from organisations.json ("cvr"). NULL: not known, and then its
-- letters cannot go by Digital Post (they wait in the error queue).
ALTER TABLE organisations ADD COLUMN cvr TEXT;

-- One PDF for the mail room per organisation and run of the print batch.
-- A day's first run is seq 1; running again the same day prints only the
-- letters that came since, as seq 2, and so on. The messages printed in
-- it have state 'printed' and print_batch = day.
CREATE TABLE print_batches (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  day TEXT NOT NULL,               -- Danish date, YYYY-MM-DD
  seq INTEGER NOT NULL,
  file TEXT NOT NULL,              -- its name under <spool>/print/
  letters INTEGER NOT NULL,
  pages INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (organisation_id, day, seq)
);

-- The delivery pass reads the due messages that are not waiting for the
-- print batch; letters for print wait in their own index.
CREATE INDEX messages_due_pass ON messages(next_attempt_at, id)
  WHERE state = 'queued' AND channel IS NOT 'print';
CREATE INDEX messages_print_wait ON messages(organisation_id, id)
  WHERE state = 'queued' AND channel IS 'print';
