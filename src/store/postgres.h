/* postgres.h - the PostgreSQL backend of the store (issue 14): opening it
 * by address, and what the tests and docs ask of it. */
#ifndef HH_POSTGRES_H
#define HH_POSTGRES_H

#include "store/store.h"

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

#endif
