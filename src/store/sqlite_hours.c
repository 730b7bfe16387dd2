/* sqlite_hours.c - the SQLite backend: opening hours (domain/hours.h). */
#include "store/sqlite_int.h"

static const char *const stmt_sql[S__COUNT] = {
	[S_HOURS_PUT] =
		"INSERT INTO opening_hours(organisation_id, service, spec) "
		"VALUES (?1, ?2, ?3) ON CONFLICT(organisation_id, service) "
		"DO UPDATE SET spec = excluded.spec",
	[S_HOURS_GET] = "SELECT spec FROM opening_hours WHERE "
			"organisation_id = ?1 AND service = ?2",
};

static enum hh_rc hours_put(struct hh_tx *tx, int64_t org_id,
			    const char *service, const char *spec)
{
	FAULT(tx);
	STMT(tx, S_HOURS_PUT);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, service);
	bind_text(st, 3, spec);
	return hh_sq_exec(tx, st);
}

static void spec_row(struct hh_arena *a, sqlite3_stmt *st, const char **out)
{
	*out = col_text(a, st, 0);
}

static enum hh_rc hours_get(struct hh_tx *tx, struct hh_arena *a,
			    int64_t org_id, const char *service,
			    const char **spec)
{
	FAULT(tx);
	STMT(tx, S_HOURS_GET);
	sqlite3_bind_int64(st, 1, org_id);
	bind_text(st, 2, service);
	ONE_ROW(tx, st, spec_row, a, spec);
}

void hh_sq_fill_hours(struct hh_store *st)
{
	st->hours_put = hours_put;
	st->hours_get = hours_get;
}
