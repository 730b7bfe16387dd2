-- 0035_webhooks.sql - x-hooks (issue 15, point 3): organisations'
-- webhook subscriptions and the outbox of their deliveries
-- (docs/webhooks.md, domain/webhooks.h).

-- An organisation's subscription. secret is the signing secret as the
-- vault sealed it (domain/vault.h; in clear only in a store without a key
-- file: tests and tools). events is the event types it asked for, as
-- given ("case.submitted,letter.sent"), for showing back.
CREATE TABLE webhook_subscriptions (
  id INTEGER PRIMARY KEY,
  organisation_id INTEGER NOT NULL REFERENCES organisations(id),
  url TEXT NOT NULL,
  secret TEXT NOT NULL,
  events TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX webhook_subscriptions_org ON webhook_subscriptions(organisation_id, id);

-- Which events a subscription wants, as the event log names them: an
-- event (entity, action) of event type `type`, from its own organisation
-- only or (any_org 1) from any. action '*' is every action. The domain
-- writes these rows from the event types (domain/webhooks.c); the event
-- log's append matches them (the outbox, below).
CREATE TABLE webhook_topics (
  subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id),
  type TEXT NOT NULL,
  entity TEXT NOT NULL,
  action TEXT NOT NULL,
  any_org INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (entity, action, subscription_id)
);
CREATE INDEX webhook_topics_sub ON webhook_topics(subscription_id);

-- The outbox: one row per event and matching subscription, written by
-- the event's append in the event's own transaction, so that an event
-- committed has its deliveries and one rolled back has none. state:
-- pending (next_attempt_at is when it is due), delivered, failed (given
-- up, or a final 4xx), skipped (the event matched the topic but is not
-- of its type, e.g. an inquiry outcome that is not a transfer).
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id),
  event_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_code INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at, id)
  WHERE state = 'pending';
CREATE INDEX webhook_deliveries_sub ON webhook_deliveries(subscription_id, id);
