/* refusal.c - how the API handlers answer a refusal (see api.h): one
 * mapping of a staff report's refusal for the search and feedback reports,
 * and one check that a caller may write (articles, proposals). */
#include "api/api.h"

void hh_api_report_refusal(struct hh_req *r, enum hh_rc rc,
			   const char *forbidden_detail)
{
	/* an anonymous caller is asked to sign in; a signed-in one without
	   the role is told what the report is for */
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else if (rc == HH_ERR_FORBIDDEN)
		hh_resp_problem(r, HH_E_FORBIDDEN, NULL, forbidden_detail);
	else
		hh_resp_rc(r, rc, NULL);
}

int hh_api_may_write(struct hh_req *r)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return 0;
	}
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return 0;
	}
	return 1;
}
