/* problem.c - the error registry rendered as RFC 9457 problem+json. */
#include "http/http.h"

#include "core/log.h"

static const struct {
	const char *code;
	int status;
	const char *title_da;
	const char *hint_en;
} registry[] = {
#define HH_ERROR(name, code, status, da, en) { code, status, da, en },
#include "http/errors.def"
#undef HH_ERROR
};

int hh_error_status(enum hh_error_code c)
{
	return registry[c].status;
}

const char *hh_error_code_name(enum hh_error_code c)
{
	return registry[c].code;
}

const char *hh_error_title_da(enum hh_error_code c)
{
	return registry[c].title_da;
}

const char *hh_error_hint_en(enum hh_error_code c)
{
	return registry[c].hint_en;
}

json_t *hh_problem_json(enum hh_error_code c, const char *field,
			const char *detail, const char *instance)
{
	json_t *j = json_object();
	json_object_set_new(j, "type",
			    json_sprintf("/problems/%s", registry[c].code));
	json_object_set_new(j, "title", json_string(registry[c].title_da));
	json_object_set_new(j, "status", json_integer(registry[c].status));
	json_object_set_new(j, "code", json_string(registry[c].code));
	json_object_set_new(j, "detail",
			    json_string(detail ? detail : registry[c].hint_en));
	if (field)
		json_object_set_new(j, "field", json_string(field));
	if (instance)
		json_object_set_new(j, "instance", json_string(instance));
	return j;
}

void hh_resp_problem(struct hh_req *r, enum hh_error_code c,
		     const char *field, const char *detail)
{
	json_t *j = hh_problem_json(c, field, detail, r->path);
	hh_resp_json_as(r, registry[c].status, "application/problem+json", j);
}

void hh_resp_rc(struct hh_req *r, enum hh_rc rc, const char *field)
{
	switch (rc) {
	case HH_OK:
		hh_log_bug("hh_resp_rc(OK) on %s", r->path);
		hh_resp_problem(r, HH_E_INTERNAL, NULL, NULL);
		break;
	case HH_ERR_INVALID:
		hh_resp_problem(r, HH_E_INVALID_FIELD, field, NULL);
		break;
	case HH_ERR_NOT_FOUND:
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		break;
	case HH_ERR_CONFLICT:
		hh_resp_problem(r, HH_E_CONFLICT, field, NULL);
		break;
	case HH_ERR_FORBIDDEN:
		hh_resp_problem(r, HH_E_FORBIDDEN, NULL, NULL);
		break;
	case HH_ERR_BUSY:
		hh_resp_problem(r, HH_E_BUSY, NULL, NULL);
		hh_resp_header(r, "Retry-After", "1");
		break;
	case HH_ERR_LIMITED:
		hh_resp_problem(r, HH_E_TOO_MANY_REQUESTS, NULL, NULL);
		hh_resp_header(r, "Retry-After", "60");
		break;
	case HH_ERR_IO:
		/* pg-multi (issue 14): the database is away (a restart, a
		 * failover): unavailable for now, not our bug */
		hh_resp_problem(r, HH_E_STORE_UNAVAILABLE, NULL, NULL);
		hh_resp_header(r, "Retry-After", "1");
		break;
	case HH_ERR_INTERNAL:
		hh_resp_problem(r, HH_E_INTERNAL, NULL, NULL);
		break;
	}
}
