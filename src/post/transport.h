/* transport.h - how a Digital Post message leaves helhed: one struct of
 * functions per transport, like the store (store/store.h).
 *
 * A transport knows messages only as a UUID and the bytes of a MeMo
 * document; nothing here knows letters, citizens or the database. The
 * domain (domain/messages.h) decides what to send and records what
 * happened. The UUID is the idempotency key: sending a UUID the transport
 * has already accepted must succeed without a second message, because
 * after a crash between the transport accepting a message and the
 * database recording that, the next pass sends the same UUID again.
 *
 * The embedded transport is the spool folder (post/spool.h). Functions
 * may be called from one thread at a time (the postman's). */
#ifndef HH_POST_TRANSPORT_H
#define HH_POST_TRANSPORT_H

#include <stddef.h>

#include "core/rc.h"

enum hh_post_result {
	HH_POST_OK = 0,        /* accepted (or accepted before) */
	HH_POST_TEMPORARY = 1, /* try again later: disk full, folder locked */
	HH_POST_PERMANENT = 2  /* never: the message itself is refused */
};

/* The reason a transport gives for a failure or a failed delivery,
 * in words a caseworker can act on (Danish where it is shown). */
#define HH_POST_REASON_SIZE 256

/* A receipt from the other side: the message was delivered to the
 * recipient's Digital Post, or it failed there. Strings borrowed for the
 * callback only. */
struct hh_post_receipt {
	const char *uuid;
	int delivered;      /* 1 delivered, 0 failed */
	const char *reason; /* failed: why ("" when not said) */
};

typedef enum hh_rc (*hh_post_receipt_cb)(void *ctx,
					 const struct hh_post_receipt *r);

struct hh_transport {
	void *cls;
	const char *name; /* "spool" */

	/* Hands over message uuid (36 characters) with its MeMo document
	 * (len bytes). HH_POST_OK once the message is durably the
	 * transport's; otherwise reason (HH_POST_REASON_SIZE bytes) says
	 * why. */
	enum hh_post_result (*send)(void *cls, const char *uuid,
				    const void *memo, size_t len,
				    char *reason);
	/* Streams the receipts that have arrived and are not yet
	 * acknowledged. A callback's error stops the stream and is
	 * returned. */
	enum hh_rc (*receipts)(void *cls, hh_post_receipt_cb cb, void *ctx);
	/* The receipt of uuid has been recorded: the transport need not
	 * give it again (a receipt given twice must be harmless anyway). */
	enum hh_rc (*receipt_done)(void *cls, const char *uuid);
	/* 1 when the transport can take messages now; else 0 and reason
	 * (HH_POST_REASON_SIZE bytes) says why. For /readyz and the
	 * metrics. */
	int (*ready)(void *cls, char *reason);
	/* Frees the transport. */
	void (*free)(void *cls);
};

/* Frees t (NULL: nothing). */
static inline void hh_transport_free(struct hh_transport *t)
{
	if (t)
		t->free(t->cls);
}

#endif
