/* routes.c - the one route table: every URL helhed answers. */
#include "app/app.h"
#include "api/api.h"
#include "pages/pages.h"

/* A route with the small body limit and the ordinary threads. */
#define ROUTE(m, p, h) { m, p, h, 0, 0 }
/* A route that takes a body of up to max bytes from a signed-in caller. */
#define ROUTE_BODY(m, p, h, max) { m, p, h, 0, max }
/* A route on the slow lane (password hashing). */
#define ROUTE_SLOW(m, p, h) { m, p, h, HH_ROUTE_SLOW, 0 }
/* appointments: a write whose anonymous use is limited per address. */
#define ROUTE_ANON_LIMITED(m, p, h) { m, p, h, HH_ROUTE_ANON_LIMITED, 0 }

/* Uploads: a citizen's form or answer with its files (5 MiB each by
 * default, a few per form) as multipart/form-data. */
#define HH_UPLOAD_MAX ((size_t)16 << 20)

const struct hh_route hh_routes[] = {
	/* operations */
	ROUTE(HH_GET, "/healthz", hh_api_healthz),
	ROUTE(HH_GET, "/readyz", hh_api_readyz),
	ROUTE(HH_GET, "/metrics", hh_api_metrics),

	/* REST API; its OpenAPI description (docs/api.md) */
	ROUTE(HH_GET, "/api/v1/openapi.json", hh_api_openapi),
	ROUTE(HH_GET, "/api/v1/articles", hh_api_articles_list),
	ROUTE_BODY(HH_POST, "/api/v1/articles", hh_api_article_create, HH_JSON_BODY_MAX),
	ROUTE(HH_GET, "/api/v1/articles/{slug}", hh_api_article_get),
	ROUTE_BODY(HH_PUT, "/api/v1/articles/{slug}", hh_api_article_put, HH_JSON_BODY_MAX),
	ROUTE(HH_DELETE, "/api/v1/articles/{slug}", hh_api_article_delete),
	ROUTE(HH_GET, "/api/v1/articles/{slug}/history", hh_api_article_history),
	ROUTE(HH_GET, "/api/v1/organisations", hh_api_organisations),
	ROUTE(HH_GET, "/api/v1/organisations/{code}/hours", hh_api_org_hours),
	ROUTE(HH_POST, "/api/v1/citizen/session", hh_api_citizen_session_create),
	ROUTE(HH_DELETE, "/api/v1/citizen/session", hh_api_citizen_session_delete),
	ROUTE(HH_GET, "/api/v1/life-events", hh_api_life_events),
	ROUTE(HH_GET, "/api/v1/life-events/{slug}", hh_api_life_event),
	ROUTE(HH_POST, "/api/v1/plans", hh_api_plan_create),
	ROUTE(HH_GET, "/api/v1/plans/{id}", hh_api_plan_get),
	ROUTE(HH_GET, "/api/v1/overview", hh_api_overview),
	ROUTE(HH_GET, "/api/v1/audit", hh_api_audit),
	/* x-ext (issue 15): other authorities' case systems report cases */
	ROUTE(HH_PUT, "/api/v1/external-cases/{system}/{id}", hh_api_external_case_put),
	ROUTE(HH_GET, "/api/v1/external-cases/{system}/{id}", hh_api_external_case_get),
	ROUTE(HH_GET, "/api/v1/case-systems", hh_api_case_system_list),
	ROUTE(HH_PUT, "/api/v1/case-systems/{system}", hh_api_case_system_put),
	ROUTE(HH_GET, "/api/v1/case-systems/{system}", hh_api_case_system_get),
	ROUTE(HH_GET, "/api/v1/case-types", hh_api_case_types),
	ROUTE(HH_GET, "/api/v1/case-types/{code}", hh_api_case_type),
	ROUTE(HH_GET, "/api/v1/cases", hh_api_cases),
	ROUTE_BODY(HH_POST, "/api/v1/cases", hh_api_case_create, HH_JSON_BODY_MAX),
	ROUTE(HH_GET, "/api/v1/cases/{id}", hh_api_case_get),
	ROUTE(HH_POST, "/api/v1/cases/{id}/transition", hh_api_case_transition),
	ROUTE(HH_POST, "/api/v1/cases/{id}/assign", hh_api_case_assign),
	ROUTE(HH_POST, "/api/v1/cases/{id}/notes", hh_api_case_note),
	ROUTE(HH_POST, "/api/v1/cases/{id}/requests", hh_api_case_request),
	ROUTE_BODY(HH_POST, "/api/v1/cases/{id}/answers", hh_api_case_answer, HH_JSON_BODY_MAX),
	/* p-parties (issue 16): the other party's invitation and answer */
	ROUTE(HH_GET, "/api/v1/cases/{id}/parties/me", hh_api_case_party_get),
	ROUTE(HH_POST, "/api/v1/cases/{id}/parties/me", hh_api_case_party_answer),
	/* p-agree (issue 16): an agreement signed by both */
	ROUTE(HH_GET, "/api/v1/cases/{id}/agreement", hh_api_case_agreement_get),
	ROUTE(HH_PUT, "/api/v1/cases/{id}/agreement", hh_api_case_agreement_change),
	ROUTE(HH_POST, "/api/v1/cases/{id}/agreement/signatures", hh_api_case_agreement_sign),
	ROUTE(HH_GET, "/api/v1/inquiries", hh_api_inquiries),
	ROUTE_BODY(HH_POST, "/api/v1/inquiries", hh_api_inquiry_create, HH_JSON_BODY_MAX),
	ROUTE(HH_GET, "/api/v1/inquiries/{id}", hh_api_inquiry_get),
	ROUTE(HH_POST, "/api/v1/inquiries/{id}/outcome", hh_api_inquiry_outcome),
	ROUTE(HH_GET, "/api/v1/search", hh_api_search),
	ROUTE(HH_GET, "/api/v1/suggest", hh_api_suggest),
	ROUTE(HH_GET, "/api/v1/search-report", hh_api_search_report),
	ROUTE(HH_GET, "/api/v1/session", hh_api_session_get),
	ROUTE_SLOW(HH_POST, "/api/v1/session", hh_api_session_create),
	ROUTE(HH_DELETE, "/api/v1/session", hh_api_session_delete),
	/* the agent's desk (api/desk.c) */
	ROUTE(HH_POST, "/api/v1/desk/lookup", hh_api_desk_lookup),
	ROUTE(HH_GET, "/api/v1/desk/citizens/{id}/history", hh_api_desk_history),
	ROUTE(HH_GET, "/api/v1/desk/codes", hh_api_desk_codes),
	ROUTE(HH_GET, "/api/v1/desk/callbacks", hh_api_desk_callbacks),
	ROUTE(HH_GET, "/api/v1/desk/transfers", hh_api_desk_transfers),
	ROUTE(HH_GET, "/api/v1/desk/transfers/{id}", hh_api_desk_transfer),
	ROUTE(HH_POST, "/api/v1/desk/transfers/{id}/take", hh_api_desk_transfer_take),
	ROUTE(HH_POST, "/api/v1/desk/transfers/{id}/close", hh_api_desk_transfer_close),
	ROUTE(HH_POST, "/api/v1/inquiries/{id}/article", hh_api_desk_inquiry_article),
	ROUTE(HH_GET, "/api/v1/desk/usefulness", hh_api_desk_usefulness),
	ROUTE_BODY(HH_POST, "/api/v1/desk/citizens/{id}/cases", hh_api_desk_assisted_case, HH_JSON_BODY_MAX),
	/* appointments (tidsbestilling) */
	ROUTE(HH_GET, "/api/v1/organisations/{code}/counter-services", hh_api_counter_services),
	ROUTE(HH_GET, "/api/v1/organisations/{code}/slots", hh_api_slots),
	ROUTE(HH_GET, "/api/v1/organisations/{code}/appointments", hh_api_appointment_day),
	ROUTE(HH_GET, "/api/v1/appointments", hh_api_appointments_mine),
	ROUTE_ANON_LIMITED(HH_POST, "/api/v1/appointments", hh_api_appointment_create),
	ROUTE(HH_GET, "/api/v1/appointments/{code}", hh_api_appointment_get),
	ROUTE_ANON_LIMITED(HH_PATCH, "/api/v1/appointments/{code}", hh_api_appointment_move),
	ROUTE(HH_DELETE, "/api/v1/appointments/{code}", hh_api_appointment_cancel),
	ROUTE(HH_POST, "/api/v1/appointments/{code}/attendance", hh_api_appointment_attendance),

	/* Open311 GeoReport v2: "{name}.json" or "{name}.xml" */
	ROUTE(HH_GET, "/open311/v2/discovery.{format}", hh_open311_discovery),
	ROUTE(HH_GET, "/open311/v2/services.{format}", hh_open311_services),
	ROUTE(HH_GET, "/open311/v2/services/{code}", hh_open311_service),
	ROUTE(HH_GET, "/open311/v2/requests.{format}", hh_open311_requests),
	ROUTE(HH_POST, "/open311/v2/requests.{format}", hh_open311_request_create),
	ROUTE(HH_GET, "/open311/v2/requests/{id}", hh_open311_request),
	ROUTE(HH_GET, "/open311/v2/tokens/{id}", hh_open311_token),
	ROUTE(HH_GET, "/open311/v2/*", hh_open311_not_found),

	/* citizen pages */
	ROUTE(HH_GET, "/", hh_page_front),
	ROUTE(HH_GET, "/artikel/{slug}", hh_page_article),
	ROUTE(HH_GET, "/soeg", hh_page_search),
	ROUTE(HH_GET, "/livssituation/{slug}", hh_page_life_event),
	ROUTE(HH_POST, "/livssituation/{slug}", hh_page_life_event_post),
	ROUTE(HH_GET, "/borger/log-ind", hh_page_citizen_login),
	ROUTE(HH_POST, "/borger/log-ind", hh_page_citizen_login_post),
	ROUTE(HH_POST, "/borger/log-ud", hh_page_citizen_logout),
	/* sign-in through OpenID Connect: the start may fetch the
	 * provider's discovery document and the callback calls its token
	 * endpoint, so both wait on the slow lane, not on a request thread */
	ROUTE_SLOW(HH_GET, "/borger/oidc/start", hh_page_oidc_citizen_start),
	ROUTE_SLOW(HH_GET, "/borger/oidc/callback", hh_page_oidc_citizen_callback),
	ROUTE(HH_GET, "/blanket/{code}", hh_page_form),
	ROUTE_BODY(HH_POST, "/blanket/{code}", hh_page_form_post, HH_UPLOAD_MAX),
	ROUTE(HH_GET, "/mit-overblik", hh_page_overview),
	ROUTE(HH_GET, "/mit-overblik/indsigt", hh_page_insight),
	ROUTE(HH_GET, "/mit-overblik/forloeb/{id}", hh_page_plan),
	ROUTE(HH_GET, "/mit-overblik/sag/{id}", hh_page_my_case),
	ROUTE_BODY(HH_POST, "/mit-overblik/sag/{id}/svar", hh_page_my_case_answer, HH_UPLOAD_MAX),
	/* p-parties (issue 16): the other party's view and answer */
	ROUTE(HH_GET, "/mit-overblik/part/{id}", hh_page_party),
	ROUTE(HH_POST, "/mit-overblik/part/{id}", hh_page_party_answer),
	/* p-agree (issue 16): an agreement's signature */
	ROUTE(HH_POST, "/mit-overblik/aftale/{id}", hh_page_agreement_sign),
	ROUTE(HH_GET, "/mit-overblik/aftale/{id}/aendring", hh_page_agreement_change),
	ROUTE(HH_POST, "/mit-overblik/aftale/{id}/aendring", hh_page_agreement_change_post),

	/* staff pages */
	ROUTE(HH_GET, "/log-ind", hh_page_login),
	ROUTE_SLOW(HH_POST, "/log-ind", hh_page_login_post),
	ROUTE(HH_POST, "/log-ud", hh_page_logout),
	ROUTE_SLOW(HH_GET, "/personale/oidc/start", hh_page_oidc_staff_start),
	ROUTE_SLOW(HH_GET, "/personale/oidc/callback", hh_page_oidc_staff_callback),

	/* the identity provider's logout (OpenID Connect); a logout token
	 * may need the provider's keys fetched */
	ROUTE_SLOW(HH_POST, "/oidc/backchannel-logout", hh_api_oidc_backchannel_logout),
	ROUTE(HH_GET, "/oidc/frontchannel-logout", hh_page_oidc_frontchannel_logout),
	ROUTE(HH_GET, "/personale", hh_page_staff),
	ROUTE(HH_GET, "/personale/soegninger", hh_page_search_report),
	ROUTE(HH_GET, "/personale/webhooks", hh_page_webhooks), /* x-hooks */
	ROUTE(HH_POST, "/personale/webhooks", hh_page_webhook_create),
	ROUTE(HH_POST, "/personale/webhooks/{id}", hh_page_webhook_action),
	ROUTE(HH_GET, "/sagsbehandling", hh_page_casework_queue),
	ROUTE(HH_GET, "/sagsbehandling/sag/{id}", hh_page_casework_case),
	ROUTE(HH_POST, "/sagsbehandling/sag/{id}/tildeling", hh_page_casework_assign),
	ROUTE(HH_POST, "/sagsbehandling/sag/{id}/overgang", hh_page_casework_transition),
	ROUTE(HH_POST, "/sagsbehandling/sag/{id}/anmodning", hh_page_casework_request),
	ROUTE(HH_POST, "/sagsbehandling/sag/{id}/note", hh_page_casework_note),
	/* the agent's desk (pages/desk.c) */
	ROUTE(HH_GET, "/borgerservice", hh_page_desk),
	ROUTE(HH_POST, "/borgerservice/opslag", hh_page_desk_lookup),
	ROUTE(HH_POST, "/borgerservice/henvendelse", hh_page_desk_log),
	ROUTE(HH_POST, "/borgerservice/viderestilling/{id}", hh_page_desk_transfer),
	ROUTE(HH_GET, "/borgerservice/blanket", hh_page_desk_form),
	ROUTE(HH_POST, "/borgerservice/blanket", hh_page_desk_form_post),

	/* appointments (tidsbestilling) and contact pages */
	ROUTE(HH_GET, "/tidsbestilling", hh_page_booking),
	ROUTE_ANON_LIMITED(HH_POST, "/tidsbestilling", hh_page_booking_post),
	ROUTE(HH_GET, "/tidsbestilling/{code}", hh_page_booking_show),
	ROUTE_ANON_LIMITED(HH_POST, "/tidsbestilling/{code}/flyt", hh_page_booking_move),
	ROUTE(HH_POST, "/tidsbestilling/{code}/aflys", hh_page_booking_cancel),
	ROUTE(HH_GET, "/borgerservice/tidsbestillinger", hh_page_booking_day),
	ROUTE(HH_POST, "/borgerservice/tidsbestillinger/{code}", hh_page_booking_mark),
	ROUTE(HH_GET, "/kontakt", hh_page_contact_index),
	ROUTE(HH_GET, "/kontakt/{code}", hh_page_contact),
	ROUTE(HH_GET, "/tilgaengelighed", hh_page_accessibility),
	ROUTE(HH_GET, "/privatliv", hh_page_privacy),

	/* chat: the API (a message is acknowledged once committed; GET
	 * .../messages?after=N&wait=S parks until one comes), the citizen's
	 * chat page (a written inquiry without JavaScript) and the agent's
	 * console */
	ROUTE(HH_GET, "/api/v1/organisations/{code}/chat", hh_api_chat_status),
	ROUTE(HH_POST, "/api/v1/chats", hh_api_chat_open),
	ROUTE(HH_GET, "/api/v1/chats/{id}", hh_api_chat_get),
	ROUTE(HH_GET, "/api/v1/chats/{id}/messages", hh_api_chat_messages),
	ROUTE(HH_POST, "/api/v1/chats/{id}/messages", hh_api_chat_send),
	ROUTE(HH_POST, "/api/v1/chats/{id}/take", hh_api_chat_take),
	ROUTE(HH_POST, "/api/v1/chats/{id}/transfer", hh_api_chat_transfer),
	ROUTE(HH_POST, "/api/v1/chats/{id}/close", hh_api_chat_close),
	ROUTE(HH_POST, "/api/v1/chats/{id}/rating", hh_api_chat_rate),
	ROUTE(HH_GET, "/api/v1/chat-console", hh_api_chat_console),
	ROUTE(HH_POST, "/api/v1/written-inquiries", hh_api_written_inquiry),
	ROUTE(HH_GET, "/api/v1/inquiries/{id}/transcript", hh_api_inquiry_transcript),
	ROUTE(HH_GET, "/chat", hh_page_chat),
	ROUTE(HH_POST, "/chat/skriv", hh_page_chat_written),
	ROUTE(HH_POST, "/chat/bedoem", hh_page_chat_rate),
	ROUTE(HH_GET, "/borgerservice/chat", hh_page_chat_console),

	/* the caseworker's tools (domain/casetools.h): uploaded files as
	 * downloads, whom cases may be assigned to */
	ROUTE(HH_GET, "/api/v1/cases/{id}/files/{file}", hh_api_case_file),
	ROUTE(HH_GET, "/api/v1/casework/assignees", hh_api_casework_assignees),
	ROUTE(HH_GET, "/sagsbehandling/sag/{id}/fil/{file}", hh_page_casework_file),
	/* letters on cases (domain/letters.h): the API ("/api/v1/letters/
	 * {id}.pdf" is the same route, the handler sees the suffix) and the
	 * caseworker's compose and approval pages */
	ROUTE(HH_GET, "/api/v1/cases/{id}/letters", hh_api_case_letters),
	ROUTE(HH_POST, "/api/v1/cases/{id}/letters", hh_api_case_letter_create),
	ROUTE(HH_GET, "/api/v1/letters/approval", hh_api_letters_approval),
	ROUTE(HH_GET, "/api/v1/letters/{id}", hh_api_letter_get),
	ROUTE(HH_POST, "/api/v1/letters/{id}/send", hh_api_letter_send),
	ROUTE(HH_POST, "/api/v1/letters/{id}/approve", hh_api_letter_approve),
	ROUTE(HH_POST, "/api/v1/letters/{id}/return", hh_api_letter_return),
	ROUTE(HH_GET, "/sagsbehandling/sag/{id}/brev", hh_page_letter_compose),
	ROUTE(HH_POST, "/sagsbehandling/sag/{id}/brev", hh_page_letter_compose_post),
	ROUTE(HH_GET, "/sagsbehandling/godkendelser", hh_page_letters_approval),
	ROUTE(HH_GET, "/sagsbehandling/brev/{id}", hh_page_letter),
	ROUTE(HH_POST, "/sagsbehandling/brev/{id}/send", hh_page_letter_send),
	ROUTE(HH_POST, "/sagsbehandling/brev/{id}/godkend", hh_page_letter_approve),
	ROUTE(HH_POST, "/sagsbehandling/brev/{id}/returner", hh_page_letter_return),
	/* delivery: Digital Post messages and the error queue (API), the
	 * error queue and the print batches for staff, and the exemption
	 * from Digital Post at the desk */
	ROUTE(HH_GET, "/api/v1/messages", hh_api_messages),
	ROUTE(HH_GET, "/api/v1/messages/{id}", hh_api_message_get),
	ROUTE(HH_POST, "/api/v1/messages/{id}/retry", hh_api_message_retry),
	ROUTE(HH_POST, "/api/v1/messages/{id}/print", hh_api_message_print),
	ROUTE(HH_GET, "/sagsbehandling/post", hh_page_post_queue),
	ROUTE(HH_POST, "/sagsbehandling/post/{id}", hh_page_post_action),
	ROUTE(HH_GET, "/sagsbehandling/printbatch", hh_page_print_batches),
	ROUTE(HH_GET, "/sagsbehandling/printbatch/{id}", hh_page_print_batch_get),
	ROUTE(HH_POST, "/borgerservice/borger/{id}/digital-post",
	      hh_page_desk_dp_exempt),
	/* the citizen's inbox: the API and the pages in Mit overblik (a
	 * reply may carry files: the upload limit) */
	ROUTE(HH_GET, "/api/v1/me/letters", hh_api_my_letters),
	ROUTE(HH_GET, "/api/v1/me/letters/{id}", hh_api_my_letter),
	ROUTE(HH_GET, "/api/v1/me/letters/{id}/pdf", hh_api_my_letter_pdf),
	ROUTE_BODY(HH_POST, "/api/v1/me/letters/{id}/reply", hh_api_my_letter_reply,
		   HH_UPLOAD_MAX),
	ROUTE(HH_GET, "/mit-overblik/post", hh_page_inbox),
	ROUTE(HH_GET, "/mit-overblik/post/{id}", hh_page_inbox_letter),
	ROUTE(HH_GET, "/mit-overblik/post/{id}/pdf", hh_page_inbox_letter_pdf),
	ROUTE_BODY(HH_POST, "/mit-overblik/post/{id}/svar", hh_page_inbox_letter_reply,
		   HH_UPLOAD_MAX),
	/* feedback: "Fandt du det, du søgte?" (the form's target, the API
	 * for feedback.js, the editors' report) */
	ROUTE(HH_POST, "/feedback", hh_page_feedback_post),
	ROUTE(HH_POST, "/api/v1/feedback", hh_api_feedback_create),
	ROUTE(HH_GET, "/api/v1/feedback-report", hh_api_feedback_report),
	/* fig-pages (issue 12): the service figures over the API, the
	 * managers' dashboard, drill-down and benchmark, and the public
	 * service levels (every table also as CSV with ?format=csv) */
	ROUTE(HH_GET, "/api/v1/figures", hh_api_figures),
	ROUTE(HH_GET, "/api/v1/figures/drill", hh_api_figures_drill),
	ROUTE(HH_GET, "/api/v1/figures/benchmark", hh_api_figures_benchmark),
	ROUTE(HH_GET, "/api/v1/service-levels/{org}", hh_api_service_levels),
	ROUTE(HH_GET, "/ledelse", hh_page_figures),
	ROUTE(HH_GET, "/ledelse/benchmark", hh_page_figures_benchmark),
	ROUTE(HH_GET, "/ledelse/bag/{indicator}", hh_page_figures_drill),
	ROUTE(HH_GET, "/serviceniveau/{org}", hh_page_service_levels),
	/* s-self (issue 13): every self-service form by topic; /blanket
	 * without a form sends the reader there */
	ROUTE(HH_GET, "/selvbetjening", hh_page_selfservice),
	ROUTE(HH_GET, "/blanket", hh_page_form_index),
	/* s-edit (issue 13): the editors' pages (pages/editor.c); the
	 * literal paths before /redaktion/{org}/{slug}. An article's form
	 * may carry its body (256 KB, URL-encoded) once signed in. */
	ROUTE(HH_GET, "/api/v1/proposals", hh_api_proposals),
	ROUTE(HH_GET, "/api/v1/proposals/{id}", hh_api_proposal_get),
	ROUTE(HH_POST, "/api/v1/proposals/{id}/accept", hh_api_proposal_accept),
	ROUTE(HH_POST, "/api/v1/proposals/{id}/decline", hh_api_proposal_decline),
	ROUTE_BODY(HH_POST, "/api/v1/articles/{slug}/proposals", hh_api_proposal_create, HH_JSON_BODY_MAX),
	ROUTE(HH_GET, "/redaktion", hh_page_editor_list),
	ROUTE(HH_GET, "/redaktion/ny", hh_page_editor_new),
	ROUTE_BODY(HH_POST, "/redaktion/ny", hh_page_editor_create, HH_JSON_BODY_MAX),
	ROUTE_BODY(HH_POST, "/redaktion/forhaandsvisning", hh_page_editor_preview, HH_JSON_BODY_MAX),
	ROUTE(HH_GET, "/redaktion/forslag", hh_page_editor_proposals),
	ROUTE(HH_GET, "/redaktion/forslag/{id}", hh_page_editor_proposal),
	ROUTE(HH_POST, "/redaktion/forslag/{id}/accepter", hh_page_editor_accept),
	ROUTE(HH_POST, "/redaktion/forslag/{id}/afvis", hh_page_editor_decline),
	ROUTE(HH_GET, "/redaktion/soegning", hh_page_editor_tuning),
	ROUTE(HH_POST, "/redaktion/synonym", hh_page_editor_synonym),
	ROUTE(HH_POST, "/redaktion/fastgoer", hh_page_editor_pin),
	ROUTE(HH_POST, "/redaktion/fastgoer/fjern", hh_page_editor_unpin),
	ROUTE(HH_GET, "/redaktion/{org}/{slug}", hh_page_editor_edit),
	ROUTE_BODY(HH_POST, "/redaktion/{org}/{slug}", hh_page_editor_save, HH_JSON_BODY_MAX),
	ROUTE(HH_GET, "/redaktion/{org}/{slug}/versioner", hh_page_editor_versions),
	ROUTE(HH_GET, "/redaktion/{org}/{slug}/versioner/{version}", hh_page_editor_version),
	ROUTE(HH_POST, "/redaktion/{org}/{slug}/gendan", hh_page_editor_restore),
	ROUTE(HH_POST, "/redaktion/{org}/{slug}/lokal", hh_page_editor_local),
	ROUTE(HH_GET, "/redaktion/{org}/{slug}/forslag", hh_page_editor_propose_form),
	ROUTE_BODY(HH_POST, "/redaktion/{org}/{slug}/forslag", hh_page_editor_propose, HH_JSON_BODY_MAX),
	/* s-tune (issue 13): an article's versions and restoring one over
	 * the API; the synonyms over the API and their list for editors */
	ROUTE(HH_GET, "/api/v1/articles/{slug}/versions", hh_api_article_versions),
	ROUTE(HH_GET, "/api/v1/articles/{slug}/versions/{version}", hh_api_article_version),
	ROUTE(HH_POST, "/api/v1/articles/{slug}/versions/{version}/restore", hh_api_article_restore),
	ROUTE(HH_GET, "/api/v1/synonyms", hh_api_synonyms),
	ROUTE(HH_POST, "/api/v1/synonyms", hh_api_synonym_create),
	ROUTE(HH_PUT, "/api/v1/synonyms/{id}", hh_api_synonym_put),
	ROUTE(HH_DELETE, "/api/v1/synonyms/{id}", hh_api_synonym_delete),
	ROUTE(HH_GET, "/api/v1/pins", hh_api_pins),
	ROUTE(HH_POST, "/api/v1/pins", hh_api_pin_create),
	ROUTE(HH_DELETE, "/api/v1/pins", hh_api_pin_delete),
	/* x-hooks (issue 15): an organisation's webhooks */
	ROUTE(HH_GET, "/api/v1/webhooks", hh_api_webhooks),
	ROUTE(HH_POST, "/api/v1/webhooks", hh_api_webhook_create),
	ROUTE(HH_GET, "/api/v1/webhooks/deliveries", hh_api_webhook_deliveries),
	ROUTE(HH_PATCH, "/api/v1/webhooks/{id}", hh_api_webhook_patch),
	ROUTE(HH_DELETE, "/api/v1/webhooks/{id}", hh_api_webhook_delete),
	ROUTE(HH_GET, "/api/v1/webhooks/{id}/deliveries",
	      hh_api_webhook_sub_deliveries), /* x-hooks2 */
	ROUTE(HH_POST, "/api/v1/webhooks/{id}/secret", hh_api_webhook_rotate),
	ROUTE(HH_POST, "/api/v1/webhooks/{id}/test", hh_api_webhook_test),
	ROUTE(HH_GET, "/redaktion/synonymer", hh_page_editor_synonyms),
	ROUTE(HH_POST, "/redaktion/fjern-synonym", hh_page_editor_unsynonym),

	{ 0, NULL, NULL, 0, 0 }
};
