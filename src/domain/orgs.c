/* orgs.c - organisations as everybody may read them. */
#include "domain/orgs.h"

enum hh_rc hh_org_by_code(struct hh_store *st, struct hh_arena *a,
			  const char *code, struct hh_org *out)
{
	return hh_store_org_by_code(st, a, code, out);
}

struct each_ctx {
	struct hh_arena *a;
	hh_org_cb cb;
	void *ctx;
};

static enum hh_rc each_tx(struct hh_tx *tx, void *p)
{
	struct each_ctx *c = p;
	return tx->store->org_list(tx, c->a, c->cb, c->ctx);
}

enum hh_rc hh_org_each(struct hh_store *st, struct hh_arena *a,
		       hh_org_cb cb, void *ctx)
{
	struct each_ctx c = { a, cb, ctx };
	return hh_store_run_tx(st, 0, each_tx, &c);
}
