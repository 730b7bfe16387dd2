/* json_body.c - a JSON request body parsed against its spec, or the
 * problem that says what is wrong with it. */
#include "api/api.h"

#include <strings.h>

int hh_json_body(struct hh_req *r, struct hh_json_spec *spec)
{
	const char *ct = hh_req_header(r, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		hh_resp_problem(r, HH_E_UNSUPPORTED_MEDIA, NULL, NULL);
		return 0;
	}
	if (r->body.len > HH_JSON_BODY_MAX) {
		hh_resp_problem(r, HH_E_BODY_TOO_LARGE, NULL,
				hh_arena_printf(&r->arena,
						"a JSON body may be at most %d bytes",
						HH_JSON_BODY_MAX));
		return 0;
	}
	struct hh_json_result res;
	switch (hh_json_parse(&r->arena, hh_buf_str(&r->body), r->body.len,
			      spec, &res)) {
	case HH_JSON_OK:
		return 1;
	case HH_JSON_ERR_SYNTAX:
		hh_resp_problem(r, HH_E_BAD_JSON, NULL,
				res.line ? hh_arena_printf(&r->arena,
							   "line %d, column %d: %s",
							   res.line, res.column,
							   res.detail)
					 : res.detail);
		return 0;
	case HH_JSON_ERR_UTF8:
		hh_resp_problem(r, HH_E_BAD_UTF8, NULL, res.detail);
		return 0;
	case HH_JSON_ERR_UNKNOWN:
		hh_resp_problem(r, HH_E_UNKNOWN_FIELD, res.field, res.detail);
		return 0;
	case HH_JSON_ERR_MISSING:
		hh_resp_problem(r, HH_E_MISSING_FIELD, res.field, res.detail);
		return 0;
	case HH_JSON_ERR_INVALID:
		hh_resp_problem(r, HH_E_INVALID_FIELD, res.field, res.detail);
		return 0;
	}
	return 0;
}
