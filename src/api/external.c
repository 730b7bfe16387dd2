/* external.c - PUT and GET /api/v1/external-cases/{system}/{id}: another
 * authority's own case system reports a citizen's case and reads back
 * what helhed keeps (domain/external.h, docs/external-cases.md).
 *
 * A door: the handler parses the body against its spec, calls the
 * domain with the caller (an API token with the role case-system) and
 * renders JSON or the problem. */
#include "api/api.h"

#include "domain/external.h"

/* The 409 of a refused version: the problem with the stored version as an
 * extension member, so that the sender knows where it stands. */
static void version_conflict(struct hh_req *r, enum hh_error_code code,
			     int64_t stored, int64_t sent)
{
	const char *detail = hh_arena_printf(
		&r->arena,
		code == HH_E_EXTERNAL_VERSION_STALE
			? "version %lld is stored; version %lld is older and was not written"
			: "version %lld is stored with other content; version %lld was not written",
		(long long)stored, (long long)sent);
	json_t *j = hh_problem_json(code, "version", detail, r->path);
	json_object_set_new(j, "stored_version", json_integer(stored));
	hh_resp_json_as(r, 409, "application/problem+json", j);
}

/* 422: the report does not fit what its organisation declared for the
 * system (domain/casesystems.h); detail names what it sent. */
static void declaration_refusal(struct hh_req *r,
				const struct hh_external_result *res,
				const struct hh_external_report *in,
				const char *system)
{
	struct hh_arena *a = &r->arena;
	switch (res->fault) {
	case HH_EXTERNAL_UNKNOWN_SYSTEM:
		hh_resp_problem(r, HH_E_UNKNOWN_SYSTEM, "system",
				hh_arena_printf(a, "your organisation has not declared a case system '%s'; nothing was written",
						system));
		return;
	case HH_EXTERNAL_UNKNOWN_CASE_TYPE:
		hh_resp_problem(r, HH_E_UNKNOWN_CASE_TYPE, "case_type",
				hh_arena_printf(a, "case system '%s' declares no case type '%s'; nothing was written",
						system, in->case_type));
		return;
	case HH_EXTERNAL_UNDECLARED_STATE:
		hh_resp_problem(r, HH_E_UNDECLARED_STATE, "state",
				hh_arena_printf(a, "case system '%s' declares no state '%s'; nothing was written",
						system, in->state));
		return;
	default:
		hh_resp_problem(r, HH_E_UNKNOWN_FACT, res->field,
				hh_arena_printf(a, "case type '%s' declares no fact '%s'; nothing was written",
						in->case_type, res->field + 6));
		return;
	}
}

/* What the report's follow-up rules did (external.h), for the answer. */
static json_t *followups_json(const struct hh_external_result *res)
{
	json_t *out = json_array();
	for (int i = 0; i < res->n_followups; i++) {
		const struct hh_external_followup *f = &res->followups[i];
		/* x-fix: never the started case's id or organisation */
		json_t *j = json_pack("{s:s, s:b}", "case_type", f->case_type,
				      "started", f->started);
		if (!f->started)
			json_object_set_new(j, "reason", json_string(f->reason));
		json_array_append_new(out, j);
	}
	return out;
}

static const char *const outcome_names[] = {
	[HH_EXTERNAL_CREATED] = "created",
	[HH_EXTERNAL_UPDATED] = "updated",
	[HH_EXTERNAL_UNCHANGED] = "unchanged",
};

void hh_api_external_case_put(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	struct hh_external_report in = { 0 };
	struct hh_json_spec spec[] = {
		HH_JSON_STR("cpr", &in.cpr, 1, 1, 20),
		HH_JSON_STR("title", &in.title, 1, 1, 200),
		HH_JSON_STR("state", &in.state, 1, 1, 100),
		HH_JSON_STR("text", &in.text, 1, 0, 2000),
		HH_JSON_STR_NULL("deadline", &in.deadline, 0, 1, 40),
		HH_JSON_STR_NULL("self_service_url", &in.self_service_url, 0, 1,
				 HH_EXTERNAL_URL_MAX),
		HH_JSON_INT("version", &in.version, 1, 1, INT64_MAX),
		HH_JSON_STR_NULL("created_at", &in.created_at, 0, 1, 40),
		HH_JSON_STR_NULL("updated_at", &in.updated_at, 0, 1, 40),
		HH_JSON_STR("case_type", &in.case_type, 1, 1, 40),
		HH_JSON_OBJ("facts", &in.facts, 0, 0, 16),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	struct hh_external_case k;
	struct hh_external_result res;
	enum hh_rc rc = hh_external_report(r->app->store, &r->arena, &who,
					   hh_req_param(r, "system"),
					   hh_req_param(r, "id"), &in, &k, &res);
	if (rc == HH_ERR_INVALID && res.fault == HH_EXTERNAL_BAD_CPR) {
		hh_resp_problem(r, HH_E_INVALID_CPR, "cpr", NULL);
		return;
	}
	if (rc == HH_ERR_INVALID && res.fault == HH_EXTERNAL_BAD_FIELD) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, res.field, res.detail);
		return;
	}
	if (rc == HH_ERR_INVALID && res.fault >= HH_EXTERNAL_UNKNOWN_SYSTEM) {
		declaration_refusal(r, &res, &in, hh_req_param(r, "system"));
		return;
	}
	if (rc == HH_ERR_CONFLICT && res.fault == HH_EXTERNAL_STALE) {
		version_conflict(r, HH_E_EXTERNAL_VERSION_STALE,
				 res.stored_version, in.version);
		return;
	}
	if (rc == HH_ERR_CONFLICT && res.fault == HH_EXTERNAL_DIFFERENT) {
		version_conflict(r, HH_E_EXTERNAL_VERSION_REUSED,
				 res.stored_version, in.version);
		return;
	}
	if (rc != HH_OK) {
		hh_api_report_refusal(r, rc,
				      "Only an API token with the role case-system reports cases.");
		return;
	}
	json_t *j = hh_external_json(&k, 1);
	json_object_set_new(j, "outcome", json_string(outcome_names[res.outcome]));
	json_object_set_new(j, "followups", followups_json(&res));
	hh_resp_header(r, "Cache-Control", "no-store");
	if (res.outcome == HH_EXTERNAL_CREATED) {
		hh_resp_header(r, "Location", r->path);
		hh_resp_json(r, 201, j);
	} else {
		hh_resp_json(r, 200, j);
	}
}

void hh_api_external_case_get(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_external_case k;
	enum hh_rc rc = hh_external_get(r->app->store, &r->arena, &who,
					hh_req_param(r, "system"),
					hh_req_param(r, "id"), &k);
	if (rc != HH_OK) {
		hh_api_report_refusal(r, rc,
				      "Only an API token with the role case-system reads reported cases.");
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, hh_external_json(&k, 1));
}
