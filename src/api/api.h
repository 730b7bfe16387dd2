/* api.h - the JSON API's handlers (one file per resource) and what they
 * share: JSON bodies. Internal to src/api/ and the route table. */
#ifndef HH_API_API_H
#define HH_API_API_H

#include "app/app.h"

/* JSON bodies are small; the server's cap is larger so that citizens'
 * forms can carry files (multipart/form-data). */
#define HH_JSON_BODY_MAX (1 << 20)

/* Checks Content-Type: application/json and the size (413 over
 * HH_JSON_BODY_MAX) and parses the body against spec; on failure queues
 * the problem and returns 0. */
int hh_json_body(struct hh_req *r, struct hh_json_spec *spec);

/* Queues the problem for a staff report the domain refused with rc (not
 * HH_OK): 401 auth-required when the caller is anonymous and rc is
 * HH_ERR_FORBIDDEN, 403 forbidden with forbidden_detail (borrowed; NULL:
 * the registry's hint) when a signed-in caller lacks the role, otherwise
 * the problem of rc. (refusal.c) */
void hh_api_report_refusal(struct hh_req *r, enum hh_rc rc,
			   const char *forbidden_detail);

/* 1 when the caller may write: signed in (else 401 auth-required) and
 * the request carries its CSRF token (else 403 csrf); the problem is
 * queued when 0. (refusal.c) */
int hh_api_may_write(struct hh_req *r);

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
/* POST /oidc/backchannel-logout: the provider ends sessions. */
void hh_api_oidc_backchannel_logout(struct hh_req *r);
void hh_api_organisations(struct hh_req *r);
void hh_api_healthz(struct hh_req *r);
void hh_api_readyz(struct hh_req *r);
void hh_api_metrics(struct hh_req *r);
/* x-openapi (issue 15): GET /api/v1/openapi.json, the API's description
 * (docs/openapi.json, embedded at build time; docs/api.md). */
void hh_api_openapi(struct hh_req *r);

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
void hh_api_case_party_get(struct hh_req *r); /* p-parties */
void hh_api_case_party_answer(struct hh_req *r);
void hh_api_case_agreement_get(struct hh_req *r); /* p-agree */
void hh_api_case_agreement_sign(struct hh_req *r);
void hh_api_case_agreement_change(struct hh_req *r);
/* casework tools */
void hh_api_case_file(struct hh_req *r);
void hh_api_casework_assignees(struct hh_req *r);
/* inquiries.c */
void hh_api_inquiry_create(struct hh_req *r);
void hh_api_inquiries(struct hh_req *r);
void hh_api_inquiry_get(struct hh_req *r);
void hh_api_inquiry_outcome(struct hh_req *r);
/* desk.c: the agent's desk */
void hh_api_desk_lookup(struct hh_req *r);
void hh_api_desk_history(struct hh_req *r);
void hh_api_desk_codes(struct hh_req *r);
void hh_api_desk_callbacks(struct hh_req *r);
void hh_api_desk_transfers(struct hh_req *r);
void hh_api_desk_transfer(struct hh_req *r);
void hh_api_desk_transfer_take(struct hh_req *r);
void hh_api_desk_transfer_close(struct hh_req *r);
void hh_api_desk_inquiry_article(struct hh_req *r);
void hh_api_desk_usefulness(struct hh_req *r);
void hh_api_desk_assisted_case(struct hh_req *r);
void hh_api_audit(struct hh_req *r);
/* hours.c */
void hh_api_org_hours(struct hh_req *r);
/* appointments.c */
void hh_api_counter_services(struct hh_req *r);
void hh_api_slots(struct hh_req *r);
void hh_api_appointment_create(struct hh_req *r);
void hh_api_appointment_get(struct hh_req *r);
void hh_api_appointment_move(struct hh_req *r);
void hh_api_appointment_cancel(struct hh_req *r);
void hh_api_appointment_attendance(struct hh_req *r);
void hh_api_appointment_day(struct hh_req *r);
void hh_api_appointments_mine(struct hh_req *r);

/* Open311 GeoReport v2 (open311.c) */
void hh_open311_discovery(struct hh_req *r);
void hh_open311_services(struct hh_req *r);
void hh_open311_service(struct hh_req *r);
void hh_open311_requests(struct hh_req *r);
void hh_open311_request(struct hh_req *r);
void hh_open311_request_create(struct hh_req *r);
void hh_open311_token(struct hh_req *r);
void hh_open311_not_found(struct hh_req *r);

/* chat.c */
void hh_api_chat_status(struct hh_req *r);
void hh_api_chat_open(struct hh_req *r);
void hh_api_written_inquiry(struct hh_req *r);
void hh_api_chat_get(struct hh_req *r);
void hh_api_chat_messages(struct hh_req *r);
void hh_api_chat_send(struct hh_req *r);
void hh_api_chat_take(struct hh_req *r);
void hh_api_chat_transfer(struct hh_req *r);
void hh_api_chat_close(struct hh_req *r);
void hh_api_chat_rate(struct hh_req *r);
void hh_api_chat_console(struct hh_req *r);
void hh_api_inquiry_transcript(struct hh_req *r);

/* letters.c: letters on cases */
void hh_api_case_letters(struct hh_req *r);
void hh_api_case_letter_create(struct hh_req *r);
void hh_api_letter_get(struct hh_req *r);
void hh_api_letter_send(struct hh_req *r);
void hh_api_letter_approve(struct hh_req *r);
void hh_api_letter_return(struct hh_req *r);
void hh_api_letters_approval(struct hh_req *r);
/* messages.c (delivery: Digital Post messages, the error queue) */
void hh_api_messages(struct hh_req *r);
void hh_api_message_get(struct hh_req *r);
void hh_api_message_retry(struct hh_req *r);
void hh_api_message_print(struct hh_req *r);
/* inbox.c: the citizen's inbox */
void hh_api_my_letters(struct hh_req *r);
void hh_api_my_letter(struct hh_req *r);
void hh_api_my_letter_pdf(struct hh_req *r);
void hh_api_my_letter_reply(struct hh_req *r);
/* feedback.c: "Fandt du det, du søgte?" and the editors' report of it */
void hh_api_feedback_create(struct hh_req *r);
void hh_api_feedback_report(struct hh_req *r);
/* external.c (issue 15): cases reported by other authorities' systems */
void hh_api_external_case_put(struct hh_req *r);
void hh_api_external_case_get(struct hh_req *r);
/* casesystems.c (issue 15, x-decl): the case systems an organisation
 * declares */
void hh_api_case_system_put(struct hh_req *r);
void hh_api_case_system_get(struct hh_req *r);
void hh_api_case_system_list(struct hh_req *r);
/* figures.c (issue 12): the service figures, the drill-down, the
 * benchmark and the public service levels */
void hh_api_figures(struct hh_req *r);
void hh_api_figures_drill(struct hh_req *r);
void hh_api_figures_benchmark(struct hh_req *r);
void hh_api_service_levels(struct hh_req *r);

/* s-edit (issue 13): proposals to the shared knowledge base
 * (api/proposals.c) */
void hh_api_proposals(struct hh_req *r);
void hh_api_proposal_create(struct hh_req *r);
void hh_api_proposal_get(struct hh_req *r);
void hh_api_proposal_accept(struct hh_req *r);
void hh_api_proposal_decline(struct hh_req *r);

/* s-tune (issue 13): an article's versions and restoring one
 * (api/articles.c); the synonyms (api/synonyms.c) */
void hh_api_article_versions(struct hh_req *r);
void hh_api_article_version(struct hh_req *r);
void hh_api_article_restore(struct hh_req *r);
void hh_api_synonyms(struct hh_req *r);
void hh_api_synonym_create(struct hh_req *r);
void hh_api_synonym_put(struct hh_req *r);
void hh_api_synonym_delete(struct hh_req *r);

/* issue 13: a municipality's pinned queries (api/pins.c) */
void hh_api_pins(struct hh_req *r);
void hh_api_pin_create(struct hh_req *r);
void hh_api_pin_delete(struct hh_req *r);

/* x-hooks (issue 15): an organisation's webhooks (api/webhooks.c) */
void hh_api_webhooks(struct hh_req *r);
void hh_api_webhook_create(struct hh_req *r);
void hh_api_webhook_patch(struct hh_req *r);
void hh_api_webhook_delete(struct hh_req *r);
void hh_api_webhook_deliveries(struct hh_req *r);
void hh_api_webhook_sub_deliveries(struct hh_req *r); /* x-hooks2 */
void hh_api_webhook_rotate(struct hh_req *r);
void hh_api_webhook_test(struct hh_req *r);

#endif
