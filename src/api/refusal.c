/* refusal.c - how the staff reports' handlers answer a refusal of the
 * domain (see hh_api_report_refusal in api.h): one mapping for the search
 * report and the feedback report instead of the same lines in each. */
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
