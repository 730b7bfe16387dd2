/* postgres_kle.c - the PostgreSQL backend: the KLE classification imported
 * from KL's emneplan (the port of sqlite_kle.c; 0033_kle.sql). */
#include "store/postgres_int.h"

#define KLE_COLS "number, level, title, in_use_from, in_use_to, updated_at "

static const char *const stmt_sql[P__COUNT] = {
	[P_KLE_PUT] =
		"INSERT INTO kle(" KLE_COLS ") VALUES ($1, $2, $3, $4, $5, $6) "
		"ON CONFLICT (number) DO UPDATE SET level = excluded.level, "
		"title = excluded.title, in_use_from = excluded.in_use_from, "
		"in_use_to = excluded.in_use_to, updated_at = excluded.updated_at",
	[P_KLE_GET] = "SELECT " KLE_COLS "FROM kle WHERE number = $1",
	[P_KLE_LIST] = "SELECT " KLE_COLS "FROM kle WHERE $1::integer = 0 OR "
		       "level = $1",
};

static void kle_row(struct hh_arena *a, const PGresult *r, int i,
		    struct hh_kle *k)
{
	k->number = g_text(a, r, i, 0);
	k->level = (int)g_int(r, i, 1);
	k->title = g_text(a, r, i, 2);
	k->in_use_from = g_text(a, r, i, 3);
	k->in_use_to = g_text(a, r, i, 4);
	k->updated_at = g_int(r, i, 5);
}

static enum hh_rc kle_put(struct hh_tx *tx, const struct hh_kle *k)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, k->number);
	p_int(&p, k->level);
	p_text(&p, k->title);
	p_text(&p, k->in_use_from);
	p_text(&p, k->in_use_to);
	p_int(&p, k->updated_at);
	return RUN(tx, P_KLE_PUT, &p, NULL);
}

static enum hh_rc kle_get(struct hh_tx *tx, struct hh_arena *a,
			  const char *number, struct hh_kle *out)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_text(&p, number);
	PG_ONE_ROW(tx, P_KLE_GET, &p, kle_row, a, out);
}

static enum hh_rc kle_list(struct hh_tx *tx, struct hh_arena *a, int level,
			   enum hh_rc (*cb)(void *ctx, const struct hh_kle *k),
			   void *ctx)
{
	FAULT(tx);
	struct pg_params p = { 0 };
	p_int(&p, level);
	PG_MANY_ROWS(tx, P_KLE_LIST, &p, struct hh_kle, kle_row, a, cb, ctx);
}

void hh_pg_fill_kle(struct hh_store *st)
{
	st->kle_put = kle_put;
	st->kle_get = kle_get;
	st->kle_list = kle_list;
}
