/* sqlite_query.h - for the SQLite backend's tests only: one integer from
 * an SQL query on a connection of its own to a database file (committed
 * data only). */
#ifndef HH_SQLITE_QUERY_H
#define HH_SQLITE_QUERY_H

#include <sqlite3.h>

#include "testutil.h"

/* The first column of the first row of sql on the file at path. */
static inline int64_t sq_query_int(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
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

#endif
