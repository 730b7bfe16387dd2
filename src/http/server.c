/* server.c - libmicrohttpd glue: requests, bodies, responses, static files,
 * request logs, metrics and a draining shutdown. */
#include "http/http.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <microhttpd.h>
#include <pthread.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/netlist.h"
#include "core/util.h"

struct static_file {
	char *path; /* "/static/style.css" */
	struct MHD_Response *resp;
	char etag[24];
};

struct hh_server {
	struct MHD_Daemon *daemon;
	const struct hh_route *routes;
	struct hh_app *app;
	struct hh_server_config cfg;
	int port;
	struct static_file *files;
	size_t n_files;
	atomic_long in_flight;
	/* set when the server stops: new connections are closed as they
	 * are accepted (see hh_server_stop) */
	atomic_int stopping;
	atomic_long requests;
	atomic_long by_class[6]; /* 1xx..5xx */
	atomic_llong duration_us;
	int64_t started_us;

	/* bodies: bytes reserved by requests in progress, and whether
	 * enough was held since the last trim that freed memory is worth
	 * handing back to the system */
	atomic_llong buffered;
	atomic_int trim_due;
	atomic_long refused_busy;

	/* the slow lane: a queue of suspended requests and its workers */
	pthread_mutex_t lane_lock;
	pthread_cond_t lane_cond;
	struct hh_req **lane_q; /* ring of cfg.slow_queue */
	int lane_head, lane_len, lane_pending, lane_stop;
	pthread_t *lane_threads;
	int n_lane_threads;

	/* parked requests (hh_req_wait): buckets of a key's hash, each
	 * with a generation raised by every notification of a key in it;
	 * one lock (notifications and parkings are short); a timer thread
	 * wakes the requests whose deadline passed */
	pthread_mutex_t wait_lock;
	pthread_cond_t wait_cond;
	struct wait_bucket *wait_buckets;
	long n_waiting;
	int wait_stop;
	pthread_t wait_timer;
	int wait_timer_started;
	atomic_long waits_total;

	/* o-tls (issue 17): the proxies whose forwarded headers count
	 * (cfg.trusted_proxies), and, when there are any, the open
	 * connections per peer address (MHD's own per-address cap cannot
	 * spare the proxies): a chained table under one lock, touched
	 * once as a connection opens and once as it closes */
	struct hh_netlist trusted;
	pthread_mutex_t peers_lock;
	struct peer_count **peers; /* PEER_BUCKETS chains */
};

#define PEER_BUCKETS 1024

/* o-tls: a year, the figure browsers' preload lists ask for; without
 * includeSubDomains, as a municipality's other hosts are not helhed's
 * to promise for */
#define HSTS_VALUE "max-age=31536000"

struct peer_count {
	unsigned char addr[16];
	int open;
	struct peer_count *next;
};

#define WAIT_BUCKETS 4096

struct wait_bucket {
	uint64_t gen;
	struct hh_req *head;
};

enum { LANE_NONE, LANE_QUEUED, LANE_DONE };

/* A request's wait (hh_req_wait): none; asked for by its handler, not
 * parked yet; parked (suspended, in a bucket); woken by a notification;
 * run out. */
enum { WAIT_NONE, WAIT_ASKED, WAIT_PARKED, WAIT_FIRED, WAIT_EXPIRED };

/* ---- static files ---------------------------------------------------- */

static const char *mime_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".ico"))
		return "image/x-icon";
	if (!strcmp(dot, ".txt"))
		return "text/plain; charset=utf-8";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	if (!strcmp(dot, ".woff2"))
		return "font/woff2";
	return "application/octet-stream";
}

static void load_dir(struct hh_server *s, const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char full[4096], url[4096];
		snprintf(full, sizeof(full), "%s/%s", dir, e->d_name);
		snprintf(url, sizeof(url), "%s/%s", prefix, e->d_name);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			load_dir(s, full, url);
			continue;
		}
		if (!S_ISREG(st.st_mode) || st.st_size > 4 << 20)
			continue;
		FILE *f = fopen(full, "rb");
		if (!f)
			continue;
		char *data = hh_xmalloc((size_t)st.st_size + 1);
		size_t n = fread(data, 1, (size_t)st.st_size, f);
		fclose(f);
		uint64_t h = 1469598103934665603ULL; /* FNV-1a */
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)data[i]) * 1099511628211ULL;
		s->files = hh_xrealloc(s->files,
				       (s->n_files + 1) * sizeof(*s->files));
		struct static_file *sf = &s->files[s->n_files++];
		sf->path = hh_xstrdup(url);
		snprintf(sf->etag, sizeof(sf->etag), "\"%016llx\"",
			 (unsigned long long)h);
		sf->resp = MHD_create_response_from_buffer(n, data,
							   MHD_RESPMEM_MUST_FREE);
		MHD_add_response_header(sf->resp, "Content-Type",
					mime_of(e->d_name));
		MHD_add_response_header(sf->resp, "Cache-Control",
					"public, max-age=86400");
		MHD_add_response_header(sf->resp, "ETag", sf->etag);
		MHD_add_response_header(sf->resp, "X-Content-Type-Options",
					"nosniff");
		if (s->cfg.hsts)
			MHD_add_response_header(sf->resp,
						"Strict-Transport-Security",
						HSTS_VALUE);
	}
	closedir(d);
}

static const struct static_file *find_static(struct hh_server *s,
					     const char *path)
{
	for (size_t i = 0; i < s->n_files; i++)
		if (strcmp(s->files[i].path, path) == 0)
			return &s->files[i];
	return NULL;
}

/* ---- request helpers ------------------------------------------------- */

const char *hh_req_query(struct hh_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct unknown_ctx {
	const char *const *known;
	const char *found;
};

static enum MHD_Result unknown_arg(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct unknown_ctx *u = cls;
	for (const char *const *k = u->known; *k; k++)
		if (!strcmp(*k, key))
			return MHD_YES;
	u->found = key;
	return MHD_NO;
}

const char *hh_req_query_unknown(struct hh_req *r, const char *const *known)
{
	struct unknown_ctx u = { known, NULL };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, unknown_arg, &u);
	return u.found;
}

const char *hh_req_header(struct hh_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *hh_req_cookie(struct hh_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

const char *hh_req_client(struct hh_req *r)
{
	return r->client ? r->client : "";
}

const char *hh_req_client_net(struct hh_req *r)
{
	const char *c = hh_req_client(r);
	struct in6_addr a;
	if (!strchr(c, ':') || inet_pton(AF_INET6, c, &a) != 1)
		return c;
	memset(a.s6_addr + 8, 0, 8);
	char buf[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, &a, buf, sizeof(buf));
	return hh_arena_printf(&r->arena, "%s/64", buf);
}

int hh_req_forwarded_tls(struct hh_req *r)
{
	return r->forwarded_tls;
}

/* The socket peer of a connection as 16 bytes (netlist.h); 0 when MHD
 * cannot say (then all zeros). */
static int peer_of(const struct sockaddr *sa, unsigned char out[16])
{
	memset(out, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 1;
	}
	if (sa && sa->sa_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return 1;
	}
	return 0;
}

struct xff_ctx {
	struct hh_buf all;
	int n;
};

static enum MHD_Result xff_collect(void *cls, enum MHD_ValueKind kind,
				   const char *key, const char *value)
{
	struct xff_ctx *x = cls;
	if (strcasecmp(key, "X-Forwarded-For") || !value)
		return MHD_YES;
	if (x->n++)
		hh_buf_putc(&x->all, ',');
	hh_buf_puts(&x->all, value);
	return MHD_YES;
}

/* The address of the client, into the arena, and whether it came over
 * TLS (o-tls, issue 17): the socket's peer, unless the peer is one of
 * the trusted proxies; then the first address in X-Forwarded-For, walked
 * from the right, that is not a trusted proxy (hh_netlist_client: the
 * entries a client wrote itself are left of its proxy's and are never
 * reached), and X-Forwarded-Proto. Several X-Forwarded-For headers count
 * as one list, in their order (RFC 9110 5.3). RFC 7239's Forwarded is
 * not read, from anyone: Debian 12's HAProxy (2.6) and nginx send
 * X-Forwarded-For, and a header nobody reads cannot be forged. Every
 * user of the address (write limits, sign-in throttling, chat limits,
 * the request log) reads this one answer, r->client. */
static const char *client_of(struct hh_server *s, struct hh_req *r)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	unsigned char peer[16], client[16];
	char buf[INET6_ADDRSTRLEN];
	if (!peer_of(ci ? ci->client_addr : NULL, peer))
		return "";
	if (!hh_netlist_has(&s->trusted, peer))
		return hh_arena_strdup(&r->arena,
				       hh_addr_format(peer, buf, sizeof(buf)));
	struct xff_ctx x = { .n = 0 };
	hh_buf_init(&x.all);
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, xff_collect, &x);
	hh_netlist_client(&s->trusted, peer, x.n ? hh_buf_str(&x.all) : NULL,
			  client);
	hh_buf_clear(&x.all);
	const char *p = hh_req_header(r, "X-Forwarded-Proto");
	if (p) {
		while (*p == ' ' || *p == '\t')
			p++;
		size_t n = strcspn(p, " \t");
		r->forwarded_tls = n == 5 && strncasecmp(p, "https", 5) == 0 &&
				   !p[n + strspn(p + n, " \t")];
	}
	return hh_arena_strdup(&r->arena, hh_addr_format(client, buf, sizeof(buf)));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *form_decode(struct hh_arena *a, const char *s, size_t n)
{
	char *out = hh_arena_alloc(a, n + 1), *p = out;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*p++ = ' ';
		} else if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
			   hexval(s[i + 2]) >= 0) {
			*p++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else {
			*p++ = s[i];
		}
	}
	*p = 0;
	return out;
}

const char *hh_req_form(struct hh_req *r, const char *name)
{
	const char *ct = hh_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return NULL;
	const char *s = hh_buf_str(&r->body);
	size_t nlen = strlen(name);
	while (*s) {
		const char *amp = strchr(s, '&');
		size_t len = amp ? (size_t)(amp - s) : strlen(s);
		const char *eq = memchr(s, '=', len);
		size_t klen = eq ? (size_t)(eq - s) : len;
		char *key = form_decode(&r->arena, s, klen);
		if (strlen(key) == nlen && memcmp(key, name, nlen) == 0) {
			if (!eq)
				return "";
			return form_decode(&r->arena, eq + 1,
					   len - klen - 1);
		}
		s += len;
		if (*s == '&')
			s++;
	}
	return NULL;
}

int hh_req_query_int(struct hh_req *r, const char *name, int64_t def,
		     int64_t min, int64_t max, int64_t *out)
{
	const char *v = hh_req_query(r, name);
	if (!v) {
		*out = def;
		return 1;
	}
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, name,
				hh_arena_printf(&r->arena,
						"%s must be an integer from "
						"%lld to %lld",
						name, (long long)min,
						(long long)max));
		return 0;
	}
	*out = n;
	return 1;
}

/* ---- responses ------------------------------------------------------- */

void hh_resp_header(struct hh_req *r, const char *name, const char *value)
{
	if (r->n_hdrs >= 8) {
		hh_log_bug("too many response headers on %s", r->path);
		return;
	}
	r->hdr_names[r->n_hdrs] = name;
	r->hdr_values[r->n_hdrs] = hh_arena_strdup(&r->arena, value);
	r->n_hdrs++;
}

static void responded(struct hh_req *r, int status)
{
	if (r->responded)
		hh_log_bug("second response on %s", r->path);
	r->responded = 1;
	r->status = status;
}

void hh_resp_json_as(struct hh_req *r, int status, const char *ctype,
		     json_t *json)
{
	responded(r, status);
	r->content_type = ctype;
	hh_buf_reset(&r->resp);
	char *s = json_dumps(json, JSON_COMPACT);
	json_decref(json);
	if (s) {
		hh_buf_puts(&r->resp, s);
		free(s);
	}
}

void hh_resp_json(struct hh_req *r, int status, json_t *json)
{
	hh_resp_json_as(r, status, "application/json", json);
}

void hh_resp_body(struct hh_req *r, int status, const char *ctype)
{
	responded(r, status);
	r->content_type = ctype;
}

/* casework tools: a file as a download (http.h) */
void hh_resp_attachment(struct hh_req *r, const char *name, const char *ctype,
			const void *data, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!name || !*name || !hh_utf8_valid(name, strlen(name)))
		name = "fil";
	struct hh_buf cd;
	hh_buf_init(&cd);
	/* the plain form: printable ASCII only, no quote or backslash */
	hh_buf_puts(&cd, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		hh_buf_putc(&cd, *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\'
					 ? (char)*p
					 : '_');
	/* RFC 8187: every byte but attr-char percent-encoded (so CR, LF
	 * and quotes can never end the header) */
	hh_buf_puts(&cd, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("!#$&+-.^_`|~", *p)) {
			hh_buf_putc(&cd, (char)*p);
		} else {
			hh_buf_putc(&cd, '%');
			hh_buf_putc(&cd, hex[*p >> 4]);
			hh_buf_putc(&cd, hex[*p & 15]);
		}
	}
	hh_resp_header(r, "Content-Disposition", hh_arena_strdup(&r->arena,
								 hh_buf_str(&cd)));
	hh_buf_clear(&cd);
	hh_resp_header(r, "Content-Security-Policy", "sandbox; default-src 'none'");
	hh_resp_header(r, "Cache-Control", "private, no-store");
	hh_buf_reset(&r->resp);
	hh_buf_append(&r->resp, data, len);
	hh_resp_body(r, 200, ctype);
}

void hh_resp_html(struct hh_req *r, int status)
{
	hh_resp_body(r, status, "text/html; charset=utf-8");
}

void hh_resp_text(struct hh_req *r, int status, const char *ctype,
		  const char *text)
{
	responded(r, status);
	r->content_type = ctype;
	hh_buf_reset(&r->resp);
	hh_buf_puts(&r->resp, text);
}

void hh_resp_redirect(struct hh_req *r, int status, const char *location)
{
	responded(r, status);
	r->content_type = "text/plain; charset=utf-8";
	hh_resp_header(r, "Location", location);
	hh_buf_reset(&r->resp);
}

/* ---- the MHD callbacks ---------------------------------------------- */

static void json_escape(struct hh_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			hh_buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			hh_buf_printf(b, "\\u%04x", c);
		else
			hh_buf_putc(b, (char)c);
	}
}

/* o-deb (issue 17): what looks like a CPR number in a logged path (six
 * digits, an optional hyphen, four digits, no digit either side) is
 * written as x's: no route takes one, but a client may send one anyway,
 * and the log must hold no personal data. Returns path, or buf (n bytes)
 * holding the masked copy. */
static const char *mask_cpr(const char *path, char *buf, size_t n)
{
	size_t len = strlen(path);
	int found = 0;
	for (size_t i = 0; i + 10 <= len; i++) {
		if ((i > 0 && isdigit((unsigned char)path[i - 1])))
			continue;
		size_t j = i, digits = 0;
		while (j < len && digits < 10) {
			if (isdigit((unsigned char)path[j]))
				digits++;
			else if (!(digits == 6 && path[j] == '-' && j == i + 6))
				break;
			j++;
		}
		if (digits != 10 || (j < len && isdigit((unsigned char)path[j])))
			continue;
		if (!found) {
			if (len >= n)
				return "/(a path with a CPR-like number)";
			memcpy(buf, path, len + 1);
			found = 1;
		}
		for (size_t k = i; k < j; k++)
			if (buf[k] != '-')
				buf[k] = 'x';
		i = j - 1;
	}
	return found ? buf : path;
}

static void log_request(struct hh_server *s, struct hh_req *r, int64_t us)
{
	if (!s->cfg.log_requests)
		return;
	char ts[21];
	hh_time_iso(r->started_us / 1000000, ts);
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_printf(&b, "{\"ts\":\"%s\",\"method\":\"%s\",\"path\":\"", ts,
		      r->method_name ? r->method_name : "?");
	char masked[1024];
	json_escape(&b, mask_cpr(r->path ? r->path : "", masked, sizeof(masked)));
	hh_buf_printf(&b, "\",\"status\":%d,\"us\":%lld,\"bytes\":%zu", r->status,
		      (long long)us, r->resp.len);
	/* o-tls: who asked, as every limit saw it (client_of) */
	if (r->client && *r->client) {
		hh_buf_puts(&b, ",\"client\":\"");
		json_escape(&b, r->client);
		hh_buf_putc(&b, '"');
	}
	if (r->log_actor) {
		hh_buf_puts(&b, ",\"actor\":\"");
		json_escape(&b, r->log_actor);
		hh_buf_putc(&b, '"');
	}
	hh_buf_puts(&b, "}\n");
	hh_log_line(b.data, b.len);
	hh_buf_clear(&b);
}

static void unlink_waiter(struct hh_server *s, struct hh_req *r);

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)c;
	(void)toe;
	struct hh_server *s = cls;
	struct hh_req *r = *con_cls;
	if (!r)
		return;
	if (r->wait_state == WAIT_PARKED) {
		pthread_mutex_lock(&s->wait_lock);
		unlink_waiter(s, r);
		pthread_mutex_unlock(&s->wait_lock);
	}
	int64_t us = hh_mono_us() - r->started_us_mono;
	if (r->status >= 100 && r->status < 600)
		atomic_fetch_add(&s->by_class[r->status / 100], 1);
	atomic_fetch_add(&s->duration_us, us);
	log_request(s, r, us);
	size_t reserved = r->reserved;
	hh_arena_clear(&r->arena);
	hh_buf_clear(&r->body);
	hh_buf_clear(&r->resp);
	free(r);
	*con_cls = NULL;
	long long left = atomic_fetch_sub(&s->buffered, (long long)reserved) -
			 (long long)reserved;
	/* After a burst of large bodies, hand the freed memory back to the
	 * system once the bodies are gone, instead of keeping it as the
	 * allocator's high-water mark. */
	if (left < (1 << 20) && atomic_load(&s->trim_due) &&
	    atomic_exchange(&s->trim_due, 0))
		malloc_trim(0);
	atomic_fetch_sub(&s->in_flight, 1);
}

/* Takes n more bytes of the server's body budget for r; 0 when the
 * budget is spent (nothing taken). */
static int reserve(struct hh_server *s, struct hh_req *r, size_t n)
{
	long long cap = (long long)s->cfg.body_budget;
	long long now = atomic_fetch_add(&s->buffered, (long long)n) + (long long)n;
	if (now > cap) {
		atomic_fetch_sub(&s->buffered, (long long)n);
		return 0;
	}
	if (now > (8 << 20))
		atomic_store(&s->trim_due, 1);
	r->reserved += n;
	return 1;
}

static void add_common_headers(struct hh_server *s, struct MHD_Response *resp,
			       const char *ctype)
{
	if (s->cfg.hsts)
		MHD_add_response_header(resp, "Strict-Transport-Security",
					HSTS_VALUE);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	if (ctype && strncmp(ctype, "text/html", 9) == 0) {
		MHD_add_response_header(resp, "Content-Security-Policy",
					"default-src 'self'; img-src 'self' data:; "
					"frame-ancestors 'none'; form-action 'self'; "
					"base-uri 'none'");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	}
}

static enum MHD_Result send_response(struct hh_req *r)
{
	r->queued = 1;
	if (r->static_response)
		return MHD_queue_response(r->conn, (unsigned)r->status,
					  r->static_response);
	if (!r->responded) {
		hh_log_bug("handler for %s queued no response", r->path);
		hh_resp_problem(r, HH_E_INTERNAL, NULL, NULL);
	}
	size_t len = r->resp.len;
	char *data = hh_buf_steal(&r->resp);
	r->resp.len = len; /* kept for the log line only */
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		len, data, MHD_RESPMEM_MUST_FREE);
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	add_common_headers(r->server, resp, r->content_type);
	/* Nothing dynamic is kept by browsers or proxies, unless the
	 * handler chose otherwise for an anonymous reader; whatever was
	 * answered to a signed-in caller, or set a cookie, never is. */
	int cache_set = 0, personal = r->log_actor != NULL, kept = 0;
	for (int i = 0; i < r->n_hdrs; i++) {
		if (!strcasecmp(r->hdr_names[i], "Cache-Control")) {
			cache_set = 1;
		} else if (!strcasecmp(r->hdr_names[i], "Set-Cookie")) {
			personal = 1;
		}
	}
	for (int i = 0; i < r->n_hdrs; i++) {
		/* a personal response may still say more than no-store
		 * ("private, no-store" for a download), never less */
		int cc = !strcasecmp(r->hdr_names[i], "Cache-Control");
		int stays = cc && strstr(r->hdr_values[i], "no-store") != NULL;
		if (!personal || !cc || stays)
			MHD_add_response_header(resp, r->hdr_names[i],
						r->hdr_values[i]);
		kept |= stays;
	}
	if ((personal && !kept) || !cache_set)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The static file for r, or NULL. */
static const struct static_file *static_of(struct hh_server *s,
					   struct hh_req *r)
{
	if (strncmp(r->path, "/static/", 8) != 0 ||
	    (r->method != HH_GET && r->method != HH_HEAD))
		return NULL;
	return find_static(s, r->path);
}

/* ---- parked requests (long polling) ------------------------------------ */

static struct wait_bucket *bucket_of(struct hh_server *s, uint64_t key)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return &s->wait_buckets[key % WAIT_BUCKETS];
}

uint64_t hh_req_wait_gen(struct hh_req *r, uint64_t key)
{
	struct hh_server *s = r->server;
	pthread_mutex_lock(&s->wait_lock);
	uint64_t g = bucket_of(s, key)->gen;
	pthread_mutex_unlock(&s->wait_lock);
	return g;
}

int hh_req_wait(struct hh_req *r, uint64_t key, uint64_t gen,
		int64_t deadline_us)
{
	struct hh_server *s = r->server;
	if (r->responded || r->wait_state == WAIT_EXPIRED)
		return 0;
	pthread_mutex_lock(&s->wait_lock);
	int room = !s->wait_stop && s->n_waiting < s->cfg.max_waiting;
	pthread_mutex_unlock(&s->wait_lock);
	if (!room)
		return 0;
	/* parked by the server once the handler has returned */
	r->wait_state = WAIT_ASKED;
	r->wait_key = key;
	r->wait_gen = gen;
	r->wait_deadline_us = deadline_us;
	return 1;
}

int hh_req_wait_expired(struct hh_req *r)
{
	return r->wait_state == WAIT_EXPIRED ||
	       (r->wait_deadline_us && hh_mono_us() >= r->wait_deadline_us);
}

/* Removes r from its bucket's list (wait_lock held). */
static void unlink_waiter(struct hh_server *s, struct hh_req *r)
{
	struct hh_req **pp = &bucket_of(s, r->wait_key)->head;
	while (*pp && *pp != r)
		pp = &(*pp)->wait_next;
	if (*pp) {
		*pp = r->wait_next;
		s->n_waiting--;
	}
	r->wait_next = NULL;
}

void hh_server_notify(struct hh_server *s, uint64_t key)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->wait_lock);
	struct wait_bucket *b = bucket_of(s, key);
	b->gen++;
	struct hh_req **pp = &b->head;
	while (*pp) {
		struct hh_req *r = *pp;
		if (r->wait_key != key) {
			pp = &r->wait_next;
			continue;
		}
		*pp = r->wait_next;
		r->wait_next = NULL;
		s->n_waiting--;
		r->wait_state = WAIT_FIRED;
		/* r belongs to MHD's thread again from here on */
		MHD_resume_connection(r->conn);
	}
	pthread_mutex_unlock(&s->wait_lock);
}

/* Wakes the parked requests whose deadline has passed (all of them when
 * all is set); wait_lock held. */
static void expire_waiters(struct hh_server *s, int64_t now, int all)
{
	for (int i = 0; i < WAIT_BUCKETS; i++) {
		struct hh_req **pp = &s->wait_buckets[i].head;
		while (*pp) {
			struct hh_req *r = *pp;
			if (!all && r->wait_deadline_us > now) {
				pp = &r->wait_next;
				continue;
			}
			*pp = r->wait_next;
			r->wait_next = NULL;
			s->n_waiting--;
			r->wait_state = WAIT_EXPIRED;
			MHD_resume_connection(r->conn);
		}
	}
}

static void *wait_timer_main(void *p)
{
	struct hh_server *s = p;
	pthread_mutex_lock(&s->wait_lock);
	while (!s->wait_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000000L; /* deadlines are met to 0.1 s */
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->wait_cond, &s->wait_lock, &ts);
		if (s->n_waiting)
			expire_waiters(s, hh_mono_us(), 0);
	}
	pthread_mutex_unlock(&s->wait_lock);
	return NULL;
}

/* After the handler ran: parks r if it asked to wait. Returns 1 when
 * parked (nothing to send yet). A notification since the handler read
 * the generation leaves it unparked: it runs again at once. */
static int park(struct hh_server *s, struct hh_req *r)
{
	if (r->wait_state != WAIT_ASKED)
		return 0;
	pthread_mutex_lock(&s->wait_lock);
	struct wait_bucket *b = bucket_of(s, r->wait_key);
	if (s->wait_stop || b->gen != r->wait_gen) {
		r->wait_state = s->wait_stop ? WAIT_EXPIRED : WAIT_FIRED;
		pthread_mutex_unlock(&s->wait_lock);
		return 0;
	}
	/* suspended before it can be found, so a notifier's resume always
	 * finds it suspended */
	MHD_suspend_connection(r->conn);
	r->wait_state = WAIT_PARKED;
	r->wait_next = b->head;
	b->head = r;
	s->n_waiting++;
	atomic_fetch_add(&s->waits_total, 1);
	pthread_mutex_unlock(&s->wait_lock);
	return 1;
}

static void dispatch(struct hh_server *s, struct hh_req *r);

/* Runs r's handler until it answers or is parked; returns what the
 * access handler returns. */
static enum MHD_Result send_response(struct hh_req *r);
static enum MHD_Result run_handler(struct hh_server *s, struct hh_req *r)
{
	for (int round = 0;; round++) {
		dispatch(s, r);
		if (r->responded || r->wait_state != WAIT_ASKED)
			break;
		if (park(s, r))
			return MHD_YES;
		if (round >= 16) {
			/* notified over and over: answer with what there is */
			r->wait_state = WAIT_EXPIRED;
		}
	}
	return send_response(r);
}

static void dispatch(struct hh_server *s, struct hh_req *r)
{
	if (!hh_utf8_valid(r->path, strlen(r->path))) {
		hh_resp_problem(r, HH_E_BAD_UTF8, NULL,
				"the path is not valid UTF-8");
		return;
	}
	const struct static_file *sf = static_of(s, r);
	if (sf) {
		const char *inm = hh_req_header(r, "If-None-Match");
		if (inm && strcmp(inm, sf->etag) == 0) {
			r->responded = 1;
			r->status = 304;
			r->content_type = NULL;
			hh_resp_header(r, "ETag", sf->etag);
			hh_resp_header(r, "Cache-Control", "public, max-age=86400");
			return;
		}
		r->responded = 1;
		r->status = 200;
		r->static_response = sf->resp;
		return;
	}
	const struct hh_route *rt = r->route;
	if (!rt) {
		if (r->allowed) {
			char buf[96];
			hh_methods_format(r->allowed, buf, sizeof(buf));
			hh_resp_problem(r, HH_E_METHOD_NOT_ALLOWED, NULL, NULL);
			hh_resp_header(r, "Allow", buf);
		} else if (s->cfg.not_found && strncmp(r->path, "/api/", 5) &&
			   (r->method == HH_GET || r->method == HH_HEAD)) {
			s->cfg.not_found(r);
		} else {
			hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		}
		return;
	}
	rt->handler(r);
}

/* 503 with Retry-After: the body budget or the slow lane is full. */
static void answer_busy(struct hh_server *s, struct hh_req *r)
{
	atomic_fetch_add(&s->refused_busy, 1);
	if (s->cfg.busy && strncmp(r->path, "/api/", 5))
		s->cfg.busy(r);
	else
		hh_resp_problem(r, HH_E_SERVER_BUSY, NULL, NULL);
	hh_resp_header(r, "Retry-After", "2");
}

/* ---- the slow lane ---------------------------------------------------- */

/* Queues r (its body complete) for a lane worker and suspends its
 * connection; 0 when the queue is full (nothing done). */
static int lane_push(struct hh_server *s, struct hh_req *r)
{
	pthread_mutex_lock(&s->lane_lock);
	if (s->lane_stop || s->lane_pending >= s->cfg.slow_queue) {
		pthread_mutex_unlock(&s->lane_lock);
		return 0;
	}
	s->lane_pending++;
	pthread_mutex_unlock(&s->lane_lock);
	/* Suspended before it is queued, so a worker's resume always
	 * finds it suspended. */
	r->lane = LANE_QUEUED;
	MHD_suspend_connection(r->conn);
	pthread_mutex_lock(&s->lane_lock);
	s->lane_q[(s->lane_head + s->lane_len) % s->cfg.slow_queue] = r;
	s->lane_len++;
	pthread_cond_signal(&s->lane_cond);
	pthread_mutex_unlock(&s->lane_lock);
	return 1;
}

static void *lane_main(void *p)
{
	struct hh_server *s = p;
	/* Below everything else in the scheduler's eyes: a lane full of
	 * password hashing takes the cores only when nobody else wants
	 * them (Linux sets a nice value per thread). */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) != 0)
		hh_log(HH_LOG_WARN, "slow lane: cannot lower priority: %s",
		       strerror(errno));
	pthread_mutex_lock(&s->lane_lock);
	for (;;) {
		/* a request counted in lane_pending but not queued yet is
		 * being suspended by lane_push: wait for it even when
		 * stopping, or it would stay suspended for good */
		while (!s->lane_len && !(s->lane_stop && !s->lane_pending))
			pthread_cond_wait(&s->lane_cond, &s->lane_lock);
		if (!s->lane_len)
			break; /* stopping, and nothing left or coming */
		struct hh_req *r = s->lane_q[s->lane_head];
		s->lane_head = (s->lane_head + 1) % s->cfg.slow_queue;
		s->lane_len--;
		pthread_mutex_unlock(&s->lane_lock);
		dispatch(s, r);
		r->lane = LANE_DONE;
		struct MHD_Connection *conn = r->conn;
		pthread_mutex_lock(&s->lane_lock);
		s->lane_pending--;
		if (s->lane_stop)
			pthread_cond_broadcast(&s->lane_cond);
		pthread_mutex_unlock(&s->lane_lock);
		/* r belongs to MHD's thread again from here on */
		MHD_resume_connection(conn);
		pthread_mutex_lock(&s->lane_lock);
	}
	pthread_mutex_unlock(&s->lane_lock);
	return NULL;
}

/* 413: problem+json for the API, the configured page elsewhere. */
static void answer_too_large(struct hh_server *s, struct hh_req *r)
{
	if (s->cfg.too_large && strncmp(r->path, "/api/", 5)) {
		s->cfg.too_large(r);
		return;
	}
	hh_resp_problem(r, HH_E_BODY_TOO_LARGE, NULL,
			hh_arena_printf(&r->arena, "the limit is %zu bytes%s",
					r->body_max,
					r->body_max < (r->route ? r->route->body_max : 0)
						? " before sign-in" : ""));
}

/* Sets up r when its headers have arrived: who is calling, which route,
 * how large a body it may send. Returns 0 when r was answered at once. */
static int admit(struct hh_server *s, struct hh_req *r)
{
	r->client = client_of(s, r);
	if (hh_utf8_valid(r->path, strlen(r->path)) && !static_of(s, r))
		r->route = hh_route_match(s->routes, r, r->method, r->path,
					  &r->allowed);
	r->body_max = s->cfg.body_limit;
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     "Content-Length");
	const char *te = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						     "Transfer-Encoding");
	unsigned long long want = cl ? strtoull(cl, NULL, 10) : 0;
	int has_body = want > 0 || te;
	/* A larger body only for a route that takes one, and only from a
	 * caller whose session holds: checked before a byte is read. */
	if (has_body && r->route && r->route->body_max > r->body_max &&
	    s->cfg.session_ok && s->cfg.session_ok(r))
		r->body_max = r->route->body_max;
	/* The whole body must arrive in time: 10 s (body_seconds), and a second for every
	 * 32 KiB it may have (a 16 MiB upload at a slow mobile line still
	 * fits). A client dribbling a byte now and then would otherwise
	 * hold its share of the body budget for as long as it liked. */
	unsigned long long span = want && want <= r->body_max ? want : r->body_max;
	r->body_deadline_us = r->started_us_mono +
			      (int64_t)((unsigned long long)s->cfg.body_seconds +
					span / 32768) * 1000000;
	if (want > r->body_max) {
		r->body_too_large = 1;
		/* Answered at once when the client waits for 100 Continue
		 * (it then sends nothing) or the body is absurd; else its
		 * body is read and dropped, so that a browser, which does
		 * not wait, sees the answer rather than a reset connection. */
		const char *ex = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
							     "Expect");
		if ((ex && !strcasecmp(ex, "100-continue")) ||
		    want > (unsigned long long)r->body_max * 4 + (1 << 20)) {
			answer_too_large(s, r);
			return 0;
		}
		return 1;
	}
	if (want && !reserve(s, r, (size_t)want)) {
		answer_busy(s, r);
		return 0;
	}
	if (want)
		hh_buf_reserve(&r->body, (size_t)want + 1);
	return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version,
				  const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	struct hh_server *s = cls;
	struct hh_req *r = *con_cls;
	if (!r) {
		r = hh_xcalloc(1, sizeof(*r));
		hh_arena_init(&r->arena);
		hh_buf_init(&r->body);
		hh_buf_init(&r->resp);
		r->app = s->app;
		r->conn = conn;
		r->server = s;
		r->method_name = hh_arena_strdup(&r->arena, method);
		r->method = hh_method_parse(method);
		r->path = hh_arena_strdup(&r->arena, url);
		r->started_us = hh_now_us();
		r->started_us_mono = hh_mono_us();
		*con_cls = r;
		atomic_fetch_add(&s->in_flight, 1);
		atomic_fetch_add(&s->requests, 1);
		if (!admit(s, r))
			return send_response(r); /* refused before the body */
		return MHD_YES;
	}
	if (r->lane == LANE_DONE && !r->queued)
		return send_response(r); /* back from the slow lane */
	if ((r->wait_state == WAIT_FIRED || r->wait_state == WAIT_EXPIRED) &&
	    !r->queued) {
		/* woken: the handler looks again */
		if (r->wait_state == WAIT_FIRED)
			r->wait_state = WAIT_NONE;
		return run_handler(s, r);
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (hh_mono_us() > r->body_deadline_us) {
			/* too slow: close, which gives back its budget */
			hh_log_client("%s: body not sent in time, closing", r->client);
			return MHD_NO;
		}
		if (r->body_too_large || r->over_budget || r->queued)
			return MHD_YES; /* read and dropped */
		if (r->body.len + n > r->body_max) {
			r->body_too_large = 1;
			hh_buf_clear(&r->body);
			return MHD_YES;
		}
		/* a body without Content-Length reserves as it grows */
		if (r->body.len + n > r->reserved &&
		    !reserve(s, r, n > 16384 ? n : 16384)) {
			r->over_budget = 1;
			hh_buf_clear(&r->body);
			return MHD_YES;
		}
		hh_buf_append(&r->body, upload_data, n);
		return MHD_YES;
	}
	if (r->queued || r->lane == LANE_QUEUED)
		return MHD_YES; /* answered early, or still on the lane */
	if (r->body_too_large) {
		answer_too_large(s, r);
	} else if (r->over_budget) {
		answer_busy(s, r);
	} else if (r->route && s->cfg.gate && !s->cfg.gate(r)) {
		/* the gate answered (a rate limit) */
	} else if (r->route && (r->route->flags & HH_ROUTE_SLOW) && s->lane_q) {
		if (lane_push(s, r))
			return MHD_YES;
		answer_busy(s, r);
	} else {
		/* An unknown method (r->method 0) matches no route, so
		 * dispatch answers 405 with the Allow header RFC 9110
		 * requires, or 404 for a path that does not exist. */
		return run_handler(s, r);
	}
	return send_response(r);
}

/* ---- start/stop ------------------------------------------------------ */

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return 0;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535 || !colon[1])
		return 0;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (!*host || strcmp(host, "localhost") == 0)
		strcpy(host, "127.0.0.1");
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}

/* Lets the lane workers finish what is queued, then joins them. */
static void lane_stop(struct hh_server *s)
{
	pthread_mutex_lock(&s->lane_lock);
	s->lane_stop = 1;
	pthread_cond_broadcast(&s->lane_cond);
	pthread_mutex_unlock(&s->lane_lock);
	for (int i = 0; i < s->n_lane_threads; i++)
		pthread_join(s->lane_threads[i], NULL);
	s->n_lane_threads = 0;
}

/* Wakes every parked request (they answer with what they have) and stops
 * the timer; later waits are refused. */
static void waits_stop(struct hh_server *s)
{
	pthread_mutex_lock(&s->wait_lock);
	s->wait_stop = 1;
	expire_waiters(s, 0, 1);
	pthread_cond_broadcast(&s->wait_cond);
	pthread_mutex_unlock(&s->wait_lock);
	if (s->wait_timer_started)
		pthread_join(s->wait_timer, NULL);
	s->wait_timer_started = 0;
}

static void free_server(struct hh_server *s)
{
	for (size_t i = 0; i < s->n_files; i++) {
		MHD_destroy_response(s->files[i].resp);
		free(s->files[i].path);
	}
	free(s->files);
	free(s->lane_q);
	free(s->lane_threads);
	pthread_mutex_destroy(&s->lane_lock);
	pthread_cond_destroy(&s->lane_cond);
	free(s->wait_buckets);
	pthread_mutex_destroy(&s->wait_lock);
	pthread_cond_destroy(&s->wait_cond);
	for (int i = 0; s->peers && i < PEER_BUCKETS; i++)
		while (s->peers[i]) {
			struct peer_count *p = s->peers[i];
			s->peers[i] = p->next;
			free(p);
		}
	free(s->peers);
	pthread_mutex_destroy(&s->peers_lock);
	free(s);
}

/* o-tls: the chain of a peer address in s->peers. */
static struct peer_count **peer_chain(struct hh_server *s,
				      const unsigned char addr[16])
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 1099511628211ULL;
	return &s->peers[h % PEER_BUCKETS];
}

/* MHD's accept policy: a stopping server closes new connections
 * at once (the client sees the connection closed, not a request left
 * waiting until the drain ends). With trusted proxies (o-tls), also the
 * cap of connections at once per address, which spares the proxies:
 * every client behind a proxy comes from its address. The count is
 * raised when MHD reports the connection started (connection_event),
 * so a connection MHD drops after this check is never counted; two
 * threads accepting from one address at the same moment may each pass,
 * so the cap can be passed by at most the number of server threads. */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr,
				     socklen_t addrlen)
{
	(void)addrlen;
	struct hh_server *s = cls;
	if (atomic_load(&s->stopping))
		return MHD_NO;
	unsigned char peer[16];
	if (!s->peers || !peer_of(addr, peer) || hh_netlist_has(&s->trusted, peer))
		return MHD_YES;
	int open = 0;
	pthread_mutex_lock(&s->peers_lock);
	for (struct peer_count *p = *peer_chain(s, peer); p; p = p->next)
		if (!memcmp(p->addr, peer, 16))
			open = p->open;
	pthread_mutex_unlock(&s->peers_lock);
	return open < s->cfg.per_client ? MHD_YES : MHD_NO;
}

/* o-tls: counts a connection from an untrusted peer in s->peers while it
 * is open; *socket_context holds its row (alive while its count is). */
static void connection_event(void *cls, struct MHD_Connection *conn,
			     void **socket_context,
			     enum MHD_ConnectionNotificationCode code)
{
	struct hh_server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		unsigned char peer[16];
		*socket_context = NULL;
		if (!s->peers || !peer_of(ci ? ci->client_addr : NULL, peer) ||
		    hh_netlist_has(&s->trusted, peer))
			return;
		pthread_mutex_lock(&s->peers_lock);
		struct peer_count **chain = peer_chain(s, peer), *p = *chain;
		while (p && memcmp(p->addr, peer, 16))
			p = p->next;
		if (!p) {
			p = hh_xcalloc(1, sizeof(*p));
			memcpy(p->addr, peer, 16);
			p->next = *chain;
			*chain = p;
		}
		p->open++;
		pthread_mutex_unlock(&s->peers_lock);
		*socket_context = p;
		return;
	}
	struct peer_count *p = *socket_context;
	if (code != MHD_CONNECTION_NOTIFY_CLOSED || !p)
		return;
	*socket_context = NULL;
	pthread_mutex_lock(&s->peers_lock);
	if (--p->open == 0) {
		struct peer_count **at = peer_chain(s, p->addr);
		while (*at != p)
			at = &(*at)->next;
		*at = p->next;
		free(p);
	}
	pthread_mutex_unlock(&s->peers_lock);
}

enum hh_rc hh_server_start(const struct hh_server_config *cfg,
			   const struct hh_route *routes, struct hh_app *app,
			   struct hh_server **out)
{
	struct sockaddr_in sa;
	if (!parse_listen(cfg->listen, &sa)) {
		hh_log(HH_LOG_ERROR, "bad listen address '%s' (want HOST:PORT)",
		       cfg->listen);
		return HH_ERR_INVALID;
	}
	struct hh_server *s = hh_xcalloc(1, sizeof(*s));
	s->routes = routes;
	s->app = app;
	s->cfg = *cfg;
	s->started_us = hh_now_us();
	if (s->cfg.trusted_proxies) {
		char err[160];
		if (hh_netlist_parse(s->cfg.trusted_proxies, &s->trusted, err,
				     sizeof(err)) != HH_OK) {
			hh_log(HH_LOG_ERROR, "trusted proxies: %s", err);
			free(s);
			return HH_ERR_INVALID;
		}
	}
	/* o-tls: with trusted proxies helhed caps connections per address
	 * itself, sparing them (accept_policy); else MHD does, as before */
	int own_cap = s->trusted.n > 0 && s->cfg.per_client > 0;
	pthread_mutex_init(&s->peers_lock, NULL);
	if (own_cap)
		s->peers = hh_xcalloc(PEER_BUCKETS, sizeof(*s->peers));
	if (!s->cfg.body_budget)
		s->cfg.body_budget = (size_t)64 << 20;
	if (s->cfg.idle_timeout_s <= 0)
		s->cfg.idle_timeout_s = 15;
	if (s->cfg.body_seconds <= 0)
		s->cfg.body_seconds = 10;
	if (s->cfg.slow_workers <= 0)
		s->cfg.slow_workers = 1;
	if (s->cfg.slow_queue <= 0)
		s->cfg.slow_queue = 64;
	/* Blocks of 64 KiB and more (bodies, argon2's memory) come from
	 * mmap and go back to the system when freed. glibc would otherwise
	 * raise this threshold after the first large free and keep such
	 * blocks on its heap for good: a burst of large bodies then left
	 * gigabytes resident after the connections closed. */
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	mallopt(M_TRIM_THRESHOLD, 1 << 20);
	if (cfg->web_dir)
		load_dir(s, cfg->web_dir, "/static");
	pthread_mutex_init(&s->lane_lock, NULL);
	pthread_cond_init(&s->lane_cond, NULL);
	pthread_mutex_init(&s->wait_lock, NULL);
	pthread_cond_init(&s->wait_cond, NULL);
	s->wait_buckets = hh_xcalloc(WAIT_BUCKETS, sizeof(*s->wait_buckets));
	if (s->cfg.max_waiting <= 0)
		s->cfg.max_waiting = 10000;
	if (s->cfg.max_connections <= 0)
		s->cfg.max_connections = 16384;
	s->wait_timer_started =
		pthread_create(&s->wait_timer, NULL, wait_timer_main, s) == 0;
	if (!s->wait_timer_started)
		s->cfg.max_waiting = 0; /* nobody would wake them: no waits */
	s->lane_q = hh_xcalloc((size_t)s->cfg.slow_queue, sizeof(*s->lane_q));
	s->lane_threads = hh_xcalloc((size_t)s->cfg.slow_workers,
				     sizeof(*s->lane_threads));
	for (int i = 0; i < s->cfg.slow_workers; i++) {
		if (pthread_create(&s->lane_threads[i], NULL, lane_main, s))
			break;
		s->n_lane_threads++;
	}
	if (!s->n_lane_threads) {
		/* no lane: slow routes run on the request threads, rather
		 * than wait for a worker that will never come */
		hh_log(HH_LOG_WARN, "slow lane: no worker thread could start");
		free(s->lane_q);
		s->lane_q = NULL;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO;
	/* Handlers may read the server (GET /metrics) as soon as the first
	 * request arrives, which can be before MHD_start_daemon returns. */
	*out = s;
	s->daemon = MHD_start_daemon(
		flags, 0, accept_policy, s, on_request, s, MHD_OPTION_SOCK_ADDR, &sa,
		MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)(cfg->threads > 0 ? cfg->threads : 2),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg.idle_timeout_s,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)s->cfg.max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)(s->cfg.per_client > 0 && !own_cap ? s->cfg.per_client
							      : 0),
		MHD_OPTION_NOTIFY_CONNECTION, connection_event, s,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
		/* MHD's default: room for 16 KB and more of request
		 * headers. MHD zeroes the whole pool before each request on
		 * a kept-alive connection, so 64 KB cost a 64 KB memset per
		 * request (4% of a search's CPU) and bought nothing. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
		MHD_OPTION_END);
	if (!s->daemon) {
		hh_log(HH_LOG_ERROR, "cannot listen on %s: %s", cfg->listen,
		       strerror(errno));
		lane_stop(s);
		waits_stop(s);
		free_server(s);
		*out = NULL;
		return HH_ERR_IO;
	}
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : ntohs(sa.sin_port);
	return HH_OK;
}

int hh_server_port(struct hh_server *s)
{
	return s->port;
}

void hh_server_stop(struct hh_server *s, int timeout_ms)
{
	if (!s)
		return;
	/* Refuse new connections, then let requests in progress finish.
	 * Not MHD_quiesce_daemon: with a thread pool on epoll it takes the
	 * listening socket out of each worker's epoll set while a worker
	 * may be doing the same (it does so when quiesced or at the
	 * connection limit), and the loser aborts the process ("Failed to
	 * remove listen FD from epoll set", libmicrohttpd 0.9.75). The
	 * accept policy closes what arrives until MHD_stop_daemon closes
	 * the listening socket itself. */
	atomic_store(&s->stopping, 1);
	/* parked requests answer now with what they have */
	waits_stop(s);
	int64_t deadline = hh_mono_us() + (int64_t)timeout_ms * 1000;
	while (atomic_load(&s->in_flight) > 0 && hh_mono_us() < deadline) {
		struct timespec ts = { 0, 5 * 1000000L };
		nanosleep(&ts, NULL);
	}
	/* Requests still on the lane are answered and resumed before MHD
	 * stops (it must not stop with a connection suspended). */
	lane_stop(s);
	MHD_stop_daemon(s->daemon);
	free_server(s);
}

static long waiting_now(struct hh_server *s)
{
	pthread_mutex_lock(&s->wait_lock);
	long n = s->n_waiting;
	pthread_mutex_unlock(&s->wait_lock);
	return n;
}

void hh_server_metrics(struct hh_server *s, struct hh_buf *b)
{
	hh_buf_puts(b, "# HELP helhed_http_requests_total HTTP requests by "
		       "status class.\n# TYPE helhed_http_requests_total counter\n");
	for (int c = 1; c <= 5; c++)
		hh_buf_printf(b, "helhed_http_requests_total{class=\"%dxx\"} %ld\n",
			      c, atomic_load(&s->by_class[c]));
	hh_buf_printf(b,
		      "# HELP helhed_http_in_flight Requests being served.\n"
		      "# TYPE helhed_http_in_flight gauge\n"
		      "helhed_http_in_flight %ld\n"
		      "# HELP helhed_http_refused_busy_total Requests refused "
		      "with 503 for lack of body memory or lane room.\n"
		      "# TYPE helhed_http_refused_busy_total counter\n"
		      "helhed_http_refused_busy_total %ld\n"
		      "# HELP helhed_http_body_bytes Request body bytes held.\n"
		      "# TYPE helhed_http_body_bytes gauge\n"
		      "helhed_http_body_bytes %lld\n"
		      "# HELP helhed_http_request_seconds_total Time spent "
		      "serving requests.\n"
		      "# TYPE helhed_http_request_seconds_total counter\n"
		      "helhed_http_request_seconds_total %.6f\n"
		      "# HELP helhed_http_waiting Requests parked waiting for "
		      "news (long polling).\n"
		      "# TYPE helhed_http_waiting gauge\n"
		      "helhed_http_waiting %ld\n"
		      "# HELP helhed_uptime_seconds Seconds since start.\n"
		      "# TYPE helhed_uptime_seconds gauge\n"
		      "helhed_uptime_seconds %.3f\n",
		      atomic_load(&s->in_flight),
		      atomic_load(&s->refused_busy),
		      (long long)atomic_load(&s->buffered),
		      (double)atomic_load(&s->duration_us) / 1e6,
		      waiting_now(s),
		      (double)(hh_now_us() - s->started_us) / 1e6);
}
