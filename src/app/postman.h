/* postman.h - the worker of `helhed serve` that delivers Digital Post:
 * one thread that runs a delivery pass and reads the receipts
 * (domain/messages.h) every second, at once when woken, and makes the
 * day's print batch at a set Danish time.
 *
 * It wakes when a message is queued: it subscribes to the store's
 * changes, and a change of entity "message" (hh_messages_queued(), which
 * the letters code calls after the transaction that sent a letter)
 * kicks it. hh_postman_kick() does the same from the app layer. */
#ifndef HH_APP_POSTMAN_H
#define HH_APP_POSTMAN_H

#include "core/rc.h"
#include "post/transport.h"
#include "store/store.h"

struct hh_postman_config {
	struct hh_store *store;      /* borrowed; outlives the postman */
	struct hh_transport *transport; /* borrowed */
	const char *print_dir;       /* where print batches go (borrowed) */
	int print_minute;            /* Danish minutes after midnight of
					the daily print batch; -1: none */
	int batch;                   /* messages per pass (default 200) */
};

struct hh_postman;

/* Starts the thread. *out is new (end with hh_postman_stop). */
enum hh_rc hh_postman_start(const struct hh_postman_config *cfg,
			    struct hh_postman **out);
/* Wakes the postman for a pass now (p NULL: nothing). Thread-safe. */
void hh_postman_kick(struct hh_postman *p);
/* 1 when the transport can take messages; else 0 and reason
 * (HH_POST_REASON_SIZE bytes) says why. */
int hh_postman_ready(struct hh_postman *p, char *reason);
/* The spool folder the postman delivers to (borrowed), or "" when its
 * transport is not a spool. */
const char *hh_postman_spool_dir(struct hh_postman *p);
/* Stops the thread after the pass in progress and frees p (NULL:
 * nothing). Call before the store closes. */
void hh_postman_stop(struct hh_postman *p);

#endif
