/* util.h - allocation that aborts on out-of-memory, and small string helpers. */
#ifndef HH_UTIL_H
#define HH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Allocation never returns NULL: out of memory aborts (a supervisor
 * restarts the process), as in Redis and h2o. */
void *hh_xmalloc(size_t n);
void *hh_xcalloc(size_t n, size_t size);
void *hh_xrealloc(void *p, size_t n);
char *hh_xstrdup(const char *s);
char *hh_xstrndup(const char *s, size_t n);
/* Makes jansson allocate through hh_xmalloc, so that out of memory aborts
 * there too. Call once at start-up, before any json_t is made (main, the
 * test server, the fuzz targets). */
void hh_json_alloc_init(void);
/* json_decref as a void (*)(void *), for hh_arena_defer (calling it
 * through a cast pointer of another type is undefined behaviour). */
void hh_json_release(void *json);

/* Microseconds since the epoch (wall clock) and from a monotonic clock.
 * hh_now_us is the one clock of the domain and the store: every
 * timestamp they write comes from it. */
int64_t hh_now_us(void);
int64_t hh_mono_us(void);

/* Sets the wall clock hh_now_us returns to us (microseconds since the
 * epoch) until it is set again; 0 returns to the real clock. For
 * single-threaded command-line tools only (`helhed demo-year` backdates
 * a generated year with it): a server must never set it, since every
 * thread would see the same frozen time. hh_mono_us is not affected. */
void hh_clock_set_us(int64_t us);

/* Formats the epoch time t (seconds) as ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ"
 * into out (at least 21 bytes). */
void hh_time_iso(int64_t t, char out[21]);

/* Is s (len bytes) valid UTF-8 without NUL bytes or overlong forms? */
int hh_utf8_valid(const char *s, size_t len);

/* Counts the characters (code points) of valid UTF-8 s. */
size_t hh_utf8_len(const char *s);

/* Is s a valid slug: [a-z0-9]+(-[a-z0-9]+)*, 2..80 bytes? */
int hh_slug_valid(const char *s);

/* Is s a valid KLE number: NN, NN.NN or NN.NN.NN (empty is valid too)? */
int hh_kle_valid(const char *s);

#endif
