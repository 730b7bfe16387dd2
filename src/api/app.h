/* app.h - what every handler shares: the store, settings, the server, and
 * helpers for auth and JSON bodies used by both api/ and pages/. */
#ifndef HH_APP_H
#define HH_APP_H

#include <stdatomic.h>

#include "domain/actor.h"
#include "http/http.h"
#include "http/json.h"
#include "search/index.h"
#include "store/store.h"

struct hh_app {
	struct hh_store *store;
	struct hh_server *server;
	int demo;
	int secure_cookies; /* behind TLS: add Secure to cookies */
	atomic_int ready; /* set by the main thread, read by workers */
	struct hh_index *index; /* the search index (derived from the store) */
};

/* The route table (api and pages), ending with a NULL pattern. */
extern const struct hh_route hh_routes[];

/* Establishes the caller from a bearer token or a session cookie, once
 * per request. Returns the principal (borrowed from r). */
const struct hh_principal *hh_auth(struct hh_req *r);
/* The caller as a domain actor (anonymous: label NULL, no roles). */
void hh_actor_of(struct hh_req *r, struct hh_actor *out);
/* For unsafe methods with a session cookie: 1 if the CSRF token (header
 * X-CSRF-Token, or form field csrf) matches; bearer tokens need none. */
int hh_csrf_ok(struct hh_req *r, const char *form_value);

/* JSON bodies are small; the server's cap is larger so that citizens'
 * forms can carry files (multipart/form-data). */
#define HH_JSON_BODY_MAX (1 << 20)

/* Checks Content-Type: application/json and the size (413 over
 * HH_JSON_BODY_MAX) and parses the body against spec; on failure queues
 * the problem and returns 0. */
int hh_json_body(struct hh_req *r, struct hh_json_spec *spec);

/* The version a client says it is changing: If-Match: "3" (or 3).
 * 0 when absent, -1 when malformed. */
int64_t hh_if_match(struct hh_req *r);

/* Looks up an organisation by code: hh_store_org_by_code, which keeps
 * what it read (a search scoped to a municipality costs no transaction). */
enum hh_rc hh_app_org(struct hh_app *app, struct hh_arena *a,
		      const char *code, struct hh_org *out);

/* Handlers */
void hh_api_articles_list(struct hh_req *r);
void hh_api_article_get(struct hh_req *r);
void hh_api_article_create(struct hh_req *r);
void hh_api_article_put(struct hh_req *r);
void hh_api_article_delete(struct hh_req *r);
void hh_api_article_history(struct hh_req *r);
void hh_api_session_get(struct hh_req *r);
void hh_api_session_create(struct hh_req *r);
void hh_api_session_delete(struct hh_req *r);
void hh_api_organisations(struct hh_req *r);
void hh_api_healthz(struct hh_req *r);
void hh_api_readyz(struct hh_req *r);
void hh_api_metrics(struct hh_req *r);

void hh_api_search(struct hh_req *r);
void hh_api_suggest(struct hh_req *r);
void hh_api_search_report(struct hh_req *r);

void hh_api_citizen_session_create(struct hh_req *r);
void hh_api_citizen_session_delete(struct hh_req *r);
void hh_api_life_events(struct hh_req *r);
void hh_api_life_event(struct hh_req *r);
void hh_api_plan_create(struct hh_req *r);
void hh_api_plan_get(struct hh_req *r);
void hh_api_overview(struct hh_req *r);
void hh_api_case_types(struct hh_req *r);
void hh_api_case_type(struct hh_req *r);
void hh_api_case_create(struct hh_req *r);
void hh_api_cases(struct hh_req *r);
void hh_api_case_get(struct hh_req *r);
void hh_api_case_transition(struct hh_req *r);
void hh_api_case_assign(struct hh_req *r);
void hh_api_case_note(struct hh_req *r);
void hh_api_case_request(struct hh_req *r);
void hh_api_case_answer(struct hh_req *r);
void hh_api_audit(struct hh_req *r);

/* Open311 GeoReport v2 (open311.c) */
void hh_open311_discovery(struct hh_req *r);
void hh_open311_services(struct hh_req *r);
void hh_open311_service(struct hh_req *r);
void hh_open311_requests(struct hh_req *r);
void hh_open311_request(struct hh_req *r);
void hh_open311_request_create(struct hh_req *r);
void hh_open311_token(struct hh_req *r);
void hh_open311_not_found(struct hh_req *r);

void hh_page_search(struct hh_req *r);
void hh_page_search_report(struct hh_req *r);
void hh_page_front(struct hh_req *r);
void hh_page_article(struct hh_req *r);
void hh_page_life_event(struct hh_req *r);
void hh_page_login(struct hh_req *r);
void hh_page_login_post(struct hh_req *r);
void hh_page_logout(struct hh_req *r);
void hh_page_staff(struct hh_req *r);
void hh_page_not_found(struct hh_req *r);
/* 413 for a page (a form sent with too large files): a Danish page. */
void hh_page_too_large(struct hh_req *r);

/* the citizen's own pages (pages/borger.c, citizen.c, blanket.c,
 * overview.c) */
void hh_page_life_event_post(struct hh_req *r);
void hh_page_citizen_login(struct hh_req *r);
void hh_page_citizen_login_post(struct hh_req *r);
void hh_page_citizen_logout(struct hh_req *r);
void hh_page_form(struct hh_req *r);
void hh_page_form_post(struct hh_req *r);
void hh_page_overview(struct hh_req *r);
void hh_page_plan(struct hh_req *r);
void hh_page_my_case(struct hh_req *r);
void hh_page_my_case_answer(struct hh_req *r);
void hh_page_insight(struct hh_req *r);
/* pages/casework.c: the caseworker's queue and case pages */
void hh_page_casework_queue(struct hh_req *r);
void hh_page_casework_case(struct hh_req *r);
void hh_page_casework_assign(struct hh_req *r);
void hh_page_casework_transition(struct hh_req *r);
void hh_page_casework_request(struct hh_req *r);
void hh_page_casework_note(struct hh_req *r);

#endif
