-- 0011_desk.sql - the agent's desk (Borgerservice): what its reads need
-- and the transfers of an inquiry to another team or organisation.

-- "answered with this article": inquiries per article and outcome (the
-- article's usefulness for editors)
CREATE INDEX inquiries_article ON inquiries(article_id, outcome)
  WHERE article_id IS NOT NULL;
-- callbacks due: main's 0014_inquiry_callbacks.sql indexes the promised
-- callbacks per organisation by due time (inquiries_callbacks), which the
-- desk's query (outcome 'callback_promised', due in the Danish day) uses
-- too; no second index here.
-- the desk's look-up by name within a municipality
CREATE INDEX citizens_municipality ON citizens(municipality_id, id);

-- One row per transfer of an inquiry: from whom to whom, why, by whom and
-- when. The inquiry's own outcome ('transferred', logged at first
-- contact) is never changed by the receiver; the receiver's handling
-- (taken by, closed with which result) is kept here, so first-contact
-- resolution stays what the first agent logged. A transfer onwards is a
-- new row; the one before it is closed with result 'transferred'.
CREATE TABLE inquiry_transfers (
  id INTEGER PRIMARY KEY,
  inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
  from_org_id INTEGER NOT NULL REFERENCES organisations(id),
  from_team TEXT,
  to_org_id INTEGER NOT NULL REFERENCES organisations(id),
  to_team TEXT,
  reason TEXT NOT NULL,
  by_actor TEXT NOT NULL,
  at INTEGER NOT NULL,
  taken_by TEXT,                 -- NULL: waiting in the receiver's queue
  taken_at INTEGER,
  result TEXT,                   -- NULL: open; else the receiver's result
  result_case_id INTEGER REFERENCES cases(id),
  result_callback_due_at INTEGER,
  closed_at INTEGER
);
CREATE INDEX inquiry_transfers_inquiry ON inquiry_transfers(inquiry_id, id);
-- the receiving queue: open transfers to an organisation (and team)
CREATE INDEX inquiry_transfers_queue ON inquiry_transfers(to_org_id, at, id)
  WHERE result IS NULL;
