/* limit.c - token buckets in a fixed, keyed-hash table. */
#include "core/limit.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/util.h"

#define PROBE 8   /* buckets looked at for one key */
#define STRIPES 64

struct bucket {
	uint64_t key;   /* keyed hash of the key; 0: free */
	int64_t at_us;  /* when tokens was last brought up to date */
	int64_t tokens; /* in units of refill_us: tokens * refill_us */
};

struct hh_limiter {
	struct bucket *b;
	size_t mask;
	int64_t refill_us;
	int64_t full; /* burst * refill_us */
	unsigned char hkey[crypto_shorthash_KEYBYTES];
	pthread_mutex_t lock[STRIPES];
};

struct hh_limiter *hh_limiter_new(size_t slots, int burst, int64_t refill_us)
{
	struct hh_limiter *l = hh_xcalloc(1, sizeof(*l));
	size_t n = PROBE;
	while (n < slots)
		n <<= 1;
	l->b = hh_xcalloc(n, sizeof(*l->b));
	l->mask = n - 1;
	l->refill_us = refill_us > 0 ? refill_us : 1;
	l->full = (int64_t)(burst > 0 ? burst : 1) * l->refill_us;
	randombytes_buf(l->hkey, sizeof(l->hkey));
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_init(&l->lock[i], NULL);
	return l;
}

void hh_limiter_free(struct hh_limiter *l)
{
	if (!l)
		return;
	for (int i = 0; i < STRIPES; i++)
		pthread_mutex_destroy(&l->lock[i]);
	free(l->b);
	free(l);
}

static uint64_t key_hash(const struct hh_limiter *l, const char *key)
{
	unsigned char out[crypto_shorthash_BYTES];
	crypto_shorthash(out, (const unsigned char *)key, strlen(key), l->hkey);
	uint64_t h;
	memcpy(&h, out, sizeof(h));
	return h ? h : 1;
}

/* The first of the PROBE buckets where h may live. */
static struct bucket *group_of(const struct hh_limiter *l, uint64_t h)
{
	return &l->b[(size_t)h & l->mask & ~(size_t)(PROBE - 1)];
}

/* The lock of h's group: a group of PROBE buckets shares one stripe. */
static pthread_mutex_t *lock_of(struct hh_limiter *l, uint64_t h)
{
	return &l->lock[(h & l->mask) / PROBE % STRIPES];
}

/* The tokens b holds at now (refilled, capped at full). */
static int64_t level(const struct hh_limiter *l, const struct bucket *b,
		     int64_t now_us)
{
	int64_t t = b->tokens + (now_us > b->at_us ? now_us - b->at_us : 0);
	return t < l->full ? t : l->full;
}

/* The bucket of h among its PROBE neighbours (the stripe lock held):
 * its own, else a free one, else the fullest, which is reset for h. */
static struct bucket *find(struct hh_limiter *l, uint64_t h, int64_t now_us)
{
	struct bucket *g = group_of(l, h);
	struct bucket *spare = NULL;
	int64_t spare_level = -1;
	for (size_t i = 0; i < PROBE; i++) {
		struct bucket *b = &g[i];
		if (b->key == h)
			return b;
		int64_t lv = b->key ? level(l, b, now_us) : l->full + 1;
		if (lv > spare_level) {
			spare = b;
			spare_level = lv;
		}
	}
	spare->key = h;
	spare->at_us = now_us;
	spare->tokens = l->full;
	return spare;
}

static int use(struct hh_limiter *l, const char *key, int64_t now_us,
	       int spend, int *retry_s)
{
	uint64_t h = key_hash(l, key);
	pthread_mutex_t *m = lock_of(l, h);
	pthread_mutex_lock(m);
	struct bucket *b = find(l, h, now_us);
	int64_t t = level(l, b, now_us);
	int ok = t >= l->refill_us;
	if (ok && spend)
		t -= l->refill_us;
	b->tokens = t;
	b->at_us = now_us;
	pthread_mutex_unlock(m);
	if (!ok && retry_s)
		*retry_s = (int)((l->refill_us - t + 999999) / 1000000);
	return ok;
}

int hh_limiter_take(struct hh_limiter *l, const char *key, int64_t now_us,
		    int *retry_s)
{
	return use(l, key, now_us, 1, retry_s);
}

int hh_limiter_peek(struct hh_limiter *l, const char *key, int64_t now_us,
		    int *retry_s)
{
	return use(l, key, now_us, 0, retry_s);
}

void hh_limiter_reset(struct hh_limiter *l, const char *key)
{
	uint64_t h = key_hash(l, key);
	pthread_mutex_t *m = lock_of(l, h);
	pthread_mutex_lock(m);
	struct bucket *g = group_of(l, h);
	for (size_t i = 0; i < PROBE; i++)
		if (g[i].key == h)
			g[i].key = 0;
	pthread_mutex_unlock(m);
}

void hh_limiter_refund(struct hh_limiter *l, const char *key)
{
	uint64_t h = key_hash(l, key);
	pthread_mutex_t *m = lock_of(l, h);
	pthread_mutex_lock(m);
	struct bucket *g = group_of(l, h);
	for (size_t i = 0; i < PROBE; i++) {
		if (g[i].key != h)
			continue;
		g[i].tokens += l->refill_us;
		if (g[i].tokens > l->full)
			g[i].tokens = l->full;
	}
	pthread_mutex_unlock(m);
}
