/* queue.c - the list of cases, scoped by the access table (queue.h). */
#include "domain/queue.h"

#include <jansson.h>
#include <stdlib.h>

#include "core/util.h"
#include "domain/access.h"

struct queue_ctx {
	struct hh_arena *a;
	struct hh_case_filter f;
	const char *case_type;
	int64_t offset, limit, *total;
	hh_case_cb cb;
	void *ctx;
	/* staff listings: audited (one event per listing) */
	const struct hh_actor *who;
	const struct hh_queue_query *q;
	json_t *cases, *citizens; /* the listed cases and their citizens */
};

/* Each listed row: noted for the audit, then passed on. */
static enum hh_rc audited_row(void *p, const struct hh_case *k)
{
	struct queue_ctx *c = p;
	json_array_append_new(c->cases, json_integer(k->id));
	if (k->citizen_id)
		json_array_append_new(c->citizens, json_integer(k->citizen_id));
	return c->cb(c->ctx, k);
}

/* The audit event of a staff listing that showed citizens' names: who
 * listed which queue (the organisation's, with the filters), and which
 * cases and citizens it showed. One event per listing, not one per
 * citizen: a page of 50 cases is one look at a list. */
static enum hh_rc audit_listing(struct hh_tx *tx, struct queue_ctx *c)
{
	if (!json_array_size(c->citizens))
		return HH_OK; /* no names shown: nothing personal read */
	const struct hh_queue_query *q = c->q;
	json_t *after = json_pack(
		"{s:{s:s?, s:s?, s:b, s:I, s:i, s:s, s:I, s:I}, s:O, s:O}", "queue",
		"state", c->f.state, "case_type", c->case_type, "overdue",
		q->overdue != 0, "assigned_to", (json_int_t)q->assigned_to, "open",
		c->f.open_only, "sort", q->newest ? "newest" : "deadline", "offset",
		(json_int_t)c->offset, "limit", (json_int_t)c->limit, "cases", c->cases,
		"citizens", c->citizens);
	char *s = json_dumps(after, JSON_COMPACT);
	json_decref(after);
	struct hh_event e = { .actor = c->who->label ? c->who->label : "?",
			      .org_id = c->f.org_id, .entity = "case-queue",
			      .entity_id = c->f.org_id, .action = "list",
			      .after = s };
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(s);
	return rc;
}

static enum hh_rc queue_tx(struct hh_tx *tx, void *p)
{
	struct queue_ctx *c = p;
	if (c->cases) { /* a retried transaction starts over */
		json_array_clear(c->cases);
		json_array_clear(c->citizens);
	}
	if (c->case_type) {
		struct hh_case_type ct;
		enum hh_rc rc = tx->store->case_type_get_by_code(tx, c->a, c->case_type,
								 &ct);
		if (rc == HH_ERR_NOT_FOUND) {
			if (c->total)
				*c->total = 0;
			return HH_OK;
		}
		if (rc != HH_OK)
			return rc;
		c->f.case_type_id = ct.id;
	}
	if (!c->cases)
		return tx->store->case_list(tx, c->a, &c->f, c->offset, c->limit,
					    c->total, c->cb, c->ctx);
	enum hh_rc rc = tx->store->case_list(tx, c->a, &c->f, c->offset, c->limit,
					     c->total, audited_row, c);
	return rc == HH_OK ? audit_listing(tx, c) : rc;
}

enum hh_rc hh_case_queue(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who,
			 const struct hh_queue_query *q, int64_t *total,
			 hh_case_cb cb, void *ctx)
{
	if (total)
		*total = 0;
	enum hh_rc rc = hh_access(who, HH_RES_CASE_QUEUE, HH_ACT_READ, NULL);
	if (rc != HH_OK)
		return rc;
	struct queue_ctx c = { .a = a, .offset = q->offset,
			       .limit = q->limit > 0 ? q->limit : 50, .total = total,
			       .cb = cb, .ctx = ctx };
	switch (hh_access_scope(who, HH_RES_CASE_QUEUE, HH_ACT_READ)) {
	case HH_SCOPE_OWN_CITIZEN:
		/* a citizen's own cases: the staff filters do not apply */
		c.f.citizen_id = who->citizen_id;
		c.f.sort = HH_SORT_NEWEST;
		return hh_store_run_tx(st, 0, queue_tx, &c);
	case HH_SCOPE_OWN_ORG:
	case HH_SCOPE_OWN_ORG_SHARED:
		c.f.org_id = who->org_id; /* never another organisation's cases */
		break;
	case HH_SCOPE_ANY:
		break;
	case HH_SCOPE_NONE:
		return HH_ERR_FORBIDDEN;
	}
	c.f.state = q->state && *q->state ? q->state : NULL;
	c.f.open_only = q->open < 0 ? !c.f.state : q->open;
	c.f.assigned_to = q->assigned_to;
	if (q->overdue) {
		c.f.overdue_at = 1;
		c.f.now = hh_now_us() / 1000000;
	}
	c.f.sort = q->newest ? HH_SORT_NEWEST : HH_SORT_DEADLINE;
	c.case_type = q->case_type && *q->case_type ? q->case_type : NULL;
	/* staff see citizens' names in the list: an audited read, written
	 * in the same (write) transaction as the read */
	c.who = who;
	c.q = q;
	c.cases = json_array();
	c.citizens = json_array();
	rc = hh_store_run_tx(st, 1, queue_tx, &c);
	json_decref(c.cases);
	json_decref(c.citizens);
	return rc;
}
