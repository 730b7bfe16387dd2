-- 0019_inbox.sql - the citizen's inbox in Mit overblik: a citizen's sent
-- PostgreSQL's dialect of migrations/0019_inbox.sql (docs/postgres.md).
-- letters newest sent first, read a page at a time. 0015's
-- letters_citizen orders by id, which is the order letters were drafted
-- in, not sent in (a draft may wait for approval while a later one goes
-- out); this index gives the inbox its order without a sort, and counts
-- the unread ones from the index alone.
CREATE INDEX letters_inbox ON letters(citizen_id, sent_at, id, read_at)
  WHERE state = 'sent';
