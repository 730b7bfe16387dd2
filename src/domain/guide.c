/* guide.c - the life-event guides for a reader. */
#include "domain/guide.h"

#include <string.h>

#include "domain/access.h"
#include "domain/articles.h"

struct each_ctx {
	struct hh_arena *ar;
	struct hh_life_event *items;
	size_t n, cap;
};

static enum hh_rc keep_le(void *p, const struct hh_life_event *le)
{
	struct each_ctx *c = p;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct hh_life_event *items =
			hh_arena_alloc(c->ar, cap * sizeof(*items));
		if (c->n)
			memcpy(items, c->items, c->n * sizeof(*items));
		c->items = items;
		c->cap = cap;
	}
	c->items[c->n++] = *le;
	return HH_OK;
}

static enum hh_rc each_tx(struct hh_tx *tx, void *p)
{
	struct each_ctx *c = p;
	c->n = 0; /* a retry starts again */
	return tx->store->life_event_list(tx, c->ar, keep_le, c);
}

enum hh_rc hh_guide_each(struct hh_store *st, struct hh_arena *ar,
			 hh_life_event_cb cb, void *ctx)
{
	struct each_ctx c = { .ar = ar };
	enum hh_rc rc = hh_store_run_tx(st, 0, each_tx, &c);
	for (size_t i = 0; rc == HH_OK && i < c.n; i++)
		rc = cb(ctx, &c.items[i]);
	return rc;
}

struct get_ctx {
	const struct hh_actor *who;
	struct hh_arena *ar;
	int64_t muni_id;
	const char *slug;
	struct hh_life_event *le;
	int with_articles;
	struct hh_article *arts;
	size_t n, cap;
};

static void keep_article(struct get_ctx *c, const struct hh_article *a)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct hh_article *items = hh_arena_alloc(c->ar, cap * sizeof(*items));
		if (c->n)
			memcpy(items, c->arts, c->n * sizeof(*items));
		c->arts = items;
		c->cap = cap;
	}
	c->arts[c->n++] = *a;
}

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *c = p;
	c->n = 0;
	enum hh_rc rc = tx->store->life_event_get(tx, c->ar, c->slug, c->le);
	if (rc != HH_OK || !c->with_articles)
		return rc;
	json_error_t e;
	json_t *slugs = json_loads(c->le->articles ? c->le->articles : "[]", 0, &e);
	size_t i;
	json_t *s;
	json_array_foreach(slugs, i, s)
	{
		const char *slug = json_string_value(s);
		if (!slug)
			continue;
		struct hh_article a;
		rc = hh_article_resolve(tx, c->ar, c->who, c->muni_id, slug, &a);
		if (rc == HH_ERR_NOT_FOUND) {
			rc = HH_OK; /* archived, not imported, or not for who */
			continue;
		}
		if (rc != HH_OK)
			break;
		keep_article(c, &a);
	}
	json_decref(slugs);
	return rc;
}

enum hh_rc hh_guide_get(struct hh_store *st, const struct hh_actor *who,
			struct hh_arena *ar, int64_t muni_id, const char *slug,
			struct hh_life_event *out, hh_article_cb cb, void *ctx)
{
	struct get_ctx c = { .who = who, .ar = ar, .muni_id = muni_id,
			     .slug = slug, .le = out, .with_articles = cb != NULL };
	enum hh_rc rc = hh_store_run_tx(st, 0, get_tx, &c);
	for (size_t i = 0; rc == HH_OK && i < c.n; i++)
		rc = cb(ctx, &c.arts[i]);
	return rc;
}

struct same_ctx {
	struct hh_arena *ar;
	int64_t citizen_id;
	const char *slug;
	json_t *answers;
	int64_t found;
};

static enum hh_rc same_row(void *p, const struct hh_plan *pl)
{
	struct same_ctx *c = p;
	if (c->found || !pl->life_event_slug || strcmp(pl->life_event_slug, c->slug))
		return HH_OK;
	json_error_t e;
	json_t *have = json_loads(pl->answers ? pl->answers : "{}", 0, &e);
	if (have && json_equal(have, c->answers))
		c->found = pl->id;
	json_decref(have);
	return HH_OK;
}

static enum hh_rc same_tx(struct hh_tx *tx, void *p)
{
	struct same_ctx *c = p;
	c->found = 0;
	return tx->store->plan_list(tx, c->ar, c->citizen_id, same_row, c);
}

enum hh_rc hh_guide_same_plan(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *ar, const char *slug,
			      json_t *answers, int64_t *plan_id)
{
	*plan_id = 0;
	/* the citizen's own plans, and nobody else's */
	if (hh_access_scope(who, HH_RES_PLAN, HH_ACT_READ) !=
		    HH_SCOPE_OWN_CITIZEN ||
	    !who->citizen_id)
		return HH_ERR_FORBIDDEN;
	struct same_ctx c = { ar, who->citizen_id, slug, answers, 0 };
	enum hh_rc rc = hh_store_run_tx(st, 0, same_tx, &c);
	if (rc == HH_OK)
		*plan_id = c.found;
	return rc;
}
