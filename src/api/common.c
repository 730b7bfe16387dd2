/* common.c - auth, CSRF and JSON body helpers shared by api/ and pages/. */
#include "api/app.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/citizens.h"

struct auth_ctx {
	struct hh_req *r;
	const char *token;
	int bearer;
};

static enum hh_rc auth_tx(struct hh_tx *tx, void *p)
{
	struct auth_ctx *c = p;
	struct hh_req *r = c->r;
	struct hh_principal *w = &r->who;
	struct hh_store *st = tx->store;
	unsigned char hash[32];
	struct hh_org org;
	enum hh_rc rc;
	hh_auth_token_hash(c->token, hash);
	if (c->bearer == 2) {
		struct hh_citizen z;
		const char *csrf;
		rc = hh_citizen_session(tx, &r->arena, c->token, &z, &csrf);
		if (rc != HH_OK)
			return rc;
		w->kind = HH_CITIZEN;
		w->citizen_id = z.id;
		w->municipality_id = z.municipality_id;
		w->name = z.name;
		w->csrf = csrf;
		w->roles = HH_ROLE_CITIZEN;
		w->actor = hh_arena_printf(&r->arena, "citizen:%lld", (long long)z.id);
		return HH_OK;
	}
	if (c->bearer) {
		struct hh_api_token t;
		rc = st->token_get(tx, &r->arena, hash, &t);
		if (rc != HH_OK || t.revoked)
			return rc == HH_OK ? HH_ERR_NOT_FOUND : rc;
		rc = st->org_get(tx, &r->arena, t.org_id, &org);
		if (rc != HH_OK)
			return rc;
		w->kind = HH_TOKEN;
		w->token_id = t.id;
		w->roles = t.roles;
		w->name = t.name;
		w->actor = hh_arena_printf(&r->arena, "token:%lld",
					   (long long)t.id);
	} else {
		struct hh_session s;
		struct hh_user u;
		rc = st->session_get(tx, &r->arena, hash, &s);
		if (rc != HH_OK)
			return rc;
		if (s.expires_at < hh_now_us() / 1000000)
			return HH_ERR_NOT_FOUND;
		rc = st->user_get(tx, &r->arena, s.user_id, &u);
		if (rc != HH_OK || u.disabled)
			return rc == HH_OK ? HH_ERR_NOT_FOUND : rc;
		rc = st->org_get(tx, &r->arena, u.org_id, &org);
		if (rc != HH_OK)
			return rc;
		w->kind = HH_USER;
		w->user_id = u.id;
		w->roles = u.roles;
		w->name = u.name;
		w->email = u.email;
		w->csrf = s.csrf;
		w->actor = hh_arena_printf(&r->arena, "user:%lld",
					   (long long)u.id);
	}
	w->org_id = org.id;
	w->org_code = org.code;
	w->org_is_municipality = org.kind == HH_ORG_MUNICIPALITY;
	return HH_OK;
}

const struct hh_principal *hh_auth(struct hh_req *r)
{
	if (r->auth_done)
		return &r->who;
	r->auth_done = 1;
	memset(&r->who, 0, sizeof(r->who));
	struct auth_ctx c = { r, NULL, 0 };
	const char *h = hh_req_header(r, "Authorization");
	if (h && strncasecmp(h, "Bearer ", 7) == 0) {
		c.token = h + 7;
		c.bearer = 1;
	} else {
		c.token = hh_req_cookie(r, "hh_session");
	}
	if (!c.token) {
		/* a citizen signed in through the identity provider */
		const char *ct = hh_req_cookie(r, "hh_borger");
		if (ct && strlen(ct) == HH_TOKEN_CHARS - 1) {
			c.token = ct;
			c.bearer = 2;
		}
	}
	if (!c.token || strlen(c.token) != HH_TOKEN_CHARS - 1)
		return &r->who;
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, auth_tx, &c);
	if (rc != HH_OK) {
		if (rc != HH_ERR_NOT_FOUND)
			hh_log(HH_LOG_WARN, "auth lookup failed: %s",
			       hh_rc_name(rc));
		memset(&r->who, 0, sizeof(r->who));
	}
	return &r->who;
}

void hh_actor_of(struct hh_req *r, struct hh_actor *out)
{
	const struct hh_principal *w = hh_auth(r);
	memset(out, 0, sizeof(*out));
	if (w->kind == HH_ANON)
		return;
	out->label = w->actor;
	out->org_id = w->org_id;
	out->org_is_municipality = w->org_is_municipality;
	out->roles = w->roles;
	if (w->kind == HH_CITIZEN) {
		out->org_id = 0; /* a citizen belongs to no organisation */
		out->roles = HH_ROLE_CITIZEN;
	}
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

int hh_json_body(struct hh_req *r, struct hh_json_spec *spec)
{
	const char *ct = hh_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		hh_resp_problem(r, HH_E_UNSUPPORTED_MEDIA, NULL, NULL);
		return 0;
	}
	if (r->body.len > HH_JSON_BODY_MAX) {
		hh_resp_problem(r, HH_E_BODY_TOO_LARGE, NULL,
				hh_arena_printf(&r->arena,
						"a JSON body may be at most %d bytes",
						HH_JSON_BODY_MAX));
		return 0;
	}
	struct hh_json_result res;
	switch (hh_json_parse(&r->arena, hh_buf_str(&r->body), r->body.len,
			      spec, &res)) {
	case HH_JSON_OK:
		return 1;
	case HH_JSON_ERR_SYNTAX:
		hh_resp_problem(r, HH_E_BAD_JSON, NULL,
				res.line ? hh_arena_printf(&r->arena,
							   "line %d, column %d: %s",
							   res.line, res.column,
							   res.detail)
					 : res.detail);
		return 0;
	case HH_JSON_ERR_UTF8:
		hh_resp_problem(r, HH_E_BAD_UTF8, NULL, res.detail);
		return 0;
	case HH_JSON_ERR_UNKNOWN:
		hh_resp_problem(r, HH_E_UNKNOWN_FIELD, res.field, res.detail);
		return 0;
	case HH_JSON_ERR_MISSING:
		hh_resp_problem(r, HH_E_MISSING_FIELD, res.field, res.detail);
		return 0;
	case HH_JSON_ERR_INVALID:
		hh_resp_problem(r, HH_E_INVALID_FIELD, res.field, res.detail);
		return 0;
	}
	return 0;
}

enum hh_rc hh_app_org(struct hh_app *app, struct hh_arena *a,
		      const char *code, struct hh_org *out)
{
	return hh_store_org_by_code(app->store, a, code, out);
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
