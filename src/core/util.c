/* util.c - allocation, clocks and small validators shared by all layers. */
#include "core/util.h"
#include "core/rc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void oom(size_t n)
{
	fprintf(stderr, "helhed: out of memory (%zu bytes)\n", n);
	abort();
}

void *hh_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

static void *json_xmalloc(size_t n)
{
	return hh_xmalloc(n);
}

static void json_free(void *p)
{
	free(p);
}

void hh_json_release(void *json)
{
	json_decref(json);
}

void hh_json_alloc_init(void)
{
	json_set_alloc_funcs(json_xmalloc, json_free);
}

void *hh_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *hh_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *hh_xstrdup(const char *s)
{
	return hh_xstrndup(s, strlen(s));
}

char *hh_xstrndup(const char *s, size_t n)
{
	char *p = hh_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* The clock set by hh_clock_set_us; 0: the real one. Atomic so that a
 * server's threads read it without a race, though only tools set it. */
static atomic_llong clock_set_us;

void hh_clock_set_us(int64_t us)
{
	atomic_store_explicit(&clock_set_us, us, memory_order_relaxed);
}

int64_t hh_now_us(void)
{
	int64_t set = atomic_load_explicit(&clock_set_us, memory_order_relaxed);
	if (set)
		return set;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t hh_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void hh_time_iso(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	/* a year past 9999 does not fit: the last second of 9999 (never
	 * an undefined buffer) */
	if (!gmtime_r(&tt, &tm) || !strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 21, "%s", t < 0 ? "1970-01-01T00:00:00Z"
					     : "9999-12-31T23:59:59Z");
}

int hh_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + n >= len)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

size_t hh_utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int hh_slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 80)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (c == '-' && i > 0 && i + 1 < n && s[i - 1] != '-')
			continue;
		return 0;
	}
	return 1;
}

int hh_kle_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return 1;
	if (n != 2 && n != 5 && n != 8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i % 3 == 2) {
			if (s[i] != '.')
				return 0;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

const char *hh_rc_name(enum hh_rc rc)
{
	switch (rc) {
	case HH_OK: return "ok";
	case HH_ERR_INVALID: return "invalid";
	case HH_ERR_NOT_FOUND: return "not found";
	case HH_ERR_CONFLICT: return "conflict";
	case HH_ERR_FORBIDDEN: return "forbidden";
	case HH_ERR_BUSY: return "busy";
	case HH_ERR_LIMITED: return "limited";
	case HH_ERR_IO: return "i/o error";
	case HH_ERR_INTERNAL: return "internal error";
	}
	return "unknown";
}
