/* postgres_chat.c - the PostgreSQL backend: live chats, their messages
 * and the agents' presence (the port of sqlite_chat.c). */
#include "store/postgres_int.h"

#include "core/util.h"

#define CHAT_COLS                                                              \
	"id, organisation_id, inquiry_id, coalesce(citizen_id, 0), "           \
	"token_hash, state, coalesce(agent_id, 0), team, topic, created_at, "  \
	"queued_at, coalesce(taken_at, 0), coalesce(closed_at, 0), last_seq, " \
	"coalesce(rating, 0), rating_comment, version "
#define MSG_COLS                                                               \
	"chat_id, seq, sender, coalesce(user_id, 0), body, "                   \
	"coalesce(article_id, 0), article_title, article_slug, created_at "

static const char *const stmt_sql[P__COUNT] = {
	[P_CHAT_INSERT] =
		"INSERT INTO chats(organisation_id, inquiry_id, citizen_id, "
		"token_hash, state, agent_id, team, topic, created_at, queued_at, "
		"version, visit) VALUES ($1, $2, nullif($3::bigint, 0), $4, $5, "
		"nullif($6::bigint, 0), $7, $8, $9, $10, 1, $11) RETURNING id",
	[P_CHAT_UPDATE] =
		"UPDATE chats SET state = $3, agent_id = nullif($4::bigint, 0), "
		"team = $5, queued_at = $6, taken_at = nullif($7::bigint, 0), "
		"closed_at = nullif($8::bigint, 0), "
		"rating = nullif($9::bigint, 0), rating_comment = $10, "
		"version = version + 1 WHERE id = $1 AND version = $2 "
		"RETURNING version",
	[P_CHAT_GET] = "SELECT " CHAT_COLS "FROM chats WHERE id = $1",
	[P_CHAT_GET_INQ] = "SELECT " CHAT_COLS "FROM chats "
			   "WHERE inquiry_id = $1",
	[P_CHAT_QUEUE] = "SELECT " CHAT_COLS "FROM chats WHERE organisation_id "
			 "= $1 AND state = 'queued' ORDER BY queued_at, id",
	[P_CHAT_ACTIVE] = "SELECT " CHAT_COLS "FROM chats WHERE agent_id = $1 "
			  "AND state = 'active' ORDER BY id",
	[P_CHAT_POSITION] =
		"SELECT count(*) FROM chats WHERE organisation_id = $1 AND "
		"state = 'queued' AND (queued_at < $2 OR (queued_at = $2 AND "
		"id < $3))",
	/* whole seconds, as SQLite's integer read of its average */
	[P_CHAT_WAIT] =
		"SELECT coalesce(trunc(avg(taken_at - created_at))::bigint, -1) "
		"FROM (SELECT taken_at, created_at FROM chats "
		"WHERE organisation_id = $1 AND taken_at IS NOT NULL AND "
		"taken_at >= $2 ORDER BY taken_at DESC LIMIT $3) AS recent",
	[P_CHAT_SEQ] = "UPDATE chats SET last_seq = last_seq + 1 WHERE id = $1 "
		       "RETURNING last_seq",
	[P_CHAT_MSG_INSERT] =
		"INSERT INTO chat_messages(chat_id, seq, sender, user_id, body, "
		"article_id, article_title, article_slug, created_at) VALUES "
		"($1, $2, $3, nullif($4::bigint, 0), $5, nullif($6::bigint, 0), "
		"$7, $8, $9)",
	[P_CHAT_MSGS] = "SELECT " MSG_COLS "FROM chat_messages WHERE chat_id = "
			"$1 AND seq > $2 ORDER BY seq LIMIT $3",
	[P_CHAT_PRESENCE_PUT] =
		"INSERT INTO chat_presence(user_id, organisation_id, seen_at) "
		"VALUES ($1, $2, $3) ON CONFLICT(user_id) DO UPDATE SET "
		"organisation_id = excluded.organisation_id, "
		"seen_at = excluded.seen_at",
	[P_CHAT_PRESENCE_COUNT] = "SELECT count(*) FROM chat_presence WHERE "
				  "organisation_id = $1 AND seen_at >= $2",
};

static void chat_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_chat *c)
{
	c->id = g_int(r, i, 0);
	c->org_id = g_int(r, i, 1);
	c->inquiry_id = g_int(r, i, 2);
	c->citizen_id = g_int(r, i, 3);
	c->token_hash = hh_pg_blob(a, r, i, 4, NULL);
	c->state = g_text(a, r, i, 5);
	c->agent_id = g_int(r, i, 6);
	c->team = g_text(a, r, i, 7);
	c->topic = g_text(a, r, i, 8);
	c->created_at = g_int(r, i, 9);
	c->queued_at = g_int(r, i, 10);
	c->taken_at = g_int(r, i, 11);
	c->closed_at = g_int(r, i, 12);
	c->last_seq = g_int(r, i, 13);
	c->rating = (int)g_int(r, i, 14);
	c->rating_comment = g_text(a, r, i, 15);
	c->version = g_int(r, i, 16);
}

static void msg_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_chat_message *m)
{
	m->chat_id = g_int(r, i, 0);
	m->seq = g_int(r, i, 1);
	m->sender = g_text(a, r, i, 2);
	m->user_id = g_int(r, i, 3);
	m->body = g_text(a, r, i, 4);
	m->article_id = g_int(r, i, 5);
	m->article_title = g_text(a, r, i, 6);
	m->article_slug = g_text(a, r, i, 7);
	m->created_at = g_int(r, i, 8);
}

static enum hh_rc chat_insert(struct hh_tx *tx, struct hh_chat *c)
{
	FAULT(tx);
	if (!c->created_at)
		c->created_at = hh_now_us() / 1000000;
	if (!c->queued_at)
		c->queued_at = c->created_at;
	struct pg_params p = { 0 };
	p_int(&p, c->org_id);
	p_int(&p, c->inquiry_id);
	p_int(&p, c->citizen_id);
	p_blob(&p, c->token_hash, 32);
	p_text(&p, c->state);
	p_int(&p, c->agent_id);
	p_text(&p, c->team);
	p_text(&p, c->topic);
	p_int(&p, c->created_at);
	p_int(&p, c->queued_at);
	p_text(&p, c->visit);
	enum hh_rc rc = RUN_INT(tx, P_CHAT_INSERT, &p, &c->id);
	if (rc == HH_OK)
		c->version = 1;
	return rc;
}

static enum hh_rc chat_update(struct hh_tx *tx, struct hh_chat *c,
			      int64_t expected)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, c->id);
	p_int(&p, expected);
	p_text(&p, c->state);
	p_int(&p, c->agent_id);
	p_text(&p, c->team);
	p_int(&p, c->queued_at);
	p_int(&p, c->taken_at);
	p_int(&p, c->closed_at);
	p_int(&p, c->rating);
	p_text(&p, c->rating_comment);
	enum hh_rc rc = RUN_INT(tx, P_CHAT_UPDATE, &p, &c->version);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc chat_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_chat *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_CHAT_GET, &p, chat_row, a, out);
}

static enum hh_rc chat_get_by_inquiry(struct hh_tx *tx, struct hh_arena *a,
				      int64_t inquiry_id, struct hh_chat *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, inquiry_id);
	PG_ONE_ROW(tx, P_CHAT_GET_INQ, &p, chat_row, a, out);
}

static enum hh_rc chat_list(struct hh_tx *tx, struct hh_arena *a,
			    int64_t org_id, int64_t agent_id, hh_chat_cb cb,
			    void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	if (agent_id) {
		p_int(&p, agent_id);
		PG_MANY_ROWS(tx, P_CHAT_ACTIVE, &p, struct hh_chat, chat_row,
			     a, cb, ctx);
	}
	p_int(&p, org_id);
	PG_MANY_ROWS(tx, P_CHAT_QUEUE, &p, struct hh_chat, chat_row, a, cb,
		     ctx);
}

static enum hh_rc chat_queue_position(struct hh_tx *tx, int64_t org_id,
				      int64_t queued_at, int64_t id,
				      int64_t *ahead)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_int(&p, queued_at);
	p_int(&p, id);
	return RUN_INT(tx, P_CHAT_POSITION, &p, ahead);
}

static enum hh_rc chat_recent_wait(struct hh_tx *tx, int64_t org_id,
				   int64_t since, int n, int64_t *mean_s)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_int(&p, since);
	p_int(&p, n);
	return RUN_INT(tx, P_CHAT_WAIT, &p, mean_s);
}

static enum hh_rc chat_message_append(struct hh_tx *tx,
				      struct hh_chat_message *m)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, m->chat_id);
	enum hh_rc rc = RUN_INT(tx, P_CHAT_SEQ, &p, &m->seq);
	if (rc != HH_OK)
		return rc;
	if (!m->created_at)
		m->created_at = hh_now_us() / 1000;
	struct pg_params q = { 0 };
	p_int(&q, m->chat_id);
	p_int(&q, m->seq);
	p_text(&q, m->sender);
	p_int(&q, m->user_id);
	p_text(&q, m->body);
	p_int(&q, m->article_id);
	p_text(&q, m->article_title);
	p_text(&q, m->article_slug);
	p_int(&q, m->created_at);
	return RUN(tx, P_CHAT_MSG_INSERT, &q, NULL);
}

static enum hh_rc chat_messages(struct hh_tx *tx, struct hh_arena *a,
				int64_t chat_id, int64_t after, int64_t limit,
				hh_chat_message_cb cb, void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, chat_id);
	p_int(&p, after);
	if (limit > 0)
		p_int(&p, limit);
	else
		p_text(&p, NULL);
	PG_MANY_ROWS(tx, P_CHAT_MSGS, &p, struct hh_chat_message, msg_row, a,
		     cb, ctx);
}

static enum hh_rc chat_presence_put(struct hh_tx *tx, int64_t user_id,
				    int64_t org_id, int64_t now)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, user_id);
	p_int(&p, org_id);
	p_int(&p, now);
	return RUN(tx, P_CHAT_PRESENCE_PUT, &p, NULL);
}

static enum hh_rc chat_presence_count(struct hh_tx *tx, int64_t org_id,
				      int64_t since, int64_t *n)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_int(&p, since);
	return RUN_INT(tx, P_CHAT_PRESENCE_COUNT, &p, n);
}

void hh_pg_fill_chat(struct hh_store *st)
{
	st->chat_insert = chat_insert;
	st->chat_update = chat_update;
	st->chat_get = chat_get;
	st->chat_get_by_inquiry = chat_get_by_inquiry;
	st->chat_list = chat_list;
	st->chat_queue_position = chat_queue_position;
	st->chat_recent_wait = chat_recent_wait;
	st->chat_message_append = chat_message_append;
	st->chat_messages = chat_messages;
	st->chat_presence_put = chat_presence_put;
	st->chat_presence_count = chat_presence_count;
}
