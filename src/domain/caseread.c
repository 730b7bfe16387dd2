/* caseread.c - one case as its citizen or its organisation's staff read
 * it (see caseread.h). */
#include "domain/caseread.h"
#include "domain/parties.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "core/log.h"
#include "domain/access.h"
#include "domain/cases.h"
#include "domain/casetools.h"
#include "domain/catalogue.h"

struct read_ctx {
	struct hh_arena *a;
	const struct hh_actor *who;
	int64_t id;
	const char *why;
	struct hh_case_read *out;
	struct hh_ct_cache cts;
	int cap;
};

static json_t *arena_json(struct hh_arena *a, const char *text)
{
	json_error_t e;
	json_t *j = text ? json_loads(text, 0, &e) : NULL;
	if (j)
		hh_arena_defer(a, hh_json_release, j);
	return j;
}

static enum hh_rc event_row(void *p, const struct hh_event *e)
{
	struct read_ctx *x = p;
	struct hh_case_read *r = x->out;
	json_t *after = arena_json(x->a, e->after);
	if (!strcmp(e->action, "request")) {
		const char *q = json_string_value(json_object_get(after, "question"));
		if (q)
			r->question = q; /* oldest first: the last one wins */
	}
	if (r->for_citizen && !strcmp(e->action, "note"))
		return HH_OK; /* internal notes are not the citizen's to read */
	/* p-letters: a letter to another party of the case, and its way to
	 * them, are that party's, not the applicant's to read */
	if (r->for_citizen && (!strcmp(e->action, "letter_party") ||
			       (!strcmp(e->action, "message") &&
				json_object_get(after, "citizen_id") &&
				json_integer_value(json_object_get(after, "citizen_id")) !=
					r->c.citizen_id)))
		return HH_OK;
	if (r->n_events == x->cap) {
		int cap = x->cap ? 2 * x->cap : 32;
		struct hh_case_event *n = hh_arena_alloc(x->a, cap * sizeof(*n));
		if (r->n_events)
			memcpy(n, r->events, r->n_events * sizeof(*n));
		r->events = n;
		x->cap = cap;
	}
	struct hh_case_event *ev = &r->events[r->n_events++];
	ev->at = e->at_us / 1000000;
	ev->actor = hh_arena_strdup(x->a, e->actor);
	ev->action = hh_arena_strdup(x->a, e->action);
	ev->before = e->before ? hh_arena_strdup(x->a, e->before) : NULL;
	ev->after = e->after ? hh_arena_strdup(x->a, e->after) : NULL;
	ev->after_json = after;
	ev->by_citizen = !strncmp(e->actor, "citizen", 7);
	return HH_OK;
}

static void want_person(struct hh_case_read *r, int64_t id)
{
	for (int i = 0; i < r->n_people; i++)
		if (r->people[i].user_id == id)
			return;
	if (id > 0 && r->n_people < HH_CASE_PEOPLE)
		r->people[r->n_people++] = (struct hh_case_person){ id, NULL };
}

/* Staff: the names of the users in the history. */
static enum hh_rc people(struct hh_tx *tx, struct read_ctx *x)
{
	struct hh_case_read *r = x->out;
	for (int i = 0; i < r->n_events; i++) {
		const struct hh_case_event *e = &r->events[i];
		if (!strncmp(e->actor, "user:", 5))
			want_person(r, strtoll(e->actor + 5, NULL, 10));
		if (!strcmp(e->action, "assign"))
			want_person(r, json_integer_value(
					       json_object_get(e->after_json, "assigned_to")));
	}
	for (int i = 0; i < r->n_people; i++) {
		struct hh_user u;
		enum hh_rc rc = tx->store->user_get(tx, x->a, r->people[i].user_id, &u);
		if (rc == HH_OK)
			r->people[i].name = u.name;
		else if (rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	return HH_OK;
}

/* The citizen: the case this one follows up and the plan, when theirs. */
static enum hh_rc surroundings(struct hh_tx *tx, struct read_ctx *x)
{
	struct hh_case_read *r = x->out;
	struct hh_store *st = tx->store;
	enum hh_rc rc;
	if (r->c.parent_case_id) {
		struct hh_case *parent = hh_arena_calloc(x->a, sizeof(*parent));
		rc = st->case_get(tx, x->a, r->c.parent_case_id, parent);
		if (rc == HH_OK && parent->citizen_id == r->c.citizen_id) {
			r->parent = parent;
			r->parent_def = hh_ct_cache_get(tx, x->a, &x->cts,
							parent->case_type_id);
		} else if (rc != HH_OK && rc != HH_ERR_NOT_FOUND) {
			return rc;
		}
	}
	if (r->c.plan_id) {
		struct hh_plan *plan = hh_arena_calloc(x->a, sizeof(*plan));
		rc = st->plan_get(tx, x->a, r->c.plan_id, plan);
		if (rc == HH_OK && plan->citizen_id == r->c.citizen_id) {
			struct hh_life_event le;
			r->plan = plan;
			r->plan_title = plan->life_event_slug;
			rc = st->life_event_get(tx, x->a, plan->life_event_slug, &le);
			if (rc == HH_OK) {
				r->plan_title = le.title;
				r->plan_definition = hh_life_event_def(x->a, &le);
			}
		}
		if (rc != HH_OK && rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	return HH_OK;
}

/* ---- staff: files, the citizen's other cases, the origin ---------------- */

static enum hh_rc file_row(void *p, const struct hh_case_file *f)
{
	struct read_ctx *x = p;
	struct hh_case_read *r = x->out;
	if (r->n_files < HH_CASE_FILES) {
		r->files[r->n_files] = *f;
		r->files[r->n_files].data = NULL; /* the list needs no bytes */
		r->n_files++;
	}
	return HH_OK;
}

static enum hh_rc other_row(void *p, const struct hh_case *c)
{
	struct read_ctx *x = p;
	struct hh_case_read *r = x->out;
	if (r->n_others < HH_CASE_OTHERS)
		r->others[r->n_others++] = *c;
	return HH_OK;
}

static enum hh_rc staff_tools(struct hh_tx *tx, struct read_ctx *x)
{
	struct hh_case_read *r = x->out;
	r->files = hh_arena_calloc(x->a, HH_CASE_FILES * sizeof(*r->files));
	enum hh_rc rc = tx->store->case_file_list(tx, x->a, r->c.id, file_row, x);
	if (rc != HH_OK)
		return rc;
	json_t *data = arena_json(x->a, r->c.data);
	json_t *origin = json_object_get(data, HH_CASE_ORIGIN_KEY);
	r->origin = json_is_object(origin) ? origin : NULL;
	if (!r->c.citizen_id)
		return HH_OK;
	/* the same organisation's cases only: never another's. The list
	 * shows no form values (none read, none unsealed) and labels each
	 * state from its case type's parsed definition, as the store would
	 * from the definition's JSON row by row (p-bench) */
	struct hh_case_filter f = { .org_id = r->c.org_id,
				    .citizen_id = r->c.citizen_id,
				    .exclude_id = r->c.id,
				    .sort = HH_SORT_NEWEST, .without_data = 1,
				    .without_labels = 1 };
	r->others = hh_arena_calloc(x->a, HH_CASE_OTHERS * sizeof(*r->others));
	rc = tx->store->case_list(tx, x->a, &f, 0, HH_CASE_OTHERS,
				  &r->others_total, other_row, x);
	if (rc != HH_OK || !r->n_others)
		return rc;
	for (int i = 0; i < r->n_others; i++) {
		struct hh_case *k = &r->others[i];
		const struct hh_case_type_def *def =
			hh_ct_cache_get(tx, x->a, &x->cts, k->case_type_id);
		const struct hh_ct_state *s = def ? hh_ct_state(def, k->state) : NULL;
		if (s && s->label)
			k->state_label = s->label;
	}
	struct hh_audit e = {
		.actor = x->who->label, .citizen_id = r->c.citizen_id,
		.what = hh_arena_printf(x->a, "borgerens andre sager hos %s (%lld)",
					r->c.org_name, (long long)r->others_total),
		.why = x->why ? x->why : "sagsbehandling"
	};
	return tx->store->audit_append(tx, &e);
}

static enum hh_rc read_tx(struct hh_tx *tx, void *p)
{
	struct read_ctx *x = p;
	struct hh_case_read *r = x->out;
	memset(r, 0, sizeof(*r));
	memset(&x->cts, 0, sizeof(x->cts));
	x->cap = 0;
	enum hh_rc rc = tx->store->case_get(tx, x->a, x->id, &r->c);
	if (rc != HH_OK)
		return rc;
	struct hh_owner o = { r->c.org_id, r->c.citizen_id };
	rc = hh_access(x->who, HH_RES_CASE, HH_ACT_READ, &o);
	if (rc != HH_OK)
		return rc;
	r->for_citizen = hh_access_covers(x->who, HH_SCOPE_OWN_CITIZEN, &o);
	r->may_change = hh_access(x->who, HH_RES_CASE, HH_ACT_CHANGE, &o) == HH_OK;
	r->def = hh_ct_cache_get(tx, x->a, &x->cts, r->c.case_type_id);
	rc = tx->store->case_type_get(tx, x->a, r->c.case_type_id, &r->type);
	if (rc == HH_OK)
		rc = tx->store->event_list(tx, x->a, "case", r->c.id, event_row, x);
	/* p-parties: who else is party to it, and where they stand */
	if (rc == HH_OK && r->def && r->def->n_parties) {
		rc = hh_case_parties_json_tx(tx, x->a, &r->c, r->def,
					     hh_now_us() / 1000000, r->for_citizen,
					     &r->parties);
		if (rc == HH_OK)
			hh_arena_defer(x->a, hh_json_release, r->parties);
	}
	if (rc != HH_OK)
		return rc;
	if (r->for_citizen)
		return surroundings(tx, x);
	/* p-letters: staff are told of name and address protection */
	if (r->c.citizen_id &&
	    (rc = tx->store->citizen_protected_get(tx, r->c.citizen_id,
						   &r->citizen_protected)) != HH_OK)
		return rc;
	if (r->c.citizen_id) {
		/* reading a citizen's case is reading personal data */
		struct hh_audit e = { .actor = x->who->label,
				      .citizen_id = r->c.citizen_id,
				      .what = hh_arena_printf(x->a, "sag %lld",
							      (long long)r->c.id),
				      .why = x->why ? x->why : "sagsbehandling" };
		rc = tx->store->audit_append(tx, &e);
	}
	/* p-parties: the other parties' names and answers are their
	 * personal data too */
	if (rc == HH_OK && json_array_size(r->parties))
		rc = hh_case_parties_audit_tx(tx, x->a, &r->c, x->who->label,
					      x->why ? x->why : "sagsbehandling");
	if (rc == HH_OK)
		rc = staff_tools(tx, x);
	return rc == HH_OK ? people(tx, x) : rc;
}

enum hh_rc hh_case_read(struct hh_store *st, struct hh_arena *a,
			const struct hh_actor *who, int64_t id, const char *why,
			struct hh_case_read *out)
{
	memset(out, 0, sizeof(*out));
	/* a role that reads no cases is refused before any lookup, so it
	 * learns nothing of which ids exist */
	enum hh_rc rc = hh_access(who, HH_RES_CASE, HH_ACT_READ, NULL);
	if (rc != HH_OK)
		return rc;
	if (id <= 0)
		return HH_ERR_NOT_FOUND;
	struct read_ctx x = { .a = a, .who = who, .id = id, .why = why, .out = out };
	/* staff reads write the audit log */
	rc = hh_store_run_tx(st, !who->citizen_id, read_tx, &x);
	/* the applicant was shown a party's name: in that party's audit
	 * trail (a write of its own, only then) */
	int named = 0;
	size_t i;
	json_t *p;
	json_array_foreach(out->parties, i, p)
		named |= json_is_string(json_object_get(p, "name"));
	if (rc == HH_OK && out->for_citizen && named)
		rc = hh_case_parties_named_audit(st, a, &out->c);
	return rc;
}

const char *hh_case_read_person(const struct hh_case_read *r, int64_t user_id)
{
	for (int i = 0; i < r->n_people; i++)
		if (r->people[i].user_id == user_id)
			return r->people[i].name;
	return NULL;
}
