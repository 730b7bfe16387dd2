/* pg_fixture.h - a PostgreSQL server for the tests (pg-base, issue 14).
 *
 * pgt_url() gives the address of a server: HELHED_TEST_PG when the
 * runner started one (scripts/run-tests.sh), else a throwaway cluster
 * this process starts with tests/pg/cluster.sh and stops at exit. NULL
 * when the PostgreSQL 15 binaries are not installed (the caller skips,
 * saying so). Each test gets a database of its own made from a migrated
 * template (pgt_db), so a case costs a CREATE DATABASE, not 25
 * migrations. */
#ifndef HH_PG_FIXTURE_H
#define HH_PG_FIXTURE_H

#include <libpq-fe.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/postgres.h"
#include "testutil.h"

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
	free(url);
	return pgt_template;
}

/* The address of database db (made from the template when it is not
 * there yet). Returns new. */
static char *pgt_db(const char *db)
{
	const char *tmpl = pgt_template_db();
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM pg_database WHERE datname = '%s'", db);
	if (pgt_int(pgt_base, sql) == 0) {
		snprintf(sql, sizeof(sql), "CREATE DATABASE \"%s\" TEMPLATE %s",
			 db, tmpl);
		pgt_admin(sql);
	}
	return pgt_url_db(pgt_base, db);
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
