-- 0039_webhooks_rotation_prune.sql - x-hooks2 (issue 15, points 3 and 6):
-- a subscription's secret rotated with the old one still signing for a
-- while, deliveries pruned by age, and transfers told to the receiving
-- organisation (docs/webhooks.md).

-- The secret a rotation replaced, sealed as the current one, and until
-- when (unix seconds) deliveries are signed with it too. NULL / 0: none.
ALTER TABLE webhook_subscriptions ADD COLUMN previous_secret TEXT;
ALTER TABLE webhook_subscriptions ADD COLUMN previous_until INTEGER NOT NULL DEFAULT 0;

-- webhook_topics.any_org 2: from the subscription's own organisation or
-- from an event that names the subscription's organisation as the one it
-- also concerns (an inquiry transferred to it: hh_event.also_org_id).
UPDATE webhook_topics SET any_org = 2 WHERE type = 'inquiry.transferred';

-- Pruning: delivered, failed and skipped rows by age.
CREATE INDEX webhook_deliveries_done ON webhook_deliveries(updated_at, id)
  WHERE state <> 'pending';
