/* sqlite_chat.c - the SQLite backend: live chats, their messages and the
 * agents' presence. */
#include "store/sqlite_int.h"

#include <string.h>

#include "core/util.h"

#define CHAT_COLS                                                            \
	"id, organisation_id, inquiry_id, ifnull(citizen_id, 0), token_hash, " \
	"state, ifnull(agent_id, 0), team, topic, created_at, queued_at, "     \
	"ifnull(taken_at, 0), ifnull(closed_at, 0), last_seq, "                \
	"ifnull(rating, 0), rating_comment, version "

#define MSG_COLS                                                           \
	"chat_id, seq, sender, ifnull(user_id, 0), body, "                 \
	"ifnull(article_id, 0), article_title, article_slug, created_at "

static const char *const stmt_sql[S__COUNT] = {
	[S_CHAT_INSERT] =
		"INSERT INTO chats(organisation_id, inquiry_id, citizen_id, "
		"token_hash, state, agent_id, team, topic, created_at, queued_at, "
		"version, visit) VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, "
		"nullif(?6, 0), ?7, ?8, ?9, ?10, 1, ?11)",
	[S_CHAT_UPDATE] =
		"UPDATE chats SET state = ?3, agent_id = nullif(?4, 0), team = ?5, "
		"queued_at = ?6, taken_at = nullif(?7, 0), "
		"closed_at = nullif(?8, 0), rating = nullif(?9, 0), "
		"rating_comment = ?10, version = version + 1 "
		"WHERE id = ?1 AND version = ?2 RETURNING version",
	[S_CHAT_GET] = "SELECT " CHAT_COLS "FROM chats WHERE id = ?1",
	[S_CHAT_GET_INQ] = "SELECT " CHAT_COLS "FROM chats WHERE inquiry_id = ?1",
	[S_CHAT_QUEUE] = "SELECT " CHAT_COLS "FROM chats WHERE organisation_id "
			 "= ?1 AND state = 'queued' ORDER BY queued_at, id",
	[S_CHAT_ACTIVE] = "SELECT " CHAT_COLS "FROM chats WHERE agent_id = ?1 "
			  "AND state = 'active' ORDER BY id",
	[S_CHAT_POSITION] =
		"SELECT count(*) FROM chats WHERE organisation_id = ?1 AND "
		"state = 'queued' AND (queued_at < ?2 OR (queued_at = ?2 AND "
		"id < ?3))",
	[S_CHAT_WAIT] =
		"SELECT ifnull(avg(taken_at - created_at), -1) FROM (SELECT "
		"taken_at, created_at FROM chats WHERE organisation_id = ?1 AND "
		"taken_at IS NOT NULL AND taken_at >= ?2 ORDER BY taken_at DESC "
		"LIMIT ?3)",
	[S_CHAT_SEQ] = "UPDATE chats SET last_seq = last_seq + 1 WHERE id = ?1 "
		       "RETURNING last_seq",
	[S_CHAT_MSG_INSERT] =
		"INSERT INTO chat_messages(chat_id, seq, sender, user_id, body, "
		"article_id, article_title, article_slug, created_at) VALUES "
		"(?1, ?2, ?3, nullif(?4, 0), ?5, nullif(?6, 0), ?7, ?8, ?9)",
	[S_CHAT_MSGS] = "SELECT " MSG_COLS "FROM chat_messages WHERE chat_id = "
			"?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
	[S_CHAT_PRESENCE_PUT] =
		"INSERT INTO chat_presence(user_id, organisation_id, seen_at) "
		"VALUES (?1, ?2, ?3) ON CONFLICT(user_id) DO UPDATE SET "
		"organisation_id = excluded.organisation_id, "
		"seen_at = excluded.seen_at",
	[S_CHAT_PRESENCE_COUNT] = "SELECT count(*) FROM chat_presence WHERE "
				  "organisation_id = ?1 AND seen_at >= ?2",
};

static void chat_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_chat *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->org_id = sqlite3_column_int64(st, 1);
	c->inquiry_id = sqlite3_column_int64(st, 2);
	c->citizen_id = sqlite3_column_int64(st, 3);
	c->token_hash = col_blob(a, st, 4);
	c->state = col_text(a, st, 5);
	c->agent_id = sqlite3_column_int64(st, 6);
	c->team = col_text(a, st, 7);
	c->topic = col_text(a, st, 8);
	c->created_at = sqlite3_column_int64(st, 9);
	c->queued_at = sqlite3_column_int64(st, 10);
	c->taken_at = sqlite3_column_int64(st, 11);
	c->closed_at = sqlite3_column_int64(st, 12);
	c->last_seq = sqlite3_column_int64(st, 13);
	c->rating = sqlite3_column_int(st, 14);
	c->rating_comment = col_text(a, st, 15);
	c->version = sqlite3_column_int64(st, 16);
}

static void msg_row(struct hh_arena *a, sqlite3_stmt *st,
		    struct hh_chat_message *m)
{
	m->chat_id = sqlite3_column_int64(st, 0);
	m->seq = sqlite3_column_int64(st, 1);
	m->sender = col_text(a, st, 2);
	m->user_id = sqlite3_column_int64(st, 3);
	m->body = col_text(a, st, 4);
	m->article_id = sqlite3_column_int64(st, 5);
	m->article_title = col_text(a, st, 6);
	m->article_slug = col_text(a, st, 7);
	m->created_at = sqlite3_column_int64(st, 8);
}

static enum hh_rc chat_insert(struct hh_tx *tx, struct hh_chat *c)
{
	FAULT(tx);
	STMT(tx, S_CHAT_INSERT);
	if (!c->created_at)
		c->created_at = hh_now_us() / 1000000;
	if (!c->queued_at)
		c->queued_at = c->created_at;
	sqlite3_bind_int64(st, 1, c->org_id);
	sqlite3_bind_int64(st, 2, c->inquiry_id);
	sqlite3_bind_int64(st, 3, c->citizen_id);
	sqlite3_bind_blob(st, 4, c->token_hash, 32, SQLITE_STATIC);
	bind_text(st, 5, c->state);
	sqlite3_bind_int64(st, 6, c->agent_id);
	bind_text(st, 7, c->team);
	bind_text(st, 8, c->topic);
	sqlite3_bind_int64(st, 9, c->created_at);
	sqlite3_bind_int64(st, 10, c->queued_at);
	bind_text(st, 11, c->visit);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK) {
		c->id = sqlite3_last_insert_rowid(db_of(tx));
		c->version = 1;
	}
	return r;
}

static enum hh_rc chat_update(struct hh_tx *tx, struct hh_chat *c,
			      int64_t expected)
{
	FAULT(tx);
	STMT(tx, S_CHAT_UPDATE);
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_int64(st, 2, expected);
	bind_text(st, 3, c->state);
	sqlite3_bind_int64(st, 4, c->agent_id);
	bind_text(st, 5, c->team);
	sqlite3_bind_int64(st, 6, c->queued_at);
	sqlite3_bind_int64(st, 7, c->taken_at);
	sqlite3_bind_int64(st, 8, c->closed_at);
	sqlite3_bind_int(st, 9, c->rating);
	bind_text(st, 10, c->rating_comment);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		c->version = sqlite3_column_int64(st, 0);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_CONFLICT : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc chat_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			   struct hh_chat *out)
{
	FAULT(tx);
	STMT(tx, S_CHAT_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, chat_row, a, out);
}

static enum hh_rc chat_get_by_inquiry(struct hh_tx *tx, struct hh_arena *a,
				      int64_t inquiry_id, struct hh_chat *out)
{
	FAULT(tx);
	STMT(tx, S_CHAT_GET_INQ);
	sqlite3_bind_int64(st, 1, inquiry_id);
	ONE_ROW(tx, st, chat_row, a, out);
}

static enum hh_rc chat_list(struct hh_tx *tx, struct hh_arena *a,
			    int64_t org_id, int64_t agent_id, hh_chat_cb cb,
			    void *ctx)
{
	FAULT(tx);
	if (agent_id) {
		STMT(tx, S_CHAT_ACTIVE);
		sqlite3_bind_int64(st, 1, agent_id);
		MANY_ROWS(tx, st, struct hh_chat, chat_row, a, cb, ctx);
	}
	STMT(tx, S_CHAT_QUEUE);
	sqlite3_bind_int64(st, 1, org_id);
	MANY_ROWS(tx, st, struct hh_chat, chat_row, a, cb, ctx);
}

static enum hh_rc chat_queue_position(struct hh_tx *tx, int64_t org_id,
				      int64_t queued_at, int64_t id,
				      int64_t *ahead)
{
	FAULT(tx);
	STMT(tx, S_CHAT_POSITION);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, queued_at);
	sqlite3_bind_int64(st, 3, id);
	return hh_sq_step_int64(tx, st, ahead);
}

static enum hh_rc chat_recent_wait(struct hh_tx *tx, int64_t org_id,
				   int64_t since, int n, int64_t *mean_s)
{
	FAULT(tx);
	STMT(tx, S_CHAT_WAIT);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int(st, 3, n);
	return hh_sq_step_int64(tx, st, mean_s);
}

static enum hh_rc chat_message_append(struct hh_tx *tx,
				      struct hh_chat_message *m)
{
	FAULT(tx);
	enum hh_rc r;
	{
		STMT(tx, S_CHAT_SEQ);
		sqlite3_bind_int64(st, 1, m->chat_id);
		r = hh_sq_step_int64(tx, st, &m->seq);
		if (r != HH_OK)
			return r;
	}
	STMT(tx, S_CHAT_MSG_INSERT);
	if (!m->created_at)
		m->created_at = hh_now_us() / 1000;
	sqlite3_bind_int64(st, 1, m->chat_id);
	sqlite3_bind_int64(st, 2, m->seq);
	bind_text(st, 3, m->sender);
	sqlite3_bind_int64(st, 4, m->user_id);
	bind_text(st, 5, m->body);
	sqlite3_bind_int64(st, 6, m->article_id);
	bind_text(st, 7, m->article_title);
	bind_text(st, 8, m->article_slug);
	sqlite3_bind_int64(st, 9, m->created_at);
	return hh_sq_exec(tx, st);
}

static enum hh_rc chat_messages(struct hh_tx *tx, struct hh_arena *a,
				int64_t chat_id, int64_t after, int64_t limit,
				hh_chat_message_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_CHAT_MSGS);
	sqlite3_bind_int64(st, 1, chat_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_chat_message, msg_row, a, cb, ctx);
}

static enum hh_rc chat_presence_put(struct hh_tx *tx, int64_t user_id,
				    int64_t org_id, int64_t now)
{
	FAULT(tx);
	STMT(tx, S_CHAT_PRESENCE_PUT);
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, org_id);
	sqlite3_bind_int64(st, 3, now);
	return hh_sq_exec(tx, st);
}

static enum hh_rc chat_presence_count(struct hh_tx *tx, int64_t org_id,
				      int64_t since, int64_t *n)
{
	FAULT(tx);
	STMT(tx, S_CHAT_PRESENCE_COUNT);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, since);
	return hh_sq_step_int64(tx, st, n);
}

void hh_sq_fill_chat(struct hh_store *st)
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
