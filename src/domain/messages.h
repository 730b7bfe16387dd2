/* messages.h - Digital Post delivery: routing each sent letter's message
 * to the citizen's Digital Post, the daily print batch or the visible
 * error queue; sending it through a transport (post/transport.h) with
 * retries; recording receipts; the print batch; the error queue's
 * actions; and the figures for /metrics.
 *
 * States (store/migrations/0015_letters.sql): a message is queued when
 * its letter is sent. The delivery pass routes it on its first attempt:
 *   - the citizen is exempt from Digital Post, or has no CPR number but
 *     an address: channel 'print', it waits (queued) for the print batch,
 *     which marks it 'printed';
 *   - the citizen has a CPR number: channel 'digital_post', the MeMo
 *     message goes to the transport and the message is 'sent'; a receipt
 *     makes it 'delivered' or 'failed';
 *   - nobody to send it to (no citizen, or neither CPR nor address, or an
 *     exempt citizen without address, or a sender without CVR number):
 *     channel 'error', state 'error' with the reason in Danish.
 * A temporary failure of the transport keeps it queued with attempts + 1
 * and the next attempt HH_MSG_RETRY_FIRST s later, doubling up to
 * HH_MSG_RETRY_MAX; after HH_MSG_MAX_ATTEMPTS it is 'failed'. 'error'
 * and 'failed' are the error queue; "Prøv igen" routes a message again,
 * "Send til print" puts it in the next print batch.
 *
 * Every change of state is a row update and an event in one transaction:
 * a case event (action "message", its text in Danish in "text") when the
 * letter belongs to a case, else an event of the message itself.
 *
 * Crash safety: the transport is called outside any transaction and the
 * row is updated after it accepted the message. A crash between the two
 * leaves the message queued; a later pass sends the same UUID again,
 * which the transport recognises (its idempotency key).
 *
 * Several instances on one database (issue 14): every instance runs a
 * postman, so a pass first claims the due messages it will send, with
 * the store's message_claim (one operation that commits at once): their
 * next attempt moves HH_MSG_LEASE s ahead, and no other pass sees them
 * as due until the lease runs out. Two claims never take one message
 * (SQLite: one writer; PostgreSQL: row locks, SKIP LOCKED, at READ
 * COMMITTED, so that a claim fails no concurrent letter send: pg-skip).
 * What is due, the lease and the limit are the domain's, passed to the
 * store. Each
 * claimed message is then sent once and recorded, which ends the claim.
 * A pass that fails on the store gives back the claims it has not used;
 * a postman that dies between its claim and its record leaves the lease
 * to run out, and the message is sent again (the same UUID) after it:
 * exactly once while the instances live, at least once across a crash.
 * The print batch claims an organisation's letters the same way, for
 * HH_PRINT_LEASE s (see hh_messages_print_batch). The lease counts on
 * the instances' clocks agreeing within seconds (NTP).
 *
 * Waking the postman: whoever queues a message (the letters code, when a
 * letter is sent) calls hh_messages_queued(st, id) after its transaction
 * committed; it tells the store's subscribers of the change (entity
 * "message", action "queue"), and the postman (app/postman.h), which
 * subscribes, runs a pass at once instead of within the second. */
#ifndef HH_DOMAIN_MESSAGES_H
#define HH_DOMAIN_MESSAGES_H

#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "domain/actor.h"
#include "post/transport.h"
#include "store/store.h"

#define HH_MSG_RETRY_FIRST 30     /* seconds */
#define HH_MSG_RETRY_MAX 3600     /* seconds */
#define HH_MSG_MAX_ATTEMPTS 12
/* How long a pass holds the messages it claimed (seconds): its sends
 * must be done by then, or another instance sends them again. */
#define HH_MSG_LEASE 300
/* A pass stops sending this many seconds before its lease ends and gives
 * the rest back (hh_messages_deliver). */
#define HH_MSG_LEASE_MARGIN 60
/* How long a print run holds the letters it claimed (seconds): a run
 * that died is taken over by a later run after this. */
#define HH_PRINT_LEASE 3600

/* What a pass did. */
struct hh_deliver_stats {
	int sent;        /* handed to the transport */
	int to_print;    /* routed to the print batch */
	int errors;      /* routed to the error queue */
	int retried;     /* temporary failure, queued again */
	int failed;      /* given up: permanent failure or too many tries */
	int delivered;   /* receipts: delivered */
	int undelivered; /* receipts: failed */
	int stale;       /* changed by someone else meanwhile: left alone */
};

/* Counters since start, for /metrics (every pass adds to them). */
struct hh_deliver_totals {
	long long deliveries; /* handed to the transport */
	long long failures;   /* temporary and permanent failures */
};
void hh_messages_totals(struct hh_deliver_totals *out);

/* The seconds to wait after the attempts-th failed attempt (1, 2, ...). */
int64_t hh_messages_backoff(int64_t attempts);

/* One delivery pass at time now (seconds): routes and sends at most
 * limit due messages through t, one transaction per message. *stats (may
 * be NULL) is zeroed and filled in. Errors of the store are returned
 * (the messages not handled wait for the next pass). */
enum hh_rc hh_messages_deliver(struct hh_store *st, struct hh_transport *t,
			       int64_t now, int limit,
			       struct hh_deliver_stats *stats);

/* Reads t's receipts and records them: sent → delivered / failed. A
 * receipt for a message already recorded is acknowledged again and
 * nothing else. Adds to *stats (may be NULL). */
enum hh_rc hh_messages_receipts(struct hh_store *st, struct hh_transport *t,
				int64_t now, struct hh_deliver_stats *stats);

/* Tells the store's subscribers that message id was queued (call after
 * the transaction that queued it committed). */
void hh_messages_queued(struct hh_store *st, int64_t id);

/* ---- the error queue and the API (staff of the organisation) ---- */

/* Streams the messages f selects that who may see (staff: their
 * organisation's; f->org_id is overridden), newest first, at most limit
 * (1-500). FORBIDDEN for callers without the right. */
enum hh_rc hh_messages_list(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who,
			    const struct hh_message_filter *f, int limit,
			    hh_message_cb cb, void *ctx);
/* One message (NOT_FOUND when not who's to see). */
enum hh_rc hh_message_get(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, int64_t id,
			  struct hh_message_row *out);
/* "Prøv igen": a message in 'error' or 'failed' is queued again, not
 * routed, attempts 0, due now (after the address was fixed, it finds its
 * way). CONFLICT when it is in another state. */
enum hh_rc hh_message_retry(struct hh_store *st, const struct hh_actor *who,
			    int64_t id, int64_t now);
/* "Send til print": a message in 'error' or 'failed' goes to the next
 * print batch (INVALID when the citizen has no address to print to, or
 * has name and address protection: such a letter is sent by hand). */
enum hh_rc hh_message_to_print(struct hh_store *st, const struct hh_actor *who,
			       int64_t id, int64_t now);

/* r-letters: in tx, whether letter l is a letter to another party of a
 * case (kind party_*) whose text quotes the address of an applicant who
 * has name and address protection now (merged before she had it). *why
 * is the Danish reason such a letter is held (the error queue; the
 * inbox shows it without its text), NULL when it is not. */
enum hh_rc hh_message_party_letter_held_tx(struct hh_tx *tx, struct hh_arena *a,
					   const struct hh_letter *l,
					   const char **why);

/* ---- the print batch ---- */

struct hh_print_stats {
	int batches; /* PDF files written */
	int letters; /* letters in them */
	int pages;
	int busy;    /* organisations skipped: another run (another instance,
			or one that died less than HH_PRINT_LEASE s ago)
			holds their letters */
};

/* Makes the print batch of day ("YYYY-MM-DD"): for each organisation
 * with letters queued for print, one PDF of all of them (each starting
 * on an odd page, for duplex) written durably to print_dir as
 * "<day>-<organisation code>.pdf" ("-<seq>" before ".pdf" for a second
 * run the same day), then the messages marked 'printed' with
 * print_batch = day, in one transaction per organisation. A letter is
 * never in two batches; a day without letters writes nothing.
 * Each organisation's letters are first claimed for HH_PRINT_LEASE s
 * (next_attempt_at moved ahead, in one write transaction), so that the
 * runs of several instances never print one letter twice. While any of
 * an organisation's waiting letters is claimed by another run, the
 * organisation is skipped (stats->busy): one run per organisation at a
 * time, so two never take the same seq. A run that fails gives its
 * claims back; one that died leaves them to run out, and a later run
 * prints the letters then (at least once across a crash, never lost). */
enum hh_rc hh_messages_print_batch(struct hh_store *st, const char *print_dir,
				   const char *day, int64_t now,
				   struct hh_print_stats *stats);
/* The retry of a run of day that skipped organisations (stats->busy):
 * as hh_messages_print_batch, but only for the organisations that have
 * no batch of day yet. The others were printed today (by this run or
 * another instance's); what came since waits for the next day's run
 * rather than making a small batch each time this is tried. */
enum hh_rc hh_messages_print_batch_held(struct hh_store *st,
					const char *print_dir, const char *day,
					int64_t now, struct hh_print_stats *stats);

/* Streams the print batches who may see, newest first (at most 200). */
enum hh_rc hh_print_batches_list(struct hh_store *st, struct hh_arena *a,
				 const struct hh_actor *who,
				 hh_print_batch_cb cb, void *ctx);
/* Reads print batch id's PDF from print_dir into out (bytes in a) and
 * audits the download; NOT_FOUND when not who's or the file is gone. */
enum hh_rc hh_print_batch_open(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who,
			       const char *print_dir, int64_t id,
			       struct hh_print_batch *batch,
			       const void **pdf, size_t *len);

/* ---- metrics ---- */

/* Appends the delivery figures in Prometheus text format: messages by
 * state and channel, the age of the oldest queued message, the
 * deliveries and failures counters, and (spool_ok 0/1) whether the
 * transport can take messages. */
enum hh_rc hh_messages_metrics(struct hh_store *st, int64_t now, int spool_ok,
			       struct hh_buf *out);

/* ---- exemption from Digital Post (the front desk) ---- */

/* The reasons a citizen may be exempt (NULL-terminated), as the desk's
 * form offers them. */
extern const char *const hh_dp_exempt_reasons[];

/* Registers (since > 0, reason one of hh_dp_exempt_reasons) or lifts
 * (since 0) citizen_id's exemption from Digital Post, on behalf of who
 * (the front desk of the citizen's municipality, as for the desk's
 * look-up); an event records it. INVALID for a bad reason or date. */
enum hh_rc hh_citizen_dp_exempt(struct hh_store *st, const struct hh_actor *who,
				int64_t citizen_id, int64_t since,
				const char *reason);

#endif
