/* test_webhooks.c - x-hooks (issue 15, point 3): helhed's events out by
 * signed webhooks (domain/webhooks.h), on either backend (tu_store).
 *
 * The receiver is real: a small HTTP server in this file on a loopback
 * port, which checks each delivery's Standard Webhooks signature with
 * its own code over OpenSSL's HMAC and base64 (not helhed's libsodium),
 * and answers the statuses a test gives it. helhed posts to it with the
 * worker's own libcurl poster (app/hooks.c). The events are appended
 * through the store's event_append, the one door every domain write
 * path goes through, so the outbox is what the whole program gets. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app/hooks.h"
#include "domain/vault.h"
#include "domain/webhooks.h"
#include "org_fixture.h"

/* ---- the receiver ------------------------------------------------------ */

#define GOT_MAX 64

struct got {
	char id[64];
	long long ts;
	int valid; /* the signature checked out */
	char body[4096];
	char sig[256]; /* the webhook-signature header, as it came */
};

struct receiver {
	int fd, port;
	pthread_t thread;
	atomic_int stop;
	char secret[128];
	pthread_mutex_t lock;
	int codes[16], n_codes, next_code; /* answers in turn; then 200 */
	int slow_first_ms; /* x-hooks2: the first answer comes this late */
	int n_served;
	struct got got[GOT_MAX];
	int n_got;
};

/* base64 (standard alphabet, padded) to bytes; their number or -1. */
static int b64_decode(const char *in, unsigned char *out, size_t outsz)
{
	size_t n = strlen(in);
	if (n % 4 || (n / 4) * 3 > outsz)
		return -1;
	int len = EVP_DecodeBlock(out, (const unsigned char *)in, (int)n);
	if (len < 0)
		return -1;
	while (n && in[n - 1] == '=') { /* DecodeBlock counts the padding */
		len--;
		n--;
	}
	return len;
}

/* The receiver's check: for each space-separated "v1,SIG" of header
 * sig, SIG == base64(HMAC-SHA256(key, id.ts.body)), key the base64
 * after "whsec_"; and the timestamp within five minutes of the
 * delivery's own clock (the tests' passes run at real time or later). */
static int verify(const char *secret, const char *id, const char *ts,
		  const char *sig, const char *body, size_t len)
{
	if (strncmp(secret, "whsec_", 6))
		return 0;
	unsigned char key[128];
	int klen = b64_decode(secret + 6, key, sizeof(key));
	if (klen < 24)
		return 0;
	size_t cn = strlen(id) + strlen(ts) + len + 2;
	char *content = malloc(cn + 1);
	snprintf(content, cn + 1, "%s.%s.", id, ts);
	memcpy(content + strlen(id) + strlen(ts) + 2, body, len);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	HMAC(EVP_sha256(), key, klen, (unsigned char *)content, cn, mac,
	     &maclen);
	free(content);
	char expect[128];
	EVP_EncodeBlock((unsigned char *)expect, mac, (int)maclen);
	int ok = 0;
	char copy[512];
	snprintf(copy, sizeof(copy), "%s", sig);
	char *save = NULL;
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
		if (!strncmp(t, "v1,", 3) && !strcmp(t + 3, expect))
			ok = 1;
	return ok;
}

/* The value of header name in the header block h (NUL-terminated), into
 * out; "" when absent. */
static void header(const char *h, const char *name, char *out, size_t sz)
{
	out[0] = 0;
	size_t n = strlen(name);
	for (const char *l = strstr(h, "\r\n"); l; l = strstr(l + 2, "\r\n")) {
		const char *s = l + 2;
		if (!strncasecmp(s, name, n) && s[n] == ':') {
			s += n + 1;
			while (*s == ' ')
				s++;
			size_t m = strcspn(s, "\r\n");
			snprintf(out, sz, "%.*s", (int)m, s);
			return;
		}
	}
}

static void serve_one(struct receiver *r, int c)
{
	char buf[16384];
	size_t n = 0;
	char *end = NULL;
	while (n < sizeof(buf) - 1) {
		ssize_t k = read(c, buf + n, sizeof(buf) - 1 - n);
		if (k <= 0)
			break;
		n += (size_t)k;
		buf[n] = 0;
		end = strstr(buf, "\r\n\r\n");
		if (end) {
			*end = 0;
			char cl[32];
			header(buf, "Content-Length", cl, sizeof(cl));
			size_t want = (size_t)atol(cl);
			size_t have = n - (size_t)(end + 4 - buf);
			while (have < want && n < sizeof(buf) - 1) {
				k = read(c, buf + n, sizeof(buf) - 1 - n);
				if (k <= 0)
					break;
				n += (size_t)k;
				have += (size_t)k;
			}
			buf[n] = 0;
			break;
		}
	}
	if (!end)
		return;
	const char *body = end + 4;
	size_t blen = n - (size_t)(body - buf);
	char id[64], ts[32], sig[256];
	header(buf, "webhook-id", id, sizeof(id));
	header(buf, "webhook-timestamp", ts, sizeof(ts));
	header(buf, "webhook-signature", sig, sizeof(sig));
	pthread_mutex_lock(&r->lock);
	int slow = r->n_served++ == 0 ? r->slow_first_ms : 0;
	int code = r->next_code < r->n_codes ? r->codes[r->next_code++] : 200;
	if (r->n_got < GOT_MAX) {
		struct got *g = &r->got[r->n_got++];
		snprintf(g->id, sizeof(g->id), "%s", id);
		g->ts = atoll(ts);
		g->valid = verify(r->secret, id, ts, sig, body, blen) &&
			   !strncmp(buf, "POST ", 5);
		snprintf(g->body, sizeof(g->body), "%.*s", (int)blen, body);
		snprintf(g->sig, sizeof(g->sig), "%s", sig);
	}
	pthread_mutex_unlock(&r->lock);
	if (slow) /* a receiver that answers after the delivery timeout */
		usleep((useconds_t)slow * 1000);
	char resp[128];
	int m = snprintf(resp, sizeof(resp),
			 "HTTP/1.1 %d X\r\nContent-Length: 0\r\n"
			 "Connection: close\r\n\r\n", code);
	if (write(c, resp, (size_t)m) < 0)
		return;
}

static void *receive(void *arg)
{
	struct receiver *r = arg;
	while (!atomic_load(&r->stop)) {
		struct pollfd p = { r->fd, POLLIN, 0 };
		if (poll(&p, 1, 50) <= 0)
			continue;
		int c = accept(r->fd, NULL, NULL);
		if (c < 0)
			continue;
		serve_one(r, c);
		close(c);
	}
	return NULL;
}

/* Starts r listening on 127.0.0.1:port (0: any free port). */
static void receiver_start(struct receiver *r, int port)
{
	r->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(r->fd >= 0);
	int one = 1;
	setsockopt(r->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(r->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(r->fd, 16), 0);
	socklen_t len = sizeof(a);
	getsockname(r->fd, (struct sockaddr *)&a, &len);
	r->port = ntohs(a.sin_port);
	atomic_store(&r->stop, 0);
	pthread_mutex_init(&r->lock, NULL);
	assert_int_equal(pthread_create(&r->thread, NULL, receive, r), 0);
}

static void receiver_stop(struct receiver *r)
{
	if (r->fd < 0)
		return;
	atomic_store(&r->stop, 1);
	pthread_join(r->thread, NULL);
	close(r->fd);
	r->fd = -1;
	pthread_mutex_destroy(&r->lock);
}

static int received(struct receiver *r)
{
	pthread_mutex_lock(&r->lock);
	int n = r->n_got;
	pthread_mutex_unlock(&r->lock);
	return n;
}

/* ---- the fixture ----------------------------------------------------- */

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t org_a, org_b;
	struct hh_actor admin_a, admin_b;
	struct receiver rx, rx2;
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	OFX_OPEN(f);
	/* a vault as `serve` has one: the secrets are sealed at rest */
	char keys[4200], err[200];
	snprintf(keys, sizeof(keys), "%s/helhed.keys", f->dir);
	struct hh_vault *v;
	assert_int_equal(hh_vault_create(keys, &v, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_attach(f->st, v), HH_OK);
	f->org_a = ofx_org(f->st, "901", "Nordskov Kommune",
			   HH_ORG_MUNICIPALITY);
	f->org_b = ofx_org(f->st, "902", "Åstrup Kommune", HH_ORG_MUNICIPALITY);
	f->admin_a = (struct hh_actor){ .label = "user:1", .org_id = f->org_a,
					.roles = HH_ROLE_ADMIN };
	f->admin_b = (struct hh_actor){ .label = "user:2", .org_id = f->org_b,
					.roles = HH_ROLE_ADMIN };
	f->rx.fd = f->rx2.fd = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	receiver_stop(&f->rx);
	receiver_stop(&f->rx2);
	OFX_CLOSE(f);
	free(f);
	return 0;
}

static const char *const all_types[] = {
	HH_WH_CASE_SUBMITTED, HH_WH_CASE_STATE, HH_WH_LETTER_SENT,
	HH_WH_INQUIRY_TRANSFERRED, HH_WH_ARTICLE_CHANGED,
};

/* Subscribes who to types at r's port; the secret into r. */
static int64_t subscribe(struct fx *f, const struct hh_actor *who,
			 struct receiver *r, int port,
			 const char *const *types, int n)
{
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook", port);
	struct hh_webhook_input in = { url, types, n, -1 };
	struct hh_webhook_sub s;
	const char *field;
	assert_int_equal(hh_webhook_subscribe(f->st, who, &f->a, &in, 1, &s,
					      &field), HH_OK);
	assert_true(!strncmp(s.secret, "whsec_", 6));
	snprintf(r->secret, sizeof(r->secret), "%s", s.secret);
	return s.id;
}

struct ev {
	int64_t org;
	const char *entity;
	int64_t id;
	const char *action, *before, *after;
};

static enum hh_rc append_tx(struct hh_tx *tx, void *p)
{
	const struct ev *e = p;
	struct hh_event x = { .actor = "user:9", .org_id = e->org,
			      .entity = e->entity, .entity_id = e->id,
			      .action = e->action, .before = e->before,
			      .after = e->after };
	return tx->store->event_append(tx, &x);
}

static void append(struct fx *f, struct ev e)
{
	assert_int_equal(hh_store_run_tx(f->st, 1, append_tx, &e), HH_OK);
}

/* x-hooks2: an event that also concerns organisation also (a transfer) */
struct ev_also {
	struct ev e;
	int64_t also;
};

static enum hh_rc append_also_tx(struct hh_tx *tx, void *p)
{
	const struct ev_also *x = p;
	struct hh_event e = { .actor = "user:9", .org_id = x->e.org,
			      .entity = x->e.entity, .entity_id = x->e.id,
			      .action = x->e.action, .before = x->e.before,
			      .after = x->e.after, .also_org_id = x->also };
	return tx->store->event_append(tx, &e);
}

/* The number of different webhook-ids r has been posted. */
static int distinct_ids(struct receiver *r)
{
	pthread_mutex_lock(&r->lock);
	int n = 0;
	for (int i = 0; i < r->n_got; i++) {
		int seen = 0;
		for (int j = 0; j < i; j++)
			seen |= !strcmp(r->got[i].id, r->got[j].id);
		n += !seen;
	}
	pthread_mutex_unlock(&r->lock);
	return n;
}

static int64_t now_s(void)
{
	return hh_now_us() / 1000000;
}

/* The worker's poster as `serve --webhooks-allow-http-loopback` has it:
 * the receiver is on loopback. */
static struct hh_webhook_poster loopback_poster(void)
{
	struct hh_webhook_poster p = hh_hooks_curl_poster;
	p.allow_loopback = 1;
	return p;
}

static void pass(struct fx *f, int64_t at, struct hh_webhook_stats *s)
{
	struct hh_webhook_poster p = loopback_poster();
	assert_int_equal(hh_webhooks_deliver(f->st, &p, at, 50, s), HH_OK);
}

struct dl {
	struct hh_webhook_delivery d[32];
	int n;
};

static enum hh_rc keep_delivery(void *p, const struct hh_webhook_delivery *d)
{
	struct dl *l = p;
	if (l->n < 32)
		l->d[l->n++] = *d;
	return HH_OK;
}

static void deliveries(struct fx *f, const struct hh_actor *who, struct dl *l)
{
	l->n = 0;
	assert_int_equal(hh_webhook_deliveries(f->st, who, &f->a, 0, 100,
					       keep_delivery, l), HH_OK);
}

/* ---- tests -------------------------------------------------------------- */

/* The Standard Webhooks example (its specification's test vector). */
static void t_signature_matches_the_specification(void **state)
{
	(void)state;
	char sig[HH_WH_SIGNATURE_SIZE];
	const char *body = "{\"test\": 2432232314}";
	assert_int_equal(hh_webhook_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
					 "msg_p5jXN8AQM9LWM0D4loKWxJek",
					 1614265330, body, strlen(body), sig),
			 HH_OK);
	assert_string_equal(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	assert_int_equal(hh_webhook_sign("nosecret", "m", 1, body, 3, sig),
			 HH_ERR_INVALID);
}

/* The schedule: 30 s doubled each attempt, at most six hours, each with
 * a jitter of a quarter either way; about a day holds 12 attempts. */
static void t_backoff_doubles_with_jitter(void **state)
{
	(void)state;
	int64_t total = 0;
	for (int64_t n = 1; n <= 20; n++) {
		int64_t w = HH_WH_BACKOFF_FIRST;
		for (int64_t i = 1; i < n && w < HH_WH_BACKOFF_MAX; i++)
			w *= 2;
		if (w > HH_WH_BACKOFF_MAX)
			w = HH_WH_BACKOFF_MAX;
		int64_t lo = 1000 + w * 3 / 4, hi = 1000 + w * 5 / 4;
		int64_t min = INT64_MAX, max = 0;
		for (int k = 0; k < 200; k++) {
			int64_t t = hh_webhook_next_attempt(1000, n);
			assert_true(t >= lo && t <= hi);
			min = t < min ? t : min;
			max = t > max ? t : max;
		}
		assert_true(max > min); /* jitter there is */
		if (total < HH_WH_GIVE_UP)
			total += w;
	}
	assert_true(total >= HH_WH_GIVE_UP);
}

static void t_bad_subscriptions_are_refused(void **state)
{
	struct fx *f = *state;
	struct hh_webhook_sub s;
	const char *field;
	const char *ok[] = { HH_WH_CASE_SUBMITTED };
	const char *bad[] = { "case.deleted" };
	const char *dup[] = { HH_WH_CASE_SUBMITTED, HH_WH_CASE_SUBMITTED };
	struct {
		const char *url;
		const char *const *ev;
		int n, allow_http;
		const char *field;
	} cases[] = {
		{ "http://127.0.0.1:9/x", ok, 1, 0, "url" }, /* no option */
		{ "http://example.org/x", ok, 1, 1, "url" }, /* not loopback */
		{ "ftp://example.org/x", ok, 1, 1, "url" },
		{ "https://user:pw@example.org/x", ok, 1, 0, "url" },
		{ "https:///x", ok, 1, 0, "url" },
		{ "https://example.org/a b", ok, 1, 0, "url" },
		{ "https://example.org/x", bad, 1, 0, "events" },
		{ "https://example.org/x", dup, 2, 0, "events" },
		{ "https://example.org/x", ok, 0, 0, "events" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hh_webhook_input in = { cases[i].url, cases[i].ev,
					       cases[i].n, -1 };
		assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a,
						      &in, cases[i].allow_http,
						      &s, &field),
				 HH_ERR_INVALID);
		assert_string_equal(field, cases[i].field);
	}
	/* not an admin */
	struct hh_actor cw = { .label = "user:3", .org_id = f->org_a,
			       .roles = HH_ROLE_CASEWORKER };
	struct hh_webhook_input in = { "https://example.org/x", ok, 1, -1 };
	assert_int_equal(hh_webhook_subscribe(f->st, &cw, &f->a, &in, 0, &s,
					      &field), HH_ERR_FORBIDDEN);
	/* https anywhere, and the secret kept sealed, not in clear */
	assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a, &in, 0,
					      &s, &field), HH_OK);
	char secret[HH_WH_SECRET_SIZE];
	snprintf(secret, sizeof(secret), "%s", s.secret);
	char *rows = tu_sql(f->dir, "SELECT secret FROM webhook_subscriptions",
			    0, NULL);
	assert_non_null(rows);
	assert_null(strstr(rows, secret + 6));
	assert_true(hh_vault_is_sealed(rows));
	free(rows);
	/* listed without it */
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_int_equal(l.n, 0);
}

/* Every event type once, each with a valid signature; an event no
 * subscription wants, and one of a wanted entity that is not of the
 * type (an inquiry resolved, a case note), give nothing; a second pass
 * posts nothing again. */
static void t_each_event_once_signed(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	subscribe(f, &f->admin_a, &f->rx, f->rx.port, all_types, 5);
	int64_t A = f->org_a;
	append(f, (struct ev){ A, "case", 11, "submit", NULL,
			       "{\"state\":\"received\",\"case_type\":\"x\"}" });
	append(f, (struct ev){ A, "case", 11, "transition",
			       "{\"state\":\"received\"}",
			       "{\"state\":\"in_progress\"}" });
	append(f, (struct ev){ A, "case", 11, "note", NULL, "{\"note\":\"n\"}" });
	append(f, (struct ev){ A, "case", 11, "letter_sent", NULL,
			       "{\"letter\":5,\"kind\":\"decision\","
			       "\"title\":\"Afgørelse\",\"summary\":\"s\"}" });
	append(f, (struct ev){ A, "inquiry", 7, "create", NULL,
			       "{\"outcome\":\"resolved\",\"channel\":\"phone\"}" });
	append(f, (struct ev){ A, "inquiry", 8, "create", NULL,
			       "{\"outcome\":\"transferred\",\"channel\":\"phone\","
			       "\"transfer_org_id\":3,\"note\":\"hemmelig\"}" });
	append(f, (struct ev){ A, "article", 4, "update", NULL,
			       "{\"slug\":\"pas\",\"title\":\"Pas\"}" });
	append(f, (struct ev){ A, "user", 1, "create", NULL, "{}" });
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(s.delivered, 5);
	assert_int_equal(received(&f->rx), 5);
	const char *types[] = { "case.submitted", "case.state_changed",
				"letter.sent", "inquiry.transferred",
				"article.changed" };
	int seen[5] = { 0 };
	for (int i = 0; i < 5; i++) {
		struct got *g = &f->rx.got[i];
		assert_true(g->valid);
		for (int k = 0; k < 5; k++) {
			char want[64];
			snprintf(want, sizeof(want), "\"type\":\"%s\"", types[k]);
			if (strstr(g->body, want))
				seen[k]++;
		}
		for (int j = 0; j < i; j++)
			assert_string_not_equal(g->id, f->rx.got[j].id);
		assert_null(strstr(g->body, "hemmelig")); /* the note */
	}
	for (int k = 0; k < 5; k++)
		assert_int_equal(seen[k], 1);
	pass(f, now_s() + 3600, &s);
	assert_int_equal(received(&f->rx), 5);
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_int_equal(l.n, 5);
	for (int i = 0; i < l.n; i++) {
		assert_string_equal(l.d[i].state, "delivered");
		assert_int_equal(l.d[i].attempts, 1);
		assert_int_equal(l.d[i].last_code, 200);
	}
}

/* 500, then 200: the retry carries the same webhook-id, after the
 * backoff, not before; 404 is final; 429 is tried again. */
static void t_retry_keeps_the_id(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	f->rx.codes[0] = 500;
	f->rx.n_codes = 1;
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	int64_t now = now_s();
	struct hh_webhook_stats s;
	pass(f, now, &s);
	assert_int_equal(s.retried, 1);
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.d[0].state, "pending");
	assert_int_equal(l.d[0].attempts, 1);
	assert_int_equal(l.d[0].last_code, 500);
	assert_true(l.d[0].next_attempt_at >= now + HH_WH_BACKOFF_FIRST * 3 / 4);
	assert_true(l.d[0].next_attempt_at <= now + HH_WH_BACKOFF_FIRST * 5 / 4);
	pass(f, now + 5, &s); /* not due yet */
	assert_int_equal(received(&f->rx), 1);
	pass(f, now + 60, &s);
	assert_int_equal(received(&f->rx), 2);
	assert_true(f->rx.got[0].valid && f->rx.got[1].valid);
	assert_string_equal(f->rx.got[0].id, f->rx.got[1].id);
	assert_string_equal(f->rx.got[0].body, f->rx.got[1].body);
	deliveries(f, &f->admin_a, &l);
	assert_string_equal(l.d[0].state, "delivered");
	assert_int_equal(l.d[0].attempts, 2);

	/* a final 4xx, and a 429 that is not */
	f->rx.codes[1] = 404;
	f->rx.codes[2] = 429;
	f->rx.n_codes = 3;
	append(f, (struct ev){ f->org_a, "case", 2, "submit", NULL,
			       "{\"state\":\"received\"}" });
	pass(f, now + 60, &s);
	assert_int_equal(s.failed, 1);
	append(f, (struct ev){ f->org_a, "case", 3, "submit", NULL,
			       "{\"state\":\"received\"}" });
	pass(f, now + 60, &s);
	assert_int_equal(s.retried, 1);
	deliveries(f, &f->admin_a, &l); /* newest first */
	assert_string_equal(l.d[0].state, "pending");
	assert_int_equal(l.d[0].last_code, 429);
	assert_string_equal(l.d[1].state, "failed");
	assert_int_equal(l.d[1].last_code, 404);
}

/* A receiver that is down: the delivery waits, retried, and gets there
 * once the receiver is up; one down for more than a day is given up. */
static void t_down_then_up(void **state)
{
	struct fx *f = *state;
	/* a free port, with nothing listening on it */
	receiver_start(&f->rx2, 0);
	int port = f->rx2.port;
	receiver_stop(&f->rx2);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	subscribe(f, &f->admin_a, &f->rx, port, t, 1);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	int64_t now = now_s();
	struct hh_webhook_stats s;
	pass(f, now, &s);
	pass(f, now + 40, &s);
	pass(f, now + 200, &s);
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_string_equal(l.d[0].state, "pending");
	assert_int_equal(l.d[0].attempts, 3);
	assert_int_equal(l.d[0].last_code, 0);
	assert_non_null(l.d[0].last_error);
	/* up again, on the same port */
	receiver_start(&f->rx, port);
	pass(f, now + 3600, &s);
	assert_int_equal(s.delivered, 1);
	assert_int_equal(received(&f->rx), 1);
	assert_true(f->rx.got[0].valid);
	receiver_stop(&f->rx);
	/* down past a day: failed */
	append(f, (struct ev){ f->org_a, "case", 2, "submit", NULL,
			       "{\"state\":\"received\"}" });
	pass(f, now + 3600, &s);
	assert_int_equal(s.retried, 1);
	pass(f, now + 3600 + HH_WH_GIVE_UP + 60, &s);
	assert_int_equal(s.failed, 1);
	deliveries(f, &f->admin_a, &l);
	assert_string_equal(l.d[0].state, "failed");
}

/* An event committed before helhed stops is delivered after it starts
 * again; one whose transaction rolled back never is. */
static void t_restart_loses_nothing(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_tx *tx;
	assert_int_equal(f->st->tx_begin(f->st->cls, 1, &tx), HH_OK);
	struct ev gone = { f->org_a, "case", 2, "submit", NULL,
			   "{\"state\":\"received\"}" };
	assert_int_equal(append_tx(tx, &gone), HH_OK);
	f->st->tx_rollback(tx);
	/* the restart: the store closed and opened again, its key file
	 * read again, as `serve` does */
	hh_store_close(f->st);
	f->st = tu_store(f->dir, 2);
	char keys[4200], err[200];
	snprintf(keys, sizeof(keys), "%s/helhed.keys", f->dir);
	struct hh_vault *v;
	assert_int_equal(hh_vault_load(keys, &v, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_attach(f->st, v), HH_OK);
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(received(&f->rx), 1);
	assert_true(f->rx.got[0].valid);
	assert_non_null(strstr(f->rx.got[0].body, "\"case_id\":1"));
}

/* Another organisation's subscriber gets a case's id and state, never
 * what the event says besides (a request's text with a CPR number),
 * and no letter of a case not its own; the own organisation gets it. */
static void t_other_org_gets_no_personal_data(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	receiver_start(&f->rx2, 0);
	const char *t[] = { HH_WH_CASE_STATE, HH_WH_LETTER_SENT };
	subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 2);
	subscribe(f, &f->admin_b, &f->rx2, f->rx2.port, t, 2);
	append(f, (struct ev){ f->org_a, "case", 11, "request",
			       "{\"state\":\"in_progress\"}",
			       "{\"state\":\"awaiting_citizen\",\"request\":"
			       "\"Send kopi af dåbsattest for 070761-4285\"}" });
	append(f, (struct ev){ f->org_a, "case", 11, "letter_sent", NULL,
			       "{\"letter\":5,\"kind\":\"decision\","
			       "\"title\":\"Afgørelse til Anna Andersen\"}" });
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(received(&f->rx), 2);
	assert_int_equal(received(&f->rx2), 1);
	int k = strstr(f->rx.got[0].body, "case.state_changed") ? 0 : 1;
	const char *own = f->rx.got[k].body, *other = f->rx2.got[0].body;
	assert_non_null(strstr(own, "case.state_changed"));
	assert_non_null(strstr(f->rx.got[1 - k].body, "Anna Andersen"));
	assert_true(f->rx2.got[0].valid);
	assert_non_null(strstr(own, "070761-4285"));
	assert_non_null(strstr(own, "\"previous_state\":\"in_progress\""));
	assert_null(strstr(other, "070761"));
	assert_null(strstr(other, "dåbsattest"));
	assert_null(strstr(other, "previous_state"));
	assert_non_null(strstr(other, "\"case_id\":11"));
	assert_non_null(strstr(other, "\"state\":\"awaiting_citizen\""));
	assert_null(strstr(other, "Anna"));
	struct dl l;
	deliveries(f, &f->admin_b, &l);
	assert_int_equal(l.n, 1);
	/* each organisation sees only its own deliveries */
	deliveries(f, &f->admin_a, &l);
	assert_int_equal(l.n, 2);
}

/* Two instances' passes at once never post one delivery twice. */
struct racer {
	struct hh_store *st;
	int64_t now;
	struct hh_webhook_stats s;
	enum hh_rc rc;
};

static void *race(void *p)
{
	struct racer *r = p;
	struct hh_webhook_poster lp = loopback_poster();
	r->rc = hh_webhooks_deliver(r->st, &lp, r->now, 50, &r->s);
	return NULL;
}

static void t_two_instances_post_each_once(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	const char *t[] = { HH_WH_ARTICLE_CHANGED };
	subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	for (int i = 0; i < 30; i++)
		append(f, (struct ev){ f->org_a, "article", i + 1, "update",
				       NULL, "{\"slug\":\"a\"}" });
	struct hh_store *other = tu_store(f->dir, 2);
	char keys[4200], err[200];
	snprintf(keys, sizeof(keys), "%s/helhed.keys", f->dir);
	struct hh_vault *v;
	assert_int_equal(hh_vault_load(keys, &v, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_attach(other, v), HH_OK);
	struct racer r[2] = { { f->st, now_s(), { 0 }, HH_OK },
			      { other, now_s(), { 0 }, HH_OK } };
	pthread_t th[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, race, &r[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	hh_store_close(other);
	/* BUSY is a pass that lost its claim: it posted nothing */
	for (int i = 0; i < 2; i++)
		assert_true(r[i].rc == HH_OK || r[i].rc == HH_ERR_BUSY);
	struct hh_webhook_stats s;
	pass(f, now_s(), &s); /* whatever a BUSY pass left */
	assert_int_equal(received(&f->rx), 30);
	for (int i = 0; i < 30; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(f->rx.got[i].id, f->rx.got[j].id);
	assert_int_equal(r[0].s.delivered + r[1].s.delivered + s.delivered, 30);
}

/* A paused subscription gets no new deliveries and its waiting ones
 * are not posted; resumed, they are. */
static void t_paused_then_resumed(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	int64_t id = subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	assert_int_equal(hh_webhook_set_active(f->st, &f->admin_b, id, 0),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_webhook_set_active(f->st, &f->admin_a, id, 0),
			 HH_OK);
	append(f, (struct ev){ f->org_a, "case", 2, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(received(&f->rx), 0);
	assert_int_equal(hh_webhook_set_active(f->st, &f->admin_a, id, 1),
			 HH_OK);
	pass(f, now_s(), &s);
	assert_int_equal(received(&f->rx), 1); /* the one queued before */
	assert_non_null(strstr(f->rx.got[0].body, "\"case_id\":1"));
}

/* Unsubscribing removes the subscription and its deliveries; another
 * organisation's cannot be removed. */
static void t_unsubscribe(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	int64_t id = subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	assert_int_equal(hh_webhook_unsubscribe(f->st, &f->admin_b, id),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_webhook_unsubscribe(f->st, &f->admin_a, id), HH_OK);
	assert_int_equal(hh_webhook_unsubscribe(f->st, &f->admin_a, id),
			 HH_ERR_NOT_FOUND);
	append(f, (struct ev){ f->org_a, "case", 2, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(received(&f->rx), 0);
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_int_equal(l.n, 0);
}

/* ---- hooks-rotate: the secrets through a key rotation ------------------ */

struct keys_seen {
	char ids[8][40];
	int n;
};

static enum hh_rc keep_key(void *p, const char *id)
{
	struct keys_seen *k = p;
	if (id && k->n < 8)
		snprintf(k->ids[k->n++], sizeof(k->ids[0]), "%s", id);
	return HH_OK;
}

static enum hh_rc keys_tx(struct hh_tx *tx, void *p)
{
	struct hh_arena a;
	hh_arena_init(&a);
	enum hh_rc rc = tx->store->seal_keys_in_use(tx, &a, keep_key, p);
	hh_arena_clear(&a);
	return rc;
}

static int key_in_use(struct fx *f, const char *id)
{
	struct keys_seen k = { .n = 0 };
	assert_int_equal(hh_store_run_tx(f->st, 0, keys_tx, &k), HH_OK);
	for (int i = 0; i < k.n; i++)
		if (!strcmp(k.ids[i], id))
			return 1;
	return 0;
}

/* The key id a stored secret "v1:KEYID:..." names, into out ("" when
 * the secret is in clear). */
static void stored_key(struct fx *f, int64_t id, char *out, size_t sz)
{
	char n[32];
	snprintf(n, sizeof(n), "%lld", (long long)id);
	struct tu_sql_arg arg = TU_TEXT(n);
	char *s = tu_sql(f->dir, "SELECT secret FROM webhook_subscriptions "
				 "WHERE id = ?1", 1, &arg);
	assert_non_null(s);
	out[0] = 0;
	if (hh_vault_is_sealed(s)) {
		const char *k = s + 3, *e = strchr(k, ':');
		assert_non_null(e);
		snprintf(out, sz, "%.*s", (int)(e - k), k);
	} else {
		assert_true(!strncmp(s, "whsec_", 6));
	}
	free(s);
}

/* The store closed and opened again with its key file read again, as
 * `serve` does after a restart. */
static void restart(struct fx *f)
{
	hh_store_close(f->st);
	f->st = tu_store(f->dir, 2);
	char keys[4200], err[200];
	snprintf(keys, sizeof(keys), "%s/helhed.keys", f->dir);
	struct hh_vault *v;
	assert_int_equal(hh_vault_load(keys, &v, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_attach(f->st, v), HH_OK);
}

/* `helhed rotate-key` re-seals a subscription's secret under the new
 * key: the old key is no longer in use and leaves the key file, and
 * after a restart with that key file a delivery is still signed with
 * the same secret, which the receiver verifies. */
static void t_rotation_reseals_the_secret(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	int64_t id = subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	char old[40], now[40];
	stored_key(f, id, old, sizeof(old));
	assert_true(old[0]);
	assert_true(key_in_use(f, old));
	struct hh_vault_rotation r;
	char err[300] = "";
	assert_int_equal(hh_vault_rotate(f->st, 0, 0, &r, err, sizeof(err)),
			 HH_OK);
	assert_true(r.started);
	assert_int_equal(r.p.webhooks, 1);
	assert_true(r.dropped);
	stored_key(f, id, now, sizeof(now));
	assert_string_equal(now, r.seal_id);
	assert_string_not_equal(now, old);
	assert_false(key_in_use(f, old));
	assert_true(key_in_use(f, now));
	restart(f);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(s.delivered, 1);
	assert_int_equal(received(&f->rx), 1);
	assert_true(f->rx.got[0].valid);
	/* a second rotation has nothing left over and moves it again */
	assert_int_equal(hh_vault_rotate(f->st, 0, 0, &r, err, sizeof(err)),
			 HH_OK);
	assert_int_equal(r.p.webhooks, 1);
	assert_false(key_in_use(f, now));
}

/* A server still on the key file it started with, after a rotation by
 * another process has finished, writes no subscription whose secret it
 * would seal under the retired key (its restart could not open it). */
static void t_stale_server_seals_nothing(void **state)
{
	struct fx *f = *state;
	struct hh_store *stale = tu_store(f->dir, 2);
	char keys[4200], err[300] = "";
	snprintf(keys, sizeof(keys), "%s/helhed.keys", f->dir);
	struct hh_vault *v;
	assert_int_equal(hh_vault_load(keys, &v, err, sizeof(err)), HH_OK);
	assert_int_equal(hh_vault_attach(stale, v), HH_OK);
	struct hh_vault_rotation r;
	assert_int_equal(hh_vault_rotate(f->st, 0, 0, &r, err, sizeof(err)),
			 HH_OK);
	assert_true(r.dropped);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	struct hh_webhook_input in = { "https://example.org/x", t, 1, -1 };
	struct hh_webhook_sub s;
	const char *field;
	assert_int_equal(hh_webhook_subscribe(stale, &f->admin_a, &f->a, &in, 0,
					      &s, &field), HH_ERR_INTERNAL);
	hh_store_close(stale);
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM "
				    "webhook_subscriptions", 0, NULL), 0);
	/* the current one writes it */
	assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a, &in, 0,
					      &s, &field), HH_OK);
}

/* A subscription made while the store had no key file keeps its secret
 * in clear; attaching a key file (hh_vault_start, as `serve` starts)
 * seals it, as citizens' CPR numbers, and deliveries still verify. */
static void t_clear_secret_sealed_at_start(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	hh_store_close(f->st);
	f->st = tu_store(f->dir, 2); /* no vault */
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	int64_t id = subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	char key[40];
	stored_key(f, id, key, sizeof(key));
	assert_string_equal(key, "");
	char keys[4200], err[300] = "";
	snprintf(keys, sizeof(keys), "%s/helhed.keys", f->dir);
	assert_int_equal(hh_vault_start(f->st, keys, f->dir, err, sizeof(err)),
			 HH_OK);
	stored_key(f, id, key, sizeof(key));
	assert_string_equal(key, hh_vault_seal_id(hh_vault_of(f->st)));
	assert_true(key_in_use(f, key));
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(received(&f->rx), 1);
	assert_true(f->rx.got[0].valid);
}

/* ---- x-hooks2: the SSRF rule ---------------------------------------------- */

static int allowed4(const char *ip, int loopback)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	assert_int_equal(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	return hh_webhook_addr_allowed((struct sockaddr *)&a, loopback, NULL, 0);
}

static int allowed6(const char *ip, int loopback)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	assert_int_equal(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
	return hh_webhook_addr_allowed((struct sockaddr *)&a, loopback, NULL, 0);
}

/* Which addresses a delivery may connect to. */
static void t_address_rule(void **state)
{
	(void)state;
	const char *refused4[] = {
		"127.0.0.1", "127.255.0.9", "10.0.0.1", "10.255.255.255",
		"172.16.0.1", "172.31.255.254", "192.168.0.1", "100.64.0.1",
		"100.127.255.254", "169.254.169.254", "169.254.0.1",
		"224.0.0.1", "239.255.255.250", "0.0.0.0", "0.1.2.3",
		"240.0.0.1", "255.255.255.255",
	};
	for (size_t i = 0; i < sizeof(refused4) / sizeof(*refused4); i++)
		assert_false(allowed4(refused4[i], 0));
	const char *fine4[] = { "8.8.8.8", "172.15.255.255", "172.32.0.1",
				"100.63.255.255", "100.128.0.1", "192.169.0.1",
				"169.253.0.1", "91.198.174.192" };
	for (size_t i = 0; i < sizeof(fine4) / sizeof(*fine4); i++)
		assert_true(allowed4(fine4[i], 0));
	const char *refused6[] = {
		"::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1",
		"ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
		"::ffff:169.254.169.254", "::10.0.0.1", "64:ff9b::a00:1",
		"2002:a00:1::1", "2002:c0a8:101::1",
		/* x-fix: local-use NAT64, SIIT */
		"64:ff9b:1::808:808", "64:ff9b:1:2::1", "::ffff:0:10.0.0.1",
		"::ffff:0:127.0.0.1",
	};
	for (size_t i = 0; i < sizeof(refused6) / sizeof(*refused6); i++)
		assert_false(allowed6(refused6[i], 0));
	assert_true(allowed6("2a00:1450:4001:81b::200e", 0));
	assert_true(allowed6("::ffff:8.8.8.8", 0));
	assert_true(allowed6("64:ff9b::808:808", 0));
	/* x-fix: 192.0.0.0/24 and 198.18.0.0/15 */
	assert_false(allowed4("192.0.0.1", 0));
	assert_false(allowed4("192.0.0.170", 0));
	assert_false(allowed4("198.18.0.1", 0));
	assert_false(allowed4("198.19.255.254", 0));
	assert_true(allowed4("198.20.0.1", 0));
	assert_true(allowed4("192.0.1.1", 0));
	assert_true(allowed6("::ffff:0:8.8.8.8", 0));
	/* the tests' allowance: loopback, nothing else */
	assert_true(allowed4("127.0.0.1", 1));
	assert_true(allowed6("::1", 1));
	assert_true(allowed6("::ffff:127.0.0.1", 1));
	assert_false(allowed4("10.0.0.1", 1));
	assert_false(allowed4("169.254.169.254", 1));
	assert_false(allowed6("fd00::1", 1));
	char text[64];
	struct sockaddr_in a = { .sin_family = AF_INET };
	inet_pton(AF_INET, "192.168.7.8", &a.sin_addr);
	assert_false(hh_webhook_addr_allowed((struct sockaddr *)&a, 0, text,
					     sizeof(text)));
	assert_string_equal(text, "192.168.7.8");
	struct sockaddr un = { .sa_family = AF_UNIX };
	assert_false(hh_webhook_addr_allowed(&un, 1, NULL, 0));
}

/* A URL naming such an address is refused at subscribe (and at change),
 * in whatever form curl would take it; a name is left to delivery. */
static void t_private_literals_refused_at_subscribe(void **state)
{
	struct fx *f = *state;
	const char *ok[] = { HH_WH_CASE_SUBMITTED };
	const char *refused[] = {
		"https://127.0.0.1/h", "https://127.1/h", "https://2130706433/h",
		"https://0x7f.0.0.1/h", "https://10.1.2.3/h",
		"https://172.16.0.1:8443/h", "https://192.168.1.1/h",
		"https://100.64.0.1/h", "https://169.254.169.254/latest/meta-data",
		"https://224.0.0.1/h", "https://0.0.0.0/h", "https://[::1]/h",
		"https://[fc00::1]/h", "https://[fd12::1]:443/h",
		"https://[fe80::1]/h", "https://[::ffff:10.0.0.1]/h",
		"https://[::ffff:127.0.0.1]/h", "https://[::]/h",
		"https://[ff02::1]/h", "https://localhost/h",
		"https://LocalHost./h", "https://a.localhost/h", "https://[zz]/h",
		/* x-fix: a trailing dot, the new ranges, non-ASCII bytes */
		"https://10.0.0.1./h", "https://127.0.0.1../h",
		"https://192.0.0.8/h", "https://198.18.3.4/h",
		"https://[64:ff9b:1::a00:1]/h", "https://[::ffff:0:a00:1]/h",
		"https://esdh.n\xc3\xb8rdskov.dk/h", "https://esdh.n\xf8rdskov.dk/h",
	};
	struct hh_webhook_sub s;
	const char *field;
	for (size_t i = 0; i < sizeof(refused) / sizeof(*refused); i++) {
		struct hh_webhook_input in = { refused[i], ok, 1, -1 };
		assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a,
						      &in, 0, &s, &field),
				 HH_ERR_INVALID);
		assert_string_equal(field, "url");
	}
	/* the tests' allowance lets loopback through, nothing else */
	const char *still[] = { "https://10.0.0.1/h", "https://[fd00::1]/h",
				"https://169.254.169.254/h" };
	for (size_t i = 0; i < sizeof(still) / sizeof(*still); i++) {
		struct hh_webhook_input in = { still[i], ok, 1, -1 };
		assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a,
						      &in, 1, &s, &field),
				 HH_ERR_INVALID);
	}
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM "
				    "webhook_subscriptions", 0, NULL), 0);
	const char *fine[] = { "https://8.8.8.8/h", "https://172.32.0.1/h",
			       "https://[2a00:1450:4001:81b::200e]:8443/h",
			       "https://esdh.nordskov.dk/h" };
	for (size_t i = 0; i < sizeof(fine) / sizeof(*fine); i++) {
		struct hh_webhook_input in = { fine[i], ok, 1, -1 };
		assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a,
						      &in, 0, &s, &field),
				 HH_OK);
	}
	struct hh_webhook_input lo = { "http://[::1]:9/h", ok, 1, -1 };
	assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a, &lo,
					      1, &s, &field), HH_OK);
}

/* A name that resolves to loopback passes at subscribe (with the
 * allowance, as a test server runs) but a worker without it refuses the
 * address curl would connect to: the delivery fails at once with the
 * reason, nothing reaches the receiver, and no pass tries it again. */
static void t_loopback_refused_at_delivery(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	char url[128];
	snprintf(url, sizeof(url), "http://localhost:%d/hook", f->rx.port);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	struct hh_webhook_input in = { url, t, 1, -1 };
	struct hh_webhook_sub s;
	const char *field;
	assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a, &in, 1,
					      &s, &field), HH_OK);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_poster strict = hh_hooks_curl_poster; /* production */
	struct hh_webhook_stats st;
	int64_t now = now_s();
	assert_int_equal(hh_webhooks_deliver(f->st, &strict, now, 50, &st), HH_OK);
	assert_int_equal(st.failed, 1);
	assert_int_equal(received(&f->rx), 0);
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.d[0].state, "failed");
	assert_int_equal(l.d[0].attempts, 1);
	assert_int_equal(l.d[0].last_code, 0);
	assert_non_null(l.d[0].last_error);
	assert_true(!strncmp(l.d[0].last_error, "address not allowed (", 21));
	assert_true(strstr(l.d[0].last_error, "127.0.0.1") ||
		    strstr(l.d[0].last_error, "::1"));
	/* not retried */
	assert_int_equal(hh_webhooks_deliver(f->st, &strict, now + 86400, 50,
					     &st), HH_OK);
	assert_int_equal(st.failed + st.retried + st.delivered, 0);
	/* the same with the allowance gets there: the refusal was the rule */
	append(f, (struct ev){ f->org_a, "case", 2, "submit", NULL,
			       "{\"state\":\"received\"}" });
	pass(f, now_s(), &st);
	assert_int_equal(st.delivered, 1);
	assert_int_equal(received(&f->rx), 1);
}

/* x-fix: a host that resolves to one refused and one allowed address is
 * refused only when no allowed address was tried; an allowed one that is
 * down is a failure to retry (status 0), and one that is up gets the
 * post. The name resolves through the poster's test resolve entry. */
static long post_to(struct hh_webhook_poster *p, const char *host, int port,
		    const char *addrs, char *err, size_t errsz)
{
	char resolve[128], url[128];
	snprintf(resolve, sizeof(resolve), "%s:%d:%s", host, port, addrs);
	snprintf(url, sizeof(url), "http://%s:%d/hook", host, port);
	p->resolve = resolve;
	long status = 0;
	p->post(p, url, NULL, 0, "{}", 2, 5, &status, err, errsz);
	p->resolve = NULL;
	return status;
}

static void t_mixed_addresses(void **state)
{
	struct fx *f = *state;
	struct hh_webhook_poster p = hh_hooks_curl_poster;
	p.allow_loopback = 1;
	char err[256];
	/* a port nobody listens on */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	int down = ntohs(a.sin_port);
	close(fd);
	/* only refused addresses: refused, naming the address */
	assert_int_equal(post_to(&p, "inside.test", down, "10.1.2.3", err,
				 sizeof(err)), HH_WH_REFUSED);
	assert_string_equal(err, "10.1.2.3");
	/* refused and allowed-but-down: an ordinary failure, retried */
	long st = post_to(&p, "mixed.test", down, "10.1.2.3,127.0.0.1", err,
			  sizeof(err));
	assert_int_equal(st, 0);
	assert_true(err[0]);
	/* refused and allowed-and-up: delivered */
	receiver_start(&f->rx, 0);
	st = post_to(&p, "mixed.test", f->rx.port, "10.1.2.3,127.0.0.1", err,
		     sizeof(err));
	assert_true(st >= 200 && st < 300);
	assert_int_equal(received(&f->rx), 1);
}

/* A redirect is not followed: the delivery fails at once with it. */
static void t_redirect_not_followed(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	f->rx.codes[0] = 302;
	f->rx.n_codes = 1;
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(s.failed, 1);
	assert_int_equal(received(&f->rx), 1);
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_string_equal(l.d[0].state, "failed");
	assert_int_equal(l.d[0].last_code, 302);
}

/* ---- x-hooks2: rotating a subscription's secret ----------------------------- */

static int verifies(const struct got *g, const char *secret)
{
	char ts[32];
	snprintf(ts, sizeof(ts), "%lld", g->ts);
	return verify(secret, g->id, ts, g->sig, g->body, strlen(g->body));
}

static int n_signatures(const struct got *g)
{
	int n = 0;
	for (const char *p = g->sig; (p = strstr(p, "v1,")); p += 3)
		n++;
	return n;
}

/* For a day after a rotation each delivery carries the new secret's
 * signature and the old one's, so a receiver still on the old secret
 * and one already on the new both verify; then only the new one's. The
 * old secret is kept sealed, and survives `helhed rotate-key`. */
static void t_rotated_secret_signs_for_a_day(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	int64_t id = subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	char old[128], fresh[128];
	snprintf(old, sizeof(old), "%s", f->rx.secret);
	int64_t now = now_s();
	const char *secret;
	assert_int_equal(hh_webhook_rotate(f->st, &f->admin_b, &f->a, id, now,
					   &secret), HH_ERR_NOT_FOUND);
	assert_int_equal(hh_webhook_rotate(f->st, &f->admin_a, &f->a, id, now,
					   &secret), HH_OK);
	assert_true(!strncmp(secret, "whsec_", 6));
	assert_string_not_equal(secret, old);
	snprintf(fresh, sizeof(fresh), "%s", secret);
	/* both kept sealed, neither in clear */
	char *rows = tu_sql(f->dir, "SELECT secret || ' ' || previous_secret "
				    "FROM webhook_subscriptions", 0, NULL);
	assert_non_null(rows);
	assert_null(strstr(rows, old + 6));
	assert_null(strstr(rows, fresh + 6));
	assert_true(hh_vault_is_sealed(rows));
	assert_non_null(strstr(rows, " v1:"));
	free(rows);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(received(&f->rx), 1);
	assert_int_equal(n_signatures(&f->rx.got[0]), 2);
	assert_true(verifies(&f->rx.got[0], old));
	assert_true(verifies(&f->rx.got[0], fresh));
	assert_false(verifies(&f->rx.got[0], "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
	/* a key rotation re-seals both; after a restart both still sign */
	struct hh_vault_rotation r;
	char err[300] = "";
	assert_int_equal(hh_vault_rotate(f->st, 0, 0, &r, err, sizeof(err)),
			 HH_OK);
	assert_true(r.dropped);
	restart(f);
	append(f, (struct ev){ f->org_a, "case", 2, "submit", NULL,
			       "{\"state\":\"received\"}" });
	pass(f, now + HH_WH_ROTATE_OVERLAP - 60, &s);
	assert_int_equal(received(&f->rx), 2);
	assert_true(verifies(&f->rx.got[1], old));
	assert_true(verifies(&f->rx.got[1], fresh));
	/* past the day: the new secret only */
	append(f, (struct ev){ f->org_a, "case", 3, "submit", NULL,
			       "{\"state\":\"received\"}" });
	pass(f, now + HH_WH_ROTATE_OVERLAP + 1, &s);
	assert_int_equal(received(&f->rx), 3);
	assert_int_equal(n_signatures(&f->rx.got[2]), 1);
	assert_false(verifies(&f->rx.got[2], old));
	assert_true(verifies(&f->rx.got[2], fresh));
	/* and pruning forgets the old secret once its day is over */
	assert_int_equal(hh_webhooks_prune(f->st, now + HH_WH_ROTATE_OVERLAP + 1,
					   30, 0, NULL), HH_OK);
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM "
				    "webhook_subscriptions WHERE "
				    "previous_secret IS NOT NULL", 0, NULL), 0);
}

/* ---- x-hooks2: changing, test events, pruning, faults, transfers --------- */

/* PATCH's rules: URL, event types and active changed, each checked as at
 * subscribe; another organisation's is not found; new types apply to
 * the events after. */
static void t_change_subscription(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	receiver_start(&f->rx2, 0);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	int64_t id = subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/other", f->rx2.port);
	snprintf(f->rx2.secret, sizeof(f->rx2.secret), "%s", f->rx.secret);
	const char *art[] = { HH_WH_ARTICLE_CHANGED };
	const char *bad[] = { "case.deleted" };
	struct hh_webhook_sub s;
	const char *field;
	struct hh_webhook_input in = { url, art, 1, -1 };
	assert_int_equal(hh_webhook_change(f->st, &f->admin_b, &f->a, id, &in,
					   1, &s, &field), HH_ERR_NOT_FOUND);
	struct hh_webhook_input bad_url = { "https://10.0.0.1/h", NULL, -1, -1 };
	assert_int_equal(hh_webhook_change(f->st, &f->admin_a, &f->a, id,
					   &bad_url, 1, &s, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "url");
	struct hh_webhook_input no_http = { url, NULL, -1, -1 };
	assert_int_equal(hh_webhook_change(f->st, &f->admin_a, &f->a, id,
					   &no_http, 0, &s, &field),
			 HH_ERR_INVALID);
	struct hh_webhook_input bad_ev = { NULL, bad, 1, -1 };
	assert_int_equal(hh_webhook_change(f->st, &f->admin_a, &f->a, id,
					   &bad_ev, 1, &s, &field),
			 HH_ERR_INVALID);
	assert_string_equal(field, "events");
	struct hh_webhook_input none = { NULL, NULL, 0, -1 };
	assert_int_equal(hh_webhook_change(f->st, &f->admin_a, &f->a, id,
					   &none, 1, &s, &field),
			 HH_ERR_INVALID);
	/* nothing of those was written: a case still goes to the old URL */
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_stats st;
	pass(f, now_s(), &st);
	assert_int_equal(received(&f->rx), 1);
	assert_int_equal(hh_webhook_change(f->st, &f->admin_a, &f->a, id, &in,
					   1, &s, &field), HH_OK);
	assert_string_equal(s.url, url);
	assert_string_equal(s.events, HH_WH_ARTICLE_CHANGED);
	assert_int_equal(s.active, 1);
	assert_null(s.secret);
	append(f, (struct ev){ f->org_a, "case", 2, "submit", NULL,
			       "{\"state\":\"received\"}" });
	append(f, (struct ev){ f->org_a, "article", 3, "update", NULL,
			       "{\"slug\":\"pas\",\"title\":\"Pas\"}" });
	pass(f, now_s(), &st);
	assert_int_equal(received(&f->rx), 1);
	assert_int_equal(received(&f->rx2), 1);
	assert_true(f->rx2.got[0].valid); /* the secret is the same */
	assert_non_null(strstr(f->rx2.got[0].body, "article.changed"));
	/* active alone: paused; the URL and types stay */
	struct hh_webhook_input pause = { NULL, NULL, -1, 0 };
	assert_int_equal(hh_webhook_change(f->st, &f->admin_a, &f->a, id,
					   &pause, 0, &s, &field), HH_OK);
	assert_int_equal(s.active, 0);
	assert_string_equal(s.url, url);
	append(f, (struct ev){ f->org_a, "article", 3, "update", NULL,
			       "{\"slug\":\"pas\",\"title\":\"Pas\"}" });
	pass(f, now_s(), &st);
	assert_int_equal(received(&f->rx2), 1);
}

/* A test event goes through the outbox: queued, signed, listed, and
 * retried as any other delivery; only to the subscription asked for. */
static void t_test_event(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	receiver_start(&f->rx2, 0);
	f->rx.codes[0] = 503;
	f->rx.n_codes = 1;
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	int64_t id = subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	subscribe(f, &f->admin_a, &f->rx2, f->rx2.port, t, 1);
	int64_t did = 0;
	assert_int_equal(hh_webhook_send_test(f->st, &f->admin_b, id, &did),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_webhook_send_test(f->st, &f->admin_a, id, &did),
			 HH_OK);
	assert_true(did > 0);
	int64_t now = now_s();
	struct hh_webhook_stats s;
	pass(f, now, &s);
	assert_int_equal(s.retried, 1);
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.d[0].id, did);
	assert_string_equal(l.d[0].type, HH_WH_TEST);
	assert_string_equal(l.d[0].state, "pending");
	assert_int_equal(l.d[0].last_code, 503);
	pass(f, now + 60, &s);
	assert_int_equal(s.delivered, 1);
	assert_int_equal(received(&f->rx), 2);
	assert_int_equal(received(&f->rx2), 0);
	assert_true(f->rx.got[1].valid);
	assert_string_equal(f->rx.got[0].id, f->rx.got[1].id);
	char want[64];
	snprintf(want, sizeof(want), "\"subscription_id\":%lld", (long long)id);
	assert_non_null(strstr(f->rx.got[1].body, want));
	assert_non_null(strstr(f->rx.got[1].body, "\"type\":\"webhook.test\""));
	/* the event log has it: who sent a test, when */
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM events WHERE "
				    "entity = 'webhook' AND action = 'test'",
				    0, NULL), 1);
}

/* x-fix: each post is signed with its own time, not the pass's start: a
 * poster that takes 400 s per post (by the settable clock) sees the
 * second delivery's webhook-timestamp 400 s after the first's. */
struct slow {
	long long ts[4];
	int n;
};
static struct slow slow_seen;

static void slow_post(const struct hh_webhook_poster *self, const char *url,
		      const char *const *headers, int n, const char *body,
		      size_t len, int timeout_s, long *status, char *err,
		      size_t errsz)
{
	for (int i = 0; i < n; i++)
		if (!strncmp(headers[i], "webhook-timestamp: ", 19) &&
		    slow_seen.n < 4)
			slow_seen.ts[slow_seen.n++] = atoll(headers[i] + 19);
	hh_clock_set_us(hh_now_us() + 400 * 1000000LL);
	*status = 200;
	err[0] = 0;
}

static void t_signed_at_post_time(void **state)
{
	struct fx *f = *state;
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	struct hh_webhook_input in = { "https://esdh.example.dk/h", t, 1, -1 };
	struct hh_webhook_sub s;
	const char *field;
	assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a, &in, 0,
					      &s, &field), HH_OK);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	append(f, (struct ev){ f->org_a, "case", 2, "submit", NULL,
			       "{\"state\":\"received\"}" });
	memset(&slow_seen, 0, sizeof(slow_seen));
	int64_t start = hh_now_us();
	hh_clock_set_us(start);
	struct hh_webhook_poster p = { .post = slow_post, .timeout_s = 10 };
	struct hh_webhook_stats st;
	enum hh_rc rc = hh_webhooks_deliver(f->st, &p, start / 1000000, 50, &st);
	hh_clock_set_us(0);
	assert_int_equal(rc, HH_OK);
	assert_int_equal(st.delivered, 2);
	assert_int_equal(slow_seen.n, 2);
	assert_int_equal(slow_seen.ts[0], start / 1000000);
	assert_int_equal(slow_seen.ts[1], start / 1000000 + 400);
}

/* x-fix: each configuration change is an event of entity "webhook": who,
 * the URL and event types before and after, never a secret. */
static void t_config_events(void **state)
{
	struct fx *f = *state;
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	struct hh_webhook_input in = { "https://esdh.example.dk/a", t, 1, -1 };
	struct hh_webhook_sub s;
	const char *field;
	assert_int_equal(hh_webhook_subscribe(f->st, &f->admin_a, &f->a, &in, 0,
					      &s, &field), HH_OK);
	const char *secret = hh_arena_strdup(&f->a, s.secret);
	const char *t2[] = { HH_WH_CASE_STATE, HH_WH_LETTER_SENT };
	struct hh_webhook_input ch = { "https://esdh.example.dk/b", t2, 2, -1 };
	struct hh_webhook_sub out;
	assert_int_equal(hh_webhook_change(f->st, &f->admin_a, &f->a, s.id, &ch,
					   0, &out, &field), HH_OK);
	const char *secret2 = NULL;
	assert_int_equal(hh_webhook_rotate(f->st, &f->admin_a, &f->a, s.id,
					   now_s(), &secret2), HH_OK);
	assert_int_equal(hh_webhook_set_active(f->st, &f->admin_a, s.id, 0),
			 HH_OK);
	assert_int_equal(hh_webhook_unsubscribe(f->st, &f->admin_a, s.id), HH_OK);
	char *rows = tu_sql_rows(f->dir,
				 "SELECT action, actor, COALESCE(before, '-'), "
				 "COALESCE(after, '-') FROM events WHERE entity = "
				 "'webhook' ORDER BY id");
	assert_non_null(rows);
	const char *want[] = { "subscribe", "change", "rotate", "change",
			       "unsubscribe" };
	const char *p = rows;
	for (size_t i = 0; i < 5; i++) {
		p = strstr(p, want[i]);
		assert_non_null(p);
		p += strlen(want[i]);
	}
	tu_expect_in(rows, "user:1");
	tu_expect_in(rows, "\"url\":\"https://esdh.example.dk/a\"");
	tu_expect_in(rows, "\"url\":\"https://esdh.example.dk/b\"");
	tu_expect_in(rows, "\"events\":[\"case.state_changed\",\"letter.sent\"]");
	assert_null(strstr(rows, secret));
	assert_null(strstr(rows, secret2));
	assert_null(strstr(rows, "whsec_"));
	free(rows);
}

/* Done deliveries older than the keep go, in batches; pending ones never,
 * however old. */
static void t_prune(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	f->rx.codes[0] = 200;
	f->rx.codes[1] = 404;
	f->rx.codes[2] = 500;
	f->rx.n_codes = 3;
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	int64_t now = now_s();
	struct hh_webhook_stats s;
	for (int i = 1; i <= 3; i++) { /* delivered, failed, pending */
		append(f, (struct ev){ f->org_a, "case", i, "submit", NULL,
				       "{\"state\":\"received\"}" });
		pass(f, now_s(), &s); /* the clock may have ticked */
	}
	const char *count = "SELECT count(*) FROM webhook_deliveries";
	assert_int_equal(tu_sql_int(f->dir, count, 0, NULL), 3);
	int64_t n = -1;
	assert_int_equal(hh_webhooks_prune(f->st, now + 29 * 86400, 30, 1, &n),
			 HH_OK);
	assert_int_equal(n, 0);
	assert_int_equal(tu_sql_int(f->dir, count, 0, NULL), 3);
	assert_int_equal(hh_webhooks_prune(f->st, now + 31 * 86400, 30, 1, &n),
			 HH_OK);
	assert_int_equal(n, 2);
	assert_int_equal(tu_sql_int(f->dir, count, 0, NULL), 1);
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM "
				    "webhook_deliveries WHERE state = 'pending'",
				    0, NULL), 1);
	/* a shorter keep */
	append(f, (struct ev){ f->org_a, "case", 4, "submit", NULL,
			       "{\"state\":\"received\"}" });
	pass(f, now_s(), &s);
	assert_int_equal(hh_webhooks_prune(f->st, now + 2 * 86400, 1, 0, &n),
			 HH_OK);
	assert_true(n >= 1);
	assert_int_equal(tu_sql_int(f->dir, "SELECT count(*) FROM "
				    "webhook_deliveries WHERE state <> 'pending'",
				    0, NULL), 0);
}

/* Point 6's faults, each visible while it lasts and each delivery at its
 * receiver exactly once by id once it recovers: a receiver that answers
 * after the timeout, one that answers 500, one that is down for an hour
 * (simulated time). */
static void t_faults_visible_then_once(void **state)
{
	struct fx *f = *state;
	struct receiver slow = { .fd = -1 }, down = { .fd = -1 };
	receiver_start(&slow, 0);
	slow.slow_first_ms = 1500;
	receiver_start(&f->rx, 0); /* answers 500 twice */
	f->rx.codes[0] = f->rx.codes[1] = 500;
	f->rx.n_codes = 2;
	receiver_start(&down, 0);
	int down_port = down.port;
	receiver_stop(&down);
	const char *t[] = { HH_WH_CASE_SUBMITTED };
	int64_t s_slow = subscribe(f, &f->admin_a, &slow, slow.port, t, 1);
	int64_t s_500 = subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	int64_t s_down = subscribe(f, &f->admin_a, &down, down_port, t, 1);
	append(f, (struct ev){ f->org_a, "case", 1, "submit", NULL,
			       "{\"state\":\"received\"}" });
	struct hh_webhook_poster p = loopback_poster();
	p.timeout_s = 1;
	int64_t now = now_s();
	struct hh_webhook_stats s;
	assert_int_equal(hh_webhooks_deliver(f->st, &p, now, 50, &s), HH_OK);
	assert_int_equal(s.retried, 3);
	struct dl l;
	deliveries(f, &f->admin_a, &l);
	assert_int_equal(l.n, 3);
	for (int i = 0; i < 3; i++) {
		const struct hh_webhook_delivery *d = &l.d[i];
		assert_string_equal(d->state, "pending");
		assert_int_equal(d->attempts, 1);
		assert_true(d->next_attempt_at >= now + HH_WH_BACKOFF_FIRST * 3 / 4 &&
			    d->next_attempt_at <= now + HH_WH_BACKOFF_FIRST * 5 / 4);
		if (d->sub_id == s_500) {
			assert_int_equal(d->last_code, 500);
		} else {
			assert_int_equal(d->last_code, 0);
			assert_non_null(d->last_error);
			if (d->sub_id == s_slow)
				assert_non_null(strcasestr(d->last_error,
							   "timed out"));
			else
				assert_int_equal(d->sub_id, s_down);
		}
	}
	/* the slow one and the 500 one recover; the down one stays down */
	for (int64_t at = now + 60; at < now + 3600; at += 600) {
		assert_int_equal(hh_webhooks_deliver(f->st, &p, at, 50, &s),
				 HH_OK);
	}
	deliveries(f, &f->admin_a, &l);
	for (int i = 0; i < l.n; i++) {
		if (l.d[i].sub_id == s_down) {
			assert_string_equal(l.d[i].state, "pending");
			assert_true(l.d[i].attempts >= 3);
		} else {
			assert_string_equal(l.d[i].state, "delivered");
		}
	}
	receiver_start(&down, down_port);
	/* due within the backoff's six hours at most */
	assert_int_equal(hh_webhooks_deliver(f->st, &p, now + 3600 + 6 * 3600,
					     50, &s), HH_OK);
	assert_int_equal(s.delivered, 1);
	assert_int_equal(hh_webhooks_deliver(f->st, &p, now + 2 * 86400, 50,
					     &s), HH_OK);
	assert_int_equal(s.delivered + s.retried + s.failed, 0);
	/* the slow receiver was posted again (its first answer was too
	 * late; the next pass may find it still busy with it), the 500 one
	 * three times, each with the one id */
	assert_true(received(&slow) >= 2);
	assert_int_equal(received(&f->rx), 3);
	assert_int_equal(received(&down), 1);
	assert_int_equal(distinct_ids(&slow), 1);
	assert_int_equal(distinct_ids(&f->rx), 1);
	assert_int_equal(distinct_ids(&down), 1);
	assert_true(slow.got[received(&slow) - 1].valid && f->rx.got[2].valid &&
		    down.got[0].valid);
	receiver_stop(&slow);
	receiver_stop(&down);
}

/* An inquiry transferred to another organisation is told to that
 * organisation's subscribers too, with what it may see (no citizen, no
 * note); a third organisation hears nothing. */
static void t_transfer_told_to_receiver(void **state)
{
	struct fx *f = *state;
	receiver_start(&f->rx, 0);
	receiver_start(&f->rx2, 0);
	int64_t org_c = ofx_org(f->st, "903", "Vestby Kommune",
				HH_ORG_MUNICIPALITY);
	struct hh_actor admin_c = { .label = "user:3", .org_id = org_c,
				    .roles = HH_ROLE_ADMIN };
	struct receiver third = { .fd = -1 };
	receiver_start(&third, 0);
	const char *t[] = { HH_WH_INQUIRY_TRANSFERRED };
	subscribe(f, &f->admin_a, &f->rx, f->rx.port, t, 1);
	subscribe(f, &f->admin_b, &f->rx2, f->rx2.port, t, 1);
	subscribe(f, &admin_c, &third, third.port, t, 1);
	char after[256];
	snprintf(after, sizeof(after),
		 "{\"outcome\":\"transferred\",\"channel\":\"phone\","
		 "\"transfer_org_id\":%lld,\"transfer_team\":\"Ydelser\","
		 "\"citizen_id\":77,\"note\":\"hemmelig\"}",
		 (long long)f->org_b);
	struct ev_also x = { { f->org_a, "inquiry", 8, "create", NULL, after },
			     f->org_b };
	assert_int_equal(hh_store_run_tx(f->st, 1, append_also_tx, &x), HH_OK);
	/* an event naming org_c as its also-organisation but transferring
	 * to org_b gives org_c's subscriber nothing to see */
	struct ev_also y = { { f->org_a, "inquiry", 9, "create", NULL, after },
			     org_c };
	assert_int_equal(hh_store_run_tx(f->st, 1, append_also_tx, &y), HH_OK);
	struct hh_webhook_stats s;
	pass(f, now_s(), &s);
	assert_int_equal(received(&f->rx), 2);
	assert_int_equal(received(&f->rx2), 1);
	assert_int_equal(received(&third), 0);
	const char *b = f->rx2.got[0].body;
	assert_true(f->rx2.got[0].valid);
	assert_non_null(strstr(b, "\"inquiry_id\":8"));
	char from[64];
	snprintf(from, sizeof(from), "\"organisation_id\":%lld",
		 (long long)f->org_a);
	assert_non_null(strstr(b, from));
	assert_non_null(strstr(b, "\"transfer_team\":\"Ydelser\""));
	assert_null(strstr(b, "hemmelig"));
	assert_null(strstr(b, "citizen"));
	struct dl l;
	deliveries(f, &f->admin_b, &l);
	assert_int_equal(l.n, 1);
	deliveries(f, &admin_c, &l);
	assert_int_equal(l.n, 0); /* skipped ones are not listed */
	receiver_stop(&third);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_signature_matches_the_specification),
		cmocka_unit_test(t_backoff_doubles_with_jitter),
#define T(x) cmocka_unit_test_setup_teardown(x, setup, teardown)
		T(t_bad_subscriptions_are_refused),
		T(t_each_event_once_signed),
		T(t_retry_keeps_the_id),
		T(t_down_then_up),
		T(t_restart_loses_nothing),
		T(t_other_org_gets_no_personal_data),
		T(t_two_instances_post_each_once),
		T(t_paused_then_resumed),
		T(t_unsubscribe),
		T(t_rotation_reseals_the_secret),
		T(t_clear_secret_sealed_at_start),
		T(t_stale_server_seals_nothing),
		cmocka_unit_test(t_address_rule),
		T(t_private_literals_refused_at_subscribe),
		T(t_loopback_refused_at_delivery),
		T(t_mixed_addresses),
		T(t_redirect_not_followed),
		T(t_rotated_secret_signs_for_a_day),
		T(t_change_subscription),
		T(t_test_event),
		T(t_prune),
		T(t_config_events),
		T(t_signed_at_post_time),
		T(t_faults_visible_then_once),
		T(t_transfer_told_to_receiver),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
