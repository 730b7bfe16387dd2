/* test_store_sqlite.c - the store test suite (store_suite.h) on the SQLite
 * backend. A second backend adds one such file (test_store_postgres.c)
 * with its own open and sql_int. */
#include "store/store_suite.c"

#include "store/sqlite_int.h"

static struct hh_store *sq_open(const char *dir, int pool)
{
	return tu_store(dir, pool);
}

/* A connection of its own to the file (committed data only). */
static int64_t sq_sql_int(struct hh_store *st, const char *sql)
{
	const struct sq *s = st->cls;
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

int main(void)
{
	static const struct store_backend sqlite = { "sqlite", sq_open,
						     sq_sql_int };
	return store_suite_run(&sqlite);
}
