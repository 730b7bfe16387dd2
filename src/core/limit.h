/* limit.h - token buckets keyed by a string (a client address, an account,
 * a session), for rate limits and sign-in throttling.
 *
 * A limiter is a fixed table of buckets: memory does not grow with the
 * number of keys an attacker invents. Keys are hashed with a keyed hash
 * (SipHash, a random key per limiter), so nobody can aim a key at another
 * client's bucket. When the table is full, the bucket that has refilled
 * the most is reused: it carries the least history worth keeping.
 *
 * Each bucket holds up to `burst` tokens and regains one every
 * `refill_us`; a take spends one. Thread-safe (striped locks). Counts are
 * per process: several instances behind a load balancer each count their
 * own, so behind N instances a client gets up to N times each limit.
 * That is right for the limits that are about load (writes per client,
 * account and token in app.c, anonymous bookings, chat), for which the
 * balancer keeps the shared count (docs/postgres-ops.md, "Limits behind
 * the load balancer"). A limit that guards a secret must not be one of
 * these: failed sign-ins per account are counted in the store instead,
 * shared by every instance (domain/auth.c); only their per-address
 * limit is a limiter here. */
#ifndef HH_LIMIT_H
#define HH_LIMIT_H

#include <stddef.h>
#include <stdint.h>

struct hh_limiter;

/* A limiter of `slots` buckets (rounded up to a power of two), each
 * holding up to burst tokens and regaining one every refill_us.
 * Returns new; free with hh_limiter_free. */
struct hh_limiter *hh_limiter_new(size_t slots, int burst, int64_t refill_us);
void hh_limiter_free(struct hh_limiter *l);

/* Spends one token of key's bucket. Returns 1 when there was one; 0 when
 * the bucket is empty, with *retry_s (may be NULL) set to the seconds
 * until the next token. */
int hh_limiter_take(struct hh_limiter *l, const char *key, int64_t now_us,
		    int *retry_s);
/* 1 when a take would succeed now (spends nothing); else 0 with
 * *retry_s as above. */
int hh_limiter_peek(struct hh_limiter *l, const char *key, int64_t now_us,
		    int *retry_s);
/* Gives back one token taken from key's bucket (capped at burst): a
 * sign-in that turned out right need not count against its address. */
void hh_limiter_refund(struct hh_limiter *l, const char *key);
/* Fills key's bucket again (a correct password ends an account's run of
 * failures). */
void hh_limiter_reset(struct hh_limiter *l, const char *key);

#endif
