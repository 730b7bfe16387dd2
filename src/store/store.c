/* store.c - what every store backend shares: closing and the transaction
 * runner that retries BUSY. */
#include "store/store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "store/postgres.h"

struct hh_org_cached {
	char *code, *name;
	int64_t id;
	enum hh_org_kind kind;
	long long version; /* orgs_version before it was read */
	int64_t read_us;   /* monotonic, before it was read */
};

/* More organisations than Denmark has authorities: beyond this, lookups
 * are not kept (the list is searched one by one). */
#define ORG_CACHE_MAX 1024

void hh_store_init_common(struct hh_store *s)
{
	atomic_init(&s->orgs_version, 0);
	pthread_mutex_init(&s->org_cache.lock, NULL);
	s->org_cache.entries = NULL;
	s->org_cache.n = s->org_cache.cap = 0;
	pthread_mutex_init(&s->subs_lock, NULL);
	s->n_subs = 0;
	memset(&s->counters, 0, sizeof(s->counters)); /* pg-ops */
}

static void org_cache_clear(struct hh_org_cache *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->entries[i].code);
		free(c->entries[i].name);
	}
	free(c->entries);
	pthread_mutex_destroy(&c->lock);
}

/* pg-base (issue 14): the backend chosen by the address */
enum hh_rc hh_store_open(const char *address, int pool_size,
			 struct hh_store **out)
{
	const char *env = getenv("HELHED_DB_POOL");
	if (env && *env) {
		long n = strtol(env, NULL, 10);
		if (n >= 1 && n <= 1024)
			pool_size = (int)n;
	}
	if (hh_store_is_postgres(address))
		return hh_store_open_postgres(address, pool_size, out);
	return hh_store_open_sqlite(address, pool_size, out);
}

void hh_store_close(struct hh_store *s)
{
	if (!s)
		return;
	org_cache_clear(&s->org_cache);
	pthread_mutex_destroy(&s->subs_lock);
	if (s->vault_free)
		s->vault_free(s->vault);
	s->close(s->cls);
}

enum hh_rc hh_store_subscribe(struct hh_store *s, hh_change_fn fn, void *cls)
{
	enum hh_rc rc = HH_ERR_CONFLICT;
	pthread_mutex_lock(&s->subs_lock);
	if (s->n_subs < HH_STORE_SUBSCRIBERS_MAX) {
		s->subs[s->n_subs++] = (struct hh_store_subscriber){ fn, cls };
		rc = HH_OK;
	}
	pthread_mutex_unlock(&s->subs_lock);
	return rc;
}

void hh_store_unsubscribe(struct hh_store *s, hh_change_fn fn, void *cls)
{
	pthread_mutex_lock(&s->subs_lock);
	for (int i = 0; i < s->n_subs; i++) {
		if (s->subs[i].fn == fn && s->subs[i].cls == cls) {
			memmove(&s->subs[i], &s->subs[i + 1],
				(size_t)(s->n_subs - i - 1) * sizeof(s->subs[0]));
			s->n_subs--;
			break;
		}
	}
	pthread_mutex_unlock(&s->subs_lock);
}

void hh_store_changed(struct hh_store *s, const struct hh_change *c)
{
	/* Called outside the lock, from a copy: a subscriber may take its
	 * time (the index reads the article) without holding up other
	 * writers' notices. */
	struct hh_store_subscriber subs[HH_STORE_SUBSCRIBERS_MAX];
	pthread_mutex_lock(&s->subs_lock);
	int n = s->n_subs;
	memcpy(subs, s->subs, (size_t)n * sizeof(subs[0]));
	pthread_mutex_unlock(&s->subs_lock);
	for (int i = 0; i < n; i++)
		subs[i].fn(subs[i].cls, c);
}

enum hh_rc hh_store_run_tx(struct hh_store *s, int write, hh_tx_fn fn,
			   void *ctx)
{
	enum hh_rc rc = HH_ERR_BUSY;
	int attempts = s->busy_attempts > 0 ? s->busy_attempts : 8;
	/* Attempts are bounded in time too where there are many (review of
	 * 5f9db54): an attempt may itself wait (a lock, up to lock_timeout),
	 * and a request must not go on retrying for long past that. */
	int64_t started = s->busy_attempts > 0 ? hh_mono_us() : 0;
	for (int attempt = 0; attempt < attempts; attempt++) {
		if (attempt > 0 && started &&
		    hh_mono_us() - started > HH_STORE_BUSY_BUDGET_US)
			break;
		if (attempt > 0) {
			/* about 1, 2, 4 ... 64 ms, then 64 ms each: enough for
			 * a checkpoint or a competing writer to finish; each
			 * wait drawn between half and one and a half of that,
			 * so that writers refused together (PostgreSQL's
			 * serialization failures) do not come back together
			 * and collide again in lock step */
			int shift = attempt - 1 < 6 ? attempt - 1 : 6;
			long base_us = (1L << shift) * 1000L;
			long us = base_us / 2 +
				  (long)randombytes_uniform((uint32_t)base_us);
			struct timespec ts = { us / 1000000L,
					       (us % 1000000L) * 1000L };
			nanosleep(&ts, NULL);
		}
		struct hh_tx *tx;
		if (attempt > 0) /* pg-ops: for /metrics */
			atomic_fetch_add(&s->counters.retries, 1);
		rc = s->tx_begin(s->cls, write, &tx);
		if (rc == HH_ERR_BUSY)
			continue;
		if (rc != HH_OK)
			return rc;
		rc = fn(tx, ctx);
		if (rc != HH_OK) {
			s->tx_rollback(tx);
			if (rc == HH_ERR_BUSY)
				continue;
			return rc;
		}
		rc = s->tx_commit(tx);
		if (rc != HH_ERR_BUSY)
			return rc;
	}
	return rc;
}

struct org_ctx {
	struct hh_arena *a;
	const char *code;
	struct hh_org *out;
};

static enum hh_rc org_tx(struct hh_tx *tx, void *p)
{
	struct org_ctx *c = p;
	return tx->store->org_get_by_code(tx, c->a, c->code, c->out);
}

static struct hh_org_cached *org_find(struct hh_org_cache *c, const char *code)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->entries[i].code, code) == 0)
			return &c->entries[i];
	return NULL;
}

enum hh_rc hh_store_org_by_code(struct hh_store *s, struct hh_arena *a,
				const char *code, struct hh_org *out)
{
	struct hh_org_cache *c = &s->org_cache;
	/* Both are taken before the read, so what the read sees is at
	 * least as new as the version and the time it is kept under. */
	long long version = atomic_load(&s->orgs_version);
	int64_t now = hh_mono_us();
	pthread_mutex_lock(&c->lock);
	struct hh_org_cached *e = org_find(c, code);
	if (e && e->version == version &&
	    now - e->read_us < HH_ORG_CACHE_SECONDS * 1000000LL) {
		out->id = e->id;
		out->kind = e->kind;
		out->code = hh_arena_strdup(a, e->code);
		out->name = e->name ? hh_arena_strdup(a, e->name) : NULL;
		pthread_mutex_unlock(&c->lock);
		return HH_OK;
	}
	pthread_mutex_unlock(&c->lock);

	struct org_ctx ctx = { a, code, out };
	enum hh_rc rc = hh_store_run_tx(s, 0, org_tx, &ctx);
	if (rc != HH_OK)
		return rc;

	pthread_mutex_lock(&c->lock);
	e = org_find(c, code);
	if (e && (e->version > version ||
		  (e->version == version && e->read_us > now))) {
		e = NULL; /* another thread kept a newer read meanwhile */
	} else if (e) {
		free(e->code);
		free(e->name);
	} else if (c->n < ORG_CACHE_MAX) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 16;
			c->entries = hh_xrealloc(c->entries,
						 c->cap * sizeof(*c->entries));
		}
		e = &c->entries[c->n++];
	}
	if (e) {
		e->code = hh_xstrdup(code);
		e->name = out->name ? hh_xstrdup(out->name) : NULL;
		e->id = out->id;
		e->kind = out->kind;
		e->version = version;
		e->read_us = now;
	}
	pthread_mutex_unlock(&c->lock);
	return HH_OK;
}

/* ---- pg-ops (issue 14): pool use and query times, for /metrics -------- */

/* 100 µs to 1 s: a statement on a local SQLite file takes tens of
 * microseconds, a round trip to PostgreSQL a few hundred, a durable
 * COMMIT a few milliseconds. */
const int64_t hh_store_query_bounds_us[HH_STORE_QUERY_BUCKETS] = {
	100, 250, 500, 1000, 2500, 5000, 10000, 100000, 1000000
};

void hh_store_count_query(struct hh_store *s, int64_t us)
{
	struct hh_store_counters *c = &s->counters;
	if (us < 0)
		us = 0;
	atomic_fetch_add_explicit(&c->query_us, us, memory_order_relaxed);
	long long max = atomic_load_explicit(&c->query_max_us,
					     memory_order_relaxed);
	while (us > max &&
	       !atomic_compare_exchange_weak(&c->query_max_us, &max, us))
		;
	int i = 0;
	while (i < HH_STORE_QUERY_BUCKETS && us > hh_store_query_bounds_us[i])
		i++;
	atomic_fetch_add_explicit(&c->query_by_time[i], 1,
				  memory_order_relaxed);
}

void hh_store_count_take(struct hh_store *s, int64_t waited_us)
{
	atomic_fetch_add(&s->counters.in_use, 1);
	if (waited_us > 0) {
		atomic_fetch_add(&s->counters.waits, 1);
		atomic_fetch_add(&s->counters.wait_us, waited_us);
	}
}

void hh_store_count_give(struct hh_store *s)
{
	atomic_fetch_sub(&s->counters.in_use, 1);
}

void hh_store_stats(struct hh_store *s, struct hh_store_stats *out)
{
	struct hh_store_counters *c = &s->counters;
	memset(out, 0, sizeof(*out));
	out->backend = s->name;
	out->pool_size = c->pool_size;
	out->in_use = atomic_load(&c->in_use);
	out->waits = atomic_load(&c->waits);
	out->wait_us = atomic_load(&c->wait_us);
	out->retries = atomic_load(&c->retries);
	for (int i = 0; i <= HH_STORE_QUERY_BUCKETS; i++) {
		out->query_by_time[i] = atomic_load(&c->query_by_time[i]);
		out->queries += out->query_by_time[i];
	}
	out->query_us = atomic_load(&c->query_us);
	out->query_max_us = atomic_load(&c->query_max_us);
}
