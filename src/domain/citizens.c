/* citizens.c - citizen sessions. */
#include "domain/citizens.h"

#include <string.h>

#include "core/util.h"
#include "domain/messages.h"
#include "domain/parties.h"

struct login_ctx {
	struct hh_arena *a;
	const struct hh_citizen_signin *in;
	const char *municipality_code;
	struct hh_citizen_login *out;
	unsigned char hash[32];
	int claimed; /* p-letters: party rows found by the CPR number */
};

static enum hh_rc login_tx(struct hh_tx *tx, void *p)
{
	struct login_ctx *c = p;
	struct hh_citizen *z = &c->out->citizen;
	z->municipality_id = 0;
	if (c->municipality_code) {
		struct hh_org o;
		enum hh_rc rc = tx->store->org_get_by_code(tx, c->a, c->municipality_code, &o);
		if (rc == HH_OK && o.kind == HH_ORG_MUNICIPALITY)
			z->municipality_id = o.id;
		else if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	enum hh_rc rc = tx->store->citizen_put(tx, z);
	if (rc != HH_OK)
		return rc;
	/* p-letters: invitations that waited for this person to be known,
	 * found by their CPR number's keyed hash */
	c->claimed = 0;
	if (c->in->cpr && (rc = hh_parties_claim_tx(tx, c->a, z->id, c->in->cpr,
						    &c->claimed)) != HH_OK)
		return rc;
	struct hh_citizen_session s = { .token_hash = c->hash, .citizen_id = z->id,
					.csrf = c->out->csrf,
					.created_at = hh_now_us() / 1000000,
					.loa = c->in->loa,
					.oidc_sid = c->in->oidc_sid,
					.oidc_subject = c->in->oidc_subject };
	s.expires_at = s.created_at + HH_CITIZEN_SESSION_TTL;
	rc = tx->store->citizen_session_purge(tx, s.created_at);
	if (rc == HH_OK)
		rc = tx->store->citizen_session_insert(tx, &s);
	if (rc == HH_OK) {
		struct hh_event e = { .actor = hh_arena_printf(c->a, "citizen:%lld",
							       (long long)z->id),
				      .entity = "citizen", .entity_id = z->id,
				      .action = "login" };
		rc = tx->store->event_append(tx, &e);
	}
	return rc;
}

enum hh_rc hh_citizen_login(struct hh_store *st, struct hh_arena *a,
			    const char *subject, const char *name,
			    const char *cpr, const char *municipality_code,
			    struct hh_citizen_login *out)
{
	struct hh_citizen_signin in = { .subject = subject, .name = name,
					.cpr = cpr,
					.municipality_code = municipality_code,
					.loa = HH_LOA_SUBSTANTIAL };
	return hh_citizen_signin(st, a, &in, out);
}

enum hh_rc hh_citizen_signin(struct hh_store *st, struct hh_arena *a,
			     const struct hh_citizen_signin *in,
			     struct hh_citizen_login *out)
{
	const char *subject = in->subject, *name = in->name;
	if (!subject || !*subject || strlen(subject) > 200 || !name || !*name ||
	    strlen(name) > 200 || !hh_utf8_valid(name, strlen(name)))
		return HH_ERR_INVALID;
	memset(out, 0, sizeof(*out));
	out->citizen.subject = subject;
	out->citizen.name = name;
	out->citizen.cpr = in->cpr;
	struct login_ctx c = { a, in, in->municipality_code, out, { 0 }, 0 };
	unsigned char unused[32];
	hh_auth_new_token(out->token, c.hash);
	hh_auth_new_token(out->csrf, unused);
	enum hh_rc rc = hh_store_run_tx(st, 1, login_tx, &c);
	if (rc == HH_OK && c.claimed)
		hh_messages_queued(st, 0); /* their invitation letters */
	return rc;
}

struct logout_ctx {
	unsigned char hash[32];
};

static enum hh_rc logout_tx(struct hh_tx *tx, void *p)
{
	struct logout_ctx *c = p;
	return tx->store->citizen_session_delete(tx, c->hash);
}

enum hh_rc hh_citizen_logout(struct hh_store *st, const char *token)
{
	struct logout_ctx c;
	hh_auth_token_hash(token, c.hash);
	return hh_store_run_tx(st, 1, logout_tx, &c);
}

enum hh_rc hh_citizen_session(struct hh_tx *tx, struct hh_arena *a,
			      const char *token, struct hh_citizen *out,
			      struct hh_citizen_session *s)
{
	unsigned char hash[32];
	hh_auth_token_hash(token, hash);
	enum hh_rc rc = tx->store->citizen_session_get(tx, a, hash, s);
	if (rc != HH_OK)
		return rc;
	int64_t now = hh_now_us() / 1000000;
	if (s->expires_at < now || s->last_seen + HH_CITIZEN_SESSION_IDLE < now)
		return HH_ERR_NOT_FOUND;
	return tx->store->citizen_get(tx, a, s->citizen_id, out);
}

struct demo_ctx {
	struct hh_arena *a;
	const char *subject;
	struct hh_citizen c;
	const char *muni_code;
};

static enum hh_rc demo_tx(struct hh_tx *tx, void *p)
{
	struct demo_ctx *d = p;
	enum hh_rc rc = tx->store->citizen_get_by_subject(tx, d->a, d->subject, &d->c);
	if (rc == HH_OK && d->c.municipality_id) {
		struct hh_org o;
		rc = tx->store->org_get(tx, d->a, d->c.municipality_id, &o);
		if (rc == HH_OK)
			d->muni_code = o.code;
	}
	return rc;
}

enum hh_rc hh_demo_citizen_login(struct hh_store *st, struct hh_arena *a,
				 const char *subject,
				 struct hh_citizen_login *out)
{
	if (strncmp(subject, "demo:", 5) != 0)
		return HH_ERR_NOT_FOUND;
	struct demo_ctx d = { .a = a, .subject = subject };
	enum hh_rc rc = hh_store_run_tx(st, 0, demo_tx, &d);
	if (rc != HH_OK)
		return rc;
	return hh_citizen_login(st, a, d.c.subject, d.c.name, d.c.cpr, d.muni_code,
				out);
}

struct demo_each_ctx {
	struct hh_arena *a;
	enum hh_rc (*cb)(void *ctx, const struct hh_citizen *z);
	void *ctx;
};

static enum hh_rc demo_each_tx(struct hh_tx *tx, void *p)
{
	struct demo_each_ctx *c = p;
	return tx->store->citizen_list(tx, c->a, "demo:", c->cb, c->ctx);
}

enum hh_rc hh_demo_citizen_each(struct hh_store *st, struct hh_arena *a,
				enum hh_rc (*cb)(void *ctx,
						 const struct hh_citizen *z),
				void *ctx)
{
	struct demo_each_ctx c = { a, cb, ctx };
	return hh_store_run_tx(st, 0, demo_each_tx, &c);
}
