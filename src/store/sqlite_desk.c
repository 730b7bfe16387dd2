/* sqlite_desk.c - the SQLite backend: what the agent's desk reads
 * (citizens by municipality, inquiries per article, codes)
 * and the transfers of inquiries (migration 0011). */
#include "store/sqlite_int.h"

#include <string.h>

#include "core/util.h"

#define TR_COLS                                                              \
	"id, inquiry_id, from_org_id, from_team, to_org_id, to_team, reason, " \
	"by_actor, at, taken_by, ifnull(taken_at, 0), result, "              \
	"ifnull(result_case_id, 0), ifnull(result_callback_due_at, 0), "     \
	"ifnull(closed_at, 0) "

static const char *const stmt_sql[S__COUNT] = {
	[S_DESK_CIT_SEARCH] = "SELECT id, name, ifnull(municipality_id, 0) "
			      "FROM citizens WHERE municipality_id = ?1 ORDER BY id",
	[S_DESK_CIT_SEARCH_ALL] = "SELECT id, name, ifnull(municipality_id, 0) "
				  "FROM citizens ORDER BY id",
	[S_DESK_ART_COUNT] =
		"SELECT count(*) FILTER (WHERE outcome = 'resolved_first_contact'), "
		"count(*) FROM inquiries WHERE article_id = ?1",
	[S_DESK_ART_TOP] =
		"SELECT article_id, count(*) FILTER (WHERE outcome = "
		"'resolved_first_contact') AS answered, count(*) FROM inquiries "
		"WHERE article_id IS NOT NULL GROUP BY article_id "
		"ORDER BY answered DESC, article_id LIMIT ?1",
	[S_DESK_CODE_LIST] =
		"SELECT kind, code, label FROM inquiry_codes WHERE "
		"organisation_id = ?1 AND (?2 IS NULL OR kind = ?2) "
		"ORDER BY kind, code",
	[S_DESK_TR_INSERT] =
		"INSERT INTO inquiry_transfers(inquiry_id, from_org_id, from_team, "
		"to_org_id, to_team, reason, by_actor, at) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_DESK_TR_UPDATE] =
		"UPDATE inquiry_transfers SET taken_by = ?2, taken_at = nullif(?3, 0), "
		"result = ?4, result_case_id = nullif(?5, 0), "
		"result_callback_due_at = nullif(?6, 0), closed_at = nullif(?7, 0) "
		"WHERE id = ?1",
	[S_DESK_TR_GET] = "SELECT " TR_COLS "FROM inquiry_transfers WHERE id = ?1",
	[S_DESK_TR_BY_INQ] = "SELECT " TR_COLS "FROM inquiry_transfers "
			     "WHERE inquiry_id = ?1 ORDER BY id",
	[S_DESK_TR_QUEUE] = "SELECT " TR_COLS "FROM inquiry_transfers "
			    "WHERE to_org_id = ?1 AND result IS NULL AND "
			    "(?2 IS NULL OR to_team = ?2) ORDER BY at, id LIMIT 500",
};

static void cit_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_citizen *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->name = col_text(a, st, 1);
	c->municipality_id = sqlite3_column_int64(st, 2);
}

static enum hh_rc citizen_search(struct hh_tx *tx, struct hh_arena *a,
				 int64_t municipality_id, hh_citizen_cb cb,
				 void *ctx)
{
	FAULT(tx);
	if (municipality_id) {
		STMT(tx, S_DESK_CIT_SEARCH);
		sqlite3_bind_int64(st, 1, municipality_id);
		MANY_ROWS(tx, st, struct hh_citizen, cit_row, a, cb, ctx);
	}
	STMT(tx, S_DESK_CIT_SEARCH_ALL);
	MANY_ROWS(tx, st, struct hh_citizen, cit_row, a, cb, ctx);
}

static enum hh_rc inquiry_article_count(struct hh_tx *tx, int64_t article_id,
					int64_t *answered, int64_t *linked)
{
	FAULT(tx);
	STMT(tx, S_DESK_ART_COUNT);
	sqlite3_bind_int64(st, 1, article_id);
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW) {
		*answered = sqlite3_column_int64(st, 0);
		*linked = sqlite3_column_int64(st, 1);
	} else {
		r = hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc inquiry_article_top(struct hh_tx *tx, int64_t limit,
				      enum hh_rc (*cb)(void *ctx, int64_t article_id,
						       int64_t answered,
						       int64_t linked),
				      void *ctx)
{
	FAULT(tx);
	STMT(tx, S_DESK_ART_TOP);
	sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1);
	enum hh_rc r = HH_OK;
	int rc;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		r = cb(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
		       sqlite3_column_int64(st, 2));
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

static void code_row(struct hh_arena *a, sqlite3_stmt *st,
		     struct hh_inquiry_code *c)
{
	c->kind = col_text(a, st, 0);
	c->code = col_text(a, st, 1);
	c->label = col_text(a, st, 2);
}

static enum hh_rc inquiry_code_list(struct hh_tx *tx, struct hh_arena *a,
				    int64_t org_id, const char *kind,
				    enum hh_rc (*cb)(void *ctx,
						     const struct hh_inquiry_code *c),
				    void *ctx)
{
	FAULT(tx);
	STMT(tx, S_DESK_CODE_LIST);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, kind);
	MANY_ROWS(tx, st, struct hh_inquiry_code, code_row, a, cb, ctx);
}

static void tr_row(struct hh_arena *a, sqlite3_stmt *st,
		   struct hh_inquiry_transfer *t)
{
	t->id = sqlite3_column_int64(st, 0);
	t->inquiry_id = sqlite3_column_int64(st, 1);
	t->from_org_id = sqlite3_column_int64(st, 2);
	t->from_team = col_text(a, st, 3);
	t->to_org_id = sqlite3_column_int64(st, 4);
	t->to_team = col_text(a, st, 5);
	t->reason = col_text(a, st, 6);
	t->by_actor = col_text(a, st, 7);
	t->at = sqlite3_column_int64(st, 8);
	t->taken_by = col_text(a, st, 9);
	t->taken_at = sqlite3_column_int64(st, 10);
	t->result = col_text(a, st, 11);
	t->result_case_id = sqlite3_column_int64(st, 12);
	t->result_callback_due_at = sqlite3_column_int64(st, 13);
	t->closed_at = sqlite3_column_int64(st, 14);
}

static enum hh_rc transfer_insert(struct hh_tx *tx, struct hh_inquiry_transfer *t)
{
	FAULT(tx);
	STMT(tx, S_DESK_TR_INSERT);
	if (!t->at)
		t->at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, t->inquiry_id);
	sqlite3_bind_int64(st, 2, t->from_org_id);
	bind_text(st, 3, t->from_team);
	sqlite3_bind_int64(st, 4, t->to_org_id);
	bind_text(st, 5, t->to_team);
	bind_text(st, 6, t->reason);
	bind_text(st, 7, t->by_actor);
	sqlite3_bind_int64(st, 8, t->at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK)
		t->id = sqlite3_last_insert_rowid(db_of(tx));
	return r;
}

static enum hh_rc transfer_update(struct hh_tx *tx,
				  const struct hh_inquiry_transfer *t)
{
	FAULT(tx);
	STMT(tx, S_DESK_TR_UPDATE);
	sqlite3_bind_int64(st, 1, t->id);
	bind_text(st, 2, t->taken_by);
	sqlite3_bind_int64(st, 3, t->taken_at);
	bind_text(st, 4, t->result);
	sqlite3_bind_int64(st, 5, t->result_case_id);
	sqlite3_bind_int64(st, 6, t->result_callback_due_at);
	sqlite3_bind_int64(st, 7, t->closed_at);
	return hh_sq_exec(tx, st);
}

static enum hh_rc transfer_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			       struct hh_inquiry_transfer *out)
{
	FAULT(tx);
	STMT(tx, S_DESK_TR_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, tr_row, a, out);
}

static enum hh_rc transfer_list(struct hh_tx *tx, struct hh_arena *a,
				int64_t inquiry_id, int64_t to_org_id,
				const char *to_team,
				enum hh_rc (*cb)(void *ctx,
						 const struct hh_inquiry_transfer *t),
				void *ctx)
{
	FAULT(tx);
	if (inquiry_id > 0) {
		STMT(tx, S_DESK_TR_BY_INQ);
		sqlite3_bind_int64(st, 1, inquiry_id);
		MANY_ROWS(tx, st, struct hh_inquiry_transfer, tr_row, a, cb, ctx);
	}
	STMT(tx, S_DESK_TR_QUEUE);
	sqlite3_bind_int64(st, 1, to_org_id);
	bind_text(st, 2, to_team);
	MANY_ROWS(tx, st, struct hh_inquiry_transfer, tr_row, a, cb, ctx);
}

void hh_sq_fill_desk(struct hh_store *st)
{
	st->citizen_search = citizen_search;
	st->inquiry_article_count = inquiry_article_count;
	st->inquiry_article_top = inquiry_article_top;
	st->inquiry_code_list = inquiry_code_list;
	st->transfer_insert = transfer_insert;
	st->transfer_update = transfer_update;
	st->transfer_get = transfer_get;
	st->transfer_list = transfer_list;
}
