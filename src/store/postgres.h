/* postgres.h - the PostgreSQL backend of the store (issue 14): opening it
 * by address, and what the tests and docs ask of it. */
#ifndef HH_POSTGRES_H
#define HH_POSTGRES_H

#include <libpq-fe.h>

#include "store/store.h"

/* The advisory lock key of migrating ("helh" in ASCII); `helhed copy`
 * holds it too, so that no instance migrates meanwhile. */
#define HH_PG_MIGRATE_LOCK_KEY 0x68656c68

/* The schema version of the database on connection db (the number of
 * migrations applied; 0 when none are, helhed_schema not there yet), for
 * migrating and for `helhed copy`. HH_ERR_IO when it cannot be read. */
enum hh_rc hh_pg_schema_version(PGconn *db, int *version);

/* 1 when address is a PostgreSQL address (postgresql://... or
 * postgres://...), else 0 (a SQLite file). */
int hh_store_is_postgres(const char *address);

/* Opens the PostgreSQL store at url (a libpq connection URI) with a pool
 * of at most pool_size connections, opened on first use (one at once, so
 * that a wrong address fails here: HH_ERR_IO). Does not migrate (call
 * ->migrate). Returns new (free with hh_store_close). */
enum hh_rc hh_store_open_postgres(const char *url, int pool_size,
				  struct hh_store **out);

/* hh_store_fault_inject for a PostgreSQL store. */
void hh_store_fault_inject_pg(struct hh_store *st, int n, enum hh_rc rc);

/* The functions of struct hh_store still on their "not ported" stub:
 * fills names[0..max-1] (static strings) and returns how many there are
 * (build/gen/pg_stubs.c). hh_pg_functions: how many functions the
 * interface has beside the six of the core (open, migrate, transactions). */
int hh_pg_unported(const struct hh_store *st, const char **names, int max);
extern const int hh_pg_functions;

/* ---- pg-multi (issue 14): following other instances' changes ----------
 * Several instances on one database: each keeps one connection of its
 * own that LISTENs for the change notices of migration 0029 and tells
 * this store's subscribers (hh_store_subscribe) of the changes other
 * instances commit, as hh_store_changed tells them of this instance's
 * own; after a lost connection it connects again and catches up from the
 * event log (postgres_notify.c, docs/postgres.md). A change told to
 * everything kept may be entity "*", action "resync": read everything
 * again. On a store of another backend these do nothing (OK, 1).
 *
 * hh_pg_follow_prepare connects and LISTENs; call it before the caches
 * are read (the index built), so that no change is missed in between:
 * the notices wait until hh_pg_follow_start starts telling them, on a
 * thread of its own, once the subscribers are there (start prepares
 * first when that was not done). hh_pg_follow_stop stops it for good;
 * call it before the subscribers go (hh_store_close also stops it, and
 * frees what is left). hh_pg_follow_ok: 1 when listening and caught up
 * (or no listener was prepared), 0 while the connection is lost (this
 * instance may then show stale results) and after the stop. */
enum hh_rc hh_pg_follow_prepare(struct hh_store *st);
enum hh_rc hh_pg_follow_start(struct hh_store *st);
void hh_pg_follow_stop(struct hh_store *st);
int hh_pg_follow_ok(struct hh_store *st);

/* Counters of the listener since it was prepared (all 0 without one). */
struct hh_pg_follow_stats {
	int listening;       /* as hh_pg_follow_ok */
	long long told;      /* changes told to the subscribers */
	long long own;       /* notices of this instance's own, skipped */
	long long replayed;  /* articles told from the event log */
	long long resyncs;   /* times everything was read again */
	long long reconnects; /* connections made again after a loss */
};
void hh_pg_follow_stats(struct hh_store *st, struct hh_pg_follow_stats *out);

#endif
