/* hooks.h - x-hooks (issue 15): the worker of `helhed serve` that
 * delivers webhooks (domain/webhooks.h): one thread that runs a
 * delivery pass every second, and at once when woken by an event that
 * may have a delivery; and the libcurl poster it posts with. */
#ifndef HH_APP_HOOKS_H
#define HH_APP_HOOKS_H

#include "core/rc.h"
#include "domain/webhooks.h"
#include "store/store.h"

/* The libcurl poster: one POST per call, no redirects followed, no
 * proxy, the timeout for the whole attempt (connect included), every
 * address it connects to checked by hh_webhook_addr_allowed (loopback
 * only with allow_loopback). cls unused. */
extern const struct hh_webhook_poster hh_hooks_curl_poster;

struct hh_hooks_config {
	struct hh_store *store; /* borrowed; outlives the worker */
	int batch;              /* deliveries per pass (default 50) */
	int timeout_s;          /* per attempt (default 10) */
	int allow_loopback;     /* x-hooks2: --webhooks-allow-http-loopback */
	int keep_days;          /* x-hooks2: done deliveries kept (30) */
};

struct hh_hooks;

/* Starts the thread. *out is new (end with hh_hooks_stop). */
enum hh_rc hh_hooks_start(const struct hh_hooks_config *cfg,
			  struct hh_hooks **out);
/* Wakes it for a pass now (NULL: nothing). Thread-safe. */
void hh_hooks_kick(struct hh_hooks *h);
/* Stops the thread after the pass in progress and frees h (NULL:
 * nothing). Call before the store closes. */
void hh_hooks_stop(struct hh_hooks *h);

#endif
