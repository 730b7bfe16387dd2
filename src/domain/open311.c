/* open311.c - the store reads behind Open311's door. */
#include "domain/open311.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/auth.h"
#include "domain/orgs.h"

/* ---- the catalogue ------------------------------------------------------ */

static void catalogue_reset(struct hh_o311_catalogue *c)
{
	for (int i = 0; i < c->n; i++)
		hh_case_type_def_clear(&c->v[i].def);
	c->n = 0;
}

static void catalogue_free(void *p)
{
	struct hh_o311_catalogue *c = p;
	catalogue_reset(c);
	free(c->v);
	c->v = NULL;
}

/* Does the form need a file whatever the other answers are? GeoReport v2
 * has no upload, so such a service cannot be requested. */
static int needs_file(const struct hh_form *form)
{
	for (int i = 0; i < form->n_fields; i++) {
		const struct hh_form_field *f = &form->fields[i];
		if (f->type == HH_FIELD_FILE && f->required && !f->when.n_terms)
			return 1;
	}
	return 0;
}

struct cat_row_ctx {
	struct hh_o311_catalogue *c;
	struct hh_tx *tx;
};

static enum hh_rc cat_row(void *p, const struct hh_case_type *ct)
{
	struct cat_row_ctx *x = p;
	struct hh_o311_catalogue *c = x->c;
	struct hh_o311_service s = { .row = *ct };
	char err[256];
	if (hh_case_type_def_parse(ct->definition, &s.def, err, sizeof(err)) != HH_OK) {
		hh_log_bug("case type %s in the store is broken: %s", ct->code, err);
		return HH_OK; /* one broken case type hides only itself */
	}
	if (strcmp(ct->organisation, "municipality")) {
		struct hh_org o;
		enum hh_rc rc = x->tx->store->org_get_by_code(x->tx, c->a,
							      ct->organisation, &o);
		if (rc != HH_OK && rc != HH_ERR_NOT_FOUND) {
			hh_case_type_def_clear(&s.def);
			return rc;
		}
		s.org_name = rc == HH_OK ? o.name : ct->organisation;
		s.org_id = rc == HH_OK ? o.id : 0;
	}
	s.offered = !needs_file(&s.def.form_def);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = hh_xrealloc(c->v, (size_t)c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = s;
	return HH_OK;
}

static enum hh_rc catalogue_tx(struct hh_tx *tx, void *p)
{
	struct hh_o311_catalogue *c = p;
	struct cat_row_ctx x = { c, tx };
	catalogue_reset(c);
	if (!c->only)
		return tx->store->case_type_list(tx, c->a, 1, cat_row, &x);
	struct hh_case_type ct;
	enum hh_rc rc = tx->store->case_type_get_by_code(tx, c->a, c->only, &ct);
	if (rc == HH_OK && !ct.public)
		return HH_ERR_NOT_FOUND;
	return rc == HH_OK ? cat_row(&x, &ct) : rc;
}

enum hh_rc hh_o311_catalogue_load(struct hh_store *st, struct hh_arena *a,
				const char *only, struct hh_o311_catalogue **out)
{
	struct hh_o311_catalogue *c = hh_arena_calloc(a, sizeof(*c));
	c->a = a;
	c->only = only;
	hh_arena_defer(a, catalogue_free, c);
	*out = c;
	enum hh_rc rc = hh_store_run_tx(st, 0, catalogue_tx, c);
	if (rc == HH_OK && only && !c->n)
		rc = HH_ERR_NOT_FOUND; /* broken in the store: hidden */
	return rc;
}

const struct hh_o311_service *hh_o311_service_of(const struct hh_o311_catalogue *c,
						    int64_t case_type_id)
{
	for (int i = 0; i < c->n; i++)
		if (c->v[i].row.id == case_type_id)
			return &c->v[i];
	return NULL;
}

/* ---- the key ------------------------------------------------------------ */

enum hh_rc hh_o311_key(struct hh_store *st, struct hh_arena *a,
			  const char *api_key, struct hh_principal *who,
			  struct hh_org *org)
{
	if (!api_key || strlen(api_key) != HH_TOKEN_CHARS - 1)
		return HH_ERR_NOT_FOUND;
	enum hh_rc rc = hh_principal_resolve(st, a, HH_CRED_BEARER, api_key, who);
	if (rc != HH_OK)
		return rc;
	if (who->kind != HH_TOKEN)
		return HH_ERR_NOT_FOUND;
	struct hh_actor actor;
	hh_actor_from(who, &actor);
	rc = hh_access(&actor, HH_RES_OPEN311_REQUEST, HH_ACT_CREATE, NULL);
	if (rc != HH_OK)
		return HH_ERR_FORBIDDEN;
	rc = hh_org_by_code(st, a, who->org_code, org);
	/* a token's organisation is there: the store's foreign key */
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_INTERNAL : rc;
}

enum hh_rc hh_o311_may_create(const struct hh_actor *who,
			      const struct hh_o311_service *s,
			      const struct hh_org *key_org, int64_t *dest_org_id)
{
	*dest_org_id = 0;
	int64_t dest = strcmp(s->def.organisation, "municipality")
			       ? s->org_id
			       : (key_org->kind == HH_ORG_MUNICIPALITY ? key_org->id : 0);
	if (!dest)
		return HH_ERR_FORBIDDEN; /* no municipality to send it to */
	struct hh_owner o = { dest, 0 };
	enum hh_rc rc = hh_access(who, HH_RES_OPEN311_REQUEST, HH_ACT_CREATE, &o);
	if (rc != HH_OK)
		return HH_ERR_FORBIDDEN; /* anyone may read requests: never hidden */
	*dest_org_id = dest;
	return HH_OK;
}

int hh_o311_id_ok(const char *s)
{
	size_t n = 0;
	for (; s && s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 24;
}

/* ---- requests ----------------------------------------------------------- */

struct list_ctx {
	struct hh_arena *a;
	const struct hh_o311_catalogue *cat;
	const struct hh_o311_query *q;
	struct hh_o311_request *v; /* heap, grown; freed with the arena */
	int n, cap, stopped;
};

/* A service request anyone may see: made without a citizen (a citizen's
 * own application is personal data), of a public case type; in a list
 * (by_id 0) not of a personal service either. */
static const struct hh_o311_service *visible(const struct hh_o311_catalogue *cat,
					     const struct hh_case *c, int by_id)
{
	if (c->citizen_id)
		return NULL;
	const struct hh_o311_service *s = hh_o311_service_of(cat, c->case_type_id);
	return s && (by_id || !s->def.personal) ? s : NULL;
}

static void add(struct list_ctx *x, const struct hh_case *c,
		const struct hh_o311_service *s)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 16;
		x->v = hh_xrealloc(x->v, (size_t)x->cap * sizeof(*x->v));
	}
	x->v[x->n].c = *c;
	x->v[x->n].s = s;
	x->v[x->n].personal = s->def.personal;
	x->n++;
}

/* The one case with public id q->ids[i], when visible by its id. */
static enum hh_rc id_row(void *p, const struct hh_case *c)
{
	struct list_ctx *x = p;
	const struct hh_o311_service *s = visible(x->cat, c, 1);
	if (s && x->n < x->q->max)
		add(x, c, s);
	return HH_OK;
}

/* Rows come newest first (by id, which follows the time of creation but
 * for a clock set back), so a row a day older than the range ends the
 * list; so does the cap. Ending is a CONFLICT that list_tx takes back. */
static enum hh_rc list_row(void *p, const struct hh_case *c)
{
	struct list_ctx *x = p;
	const struct hh_o311_query *q = x->q;
	if (c->created_at < q->start - 86400) {
		x->stopped = 1;
		return HH_ERR_CONFLICT;
	}
	const struct hh_o311_service *s = visible(x->cat, c, 0);
	if (!s || c->created_at < q->start || c->created_at > q->end ||
	    (c->closed_at ? !q->want_closed : !q->want_open))
		return HH_OK;
	add(x, c, s);
	if (x->n >= q->max) {
		x->stopped = 1;
		return HH_ERR_CONFLICT;
	}
	return HH_OK;
}

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *x = p;
	const struct hh_o311_query *q = x->q;
	x->n = 0; /* a retried transaction starts over */
	x->stopped = 0;
	if (q->ids) {
		for (int i = 0; i < q->n_ids && x->n < q->max; i++) {
			if (!hh_o311_id_ok(q->ids[i]))
				continue; /* never a case's own (counted) id */
			struct hh_case_filter f = { .public_id = q->ids[i] };
			enum hh_rc rc = tx->store->case_list(tx, x->a, &f, 0, 1, NULL,
							     id_row, x);
			if (rc != HH_OK)
				return rc;
		}
		return HH_OK;
	}
	enum hh_rc rc = tx->store->case_list(tx, x->a, &q->f, 0, 0, NULL, list_row, x);
	return rc == HH_ERR_CONFLICT && x->stopped ? HH_OK : rc;
}

enum hh_rc hh_o311_requests_find(struct hh_store *st, struct hh_arena *a,
			       const struct hh_actor *who,
			       const struct hh_o311_catalogue *cat,
			       const struct hh_o311_query *q,
			       struct hh_o311_request **out, int *n)
{
	*out = NULL;
	*n = 0;
	enum hh_rc rc = hh_access(who, HH_RES_OPEN311_REQUEST, HH_ACT_READ, NULL);
	if (rc != HH_OK)
		return rc;
	if (q->max <= 0)
		return HH_OK;
	struct list_ctx x = { .a = a, .cat = cat, .q = q };
	rc = hh_store_run_tx(st, 0, list_tx, &x);
	if (x.v)
		hh_arena_defer(a, free, x.v);
	if (rc != HH_OK)
		return rc;
	*out = x.v;
	*n = x.n;
	return HH_OK;
}
