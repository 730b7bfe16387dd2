/* testutil.h - shared helpers for helhed's cmocka tests: a fresh store in a
 * temporary folder, an in-process server on an ephemeral loopback port,
 * and libcurl requests against it. Header-only so each test binary stays
 * one file. */
#ifndef HH_TESTUTIL_H
#define HH_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <errno.h> /* program_invocation_name */
#include <jansson.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/app.h"
#include "app/chat.h"
#include "pages/pages.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/content.h"
#include "domain/searchlog.h"
#include "domain/searchfeed.h"
#include "domain/vault.h"
#include "search/index.h"
#include "search/synonyms.h"
#include "store/store.h"

/* A temporary folder, removed by tu_rmdir. Returns new. */
static inline char *tu_tmpdir(void)
{
	char tmpl[] = "/tmp/helhed-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return hh_xstrdup(d);
}

/* pg-suites (issue 14): the PostgreSQL fixture behind tu_store. */
#include "store/pg_suite_fixture.h"

static inline void tu_rmdir(char *dir)
{
	pgt_suite_release(dir); /* its database, on PostgreSQL */
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

static inline void tu_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static inline char *tu_read(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct hh_buf b;
	hh_buf_init(&b);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		hh_buf_append(&b, chunk, n);
	fclose(f);
	return hh_buf_steal(&b);
}

/* 1 when the tests' store is PostgreSQL: HELHED_TEST_BACKEND=postgres
 * (scripts/run-tests.sh runs the domain and API suites once on each
 * backend; docs/postgres.md, "Tests"). */
static inline int tu_on_pg(void)
{
	return pgt_suites_on();
}

/* The address of test folder dir's store, into out: dir/helhed.db, or
 * on PostgreSQL the postgresql:// address of the database that belongs
 * to dir (tests/store/pg_fixture.h). For a test that hands the store to
 * a helhed process (--db) or opens it again by address. */
static inline const char *tu_store_address(const char *dir, char *out,
					   size_t size)
{
	if (tu_on_pg())
		snprintf(out, size, "%s", pgt_suite_db(dir));
	else
		snprintf(out, size, "%s/helhed.db", dir);
	return out;
}

/* A migrated store for test folder dir: SQLite in dir/helhed.db, or a
 * database of dir's own on PostgreSQL (tu_on_pg). Files that belong
 * beside the database (the key file, the spool) stay in dir either
 * way. The same dir gives the same database until tu_rmdir(dir). */
static inline struct hh_store *tu_store(const char *dir, int pool)
{
	char path[4096];
	struct hh_store *st;
	tu_store_address(dir, path, sizeof(path));
	if (tu_on_pg())
		assert_int_equal(hh_store_open_postgres(path, pool, &st), HH_OK);
	else
		assert_int_equal(hh_store_open_sqlite(path, pool, &st), HH_OK);
	assert_int_equal(st->migrate(st->cls, NULL), HH_OK);
	return st;
}

/* ---- SQL past the store, on either backend (pg-suites) ----------------
 * For what a test must set up or read past the store interface (a clock
 * moved back, a row as a crash would leave it), on the store of test
 * folder dir, through a connection of its own (each statement commits at
 * once). sql is written in the dialect SQLite and PostgreSQL share; ?1,
 * ?2 ... are the parameters (written $1, $2 ... for PostgreSQL). */

struct tu_sql_arg {
	const char *text; /* or */
	const void *blob;
	size_t len;       /* both NULL: SQL NULL */
};
#define TU_TEXT(s) ((struct tu_sql_arg){ (s), NULL, 0 })
#define TU_BLOB(p, n) ((struct tu_sql_arg){ NULL, (p), (n) })

/* Runs sql (with n == 0 it may hold several statements) with ?1..?n
 * bound to args. Returns the first column of the first row of the last
 * statement that gave rows, as text (new; integers in decimal, bytes in
 * hex), or NULL when none gave a row. Fails the test on an error. */
static inline char *tu_sql(const char *dir, const char *sql, int n,
			   const struct tu_sql_arg *args)
{
	char addr[4200];
	tu_store_address(dir, addr, sizeof(addr));
	char *out = NULL;
	if (tu_on_pg()) {
		struct hh_buf q;
		hh_buf_init(&q);
		for (const char *p = sql; *p; p++)
			hh_buf_append(&q, p[0] == '?' && p[1] >= '1' && p[1] <= '9'
						  ? "$" : p, 1);
		PGconn *c = pgt_connect(addr);
		const char *v[10] = { 0 };
		int len[10] = { 0 }, fmt[10] = { 0 };
		assert_true(n <= 10);
		for (int i = 0; i < n; i++) {
			v[i] = args[i].text ? args[i].text : args[i].blob;
			len[i] = (int)args[i].len;
			fmt[i] = args[i].blob != NULL;
		}
		PGresult *r = n ? PQexecParams(c, hh_buf_str(&q), n, NULL, v,
					       len, fmt, 0)
				: PQexec(c, hh_buf_str(&q));
		if (PQresultStatus(r) != PGRES_COMMAND_OK &&
		    PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_msg("%s: %s", sql, PQresultErrorMessage(r));
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) {
			const char *t = PQgetvalue(r, 0, 0);
			/* bytea comes as \x and hex, as SQLite's hex() gives */
			out = hh_xstrdup(PQftype(r, 0) == 17 && !strncmp(t, "\\x", 2)
						 ? t + 2 : t);
		}
		PQclear(r);
		PQfinish(c);
		hh_buf_clear(&q);
		return out;
	}
	sqlite3 *db;
	assert_int_equal(sqlite3_open(addr, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	for (const char *rest = sql; rest && *rest;) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(db, rest, -1, &st, &rest) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		if (!st) /* only white space left */
			break;
		for (int i = 0; i < n; i++) {
			if (args[i].text)
				sqlite3_bind_text(st, i + 1, args[i].text, -1,
						  SQLITE_TRANSIENT);
			else if (args[i].blob)
				sqlite3_bind_blob(st, i + 1, args[i].blob,
						  (int)args[i].len, SQLITE_TRANSIENT);
		}
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			free(out);
			if (sqlite3_column_type(st, 0) == SQLITE_BLOB) {
				struct hh_buf h;
				hh_buf_init(&h);
				const unsigned char *b = sqlite3_column_blob(st, 0);
				for (int k = 0; k < sqlite3_column_bytes(st, 0); k++)
					hh_buf_printf(&h, "%02x", b[k]);
				out = hh_buf_steal(&h);
			} else {
				const unsigned char *t = sqlite3_column_text(st, 0);
				out = hh_xstrdup(t ? (const char *)t : "");
			}
		} else if (rc != SQLITE_DONE) {
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return out;
}

/* tu_sql's value as an integer (-1 when there is no row). */
static inline int64_t tu_sql_int(const char *dir, const char *sql, int n,
				 const struct tu_sql_arg *args)
{
	char *t = tu_sql(dir, sql, n, args);
	int64_t v = t ? strtoll(t, NULL, 10) : -1;
	free(t);
	return v;
}

/* A REAL as SQLite writes it ("%!.15g": 1.0, 0.5, 0.333333333333333),
 * so that a row reads the same on both backends (PostgreSQL writes 1). */
static inline void tu_real_text(struct hh_buf *b, double v)
{
	char t[64];
	snprintf(t, sizeof(t), "%.15g", v);
	hh_buf_printf(b, "%s%s", t, strpbrk(t, ".eEn") ? "" : ".0");
}

/* Every row sql gives on dir's store (one statement, no parameters), as
 * one text: each column followed by "|", each row by ";"; SQL NULL as
 * "NULL", bytes in hex, REALs as tu_real_text. NULL when there is no
 * row. Returns new. For a test that compares whole tables, or reads
 * several rows where SQLite's group_concat and PostgreSQL's string_agg
 * differ. */
static inline char *tu_sql_rows(const char *dir, const char *sql)
{
	char addr[4200];
	tu_store_address(dir, addr, sizeof(addr));
	struct hh_buf b;
	hh_buf_init(&b);
	int rows = 0;
	if (tu_on_pg()) {
		PGconn *c = pgt_connect(addr);
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			fail_msg("%s: %s", sql, PQresultErrorMessage(r));
		rows = PQntuples(r);
		for (int i = 0; i < rows; i++) {
			for (int k = 0; k < PQnfields(r); k++) {
				const char *t = PQgetvalue(r, i, k);
				Oid type = PQftype(r, k);
				if (PQgetisnull(r, i, k))
					hh_buf_printf(&b, "NULL");
				else if (type == 700 || type == 701) /* float4/8 */
					tu_real_text(&b, strtod(t, NULL));
				else /* bytea in hex, as \x and hex */
					hh_buf_printf(&b, "%s", type == 17 &&
						      !strncmp(t, "\\x", 2) ? t + 2 : t);
				hh_buf_printf(&b, "|");
			}
			hh_buf_printf(&b, ";");
		}
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *db;
		assert_int_equal(sqlite3_open(addr, &db), SQLITE_OK);
		sqlite3_busy_timeout(db, 10000);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			rows++;
			for (int k = 0; k < sqlite3_column_count(st); k++) {
				int type = sqlite3_column_type(st, k);
				if (type == SQLITE_NULL) {
					hh_buf_printf(&b, "NULL");
				} else if (type == SQLITE_FLOAT) {
					tu_real_text(&b, sqlite3_column_double(st, k));
				} else if (type == SQLITE_BLOB) {
					const unsigned char *p = sqlite3_column_blob(st, k);
					for (int j = 0; j < sqlite3_column_bytes(st, k); j++)
						hh_buf_printf(&b, "%02x", p[j]);
				} else {
					hh_buf_printf(&b, "%s", (const char *)
						      sqlite3_column_text(st, k));
				}
				hh_buf_printf(&b, "|");
			}
			hh_buf_printf(&b, ";");
		}
		if (rc != SQLITE_DONE)
			fail_msg("%s: %s", sql, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	char *out = rows ? hh_xstrdup(hh_buf_str(&b)) : NULL;
	hh_buf_clear(&b);
	return out;
}

/* Two organisations (901 municipality, udk agency) and users:
 * editor@901 (editor), agent@901 (agent), editor@902 (editor of 902),
 * editor@udk (editor of the agency); password "password-1" for all. */
static inline void tu_seed(struct hh_store *st)
{
	const char *dir = "/tmp";
	(void)dir;
	struct hh_import_stats stats;
	char *tmp = tu_tmpdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/organisations.json", tmp);
	tu_write(path,
		 "[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
		 "{\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"},"
		 "{\"code\":\"udk\",\"name\":\"Udbetaling Danmark\",\"kind\":\"agency\"}]");
	snprintf(path, sizeof(path), "%s/users.json", tmp);
	tu_write(path,
		 "[{\"email\":\"editor@901\",\"name\":\"Eva Editor\",\"organisation\":\"901\",\"roles\":[\"editor\"],\"password\":\"password-1\"},"
		 "{\"email\":\"agent@901\",\"name\":\"Anders Agent\",\"organisation\":\"901\",\"roles\":[\"agent\"],\"password\":\"password-1\"},"
		 "{\"email\":\"editor@902\",\"name\":\"Erik Editor\",\"organisation\":\"902\",\"roles\":[\"editor\"],\"password\":\"password-1\"},"
		 "{\"email\":\"editor@udk\",\"name\":\"Ulla Editor\",\"organisation\":\"udk\",\"roles\":[\"editor\"],\"password\":\"password-1\"}]");
	assert_int_equal(hh_content_import(st, tmp, 1, stderr, NULL, NULL, &stats),
			 HH_OK);
	assert_int_equal(stats.users, 4);
	tu_rmdir(tmp);
}

/* ---- reading the store ------------------------------------------------
 * What a test asserts about stored data it reads through the store
 * interface, each in a read transaction of its own (committed data only),
 * so the assertions hold on every backend. Rows and their strings are
 * allocated from the arena a. */

#define TU_ROWS(type)                                                       \
	struct {                                                            \
		struct hh_arena *a;                                         \
		type *v;                                                    \
		size_t n, cap;                                              \
	}

#define TU_PUSH(rows, row)                                                  \
	do {                                                                \
		if ((rows)->n == (rows)->cap) {                             \
			size_t cap_ = (rows)->cap ? (rows)->cap * 2 : 16;   \
			void *v_ = hh_arena_alloc((rows)->a,                \
						  cap_ * sizeof(*(rows)->v)); \
			if ((rows)->n)                                      \
				memcpy(v_, (rows)->v,                       \
				       (rows)->n * sizeof(*(rows)->v));     \
			(rows)->v = v_;                                     \
			(rows)->cap = cap_;                                 \
		}                                                           \
		(rows)->v[(rows)->n++] = *(row);                            \
	} while (0)

typedef TU_ROWS(struct hh_article) tu_article_rows;
typedef TU_ROWS(struct hh_event) tu_event_rows;
typedef TU_ROWS(struct hh_case) tu_case_rows;

static inline enum hh_rc tu_push_article(void *p, const struct hh_article *r)
{
	TU_PUSH((tu_article_rows *)p, r);
	return HH_OK;
}

static inline enum hh_rc tu_push_event(void *p, const struct hh_event *r)
{
	TU_PUSH((tu_event_rows *)p, r);
	return HH_OK;
}

static inline enum hh_rc tu_push_case(void *p, const struct hh_case *r)
{
	TU_PUSH((tu_case_rows *)p, r);
	return HH_OK;
}

static inline struct hh_tx *tu_read_begin(struct hh_store *st)
{
	struct hh_tx *tx = NULL;
	assert_int_equal(st->tx_begin(st->cls, 0, &tx), HH_OK);
	return tx;
}

static inline void tu_read_end(struct hh_tx *tx)
{
	assert_int_equal(tx->store->tx_commit(tx), HH_OK);
}

/* Every article (shared first, then by owner and slug). Returns n. */
static inline size_t tu_articles(struct hh_store *st, struct hh_arena *a,
				 struct hh_article **out)
{
	tu_article_rows r = { a, NULL, 0, 0 };
	struct hh_article_filter f = { 0 };
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->article_list(tx, a, &f, 0, 0, NULL,
					  tu_push_article, &r),
			 HH_OK);
	tu_read_end(tx);
	*out = r.v;
	return r.n;
}

/* The stored versions of article id, or of every article (id 0), oldest
 * first per article. Returns n. */
static inline size_t tu_versions(struct hh_store *st, struct hh_arena *a,
				 int64_t id, struct hh_article **out)
{
	tu_article_rows r = { a, NULL, 0, 0 };
	struct hh_article *arts = NULL;
	size_t n = id ? 1 : tu_articles(st, a, &arts);
	struct hh_tx *tx = tu_read_begin(st);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(st->article_versions(tx, a, id ? id : arts[i].id,
						      tu_push_article, &r),
				 HH_OK);
	tu_read_end(tx);
	*out = r.v;
	return r.n;
}

/* The events of entity id, or of every article or case (id 0, entity
 * "article" or "case"), in order per entity. Returns n. */
static inline size_t tu_events(struct hh_store *st, struct hh_arena *a,
			       const char *entity, int64_t id,
			       struct hh_event **out)
{
	tu_event_rows r = { a, NULL, 0, 0 };
	int64_t *ids = &id;
	size_t n = 1;
	if (!id && !strcmp(entity, "article")) {
		struct hh_article *arts;
		n = tu_articles(st, a, &arts);
		ids = hh_arena_alloc(a, (n + 1) * sizeof(*ids));
		for (size_t i = 0; i < n; i++)
			ids[i] = arts[i].id;
	} else if (!id) {
		assert_string_equal(entity, "case");
		tu_case_rows cs = { a, NULL, 0, 0 };
		struct hh_case_filter f = { 0 };
		struct hh_tx *tx = tu_read_begin(st);
		assert_int_equal(st->case_list(tx, a, &f, 0, 0, NULL,
					       tu_push_case, &cs),
				 HH_OK);
		tu_read_end(tx);
		n = cs.n;
		ids = hh_arena_alloc(a, (n + 1) * sizeof(*ids));
		for (size_t i = 0; i < n; i++)
			ids[i] = cs.v[i].id;
	}
	struct hh_tx *tx = tu_read_begin(st);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(st->event_list(tx, a, entity, ids[i],
						tu_push_event, &r),
				 HH_OK);
	tu_read_end(tx);
	*out = r.v;
	return r.n;
}

/* How many events there are, of any entity. */
/* The page views of the shared article at slug, read through the store
 * (-1 when there is no such article). */
static inline int64_t tu_article_views(struct hh_store *st, const char *slug)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_tx *tx = tu_read_begin(st);
	struct hh_article art;
	int64_t views = -1;
	if (st->article_get(tx, &a, 0, slug, &art) == HH_OK)
		assert_int_equal(st->article_views_get(tx, art.id, &views), HH_OK);
	tu_read_end(tx);
	hh_arena_clear(&a);
	return views;
}

static inline int64_t tu_event_count(struct hh_store *st)
{
	int64_t n = -1;
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->event_count(tx, &n), HH_OK);
	tu_read_end(tx);
	return n;
}

/* The cases f selects (newest first). Returns n. */
static inline size_t tu_cases(struct hh_store *st, struct hh_arena *a,
			      struct hh_case_filter f, struct hh_case **out)
{
	tu_case_rows r = { a, NULL, 0, 0 };
	f.sort = HH_SORT_NEWEST;
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->case_list(tx, a, &f, 0, 0, NULL, tu_push_case, &r),
			 HH_OK);
	tu_read_end(tx);
	if (out)
		*out = r.v;
	return r.n;
}

static inline enum hh_rc tu_count_row(void *p, const void *row)
{
	(void)row;
	++*(int64_t *)p;
	return HH_OK;
}

static inline enum hh_rc tu_count_org(void *p, const struct hh_org *o)
{
	return tu_count_row(p, o);
}

static inline enum hh_rc tu_count_user(void *p, const struct hh_user *u)
{
	return tu_count_row(p, u);
}

static inline enum hh_rc tu_count_life_event(void *p,
					     const struct hh_life_event *le)
{
	return tu_count_row(p, le);
}

/* How many organisations, users and life events there are. */
static inline void tu_counts(struct hh_store *st, int64_t *orgs,
			     int64_t *users, int64_t *life_events)
{
	struct hh_arena a;
	hh_arena_init(&a);
	int64_t o = 0, u = 0, l = 0;
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->org_list(tx, &a, tu_count_org, &o), HH_OK);
	assert_int_equal(st->user_list(tx, &a, tu_count_user, &u), HH_OK);
	assert_int_equal(st->life_event_list(tx, &a, tu_count_life_event, &l),
			 HH_OK);
	tu_read_end(tx);
	hh_arena_clear(&a);
	if (orgs)
		*orgs = o;
	if (users)
		*users = u;
	if (life_events)
		*life_events = l;
}

/* Field key of the JSON object text as text ("" when missing or text
 * is NULL; integers in decimal), in the arena. */
static inline const char *tu_jfield(struct hh_arena *a, const char *text,
				    const char *key)
{
	if (!text)
		return "";
	json_t *j = json_loads(text, 0, NULL);
	json_t *v = json_object_get(j, key);
	const char *out = "";
	if (json_is_string(v))
		out = hh_arena_strdup(a, json_string_value(v));
	else if (json_is_integer(v))
		out = hh_arena_printf(a, "%lld", (long long)json_integer_value(v));
	json_decref(j);
	return out;
}

/* How many events of case id (0: of every case) have action and actor
 * (NULL: any) and JSON that matches the NULL-terminated pairs
 * ("after.state", "received", "before.version", "1", ...). */
static inline int64_t tu_case_events(struct hh_store *st, struct hh_arena *a,
				     int64_t id, const char *action,
				     const char *actor, ...)
{
	struct hh_event *e;
	size_t n = tu_events(st, a, "case", id, &e);
	int64_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if ((action && strcmp(e[i].action, action)) ||
		    (actor && strcmp(e[i].actor, actor)))
			continue;
		int match = 1;
		va_list ap;
		va_start(ap, actor);
		const char *path;
		while (match && (path = va_arg(ap, const char *))) {
			const char *want = va_arg(ap, const char *);
			const char *text = !strncmp(path, "after.", 6) ? e[i].after
								       : e[i].before;
			match = !strcmp(tu_jfield(a, text, strchr(path, '.') + 1),
					want);
		}
		va_end(ap);
		k += match;
	}
	return k;
}

typedef TU_ROWS(struct hh_case_file) tu_file_rows;

static inline enum hh_rc tu_push_file(void *p, const struct hh_case_file *f)
{
	TU_PUSH((tu_file_rows *)p, f);
	return HH_OK;
}

/* The files stored with case id (0: with any case); returns n. */
static inline size_t tu_case_files(struct hh_store *st, struct hh_arena *a,
				   int64_t id, struct hh_case_file **out)
{
	tu_file_rows r = { a, NULL, 0, 0 };
	struct hh_case *cs = NULL;
	struct hh_case_filter any = { 0 };
	size_t n = id ? 1 : tu_cases(st, a, any, &cs);
	struct hh_tx *tx = tu_read_begin(st);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(st->case_file_list(tx, a, id ? id : cs[i].id,
						    tu_push_file, &r),
				 HH_OK);
	tu_read_end(tx);
	*out = r.v;
	return r.n;
}

/* Whether (scope, key) is stored as an idempotency key. */
static inline int tu_has_key(struct hh_store *st, const char *scope,
			     const char *key)
{
	int64_t id;
	struct hh_tx *tx = tu_read_begin(st);
	enum hh_rc rc = st->idempotency_get(tx, scope, key, &id, NULL);
	tu_read_end(tx);
	assert_true(rc == HH_OK || rc == HH_ERR_NOT_FOUND);
	return rc == HH_OK;
}

typedef TU_ROWS(int64_t) tu_id_rows;

static inline enum hh_rc tu_push_citizen(void *p, const struct hh_citizen *z)
{
	TU_PUSH((tu_id_rows *)p, &z->id);
	return HH_OK;
}

/* The ids of every citizen; returns n. */
static inline size_t tu_citizens(struct hh_store *st, struct hh_arena *a,
				 int64_t **ids)
{
	tu_id_rows r = { a, NULL, 0, 0 };
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->citizen_list(tx, a, "", tu_push_citizen, &r),
			 HH_OK);
	tu_read_end(tx);
	*ids = r.v;
	return r.n;
}

typedef TU_ROWS(struct hh_audit) tu_audit_rows;

static inline enum hh_rc tu_push_audit(void *p, const struct hh_audit *e)
{
	TU_PUSH((tu_audit_rows *)p, e);
	return HH_OK;
}

/* The audit rows of every citizen (newest first per citizen); returns n. */
static inline size_t tu_audits(struct hh_store *st, struct hh_arena *a,
			       struct hh_audit **out)
{
	tu_audit_rows r = { a, NULL, 0, 0 };
	int64_t *ids;
	size_t nz = tu_citizens(st, a, &ids);
	struct hh_tx *tx = tu_read_begin(st);
	for (size_t i = 0; i < nz; i++)
		assert_int_equal(st->audit_list(tx, a, ids[i], 1000000,
						tu_push_audit, &r),
				 HH_OK);
	tu_read_end(tx);
	*out = r.v;
	return r.n;
}

/* A subscriber of the store's changes (hh_store_subscribe) that writes
 * each change told as "entity/id/org/action\n" to the struct hh_buf cls. */
static inline void tu_record_change(void *cls, const struct hh_change *c)
{
	hh_buf_printf(cls, "%s/%lld/%lld/%s\n", c->entity, (long long)c->id,
		      (long long)c->org_id, c->action);
}

/* ---- an in-process server -------------------------------------------- */

struct tu_server {
	char *dir;
	struct hh_store *store;
	struct hh_app app;
	char base[64];
	struct hh_analyzer an;
	struct hh_synonyms syn;
	struct hh_index_follower *follow;
};

/* Starts the server as `helhed serve` would; tweak (may be NULL) may
 * change the server's configuration first (limits, for their tests). */
static inline void tu_server_start_cfg(struct tu_server *s, int seed,
				       void (*tweak)(struct hh_server_config *));

static inline void tu_server_start(struct tu_server *s, int seed)
{
	tu_server_start_cfg(s, seed, NULL);
}

static inline void tu_server_start_cfg(struct tu_server *s, int seed,
				       void (*tweak)(struct hh_server_config *))
{
	memset(s, 0, sizeof(*s));
	signal(SIGPIPE, SIG_IGN);
	hh_json_alloc_init(); /* as main does: out of memory aborts */
	s->dir = tu_tmpdir();
	s->store = tu_store(s->dir, 6);
	/* CPR numbers sealed as `helhed serve` seals them (the key file
	 * made beside the database), so every API test reads them back
	 * through the vault */
	char db_[4200], err_[1024];
	snprintf(db_, sizeof(db_), "%s/helhed.db", s->dir);
	if (hh_vault_start(s->store, NULL, db_, err_, sizeof(err_)) != HH_OK)
		fail_msg("%s", err_);
	if (seed)
		tu_seed(s->store);
	s->app.store = s->store;
	s->app.ready = 1;
	/* the search engine as `helhed serve` sets it up */
	hh_analyzer_init(&s->an, "/usr/share/dict/danish");
	hh_synonyms_load(&s->syn, &s->an, "content/synonyms.txt", stderr);
	s->app.index = hh_index_new(&s->an, &s->syn);
	assert_int_equal(hh_index_build(s->app.index, s->store), HH_OK);
	assert_int_equal(hh_index_follow(s->app.index, s->store, &s->follow),
			 HH_OK);
	assert_int_equal(hh_searchlog_init(s->store), HH_OK);
	struct hh_server_config cfg = {
		.listen = "127.0.0.1:0",
		.threads = 2,
		.body_limit = 64 * 1024,
		.web_dir = "web",
		.log_requests = 0,
		.not_found = hh_page_not_found,
		.too_large = hh_page_too_large,
		.busy = hh_page_busy,
		.session_ok = hh_app_session_ok,
		.gate = hh_app_gate,
	};
	s->app.too_many_page = hh_page_too_many;
	if (tweak)
		tweak(&cfg);
	assert_int_equal(hh_server_start(&cfg, hh_routes, &s->app, &s->app.server),
			 HH_OK);
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%d",
		 hh_server_port(s->app.server));
	/* chat: a committed message wakes the requests waiting for it */
	hh_store_subscribe(s->store, hh_app_chat_changed, &s->app);
}

static inline void tu_server_stop(struct tu_server *s)
{
	hh_server_stop(s->app.server, 5000);
	hh_store_unsubscribe(s->store, hh_app_chat_changed, &s->app);
	hh_chat_limits_free(&s->app);
	hh_searchlog_flush(s->store);
	hh_index_unfollow(s->follow);
	hh_index_free(s->app.index);
	hh_synonyms_clear(&s->syn);
	hh_analyzer_clear(&s->an);
	hh_store_close(s->store);
	tu_rmdir(s->dir);
}

/* ---- HTTP with libcurl ----------------------------------------------- */

struct tu_resp {
	long status;
	char *body;    /* new */
	char *headers; /* new, raw */
	json_t *json;  /* new, or NULL if the body is not JSON */
};

static size_t tu_collect(char *p, size_t size, size_t n, void *ud)
{
	hh_buf_append(ud, p, size * n);
	return size * n;
}

/* How long one request may take before the test fails: a guard against
 * a server that hangs. A test may lengthen it around a request that is
 * slow by design (a password sign-in on a loaded machine). */
static long tu_http_timeout_s = 20;

/* The guard for a password sign-in, slow by design (argon2id, 64 MiB):
 * 8 to 17 s were seen at a load of 17 on two cores. */
#define TU_SIGN_IN_TIMEOUT_S 60L

/* Sends method url with body (may be NULL) and extra headers (NULL-
 * terminated list, may be NULL). cookie: a "name=value" string or NULL. */
static inline struct tu_resp tu_http(const char *method, const char *url,
				     const char *body, const char *const *hdrs,
				     const char *cookie)
{
	CURL *c = curl_easy_init();
	struct hh_buf b, h;
	hh_buf_init(&b);
	hh_buf_init(&h);
	struct curl_slist *list = NULL;
	for (int i = 0; hdrs && hdrs[i]; i++)
		list = curl_slist_append(list, hdrs[i]);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (!strcmp(method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	if (cookie)
		curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, tu_collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, tu_collect);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, tu_http_timeout_s);
	CURLcode cc = curl_easy_perform(c);
	assert_int_equal(cc, CURLE_OK);
	struct tu_resp r = { 0 };
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
	r.body = hh_buf_steal(&b);
	r.headers = hh_buf_steal(&h);
	json_error_t e;
	r.json = json_loads(r.body, 0, &e);
	return r;
}

static inline void tu_resp_free(struct tu_resp *r)
{
	free(r->body);
	free(r->headers);
	json_decref(r->json);
}

/* Value of header name in r (case-insensitive), copied into out. */
static inline int tu_header(const struct tu_resp *r, const char *name,
			    char *out, size_t size)
{
	size_t n = strlen(name);
	for (const char *p = r->headers; p && *p;) {
		const char *eol = strstr(p, "\r\n");
		if (!eol)
			break;
		if ((size_t)(eol - p) > n + 1 && !strncasecmp(p, name, n) &&
		    p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			snprintf(out, size, "%.*s", (int)(eol - v), v);
			return 1;
		}
		p = eol + 2;
	}
	return 0;
}

/* The problem code of a problem+json response, or "". */
static inline const char *tu_code(const struct tu_resp *r)
{
	const char *c = json_string_value(json_object_get(r->json, "code"));
	return c ? c : "";
}

/* A request to base+path as the signed-in user with cookie and csrf (both
 * NULL: anonymous). A body goes as application/json; a signed-in user also
 * sends the CSRF token. extra: more headers (NULL-terminated, may be NULL);
 * a "Content-Type:" or "X-CSRF-Token:" among them replaces the default. */
static inline struct tu_resp tu_call(const char *base, const char *cookie,
				     const char *csrf, const char *method,
				     const char *path, const char *body,
				     const char *const *extra)
{
	char url[512], csrf_h[128];
	const char *h[12];
	int n = 0, own_ct = 0, own_csrf = 0;
	for (int i = 0; extra && extra[i]; i++) {
		if (!strncasecmp(extra[i], "Content-Type:", 13))
			own_ct = 1;
		if (!strncasecmp(extra[i], "X-CSRF-Token:", 13))
			own_csrf = 1;
		h[n++] = extra[i];
	}
	if (body && !own_ct)
		h[n++] = "Content-Type: application/json";
	if (csrf && !own_csrf) {
		snprintf(csrf_h, sizeof(csrf_h), "X-CSRF-Token: %s", csrf);
		h[n++] = csrf_h;
	}
	h[n] = NULL;
	snprintf(url, sizeof(url), "%s%s", base, path);
	return tu_http(method, url, body, h, cookie);
}

/* A complete RFC 9457 problem: status, media type and every field. */
static inline void tu_expect_problem(const struct tu_resp *r, long status,
				     const char *code, const char *field)
{
	char ct[128];
	if (r->status != status)
		fprintf(stderr, "unexpected %ld: %s\n", r->status, r->body);
	assert_int_equal(r->status, status);
	assert_true(tu_header(r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/problem+json");
	assert_true(json_is_object(r->json));
	const char *type = json_string_value(json_object_get(r->json, "type"));
	const char *title = json_string_value(json_object_get(r->json, "title"));
	const char *detail = json_string_value(json_object_get(r->json, "detail"));
	assert_non_null(type);
	assert_non_null(strstr(type, code));
	assert_non_null(title);
	assert_true(*title);
	assert_non_null(detail);
	assert_true(*detail);
	assert_true(json_is_integer(json_object_get(r->json, "status")));
	assert_int_equal(json_integer_value(json_object_get(r->json, "status")),
			 status);
	assert_string_equal(tu_code(r), code);
	if (field) {
		const char *f = json_string_value(json_object_get(r->json, "field"));
		assert_non_null(f);
		assert_string_equal(f, field);
	}
}


/* needle occurs in hay (printing hay if not). */
static inline void tu_expect_in(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fprintf(stderr, "missing '%s' in:\n%s\n", needle, hay);
	assert_non_null(strstr(hay, needle));
}

/* needle does not occur in hay (printing hay if it does). */
static inline void tu_expect_not_in(const char *hay, const char *needle)
{
	if (strstr(hay, needle))
		fprintf(stderr, "unexpected '%s' in:\n%s\n", needle, hay);
	assert_null(strstr(hay, needle));
}

/* Signs in over the API; writes "hh_session=..." into cookie and the CSRF
 * token into csrf. */
static inline void tu_login(struct tu_server *s, const char *email,
			    char *cookie, size_t csize, char *csrf, size_t tsize)
{
	char url[128], body[256], setc[256];
	snprintf(url, sizeof(url), "%s/api/v1/session", s->base);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"password-1\"}",
		 email);
	const char *h[] = { "Content-Type: application/json", NULL };
	long guard = tu_http_timeout_s;
	tu_http_timeout_s = TU_SIGN_IN_TIMEOUT_S;
	struct tu_resp r = tu_http("POST", url, body, h, NULL);
	tu_http_timeout_s = guard;
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(cookie, csize, "%.*s", (int)strcspn(setc, ";"), setc);
	snprintf(csrf, tsize, "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
}


/* ---- pg-suites (issue 14): tests that do not run on PostgreSQL --------
 * scripts/run-tests.sh runs every domain and API binary a second time
 * with HELHED_TEST_BACKEND=postgres. The tests below are skipped in that
 * run (cmocka prints them as SKIPPED, with the reason on stderr); every
 * other test must pass on both backends. A binary is named by its path
 * under tests/ without ".c"; test "*" is every test of the binary. */
struct tu_pg_skip {
	const char *binary, *test, *why;
};

/* Tests that reach a store function not ported to PostgreSQL yet. Every
 * function is ported now; one added to the interface later starts on a
 * generated stub (docs/postgres.md, "Ported so far"), and the tests that
 * reach it wait here until it is ported. */
#define TU_WAITING_FOR_PG_PORT "waiting for pg-port"
static const struct tu_pg_skip tu_pg_waiting[] = {
	{ NULL, NULL, NULL }
};

/* SQLite-only: the tests about the SQLite file itself (its bytes on
 * disk, a process killed and the file opened again, the CLI's file
 * options, the bulk mode) and SQLite's pool lines. A test that reads or
 * writes past the store does it on the store's address (tu_sql,
 * tu_sql_rows; a `helhed serve` child on tu_store_address, as
 * rs_start_store does) and runs on both; one that opened the SQLite
 * file itself would pass on SQLite in the PostgreSQL run and prove
 * nothing. */
static const struct tu_pg_skip tu_pg_sqlite_only[] = {
	{ "api/test_cli", "*", "about the SQLite file itself" },
	{ "api/test_ops", "*", "serve's settings and log on a SQLite file; the store is not what it tests" }, /* o-deb */
	{ "api/test_crash", "*", "about the SQLite file itself" },
	{ "api/test_backup", "*", "helhed backup and restore copy the SQLite file (PostgreSQL: pg_dump, docs/backup.md)" },
	{ "api/test_chat_crash", "*", "about the SQLite file itself" },
	{ "api/test_cpr_at_rest", "*", "about the SQLite file itself" },
	{ "domain/test_vault", "the_database_file_holds_no_cpr_in_clear", "about the SQLite file itself" },
	{ "domain/test_vault", "rows_stored_in_clear_are_sealed_at_start", "about the SQLite file itself" },
	{ "domain/test_vault", "rotation_reseals_everything_and_drops_the_old_key", "about the SQLite file itself" },
	{ "domain/test_demoyear", "*", "SQLite's bulk mode (hh_store_sqlite_bulk)" },
	{ "api/test_db_metrics", "t_metrics_after_requests", "checks SQLite's pool lines; the binary runs its PostgreSQL case itself (t_metrics_wait_postgres)" },
	{ "api/test_db_metrics", "t_metrics_wait_sqlite", "SQLite's pool; the binary runs its PostgreSQL case itself (t_metrics_wait_postgres)" },
	{ NULL, NULL, NULL }
};

static inline const char *tu_pg_skip_why(const char *binary,
					 const char *test)
{
	const struct tu_pg_skip *lists[] = { tu_pg_waiting, tu_pg_sqlite_only };
	for (size_t l = 0; l < 2; l++)
		for (const struct tu_pg_skip *k = lists[l]; k->binary; k++) {
			size_t bl = strlen(binary), kl = strlen(k->binary);
			if (bl < kl || strcmp(binary + bl - kl, k->binary) ||
			    (bl > kl && binary[bl - kl - 1] != '/'))
				continue;
			if (!strcmp(k->test, "*") || !strcmp(k->test, test))
				return k->why;
		}
	return NULL;
}

static inline void tu_pg_skipped(void **state)
{
	(void)state;
	skip();
}

/* cmocka_run_group_tests with the lists above applied on PostgreSQL. */
static inline int tu_run_group(const char *name,
			       const struct CMUnitTest *tests, size_t n,
			       CMFixtureFunction setup,
			       CMFixtureFunction teardown)
{
	if (!tu_on_pg())
		return _cmocka_run_group_tests(name, tests, n, setup, teardown);
	struct CMUnitTest *t = hh_xmalloc((n ? n : 1) * sizeof(*t));
	size_t skipped = 0;
	for (size_t i = 0; i < n; i++) {
		t[i] = tests[i];
		const char *why = tu_pg_skip_why(program_invocation_name,
						 t[i].name);
		if (!why)
			continue;
		fprintf(stderr, "skipped on PostgreSQL: %s (%s)\n", t[i].name,
			why);
		t[i].test_func = tu_pg_skipped;
		t[i].setup_func = NULL;
		t[i].teardown_func = NULL;
		skipped++;
	}
	if (skipped == n) /* nothing runs: neither does the group's setup */
		setup = teardown = NULL;
	int failed = _cmocka_run_group_tests(name, t, n, setup, teardown);
	free(t);
	return failed;
}

#undef cmocka_run_group_tests
#define cmocka_run_group_tests(group_tests, group_setup, group_teardown)   \
	tu_run_group(#group_tests, group_tests,                             \
		     sizeof(group_tests) / sizeof((group_tests)[0]),         \
		     group_setup, group_teardown)
#undef cmocka_run_group_tests_name
#define cmocka_run_group_tests_name(group_name, group_tests, group_setup, \
				    group_teardown)                        \
	tu_run_group(group_name, group_tests,                               \
		     sizeof(group_tests) / sizeof((group_tests)[0]),         \
		     group_setup, group_teardown)

#endif
