/* test_copy.c - `helhed copy` (src/store/copy.c, issue 14 point 5): the
 * demo database copied from SQLite into PostgreSQL keeps every row and
 * id, the identities move on, and a copy that is refused or fails
 * half-way leaves the target as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/content.h"
#include "domain/demo.h"
#include "domain/demoletters.h"
#include "domain/health.h"
#include "domain/letters.h"
#include "store/copy.h"
#include "pg_fixture.h"

/* The demo database, made once: the content folder with its users, a few
 * days of inquiries, chats and cases at the desk, decided cases with
 * their letters, letters in the citizens' inboxes. */
static char *demo_dir;
static char demo_db[4200], demo_keys[4200];

static void make_demo(void)
{
	if (demo_dir)
		return;
	demo_dir = tu_tmpdir();
	snprintf(demo_db, sizeof(demo_db), "%s/helhed.db", demo_dir);
	snprintf(demo_keys, sizeof(demo_keys), "%s/helhed.db.keys", demo_dir);
	struct hh_store *st;
	const char *stage;
	assert_int_equal(hh_health_open(demo_db, NULL, 1, &st, NULL, &stage),
			 HH_OK);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(st, "content", 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	struct hh_demo_stats ds;
	int64_t now = hh_now_us() / 1000000;
	assert_int_equal(hh_demo_inquiries(st, "content", now, stderr, &ds),
			 HH_OK);
	int n = 0;
	assert_int_equal(hh_demo_letters(st, stderr, &n), HH_OK);
	assert_int_equal(hh_demo_inbox_letters(st, now, stderr, &n), HH_OK);
	hh_health_close(st);
}

/* A new PostgreSQL database migrated with key file keys; its address
 * (new). */
static char *migrated_db(const char *keys)
{
	char *url = pgt_empty_db("copy");
	struct hh_store *st;
	const char *stage;
	assert_int_equal(hh_health_open(url, keys, 1, &st, NULL, &stage), HH_OK);
	hh_health_close(st);
	return url;
}

/* ---- reading both sides ----------------------------------------------- */

struct tables {
	char *name[128];
	int n;
};

static void sqlite_tables(sqlite3 *db, struct tables *t)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT name FROM sqlite_master WHERE type = 'table' AND "
		"name NOT LIKE 'sqlite_%' ORDER BY name", -1, &q, NULL),
		SQLITE_OK);
	t->n = 0;
	while (sqlite3_step(q) == SQLITE_ROW && t->n < 128)
		t->name[t->n++] =
			hh_xstrdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
}

static void tables_free(struct tables *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->name[i]);
	t->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Rows as sorted lines, one canonical text per value: numbers as C
 * prints them, text as it is, bytes as \x and hex digits. */
static char *sorted_lines(char **rows, int n)
{
	if (n > 0) /* an empty table: rows may be NULL, which qsort must not get */
		qsort(rows, (size_t)n, sizeof(*rows), cmp_str);
	struct hh_buf b;
	hh_buf_init(&b);
	for (int i = 0; i < n; i++) {
		hh_buf_puts(&b, rows[i]);
		hh_buf_putc(&b, '\n');
		free(rows[i]);
	}
	free(rows);
	hh_buf_puts(&b, "");
	return hh_buf_steal(&b);
}

/* The columns of table in PostgreSQL with their types (bytea, double
 * precision, ...). */
static int pg_columns(PGconn *c, const char *table, char names[][64],
		      char types[][32])
{
	const char *v[1] = { table };
	PGresult *r = PQexecParams(c,
		"SELECT column_name, data_type FROM information_schema.columns "
		"WHERE table_schema = 'public' AND table_name = $1 "
		"ORDER BY ordinal_position", 1, NULL, v, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	int n = PQntuples(r);
	assert_true(n > 0 && n <= 64);
	for (int i = 0; i < n; i++) {
		snprintf(names[i], 64, "%s", PQgetvalue(r, i, 0));
		snprintf(types[i], 32, "%s", PQgetvalue(r, i, 1));
	}
	PQclear(r);
	return n;
}

static char *table_in_sqlite(sqlite3 *db, const char *table, int n_cols,
			     char names[][64], char types[][32])
{
	struct hh_buf sql;
	hh_buf_init(&sql);
	hh_buf_puts(&sql, "SELECT ");
	for (int i = 0; i < n_cols; i++)
		hh_buf_printf(&sql, "%s\"%s\"", i ? ", " : "", names[i]);
	hh_buf_printf(&sql, " FROM \"%s\"", table);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, hh_buf_str(&sql), -1, &q, NULL),
			 SQLITE_OK);
	hh_buf_clear(&sql);
	char **rows = NULL;
	int n = 0, cap = 0;
	while (sqlite3_step(q) == SQLITE_ROW) {
		struct hh_buf row;
		hh_buf_init(&row);
		for (int i = 0; i < n_cols; i++) {
			hh_buf_putc(&row, '|');
			int t = sqlite3_column_type(q, i);
			if (t == SQLITE_NULL) {
				hh_buf_puts(&row, "NULL");
			} else if (!strcmp(types[i], "bytea")) {
				const unsigned char *p = sqlite3_column_blob(q, i);
				hh_buf_puts(&row, "\\x");
				for (int k = 0; k < sqlite3_column_bytes(q, i); k++)
					hh_buf_printf(&row, "%02x", p[k]);
			} else if (t == SQLITE_FLOAT) {
				hh_buf_printf(&row, "%.17g",
					      sqlite3_column_double(q, i));
			} else {
				hh_buf_puts(&row, (const char *)
						  sqlite3_column_text(q, i));
			}
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			rows = hh_xrealloc(rows, (size_t)cap * sizeof(*rows));
		}
		hh_buf_puts(&row, "");
		rows[n++] = hh_buf_steal(&row);
	}
	sqlite3_finalize(q);
	return sorted_lines(rows, n);
}

static char *table_in_pg(PGconn *c, const char *table, int n_cols,
			 char names[][64], char types[][32])
{
	struct hh_buf sql;
	hh_buf_init(&sql);
	hh_buf_puts(&sql, "SELECT ");
	for (int i = 0; i < n_cols; i++)
		hh_buf_printf(&sql, "%s\"%s\"", i ? ", " : "", names[i]);
	hh_buf_printf(&sql, " FROM \"%s\"", table);
	PGresult *r = PQexec(c, hh_buf_str(&sql));
	hh_buf_clear(&sql);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	int n = PQntuples(r);
	char **rows = hh_xcalloc((size_t)n + 1, sizeof(*rows));
	for (int k = 0; k < n; k++) {
		struct hh_buf row;
		hh_buf_init(&row);
		for (int i = 0; i < n_cols; i++) {
			hh_buf_putc(&row, '|');
			if (PQgetisnull(r, k, i))
				hh_buf_puts(&row, "NULL");
			else if (!strcmp(types[i], "double precision"))
				hh_buf_printf(&row, "%.17g",
					      strtod(PQgetvalue(r, k, i), NULL));
			else
				hh_buf_puts(&row, PQgetvalue(r, k, i));
		}
		hh_buf_puts(&row, "");
		rows[k] = hh_buf_steal(&row);
	}
	PQclear(r);
	return sorted_lines(rows, n);
}

static int64_t sqlite_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

/* The total of rows in every table of url (a fresh migration leaves 2:
 * id_counters' first row and meta's note of the key file). */
static int64_t pg_all_rows(const char *url, struct tables *t)
{
	int64_t n = 0;
	char sql[256];
	for (int i = 0; i < t->n; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"",
			 t->name[i]);
		n += pgt_int(url, sql);
	}
	return n;
}

/* ---- cases ------------------------------------------------------------ */

/* The demo copied: every table has the same rows, value for value; a
 * new row after the copy gets a fresh id; the same key file opens the
 * copy; a second copy into the same database is refused. */
static void t_copy_demo(void **state)
{
	make_demo();
	char *url = migrated_db(demo_keys);
	char why[1024];
	struct hh_copy_stats cs;
	assert_int_equal(hh_store_copy(demo_db, url, NULL, &cs, why, sizeof(why)),
			 HH_OK);
	assert_string_equal(why, "");

	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(demo_db, &db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
	struct tables t;
	sqlite_tables(db, &t);
	assert_int_equal(cs.tables, t.n);
	PGconn *c = PQconnectdb(url);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	int64_t rows = 0, nonempty = 0;
	for (int i = 0; i < t.n; i++) {
		char names[64][64], types[64][32];
		int n_cols = pg_columns(c, t.name[i], names, types);
		char *want = table_in_sqlite(db, t.name[i], n_cols, names, types);
		char *got = table_in_pg(c, t.name[i], n_cols, names, types);
		if (strcmp(want, got))
			fail_msg("table %s differs after the copy", t.name[i]);
		char sql[256];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"",
			 t.name[i]);
		int64_t n = sqlite_int(db, sql);
		assert_int_equal(pgt_int(url, sql), n);
		/* pg-ssi: the tables with rows are analysed; an empty one is
		 * left as never analysed (reltuples -1), or the planner
		 * plans it as empty, a sequential scan costing nothing, for
		 * every look-up, and under SERIALIZABLE that scan locks the
		 * whole table: the first submissions on a copy failed each
		 * other (docs/postgres.md) */
		snprintf(sql, sizeof(sql), "SELECT (reltuples >= 0)::int FROM pg_class "
			 "WHERE oid = '\"%s\"'::regclass", t.name[i]);
		if (pgt_int(url, sql) != (n > 0 ? 1 : 0) &&
		    strcmp(t.name[i], "helhed_schema"))
			fail_msg("table %s (%lld rows) %s after the copy",
				 t.name[i], (long long)n,
				 n > 0 ? "not analysed" : "analysed");
		rows += n;
		nonempty += n > 0;
		free(want);
		free(got);
	}
	assert_int_equal(cs.rows, rows);
	/* the demo is not a handful of rows: cases, events, inquiries */
	printf("copied %lld rows, %lld of %d tables with rows\n",
	       (long long)rows, (long long)nonempty, t.n);
	assert_true(nonempty >= 20);
	assert_true(sqlite_int(db, "SELECT count(*) FROM cases") > 0);
	assert_true(sqlite_int(db, "SELECT count(*) FROM events") > 100);
	int64_t max_event = sqlite_int(db, "SELECT max(id) FROM events");
	int64_t max_inquiry = sqlite_int(db, "SELECT max(id) FROM inquiries");
	PQfinish(c);
	sqlite3_close(db);

	/* the same key file opens the copy; new rows get fresh ids */
	struct hh_store *st;
	const char *stage;
	assert_int_equal(hh_health_open(url, demo_keys, 1, &st, NULL, &stage),
			 HH_OK);
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_event e = { .at_us = hh_now_us(), .actor = "cli",
			      .entity = "article", .entity_id = 1,
			      .action = "update" };
	assert_int_equal(st->event_append(tx, &e), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	assert_int_equal(e.id, max_event + 1);
	hh_health_close(st);
	assert_int_equal(pgt_int(url, "SELECT nextval(pg_get_serial_sequence("
				      "'inquiries', 'id'))"),
			 max_inquiry + 1);

	/* a second copy into the same database is refused */
	assert_int_equal(hh_store_copy(demo_db, url, NULL, NULL, why,
				       sizeof(why)),
			 HH_ERR_INVALID);
	tu_expect_in(why, "not empty");
	tables_free(&t);
	free(url);
}

/* A row PostgreSQL refuses in one of the last tables: nothing of the
 * tables copied before it stays. */
static void t_copy_fails_half_way(void **state)
{
	make_demo();
	char *dir = tu_tmpdir();
	char bad[4200], cmd[9000];
	snprintf(bad, sizeof(bad), "%s/bad.db", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", demo_db, bad);
	assert_int_equal(system(cmd), 0);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(bad, &db), SQLITE_OK);
	/* SQLite keeps a text in an integer column; PostgreSQL does not */
	assert_int_equal(sqlite3_exec(db, "UPDATE messages SET attempts = 'x' "
					  "WHERE id = (SELECT max(id) FROM messages)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_true(sqlite3_changes(db) == 1);
	struct tables t;
	sqlite_tables(db, &t);
	sqlite3_close(db);

	char *url = migrated_db(demo_keys);
	int64_t before = pg_all_rows(url, &t);
	char why[1024];
	struct hh_copy_stats cs = { 0 };
	assert_int_equal(hh_store_copy(bad, url, NULL, &cs, why, sizeof(why)),
			 HH_ERR_INVALID);
	tu_expect_in(why, "messages");
	assert_int_equal(pg_all_rows(url, &t), before);
	assert_true(before <= 2);
	assert_int_equal(pgt_int(url, "SELECT count(*) FROM events"), 0);
	/* and the same database takes the good file afterwards */
	assert_int_equal(hh_store_copy(demo_db, url, NULL, &cs, why, sizeof(why)),
			 HH_OK);
	assert_true(pgt_int(url, "SELECT count(*) FROM events") > 100);
	tables_free(&t);
	free(url);
	tu_rmdir(dir);
}

/* Refused before anything is written: another schema version, another
 * key file, a file that is not there. */
static void t_copy_refusals(void **state)
{
	make_demo();
	char why[1024];
	/* one migration behind */
	char *url = migrated_db(demo_keys);
	PGconn *c = PQconnectdb(url);
	PQclear(PQexec(c, "DELETE FROM helhed_schema WHERE version = "
			  "(SELECT max(version) FROM helhed_schema)"));
	PQfinish(c);
	assert_int_equal(hh_store_copy(demo_db, url, NULL, NULL, why,
				       sizeof(why)),
			 HH_ERR_INVALID);
	tu_expect_in(why, "schema versions differ");
	tu_expect_in(why, "helhed migrate");
	free(url);

	/* not migrated at all */
	url = pgt_empty_db("copy");
	assert_int_equal(hh_store_copy(demo_db, url, NULL, NULL, why,
				       sizeof(why)),
			 HH_ERR_INVALID);
	tu_expect_in(why, "schema versions differ");
	free(url);

	/* migrated with another key file */
	char *dir = tu_tmpdir();
	char other[4200];
	snprintf(other, sizeof(other), "%s/other.keys", dir);
	url = migrated_db(other);
	assert_int_equal(hh_store_copy(demo_db, url, NULL, NULL, why,
				       sizeof(why)),
			 HH_ERR_INVALID);
	tu_expect_in(why, "key file");
	assert_int_equal(pgt_int(url, "SELECT count(*) FROM events"), 0);
	free(url);
	tu_rmdir(dir);

	/* no such file */
	url = migrated_db(demo_keys);
	assert_int_equal(hh_store_copy("/nonexistent/helhed.db", url, NULL, NULL,
				       why, sizeof(why)),
			 HH_ERR_IO);
	tu_expect_in(why, "/nonexistent/helhed.db");
	free(url);
}

int main(void)
{
	if (!pgt_url()) {
		printf("test_copy: SKIPPED: the PostgreSQL 15 binaries are not "
		       "installed (scripts/install-deps.sh installs "
		       "postgresql-15)\n");
		return 0;
	}
	(void)pgt_db; /* the fixture's, not used here */
	(void)pgt_name_for;
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_copy_demo),
		cmocka_unit_test(t_copy_fails_half_way),
		cmocka_unit_test(t_copy_refusals),
	};
	int failed = cmocka_run_group_tests_name("store/copy", tests, NULL, NULL);
	if (demo_dir)
		tu_rmdir(demo_dir);
	return failed ? 1 : 0;
}
