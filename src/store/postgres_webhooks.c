/* postgres_webhooks.c - x-hooks (issue 15): webhook subscriptions and
 * the outbox of their deliveries on PostgreSQL (store.h, migration 0035;
 * the SQLite twin is sqlite_webhooks.c). */
#include "store/postgres_int.h"

#include <stdlib.h>
#include <string.h>

#define SUB_COLS                                                      \
	"id, organisation_id, url, secret, events, active, created_at, " \
	"created_by, previous_secret, previous_until "

#define DELIVERY_COLS                                                        \
	"d.id, d.subscription_id, d.event_id, d.type, d.state, d.attempts, " \
	"d.next_attempt_at, d.last_code, d.last_error, d.created_at, "       \
	"d.updated_at "

static const char *const stmt_sql[P__COUNT] = {
	[P_WH_OUTBOX] =
		"INSERT INTO webhook_deliveries (subscription_id, event_id, type, "
		"state, attempts, next_attempt_at, created_at, updated_at) "
		"SELECT s.id, $1, t.type, 'pending', 0, $2, $2, $2 "
		"FROM webhook_topics t JOIN webhook_subscriptions s "
		"ON s.id = t.subscription_id "
		"WHERE t.entity = $3 AND t.action IN ($4, '*') AND s.active = 1 "
		"AND (t.any_org = 1 OR s.organisation_id = $5 "
		"OR (t.any_org = 2 AND s.organisation_id = $6)) "
		"ON CONFLICT (subscription_id, event_id) DO NOTHING",
	[P_WH_SUB_INSERT] =
		"INSERT INTO webhook_subscriptions (organisation_id, url, secret, "
		"events, active, created_at, created_by) "
		"VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	[P_WH_TOPIC_INSERT] =
		"INSERT INTO webhook_topics (subscription_id, type, entity, "
		"action, any_org) VALUES ($1, $2, $3, $4, $5)",
	[P_WH_SUB_LIST] =
		"SELECT " SUB_COLS "FROM webhook_subscriptions "
		"WHERE organisation_id = $1 ORDER BY id",
	[P_WH_SUB_DELETE] =
		"WITH s AS (SELECT id FROM webhook_subscriptions "
		"WHERE id = $1 AND organisation_id = $2), "
		"d AS (DELETE FROM webhook_deliveries WHERE subscription_id IN "
		"(SELECT id FROM s)), "
		"t AS (DELETE FROM webhook_topics WHERE subscription_id IN "
		"(SELECT id FROM s)) "
		"SELECT count(*) FROM s",
	[P_WH_SET_ACTIVE] =
		"UPDATE webhook_subscriptions SET active = $3 WHERE id = $1 "
		"AND organisation_id = $2",
	/* as P_MSG_CLAIM (postgres_letters.c), at READ COMMITTED: the due
	 * rows are locked as found, those another transaction holds are
	 * skipped, and the UPDATE checks again that they are due */
	[P_WH_CLAIM] =
		"WITH due AS MATERIALIZED ("
		"SELECT d.id FROM webhook_deliveries d "
		"JOIN webhook_subscriptions s ON s.id = d.subscription_id "
		"WHERE d.state = 'pending' AND d.next_attempt_at <= $1 "
		"AND s.active = 1 ORDER BY d.next_attempt_at, d.id "
		"LIMIT $3 FOR NO KEY UPDATE OF d SKIP LOCKED), "
		"claimed AS (UPDATE webhook_deliveries d SET next_attempt_at = $2 "
		"FROM due WHERE d.id = due.id AND d.state = 'pending' "
		"AND d.next_attempt_at <= $1 RETURNING d.*) "
		"SELECT " DELIVERY_COLS ", s.organisation_id, s.url, s.secret, "
		"s.previous_secret, s.previous_until, e.id, e.at, e.actor, coalesce(e.organisation_id, 0), e.entity, "
		"e.entity_id, e.action, e.before, e.after "
		"FROM claimed d "
		"JOIN webhook_subscriptions s ON s.id = d.subscription_id "
		"JOIN events e ON e.id = d.event_id ORDER BY d.next_attempt_at, d.id",
	[P_WH_RECORD] =
		"UPDATE webhook_deliveries SET state = $2, attempts = $3, "
		"next_attempt_at = $4, last_code = $5, last_error = $6, "
		"updated_at = $7 WHERE id = $1 AND state = 'pending' "
		"AND next_attempt_at = $8",
	[P_WH_LIST] =
		"SELECT " DELIVERY_COLS " FROM webhook_deliveries d "
		"JOIN webhook_subscriptions s ON s.id = d.subscription_id "
		"WHERE s.organisation_id = $1 AND ($2 = 0 OR s.id = $2) "
		"AND d.state <> 'skipped' ORDER BY d.id DESC LIMIT $3",
	/* hooks-rotate: secrets not sealed under key $2 (in clear, or
	 * "v1:OTHER:..."); compared by prefix, as a key id is no pattern */
	[P_WH_SEAL_SCAN] =
		"SELECT " SUB_COLS "FROM webhook_subscriptions "
		"WHERE id > $1 AND (left(secret, length($2) + 4) "
		"<> 'v1:' || $2 || ':' OR (previous_secret IS NOT NULL AND "
		"left(previous_secret, length($2) + 4) <> 'v1:' || $2 || ':')) "
		"ORDER BY id LIMIT $3",
	[P_WH_SEAL_SET] =
		"UPDATE webhook_subscriptions SET secret = $2, "
		"previous_secret = $3 WHERE id = $1",
	/* x-hooks2 */
	[P_WH_SUB_GET] =
		"SELECT " SUB_COLS "FROM webhook_subscriptions "
		"WHERE organisation_id = $1 AND id = $2",
	[P_WH_SUB_UPDATE] =
		"UPDATE webhook_subscriptions SET url = $3, events = $4, "
		"active = $5 WHERE id = $1 AND organisation_id = $2",
	[P_WH_DEL_TOPICS] =
		"DELETE FROM webhook_topics WHERE subscription_id = $1",
	[P_WH_SECRET_SET] =
		"UPDATE webhook_subscriptions SET secret = $3, "
		"previous_secret = $4, previous_until = $5 "
		"WHERE id = $1 AND organisation_id = $2",
	[P_WH_DELIVERY_ADD] =
		"INSERT INTO webhook_deliveries (subscription_id, event_id, type, "
		"state, attempts, next_attempt_at, created_at, updated_at) "
		"VALUES ($1, $2, $3, 'pending', 0, $4, $4, $4) RETURNING id",
	[P_WH_PRUNE] =
		"DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM "
		"webhook_deliveries WHERE state <> 'pending' AND updated_at < $1 "
		"ORDER BY updated_at, id LIMIT $2)",
	[P_WH_PRUNE_PREVIOUS] =
		"UPDATE webhook_subscriptions SET previous_secret = NULL, "
		"previous_until = 0 WHERE previous_secret IS NOT NULL "
		"AND previous_until <= $1",
};

enum hh_rc hh_pg_webhook_outbox(struct hh_tx *tx, const struct hh_event *e)
{
	struct pg_params p = { 0 };
	p_int(&p, e->id);
	p_int(&p, e->at_us / 1000000);
	p_text(&p, e->entity);
	p_text(&p, e->action);
	p_int(&p, e->org_id);
	p_int(&p, e->also_org_id ? e->also_org_id : -1);
	return RUN(tx, P_WH_OUTBOX, &p, NULL);
}

static enum hh_rc sub_insert(struct hh_tx *tx, struct hh_webhook_sub *s,
			     const struct hh_webhook_topic *t, int n)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, s->org_id);
	p_text(&p, s->url);
	p_text(&p, s->secret);
	p_text(&p, s->events);
	p_int(&p, s->active);
	p_int(&p, s->created_at);
	p_text(&p, s->created_by);
	enum hh_rc rc = RUN_INT(tx, P_WH_SUB_INSERT, &p, &s->id);
	for (int i = 0; rc == HH_OK && i < n; i++) {
		struct pg_params q = { 0 };
		p_int(&q, s->id);
		p_text(&q, t[i].type);
		p_text(&q, t[i].entity);
		p_text(&q, t[i].action);
		p_int(&q, t[i].any_org);
		rc = RUN(tx, P_WH_TOPIC_INSERT, &q, NULL);
	}
	return rc;
}

static void sub_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_webhook_sub *s)
{
	s->id = g_int(r, i, 0);
	s->org_id = g_int(r, i, 1);
	s->url = g_text(a, r, i, 2);
	s->secret = g_text(a, r, i, 3);
	s->events = g_text(a, r, i, 4);
	s->active = (int)g_int(r, i, 5);
	s->created_at = g_int(r, i, 6);
	s->created_by = g_text(a, r, i, 7);
	s->previous_secret = g_text(a, r, i, 8);
	s->previous_until = g_int(r, i, 9);
}

static enum hh_rc sub_list(struct hh_tx *tx, struct hh_arena *a,
			   int64_t org_id, hh_webhook_sub_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	PG_MANY_ROWS(tx, P_WH_SUB_LIST, &p, struct hh_webhook_sub, sub_row, a,
		     cb, ctx);
}

static enum hh_rc sub_delete(struct hh_tx *tx, int64_t org_id, int64_t id)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, org_id);
	int64_t n = 0;
	enum hh_rc rc = RUN_INT(tx, P_WH_SUB_DELETE, &p, &n);
	if (rc != HH_OK)
		return rc;
	if (!n)
		return HH_ERR_NOT_FOUND;
	/* the deliveries and topics went in the statement above (its
	 * data-modifying CTEs see the same snapshot; the subscription
	 * itself goes after them, for the foreign keys) */
	struct pg_params q = { 0 };
	p_int(&q, id);
	return hh_pg_exec_sql(tx, "DELETE FROM webhook_subscriptions "
			      "WHERE id = $1", &q, NULL);
}

static enum hh_rc set_active(struct hh_tx *tx, int64_t org_id, int64_t id,
			     int active)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, org_id);
	p_int(&p, active ? 1 : 0);
	int64_t n = 0;
	enum hh_rc rc = RUN_CHANGED(tx, P_WH_SET_ACTIVE, &p, &n);
	if (rc == HH_OK && !n)
		rc = HH_ERR_NOT_FOUND;
	return rc;
}

static void delivery_row(struct hh_arena *a, const PGresult *r, int i,
			 struct hh_webhook_delivery *d)
{
	d->id = g_int(r, i, 0);
	d->sub_id = g_int(r, i, 1);
	d->event_id = g_int(r, i, 2);
	d->type = g_text(a, r, i, 3);
	d->state = g_text(a, r, i, 4);
	d->attempts = g_int(r, i, 5);
	d->next_attempt_at = g_int(r, i, 6);
	d->last_code = g_int(r, i, 7);
	d->last_error = g_text(a, r, i, 8);
	d->created_at = g_int(r, i, 9);
	d->updated_at = g_int(r, i, 10);
}

static void claimed_row(struct hh_arena *a, const PGresult *r, int i,
			struct hh_webhook_delivery *d)
{
	delivery_row(a, r, i, d);
	d->org_id = g_int(r, i, 11);
	d->url = g_text(a, r, i, 12);
	d->secret = g_text(a, r, i, 13);
	d->previous_secret = g_text(a, r, i, 14);
	d->previous_until = g_int(r, i, 15);
	struct hh_event *e = &d->event;
	e->id = g_int(r, i, 16);
	e->at_us = g_int(r, i, 17);
	e->actor = g_text(a, r, i, 18);
	e->org_id = g_int(r, i, 19);
	e->entity = g_text(a, r, i, 20);
	e->entity_id = g_int(r, i, 21);
	e->action = g_text(a, r, i, 22);
	e->before = g_text(a, r, i, 23);
	e->after = g_text(a, r, i, 24);
}

/* The claim in a READ COMMITTED transaction of its own (as
 * message_claim), the rows streamed once it has committed. */
static enum hh_rc claim(void *cls, struct hh_arena *a, int64_t now,
			int64_t lease, int64_t limit,
			hh_webhook_delivery_cb cb, void *ctx)
{
	struct pg *s = cls;
	if (limit < 1)
		return HH_ERR_INVALID;
	PGresult *res;
	enum hh_rc rc = CLAIM(s, P_WH_CLAIM, now, lease, limit, &res);
	if (rc != HH_OK)
		return rc;
	PG_STREAM_ROWS(res, struct hh_webhook_delivery, claimed_row, a, cb,
		       ctx);
}

static enum hh_rc record(struct hh_tx *tx, const struct hh_webhook_delivery *d,
			 int64_t lease, int64_t now, int *changed)
{
	*changed = 0;
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, d->id);
	p_text(&p, d->state);
	p_int(&p, d->attempts);
	p_int(&p, d->next_attempt_at);
	p_int(&p, d->last_code);
	p_text(&p, d->last_error);
	p_int(&p, now);
	p_int(&p, lease);
	int64_t n = 0;
	enum hh_rc rc = RUN_CHANGED(tx, P_WH_RECORD, &p, &n);
	*changed = n > 0;
	return rc;
}

static enum hh_rc delivery_list(struct hh_tx *tx, struct hh_arena *a,
				int64_t org_id, int64_t sub_id, int64_t limit,
				hh_webhook_delivery_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_int(&p, sub_id);
	p_limit(&p, limit);
	PG_MANY_ROWS(tx, P_WH_LIST, &p, struct hh_webhook_delivery,
		     delivery_row, a, cb, ctx);
}

static enum hh_rc seal_scan(struct hh_tx *tx, struct hh_arena *a,
			    int64_t after_id, const char *seal_key, int limit,
			    hh_webhook_sub_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, after_id);
	p_text(&p, seal_key);
	p_limit(&p, limit);
	PG_MANY_ROWS(tx, P_WH_SEAL_SCAN, &p, struct hh_webhook_sub, sub_row, a,
		     cb, ctx);
}

static enum hh_rc seal_set(struct hh_tx *tx, int64_t id, const char *secret,
			   const char *previous)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_text(&p, secret);
	p_text(&p, previous);
	return RUN(tx, P_WH_SEAL_SET, &p, NULL);
}

/* ---- x-hooks2 ---------------------------------------------------------- */

static enum hh_rc sub_get(struct hh_tx *tx, struct hh_arena *a, int64_t org_id,
			  int64_t id, struct hh_webhook_sub *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_int(&p, id);
	PG_ONE_ROW(tx, P_WH_SUB_GET, &p, sub_row, a, out);
}

static enum hh_rc sub_update(struct hh_tx *tx, const struct hh_webhook_sub *s,
			     const struct hh_webhook_topic *t, int n)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, s->id);
	p_int(&p, s->org_id);
	p_text(&p, s->url);
	p_text(&p, s->events);
	p_int(&p, s->active ? 1 : 0);
	int64_t changed = 0;
	enum hh_rc rc = RUN_CHANGED(tx, P_WH_SUB_UPDATE, &p, &changed);
	if (rc == HH_OK && !changed)
		rc = HH_ERR_NOT_FOUND;
	if (rc != HH_OK || !t)
		return rc;
	struct pg_params d = { 0 };
	p_int(&d, s->id);
	rc = RUN(tx, P_WH_DEL_TOPICS, &d, NULL);
	for (int i = 0; rc == HH_OK && i < n; i++) {
		struct pg_params q = { 0 };
		p_int(&q, s->id);
		p_text(&q, t[i].type);
		p_text(&q, t[i].entity);
		p_text(&q, t[i].action);
		p_int(&q, t[i].any_org);
		rc = RUN(tx, P_WH_TOPIC_INSERT, &q, NULL);
	}
	return rc;
}

static enum hh_rc secret_set(struct hh_tx *tx, int64_t org_id, int64_t id,
			     const char *secret, const char *previous,
			     int64_t previous_until)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	p_int(&p, org_id);
	p_text(&p, secret);
	p_text(&p, previous);
	p_int(&p, previous ? previous_until : 0);
	int64_t changed = 0;
	enum hh_rc rc = RUN_CHANGED(tx, P_WH_SECRET_SET, &p, &changed);
	if (rc == HH_OK && !changed)
		rc = HH_ERR_NOT_FOUND;
	return rc;
}

static enum hh_rc delivery_add(struct hh_tx *tx, int64_t sub_id,
			       int64_t event_id, const char *type, int64_t now,
			       int64_t *id)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, sub_id);
	p_int(&p, event_id);
	p_text(&p, type);
	p_int(&p, now);
	int64_t got = 0;
	enum hh_rc rc = RUN_INT(tx, P_WH_DELIVERY_ADD, &p, &got);
	if (rc == HH_OK && id)
		*id = got;
	return rc;
}

static enum hh_rc prune(struct hh_tx *tx, int64_t before, int64_t now,
			int limit, int64_t *deleted)
{
	*deleted = 0;
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, before);
	p_int(&p, limit > 0 ? limit : 500);
	enum hh_rc rc = RUN_CHANGED(tx, P_WH_PRUNE, &p, deleted);
	if (rc != HH_OK)
		return rc;
	struct pg_params q = { 0 };
	p_int(&q, now);
	return RUN(tx, P_WH_PRUNE_PREVIOUS, &q, NULL);
}

void hh_pg_fill_webhooks(struct hh_store *st)
{
	st->webhook_seal_scan = seal_scan;
	st->webhook_seal_set = seal_set;
	st->webhook_sub_insert = sub_insert;
	st->webhook_sub_list = sub_list;
	st->webhook_sub_delete = sub_delete;
	st->webhook_sub_set_active = set_active;
	st->webhook_claim = claim;
	st->webhook_record = record;
	st->webhook_delivery_list = delivery_list;
	st->webhook_sub_get = sub_get; /* x-hooks2 */
	st->webhook_sub_update = sub_update;
	st->webhook_secret_set = secret_set;
	st->webhook_delivery_add = delivery_add;
	st->webhook_prune = prune;
}
