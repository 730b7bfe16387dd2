/* searchlog.c - queued search log entries, flushed in batches. */
#include "domain/searchlog.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

#define QUERY_LOG_MAX 200 /* bytes of a query kept */

struct entry {
	int kind; /* 0 search, 1 choice */
	struct hh_search_log e;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *queue;
static size_t n_queue, cap_queue;
/* The array of the last flush, kept for the next queue so that every
 * flush does not start again from 256 entries (each doubling touches
 * fresh pages under the lock that searches wait on). */
static struct entry *spare;
static size_t cap_spare;
#define SPARE_MAX 65536 /* entries (4 MB); a bigger array is given back */

/* Ids come from the database in blocks of ID_BLOCK (the store's id_block),
 * so that instances sharing a database never hand out the same id and a
 * search writes nothing itself: one write transaction per block. */
#define ID_BLOCK 1000
static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hh_store *id_store; /* borrowed, set by hh_searchlog_init */
static int64_t id_next, id_end;  /* the block in hand: [id_next, id_end) */

enum hh_rc hh_searchlog_init(struct hh_store *st)
{
	pthread_mutex_lock(&id_lock);
	id_store = st;
	id_next = id_end = 0; /* the first search takes a block */
	pthread_mutex_unlock(&id_lock);
	return HH_OK;
}

static enum hh_rc block_tx(struct hh_tx *tx, void *p)
{
	return tx->store->id_block(tx, "search_log", ID_BLOCK, p);
}

/* The next id of the block in hand, taking a new block when it is used
 * up; 0 when none can be had (no store, or the store failed). */
static int64_t take_id(void)
{
	int64_t id = 0;
	pthread_mutex_lock(&id_lock);
	if (id_next == id_end && id_store) {
		int64_t first = 0;
		enum hh_rc rc = hh_store_run_tx(id_store, 1, block_tx, &first);
		if (rc == HH_OK) {
			id_next = first;
			id_end = first + ID_BLOCK;
		} else {
			hh_log(HH_LOG_WARN, "search log: no ids (%s)",
			       hh_rc_name(rc));
		}
	}
	if (id_next < id_end)
		id = id_next++;
	pthread_mutex_unlock(&id_lock);
	return id;
}

static void push(const struct entry *e)
{
	pthread_mutex_lock(&lock);
	if (n_queue < 100000) { /* a stuck disk must not eat memory */
		if (n_queue == cap_queue) {
			cap_queue = cap_queue ? cap_queue * 2 : 256;
			queue = hh_xrealloc(queue, cap_queue * sizeof(*queue));
		}
		queue[n_queue++] = *e;
	} else if (e->kind == 0) {
		free((char *)e->e.query);
	}
	pthread_mutex_unlock(&lock);
}

/* isspace and isdigit of the C locale (the program never sets another),
 * without a locale table lookup per byte */
static int is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Writes q (n bytes) with personal data masked to out (room for n + 1:
 * masking never lengthens the text), cut to QUERY_LOG_MAX bytes on a
 * character boundary. Returns the length. */
static size_t scrub(char *out, const char *q, size_t n)
{
	/* Mask the whole query first, then cut: a number across the cut
	 * must not leave its first digits behind. */
	char *o = out;
	size_t i = 0;
	size_t clean = 0; /* q[i..clean) is the rest of a word without @ */
	while (i < n) {
		/* a word with @ (each word is looked at once: looking again
		 * at every byte of it made long words quadratic) */
		if (i >= clean && !is_space((unsigned char)q[i])) {
			size_t j = i;
			int at = 0;
			while (j < n && !is_space((unsigned char)q[j]))
				at |= q[j++] == '@';
			if (at) {
				*o++ = '@';
				i = j;
				continue;
			}
			clean = j;
		}
		if (is_digit((unsigned char)q[i])) {
			size_t j = i, digits = 0;
			while (j < n && (is_digit((unsigned char)q[j]) ||
					 ((q[j] == '-' || q[j] == ' ') && j + 1 < n &&
					  is_digit((unsigned char)q[j + 1])))) {
				digits += is_digit((unsigned char)q[j]) != 0;
				j++;
			}
			if (digits >= 6) {
				*o++ = '#';
				i = j;
				continue;
			}
			memcpy(o, q + i, j - i);
			o += j - i;
			i = j;
			continue;
		}
		*o++ = q[i++];
	}
	*o = 0;
	size_t len = (size_t)(o - out);
	if (len > QUERY_LOG_MAX) {
		len = QUERY_LOG_MAX;
		while (len && ((unsigned char)out[len] & 0xc0) == 0x80)
			len--;
		out[len] = 0;
	}
	return len;
}

const char *hh_searchlog_scrub(struct hh_arena *a, const char *q)
{
	size_t n = strlen(q);
	char *out = hh_arena_alloc(a, n + 1);
	scrub(out, q, n);
	return out;
}

int64_t hh_searchlog_add(const char *query, int64_t muni, int64_t results)
{
	/* Every search passes here, so no arena: queries of usual length
	 * are masked on the stack, and the one copy that the queue keeps
	 * is as long as what is kept (QUERY_LOG_MAX at most). */
	int64_t id = take_id();
	if (!id)
		return 0; /* not logged: a search must not fail for its log */
	char local[512];
	size_t n = strlen(query);
	char *tmp = n < sizeof(local) ? local : hh_xmalloc(n + 1);
	size_t len = scrub(tmp, query, n);
	struct entry e = { 0 };
	e.e.id = id;
	e.e.at = hh_now_us() / 1000000;
	char *kept = hh_xmalloc(len + 1);
	memcpy(kept, tmp, len + 1);
	e.e.query = kept;
	e.e.municipality_id = muni;
	e.e.results = results;
	if (tmp != local)
		free(tmp);
	push(&e);
	return e.e.id;
}

void hh_searchlog_choose(int64_t id, int64_t article_id)
{
	/* Any id: the search may have been logged by another instance on
	 * the same database; a choice of no logged search changes nothing. */
	if (id <= 0)
		return;
	struct entry e = { .kind = 1 };
	e.e.id = id;
	e.e.chosen_article_id = article_id;
	e.e.at = hh_now_us() / 1000000;
	push(&e);
}

struct flush_ctx {
	struct entry *items;
	size_t n;
};

static enum hh_rc flush_tx(struct hh_tx *tx, void *p)
{
	struct flush_ctx *c = p;
	for (size_t i = 0; i < c->n; i++) {
		const struct entry *e = &c->items[i];
		enum hh_rc rc = e->kind == 0
				? tx->store->search_log_insert(tx, &e->e)
				: tx->store->search_log_choose(tx, e->e.id,
							       e->e.chosen_article_id,
							       e->e.at);
		if (rc == HH_ERR_CONFLICT)
			continue; /* already written (a retried flush) */
		if (rc != HH_OK)
			return rc;
	}
	return HH_OK;
}

enum hh_rc hh_searchlog_flush(struct hh_store *st)
{
	pthread_mutex_lock(&lock);
	if (!n_queue) {
		pthread_mutex_unlock(&lock);
		return HH_OK;
	}
	struct flush_ctx c = { queue, n_queue };
	size_t cap = cap_queue;
	queue = spare;
	cap_queue = cap_spare;
	n_queue = 0;
	spare = NULL;
	cap_spare = 0;
	pthread_mutex_unlock(&lock);
	enum hh_rc rc = hh_store_run_tx(st, 1, flush_tx, &c);
	if (rc != HH_OK) {
		for (size_t i = 0; i < c.n; i++)
			push(&c.items[i]); /* keep them for the next try */
	} else {
		for (size_t i = 0; i < c.n; i++)
			if (c.items[i].kind == 0)
				free((char *)c.items[i].e.query);
	}
	pthread_mutex_lock(&lock);
	if (!spare && cap <= SPARE_MAX) {
		spare = c.items;
		cap_spare = cap;
	} else {
		free(c.items);
	}
	pthread_mutex_unlock(&lock);
	return rc;
}
