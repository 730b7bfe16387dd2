/* pg_fixture.h - a PostgreSQL server for the tests (pg-base, issue 14).
 *
 * pgt_url() gives the address of a server: HELHED_TEST_PG when the
 * runner started one (scripts/run-tests.sh), else a throwaway cluster
 * this process starts with tests/pg/cluster.sh and stops at exit. NULL
 * when the PostgreSQL 15 binaries are not installed (the caller skips,
 * saying so).
 *
 * Each test gets a database of its own by name (pgt_db): the same name,
 * the same database (two instances of one test). pg-port: a database
 * given back (pgt_release) is reused for the next name, emptied back to
 * the state right after the migrations (every row deleted, the rows the
 * migrations wrote put back, every sequence where it was), which takes a
 * few milliseconds where a CREATE DATABASE from the migrated template
 * with fsync on takes a second or more. So a process makes about as many
 * databases as it has open at once, not one per test. */
/* testutil.h first: it includes this file itself (through
 * pg_suite_fixture.h), which must then be read whole, not stopped
 * half-way by the guard below. */
#include "testutil.h"

#ifndef HH_PG_FIXTURE_H
#define HH_PG_FIXTURE_H

#include <libpq-fe.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/postgres.h"

static char *pgt_base;    /* the server's address (postgres database) */
static char *pgt_cluster; /* the folder of the cluster we started */
static char pgt_template[64];
static pid_t pgt_cluster_pid; /* pg-suites: the process that started it */

static void pgt_stop(void)
{
	/* pg-suites: not from a child that forked and exits */
	if (!pgt_cluster || getpid() != pgt_cluster_pid)
		return;
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), "tests/pg/cluster.sh stop '%s/pg'",
		 pgt_cluster);
	if (system(cmd) != 0)
		fprintf(stderr, "pg_fixture: could not stop %s\n", pgt_cluster);
	rmdir(pgt_cluster);
	free(pgt_cluster);
	pgt_cluster = NULL;
}

static void pgt_on_signal(int sig)
{
	pgt_stop();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* address with dbname set to db (new). */
static char *pgt_url_db(const char *address, const char *db)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s%cdbname=%s", address,
		 strchr(address, '?') ? '&' : '?', db);
	return hh_xstrdup(buf);
}

/* Runs sql on the server's postgres database; fails the test on error. */
static void pgt_admin(const char *sql)
{
	PGconn *c = PQconnectdb(pgt_base);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("pg_fixture: %s", PQerrorMessage(c));
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("pg_fixture: %s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

/* One integer from sql on database address (committed data only). */
static int64_t pgt_int(const char *address, const char *sql)
{
	PGconn *c = PQconnectdb(address);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("pg_fixture: %s", PQerrorMessage(c));
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
		fail_msg("pg_fixture: %s: %s", sql, PQresultErrorMessage(r));
	int64_t v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	PQfinish(c);
	return v;
}

static const char *pgt_url(void)
{
	if (pgt_base)
		return pgt_base;
	const char *env = getenv("HELHED_TEST_PG");
	if (env && *env) {
		pgt_base = hh_xstrdup(env);
		return pgt_base;
	}
	if (system("tests/pg/cluster.sh check") != 0)
		return NULL;
	pgt_cluster = tu_tmpdir();
	char cmd[4400];
	/* pg-suites: a domain or API suite alone on PostgreSQL
	 * (HELHED_TEST_BACKEND=postgres) starts its cluster without
	 * durability, as scripts/run-tests.sh does for those suites */
	const char *be = getenv("HELHED_TEST_BACKEND");
	snprintf(cmd, sizeof(cmd), "tests/pg/cluster.sh start %s'%s/pg'",
		 be && !strcmp(be, "postgres") ? "--no-sync " : "", pgt_cluster);
	FILE *p = popen(cmd, "r");
	char line[512] = "";
	if (!p || !fgets(line, sizeof(line), p)) {
		if (p)
			pclose(p);
		fail_msg("pg_fixture: %s gave no address", cmd);
	}
	if (pclose(p) != 0)
		fail_msg("pg_fixture: %s failed", cmd);
	line[strcspn(line, "\n")] = 0;
	pgt_base = hh_xstrdup(line);
	pgt_cluster_pid = getpid();
	atexit(pgt_stop);
	signal(SIGINT, pgt_on_signal);
	signal(SIGTERM, pgt_on_signal);
	signal(SIGABRT, pgt_on_signal);
	signal(SIGSEGV, pgt_on_signal);
	return pgt_base;
}

/* What pgt_reset puts back, saved in the template right after the
 * migrations: the rows they wrote (a copy of each table that has any, in
 * schema pgt_seed) and where each sequence stood. The schema is not
 * public, so the tables and columns compared with SQLite are the same. */
static const char pgt_seed_sql[] =
	"CREATE SCHEMA pgt_seed; "
	"CREATE TABLE pgt_seed.pgt_sequences AS SELECT sequencename, "
	"last_value FROM pg_sequences WHERE schemaname = 'public'; "
	"DO $$ DECLARE r record; n bigint; BEGIN "
	"FOR r IN SELECT relname FROM pg_class WHERE relnamespace = "
	"'public'::regnamespace AND relkind = 'r' AND relname <> "
	"'helhed_schema' LOOP "
	"EXECUTE format('SELECT count(*) FROM public.%I', r.relname) INTO n; "
	"IF n > 0 THEN EXECUTE format('CREATE TABLE pgt_seed.%I AS "
	"SELECT * FROM public.%I', r.relname, r.relname); END IF; "
	"END LOOP; END $$";

/* Empties a database made from the template back to the template's
 * state: one transaction, one round trip. DELETE, not TRUNCATE: on these
 * small tables it is a hundred times cheaper (TRUNCATE makes new files
 * for every table and index). session_replication_role = replica lets it
 * past the append-only triggers and the foreign keys, as TRUNCATE would
 * (the test cluster's user is a superuser). */
static const char pgt_reset_sql[] =
	"BEGIN; SET LOCAL session_replication_role = replica; "
	"DO $$ DECLARE r record; BEGIN "
	"FOR r IN SELECT relname FROM pg_class WHERE relnamespace = "
	"'public'::regnamespace AND relkind = 'r' AND relname <> "
	"'helhed_schema' LOOP "
	"EXECUTE format('DELETE FROM public.%I', r.relname); END LOOP; "
	"FOR r IN SELECT relname FROM pg_class WHERE relnamespace = "
	"'pgt_seed'::regnamespace AND relkind = 'r' AND relname <> "
	"'pgt_sequences' LOOP "
	"EXECUTE format('INSERT INTO public.%I SELECT * FROM pgt_seed.%I', "
	"r.relname, r.relname); END LOOP; "
	"FOR r IN SELECT s.sequencename, s.start_value, t.last_value FROM "
	"pg_sequences s JOIN pgt_seed.pgt_sequences t USING (sequencename) "
	"WHERE s.schemaname = 'public' AND s.last_value IS DISTINCT FROM "
	"t.last_value LOOP "
	"PERFORM setval(format('public.%I', r.sequencename), "
	"coalesce(r.last_value, r.start_value), r.last_value IS NOT NULL); "
	"END LOOP; END $$; COMMIT";

/* The name of this process's migrated template database (made once). */
static const char *pgt_template_db(void)
{
	if (pgt_template[0])
		return pgt_template;
	snprintf(pgt_template, sizeof(pgt_template), "tmpl_%ld",
		 (long)getpid());
	char sql[256];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pgt_template);
	pgt_admin(sql);
	char *url = pgt_url_db(pgt_base, pgt_template);
	struct hh_store *st;
	assert_int_equal(hh_store_open_postgres(url, 1, &st), HH_OK);
	assert_int_equal(st->migrate(st->cls, NULL), HH_OK);
	hh_store_close(st);
	PGconn *c = PQconnectdb(url);
	PGresult *r = PQexec(c, pgt_seed_sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("pg_fixture: seed: %s", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	free(url);
	return pgt_template;
}

/* The databases this process made from the template: each has the name
 * of the test database it holds now (pgt_db's db) and how many users
 * took it and have not given it back; one nobody holds is reused. */
struct pgt_work {
	char db[64];   /* the database's own name */
	char name[64]; /* the test's name for it */
	int held;
	PGconn *admin; /* kept for resets, NULL until the first */
};
static struct pgt_work *pgt_works;
static int pgt_n_works;
/* Names whose database went to another name since: asked for again,
 * they would find it emptied, so that fails the test instead. */
static char (*pgt_gone)[64];
static int pgt_n_gone;

/* Empties w back to the template's state. */
static void pgt_reset(struct pgt_work *w)
{
	if (!w->admin) {
		char *url = pgt_url_db(pgt_base, w->db);
		w->admin = PQconnectdb(url);
		free(url);
		if (PQstatus(w->admin) != CONNECTION_OK)
			fail_msg("pg_fixture: %s", PQerrorMessage(w->admin));
	}
	PGresult *r = PQexec(w->admin, pgt_reset_sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("pg_fixture: reset %s: %s", w->db,
			 PQresultErrorMessage(r));
	PQclear(r);
}

/* The address of test database db, taken (give it back with
 * pgt_release when every store on it is closed): the same database
 * while db is held, or the last one given back if nothing took it
 * since; else one given back by another test, emptied; else a new copy
 * of the template. Returns new. */
static char *pgt_db(const char *db)
{
	const char *tmpl = pgt_template_db();
	struct pgt_work *w = NULL;
	for (int i = 0; i < pgt_n_works && !w; i++)
		if (!strcmp(pgt_works[i].name, db))
			w = &pgt_works[i];
	for (int i = 0; i < pgt_n_gone && !w; i++)
		if (!strcmp(pgt_gone[i], db))
			fail_msg("pg_fixture: the database of %s was given "
				 "back and reused; hold it (pgt_db) while "
				 "the test needs it",
				 db);
	for (int i = 0; i < pgt_n_works && !w; i++) {
		if (pgt_works[i].held)
			continue;
		w = &pgt_works[i];
		pgt_gone = hh_xrealloc(pgt_gone, (size_t)(pgt_n_gone + 1) *
							 sizeof(*pgt_gone));
		snprintf(pgt_gone[pgt_n_gone++], sizeof(*pgt_gone), "%s",
			 w->name);
		pgt_reset(w);
		snprintf(w->name, sizeof(w->name), "%s", db);
	}
	if (!w) {
		pgt_works = hh_xrealloc(pgt_works, (size_t)(pgt_n_works + 1) *
							   sizeof(*pgt_works));
		w = &pgt_works[pgt_n_works++];
		memset(w, 0, sizeof(*w));
		snprintf(w->db, sizeof(w->db), "w_%ld_%d", (long)getpid(),
			 pgt_n_works);
		snprintf(w->name, sizeof(w->name), "%s", db);
		char sql[512];
		snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\" TEMPLATE %s",
			 w->db, tmpl);
		pgt_admin(sql);
	}
	w->held++;
	return pgt_url_db(pgt_base, w->db);
}

/* Gives back test database db taken with pgt_db (once per pgt_db). */
static void pgt_release(const char *db)
{
	for (int i = 0; i < pgt_n_works; i++) {
		if (strcmp(pgt_works[i].name, db))
			continue;
		assert_true(pgt_works[i].held > 0);
		pgt_works[i].held--;
		return;
	}
	fail_msg("pg_fixture: %s was not taken", db);
}

/* An empty database (no migration applied); returns its address (new). */
static char *pgt_empty_db(const char *prefix)
{
	static int seq;
	char db[64], sql[128];
	snprintf(db, sizeof(db), "%s_%ld_%d", prefix, (long)getpid(), ++seq);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	pgt_admin(sql);
	return pgt_url_db(pgt_base, db);
}

/* A database name for folder dir: the same dir, the same database. */
static void pgt_name_for(const char *dir, char *out, size_t size)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const char *p = dir; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	snprintf(out, size, "t_%016llx", (unsigned long long)h);
}

#endif
