/* pages.h - the server-rendered pages' handlers. Internal to src/pages/
 * and the route table. */
#ifndef HH_PAGES_PAGES_H
#define HH_PAGES_PAGES_H

#include "app/app.h"

void hh_page_search(struct hh_req *r);
void hh_page_search_report(struct hh_req *r);
/* x-hooks: an organisation's webhooks, for its admin (pages/webhooks.c) */
void hh_page_webhooks(struct hh_req *r);
/* x-hooks2: its forms (subscribe; pause, resume, test, a new secret,
 * delete) */
void hh_page_webhook_create(struct hh_req *r);
void hh_page_webhook_action(struct hh_req *r);
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
/* 503 for a page: the server is at a limit (body memory, the sign-in
 * queue). */
void hh_page_busy(struct hh_req *r);
/* 429 for a page: this client or session sent too many writes. */
void hh_page_too_many(struct hh_req *r);

/* the citizen's own pages (pages/borger.c, citizen.c, blanket.c,
 * overview.c) */
void hh_page_life_event_post(struct hh_req *r);
void hh_page_citizen_login(struct hh_req *r);
void hh_page_citizen_login_post(struct hh_req *r);
void hh_page_citizen_logout(struct hh_req *r);
/* OpenID Connect (pages/oidc.c) */
void hh_page_oidc_citizen_start(struct hh_req *r);
void hh_page_oidc_citizen_callback(struct hh_req *r);
void hh_page_oidc_staff_start(struct hh_req *r);
void hh_page_oidc_staff_callback(struct hh_req *r);
void hh_page_oidc_frontchannel_logout(struct hh_req *r);
void hh_page_form(struct hh_req *r);
void hh_page_form_post(struct hh_req *r);
/* s-self: /selvbetjening, every form by topic, and /blanket sending the
 * reader there (pages/selfservice.c) */
void hh_page_selfservice(struct hh_req *r);
void hh_page_form_index(struct hh_req *r);
void hh_page_overview(struct hh_req *r);
void hh_page_plan(struct hh_req *r);
void hh_page_my_case(struct hh_req *r);
void hh_page_my_case_answer(struct hh_req *r);
/* p-parties: the other party (pages/parties.c, pages/parties.h) */
void hh_page_party(struct hh_req *r);
void hh_page_party_answer(struct hh_req *r);
/* p-agree: POST /mit-overblik/aftale/{id} (csrf, udgave), an agreement's
 * signature; 303 back to the signer's page, or a Danish refusal (409
 * when the agreement was changed since it was read) (pages/agreement.c) */
void hh_page_agreement_sign(struct hh_req *r);
/* GET and POST /mit-overblik/aftale/{id}/aendring: a signer's change of the
 * agreement, a new version they sign by sending it (PRG; 422 with the
 * Danish errors at the fields) */
void hh_page_agreement_change(struct hh_req *r);
void hh_page_agreement_change_post(struct hh_req *r);
void hh_page_insight(struct hh_req *r);
/* pages/casework.c: the caseworker's queue and case pages */
void hh_page_casework_queue(struct hh_req *r);
void hh_page_casework_case(struct hh_req *r);
void hh_page_casework_assign(struct hh_req *r);
void hh_page_casework_transition(struct hh_req *r);
void hh_page_casework_request(struct hh_req *r);
void hh_page_casework_note(struct hh_req *r);
/* casework tools: an uploaded file as a download */
void hh_page_casework_file(struct hh_req *r);
/* pages/desk.c: the agent's desk (Borgerservice) */
void hh_page_desk(struct hh_req *r);
void hh_page_desk_lookup(struct hh_req *r);
void hh_page_desk_log(struct hh_req *r);
void hh_page_desk_transfer(struct hh_req *r);
void hh_page_desk_form(struct hh_req *r);
void hh_page_desk_form_post(struct hh_req *r);
/* pages/booking.c: appointments (tidsbestilling) and the counter's day
 * list; pages/contact.c: contact pages, accessibility and privacy */
void hh_page_booking(struct hh_req *r);
void hh_page_booking_post(struct hh_req *r);
void hh_page_booking_show(struct hh_req *r);
void hh_page_booking_move(struct hh_req *r);
void hh_page_booking_cancel(struct hh_req *r);
void hh_page_booking_day(struct hh_req *r);
void hh_page_booking_mark(struct hh_req *r);
void hh_page_contact_index(struct hh_req *r);
void hh_page_contact(struct hh_req *r);
void hh_page_accessibility(struct hh_req *r);
void hh_page_privacy(struct hh_req *r);

/* pages/chat.c: the citizen's chat page (a written inquiry without
 * JavaScript), its rating form and the agent's chat console */
void hh_page_chat(struct hh_req *r);
void hh_page_chat_written(struct hh_req *r);
void hh_page_chat_rate(struct hh_req *r);
void hh_page_chat_console(struct hh_req *r);
/* delivery: pages/post.c, the error queue of Digital Post and the print
 * batches for staff; pages/desk.c, the exemption from Digital Post */
void hh_page_post_queue(struct hh_req *r);
void hh_page_post_action(struct hh_req *r);
void hh_page_print_batches(struct hh_req *r);
void hh_page_print_batch_get(struct hh_req *r);
void hh_page_desk_dp_exempt(struct hh_req *r);

/* pages/letters.c: letters on cases (compose, one letter, approval) */
struct hh_case;
struct hh_case_type_def;
void hh_page_letter_compose(struct hh_req *r);
void hh_page_letter_compose_post(struct hh_req *r);
void hh_page_letter(struct hh_req *r);
void hh_page_letter_send(struct hh_req *r);
void hh_page_letter_approve(struct hh_req *r);
void hh_page_letter_return(struct hh_req *r);
void hh_page_letters_approval(struct hh_req *r);
/* The case page's section of letters: the case's letters with state and
 * links, and where the case type has one, a link to a hearing letter. */
void hh_page_case_letters(struct hh_req *r, const struct hh_case *c,
			  const struct hh_case_type_def *def, int may_change);

/* pages/inbox.c: the citizen's inbox in Mit overblik (Din post), one
 * letter with its PDF, and the reply to it */
void hh_page_inbox(struct hh_req *r);
void hh_page_inbox_letter(struct hh_req *r);
void hh_page_inbox_letter_pdf(struct hh_req *r);
void hh_page_inbox_letter_reply(struct hh_req *r);

/* pages/feedback.c: "Fandt du det, du søgte?". The form for page
 * ("article" with article_id, or "search" with query), going back to back
 * (the page's own URL) with muni_code (the chosen municipality, or NULL);
 * "Tak for dit svar" instead when the page is shown with ?tak=1. Its
 * target, POST /feedback. */
void hh_page_feedback_form(struct hh_req *r, const char *page,
			   int64_t article_id, const char *query,
			   const char *back, const char *muni_code);
void hh_page_feedback_post(struct hh_req *r);
/* pages/figures.c (issue 12): the managers' dashboard, the drill-down
 * behind an indicator, the benchmark, and the public service levels */
void hh_page_figures(struct hh_req *r);
void hh_page_figures_drill(struct hh_req *r);
void hh_page_figures_benchmark(struct hh_req *r);
void hh_page_service_levels(struct hh_req *r);

/* pages/editor.c (s-edit, issue 13): the editors' pages under
 * /redaktion: the article list, create and edit with a preview, versions
 * with a diff and restore, a local version of a shared article, and the
 * proposals to the shared knowledge base */
void hh_page_editor_list(struct hh_req *r);
void hh_page_editor_new(struct hh_req *r);
void hh_page_editor_create(struct hh_req *r);
void hh_page_editor_preview(struct hh_req *r);
void hh_page_editor_edit(struct hh_req *r);
void hh_page_editor_save(struct hh_req *r);
void hh_page_editor_versions(struct hh_req *r);
void hh_page_editor_version(struct hh_req *r);
void hh_page_editor_restore(struct hh_req *r);
void hh_page_editor_local(struct hh_req *r);
void hh_page_editor_propose_form(struct hh_req *r);
void hh_page_editor_propose(struct hh_req *r);
void hh_page_editor_proposals(struct hh_req *r);
void hh_page_editor_proposal(struct hh_req *r);
void hh_page_editor_accept(struct hh_req *r);
void hh_page_editor_decline(struct hh_req *r);
/* ... and, from the report of searches without answers, a synonym or a
 * pinned article for one search */
void hh_page_editor_tuning(struct hh_req *r);
void hh_page_editor_synonym(struct hh_req *r);
void hh_page_editor_pin(struct hh_req *r);
void hh_page_editor_unpin(struct hh_req *r);
/* s-tune (issue 13): the synonyms' and pins' list, removing a synonym */
void hh_page_editor_synonyms(struct hh_req *r);
void hh_page_editor_unsynonym(struct hh_req *r);

#endif
