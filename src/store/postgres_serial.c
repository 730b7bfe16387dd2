/* postgres_serial.c - journal serials outside the submission's
 * transaction (pg-serial, issue 14).
 *
 * A journal number's serial is one row per organisation and year in
 * journal_serials. Taken inside a submission's SERIALIZABLE transaction,
 * that row is written by every submission of the organisation, and
 * PostgreSQL lets only the first of concurrent writers of one row go on:
 * the others fail with 40001 when it commits, and retried together they
 * collide again, until hh_store_run_tx gives up and a citizen gets 503
 * (docs/postgres.md, "Measured"). So on PostgreSQL the serial is taken
 * on a connection of its own, in a transaction of its own that commits
 * at once: under READ COMMITTED, INSERT ... ON CONFLICT DO UPDATE waits
 * for the row's lock and then updates the newest version, and never
 * fails for concurrency. The row is locked for one statement, not for
 * a submission.
 *
 * What this gives up: the serial is committed before the submission is,
 * so a submission that rolls back (or is retried) leaves a gap in its
 * organisation's numbers. Numbers stay unique and increasing per
 * organisation and year, across instances, since every taker updates the
 * one row in turn. SQLite (one writer at a time) still takes the serial
 * in the submission's transaction, without gaps.
 *
 * One connection per instance, one statement at a time under a mutex:
 * a short statement committed without waiting for a flush (below), so
 * more would not help a pool of a few connections. It is
 * opened on first use, outside the pool, so that a transaction holding a
 * pooled connection never waits for a second one (the pool could be
 * empty, all its holders waiting here). It commits asynchronously
 * (synchronous_commit off): a serial is only ever used by a submission
 * that commits after it, and that commit's WAL flush carries the serial's
 * record with it (WAL is written in order), so no durable case can have
 * a serial that a crash takes back; a crash may at most lose serials
 * that no durable case holds, another gap. */
#include "store/postgres_int.h"

#include "core/log.h"
#include "core/util.h"

/* The statement as postgres_cases.c's P_JOURNAL_NEXT had it. */
static const char serial_sql[] =
	"INSERT INTO journal_serials(organisation_id, year, last) "
	"VALUES ($1, $2, 1) ON CONFLICT(organisation_id, year) DO UPDATE "
	"SET last = journal_serials.last + 1 RETURNING last";

void hh_pg_serial_init(struct pg *s)
{
	pthread_mutex_init(&s->serial_lock, NULL);
	s->serial_db = NULL;
	s->serial_prepared = 0;
}

void hh_pg_serial_free(struct pg *s)
{
	if (s->serial_db)
		PQfinish(s->serial_db);
	s->serial_db = NULL;
	pthread_mutex_destroy(&s->serial_lock);
}

/* Connects the serial connection if it is not (or no longer) connected.
 * Under s->serial_lock. */
static enum hh_rc serial_open(struct pg *s)
{
	if (s->serial_db && PQstatus(s->serial_db) == CONNECTION_OK)
		return HH_OK;
	if (s->serial_db)
		PQfinish(s->serial_db);
	s->serial_prepared = 0;
	s->serial_db = hh_pg_connect(s, "helhed-serial", 1);
	if (PQstatus(s->serial_db) != CONNECTION_OK) {
		hh_log(HH_LOG_ERROR, "postgres: cannot connect: %s",
		       PQerrorMessage(s->serial_db));
		PQfinish(s->serial_db);
		s->serial_db = NULL;
		return HH_ERR_IO;
	}
	/* READ COMMITTED whatever the database's default is: the upsert
	 * waits its turn there instead of failing. lock_timeout: a session
	 * holding the row for long (someone in psql, or a helhed from before
	 * this change taking it in a submission) makes a submission BUSY
	 * after a while instead of holding it for good; short, since every
	 * submission of the instance waits behind this one connection, and
	 * hh_store_run_tx retries a BUSY within its time budget only.
	 * statement_timeout: the upsert of one row takes milliseconds. */
	enum hh_rc rc = hh_pg_session_setup(
		s, s->serial_db,
		"SET default_transaction_isolation = 'read committed'; "
		"SET synchronous_commit = off; "
		"SET lock_timeout = '2s'; "
		"SET statement_timeout = '10s'; ");
	if (rc != HH_OK) { /* not used half set up */
		PQfinish(s->serial_db);
		s->serial_db = NULL;
	}
	return rc;
}

/* Runs the upsert once on the serial connection. Under s->serial_lock. */
static enum hh_rc serial_run(struct pg *s, const char *const v[2],
			     int64_t *serial)
{
	if (!s->serial_prepared) {
		PGresult *pr = PQprepare(s->serial_db, "serial", serial_sql, 2,
					 NULL);
		enum hh_rc rc = PQresultStatus(pr) == PGRES_COMMAND_OK
					? HH_OK
					: hh_pg_map_error(s->serial_db, pr,
							  serial_sql);
		PQclear(pr);
		if (rc != HH_OK)
			return rc;
		s->serial_prepared = 1;
	}
	PGresult *r = PQexecPrepared(s->serial_db, "serial", 2, v, NULL, NULL,
				     0);
	enum hh_rc rc = HH_OK;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = hh_pg_map_error(s->serial_db, r, serial_sql);
	else if (PQntuples(r) != 1)
		rc = HH_ERR_INTERNAL; /* an upsert returns its row */
	else
		*serial = g_int(r, 0, 0);
	PQclear(r);
	return rc;
}

enum hh_rc hh_pg_serial_next(struct hh_tx *tx, int64_t org_id, int year,
			     int64_t *serial)
{
	struct pg *s = pg_of(tx);
	struct pg_conn *c = (struct pg_conn *)tx;
	if (c->failed)
		return c->failed; /* the transaction is lost anyway */
	char org[24], yr[16];
	snprintf(org, sizeof(org), "%lld", (long long)org_id);
	snprintf(yr, sizeof(yr), "%d", year);
	const char *const v[2] = { org, yr };
	int64_t t0 = hh_mono_us();
	enum hh_rc rc;
	pthread_mutex_lock(&s->serial_lock);
	for (int attempt = 0;; attempt++) {
		rc = serial_open(s);
		if (rc == HH_OK)
			rc = serial_run(s, v, serial);
		/* a connection the server dropped (a restart, a failover)
		 * looks open until it is used: once more on a new one, as
		 * the pool does at BEGIN. Had the lost statement committed,
		 * its serial is a gap. */
		if (rc != HH_ERR_IO || attempt > 0 || !s->serial_db ||
		    PQstatus(s->serial_db) == CONNECTION_OK)
			break;
	}
	pthread_mutex_unlock(&s->serial_lock);
	hh_store_count_query(tx->store, hh_mono_us() - t0); /* /metrics */
	return rc;
}
