/* webhooks.c - x-hooks (issue 15): subscriptions, the rule of what a
 * subscriber sees, signing and the delivery pass (see webhooks.h). */
#include "domain/webhooks.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/vault.h"

/* ---- event types ------------------------------------------------------ */

/* Which events of the log each type is, as topics (store.h). An event
 * type whose events may be another organisation's has any_org 1; what
 * such a subscriber then sees is hh_webhook_body's rule. */
static const struct hh_webhook_topic topics[] = {
	{ HH_WH_CASE_SUBMITTED, "case", "submit", 1 },
	{ HH_WH_CASE_SUBMITTED, "case", "followup", 1 }, /* made by a rule */
	{ HH_WH_CASE_STATE, "case", "transition", 1 },
	{ HH_WH_CASE_STATE, "case", "request", 1 },
	{ HH_WH_CASE_STATE, "case", "answer", 1 },
	/* p-parties (issue 16): the other party's answer, or its expiry */
	{ HH_WH_CASE_STATE, "case", "party_confirm", 1 },
	{ HH_WH_CASE_STATE, "case", "party_decline", 1 },
	{ HH_WH_CASE_STATE, "case", "party_expired", 1 },
	/* p-agree: a signature (the last one moves the case on) or a change */
	{ HH_WH_CASE_STATE, "case", "agreement_sign", 1 },
	{ HH_WH_CASE_STATE, "case", "agreement_change", 1 },
	{ HH_WH_LETTER_SENT, "case", "letter_sent", 0 },
	/* 2: also to the organisation it was transferred to (x-hooks2) */
	{ HH_WH_INQUIRY_TRANSFERRED, "inquiry", "create", 2 },
	{ HH_WH_INQUIRY_TRANSFERRED, "inquiry", "outcome", 2 },
	{ HH_WH_ARTICLE_CHANGED, "article", "*", 1 },
};
#define N_TOPICS (sizeof(topics) / sizeof(topics[0]))

static int known_type(const char *t)
{
	for (size_t i = 0; i < N_TOPICS; i++)
		if (!strcmp(topics[i].type, t))
			return 1;
	return 0;
}

/* ---- subscriptions ---------------------------------------------------- */

static int is_admin(const struct hh_actor *who)
{
	return who && who->org_id &&
	       (who->system || (who->roles & HH_ROLE_ADMIN));
}

int hh_webhook_may_manage(const struct hh_actor *who)
{
	return is_admin(who);
}

/* 1 when host (len bytes) names this machine's loopback interface. */
static int loopback_host(const char *h, size_t n)
{
	if (n == 9 && !strncasecmp(h, "localhost", 9))
		return 1;
	if (n == 5 && !memcmp(h, "[::1]", 5))
		return 1;
	if (n < 9 || n > 15 || strncmp(h, "127.", 4))
		return 0;
	int dots = 0;
	for (size_t i = 0; i < n; i++) {
		if (h[i] == '.')
			dots++;
		else if (h[i] < '0' || h[i] > '9')
			return 0;
	}
	return dots == 3;
}

/* ---- x-hooks2: the SSRF rule ------------------------------------------ */

/* a: an IPv4 address in network order (4 bytes) */
static int v4_allowed(const uint8_t *a, int allow_loopback)
{
	if (a[0] == 127)
		return allow_loopback;
	/* 0/8 this network, 10/8 private, 224/4 multicast, 240/4 reserved
	 * and the broadcast address */
	if (a[0] == 0 || a[0] == 10 || a[0] >= 224)
		return 0;
	if (a[0] == 100 && (a[1] & 0xc0) == 64) /* 100.64/10, shared */
		return 0;
	if (a[0] == 169 && a[1] == 254) /* link-local, 169.254.169.254 */
		return 0;
	if (a[0] == 172 && (a[1] & 0xf0) == 16)
		return 0;
	if (a[0] == 192 && a[1] == 168)
		return 0;
	/* x-fix: 192.0.0.0/24 IETF protocol assignments, 198.18.0.0/15
	 * benchmarking (RFC 6890) */
	if (a[0] == 192 && a[1] == 0 && a[2] == 0)
		return 0;
	if (a[0] == 198 && (a[1] & 0xfe) == 18)
		return 0;
	return 1;
}

static int v6_allowed(const uint8_t *b, int allow_loopback)
{
	static const uint8_t zero[16];
	if (!memcmp(b, zero, 16)) /* :: */
		return 0;
	if (!memcmp(b, zero, 15) && b[15] == 1) /* ::1 */
		return allow_loopback;
	if (!memcmp(b, zero, 10) && b[10] == 0xff && b[11] == 0xff)
		return v4_allowed(b + 12, allow_loopback); /* ::ffff:a.b.c.d */
	if (!memcmp(b, zero, 12)) /* ::a.b.c.d, deprecated but routed */
		return v4_allowed(b + 12, allow_loopback);
	/* x-fix: SIIT ::ffff:0:a.b.c.d (::ffff:0:0/96) */
	if (!memcmp(b, zero, 8) && b[8] == 0xff && b[9] == 0xff && !b[10] &&
	    !b[11])
		return v4_allowed(b + 12, allow_loopback);
	/* x-fix: local-use NAT64 64:ff9b:1::/48 (RFC 8215): translated by
	 * the municipality's own gateway, wherever the embedded address */
	if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
	    b[4] == 0 && b[5] == 1)
		return 0;
	if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
	    !memcmp(b + 4, zero, 8)) /* NAT64 64:ff9b::/96 */
		return v4_allowed(b + 12, allow_loopback);
	if (b[0] == 0x20 && b[1] == 0x02) /* 6to4 2002:a.b.c.d::/16 */
		return v4_allowed(b + 2, allow_loopback);
	if ((b[0] & 0xfe) == 0xfc) /* unique local fc00::/7 */
		return 0;
	if (b[0] == 0xfe && (b[1] & 0x80) == 0x80) /* fe80::/10, fec0::/10 */
		return 0;
	if (b[0] == 0xff) /* multicast */
		return 0;
	return 1;
}

int hh_webhook_addr_allowed(const struct sockaddr *sa, int allow_loopback,
			    char *text, size_t textsz)
{
	if (text && textsz)
		text[0] = 0;
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		if (text)
			inet_ntop(AF_INET, &in->sin_addr, text, (socklen_t)textsz);
		return v4_allowed((const uint8_t *)&in->sin_addr, allow_loopback);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in = (const struct sockaddr_in6 *)sa;
		if (text)
			inet_ntop(AF_INET6, &in->sin6_addr, text,
				  (socklen_t)textsz);
		return v6_allowed(in->sin6_addr.s6_addr, allow_loopback);
	}
	return 0;
}

/* The URL's host h (n bytes, an IPv6 literal in its brackets) as the
 * SSRF rule sees it at subscribe time: 0 when it is a literal address
 * the rule refuses, or localhost (a name for this machine), unless
 * allow_loopback and it is this machine. A name is checked again, by
 * the address it resolves to, at each delivery. */
static int host_allowed(const char *h, size_t n, int allow_loopback)
{
	char buf[256];
	if (n >= sizeof(buf))
		return 0;
	memcpy(buf, h, n);
	buf[n] = 0;
	if (buf[0] == '[') {
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
		buf[n - 1] = 0;
		if (inet_pton(AF_INET6, buf + 1, &a6.sin6_addr) != 1)
			return 0; /* not an IPv6 address */
		return hh_webhook_addr_allowed((struct sockaddr *)&a6,
					       allow_loopback, NULL, 0);
	}
	/* x-fix: a trailing dot off first ("10.0.0.1." is 10.0.0.1 to curl) */
	size_t len = strlen(buf);
	while (len && buf[len - 1] == '.')
		buf[--len] = 0;
	/* inet_aton takes what curl takes too: 127.1, 0x7f.1, 2130706433 */
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	if (inet_aton(buf, &a4.sin_addr))
		return hh_webhook_addr_allowed((struct sockaddr *)&a4,
					       allow_loopback, NULL, 0);
	if (!strcasecmp(buf, "localhost") ||
	    (len > 10 && !strcasecmp(buf + len - 10, ".localhost")))
		return allow_loopback;
	return 1;
}

/* An https URL with a host (or http to loopback when allow_http). No
 * user name or password in it, no spaces, control characters or bytes
 * past ASCII (x-fix: a name in another script is written in punycode,
 * xn--...; broken UTF-8 from a form never gets stored), and not a
 * literal address the SSRF rule refuses. */
static int url_ok(const char *u, int allow_http)
{
	size_t len = strlen(u);
	if (len > 2000)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)u[i] <= ' ' || (unsigned char)u[i] >= 0x7f)
			return 0;
	const char *host;
	int http = 0;
	if (!strncasecmp(u, "https://", 8)) {
		host = u + 8;
	} else if (!strncasecmp(u, "http://", 7)) {
		host = u + 7;
		http = 1;
	} else {
		return 0;
	}
	size_t n = strcspn(host, "/?#");
	if (memchr(host, '@', n))
		return 0;
	/* the port off, except inside an IPv6 address's brackets */
	size_t hn = n;
	const char *close = host[0] == '[' ? memchr(host, ']', n) : NULL;
	if (host[0] == '[') {
		if (!close)
			return 0;
		hn = (size_t)(close - host) + 1;
	} else {
		const char *colon = memchr(host, ':', n);
		if (colon)
			hn = (size_t)(colon - host);
	}
	if (hn == 0)
		return 0;
	if (http && !(allow_http && loopback_host(host, hn)))
		return 0;
	return host_allowed(host, hn, allow_http);
}

/* in's event types: known, each once, one at least. On 1, *t and *nt are
 * their topics and *names the types joined by commas (in a). */
static int events_ok(const struct hh_webhook_input *in, struct hh_arena *a,
		     struct hh_webhook_topic **t, int *nt, const char **names)
{
	if (in->n_events < 1 || in->n_events > (int)N_TOPICS || !in->events)
		return 0;
	struct hh_buf b;
	hh_buf_init(&b);
	*t = hh_arena_calloc(a, N_TOPICS * sizeof(**t));
	*nt = 0;
	for (int i = 0; i < in->n_events; i++) {
		const char *e = in->events[i];
		int dup = 0;
		for (int j = 0; e && j < i; j++)
			dup |= !strcmp(in->events[j], e);
		if (!e || !known_type(e) || dup) {
			hh_buf_clear(&b);
			return 0;
		}
		if (i)
			hh_buf_append(&b, ",", 1);
		hh_buf_append(&b, e, strlen(e));
		for (size_t k = 0; k < N_TOPICS; k++)
			if (!strcmp(topics[k].type, e))
				(*t)[(*nt)++] = topics[k];
	}
	*names = hh_arena_strndup(a, b.data ? b.data : "", b.len);
	hh_buf_clear(&b);
	return 1;
}

/* x-fix: a subscription as its configuration events tell it: the URL,
 * the event types and whether active; never a secret. In a. */
static const char *sub_json(struct hh_arena *a, const struct hh_webhook_sub *s)
{
	json_t *ev = json_array();
	const char *p = s->events ? s->events : "";
	while (*p) {
		const char *q = strchr(p, ',');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		json_array_append_new(ev, json_stringn(p, n));
		p += n + (q != NULL);
	}
	json_t *j = json_pack("{s:s?, s:o, s:b}", "url", s->url, "events", ev,
			      "active", s->active);
	char *t = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	const char *out = hh_arena_strdup(a, t ? t : "{}");
	free(t);
	return out;
}

/* x-fix: the event of a configuration change (entity "webhook"). */
static enum hh_rc config_event(struct hh_tx *tx, struct hh_arena *a,
			       const char *label, int64_t org_id, int64_t id,
			       const char *action,
			       const struct hh_webhook_sub *before,
			       const struct hh_webhook_sub *after)
{
	struct hh_event e = { .actor = label ? label : "system",
			      .org_id = org_id, .entity = "webhook",
			      .entity_id = id, .action = action,
			      .before = before ? sub_json(a, before) : NULL,
			      .after = after ? sub_json(a, after) : NULL };
	return tx->store->event_append(tx, &e);
}

struct sub_ctx {
	struct hh_webhook_sub *s;
	struct hh_webhook_topic *t;
	int n;
	struct hh_arena *a;
	int sealed; /* the secret is sealed with the vault */
};

static enum hh_rc sub_tx(struct hh_tx *tx, void *p)
{
	struct sub_ctx *c = p;
	/* hooks-rotate: not under a key a finished `helhed rotate-key` has
	 * retired (a server still on its old key file), as external cases */
	enum hh_rc rc = c->sealed ? hh_vault_keys_current(tx, c->a) : HH_OK;
	if (rc == HH_OK)
		rc = tx->store->webhook_sub_insert(tx, c->s, c->t, c->n);
	if (rc == HH_OK)
		rc = config_event(tx, c->a, c->s->created_by, c->s->org_id,
				  c->s->id, "subscribe", NULL, c->s);
	return rc;
}

enum hh_rc hh_webhook_subscribe(struct hh_store *st, const struct hh_actor *who,
				struct hh_arena *a,
				const struct hh_webhook_input *in,
				int allow_http, struct hh_webhook_sub *out,
				const char **field)
{
	*field = NULL;
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	if (!in->url || !url_ok(in->url, allow_http)) {
		*field = "url";
		return HH_ERR_INVALID;
	}
	struct hh_webhook_topic *t;
	int nt;
	const char *names;
	if (!events_ok(in, a, &t, &nt, &names)) {
		*field = "events";
		return HH_ERR_INVALID;
	}
	char secret[HH_WH_SECRET_SIZE];
	hh_webhook_secret_new(secret);
	const char *kept = hh_arena_strdup(a, secret);
	struct hh_vault *v = hh_vault_of(st);
	enum hh_rc rc = v ? hh_vault_seal(v, a, secret, &kept) : HH_OK;
	if (rc != HH_OK)
		return rc;
	memset(out, 0, sizeof(*out));
	out->org_id = who->org_id;
	out->url = hh_arena_strdup(a, in->url);
	out->secret = kept;
	out->events = names;
	out->active = in->active != 0;
	out->created_at = hh_now_us() / 1000000;
	out->created_by = who->label ? who->label : "system";
	struct sub_ctx c = { out, t, nt, a, v != NULL };
	rc = hh_store_run_tx(st, 1, sub_tx, &c);
	if (rc == HH_OK)
		out->secret = hh_arena_strdup(a, secret);
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

struct list_ctx {
	struct hh_arena *a;
	const char *label;
	int64_t org_id, sub_id, limit;
	hh_webhook_sub_cb sub_cb;
	hh_webhook_delivery_cb del_cb;
	void *ctx;
};

static enum hh_rc hide_secret(void *p, const struct hh_webhook_sub *s)
{
	struct list_ctx *c = p;
	struct hh_webhook_sub copy = *s;
	copy.secret = NULL;
	return c->sub_cb(c->ctx, &copy);
}

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *c = p;
	return tx->store->webhook_sub_list(tx, c->a, c->org_id, hide_secret, c);
}

enum hh_rc hh_webhook_list(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *a, hh_webhook_sub_cb cb, void *ctx)
{
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	struct list_ctx c = { .a = a, .org_id = who->org_id, .sub_cb = cb,
			      .ctx = ctx };
	return hh_store_run_tx(st, 0, list_tx, &c);
}

static enum hh_rc unsub_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *c = p;
	struct hh_webhook_sub before;
	enum hh_rc rc = tx->store->webhook_sub_get(tx, c->a, c->org_id,
						   c->sub_id, &before);
	if (rc == HH_OK)
		rc = tx->store->webhook_sub_delete(tx, c->org_id, c->sub_id);
	if (rc == HH_OK)
		rc = config_event(tx, c->a, c->label, c->org_id, c->sub_id,
				  "unsubscribe", &before, NULL);
	return rc;
}

enum hh_rc hh_webhook_unsubscribe(struct hh_store *st,
				  const struct hh_actor *who, int64_t id)
{
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	struct hh_arena a;
	hh_arena_init(&a);
	struct list_ctx c = { .a = &a, .label = who->label,
			      .org_id = who->org_id, .sub_id = id };
	enum hh_rc rc = hh_store_run_tx(st, 1, unsub_tx, &c);
	hh_arena_clear(&a);
	return rc;
}

struct active_ctx {
	int64_t org_id, id;
	int active;
	struct hh_arena *a;
	const char *label;
};

static enum hh_rc active_tx(struct hh_tx *tx, void *p)
{
	struct active_ctx *c = p;
	struct hh_webhook_sub before;
	enum hh_rc rc = tx->store->webhook_sub_get(tx, c->a, c->org_id, c->id,
						   &before);
	if (rc == HH_OK)
		rc = tx->store->webhook_sub_set_active(tx, c->org_id, c->id,
						       c->active);
	struct hh_webhook_sub after = before;
	after.active = c->active;
	if (rc == HH_OK)
		rc = config_event(tx, c->a, c->label, c->org_id, c->id,
				  "change", &before, &after);
	return rc;
}

enum hh_rc hh_webhook_set_active(struct hh_store *st,
				 const struct hh_actor *who, int64_t id,
				 int active)
{
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	struct hh_arena a;
	hh_arena_init(&a);
	struct active_ctx c = { who->org_id, id, active != 0, &a, who->label };
	enum hh_rc rc = hh_store_run_tx(st, 1, active_tx, &c);
	hh_arena_clear(&a);
	return rc;
}

/* ---- x-hooks2: change, rotate, test, prune ----------------------------- */

struct change_ctx {
	struct hh_arena *a;
	int64_t org_id, id, now;
	const struct hh_webhook_input *in;
	struct hh_webhook_topic *t;
	int nt;
	const char *names;
	struct hh_webhook_sub *s;
	const char *sealed; /* rotate: the new secret as kept */
	int64_t delivery_id; /* test */
	const char *label;
};

static enum hh_rc change_tx(struct hh_tx *tx, void *p)
{
	struct change_ctx *c = p;
	enum hh_rc rc = tx->store->webhook_sub_get(tx, c->a, c->org_id, c->id,
						   c->s);
	if (rc != HH_OK)
		return rc;
	struct hh_webhook_sub before = *c->s;
	if (c->in->url)
		c->s->url = hh_arena_strdup(c->a, c->in->url);
	if (c->names)
		c->s->events = c->names;
	if (c->in->active >= 0)
		c->s->active = c->in->active != 0;
	rc = tx->store->webhook_sub_update(tx, c->s, c->names ? c->t : NULL,
					   c->nt);
	if (rc == HH_OK)
		rc = config_event(tx, c->a, c->label, c->org_id, c->id, "change",
				  &before, c->s);
	return rc;
}

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct change_ctx *c = p;
	return tx->store->webhook_sub_get(tx, c->a, c->org_id, c->id, c->s);
}

enum hh_rc hh_webhook_get(struct hh_store *st, const struct hh_actor *who,
			  struct hh_arena *a, int64_t id,
			  struct hh_webhook_sub *out)
{
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	struct change_ctx c = { .a = a, .org_id = who->org_id, .id = id,
				.s = out };
	memset(out, 0, sizeof(*out));
	enum hh_rc rc = hh_store_run_tx(st, 0, get_tx, &c);
	out->secret = out->previous_secret = NULL;
	return rc;
}

enum hh_rc hh_webhook_change(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *a, int64_t id,
			     const struct hh_webhook_input *in, int allow_http,
			     struct hh_webhook_sub *out, const char **field)
{
	*field = NULL;
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	if (in->url && !url_ok(in->url, allow_http)) {
		*field = "url";
		return HH_ERR_INVALID;
	}
	struct change_ctx c = { .a = a, .org_id = who->org_id, .id = id,
				.in = in, .s = out, .label = who->label };
	if (in->n_events >= 0 &&
	    !events_ok(in, a, &c.t, &c.nt, &c.names)) {
		*field = "events";
		return HH_ERR_INVALID;
	}
	memset(out, 0, sizeof(*out));
	enum hh_rc rc = hh_store_run_tx(st, 1, change_tx, &c);
	out->secret = out->previous_secret = NULL;
	return rc;
}

static enum hh_rc rotate_tx(struct hh_tx *tx, void *p)
{
	struct change_ctx *c = p;
	enum hh_rc rc = hh_vault_of(tx->store) ? hh_vault_keys_current(tx, c->a)
					       : HH_OK;
	if (rc == HH_OK)
		rc = tx->store->webhook_sub_get(tx, c->a, c->org_id, c->id,
						c->s);
	/* the old secret stays as it is kept, sealed */
	if (rc == HH_OK)
		rc = tx->store->webhook_secret_set(tx, c->org_id, c->id,
						   c->sealed, c->s->secret,
						   c->now +
							   HH_WH_ROTATE_OVERLAP);
	/* who rotated and when; the secrets are never in an event */
	if (rc == HH_OK)
		rc = config_event(tx, c->a, c->label, c->org_id, c->id,
				  "rotate", c->s, c->s);
	return rc;
}

enum hh_rc hh_webhook_rotate(struct hh_store *st, const struct hh_actor *who,
			     struct hh_arena *a, int64_t id, int64_t now,
			     const char **secret_out)
{
	*secret_out = NULL;
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	char secret[HH_WH_SECRET_SIZE];
	hh_webhook_secret_new(secret);
	const char *kept = hh_arena_strdup(a, secret);
	struct hh_vault *v = hh_vault_of(st);
	enum hh_rc rc = v ? hh_vault_seal(v, a, secret, &kept) : HH_OK;
	struct hh_webhook_sub s;
	struct change_ctx c = { .a = a, .org_id = who->org_id, .id = id,
				.now = now, .s = &s, .sealed = kept,
				.label = who->label };
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 1, rotate_tx, &c);
	if (rc == HH_OK)
		*secret_out = hh_arena_strdup(a, secret);
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

static enum hh_rc test_tx(struct hh_tx *tx, void *p)
{
	struct change_ctx *c = p;
	enum hh_rc rc = tx->store->webhook_sub_get(tx, c->a, c->org_id, c->id,
						   c->s);
	if (rc != HH_OK)
		return rc;
	/* in the event log as any change: who sent a test, and when */
	char after[64];
	snprintf(after, sizeof(after), "{\"subscription_id\":%lld}",
		 (long long)c->id);
	struct hh_event e = { .actor = c->label, .org_id = c->org_id,
			      .entity = "webhook", .entity_id = c->id,
			      .action = "test", .after = after };
	rc = tx->store->event_append(tx, &e);
	if (rc == HH_OK)
		rc = tx->store->webhook_delivery_add(tx, c->id, e.id, HH_WH_TEST,
						     e.at_us / 1000000,
						     &c->delivery_id);
	return rc;
}

enum hh_rc hh_webhook_send_test(struct hh_store *st,
				const struct hh_actor *who, int64_t id,
				int64_t *delivery_id)
{
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_webhook_sub s;
	struct change_ctx c = { .a = &a, .org_id = who->org_id, .id = id,
				.s = &s,
				.label = who->label ? who->label : "system" };
	enum hh_rc rc = hh_store_run_tx(st, 1, test_tx, &c);
	hh_arena_clear(&a);
	if (rc == HH_OK) {
		if (delivery_id)
			*delivery_id = c.delivery_id;
		hh_store_changed(st, &(struct hh_change){ "webhook", id,
							  who->org_id,
							  "test" });
	}
	return rc;
}

struct prune_ctx {
	int64_t before, now, deleted;
	int batch;
};

static enum hh_rc prune_tx(struct hh_tx *tx, void *p)
{
	struct prune_ctx *c = p;
	return tx->store->webhook_prune(tx, c->before, c->now, c->batch,
					&c->deleted);
}

enum hh_rc hh_webhooks_prune(struct hh_store *st, int64_t now, int keep_days,
			     int batch, int64_t *deleted)
{
	if (keep_days < 1)
		keep_days = HH_WH_KEEP_DAYS;
	struct prune_ctx c = { .before = now - (int64_t)keep_days * 86400,
			       .now = now, .batch = batch > 0 ? batch : 500 };
	int64_t total = 0;
	enum hh_rc rc;
	/* small transactions: writers of events wait on none for long */
	do {
		rc = hh_store_run_tx(st, 1, prune_tx, &c);
		if (rc == HH_OK)
			total += c.deleted;
	} while (rc == HH_OK && c.deleted >= c.batch);
	if (deleted)
		*deleted = total;
	return rc;
}

static enum hh_rc deliveries_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *c = p;
	return tx->store->webhook_delivery_list(tx, c->a, c->org_id, c->sub_id,
						c->limit, c->del_cb, c->ctx);
}

enum hh_rc hh_webhook_deliveries(struct hh_store *st,
				 const struct hh_actor *who, struct hh_arena *a,
				 int64_t sub_id, int64_t limit,
				 hh_webhook_delivery_cb cb, void *ctx)
{
	if (!is_admin(who))
		return HH_ERR_FORBIDDEN;
	struct list_ctx c = { .a = a, .org_id = who->org_id, .sub_id = sub_id,
			      .limit = limit, .del_cb = cb, .ctx = ctx };
	return hh_store_run_tx(st, 0, deliveries_tx, &c);
}

/* ---- the rule --------------------------------------------------------- */

static const char *jstr(json_t *o, const char *k)
{
	json_t *v = o ? json_object_get(o, k) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static void copy_key(json_t *to, json_t *from, const char *k)
{
	json_t *v = from ? json_object_get(from, k) : NULL;
	if (v)
		json_object_set(to, k, v);
}

enum hh_rc hh_webhook_body(const struct hh_webhook_delivery *d,
			   struct hh_arena *a, const char **out)
{
	const struct hh_event *e = &d->event;
	int own = e->org_id == d->org_id;
	json_t *after = e->after ? json_loads(e->after, 0, NULL) : NULL;
	json_t *before = e->before ? json_loads(e->before, 0, NULL) : NULL;
	json_t *data = json_object();
	enum hh_rc rc = HH_OK;
	int is_case_sub = !strcmp(d->type, HH_WH_CASE_SUBMITTED);
	if (is_case_sub || !strcmp(d->type, HH_WH_CASE_STATE)) {
		const char *state = jstr(after, "state");
		const char *prev = jstr(before, "state");
		if (!state || (!is_case_sub && prev && !strcmp(prev, state))) {
			rc = HH_ERR_NOT_FOUND; /* no state changed */
			goto done;
		}
		json_object_set_new(data, "case_id", json_integer(e->entity_id));
		json_object_set_new(data, "organisation_id",
				    json_integer(e->org_id));
		json_object_set_new(data, "state", json_string(state));
		if (own) {
			json_object_set_new(data, "action", json_string(e->action));
			if (prev)
				json_object_set_new(data, "previous_state",
						    json_string(prev));
			/* the event's details: its own case */
			json_t *details = json_deep_copy(after);
			json_object_del(details, "state");
			json_object_set_new(data, "details", details);
		}
	} else if (!strcmp(d->type, HH_WH_LETTER_SENT)) {
		if (!own) { /* the topic is own-only; say so again */
			rc = HH_ERR_NOT_FOUND;
			goto done;
		}
		json_object_set_new(data, "case_id", json_integer(e->entity_id));
		json_t *l = json_object_get(after, "letter");
		if (l)
			json_object_set(data, "letter_id", l);
		copy_key(data, after, "kind");
		copy_key(data, after, "title");
	} else if (!strcmp(d->type, HH_WH_INQUIRY_TRANSFERRED)) {
		const char *now_out = jstr(after, "outcome");
		const char *was = jstr(before, "outcome");
		json_t *to = after ? json_object_get(after, "transfer_org_id")
				   : NULL;
		/* x-hooks2: the organisation it went to sees it too */
		int receiver = !own && json_is_integer(to) &&
			       json_integer_value(to) == d->org_id;
		if ((!own && !receiver) || !now_out ||
		    strcmp(now_out, "transferred") ||
		    (was && !strcmp(was, "transferred"))) {
			rc = HH_ERR_NOT_FOUND;
			goto done;
		}
		json_object_set_new(data, "inquiry_id",
				    json_integer(e->entity_id));
		json_object_set_new(data, "organisation_id",
				    json_integer(e->org_id));
		copy_key(data, after, "channel");
		copy_key(data, after, "transfer_org_id");
		copy_key(data, after, "transfer_team");
	} else if (!strcmp(d->type, HH_WH_ARTICLE_CHANGED)) {
		json_t *src = after ? after : before;
		json_object_set_new(data, "article_id",
				    json_integer(e->entity_id));
		json_object_set_new(data, "action", json_string(e->action));
		json_object_set_new(data, "organisation_id",
				    json_integer(e->org_id));
		copy_key(data, src, "slug");
		copy_key(data, src, "title");
	} else if (!strcmp(d->type, HH_WH_TEST)) {
		if (!own) {
			rc = HH_ERR_NOT_FOUND;
			goto done;
		}
		json_object_set_new(data, "subscription_id",
				    json_integer(d->sub_id));
	} else {
		rc = HH_ERR_NOT_FOUND;
		goto done;
	}
	{
		char ts[32];
		time_t t = (time_t)(e->at_us / 1000000);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_t *body = json_pack("{s:s, s:s, s:O}", "type", d->type,
					 "timestamp", ts, "data", data);
		char *s = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(body);
		*out = hh_arena_strdup(a, s);
		free(s);
	}
done:
	json_decref(data);
	json_decref(after);
	json_decref(before);
	return rc;
}

/* ---- signing ---------------------------------------------------------- */

void hh_webhook_secret_new(char out[HH_WH_SECRET_SIZE])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	memcpy(out, "whsec_", 6);
	sodium_bin2base64(out + 6, HH_WH_SECRET_SIZE - 6, raw, sizeof(raw),
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(raw, sizeof(raw));
}

enum hh_rc hh_webhook_sign(const char *secret, const char *id,
			   int64_t timestamp, const char *body, size_t len,
			   char out[HH_WH_SIGNATURE_SIZE])
{
	unsigned char key[64];
	size_t klen = 0;
	if (strncmp(secret, "whsec_", 6) ||
	    sodium_base642bin(key, sizeof(key), secret + 6, strlen(secret + 6),
			      NULL, &klen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    klen < 24)
		return HH_ERR_INVALID;
	char ts[24];
	snprintf(ts, sizeof(ts), "%lld", (long long)timestamp);
	crypto_auth_hmacsha256_state h;
	crypto_auth_hmacsha256_init(&h, key, klen);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)id, strlen(id));
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)body, len);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_final(&h, mac);
	memcpy(out, "v1,", 3);
	sodium_bin2base64(out + 3, HH_WH_SIGNATURE_SIZE - 3, mac, sizeof(mac),
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof(key));
	return HH_OK;
}

/* ---- delivery --------------------------------------------------------- */

int64_t hh_webhook_next_attempt(int64_t now, int64_t attempt)
{
	int64_t wait = HH_WH_BACKOFF_FIRST;
	for (int64_t i = 1; i < attempt && wait < HH_WH_BACKOFF_MAX; i++)
		wait *= 2;
	if (wait > HH_WH_BACKOFF_MAX)
		wait = HH_WH_BACKOFF_MAX;
	/* 0.75 .. 1.25 of it */
	int64_t lo = wait * 3 / 4, hi = wait * 5 / 4;
	return now + lo + (int64_t)randombytes_uniform((uint32_t)(hi - lo + 1));
}

struct pass {
	struct hh_store *st;
	const struct hh_webhook_poster *poster;
	struct hh_arena *a;
	int64_t now, lease;
	struct hh_webhook_stats *stats;
	struct hh_webhook_delivery *rows; /* claimed, then their outcomes */
	int n, cap;
	int64_t started; /* x-fix: the clock when the pass began */
};

static int retryable(long status)
{
	return status == 0 || status == 408 || status == 429 || status >= 500;
}

/* The claim's rows, kept for after it (they are borrowed for the call;
 * their strings are in the pass's arena). */
static enum hh_rc keep(void *p, const struct hh_webhook_delivery *claimed)
{
	struct pass *x = p;
	if (x->n < x->cap)
		x->rows[x->n++] = *claimed;
	return HH_OK;
}

/* Posts delivery d and writes its outcome into d. Returns 0 when it is
 * to be left alone (its secret does not open: retried after the lease,
 * when the key file may be right again). */
static int post_one(struct pass *x, struct hh_webhook_delivery *d)
{
	const char *body = NULL;
	enum hh_rc rc = hh_webhook_body(d, x->a, &body);
	if (rc != HH_OK) { /* NOT_FOUND: not of its type */
		d->state = "skipped";
		x->stats->skipped++;
		return 1;
	}
	const char *secret = d->secret;
	if (hh_vault_is_sealed(secret)) {
		struct hh_vault *v = hh_vault_of(x->st);
		rc = v ? hh_vault_open(v, x->a, d->secret, &secret)
		       : HH_ERR_NOT_FOUND;
		if (rc != HH_OK) {
			hh_log(HH_LOG_ERROR, "webhook delivery %lld: its secret "
			       "does not open (%s)", (long long)d->id,
			       hh_rc_name(rc));
			return 0;
		}
	}
	char id[32], sig[HH_WH_SIGNATURE_SIZE], sig2[HH_WH_SIGNATURE_SIZE];
	snprintf(id, sizeof(id), "msg_%lld", (long long)d->id);
	/* x-fix: signed with the time of this post, not the pass's start
	 * (a pass of slow receivers takes minutes, and Standard Webhooks
	 * receivers refuse a timestamp more than 5 minutes off): the pass's
	 * now plus the time the pass has taken so far */
	int64_t elapsed = hh_now_us() / 1000000 - x->started;
	int64_t ts = x->now + (elapsed > 0 ? elapsed : 0);
	if (hh_webhook_sign(secret, id, ts, body, strlen(body), sig) != HH_OK) {
		hh_log(HH_LOG_ERROR, "webhook delivery %lld: its secret is not "
		       "a whsec_ secret", (long long)d->id);
		return 0;
	}
	/* x-hooks2: a rotation's overlap, the old secret signing too (a
	 * secret that does not open is left out and logged: the new one's
	 * signature is there) */
	const char *both = sig;
	if (d->previous_secret && d->previous_until > x->now) {
		const char *prev = d->previous_secret;
		struct hh_vault *v = hh_vault_of(x->st);
		rc = !hh_vault_is_sealed(prev) ? HH_OK
		     : v ? hh_vault_open(v, x->a, d->previous_secret, &prev)
			 : HH_ERR_NOT_FOUND;
		if (rc == HH_OK && hh_webhook_sign(prev, id, ts, body,
						   strlen(body), sig2) == HH_OK)
			both = hh_arena_printf(x->a, "%s %s", sig, sig2);
		else
			hh_log(HH_LOG_ERROR, "webhook delivery %lld: the "
			       "rotated-out secret does not open",
			       (long long)d->id);
	}
	const char *headers[] = {
		"Content-Type: application/json",
		hh_arena_printf(x->a, "webhook-id: %s", id),
		hh_arena_printf(x->a, "webhook-timestamp: %lld", (long long)ts),
		hh_arena_printf(x->a, "webhook-signature: %s", both),
		"User-Agent: helhed-webhooks/1",
	};
	char err[256] = "";
	long status = 0;
	x->poster->post(x->poster, d->url, headers, 5, body, strlen(body),
			x->poster->timeout_s > 0 ? x->poster->timeout_s : 10,
			&status, err, sizeof(err));
	d->attempts++;
	d->last_code = status > 0 ? status : 0;
	d->last_error = NULL;
	if (status == HH_WH_REFUSED) { /* the SSRF rule: final */
		d->last_error = hh_arena_printf(x->a, "address not allowed (%s)",
						err[0] ? err : "?");
		d->state = "failed";
		x->stats->failed++;
	} else if (status >= 200 && status < 300) {
		d->state = "delivered";
		x->stats->delivered++;
	} else {
		d->last_error = status ? hh_arena_printf(x->a, "HTTP %ld", status)
				       : hh_arena_strdup(x->a, err);
		if (retryable(status) && x->now - d->created_at < HH_WH_GIVE_UP) {
			d->next_attempt_at = hh_webhook_next_attempt(x->now,
								     d->attempts);
			x->stats->retried++;
		} else {
			d->state = "failed";
			x->stats->failed++;
		}
	}
	if (strcmp(d->state, "pending"))
		d->next_attempt_at = x->now;
	return 1;
}

/* The pass's outcomes in one write transaction (one commit, one fsync,
 * for the whole batch). A row another pass took after our lease ran out
 * is left as that pass has it. */
static enum hh_rc record_tx(struct hh_tx *tx, void *p)
{
	struct pass *x = p;
	x->stats->stale = 0;
	for (int i = 0; i < x->n; i++) {
		if (!x->rows[i].state) /* left alone */
			continue;
		int changed = 0;
		enum hh_rc rc = tx->store->webhook_record(tx, &x->rows[i],
							  x->lease, x->now,
							  &changed);
		if (rc != HH_OK)
			return rc;
		if (!changed)
			x->stats->stale++;
	}
	return HH_OK;
}

enum hh_rc hh_webhooks_deliver(struct hh_store *st,
			       const struct hh_webhook_poster *poster,
			       int64_t now, int limit,
			       struct hh_webhook_stats *stats)
{
	struct hh_webhook_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (limit < 1)
		limit = 50;
	int timeout = poster->timeout_s > 0 ? poster->timeout_s : 10;
	struct hh_arena a;
	hh_arena_init(&a);
	/* the lease outlasts a pass in which every post times out */
	struct pass x = { st, poster, &a, now,
			  now + (int64_t)limit * (timeout + 1) + 60, stats,
			  NULL, 0, limit, hh_now_us() / 1000000 };
	x.rows = hh_arena_calloc(&a, (size_t)limit * sizeof(*x.rows));
	enum hh_rc rc = st->webhook_claim(st->cls, &a, now, x.lease, limit,
					  keep, &x);
	/* posted one after the other, then recorded together: a crash
	 * between the two posts them again after the lease, with the same
	 * webhook-id (at least once; receivers dedupe on it) */
	for (int i = 0; rc == HH_OK && i < x.n; i++)
		if (!post_one(&x, &x.rows[i]))
			x.rows[i].state = NULL;
	if (rc == HH_OK && x.n)
		rc = hh_store_run_tx(st, 1, record_tx, &x);
	if (rc == HH_OK && stats->stale)
		hh_log(HH_LOG_WARN, "webhook pass: %d deliveries' claims ran "
		       "out before their outcomes were recorded", stats->stale);
	hh_arena_clear(&a);
	return rc;
}
