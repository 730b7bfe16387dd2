/* cases.c - the citizen's journey and the caseworker's queue over the API:
 * life events, plans, case types, cases, the overview, the audit trail. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/cases.h"
#include "domain/citizens.h"
#include "domain/plans.h"

/* ---- helpers --------------------------------------------------------- */

static const struct hh_principal *citizen(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_CITIZEN) {
		hh_resp_problem(r, HH_E_CITIZEN_REQUIRED, NULL, NULL);
		return NULL;
	}
	return w;
}

/* Staff who may see cases: caseworkers, agents, managers, admins. */
static int works_cases(const struct hh_principal *w)
{
	return (w->kind == HH_USER || w->kind == HH_TOKEN) &&
	       (w->roles & (HH_ROLE_CASEWORKER | HH_ROLE_AGENT | HH_ROLE_MANAGER |
			    HH_ROLE_ADMIN));
}

static int write_ok(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return 0;
	}
	return 1;
}

static int64_t id_param(struct hh_req *r)
{
	const char *s = hh_req_param(r, "id");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || v <= 0)
		return 0;
	return v;
}

/* The version from If-Match or the body; queues 428/400 and returns 0. */
static int64_t version_of(struct hh_req *r, int64_t body_version, int required)
{
	int64_t hv = hh_if_match(r);
	if (hv < 0) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "If-Match",
				"If-Match must be the case's ETag, e.g. \"3\"");
		return -1;
	}
	if (hv && body_version && hv != body_version) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "version",
				"If-Match and version disagree");
		return -1;
	}
	int64_t v = hv ? hv : body_version;
	if (!v && required) {
		hh_resp_problem(r, HH_E_VERSION_REQUIRED, "version", NULL);
		return -1;
	}
	return v;
}

static void case_failed(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_CONFLICT)
		hh_resp_problem(r, HH_E_STALE_VERSION, "version",
				"the case was changed by someone else; fetch it again");
	else if (rc == HH_ERR_INVALID)
		hh_resp_problem(r, HH_E_TRANSITION_NOT_ALLOWED, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

static void send_case(struct hh_req *r, int status, const struct hh_case *c)
{
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)c->version));
	hh_resp_json(r, status, hh_case_json(c, NULL, 1));
}

/* Parses a JSON object body whose keys are all in allowed (NULL-ended);
 * queues the problem and returns NULL otherwise. The object lives as long
 * as the request. Used where a field is itself an object (answers,
 * values), which the spec tables do not take. */
static json_t *object_body(struct hh_req *r, const char *const *allowed)
{
	const char *ct = hh_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
		hh_resp_problem(r, HH_E_UNSUPPORTED_MEDIA, NULL, NULL);
		return NULL;
	}
	json_error_t e;
	json_t *root = json_loadb(hh_buf_str(&r->body), r->body.len,
				  JSON_REJECT_DUPLICATES, &e);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		hh_resp_problem(r, HH_E_BAD_JSON, NULL,
				root ? "the body must be an object"
				     : hh_arena_strdup(&r->arena, e.text));
		return NULL;
	}
	hh_arena_defer(&r->arena, (void (*)(void *))json_decref, root);
	const char *k;
	json_t *v;
	json_object_foreach(root, k, v)
	{
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(k, *a);
		if (!ok) {
			hh_resp_problem(r, HH_E_UNKNOWN_FIELD,
					hh_arena_strdup(&r->arena, k), NULL);
			return NULL;
		}
	}
	return root;
}

/* ---- citizens' demo sign-in ----------------------------------------- */

void hh_api_citizen_session_create(struct hh_req *r)
{
	if (!r->app->demo) {
		hh_resp_problem(r, HH_E_DEMO_ONLY, NULL, NULL);
		return;
	}
	const char *subject = NULL;
	struct hh_json_spec spec[] = { HH_JSON_STR("subject", &subject, 1, 1, 200),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	if (strncmp(subject, "demo:", 5) != 0) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "subject",
				"demo sign-in is for the demo citizens (demo:...)");
		return;
	}
	/* only citizens the demo content created: look them up by login,
	 * which needs the existing name */
	struct hh_citizen_login login;
	enum hh_rc rc = hh_demo_citizen_login(r->app->store, &r->arena, subject,
					      &login);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "subject",
				"no demo citizen has this subject");
		return;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_cookie_set(r, HH_COOKIE_STRICT, "hh_borger", login.token, NULL,
		      HH_CITIZEN_SESSION_TTL);
	hh_resp_json(r, 201,
		     json_pack("{s:s, s:s, s:b}", "name", login.citizen.name,
			       "csrf_token", login.csrf, "demo", 1));
}

void hh_api_citizen_session_delete(struct hh_req *r)
{
	if (!citizen(r) || !write_ok(r))
		return;
	hh_citizen_logout(r->app->store, hh_req_cookie(r, "hh_borger"));
	hh_cookie_clear(r, HH_COOKIE_STRICT, "hh_borger", NULL);
	hh_resp_text(r, 204, NULL, "");
}

/* ---- life events and plans ------------------------------------------ */

struct le_list_ctx {
	struct hh_req *r;
	json_t *items;
	const char *slug;
	json_t *one;
};

static enum hh_rc le_row(void *p, const struct hh_life_event *le)
{
	struct le_list_ctx *c = p;
	json_array_append_new(c->items, json_pack("{s:s, s:s, s:s}", "slug", le->slug,
						  "title", le->title, "summary",
						  le->summary));
	return HH_OK;
}

static enum hh_rc le_list_tx(struct hh_tx *tx, void *p)
{
	struct le_list_ctx *c = p;
	if (c->slug) {
		struct hh_life_event le;
		enum hh_rc rc = tx->store->life_event_get(tx, &c->r->arena, c->slug, &le);
		if (rc != HH_OK)
			return rc;
		json_error_t e;
		json_decref(c->one);
		c->one = json_loads(le.definition, 0, &e);
		if (!c->one)
			c->one = json_object();
		json_object_set_new(c->one, "slug", json_string(le.slug));
		return HH_OK;
	}
	json_array_clear(c->items);
	return tx->store->life_event_list(tx, &c->r->arena, le_row, c);
}

void hh_api_life_events(struct hh_req *r)
{
	struct le_list_ctx c = { r, json_array(), NULL, NULL };
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, le_list_tx, &c);
	if (rc != HH_OK) {
		json_decref(c.items);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "items", c.items));
}

void hh_api_life_event(struct hh_req *r)
{
	struct le_list_ctx c = { r, json_array(), hh_req_param(r, "slug"), NULL };
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, le_list_tx, &c);
	json_decref(c.items);
	if (rc != HH_OK) {
		json_decref(c.one);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, c.one);
}

void hh_api_plan_create(struct hh_req *r)
{
	const struct hh_principal *w = citizen(r);
	if (!w || !write_ok(r))
		return;
	/* {"life_event": "...", "answers": {"question": "answer", ...}} */
	static const char *const keys[] = { "life_event", "answers", NULL };
	json_t *root = object_body(r, keys);
	if (!root)
		return;
	const char *life_event = json_string_value(json_object_get(root, "life_event"));
	json_t *answers = json_object_get(root, "answers");
	if (!life_event) {
		hh_resp_problem(r, HH_E_MISSING_FIELD, "life_event", NULL);
		return;
	}
	if (!answers) {
		answers = json_object();
		hh_arena_defer(&r->arena, (void (*)(void *))json_decref, answers);
	}
	if (!json_is_object(answers)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "answers",
				"answers must be an object of question: answer");
		return;
	}
	struct hh_plan plan;
	const char *bad = NULL;
	enum hh_rc rc = hh_plan_create(r->app->store, &r->arena, w->citizen_id,
				       life_event, answers, &plan, &bad);
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_FIELD,
				bad && strcmp(bad, "life_event")
					? hh_arena_printf(&r->arena, "answers.%s", bad)
					: "life_event",
				"unknown life event, question or answer");
		return;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	json_t *view;
	rc = hh_plan_view(r->app->store, &r->arena, w->citizen_id, plan.id, &view);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_header(r, "Location",
		       hh_arena_printf(&r->arena, "/api/v1/plans/%lld", (long long)plan.id));
	hh_resp_json(r, 201, view);
}

void hh_api_plan_get(struct hh_req *r)
{
	const struct hh_principal *w = citizen(r);
	if (!w)
		return;
	int64_t id = id_param(r);
	json_t *view;
	enum hh_rc rc = id ? hh_plan_view(r->app->store, &r->arena, w->citizen_id, id,
					  &view)
			   : HH_ERR_NOT_FOUND;
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, view);
}

/* ---- the overview ---------------------------------------------------- */

struct overview_ctx {
	struct hh_req *r;
	int64_t citizen_id;
	json_t *plans, *cases;
	int64_t plan_ids[64];
	int n_plans;
};

static enum hh_rc ov_plan(void *p, const struct hh_plan *pl)
{
	struct overview_ctx *c = p;
	if (c->n_plans < 64)
		c->plan_ids[c->n_plans++] = pl->id;
	return HH_OK;
}

static enum hh_rc ov_case(void *p, const struct hh_case *k)
{
	struct overview_ctx *c = p;
	json_array_append_new(c->cases, hh_case_json(k, NULL, 0));
	return HH_OK;
}

static enum hh_rc overview_tx(struct hh_tx *tx, void *p)
{
	struct overview_ctx *c = p;
	c->n_plans = 0;
	json_array_clear(c->cases);
	enum hh_rc rc = tx->store->plan_list(tx, &c->r->arena, c->citizen_id, ov_plan, c);
	struct hh_case_filter f = { .citizen_id = c->citizen_id, .sort = HH_SORT_NEWEST };
	if (rc == HH_OK)
		rc = tx->store->case_list(tx, &c->r->arena, &f, 0, 500, NULL, ov_case, c);
	return rc;
}

void hh_api_overview(struct hh_req *r)
{
	const struct hh_principal *w = citizen(r);
	if (!w)
		return;
	struct overview_ctx c = { .r = r, .citizen_id = w->citizen_id,
				  .plans = json_array(), .cases = json_array() };
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, overview_tx, &c);
	for (int i = 0; rc == HH_OK && i < c.n_plans; i++) {
		json_t *view;
		rc = hh_plan_view(r->app->store, &r->arena, w->citizen_id, c.plan_ids[i],
				  &view);
		if (rc == HH_OK)
			json_array_append_new(c.plans, view);
	}
	if (rc != HH_OK) {
		json_decref(c.plans);
		json_decref(c.cases);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:s, s:o, s:o}", "name", w->name, "plans",
				       c.plans, "cases", c.cases));
}

/* ---- case types ------------------------------------------------------ */

struct ct_ctx {
	struct hh_req *r;
	json_t *items;
	const char *code;
	json_t *one;
	int public_only;
};

static enum hh_rc ct_row(void *p, const struct hh_case_type *ct)
{
	struct ct_ctx *c = p;
	json_error_t e;
	json_t *def = json_loads(ct->definition, 0, &e);
	json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "code", ct->code, "name",
			      ct->name, "organisation", ct->organisation, "public",
			      ct->public);
	json_object_set(j, "description", json_object_get(def, "description") ?: json_null());
	json_object_set(j, "deadline", json_object_get(def, "deadline") ?: json_null());
	json_object_set(j, "kle", json_object_get(def, "kle") ?: json_null());
	if (c->code) {
		json_object_set(j, "states", json_object_get(def, "states"));
		json_object_set(j, "transitions", json_object_get(def, "transitions"));
		json_object_set(j, "form", json_object_get(def, "form") ?: json_null());
	}
	json_decref(def);
	json_array_append_new(c->items, j);
	return HH_OK;
}

static enum hh_rc ct_tx(struct hh_tx *tx, void *p)
{
	struct ct_ctx *c = p;
	json_array_clear(c->items);
	if (c->code) {
		struct hh_case_type ct;
		enum hh_rc rc = tx->store->case_type_get_by_code(tx, &c->r->arena, c->code, &ct);
		if (rc != HH_OK)
			return rc;
		if (c->public_only && !ct.public)
			return HH_ERR_NOT_FOUND;
		return ct_row(c, &ct);
	}
	return tx->store->case_type_list(tx, &c->r->arena, c->public_only, ct_row, c);
}

static void case_types(struct hh_req *r, const char *code)
{
	struct ct_ctx c = { r, json_array(), code, NULL, !works_cases(hh_auth(r)) };
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, ct_tx, &c);
	if (rc != HH_OK) {
		json_decref(c.items);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	if (code) {
		json_t *one = json_incref(json_array_get(c.items, 0));
		json_decref(c.items);
		hh_resp_json(r, 200, one);
	} else {
		hh_resp_json(r, 200, json_pack("{s:o}", "items", c.items));
	}
}

void hh_api_case_types(struct hh_req *r)
{
	case_types(r, NULL);
}

void hh_api_case_type(struct hh_req *r)
{
	case_types(r, hh_req_param(r, "code"));
}

/* ---- submitting ------------------------------------------------------ */

void hh_api_case_create(struct hh_req *r)
{
	const struct hh_principal *w = citizen(r);
	if (!w || !write_ok(r))
		return;
	const char *ct = hh_req_header(r, "Content-Type");
	if (ct && !strncasecmp(ct, "application/json", 16) &&
	    !hh_utf8_valid(hh_buf_str(&r->body), r->body.len)) {
		hh_resp_problem(r, HH_E_BAD_UTF8, NULL, NULL);
		return;
	}
	static const char *const keys[] = { "case_type", "values", "plan_id",
					    "step", NULL };
	json_t *root = object_body(r, keys);
	if (!root)
		return;
	struct hh_submission sub = {
		.case_type = json_string_value(json_object_get(root, "case_type")),
		.citizen_id = w->citizen_id,
		.municipality_id = w->municipality_id,
		.plan_id = json_integer_value(json_object_get(root, "plan_id")),
		.step = json_string_value(json_object_get(root, "step")),
		.values = json_object_get(root, "values"),
		.actor = w->actor,
		.public_only = 1, /* internal types (follow-ups) are not for citizens */
	};
	if (!sub.case_type) {
		hh_resp_problem(r, HH_E_MISSING_FIELD, "case_type", NULL);
		return;
	}
	if (!sub.values) {
		sub.values = json_object(); /* new: released with the request */
		hh_arena_defer(&r->arena, (void (*)(void *))json_decref, sub.values);
	}
	if (!json_is_object(sub.values)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "values",
				"values must be an object of field: value");
		return;
	}
	const char *key = hh_req_header(r, "Idempotency-Key");
	if (key) {
		if (!*key || strlen(key) > 200 || !hh_utf8_valid(key, strlen(key))) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "Idempotency-Key",
					"1 to 200 characters");
			return;
		}
		sub.idem_key = key;
		sub.idem_scope = hh_arena_printf(&r->arena, "citizen:%lld",
						 (long long)w->citizen_id);
	}
	struct hh_form_result res;
	struct hh_case c;
	int replayed;
	const char *why;
	enum hh_rc rc = hh_case_submit(r->app->store, &r->arena, &sub, &res, &c,
				       &replayed, &why);
	if (res.values)
		hh_arena_defer(&r->arena, (void (*)(void *))json_decref, res.values);
	if (rc == HH_ERR_INVALID && res.n_errors) {
		json_t *errs = json_array(), *warns = json_array();
		for (int i = 0; i < res.n_errors; i++)
			json_array_append_new(errs, json_pack("{s:s, s:s}", "field",
							      res.errors[i].field, "message",
							      res.errors[i].message));
		for (int i = 0; i < res.n_warnings; i++)
			json_array_append_new(warns, json_pack("{s:s, s:s}", "field",
							       res.warnings[i].field, "message",
							       res.warnings[i].message));
		json_t *j = hh_problem_json(HH_E_FORM_INVALID, res.errors[0].field, NULL,
					    r->path);
		json_object_set_new(j, "errors", errs);
		json_object_set_new(j, "warnings", warns);
		hh_resp_json(r, 422, j);
		r->content_type = "application/problem+json";
		return;
	}
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, why ? why : "case_type",
				why && !strcmp(why, "municipality")
					? "your municipality is not known, so the "
					  "case cannot be sent to it"
					: "unknown case type or plan");
		return;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_header(r, "Location",
		       hh_arena_printf(&r->arena, "/api/v1/cases/%lld", (long long)c.id));
	json_t *j = hh_case_json(&c, NULL, 1);
	if (res.display) /* amounts in data are øre; here as people read them */
		json_object_set(j, "data_display", res.display);
	json_t *warns = json_array();
	for (int i = 0; i < res.n_warnings; i++)
		json_array_append_new(warns, json_pack("{s:s, s:s}", "field",
						       res.warnings[i].field, "message",
						       res.warnings[i].message));
	json_object_set_new(j, "warnings", warns);
	json_object_set_new(j, "replayed", json_boolean(replayed));
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)c.version));
	hh_resp_json(r, replayed ? 200 : 201, j);
}

/* ---- lists ----------------------------------------------------------- */

struct list_ctx {
	struct hh_req *r;
	struct hh_case_filter f;
	int64_t limit, offset, total;
	json_t *items;
	const char *ct_code;
};

static enum hh_rc list_row(void *p, const struct hh_case *k)
{
	struct list_ctx *c = p;
	json_array_append_new(c->items, hh_case_json(k, NULL, 0));
	return HH_OK;
}

static enum hh_rc list_tx(struct hh_tx *tx, void *p)
{
	struct list_ctx *c = p;
	json_array_clear(c->items);
	if (c->ct_code) {
		struct hh_case_type ct;
		enum hh_rc rc = tx->store->case_type_get_by_code(tx, &c->r->arena,
								 c->ct_code, &ct);
		if (rc == HH_ERR_NOT_FOUND) {
			c->total = 0;
			return HH_OK;
		}
		if (rc != HH_OK)
			return rc;
		c->f.case_type_id = ct.id;
	}
	return tx->store->case_list(tx, &c->r->arena, &c->f, c->offset, c->limit,
				    &c->total, list_row, c);
}

void hh_api_cases(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	struct list_ctx c = { .r = r };
	if (!hh_req_query_int(r, "limit", 50, 1, 200, &c.limit) ||
	    !hh_req_query_int(r, "offset", 0, 0, 10000000, &c.offset))
		return;
	if (w->kind == HH_CITIZEN) {
		c.f.citizen_id = w->citizen_id;
		c.f.sort = HH_SORT_NEWEST;
	} else if (works_cases(w)) {
		c.f.org_id = w->org_id;
		const char *state = hh_req_query(r, "state");
		if (state && *state)
			c.f.state = state;
		const char *overdue = hh_req_query(r, "overdue");
		if (overdue && !strcmp(overdue, "1")) {
			c.f.overdue_at = 1;
			c.f.now = hh_now_us() / 1000000;
		}
		/* open cases by default; a chosen state shows all its cases
		 * (a final state has only closed ones) */
		const char *open = hh_req_query(r, "open");
		c.f.open_only = open ? strcmp(open, "0") != 0 : !c.f.state;
		const char *assigned = hh_req_query(r, "assigned");
		if (assigned && !strcmp(assigned, "me")) {
			if (w->kind != HH_USER) {
				hh_resp_problem(r, HH_E_INVALID_PARAM, "assigned",
						"assigned=me needs a signed-in user");
				return;
			}
			c.f.assigned_to = w->user_id;
		}
		const char *ct = hh_req_query(r, "case_type");
		if (ct && *ct)
			c.ct_code = ct;
		const char *sort = hh_req_query(r, "sort");
		if (sort && !strcmp(sort, "newest"))
			c.f.sort = HH_SORT_NEWEST;
		else if (sort && strcmp(sort, "deadline")) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "sort",
					"sort must be deadline or newest");
			return;
		}
	} else {
		hh_resp_problem(r, w->kind == HH_ANON ? HH_E_AUTH_REQUIRED : HH_E_FORBIDDEN,
				NULL, NULL);
		return;
	}
	c.items = json_array();
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, list_tx, &c);
	if (rc != HH_OK) {
		json_decref(c.items);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:o, s:I, s:I, s:I}", "items", c.items,
				       "total", (json_int_t)c.total, "limit",
				       (json_int_t)c.limit, "offset",
				       (json_int_t)c.offset));
}

/* ---- one case -------------------------------------------------------- */

struct one_ctx {
	struct hh_req *r;
	int64_t id, citizen_id;
	struct hh_case c;
	json_t *events;
};

static enum hh_rc ev_row(void *p, const struct hh_event *e)
{
	struct one_ctx *c = p;
	char at[21];
	hh_time_iso(e->at_us / 1000000, at);
	json_error_t err;
	json_t *after = e->after ? json_loads(e->after, 0, &err) : NULL;
	json_t *j = json_pack("{s:s, s:s, s:s}", "at", at, "action", e->action,
			      "actor", strncmp(e->actor, "citizen", 7) ? "staff" : "citizen");
	if (after) {
		const char *keys[] = { "state", "note", "question", "answer" };
		for (int i = 0; i < 4; i++)
			if (json_object_get(after, keys[i]))
				json_object_set(j, keys[i], json_object_get(after, keys[i]));
		json_decref(after);
	}
	/* a citizen sees no internal notes */
	if (c->citizen_id && !strcmp(e->action, "note")) {
		json_decref(j);
		return HH_OK;
	}
	json_array_append_new(c->events, j);
	return HH_OK;
}

static enum hh_rc citizen_case_tx(struct hh_tx *tx, void *p)
{
	struct one_ctx *c = p;
	enum hh_rc rc = tx->store->case_get(tx, &c->r->arena, c->id, &c->c);
	if (rc != HH_OK)
		return rc;
	if (c->c.citizen_id != c->citizen_id)
		return HH_ERR_NOT_FOUND;
	json_array_clear(c->events);
	return tx->store->event_list(tx, &c->r->arena, "case", c->id, ev_row, c);
}

static enum hh_rc staff_events_tx(struct hh_tx *tx, void *p)
{
	struct one_ctx *c = p;
	json_array_clear(c->events);
	return tx->store->event_list(tx, &c->r->arena, "case", c->id, ev_row, c);
}

void hh_api_case_get(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	struct one_ctx c = { .r = r, .id = id_param(r) };
	if (!c.id) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return;
	}
	c.events = json_array();
	hh_arena_defer(&r->arena, (void (*)(void *))json_decref, c.events);
	enum hh_rc rc;
	if (w->kind == HH_CITIZEN) {
		c.citizen_id = w->citizen_id;
		rc = hh_store_run_tx(r->app->store, 0, citizen_case_tx, &c);
	} else if (works_cases(w)) {
		struct hh_actor who;
		hh_actor_of(r, &who);
		rc = hh_case_get_staff(r->app->store, &r->arena, &who, c.id,
				       "sagsbehandling", &c.c);
		if (rc == HH_OK)
			rc = hh_store_run_tx(r->app->store, 0, staff_events_tx, &c);
	} else {
		hh_resp_problem(r, w->kind == HH_ANON ? HH_E_AUTH_REQUIRED : HH_E_FORBIDDEN,
				NULL, NULL);
		return;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	json_t *j = hh_case_json(&c.c, NULL, 1);
	json_object_set(j, "history", c.events);
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)c.c.version));
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, j);
}

/* ---- staff changes --------------------------------------------------- */

static int staff_write(struct hh_req *r, struct hh_actor *who)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return 0;
	}
	if (!works_cases(w)) {
		hh_resp_problem(r, w->kind == HH_CITIZEN ? HH_E_NOT_FOUND : HH_E_FORBIDDEN,
				NULL, NULL);
		return 0;
	}
	if (!write_ok(r))
		return 0;
	hh_actor_of(r, who);
	return 1;
}

void hh_api_case_transition(struct hh_req *r)
{
	struct hh_actor who;
	if (!staff_write(r, &who))
		return;
	const char *to = NULL, *note = NULL;
	int64_t version = 0;
	struct hh_json_spec spec[] = { HH_JSON_STR("to", &to, 1, 1, 40),
				       HH_JSON_STR("note", &note, 0, 0, 2000),
				       HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	int64_t v = version_of(r, version, 1);
	if (v < 0)
		return;
	struct hh_case c;
	int followups = 0;
	enum hh_rc rc = hh_case_transition(r->app->store, &r->arena, &who, id_param(r),
					   to, v, note, &c, &followups);
	if (rc != HH_OK) {
		case_failed(r, rc);
		return;
	}
	hh_resp_header(r, "X-Followups", hh_arena_printf(&r->arena, "%d", followups));
	send_case(r, 200, &c);
}

void hh_api_case_assign(struct hh_req *r)
{
	struct hh_actor who;
	if (!staff_write(r, &who))
		return;
	const char *assignee = NULL;
	int64_t version = 0;
	struct hh_json_spec spec[] = { HH_JSON_STR("assignee", &assignee, 1, 2, 6),
				       HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	const struct hh_principal *w = hh_auth(r);
	int64_t user = 0;
	if (!strcmp(assignee, "me") && w->kind == HH_USER)
		user = w->user_id;
	else if (strcmp(assignee, "nobody")) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "assignee",
				"assignee must be \"me\" (a signed-in user) or \"nobody\"");
		return;
	}
	int64_t v = version_of(r, version, 1);
	if (v < 0)
		return;
	struct hh_case c;
	enum hh_rc rc = hh_case_assign(r->app->store, &r->arena, &who, id_param(r), user,
				       v, &c);
	if (rc != HH_OK) {
		case_failed(r, rc);
		return;
	}
	send_case(r, 200, &c);
}

void hh_api_case_note(struct hh_req *r)
{
	struct hh_actor who;
	if (!staff_write(r, &who))
		return;
	const char *text = NULL;
	struct hh_json_spec spec[] = { HH_JSON_STR("text", &text, 1, 1, 5000),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	enum hh_rc rc = hh_case_note(r->app->store, &r->arena, &who, id_param(r), text);
	if (rc != HH_OK) {
		case_failed(r, rc);
		return;
	}
	hh_resp_text(r, 204, NULL, "");
}

void hh_api_case_request(struct hh_req *r)
{
	struct hh_actor who;
	if (!staff_write(r, &who))
		return;
	const char *question = NULL;
	int64_t version = 0;
	struct hh_json_spec spec[] = { HH_JSON_STR("question", &question, 1, 1, 2000),
				       HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	int64_t v = version_of(r, version, 1);
	if (v < 0)
		return;
	struct hh_case c;
	enum hh_rc rc = hh_case_request(r->app->store, &r->arena, &who, id_param(r),
					question, v, &c);
	if (rc != HH_OK) {
		case_failed(r, rc);
		return;
	}
	send_case(r, 200, &c);
}

void hh_api_case_answer(struct hh_req *r)
{
	const struct hh_principal *w = citizen(r);
	if (!w || !write_ok(r))
		return;
	const char *answer = NULL;
	struct hh_json_spec spec[] = { HH_JSON_STR("answer", &answer, 1, 1, 5000),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	struct hh_case c;
	enum hh_rc rc = hh_case_answer(r->app->store, &r->arena, w->citizen_id,
				       id_param(r), answer, &c);
	if (rc != HH_OK) {
		case_failed(r, rc);
		return;
	}
	send_case(r, 200, &c);
}

/* ---- who looked at my data ------------------------------------------- */

struct audit_ctx {
	struct hh_req *r;
	int64_t citizen_id;
	json_t *items;
};

static enum hh_rc audit_row(void *p, const struct hh_audit *e)
{
	struct audit_ctx *c = p;
	char at[21];
	hh_time_iso(e->at, at);
	json_array_append_new(c->items, json_pack("{s:s, s:s, s:s, s:s}", "at", at,
						  "who", e->actor, "what", e->what,
						  "why", e->why));
	return HH_OK;
}

static enum hh_rc audit_tx(struct hh_tx *tx, void *p)
{
	struct audit_ctx *c = p;
	json_array_clear(c->items);
	return tx->store->audit_list(tx, &c->r->arena, c->citizen_id, 200, audit_row, c);
}

void hh_api_audit(struct hh_req *r)
{
	const struct hh_principal *w = citizen(r);
	if (!w)
		return;
	struct audit_ctx c = { r, w->citizen_id, json_array() };
	enum hh_rc rc = hh_store_run_tx(r->app->store, 0, audit_tx, &c);
	if (rc != HH_OK) {
		json_decref(c.items);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "items", c.items));
}
