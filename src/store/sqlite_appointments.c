/* sqlite_appointments.c - the SQLite backend: appointments (tidsbestilling)
 * and the organisations' content documents (counter services, contact). */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"

#define APPT_COLS                                                             \
	"id, code, organisation_id, service, counter, start_at, end_at, "     \
	"ifnull(citizen_id, 0), name, email, phone, state, idem_scope, "      \
	"idem_key, request_hash, version, created_at, updated_at "

static const char *const stmt_sql[S__COUNT] = {
	[S_APPT_INSERT] =
		"INSERT INTO appointments(code, organisation_id, service, counter, "
		"start_at, end_at, citizen_id, name, email, phone, state, "
		"idem_scope, idem_key, request_hash, version, created_at, "
		"updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, 0), ?8, ?9, "
		"?10, ?11, ?12, ?13, ?14, 1, ?15, ?15)",
	[S_APPT_UPDATE] =
		"UPDATE appointments SET service = ?3, counter = ?4, start_at = ?5, "
		"end_at = ?6, state = ?7, updated_at = ?8, version = version + 1 "
		"WHERE id = ?1 AND version = ?2 RETURNING version",
	[S_APPT_GET_CODE] = "SELECT " APPT_COLS "FROM appointments WHERE code = ?1",
	[S_APPT_GET_KEY] = "SELECT " APPT_COLS "FROM appointments "
			   "WHERE idem_scope = ?1 AND idem_key = ?2",
	[S_ORGDOC_PUT] =
		"INSERT INTO org_documents(organisation_id, kind, body) "
		"VALUES (?1, ?2, ?3) ON CONFLICT(organisation_id, kind) "
		"DO UPDATE SET body = excluded.body",
	[S_ORGDOC_GET] = "SELECT body FROM org_documents WHERE "
			 "organisation_id = ?1 AND kind = ?2",
};

static void appt_row(struct hh_arena *a, sqlite3_stmt *st,
		     struct hh_appointment *b)
{
	b->id = sqlite3_column_int64(st, 0);
	b->code = col_text(a, st, 1);
	b->org_id = sqlite3_column_int64(st, 2);
	b->service = col_text(a, st, 3);
	b->counter = sqlite3_column_int(st, 4);
	b->start_at = sqlite3_column_int64(st, 5);
	b->end_at = sqlite3_column_int64(st, 6);
	b->citizen_id = sqlite3_column_int64(st, 7);
	b->name = col_text(a, st, 8);
	b->email = col_text(a, st, 9);
	b->phone = col_text(a, st, 10);
	b->state = col_text(a, st, 11);
	b->idem_scope = col_text(a, st, 12);
	b->idem_key = col_text(a, st, 13);
	b->request_hash = col_text(a, st, 14);
	b->version = sqlite3_column_int64(st, 15);
	b->created_at = sqlite3_column_int64(st, 16);
	b->updated_at = sqlite3_column_int64(st, 17);
}

static enum hh_rc appointment_insert(struct hh_tx *tx, struct hh_appointment *b)
{
	FAULT(tx);
	STMT(tx, S_APPT_INSERT);
	b->created_at = hh_now_us() / 1000000;
	b->updated_at = b->created_at;
	bind_text(st, 1, b->code);
	sqlite3_bind_int64(st, 2, b->org_id);
	bind_text(st, 3, b->service);
	sqlite3_bind_int(st, 4, b->counter);
	sqlite3_bind_int64(st, 5, b->start_at);
	sqlite3_bind_int64(st, 6, b->end_at);
	sqlite3_bind_int64(st, 7, b->citizen_id);
	bind_text(st, 8, b->name);
	bind_text(st, 9, b->email);
	bind_text(st, 10, b->phone);
	bind_text(st, 11, b->state);
	bind_text(st, 12, b->idem_key ? b->idem_scope : NULL);
	bind_text(st, 13, b->idem_key);
	bind_text(st, 14, b->idem_key ? b->request_hash : NULL);
	sqlite3_bind_int64(st, 15, b->created_at);
	enum hh_rc r = hh_sq_exec(tx, st);
	if (r == HH_OK) {
		b->id = sqlite3_last_insert_rowid(db_of(tx));
		b->version = 1;
	}
	return r;
}

static enum hh_rc appointment_update(struct hh_tx *tx, struct hh_appointment *b,
				     int64_t expected)
{
	FAULT(tx);
	STMT(tx, S_APPT_UPDATE);
	b->updated_at = hh_now_us() / 1000000;
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_int64(st, 2, expected);
	bind_text(st, 3, b->service);
	sqlite3_bind_int(st, 4, b->counter);
	sqlite3_bind_int64(st, 5, b->start_at);
	sqlite3_bind_int64(st, 6, b->end_at);
	bind_text(st, 7, b->state);
	sqlite3_bind_int64(st, 8, b->updated_at);
	int rc = sqlite3_step(st);
	enum hh_rc r;
	if (rc == SQLITE_ROW) {
		b->version = sqlite3_column_int64(st, 0);
		r = HH_OK;
	} else {
		r = rc == SQLITE_DONE ? HH_ERR_CONFLICT : hh_sq_map_rc(db_of(tx), rc);
	}
	done(st);
	return r;
}

static enum hh_rc appointment_get_by_code(struct hh_tx *tx, struct hh_arena *a,
					  const char *code,
					  struct hh_appointment *out)
{
	FAULT(tx);
	STMT(tx, S_APPT_GET_CODE);
	bind_text(st, 1, code);
	ONE_ROW(tx, st, appt_row, a, out);
}

static enum hh_rc appointment_get_by_key(struct hh_tx *tx, struct hh_arena *a,
					 const char *scope, const char *key,
					 struct hh_appointment *out)
{
	FAULT(tx);
	STMT(tx, S_APPT_GET_KEY);
	bind_text(st, 1, scope);
	bind_text(st, 2, key);
	ONE_ROW(tx, st, appt_row, a, out);
}

/* The filter varies, so the query is built here (as inquiry_list). */
static enum hh_rc appointment_list(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_appointment_filter *f,
				   hh_appointment_cb cb, void *ctx)
{
	FAULT(tx);
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT " APPT_COLS "FROM appointments WHERE 1%s%s%s%s%s "
		 "ORDER BY start_at, id",
		 f->org_id ? " AND organisation_id = :org" : "",
		 f->citizen_id ? " AND citizen_id = :cit" : "",
		 f->from ? " AND start_at >= :from" : "",
		 f->to ? " AND start_at < :to" : "",
		 f->active_only ? " AND state != 'cancelled'" : "");
	sqlite3 *db = db_of(tx);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return hh_sq_map_rc(db, rc);
	int i;
	if ((i = sqlite3_bind_parameter_index(st, ":org")))
		sqlite3_bind_int64(st, i, f->org_id);
	if ((i = sqlite3_bind_parameter_index(st, ":cit")))
		sqlite3_bind_int64(st, i, f->citizen_id);
	if ((i = sqlite3_bind_parameter_index(st, ":from")))
		sqlite3_bind_int64(st, i, f->from);
	if ((i = sqlite3_bind_parameter_index(st, ":to")))
		sqlite3_bind_int64(st, i, f->to);
	enum hh_rc r = HH_OK;
	while (r == HH_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct hh_appointment b;
		appt_row(a, st, &b);
		r = cb(ctx, &b);
	}
	if (r == HH_OK && rc != SQLITE_DONE)
		r = hh_sq_map_rc(db, rc);
	sqlite3_finalize(st);
	return r;
}

static enum hh_rc org_document_put(struct hh_tx *tx, int64_t org_id,
				   const char *kind, const char *body)
{
	FAULT(tx);
	STMT(tx, S_ORGDOC_PUT);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, kind);
	bind_text(st, 3, body);
	return hh_sq_exec(tx, st);
}

static void body_row(struct hh_arena *a, sqlite3_stmt *st, const char **out)
{
	*out = col_text(a, st, 0);
}

static enum hh_rc org_document_get(struct hh_tx *tx, struct hh_arena *a,
				   int64_t org_id, const char *kind,
				   const char **body)
{
	FAULT(tx);
	STMT(tx, S_ORGDOC_GET);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, kind);
	ONE_ROW(tx, st, body_row, a, body);
}

void hh_sq_fill_appointments(struct hh_store *st)
{
	st->appointment_insert = appointment_insert;
	st->appointment_update = appointment_update;
	st->appointment_get_by_code = appointment_get_by_code;
	st->appointment_get_by_key = appointment_get_by_key;
	st->appointment_list = appointment_list;
	st->org_document_put = org_document_put;
	st->org_document_get = org_document_get;
}
