/* casesystems.c - PUT and GET /api/v1/case-systems/{system}: an
 * organisation's admin declares a case system that reports cases to
 * helhed, and the admin or the system's own token reads the declaration
 * (domain/casesystems.h, docs/external-cases.md).
 *
 * A door: the body is a nested object, which the spec tables do not
 * take, so the handler reads it as JSON and the domain checks every key
 * of it. */
#include "api/api.h"

#include <strings.h>

#include "domain/casesystems.h"

void hh_api_case_system_put(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!hh_api_may_write(r))
		return;
	const char *ct = hh_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0) {
		hh_resp_problem(r, HH_E_UNSUPPORTED_MEDIA, NULL, NULL);
		return;
	}
	json_error_t e;
	json_t *body = json_loadb(hh_buf_str(&r->body), r->body.len,
				  JSON_REJECT_DUPLICATES, &e);
	if (!body || !json_is_object(body)) {
		json_decref(body);
		hh_resp_problem(r, HH_E_BAD_JSON, NULL,
				body ? "the body must be an object"
				     : hh_arena_strdup(&r->arena, e.text));
		return;
	}
	hh_arena_defer(&r->arena, hh_json_release, body);
	struct hh_case_system c;
	struct hh_cs_error err;
	int created = 0;
	enum hh_rc rc = hh_case_system_declare(r->app->store, &r->arena, &who,
					       hh_req_param(r, "system"), body,
					       &c, &created, &err);
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, err.field, err.detail);
		return;
	}
	if (rc != HH_OK) {
		hh_api_report_refusal(r, rc,
				      "Only an admin of the organisation declares its case systems.");
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	if (created) {
		hh_resp_header(r, "Location", r->path);
		hh_resp_json(r, 201, hh_case_system_json(&c));
	} else {
		hh_resp_json(r, 200, hh_case_system_json(&c));
	}
}

void hh_api_case_system_list(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items;
	enum hh_rc rc = hh_case_system_list(r->app->store, &r->arena, &who, &items);
	if (rc != HH_OK) {
		hh_api_report_refusal(r, rc,
				      "Only the organisation's admin and its case systems read its declarations.");
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:o}", "items", items));
}

void hh_api_case_system_get(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_case_system c;
	enum hh_rc rc = hh_case_system_get(r->app->store, &r->arena, &who,
					   hh_req_param(r, "system"), &c);
	if (rc != HH_OK) {
		hh_api_report_refusal(r, rc,
				      "Only the organisation's admin and its case systems read its declarations.");
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, hh_case_system_json(&c));
}
