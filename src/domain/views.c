/* views.c - in-memory view counters flushed in batches. */
#include "domain/views.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct count {
	int64_t id, n;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct count *counts;
static size_t n_counts, cap_counts;

static void add(int64_t id, int64_t n)
{
	pthread_mutex_lock(&lock);
	size_t i;
	for (i = 0; i < n_counts; i++)
		if (counts[i].id == id)
			break;
	if (i == n_counts) {
		if (n_counts == cap_counts) {
			cap_counts = cap_counts ? cap_counts * 2 : 64;
			counts = hh_xrealloc(counts, cap_counts * sizeof(*counts));
		}
		counts[n_counts].id = id;
		counts[n_counts].n = 0;
		n_counts++;
	}
	counts[i].n += n;
	pthread_mutex_unlock(&lock);
}

void hh_views_add(int64_t id)
{
	add(id, 1);
}

struct flush_ctx {
	struct count *items;
	size_t n;
};

static enum hh_rc flush_tx(struct hh_tx *tx, void *p)
{
	struct flush_ctx *c = p;
	for (size_t i = 0; i < c->n; i++) {
		enum hh_rc rc = tx->store->article_views_add(tx, c->items[i].id,
							     c->items[i].n);
		/* an article deleted meanwhile: its count is dropped */
		if (rc != HH_OK && rc != HH_ERR_CONFLICT)
			return rc;
	}
	return HH_OK;
}

enum hh_rc hh_views_flush(struct hh_store *st)
{
	pthread_mutex_lock(&lock);
	struct flush_ctx c = { counts, n_counts };
	counts = NULL;
	n_counts = cap_counts = 0;
	pthread_mutex_unlock(&lock);
	if (!c.n) {
		free(c.items);
		return HH_OK;
	}
	enum hh_rc rc = hh_store_run_tx(st, 1, flush_tx, &c);
	if (rc != HH_OK) /* put them back for the next flush */
		for (size_t i = 0; i < c.n; i++)
			add(c.items[i].id, c.items[i].n);
	free(c.items);
	return rc;
}
