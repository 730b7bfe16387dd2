/* desk.c - the agent's desk over the API (/api/v1/desk/...): find a
 * citizen, read their history, the organisation's codes and callbacks
 * due today, the receiving queue of transfers, an inquiry answered with
 * an article, and the articles' usefulness.
 *
 * A door, as inquiries.c: each handler parses, calls one domain function
 * (domain/desk.h) with the caller as an actor and renders JSON. The CPR
 * look-up is a POST with the number in the body, so that it never sits
 * in a URL (server logs, proxies, browser history). */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/cases.h"
#include "domain/desk.h"
#include "domain/inquiries.h"

static void refuse(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

static int signed_in(struct hh_req *r, struct hh_actor *who)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return 0;
	}
	hh_actor_of(r, who);
	return 1;
}

static int csrf(struct hh_req *r)
{
	if (hh_csrf_ok(r, NULL))
		return 1;
	hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
	return 0;
}

static void send(struct hh_req *r, int status, json_t *j)
{
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, status, j);
}

static json_t *citizen_json(const struct hh_citizen *z)
{
	json_t *j = json_pack("{s:I, s:s}", "id", (json_int_t)z->id, "name",
			      z->name ? z->name : "");
	if (z->cpr)
		json_object_set_new(j, "cpr", json_string(z->cpr));
	if (z->municipality_id)
		json_object_set_new(j, "municipality_id",
				    json_integer(z->municipality_id));
	return j;
}

static enum hh_rc citizen_row(void *p, const struct hh_citizen *z)
{
	json_array_append_new(p, citizen_json(z));
	return HH_OK;
}

/* POST /api/v1/desk/lookup {"cpr"} or {"name"} */
void hh_api_desk_lookup(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who) || !csrf(r))
		return;
	const char *cpr = NULL, *name = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("cpr", &cpr, 0, 1, 20),
		HH_JSON_STR("name", &name, 0, 1, 100),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	int more = 0;
	enum hh_desk_fault fault = HH_DESK_FINE;
	enum hh_rc rc = hh_desk_lookup(r->app->store, &r->arena, &who, cpr, name,
				       citizen_row, items, &more, &fault);
	if (rc == HH_ERR_INVALID && fault == HH_DESK_CPR) {
		hh_resp_problem(r, HH_E_INVALID_CPR, "cpr", NULL);
		return;
	}
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_FIELD,
				fault == HH_DESK_NAME ? "name" : "cpr",
				fault == HH_DESK_NAME
					? "a name of 2 to 100 letters, without digits"
					: "send either cpr or name");
		return;
	}
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	send(r, 200, json_pack("{s:O, s:b}", "items", items, "more", more));
}

static enum hh_rc inq_row(void *p, const struct hh_inquiry *q)
{
	json_array_append_new(json_object_get(p, "inquiries"), hh_inquiry_json(q));
	return HH_OK;
}

static enum hh_rc case_row(void *p, const struct hh_case *c)
{
	json_array_append_new(json_object_get(p, "cases"), hh_case_json(c, NULL, 0));
	return HH_OK;
}

/* GET /api/v1/desk/citizens/{id}/history */
void hh_api_desk_history(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	json_t *j = json_pack("{s:[], s:[]}", "inquiries", "cases");
	hh_arena_defer(&r->arena, hh_json_release, j);
	struct hh_citizen z;
	enum hh_rc rc = hh_desk_history(r->app->store, &r->arena, &who,
					hh_req_id(r, "id", NULL), &z, inq_row,
					case_row, j);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	json_object_set_new(j, "citizen", citizen_json(&z));
	send(r, 200, json_incref(j));
}

static enum hh_rc code_row(void *p, const struct hh_inquiry_code *c)
{
	json_array_append_new(p, json_pack("{s:s, s:s, s:s}", "kind", c->kind,
					   "code", c->code, "label", c->label));
	return HH_OK;
}

/* GET /api/v1/desk/codes?organisation=CODE */
void hh_api_desk_codes(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	const char *org = hh_req_query(r, "organisation");
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	enum hh_rc rc = hh_desk_codes(r->app->store, &r->arena, &who,
				      org && *org ? org : NULL, code_row, items);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, "organisation", NULL);
		return;
	}
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	send(r, 200, json_pack("{s:O}", "items", items));
}

static enum hh_rc list_row(void *p, const struct hh_inquiry *q)
{
	json_array_append_new(p, hh_inquiry_json(q));
	return HH_OK;
}

/* GET /api/v1/desk/callbacks: due on the Danish day */
void hh_api_desk_callbacks(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	enum hh_rc rc = hh_desk_callbacks_today(r->app->store, &r->arena, &who, 0,
						list_row, items);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	send(r, 200, json_pack("{s:O}", "items", items));
}

static enum hh_rc queue_row(void *p, const struct hh_inquiry_transfer *t,
			    const struct hh_inquiry *q)
{
	json_t *j = hh_desk_transfer_json(t);
	json_object_set_new(j, "inquiry", hh_inquiry_json(q));
	json_array_append_new(p, j);
	return HH_OK;
}

/* GET /api/v1/desk/transfers?team=: the receiving queue */
void hh_api_desk_transfers(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	const char *team = hh_req_query(r, "team");
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	enum hh_rc rc = hh_desk_transfer_queue(r->app->store, &r->arena, &who,
					       team && *team ? team : NULL, queue_row,
					       items);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	send(r, 200, json_pack("{s:O}", "items", items));
}

static enum hh_rc chain_row(void *p, const struct hh_inquiry_transfer *t)
{
	json_array_append_new(p, hh_desk_transfer_json(t));
	return HH_OK;
}

static void send_transfer(struct hh_req *r, struct hh_actor *who, int64_t id)
{
	struct hh_inquiry_transfer t;
	struct hh_inquiry q;
	json_t *chain = json_array();
	hh_arena_defer(&r->arena, hh_json_release, chain);
	enum hh_rc rc = hh_desk_transfer_get(r->app->store, &r->arena, who, id, &t,
					     &q, chain_row, chain);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	json_t *j = hh_desk_transfer_json(&t);
	json_object_set_new(j, "inquiry", hh_inquiry_json(&q));
	json_object_set(j, "transfers", chain);
	json_object_set_new(j, "transfer_count",
			    json_integer((json_int_t)json_array_size(chain)));
	send(r, 200, j);
}

/* GET /api/v1/desk/transfers/{id} */
void hh_api_desk_transfer(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	send_transfer(r, &who, hh_req_id(r, "id", NULL));
}

static void desk_refused(struct hh_req *r, enum hh_rc rc,
			 enum hh_desk_fault fault, const char *field)
{
	switch (fault) {
	case HH_DESK_STATE:
		hh_resp_problem(r, HH_E_TRANSITION_NOT_ALLOWED, "result",
				"the transfer is closed already");
		return;
	case HH_DESK_CODE:
		hh_resp_problem(r, HH_E_UNKNOWN_CODE, field, NULL);
		return;
	case HH_DESK_ORG:
		hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, field, NULL);
		return;
	case HH_DESK_RESULT:
		hh_resp_problem(r, HH_E_INVALID_FIELD, "result",
				"resolved, case_created, callback_promised or "
				"transferred");
		return;
	case HH_DESK_FINE:
		refuse(r, rc);
		return;
	default:
		hh_resp_problem(r, HH_E_INVALID_FIELD, field, NULL);
		return;
	}
}

/* POST /api/v1/desk/transfers/{id}/take */
void hh_api_desk_transfer_take(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who) || !csrf(r))
		return;
	struct hh_inquiry_transfer t;
	enum hh_desk_fault fault = HH_DESK_FINE;
	enum hh_rc rc =
		hh_desk_transfer_take(r->app->store, &r->arena, &who,
				      hh_req_id(r, "id", NULL), &t, &fault);
	if (rc != HH_OK) {
		desk_refused(r, rc, fault, NULL);
		return;
	}
	send_transfer(r, &who, t.id);
}

/* POST /api/v1/desk/transfers/{id}/close */
void hh_api_desk_transfer_close(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who) || !csrf(r))
		return;
	struct hh_desk_close c = { 0 };
	const char *due = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("result", &c.result, 1, 1, 40),
		HH_JSON_INT("case_id", &c.case_id, 0, 1, INT64_MAX),
		HH_JSON_STR("callback_due_at", &due, 0, 10, 40),
		HH_JSON_STR("to_team", &c.to_team, 0, 1, 40),
		HH_JSON_STR("to_org", &c.to_org, 0, 1, 40),
		HH_JSON_STR("reason", &c.reason, 0, 1, 40),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	if (due && !hh_iso8601_parse(due, &c.callback_due_at)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "callback_due_at",
				"an ISO 8601 time, e.g. 2026-03-02T10:00:00+01:00");
		return;
	}
	struct hh_inquiry_transfer t;
	enum hh_desk_fault fault = HH_DESK_FINE;
	const char *field = NULL;
	enum hh_rc rc = hh_desk_transfer_close(r->app->store, &r->arena, &who,
					       hh_req_id(r, "id", NULL), &c, &t,
					       &fault, &field);
	if (rc != HH_OK) {
		desk_refused(r, rc, fault, field);
		return;
	}
	send_transfer(r, &who, t.id);
}

/* POST /api/v1/inquiries/{id}/article {"article_id", "version"} with
 * If-Match, as the outcome. */
void hh_api_desk_inquiry_article(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who) || !csrf(r))
		return;
	int64_t article = 0, version = 0;
	struct hh_json_spec spec[] = {
		HH_JSON_INT("article_id", &article, 1, 1, INT64_MAX),
		HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	int64_t hv = hh_if_match(r);
	if (hv < 0) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "If-Match",
				"If-Match must be the inquiry's ETag, e.g. \"3\"");
		return;
	}
	if (hv && version && hv != version) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "version",
				"If-Match and version disagree");
		return;
	}
	if (!hv && !version) {
		hh_resp_problem(r, HH_E_VERSION_REQUIRED, "version", NULL);
		return;
	}
	struct hh_inquiry q;
	enum hh_desk_fault fault = HH_DESK_FINE;
	enum hh_rc rc = hh_desk_link_article(
		r->app->store, &r->arena, &who, hh_req_id(r, "id", NULL),
		hv ? hv : version, article, &q, &fault);
	if (rc == HH_ERR_CONFLICT) {
		hh_resp_problem(r, HH_E_STALE_VERSION, "version",
				"the inquiry was changed by someone else; fetch it "
				"again");
		return;
	}
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "article_id",
				"no such article for the inquiry's organisation");
		return;
	}
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)q.version));
	send(r, 200, hh_inquiry_json(&q));
}

static enum hh_rc useful_row(void *p, const struct hh_article *a,
			     int64_t answered, int64_t linked)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:I, s:I}", "article_id",
			      (json_int_t)a->id, "slug", a->slug ? a->slug : "",
			      "title", a->title ? a->title : "", "answered",
			      (json_int_t)answered, "linked", (json_int_t)linked);
	if (a->org_code)
		json_object_set_new(j, "organisation", json_string(a->org_code));
	json_array_append_new(p, j);
	return HH_OK;
}

/* GET /api/v1/desk/usefulness?limit=: for editors and managers */
void hh_api_desk_usefulness(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	int64_t limit;
	if (!hh_req_query_int(r, "limit", 20, 1, 100, &limit))
		return;
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	enum hh_rc rc = hh_desk_usefulness_top(r->app->store, &r->arena, &who,
					       (int)limit, useful_row, items);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	send(r, 200, json_pack("{s:O}", "items", items));
}

static json_t *messages(const struct hh_form_msg *m, int n)
{
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(out, json_pack("{s:s, s:s}", "field", m[i].field,
						     "message", m[i].message));
	return out;
}

/* POST /api/v1/desk/citizens/{id}/cases {"case_type", "values",
 * "consent": true} with an optional Idempotency-Key: a self-service form
 * filled in with the citizen at the desk. */
void hh_api_desk_assisted_case(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who) || !csrf(r))
		return;
	const char *ct = hh_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16)) {
		hh_resp_problem(r, HH_E_UNSUPPORTED_MEDIA, NULL, NULL);
		return;
	}
	if (!hh_utf8_valid(hh_buf_str(&r->body), r->body.len)) {
		hh_resp_problem(r, HH_E_BAD_UTF8, NULL, NULL);
		return;
	}
	json_error_t e;
	json_t *root = json_loadb(hh_buf_str(&r->body), r->body.len,
				  JSON_REJECT_DUPLICATES, &e);
	if (!json_is_object(root)) {
		json_decref(root);
		hh_resp_problem(r, HH_E_BAD_JSON, NULL, NULL);
		return;
	}
	hh_arena_defer(&r->arena, hh_json_release, root);
	const char *k;
	json_t *v;
	json_object_foreach(root, k, v)
	{
		if (strcmp(k, "case_type") && strcmp(k, "values") && strcmp(k, "consent")) {
			hh_resp_problem(r, HH_E_UNKNOWN_FIELD, k, NULL);
			return;
		}
	}
	struct hh_desk_assist in = {
		.case_type = json_string_value(json_object_get(root, "case_type")),
		.values = json_object_get(root, "values"),
		.consent = json_is_true(json_object_get(root, "consent")),
	};
	if (!in.case_type) {
		hh_resp_problem(r, HH_E_MISSING_FIELD, "case_type", NULL);
		return;
	}
	json_t *consent = json_object_get(root, "consent");
	if (consent && !json_is_boolean(consent)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "consent", "true or false");
		return;
	}
	if (!in.values) {
		in.values = json_object();
		hh_arena_defer(&r->arena, hh_json_release, in.values);
	}
	if (!json_is_object(in.values)) {
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
		in.idem_key = key;
	}
	struct hh_form_result res;
	struct hh_case c;
	int replayed = 0;
	enum hh_submit_fault fault = HH_SUBMIT_FINE;
	enum hh_desk_fault dfault = HH_DESK_FINE;
	enum hh_rc rc = hh_desk_assisted_submit(
		r->app->store, &r->arena, &who, hh_req_id(r, "id", NULL), &in,
		&res, &c, &replayed, &fault, &dfault);
	if (res.values)
		hh_arena_defer(&r->arena, hh_json_release, res.values);
	if (rc == HH_ERR_INVALID && dfault == HH_DESK_CONSENT) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "consent",
				"the citizen's consent is required: consent true");
		return;
	}
	if (rc == HH_ERR_INVALID && res.n_errors) {
		json_t *j = hh_problem_json(HH_E_FORM_INVALID, res.errors[0].field, NULL,
					    r->path);
		json_object_set_new(j, "errors", messages(res.errors, res.n_errors));
		json_object_set_new(j, "warnings", messages(res.warnings, res.n_warnings));
		hh_resp_json_as(r, 422, "application/problem+json", j);
		return;
	}
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_FIELD,
				fault == HH_SUBMIT_MUNICIPALITY ? "municipality"
								: "case_type",
				"unknown case type, or the citizen's municipality "
				"is not known");
		return;
	}
	if (rc == HH_ERR_CONFLICT && fault == HH_SUBMIT_KEY_REUSED) {
		hh_resp_problem(r, HH_E_IDEMPOTENCY_KEY_REUSED, "Idempotency-Key", NULL);
		return;
	}
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "Location",
		       hh_arena_printf(&r->arena, "/api/v1/cases/%lld", (long long)c.id));
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)c.version));
	json_t *j = hh_case_json(&c, NULL, 1);
	json_object_set_new(j, "replayed", json_boolean(replayed));
	send(r, replayed ? 200 : 201, j);
}
