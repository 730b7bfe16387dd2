/* sqlite_inquiries.c - the SQLite backend: inquiries (henvendelser). */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

#define INQ_COLS                                                              \
	"id, organisation_id, channel, ifnull(article_id, 0), kle, "          \
	"ifnull(citizen_id, 0), ifnull(agent_id, 0), started_at, "            \
	"ifnull(ended_at, 0), outcome, transfer_team, "                       \
	"ifnull(transfer_org_id, 0), transfer_reason, ifnull(case_id, 0), "   \
	"ifnull(callback_due_at, 0), note, idem_scope, idem_key, "            \
	"request_hash, version, created_at, updated_at "

static const char *const stmt_sql[S__COUNT] = {
	[S_INQ_INSERT] =
		"INSERT INTO inquiries(organisation_id, channel, article_id, kle, "
		"citizen_id, agent_id, started_at, ended_at, outcome, "
		"transfer_team, transfer_org_id, transfer_reason, case_id, "
		"callback_due_at, note, idem_scope, idem_key, request_hash, "
		"version, created_at, updated_at) VALUES (?1, ?2, nullif(?3, 0), "
		"?4, nullif(?5, 0), nullif(?6, 0), ?7, nullif(?8, 0), ?9, ?10, "
		"nullif(?11, 0), ?12, nullif(?13, 0), nullif(?14, 0), ?15, ?16, "
		"?17, ?18, 1, ?19, ?19)",
	[S_INQ_UPDATE] =
		"UPDATE inquiries SET channel = ?3, article_id = nullif(?4, 0), "
		"kle = ?5, citizen_id = nullif(?6, 0), agent_id = nullif(?7, 0), "
		"ended_at = nullif(?8, 0), outcome = ?9, transfer_team = ?10, "
		"transfer_org_id = nullif(?11, 0), transfer_reason = ?12, "
		"case_id = nullif(?13, 0), callback_due_at = nullif(?14, 0), "
		"note = ?15, updated_at = ?16, version = version + 1 "
		"WHERE id = ?1 AND version = ?2 RETURNING version",
	[S_INQ_GET] = "SELECT " INQ_COLS "FROM inquiries WHERE id = ?1",
	[S_INQ_GET_KEY] = "SELECT " INQ_COLS "FROM inquiries "
			  "WHERE idem_scope = ?1 AND idem_key = ?2",
	[S_INQ_CODE_PUT] =
		"INSERT INTO inquiry_codes(organisation_id, kind, code, label) "
		"VALUES (?1, ?2, ?3, ?4) ON CONFLICT(organisation_id, kind, code) "
		"DO UPDATE SET label = excluded.label",
	[S_INQ_CODE_GET] = "SELECT label FROM inquiry_codes WHERE "
			   "organisation_id = ?1 AND kind = ?2 AND code = ?3",
};

static void inq_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_inquiry *q)
{
	q->id = sqlite3_column_int64(st, 0);
	q->org_id = sqlite3_column_int64(st, 1);
	q->channel = col_text(a, st, 2);
	q->article_id = sqlite3_column_int64(st, 3);
	q->kle = col_text(a, st, 4);
	q->citizen_id = sqlite3_column_int64(st, 5);
	q->agent_id = sqlite3_column_int64(st, 6);
	q->started_at = sqlite3_column_int64(st, 7);
	q->ended_at = sqlite3_column_int64(st, 8);
	q->outcome = col_text(a, st, 9);
	q->transfer_team = col_text(a, st, 10);
	q->transfer_org_id = sqlite3_column_int64(st, 11);
	q->transfer_reason = col_text(a, st, 12);
	q->case_id = sqlite3_column_int64(st, 13);
	q->callback_due_at = sqlite3_column_int64(st, 14);
	q->note = col_text(a, st, 15);
	q->idem_scope = col_text(a, st, 16);
	q->idem_key = col_text(a, st, 17);
	q->request_hash = col_text(a, st, 18);
	q->version = sqlite3_column_int64(st, 19);
	q->created_at = sqlite3_column_int64(st, 20);
	q->updated_at = sqlite3_column_int64(st, 21);
}

static enum hh_rc inquiry_insert(struct hh_tx *tx, struct hh_inquiry *q)
{
	FAULT(tx);
	STMT(tx, S_INQ_INSERT);
	q->created_at = hh_now_us() / 1000000;
	q->updated_at = q->created_at;
	if (!q->started_at)
		q->started_at = q->created_at;
	sqlite3_bind_int64(st, 1, q->org_id);
	bind_text(st, 2, q->channel);
	sqlite3_bind_int64(st, 3, q->article_id);
	bind_text(st, 4, q->kle);
	sqlite3_bind_int64(st, 5, q->citizen_id);
	sqlite3_bind_int64(st, 6, q->agent_id);
	sqlite3_bind_int64(st, 7, q->started_at);
	sqlite3_bind_int64(st, 8, q->ended_at);
	bind_text(st, 9, q->outcome);
	bind_text(st, 10, q->transfer_team);
	sqlite3_bind_int64(st, 11, q->transfer_org_id);
	bind_text(st, 12, q->transfer_reason);
	sqlite3_bind_int64(st, 13, q->case_id);
	sqlite3_bind_int64(st, 14, q->callback_due_at);
	bind_text(st, 15, q->note);
	bind_text(st, 16, q->idem_key ? q->idem_scope : NULL);
	bind_text(st, 17, q->idem_key);
	bind_text(st, 18, q->idem_key ? q->request_hash : NULL);
	sqlite3_bind_int64(st, 19, q->created_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK) {
		q->id = sqlite3_last_insert_rowid(db_of(tx));
		q->version = 1;
	}
	return r;
}

static enum hh_rc inquiry_update(struct hh_tx *tx, struct hh_inquiry *q,
				 int64_t expected)
{
	FAULT(tx);
	STMT(tx, S_INQ_UPDATE);
	q->updated_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, q->id);
	sqlite3_bind_int64(st, 2, expected);
	bind_text(st, 3, q->channel);
	sqlite3_bind_int64(st, 4, q->article_id);
	bind_text(st, 5, q->kle);
	sqlite3_bind_int64(st, 6, q->citizen_id);
	sqlite3_bind_int64(st, 7, q->agent_id);
	sqlite3_bind_int64(st, 8, q->ended_at);
	bind_text(st, 9, q->outcome);
	bind_text(st, 10, q->transfer_team);
	sqlite3_bind_int64(st, 11, q->transfer_org_id);
	bind_text(st, 12, q->transfer_reason);
	sqlite3_bind_int64(st, 13, q->case_id);
	sqlite3_bind_int64(st, 14, q->callback_due_at);
	bind_text(st, 15, q->note);
	sqlite3_bind_int64(st, 16, q->updated_at);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		q->version = sqlite3_column_int64(st, 0);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_CONFLICT : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc inquiry_get(struct hh_tx *tx, struct hh_arena *a, int64_t id,
			      struct hh_inquiry *out)
{
	FAULT(tx);
	STMT(tx, S_INQ_GET);
	sqlite3_bind_int64(st, 1, id);
	ONE_ROW(tx, st, inq_row, a, out);
}

static enum hh_rc inquiry_get_by_key(struct hh_tx *tx, struct hh_arena *a,
				     const char *scope, const char *key,
				     struct hh_inquiry *out)
{
	FAULT(tx);
	STMT(tx, S_INQ_GET_KEY);
	bind_text(st, 1, scope);
	bind_text(st, 2, key);
	ONE_ROW(tx, st, inq_row, a, out);
}

/* The filter varies, so the query is built here (as case_list). The
 * page's ids come from the index alone; only those rows are read. */
static enum hh_rc inquiry_list(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_inquiry_filter *f,
			       int64_t offset, int64_t limit, int64_t *total,
			       hh_inquiry_cb cb, void *ctx)
{
	FAULT(tx);
	char where[256] = "WHERE 1";
	if (f->org_id)
		strcat(where, " AND organisation_id = :org");
	if (f->citizen_id)
		strcat(where, " AND citizen_id = :cit");
	if (f->open_only)
		strcat(where, " AND outcome = 'open'");
	if (f->callbacks_due_before)
		strcat(where, " AND outcome = 'callback_promised' "
			      "AND callback_due_at < :due");
	const char *order = f->callbacks_due_before ? "callback_due_at, id"
			    : f->open_only	    ? "started_at, id"
						    : "started_at DESC, id DESC";
	char sql[1536];
	sqlite3 *db = db_of(tx);
	enum hh_rc r = HH_OK;
	for (int pass = total ? 0 : 1; pass < 2 && r == HH_OK; pass++) {
		if (pass == 0)
			snprintf(sql, sizeof(sql),
				 "SELECT count(*) FROM inquiries %s", where);
		else
			snprintf(sql, sizeof(sql),
				 "SELECT " INQ_COLS "FROM inquiries WHERE id IN "
				 "(SELECT id FROM inquiries %s ORDER BY %s "
				 "LIMIT :limit OFFSET :offset) ORDER BY %s",
				 where, order, order);
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
		if (rc != SQLITE_OK)
			return hh_sq_map_rc(db, rc);
		int i;
		if ((i = sqlite3_bind_parameter_index(st, ":org")))
			sqlite3_bind_int64(st, i, f->org_id);
		if ((i = sqlite3_bind_parameter_index(st, ":cit")))
			sqlite3_bind_int64(st, i, f->citizen_id);
		if ((i = sqlite3_bind_parameter_index(st, ":due")))
			sqlite3_bind_int64(st, i, f->callbacks_due_before);
		if ((i = sqlite3_bind_parameter_index(st, ":limit")))
			sqlite3_bind_int64(st, i, limit > 0 ? limit : -1);
		if ((i = sqlite3_bind_parameter_index(st, ":offset")))
			sqlite3_bind_int64(st, i, offset);
		while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (pass == 0) {
				*total = sqlite3_column_int64(st, 0);
			} else {
				struct hh_inquiry q;
				inq_row(a, st, &q);
				r = cb(ctx, &q);
			}
		}
		if (r == HH_OK && rc != SQLITE_DONE)
			r = hh_sq_map_rc(db, rc);
		sqlite3_finalize(st);
	}
	return r;
}

static enum hh_rc inquiry_code_put(struct hh_tx *tx, int64_t org_id,
				   const char *kind, const char *code,
				   const char *label)
{
	FAULT(tx);
	STMT(tx, S_INQ_CODE_PUT);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, kind);
	bind_text(st, 3, code);
	bind_text(st, 4, label);
	return hh_sq_exec(tx, st);
}

static void label_row(struct hh_arena *a, sqlite3_stmt *st, const char **out)
{
	*out = col_text(a, st, 0);
}

static enum hh_rc inquiry_code_get(struct hh_tx *tx, struct hh_arena *a,
				   int64_t org_id, const char *kind,
				   const char *code, const char **label)
{
	FAULT(tx);
	STMT(tx, S_INQ_CODE_GET);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, kind);
	bind_text(st, 3, code);
	ONE_ROW(tx, st, label_row, a, label);
}

void hh_sq_fill_inquiries(struct hh_store *st)
{
	st->inquiry_code_put = inquiry_code_put;
	st->inquiry_code_get = inquiry_code_get;
	st->inquiry_insert = inquiry_insert;
	st->inquiry_update = inquiry_update;
	st->inquiry_get = inquiry_get;
	st->inquiry_get_by_key = inquiry_get_by_key;
	st->inquiry_list = inquiry_list;
}
