/* overview.c - Mit overblik and the citizen's audit trail (overview.h). */
#include "core/util.h"
#include "domain/overview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/access.h"
#include "domain/catalogue.h"
#include "domain/external.h"
#include "domain/plans.h"

static json_t *arena_json(struct hh_arena *a, const char *text)
{
	json_error_t e;
	json_t *j = text ? json_loads(text, 0, &e) : NULL;
	if (j)
		hh_arena_defer(a, hh_json_release, j);
	return j;
}

struct ov_ctx {
	struct hh_arena *a;
	int64_t citizen_id;
	struct hh_overview *out;
	int cap;
	struct hh_ct_cache cts;
	const char *question;
};

static enum hh_rc plan_row(void *p, const struct hh_plan *pl)
{
	struct ov_ctx *x = p;
	if (x->out->n_plans < HH_OVERVIEW_PLANS)
		x->out->plans[x->out->n_plans++].plan = *pl;
	return HH_OK;
}

static enum hh_rc case_row(void *p, const struct hh_case *k)
{
	struct ov_ctx *x = p;
	struct hh_overview *o = x->out;
	if (o->n_cases == x->cap) {
		int cap = x->cap ? 2 * x->cap : 16;
		struct hh_overview_case *n = hh_arena_alloc(x->a, cap * sizeof(*n));
		if (o->n_cases)
			memcpy(n, o->cases, o->n_cases * sizeof(*n));
		o->cases = n;
		x->cap = cap;
	}
	struct hh_overview_case *c = &o->cases[o->n_cases++];
	memset(c, 0, sizeof(*c));
	c->c = *k;
	return HH_OK;
}

static enum hh_rc question_row(void *p, const struct hh_event *e)
{
	struct ov_ctx *x = p;
	if (strcmp(e->action, "request"))
		return HH_OK;
	json_t *after = arena_json(x->a, e->after);
	const char *q = json_string_value(json_object_get(after, "question"));
	if (q)
		x->question = q; /* events come oldest first: the last wins */
	return HH_OK;
}

static enum hh_rc ov_tx(struct hh_tx *tx, void *p)
{
	struct ov_ctx *x = p;
	struct hh_store *st = tx->store;
	struct hh_overview *o = x->out;
	o->n_plans = o->n_cases = 0;
	memset(&x->cts, 0, sizeof(x->cts));
	enum hh_rc rc = st->plan_list(tx, x->a, x->citizen_id, plan_row, x);
	/* the list shows no form values (none read, none unsealed) and
	 * labels states from the case types' definitions (hh_ct_cache_get) */
	struct hh_case_filter f = { .citizen_id = x->citizen_id,
				    .sort = HH_SORT_NEWEST, .without_data = 1,
				    .without_labels = 1 };
	if (rc == HH_OK)
		rc = st->case_list(tx, x->a, &f, 0, HH_OVERVIEW_CASES, NULL, case_row, x);
	if (rc == HH_OK)
		rc = hh_external_of_citizen(tx, x->a, x->citizen_id, &o->external,
					    &o->n_external);
	if (rc == HH_OK)
		rc = hh_invitations_tx(tx, x->a, x->citizen_id, hh_now_us() / 1000000,
				       &o->invitations, &o->n_invitations);
	for (int i = 0; rc == HH_OK && i < o->n_cases; i++) {
		struct hh_overview_case *c = &o->cases[i];
		c->def = hh_ct_cache_get(tx, x->a, &x->cts, c->c.case_type_id);
		if (c->c.paused_since) {
			x->question = NULL;
			rc = st->event_list(tx, x->a, "case", c->c.id, question_row, x);
			c->question = x->question;
		}
	}
	for (int i = 0; rc == HH_OK && i < o->n_plans; i++) {
		struct hh_overview_plan *pl = &o->plans[i];
		struct hh_life_event le;
		rc = st->life_event_get(tx, x->a, pl->plan.life_event_slug, &le);
		pl->title = rc == HH_OK ? le.title : pl->plan.life_event_slug;
		/* parsed once, shared with the plan's view (hh_plan_read) */
		pl->definition = rc == HH_OK ? hh_life_event_def(x->a, &le) : NULL;
		if (rc == HH_ERR_NOT_FOUND)
			rc = HH_OK;
	}
	return rc;
}

enum hh_rc hh_overview_read(struct hh_store *st, struct hh_arena *a,
			    const struct hh_actor *who, int with_views,
			    struct hh_overview *out)
{
	memset(out, 0, sizeof(*out));
	struct hh_owner mine = { 0, who->citizen_id };
	enum hh_rc rc = hh_access(who, HH_RES_OVERVIEW, HH_ACT_READ, NULL);
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_OVERVIEW, HH_ACT_READ, &mine);
	if (rc != HH_OK)
		return rc;
	/* invitations that ran out close their cases before the read
	 * (domain/parties.h) */
	hh_parties_expire_before_read(st);
	out->plans = hh_arena_calloc(a, HH_OVERVIEW_PLANS * sizeof(*out->plans));
	struct ov_ctx x = { .a = a, .citizen_id = who->citizen_id, .out = out };
	rc = hh_store_run_tx(st, 0, ov_tx, &x);
	/* what an applicant wrote is shown to a party signed in at level
	 * substantial or high only (as a form with CPR fields) */
	for (int i = 0; rc == HH_OK && who->loa < HH_LOA_SUBSTANTIAL &&
			i < out->n_invitations; i++) {
		json_array_clear(out->invitations[i].shared);
		out->invitations[i].low_assurance = 1;
	}
	if (rc == HH_OK)
		rc = hh_invitations_audit(st, a, who, out->invitations,
					  out->n_invitations);
	for (int i = 0; rc == HH_OK && with_views && i < out->n_plans; i++) {
		rc = hh_plan_read(st, a, who, out->plans[i].plan.id,
				  &out->plans[i].view);
		if (rc == HH_OK)
			hh_arena_defer(a, hh_json_release,
				       out->plans[i].view);
	}
	return rc;
}

/* ---- who read my data ------------------------------------------------- */

struct audit_ctx {
	struct hh_arena *a;
	int64_t citizen_id;
	struct hh_audit_entry *rows;
	int n;
};

static enum hh_rc audit_row(void *p, const struct hh_audit *e)
{
	struct audit_ctx *c = p;
	if (c->n >= HH_AUDIT_ENTRIES)
		return HH_OK;
	struct hh_audit_entry *row = &c->rows[c->n++];
	memset(row, 0, sizeof(*row));
	row->at = e->at;
	row->actor = hh_arena_strdup(c->a, e->actor);
	row->what = hh_arena_strdup(c->a, e->what ? e->what : "");
	row->why = hh_arena_strdup(c->a, e->why ? e->why : "");
	long long id;
	char rest;
	row->case_id = sscanf(row->what, "sag %lld%c", &id, &rest) == 1 ? id : 0;
	return HH_OK;
}

/* The roles as staff call them ("sagsbehandler, leder"), in a. */
static const char *roles_da(struct hh_arena *a, unsigned roles)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { HH_ROLE_AGENT, "borgerservicemedarbejder" },
		      { HH_ROLE_CASEWORKER, "sagsbehandler" },
		      { HH_ROLE_EDITOR, "redaktør" },
		      { HH_ROLE_MANAGER, "leder" },
		      { HH_ROLE_ADMIN, "administrator" },
		      { HH_ROLE_CASE_SYSTEM, "sagssystem" } };
	const char *out = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (roles & names[i].bit)
			out = hh_arena_printf(a, "%s%s%s", out, *out ? ", " : "",
					      names[i].name);
	return *out ? out : "ingen rolle";
}

/* Who is behind row->actor: a user ("Name, Organisation"), or an API
 * token (an IT system: its name, organisation and roles, so that the
 * citizen reads who, not "token:3"). Others are left as they are. */
static enum hh_rc person(struct hh_tx *tx, struct audit_ctx *c,
			 struct hh_audit_entry *row)
{
	long long id;
	char rest;
	struct hh_org o;
	enum hh_rc rc;
	if (sscanf(row->actor, "user:%lld%c", &id, &rest) == 1) {
		struct hh_user u;
		rc = tx->store->user_get(tx, c->a, id, &u);
		if (rc == HH_OK)
			rc = tx->store->org_get(tx, c->a, u.org_id, &o);
		if (rc == HH_OK) {
			row->who = hh_arena_printf(c->a, "%s, %s", u.name, o.name);
			row->org = o.name;
			row->role = roles_da(c->a, u.roles);
		}
	} else if (sscanf(row->actor, "token:%lld%c", &id, &rest) == 1) {
		struct hh_api_token t;
		rc = tx->store->token_get_by_id(tx, c->a, id, &t);
		if (rc == HH_OK)
			rc = tx->store->org_get(tx, c->a, t.org_id, &o);
		if (rc == HH_OK) {
			row->who = t.name;
			row->org = o.name;
			row->role = roles_da(c->a, t.roles);
			row->it_system = 1;
		}
	} else {
		return HH_OK;
	}
	return rc == HH_ERR_NOT_FOUND ? HH_OK : rc;
}

static enum hh_rc audit_tx(struct hh_tx *tx, void *p)
{
	struct audit_ctx *c = p;
	c->n = 0;
	enum hh_rc rc = tx->store->audit_list(tx, c->a, c->citizen_id,
					      HH_AUDIT_ENTRIES, audit_row, c);
	for (int i = 0; rc == HH_OK && i < c->n; i++) {
		/* the same person again: looked up once */
		struct hh_audit_entry *row = &c->rows[i];
		for (int j = 0; j < i && !row->who; j++)
			if (!strcmp(c->rows[j].actor, row->actor)) {
				row->who = c->rows[j].who;
				row->org = c->rows[j].org;
				row->role = c->rows[j].role;
				row->it_system = c->rows[j].it_system;
			}
		if (!row->who)
			rc = person(tx, c, row);
	}
	return rc;
}

enum hh_rc hh_audit_read(struct hh_store *st, struct hh_arena *a,
			 const struct hh_actor *who,
			 struct hh_audit_entry **out, int *n)
{
	*out = NULL;
	*n = 0;
	struct hh_owner mine = { 0, who->citizen_id };
	enum hh_rc rc = hh_access(who, HH_RES_AUDIT, HH_ACT_READ, NULL);
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_AUDIT, HH_ACT_READ, &mine);
	if (rc != HH_OK)
		return rc;
	struct audit_ctx c = { .a = a, .citizen_id = who->citizen_id };
	c.rows = hh_arena_alloc(a, HH_AUDIT_ENTRIES * sizeof(*c.rows));
	rc = hh_store_run_tx(st, 0, audit_tx, &c);
	*out = c.rows;
	*n = rc == HH_OK ? c.n : 0;
	/* Another citizen in one's trail is the other party of a case one is
	 * party to (who read the case or the agreement): never identified,
	 * not even by their id, as they may have name and address
	 * protection. */
	for (int i = 0; i < *n; i++)
		if (!strncmp(c.rows[i].actor, "citizen:", 8) &&
		    atoll(c.rows[i].actor + 8) != who->citizen_id) {
			c.rows[i].actor = HH_AUDIT_OTHER_PARTY;
			c.rows[i].who = NULL;
		}
	return rc;
}
