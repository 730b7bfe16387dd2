/* catalogue.c - life events and case types as callers read them. */
#include "domain/catalogue.h"

#include "core/log.h"
#include "domain/access.h"
#include "domain/cases.h"

int hh_case_works(const struct hh_actor *who)
{
	enum hh_access_scope s = hh_access_scope(who, HH_RES_CASE_QUEUE, HH_ACT_READ);
	return s == HH_SCOPE_OWN_ORG || s == HH_SCOPE_OWN_ORG_SHARED ||
	       s == HH_SCOPE_ANY;
}

/* ---- life events ------------------------------------------------------ */

struct le_ctx {
	struct hh_arena *a;
	const char *slug;
	struct hh_life_event *out;
	hh_life_event_cb cb;
	void *ctx;
};

static enum hh_rc le_each_tx(struct hh_tx *tx, void *p)
{
	struct le_ctx *c = p;
	return tx->store->life_event_list(tx, c->a, c->cb, c->ctx);
}

static enum hh_rc le_get_tx(struct hh_tx *tx, void *p)
{
	struct le_ctx *c = p;
	return tx->store->life_event_get(tx, c->a, c->slug, c->out);
}

enum hh_rc hh_life_event_each(struct hh_store *st, struct hh_arena *a,
			      hh_life_event_cb cb, void *ctx)
{
	struct le_ctx c = { .a = a, .cb = cb, .ctx = ctx };
	return hh_store_run_tx(st, 0, le_each_tx, &c);
}

enum hh_rc hh_life_event_read(struct hh_store *st, struct hh_arena *a,
			      const char *slug, struct hh_life_event *out)
{
	struct le_ctx c = { .a = a, .slug = slug, .out = out };
	return hh_store_run_tx(st, 0, le_get_tx, &c);
}

/* ---- case types ------------------------------------------------------- */

struct ct_ctx {
	struct hh_arena *a;
	int public_only;
	const char *code;
	struct hh_case_type *out;
	hh_case_type_cb cb;
	void *ctx;
};

static enum hh_rc ct_each_tx(struct hh_tx *tx, void *p)
{
	struct ct_ctx *c = p;
	return tx->store->case_type_list(tx, c->a, c->public_only, c->cb, c->ctx);
}

static enum hh_rc ct_get_tx(struct hh_tx *tx, void *p)
{
	struct ct_ctx *c = p;
	enum hh_rc rc = tx->store->case_type_get_by_code(tx, c->a, c->code, c->out);
	if (rc == HH_OK && c->public_only && !c->out->public)
		return HH_ERR_NOT_FOUND; /* internal: not there for this caller */
	return rc;
}

enum hh_rc hh_case_type_each(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, hh_case_type_cb cb,
			     void *ctx)
{
	struct ct_ctx c = { .a = a, .public_only = !hh_case_works(who), .cb = cb,
			    .ctx = ctx };
	return hh_store_run_tx(st, 0, ct_each_tx, &c);
}

enum hh_rc hh_case_type_read(struct hh_store *st, struct hh_arena *a,
			     const struct hh_actor *who, const char *code,
			     struct hh_case_type *out)
{
	struct ct_ctx c = { .a = a, .public_only = !hh_case_works(who), .code = code,
			    .out = out };
	return hh_store_run_tx(st, 0, ct_get_tx, &c);
}

static void def_clear(void *p)
{
	hh_case_type_def_clear(p);
}

const struct hh_case_type_def *hh_ct_cache_get(struct hh_tx *tx,
					       struct hh_arena *a,
					       struct hh_ct_cache *c, int64_t id)
{
	for (int i = 0; i < c->n; i++)
		if (c->ids[i] == id)
			return c->defs[i];
	struct hh_case_type row;
	struct hh_case_type_def *def = hh_arena_calloc(a, sizeof(*def));
	if (hh_case_type_load(tx, a, NULL, id, &row, def) != HH_OK)
		return NULL;
	hh_arena_defer(a, def_clear, def);
	if (c->n < HH_CT_CACHE) {
		c->ids[c->n] = id;
		c->defs[c->n++] = def;
	}
	return def;
}
