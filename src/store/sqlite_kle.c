/* sqlite_kle.c - the SQLite backend: the KLE classification imported from
 * KL's emneplan (store.h's kle block, 0033_kle.sql, domain/kle.h). */
#include "store/sqlite_int.h"

#define KLE_COLS "number, level, title, in_use_from, in_use_to, updated_at "

static const char *const stmt_sql[S__COUNT] = {
	[S_KLE_PUT] =
		"INSERT INTO kle(" KLE_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
		"ON CONFLICT(number) DO UPDATE SET level = ?2, title = ?3, "
		"in_use_from = ?4, in_use_to = ?5, updated_at = ?6",
	[S_KLE_GET] = "SELECT " KLE_COLS "FROM kle WHERE number = ?1",
	[S_KLE_LIST] = "SELECT " KLE_COLS "FROM kle WHERE ?1 = 0 OR level = ?1",
};

static void kle_row(struct hh_arena *a, sqlite3_stmt *st, struct hh_kle *k)
{
	k->number = col_text(a, st, 0);
	k->level = sqlite3_column_int(st, 1);
	k->title = col_text(a, st, 2);
	k->in_use_from = col_text(a, st, 3);
	k->in_use_to = col_text(a, st, 4);
	k->updated_at = sqlite3_column_int64(st, 5);
}

static enum hh_rc kle_put(struct hh_tx *tx, const struct hh_kle *k)
{
	FAULT(tx);
	STMT(tx, S_KLE_PUT);
	bind_text(st, 1, k->number);
	sqlite3_bind_int(st, 2, k->level);
	bind_text(st, 3, k->title);
	bind_text(st, 4, k->in_use_from);
	bind_text(st, 5, k->in_use_to);
	sqlite3_bind_int64(st, 6, k->updated_at);
	return hh_sq_exec(tx, st);
}

static enum hh_rc kle_get(struct hh_tx *tx, struct hh_arena *a,
			  const char *number, struct hh_kle *out)
{
	FAULT(tx);
	STMT(tx, S_KLE_GET);
	bind_text(st, 1, number);
	ONE_ROW(tx, st, kle_row, a, out);
}

static enum hh_rc kle_list(struct hh_tx *tx, struct hh_arena *a, int level,
			   enum hh_rc (*cb)(void *ctx, const struct hh_kle *k),
			   void *ctx)
{
	FAULT(tx);
	STMT(tx, S_KLE_LIST);
	sqlite3_bind_int(st, 1, level);
	MANY_ROWS(tx, st, struct hh_kle, kle_row, a, cb, ctx);
}

void hh_sq_fill_kle(struct hh_store *st)
{
	st->kle_put = kle_put;
	st->kle_get = kle_get;
	st->kle_list = kle_list;
}
