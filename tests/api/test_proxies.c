/* test_proxies.c - helhed behind a reverse proxy (o-tls, issue 17 point 7):
 * forwarded headers believed only from the trusted proxies, one answer for
 * the client's address (the request log, the write limits), the
 * per-address connection cap that spares the proxies, and
 * Strict-Transport-Security.
 *
 * Clients are raw sockets bound to their own loopback addresses: the
 * proxy is 127.0.0.2, a client that reaches helhed directly 127.0.0.1. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "testutil.h"

#include "core/limit.h"

#define PROXY "127.0.0.2"
#define DIRECT "127.0.0.1"

/* A TCP connection from src to the server; -1 when refused. */
static int raw_connect(const char *src, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_pton(AF_INET, src, &a.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends req on fd and reads one answer's head and body (the body up to
 * its Content-Length). Returns the text (new), "" when the server
 * closed without a word; fails the test when nothing came in 10 s. */
static char *exchange(int fd, const char *req)
{
	size_t n = strlen(req);
	assert_int_equal(send(fd, req, n, MSG_NOSIGNAL), (ssize_t)n);
	struct hh_buf b;
	hh_buf_init(&b);
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		assert_true(poll(&p, 1, 10000) > 0);
		char chunk[4096];
		ssize_t k = recv(fd, chunk, sizeof(chunk), 0);
		if (k <= 0)
			break;
		hh_buf_append(&b, chunk, (size_t)k);
		const char *s = hh_buf_str(&b);
		const char *end = strstr(s, "\r\n\r\n");
		const char *cl = strcasestr(s, "\r\nContent-Length:");
		if (end && cl && cl < end &&
		    b.len >= (size_t)(end + 4 - s) + strtoul(cl + 17, NULL, 10))
			break;
	}
	return hh_buf_steal(&b);
}

/* One request from src, the connection closed after it. */
static char *request(int port, const char *src, const char *method,
		     const char *path, const char *headers, const char *body)
{
	int fd = raw_connect(src, port);
	assert_true(fd >= 0);
	char req[4096];
	snprintf(req, sizeof(req),
		 "%s %s HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n"
		 "%s%s\r\n%s",
		 method, path, headers ? headers : "",
		 body ? "Content-Type: application/x-www-form-urlencoded\r\n"
			"Content-Length: 3\r\n"
		      : "",
		 body ? body : "");
	char *got = exchange(fd, req);
	close(fd);
	return got;
}

static int status_of(const char *resp)
{
	return !strncmp(resp, "HTTP/1.1 ", 9) ? atoi(resp + 9) : 0;
}

/* The value of header name in resp (into out), or NULL. */
static const char *header_of(const char *resp, const char *name, char *out,
			     size_t size)
{
	char want[96];
	snprintf(want, sizeof(want), "\r\n%s:", name);
	const char *h = strcasestr(resp, want);
	const char *end = strstr(resp, "\r\n\r\n");
	if (!h || (end && h > end))
		return NULL;
	h += strlen(want);
	while (*h == ' ')
		h++;
	snprintf(out, size, "%.*s", (int)strcspn(h, "\r\n"), h);
	return out;
}

/* ---- the request log, in a file while a test runs ---------------------- */

static char log_path[4300];
static int saved_stderr = -1;

static void log_to_file(const char *dir)
{
	snprintf(log_path, sizeof(log_path), "%s/stderr.txt", dir);
	fflush(stderr);
	saved_stderr = dup(2);
	int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved_stderr >= 0);
	dup2(fd, 2);
	close(fd);
}

static void log_back(void)
{
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	saved_stderr = -1;
}

/* The client named in the log line of path (each test path is asked
 * once), into out. The line is written as the request completes, just
 * after the answer: waited for (a guard, not a timing assumption). */
static const char *logged_client(const char *path, char *out, size_t size)
{
	char want[256];
	snprintf(want, sizeof(want), "\"path\":\"%s\"", path);
	for (int i = 0; i < 400; i++) {
		char *text = tu_read(log_path);
		const char *line = text ? strstr(text, want) : NULL;
		if (line) {
			const char *c = strstr(line, "\"client\":\"");
			const char *eol = strchr(line, '\n');
			assert_non_null(c);
			assert_true(!eol || c < eol);
			c += 10;
			snprintf(out, size, "%.*s", (int)strcspn(c, "\""), c);
			free(text);
			return out;
		}
		free(text);
		usleep(25 * 1000);
	}
	fail_msg("no log line for %s", path);
	return NULL;
}

/* ---- the servers ------------------------------------------------------- */

static void behind_haproxy(struct hh_server_config *c)
{
	c->trusted_proxies = PROXY ", 10.0.0.0/24";
}

static void behind_haproxy_logged(struct hh_server_config *c)
{
	behind_haproxy(c);
	c->log_requests = 1;
}

static void capped(struct hh_server_config *c)
{
	c->trusted_proxies = PROXY;
	c->per_client = 2;
}

static void with_hsts(struct hh_server_config *c)
{
	c->hsts = 1;
}

/* What a client of path from src with headers is taken to be. */
static const char *client_seen(struct tu_server *s, const char *src,
			       const char *path, const char *headers, char *out)
{
	char *r = request(hh_server_port(s->app.server), src, "GET", path,
			  headers, NULL);
	assert_int_equal(status_of(r), 404);
	free(r);
	return logged_client(path, out, 64);
}

static void forwarded_headers_count_only_from_a_trusted_proxy(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, behind_haproxy_logged);
	log_to_file(s.dir);
	char c[64];
	/* a direct client's forged headers change nothing */
	assert_string_equal(client_seen(&s, DIRECT, "/p1",
					"X-Forwarded-For: 198.51.100.7\r\n"
					"X-Real-IP: 198.51.100.7\r\n"
					"Forwarded: for=198.51.100.7\r\n", c),
			    DIRECT);
	assert_string_equal(client_seen(&s, DIRECT, "/p2",
					"X-Forwarded-For: " PROXY "\r\n", c),
			    DIRECT);
	/* through the proxy: the address it appended */
	assert_string_equal(client_seen(&s, PROXY, "/p3",
					"X-Forwarded-For: 198.51.100.7\r\n", c),
			    "198.51.100.7");
	/* a client's forgery is left of the proxy's entry */
	assert_string_equal(client_seen(&s, PROXY, "/p4",
					"X-Forwarded-For: 6.6.6.6, 198.51.100.7\r\n",
					c),
			    "198.51.100.7");
	/* two headers are one list */
	assert_string_equal(client_seen(&s, PROXY, "/p5",
					"X-Forwarded-For: 6.6.6.6\r\n"
					"X-Forwarded-For: 198.51.100.8\r\n", c),
			    "198.51.100.8");
	/* past a second trusted hop */
	assert_string_equal(client_seen(&s, PROXY, "/p6",
					"X-Forwarded-For: 6.6.6.6, 198.51.100.9, "
					"10.0.0.5\r\n", c),
			    "198.51.100.9");
	/* the proxy's own request (a health check) */
	assert_string_equal(client_seen(&s, PROXY, "/p7", NULL, c), PROXY);
	/* RFC 7239 Forwarded is read from nobody */
	assert_string_equal(client_seen(&s, PROXY, "/p8",
					"Forwarded: for=198.51.100.7\r\n", c),
			    PROXY);
	/* r-tls: a hop that writes the client's port: still that client,
	 * not the proxy every client behind it would then share */
	assert_string_equal(client_seen(&s, PROXY, "/p9",
					"X-Forwarded-For: 6.6.6.6, "
					"198.51.100.10:4711\r\n", c),
			    "198.51.100.10");
	/* HAProxy bound v4v6 (the example) writes an IPv4 client as
	 * IPv4-mapped IPv6: the same client as its dotted form */
	assert_string_equal(client_seen(&s, PROXY, "/p10",
					"X-Forwarded-For: ::ffff:198.51.100.11\r\n",
					c),
			    "198.51.100.11");
	log_back();
	tu_server_stop(&s);
}

/* The write limit per address counts the client the log names: a
 * direct client cannot get a fresh allowance by forging a header, a
 * client behind the proxy has its own. */
static void write_limits_count_the_same_client(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, behind_haproxy);
	s.app.writes_by_client = hh_limiter_new(64, 1, 60 * 1000000LL);
	int port = hh_server_port(s.app.server);
	char *r = request(port, DIRECT, "POST", "/livssituation/ingen",
			  "X-Forwarded-For: 10.7.0.1\r\n", "a=b");
	assert_int_not_equal(status_of(r), 429);
	free(r);
	r = request(port, DIRECT, "POST", "/livssituation/ingen",
		    "X-Forwarded-For: 10.7.0.2\r\n", "a=b");
	assert_int_equal(status_of(r), 429);
	free(r);
	/* through the proxy: two clients, two allowances */
	r = request(port, PROXY, "POST", "/livssituation/ingen",
		    "X-Forwarded-For: 198.51.100.1\r\n", "a=b");
	assert_int_not_equal(status_of(r), 429);
	free(r);
	r = request(port, PROXY, "POST", "/livssituation/ingen",
		    "X-Forwarded-For: 198.51.100.2\r\n", "a=b");
	assert_int_not_equal(status_of(r), 429);
	free(r);
	/* and the first of them is spent, whatever it writes left of it */
	r = request(port, PROXY, "POST", "/livssituation/ingen",
		    "X-Forwarded-For: 203.0.113.1, 198.51.100.1\r\n", "a=b");
	assert_int_equal(status_of(r), 429);
	free(r);
	tu_server_stop(&s);
	hh_limiter_free(s.app.writes_by_client);
}

/* X-Forwarded-Proto: https makes cookies Secure only from the proxy. */
static void forwarded_tls_counts_only_from_a_trusted_proxy(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, behind_haproxy);
	int port = hh_server_port(s.app.server);
	char v[512];
	/* a search page sets the visit cookie (app.c hh_visit) */
	char *r = request(port, DIRECT, "GET", "/soeg?q=pas",
			  "X-Forwarded-Proto: https\r\n", NULL);
	assert_int_equal(status_of(r), 200);
	assert_non_null(header_of(r, "Set-Cookie", v, sizeof(v)));
	tu_expect_not_in(v, "Secure");
	free(r);
	r = request(port, PROXY, "GET", "/soeg?q=pas",
		    "X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-Proto: https\r\n",
		    NULL);
	assert_non_null(header_of(r, "Set-Cookie", v, sizeof(v)));
	tu_expect_in(v, "; Secure");
	free(r);
	r = request(port, PROXY, "GET", "/soeg?q=pas",
		    "X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-Proto: http\r\n",
		    NULL);
	assert_non_null(header_of(r, "Set-Cookie", v, sizeof(v)));
	tu_expect_not_in(v, "Secure");
	free(r);
	tu_server_stop(&s);
}

/* An idle kept-alive connection from src: its fd, after one answered
 * request; -1 when the server closed it instead. */
static int held_connection(int port, const char *src)
{
	int fd = raw_connect(src, port);
	if (fd < 0)
		return -1;
	char *r = exchange(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
	int ok = status_of(r) == 200;
	free(r);
	if (!ok) {
		close(fd);
		return -1;
	}
	return fd;
}

static void the_connection_cap_spares_the_proxies(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, capped);
	int port = hh_server_port(s.app.server);
	int direct[3], proxy[6];
	/* a direct client: two at once */
	for (int i = 0; i < 3; i++)
		direct[i] = held_connection(port, DIRECT);
	assert_true(direct[0] >= 0 && direct[1] >= 0);
	assert_int_equal(direct[2], -1);
	/* the proxy carries many clients: not capped */
	for (int i = 0; i < 6; i++) {
		proxy[i] = held_connection(port, PROXY);
		assert_true(proxy[i] >= 0);
	}
	/* a closed connection gives its place back (the server sees the
	 * close a moment after the client: tried until then) */
	close(direct[0]);
	int again = -1;
	for (int i = 0; i < 200 && again < 0; i++) {
		again = held_connection(port, DIRECT);
		if (again < 0)
			usleep(25 * 1000);
	}
	assert_true(again >= 0);
	close(again);
	close(direct[1]);
	for (int i = 0; i < 6; i++)
		close(proxy[i]);
	tu_server_stop(&s);
}

static void capped_quick(struct hh_server_config *c)
{
	capped(c);
	c->idle_timeout_s = 1;
}

/* Resets fd (SO_LINGER 0: the server reads an RST, not a FIN). */
static void reset(int fd)
{
	struct linger l = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/* Waits until the server closes fd (a guard of 10 s, not a timing
 * assumption). */
static void closed_by_server(int fd)
{
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		assert_true(poll(&p, 1, 10000) > 0);
		char c[512];
		if (recv(fd, c, sizeof(c), 0) <= 0)
			break;
	}
	close(fd);
}

/* The cap's two places are free again (the server sees a close a
 * moment after the client: tried until then), and a third is refused. */
static void both_places_free(int port)
{
	int a = -1, b = -1;
	for (int i = 0; i < 400 && (a < 0 || b < 0); i++) {
		if (a < 0)
			a = held_connection(port, DIRECT);
		if (a >= 0 && b < 0)
			b = held_connection(port, DIRECT);
		if (a < 0 || b < 0)
			usleep(25 * 1000);
	}
	assert_true(a >= 0 && b >= 0);
	assert_int_equal(held_connection(port, DIRECT), -1);
	close(a);
	close(b);
}

/* However a connection ends, its place is given back: a leaked count
 * would lock the citizen at that address out for good. */
static void the_connection_cap_gives_places_back_however_it_ends(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, capped_quick);
	int port = hh_server_port(s.app.server);
	/* reset before a byte, in the middle of the headers, in the
	 * middle of a body, and after an answer */
	static const char *const sent[] = {
		"", "GET /healthz HTTP/1.1\r\nHo",
		"POST /livssituation/ingen HTTP/1.1\r\nHost: x\r\n"
		"Content-Type: application/x-www-form-urlencoded\r\n"
		"Content-Length: 100\r\n\r\na=b",
	};
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < sizeof(sent) / sizeof(sent[0]); i++) {
			int fd = -1;
			for (int k = 0; k < 400 && fd < 0; k++) {
				fd = raw_connect(DIRECT, port);
				if (fd < 0)
					usleep(25 * 1000);
			}
			assert_true(fd >= 0);
			if (*sent[i])
				send(fd, sent[i], strlen(sent[i]), MSG_NOSIGNAL);
			usleep(20 * 1000);
			reset(fd);
		}
		int fd = held_connection(port, DIRECT);
		assert_true(fd >= 0);
		reset(fd);
		both_places_free(port);
	}
	/* closed by the server: idle, half a request, half a body */
	int fds[2];
	fds[0] = raw_connect(DIRECT, port);
	fds[1] = raw_connect(DIRECT, port);
	assert_true(fds[0] >= 0 && fds[1] >= 0);
	send(fds[1], sent[2], strlen(sent[2]), MSG_NOSIGNAL);
	closed_by_server(fds[0]);
	closed_by_server(fds[1]);
	both_places_free(port);
	tu_server_stop(&s);
}

static void hsts_on_every_answer_when_public_https(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start_cfg(&s, 1, with_hsts);
	int port = hh_server_port(s.app.server);
	static const char *const paths[] = { "/", "/api/v1/search?q=pas",
					     "/static/style.css", "/findes-ikke",
					     "/open311/v2/discovery.json" };
	char v[128];
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *r = request(port, DIRECT, "GET", paths[i], NULL, NULL);
		assert_non_null(header_of(r, "Strict-Transport-Security", v,
					  sizeof(v)));
		assert_string_equal(v, "max-age=31536000");
		free(r);
	}
	tu_server_stop(&s);
	/* without it (plain http, the demo): none */
	tu_server_start(&s, 1);
	port = hh_server_port(s.app.server);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *r = request(port, DIRECT, "GET", paths[i], NULL, NULL);
		assert_null(header_of(r, "Strict-Transport-Security", v, sizeof(v)));
		free(r);
	}
	tu_server_stop(&s);
}

/* Discovery names the public URL, never the Host header the client
 * wrote (request() sends Host: evil.example). */
static void discovery_names_the_public_url_not_the_host(void **state)
{
	(void)state;
	struct tu_server s;
	tu_server_start(&s, 1);
	s.app.public_url = "https://borger.nordskov.dk";
	int port = hh_server_port(s.app.server);
	char *r = request(port, PROXY, "GET", "/open311/v2/discovery.json",
			  "X-Forwarded-Host: evil.example\r\n", NULL);
	assert_int_equal(status_of(r), 200);
	tu_expect_in(r, "\"url\":\"https://borger.nordskov.dk/open311/v2\"");
	tu_expect_not_in(r, "evil");
	free(r);
	r = request(port, PROXY, "GET", "/open311/v2/nothing.json", NULL, NULL);
	tu_expect_in(r, "https://borger.nordskov.dk/open311/v2/discovery.json");
	tu_expect_not_in(r, "evil");
	free(r);
	s.app.public_url = NULL;
	tu_server_stop(&s);
}

/* A list that does not parse stops the start. */
static void a_bad_list_does_not_start(void **state)
{
	(void)state;
	struct hh_server_config cfg = { .listen = "127.0.0.1:0", .threads = 1,
					.trusted_proxies = "10.0.0.1/8" };
	struct hh_app app = { 0 };
	struct hh_server *srv = (struct hh_server *)1;
	assert_int_equal(hh_server_start(&cfg, hh_routes, &app, &srv),
			 HH_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forwarded_headers_count_only_from_a_trusted_proxy),
		cmocka_unit_test(write_limits_count_the_same_client),
		cmocka_unit_test(forwarded_tls_counts_only_from_a_trusted_proxy),
		cmocka_unit_test(the_connection_cap_spares_the_proxies),
		cmocka_unit_test(the_connection_cap_gives_places_back_however_it_ends),
		cmocka_unit_test(hsts_on_every_answer_when_public_https),
		cmocka_unit_test(discovery_names_the_public_url_not_the_host),
		cmocka_unit_test(a_bad_list_does_not_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
