/* app.h - the web plumbing both doors share: the application context,
 * who is calling (the principal), CSRF, cookies, the route table.
 *
 * api/ (JSON) and pages/ (HTML) include this header and their own
 * (api/api.h, pages/pages.h), never each other's. Nothing here knows a
 * rule of the domain: the principal is handed to domain functions, which
 * decide what it may see and do. */
#ifndef HH_APP_APP_H
#define HH_APP_APP_H

#include <stdatomic.h>

#include "domain/actor.h"
#include "http/http.h"
#include "http/json.h"
#include "domain/oidc.h"
#include "search/index.h"
#include "store/store.h"

struct hh_limiter;
struct hh_postman; /* delivery */
struct hh_hooks; /* x-hooks */
struct hh_topics;  /* domain/topics.h */

/* s-http (issue 13): the topics' names as last read from the store, for
 * the pages that name topics on every request (hh_app_topics). Held in
 * the application itself (no allocation): names that do not fit are not
 * kept, and then every request reads the store as before. */
#define HH_APP_TOPICS_TEXT 4096
struct hh_app_topics {
	int64_t read_at;   /* hh_mono_us when read; 0: never */
	int n;             /* groups named */
	uint16_t at[100];  /* by KLE main group: offset + 1 in text; 0: none */
	char text[HH_APP_TOPICS_TEXT];
};

struct hh_app {
	struct hh_store *store;
	struct hh_server *server;
	int demo;
	/* Add Secure to cookies (on outside --demo); a trusted proxy that
	 * says the client came over TLS turns it on for that request. */
	int secure_cookies;
	/* The address citizens reach helhed at ("https://selvbetjening.
	 * kommune.dk"), for links that must be absolute; the Host header
	 * is never used for them. */
	const char *public_url;
	/* Writes (POST, PUT, PATCH, DELETE) allowed per client address, per
	 * signed-in account and per API token; NULL: no limit. */
	struct hh_limiter *writes_by_client;
	struct hh_limiter *writes_by_account;
	struct hh_limiter *writes_by_token;
	/* appointments: anonymous writes on HH_ROUTE_ANON_LIMITED routes
	 * (bookings) per client address; NULL: no such limit. */
	struct hh_limiter *anon_writes_by_client;
	/* Renders a refused write for a page (429); NULL: problem+json. */
	hh_handler too_many_page;
	atomic_int ready; /* set by the main thread, read by workers */
	struct hh_index *index; /* the search index (derived from the store) */
	struct hh_oidc *oidc;   /* OpenID Connect sign-in, or NULL */
	int password_login_off; /* staff may not sign in with a password
				   (0, the default: they may) */
	/* chat: its rate limits, made on first use (app/chat.h; freed by
	 * hh_chat_limits_free) */
	struct hh_chat_limits *chat_limits;
	/* delivery: the Digital Post worker (app/postman.h; NULL: none, as
	 * in tests without one) and the folder of the print batches */
	struct hh_postman *postman;
	const char *print_dir;
	/* x-hooks: the webhook worker (app/hooks.h; NULL: none, as in
	 * tests without one), and whether subscriptions may post over
	 * http:// to a loopback address (--webhooks-allow-http-loopback,
	 * for tests only; else https:// only) */
	struct hh_hooks *hooks;
	int webhooks_allow_http;
	/* s-http: the topics for hh_app_topics (zero: none read yet) */
	struct hh_app_topics topics_cache;
};

/* The route table (api and pages), ending with a NULL pattern. */
extern const struct hh_route hh_routes[];

/* Establishes the caller from a bearer token, the staff session cookie or
 * the citizen session cookie, once per request (later calls return the
 * same). Returns the principal, borrowed from r (anonymous when nothing
 * valid was presented). */
const struct hh_principal *hh_auth(struct hh_req *r);
/* The caller as a domain actor (anonymous: label NULL, no roles). */
void hh_actor_of(struct hh_req *r, struct hh_actor *out);
/* For unsafe methods with a session cookie: 1 if the CSRF token (header
 * X-CSRF-Token, or form field csrf) matches; bearer tokens need none. */
int hh_csrf_ok(struct hh_req *r, const char *form_value);

/* For the server (struct hh_server_config): 1 when the caller of r is
 * signed in, so that a route's larger body may be read. */
int hh_app_session_ok(struct hh_req *r);
/* For the server: the write limits per client address, account and API
 * token. Answers 429 (with Retry-After) and returns 0 when one is spent;
 * reads always pass. */
int hh_app_gate(struct hh_req *r);

/* The version a client says it is changing: If-Match: "3" (or 3).
 * 0 when absent, -1 when malformed. */
int64_t hh_if_match(struct hh_req *r);

/* Cookies, written in one place. A strict cookie is HttpOnly and
 * SameSite=Strict (sessions, sign-in nonces); a preference cookie is
 * SameSite=Lax and readable by scripts (the chosen municipality); a
 * return cookie is HttpOnly and SameSite=Lax, for what must come back
 * with the identity provider's cross-site redirect (an OpenID Connect
 * sign-in in progress). All get Secure behind TLS. path NULL means "/". */
enum hh_cookie_kind { HH_COOKIE_STRICT = 0, HH_COOKIE_PREFERENCE = 1,
		      HH_COOKIE_RETURN = 2 };
void hh_cookie_set(struct hh_req *r, enum hh_cookie_kind kind,
		   const char *name, const char *value, const char *path,
		   int max_age);
void hh_cookie_clear(struct hh_req *r, enum hh_cookie_kind kind,
		     const char *name, const char *path);

/* feedback and the service figures: the anonymous visit, cookie hh_visit
 * (128 random bits as 32 hex digits; HttpOnly, SameSite=Lax, Secure as
 * the other cookies, Max-Age one day and never renewed, so a browser gets
 * a new one every day). It ties a search to what the same browser did
 * next (search success) and keeps one answer per page and day; it names
 * no person and is never logged (docs/security.md). Returns the cookie
 * the request carries when it is a visit id; otherwise, with make, a new
 * one set on the response (call at most once per request), else NULL.
 * The string is borrowed from r's arena. */
#define HH_VISIT_COOKIE "hh_visit"
const char *hh_visit(struct hh_req *r, int make);

/* s-http (issue 13): the topics' names (domain/topics.h hh_topics_load)
 * into *out, names in a. They change only with an import of the content,
 * so they are read from the store at most once every
 * HH_APP_TOPICS_TTL_US and copied from app's cache in between: a page
 * that names topics on every request (the search results' facets) does
 * not read the store and parse the list each time. Another process's
 * import (or an import in this one) shows within that time. Returns the
 * store's error when it has to read and cannot (*out then empty). */
#define HH_APP_TOPICS_TTL_US 1000000
enum hh_rc hh_app_topics(struct hh_app *app, struct hh_arena *a,
			 struct hh_topics *out);

#endif
