/* health.c - readiness, schema and the first-start marker. */
#include "domain/health.h"

#include "core/buf.h" /* pg-ops */
#include "core/log.h"
#include "core/util.h"
#include "domain/vault.h"
#include "store/postgres.h"

/* pg-multi: a read by key, not the count of the event log it was: a
 * load balancer asks every second or two, and counting a million events
 * on PostgreSQL is a scan of the table */
static enum hh_rc ready_tx(struct hh_tx *tx, void *p)
{
	struct hh_arena *a = p;
	const char *v = NULL;
	return tx->store->meta_get(tx, a, "content_loaded", &v);
}

enum hh_rc hh_health_ready(struct hh_store *st)
{
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = hh_store_run_tx(st, 0, ready_tx, &a);
	hh_arena_clear(&a);
	return rc;
}

int hh_health_following(struct hh_store *st)
{
	return hh_pg_follow_ok(st);
}

enum hh_rc hh_health_migrate(struct hh_store *st, int *applied)
{
	return st->migrate(st->cls, applied);
}

enum hh_rc hh_health_schema(struct hh_store *st, int *current, int *latest)
{
	return st->schema_version(st->cls, current, latest);
}

struct loaded_ctx {
	struct hh_arena a;
	int loaded;
};

static enum hh_rc loaded_tx(struct hh_tx *tx, void *p)
{
	struct loaded_ctx *c = p;
	const char *v = NULL;
	enum hh_rc rc = tx->store->meta_get(tx, &c->a, "content_loaded", &v);
	c->loaded = rc == HH_OK && v;
	return rc;
}

enum hh_rc hh_health_content_loaded(struct hh_store *st, int *loaded)
{
	struct loaded_ctx c = { .loaded = 0 };
	hh_arena_init(&c.a);
	enum hh_rc rc = hh_store_run_tx(st, 0, loaded_tx, &c);
	*loaded = c.loaded;
	hh_arena_clear(&c.a);
	return rc;
}

static enum hh_rc mark_loaded_tx(struct hh_tx *tx, void *p)
{
	(void)p;
	char now[21];
	hh_time_iso(hh_now_us() / 1000000, now);
	return tx->store->meta_set(tx, "content_loaded", now);
}

enum hh_rc hh_health_mark_content_loaded(struct hh_store *st)
{
	return hh_store_run_tx(st, 1, mark_loaded_tx, NULL);
}

enum hh_rc hh_health_open(const char *path, const char *key_file, int pool,
			  struct hh_store **st, int *applied,
			  const char **stage)
{
	*stage = "open";
	enum hh_rc rc = hh_store_open(path, pool, st); /* pg-base: by address */
	if (rc != HH_OK)
		return rc;
	*stage = "migrate";
	rc = hh_health_migrate(*st, applied);
	if (rc == HH_OK) {
		/* right after migrating: rows from before 0007 are sealed
		 * before anything reads them */
		char err[1024] = "";
		*stage = "seal CPR numbers in";
		rc = hh_vault_start(*st, key_file, path, err, sizeof(err));
		if (rc != HH_OK)
			hh_log(HH_LOG_ERROR, "%s", err);
	}
	if (rc != HH_OK) {
		hh_store_close(*st);
		*st = NULL;
	}
	return rc;
}

void hh_health_close(struct hh_store *st)
{
	if (st)
		hh_store_close(st);
}

/* ---- pg-ops (issue 14): the store in /metrics ---------------------------- */

void hh_health_metrics(struct hh_store *st, struct hh_buf *b)
{
	struct hh_store_stats s;
	hh_store_stats(st, &s);
	hh_buf_printf(b,
		"# HELP helhed_db_pool_connections Connections in this "
		"instance's pool to the database.\n"
		"# TYPE helhed_db_pool_connections gauge\n"
		"helhed_db_pool_connections{backend=\"%s\"} %d\n"
		"# HELP helhed_db_pool_in_use Connections taken by a "
		"transaction now.\n"
		"# TYPE helhed_db_pool_in_use gauge\n"
		"helhed_db_pool_in_use %d\n"
		"# HELP helhed_db_pool_waits_total Transactions that waited "
		"for a free connection.\n"
		"# TYPE helhed_db_pool_waits_total counter\n"
		"helhed_db_pool_waits_total %lld\n"
		"# HELP helhed_db_pool_wait_seconds_total Time transactions "
		"waited for a free connection.\n"
		"# TYPE helhed_db_pool_wait_seconds_total counter\n"
		"helhed_db_pool_wait_seconds_total %.6f\n"
		"# HELP helhed_db_tx_retries_total Transactions run again "
		"after a serialization failure, deadlock or busy database.\n"
		"# TYPE helhed_db_tx_retries_total counter\n"
		"helhed_db_tx_retries_total %lld\n"
		"# HELP helhed_db_query_seconds Time of each statement sent "
		"to the database (BEGIN and COMMIT too), as the instance "
		"sees it.\n"
		"# TYPE helhed_db_query_seconds histogram\n",
		s.backend, s.pool_size, s.in_use, (long long)s.waits,
		(double)s.wait_us / 1e6, (long long)s.retries);
	long long n = 0;
	for (int i = 0; i < HH_STORE_QUERY_BUCKETS; i++) {
		n += s.query_by_time[i];
		hh_buf_printf(b, "helhed_db_query_seconds_bucket{le=\"%g\"} %lld\n",
			      (double)hh_store_query_bounds_us[i] / 1e6, n);
	}
	hh_buf_printf(b,
		"helhed_db_query_seconds_bucket{le=\"+Inf\"} %lld\n"
		"helhed_db_query_seconds_sum %.6f\n"
		"helhed_db_query_seconds_count %lld\n"
		"# HELP helhed_db_query_seconds_max The longest statement "
		"since start.\n"
		"# TYPE helhed_db_query_seconds_max gauge\n"
		"helhed_db_query_seconds_max %.6f\n",
		(long long)s.queries, (double)s.query_us / 1e6,
		(long long)s.queries, (double)s.query_max_us / 1e6);
}
