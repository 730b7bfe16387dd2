/* queue.c - the list of cases, scoped by the access table (queue.h). */
#include "domain/queue.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/util.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/casetools.h"
#include "domain/cpr.h"
#include "domain/vault.h"

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
	int64_t cpr_citizen;      /* a CPR look-up found this citizen */
	int none;                 /* the search can find nothing */
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
	if (c->cpr_citizen) {
		struct hh_audit e = { .actor = c->who->label,
				      .citizen_id = c->cpr_citizen,
				      .what = "opslag på CPR-nummer i sager",
				      .why = "sagsbehandling" };
		enum hh_rc rc = tx->store->audit_append(tx, &e);
		if (rc != HH_OK)
			return rc;
	}
	if (c->none) {
		if (c->total)
			*c->total = 0;
		return HH_OK;
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

/* ---- casework tools: stages and finding a case ------------------------ */

struct stage_ctx {
	struct hh_arena *a;
	enum hh_stage stage;
	json_t *states;
};

static enum hh_rc stage_type(void *p, const struct hh_case_type *ct)
{
	struct stage_ctx *x = p;
	struct hh_case_type_def def;
	char err[200];
	if (hh_case_type_def_parse(ct->definition, &def, err, sizeof(err)) != HH_OK)
		return HH_OK;
	for (int i = 0; i < def.n_states; i++) {
		if (hh_case_stage(&def, &def.states[i]) != x->stage)
			continue;
		size_t j;
		json_t *v;
		int seen = 0;
		json_array_foreach(x->states, j, v)
			seen |= !strcmp(json_string_value(v), def.states[i].key);
		if (!seen)
			json_array_append_new(x->states, json_string(def.states[i].key));
	}
	hh_case_type_def_clear(&def);
	return HH_OK;
}

static enum hh_rc stage_tx(struct hh_tx *tx, void *p)
{
	struct stage_ctx *x = p;
	json_array_clear(x->states);
	return tx->store->case_type_list(tx, x->a, 0, stage_type, x);
}

/* The state keys of a stage across the case types, as a JSON array in a.
 * (A key is taken in the stage it has in any case type; the content uses
 * each key in one stage.) */
static enum hh_rc stage_states(struct hh_store *st, struct hh_arena *a,
			       enum hh_stage stage, const char **out)
{
	struct stage_ctx x = { a, stage, json_array() };
	enum hh_rc rc = hh_store_run_tx(st, 0, stage_tx, &x);
	if (rc == HH_OK) {
		char *s = json_dumps(x.states, JSON_COMPACT);
		*out = hh_arena_strdup(a, s ? s : "[]");
		free(s);
	}
	json_decref(x.states);
	return rc;
}

/* s case-folded, accents stripped, NFC (malloc'd; NULL when not UTF-8). */
static char *fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map(
		(const utf8proc_uint8_t *)s, 0, &out,
		UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
			UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
	return n < 0 ? NULL : (char *)out;
}

#define NAME_WORDS 6
#define NAME_HITS 1000 /* citizens one name search narrows to */

struct name_ctx {
	struct hh_arena *a;
	char *words[NAME_WORDS];
	int n_words;
	json_t *ids;
};

static enum hh_rc name_row(void *p, const struct hh_citizen *z)
{
	struct name_ctx *x = p;
	if (json_array_size(x->ids) >= NAME_HITS || !z->name)
		return HH_OK;
	/* a name in plain ASCII folds to its lower case: no need for
	 * utf8proc (most names; a search reads every citizen's) */
	char low[128];
	size_t n = 0;
	const unsigned char *c = (const unsigned char *)z->name;
	for (; *c && *c < 0x80 && n < sizeof(low) - 1; c++)
		low[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	low[n] = 0;
	char *f = *c ? fold(z->name) : low;
	int hit = f != NULL;
	for (int i = 0; hit && i < x->n_words; i++)
		hit = strstr(f, x->words[i]) != NULL;
	if (f != low)
		free(f);
	if (hit)
		json_array_append_new(x->ids, json_integer(z->id));
	return HH_OK;
}

static enum hh_rc name_tx(struct hh_tx *tx, void *p)
{
	struct name_ctx *x = p;
	json_array_clear(x->ids);
	/* every citizen: a case may be at an agency, whose citizens live in
	 * every municipality; the cases are then scoped to the caller */
	return tx->store->citizen_search(tx, x->a, 0, name_row, x);
}

/* The citizens whose names hold every word of name, as a JSON array
 * (text in a), or NULL in *out when none does. */
static enum hh_rc name_citizens(struct hh_store *st, struct hh_arena *a,
				const char *name, const char **out)
{
	*out = NULL;
	struct name_ctx x = { .a = a, .ids = json_array() };
	char *f = fold(name);
	if (!f) {
		json_decref(x.ids);
		return HH_ERR_INVALID;
	}
	char *save = NULL;
	for (char *w = strtok_r(f, " \t-.,", &save); w && x.n_words < NAME_WORDS;
	     w = strtok_r(NULL, " \t-.,", &save))
		x.words[x.n_words++] = hh_arena_strdup(a, w);
	free(f);
	enum hh_rc rc = x.n_words ? hh_store_run_tx(st, 0, name_tx, &x) : HH_OK;
	if (rc == HH_OK && json_array_size(x.ids)) {
		char *s = json_dumps(x.ids, JSON_COMPACT);
		*out = hh_arena_strdup(a, s);
		free(s);
	}
	json_decref(x.ids);
	return rc;
}

/* Applies q->find to c (see queue.h). */
static enum hh_rc find(struct hh_store *st, struct hh_arena *a, const char *q,
		       struct queue_ctx *c)
{
	size_t len = strlen(q);
	if (len > 100 || !hh_utf8_valid(q, len))
		return HH_ERR_INVALID;
	while (*q == ' ')
		q++;
	char *t = hh_arena_strdup(a, q);
	for (size_t n = strlen(t); n && t[n - 1] == ' '; n--)
		t[n - 1] = 0;
	if (!*t)
		return HH_OK;
	char norm[12];
	enum hh_cpr_check k = hh_cpr_check(t, norm, NULL, 0);
	if (k == HH_CPR_OK || k == HH_CPR_OK_NO_MOD11) {
		struct hh_citizen z;
		enum hh_rc rc = hh_vault_citizen_by_cpr(st, a, norm, &z);
		if (rc == HH_ERR_NOT_FOUND || rc == HH_ERR_INVALID) {
			c->none = 1; /* no citizen: nothing to audit */
			return HH_OK;
		}
		if (rc != HH_OK)
			return rc;
		c->cpr_citizen = z.id;
		c->f.citizen_ids = hh_arena_printf(a, "[%lld]", (long long)z.id);
		return HH_OK;
	}
	if (hh_journal_like(t)) {
		c->f.journal_prefix = t;
		return HH_OK;
	}
	enum hh_rc rc = name_citizens(st, a, t, &c->f.citizen_ids);
	if (rc == HH_OK && !c->f.citizen_ids)
		c->none = 1;
	return rc;
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
	c.f.assigned_team = q->team && *q->team ? q->team : NULL;
	if (q->stage && *q->stage) {
		enum hh_stage sg = hh_stage_parse(q->stage);
		if (sg == HH_STAGE_NONE)
			return HH_ERR_INVALID;
		rc = stage_states(st, a, sg, &c.f.states);
		if (rc != HH_OK)
			return rc;
		/* the closed stages have only closed cases */
		if (q->open < 0 && (sg == HH_STAGE_DECIDED || sg == HH_STAGE_CLOSED))
			c.f.open_only = 0;
	}
	if (q->find && *q->find) {
		/* a search looks at every case, open or closed, unless the
		 * caller asked for open ones */
		if (q->open < 0)
			c.f.open_only = 0;
		rc = find(st, a, q->find, &c);
		if (rc != HH_OK)
			return rc;
	}
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
