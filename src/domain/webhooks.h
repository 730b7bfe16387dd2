/* webhooks.h - x-hooks (issue 15, point 3): helhed's events out to an
 * organisation's own systems as signed webhooks (docs/webhooks.md).
 *
 * An organisation's admin subscribes a URL to event types (below). The
 * secret that signs the deliveries is made here, shown once, and kept
 * sealed by the store's vault (domain/vault.h), like a CPR number.
 *
 * The outbox: the store's event_append writes, in the event's own
 * transaction, one pending delivery per matching subscription (store.h,
 * "webhooks"), so an event that committed always has its deliveries and
 * one that rolled back has none, across restarts and instances. Chosen
 * over a dispatcher that reads the event log from a recorded position:
 * on PostgreSQL event ids come from a sequence and commit out of order,
 * so a reader past id N could skip an N-1 that commits later
 * (docs/figures.md has the same open problem for the fold).
 *
 * A delivery pass (hh_webhooks_deliver, run by the app's hooks thread)
 * claims due deliveries as the postman claims messages (SKIP LOCKED on
 * PostgreSQL: never two instances posting one delivery at once), builds
 * each body by the rule hh_webhook_body (no more personal data than the
 * subscriber may see), signs it the Standard Webhooks way and posts it.
 * 2xx: delivered. Timeout, connection error, 408, 429, 5xx: tried again
 * with exponential backoff and jitter, until a day after the event, then
 * failed. Any other status: failed at once. */
#ifndef HH_DOMAIN_WEBHOOKS_H
#define HH_DOMAIN_WEBHOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/rc.h"
#include "domain/actor.h"
#include "store/store.h"

/* The event types, as a subscription names them. */
#define HH_WH_CASE_SUBMITTED "case.submitted"
#define HH_WH_CASE_STATE "case.state_changed"
#define HH_WH_LETTER_SENT "letter.sent"
#define HH_WH_INQUIRY_TRANSFERRED "inquiry.transferred"
#define HH_WH_ARTICLE_CHANGED "article.changed"

#define HH_WH_SECRET_SIZE 64   /* "whsec_" + base64 of 32 bytes + NUL */
#define HH_WH_SIGNATURE_SIZE 64 /* "v1," + base64 of 32 bytes + NUL */
#define HH_WH_BACKOFF_FIRST 30      /* seconds before the second attempt */
#define HH_WH_BACKOFF_MAX (6 * 3600) /* longest wait between attempts */
#define HH_WH_GIVE_UP (24 * 3600)    /* failed a day after the event */

/* What a subscription is made of. events: n_events type names. */
struct hh_webhook_input {
	const char *url;
	const char *const *events;
	int n_events;
	int active; /* -1: not given (active) */
};

/* x-hooks2: 1 when who may manage its organisation's webhooks (an
 * organisation's admin): the staff menu's link. */
int hh_webhook_may_manage(const struct hh_actor *who);

/* Subscribes who's organisation (admin role) to in. allow_http: http://
 * to a loopback address (127.0.0.0/8, [::1], localhost) is allowed, else
 * only https:// (the server's --webhooks-allow-http-loopback, for tests).
 * On OK *out is the subscription (strings in a; its secret in clear, the
 * one time it is shown). INVALID with *field ("url", "events") on bad
 * input, FORBIDDEN for a caller who is not an organisation's admin. */
enum hh_rc hh_webhook_subscribe(struct hh_store *st, const struct hh_actor *who,
				struct hh_arena *a,
				const struct hh_webhook_input *in,
				int allow_http, struct hh_webhook_sub *out,
				const char **field);
/* Streams who's organisation's subscriptions (secret NULL: never shown
 * again). */
enum hh_rc hh_webhook_list(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *a, hh_webhook_sub_cb cb, void *ctx);
/* Removes subscription id of who's organisation and its deliveries;
 * NOT_FOUND when it has none of that id. */
enum hh_rc hh_webhook_unsubscribe(struct hh_store *st,
				  const struct hh_actor *who, int64_t id);
/* Pauses (active 0) or resumes (1) subscription id of who's
 * organisation: while paused, events get no delivery to it and those it
 * has wait. NOT_FOUND when it has none of that id. */
enum hh_rc hh_webhook_set_active(struct hh_store *st,
				 const struct hh_actor *who, int64_t id,
				 int active);
/* x-hooks2: subscription id of who's organisation into *out (strings
 * in a; no secret). NOT_FOUND when it has none of that id. */
enum hh_rc hh_webhook_get(struct hh_store *st, const struct hh_actor *who,
			  struct hh_arena *a, int64_t id,
			  struct hh_webhook_sub *out);
/* x-hooks2: changes subscription id of who's organisation: in's url
 * (NULL: kept), events (n_events < 0: kept) and active (-1: kept), each
 * checked as hh_webhook_subscribe checks it (INVALID, *field). New
 * event types apply to events from now on; deliveries already queued
 * stay. On OK *out is the subscription as changed (no secret).
 * NOT_FOUND when who's organisation has none of that id. */
enum hh_rc hh_webhook_change(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *a, int64_t id,
			     const struct hh_webhook_input *in, int allow_http,
			     struct hh_webhook_sub *out, const char **field);
/* x-hooks2: gives subscription id of who's organisation a new secret,
 * *secret (in a, shown this once). Until now + HH_WH_ROTATE_OVERLAP
 * deliveries carry two signatures, the new secret's and the old's, so
 * the receiver can switch without losing any; then the new one's only.
 * A second rotation within that time replaces the older secret. Both
 * are kept sealed by the vault. NOT_FOUND as above. */
#define HH_WH_ROTATE_OVERLAP (24 * 3600)
enum hh_rc hh_webhook_rotate(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *a, int64_t id, int64_t now,
			     const char **secret);
/* x-hooks2: queues a "webhook.test" delivery to subscription id of
 * who's organisation through the outbox (an event "webhook"/"test" in
 * the event log, and a delivery of it to that subscription only):
 * signed, retried and listed as any other. *delivery_id its id. A
 * paused subscription's waits until it is resumed. NOT_FOUND as above. */
#define HH_WH_TEST "webhook.test"
enum hh_rc hh_webhook_send_test(struct hh_store *st,
				const struct hh_actor *who, int64_t id,
				int64_t *delivery_id);
/* x-hooks2: deletes the deliveries that are done (delivered, failed,
 * skipped) and were last written more than keep_days days before now,
 * in transactions of at most batch rows (0: 500), pending ones never;
 * and forgets rotated-out secrets whose overlap has ended. *deleted
 * (may be NULL): how many. */
#define HH_WH_KEEP_DAYS 30
enum hh_rc hh_webhooks_prune(struct hh_store *st, int64_t now, int keep_days,
			     int batch, int64_t *deleted);
/* Streams the deliveries of who's organisation (of sub_id when not 0),
 * newest first, at most limit. */
enum hh_rc hh_webhook_deliveries(struct hh_store *st,
				 const struct hh_actor *who, struct hh_arena *a,
				 int64_t sub_id, int64_t limit,
				 hh_webhook_delivery_cb cb, void *ctx);

/* ---- the rule: what a subscriber sees ------------------------------
 * The body of delivery d (claimed: with its event and the subscriber's
 * organisation) as compact JSON in a: {"type", "timestamp", "data"}.
 * data by event type, "own" meaning the event's organisation is the
 * subscriber's:
 *   case.submitted, case.state_changed: own: case_id, action, state,
 *     previous_state and the event's details (deadline, case type, a
 *     request's text); another organisation's case: case_id, state and
 *     organisation_id only (never a citizen, a CPR number, form values
 *     or texts).
 *   letter.sent, inquiry.transferred: own only (the topics say so);
 *     letter: letter_id, case_id, kind, title; inquiry: inquiry_id,
 *     channel, transfer_org_id, transfer_team (no citizen, no note).
 *   article.changed: any organisation's (published content):
 *     article_id, action, organisation_id (0: shared), slug, title.
 *   inquiry.transferred to the organisation it was transferred to
 *     (x-hooks2): inquiry_id, organisation_id (the sender), channel,
 *     transfer_org_id, transfer_team (no citizen, no note).
 *   webhook.test: subscription_id (hh_webhook_send_test).
 * NOT_FOUND: the event is not of d's type (a case event that changed no
 * state, an inquiry outcome that is not a transfer): nothing to send. */
enum hh_rc hh_webhook_body(const struct hh_webhook_delivery *d,
			   struct hh_arena *a, const char **out);

/* ---- signing ---------------------------------------------------------- */

/* A new secret, "whsec_" + base64 of 32 random bytes. */
void hh_webhook_secret_new(char out[HH_WH_SECRET_SIZE]);
/* The Standard Webhooks signature of body: "v1," + base64(HMAC-SHA256(
 * key, id + "." + timestamp + "." + body)), key the base64 after
 * "whsec_" of secret. INVALID when secret is not such a secret. */
enum hh_rc hh_webhook_sign(const char *secret, const char *id,
			   int64_t timestamp, const char *body, size_t len,
			   char out[HH_WH_SIGNATURE_SIZE]);

/* ---- delivery --------------------------------------------------------- */

/* One POST: the app's HTTP client (libcurl in app/hooks.c). headers are
 * n "Name: value" lines. *status: the HTTP status, 0 when there was
 * none (timeout, connection refused: err says what, in English), and
 * HH_WH_REFUSED when every address the URL's host resolved to was one
 * hh_webhook_addr_allowed refuses (err names it): nothing was sent. When
 * one was allowed and could not be reached, the attempt failed as any
 * other (status 0, retried), not as refused. The
 * poster must check each address it connects to, not the URL's text
 * (a name may resolve to anything, and to something else next time). */
#define HH_WH_REFUSED (-1L)
struct hh_webhook_poster {
	void *cls;
	void (*post)(const struct hh_webhook_poster *self, const char *url,
		     const char *const *headers, int n, const char *body,
		     size_t len, int timeout_s, long *status, char *err,
		     size_t errsz);
	int timeout_s;      /* per attempt; 0: 10 */
	int allow_loopback; /* --webhooks-allow-http-loopback: tests only */
	/* tests: "HOST:PORT:ADDR[,ADDR...]" used in place of DNS for HOST
	 * (libcurl's CURLOPT_RESOLVE); NULL in production */
	const char *resolve;
};

/* x-hooks2, the SSRF rule: 1 when a delivery may connect to sa (an
 * AF_INET or AF_INET6 socket address), 0 for this machine (127.0.0.0/8,
 * ::1; allowed when allow_loopback), the municipality's own networks
 * (10/8, 172.16/12, 192.168/16, 100.64/10 shared, fc00::/7), link-local
 * (169.254/16, the cloud metadata address among them, fe80::/10),
 * multicast, unspecified and reserved addresses (0/8, 240/4, ::,
 * ff00::/8), and IPv6 addresses carrying such an IPv4 address
 * (::ffff:0:0/96, ::/96, 64:ff9b::/96, 2002::/16). Any other family: 0.
 * text, when not NULL, gets the address as text (INET6_ADDRSTRLEN). */
struct sockaddr;
int hh_webhook_addr_allowed(const struct sockaddr *sa, int allow_loopback,
			    char *text, size_t textsz);

struct hh_webhook_stats {
	int delivered, retried, failed, skipped, stale;
};

/* A delivery pass at now (seconds): claims at most limit due deliveries,
 * posts each and records the outcome. stats may be NULL. Signed with
 * the subscription's secret and, while a rotation's overlap lasts, with
 * the one it replaced too (two space-separated signatures). A delivery
 * whose every address is refused (HH_WH_REFUSED) fails at once with
 * last_error "address not allowed (ADDRESS)". */
enum hh_rc hh_webhooks_deliver(struct hh_store *st,
			       const struct hh_webhook_poster *poster,
			       int64_t now, int limit,
			       struct hh_webhook_stats *stats);
/* When a delivery that failed its attempt-th attempt (1: the first) is
 * tried next, from now: HH_WH_BACKOFF_FIRST doubled each attempt up to
 * HH_WH_BACKOFF_MAX, times a random 0.75..1.25 (jitter, so that many
 * deliveries to one receiver that was down do not come back at once). */
int64_t hh_webhook_next_attempt(int64_t now, int64_t attempt);

#endif
