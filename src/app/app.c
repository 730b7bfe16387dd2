/* app.c - who is calling, CSRF, If-Match and cookies: the plumbing both
 * doors share. */
#include "app/app.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/limit.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/searchlog.h"
#include "domain/topics.h" /* s-http: hh_app_topics */
#include "pages/pages.h" /* pg-multi: hh_page_busy */

const struct hh_principal *hh_auth(struct hh_req *r)
{
	if (r->caller)
		return r->caller;
	struct hh_principal *w = hh_arena_calloc(&r->arena, sizeof(*w));
	r->caller = w;
	enum hh_credential kind = HH_CRED_STAFF_SESSION;
	const char *token;
	const char *h = hh_req_header(r, "Authorization");
	if (h && strncasecmp(h, "Bearer ", 7) == 0) {
		token = h + 7;
		kind = HH_CRED_BEARER;
	} else {
		token = hh_req_cookie(r, "hh_session");
	}
	if (!token) {
		/* a citizen signed in through the identity provider */
		token = hh_req_cookie(r, "hh_borger");
		kind = HH_CRED_CITIZEN_SESSION;
	}
	if (!token || strlen(token) != HH_TOKEN_CHARS - 1)
		return w;
	enum hh_rc rc = hh_principal_resolve(r->app->store, &r->arena, kind,
					     token, w);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
		hh_log(HH_LOG_WARN, "auth lookup failed: %s", hh_rc_name(rc));
	if (rc == HH_ERR_IO || rc == HH_ERR_BUSY) /* pg-multi */
		w->unresolved = 1;
	r->log_actor = w->actor;
	return w;
}

void hh_actor_of(struct hh_req *r, struct hh_actor *out)
{
	hh_actor_from(hh_auth(r), out);
}

int hh_csrf_ok(struct hh_req *r, const char *form_value)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER && w->kind != HH_CITIZEN)
		return 1; /* bearer tokens and anonymous calls carry no cookie */
	const char *sent = form_value ? form_value
				      : hh_req_header(r, "X-CSRF-Token");
	if (!sent || !w->csrf || strlen(sent) != strlen(w->csrf))
		return 0;
	return sodium_memcmp(sent, w->csrf, strlen(sent)) == 0;
}

int64_t hh_if_match(struct hh_req *r)
{
	const char *h = hh_req_header(r, "If-Match");
	if (!h)
		return 0;
	if (*h == 'W' && h[1] == '/')
		h += 2;
	char *end;
	const char *s = *h == '"' ? h + 1 : h;
	long long v = strtoll(s, &end, 10);
	if (end == s || v < 1 || (*h == '"' ? (*end != '"' || end[1]) : *end))
		return -1;
	return v;
}

void hh_cookie_set(struct hh_req *r, enum hh_cookie_kind kind,
		   const char *name, const char *value, const char *path,
		   int max_age)
{
	hh_resp_header(r, "Set-Cookie",
		       hh_arena_printf(&r->arena, "%s=%s; Path=%s; %s; Max-Age=%d%s",
				       name, value, path ? path : "/",
				       kind == HH_COOKIE_STRICT
					       ? "HttpOnly; SameSite=Strict"
				       : kind == HH_COOKIE_RETURN
					       ? "HttpOnly; SameSite=Lax"
					       : "SameSite=Lax",
				       max_age,
				       r->app->secure_cookies ||
						       hh_req_forwarded_tls(r)
					       ? "; Secure"
					       : ""));
}

void hh_cookie_clear(struct hh_req *r, enum hh_cookie_kind kind,
		     const char *name, const char *path)
{
	hh_cookie_set(r, kind, name, "", path, 0);
}

const char *hh_visit(struct hh_req *r, int make)
{
	const char *v = hh_req_cookie(r, HH_VISIT_COOKIE);
	if (hh_searchlog_visit_valid(v))
		return hh_arena_strdup(&r->arena, v);
	if (!make)
		return NULL;
	unsigned char raw[16];
	char *hex = hh_arena_alloc(&r->arena, HH_VISIT_SIZE);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, HH_VISIT_SIZE, raw, sizeof(raw));
	hh_cookie_set(r, HH_COOKIE_RETURN, HH_VISIT_COOKIE, hex, NULL, 86400);
	return hex;
}

int hh_app_session_ok(struct hh_req *r)
{
	return hh_auth(r)->kind != HH_ANON;
}

/* Spends one write of key in l; on refusal answers r. */
static int spend(struct hh_req *r, struct hh_limiter *l, const char *key)
{
	int retry = 1;
	if (!l || hh_limiter_take(l, key, hh_mono_us(), &retry))
		return 1;
	hh_log_client("write limit reached for %s on %s", key, r->path);
	if (r->app->too_many_page && strncmp(r->path, "/api/", 5))
		r->app->too_many_page(r);
	else
		hh_resp_problem(r, HH_E_TOO_MANY_REQUESTS, NULL, NULL);
	hh_resp_header(r, "Retry-After",
		       hh_arena_printf(&r->arena, "%d", retry > 0 ? retry : 1));
	return 0;
}

int hh_app_gate(struct hh_req *r)
{
	/* pg-multi (issue 14): a session that could not be looked up (the
	 * database is away) is answered 503, for reads too, instead of
	 * going on as anonymous (a 401, a sign-in page); the operational
	 * endpoints answer for themselves */
	if (r->route && strcmp(r->path, "/healthz") &&
	    strcmp(r->path, "/readyz") && strcmp(r->path, "/metrics") &&
	    hh_auth(r)->unresolved) {
		if (strncmp(r->path, "/api/", 5) && strncmp(r->path, "/open311/", 9))
			hh_page_busy(r);
		else
			hh_resp_problem(r, HH_E_STORE_UNAVAILABLE, NULL, NULL);
		hh_resp_header(r, "Retry-After", "1");
		return 0;
	}
	/* Reads pass, except on the slow lane: a GET there (the start of
	 * an OpenID Connect sign-in) may wait on another server, and a
	 * flood of them must not fill the lane for everyone. */
	if ((r->method & (HH_GET | HH_HEAD | HH_OPTIONS)) &&
	    !(r->route && (r->route->flags & HH_ROUTE_SLOW)))
		return 1;
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_TOKEN)
		/* an IT system: its own, larger allowance, whatever
		 * address it sends from */
		return spend(r, r->app->writes_by_token,
			     hh_arena_printf(&r->arena, "t%lld",
					     (long long)w->token_id));
	if (!spend(r, r->app->writes_by_client,
		   hh_arena_printf(&r->arena, "a%s", hh_req_client_net(r))))
		return 0;
	/* appointments: bookings without sign-in, per address */
	if (w->kind == HH_ANON && r->route &&
	    (r->route->flags & HH_ROUTE_ANON_LIMITED) &&
	    !spend(r, r->app->anon_writes_by_client,
		   hh_arena_printf(&r->arena, "b%s", hh_req_client_net(r))))
		return 0;
	if (w->kind == HH_ANON || !w->actor)
		return 1;
	return spend(r, r->app->writes_by_account,
		     hh_arena_printf(&r->arena, "s%s", w->actor));
}

/* ---- s-http (issue 13): the topics, read at most once a second -------- */

/* One lock for every application's cache: held only to copy at most a
 * few KB (tests run several applications in one process). */
static pthread_mutex_t topics_lock = PTHREAD_MUTEX_INITIALIZER;

enum hh_rc hh_app_topics(struct hh_app *app, struct hh_arena *a,
			 struct hh_topics *out)
{
	struct hh_app_topics *c = &app->topics_cache;
	int64_t now = hh_mono_us();
	pthread_mutex_lock(&topics_lock);
	if (c->read_at && now - c->read_at < HH_APP_TOPICS_TTL_US) {
		memset(out, 0, sizeof(*out));
		for (int g = 0; g < 100; g++)
			if (c->at[g])
				out->name[g] = hh_arena_strdup(a, c->text + c->at[g] - 1);
		out->n = c->n;
		pthread_mutex_unlock(&topics_lock);
		return HH_OK;
	}
	pthread_mutex_unlock(&topics_lock);
	/* read outside the lock: a slow store must not hold up the
	 * other requests, which at worst read it too */
	enum hh_rc rc = hh_topics_load(app->store, a, out);
	if (rc != HH_OK)
		return rc;
	struct hh_app_topics fresh = { .read_at = now, .n = out->n };
	size_t used = 0;
	for (int g = 0; g < 100; g++) {
		/* kle (issue 15): a group's imported KLE title is kept where
		 * it has no name of helhed's, as hh_topic_name reads them */
		const char *name = out->name[g] ? out->name[g] : out->kle_title[g];
		if (!name)
			continue;
		size_t len = strlen(name) + 1;
		if (used + len > sizeof(fresh.text))
			return HH_OK; /* too long to keep: read every time */
		memcpy(fresh.text + used, name, len);
		fresh.at[g] = (uint16_t)(used + 1);
		used += len;
	}
	pthread_mutex_lock(&topics_lock);
	*c = fresh;
	pthread_mutex_unlock(&topics_lock);
	return HH_OK;
}
