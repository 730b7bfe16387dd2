/* principal.c - who is calling: a staff session, an API token or a
 * citizen's session, looked up from the token the client presented. */
#include "domain/auth.h"

#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/citizens.h"

struct resolve_ctx {
	struct hh_arena *a;
	enum hh_credential kind;
	const char *token;
	struct hh_principal *out;
	int64_t last_seen; /* the session's, for the idle timeout */
};

static enum hh_rc resolve_citizen(struct hh_tx *tx, struct resolve_ctx *c)
{
	struct hh_principal *w = c->out;
	struct hh_citizen z;
	struct hh_citizen_session s;
	enum hh_rc rc = hh_citizen_session(tx, c->a, c->token, &z, &s);
	if (rc != HH_OK)
		return rc;
	c->last_seen = s.last_seen;
	w->kind = HH_CITIZEN;
	w->citizen_id = z.id;
	w->municipality_id = z.municipality_id;
	w->name = z.name;
	w->csrf = s.csrf;
	w->loa = s.loa;
	w->oidc = s.oidc_subject != NULL;
	w->roles = HH_ROLE_CITIZEN;
	w->actor = hh_arena_printf(c->a, "citizen:%lld", (long long)z.id);
	return HH_OK;
}

static enum hh_rc resolve_tx(struct hh_tx *tx, void *p)
{
	struct resolve_ctx *c = p;
	struct hh_principal *w = c->out;
	struct hh_store *st = tx->store;
	unsigned char hash[32];
	struct hh_org org;
	enum hh_rc rc;

	if (c->kind == HH_CRED_CITIZEN_SESSION)
		return resolve_citizen(tx, c);
	hh_auth_token_hash(c->token, hash);
	if (c->kind == HH_CRED_BEARER) {
		struct hh_api_token t;
		rc = st->token_get(tx, c->a, hash, &t);
		if (rc != HH_OK || t.revoked)
			return rc == HH_OK ? HH_ERR_NOT_FOUND : rc;
		rc = st->org_get(tx, c->a, t.org_id, &org);
		if (rc != HH_OK)
			return rc;
		w->kind = HH_TOKEN;
		w->token_id = t.id;
		w->roles = t.roles;
		w->name = t.name;
		w->actor = hh_arena_printf(c->a, "token:%lld", (long long)t.id);
	} else {
		struct hh_session s;
		struct hh_user u;
		rc = st->session_get(tx, c->a, hash, &s);
		if (rc != HH_OK)
			return rc;
		int64_t now = hh_now_us() / 1000000;
		if (s.expires_at < now || s.last_seen + HH_SESSION_IDLE < now)
			return HH_ERR_NOT_FOUND;
		c->last_seen = s.last_seen;
		rc = st->user_get(tx, c->a, s.user_id, &u);
		if (rc != HH_OK || u.disabled)
			return rc == HH_OK ? HH_ERR_NOT_FOUND : rc;
		rc = st->org_get(tx, c->a, u.org_id, &org);
		if (rc != HH_OK)
			return rc;
		w->kind = HH_USER;
		w->user_id = u.id;
		w->roles = u.roles;
		w->name = u.name;
		w->email = u.email;
		w->csrf = s.csrf;
		w->oidc = s.oidc_subject != NULL;
		w->actor = hh_arena_printf(c->a, "user:%lld", (long long)u.id);
	}
	w->org_id = org.id;
	w->org_code = org.code;
	w->org_is_municipality = org.kind == HH_ORG_MUNICIPALITY;
	return HH_OK;
}

struct touch_ctx {
	enum hh_credential kind;
	unsigned char hash[32];
};

static enum hh_rc touch_tx(struct hh_tx *tx, void *p)
{
	struct touch_ctx *t = p;
	int64_t now = hh_now_us() / 1000000;
	return t->kind == HH_CRED_CITIZEN_SESSION
		       ? tx->store->citizen_session_touch(tx, t->hash, now)
		       : tx->store->session_touch(tx, t->hash, now);
}

enum hh_rc hh_principal_resolve(struct hh_store *st, struct hh_arena *a,
				enum hh_credential kind, const char *token,
				struct hh_principal *out)
{
	memset(out, 0, sizeof(*out));
	if (!token || strlen(token) != HH_TOKEN_CHARS - 1)
		return HH_ERR_NOT_FOUND;
	struct resolve_ctx c = { a, kind, token, out, 0 };
	enum hh_rc rc = hh_store_run_tx(st, 0, resolve_tx, &c);
	if (rc != HH_OK) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	if (kind != HH_CRED_BEARER &&
	    c.last_seen + HH_SESSION_TOUCH_EVERY <= hh_now_us() / 1000000) {
		/* The idle clock: at most one write a minute per session,
		 * outside the read. A failed touch only shortens the
		 * session, so it does not fail the request. */
		struct touch_ctx t = { kind, { 0 } };
		hh_auth_token_hash(token, t.hash);
		rc = hh_store_run_tx(st, 1, touch_tx, &t);
		if (rc != HH_OK)
			hh_log(HH_LOG_WARN, "session touch failed: %s",
			       hh_rc_name(rc));
	}
	return HH_OK;
}

void hh_actor_from(const struct hh_principal *p, struct hh_actor *out)
{
	memset(out, 0, sizeof(*out));
	if (p->kind == HH_ANON)
		return;
	out->label = p->actor;
	out->org_id = p->org_id;
	out->org_is_municipality = p->org_is_municipality;
	out->roles = p->roles;
	if (p->kind == HH_USER)
		out->user_id = p->user_id;
	if (p->kind == HH_CITIZEN) {
		out->org_id = 0; /* a citizen belongs to no organisation */
		out->roles = HH_ROLE_CITIZEN;
		out->citizen_id = p->citizen_id;
		out->municipality_id = p->municipality_id;
		out->loa = p->loa;
	}
}
