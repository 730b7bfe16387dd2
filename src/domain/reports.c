/* reports.c - the report of searches that did not help. */
#include "domain/reports.h"

#include <string.h>

#include "core/util.h"
#include "domain/access.h"
#include "domain/searchlog.h"

struct report_ctx {
	struct hh_arena *ar;
	int64_t since;
	int limit;
	int64_t org_id; /* -1: every search */
	int unscoped;   /* also searches without a municipality */
	struct hh_search_report_row *rows;
	size_t n, cap;
};

static enum hh_rc keep_row(void *p, const struct hh_search_report_row *row)
{
	struct report_ctx *c = p;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct hh_search_report_row *rows =
			hh_arena_alloc(c->ar, cap * sizeof(*rows));
		if (c->n)
			memcpy(rows, c->rows, c->n * sizeof(*rows));
		c->rows = rows;
		c->cap = cap;
	}
	c->rows[c->n++] = *row;
	return HH_OK;
}

static enum hh_rc report_tx(struct hh_tx *tx, void *p)
{
	struct report_ctx *c = p;
	c->n = 0; /* a retry starts again */
	return tx->store->search_report(tx, c->ar, c->since, c->limit, c->org_id,
					c->unscoped, keep_row, c);
}

enum hh_rc hh_report_scope(const struct hh_actor *who, int64_t *org_id,
			   int *unscoped)
{
	*org_id = -1;
	*unscoped = 0;
	switch (hh_access_scope(who, HH_RES_SEARCH_REPORT, HH_ACT_READ)) {
	case HH_SCOPE_ANY:
		return HH_OK;
	case HH_SCOPE_OWN_ORG_SHARED:
		*unscoped = who->org_is_municipality;
		/* fall through */
	case HH_SCOPE_OWN_ORG:
		*org_id = who->org_id;
		return HH_OK;
	case HH_SCOPE_OWN_CITIZEN:
	case HH_SCOPE_NONE:
		break;
	}
	return HH_ERR_FORBIDDEN;
}

enum hh_rc hh_search_report(struct hh_store *st, const struct hh_actor *who,
			    struct hh_arena *ar, int days, int limit,
			    hh_report_cb cb, void *ctx)
{
	enum hh_rc rc = hh_access(who, HH_RES_SEARCH_REPORT, HH_ACT_READ, NULL);
	if (rc != HH_OK)
		return rc;
	/* what is queued counts too; if it cannot be written now, the
	 * report shows what is stored */
	hh_searchlog_flush(st);
	struct report_ctx c = { .ar = ar, .limit = limit, .org_id = -1,
				.since = hh_now_us() / 1000000 -
					 (int64_t)days * 86400 };
	/* whose searches: the access table's scope. An organisation's
	 * editors see the searches made in it; a municipality's also those
	 * made without one (the shared knowledge base, which they edit). An
	 * agency's editors see only searches scoped to the agency, which the
	 * public search does not make: their report is empty. */
	rc = hh_report_scope(who, &c.org_id, &c.unscoped);
	if (rc == HH_OK)
		rc = hh_store_run_tx(st, 0, report_tx, &c);
	for (size_t i = 0; rc == HH_OK && i < c.n; i++)
		rc = cb(ctx, &c.rows[i]);
	return rc;
}
