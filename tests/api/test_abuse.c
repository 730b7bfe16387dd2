/* test_abuse.c - the server under hostile clients: body limits per route
 * and before sign-in, the body budget and the memory it leaves behind,
 * connections per address, idle connections, sign-in throttling, the slow
 * lane, write limits, and the headers that keep sessions private.
 *
 * Hostile clients are raw sockets bound to their own loopback addresses
 * (127.0.x.y), so that the per-address limits see many clients. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "testutil.h"

#include "core/limit.h"

/* ---- raw clients --------------------------------------------------------- */

/* A TCP connection from src (a loopback address) to the server; -1 when
 * the server would not take it. */
static int raw_connect(const char *src, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_pton(AF_INET, src, &a.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends all of s (ignoring a peer that has closed). */
static void raw_send(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
		if (k <= 0)
			return;
		c += k;
		n -= (size_t)k;
	}
}

/* Waits up to ms for the server to answer or close fd. Returns what came
 * (into buf, NUL-terminated; "" when it closed without a word), or NULL
 * when nothing happened in time. */
static const char *raw_wait(int fd, int ms, char *buf, size_t size)
{
	struct pollfd p = { fd, POLLIN, 0 };
	if (poll(&p, 1, ms) <= 0)
		return NULL;
	ssize_t k = recv(fd, buf, size - 1, 0);
	buf[k > 0 ? k : 0] = 0;
	return buf;
}

/* The loopback address of hostile client i: 50 addresses in turn. */
static const char *hostile_addr(int i, char *buf)
{
	sprintf(buf, "127.0.10.%d", 1 + i % 50);
	return buf;
}

/* Under a sanitizer, malloc is the sanitizer's: it keeps freed memory in
 * its own quarantine and pools, so resident memory says nothing about
 * ours. The rounds still run (for the sanitizer's sake); the bounds are
 * checked only in a normal build. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define RSS_MEANINGFUL 0
#else
#define RSS_MEANINGFUL 1
#endif

static long rss_kb(void)
{
	char *s = tu_read("/proc/self/status");
	const char *p = strstr(s, "VmRSS:");
	long kb = p ? strtol(p + 6, NULL, 10) : -1;
	free(s);
	return kb;
}

/* ---- the servers --------------------------------------------------------- */

static void small_budget(struct hh_server_config *c)
{
	c->body_budget = 512 * 1024;
}

static void strict_connections(struct hh_server_config *c)
{
	c->per_client = 16;
	c->idle_timeout_s = 2;
}

static void narrow_lane(struct hh_server_config *c)
{
	c->slow_workers = 1;
	c->slow_queue = 2;
	c->trusted_proxies = "127.0.0.1"; /* the test's curl: the proxy */
}

static void quick_bodies(struct hh_server_config *c)
{
	c->body_seconds = 1;
}

/* o-tls: the test's curl on 127.0.0.1 plays the proxy */
static void behind_proxy(struct hh_server_config *c)
{
	c->trusted_proxies = "127.0.0.1";
}

static void production(struct hh_server_config *c)
{
	c->per_client = 64;
}

static struct tu_resp as_proxy(struct tu_server *s, const char *client,
			       const char *method, const char *path,
			       const char *body, const char *ctype,
			       const char *cookie)
{
	char xff[96], ct[128], url[512];
	snprintf(xff, sizeof(xff), "X-Forwarded-For: 203.0.113.9, %s", client);
	snprintf(ct, sizeof(ct), "Content-Type: %s",
		 ctype ? ctype : "application/json");
	const char *h[] = { xff, ct, NULL };
	snprintf(url, sizeof(url), "%s%s", s->base, path);
	return tu_http(method, url, body, h, cookie);
}

/* ---- body limits --------------------------------------------------------- */

static char *filled(size_t n, char c)
{
	char *b = malloc(n + 1);
	memset(b, c, n);
	b[n] = 0;
	return b;
}

static void bodies_are_limited_per_route_and_before_sign_in(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start(&s, 1);
	char *big = filled(100 * 1024, ' ');
	big[0] = '{';
	big[100 * 1024 - 1] = '}';

	/* anonymous: 64 KiB anywhere, even on a route that takes more */
	struct tu_resp r = tu_call(s.base, NULL, NULL, "POST", "/api/v1/cases",
				   big, NULL);
	tu_expect_problem(&r, 413, "body-too-large", NULL);
	tu_expect_in(json_string_value(json_object_get(r.json, "detail")),
		     "before sign-in");
	tu_resp_free(&r);
	r = tu_call(s.base, NULL, NULL, "POST", "/api/v1/session", big, NULL);
	tu_expect_problem(&r, 413, "body-too-large", NULL);
	tu_resp_free(&r);

	/* a page gets the Danish page */
	const char *mp[] = { "Content-Type: multipart/form-data; boundary=xx", NULL };
	r = tu_call(s.base, NULL, NULL, "POST", "/blanket/flytning", big, mp);
	assert_int_equal(r.status, 413);
	tu_expect_in(r.body, "fylder for meget");
	tu_resp_free(&r);

	/* signed in: the route's own limit (an article may be long) */
	char cookie[160], csrf[64];
	tu_login(&s, "editor@901", cookie, sizeof(cookie), csrf, sizeof(csrf));
	r = tu_call(s.base, cookie, csrf, "PUT", "/api/v1/articles/nope", big, NULL);
	assert_int_not_equal(r.status, 413);
	tu_resp_free(&r);
	/* but not without limit */
	char *huge = filled(1100 * 1024, ' ');
	r = tu_call(s.base, cookie, csrf, "PUT", "/api/v1/articles/nope", huge, NULL);
	tu_expect_problem(&r, 413, "body-too-large", NULL);
	tu_resp_free(&r);
	/* and a route without a large limit keeps the small one */
	r = tu_call(s.base, cookie, csrf, "POST", "/api/v1/plans", big, NULL);
	tu_expect_problem(&r, 413, "body-too-large", NULL);
	tu_resp_free(&r);

	/* a body without Content-Length is cut off at the limit as well */
	int fd = raw_connect("127.0.0.1", hh_server_port(s.app.server));
	assert_true(fd >= 0);
	const char *head = "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\n"
			   "Content-Type: application/json\r\n"
			   "Transfer-Encoding: chunked\r\n\r\n";
	raw_send(fd, head, strlen(head));
	char chunk[32];
	for (int i = 0; i < 10; i++) {
		snprintf(chunk, sizeof(chunk), "%x\r\n", 10000);
		raw_send(fd, chunk, strlen(chunk));
		raw_send(fd, big, 10000);
		raw_send(fd, "\r\n", 2);
	}
	raw_send(fd, "0\r\n\r\n", 5);
	char buf[4096];
	const char *got = raw_wait(fd, 5000, buf, sizeof(buf));
	assert_non_null(got);
	tu_expect_in(got, "HTTP/1.1 413");
	close(fd);
	free(huge);
	free(big);
	tu_server_stop(&s);
}

static void the_body_budget_is_shared_and_given_back(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, small_budget);
	int port = hh_server_port(s.app.server);
	char *part = filled(1000, 'x');
	/* twelve bodies of 60,000 bytes announced, sent in part and held:
	 * 512 KiB holds eight of them */
	int fd[12], busy = 0;
	char buf[4096], addr[32];
	for (int i = 0; i < 12; i++) {
		fd[i] = raw_connect(hostile_addr(i, addr), port);
		assert_true(fd[i] >= 0);
		const char *head = "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\n"
				   "Content-Type: application/json\r\n"
				   "Content-Length: 60000\r\n\r\n";
		raw_send(fd[i], head, strlen(head));
		raw_send(fd[i], part, 1000);
		const char *got = raw_wait(fd[i], 300, buf, sizeof(buf));
		if (got && strstr(got, "HTTP/1.1 503")) {
			tu_expect_in(got, "server-busy");
			tu_expect_in(got, "Retry-After:");
			busy++;
		}
	}
	assert_int_equal(busy, 4);
	/* everyone else is still served */
	struct tu_resp r = tu_call(s.base, NULL, NULL, "GET", "/healthz", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	for (int i = 0; i < 12; i++)
		close(fd[i]);
	/* once they are gone, their budget is free again */
	char *body = filled(60000, ' ');
	body[0] = '{';
	body[59999] = '}';
	int ok = 0;
	for (int tries = 0; tries < 50 && !ok; tries++) {
		r = tu_call(s.base, NULL, NULL, "POST", "/api/v1/cases", body, NULL);
		ok = r.status != 503;
		tu_resp_free(&r);
		if (!ok)
			usleep(100 * 1000);
	}
	assert_true(ok);
	free(body);
	free(part);
	tu_server_stop(&s);
}

static void slow_or_oversized_bodies_are_ended(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, quick_bodies);
	int port = hh_server_port(s.app.server);
	char buf[4096];
	/* a body dribbled slower than its deadline (1 s here, and a second
	 * per 32 KiB): the connection is closed and its budget given back */
	int fd = raw_connect("127.0.0.1", port);
	const char *head = "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\n"
			   "Content-Type: application/json\r\n"
			   "Content-Length: 1000\r\n\r\n{";
	raw_send(fd, head, strlen(head));
	int closed = 0;
	for (int i = 0; i < 40 && !closed; i++) {
		usleep(200 * 1000);
		raw_send(fd, " ", 1);
		const char *got = raw_wait(fd, 0, buf, sizeof(buf));
		closed = got && !strstr(got, "HTTP/1.1 2");
	}
	assert_true(closed);
	close(fd);
	struct tu_resp r;
	int idle = 0;
	for (int i = 0; i < 40 && !idle; i++) {
		r = tu_call(s.base, NULL, NULL, "GET", "/metrics", NULL, NULL);
		idle = strstr(r.body, "helhed_http_body_bytes 0\n") != NULL;
		tu_resp_free(&r);
		if (!idle)
			usleep(100 * 1000);
	}
	assert_true(idle);

	/* a browser does not wait for 100 Continue: an oversized body sent
	 * at once gets the 413 answer, not a reset connection */
	fd = raw_connect("127.0.0.1", port);
	char *body = filled(100 * 1024, 'a');
	const char *head2 = "POST /log-ind HTTP/1.1\r\nHost: x\r\n"
			    "Content-Type: application/x-www-form-urlencoded\r\n"
			    "Content-Length: 102400\r\nConnection: close\r\n\r\n";
	raw_send(fd, head2, strlen(head2));
	raw_send(fd, body, 100 * 1024);
	const char *got = raw_wait(fd, 5000, buf, sizeof(buf));
	assert_non_null(got);
	tu_expect_in(got, "HTTP/1.1 413");
	close(fd);
	free(body);
	tu_server_stop(&s);
}

/* Opens n hostile connections that each announce a body of announce
 * bytes to path and send up to send bytes of it, and keeps them open.
 * Returns the resident memory (kB) over base while they are held and
 * after they close. */
static void hostile_round(struct tu_server *s, int n, long announce, long send_n,
			  long base, long *during, long *after)
{
	int port = hh_server_port(s->app.server);
	int *fd = calloc((size_t)n, sizeof(int));
	char *chunk = filled(64 * 1024, 'x');
	char head[256], addr[32];
	snprintf(head, sizeof(head),
		 "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\n"
		 "Content-Type: application/json\r\nContent-Length: %ld\r\n\r\n",
		 announce);
	for (int i = 0; i < n; i++) {
		fd[i] = raw_connect(hostile_addr(i, addr), port);
		if (fd[i] < 0)
			continue;
		raw_send(fd[i], head, strlen(head));
		/* a closed or full socket ends the sending, not the test */
		for (long sent = 0; sent < send_n; sent += 64 * 1024) {
			long k = send_n - sent < 64 * 1024 ? send_n - sent : 64 * 1024;
			struct pollfd p = { fd[i], POLLOUT, 0 };
			if (poll(&p, 1, 200) <= 0 || (p.revents & (POLLERR | POLLHUP)))
				break;
			if (send(fd[i], chunk, (size_t)k, MSG_NOSIGNAL | MSG_DONTWAIT) <= 0)
				break;
		}
	}
	usleep(300 * 1000);
	*during = rss_kb() - base;
	for (int i = 0; i < n; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	/* the server notices the closes on its next poll */
	for (int i = 0; i < 40 && atomic_load(&s->app.ready); i++) {
		usleep(100 * 1000);
		struct tu_resp r = tu_call(s->base, NULL, NULL, "GET", "/metrics",
					   NULL, NULL);
		int idle = strstr(r.body, "helhed_http_body_bytes 0\n") != NULL;
		tu_resp_free(&r);
		if (idle)
			break;
	}
	usleep(200 * 1000);
	*after = rss_kb() - base;
	free(chunk);
	free(fd);
}

static void memory_stays_bounded_under_hostile_bodies(void **state)
{
	(void)state;
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	if (rl.rlim_cur < 4096 && rl.rlim_max >= 4096) {
		rl.rlim_cur = 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	struct tu_server s;
	tu_server_start_cfg(&s, 1, production);
	long base = rss_kb(), during, after;
	/* 250 clients each announcing 16 MB and sending a megabyte of it:
	 * refused at the headers, nothing is held */
	hostile_round(&s, 250, 16L << 20, 1L << 20, base, &during, &after);
	printf("# 250 large-body connections: resident +%ld MB while open, "
	       "+%ld MB after they closed\n", during / 1024, after / 1024);
	if (RSS_MEANINGFUL) {
		assert_true(during < 96 * 1024);
		assert_true(after < 48 * 1024);
	}
	/* 1,000 clients each sending a body just under the limit and
	 * holding it: held within the body budget */
	int n = rl.rlim_cur >= 2400 ? 1000 : (int)(rl.rlim_cur - 200) / 2;
	hostile_round(&s, n, 65000, 64000, base, &during, &after);
	printf("# %d connections holding 64 KB bodies: resident +%ld MB while "
	       "open, +%ld MB after they closed\n", n, during / 1024, after / 1024);
	if (RSS_MEANINGFUL) {
		assert_true(during < 192 * 1024);
		assert_true(after < 48 * 1024);
	} else {
		printf("# (a sanitizer's allocator: the bounds are not checked)\n");
	}
	/* and the server still answers */
	struct tu_resp r = tu_call(s.base, NULL, NULL, "GET", "/healthz", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	tu_server_stop(&s);
}

/* ---- connections ----------------------------------------------------------- */

static void one_address_cannot_take_every_connection(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, strict_connections);
	int port = hh_server_port(s.app.server);
	int fd[40], refused = 0;
	char buf[4096];
	const char *slow = "GET / HTTP/1.1\r\nHost: x\r\n"; /* never ends */
	for (int i = 0; i < 40; i++) {
		fd[i] = raw_connect("127.0.0.3", port);
		if (fd[i] < 0) {
			refused++;
			continue;
		}
		raw_send(fd[i], slow, strlen(slow));
	}
	/* the server closes what is over the cap at once (looked at all
	 * together, well within the idle timeout) */
	usleep(300 * 1000);
	for (int i = 0; i < 40; i++) {
		if (fd[i] < 0)
			continue;
		const char *got = raw_wait(fd[i], 0, buf, sizeof(buf));
		if (got && !*got) {
			refused++;
			close(fd[i]);
			fd[i] = -1;
		}
	}
	assert_int_equal(refused, 40 - 16);
	/* another address is served meanwhile */
	int other = raw_connect("127.0.0.4", port);
	assert_true(other >= 0);
	const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	raw_send(other, req, strlen(req));
	const char *got = raw_wait(other, 3000, buf, sizeof(buf));
	assert_non_null(got);
	tu_expect_in(got, "HTTP/1.1 200");
	close(other);
	/* and the slow ones are closed once idle past the timeout (2 s) */
	int closed = 0;
	for (int i = 0; i < 40; i++) {
		if (fd[i] < 0)
			continue;
		got = raw_wait(fd[i], 5000, buf, sizeof(buf));
		if (got && !*got)
			closed++;
		close(fd[i]);
	}
	assert_int_equal(closed, 16);
	tu_server_stop(&s);
}

/* ---- sign-in ----------------------------------------------------------------- */

static int64_t user_id(struct hh_store *st, const char *email)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_user u;
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->user_get_by_email(tx, &a, email, &u), HH_OK);
	tu_read_end(tx);
	hh_arena_clear(&a);
	return u.id;
}

static int has_event(struct hh_store *st, int64_t uid, const char *action)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_event *e;
	size_t n = tu_events(st, &a, "user", uid, &e);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		found |= !strcmp(e[i].action, action);
	hh_arena_clear(&a);
	return found;
}

/* ---- stopping ------------------------------------------------------------ */

/* Clients that connect, ask /healthz and close, over and over, from 50
 * addresses, until told to stop. */
struct hammer {
	int port;
	int id;
	atomic_int *stop;
};

static void *hammer_run(void *p)
{
	struct hammer *h = p;
	char src[32], buf[512];
	const char *req = "GET /healthz HTTP/1.1\r\nHost: x\r\n"
			  "Connection: close\r\n\r\n";
	for (int i = 0; !atomic_load(h->stop); i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			continue;
		struct sockaddr_in a = { .sin_family = AF_INET };
		sprintf(src, "127.0.11.%d", 1 + (h->id * 7 + i) % 50);
		inet_pton(AF_INET, src, &a.sin_addr);
		struct sockaddr_in to = { .sin_family = AF_INET,
					  .sin_port = htons((uint16_t)h->port) };
		inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
		    connect(fd, (struct sockaddr *)&to, sizeof(to)) == 0) {
			raw_send(fd, req, strlen(req));
			(void)raw_wait(fd, 200, buf, sizeof(buf));
		}
		close(fd);
	}
	return NULL;
}

static void few_connections(struct hh_server_config *c)
{
	/* MHD's workers take the listening socket out of their epoll sets
	 * at this limit and put it back below it */
	c->max_connections = 8;
	c->threads = 4;
}

static void *stop_in_background(void *p)
{
	tu_server_stop(p);
	return NULL;
}

/* A stopping server answers the request it is reading, closes new
 * connections at once rather than leave them waiting, and stops without
 * aborting while clients keep connecting at its connection limit (MHD's
 * quiesce raced its own workers for the listening socket there and
 * aborted the process now and then). */
static void a_stopping_server_finishes_its_requests_and_takes_no_new_ones(void **state)
{
	(void)state;
	char buf[4096];
	for (int round = 0; round < 8; round++) {
		struct tu_server s;
		tu_server_start_cfg(&s, 1, few_connections);
		int port = hh_server_port(s.app.server);

		/* a request in progress: headers and part of its body */
		int fd = raw_connect("127.0.0.1", port);
		assert_true(fd >= 0);
		const char *head = "POST /api/v1/cases HTTP/1.1\r\nHost: x\r\n"
				   "Content-Type: application/json\r\n"
				   "Content-Length: 20\r\nConnection: close\r\n\r\n"
				   "{\"form\":";
		raw_send(fd, head, strlen(head));
		/* wait until the server counts it (bounded) */
		int counted = 0;
		for (int i = 0; i < 200 && !counted; i++) {
			struct tu_resp r = tu_call(s.base, NULL, NULL, "GET",
						   "/metrics", NULL, NULL);
			counted = r.body &&
				  strstr(r.body, "helhed_http_in_flight 2\n");
			tu_resp_free(&r);
			if (!counted)
				usleep(10 * 1000);
		}
		assert_true(counted);

		atomic_int stop = 0;
		struct hammer h[4];
		pthread_t ht[4];
		for (int i = 0; i < 4; i++) {
			h[i] = (struct hammer){ port, i, &stop };
			assert_int_equal(pthread_create(&ht[i], NULL, hammer_run,
							&h[i]), 0);
		}
		usleep(20 * 1000);
		pthread_t st;
		assert_int_equal(pthread_create(&st, NULL, stop_in_background, &s),
				 0);
		usleep(50 * 1000);
		atomic_store(&stop, 1);
		for (int i = 0; i < 4; i++)
			pthread_join(ht[i], NULL);
		/* once the stop has begun (the thread may start late on a
		 * busy machine: until then a connection is served), the
		 * server drains (the request above holds it) and a new
		 * connection is taken and closed without an answer */
		const char *said = NULL;
		for (int tries = 0; tries < 100 && !(said && !*said); tries++) {
			if (tries)
				usleep(20 * 1000);
			int n = raw_connect("127.0.0.1", port);
			assert_true(n >= 0);
			raw_send(n, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", 34);
			said = raw_wait(n, 3000, buf, sizeof(buf));
			assert_non_null(said);
			if (*said)
				tu_expect_in(said, "HTTP/1.1 200 "); /* not yet stopping */
			close(n);
		}
		assert_string_equal(said, "");
		/* the rest of the body: the request is still answered */
		raw_send(fd, "\"x\"}              ", 20 - 8);
		const char *got = raw_wait(fd, 5000, buf, sizeof(buf));
		assert_non_null(got);
		tu_expect_in(got, "HTTP/1.1 ");
		close(fd);
		assert_int_equal(pthread_join(st, NULL), 0);
	}
}

static void sign_in_is_throttled_per_account_and_address(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, behind_proxy);
	const char *wrong = "{\"email\":\"Editor@901\",\"password\":\"wrong-1\"}";
	const char *right = "{\"email\":\"editor@901\",\"password\":\"password-1\"}";
	for (int i = 0; i < HH_SIGNIN_ACCOUNT_BURST; i++) {
		struct tu_resp r = as_proxy(&s, "10.1.0.1", "POST", "/api/v1/session",
					    wrong, NULL, NULL);
		tu_expect_problem(&r, 401, "bad-credentials", NULL);
		tu_resp_free(&r);
	}
	/* the account is throttled, from any address, even with the right
	 * password, and the moment it started is an event */
	struct tu_resp r = as_proxy(&s, "10.1.0.2", "POST", "/api/v1/session",
				    right, NULL, NULL);
	tu_expect_problem(&r, 429, "sign-in-throttled", NULL);
	char ra[32];
	assert_true(tu_header(&r, "Retry-After", ra, sizeof(ra)));
	assert_true(atoi(ra) > 0 && atoi(ra) <= HH_SIGNIN_ACCOUNT_REFILL);
	tu_resp_free(&r);
	assert_true(has_event(s.store, user_id(s.store, "editor@901"),
			      "sign-in-throttled"));
	/* other accounts are not */
	r = as_proxy(&s, "10.1.0.1", "POST", "/api/v1/session",
		     "{\"email\":\"agent@901\",\"password\":\"password-1\"}", NULL, NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);

	/* the HTML form: the same rule, a Danish page */
	r = as_proxy(&s, "10.1.0.3", "GET", "/log-ind", NULL, NULL, NULL);
	char setc[256], cookie[128];
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(setc, ";"), setc);
	tu_resp_free(&r);
	char body[256];
	snprintf(body, sizeof(body), "email=editor%%40901&password=password-1&csrf=%s",
		 strchr(cookie, '=') + 1);
	r = as_proxy(&s, "10.1.0.3", "POST", "/log-ind", body,
		     "application/x-www-form-urlencoded", cookie);
	assert_int_equal(r.status, 429);
	tu_expect_in(r.body, "for mange forkerte forsøg på at logge ind");
	tu_resp_free(&r);

	/* an address that fails with many accounts is throttled too: not
	 * before its allowance is spent (a slow machine may regain a try
	 * or two while the hashing runs) */
	int fails = 0, wait_s = 0;
	for (;;) {
		snprintf(body, sizeof(body),
			 "{\"email\":\"nobody%d@901\",\"password\":\"x\"}", fails);
		r = as_proxy(&s, "10.1.0.9", "POST", "/api/v1/session", body, NULL,
			     NULL);
		long st = r.status;
		if (st == 429 && tu_header(&r, "Retry-After", ra, sizeof(ra)))
			wait_s = atoi(ra);
		tu_resp_free(&r);
		if (st == 429)
			break;
		assert_int_equal(st, 401);
		fails++;
		assert_true(fails <= 2 * HH_SIGNIN_ADDRESS_BURST);
	}
	assert_true(fails >= HH_SIGNIN_ADDRESS_BURST);
	assert_true(wait_s > 0 && wait_s <= HH_SIGNIN_ADDRESS_REFILL);
	int64_t refused_at = hh_mono_us();
	r = as_proxy(&s, "10.1.0.9", "POST", "/api/v1/session",
		     "{\"email\":\"editor@902\",\"password\":\"password-1\"}", NULL, NULL);
	if (r.status == 201) {
		/* the address regained its next try between the two
		 * requests (one every HH_SIGNIN_ADDRESS_REFILL seconds; on a
		 * loaded machine the two can be far apart): only when that
		 * try was due by then, as the 429's Retry-After (rounded up
		 * to whole seconds) said */
		int64_t waited_s = (hh_mono_us() - refused_at) / 1000000;
		assert_true(waited_s + 1 >= wait_s);
	} else {
		tu_expect_problem(&r, 429, "sign-in-throttled", NULL);
	}
	tu_resp_free(&r);
	/* while the same account signs in from elsewhere */
	r = as_proxy(&s, "10.1.0.10", "POST", "/api/v1/session",
		     "{\"email\":\"editor@902\",\"password\":\"password-1\"}", NULL, NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	tu_server_stop(&s);
}

struct flood {
	struct tu_server *s;
	pthread_barrier_t *go;
	int i;
	long status;
	char code[32];
};

static void *sign_in_once(void *p)
{
	struct flood *f = p;
	char body[128], client[32];
	snprintf(body, sizeof(body), "{\"email\":\"flood%d@901\",\"password\":\"x\"}",
		 f->i);
	snprintf(client, sizeof(client), "10.2.%d.%d", f->i / 200, 1 + f->i % 200);
	pthread_barrier_wait(f->go);
	struct tu_resp r = as_proxy(f->s, client, "POST", "/api/v1/session", body,
				    NULL, NULL);
	f->status = r.status;
	snprintf(f->code, sizeof(f->code), "%s", tu_code(&r));
	tu_resp_free(&r);
	return NULL;
}

static void a_sign_in_flood_waits_in_its_own_lane(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, narrow_lane);
	enum { N = 40 };
	struct flood f[N];
	pthread_t t[N];
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, N + 1);
	for (int i = 0; i < N; i++) {
		f[i] = (struct flood){ .s = &s, .go = &go, .i = i };
		pthread_create(&t[i], NULL, sign_in_once, &f[i]);
	}
	pthread_barrier_wait(&go);
	/* searches are answered while the lane is full */
	for (int i = 0; i < 10; i++) {
		struct tu_resp r = tu_call(s.base, NULL, NULL, "GET",
					   "/api/v1/search?q=pas", NULL, NULL);
		assert_int_equal(r.status, 200);
		tu_resp_free(&r);
	}
	int refused = 0, checked = 0;
	for (int i = 0; i < N; i++) {
		pthread_join(t[i], NULL);
		if (f[i].status == 503) {
			assert_string_equal(f[i].code, "server-busy");
			refused++;
		} else {
			assert_int_equal(f[i].status, 401);
			checked++;
		}
	}
	pthread_barrier_destroy(&go);
	/* one worker and a queue of two cannot take 40 at once */
	assert_true(refused > 0);
	assert_true(checked >= 1);
	tu_server_stop(&s);
}

/* ---- writes ------------------------------------------------------------------ */

static void writes_are_limited_per_account_and_address(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, behind_proxy);
	s.app.writes_by_account = hh_limiter_new(64, 3, 60 * 1000000LL);
	s.app.writes_by_client = hh_limiter_new(64, 6, 60 * 1000000LL);
	char cookie[160], csrf[64];
	tu_login(&s, "editor@udk", cookie, sizeof(cookie), csrf, sizeof(csrf));
	char xff[64], csrf_h[96];
	snprintf(csrf_h, sizeof(csrf_h), "X-CSRF-Token: %s", csrf);
	/* a signed-in account: three writes a minute here */
	for (int i = 0; i < 4; i++) {
		snprintf(xff, sizeof(xff), "X-Forwarded-For: 10.3.0.%d", i + 1);
		const char *h[] = { xff, csrf_h, "Content-Type: application/json", NULL };
		char url[256];
		snprintf(url, sizeof(url), "%s/api/v1/articles/nope", s.base);
		struct tu_resp r = tu_http("DELETE", url, NULL, h, cookie);
		if (i < 3) {
			assert_int_not_equal(r.status, 429);
		} else {
			tu_expect_problem(&r, 429, "too-many-requests", NULL);
			char ra[16];
			assert_true(tu_header(&r, "Retry-After", ra, sizeof(ra)));
			assert_true(atoi(ra) >= 1);
		}
		tu_resp_free(&r);
	}
	/* an address: six; a page gets a Danish page */
	for (int i = 0; i < 7; i++) {
		struct tu_resp r = as_proxy(&s, "10.3.1.1", "POST",
					    "/livssituation/ingen", "a=b",
					    "application/x-www-form-urlencoded",
					    NULL);
		if (i < 6) {
			assert_int_not_equal(r.status, 429);
		} else {
			assert_int_equal(r.status, 429);
			tu_expect_in(r.body, "Vent et minut");
		}
		tu_resp_free(&r);
	}
	/* an IPv6 client holds a whole /64: its addresses share a bucket */
	for (int i = 0; i < 7; i++) {
		char v6[64];
		snprintf(v6, sizeof(v6), "2001:db8:7:1::%x", i + 1);
		struct tu_resp r6 = as_proxy(&s, v6, "POST", "/livssituation/ingen",
					     "a=b", "application/x-www-form-urlencoded",
					     NULL);
		if (i < 6)
			assert_int_not_equal(r6.status, 429);
		else
			assert_int_equal(r6.status, 429);
		tu_resp_free(&r6);
	}
	/* reads are never limited */
	struct tu_resp r = as_proxy(&s, "10.3.1.1", "GET", "/", NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	tu_server_stop(&s);
	hh_limiter_free(s.app.writes_by_account);
	hh_limiter_free(s.app.writes_by_client);
}

/* ---- cookies and caching -------------------------------------------------------- */

/* GETs path (as cookie, may be NULL) and expects its Cache-Control. */
static void expect_cache(struct tu_server *s, const char *cookie,
			 const char *path, const char *want)
{
	char cc[64];
	struct tu_resp r = tu_call(s->base, cookie, NULL, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, want);
	tu_resp_free(&r);
}

static void sessions_are_secure_and_never_cached(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, behind_proxy);
	const char *right = "{\"email\":\"agent@901\",\"password\":\"password-1\"}";
	char setc[256], cc[64];
	/* plain HTTP without the flag (a demo): no Secure */
	struct tu_resp r = as_proxy(&s, "10.4.0.1", "POST", "/api/v1/session",
				    right, NULL, NULL);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	tu_expect_not_in(setc, "Secure");
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "no-store");
	char cookie[160];
	snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(setc, ";"), setc);
	tu_resp_free(&r);
	/* the flag (on by default outside --demo) */
	s.app.secure_cookies = 1;
	r = as_proxy(&s, "10.4.0.1", "POST", "/api/v1/session", right, NULL, NULL);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	tu_expect_in(setc, "; Secure");
	tu_resp_free(&r);
	s.app.secure_cookies = 0;
	/* a trusted proxy that says the client came over TLS */
	char url[256];
	snprintf(url, sizeof(url), "%s/api/v1/session", s.base);
	const char *tls[] = { "X-Forwarded-Proto: https",
			      "Content-Type: application/json", NULL };
	r = tu_http("POST", url, right, tls, NULL);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	tu_expect_in(setc, "; Secure");
	tu_resp_free(&r);

	/* anything answered to a signed-in caller is no-store, even where
	 * an anonymous reader may cache */
	expect_cache(&s, NULL, "/api/v1/suggest?q=pas", "private, max-age=60");
	expect_cache(&s, cookie, "/api/v1/suggest?q=pas", "no-store");
	expect_cache(&s, cookie, "/personale", "no-store");
	/* static files are cached */
	expect_cache(&s, NULL, "/static/style.css", "public, max-age=86400");
	tu_server_stop(&s);
}

/* ---- the limiter itself --------------------------------------------------------- */

static void limiter_counts_refills_and_forgets(void **state)
{
	(void)state;
	struct hh_limiter *l = hh_limiter_new(8, 3, 1000000);
	int retry = 0;
	int64_t t = 1000000000;
	for (int i = 0; i < 3; i++)
		assert_true(hh_limiter_take(l, "a", t, &retry));
	assert_false(hh_limiter_take(l, "a", t, &retry));
	assert_int_equal(retry, 1);
	assert_false(hh_limiter_peek(l, "a", t + 500000, NULL));
	/* one token back after a second, not more */
	assert_true(hh_limiter_take(l, "a", t + 1000000, NULL));
	assert_false(hh_limiter_take(l, "a", t + 1000000, NULL));
	/* another key has its own bucket */
	assert_true(hh_limiter_take(l, "b", t, NULL));
	/* a reset fills it again */
	hh_limiter_reset(l, "a");
	assert_true(hh_limiter_peek(l, "a", t + 1000000, NULL));
	/* a full table reuses the fullest bucket, never the emptiest: a
	 * drained key survives a flood of new keys (were it evicted, it
	 * would come back full) */
	for (int i = 0; i < 3; i++)
		hh_limiter_take(l, "a", t + 2000000, NULL);
	assert_false(hh_limiter_peek(l, "a", t + 2000000, NULL));
	char key[16];
	for (int i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		hh_limiter_take(l, key, t + 2000000, NULL);
	}
	assert_false(hh_limiter_peek(l, "a", t + 2000000, NULL));
	hh_limiter_free(l);
}

int main(void)
{
	hh_auth_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limiter_counts_refills_and_forgets),
		cmocka_unit_test(bodies_are_limited_per_route_and_before_sign_in),
		cmocka_unit_test(the_body_budget_is_shared_and_given_back),
		cmocka_unit_test(slow_or_oversized_bodies_are_ended),
		cmocka_unit_test(memory_stays_bounded_under_hostile_bodies),
		cmocka_unit_test(one_address_cannot_take_every_connection),
		cmocka_unit_test(sign_in_is_throttled_per_account_and_address),
		cmocka_unit_test(a_sign_in_flood_waits_in_its_own_lane),
		cmocka_unit_test(writes_are_limited_per_account_and_address),
		cmocka_unit_test(sessions_are_secure_and_never_cached),
		cmocka_unit_test(a_stopping_server_finishes_its_requests_and_takes_no_new_ones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
