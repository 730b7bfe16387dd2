/* postgres_appointments.c - the PostgreSQL backend: appointments
 * (tidsbestilling) and the organisations' content documents (the port of
 * sqlite_appointments.c). */
#include "store/postgres_int.h"

#include "core/util.h"

#define APPT_COLS                                                              \
	"id, code, organisation_id, service, counter, start_at, end_at, "      \
	"coalesce(citizen_id, 0), name, email, phone, state, idem_scope, "     \
	"idem_key, request_hash, version, created_at, updated_at "

static const char *const stmt_sql[P__COUNT] = {
	/* DO NOTHING: a code, a key or an active booking of the counter
	 * and start taken is CONFLICT (no row) */
	[P_APPT_INSERT] =
		"INSERT INTO appointments(code, organisation_id, service, counter, "
		"start_at, end_at, citizen_id, name, email, phone, state, "
		"idem_scope, idem_key, request_hash, version, created_at, "
		"updated_at) VALUES ($1, $2, $3, $4, $5, $6, nullif($7::bigint, 0), "
		"$8, $9, $10, $11, $12, $13, $14, 1, $15, $15) "
		"ON CONFLICT DO NOTHING RETURNING id",
	[P_APPT_UPDATE] =
		"UPDATE appointments SET service = $3, counter = $4, "
		"start_at = $5, end_at = $6, state = $7, updated_at = $8, "
		"version = version + 1 WHERE id = $1 AND version = $2 "
		"RETURNING version",
	[P_APPT_GET_CODE] = "SELECT " APPT_COLS "FROM appointments "
			    "WHERE code = $1",
	[P_APPT_GET_KEY] = "SELECT " APPT_COLS "FROM appointments "
			   "WHERE idem_scope = $1 AND idem_key = $2",
	[P_ORGDOC_PUT] =
		"INSERT INTO org_documents(organisation_id, kind, body) "
		"VALUES ($1, $2, $3) ON CONFLICT(organisation_id, kind) "
		"DO UPDATE SET body = excluded.body",
	[P_ORGDOC_GET] = "SELECT body FROM org_documents WHERE "
			 "organisation_id = $1 AND kind = $2",
};

static void appt_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_appointment *b)
{
	b->id = g_int(r, i, 0);
	b->code = g_text(a, r, i, 1);
	b->org_id = g_int(r, i, 2);
	b->service = g_text(a, r, i, 3);
	b->counter = (int)g_int(r, i, 4);
	b->start_at = g_int(r, i, 5);
	b->end_at = g_int(r, i, 6);
	b->citizen_id = g_int(r, i, 7);
	b->name = g_text(a, r, i, 8);
	b->email = g_text(a, r, i, 9);
	b->phone = g_text(a, r, i, 10);
	b->state = g_text(a, r, i, 11);
	b->idem_scope = g_text(a, r, i, 12);
	b->idem_key = g_text(a, r, i, 13);
	b->request_hash = g_text(a, r, i, 14);
	b->version = g_int(r, i, 15);
	b->created_at = g_int(r, i, 16);
	b->updated_at = g_int(r, i, 17);
}

static enum hh_rc appointment_insert(struct hh_tx *tx,
				     struct hh_appointment *b)
{
	FAULT(tx);
	b->created_at = hh_now_us() / 1000000;
	b->updated_at = b->created_at;
	struct pg_params p = { 0 };
	p_text(&p, b->code);
	p_int(&p, b->org_id);
	p_text(&p, b->service);
	p_int(&p, b->counter);
	p_int(&p, b->start_at);
	p_int(&p, b->end_at);
	p_int(&p, b->citizen_id);
	p_text(&p, b->name);
	p_text(&p, b->email);
	p_text(&p, b->phone);
	p_text(&p, b->state);
	p_text(&p, b->idem_key ? b->idem_scope : NULL);
	p_text(&p, b->idem_key);
	p_text(&p, b->idem_key ? b->request_hash : NULL);
	p_int(&p, b->created_at);
	enum hh_rc rc = RUN_INT(tx, P_APPT_INSERT, &p, &b->id);
	if (rc == HH_ERR_NOT_FOUND)
		return HH_ERR_CONFLICT;
	if (rc == HH_OK)
		b->version = 1;
	return rc;
}

static enum hh_rc appointment_update(struct hh_tx *tx,
				     struct hh_appointment *b,
				     int64_t expected)
{
	FAULT(tx);
	b->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, b->id);
	p_int(&p, expected);
	p_text(&p, b->service);
	p_int(&p, b->counter);
	p_int(&p, b->start_at);
	p_int(&p, b->end_at);
	p_text(&p, b->state);
	p_int(&p, b->updated_at);
	/* guarded: a clash with another active booking (the unique index)
	 * is CONFLICT and the transaction goes on */
	PGresult *r;
	enum hh_rc rc = RUN_GUARDED(tx, P_APPT_UPDATE, &p, &r);
	if (rc != HH_OK)
		return rc;
	if (PQntuples(r) == 0)
		rc = HH_ERR_CONFLICT;
	else
		b->version = g_int(r, 0, 0);
	PQclear(r);
	return rc;
}

static enum hh_rc appointment_get_by_code(struct hh_tx *tx,
					  struct hh_arena *a,
					  const char *code,
					  struct hh_appointment *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, code);
	PG_ONE_ROW(tx, P_APPT_GET_CODE, &p, appt_row, a, out);
}

static enum hh_rc appointment_get_by_key(struct hh_tx *tx,
					 struct hh_arena *a, const char *scope,
					 const char *key,
					 struct hh_appointment *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, scope);
	p_text(&p, key);
	PG_ONE_ROW(tx, P_APPT_GET_KEY, &p, appt_row, a, out);
}

/* The filter varies, so the query is built here (as inquiry_list). */
static enum hh_rc appointment_list(struct hh_tx *tx, struct hh_arena *a,
				   const struct hh_appointment_filter *f,
				   hh_appointment_cb cb, void *ctx)
{
	FAULT(tx);
	char where[512] = "WHERE true";
	struct pg_params p = { 0 };
	size_t w;
	if (f->org_id) {
		p_int(&p, f->org_id);
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w,
			 " AND organisation_id = $%d", p.n);
	}
	if (f->citizen_id) {
		p_int(&p, f->citizen_id);
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w, " AND citizen_id = $%d",
			 p.n);
	}
	if (f->from) {
		p_int(&p, f->from);
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w, " AND start_at >= $%d",
			 p.n);
	}
	if (f->to) {
		p_int(&p, f->to);
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w, " AND start_at < $%d",
			 p.n);
	}
	if (f->active_only)
		strcat(where, " AND state <> 'cancelled'");
	char sql[1024];
	snprintf(sql, sizeof(sql),
		 "SELECT " APPT_COLS "FROM appointments %s ORDER BY start_at, id",
		 where);
	PGresult *r;
	enum hh_rc rc = hh_pg_exec_sql(tx, sql, &p, &r);
	if (rc != HH_OK)
		return rc;
	PG_STREAM_ROWS(r, struct hh_appointment, appt_row, a, cb, ctx);
}

static enum hh_rc org_document_put(struct hh_tx *tx, int64_t org_id,
				   const char *kind, const char *body)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, kind);
	p_text(&p, body);
	return RUN_GUARDED(tx, P_ORGDOC_PUT, &p, NULL);
}

static void body_row(struct hh_arena *a, const PGresult *r, int i,
		     const char **out)
{
	*out = g_text(a, r, i, 0);
}

static enum hh_rc org_document_get(struct hh_tx *tx, struct hh_arena *a,
				   int64_t org_id, const char *kind,
				   const char **body)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, kind);
	PG_ONE_ROW(tx, P_ORGDOC_GET, &p, body_row, a, body);
}

void hh_pg_fill_appointments(struct hh_store *st)
{
	st->appointment_insert = appointment_insert;
	st->appointment_update = appointment_update;
	st->appointment_get_by_code = appointment_get_by_code;
	st->appointment_get_by_key = appointment_get_by_key;
	st->appointment_list = appointment_list;
	st->org_document_put = org_document_put;
	st->org_document_get = org_document_get;
}
