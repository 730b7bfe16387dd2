/* sqlite_webhooks.c - x-hooks (issue 15): webhook subscriptions and the
 * outbox of their deliveries on SQLite (store.h, migration 0035). */
#include "store/sqlite_int.h"

#include <stdlib.h>

#include "core/util.h"

#define SUB_COLS                                                      \
	"id, organisation_id, url, secret, events, active, created_at, " \
	"created_by, previous_secret, previous_until "

#define DELIVERY_COLS                                                        \
	"d.id, d.subscription_id, d.event_id, d.type, d.state, d.attempts, " \
	"d.next_attempt_at, d.last_code, d.last_error, d.created_at, "       \
	"d.updated_at "

static const char *const stmt_sql[S__COUNT] = {
	/* one delivery per matching active subscription; a subscription
	 * with two topics matching one event still gets one */
	[S_WH_OUTBOX] =
		"INSERT OR IGNORE INTO webhook_deliveries (subscription_id, "
		"event_id, type, state, attempts, next_attempt_at, created_at, "
		"updated_at) SELECT s.id, ?1, t.type, 'pending', 0, ?2, ?2, ?2 "
		"FROM webhook_topics t JOIN webhook_subscriptions s "
		"ON s.id = t.subscription_id "
		"WHERE t.entity = ?3 AND t.action IN (?4, '*') AND s.active = 1 "
		"AND (t.any_org = 1 OR s.organisation_id = ?5 "
		"OR (t.any_org = 2 AND s.organisation_id = ?6))",
	[S_WH_SUB_INSERT] =
		"INSERT INTO webhook_subscriptions (organisation_id, url, secret, "
		"events, active, created_at, created_by) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_WH_TOPIC_INSERT] =
		"INSERT INTO webhook_topics (subscription_id, type, entity, "
		"action, any_org) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_WH_SUB_LIST] =
		"SELECT " SUB_COLS "FROM webhook_subscriptions "
		"WHERE organisation_id = ?1 ORDER BY id",
	[S_WH_DEL_DELIVERIES] =
		"DELETE FROM webhook_deliveries WHERE subscription_id = ?1",
	[S_WH_DEL_TOPICS] =
		"DELETE FROM webhook_topics WHERE subscription_id = ?1",
	[S_WH_DEL_SUB] =
		"DELETE FROM webhook_subscriptions WHERE id = ?1 "
		"AND organisation_id = ?2",
	[S_WH_SET_ACTIVE] =
		"UPDATE webhook_subscriptions SET active = ?3 WHERE id = ?1 "
		"AND organisation_id = ?2",
	[S_WH_CLAIM] =
		"UPDATE webhook_deliveries SET next_attempt_at = ?2 WHERE id IN ("
		"SELECT d.id FROM webhook_deliveries d "
		"JOIN webhook_subscriptions s ON s.id = d.subscription_id "
		"WHERE d.state = 'pending' AND d.next_attempt_at <= ?1 "
		"AND s.active = 1 ORDER BY d.next_attempt_at, d.id "
		"LIMIT ?3) RETURNING id",
	[S_WH_CLAIMED_ROW] =
		"SELECT " DELIVERY_COLS ", s.organisation_id, s.url, s.secret, "
		"s.previous_secret, s.previous_until, e.id, e.at, e.actor, ifnull(e.organisation_id, 0), e.entity, "
		"e.entity_id, e.action, e.before, e.after "
		"FROM webhook_deliveries d "
		"JOIN webhook_subscriptions s ON s.id = d.subscription_id "
		"JOIN events e ON e.id = d.event_id WHERE d.id = ?1",
	[S_WH_RECORD] =
		"UPDATE webhook_deliveries SET state = ?2, attempts = ?3, "
		"next_attempt_at = ?4, last_code = ?5, last_error = ?6, "
		"updated_at = ?7 WHERE id = ?1 AND state = 'pending' "
		"AND next_attempt_at = ?8",
	[S_WH_LIST] =
		"SELECT " DELIVERY_COLS " FROM webhook_deliveries d "
		"JOIN webhook_subscriptions s ON s.id = d.subscription_id "
		"WHERE s.organisation_id = ?1 AND (?2 = 0 OR s.id = ?2) "
		"AND d.state <> 'skipped' ORDER BY d.id DESC LIMIT ?3",
	/* hooks-rotate: secrets not sealed under key ?2 (in clear, or
	 * "v1:OTHER:..."); compared by prefix, as a key id is no pattern */
	[S_WH_SEAL_SCAN] =
		"SELECT " SUB_COLS "FROM webhook_subscriptions "
		"WHERE id > ?1 AND (substr(secret, 1, length(?2) + 4) "
		"<> 'v1:' || ?2 || ':' OR (previous_secret IS NOT NULL AND "
		"substr(previous_secret, 1, length(?2) + 4) "
		"<> 'v1:' || ?2 || ':')) ORDER BY id LIMIT ?3",
	[S_WH_SEAL_SET] =
		"UPDATE webhook_subscriptions SET secret = ?2, "
		"previous_secret = ?3 WHERE id = ?1",
	/* x-hooks2 */
	[S_WH_SUB_GET] =
		"SELECT " SUB_COLS "FROM webhook_subscriptions "
		"WHERE organisation_id = ?1 AND id = ?2",
	[S_WH_SUB_UPDATE] =
		"UPDATE webhook_subscriptions SET url = ?3, events = ?4, "
		"active = ?5 WHERE id = ?1 AND organisation_id = ?2",
	[S_WH_SECRET_SET] =
		"UPDATE webhook_subscriptions SET secret = ?3, "
		"previous_secret = ?4, previous_until = ?5 "
		"WHERE id = ?1 AND organisation_id = ?2",
	[S_WH_DELIVERY_ADD] =
		"INSERT INTO webhook_deliveries (subscription_id, event_id, type, "
		"state, attempts, next_attempt_at, created_at, updated_at) "
		"VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4, ?4)",
	[S_WH_PRUNE] =
		"DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM "
		"webhook_deliveries WHERE state <> 'pending' AND updated_at < ?1 "
		"ORDER BY updated_at, id LIMIT ?2)",
	[S_WH_PRUNE_PREVIOUS] =
		"UPDATE webhook_subscriptions SET previous_secret = NULL, "
		"previous_until = 0 WHERE previous_secret IS NOT NULL "
		"AND previous_until <= ?1",
};

enum hh_rc hh_sq_webhook_outbox(struct hh_tx *tx, const struct hh_event *e)
{
	STMT(tx, S_WH_OUTBOX);
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_int64(st, 2, e->at_us / 1000000);
	bind_text(st, 3, e->entity);
	bind_text(st, 4, e->action);
	sqlite3_bind_int64(st, 5, e->org_id);
	sqlite3_bind_int64(st, 6, e->also_org_id ? e->also_org_id : -1);
	return hh_sq_exec(tx, st);
}

static enum hh_rc sub_insert(struct hh_tx *tx, struct hh_webhook_sub *s,
			     const struct hh_webhook_topic *t, int n)
{
	FAULT(tx);
	enum hh_rc rc;
	{
		STMT(tx, S_WH_SUB_INSERT);
		sqlite3_bind_int64(st, 1, s->org_id);
		bind_text(st, 2, s->url);
		bind_text(st, 3, s->secret);
		bind_text(st, 4, s->events);
		sqlite3_bind_int(st, 5, s->active);
		sqlite3_bind_int64(st, 6, s->created_at);
		bind_text(st, 7, s->created_by);
		rc = hh_sq_exec(tx, st);
		if (rc != HH_OK)
			return rc;
		s->id = sqlite3_last_insert_rowid(db_of(tx));
	}
	for (int i = 0; i < n; i++) {
		STMT(tx, S_WH_TOPIC_INSERT);
		sqlite3_bind_int64(st, 1, s->id);
		bind_text(st, 2, t[i].type);
		bind_text(st, 3, t[i].entity);
		bind_text(st, 4, t[i].action);
		sqlite3_bind_int(st, 5, t[i].any_org);
		rc = hh_sq_exec(tx, st);
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

static void sub_row(struct hh_arena *a, sqlite3_stmt *st,
		    struct hh_webhook_sub *s)
{
	s->id = sqlite3_column_int64(st, 0);
	s->org_id = sqlite3_column_int64(st, 1);
	s->url = col_text(a, st, 2);
	s->secret = col_text(a, st, 3);
	s->events = col_text(a, st, 4);
	s->active = sqlite3_column_int(st, 5);
	s->created_at = sqlite3_column_int64(st, 6);
	s->created_by = col_text(a, st, 7);
	s->previous_secret = col_text(a, st, 8);
	s->previous_until = sqlite3_column_int64(st, 9);
}

static enum hh_rc sub_list(struct hh_tx *tx, struct hh_arena *a,
			   int64_t org_id, hh_webhook_sub_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_WH_SUB_LIST);
	sqlite3_bind_int64(st, 1, org_id);
	MANY_ROWS(tx, st, struct hh_webhook_sub, sub_row, a, cb, ctx);
}

static enum hh_rc sub_delete(struct hh_tx *tx, int64_t org_id, int64_t id)
{
	FAULT(tx);
	enum hh_rc rc;
	{
		/* only a subscription of org_id: check before deleting */
		STMT(tx, S_WH_SUB_LIST);
		sqlite3_bind_int64(st, 1, org_id);
		int found = 0, r;
		while ((r = sqlite3_step(st)) == SQLITE_ROW)
			if (sqlite3_column_int64(st, 0) == id)
				found = 1;
		rc = r == SQLITE_DONE ? HH_OK : hh_sq_map_rc(db_of(tx), r);
		done(st);
		if (rc != HH_OK)
			return rc;
		if (!found)
			return HH_ERR_NOT_FOUND;
	}
	enum stmt_id ids[] = { S_WH_DEL_DELIVERIES, S_WH_DEL_TOPICS };
	for (size_t i = 0; i < 2; i++) {
		STMT(tx, ids[i]);
		sqlite3_bind_int64(st, 1, id);
		rc = hh_sq_exec(tx, st);
		if (rc != HH_OK)
			return rc;
	}
	STMT(tx, S_WH_DEL_SUB);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, org_id);
	return hh_sq_exec(tx, st);
}

static enum hh_rc set_active(struct hh_tx *tx, int64_t org_id, int64_t id,
			     int active)
{
	FAULT(tx);
	STMT(tx, S_WH_SET_ACTIVE);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, org_id);
	sqlite3_bind_int(st, 3, active ? 1 : 0);
	enum hh_rc rc = hh_sq_exec(tx, st);
	if (rc == HH_OK && sqlite3_changes(db_of(tx)) == 0)
		rc = HH_ERR_NOT_FOUND;
	return rc;
}

static void delivery_row(struct hh_arena *a, sqlite3_stmt *st,
			 struct hh_webhook_delivery *d)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(st, 0);
	d->sub_id = sqlite3_column_int64(st, 1);
	d->event_id = sqlite3_column_int64(st, 2);
	d->type = col_text(a, st, 3);
	d->state = col_text(a, st, 4);
	d->attempts = sqlite3_column_int64(st, 5);
	d->next_attempt_at = sqlite3_column_int64(st, 6);
	d->last_code = sqlite3_column_int64(st, 7);
	d->last_error = col_text(a, st, 8);
	d->created_at = sqlite3_column_int64(st, 9);
	d->updated_at = sqlite3_column_int64(st, 10);
}

static void claimed_row(struct hh_arena *a, sqlite3_stmt *st,
			struct hh_webhook_delivery *d)
{
	delivery_row(a, st, d);
	d->org_id = sqlite3_column_int64(st, 11);
	d->url = col_text(a, st, 12);
	d->secret = col_text(a, st, 13);
	d->previous_secret = col_text(a, st, 14);
	d->previous_until = sqlite3_column_int64(st, 15);
	struct hh_event *e = &d->event;
	e->id = sqlite3_column_int64(st, 16);
	e->at_us = sqlite3_column_int64(st, 17);
	e->actor = col_text(a, st, 18);
	e->org_id = sqlite3_column_int64(st, 19);
	e->entity = col_text(a, st, 20);
	e->entity_id = sqlite3_column_int64(st, 21);
	e->action = col_text(a, st, 22);
	e->before = col_text(a, st, 23);
	e->after = col_text(a, st, 24);
}

struct claim_ctx {
	struct hh_arena *a;
	int64_t now, lease, limit;
	struct hh_webhook_delivery *rows;
	int64_t n;
};

static enum hh_rc claim_tx(struct hh_tx *tx, void *arg)
{
	struct claim_ctx *x = arg;
	FAULT(tx);
	x->n = 0;
	int64_t *ids = hh_arena_calloc(x->a, (size_t)x->limit * sizeof(*ids));
	enum hh_rc rc = HH_OK;
	{
		STMT(tx, S_WH_CLAIM);
		sqlite3_bind_int64(st, 1, x->now);
		sqlite3_bind_int64(st, 2, x->lease);
		sqlite3_bind_int64(st, 3, x->limit);
		int r;
		while ((r = sqlite3_step(st)) == SQLITE_ROW && x->n < x->limit)
			ids[x->n++] = sqlite3_column_int64(st, 0);
		if (r == SQLITE_ROW) /* cannot be: LIMIT */
			r = sqlite3_step(st);
		rc = r == SQLITE_DONE ? HH_OK : hh_sq_map_rc(db_of(tx), r);
		done(st);
	}
	for (int64_t i = 0; rc == HH_OK && i < x->n; i++) {
		STMT(tx, S_WH_CLAIMED_ROW);
		sqlite3_bind_int64(st, 1, ids[i]);
		int r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			claimed_row(x->a, st, &x->rows[i]);
		} else {
			rc = r == SQLITE_DONE ? HH_ERR_INTERNAL
					      : hh_sq_map_rc(db_of(tx), r);
		}
		done(st);
	}
	return rc;
}

static enum hh_rc claim(void *cls, struct hh_arena *a, int64_t now,
			int64_t lease, int64_t limit,
			hh_webhook_delivery_cb cb, void *ctx)
{
	struct sq *s = cls;
	if (limit < 1)
		return HH_ERR_INVALID;
	struct claim_ctx x = { .a = a, .now = now, .lease = lease,
			       .limit = limit };
	x.rows = hh_arena_calloc(a, (size_t)limit * sizeof(*x.rows));
	enum hh_rc rc = hh_store_run_tx(&s->store, 1, claim_tx, &x);
	for (int64_t i = 0; rc == HH_OK && i < x.n; i++)
		rc = cb(ctx, &x.rows[i]);
	return rc;
}

static enum hh_rc record(struct hh_tx *tx, const struct hh_webhook_delivery *d,
			 int64_t lease, int64_t now, int *changed)
{
	*changed = 0;
	FAULT(tx);
	STMT(tx, S_WH_RECORD);
	sqlite3_bind_int64(st, 1, d->id);
	bind_text(st, 2, d->state);
	sqlite3_bind_int64(st, 3, d->attempts);
	sqlite3_bind_int64(st, 4, d->next_attempt_at);
	sqlite3_bind_int64(st, 5, d->last_code);
	bind_text(st, 6, d->last_error);
	sqlite3_bind_int64(st, 7, now);
	sqlite3_bind_int64(st, 8, lease);
	enum hh_rc rc = hh_sq_exec(tx, st);
	if (rc == HH_OK)
		*changed = sqlite3_changes(db_of(tx)) > 0;
	return rc;
}

static enum hh_rc delivery_list(struct hh_tx *tx, struct hh_arena *a,
				int64_t org_id, int64_t sub_id, int64_t limit,
				hh_webhook_delivery_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_WH_LIST);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, sub_id);
	sqlite3_bind_int64(st, 3, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_webhook_delivery, delivery_row, a, cb, ctx);
}

static enum hh_rc seal_scan(struct hh_tx *tx, struct hh_arena *a,
			    int64_t after_id, const char *seal_key, int limit,
			    hh_webhook_sub_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_WH_SEAL_SCAN);
	sqlite3_bind_int64(st, 1, after_id);
	bind_text(st, 2, seal_key);
	sqlite3_bind_int(st, 3, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_webhook_sub, sub_row, a, cb, ctx);
}

static enum hh_rc seal_set(struct hh_tx *tx, int64_t id, const char *secret,
			   const char *previous)
{
	FAULT(tx);
	STMT(tx, S_WH_SEAL_SET);
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, secret);
	bind_text(st, 3, previous);
	return hh_sq_exec(tx, st);
}

/* ---- x-hooks2 ---------------------------------------------------------- */

static enum hh_rc sub_get(struct hh_tx *tx, struct hh_arena *a, int64_t org_id,
			  int64_t id, struct hh_webhook_sub *out)
{
	FAULT(tx);
	STMT(tx, S_WH_SUB_GET);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, id);
	ONE_ROW(tx, st, sub_row, a, out);
}

static enum hh_rc sub_update(struct hh_tx *tx, const struct hh_webhook_sub *s,
			     const struct hh_webhook_topic *t, int n)
{
	FAULT(tx);
	enum hh_rc rc;
	{
		STMT(tx, S_WH_SUB_UPDATE);
		sqlite3_bind_int64(st, 1, s->id);
		sqlite3_bind_int64(st, 2, s->org_id);
		bind_text(st, 3, s->url);
		bind_text(st, 4, s->events);
		sqlite3_bind_int(st, 5, s->active ? 1 : 0);
		rc = hh_sq_exec(tx, st);
		if (rc == HH_OK && sqlite3_changes(db_of(tx)) == 0)
			rc = HH_ERR_NOT_FOUND;
		if (rc != HH_OK || !t)
			return rc;
	}
	{
		STMT(tx, S_WH_DEL_TOPICS);
		sqlite3_bind_int64(st, 1, s->id);
		rc = hh_sq_exec(tx, st);
		if (rc != HH_OK)
			return rc;
	}
	for (int i = 0; i < n; i++) {
		STMT(tx, S_WH_TOPIC_INSERT);
		sqlite3_bind_int64(st, 1, s->id);
		bind_text(st, 2, t[i].type);
		bind_text(st, 3, t[i].entity);
		bind_text(st, 4, t[i].action);
		sqlite3_bind_int(st, 5, t[i].any_org);
		rc = hh_sq_exec(tx, st);
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

static enum hh_rc secret_set(struct hh_tx *tx, int64_t org_id, int64_t id,
			     const char *secret, const char *previous,
			     int64_t previous_until)
{
	FAULT(tx);
	STMT(tx, S_WH_SECRET_SET);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, org_id);
	bind_text(st, 3, secret);
	bind_text(st, 4, previous);
	sqlite3_bind_int64(st, 5, previous ? previous_until : 0);
	enum hh_rc rc = hh_sq_exec(tx, st);
	if (rc == HH_OK && sqlite3_changes(db_of(tx)) == 0)
		rc = HH_ERR_NOT_FOUND;
	return rc;
}

static enum hh_rc delivery_add(struct hh_tx *tx, int64_t sub_id,
			       int64_t event_id, const char *type, int64_t now,
			       int64_t *id)
{
	FAULT(tx);
	STMT(tx, S_WH_DELIVERY_ADD);
	sqlite3_bind_int64(st, 1, sub_id);
	sqlite3_bind_int64(st, 2, event_id);
	bind_text(st, 3, type);
	sqlite3_bind_int64(st, 4, now);
	enum hh_rc rc = hh_sq_exec(tx, st);
	if (rc == HH_OK && id)
		*id = sqlite3_last_insert_rowid(db_of(tx));
	return rc;
}

static enum hh_rc prune(struct hh_tx *tx, int64_t before, int64_t now,
			int limit, int64_t *deleted)
{
	*deleted = 0;
	FAULT(tx);
	enum hh_rc rc;
	{
		STMT(tx, S_WH_PRUNE);
		sqlite3_bind_int64(st, 1, before);
		sqlite3_bind_int(st, 2, limit > 0 ? limit : 500);
		rc = hh_sq_exec(tx, st);
		if (rc != HH_OK)
			return rc;
		*deleted = sqlite3_changes(db_of(tx));
	}
	STMT(tx, S_WH_PRUNE_PREVIOUS);
	sqlite3_bind_int64(st, 1, now);
	return hh_sq_exec(tx, st);
}

void hh_sq_fill_webhooks(struct hh_store *st)
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
