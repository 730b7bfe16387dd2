/* http.h - the request context, responses, routes and the server.
 *
 * Each request owns a struct hh_req with its own arena. A handler reads
 * the request through hh_req_* and answers with exactly one hh_resp_* call;
 * the server sends that response when the handler returns. */
#ifndef HH_HTTP_H
#define HH_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/rc.h"

struct hh_app;
struct MHD_Connection;

enum hh_method {
	HH_GET = 1 << 0,
	HH_HEAD = 1 << 1,
	HH_POST = 1 << 2,
	HH_PUT = 1 << 3,
	HH_DELETE = 1 << 4,
	HH_PATCH = 1 << 5,
	HH_OPTIONS = 1 << 6,
};

enum hh_error_code {
#define HH_ERROR(name, code, status, da, en) HH_E_##name,
#include "http/errors.def"
#undef HH_ERROR
	HH_E__COUNT
};

#define HH_MAX_PARAMS 4

struct hh_req {
	struct hh_arena arena;
	struct hh_app *app;
	struct MHD_Connection *conn;
	enum hh_method method;
	const char *method_name;
	const char *path;
	int64_t started_us;      /* wall clock, for the log */
	int64_t started_us_mono; /* for the duration */

	/* the client's address (the socket peer, or when that is a trusted
	 * proxy the first untrusted X-Forwarded-For entry from the right),
	 * whether a trusted proxy says it came over TLS, and the route
	 * matched when the headers arrived */
	const char *client;
	int forwarded_tls;
	const struct hh_route *route;
	unsigned allowed; /* methods the path accepts, when no route */

	/* body, accumulated up to the route's cap; reserved: the bytes of
	 * the server's body budget this request holds */
	struct hh_buf body;
	size_t body_max;
	size_t reserved;
	int64_t body_deadline_us; /* monotonic: the whole body by then */
	int body_too_large;
	int over_budget; /* the server's body budget was spent */

	/* route parameters {name} */
	const char *param_names[HH_MAX_PARAMS];
	const char *param_values[HH_MAX_PARAMS];
	int n_params;

	/* the caller, established by the app layer on first use (an
	 * opaque pointer here: http/ knows nothing of sign-in), and the
	 * label the request's log line names it by */
	void *caller;
	const char *log_actor;

	/* the response */
	int status;
	const char *content_type;
	struct hh_buf resp;
	const char *hdr_names[8];
	const char *hdr_values[8];
	int n_hdrs;
	int responded;
	int queued; /* the response was handed to MHD */
	int lane;   /* enum in server.c: on the slow lane, and done */
	void *static_response; /* a prebuilt MHD response (static files) */

	/* waiting for a notification (hh_req_wait): the server that holds
	 * r, the key, the generation the handler saw, the deadline, and
	 * the next waiter of the same bucket */
	struct hh_server *server;
	uint64_t wait_key, wait_gen;
	int64_t wait_deadline_us;
	int wait_state; /* enum in server.c */
	struct hh_req *wait_next;
};

typedef void (*hh_handler)(struct hh_req *r);

/* Route flags. */
enum {
	/* Runs on the server's slow lane, a small pool of its own threads
	 * (password hashing, calls to other servers), so that a flood of
	 * such requests waits in a bounded queue and cannot starve the
	 * threads that serve everything else. A full queue is a 503. */
	HH_ROUTE_SLOW = 1 << 0,
	/* appointments: an anonymous write here also spends the client
	 * address's allowance of such writes (the app's gate), so a script
	 * cannot book up the counter without signing in. */
	HH_ROUTE_ANON_LIMITED = 1 << 1,
};

struct hh_route {
	unsigned methods;    /* bit set of enum hh_method */
	const char *pattern; /* "/api/v1/articles/{slug}"; a trailing "*"
				matches the rest */
	hh_handler handler;
	unsigned flags;      /* HH_ROUTE_* */
	/* The body this route takes from a signed-in caller (0: only the
	 * server's small limit, which is all anyone gets before sign-in
	 * is checked). */
	size_t body_max;
};

/* ---- reading the request ---------------------------------------------- */

/* Route parameter by name, or NULL. Borrowed. */
const char *hh_req_param(struct hh_req *r, const char *name);
/* Route parameter name as a row id: decimal digits only, above 0 (a sign,
 * a space or anything after the digits gives 0, as does a number too big
 * for int64_t). With suffix (may be NULL) the digits may be followed by
 * exactly it ("12.pdf"). */
int64_t hh_req_id(struct hh_req *r, const char *name, const char *suffix);
/* Query argument by name (URL-decoded), or NULL. Borrowed. */
const char *hh_req_query(struct hh_req *r, const char *name);
/* Request header by name (case-insensitive), or NULL. Borrowed. */
const char *hh_req_header(struct hh_req *r, const char *name);
/* Cookie value by name, or NULL. Borrowed. */
const char *hh_req_cookie(struct hh_req *r, const char *name);
/* The client's address ("127.0.0.1", "::1"). Borrowed. */
const char *hh_req_client(struct hh_req *r);
/* The client's network for limits: the IPv4 address, or the /64 of an
 * IPv6 address ("2001:db8:1:2::/64"), since one IPv6 client holds a
 * whole /64. Into r's arena. */
const char *hh_req_client_net(struct hh_req *r);
/* 1 when a trusted proxy says the client came over TLS. */
int hh_req_forwarded_tls(struct hh_req *r);
/* Form field from an application/x-www-form-urlencoded body (decoded into
 * the arena), or NULL. */
const char *hh_req_form(struct hh_req *r, const char *name);

/* The first query argument whose name is not one of known (a NULL-
 * terminated list), or NULL when all are known. Borrowed. (figures: the
 * API refuses parameters it does not take) */
const char *hh_req_query_unknown(struct hh_req *r, const char *const *known);

/* Parses an integer query argument; on absence gives def; returns 0 and
 * queues a 400 problem naming the parameter when it is not an integer in
 * [min, max]. */
int hh_req_query_int(struct hh_req *r, const char *name, int64_t def,
		     int64_t min, int64_t max, int64_t *out);

/* ---- responding ------------------------------------------------------- */

void hh_resp_header(struct hh_req *r, const char *name, const char *value);
/* Takes a reference to json (stolen) and sends it with status. */
void hh_resp_json(struct hh_req *r, int status, json_t *json);
/* The same with another JSON media type (application/problem+json). */
void hh_resp_json_as(struct hh_req *r, int status, const char *ctype,
		     json_t *json);
/* Sends what the handler wrote into r->resp, as ctype (static), with
 * status. */
void hh_resp_body(struct hh_req *r, int status, const char *ctype);
/* Sends data as a download named name (any bytes: quotes, CR and LF
 * cannot break the header) with ctype (static; the caller decides which
 * types it trusts), sandboxed by Content-Security-Policy and
 * "Cache-Control: private, no-store". (casework tools) */
void hh_resp_attachment(struct hh_req *r, const char *name, const char *ctype,
			const void *data, size_t len);
/* Sends the HTML in r->resp with status. */
void hh_resp_html(struct hh_req *r, int status);
void hh_resp_text(struct hh_req *r, int status, const char *ctype,
		  const char *text);
void hh_resp_redirect(struct hh_req *r, int status, const char *location);
/* Sends an RFC 9457 problem+json for code; field and detail may be NULL. */
void hh_resp_problem(struct hh_req *r, enum hh_error_code code,
		     const char *field, const char *detail);
/* Maps a domain rc to a problem (INVALID → invalid-field etc.). */
void hh_resp_rc(struct hh_req *r, enum hh_rc rc, const char *field);

/* Static data of the error registry. */
int hh_error_status(enum hh_error_code code);
const char *hh_error_code_name(enum hh_error_code code);
const char *hh_error_title_da(enum hh_error_code code);
const char *hh_error_hint_en(enum hh_error_code code);
/* Renders the problem document (new reference). */
json_t *hh_problem_json(enum hh_error_code code, const char *field,
			const char *detail, const char *instance);

/* ---- waiting for something to happen (long polling) ------------------- */

/* A handler that has nothing to answer yet (no message after N) parks
 * its request instead of responding: the connection is suspended, no
 * thread is held, and the handler runs again when the key is notified
 * or the deadline passes. The pattern:
 *
 *	uint64_t gen = hh_req_wait_gen(r, key);   // before looking
 *	... look in the store; something there: respond, return ...
 *	if (!hh_req_wait_expired(r) &&
 *	    hh_req_wait(r, key, gen, r->started_us_mono + 25000000))
 *		return;                             // parked
 *	... respond with nothing new ...
 *
 * A notification between hh_req_wait_gen and hh_req_wait is not lost:
 * the handler then runs again at once. Keys share buckets, so a handler
 * may be run again without anything new for it; it then parks again
 * until its deadline. */
uint64_t hh_req_wait_gen(struct hh_req *r, uint64_t key);
/* Parks r until key is notified after gen or deadline_us (monotonic).
 * Returns 1 when parked (the handler must not respond), 0 when the
 * server holds its most waiting requests or is stopping (the handler
 * answers now). */
int hh_req_wait(struct hh_req *r, uint64_t key, uint64_t gen,
		int64_t deadline_us);
/* 1 when r's wait has run out (or the server is stopping): the handler
 * answers with what it has. */
int hh_req_wait_expired(struct hh_req *r);
/* Wakes every request parked on key (any thread; cheap when none). */
void hh_server_notify(struct hh_server *s, uint64_t key);

/* ---- routing ---------------------------------------------------------- */

/* Finds the route for method and path. Returns the route, or NULL with
 * *allowed set to the methods the path accepts (0: no such path). Fills
 * the request's route parameters. */
const struct hh_route *hh_route_match(const struct hh_route *table,
				      struct hh_req *r, enum hh_method m,
				      const char *path, unsigned *allowed);
enum hh_method hh_method_parse(const char *name);
/* "GET, HEAD, POST" for a method set, into buf (at least 64 bytes). */
void hh_methods_format(unsigned set, char *buf, size_t size);

/* ---- server ------------------------------------------------------------ */

struct hh_server_config {
	const char *listen; /* "127.0.0.1:8080"; port 0 picks a free one */
	int threads;
	/* Bodies: body_limit is what any request may send before the
	 * caller is known (a route's body_max applies once session_ok
	 * says the caller is signed in); body_budget caps the bytes all
	 * requests together may hold (0: 64 MiB); past it new bodies get
	 * a 503 until others finish. */
	size_t body_limit;
	size_t body_budget;
	/* A body must arrive within body_seconds plus a second per 32 KiB
	 * (0: 10 s), or the connection is closed. */
	int body_seconds;
	/* Connections: at most per_client at once from one address (0: no
	 * cap, for a server behind a load balancer that limits), closed
	 * after idle_timeout_s without a byte (0: 15 s). */
	int per_client;
	int idle_timeout_s;
	/* Requests parked by hh_req_wait at most (0: 10,000), and all
	 * connections at most (0: 16,384; each takes a file descriptor). */
	int max_waiting;
	int max_connections;
	/* The slow lane: workers and queued requests (0: 1 and 64). */
	int slow_workers;
	int slow_queue;
	/* o-tls (issue 17): the reverse proxies whose X-Forwarded-For and
	 * X-Forwarded-Proto count, as hh_netlist_parse reads them
	 * ("127.0.0.2, 10.0.0.0/24"); NULL: none, every client is its
	 * socket peer. A list that does not parse fails the start. The
	 * per_client cap then spares these addresses. */
	const char *trusted_proxies;
	/* o-tls: send Strict-Transport-Security on every response (the
	 * public address is https) */
	int hsts;
	/* 1 when the caller of r is signed in (admits a route's larger
	 * body_max); NULL: never. */
	int (*session_ok)(struct hh_req *r);
	/* Called before the handler; answers r and returns 0 to stop it
	 * (rate limits). NULL: everything passes. */
	int (*gate)(struct hh_req *r);
	const char *web_dir; /* static assets served under /static/ */
	int log_requests;
	/* Renders 404 for paths outside /api/ (an HTML page); NULL: the
	 * problem+json 404 everywhere. */
	hh_handler not_found;
	/* Renders 413 for paths outside /api/ (a page sent from a form);
	 * NULL: problem+json everywhere. */
	hh_handler too_large;
	/* Renders 503 for paths outside /api/ when the server is too busy
	 * to take the request (body budget, slow lane full). */
	hh_handler busy;
};

struct hh_server;

/* Starts serving the route table with app as context. Returns new. */
enum hh_rc hh_server_start(const struct hh_server_config *cfg,
			   const struct hh_route *routes, struct hh_app *app,
			   struct hh_server **out);
/* The port actually bound. */
int hh_server_port(struct hh_server *s);
/* Stops accepting, lets in-flight requests finish (up to timeout_ms), then
 * stops and frees the server. */
void hh_server_stop(struct hh_server *s, int timeout_ms);
/* Counters for /metrics. */
void hh_server_metrics(struct hh_server *s, struct hh_buf *out);

#endif
