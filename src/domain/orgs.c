/* orgs.c - organisations as everybody may read them. */
#include "domain/orgs.h"

#include <string.h>

enum hh_rc hh_org_by_code(struct hh_store *st, struct hh_arena *a,
			  const char *code, struct hh_org *out)
{
	return hh_store_org_by_code(st, a, code, out);
}

struct each_ctx {
	struct hh_arena *a;
	struct hh_org *items;
	size_t n, cap;
};

static enum hh_rc keep_org(void *p, const struct hh_org *o)
{
	struct each_ctx *c = p;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 128;
		struct hh_org *items = hh_arena_alloc(c->a, cap * sizeof(*items));
		if (c->n)
			memcpy(items, c->items, c->n * sizeof(*items));
		c->items = items;
		c->cap = cap;
	}
	c->items[c->n++] = *o;
	return HH_OK;
}

static enum hh_rc each_tx(struct hh_tx *tx, void *p)
{
	struct each_ctx *c = p;
	c->n = 0; /* a retry starts again */
	return tx->store->org_list(tx, c->a, keep_org, c);
}

/* The rows are handed on after the transaction, so that a retried one
 * never hands a row twice. */
enum hh_rc hh_org_each(struct hh_store *st, struct hh_arena *a,
		       hh_org_cb cb, void *ctx)
{
	struct each_ctx c = { .a = a };
	enum hh_rc rc = hh_store_run_tx(st, 0, each_tx, &c);
	for (size_t i = 0; rc == HH_OK && i < c.n; i++)
		rc = cb(ctx, &c.items[i]);
	return rc;
}
