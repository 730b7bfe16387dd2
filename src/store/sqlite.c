/* sqlite.c - the embedded SQLite backend of the store interface.
 *
 * One database file in WAL mode with foreign keys on and synchronous=FULL.
 * A small pool of connections serves concurrent requests: each transaction
 * takes a connection for its duration. Statements are prepared once per
 * connection and kept in a per-connection cache.
 *
 * This file holds what is not about one entity: the pool, transactions,
 * migrations, fault injection and opening; the entities' functions are in
 * sqlite_orgs.c, sqlite_articles.c and sqlite_cases.c (sqlite_int.h). */
#include "store/sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

#include "core/log.h"
#include "core/util.h"
#include "store/postgres.h" /* pg-base: fault injection */
#include "store/backup.h" /* o-backup: the store's lock */

extern const char *const hh_sqlite_migrations[];

static const char *const stmt_sql[S__COUNT] = {
	[S_BEGIN] = "BEGIN",
	[S_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
};

enum hh_rc hh_sq_map_rc(sqlite3 *db, int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return HH_OK;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return HH_ERR_BUSY;
	case SQLITE_CONSTRAINT:
		return HH_ERR_CONFLICT;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		hh_log(HH_LOG_ERROR, "sqlite: %s", sqlite3_errmsg(db));
		return HH_ERR_IO;
	default:
		hh_log_bug("sqlite: %s (%d)", sqlite3_errmsg(db), rc);
		return HH_ERR_INTERNAL;
	}
}

enum hh_rc hh_sq_fault(struct sq *s)
{
	if (s->fault_countdown <= 0)
		return HH_OK;
	if (--s->fault_countdown == 0)
		return s->fault_rc;
	return HH_OK;
}

void hh_store_fault_inject(struct hh_store *st, int n, enum hh_rc rc)
{
	if (strcmp(st->name, "sqlite")) { /* pg-base: PostgreSQL's own */
		hh_store_fault_inject_pg(st, n, rc);
		return;
	}
	struct sq *s = st->cls;
	s->fault_countdown = n;
	s->fault_rc = rc;
}

sqlite3_stmt *hh_sq_stmt(struct hh_tx *tx, enum stmt_id id, const char *sql)
{
	struct conn *c = (struct conn *)tx;
	if (!c->stmts[id]) {
		int rc = sqlite3_prepare_v3(c->db, sql, -1,
					    SQLITE_PREPARE_PERSISTENT,
					    &c->stmts[id], NULL);
		if (rc != SQLITE_OK) {
			hh_log_bug("sqlite prepare %d: %s", (int)id,
				   sqlite3_errmsg(c->db));
			return NULL;
		}
	}
	return c->stmts[id];
}

int hh_sq_dyn_get(struct hh_tx *tx, const char *sql, sqlite3_stmt **out)
{
	struct conn *c = (struct conn *)tx;
	*out = NULL;
	for (int i = 0; i < SQ_DYN; i++) {
		struct sq_dyn *d = &c->dyn[i];
		if (d->sql && !d->busy && !strcmp(d->sql, sql)) {
			d->busy = 1;
			*out = d->st;
			return SQLITE_OK;
		}
	}
	/* not cached, or in use by an outer call: a slot that is free */
	struct sq_dyn *d = NULL;
	for (int k = 0; k < SQ_DYN && !d; k++) {
		struct sq_dyn *x = &c->dyn[(c->dyn_next + k) % SQ_DYN];
		if (!x->busy)
			d = x;
	}
	if (!d) /* all in use: nested that deep, prepare one not kept */
		return sqlite3_prepare_v2(c->db, sql, -1, out, NULL);
	c->dyn_next = (int)(d - c->dyn + 1) % SQ_DYN;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				    &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_finalize(d->st);
	free(d->sql);
	d->sql = hh_xstrdup(sql);
	d->st = st;
	d->busy = 1;
	*out = st;
	return SQLITE_OK;
}

void hh_sq_dyn_put(struct hh_tx *tx, sqlite3_stmt *st)
{
	struct conn *c = (struct conn *)tx;
	for (int i = 0; i < SQ_DYN; i++)
		if (c->dyn[i].st == st && c->dyn[i].busy) {
			done(st);
			c->dyn[i].busy = 0;
			return;
		}
	sqlite3_finalize(st);
}

enum hh_rc hh_sq_exec(struct hh_tx *tx, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	enum hh_rc r = (rc == SQLITE_DONE || rc == SQLITE_ROW)
			       ? HH_OK
			       : hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

enum hh_rc hh_sq_step_int64(struct hh_tx *tx, sqlite3_stmt *st, int64_t *out)
{
	int rc = sqlite3_step(st);
	enum hh_rc r = HH_OK;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		r = hh_sq_map_rc(db_of(tx), rc);
	done(st);
	return r;
}

/* ---- pool and transactions ------------------------------------------ */

static sqlite3_stmt *own_stmt(struct hh_tx *tx, enum stmt_id id)
{
	return hh_sq_stmt(tx, id, stmt_sql[id]);
}

/* pg-ops: each statement's time, for /metrics. SQLite's own profile
 * time has millisecond steps (the VFS clock), so the statement's start
 * (SQLITE_TRACE_STMT) and end (SQLITE_TRACE_PROFILE) are timed here.
 * A transaction runs on one thread, and a statement may run while
 * another is still open (a list read row by row), so the starts are
 * kept per thread, a few at once. */
#define RUNNING_MAX 8
static _Thread_local struct {
	void *stmt;
	int64_t from_us;
} running[RUNNING_MAX];

static int on_trace(unsigned type, void *store, void *stmt, void *x)
{
	if (type == SQLITE_TRACE_STMT) {
		int free_slot = -1;
		for (int i = 0; i < RUNNING_MAX; i++) {
			if (running[i].stmt == stmt)
				return 0; /* a trigger of a statement running */
			if (!running[i].stmt && free_slot < 0)
				free_slot = i;
		}
		if (free_slot >= 0) {
			running[free_slot].stmt = stmt;
			running[free_slot].from_us = hh_mono_us();
		}
		return 0;
	}
	for (int i = 0; i < RUNNING_MAX; i++) {
		if (running[i].stmt == stmt) {
			hh_store_count_query(store,
					     hh_mono_us() - running[i].from_us);
			running[i].stmt = NULL;
			return 0;
		}
	}
	return 0;
}

/* hh_lower(text): every letter lowered, code point by code point
 * (Unicode's simple mapping), as PostgreSQL's lower() lowers in the
 * C.UTF-8 database helhed asks for; SQLite's own lower() lowers A-Z only.
 * The search report groups its queries by it (pg-ssi, docs/postgres.md:
 * "Ærø" and "ærø" are one line on both backends). Bytes that are not
 * UTF-8 are kept as they are. */
static void fn_lower(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const unsigned char *in = sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	/* a lowered code point takes at most 3 bytes for every 2 of its
	 * capital (Ⱥ U+023A, ⱥ U+2C65), and never more than 4 */
	unsigned char *out = sqlite3_malloc64((sqlite3_uint64)n * 2 + 4);
	if (!in || !out) {
		sqlite3_free(out);
		sqlite3_result_error_nomem(ctx);
		return;
	}
	utf8proc_ssize_t i = 0, o = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(in + i, n - i, &cp);
		if (k <= 0) {
			out[o++] = in[i++];
			continue;
		}
		o += utf8proc_encode_char(utf8proc_tolower(cp), out + o);
		i += k;
	}
	sqlite3_result_text(ctx, (const char *)out, (int)o, sqlite3_free);
}

static enum hh_rc conn_open(struct sq *s, struct conn *c)
{
	int rc = sqlite3_open_v2(s->path, &c->db,
				 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
					 SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc != SQLITE_OK) {
		hh_log(HH_LOG_ERROR, "cannot open %s: %s", s->path,
		       c->db ? sqlite3_errmsg(c->db) : "out of memory");
		return HH_ERR_IO;
	}
	/* Durability first: FULL syncs the WAL on every commit. BUSY is
	 * waited for briefly here and retried by hh_store_run_tx.
	 * secure_delete zeroes what a delete or an update frees, so that a
	 * value overwritten (a CPR number sealed after it was stored in
	 * clear, domain/vault.h) does not stay behind in the file. */
	const char *pragmas = "PRAGMA journal_mode=WAL;"
			      "PRAGMA synchronous=FULL;"
			      "PRAGMA foreign_keys=ON;"
			      "PRAGMA busy_timeout=2000;"
			      "PRAGMA secure_delete=ON;"
			      "PRAGMA temp_store=MEMORY;";
	char *err = NULL;
	rc = sqlite3_exec(c->db, pragmas, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		hh_log(HH_LOG_ERROR, "cannot set up %s: %s", s->path,
		       err ? err : "?");
		sqlite3_free(err);
		return rc == SQLITE_BUSY ? HH_ERR_BUSY : HH_ERR_IO;
	}
	if (sqlite3_create_function(c->db, "hh_lower", 1,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC |
					    SQLITE_INNOCUOUS,
				    NULL, fn_lower, NULL, NULL) != SQLITE_OK) {
		hh_log(HH_LOG_ERROR, "cannot set up %s: %s", s->path,
		       sqlite3_errmsg(c->db));
		return HH_ERR_IO;
	}
	c->tx.store = &s->store;
	sqlite3_trace_v2(c->db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, on_trace,
			 &s->store);
	return HH_OK;
}

static void conn_close(struct conn *c)
{
	for (int i = 0; i < S__COUNT; i++)
		sqlite3_finalize(c->stmts[i]);
	for (int i = 0; i < SQ_DYN; i++) {
		sqlite3_finalize(c->dyn[i].st);
		free(c->dyn[i].sql);
		c->dyn[i] = (struct sq_dyn){ 0 };
	}
	sqlite3_close_v2(c->db);
}

static enum hh_rc tx_begin(void *cls, int write, struct hh_tx **out)
{
	struct sq *s = cls;
	struct conn *c = NULL;
	int64_t wait_from = 0; /* pg-ops: waits for /metrics */
	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (int i = 0; i < s->n_conns; i++) {
			if (!s->conns[i].in_use) {
				c = &s->conns[i];
				break;
			}
		}
		if (c)
			break;
		if (!wait_from)
			wait_from = hh_mono_us();
		pthread_cond_wait(&s->freed, &s->lock);
	}
	c->in_use = 1;
	pthread_mutex_unlock(&s->lock);
	int64_t waited = wait_from ? hh_mono_us() - wait_from : 0;
	hh_store_count_take(&s->store, wait_from && waited < 1 ? 1 : waited);

	c->tx.write = write;
	c->orgs_written = 0;
	enum hh_rc rc = hh_sq_fault(s);
	if (rc == HH_OK)
		rc = hh_sq_exec(&c->tx,
			       own_stmt(&c->tx, write ? S_BEGIN_IMMEDIATE : S_BEGIN));
	if (rc != HH_OK) {
		pthread_mutex_lock(&s->lock);
		c->in_use = 0;
		pthread_cond_signal(&s->freed);
		pthread_mutex_unlock(&s->lock);
		hh_store_count_give(&s->store); /* pg-ops */
		return rc;
	}
	*out = &c->tx;
	return HH_OK;
}

static void release(struct hh_tx *tx)
{
	struct sq *s = sq_of(tx);
	struct conn *c = (struct conn *)tx;
	/* after COMMIT or ROLLBACK: what hh_store_org_by_code kept before
	 * is no longer used */
	if (c->orgs_written)
		atomic_fetch_add(&s->store.orgs_version, 1);
	c->orgs_written = 0;
	pthread_mutex_lock(&s->lock);
	c->in_use = 0;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
	hh_store_count_give(&s->store); /* pg-ops */
}

static void tx_rollback(struct hh_tx *tx)
{
	if (!sqlite3_get_autocommit(db_of(tx)))
		hh_sq_exec(tx, own_stmt(tx, S_ROLLBACK));
	release(tx);
}

static enum hh_rc tx_commit(struct hh_tx *tx)
{
	enum hh_rc rc = hh_sq_fault(sq_of(tx));
	if (rc == HH_OK)
		rc = hh_sq_exec(tx, own_stmt(tx, S_COMMIT));
	if (rc != HH_OK) {
		tx_rollback(tx);
		return rc;
	}
	release(tx);
	return HH_OK;
}

/* ---- migrations ------------------------------------------------------ */

static int latest_version(void)
{
	int n = 0;
	while (hh_sqlite_migrations[n])
		n++;
	return n;
}

static enum hh_rc schema_version(void *cls, int *current, int *latest)
{
	struct sq *s = cls;
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->conns[0].db, "PRAGMA user_version", -1,
				    &st, NULL);
	if (rc != SQLITE_OK)
		return hh_sq_map_rc(s->conns[0].db, rc);
	*current = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0)
						  : 0;
	sqlite3_finalize(st);
	*latest = latest_version();
	return HH_OK;
}

static enum hh_rc migrate(void *cls, int *applied)
{
	struct sq *s = cls;
	sqlite3 *db = s->conns[0].db;
	int current, latest, n = 0;
	enum hh_rc r = schema_version(cls, &current, &latest);
	if (r != HH_OK)
		return r;
	if (current > latest) {
		hh_log(HH_LOG_ERROR,
		       "database schema %d is newer than this helhed (%d)",
		       current, latest);
		return HH_ERR_INVALID;
	}
	/* Each migration runs in its own immediate transaction together
	 * with the user_version bump, so a crash leaves a consistent
	 * version. Another process migrating at once is serialised by the
	 * write lock and we re-read the version inside it. */
	for (int v = current; v < latest; v++) {
		char *err = NULL;
		int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &err);
		if (rc != SQLITE_OK) {
			sqlite3_free(err);
			return hh_sq_map_rc(db, rc);
		}
		int now;
		schema_version(cls, &now, &latest);
		if (now > v) {
			sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
			v = now - 1;
			continue;
		}
		char setv[64];
		snprintf(setv, sizeof(setv), "PRAGMA user_version=%d", v + 1);
		rc = sqlite3_exec(db, hh_sqlite_migrations[v], NULL, NULL, &err);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, setv, NULL, NULL, &err);
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(db, "COMMIT", NULL, NULL, &err);
		if (rc != SQLITE_OK) {
			hh_log(HH_LOG_ERROR, "migration %d failed: %s", v + 1,
			       err ? err : sqlite3_errmsg(db));
			sqlite3_free(err);
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return HH_ERR_INTERNAL;
		}
		n++;
	}
	if (applied)
		*applied = n;
	return HH_OK;
}

/* ---- open/close ------------------------------------------------------ */

static void sq_close(void *cls)
{
	struct sq *s = cls;
	for (int i = 0; i < s->n_conns; i++)
		conn_close(&s->conns[i]);
	free(s->conns);
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->path);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->freed);
	free(s);
}

enum hh_rc hh_store_open_sqlite(const char *path, int pool_size,
				struct hh_store **out)
{
	struct sq *s = hh_xcalloc(1, sizeof(*s));
	enum hh_rc rc = HH_OK;
	if (pool_size < 1)
		pool_size = 1;
	s->path = hh_xstrdup(path);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	s->conns = hh_xcalloc((size_t)pool_size, sizeof(*s->conns));
	s->lock_fd = -1;
	struct hh_store *st = &s->store;
	hh_store_init_common(st);
	st->counters.pool_size = pool_size; /* pg-ops */
	st->cls = s;
	st->name = "sqlite";
	st->close = sq_close;
	st->migrate = migrate;
	st->schema_version = schema_version;
	st->tx_begin = tx_begin;
	st->tx_commit = tx_commit;
	st->tx_rollback = tx_rollback;
	hh_sq_fill_orgs(st);
	hh_sq_fill_articles(st);
	hh_sq_fill_cases(st);
	hh_sq_fill_inquiries(st);
	hh_sq_fill_hours(st);
	hh_sq_fill_desk(st); /* the agent's desk */
	hh_sq_fill_appointments(st); /* appointments */
	hh_sq_fill_chat(st); /* chat */
	hh_sq_fill_letters(st); /* letters */
	hh_sq_fill_messages(st); /* delivery */
	hh_sq_fill_inbox(st); /* the citizen's inbox */
	hh_sq_fill_feedback(st); /* feedback */
	hh_sq_fill_figures(st); /* the service figures */
	hh_sq_fill_proposals(st); /* s-edit: proposals */
	hh_sq_fill_search_tuning(st); /* s-edit: synonyms, pins */
	hh_sq_fill_kle(st); /* kle (issue 15) */
	hh_sq_fill_external(st); /* x-ext: external cases */
	hh_sq_fill_webhooks(st); /* x-hooks */
	hh_sq_fill_parties(st); /* p-parties (issue 16) */
	hh_sq_fill_agreements(st); /* p-agree (issue 16) */
	/* o-backup: held while the store is open, so that `helhed restore`
	 * never replaces it under us (store/backup.h) */
	if (strcmp(path, ":memory:") && strncmp(path, "file:", 5)) {
		rc = hh_store_sqlite_lock(path, 0, &s->lock_fd);
		if (rc == HH_ERR_BUSY)
			hh_log(HH_LOG_ERROR, "a restore is replacing %s: start "
			       "again when it has finished", path);
		else if (rc != HH_OK)
			hh_log(HH_LOG_ERROR, "cannot open %s", path);
		if (rc != HH_OK)
			goto fail;
	}
	for (int i = 0; i < pool_size; i++) {
		rc = conn_open(s, &s->conns[i]);
		s->n_conns = i + 1;
		if (rc != HH_OK)
			goto fail;
	}
	*out = st;
	return HH_OK;
fail:
	sq_close(s);
	return rc;
}

/* ---- bulk generation (fig-year: helhed demo-year) -------------------- */

enum hh_rc hh_store_sqlite_bulk(struct hh_store *st)
{
	if (strcmp(st->name, "sqlite"))
		return HH_ERR_INVALID;
	struct sq *s = st->cls;
	/* Not one fsync per commit: a generated database that a crash
	 * leaves half-written is made again. A bigger page cache (64 MB)
	 * keeps the indexes of a year's tables in memory while it grows,
	 * and the WAL is copied back every 10,000 pages instead of 1,000. */
	static const char pragmas[] = "PRAGMA synchronous=OFF;"
				      "PRAGMA cache_size=-65536;"
				      "PRAGMA wal_autocheckpoint=10000;";
	for (int i = 0; i < s->n_conns; i++) {
		char *err = NULL;
		if (sqlite3_exec(s->conns[i].db, pragmas, NULL, NULL, &err) !=
		    SQLITE_OK) {
			hh_log(HH_LOG_ERROR, "cannot relax %s: %s", s->path,
			       err ? err : "?");
			sqlite3_free(err);
			return HH_ERR_IO;
		}
	}
	return HH_OK;
}
