/* postgres.c - the PostgreSQL backend of the store interface (issue 14).
 *
 * Many helhed instances serve one PostgreSQL cluster. Each instance keeps
 * a pool of libpq connections (opened on first use); a transaction takes
 * one for its duration. Every transaction is SERIALIZABLE: the domain's
 * check-then-write paths (a booking against the counter's other
 * bookings, a version check before an update) stay correct without
 * locks written for PostgreSQL alone, and what PostgreSQL cannot
 * serialise fails with SQLSTATE 40001 (or 40P01, a deadlock), which is
 * HH_ERR_BUSY here, as SQLite's BUSY is, and hh_store_run_tx retries it a
 * bounded number of times. Statements are prepared by name once per
 * connection, on their first use there.
 *
 * Migrations are PostgreSQL's own files with the same numbers as
 * SQLite's (src/store/migrations-pg/), applied at open under an advisory
 * lock so that instances starting together migrate once; the version is
 * the number of migrations applied, kept in helhed_schema.
 *
 * This file holds what is not about one entity: the pool, transactions,
 * migrations, statements and faults; the entities' functions are in
 * postgres_<entity>.c (postgres_int.h). Functions not ported yet are
 * stubs that say so (scripts/pg-stubs.sh). See docs/postgres.md. */
#include "store/postgres_int.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/log.h"
#include "core/util.h"
#include "store/postgres.h"

extern const char *const hh_pg_migrations[];

enum hh_rc hh_pg_not_ported(const char *name)
{
	hh_log(HH_LOG_ERROR,
	       "postgres: the store function %s is not ported to PostgreSQL "
	       "yet (docs/postgres.md)",
	       name);
	return HH_ERR_INTERNAL;
}

enum hh_rc hh_pg_fault(struct pg *s)
{
	if (s->fault_countdown <= 0)
		return HH_OK;
	if (--s->fault_countdown == 0)
		return s->fault_rc;
	return HH_OK;
}

void hh_store_fault_inject_pg(struct hh_store *st, int n, enum hh_rc rc)
{
	struct pg *s = st->cls;
	s->fault_countdown = n;
	s->fault_rc = rc;
}

unsigned char *hh_pg_bytea(const PGresult *r, int i, int c, size_t *len)
{
	*len = 0;
	if (PQgetisnull(r, i, c))
		return NULL;
	unsigned char *b = PQunescapeBytea(
		(const unsigned char *)PQgetvalue(r, i, c), len);
	if (!b)
		abort(); /* out of memory, as hh_xmalloc */
	return b;
}

const unsigned char *hh_pg_blob(struct hh_arena *a, const PGresult *r,
				int i, int c, size_t *len)
{
	if (len)
		*len = 0;
	size_t n;
	unsigned char *raw = hh_pg_bytea(r, i, c, &n);
	if (!raw)
		return NULL;
	unsigned char *p = hh_arena_alloc(a, n ? n : 1);
	memcpy(p, raw, n);
	PQfreemem(raw);
	if (len)
		*len = n;
	return p;
}

/* ---- errors -------------------------------------------------------------- */

/* What a failed result means to the caller; logs what is not ours to
 * handle. */
static enum hh_rc map_error(PGconn *db, const PGresult *res, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db);
	if (!state || PQstatus(db) != CONNECTION_OK) {
		hh_log(HH_LOG_ERROR, "postgres: %s: %s", what, msg);
		return HH_ERR_IO;
	}
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
	    !strcmp(state, "55P03"))
		return HH_ERR_BUSY;
	if (!strncmp(state, "23", 2))
		return HH_ERR_CONFLICT;
	/* connection, resources, the server shutting down or in recovery */
	if (!strncmp(state, "08", 2) || !strncmp(state, "53", 2) ||
	    !strncmp(state, "57P", 3) || !strncmp(state, "58", 2)) {
		hh_log(HH_LOG_ERROR, "postgres: %s: %s (%s)", what, msg, state);
		return HH_ERR_IO;
	}
	hh_log_bug("postgres: %s: %s (%s)", what, msg, state);
	return HH_ERR_INTERNAL;
}

enum hh_rc hh_pg_map_error(PGconn *db, const PGresult *res, const char *what)
{
	return map_error(db, res, what);
}

/* A simple statement of our own (BEGIN, SAVEPOINT, ...). */
static enum hh_rc simple(struct pg_conn *c, const char *sql)
{
	int64_t t0 = hh_mono_us();
	PGresult *r = PQexec(c->db, sql);
	if (c->tx.store) /* pg-ops: for /metrics */
		hh_store_count_query(c->tx.store, hh_mono_us() - t0);
	enum hh_rc rc = HH_OK;
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = map_error(c->db, r, sql);
	PQclear(r);
	return rc;
}

/* ---- statements ---------------------------------------------------------- */

/* Runs the statement prepared as name on tx's connection; the time from
 * t0 counts as one query (/metrics). An error fails the transaction. */
static enum hh_rc exec_prepared(struct hh_tx *tx, const char *name,
				const char *sql, const struct pg_params *p,
				int64_t t0, PGresult **res)
{
	struct pg_conn *c = (struct pg_conn *)tx;
	PGresult *r = PQexecPrepared(c->db, name, p ? p->n : 0,
				     p ? p->v : NULL, p ? p->len : NULL,
				     p ? p->fmt : NULL, 0);
	hh_store_count_query(tx->store, hh_mono_us() - t0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		enum hh_rc rc = map_error(c->db, r, sql);
		PQclear(r);
		c->failed = rc;
		return rc;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return HH_OK;
}

enum hh_rc hh_pg_exec(struct hh_tx *tx, enum pg_stmt_id id, const char *sql,
		      const struct pg_params *p, PGresult **res)
{
	struct pg_conn *c = (struct pg_conn *)tx;
	char name[16];
	if (res)
		*res = NULL;
	if (c->failed)
		return c->failed;
	snprintf(name, sizeof(name), "h%d", (int)id);
	int64_t t0 = hh_mono_us(); /* pg-ops: for /metrics */
	if (!c->prepared[id]) {
		if (!sql) {
			hh_log_bug("postgres: statement %d has no SQL", (int)id);
			return HH_ERR_INTERNAL;
		}
		PGresult *pr = PQprepare(c->db, name, sql, 0, NULL);
		enum hh_rc rc = PQresultStatus(pr) == PGRES_COMMAND_OK
					? HH_OK
					: map_error(c->db, pr, sql);
		PQclear(pr);
		if (rc != HH_OK) {
			c->failed = rc;
			return rc;
		}
		c->prepared[id] = 1;
	}
	return exec_prepared(tx, name, sql, p, t0, res);
}

enum hh_rc hh_pg_exec_sql(struct hh_tx *tx, const char *sql,
			  const struct pg_params *p, PGresult **res)
{
	struct pg_conn *c = (struct pg_conn *)tx;
	if (res)
		*res = NULL;
	if (c->failed)
		return c->failed;
	int64_t t0 = hh_mono_us(); /* pg-ops: for /metrics */
	PGresult *r = PQexecParams(c->db, sql, p ? p->n : 0, NULL,
				   p ? p->v : NULL, p ? p->len : NULL,
				   p ? p->fmt : NULL, 0);
	hh_store_count_query(tx->store, hh_mono_us() - t0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		enum hh_rc rc = map_error(c->db, r, sql);
		PQclear(r);
		c->failed = rc;
		return rc;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return HH_OK;
}

/* FNV-1a: tells shapes apart before their texts are compared. */
static uint64_t shape_hash(const char *sql)
{
	uint64_t h = 14695981039346656037ull;
	for (const unsigned char *c = (const unsigned char *)sql; *c; c++)
		h = (h ^ *c) * 1099511628211ull;
	return h;
}

/* Forgets the shapes prepared on c (its session is gone, or closing). */
static void shapes_clear(struct pg_conn *c)
{
	for (int i = 0; i < c->n_shapes; i++)
		free(c->shapes[i]);
	c->n_shapes = 0;
}

enum hh_rc hh_pg_exec_shape(struct hh_tx *tx, const char *sql,
			    const struct pg_params *p, PGresult **res)
{
	struct pg_conn *c = (struct pg_conn *)tx;
	if (res)
		*res = NULL;
	if (c->failed)
		return c->failed;
	uint64_t h = shape_hash(sql);
	int i = 0;
	while (i < c->n_shapes &&
	       (c->shape_hash[i] != h || strcmp(c->shapes[i], sql)))
		i++;
	if (i == c->n_shapes) {
		if (i == PG_SHAPES)
			return hh_pg_exec_sql(tx, sql, p, res);
		char name[16];
		snprintf(name, sizeof(name), "s%d", i);
		int64_t t0 = hh_mono_us();
		PGresult *pr = PQprepare(c->db, name, sql, p ? p->n : 0, NULL);
		hh_store_count_query(tx->store, hh_mono_us() - t0);
		enum hh_rc rc = PQresultStatus(pr) == PGRES_COMMAND_OK
					? HH_OK
					: map_error(c->db, pr, sql);
		PQclear(pr);
		if (rc != HH_OK)
			return c->failed = rc;
		c->shapes[i] = hh_xstrdup(sql);
		c->shape_hash[i] = h;
		c->n_shapes++;
	}
	char name[16];
	snprintf(name, sizeof(name), "s%d", i);
	return exec_prepared(tx, name, sql, p, hh_mono_us(), res);
}

enum hh_rc hh_pg_exec_guarded(struct hh_tx *tx, enum pg_stmt_id id,
			      const char *sql, const struct pg_params *p,
			      PGresult **res)
{
	struct pg_conn *c = (struct pg_conn *)tx;
	if (c->failed)
		return c->failed;
	enum hh_rc rc = simple(c, "SAVEPOINT hh_guard");
	if (rc != HH_OK)
		return c->failed = rc;
	rc = hh_pg_exec(tx, id, sql, p, res);
	if (rc != HH_OK) {
		/* only a constraint leaves the transaction to go on */
		if (rc != HH_ERR_CONFLICT)
			return rc;
		c->failed = HH_OK;
		enum hh_rc rb = simple(c, "ROLLBACK TO SAVEPOINT hh_guard");
		if (rb != HH_OK)
			return c->failed = rb;
	}
	enum hh_rc rel = simple(c, "RELEASE SAVEPOINT hh_guard");
	if (rel != HH_OK) {
		if (res && *res) {
			PQclear(*res);
			*res = NULL;
		}
		return c->failed = rel;
	}
	return rc;
}

enum hh_rc hh_pg_int64(struct hh_tx *tx, enum pg_stmt_id id, const char *sql,
		       const struct pg_params *p, int64_t *out)
{
	PGresult *r;
	enum hh_rc rc = hh_pg_exec(tx, id, sql, p, &r);
	if (rc != HH_OK)
		return rc;
	if (PQntuples(r) > 0)
		*out = g_int(r, 0, 0);
	else
		rc = HH_ERR_NOT_FOUND;
	PQclear(r);
	return rc;
}

enum hh_rc hh_pg_changed(struct hh_tx *tx, enum pg_stmt_id id, const char *sql,
			 const struct pg_params *p, int64_t *changed)
{
	PGresult *r;
	*changed = 0;
	enum hh_rc rc = hh_pg_exec(tx, id, sql, p, &r);
	if (rc != HH_OK)
		return rc;
	*changed = pg_changes(r);
	PQclear(r);
	return HH_OK;
}

/* ---- pool and transactions ------------------------------------------------ */

PGconn *hh_pg_connect(const struct pg *s, const char *application_name,
		      int keepalives)
{
	/* Ours first: the address's own settings (expanded from dbname)
	 * override them. A server that does not answer fails the connect
	 * after connect_timeout instead of holding a request for the
	 * system's TCP timeout (minutes). The listener waits on its
	 * connection for hours, so it has keepalives that notice a server
	 * gone silent (pg-multi); the pool's and the journal serial's
	 * connections have them too (review of pg-serial): a server gone
	 * silent in the middle of a statement (a failover without a reset)
	 * fails the statement after tcp_user_timeout, 20 s, instead of
	 * holding the request, and the serial's lock, for minutes. */
	const char *keys[] = { "connect_timeout", "application_name",
			       "keepalives_idle", "keepalives_interval",
			       "keepalives_count", "tcp_user_timeout",
			       "dbname", NULL };
	const char *vals[] = { "5", application_name, "10", "5", "3", "20000",
			       s->url, NULL };
	if (!keepalives) {
		keys[2] = "dbname";
		vals[2] = s->url;
		keys[3] = vals[3] = NULL;
	}
	return PQconnectdbParams(keys, vals, 1);
}

/* The client side of what the migrations and the SQL assume, then extra
 * (more SET statements, each ending in "; ", or ""); pg-multi:
 * helhed.instance names this instance in the change notices its writes
 * send (migrations-pg/0029_change_notify.sql).
 *
 * pg-ssi: the planner's page costs. Every transaction is SERIALIZABLE,
 * and a sequential scan takes a predicate lock on the whole table, so
 * every concurrent writer to that table is a read/write dependency; an
 * index scan locks only the leaf pages and rows it read. With the
 * default costs (random_page_cost 4, cpu_tuple_cost 0.01) the planner
 * read a table of up to about 4 pages (100 cases) by sequential scan
 * even for a look-up by primary key, and a connection's cached generic
 * plan kept that choice after the table had grown: concurrent
 * submissions on a young database failed each other (docs/postgres.md,
 * "Read/write dependencies between submissions"). 1.1 and 0.03 make the
 * index the cheaper path from 2 pages on (30 rows of cases), and the
 * read-back of a case just inserted by its row's address (case_get) a
 * TID scan on a table of any size, while scans of whole large tables
 * stay sequential; the pages of a database of helhed's size are in
 * memory or on SSD, where a random read costs about what a sequential
 * one does. Set here, so they hold whatever postgresql.conf says. */
enum hh_rc hh_pg_session_setup(const struct pg *s, PGconn *db,
			       const char *extra)
{
	char setup[1024];
	snprintf(setup, sizeof(setup),
		 "%sSET client_encoding = 'UTF8'; "
		 "SET standard_conforming_strings = on; "
		 "SET TIME ZONE 'UTC'; "
		 "SET client_min_messages = warning; "
		 "SET random_page_cost = 1.1; "
		 "SET cpu_tuple_cost = 0.03; "
		 "SET helhed.instance = '%s'",
		 extra, s->instance);
	PGresult *r = PQexec(db, setup);
	enum hh_rc rc = PQresultStatus(r) == PGRES_COMMAND_OK
				? HH_OK
				: map_error(db, r, "set up");
	PQclear(r);
	return rc;
}

static enum hh_rc conn_open(struct pg *s, struct pg_conn *c)
{
	if (c->db && PQstatus(c->db) == CONNECTION_OK)
		return HH_OK;
	if (c->db) {
		/* lost (a restart of the server): a new session, set up
		 * again below; prepared statements went with the old one
		 * (PQreset would keep none of the session's settings) */
		PQfinish(c->db);
		c->db = NULL;
	}
	c->db = hh_pg_connect(s, "helhed", 1);
	memset(c->prepared, 0, sizeof(c->prepared));
	shapes_clear(c);
	if (PQstatus(c->db) != CONNECTION_OK) {
		hh_log(HH_LOG_ERROR, "postgres: cannot connect: %s",
		       PQerrorMessage(c->db));
		PQfinish(c->db);
		c->db = NULL;
		return HH_ERR_IO;
	}
	enum hh_rc rc = hh_pg_session_setup(s, c->db, "");
	c->tx.store = &s->store;
	return rc;
}

static void give_back(struct pg *s, struct pg_conn *c)
{
	pthread_mutex_lock(&s->lock);
	c->in_use = 0;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
	hh_store_count_give(&s->store); /* pg-ops */
}

static enum hh_rc tx_begin(void *cls, int write, struct hh_tx **out)
{
	struct pg *s = cls;
	struct pg_conn *c = NULL;
	int64_t wait_from = 0; /* pg-ops: waits for /metrics */
	pthread_mutex_lock(&s->lock);
	for (;;) {
		/* one already connected first, so a small load uses few */
		for (int i = 0; i < s->n_conns && !c; i++)
			if (!s->conns[i].in_use && s->conns[i].db)
				c = &s->conns[i];
		for (int i = 0; i < s->n_conns && !c; i++)
			if (!s->conns[i].in_use)
				c = &s->conns[i];
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
	c->new_case_id = 0;
	c->failed = HH_OK;
	enum hh_rc rc = hh_pg_fault(s);
	/* pg-skip: PG_TX_READ_COMMITTED for the claims (postgres_int.h) */
	const char *begin = write == PG_TX_READ_COMMITTED
				    ? "BEGIN ISOLATION LEVEL READ COMMITTED"
				    : "BEGIN ISOLATION LEVEL SERIALIZABLE";
	if (rc == HH_OK)
		rc = conn_open(s, c);
	if (rc == HH_OK)
		rc = simple(c, begin);
	/* pg-multi: a connection the server dropped (a restart) still
	 * looks open until it is used; BEGIN found out, and nothing was
	 * done in the transaction yet, so connect again once here instead
	 * of failing one request for each connection of the pool */
	if (rc == HH_ERR_IO && c->db && PQstatus(c->db) != CONNECTION_OK) {
		rc = conn_open(s, c);
		if (rc == HH_OK)
			rc = simple(c, begin);
	}
	if (rc != HH_OK) {
		give_back(s, c);
		return rc;
	}
	*out = &c->tx;
	return HH_OK;
}

static void release(struct hh_tx *tx)
{
	struct pg *s = pg_of(tx);
	struct pg_conn *c = (struct pg_conn *)tx;
	/* after COMMIT or ROLLBACK: what hh_store_org_by_code kept before
	 * is no longer used */
	if (c->orgs_written)
		atomic_fetch_add(&s->store.orgs_version, 1);
	c->orgs_written = 0;
	c->failed = HH_OK;
	give_back(s, c);
}

static void tx_rollback(struct hh_tx *tx)
{
	struct pg_conn *c = (struct pg_conn *)tx;
	if (c->db && PQtransactionStatus(c->db) != PQTRANS_IDLE)
		simple(c, "ROLLBACK");
	release(tx);
}

static enum hh_rc tx_commit(struct hh_tx *tx)
{
	struct pg_conn *c = (struct pg_conn *)tx;
	enum hh_rc rc = hh_pg_fault(pg_of(tx));
	if (rc == HH_OK && c->failed)
		rc = c->failed; /* PostgreSQL would roll it back anyway */
	if (rc == HH_OK) {
		int64_t t0 = hh_mono_us(); /* pg-ops: for /metrics */
		PGresult *r = PQexec(c->db, "COMMIT");
		hh_store_count_query(tx->store, hh_mono_us() - t0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = map_error(c->db, r, "COMMIT");
		else if (strcmp(PQcmdStatus(r), "COMMIT"))
			rc = HH_ERR_INTERNAL; /* it was rolled back */
		PQclear(r);
	}
	if (rc != HH_OK) {
		tx_rollback(tx);
		return rc;
	}
	release(tx);
	return HH_OK;
}

/* ---- migrations ---------------------------------------------------------- */

static int latest_version(void)
{
	int n = 0;
	while (hh_pg_migrations[n])
		n++;
	return n;
}

/* Two statements: a single one naming helhed_schema inside a CASE fails
 * at planning when the table is not there yet. */
enum hh_rc hh_pg_schema_version(PGconn *db, int *version)
{
	PGresult *r = PQexec(db, "SELECT to_regclass('helhed_schema') IS NULL");
	enum hh_rc rc = HH_OK;
	*version = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		rc = map_error(db, r, "schema version");
	else if (PQgetvalue(r, 0, 0)[0] == 'f') {
		PQclear(r);
		r = PQexec(db, "SELECT coalesce(max(version), 0) FROM helhed_schema");
		if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
			rc = map_error(db, r, "schema version");
		else
			*version = (int)g_int(r, 0, 0);
	}
	PQclear(r);
	return rc;
}

/* A connection of the pool outside any transaction, taken for a while. */
static enum hh_rc take_conn(struct pg *s, struct pg_conn **out)
{
	struct hh_tx *tx;
	enum hh_rc rc = tx_begin(s, 0, &tx);
	if (rc != HH_OK)
		return rc;
	struct pg_conn *c = (struct pg_conn *)tx;
	simple(c, "ROLLBACK");
	*out = c;
	return HH_OK;
}

static enum hh_rc schema_version(void *cls, int *current, int *latest)
{
	struct pg *s = cls;
	struct pg_conn *c;
	enum hh_rc rc = take_conn(s, &c);
	if (rc != HH_OK)
		return rc;
	rc = hh_pg_schema_version(c->db, current);
	*latest = latest_version();
	give_back(s, c);
	return rc;
}

static enum hh_rc migrate_locked(struct pg_conn *c, int *applied)
{
	int current = 0, latest = latest_version();
	enum hh_rc rc = simple(c, "CREATE TABLE IF NOT EXISTS helhed_schema ("
				  "version integer PRIMARY KEY, "
				  "applied_at timestamptz NOT NULL DEFAULT now())");
	if (rc == HH_OK)
		rc = hh_pg_schema_version(c->db, &current);
	if (rc != HH_OK)
		return rc;
	if (current > latest) {
		hh_log(HH_LOG_ERROR,
		       "database schema %d is newer than this helhed (%d)",
		       current, latest);
		return HH_ERR_INVALID;
	}
	/* Each migration in its own transaction with its version row, so
	 * a crash leaves a consistent version; the advisory lock keeps a
	 * second instance waiting until this one has finished, and it then
	 * finds nothing left to do. */
	for (int v = current; v < latest; v++) {
		rc = simple(c, "BEGIN");
		if (rc != HH_OK)
			return rc;
		PGresult *r = PQexec(c->db, hh_pg_migrations[v]);
		if (PQresultStatus(r) != PGRES_COMMAND_OK &&
		    PQresultStatus(r) != PGRES_TUPLES_OK) {
			hh_log(HH_LOG_ERROR, "migration %d failed: %s", v + 1,
			       PQresultErrorMessage(r));
			PQclear(r);
			simple(c, "ROLLBACK");
			return HH_ERR_INTERNAL;
		}
		PQclear(r);
		char sql[96];
		snprintf(sql, sizeof(sql),
			 "INSERT INTO helhed_schema(version) VALUES (%d)", v + 1);
		rc = simple(c, sql);
		if (rc == HH_OK)
			rc = simple(c, "COMMIT");
		if (rc != HH_OK) {
			simple(c, "ROLLBACK");
			return rc;
		}
		(*applied)++;
	}
	return HH_OK;
}

static enum hh_rc migrate(void *cls, int *applied)
{
	struct pg *s = cls;
	struct pg_conn *c;
	int n = 0;
	enum hh_rc rc = take_conn(s, &c);
	if (rc != HH_OK)
		return rc;
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT pg_advisory_lock(%d)",
		 HH_PG_MIGRATE_LOCK_KEY);
	rc = simple(c, sql);
	if (rc == HH_OK) {
		rc = migrate_locked(c, &n);
		snprintf(sql, sizeof(sql), "SELECT pg_advisory_unlock(%d)",
			 HH_PG_MIGRATE_LOCK_KEY);
		simple(c, sql);
	}
	/* the schema changed under statements prepared before: forget them
	 * on the server as well, or preparing one again on this connection
	 * fails with 42P05 (pg-suites: hh_health_migrate on a store in use) */
	if (simple(c, "DEALLOCATE ALL") == HH_OK)
		memset(c->prepared, 0, sizeof(c->prepared));
	give_back(s, c);
	if (applied)
		*applied = n;
	return rc;
}

/* ---- open/close ---------------------------------------------------------- */

static void pg_close(void *cls)
{
	struct pg *s = cls;
	hh_pg_follow_free(s); /* pg-multi: it uses the pool */
	hh_pg_serial_free(s); /* pg-serial */
	for (int i = 0; i < s->n_conns; i++) {
		if (s->conns[i].db)
			PQfinish(s->conns[i].db);
		shapes_clear(&s->conns[i]);
	}
	free(s->conns);
	free(s->url);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->freed);
	free(s);
}

int hh_store_is_postgres(const char *address)
{
	return address && (!strncmp(address, "postgresql://", 13) ||
			   !strncmp(address, "postgres://", 11));
}

enum hh_rc hh_store_open_postgres(const char *url, int pool_size,
				  struct hh_store **out)
{
	struct pg *s = hh_xcalloc(1, sizeof(*s));
	if (pool_size < 1)
		pool_size = 1;
	s->url = hh_xstrdup(url);
	/* pg-multi: a name no other instance has */
	unsigned char rnd[16];
	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		abort(); /* the kernel has no randomness: nothing else works */
	for (size_t i = 0; i < sizeof(rnd); i++)
		snprintf(s->instance + 2 * i, 3, "%02x", rnd[i]);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	hh_pg_serial_init(s); /* pg-serial */
	s->conns = hh_xcalloc((size_t)pool_size, sizeof(*s->conns));
	s->n_conns = pool_size;
	struct hh_store *st = &s->store;
	hh_store_init_common(st);
	st->counters.pool_size = pool_size; /* pg-ops */
	st->cls = s;
	st->name = "postgres";
	/* 1 + 2 + ... + 64 + 6 * 64 ms, about 0.5 s in all: three instances'
	 * submissions ran out of 8 attempts (0.1 %) on read/write
	 * dependencies between them (docs/postgres.md) */
	st->busy_attempts = 14;
	st->close = pg_close;
	st->migrate = migrate;
	st->schema_version = schema_version;
	st->tx_begin = tx_begin;
	st->tx_commit = tx_commit;
	st->tx_rollback = tx_rollback;
	hh_pg_fill_not_ported(st);
	hh_pg_fill_orgs(st);
	hh_pg_fill_articles(st);
	hh_pg_fill_cases(st);
	hh_pg_fill_inquiries(st);
	hh_pg_fill_appointments(st);
	hh_pg_fill_letters(st);
	hh_pg_fill_chat(st);
	hh_pg_fill_feedback(st);
	/* pg-port */
	hh_pg_fill_proposals(st);
	hh_pg_fill_search_tuning(st);
	hh_pg_fill_figures(st);
	hh_pg_fill_kle(st); /* kle (issue 15) */
	hh_pg_fill_external(st); /* x-ext: external cases */
	hh_pg_fill_webhooks(st); /* x-hooks */
	hh_pg_fill_parties(st); /* p-parties (issue 16) */
	hh_pg_fill_agreements(st); /* p-agree (issue 16) */
	for (int i = 0; i < pool_size; i++)
		s->conns[i].tx.store = st;
	/* one connection now, so that a wrong address fails at start */
	enum hh_rc rc = conn_open(s, &s->conns[0]);
	if (rc != HH_OK) {
		pg_close(s);
		return rc;
	}
	*out = st;
	return HH_OK;
}
