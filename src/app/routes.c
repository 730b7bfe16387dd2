/* routes.c - the one route table: every URL helhed answers. */
#include "app/app.h"
#include "api/api.h"
#include "pages/pages.h"

const struct hh_route hh_routes[] = {
	/* operations */
	{ HH_GET, "/healthz", hh_api_healthz },
	{ HH_GET, "/readyz", hh_api_readyz },
	{ HH_GET, "/metrics", hh_api_metrics },

	/* REST API */
	{ HH_GET, "/api/v1/articles", hh_api_articles_list },
	{ HH_POST, "/api/v1/articles", hh_api_article_create },
	{ HH_GET, "/api/v1/articles/{slug}", hh_api_article_get },
	{ HH_PUT, "/api/v1/articles/{slug}", hh_api_article_put },
	{ HH_DELETE, "/api/v1/articles/{slug}", hh_api_article_delete },
	{ HH_GET, "/api/v1/articles/{slug}/history", hh_api_article_history },
	{ HH_GET, "/api/v1/organisations", hh_api_organisations },
	{ HH_POST, "/api/v1/citizen/session", hh_api_citizen_session_create },
	{ HH_DELETE, "/api/v1/citizen/session", hh_api_citizen_session_delete },
	{ HH_GET, "/api/v1/life-events", hh_api_life_events },
	{ HH_GET, "/api/v1/life-events/{slug}", hh_api_life_event },
	{ HH_POST, "/api/v1/plans", hh_api_plan_create },
	{ HH_GET, "/api/v1/plans/{id}", hh_api_plan_get },
	{ HH_GET, "/api/v1/overview", hh_api_overview },
	{ HH_GET, "/api/v1/audit", hh_api_audit },
	{ HH_GET, "/api/v1/case-types", hh_api_case_types },
	{ HH_GET, "/api/v1/case-types/{code}", hh_api_case_type },
	{ HH_GET, "/api/v1/cases", hh_api_cases },
	{ HH_POST, "/api/v1/cases", hh_api_case_create },
	{ HH_GET, "/api/v1/cases/{id}", hh_api_case_get },
	{ HH_POST, "/api/v1/cases/{id}/transition", hh_api_case_transition },
	{ HH_POST, "/api/v1/cases/{id}/assign", hh_api_case_assign },
	{ HH_POST, "/api/v1/cases/{id}/notes", hh_api_case_note },
	{ HH_POST, "/api/v1/cases/{id}/requests", hh_api_case_request },
	{ HH_POST, "/api/v1/cases/{id}/answers", hh_api_case_answer },
	{ HH_GET, "/api/v1/search", hh_api_search },
	{ HH_GET, "/api/v1/suggest", hh_api_suggest },
	{ HH_GET, "/api/v1/search-report", hh_api_search_report },
	{ HH_GET, "/api/v1/session", hh_api_session_get },
	{ HH_POST, "/api/v1/session", hh_api_session_create },
	{ HH_DELETE, "/api/v1/session", hh_api_session_delete },

	/* Open311 GeoReport v2: "{name}.json" or "{name}.xml" */
	{ HH_GET, "/open311/v2/discovery.{format}", hh_open311_discovery },
	{ HH_GET, "/open311/v2/services.{format}", hh_open311_services },
	{ HH_GET, "/open311/v2/services/{code}", hh_open311_service },
	{ HH_GET, "/open311/v2/requests.{format}", hh_open311_requests },
	{ HH_POST, "/open311/v2/requests.{format}", hh_open311_request_create },
	{ HH_GET, "/open311/v2/requests/{id}", hh_open311_request },
	{ HH_GET, "/open311/v2/tokens/{id}", hh_open311_token },
	{ HH_GET, "/open311/v2/*", hh_open311_not_found },

	/* citizen pages */
	{ HH_GET, "/", hh_page_front },
	{ HH_GET, "/artikel/{slug}", hh_page_article },
	{ HH_GET, "/soeg", hh_page_search },
	{ HH_GET, "/livssituation/{slug}", hh_page_life_event },
	{ HH_POST, "/livssituation/{slug}", hh_page_life_event_post },
	{ HH_GET, "/borger/log-ind", hh_page_citizen_login },
	{ HH_POST, "/borger/log-ind", hh_page_citizen_login_post },
	{ HH_POST, "/borger/log-ud", hh_page_citizen_logout },
	{ HH_GET, "/borger/oidc/start", hh_page_oidc_citizen_start },
	{ HH_GET, "/borger/oidc/callback", hh_page_oidc_citizen_callback },
	{ HH_GET, "/blanket/{code}", hh_page_form },
	{ HH_POST, "/blanket/{code}", hh_page_form_post },
	{ HH_GET, "/mit-overblik", hh_page_overview },
	{ HH_GET, "/mit-overblik/indsigt", hh_page_insight },
	{ HH_GET, "/mit-overblik/forloeb/{id}", hh_page_plan },
	{ HH_GET, "/mit-overblik/sag/{id}", hh_page_my_case },
	{ HH_POST, "/mit-overblik/sag/{id}/svar", hh_page_my_case_answer },

	/* staff pages */
	{ HH_GET, "/log-ind", hh_page_login },
	{ HH_POST, "/log-ind", hh_page_login_post },
	{ HH_POST, "/log-ud", hh_page_logout },
	{ HH_GET, "/personale/oidc/start", hh_page_oidc_staff_start },
	{ HH_GET, "/personale/oidc/callback", hh_page_oidc_staff_callback },

	/* the identity provider's logout (OpenID Connect) */
	{ HH_POST, "/oidc/backchannel-logout", hh_api_oidc_backchannel_logout },
	{ HH_GET, "/oidc/frontchannel-logout", hh_page_oidc_frontchannel_logout },
	{ HH_GET, "/personale", hh_page_staff },
	{ HH_GET, "/personale/soegninger", hh_page_search_report },
	{ HH_GET, "/sagsbehandling", hh_page_casework_queue },
	{ HH_GET, "/sagsbehandling/sag/{id}", hh_page_casework_case },
	{ HH_POST, "/sagsbehandling/sag/{id}/tildeling", hh_page_casework_assign },
	{ HH_POST, "/sagsbehandling/sag/{id}/overgang", hh_page_casework_transition },
	{ HH_POST, "/sagsbehandling/sag/{id}/anmodning", hh_page_casework_request },
	{ HH_POST, "/sagsbehandling/sag/{id}/note", hh_page_casework_note },

	{ 0, NULL, NULL }
};
