/* plans.c - life-event plans. */
#include "domain/plans.h"

#include <string.h>

#include "core/util.h"
#include "domain/access.h"
#include "domain/articles.h"
#include "domain/cases.h"
#include "domain/casesystems.h"
#include "domain/catalogue.h"
#include "domain/external.h"

int hh_plan_when_matches(json_t *when, json_t *answers)
{
	const char *q;
	json_t *want;
	json_object_foreach(when, q, want)
	{
		const char *have = json_string_value(json_object_get(answers, q));
		if (!have)
			return 0;
		if (json_is_string(want)) {
			if (strcmp(have, json_string_value(want)))
				return 0;
		} else if (json_is_array(want)) {
			size_t i;
			json_t *v;
			int any = 0;
			json_array_foreach(want, i, v) if (json_is_string(v) &&
							    !strcmp(have, json_string_value(v)))
				any = 1;
			if (!any)
				return 0;
		} else {
			return 0;
		}
	}
	return 1;
}

int hh_plan_answers_ok(json_t *def, json_t *answers, const char **bad)
{
	json_t *qs = json_object_get(def, "questions");
	const char *key;
	json_t *val;
	json_object_foreach(answers, key, val)
	{
		size_t i;
		json_t *q, *found = NULL;
		json_array_foreach(qs, i, q) if (!strcmp(json_string_value(json_object_get(q, "key")) ?: "", key))
			found = q;
		*bad = key;
		if (!found || !json_is_string(val))
			return 0;
		const char *v = json_string_value(val);
		const char *type = json_string_value(json_object_get(found, "type"));
		if (type && !strcmp(type, "choice")) {
			json_t *o;
			int ok = 0;
			json_array_foreach(json_object_get(found, "options"), i, o) if (
				!strcmp(json_string_value(json_object_get(o, "value")) ?: "", v))
				ok = 1;
			if (!ok)
				return 0;
		} else if (strcmp(v, "ja") && strcmp(v, "nej")) {
			return 0;
		}
	}
	*bad = NULL;
	return 1;
}

json_t *hh_plan_steps(json_t *def, json_t *answers)
{
	json_t *out = json_array();
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(def, "steps"), i, s) if (
		hh_plan_when_matches(json_object_get(s, "when"), answers))
		json_array_append(out, s);
	return out;
}

const char *hh_step_state_name(enum hh_step_state s)
{
	static const char *const n[] = { "not_started", "submitted", "in_progress",
					 "awaiting_citizen", "done", "info" };
	return n[s];
}

const char *hh_step_state_da(enum hh_step_state s)
{
	static const char *const n[] = { "Ikke startet", "Sendt", "Under behandling",
					 "Afventer dig", "Færdig", "Til orientering" };
	return n[s];
}

struct create_ctx {
	struct hh_arena *a;
	int64_t citizen_id;
	const char *life_event;
	json_t *answers;
	struct hh_plan *out;
	const char *bad;
	int unknown_event; /* the life event does not exist */
};

static enum hh_rc create_tx(struct hh_tx *tx, void *p)
{
	struct create_ctx *c = p;
	struct hh_life_event le;
	enum hh_rc rc = tx->store->life_event_get(tx, c->a, c->life_event, &le);
	c->unknown_event = rc == HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND) {
		c->bad = "life_event";
		return HH_ERR_INVALID;
	}
	if (rc != HH_OK)
		return rc;
	json_error_t e;
	json_t *def = json_loads(le.definition, 0, &e);
	int ok = hh_plan_answers_ok(def, c->answers, &c->bad);
	json_decref(def);
	if (!ok)
		return HH_ERR_INVALID;
	char *answers = json_dumps(c->answers, JSON_COMPACT | JSON_SORT_KEYS);
	struct hh_plan *pl = c->out;
	memset(pl, 0, sizeof(*pl));
	pl->citizen_id = c->citizen_id;
	pl->life_event_id = le.id;
	pl->life_event_slug = le.slug;
	pl->answers = hh_arena_strdup(c->a, answers);
	free(answers);
	rc = tx->store->plan_insert(tx, pl);
	if (rc == HH_OK) {
		struct hh_event ev = { .actor = hh_arena_printf(c->a, "citizen:%lld",
								(long long)c->citizen_id),
				       .entity = "plan", .entity_id = pl->id,
				       .action = "create", .after = pl->answers };
		rc = tx->store->event_append(tx, &ev);
	}
	return rc;
}

enum hh_rc hh_plan_create(struct hh_store *st, struct hh_arena *a,
			  int64_t citizen_id, const char *life_event,
			  json_t *answers, struct hh_plan *out, const char **bad)
{
	struct create_ctx c = { a, citizen_id, life_event, answers, out, NULL, 0 };
	enum hh_rc rc = hh_store_run_tx(st, 1, create_tx, &c);
	*bad = c.bad;
	return rc;
}

/* hh_plan_create, telling an unknown life event (NOT_FOUND) from a wrong
 * answer (INVALID, *bad the question). */
static enum hh_rc plan_create_coded(struct hh_store *st, struct hh_arena *a,
				    int64_t citizen_id, const char *life_event,
				    json_t *answers, struct hh_plan *out,
				    const char **bad)
{
	struct create_ctx c = { a, citizen_id, life_event, answers, out, NULL, 0 };
	enum hh_rc rc = hh_store_run_tx(st, 1, create_tx, &c);
	*bad = c.unknown_event ? NULL : c.bad;
	return c.unknown_event ? HH_ERR_NOT_FOUND : rc;
}

struct view_ctx {
	struct hh_tx *tx;
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t plan_id;
	json_t *out;
	json_t *cases; /* array of case JSON for this plan */
};

static enum hh_rc view_case(void *p, const struct hh_case *c)
{
	struct view_ctx *v = p;
	json_t *j = hh_case_json(c, NULL, 0);
	/* "submitted" means still in the case type's first state */
	struct hh_case_type row;
	struct hh_case_type_def def;
	if (v->tx && hh_case_type_load(v->tx, v->a, NULL, c->case_type_id, &row,
				       &def) == HH_OK) {
		json_object_set_new(j, "initial",
				    json_boolean(!strcmp(def.initial, c->state)));
		hh_case_type_def_clear(&def);
	}
	json_array_append_new(v->cases, j);
	return HH_OK;
}

static enum hh_step_state state_of(json_t *cases, const char *step, json_t *defs)
{
	(void)defs;
	enum hh_step_state best = HH_STEP_NOT_STARTED;
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c)
	{
		const char *s = json_string_value(json_object_get(c, "step"));
		if (!s || strcmp(s, step))
			continue;
		enum hh_step_state st;
		if (json_is_true(json_object_get(c, "closed")))
			st = HH_STEP_DONE;
		else if (json_is_true(json_object_get(c, "paused")))
			st = HH_STEP_AWAITING_CITIZEN;
		else if (json_is_true(json_object_get(c, "initial")))
			st = HH_STEP_SUBMITTED;
		else
			st = HH_STEP_IN_PROGRESS;
		/* the newest case of the step decides: cases come oldest first */
		best = st;
	}
	return best;
}

/* 1 when string s is one of list's strings */
static int listed(json_t *list, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) if (s && json_is_string(v) &&
					   !strcmp(json_string_value(v), s))
		return 1;
	return 0;
}

/* A step's "external" ({"organisation", "case_type", "done_in": [states],
 * "done_stages": [stages]}; docs/content-format.md): the newest of the
 * citizen's external cases (ext, newest first) of that organisation and
 * case type decides. Done in one of the states or stages named; awaiting
 * the citizen in a state of that stage; in progress in any other; not
 * started without one. */
static enum hh_step_state external_state(json_t *spec,
					 const struct hh_external_case *ext,
					 int n_ext)
{
	const char *org = json_string_value(json_object_get(spec, "organisation"));
	const char *type = json_string_value(json_object_get(spec, "case_type"));
	for (int i = 0; org && type && i < n_ext; i++) {
		const struct hh_external_case *k = &ext[i];
		if (!k->org_code || strcmp(k->org_code, org) || !k->case_type ||
		    strcmp(k->case_type, type))
			continue;
		if (listed(json_object_get(spec, "done_in"), k->state) ||
		    listed(json_object_get(spec, "done_stages"), k->stage))
			return HH_STEP_DONE;
		if (hh_cs_stage_parse(k->stage) == HH_CS_AWAITING_CITIZEN)
			return HH_STEP_AWAITING_CITIZEN;
		return HH_STEP_IN_PROGRESS;
	}
	return HH_STEP_NOT_STARTED;
}

/* How far a step is, to pick the further of its helhed case and its
 * external one. */
static int step_rank(enum hh_step_state s)
{
	switch (s) {
	case HH_STEP_DONE: return 3;
	case HH_STEP_IN_PROGRESS:
	case HH_STEP_AWAITING_CITIZEN: return 2;
	case HH_STEP_SUBMITTED: return 1;
	default: return 0;
	}
}

static enum hh_rc view_tx(struct hh_tx *tx, void *p)
{
	struct view_ctx *v = p;
	v->tx = tx;
	struct hh_plan plan;
	enum hh_rc rc = tx->store->plan_get(tx, v->a, v->plan_id, &plan);
	if (rc != HH_OK)
		return rc;
	/* someone else's: NOT_FOUND, as if it did not exist */
	struct hh_owner o = { 0, plan.citizen_id };
	rc = hh_access(v->who, HH_RES_PLAN, HH_ACT_READ, &o);
	if (rc != HH_OK)
		return rc;
	struct hh_life_event le;
	rc = tx->store->life_event_get(tx, v->a, plan.life_event_slug, &le);
	if (rc != HH_OK)
		return rc;
	json_decref(v->cases);
	v->cases = json_array();
	struct hh_case_filter f = { .plan_id = plan.id, .citizen_id = plan.citizen_id,
				    .sort = HH_SORT_NEWEST };
	rc = tx->store->case_list(tx, v->a, &f, 0, 200, NULL, view_case, v);
	if (rc != HH_OK)
		return rc;
	/* oldest first, so the newest case of a step decides its state */
	json_t *cases = json_array();
	for (size_t i = json_array_size(v->cases); i > 0; i--)
		json_array_append(cases, json_array_get(v->cases, i - 1));
	json_error_t e;
	/* borrowed: parsed once, shared with Mit overblik (catalogue.h) */
	json_t *def = hh_life_event_def(v->a, &le);
	json_t *answers = json_loads(plan.answers, 0, &e);
	json_t *steps = hh_plan_steps(def, answers), *out_steps = json_array();
	size_t i;
	json_t *s;
	/* x-decl: the citizen's cases at other authorities' own systems,
	 * read once when a step names one */
	struct hh_external_case *ext = NULL;
	int n_ext = -1;
	json_array_foreach(steps, i, s)
	{
		json_t *copy = json_deep_copy(s);
		const char *key = json_string_value(json_object_get(s, "key"));
		json_t *xspec = json_object_get(s, "external");
		enum hh_step_state st = json_object_get(s, "case_type")
						? state_of(cases, key ? key : "", NULL)
					: xspec ? HH_STEP_NOT_STARTED
						: HH_STEP_INFO;
		if (xspec && n_ext < 0) {
			rc = hh_external_of_citizen(tx, v->a, plan.citizen_id,
						    &ext, &n_ext);
			if (rc != HH_OK) {
				json_decref(copy);
				json_decref(out_steps);
				json_decref(steps);
				json_decref(answers);
				json_decref(cases);
				return rc;
			}
		}
		if (xspec) {
			enum hh_step_state x = external_state(xspec, ext, n_ext);
			if (step_rank(x) > step_rank(st))
				st = x;
		}
		json_object_set_new(copy, "state", json_string(hh_step_state_name(st)));
		json_object_set_new(copy, "state_label", json_string(hh_step_state_da(st)));
		json_array_append_new(out_steps, copy);
	}
	/* cases that no step asked for: follow-ups at other authorities */
	json_t *followups = json_array();
	json_array_foreach(cases, i, s) if (json_is_null(json_object_get(s, "step")))
		json_array_append(followups, s);
	char created[21];
	hh_time_iso(plan.created_at, created);
	json_decref(v->out);
	v->out = json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:s}", "id",
			   (json_int_t)plan.id, "life_event", le.slug, "title",
			   le.title, "answers", answers ? answers : json_object(),
			   "steps", out_steps, "cases", cases, "followups", followups,
			   "created_at", created);
	json_decref(steps);
	return HH_OK;
}

enum hh_rc hh_plan_read(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t plan_id, json_t **out)
{
	*out = NULL;
	enum hh_rc rc = hh_access(who, HH_RES_PLAN, HH_ACT_READ, NULL);
	if (rc != HH_OK)
		return rc;
	if (plan_id <= 0)
		return HH_ERR_NOT_FOUND;
	struct view_ctx v = { NULL, a, who, plan_id, NULL, NULL };
	rc = hh_store_run_tx(st, 0, view_tx, &v);
	json_decref(v.cases);
	if (rc != HH_OK) {
		json_decref(v.out);
		return rc;
	}
	*out = v.out;
	return HH_OK;
}

/* The actor of a signed-in citizen, for the functions that take only the
 * citizen's id. */
static struct hh_actor citizen_actor(int64_t citizen_id)
{
	struct hh_actor who = { .label = "citizen", .roles = HH_ROLE_CITIZEN,
				.citizen_id = citizen_id };
	return who;
}

enum hh_rc hh_plan_view(struct hh_store *st, struct hh_arena *a,
			int64_t citizen_id, int64_t plan_id, json_t **out)
{
	struct hh_actor who = citizen_actor(citizen_id);
	return hh_plan_read(st, a, &who, plan_id, out);
}

enum hh_rc hh_plan_make(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, const char *life_event,
			json_t *answers, struct hh_plan *out, const char **bad)
{
	*bad = NULL;
	struct hh_owner mine = { 0, who->citizen_id };
	enum hh_rc rc = hh_access(who, HH_RES_PLAN, HH_ACT_CREATE, NULL);
	if (rc == HH_OK)
		rc = hh_access(who, HH_RES_PLAN, HH_ACT_CREATE, &mine);
	if (rc != HH_OK)
		return rc;
	return plan_create_coded(st, a, who->citizen_id, life_event, answers, out, bad);
}

/* ---- the articles a plan's steps link to ----------------------------- */

struct arts_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t muni_id;
	json_t *steps, *out;
};

static enum hh_rc arts_tx(struct hh_tx *tx, void *p)
{
	struct arts_ctx *c = p;
	json_object_clear(c->out);
	size_t i, k;
	json_t *s, *slug;
	json_array_foreach(c->steps, i, s)
	{
		json_array_foreach(json_object_get(s, "articles"), k, slug)
		{
			const char *sl = json_string_value(slug);
			if (!sl || !hh_slug_valid(sl) || json_object_get(c->out, sl))
				continue;
			struct hh_article art;
			enum hh_rc rc = hh_article_resolve(tx, c->a, c->who, c->muni_id,
							   sl, &art);
			if (rc == HH_ERR_NOT_FOUND)
				continue; /* archived or not imported: leave out */
			if (rc != HH_OK)
				return rc;
			json_object_set_new(c->out, sl, json_string(art.title));
		}
	}
	return HH_OK;
}

json_t *hh_plan_step_articles(struct hh_store *st, struct hh_arena *a,
			      const struct hh_actor *who, json_t *steps,
			      int64_t muni_id)
{
	struct arts_ctx c = { .a = a, .who = who, .muni_id = muni_id,
			      .steps = steps, .out = json_object() };
	if (hh_store_run_tx(st, 0, arts_tx, &c) != HH_OK)
		json_object_clear(c.out); /* the steps still show, without links */
	return c.out;
}
