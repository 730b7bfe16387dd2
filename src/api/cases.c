/* cases.c - the citizen's journey and the caseworker's queue over the API:
 * life events, plans, case types, cases, the overview, the audit trail.
 *
 * A door: each handler parses the request, calls one domain function with
 * the caller as an actor (the domain applies the access table) and
 * renders JSON. Refusals map as access.h says: NOT_FOUND is a 404 as for
 * an unknown id, FORBIDDEN is 403, or 401 for a caller who should sign in
 * (as a citizen, where only a citizen has the thing). */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/dktime.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/caseread.h"
#include "domain/cases.h"
#include "domain/casetools.h"
#include "domain/catalogue.h"
#include "domain/citizens.h"
#include "domain/kle.h" /* kle (issue 15) */
#include "domain/external.h"
#include "domain/letters.h"
#include "domain/overview.h"
#include "domain/agreements.h"
#include "domain/parties.h"
#include "domain/plans.h"
#include "domain/queue.h"

/* ---- helpers --------------------------------------------------------- */

/* json, released with the request (borrowed by the caller). */
static json_t *keep(struct hh_req *r, json_t *json)
{
	hh_arena_defer(&r->arena, hh_json_release, json);
	return json;
}

/* Queues the refusal for rc. citizen_only: the thing exists only for
 * citizens, so a caller who is not one is told to sign in as one. */
static void refuse(struct hh_req *r, enum hh_rc rc, int citizen_only)
{
	if (rc == HH_ERR_FORBIDDEN && citizen_only)
		hh_resp_problem(r, HH_E_CITIZEN_REQUIRED, NULL, NULL);
	else if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

static int write_ok(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return 0;
	}
	return 1;
}

/* The version from If-Match or the body; queues 428/400 and returns -1. */
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

static void case_failed(struct hh_req *r, enum hh_rc rc, int citizen_only)
{
	if (rc == HH_ERR_CONFLICT)
		hh_resp_problem(r, HH_E_STALE_VERSION, "version",
				"the case was changed by someone else; fetch it again");
	else if (rc == HH_ERR_INVALID)
		hh_resp_problem(r, HH_E_TRANSITION_NOT_ALLOWED, NULL, NULL);
	else
		refuse(r, rc, citizen_only);
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
	keep(r, root);
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

/* [{field, message}, ...] of n form messages (new reference). */
static json_t *messages_json(const struct hh_form_msg *m, int n)
{
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "field", m[i].field,
						     "message", m[i].message));
	return out;
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
	if (hh_auth(r)->kind != HH_CITIZEN) {
		hh_resp_problem(r, HH_E_CITIZEN_REQUIRED, NULL, NULL);
		return;
	}
	if (!write_ok(r))
		return;
	hh_citizen_logout(r->app->store, hh_req_cookie(r, "hh_borger"));
	hh_cookie_clear(r, HH_COOKIE_STRICT, "hh_borger", NULL);
	hh_resp_text(r, 204, NULL, "");
}

/* ---- life events and plans ------------------------------------------ */

static enum hh_rc le_row(void *p, const struct hh_life_event *le)
{
	json_array_append_new(p, json_pack("{s:s, s:s, s:s}", "slug", le->slug,
					   "title", le->title, "summary", le->summary));
	return HH_OK;
}

void hh_api_life_events(struct hh_req *r)
{
	json_t *items = keep(r, json_array());
	enum hh_rc rc = hh_life_event_each(r->app->store, &r->arena, le_row, items);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:O}", "items", items));
}

void hh_api_life_event(struct hh_req *r)
{
	struct hh_life_event le;
	enum hh_rc rc = hh_life_event_read(r->app->store, &r->arena,
					   hh_req_param(r, "slug"), &le);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	json_error_t e;
	json_t *one = json_loads(le.definition, 0, &e);
	if (!json_is_object(one)) {
		json_decref(one);
		one = json_object();
	}
	json_object_set_new(one, "slug", json_string(le.slug));
	hh_resp_json(r, 200, one);
}

void hh_api_plan_create(struct hh_req *r)
{
	if (!write_ok(r))
		return;
	/* {"life_event": "...", "answers": {"question": "answer", ...}} */
	static const char *const keys[] = { "life_event", "answers", NULL };
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *root = object_body(r, keys);
	if (!root)
		return;
	const char *life_event = json_string_value(json_object_get(root, "life_event"));
	json_t *answers = json_object_get(root, "answers");
	if (!life_event) {
		hh_resp_problem(r, HH_E_MISSING_FIELD, "life_event", NULL);
		return;
	}
	if (!answers)
		answers = keep(r, json_object());
	if (!json_is_object(answers)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "answers",
				"answers must be an object of question: answer");
		return;
	}
	struct hh_plan plan;
	const char *bad = NULL;
	enum hh_rc rc = hh_plan_make(r->app->store, &r->arena, &who, life_event,
				     answers, &plan, &bad);
	json_t *view = NULL;
	if (rc == HH_OK)
		rc = hh_plan_read(r->app->store, &r->arena, &who, plan.id, &view);
	if (rc == HH_ERR_NOT_FOUND || rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_FIELD,
				rc == HH_ERR_INVALID && bad
					? hh_arena_printf(&r->arena, "answers.%s", bad)
					: "life_event",
				"unknown life event, question or answer");
		return;
	}
	if (rc != HH_OK) {
		refuse(r, rc, 1);
		return;
	}
	hh_resp_header(r, "Location",
		       hh_arena_printf(&r->arena, "/api/v1/plans/%lld", (long long)plan.id));
	hh_resp_json(r, 201, view);
}

void hh_api_plan_get(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *view;
	enum hh_rc rc = hh_plan_read(r->app->store, &r->arena, &who,
				     hh_req_id(r, "id", NULL), &view);
	if (rc != HH_OK) {
		refuse(r, rc, 1);
		return;
	}
	hh_resp_json(r, 200, view);
}

/* ---- the overview ---------------------------------------------------- */

void hh_api_overview(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_overview ov;
	enum hh_rc rc = hh_overview_read(r->app->store, &r->arena, &who, 1, &ov);
	if (rc != HH_OK) {
		refuse(r, rc, 1);
		return;
	}
	json_t *plans = json_array(), *cases = json_array();
	for (int i = 0; i < ov.n_plans; i++)
		json_array_append(plans, ov.plans[i].view);
	for (int i = 0; i < ov.n_cases; i++)
		json_array_append_new(cases, hh_case_json(&ov.cases[i].c,
							  ov.cases[i].def, 0));
	/* x-ext: other authorities' cases, as their systems reported them */
	json_t *external = json_array();
	for (int i = 0; i < ov.n_external; i++)
		json_array_append_new(external, hh_external_json(&ov.external[i], 0));
	/* p-parties: the cases of others the citizen is a party to */
	json_t *invitations = json_array();
	for (int i = 0; i < ov.n_invitations; i++)
		json_array_append_new(invitations,
				      hh_invitation_json(&ov.invitations[i]));
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:s, s:o, s:o, s:o, s:o}", "name",
				       hh_auth(r)->name, "plans", plans, "cases",
				       cases, "external_cases", external,
				       "invitations", invitations));
}

/* ---- case types ------------------------------------------------------ */

/* A case type as JSON; full adds its states, transitions and form. */
static json_t *case_type_json(const struct hh_case_type *ct, int full)
{
	json_error_t e;
	json_t *def = json_loads(ct->definition, 0, &e);
	json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "code", ct->code, "name",
			      ct->name, "organisation", ct->organisation, "public",
			      ct->public);
	json_object_set(j, "description", json_object_get(def, "description") ?: json_null());
	json_object_set(j, "deadline", json_object_get(def, "deadline") ?: json_null());
	json_object_set(j, "kle", json_object_get(def, "kle") ?: json_null());
	if (full) {
		json_object_set(j, "states", json_object_get(def, "states"));
		json_object_set(j, "transitions", json_object_get(def, "transitions"));
		json_object_set(j, "form", json_object_get(def, "form") ?: json_null());
	}
	json_decref(def);
	return j;
}

/* kle (issue 15): each case type of items gets "kle_title", the imported
 * title of its KLE number (null: none, or none imported; domain/kle.h) */
static void add_kle_titles(struct hh_req *r, json_t *items)
{
	size_t n = json_array_size(items);
	if (!n)
		return;
	const char **kle = hh_arena_calloc(&r->arena, n * sizeof(*kle));
	const char **title = hh_arena_calloc(&r->arena, n * sizeof(*title));
	for (size_t i = 0; i < n; i++)
		kle[i] = json_string_value(
			json_object_get(json_array_get(items, i), "kle"));
	hh_kle_titles(r->app->store, &r->arena, (int)n, kle, title);
	for (size_t i = 0; i < n; i++)
		json_object_set_new(json_array_get(items, i), "kle_title",
				    title[i] ? json_string(title[i]) : json_null());
}

static enum hh_rc ct_row(void *p, const struct hh_case_type *ct)
{
	json_array_append_new(p, case_type_json(ct, 0));
	return HH_OK;
}

void hh_api_case_types(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = keep(r, json_array());
	enum hh_rc rc = hh_case_type_each(r->app->store, &r->arena, &who, ct_row, items);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	add_kle_titles(r, items); /* kle (issue 15) */
	hh_resp_json(r, 200, json_pack("{s:O}", "items", items));
}

void hh_api_case_type(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_case_type ct;
	enum hh_rc rc = hh_case_type_read(r->app->store, &r->arena, &who,
					  hh_req_param(r, "code"), &ct);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	json_t *j = case_type_json(&ct, 1);
	json_t *one = keep(r, json_pack("[O]", j)); /* kle (issue 15) */
	add_kle_titles(r, one);
	hh_resp_json(r, 200, j);
}

/* ---- submitting ------------------------------------------------------ */

/* 422 with every field error and warning. */
static void form_invalid(struct hh_req *r, const struct hh_form_result *res)
{
	json_t *j = hh_problem_json(HH_E_FORM_INVALID, res->errors[0].field, NULL,
				    r->path);
	json_object_set_new(j, "errors", messages_json(res->errors, res->n_errors));
	json_object_set_new(j, "warnings",
			    messages_json(res->warnings, res->n_warnings));
	hh_resp_json_as(r, 422, "application/problem+json", j);
}

/* Reads the submission from the body into sub; queues a problem and
 * returns 0 when it is not one. */
static int submission_of(struct hh_req *r, struct hh_submission *sub)
{
	const char *ct = hh_req_header(r, "Content-Type");
	if (ct && !strncasecmp(ct, "application/json", 16) &&
	    !hh_utf8_valid(hh_buf_str(&r->body), r->body.len)) {
		hh_resp_problem(r, HH_E_BAD_UTF8, NULL, NULL);
		return 0;
	}
	static const char *const keys[] = { "case_type", "values", "plan_id",
					    "step", NULL };
	json_t *root = object_body(r, keys);
	if (!root)
		return 0;
	memset(sub, 0, sizeof(*sub));
	sub->case_type = json_string_value(json_object_get(root, "case_type"));
	sub->plan_id = json_integer_value(json_object_get(root, "plan_id"));
	sub->step = json_string_value(json_object_get(root, "step"));
	sub->values = json_object_get(root, "values");
	sub->public_only = 1; /* internal types (follow-ups) are not for citizens */
	if (!sub->case_type) {
		hh_resp_problem(r, HH_E_MISSING_FIELD, "case_type", NULL);
		return 0;
	}
	if (!sub->values)
		sub->values = keep(r, json_object());
	if (!json_is_object(sub->values)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "values",
				"values must be an object of field: value");
		return 0;
	}
	const char *key = hh_req_header(r, "Idempotency-Key");
	if (key) {
		if (!*key || strlen(key) > 200 || !hh_utf8_valid(key, strlen(key))) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "Idempotency-Key",
					"1 to 200 characters");
			return 0;
		}
		sub->idem_key = key;
		sub->idem_scope = hh_arena_printf(&r->arena, "citizen:%lld",
						  (long long)hh_auth(r)->citizen_id);
	}
	return 1;
}

void hh_api_case_create(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_submission sub;
	if (!write_ok(r) || !submission_of(r, &sub))
		return;
	struct hh_form_result res;
	struct hh_case c;
	int replayed;
	enum hh_submit_fault fault;
	enum hh_rc rc = hh_case_submit_as(r->app->store, &r->arena, &who, &sub, &res,
					  &c, &replayed, &fault);
	if (res.values)
		keep(r, res.values);
	if (rc == HH_ERR_INVALID && res.n_errors) {
		form_invalid(r, &res);
		return;
	}
	if (rc == HH_ERR_INVALID) {
		if (fault == HH_SUBMIT_MUNICIPALITY)
			hh_resp_problem(r, HH_E_INVALID_FIELD, "municipality",
					"your municipality is not known, so the "
					"case cannot be sent to it");
		else
			hh_resp_problem(r, HH_E_INVALID_FIELD,
					fault == HH_SUBMIT_PLAN ? "plan_id" : "case_type",
					"unknown case type or plan");
		return;
	}
	if (rc == HH_ERR_CONFLICT && fault == HH_SUBMIT_KEY_REUSED) {
		hh_resp_problem(r, HH_E_IDEMPOTENCY_KEY_REUSED, "Idempotency-Key", NULL);
		return;
	}
	if (rc == HH_ERR_FORBIDDEN && fault == HH_SUBMIT_ASSURANCE) {
		hh_resp_problem(r, HH_E_ASSURANCE_TOO_LOW, NULL, NULL);
		return;
	}
	if (rc != HH_OK) {
		refuse(r, rc, 1);
		return;
	}
	hh_resp_header(r, "Location",
		       hh_arena_printf(&r->arena, "/api/v1/cases/%lld", (long long)c.id));
	json_t *j = hh_case_json(&c, NULL, 1);
	if (res.display) /* amounts in data are øre; here as people read them */
		json_object_set(j, "data_display", res.display);
	json_object_set_new(j, "warnings", messages_json(res.warnings, res.n_warnings));
	json_object_set_new(j, "replayed", json_boolean(replayed));
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)c.version));
	hh_resp_json(r, replayed ? 200 : 201, j);
}

/* ---- lists ----------------------------------------------------------- */

static enum hh_rc list_row(void *p, const struct hh_case *k)
{
	json_array_append_new(p, hh_case_json(k, NULL, 0));
	return HH_OK;
}

/* The staff filters from the query string; queues a 400 and returns 0
 * for a value that is not one. */
static int queue_query_of(struct hh_req *r, struct hh_queue_query *q)
{
	q->state = hh_req_query(r, "state");
	const char *overdue = hh_req_query(r, "overdue");
	q->overdue = overdue && !strcmp(overdue, "1");
	const char *open = hh_req_query(r, "open");
	q->open = open ? strcmp(open, "0") != 0 : -1;
	const char *assigned = hh_req_query(r, "assigned");
	if (assigned && !strcmp(assigned, "me")) {
		if (hh_auth(r)->kind != HH_USER) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "assigned",
					"assigned=me needs a signed-in user");
			return 0;
		}
		q->assigned_to = hh_auth(r)->user_id;
	}
	q->case_type = hh_req_query(r, "case_type");
	/* casework tools: find, stage, team */
	q->find = hh_req_query(r, "q");
	q->team = hh_req_query(r, "team");
	q->stage = hh_req_query(r, "stage");
	if (q->stage && *q->stage && hh_stage_parse(q->stage) == HH_STAGE_NONE) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "stage",
				"stage must be ny, behandling, afventer, afgjort "
				"or lukket");
		return 0;
	}
	if (q->find && (strlen(q->find) > 100 ||
			!hh_utf8_valid(q->find, strlen(q->find)))) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "q",
				"q is at most 100 characters of UTF-8");
		return 0;
	}
	const char *sort = hh_req_query(r, "sort");
	q->newest = sort && !strcmp(sort, "newest");
	if (sort && !q->newest && strcmp(sort, "deadline")) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "sort",
				"sort must be deadline or newest");
		return 0;
	}
	return 1;
}

void hh_api_cases(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_queue_query q = { .open = -1 };
	if (!hh_req_query_int(r, "limit", 50, 1, 200, &q.limit) ||
	    !hh_req_query_int(r, "offset", 0, 0, 10000000, &q.offset))
		return;
	/* a citizen's list has no filters */
	if (hh_case_works(&who) && !queue_query_of(r, &q))
		return;
	json_t *items = keep(r, json_array());
	int64_t total;
	enum hh_rc rc = hh_case_queue(r->app->store, &r->arena, &who, &q, &total,
				      list_row, items);
	if (rc != HH_OK) {
		refuse(r, rc, 0);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:O, s:I, s:I, s:I}", "items", items,
				       "total", (json_int_t)total, "limit",
				       (json_int_t)q.limit, "offset",
				       (json_int_t)q.offset));
}

/* ---- one case -------------------------------------------------------- */

static json_t *history_json(const struct hh_case_read *v)
{
	json_t *out = json_array();
	for (int i = 0; i < v->n_events; i++) {
		const struct hh_case_event *e = &v->events[i];
		char at[21];
		hh_time_iso(e->at, at);
		json_t *j = json_pack("{s:s, s:s, s:s}", "at", at, "action", e->action,
				      "actor", e->by_citizen ? "citizen" : "staff");
		static const char *const keys[] = { "state", "note", "question",
						    "answer" };
		for (int k = 0; k < 4; k++) {
			json_t *val = json_object_get(e->after_json, keys[k]);
			if (val)
				json_object_set(j, keys[k], val);
		}
		/* casework tools: whom an assignment went to */
		if (!strcmp(e->action, "assign") && !v->for_citizen) {
			int64_t uid = json_integer_value(json_object_get(e->after_json,
									 "assigned_to"));
			const char *name = uid ? hh_case_read_person(v, uid) : NULL;
			json_t *team = json_object_get(e->after_json, "team_name");
			json_object_set_new(j, "assigned_to",
					    name ? json_string(name) : json_null());
			json_object_set(j, "assigned_team_name",
					team ? team : json_null());
		}
		json_array_append_new(out, j);
	}
	return out;
}

/* The staff's part of a case (casework tools): its files, the citizen's
 * other cases at the organisation, and where a follow-up came from. */
static void staff_tools_json(json_t *j, const struct hh_case_read *v)
{
	json_t *files = json_array();
	for (int i = 0; i < v->n_files; i++) {
		const struct hh_case_file *f = &v->files[i];
		char at[21];
		hh_time_iso(f->created_at, at);
		char href[80];
		snprintf(href, sizeof(href), "/api/v1/cases/%lld/files/%lld",
			 (long long)v->c.id, (long long)f->id);
		json_array_append_new(
			files,
			json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "id",
				  (json_int_t)f->id, "field", f->field, "name", f->name,
				  "content_type", f->content_type, "size",
				  (json_int_t)f->size, "created_at", at, "href", href));
	}
	json_object_set_new(j, "files", files);
	json_t *others = json_array();
	for (int i = 0; i < v->n_others; i++)
		json_array_append_new(others, hh_case_json(&v->others[i], NULL, 0));
	json_object_set_new(j, "other_cases", others);
	json_object_set_new(j, "other_cases_total", json_integer(v->others_total));
	json_object_set_new(j, "origin", v->origin ? json_incref(v->origin)
						    : json_null());
}

void hh_api_case_get(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_case_read *v = hh_arena_calloc(&r->arena, sizeof(*v));
	enum hh_rc rc =
		hh_case_read(r->app->store, &r->arena, &who,
			     hh_req_id(r, "id", NULL), "sagsbehandling", v);
	if (rc != HH_OK) {
		refuse(r, rc, 0);
		return;
	}
	json_t *j = hh_case_json(&v->c, NULL, 1);
	json_object_set_new(j, "history", history_json(v));
	/* p-parties: the other parties and where they stand */
	json_object_set_new(j, "parties", v->parties ? json_incref(v->parties)
						     : json_array());
	if (!v->for_citizen)
		staff_tools_json(j, v);
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)v->c.version));
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, j);
}

/* ---- staff changes --------------------------------------------------- */

/* Casework is for those who work cases (the access table); to a citizen
 * the staff side of a case does not exist. Queues the refusal and
 * returns 0 otherwise; checks the CSRF token. */
static int staff_write(struct hh_req *r, struct hh_actor *who)
{
	hh_actor_of(r, who);
	if (!hh_case_works(who)) {
		const struct hh_principal *w = hh_auth(r);
		hh_resp_problem(r, w->kind == HH_ANON      ? HH_E_AUTH_REQUIRED
				   : w->kind == HH_CITIZEN ? HH_E_NOT_FOUND
							   : HH_E_FORBIDDEN,
				NULL, NULL);
		return 0;
	}
	return write_ok(r);
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
	enum hh_rc rc = hh_case_transition(r->app->store, &r->arena, &who,
					   hh_req_id(r, "id", NULL), to, v,
					   note, &c, &followups);
	const char *letter = NULL;
	if (rc == HH_ERR_INVALID &&
	    hh_letter_required(r->app->store, &r->arena, &who,
			       hh_req_id(r, "id", NULL), to,
			       &letter) == HH_OK &&
	    letter) {
		/* letters: the decision goes with its letter */
		hh_resp_problem(r, HH_E_LETTER_REQUIRED, "to",
				hh_arena_printf(&r->arena, "the move needs a '%s' letter",
						letter));
		return;
	}
	int64_t opens = 0, closed = 0;
	const char *wait = NULL;
	if (rc == HH_ERR_INVALID &&
	    hh_case_wait(r->app->store, &r->arena, &who, hh_req_id(r, "id", NULL),
			 to, &opens, &closed, &wait) == HH_OK &&
	    (opens || closed)) {
		/* a timed wait: when the move may happen, or could */
		char at[HH_ISO8601_SIZE];
		hh_iso8601_dk(opens ? opens : closed, at);
		json_t *j = hh_problem_json(
			opens ? HH_E_TRANSITION_NOT_YET : HH_E_TRANSITION_TOO_LATE,
			"to",
			hh_arena_printf(&r->arena,
					opens ? "the move may happen from %s"
					      : "the move could happen until %s",
					at),
			r->path);
		json_object_set_new(j, opens ? "opens_at" : "closed_at", json_string(at));
		hh_resp_json_as(r, 409, "application/problem+json", j);
		return;
	}
	if (rc != HH_OK) {
		case_failed(r, rc, 0);
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
	const char *assignee = NULL, *team = NULL;
	int64_t version = 0, user_id = 0;
	/* "assignee": "me" or "nobody"; or a colleague ("user_id") or a
	 * team ("team"): exactly one of the three */
	struct hh_json_spec spec[] = { HH_JSON_STR("assignee", &assignee, 0, 2, 6),
				       HH_JSON_INT("user_id", &user_id, 0, 1, INT64_MAX),
				       HH_JSON_STR("team", &team, 0, 1, 64),
				       HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	const struct hh_principal *w = hh_auth(r);
	int64_t user = user_id;
	if ((assignee != NULL) + (user_id != 0) + (team != NULL) != 1) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "assignee",
				"give one of assignee (\"me\" or \"nobody\"), "
				"user_id or team");
		return;
	}
	if (assignee && !strcmp(assignee, "me") && w->kind == HH_USER)
		user = w->user_id;
	else if (assignee && strcmp(assignee, "nobody")) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "assignee",
				"assignee must be \"me\" (a signed-in user) or \"nobody\"");
		return;
	}
	int64_t v = version_of(r, version, 1);
	if (v < 0)
		return;
	struct hh_case c;
	enum hh_assign_fault fault = HH_ASSIGN_FINE;
	enum hh_rc rc = hh_case_assign_to(r->app->store, &r->arena, &who,
					  hh_req_id(r, "id", NULL), user, team,
					  v, &c, &fault);
	if (rc == HH_ERR_INVALID && fault != HH_ASSIGN_CLOSED) {
		hh_resp_problem(r, HH_E_INVALID_FIELD,
				fault == HH_ASSIGN_TEAM ? "team" : "user_id",
				hh_assign_fault_text(fault));
		return;
	}
	if (rc != HH_OK) {
		case_failed(r, rc, 0);
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
	enum hh_rc rc = hh_case_note(r->app->store, &r->arena, &who,
				     hh_req_id(r, "id", NULL), text);
	if (rc != HH_OK) {
		case_failed(r, rc, 0);
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
	int by_letter = 0; /* letters: sent as a request letter where the
			      case type has one */
	enum hh_rc rc = hh_letter_request(r->app->store, &r->arena, &who,
					  hh_req_id(r, "id", NULL), question, v,
					  &c, &by_letter);
	if (rc != HH_OK) {
		case_failed(r, rc, 0);
		return;
	}
	send_case(r, 200, &c);
}

void hh_api_case_answer(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!write_ok(r))
		return;
	const char *answer = NULL;
	struct hh_json_spec spec[] = { HH_JSON_STR("answer", &answer, 1, 1, 5000),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	struct hh_case c;
	enum hh_rc rc = hh_case_answer(r->app->store, &r->arena, &who,
				       hh_req_id(r, "id", NULL), answer, &c);
	if (rc != HH_OK) {
		case_failed(r, rc, 1);
		return;
	}
	send_case(r, 200, &c);
}

/* ---- the other parties (issue 16, domain/parties.h) --------------------- */

/* GET /api/v1/cases/{id}/parties/me: the case as the signed-in citizen,
 * a party to it, sees it: their invitation, the case's state, the
 * fields shared with them; 404 when they are no party to it. */
void hh_api_case_party_get(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_invitation v;
	enum hh_rc rc = hh_invitation_read(r->app->store, &r->arena, &who,
					   hh_req_id(r, "id", NULL), &v);
	if (rc != HH_OK) {
		refuse(r, rc, 1);
		return;
	}
	if (v.low_assurance) {
		/* the shared fields need level substantial, as CPR fields */
		hh_resp_problem(r, HH_E_ASSURANCE_TOO_LOW, NULL,
				"reading and answering an invitation needs "
				"assurance level substantial or high");
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, hh_invitation_json(&v));
}

/* POST /api/v1/cases/{id}/parties/me {"answer": "confirm"|"decline"}:
 * the party's answer; 404 for anyone not invited, 409 when answered
 * already, past its time, or the case no longer waits. */
void hh_api_case_party_answer(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!write_ok(r))
		return;
	const char *answer = NULL;
	struct hh_json_spec spec[] = { HH_JSON_STR("answer", &answer, 1, 1, 20),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	int confirm = !strcmp(answer, "confirm");
	if (!confirm && strcmp(answer, "decline")) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "answer",
				"answer must be confirm or decline");
		return;
	}
	int64_t id = hh_req_id(r, "id", NULL);
	struct hh_case c;
	enum hh_party_fault fault;
	enum hh_rc rc = hh_party_answer(r->app->store, &r->arena, &who, id, confirm,
					&c, &fault);
	if (rc == HH_ERR_FORBIDDEN && fault == HH_PARTY_ASSURANCE) {
		hh_resp_problem(r, HH_E_ASSURANCE_TOO_LOW, NULL,
				"reading and answering an invitation needs "
				"assurance level substantial or high");
		return;
	}
	if (rc == HH_ERR_CONFLICT && fault == HH_PARTY_SIGN) { /* p-agree */
		hh_resp_problem(r, HH_E_AGREEMENT_SIGN_REQUIRED, "answer", NULL);
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		hh_resp_problem(r, fault == HH_PARTY_EXPIRED	  ? HH_E_PARTY_EXPIRED
				   : fault == HH_PARTY_ANSWERED ? HH_E_PARTY_ANSWERED
								: HH_E_PARTY_CASE_CLOSED,
				NULL, NULL);
		return;
	}
	struct hh_invitation v;
	if (rc == HH_OK)
		rc = hh_invitation_read(r->app->store, &r->arena, &who, id, &v);
	if (rc != HH_OK) {
		refuse(r, rc, 1);
		return;
	}
	hh_resp_json(r, 200, hh_invitation_json(&v));
}

/* ---- agreements signed by both (p-agree, domain/agreements.h) ---------- */

/* A refusal of an agreement's read, signature or change. */
static void agreement_refused(struct hh_req *r, enum hh_rc rc,
			      enum hh_agreement_fault fault, int writing)
{
	if (rc == HH_ERR_FORBIDDEN && fault == HH_AGR_ASSURANCE) {
		hh_resp_problem(r, HH_E_ASSURANCE_TOO_LOW, NULL,
				"an agreement is read and signed at assurance "
				"level substantial or high");
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		hh_resp_problem(r, fault == HH_AGR_STALE    ? HH_E_AGREEMENT_STALE
				   : fault == HH_AGR_SIGNED  ? HH_E_AGREEMENT_SIGNED
				   : fault == HH_AGR_EXPIRED ? HH_E_PARTY_EXPIRED
							     : HH_E_AGREEMENT_CLOSED,
				"version", NULL);
		return;
	}
	if (rc == HH_ERR_INVALID && fault == HH_AGR_UNCHANGED) {
		hh_resp_problem(r, HH_E_AGREEMENT_UNCHANGED, "fields", NULL);
		return;
	}
	/* only a citizen signs: anyone else is asked to sign in as one */
	refuse(r, rc, writing);
}

static void send_agreement(struct hh_req *r, int status, int64_t id)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_agreement g;
	enum hh_agreement_fault fault;
	enum hh_rc rc = hh_agreement_read(r->app->store, &r->arena, &who, id, &g, &fault);
	if (rc != HH_OK) {
		agreement_refused(r, rc, fault, 0);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, status, hh_agreement_json(&g));
}

/* GET /api/v1/cases/{id}/agreement: the newest version and the one
 * every signer signed, with who signed when; for its signers and staff
 * of the case's organisation. */
void hh_api_case_agreement_get(struct hh_req *r)
{
	send_agreement(r, 200, hh_req_id(r, "id", NULL));
}

/* POST /api/v1/cases/{id}/agreement/signatures {"version": n}: the
 * signed-in signer signs version n, which must be the newest. */
void hh_api_case_agreement_sign(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!write_ok(r))
		return;
	int64_t version = 0;
	struct hh_json_spec spec[] = { HH_JSON_INT("version", &version, 1, 1, 1000000),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	int64_t id = hh_req_id(r, "id", NULL);
	enum hh_agreement_fault fault;
	enum hh_rc rc = hh_agreement_sign(r->app->store, &r->arena, &who, id,
					  (int)version, &fault);
	if (rc != HH_OK) {
		agreement_refused(r, rc, fault, 1);
		return;
	}
	send_agreement(r, 200, id);
}

/* PUT /api/v1/cases/{id}/agreement {"version": base, "fields": {...}}:
 * a change proposed by a signer, made from the newest version base; a
 * new version, signed by the proposer. */
void hh_api_case_agreement_change(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!write_ok(r))
		return;
	int64_t version = 0;
	json_t *fields = NULL;
	struct hh_json_spec spec[] = { HH_JSON_INT("version", &version, 1, 1, 1000000),
				       HH_JSON_OBJ("fields", &fields, 1, 1, 64),
				       HH_JSON_END };
	if (!hh_json_body(r, spec))
		return;
	int64_t id = hh_req_id(r, "id", NULL);
	enum hh_agreement_fault fault;
	struct hh_form_result res;
	enum hh_rc rc = hh_agreement_change(r->app->store, &r->arena, &who, id,
					    (int)version, fields, &res, NULL, &fault);
	json_decref(res.values);
	if (rc == HH_ERR_INVALID && res.n_errors) {
		form_invalid(r, &res);
		return;
	}
	if (rc != HH_OK) {
		agreement_refused(r, rc, fault, 1);
		return;
	}
	send_agreement(r, 200, id);
}

/* ---- casework tools: files and assignees ------------------------------- */

/* GET /api/v1/cases/{id}/files/{file}: the file as a download, for staff
 * of the case's organisation (audited in the citizen's log). */
void hh_api_case_file(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!hh_case_works(&who)) {
		refuse(r, hh_auth(r)->kind == HH_CITIZEN ? HH_ERR_NOT_FOUND
							 : HH_ERR_FORBIDDEN,
		       0);
		return;
	}
	const char *fs = hh_req_param(r, "file");
	char *end = NULL;
	long long fid = fs && *fs ? strtoll(fs, &end, 10) : 0;
	struct hh_case_file f;
	enum hh_rc rc =
		end && !*end && fid > 0
			? hh_case_file_open(r->app->store, &r->arena, &who,
					    hh_req_id(r, "id", NULL), fid, &f)
			: HH_ERR_NOT_FOUND;
	if (rc != HH_OK) {
		refuse(r, rc, 0);
		return;
	}
	hh_resp_attachment(r, f.name,
			   hh_case_file_type_allowed(f.content_type)
				   ? f.content_type
				   : "application/octet-stream",
			   f.data, f.size);
}

static enum hh_rc assignee_row(void *p, const struct hh_assignee *x)
{
	json_array_append_new(p, x->team ? json_pack("{s:s, s:s}", "team", x->team,
						     "name", x->name)
					 : json_pack("{s:I, s:s}", "user_id",
						     (json_int_t)x->user_id, "name",
						     x->name));
	return HH_OK;
}

/* GET /api/v1/casework/assignees: whom the caller's organisation's cases
 * may be assigned to. */
void hh_api_casework_assignees(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = keep(r, json_array());
	enum hh_rc rc = hh_case_assignees(r->app->store, &r->arena, &who,
					  assignee_row, items);
	if (rc != HH_OK) {
		refuse(r, hh_auth(r)->kind == HH_CITIZEN ? HH_ERR_NOT_FOUND : rc, 0);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:O}", "items", items));
}

/* ---- who looked at my data ------------------------------------------- */

void hh_api_audit(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_audit_entry *rows;
	int n;
	enum hh_rc rc = hh_audit_read(r->app->store, &r->arena, &who, &rows, &n);
	if (rc != HH_OK) {
		refuse(r, rc, 1);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < n; i++) {
		char at[21];
		hh_time_iso(rows[i].at, at);
		/* who: the actor as logged; name, organisation and role
		 * say who that is (an IT system too) */
		json_array_append_new(items,
				      json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s}",
						"at", at, "who", rows[i].actor, "what",
						rows[i].what, "why", rows[i].why, "name",
						rows[i].who, "organisation", rows[i].org,
						"role", rows[i].role, "kind",
						rows[i].it_system ? "it-system"
						: !strncmp(rows[i].actor, "user:", 5)
							? "staff"
							: "other"));
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "items", items));
}
