-- 0012_chat.sql - live chat: a chat between a citizen (signed in, or
-- anonymous holding a chat token) and the front desk of one organisation.
-- Each chat is an inquiry (channel 'chat') whose transcript is its
-- messages. Messages are numbered per chat (seq 1, 2, ...) so that a
-- client resumes with "everything after N".
CREATE TABLE chats (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
  citizen_id INTEGER REFERENCES citizens(id), -- NULL: anonymous
  token_hash BLOB NOT NULL,                   -- hash of the chat token
  state TEXT NOT NULL CHECK (state IN ('queued', 'active', 'closed')),
  agent_id INTEGER REFERENCES users(id),      -- the agent holding it
  team TEXT,                                  -- transferred to a team
  topic TEXT,
  created_at INTEGER NOT NULL,
  queued_at INTEGER NOT NULL,                 -- (re)entered the queue
  taken_at INTEGER,                           -- first taken by an agent
  closed_at INTEGER,
  last_seq INTEGER NOT NULL DEFAULT 0,
  rating INTEGER CHECK (rating BETWEEN 1 AND 5),
  rating_comment TEXT,
  version INTEGER NOT NULL
);
CREATE INDEX chats_queue ON chats(organisation_id, queued_at, id)
  WHERE state = 'queued';
CREATE INDEX chats_agent ON chats(agent_id, id) WHERE state = 'active';
CREATE INDEX chats_taken ON chats(organisation_id, taken_at)
  WHERE taken_at IS NOT NULL;
CREATE UNIQUE INDEX chats_inquiry ON chats(inquiry_id);

CREATE TABLE chat_messages (
  chat_id INTEGER NOT NULL REFERENCES chats(id),
  seq INTEGER NOT NULL,
  sender TEXT NOT NULL CHECK (sender IN ('citizen', 'agent', 'system')),
  user_id INTEGER REFERENCES users(id),       -- the agent who wrote it
  body TEXT NOT NULL,
  article_id INTEGER REFERENCES articles(id), -- an article link
  article_title TEXT,
  article_slug TEXT,
  created_at INTEGER NOT NULL,                -- milliseconds
  PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;

-- Agents with the chat console open: a heartbeat at most a minute old
-- means present.
CREATE TABLE chat_presence (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  seen_at INTEGER NOT NULL
);
CREATE INDEX chat_presence_org ON chat_presence(organisation_id, seen_at);
