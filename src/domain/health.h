/* health.h - the state of this installation: is the store answering (for
 * /readyz), the schema, and whether the content folder was loaded.
 *
 * The command line (src/main.c) and the operational endpoints use these
 * instead of calling the store; no access rule applies (they are asked by
 * the operator, or say nothing about anybody's data). */
#ifndef HH_DOMAIN_HEALTH_H
#define HH_DOMAIN_HEALTH_H

#include "store/store.h"

/* Opens the installation's data: the SQLite file at path (created when
 * missing) with a pool of pool connections, migrated to this build's
 * schema, with CPR numbers sealed under the keys in key_file (NULL: the
 * file beside the database, made on first use; see hh_vault_start).
 * *st is new (end with hh_health_close); *applied gets how many
 * migrations ran (may be NULL). On failure nothing is left open, the
 * reason is logged and *stage says what failed: "open", "migrate" or
 * "seal CPR numbers in". */
enum hh_rc hh_health_open(const char *path, const char *key_file, int pool,
			  struct hh_store **st, int *applied,
			  const char **stage);
/* Closes what hh_health_open opened (NULL: nothing). */
void hh_health_close(struct hh_store *st);

/* OK when the store answers a read (a setting, by key). */
enum hh_rc hh_health_ready(struct hh_store *st);
/* pg-multi (issue 14): 1 when this instance hears of other instances'
 * changes (always on SQLite); 0 while its PostgreSQL listener is
 * disconnected or catching up, when it may show stale search results. */
int hh_health_following(struct hh_store *st);

/* Applies pending migrations; *applied gets how many (may be NULL). */
enum hh_rc hh_health_migrate(struct hh_store *st, int *applied);

/* The schema version of the store and the newest this build knows. */
enum hh_rc hh_health_schema(struct hh_store *st, int *current, int *latest);

/* *loaded: 1 when the content folder was loaded into the store before
 * (a first start imports it once). */
enum hh_rc hh_health_content_loaded(struct hh_store *st, int *loaded);

/* Notes that the content folder has been loaded (now). */
enum hh_rc hh_health_mark_content_loaded(struct hh_store *st);

/* pg-ops (issue 14): the store's pool use and query times since start
 * (hh_store_stats) for /metrics, in Prometheus' text format, appended to
 * out. Reads counters only: no transaction, so it works while the
 * database is away. */
struct hh_buf;
void hh_health_metrics(struct hh_store *st, struct hh_buf *out);

#endif
