/* sqlite_messages.c - the SQLite backend: Digital Post messages, the
 * letters they carry as delivery reads them, organisations' CVR numbers,
 * citizens' postal address and exemption, and print batches
 * (domain/messages.h). */
#include "store/sqlite_int.h"

#include <string.h>

#include "core/util.h"

#define MSG_COLS                                                            \
	"m.id, m.message_id, m.letter_id, m.organisation_id, "              \
	"ifnull(m.citizen_id, 0), m.channel, m.state, m.attempts, "         \
	"m.next_attempt_at, m.last_error, m.created_at, m.updated_at, "     \
	"ifnull(m.sent_at, 0), ifnull(m.delivered_at, 0), m.print_batch, "  \
	"l.title, ifnull(l.case_id, 0), c.name "
#define MSG_FROM                                                            \
	"FROM messages m JOIN letters l ON l.id = m.letter_id "             \
	"LEFT JOIN citizens c ON c.id = m.citizen_id "

#define BATCH_COLS "id, organisation_id, day, seq, file, letters, pages, " \
		   "created_at "

static const char *const stmt_sql[S__COUNT] = {
	[S_MSG_DUE] = "SELECT " MSG_COLS MSG_FROM
		      "WHERE m.state = 'queued' AND m.channel IS NOT 'print' "
		      "AND m.next_attempt_at <= ?1 "
		      "ORDER BY m.next_attempt_at, m.id LIMIT ?2",
	[S_MSG_LIST] = "SELECT " MSG_COLS MSG_FROM
		       "WHERE (?1 = 0 OR m.organisation_id = ?1) "
		       "AND (?2 IS NULL OR m.state = ?2) "
		       "AND (?3 IS NULL OR m.channel = ?3) "
		       "AND (?4 = 0 OR m.letter_id = ?4) "
		       "AND (?6 IS NULL OR m.print_batch = ?6) "
		       "ORDER BY m.id DESC LIMIT ?5",
	[S_MSG_PRINT_WAIT] = "SELECT " MSG_COLS MSG_FROM
			     "WHERE m.state = 'queued' AND m.channel IS 'print' "
			     "AND (?1 = 0 OR m.organisation_id = ?1) "
			     "ORDER BY m.organisation_id, m.id",
	[S_MSG_GET] = "SELECT " MSG_COLS MSG_FROM "WHERE m.id = ?1",
	[S_MSG_GET_UUID] = "SELECT " MSG_COLS MSG_FROM "WHERE m.message_id = ?1",
	[S_MSG_UPDATE] =
		"UPDATE messages SET channel = ?3, state = ?4, attempts = ?5, "
		"next_attempt_at = ?6, last_error = ?7, updated_at = ?8, "
		"sent_at = nullif(?9, 0), delivered_at = nullif(?10, 0), "
		"print_batch = ?11 WHERE id = ?1 AND state = ?2 RETURNING id",
	[S_MSG_COUNT] = "SELECT state, channel, count(*) FROM messages "
			"GROUP BY state, channel ORDER BY state, channel",
	[S_MSG_OLDEST] = "SELECT ifnull(min(created_at), 0) FROM messages "
			 "WHERE state = 'queued'",
	[S_MSG_LETTER] = "SELECT " HH_SQ_LETTER_COLS HH_SQ_LETTER_PDF
			 HH_SQ_LETTER_FROM "WHERE l.id = ?1",
	[S_ORG_CVR_PUT] = "UPDATE organisations SET cvr = ?2 WHERE id = ?1",
	[S_ORG_CVR_GET] = "SELECT cvr FROM organisations WHERE id = ?1",
	[S_CIT_POST_SET] =
		"UPDATE citizens SET address = ?2, postcode = ?3, city = ?4, "
		"dp_exempt_since = nullif(?5, 0), dp_exempt_reason = ?6 "
		"WHERE id = ?1 RETURNING id",
	[S_PRINT_INSERT] =
		"INSERT INTO print_batches(organisation_id, day, seq, file, "
		"letters, pages, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_PRINT_NEXT_SEQ] = "SELECT ifnull(max(seq), 0) + 1 FROM print_batches "
			     "WHERE organisation_id = ?1 AND day = ?2",
	[S_PRINT_GET] = "SELECT " BATCH_COLS "FROM print_batches WHERE id = ?1",
	[S_PRINT_LIST] = "SELECT " BATCH_COLS "FROM print_batches WHERE "
			 "(?1 = 0 OR organisation_id = ?1) "
			 "ORDER BY day DESC, seq DESC, id DESC LIMIT ?2",
};

/* Steps an UPDATE ... RETURNING: OK when it changed a row, else
 * NOT_FOUND. */
static enum hh_rc step_changed(struct hh_tx *tx, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	enum hh_rc r = rc == SQLITE_ROW    ? HH_OK
		       : rc == SQLITE_DONE ? HH_ERR_NOT_FOUND
					   : hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static void msg_row(struct hh_arena *a, sqlite3_stmt *st,
		    struct hh_message_row *out)
{
	memset(out, 0, sizeof(*out));
	struct hh_message *m = &out->m;
	m->id = sqlite3_column_int64(st, 0);
	m->message_id = col_text(a, st, 1);
	m->letter_id = sqlite3_column_int64(st, 2);
	m->org_id = sqlite3_column_int64(st, 3);
	m->citizen_id = sqlite3_column_int64(st, 4);
	m->channel = col_text(a, st, 5);
	m->state = col_text(a, st, 6);
	m->attempts = sqlite3_column_int64(st, 7);
	m->next_attempt_at = sqlite3_column_int64(st, 8);
	m->last_error = col_text(a, st, 9);
	m->created_at = sqlite3_column_int64(st, 10);
	m->updated_at = sqlite3_column_int64(st, 11);
	m->sent_at = sqlite3_column_int64(st, 12);
	m->delivered_at = sqlite3_column_int64(st, 13);
	m->print_batch = col_text(a, st, 14);
	out->title = col_text(a, st, 15);
	out->case_id = sqlite3_column_int64(st, 16);
	out->citizen_name = col_text(a, st, 17);
}

static enum hh_rc message_due(struct hh_tx *tx, struct hh_arena *a,
			      int64_t now, int64_t limit, hh_message_cb cb,
			      void *ctx)
{
	FAULT(tx);
	STMT(tx, S_MSG_DUE);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_message_row, msg_row, a, cb, ctx);
}

struct claim_ctx {
	struct hh_arena *a;
	int64_t now, lease, limit;
	struct hh_message_row *rows;
	int n;
};

static enum hh_rc claim_row(void *p, const struct hh_message_row *r)
{
	struct claim_ctx *x = p;
	if (x->n < x->limit)
		x->rows[x->n++] = *r;
	return HH_OK;
}

/* The claim as the domain made it before pg-skip: SQLite lets one
 * writer in at a time (BEGIN IMMEDIATE), so reading the due messages and
 * moving each one's next attempt in one write transaction is atomic. */
static enum hh_rc claim_tx(struct hh_tx *tx, void *p)
{
	struct claim_ctx *x = p;
	x->n = 0;
	enum hh_rc rc = message_due(tx, x->a, x->now, x->limit, claim_row, x);
	for (int i = 0; rc == HH_OK && i < x->n; i++) {
		struct hh_message m = x->rows[i].m;
		m.next_attempt_at = x->lease;
		rc = tx->store->message_update(tx, &m, "queued");
	}
	return rc;
}

static enum hh_rc message_claim(void *cls, struct hh_arena *a, int64_t now,
				int64_t lease, int64_t limit, hh_message_cb cb,
				void *ctx)
{
	struct sq *s = cls;
	if (limit < 1)
		return HH_ERR_INVALID;
	struct claim_ctx x = { .a = a, .now = now, .lease = lease,
			       .limit = limit };
	x.rows = hh_arena_calloc(a, (size_t)limit * sizeof(*x.rows));
	enum hh_rc rc = hh_store_run_tx(&s->store, 1, claim_tx, &x);
	for (int i = 0; rc == HH_OK && i < x.n; i++)
		rc = cb(ctx, &x.rows[i]);
	return rc;
}

static enum hh_rc message_list(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_message_filter *f,
			       int64_t limit, hh_message_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_MSG_LIST);
	sqlite3_bind_int64(st, 1, f->org_id);
	bind_text(st, 2, f->state);
	bind_text(st, 3, f->channel);
	sqlite3_bind_int64(st, 4, f->letter_id);
	sqlite3_bind_int64(st, 5, limit > 0 ? limit : -1);
	bind_text(st, 6, f->print_batch);
	MANY_ROWS(tx, st, struct hh_message_row, msg_row, a, cb, ctx);
}

static enum hh_rc message_print_wait(struct hh_tx *tx, struct hh_arena *a,
				     int64_t org_id, hh_message_cb cb,
				     void *ctx)
{
	FAULT(tx);
	STMT(tx, S_MSG_PRINT_WAIT);
	sqlite3_bind_int64(st, 1, org_id);
	MANY_ROWS(tx, st, struct hh_message_row, msg_row, a, cb, ctx);
}

static enum hh_rc message_get(struct hh_tx *tx, struct hh_arena *a,
			      int64_t id, struct hh_message_row *out)
{
	FAULT(tx);
	STMT(tx, S_MSG_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, msg_row, a, out);
}

static enum hh_rc message_get_by_uuid(struct hh_tx *tx, struct hh_arena *a,
				      const char *uuid,
				      struct hh_message_row *out)
{
	FAULT(tx);
	STMT(tx, S_MSG_GET_UUID);
	bind_text(st, 1, uuid);
	ONE_ROW(tx, st, msg_row, a, out);
}

static enum hh_rc message_update(struct hh_tx *tx, const struct hh_message *m,
				 const char *expected_state)
{
	FAULT(tx);
	STMT(tx, S_MSG_UPDATE);
	sqlite3_bind_int64(st, 1, m->id);
	bind_text(st, 2, expected_state);
	bind_text(st, 3, m->channel);
	bind_text(st, 4, m->state);
	sqlite3_bind_int64(st, 5, m->attempts);
	sqlite3_bind_int64(st, 6, m->next_attempt_at);
	bind_text(st, 7, m->last_error);
	sqlite3_bind_int64(st, 8, m->updated_at);
	sqlite3_bind_int64(st, 9, m->sent_at);
	sqlite3_bind_int64(st, 10, m->delivered_at);
	bind_text(st, 11, m->print_batch);
	enum hh_rc rc = step_changed(tx, st);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc message_count(struct hh_tx *tx,
				enum hh_rc (*cb)(void *ctx, const char *state,
						 const char *channel, int64_t n),
				void *ctx)
{
	FAULT(tx);
	STMT(tx, S_MSG_COUNT);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = cb(ctx, (const char *)sqlite3_column_text(st, 0),
		       (const char *)sqlite3_column_text(st, 1),
		       sqlite3_column_int64(st, 2));
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static enum hh_rc message_oldest_queued(struct hh_tx *tx, int64_t *created_at)
{
	FAULT(tx);
	STMT(tx, S_MSG_OLDEST);
	return hh_sq_step_int64(tx, st, created_at);
}

static enum hh_rc message_letter(struct hh_tx *tx, struct hh_arena *a,
				 int64_t letter_id, struct hh_letter *out)
{
	FAULT(tx);
	STMT(tx, S_MSG_LETTER);
	sqlite3_bind_int64(st, 1, letter_id);
	ONE_ROW(tx, st, hh_sq_letter_row_pdf, a, out);
}

static enum hh_rc org_cvr_put(struct hh_tx *tx, int64_t org_id,
			      const char *cvr)
{
	FAULT(tx);
	STMT(tx, S_ORG_CVR_PUT);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, cvr);
	return hh_sq_exec(tx, st);
}

static void text_row(struct hh_arena *a, sqlite3_stmt *st, const char **out)
{
	*out = col_text(a, st, 0);
}

static enum hh_rc org_cvr_get(struct hh_tx *tx, struct hh_arena *a,
			      int64_t org_id, const char **cvr)
{
	FAULT(tx);
	STMT(tx, S_ORG_CVR_GET);
	sqlite3_bind_int64(st, 1, org_id);
	ONE_ROW(tx, st, text_row, a, cvr);
}

static enum hh_rc citizen_post_set(struct hh_tx *tx, const struct hh_citizen *c)
{
	FAULT(tx);
	STMT(tx, S_CIT_POST_SET);
	sqlite3_bind_int64(st, 1, c->id);
	bind_text(st, 2, c->address);
	bind_text(st, 3, c->postcode);
	bind_text(st, 4, c->city);
	sqlite3_bind_int64(st, 5, c->dp_exempt_since);
	bind_text(st, 6, c->dp_exempt_since ? c->dp_exempt_reason : NULL);
	return step_changed(tx, st);
}

static void batch_row(struct hh_arena *a, sqlite3_stmt *st,
		      struct hh_print_batch *b)
{
	b->id = sqlite3_column_int64(st, 0);
	b->org_id = sqlite3_column_int64(st, 1);
	b->day = col_text(a, st, 2);
	b->seq = sqlite3_column_int64(st, 3);
	b->file = col_text(a, st, 4);
	b->letters = sqlite3_column_int64(st, 5);
	b->pages = sqlite3_column_int64(st, 6);
	b->created_at = sqlite3_column_int64(st, 7);
}

static enum hh_rc print_batch_insert(struct hh_tx *tx, struct hh_print_batch *b)
{
	FAULT(tx);
	STMT(tx, S_PRINT_INSERT);
	sqlite3_bind_int64(st, 1, b->org_id);
	bind_text(st, 2, b->day);
	sqlite3_bind_int64(st, 3, b->seq);
	bind_text(st, 4, b->file);
	sqlite3_bind_int64(st, 5, b->letters);
	sqlite3_bind_int64(st, 6, b->pages);
	sqlite3_bind_int64(st, 7, b->created_at);
	enum hh_rc rc = hh_sq_exec(tx, st);
	if (rc == HH_OK)
		b->id = sqlite3_last_insert_rowid(db_of(tx));
	return rc;
}

static enum hh_rc print_batch_next_seq(struct hh_tx *tx, int64_t org_id,
				       const char *day, int64_t *seq)
{
	FAULT(tx);
	STMT(tx, S_PRINT_NEXT_SEQ);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, day);
	return hh_sq_step_int64(tx, st, seq);
}

static enum hh_rc print_batch_get(struct hh_tx *tx, struct hh_arena *a,
				  int64_t id, struct hh_print_batch *out)
{
	FAULT(tx);
	STMT(tx, S_PRINT_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, batch_row, a, out);
}

static enum hh_rc print_batch_list(struct hh_tx *tx, struct hh_arena *a,
				   int64_t org_id, int64_t limit,
				   hh_print_batch_cb cb, void *ctx)
{
	FAULT(tx);
	STMT(tx, S_PRINT_LIST);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	MANY_ROWS(tx, st, struct hh_print_batch, batch_row, a, cb, ctx);
}

void hh_sq_fill_messages(struct hh_store *st)
{
	st->message_claim = message_claim;
	st->message_list = message_list;
	st->message_print_wait = message_print_wait;
	st->message_get = message_get;
	st->message_get_by_uuid = message_get_by_uuid;
	st->message_update = message_update;
	st->message_count = message_count;
	st->message_oldest_queued = message_oldest_queued;
	st->message_letter = message_letter;
	st->org_cvr_put = org_cvr_put;
	st->org_cvr_get = org_cvr_get;
	st->citizen_post_set = citizen_post_set;
	st->print_batch_insert = print_batch_insert;
	st->print_batch_next_seq = print_batch_next_seq;
	st->print_batch_get = print_batch_get;
	st->print_batch_list = print_batch_list;
}
