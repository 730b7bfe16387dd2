/* queue.c - the list of cases, scoped by the access table (queue.h). */
#include "domain/queue.h"

#include "core/util.h"
#include "domain/access.h"

struct queue_ctx {
	struct hh_arena *a;
	struct hh_case_filter f;
	const char *case_type;
	int64_t offset, limit, *total;
	hh_case_cb cb;
	void *ctx;
};

static enum hh_rc queue_tx(struct hh_tx *tx, void *p)
{
	struct queue_ctx *c = p;
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
	return tx->store->case_list(tx, c->a, &c->f, c->offset, c->limit, c->total,
				    c->cb, c->ctx);
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
	return hh_store_run_tx(st, 0, queue_tx, &c);
}
