/* desk.c - the agent's desk (Borgerservice); the rules are in desk.h. */
#include "domain/desk.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/cpr.h"
#include "domain/hours.h"
#include "domain/inquiries.h"
#include "domain/vault.h"

/* ---- who may find whom --------------------------------------------------- */

/* The owner of citizen z as the look-up rule sees it: a municipality's
 * desk serves its residents, an agency's serves everyone (its own
 * organisation stands for "anyone"). */
static struct hh_owner citizen_owner(const struct hh_actor *who,
				     const struct hh_citizen *z)
{
	struct hh_owner o = { .org_id = who->org_is_municipality ? z->municipality_id
								  : who->org_id };
	return o;
}

static int may_find(const struct hh_actor *who, const struct hh_citizen *z)
{
	struct hh_owner o = citizen_owner(who, z);
	return o.org_id &&
	       hh_access(who, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ, &o) == HH_OK;
}

static enum hh_rc audit(struct hh_tx *tx, const struct hh_actor *who,
			int64_t citizen_id, const char *what)
{
	struct hh_audit e = { .actor = who->label, .citizen_id = citizen_id,
			      .what = what, .why = "borgerservice" };
	return tx->store->audit_append(tx, &e);
}

/* ---- look-up ------------------------------------------------------------ */

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

#define WORDS_MAX 6

struct lookup {
	const struct hh_actor *who;
	struct hh_arena *a;
	char *words[WORDS_MAX];
	int n_words;
	struct hh_citizen found[HH_DESK_LOOKUP_MAX];
	int n, more;
	const char *cpr;         /* normalised, for the CPR look-up */
};

static enum hh_rc name_row(void *p, const struct hh_citizen *z)
{
	struct lookup *l = p;
	char *f = z->name ? fold(z->name) : NULL;
	int hit = f != NULL;
	for (int i = 0; hit && i < l->n_words; i++)
		hit = strstr(f, l->words[i]) != NULL;
	free(f);
	if (!hit || !may_find(l->who, z))
		return HH_OK;
	if (l->n == HH_DESK_LOOKUP_MAX) {
		l->more = 1;
		return HH_OK;
	}
	l->found[l->n].id = z->id;
	l->n++;
	return HH_OK;
}

static enum hh_rc name_scan_tx(struct hh_tx *tx, void *p)
{
	struct lookup *l = p;
	l->n = 0;
	l->more = 0;
	return tx->store->citizen_search(tx, l->a,
					 l->who->org_is_municipality ? l->who->org_id
								     : 0,
					 name_row, l);
}

/* Reads the found citizens in full (CPR opened by the vault) and audits
 * the look-up: the search itself, then each citizen shown. */
static enum hh_rc lookup_audit_tx(struct hh_tx *tx, void *p)
{
	struct lookup *l = p;
	enum hh_rc rc;
	for (int i = 0; i < l->n; i++) {
		rc = tx->store->citizen_get(tx, l->a, l->found[i].id, &l->found[i]);
		if (rc != HH_OK)
			return rc;
	}
	const char *how = l->cpr ? "CPR-nummer" : "navn";
	rc = audit(tx, l->who, 0,
		   hh_arena_printf(l->a, "opslag på %s%s%s%s: %d fundet%s", how,
				   l->cpr ? "" : " «", l->cpr ? "" : l->words[0],
				   l->cpr ? "" : (l->n_words > 1 ? " …»" : "»"), l->n,
				   l->more ? " (og flere)" : ""));
	for (int i = 0; rc == HH_OK && i < l->n; i++)
		rc = audit(tx, l->who, l->found[i].id,
			   hh_arena_printf(l->a, "fundet ved opslag på %s", how));
	return rc;
}

/* Splits and folds a name query into l->words; 0 when it is not one. */
static int name_words(struct lookup *l, const char *name)
{
	size_t len = strlen(name);
	if (!hh_utf8_valid(name, len) || len > 100)
		return 0;
	size_t letters = 0;
	for (const char *s = name; *s; s++) {
		if (*s >= '0' && *s <= '9')
			return 0; /* a number belongs in the CPR field, not
				     in the audit log */
		if (*s != ' ' && *s != '-' && *s != '.')
			letters++;
	}
	if (letters < HH_DESK_NAME_MIN)
		return 0;
	char *f = fold(name);
	if (!f)
		return 0;
	char *save = NULL;
	for (char *w = strtok_r(f, " \t-.,", &save); w && l->n_words < WORDS_MAX;
	     w = strtok_r(NULL, " \t-.,", &save))
		l->words[l->n_words++] = hh_arena_strdup(l->a, w);
	free(f);
	return l->n_words > 0;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

enum hh_rc hh_desk_lookup(struct hh_store *st, struct hh_arena *a,
			  const struct hh_actor *who, const char *cpr,
			  const char *name, hh_citizen_cb cb, void *ctx,
			  int *more, enum hh_desk_fault *fault)
{
	enum hh_rc rc;
	struct lookup *l = hh_arena_calloc(a, sizeof(*l));
	l->who = who;
	l->a = a;
	*more = 0;
	*fault = HH_DESK_FINE;
	if (!who->org_id ||
	    hh_access(who, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ, NULL) != HH_OK)
		return HH_ERR_FORBIDDEN;
	int by_cpr = !blank(cpr), by_name = !blank(name);
	if (by_cpr == by_name) {
		*fault = HH_DESK_QUERY;
		return HH_ERR_INVALID;
	}
	if (by_cpr) {
		char norm[12];
		enum hh_cpr_check c = hh_cpr_check(cpr, norm, NULL, 0);
		if (c != HH_CPR_OK && c != HH_CPR_OK_NO_MOD11) {
			*fault = HH_DESK_CPR;
			return HH_ERR_INVALID;
		}
		l->cpr = hh_arena_strdup(a, norm);
		struct hh_citizen z;
		rc = hh_vault_citizen_by_cpr(st, a, l->cpr, &z);
		if (rc == HH_OK && may_find(who, &z))
			l->found[l->n++].id = z.id;
		else if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
			return rc;
	} else {
		if (!name_words(l, name)) {
			*fault = HH_DESK_NAME;
			return HH_ERR_INVALID;
		}
		/* a scan of the municipality's citizens (all of them for an
		 * agency) with the name folded in C: names are few enough per
		 * look-up, and SQL's LIKE folds only a-z */
		rc = hh_store_run_tx(st, 0, name_scan_tx, l);
		if (rc != HH_OK)
			return rc;
	}
	rc = hh_store_run_tx(st, 1, lookup_audit_tx, l);
	if (rc != HH_OK)
		return rc;
	*more = l->more;
	for (int i = 0; rc == HH_OK && i < l->n; i++)
		rc = cb(ctx, &l->found[i]);
	return rc;
}

/* ---- history -------------------------------------------------------------- */

struct history {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t citizen_id;
	struct hh_citizen *z;
	struct hh_inquiry *inq;
	int n_inq;
	struct hh_case *cases;
	int n_cases;
};

#define HISTORY_MAX 50

static enum hh_rc history_inq(void *p, const struct hh_inquiry *q)
{
	struct history *h = p;
	if (h->n_inq < HISTORY_MAX)
		h->inq[h->n_inq++] = *q;
	return HH_OK;
}

static enum hh_rc history_case(void *p, const struct hh_case *c)
{
	struct history *h = p;
	struct hh_owner o = { c->org_id, c->citizen_id };
	if (h->n_cases < HISTORY_MAX &&
	    hh_access(h->who, HH_RES_CASE, HH_ACT_READ, &o) == HH_OK)
		h->cases[h->n_cases++] = *c;
	return HH_OK;
}

static enum hh_rc history_tx(struct hh_tx *tx, void *p)
{
	struct history *h = p;
	h->n_inq = h->n_cases = 0;
	enum hh_rc rc = tx->store->citizen_get(tx, h->a, h->citizen_id, h->z);
	if (rc == HH_OK && !may_find(h->who, h->z))
		rc = HH_ERR_NOT_FOUND;
	if (rc != HH_OK)
		return rc;
	struct hh_inquiry_filter f = { .org_id = h->who->org_id,
				       .citizen_id = h->citizen_id };
	rc = tx->store->inquiry_list(tx, h->a, &f, 0, HISTORY_MAX, NULL,
				     history_inq, h);
	if (rc != HH_OK)
		return rc;
	/* every authority's cases, those the caller may read kept; the
	 * newest first */
	struct hh_case_filter cf = { .citizen_id = h->citizen_id,
				     .sort = HH_SORT_NEWEST };
	rc = tx->store->case_list(tx, h->a, &cf, 0, 500, NULL, history_case, h);
	if (rc != HH_OK)
		return rc;
	return audit(tx, h->who, h->citizen_id,
		     hh_arena_printf(h->a, "historik ved borgerservice: %d "
					   "henvendelser, %d sager",
				     h->n_inq, h->n_cases));
}

enum hh_rc hh_desk_history(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t citizen_id,
			   struct hh_citizen *out, hh_inquiry_cb inq_cb,
			   hh_case_cb case_cb, void *ctx)
{
	if (!who->org_id ||
	    hh_access(who, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ, NULL) != HH_OK)
		return HH_ERR_FORBIDDEN;
	if (citizen_id <= 0)
		return HH_ERR_NOT_FOUND;
	struct history h = { .who = who, .a = a, .citizen_id = citizen_id,
			     .z = out };
	h.inq = hh_arena_alloc(a, HISTORY_MAX * sizeof(*h.inq));
	h.cases = hh_arena_alloc(a, HISTORY_MAX * sizeof(*h.cases));
	/* a write transaction: the read is audited */
	enum hh_rc rc = hh_store_run_tx(st, 1, history_tx, &h);
	for (int i = 0; rc == HH_OK && inq_cb && i < h.n_inq; i++)
		rc = inq_cb(ctx, &h.inq[i]);
	for (int i = 0; rc == HH_OK && case_cb && i < h.n_cases; i++)
		rc = case_cb(ctx, &h.cases[i]);
	return rc;
}

/* ---- answered with an article ----------------------------------------------- */

static char *state_json(const struct hh_inquiry *q)
{
	json_t *j = hh_inquiry_json(q);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

static enum hh_rc inquiry_event(struct hh_tx *tx, const char *actor,
				const struct hh_inquiry *q, const char *action,
				char *before, char *after)
{
	struct hh_event e = { .actor = actor, .org_id = q->org_id,
			      .entity = "inquiry", .entity_id = q->id,
			      .action = action, .before = before, .after = after };
	enum hh_rc rc = tx->store->event_append(tx, &e);
	free(before);
	free(after);
	return rc;
}

struct link {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id, expected, article_id;
	struct hh_inquiry *out;
	enum hh_desk_fault fault;
};

static enum hh_rc link_tx(struct hh_tx *tx, void *p)
{
	struct link *l = p;
	l->fault = HH_DESK_FINE;
	struct hh_inquiry *q = l->out;
	enum hh_rc rc = tx->store->inquiry_get(tx, l->a, l->id, q);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { q->org_id, q->citizen_id };
	rc = hh_access(l->who, HH_RES_INQUIRY, HH_ACT_CHANGE, &o);
	if (rc != HH_OK)
		return rc;
	if (q->version != l->expected)
		return HH_ERR_CONFLICT;
	struct hh_article art;
	rc = tx->store->article_get_by_id(tx, l->a, l->article_id, &art);
	if (rc == HH_ERR_NOT_FOUND ||
	    (rc == HH_OK && art.org_id && art.org_id != q->org_id)) {
		l->fault = HH_DESK_DETAIL;
		return HH_ERR_INVALID;
	}
	if (rc != HH_OK)
		return rc;
	char *before = state_json(q);
	q->article_id = l->article_id;
	rc = tx->store->inquiry_update(tx, q, l->expected);
	if (rc != HH_OK) {
		free(before);
		return rc;
	}
	rc = inquiry_event(tx, l->who->label, q, "article", before, state_json(q));
	if (rc == HH_OK)
		rc = tx->store->inquiry_get(tx, l->a, q->id, q);
	return rc;
}

enum hh_rc hh_desk_link_article(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who, int64_t id,
				int64_t expected_version, int64_t article_id,
				struct hh_inquiry *out,
				enum hh_desk_fault *fault)
{
	struct link l = { .who = who, .a = a, .id = id, .expected = expected_version,
			  .article_id = article_id, .out = out };
	enum hh_rc rc = HH_ERR_NOT_FOUND;
	if (id > 0 && article_id <= 0) {
		l.fault = HH_DESK_DETAIL;
		rc = HH_ERR_INVALID;
	} else if (id > 0) {
		rc = hh_store_run_tx(st, 1, link_tx, &l);
	}
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "inquiry", out->id,
							   out->org_id, "article" });
	*fault = l.fault;
	return rc;
}

struct count {
	int64_t article_id, answered, linked;
};

static enum hh_rc count_tx(struct hh_tx *tx, void *p)
{
	struct count *c = p;
	return tx->store->inquiry_article_count(tx, c->article_id, &c->answered,
						&c->linked);
}

enum hh_rc hh_desk_usefulness(struct hh_store *st, const struct hh_actor *who,
			      int64_t article_id, int64_t *answered,
			      int64_t *linked)
{
	*answered = *linked = 0;
	if (hh_access(who, HH_RES_ARTICLE_USEFULNESS, HH_ACT_READ, NULL) != HH_OK)
		return HH_ERR_FORBIDDEN;
	struct count c = { .article_id = article_id };
	enum hh_rc rc = hh_store_run_tx(st, 0, count_tx, &c);
	*answered = c.answered;
	*linked = c.linked;
	return rc;
}

struct top {
	const struct hh_actor *who;
	struct hh_arena *a;
	int limit, n;
	struct hh_article *arts;
	int64_t *answered, *linked;
	int64_t ids[200];
	int64_t ans[200], lnk[200];
	int n_ids;
};

static enum hh_rc top_row(void *p, int64_t article_id, int64_t answered,
			  int64_t linked)
{
	struct top *t = p;
	if (t->n_ids < 200) {
		t->ids[t->n_ids] = article_id;
		t->ans[t->n_ids] = answered;
		t->lnk[t->n_ids++] = linked;
	}
	return HH_OK;
}

static enum hh_rc top_tx(struct hh_tx *tx, void *p)
{
	struct top *t = p;
	t->n_ids = t->n = 0;
	enum hh_rc rc = tx->store->inquiry_article_top(tx, 200, top_row, t);
	for (int i = 0; rc == HH_OK && i < t->n_ids && t->n < t->limit; i++) {
		struct hh_article art;
		rc = tx->store->article_get_by_id(tx, t->a, t->ids[i], &art);
		if (rc == HH_ERR_NOT_FOUND) {
			rc = HH_OK;
			continue;
		}
		struct hh_owner o = { .org_id = art.org_id };
		if (rc == HH_OK && hh_access(t->who, HH_RES_ARTICLE_USEFULNESS,
					     HH_ACT_READ, &o) == HH_OK) {
			t->arts[t->n] = art;
			t->answered[t->n] = t->ans[i];
			t->linked[t->n++] = t->lnk[i];
		}
	}
	return rc;
}

enum hh_rc hh_desk_usefulness_top(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who, int limit,
				  enum hh_rc (*cb)(void *ctx,
						   const struct hh_article *art,
						   int64_t answered,
						   int64_t linked),
				  void *ctx)
{
	if (hh_access(who, HH_RES_ARTICLE_USEFULNESS, HH_ACT_READ, NULL) != HH_OK)
		return HH_ERR_FORBIDDEN;
	if (limit < 1 || limit > 100)
		limit = 20;
	struct top *t = hh_arena_calloc(a, sizeof(*t));
	t->who = who;
	t->a = a;
	t->limit = limit;
	t->arts = hh_arena_alloc(a, (size_t)limit * sizeof(*t->arts));
	t->answered = hh_arena_alloc(a, (size_t)limit * sizeof(int64_t));
	t->linked = hh_arena_alloc(a, (size_t)limit * sizeof(int64_t));
	enum hh_rc rc = hh_store_run_tx(st, 0, top_tx, t);
	for (int i = 0; rc == HH_OK && i < t->n; i++)
		rc = cb(ctx, &t->arts[i], t->answered[i], t->linked[i]);
	return rc;
}

/* ---- codes and callbacks ---------------------------------------------------- */

struct codes {
	const char *org_code;
	int64_t org_id;
	struct hh_arena *a;
	struct hh_inquiry_code *items;
	int n, cap;
};

static enum hh_rc code_row(void *p, const struct hh_inquiry_code *c)
{
	struct codes *k = p;
	if (k->n == k->cap) {
		int cap = k->cap ? k->cap * 2 : 32;
		struct hh_inquiry_code *n = hh_arena_alloc(k->a, (size_t)cap * sizeof(*n));
		if (k->n)
			memcpy(n, k->items, (size_t)k->n * sizeof(*n));
		k->items = n;
		k->cap = cap;
	}
	k->items[k->n++] = *c;
	return HH_OK;
}

static enum hh_rc codes_tx(struct hh_tx *tx, void *p)
{
	struct codes *k = p;
	k->n = 0;
	if (k->org_code) {
		struct hh_org o;
		enum hh_rc rc = tx->store->org_get_by_code(tx, k->a, k->org_code, &o);
		if (rc != HH_OK)
			return rc;
		k->org_id = o.id;
	}
	/* another organisation's reasons are its own business: only its
	 * teams are what one transfers to */
	return tx->store->inquiry_code_list(tx, k->a, k->org_id,
					    k->org_code ? "team" : NULL, code_row, k);
}

enum hh_rc hh_desk_codes(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who, const char *org_code,
			 enum hh_rc (*cb)(void *ctx,
					  const struct hh_inquiry_code *c),
			 void *ctx)
{
	if (!who->org_id ||
	    hh_access(who, HH_RES_INQUIRY, HH_ACT_CREATE, NULL) != HH_OK)
		return HH_ERR_FORBIDDEN;
	struct codes k = { .org_code = org_code, .org_id = who->org_id, .a = a };
	enum hh_rc rc = hh_store_run_tx(st, 0, codes_tx, &k);
	for (int i = 0; rc == HH_OK && i < k.n; i++)
		rc = cb(ctx, &k.items[i]);
	return rc;
}

void hh_desk_dk_day(int64_t now, int64_t *from, int64_t *to)
{
	int64_t local = hh_dk_local(now);
	int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	*from = hh_dk_instant(day, 0);
	*to = hh_dk_instant(day + 1, 0);
}

enum hh_rc hh_desk_callbacks_today(struct hh_store *st, struct hh_arena *a,
				   const struct hh_actor *who, int64_t now,
				   hh_inquiry_cb cb, void *ctx)
{
	int64_t from, to;
	hh_desk_dk_day(now ? now : hh_now_us() / 1000000, &from, &to);
	return hh_inquiry_callbacks_due(st, a, who, to, 0, HH_DESK_CALLBACKS_MAX,
					NULL, cb, ctx);
}

/* ---- assisted self-service ------------------------------------------------------ */

struct assist {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t citizen_id;
	struct hh_citizen z;
	const char *agent_name, *org_code, *org_name;
};

static enum hh_rc assist_tx(struct hh_tx *tx, void *p)
{
	struct assist *x = p;
	enum hh_rc rc = tx->store->citizen_get(tx, x->a, x->citizen_id, &x->z);
	if (rc == HH_OK && !may_find(x->who, &x->z))
		rc = HH_ERR_NOT_FOUND;
	if (rc != HH_OK)
		return rc;
	struct hh_org o;
	rc = tx->store->org_get(tx, x->a, x->who->org_id, &o);
	if (rc != HH_OK)
		return rc;
	x->org_code = o.code;
	x->org_name = o.name;
	x->agent_name = NULL;
	if (x->who->user_id) {
		struct hh_user u;
		rc = tx->store->user_get(tx, x->a, x->who->user_id, &u);
		if (rc == HH_OK)
			x->agent_name = u.name;
		else if (rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	return HH_OK;
}

enum hh_rc hh_desk_assisted_submit(struct hh_store *st, struct hh_arena *a,
				   const struct hh_actor *who,
				   int64_t citizen_id,
				   const struct hh_desk_assist *in,
				   struct hh_form_result *res,
				   struct hh_case *out, int *replayed,
				   enum hh_submit_fault *fault,
				   enum hh_desk_fault *dfault)
{
	*dfault = HH_DESK_FINE;
	*replayed = 0;
	if (fault)
		*fault = HH_SUBMIT_FINE;
	res->values = NULL;
	if (!who->org_id ||
	    hh_access(who, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ, NULL) != HH_OK)
		return HH_ERR_FORBIDDEN;
	if (citizen_id <= 0)
		return HH_ERR_NOT_FOUND;
	struct assist x = { .who = who, .a = a, .citizen_id = citizen_id };
	enum hh_rc rc = hh_store_run_tx(st, 0, assist_tx, &x);
	if (rc != HH_OK)
		return rc;
	if (!in->consent) {
		*dfault = HH_DESK_CONSENT;
		return HH_ERR_INVALID;
	}
	char iso[21];
	hh_time_iso(hh_now_us() / 1000000, iso);
	json_t *extra = json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "agent",
				  who->label, "agent_name",
				  x.agent_name ? x.agent_name : "", "organisation",
				  x.org_code ? x.org_code : "", "organisation_name",
				  x.org_name ? x.org_name : "", "consent", 1,
				  "consent_text", HH_DESK_CONSENT_TEXT, "at", iso);
	struct hh_submission sub = {
		.case_type = in->case_type,
		.citizen_id = citizen_id,
		.municipality_id = x.z.municipality_id,
		.values = in->values,
		.idem_scope = in->idem_key ? who->label : NULL,
		.idem_key = in->idem_key,
		.actor = who->label,
		.public_only = 1,
		.loa = HH_LOA_SUBSTANTIAL,
		.extra_key = HH_DESK_ASSISTED_KEY,
		.extra = extra,
	};
	const char *why = NULL;
	rc = hh_case_submit(st, a, &sub, res, out, replayed, &why, fault);
	json_decref(extra);
	return rc;
}

struct one {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	struct hh_citizen *out;
};

static enum hh_rc one_tx(struct hh_tx *tx, void *p)
{
	struct one *o = p;
	enum hh_rc rc = tx->store->citizen_get(tx, o->a, o->id, o->out);
	if (rc == HH_OK && !may_find(o->who, o->out))
		rc = HH_ERR_NOT_FOUND;
	if (rc == HH_OK)
		rc = audit(tx, o->who, o->id, "åbnet ved borgerservice for at udfylde "
					      "en blanket");
	return rc;
}

enum hh_rc hh_desk_citizen(struct hh_store *st, struct hh_arena *a,
			   const struct hh_actor *who, int64_t citizen_id,
			   struct hh_citizen *out)
{
	if (!who->org_id ||
	    hh_access(who, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ, NULL) != HH_OK)
		return HH_ERR_FORBIDDEN;
	if (citizen_id <= 0)
		return HH_ERR_NOT_FOUND;
	struct one o = { who, a, citizen_id, out };
	return hh_store_run_tx(st, 1, one_tx, &o);
}

int hh_desk_assisted_by(struct hh_arena *a, const char *data, const char **agent,
			const char **org)
{
	*agent = *org = NULL;
	if (!data || !strstr(data, HH_DESK_ASSISTED_KEY))
		return 0;
	json_error_t e;
	json_t *j = json_loads(data, 0, &e);
	json_t *x = json_object_get(j, HH_DESK_ASSISTED_KEY);
	int ok = json_is_object(x) && json_is_true(json_object_get(x, "consent"));
	if (ok) {
		const char *n = json_string_value(json_object_get(x, "agent_name"));
		const char *o = json_string_value(json_object_get(x, "organisation_name"));
		*agent = n && *n ? hh_arena_strdup(a, n) : NULL;
		*org = o && *o ? hh_arena_strdup(a, o) : NULL;
	}
	json_decref(j);
	return ok;
}

/* ---- transfers ---------------------------------------------------------------- */

enum hh_rc hh_desk_transfer_record(struct hh_tx *tx, const char *actor,
				   const struct hh_inquiry *q,
				   const char *from_team, int64_t from_org_id)
{
	struct hh_inquiry_transfer t = {
		.inquiry_id = q->id,
		.from_org_id = from_org_id ? from_org_id : q->org_id,
		.from_team = from_team,
		.to_org_id = q->transfer_org_id ? q->transfer_org_id : q->org_id,
		.to_team = q->transfer_team,
		.reason = q->transfer_reason,
		.by_actor = actor ? actor : "system",
	};
	return tx->store->transfer_insert(tx, &t);
}

/* May who see transfer t: received by, or sent from, who's organisation. */
static enum hh_rc may_see(const struct hh_actor *who,
			  const struct hh_inquiry_transfer *t,
			  enum hh_access_action act)
{
	struct hh_owner to = { .org_id = t->to_org_id };
	enum hh_rc rc = hh_access(who, HH_RES_INQUIRY_TRANSFER, act, &to);
	if (rc != HH_OK && act == HH_ACT_READ) {
		struct hh_owner from = { .org_id = t->from_org_id };
		rc = hh_access(who, HH_RES_INQUIRY_TRANSFER, act, &from);
	}
	return rc;
}

struct queue {
	const struct hh_actor *who;
	struct hh_arena *a;
	const char *team;
	struct hh_inquiry_transfer *t;
	struct hh_inquiry *q;
	int n;
};

#define QUEUE_MAX 500

static enum hh_rc queue_row(void *p, const struct hh_inquiry_transfer *t)
{
	struct queue *k = p;
	if (k->n < QUEUE_MAX)
		k->t[k->n++] = *t;
	return HH_OK;
}

static enum hh_rc queue_tx(struct hh_tx *tx, void *p)
{
	struct queue *k = p;
	k->n = 0;
	enum hh_rc rc = tx->store->transfer_list(tx, k->a, 0, k->who->org_id,
						 k->team, queue_row, k);
	for (int i = 0; rc == HH_OK && i < k->n; i++)
		rc = tx->store->inquiry_get(tx, k->a, k->t[i].inquiry_id, &k->q[i]);
	return rc;
}

enum hh_rc hh_desk_transfer_queue(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who, const char *team,
				  enum hh_rc (*cb)(void *ctx,
						   const struct hh_inquiry_transfer *t,
						   const struct hh_inquiry *q),
				  void *ctx)
{
	struct hh_owner own = { .org_id = who->org_id };
	if (!who->org_id ||
	    hh_access(who, HH_RES_INQUIRY_TRANSFER, HH_ACT_READ, &own) != HH_OK)
		return HH_ERR_FORBIDDEN;
	struct queue k = { .who = who, .a = a, .team = team };
	k.t = hh_arena_alloc(a, QUEUE_MAX * sizeof(*k.t));
	k.q = hh_arena_alloc(a, QUEUE_MAX * sizeof(*k.q));
	enum hh_rc rc = hh_store_run_tx(st, 0, queue_tx, &k);
	for (int i = 0; rc == HH_OK && i < k.n; i++)
		rc = cb(ctx, &k.t[i], &k.q[i]);
	return rc;
}

struct tget {
	const struct hh_actor *who;
	struct hh_arena *a;
	int64_t id;
	struct hh_inquiry_transfer *t;
	struct hh_inquiry *q;
	struct hh_inquiry_transfer *chain;
	int n;
	const struct hh_desk_close *close;
	enum hh_desk_fault fault;
	const char *field;
	int take;
};

static enum hh_rc chain_row(void *p, const struct hh_inquiry_transfer *t)
{
	struct tget *g = p;
	if (g->n < 50)
		g->chain[g->n++] = *t;
	return HH_OK;
}

static enum hh_rc tget_tx(struct hh_tx *tx, void *p)
{
	struct tget *g = p;
	g->n = 0;
	enum hh_rc rc = tx->store->transfer_get(tx, g->a, g->id, g->t);
	if (rc != HH_OK)
		return rc;
	if (may_see(g->who, g->t, HH_ACT_READ) != HH_OK)
		return HH_ERR_NOT_FOUND;
	rc = tx->store->inquiry_get(tx, g->a, g->t->inquiry_id, g->q);
	if (rc == HH_OK && g->chain)
		rc = tx->store->transfer_list(tx, g->a, g->t->inquiry_id, 0, NULL,
					      chain_row, g);
	if (rc == HH_OK && g->q->citizen_id)
		rc = audit(tx, g->who, g->q->citizen_id,
			   hh_arena_printf(g->a, "viderestillet henvendelse %lld",
					   (long long)g->q->id));
	return rc;
}

enum hh_rc hh_desk_transfer_get(struct hh_store *st, struct hh_arena *a,
				const struct hh_actor *who, int64_t id,
				struct hh_inquiry_transfer *t,
				struct hh_inquiry *q,
				enum hh_rc (*cb)(void *ctx,
						 const struct hh_inquiry_transfer *t),
				void *ctx)
{
	if (id <= 0)
		return HH_ERR_NOT_FOUND;
	struct tget g = { .who = who, .a = a, .id = id, .t = t, .q = q };
	if (cb)
		g.chain = hh_arena_alloc(a, 50 * sizeof(*g.chain));
	enum hh_rc rc = hh_store_run_tx(st, 1, tget_tx, &g);
	for (int i = 0; rc == HH_OK && cb && i < g.n; i++)
		rc = cb(ctx, &g.chain[i]);
	return rc;
}

static const char *const results[] = { "resolved", "case_created",
				       "callback_promised", "transferred" };

static int result_ok(const char *s)
{
	for (size_t i = 0; s && i < sizeof(results) / sizeof(results[0]); i++)
		if (!strcmp(s, results[i]))
			return 1;
	return 0;
}

static enum hh_rc refuse(struct tget *g, enum hh_desk_fault f, const char *field)
{
	g->fault = f;
	g->field = field;
	return f == HH_DESK_STATE ? HH_ERR_CONFLICT : HH_ERR_INVALID;
}

/* The transfer's state for an event (malloc'd). */
static char *transfer_text(const struct hh_inquiry_transfer *t)
{
	json_t *j = hh_desk_transfer_json(t);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	return s;
}

/* Checks an onward transfer from the receiver (org t->to_org_id) and
 * fills next; refuses unknown codes and organisations. */
static enum hh_rc onward(struct hh_tx *tx, struct tget *g,
			 struct hh_inquiry_transfer *next)
{
	const struct hh_desk_close *c = g->close;
	const char *label;
	enum hh_rc rc;
	memset(next, 0, sizeof(*next));
	next->inquiry_id = g->t->inquiry_id;
	next->from_org_id = g->t->to_org_id;
	next->from_team = g->t->to_team;
	next->to_org_id = g->t->to_org_id;
	next->by_actor = g->who->label;
	if (!c->to_team && !c->to_org)
		return refuse(g, HH_DESK_DETAIL, "to_team");
	if (!c->reason)
		return refuse(g, HH_DESK_DETAIL, "reason");
	if (c->to_org) {
		struct hh_org o;
		rc = tx->store->org_get_by_code(tx, g->a, c->to_org, &o);
		if (rc == HH_ERR_NOT_FOUND)
			return refuse(g, HH_DESK_ORG, "to_org");
		if (rc != HH_OK)
			return rc;
		next->to_org_id = o.id;
	}
	if (c->to_team) {
		rc = tx->store->inquiry_code_get(tx, g->a, next->to_org_id, "team",
						 c->to_team, &label);
		if (rc == HH_ERR_NOT_FOUND)
			return refuse(g, HH_DESK_CODE, "to_team");
		if (rc != HH_OK)
			return rc;
		next->to_team = c->to_team;
	}
	if (next->to_org_id == g->t->to_org_id && !next->to_team)
		return refuse(g, HH_DESK_DETAIL, "to_team");
	if (next->to_org_id == g->t->to_org_id && g->t->to_team &&
	    !strcmp(next->to_team, g->t->to_team))
		return refuse(g, HH_DESK_DETAIL, "to_team");
	/* the reason is the sender's: the receiver's own reason codes */
	rc = tx->store->inquiry_code_get(tx, g->a, g->t->to_org_id, "reason",
					 c->reason, &label);
	if (rc == HH_ERR_NOT_FOUND)
		return refuse(g, HH_DESK_CODE, "reason");
	if (rc != HH_OK)
		return rc;
	next->reason = c->reason;
	return HH_OK;
}

static enum hh_rc handle_tx(struct hh_tx *tx, void *p)
{
	struct tget *g = p;
	g->fault = HH_DESK_FINE;
	g->field = NULL;
	struct hh_inquiry_transfer *t = g->t;
	enum hh_rc rc = tx->store->transfer_get(tx, g->a, g->id, t);
	if (rc != HH_OK)
		return rc;
	struct hh_owner to = { .org_id = t->to_org_id };
	rc = hh_access(g->who, HH_RES_INQUIRY_TRANSFER, HH_ACT_CHANGE, &to);
	if (rc == HH_ERR_NOT_FOUND && may_see(g->who, t, HH_ACT_READ) == HH_OK)
		rc = HH_ERR_FORBIDDEN; /* the sender sees it, may not handle it */
	if (rc != HH_OK)
		return rc;
	if (t->result)
		return refuse(g, HH_DESK_STATE, "result");
	rc = tx->store->inquiry_get(tx, g->a, t->inquiry_id, g->q);
	if (rc != HH_OK)
		return rc;
	char *before = transfer_text(t);
	int64_t now = hh_now_us() / 1000000;
	struct hh_inquiry_transfer next;
	int has_next = 0;
	if (!t->taken_by || g->take) {
		t->taken_by = g->who->label;
		t->taken_at = now;
	}
	const char *action = "transfer-take";
	if (!g->take) {
		const struct hh_desk_close *c = g->close;
		action = "transfer-close";
		rc = HH_OK;
		if (!result_ok(c->result))
			rc = refuse(g, HH_DESK_RESULT, "result");
		else if (strcmp(c->result, "case_created") && c->case_id)
			rc = refuse(g, HH_DESK_DETAIL, "case_id");
		else if (strcmp(c->result, "callback_promised") && c->callback_due_at)
			rc = refuse(g, HH_DESK_DETAIL, "callback_due_at");
		else if (strcmp(c->result, "transferred") &&
			 (c->to_team || c->to_org || c->reason))
			rc = refuse(g, HH_DESK_DETAIL, c->reason ? "reason" : "to_team");
		else if (!strcmp(c->result, "case_created")) {
			struct hh_case k;
			if (!c->case_id)
				rc = refuse(g, HH_DESK_DETAIL, "case_id");
			else if ((rc = tx->store->case_get(tx, g->a, c->case_id, &k)) ==
					 HH_ERR_NOT_FOUND ||
				 (rc == HH_OK && g->q->citizen_id && k.citizen_id &&
				  k.citizen_id != g->q->citizen_id))
				rc = refuse(g, HH_DESK_DETAIL, "case_id");
			t->result_case_id = c->case_id;
		} else if (!strcmp(c->result, "callback_promised")) {
			if (c->callback_due_at <= now)
				rc = refuse(g, HH_DESK_DETAIL, "callback_due_at");
			t->result_callback_due_at = c->callback_due_at;
		} else if (!strcmp(c->result, "transferred")) {
			rc = onward(tx, g, &next);
			has_next = rc == HH_OK;
		}
		if (rc != HH_OK) {
			free(before);
			return rc;
		}
		t->result = c->result;
		t->closed_at = now;
	}
	rc = tx->store->transfer_update(tx, t);
	if (rc == HH_OK && has_next)
		rc = tx->store->transfer_insert(tx, &next);
	if (rc != HH_OK) {
		free(before);
		return rc;
	}
	/* the event is the inquiry's, in the sender's organisation's log;
	 * the inquiry's outcome is left as the first agent logged it */
	struct hh_event e = { .actor = g->who->label, .org_id = g->q->org_id,
			      .entity = "inquiry", .entity_id = g->q->id,
			      .action = action, .before = before,
			      .after = transfer_text(t) };
	rc = tx->store->event_append(tx, &e);
	free((char *)e.before);
	free((char *)e.after);
	return rc;
}

enum hh_rc hh_desk_transfer_take(struct hh_store *st, struct hh_arena *a,
				 const struct hh_actor *who, int64_t id,
				 struct hh_inquiry_transfer *out,
				 enum hh_desk_fault *fault)
{
	struct hh_inquiry q;
	struct tget g = { .who = who, .a = a, .id = id, .t = out, .q = &q,
			  .take = 1 };
	enum hh_rc rc = id > 0 ? hh_store_run_tx(st, 1, handle_tx, &g)
			       : HH_ERR_NOT_FOUND;
	*fault = g.fault;
	return rc;
}

enum hh_rc hh_desk_transfer_close(struct hh_store *st, struct hh_arena *a,
				  const struct hh_actor *who, int64_t id,
				  const struct hh_desk_close *c,
				  struct hh_inquiry_transfer *out,
				  enum hh_desk_fault *fault,
				  const char **field)
{
	struct hh_inquiry q;
	struct tget g = { .who = who, .a = a, .id = id, .t = out, .q = &q,
			  .close = c };
	enum hh_rc rc = id > 0 ? hh_store_run_tx(st, 1, handle_tx, &g)
			       : HH_ERR_NOT_FOUND;
	if (rc == HH_OK)
		hh_store_changed(st, &(struct hh_change){ "inquiry", q.id, q.org_id,
							   "transfer" });
	*fault = g.fault;
	if (field)
		*field = g.field;
	return rc;
}

static void set_time(json_t *j, const char *key, int64_t t)
{
	if (!t)
		return;
	char iso[21];
	hh_time_iso(t, iso);
	json_object_set_new(j, key, json_string(iso));
}

json_t *hh_desk_transfer_json(const struct hh_inquiry_transfer *t)
{
	json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)t->id,
			      "inquiry_id", (json_int_t)t->inquiry_id,
			      "from_organisation_id", (json_int_t)t->from_org_id,
			      "to_organisation_id", (json_int_t)t->to_org_id,
			      "reason", t->reason ? t->reason : "");
	if (t->from_team)
		json_object_set_new(j, "from_team", json_string(t->from_team));
	if (t->to_team)
		json_object_set_new(j, "to_team", json_string(t->to_team));
	if (t->by_actor)
		json_object_set_new(j, "by", json_string(t->by_actor));
	set_time(j, "at", t->at);
	if (t->taken_by)
		json_object_set_new(j, "taken_by", json_string(t->taken_by));
	set_time(j, "taken_at", t->taken_at);
	if (t->result)
		json_object_set_new(j, "result", json_string(t->result));
	if (t->result_case_id)
		json_object_set_new(j, "case_id", json_integer(t->result_case_id));
	set_time(j, "callback_due_at", t->result_callback_due_at);
	set_time(j, "closed_at", t->closed_at);
	return j;
}
