/* test_sqlite.c - what only the SQLite backend has: its migrations of a
 * file (fresh, newer, older), the per-connection settings of every pooled
 * connection, and the append-only triggers. Everything the store
 * interface promises is in the backend-generic suite (store_suite.h,
 * test_store_sqlite.c). */
#include "testutil.h"

#include <sys/stat.h>

#include "store/sqlite_int.h"
#include "store/sqlite_query.h"

extern const char *const hh_sqlite_migrations[];

struct x_fx {
	char *dir;
	char path[4200];
	struct hh_store *st;
	struct hh_arena a;
};

static int x_setup(void **state)
{
	struct x_fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	snprintf(f->path, sizeof(f->path), "%s/helhed.db", f->dir);
	f->st = tu_store(f->dir, 2);
	hh_arena_init(&f->a);
	*state = f;
	return 0;
}

static int x_teardown(void **state)
{
	struct x_fx *f = *state;
	hh_store_close(f->st);
	hh_arena_clear(&f->a);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* A new folder inside the fixture's (removed with it). Returns new. */
static char *x_subdir(struct x_fx *f)
{
	static int seq;
	char path[4200];
	snprintf(path, sizeof(path), "%s/d%d", f->dir, ++seq);
	assert_int_equal(mkdir(path, 0700), 0);
	return hh_xstrdup(path);
}

static void x_rmdir(char *dir)
{
	tu_rmdir(dir);
}

#define x_int sq_query_int

/* ---- migrations and settings ----------------------------------------- */

static void t_migrations_apply_once(void **state)
{
	char *dir = x_subdir(*state);
	char path[4200];
	snprintf(path, sizeof(path), "%s/m.db", dir);
	struct hh_store *st;
	assert_int_equal(hh_store_open_sqlite(path, 1, &st), HH_OK);
	assert_string_equal(st->name, "sqlite");
	int cur = -1, latest = -1, applied = -1;
	assert_int_equal(st->schema_version(st->cls, &cur, &latest), HH_OK);
	assert_int_equal(cur, 0);
	assert_true(latest >= 1);
	assert_int_equal(st->migrate(st->cls, &applied), HH_OK);
	assert_int_equal(applied, latest);
	assert_int_equal(st->schema_version(st->cls, &cur, &latest), HH_OK);
	assert_int_equal(cur, latest);
	/* idempotent, in the same process and after reopening */
	assert_int_equal(st->migrate(st->cls, &applied), HH_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(st->migrate(st->cls, NULL), HH_OK);
	hh_store_close(st);
	assert_int_equal(hh_store_open_sqlite(path, 3, &st), HH_OK);
	assert_int_equal(st->migrate(st->cls, &applied), HH_OK);
	assert_int_equal(applied, 0);
	assert_int_equal(st->schema_version(st->cls, &cur, &latest), HH_OK);
	assert_int_equal(cur, latest);
	hh_store_close(st);
	/* the tables exist exactly once */
	assert_int_equal(x_int(path, "SELECT count(*) FROM sqlite_master "
				     "WHERE type = 'table' AND name = 'articles'"),
			 1);
	assert_int_equal(x_int(path, "PRAGMA user_version"), latest);
	x_rmdir(dir);
}

/* A database from a newer helhed is refused, not downgraded. */
static void t_migrate_refuses_newer_schema(void **state)
{
	struct x_fx *f = *state;
	int cur, latest;
	assert_int_equal(f->st->schema_version(f->st->cls, &cur, &latest), HH_OK);
	hh_store_close(f->st);
	f->st = NULL;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", latest + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(hh_store_open_sqlite(f->path, 1, &f->st), HH_OK);
	int applied = -1;
	assert_int_equal(f->st->migrate(f->st->cls, &applied), HH_ERR_INVALID);
	assert_int_equal(x_int(f->path, "PRAGMA user_version"), latest + 1);
}

static int64_t x_pragma(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void t_pragmas_in_effect(void **state)
{
	struct x_fx *f = *state;
	/* journal_mode is stored in the file: a fresh, direct connection
	 * sees it */
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	/* foreign_keys and synchronous are per connection: every pooled
	 * connection must have them (a direct connection would show the
	 * compile-time defaults, proving nothing) */
	struct sq *s = f->st->cls;
	assert_int_equal(s->n_conns, 2);
	for (int i = 0; i < s->n_conns; i++) {
		sqlite3 *c = s->conns[i].db;
		assert_int_equal(x_pragma(c, "PRAGMA foreign_keys"), 1);
		assert_int_equal(x_pragma(c, "PRAGMA synchronous"), 2);
		assert_true(x_pragma(c, "PRAGMA busy_timeout") > 0);
	}
	/* and foreign keys are enforced through the interface */
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct hh_user u = { .org_id = 4242, .email = "x@y", .name = "X",
			     .password_hash = "h", .roles = HH_ROLE_AGENT };
	assert_int_equal(f->st->user_insert(tx, &u), HH_ERR_CONFLICT);
	f->st->tx_rollback(tx);
}

/* Events cannot be changed or deleted, on any connection. */
static void t_events_append_only(void **state)
{
	struct x_fx *f = *state;
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	for (int i = 0; i < 3; i++) {
		struct hh_event e = { .actor = "cli", .entity = "article",
				      .entity_id = 7, .action = "create" };
		assert_int_equal(f->st->event_append(tx, &e), HH_OK);
	}
	assert_int_equal(f->st->tx_commit(tx), HH_OK);

	/* UPDATE and DELETE are refused by the triggers, on any connection */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	int rc = sqlite3_exec(db, "UPDATE events SET actor = 'mallory'", NULL,
			      NULL, NULL);
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
	assert_non_null(strstr(sqlite3_errmsg(db), "append-only"));
	rc = sqlite3_exec(db, "DELETE FROM events WHERE id = 1", NULL, NULL,
			  NULL);
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
	rc = sqlite3_exec(db, "DELETE FROM events", NULL, NULL, NULL);
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
	sqlite3_close(db);
	assert_int_equal(x_int(f->path, "SELECT count(*) FROM events"), 3);
	assert_int_equal(x_int(f->path, "SELECT count(*) FROM events WHERE "
					"actor = 'mallory'"),
			 0);
	/* and through the store's own connection */
	struct sq *s = f->st->cls;
	rc = sqlite3_exec(s->conns[0].db, "UPDATE events SET action = 'x'",
			  NULL, NULL, NULL);
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
}

/* ---- life events ------------------------------------------------------ */

static int64_t x_block(struct hh_store *st)
{
	struct hh_tx *tx;
	int64_t first = 0;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	assert_int_equal(st->id_block(tx, "search_log", 10, &first), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return first;
}

/* A file from before the id counters (schema 4) with a search log: the
 * migration starts the search log's counter after its stored ids. */
static void t_migrate_old_file_id_counter(void **state)
{
	char *dir = x_subdir(*state);
	char path[4200];
	snprintf(path, sizeof(path), "%s/old.db", dir);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int v = 0; v < 4; v++)
		assert_int_equal(sqlite3_exec(db, hh_sqlite_migrations[v], NULL,
					      NULL, NULL),
				 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=4; "
					  "INSERT INTO search_log(id, at, query, "
					  "results) VALUES (41, 1, 'a', 0), "
					  "(1234, 2, 'b', 1)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	struct hh_store *st;
	assert_int_equal(hh_store_open_sqlite(path, 1, &st), HH_OK);
	int applied = 0;
	assert_int_equal(st->migrate(st->cls, &applied), HH_OK);
	assert_true(applied >= 1);
	assert_int_equal(x_block(st), 1235);
	assert_int_equal(x_block(st), 1245);
	hh_store_close(st);
	/* a fresh file starts at 1 */
	snprintf(path, sizeof(path), "%s/new.db", dir);
	assert_int_equal(hh_store_open_sqlite(path, 1, &st), HH_OK);
	assert_int_equal(st->migrate(st->cls, NULL), HH_OK);
	assert_int_equal(x_block(st), 1);
	hh_store_close(st);
	x_rmdir(dir);
}

/* Runs sql on a connection of its own; the SQLite result code. */
static int x_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

/* The audit of reads of personal data cannot be changed or deleted
 * either; appending still works. */
static void t_audit_append_only(void **state)
{
	struct x_fx *f = *state;
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	for (int i = 0; i < 3; i++) {
		struct hh_audit a = { .actor = "user:1", .citizen_id = 1,
				      .what = "sag 1", .why = "sagsbehandling" };
		assert_int_equal(f->st->audit_append(tx, &a), HH_OK);
	}
	assert_int_equal(f->st->tx_commit(tx), HH_OK);
	assert_int_not_equal(x_exec(f->path, "UPDATE audit_log SET why = 'x'"),
			     SQLITE_OK);
	assert_int_not_equal(x_exec(f->path, "DELETE FROM audit_log"), SQLITE_OK);
	assert_int_not_equal(x_exec(f->path, "UPDATE audit_log SET actor = "
					     "'user:9' WHERE id = 1"),
			     SQLITE_OK);
	assert_int_equal(x_int(f->path, "SELECT count(*) FROM audit_log"), 3);
	assert_int_equal(x_int(f->path, "SELECT count(*) FROM audit_log WHERE "
					"actor = 'user:1' AND why != 'x'"),
			 3);
	assert_int_equal(x_exec(f->path, "INSERT INTO audit_log(at, actor, "
					 "citizen_id, what, why) VALUES "
					 "(1, 'cli', 1, 'x', 'y')"),
			 SQLITE_OK);
	assert_int_equal(x_int(f->path, "SELECT count(*) FROM audit_log"), 4);
}

/* ---- the case list's kept statements (hh_sq_dyn_get) ------------------ */

struct nest {
	struct hh_tx *tx;
	struct x_fx *f;
	const struct hh_case_filter *q;
	int depth, rows, inner_rows;
};

static enum hh_rc nest_row(void *p, const struct hh_case *c)
{
	struct nest *n = p;
	(void)c;
	if (n->depth) {
		n->inner_rows++;
		return HH_OK;
	}
	n->rows++;
	/* the same shape again while the outer statement is stepped: it
	 * must not be the outer one, reset under its feet */
	n->depth = 1;
	enum hh_rc rc = n->f->st->case_list(n->tx, &n->f->a, n->q, 0, 0, NULL,
					    nest_row, n);
	n->depth = 0;
	return rc;
}

/* A filter's statement is kept per connection and used again; a nested
 * call with the same shape, and more shapes than are kept, still read
 * the right rows. */
static void t_case_list_statements_kept(void **state)
{
	struct x_fx *f = *state;
	struct hh_store *st = f->st;
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_org o = { .code = "901", .name = "Nordskov",
			    .kind = HH_ORG_MUNICIPALITY };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	struct hh_case_type t = { .code = "t1", .organisation = "901", .name = "T1",
				  .definition = "{\"states\": []}" };
	assert_int_equal(st->case_type_put(tx, &t), HH_OK);
	for (int i = 0; i < 3; i++) {
		struct hh_case k = { .case_type_id = t.id, .org_id = o.id,
				     .state = i ? "open" : "done", .data = "{}",
				     .deadline_at = 100 + i };
		assert_int_equal(st->case_insert(tx, &k), HH_OK);
	}
	assert_int_equal(st->tx_commit(tx), HH_OK);
	assert_int_equal(st->tx_begin(st->cls, 0, &tx), HH_OK);
	struct hh_case_filter q = { .org_id = o.id };
	struct nest n = { .tx = tx, .f = f, .q = &q };
	for (int round = 0; round < 3; round++) {
		n.rows = n.inner_rows = 0;
		assert_int_equal(st->case_list(tx, &f->a, &q, 0, 0, NULL, nest_row, &n),
				 HH_OK);
		assert_int_equal(n.rows, 3);
		assert_int_equal(n.inner_rows, 9);
	}
	/* more shapes than are kept, each asked twice: the right count */
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < SQ_DYN + 4; i++) {
			struct hh_case_filter v = { .org_id = o.id,
						    .state = i % 2 ? "open" : "done",
						    .exclude_id = i < SQ_DYN ? 0 : 1 };
			/* the states filter is a bound value: the text differs
			 * by which filters are given, so vary those */
			v.case_type_id = i % 4 == 2 ? t.id : 0;
			if (i % 3 == 1)
				v.states = "[\"open\", \"done\"]";
			if (i % 5 == 4)
				v.sort = HH_SORT_NEWEST;
			int64_t total = -1;
			n.rows = n.inner_rows = 0;
			n.depth = 1; /* count only */
			assert_int_equal(st->case_list(tx, &f->a, &v, 0, 0, &total,
						       nest_row, &n),
					 HH_OK);
			n.depth = 0;
			assert_int_equal(total, n.inner_rows);
		}
	st->tx_rollback(tx);
}

/* s-score (0043): search_log has one index fewer for the flusher to
 * write, and every reader of the log still finds its rows through an
 * index (the statements' shapes as in sqlite_articles.c and
 * sqlite_figures.c; lower() for hh_lower(), which this connection does
 * not have). */
static void t_search_log_readers_use_indexes(void **state)
{
	struct x_fx *f = *state;
	assert_int_equal(x_int(f->path, "SELECT count(*) FROM sqlite_master "
				       "WHERE type = 'index' AND tbl_name = "
				       "'search_log' AND sql IS NOT NULL"),
			 3);
	static const char *const readers[] = {
		/* the editors' report: search_log_at */
		"SELECT lower(query), count(*) FROM search_log WHERE at >= 1 "
		"AND (3 < 0 OR municipality_id = 3 OR (1 AND municipality_id "
		"IS NULL)) GROUP BY lower(query) LIMIT 10",
		/* the chosen counts: search_log_chosen */
		"SELECT chosen_article_id, count(*) FROM search_log WHERE "
		"chosen_article_id IS NOT NULL GROUP BY 1",
		/* fig_search (the tests' count of the log): search_log_at */
		"SELECT count(*) FROM search_log s WHERE municipality_id = 1 "
		"AND at >= 2 AND at < 3",
		/* the fold and the catch-up: search_log_unfolded */
		"SELECT id FROM search_log s INDEXED BY search_log_unfolded "
		"WHERE fig_folded IS NULL AND at < 5 LIMIT 10",
		"SELECT count(*) FROM search_log s INDEXED BY "
		"search_log_unfolded WHERE municipality_id = 1 AND fig_folded "
		"IS NULL AND at >= 2 AND at < 3",
		/* a choice, a mark: the primary key */
		"UPDATE search_log SET chosen_article_id = 2, chosen_at = 3 "
		"WHERE id = 1 AND chosen_article_id IS NULL AND chosen_kind "
		"IS NULL",
		"UPDATE search_log SET fig_folded = 1 WHERE id = 1",
	};
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		char sql[1024];
		snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", readers[i]);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			fail_msg("%s: %s", readers[i], sqlite3_errmsg(db));
		int steps = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st, 3);
			if (strncmp(d, "SEARCH ", 7) && strncmp(d, "SCAN ", 5))
				continue; /* temp B-trees for GROUP BY */
			if (!strstr(d, "INDEX") && !strstr(d, "PRIMARY KEY"))
				fail_msg("%s: %s", readers[i], d);
			steps++;
		}
		sqlite3_finalize(st);
		assert_true(steps > 0);
	}
	sqlite3_close(db);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, x_setup, x_teardown)

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		T(t_migrations_apply_once),
		T(t_migrate_refuses_newer_schema),
		T(t_migrate_old_file_id_counter),
		T(t_pragmas_in_effect),
		T(t_events_append_only),
		T(t_audit_append_only),
		T(t_case_list_statements_kept),
		T(t_search_log_readers_use_indexes),
	};
	return cmocka_run_group_tests_name("store/sqlite", tests, NULL, NULL);
}
