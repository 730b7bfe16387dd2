/* pg_suite_fixture.h - the domain and API suites on PostgreSQL
 * (pg-suites, issue 14): the database that belongs to a test folder.
 *
 * testutil.h includes this header; tu_store and tu_rmdir call it when
 * HELHED_TEST_BACKEND=postgres. The server is pgt_url()'s
 * (tests/store/pg_fixture.h): HELHED_TEST_PG, else a cluster of this
 * process's own. */
#ifndef HH_PG_SUITE_FIXTURE_H
#define HH_PG_SUITE_FIXTURE_H

/* pg_fixture.h is written for the one binary that uses all of it
 * (test_store_pg); the others use a part */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "store/pg_fixture.h"
#pragma GCC diagnostic pop

/* 1 when the domain and API suites run on PostgreSQL
 * (HELHED_TEST_BACKEND=postgres). */
static inline int pgt_suites_on(void)
{
	const char *b = getenv("HELHED_TEST_BACKEND");
	return b && !strcmp(b, "postgres");
}

/* With HELHED_TEST_BACKEND=postgres, tu_store(dir) (testutil.h) opens the
 * store of test folder dir on a database of its own on the server of
 * pgt_url() (scripts/run-tests.sh starts one without durability for
 * these suites). The same dir gives the same database while the folder
 * lives (a test that closes and reopens its store finds its rows);
 * tu_rmdir(dir) gives the database back, and the next new folder of this
 * process gets it emptied (pg_fixture.h's pgt_reset_sql, from the rows
 * pgt_seed_sql saved in the template) rather than a new copy: on
 * PostgreSQL 15 a CREATE DATABASE costs ~50 ms of server CPU, a DROP a
 * checkpoint, emptying the tables ~11 ms. The first database of a process
 * is a copy of one migrated template per server (helhed_suites), made
 * once under an advisory lock by whichever process comes first. The
 * process drops its databases at exit. */

struct pgt_suite_db {
	char *dir;     /* the folder it belongs to (new), NULL when free */
	char name[64];
	char *url;     /* new */
};
static struct pgt_suite_db *pgt_suite_dbs;
static size_t pgt_suite_n;
static pid_t pgt_suite_pid;

/* One connection to address; fails the test when there is none. */
static inline PGconn *pgt_connect(const char *address)
{
	PGconn *c = PQconnectdb(address);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("pg_fixture: %s", PQerrorMessage(c));
	return c;
}

/* Runs sql (one or more statements) on c; fails the test on error. */
static inline void pgt_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK &&
	    PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("pg_fixture: %.200s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
}

/* The server's migrated template for the suites (made once per server). */
static inline const char *pgt_suite_template(void)
{
	static const char name[] = "helhed_suites";
	static int made;
	if (made)
		return name;
	PGconn *c = pgt_connect(pgt_base);
	/* one process makes it; the others wait here, then find it */
	pgt_exec(c, "SELECT pg_advisory_lock(1751675765)"); /* "hhsu" */
	PGresult *r = PQexec(c, "SELECT 1 FROM pg_database "
				"WHERE datname = 'helhed_suites'");
	int there = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
	PQclear(r);
	if (!there) {
		pgt_exec(c, "CREATE DATABASE helhed_suites");
		char *url = pgt_url_db(pgt_base, name);
		struct hh_store *st;
		assert_int_equal(hh_store_open_postgres(url, 1, &st), HH_OK);
		assert_int_equal(st->migrate(st->cls, NULL), HH_OK);
		hh_store_close(st);
		/* what pgt_reset_sql puts back (pg_fixture.h) */
		PGconn *t = pgt_connect(url);
		pgt_exec(t, pgt_seed_sql);
		PQfinish(t);
		free(url);
	}
	pgt_exec(c, "SELECT pg_advisory_unlock(1751675765)");
	PQfinish(c);
	made = 1;
	return name;
}

/* At exit: drops this process's databases (not in a child that forked
 * and exits, nor when the whole cluster goes with us). */
static inline void pgt_suite_drop_all(void)
{
	if (getpid() != pgt_suite_pid || pgt_cluster || !pgt_base)
		return;
	PGconn *c = PQconnectdb(pgt_base);
	for (size_t i = 0; i < pgt_suite_n; i++) {
		char sql[160];
		snprintf(sql, sizeof(sql),
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)",
			 pgt_suite_dbs[i].name);
		PQclear(PQexec(c, sql));
	}
	PQfinish(c);
}

/* The address of dir's database (borrowed; lives as long as the
 * process): the one dir has, else a free one emptied, else a new copy of
 * the template. Starts a cluster first if there is no server yet. */
static inline const char *pgt_suite_db(const char *dir)
{
	if (!pgt_url())
		fail_msg("HELHED_TEST_BACKEND=postgres, but the PostgreSQL 15 "
			 "binaries are not installed");
	struct pgt_suite_db *free_db = NULL;
	for (size_t i = 0; i < pgt_suite_n; i++) {
		struct pgt_suite_db *d = &pgt_suite_dbs[i];
		if (d->dir && !strcmp(d->dir, dir))
			return d->url;
		if (!d->dir && !free_db)
			free_db = d;
	}
	if (free_db) {
		PGconn *c = pgt_connect(free_db->url);
		pgt_exec(c, pgt_reset_sql);
		PQfinish(c);
		free_db->dir = hh_xstrdup(dir);
		return free_db->url;
	}
	/* made whole before it is listed: a failure here leaves no half
	 * entry behind for the next test */
	static int seq;
	struct pgt_suite_db d = { 0 };
	snprintf(d.name, sizeof(d.name), "s_%ld_%d", (long)getpid(), ++seq);
	char sql[256];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE %s", d.name,
		 pgt_suite_template());
	pgt_admin(sql);
	d.url = pgt_url_db(pgt_base, d.name);
	d.dir = hh_xstrdup(dir);
	if (!pgt_suite_n) {
		pgt_suite_pid = getpid();
		atexit(pgt_suite_drop_all);
	}
	pgt_suite_dbs = hh_xrealloc(pgt_suite_dbs, (pgt_suite_n + 1) *
						   sizeof(*pgt_suite_dbs));
	pgt_suite_dbs[pgt_suite_n++] = d;
	return pgt_suite_dbs[pgt_suite_n - 1].url;
}

/* tu_rmdir(dir): dir's database is free for the next folder. */
static inline void pgt_suite_release(const char *dir)
{
	for (size_t i = 0; i < pgt_suite_n; i++) {
		struct pgt_suite_db *d = &pgt_suite_dbs[i];
		if (d->dir && !strcmp(d->dir, dir)) {
			free(d->dir);
			d->dir = NULL;
		}
	}
}

#endif
