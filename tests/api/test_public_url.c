/* test_public_url.c - helhed serve's public address and proxies (o-tls,
 * issue 17 point 7), through the real binary: --public-url must be an
 * origin; an https one sends Strict-Transport-Security, makes every
 * cookie Secure (even with --demo, and --no-secure-cookies is refused)
 * and is the base of Open311 discovery and of the OpenID Connect
 * redirect URI; --trusted-proxies is checked at start; the deprecated
 * --trust-proxy means loopback only and says so.
 *
 * The helpers are tests/api/child_proc.h's (as test_ops.c). */
#include "testutil.h"

#include "api/child_proc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

/* Runs serve, expects exit status 2 with want in stderr. */
static void expect_refused(struct ctx *c, const char *const *env,
			   const char *const *args, const char *want)
{
	char *out, *err;
	int rc = run(c, &out, &err, env, args);
	if (rc != 2 || !strstr(err, want))
		fprintf(stderr, "status %d, stderr [%s], wanted [%s]\n", rc, err,
			want);
	assert_int_equal(rc, 2);
	assert_non_null(strstr(err, want));
	free(out);
	free(err);
}

static void bad_settings_are_refused_at_start(void **state)
{
	struct ctx *c = *state;
	char db[4300];
	snprintf(db, sizeof(db), "%s", path_in(c, "never.db"));
	static const struct { const char *flag, *value, *says; } bad[] = {
		{ "--public-url", "https://borger.example.dk/helhed",
		  "--public-url must be http(s)://HOST or http(s)://HOST:PORT, "
		  "without a path, not 'https://borger.example.dk/helhed'" },
		{ "--public-url", "https://borger.example.dk?x=1", "without a path" },
		{ "--public-url", "https://", "without a path" },
		{ "--public-url", "ftp://borger.example.dk", "without a path" },
		{ "--trusted-proxies", "10.0.0.300",
		  "--trusted-proxies: '10.0.0.300' is not an IPv4 or IPv6 address" },
		{ "--trusted-proxies", "10.0.0.1/8",
		  "'10.0.0.1/8' has bits set after its first 8: the range is "
		  "10.0.0.0/8" },
		{ "--trusted-proxies", "0.0.0.0/0", "would trust every address" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_refused(c, NULL,
			       ARGS("serve", "--db", db, "--listen", "127.0.0.1:0",
				    bad[i].flag, bad[i].value),
			       bad[i].says);
	/* the same from the environment and the file */
	expect_refused(c, ARGS("HELHED_TRUSTED_PROXIES=127.0.0.1 proxy.lan"),
		       ARGS("serve", "--db", db, "--listen", "127.0.0.1:0"),
		       "'proxy.lan' is not an IPv4 or IPv6 address");
	char *conf = path_in(c, "p.conf");
	tu_write(conf, "trusted_proxies = 10.0.0.0/24, fd00::1/8\n");
	expect_refused(c, NULL, ARGS("serve", "--config", conf, "--db", db),
		       "p.conf:1: 'trusted_proxies' must list addresses or CIDR "
		       "ranges ('fd00::1/8' has bits set after its first 8: the "
		       "range is fd00::/8");
	/* r-tls: the old switch on an address other machines reach was a
	 * balancer elsewhere (postgres-ops.md said so before o-tls); now
	 * loopback only, that balancer would be one client, capped at 64
	 * connections and sharing one allowance of sign-ins: refused, with
	 * what to write instead */
	expect_refused(c, NULL,
		       ARGS("serve", "--db", db, "--listen", "0.0.0.0:0",
			    "--trust-proxy"),
		       "--trust-proxy now believes only a proxy on this machine, "
		       "but helhed listens on 0.0.0.0:0");
	expect_refused(c, ARGS("HELHED_TRUST_PROXY=1"),
		       ARGS("serve", "--db", db, "--listen", "10.0.0.31:0"),
		       "give the proxies' addresses in trusted_proxies");
	expect_refused(c, ARGS("HELHED_TRUST_PROXY=1"),
		       ARGS("serve", "--db", db, "--listen", ":0"),
		       "listens on :0");
	/* an https site's cookies are Secure: the flag that says otherwise
	 * is a mistake */
	expect_refused(c, NULL,
		       ARGS("serve", "--db", db, "--public-url",
			    "https://borger.example.dk", "--no-secure-cookies"),
		       "cookies sent over https are always Secure");
	/* an OpenID Connect provider needs a redirect base: the public URL
	 * unless given apart */
	char *secret = path_in(c, "oidc.secret");
	tu_write(secret, "s3cret\n");
	assert_int_equal(chmod(secret, 0600), 0);
	expect_refused(c, NULL,
		       ARGS("serve", "--db", db, "--oidc-citizen-issuer",
			    "https://idp.example.dk", "--oidc-citizen-client-id",
			    "helhed", "--oidc-citizen-client-secret-file", secret),
		       "needs a client id, a client secret and a redirect base "
		       "URL (the public URL, --public-url, unless set apart)");
	struct stat st;
	assert_int_equal(stat(db, &st), -1); /* nothing started */
}

/* The header name's value in a raw header block (into out), or NULL. */
static const char *header_in(const char *headers, const char *name, char *out,
			     size_t size)
{
	char want[96];
	snprintf(want, sizeof(want), "\n%s:", name);
	const char *h = strcasestr(headers, want);
	if (!h)
		return NULL;
	h += strlen(want);
	while (*h == ' ')
		h++;
	snprintf(out, size, "%.*s", (int)strcspn(h, "\r\n"), h);
	return out;
}

/* ---- a provider that only answers discovery ------------------------------ */

struct provider {
	int fd, port;
	pthread_t thread;
};

static void *provider_main(void *p)
{
	struct provider *pr = p;
	for (;;) {
		int fd = accept(pr->fd, NULL, NULL);
		if (fd < 0)
			return NULL;
		char req[4096];
		ssize_t n = recv(fd, req, sizeof(req) - 1, 0);
		(void)n;
		char body[1024], resp[1400];
		snprintf(body, sizeof(body),
			 "{\"issuer\":\"http://127.0.0.1:%d\","
			 "\"authorization_endpoint\":\"http://127.0.0.1:%d/auth\","
			 "\"token_endpoint\":\"http://127.0.0.1:%d/token\","
			 "\"jwks_uri\":\"http://127.0.0.1:%d/jwks\"}",
			 pr->port, pr->port, pr->port, pr->port);
		snprintf(resp, sizeof(resp),
			 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
			 strlen(body), body);
		ssize_t w = send(fd, resp, strlen(resp), MSG_NOSIGNAL);
		(void)w;
		close(fd);
	}
}

static void provider_start(struct provider *pr)
{
	pr->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(bind(pr->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(pr->fd, 8), 0);
	socklen_t len = sizeof(a);
	getsockname(pr->fd, (struct sockaddr *)&a, &len);
	pr->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&pr->thread, NULL, provider_main, pr), 0);
}

static void provider_stop(struct provider *pr)
{
	shutdown(pr->fd, SHUT_RDWR);
	close(pr->fd);
	pthread_join(pr->thread, NULL);
}

/* An https public URL: HSTS, Secure cookies even with --demo, Open311
 * discovery and the OpenID Connect redirect on it (the trailing slash
 * dropped), never the Host header. */
static void an_https_public_url_is_used_everywhere(void **state)
{
	struct ctx *c = *state;
	struct provider pr;
	provider_start(&pr);
	char issuer[64];
	snprintf(issuer, sizeof(issuer), "http://127.0.0.1:%d", pr.port);
	char *secret = path_in(c, "oidc.secret");
	tu_write(secret, "s3cret\n");
	assert_int_equal(chmod(secret, 0600), 0);
	char *empty = path_in(c, "content");
	assert_int_equal(mkdir(empty, 0700), 0);
	struct child ch;
	int port;
	serve(c, &ch, NULL,
	      ARGS("serve", "--db", path_in(c, "a.db"), "--listen", "127.0.0.1:0",
		   "--demo", "--content", empty, "--public-url",
		   "https://borger.example.dk/", "--oidc-citizen-issuer", issuer,
		   "--oidc-citizen-client-id", "helhed",
		   "--oidc-citizen-client-secret-file", secret),
	      &port, NULL);
	char url[256], v[1024];
	const char *host[] = { "Host: evil.example", "X-Forwarded-Host: evil.example",
			       NULL };
	/* a page: HSTS and a Secure cookie (--demo alone would not) */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/soeg?q=pas", port);
	struct tu_resp r = tu_http("GET", url, NULL, host, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(header_in(r.headers, "Strict-Transport-Security", v,
				  sizeof(v)));
	assert_string_equal(v, "max-age=31536000");
	assert_non_null(header_in(r.headers, "Set-Cookie", v, sizeof(v)));
	tu_expect_in(v, "; Secure");
	tu_resp_free(&r);
	/* Open311 discovery */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/open311/v2/discovery.json",
		 port);
	r = tu_http("GET", url, NULL, host, NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "\"url\":\"https://borger.example.dk/open311/v2\"");
	tu_expect_not_in(r.body, "evil");
	tu_resp_free(&r);
	/* the sign-in's redirect URI, and its cookie */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/borger/oidc/start", port);
	r = tu_http("GET", url, NULL, host, NULL);
	assert_int_equal(r.status, 303);
	assert_non_null(header_in(r.headers, "Location", v, sizeof(v)));
	tu_expect_in(v, "&redirect_uri=https%3A%2F%2Fborger.example.dk%2Fborger"
			"%2Foidc%2Fcallback&");
	tu_expect_not_in(v, "evil");
	assert_non_null(header_in(r.headers, "Set-Cookie", v, sizeof(v)));
	tu_expect_in(v, "; Secure");
	tu_resp_free(&r);
	stop(c, &ch, SIGTERM);
	provider_stop(&pr);
}

/* The client of the log line that has path, from ch's stderr (new). */
static char *logged_client(struct child *ch, const char *path)
{
	char want[256];
	snprintf(want, sizeof(want), "\"path\":\"%s\"", path);
	char *log = wait_for_text(ch, ch->err, want, 30000);
	assert_non_null(log);
	const char *line = strstr(log, want);
	const char *cl = strstr(line, "\"client\":\"");
	assert_non_null(cl);
	cl += 10;
	char *out = strndup(cl, strcspn(cl, "\""));
	free(log);
	return out;
}

/* --trust-proxy: loopback only, with a warning; --trusted-proxies
 * without this test's address: its forged header is not believed. */
static void the_old_switch_means_loopback(void **state)
{
	struct ctx *c = *state;
	struct child ch;
	int port;
	serve(c, &ch, NULL,
	      ARGS("serve", "--db", path_in(c, "b.db"), "--listen", "127.0.0.1:0",
		   "--trust-proxy"),
	      &port, NULL);
	char url[256];
	const char *xff[] = { "X-Forwarded-For: 198.51.100.7", NULL };
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/forwarded", port);
	struct tu_resp r = tu_http("GET", url, NULL, xff, NULL);
	tu_resp_free(&r);
	char *client = logged_client(&ch, "/forwarded");
	assert_string_equal(client, "198.51.100.7");
	free(client);
	char *err = tu_read(ch.err);
	tu_expect_in(err, "--trust-proxy (trust_proxy, HELHED_TRUST_PROXY) is "
			  "deprecated: it means --trusted-proxies 127.0.0.0/8,::1");
	free(err);
	stop(c, &ch, SIGTERM);
	/* a list without 127.0.0.1: the test is a direct client */
	serve(c, &ch, ARGS("HELHED_TRUSTED_PROXIES=127.0.0.2, ::1"),
	      ARGS("serve", "--db", path_in(c, "b.db"), "--listen", "127.0.0.1:0"),
	      &port, NULL);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/direct", port);
	r = tu_http("GET", url, NULL, xff, NULL);
	tu_resp_free(&r);
	client = logged_client(&ch, "/direct");
	assert_string_equal(client, "127.0.0.1");
	free(client);
	stop(c, &ch, SIGTERM);
}

int main(int argc, char **argv)
{
	(void)argc;
	find_binary(argv[0], "tests/api/test_public_url");
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "test_public_url: %s is not an executable (build "
				"it or set HELHED_BIN)\n", bin);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(bad_settings_are_refused_at_start,
						setup, teardown),
		cmocka_unit_test_setup_teardown(an_https_public_url_is_used_everywhere,
						setup, teardown),
		cmocka_unit_test_setup_teardown(the_old_switch_means_loopback,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
