/* test_store_sqlite.c - the store test suite (store_suite.h) on the SQLite
 * backend. A second backend adds one such file (test_store_postgres.c)
 * with its own open and sql_int. */
#include "store/store_suite.c"

#include "store/sqlite_int.h"
#include "store/sqlite_query.h"

static struct hh_store *sq_open(const char *dir, int pool)
{
	return tu_store(dir, pool);
}

/* A connection of its own to the file (committed data only). */
static int64_t sq_sql_int(struct hh_store *st, const char *sql)
{
	const struct sq *s = st->cls;
	return sq_query_int(s->path, sql);
}

int main(void)
{
	static const struct store_backend sqlite = { "sqlite", sq_open,
						     sq_sql_int, NULL };
	return store_suite_run(&sqlite);
}
