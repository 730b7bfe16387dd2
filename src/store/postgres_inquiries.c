/* postgres_inquiries.c - the PostgreSQL backend: inquiries (henvendelser),
 * opening hours and what the agent's desk reads and writes: citizens by
 * municipality, inquiries per article, codes and transfers (the port of
 * sqlite_inquiries.c, sqlite_hours.c and sqlite_desk.c). */
#include "store/postgres_int.h"

#include "core/util.h"

#define INQ_COLS                                                               \
	"id, organisation_id, channel, coalesce(article_id, 0), kle, "         \
	"coalesce(citizen_id, 0), coalesce(agent_id, 0), started_at, "         \
	"coalesce(ended_at, 0), outcome, transfer_team, "                      \
	"coalesce(transfer_org_id, 0), transfer_reason, coalesce(case_id, 0), " \
	"coalesce(callback_due_at, 0), note, idem_scope, idem_key, "           \
	"request_hash, version, created_at, updated_at "
#define TR_COLS                                                                \
	"id, inquiry_id, from_org_id, from_team, to_org_id, to_team, reason, "  \
	"by_actor, at, taken_by, coalesce(taken_at, 0), result, "               \
	"coalesce(result_case_id, 0), coalesce(result_callback_due_at, 0), "    \
	"coalesce(closed_at, 0) "

static const char *const stmt_sql[P__COUNT] = {
	/* DO NOTHING: an idempotency key used before is CONFLICT (no row) */
	[P_INQ_INSERT] =
		"INSERT INTO inquiries(organisation_id, channel, article_id, kle, "
		"citizen_id, agent_id, started_at, ended_at, outcome, "
		"transfer_team, transfer_org_id, transfer_reason, case_id, "
		"callback_due_at, note, idem_scope, idem_key, request_hash, "
		"version, created_at, updated_at) VALUES ($1, $2, "
		"nullif($3::bigint, 0), $4, nullif($5::bigint, 0), "
		"nullif($6::bigint, 0), $7, nullif($8::bigint, 0), $9, $10, "
		"nullif($11::bigint, 0), $12, nullif($13::bigint, 0), "
		"nullif($14::bigint, 0), $15, $16, $17, $18, 1, $19, $19) "
		"ON CONFLICT DO NOTHING RETURNING id",
	[P_INQ_UPDATE] =
		"UPDATE inquiries SET channel = $3, "
		"article_id = nullif($4::bigint, 0), kle = $5, "
		"citizen_id = nullif($6::bigint, 0), "
		"agent_id = nullif($7::bigint, 0), "
		"ended_at = nullif($8::bigint, 0), outcome = $9, "
		"transfer_team = $10, transfer_org_id = nullif($11::bigint, 0), "
		"transfer_reason = $12, case_id = nullif($13::bigint, 0), "
		"callback_due_at = nullif($14::bigint, 0), note = $15, "
		"updated_at = $16, version = version + 1 "
		"WHERE id = $1 AND version = $2 RETURNING version",
	[P_INQ_GET] = "SELECT " INQ_COLS "FROM inquiries WHERE id = $1",
	[P_INQ_GET_KEY] = "SELECT " INQ_COLS "FROM inquiries "
			  "WHERE idem_scope = $1 AND idem_key = $2",
	[P_INQ_CODE_PUT] =
		"INSERT INTO inquiry_codes(organisation_id, kind, code, label) "
		"VALUES ($1, $2, $3, $4) ON CONFLICT(organisation_id, kind, code) "
		"DO UPDATE SET label = excluded.label",
	[P_INQ_CODE_GET] = "SELECT label FROM inquiry_codes WHERE "
			   "organisation_id = $1 AND kind = $2 AND code = $3",
	[P_HOURS_PUT] =
		"INSERT INTO opening_hours(organisation_id, service, spec) "
		"VALUES ($1, $2, $3) ON CONFLICT(organisation_id, service) "
		"DO UPDATE SET spec = excluded.spec",
	[P_HOURS_GET] = "SELECT spec FROM opening_hours WHERE "
			"organisation_id = $1 AND service = $2",
	[P_DESK_CIT_SEARCH] = "SELECT id, name, coalesce(municipality_id, 0) "
			      "FROM citizens WHERE municipality_id = $1 "
			      "ORDER BY id",
	[P_DESK_CIT_SEARCH_ALL] = "SELECT id, name, "
				  "coalesce(municipality_id, 0) FROM citizens "
				  "ORDER BY id",
	[P_DESK_ART_COUNT] =
		"SELECT count(*) FILTER (WHERE outcome = 'resolved_first_contact'), "
		"count(*) FROM inquiries WHERE article_id = $1",
	[P_DESK_ART_TOP] =
		"SELECT article_id, count(*) FILTER (WHERE outcome = "
		"'resolved_first_contact') AS answered, count(*) FROM inquiries "
		"WHERE article_id IS NOT NULL GROUP BY article_id "
		"ORDER BY answered DESC, article_id LIMIT $1",
	[P_DESK_CODE_LIST] =
		"SELECT kind, code, label FROM inquiry_codes WHERE "
		"organisation_id = $1 AND ($2::text IS NULL OR kind = $2) "
		"ORDER BY kind, code",
	[P_DESK_TR_INSERT] =
		"INSERT INTO inquiry_transfers(inquiry_id, from_org_id, from_team, "
		"to_org_id, to_team, reason, by_actor, at) VALUES "
		"($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
	[P_DESK_TR_UPDATE] =
		"UPDATE inquiry_transfers SET taken_by = $2, "
		"taken_at = nullif($3::bigint, 0), result = $4, "
		"result_case_id = nullif($5::bigint, 0), "
		"result_callback_due_at = nullif($6::bigint, 0), "
		"closed_at = nullif($7::bigint, 0) WHERE id = $1",
	[P_DESK_TR_GET] = "SELECT " TR_COLS "FROM inquiry_transfers "
			  "WHERE id = $1",
	[P_DESK_TR_BY_INQ] = "SELECT " TR_COLS "FROM inquiry_transfers "
			     "WHERE inquiry_id = $1 ORDER BY id",
	[P_DESK_TR_QUEUE] = "SELECT " TR_COLS "FROM inquiry_transfers "
			    "WHERE to_org_id = $1 AND result IS NULL AND "
			    "($2::text IS NULL OR to_team = $2) "
			    "ORDER BY at, id LIMIT 500",
};

/* ---- inquiries --------------------------------------------------------- */

static void inq_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_inquiry *q)
{
	q->id = g_int(r, i, 0);
	q->org_id = g_int(r, i, 1);
	q->channel = g_text(a, r, i, 2);
	q->article_id = g_int(r, i, 3);
	q->kle = g_text(a, r, i, 4);
	q->citizen_id = g_int(r, i, 5);
	q->agent_id = g_int(r, i, 6);
	q->started_at = g_int(r, i, 7);
	q->ended_at = g_int(r, i, 8);
	q->outcome = g_text(a, r, i, 9);
	q->transfer_team = g_text(a, r, i, 10);
	q->transfer_org_id = g_int(r, i, 11);
	q->transfer_reason = g_text(a, r, i, 12);
	q->case_id = g_int(r, i, 13);
	q->callback_due_at = g_int(r, i, 14);
	q->note = g_text(a, r, i, 15);
	q->idem_scope = g_text(a, r, i, 16);
	q->idem_key = g_text(a, r, i, 17);
	q->request_hash = g_text(a, r, i, 18);
	q->version = g_int(r, i, 19);
	q->created_at = g_int(r, i, 20);
	q->updated_at = g_int(r, i, 21);
}

/* The article, KLE, citizen and agent of insert and update. */
static void params_inquiry(struct pg_params *p, const struct hh_inquiry *q)
{
	p_int(p, q->article_id);
	p_text(p, q->kle);
	p_int(p, q->citizen_id);
	p_int(p, q->agent_id);
}

/* What the inquiry came to, of insert and update. */
static void params_outcome(struct pg_params *p, const struct hh_inquiry *q)
{
	p_int(p, q->ended_at);
	p_text(p, q->outcome);
	p_text(p, q->transfer_team);
	p_int(p, q->transfer_org_id);
	p_text(p, q->transfer_reason);
	p_int(p, q->case_id);
	p_int(p, q->callback_due_at);
	p_text(p, q->note);
}

static enum hh_rc inquiry_insert(struct hh_tx *tx, struct hh_inquiry *q)
{
	FAULT(tx);
	q->created_at = hh_now_us() / 1000000;
	q->updated_at = q->created_at;
	if (!q->started_at)
		q->started_at = q->created_at;
	struct pg_params p = { 0 };
	p_int(&p, q->org_id);
	p_text(&p, q->channel);
	params_inquiry(&p, q);
	p_int(&p, q->started_at);
	params_outcome(&p, q);
	p_text(&p, q->idem_key ? q->idem_scope : NULL);
	p_text(&p, q->idem_key);
	p_text(&p, q->idem_key ? q->request_hash : NULL);
	p_int(&p, q->created_at);
	enum hh_rc rc = RUN_INT(tx, P_INQ_INSERT, &p, &q->id);
	if (rc == HH_ERR_NOT_FOUND)
		return HH_ERR_CONFLICT; /* the key made one already */
	if (rc == HH_OK)
		q->version = 1;
	return rc;
}

static enum hh_rc inquiry_update(struct hh_tx *tx, struct hh_inquiry *q,
				 int64_t expected)
{
	FAULT(tx);
	q->updated_at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, q->id);
	p_int(&p, expected);
	p_text(&p, q->channel);
	params_inquiry(&p, q);
	params_outcome(&p, q);
	p_int(&p, q->updated_at);
	enum hh_rc rc = RUN_INT(tx, P_INQ_UPDATE, &p, &q->version);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_CONFLICT : rc;
}

static enum hh_rc inquiry_get(struct hh_tx *tx, struct hh_arena *a,
			      int64_t id, struct hh_inquiry *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_INQ_GET, &p, inq_row, a, out);
}

static enum hh_rc inquiry_get_by_key(struct hh_tx *tx, struct hh_arena *a,
				     const char *scope, const char *key,
				     struct hh_inquiry *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, scope);
	p_text(&p, key);
	PG_ONE_ROW(tx, P_INQ_GET_KEY, &p, inq_row, a, out);
}

/* The filter varies, so the query is built here (as case_list). */
static enum hh_rc inquiry_list(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_inquiry_filter *f,
			       int64_t offset, int64_t limit, int64_t *total,
			       hh_inquiry_cb cb, void *ctx)
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
	if (f->open_only)
		strcat(where, " AND outcome = 'open'");
	if (f->callbacks_due_before) {
		p_int(&p, f->callbacks_due_before);
		w = strlen(where);
		snprintf(where + w, sizeof(where) - w,
			 " AND outcome = 'callback_promised' "
			 "AND callback_due_at < $%d",
			 p.n);
	}
	const char *order = f->callbacks_due_before ? "callback_due_at, id"
			    : f->open_only	    ? "started_at, id"
						    : "started_at DESC, id DESC";
	char sql[2048];
	PGresult *r;
	enum hh_rc rc;
	if (total) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM inquiries %s",
			 where);
		rc = hh_pg_exec_sql(tx, sql, &p, &r);
		if (rc != HH_OK)
			return rc;
		*total = g_int(r, 0, 0);
		PQclear(r);
	}
	int n = p.n;
	if (limit > 0)
		p_int(&p, limit);
	else
		p_text(&p, NULL); /* LIMIT NULL: all */
	p_int(&p, offset);
	snprintf(sql, sizeof(sql),
		 "SELECT " INQ_COLS "FROM inquiries WHERE id IN "
		 "(SELECT id FROM inquiries %s ORDER BY %s "
		 "LIMIT $%d OFFSET $%d) ORDER BY %s",
		 where, order, n + 1, n + 2, order);
	rc = hh_pg_exec_sql(tx, sql, &p, &r);
	if (rc != HH_OK)
		return rc;
	PG_STREAM_ROWS(r, struct hh_inquiry, inq_row, a, cb, ctx);
}

static enum hh_rc inquiry_code_put(struct hh_tx *tx, int64_t org_id,
				   const char *kind, const char *code,
				   const char *label)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, kind);
	p_text(&p, code);
	p_text(&p, label);
	return RUN_GUARDED(tx, P_INQ_CODE_PUT, &p, NULL);
}

static void text_row(struct hh_arena *a, const PGresult *r, int i,
		     const char **out)
{
	*out = g_text(a, r, i, 0);
}

static enum hh_rc inquiry_code_get(struct hh_tx *tx, struct hh_arena *a,
				   int64_t org_id, const char *kind,
				   const char *code, const char **label)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, kind);
	p_text(&p, code);
	PG_ONE_ROW(tx, P_INQ_CODE_GET, &p, text_row, a, label);
}

/* ---- opening hours ------------------------------------------------------ */

static enum hh_rc hours_put(struct hh_tx *tx, int64_t org_id,
			    const char *service, const char *spec)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, service);
	p_text(&p, spec);
	return RUN(tx, P_HOURS_PUT, &p, NULL);
}

static enum hh_rc hours_get(struct hh_tx *tx, struct hh_arena *a,
			    int64_t org_id, const char *service,
			    const char **spec)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, service);
	PG_ONE_ROW(tx, P_HOURS_GET, &p, text_row, a, spec);
}

/* ---- the agent's desk ---------------------------------------------------- */

static void desk_cit_row(struct hh_arena *a, const PGresult *r, int i,
			 struct hh_citizen *c)
{
	memset(c, 0, sizeof(*c));
	c->id = g_int(r, i, 0);
	c->name = g_text(a, r, i, 1);
	c->municipality_id = g_int(r, i, 2);
}

static enum hh_rc citizen_search(struct hh_tx *tx, struct hh_arena *a,
				 int64_t municipality_id, hh_citizen_cb cb,
				 void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	if (municipality_id) {
		p_int(&p, municipality_id);
		PG_MANY_ROWS(tx, P_DESK_CIT_SEARCH, &p, struct hh_citizen,
			     desk_cit_row, a, cb, ctx);
	}
	PG_MANY_ROWS(tx, P_DESK_CIT_SEARCH_ALL, NULL, struct hh_citizen,
		     desk_cit_row, a, cb, ctx);
}

static enum hh_rc inquiry_article_count(struct hh_tx *tx, int64_t article_id,
					int64_t *answered, int64_t *linked)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, article_id);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_DESK_ART_COUNT, &p, &r);
	if (rc != HH_OK)
		return rc;
	*answered = g_int(r, 0, 0);
	*linked = g_int(r, 0, 1);
	PQclear(r);
	return HH_OK;
}

static enum hh_rc inquiry_article_top(struct hh_tx *tx, int64_t limit,
				      enum hh_rc (*cb)(void *ctx,
						       int64_t article_id,
						       int64_t answered,
						       int64_t linked),
				      void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	if (limit > 0)
		p_int(&p, limit);
	else
		p_text(&p, NULL);
	PGresult *r;
	enum hh_rc rc = RUN(tx, P_DESK_ART_TOP, &p, &r);
	if (rc != HH_OK)
		return rc;
	int n = PQntuples(r);
	for (int i = 0; i < n && rc == HH_OK; i++)
		rc = cb(ctx, g_int(r, i, 0), g_int(r, i, 1), g_int(r, i, 2));
	PQclear(r);
	return rc;
}

static void code_row(struct hh_arena *a, const PGresult *r, int i,
		     struct hh_inquiry_code *c)
{
	c->kind = g_text(a, r, i, 0);
	c->code = g_text(a, r, i, 1);
	c->label = g_text(a, r, i, 2);
}

static enum hh_rc inquiry_code_list(struct hh_tx *tx, struct hh_arena *a,
				    int64_t org_id, const char *kind,
				    enum hh_rc (*cb)(void *ctx,
						     const struct hh_inquiry_code *c),
				    void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, org_id);
	p_text(&p, kind);
	PG_MANY_ROWS(tx, P_DESK_CODE_LIST, &p, struct hh_inquiry_code,
		     code_row, a, cb, ctx);
}

static void tr_row(struct hh_arena *a, const PGresult *r, int i,
		   struct hh_inquiry_transfer *t)
{
	t->id = g_int(r, i, 0);
	t->inquiry_id = g_int(r, i, 1);
	t->from_org_id = g_int(r, i, 2);
	t->from_team = g_text(a, r, i, 3);
	t->to_org_id = g_int(r, i, 4);
	t->to_team = g_text(a, r, i, 5);
	t->reason = g_text(a, r, i, 6);
	t->by_actor = g_text(a, r, i, 7);
	t->at = g_int(r, i, 8);
	t->taken_by = g_text(a, r, i, 9);
	t->taken_at = g_int(r, i, 10);
	t->result = g_text(a, r, i, 11);
	t->result_case_id = g_int(r, i, 12);
	t->result_callback_due_at = g_int(r, i, 13);
	t->closed_at = g_int(r, i, 14);
}

static enum hh_rc transfer_insert(struct hh_tx *tx,
				  struct hh_inquiry_transfer *t)
{
	FAULT(tx);
	if (!t->at)
		t->at = hh_now_us() / 1000000;
	struct pg_params p = { 0 };
	p_int(&p, t->inquiry_id);
	p_int(&p, t->from_org_id);
	p_text(&p, t->from_team);
	p_int(&p, t->to_org_id);
	p_text(&p, t->to_team);
	p_text(&p, t->reason);
	p_text(&p, t->by_actor);
	p_int(&p, t->at);
	return RUN_INT(tx, P_DESK_TR_INSERT, &p, &t->id);
}

static enum hh_rc transfer_update(struct hh_tx *tx,
				  const struct hh_inquiry_transfer *t)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, t->id);
	p_text(&p, t->taken_by);
	p_int(&p, t->taken_at);
	p_text(&p, t->result);
	p_int(&p, t->result_case_id);
	p_int(&p, t->result_callback_due_at);
	p_int(&p, t->closed_at);
	return RUN(tx, P_DESK_TR_UPDATE, &p, NULL);
}

static enum hh_rc transfer_get(struct hh_tx *tx, struct hh_arena *a,
			       int64_t id, struct hh_inquiry_transfer *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, id);
	PG_ONE_ROW(tx, P_DESK_TR_GET, &p, tr_row, a, out);
}

static enum hh_rc transfer_list(struct hh_tx *tx, struct hh_arena *a,
				int64_t inquiry_id, int64_t to_org_id,
				const char *to_team,
				enum hh_rc (*cb)(void *ctx,
						 const struct hh_inquiry_transfer *t),
				void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	if (inquiry_id > 0) {
		p_int(&p, inquiry_id);
		PG_MANY_ROWS(tx, P_DESK_TR_BY_INQ, &p,
			     struct hh_inquiry_transfer, tr_row, a, cb, ctx);
	}
	p_int(&p, to_org_id);
	p_text(&p, to_team);
	PG_MANY_ROWS(tx, P_DESK_TR_QUEUE, &p, struct hh_inquiry_transfer,
		     tr_row, a, cb, ctx);
}

void hh_pg_fill_inquiries(struct hh_store *st)
{
	st->inquiry_code_put = inquiry_code_put;
	st->inquiry_code_get = inquiry_code_get;
	st->inquiry_insert = inquiry_insert;
	st->inquiry_update = inquiry_update;
	st->inquiry_get = inquiry_get;
	st->inquiry_get_by_key = inquiry_get_by_key;
	st->inquiry_list = inquiry_list;
	st->hours_put = hours_put;
	st->hours_get = hours_get;
	st->citizen_search = citizen_search;
	st->inquiry_article_count = inquiry_article_count;
	st->inquiry_article_top = inquiry_article_top;
	st->inquiry_code_list = inquiry_code_list;
	st->transfer_insert = transfer_insert;
	st->transfer_update = transfer_update;
	st->transfer_get = transfer_get;
	st->transfer_list = transfer_list;
}
