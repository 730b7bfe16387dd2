-- 0024_article_proposals.sql - s-edit (issue 13): a municipality's editor
-- proposes a change to a shared article; an editor of the shared
-- knowledge base accepts it (it becomes a new version of the shared
-- article) or declines it with a reason the proposer reads. Each change
-- of a proposal is also an event (entity 'proposal').
CREATE TABLE article_proposals (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id), -- a shared article
  base_version INTEGER NOT NULL,       -- the version the proposer changed
  organisation_id INTEGER NOT NULL REFERENCES organisations(id), -- proposer's
  proposed_by TEXT NOT NULL,           -- actor, "user:3"
  proposer_name TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body_md TEXT NOT NULL,
  keywords TEXT NOT NULL,
  kle TEXT NOT NULL,
  audience TEXT NOT NULL CHECK (audience IN ('citizen', 'staff')),
  note TEXT NOT NULL,                  -- why, in the proposer's words
  state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'declined')),
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by TEXT,
  decider_name TEXT,
  reason TEXT,                         -- a decline's reason
  accepted_version INTEGER,            -- the article's version it became
  CHECK ((state = 'open') = (decided_at IS NULL)),
  CHECK (state <> 'declined' OR reason IS NOT NULL)
);
CREATE INDEX article_proposals_state ON article_proposals(state, id);
CREATE INDEX article_proposals_org ON article_proposals(organisation_id, id);
CREATE INDEX article_proposals_article ON article_proposals(article_id, id);
