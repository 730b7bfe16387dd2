/* searchfeed.c - the search index fed from the store: built at start-up,
 * and kept current as a subscriber of the store's change callbacks.
 *
 * The index (src/search/) knows documents, not the store; reading the
 * store is the domain's, so the feeding lives here. */
#include "domain/searchfeed.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"

struct build_ctx {
	struct hh_index *idx;
	struct hh_arena *a;
	int64_t agencies[64];
	int n_agencies;
};

static int is_agency(const struct build_ctx *c, int64_t org)
{
	for (int i = 0; i < c->n_agencies; i++)
		if (c->agencies[i] == org)
			return 1;
	return 0;
}

static enum hh_rc build_org(void *p, const struct hh_org *o)
{
	struct build_ctx *c = p;
	if (o->kind == HH_ORG_AGENCY && c->n_agencies < 64)
		c->agencies[c->n_agencies++] = o->id;
	return HH_OK;
}

static enum hh_rc build_article(void *p, const struct hh_article *a)
{
	struct build_ctx *c = p;
	if (a->status != HH_STATUS_ARCHIVED)
		hh_index_put(c->idx, a, a->org_id && is_agency(c, a->org_id));
	return HH_OK;
}

static enum hh_rc build_chosen(void *p, int64_t article_id, int64_t n)
{
	struct build_ctx *c = p;
	hh_index_chosen(c->idx, article_id, n);
	return HH_OK;
}

static enum hh_rc build_tx(struct hh_tx *tx, void *p)
{
	struct build_ctx *c = p;
	struct hh_article_filter f = { 0 };
	c->n_agencies = 0;
	enum hh_rc rc = tx->store->org_list(tx, c->a, build_org, c);
	if (rc == HH_OK)
		rc = tx->store->article_list(tx, c->a, &f, 0, 0, NULL,
					     build_article, c);
	/* how often each article was chosen from results, for ranking */
	if (rc == HH_OK)
		rc = tx->store->search_chosen_counts(tx, build_chosen, c);
	return rc;
}

enum hh_rc hh_index_build(struct hh_index *idx, struct hh_store *st)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct build_ctx c = { .idx = idx, .a = &a };
	enum hh_rc rc = hh_store_run_tx(st, 0, build_tx, &c);
	hh_arena_clear(&a);
	hh_index_settle(idx); /* norms with the final average lengths */
	/* The rows read for the build are freed now; give the pages back so
	 * the resident size is the index, not the build's peak. */
	malloc_trim(0);
	return rc;
}

struct refresh_ctx {
	struct hh_arena *a;
	int64_t id;
	struct hh_article art;
	int agency;
};

static enum hh_rc refresh_tx(struct hh_tx *tx, void *p)
{
	struct refresh_ctx *c = p;
	enum hh_rc rc = tx->store->article_get_by_id(tx, c->a, c->id, &c->art);
	if (rc != HH_OK || !c->art.org_id)
		return rc;
	struct hh_org o;
	rc = tx->store->org_get(tx, c->a, c->art.org_id, &o);
	c->agency = rc == HH_OK && o.kind == HH_ORG_AGENCY;
	return rc;
}

enum hh_rc hh_index_refresh(struct hh_index *idx, struct hh_store *st,
			    int64_t id)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct refresh_ctx c = { .a = &a, .id = id };
	enum hh_rc rc = hh_store_run_tx(st, 0, refresh_tx, &c);
	if (rc == HH_OK)
		hh_index_put(idx, &c.art, c.agency);
	else if (rc == HH_ERR_NOT_FOUND)
		hh_index_remove(idx, id), rc = HH_OK;
	hh_arena_clear(&a);
	return rc;
}

struct hh_index_follower {
	struct hh_index *idx;
	struct hh_store *st;
};

static void on_change(void *cls, const struct hh_change *c)
{
	struct hh_index_follower *f = cls;
	if (strcmp(c->entity, "article") != 0)
		return;
	enum hh_rc rc = hh_index_refresh(f->idx, f->st, c->id);
	if (rc != HH_OK)
		hh_log(HH_LOG_WARN,
		       "search index not refreshed for article %lld: %s",
		       (long long)c->id, hh_rc_name(rc));
}

enum hh_rc hh_index_follow(struct hh_index *idx, struct hh_store *st,
			   struct hh_index_follower **out)
{
	struct hh_index_follower *f = hh_xmalloc(sizeof(*f));
	f->idx = idx;
	f->st = st;
	enum hh_rc rc = hh_store_subscribe(st, on_change, f);
	if (rc != HH_OK) {
		free(f);
		return rc;
	}
	*out = f;
	return HH_OK;
}

void hh_index_unfollow(struct hh_index_follower *f)
{
	if (!f)
		return;
	hh_store_unsubscribe(f->st, on_change, f);
	free(f);
}
