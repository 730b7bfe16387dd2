/* chat.c - the chat pages: the citizen's chat page (without JavaScript,
 * and whenever chat is closed, a written inquiry; with JavaScript and chat
 * open, web/chat.js turns it into the live chat), the rating after a
 * chat, and the agent's chat console (web/chat-console.js). */
#include "pages/layout.h"

#include <stdlib.h>
#include <string.h>

#include "app/chat.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/chat.h"
#include "domain/orgs.h"

struct orgs_ctx {
	struct hh_req *r;
	const char *chosen;
};

static enum hh_rc org_option(void *p, const struct hh_org *o)
{
	struct orgs_ctx *k = p;
	hh_buf_puts(&k->r->resp, "<option value=\"");
	hh_page_text(k->r, o->code);
	hh_buf_puts(&k->r->resp, "\"");
	if (k->chosen && !strcmp(k->chosen, o->code))
		hh_buf_puts(&k->r->resp, " selected");
	hh_buf_puts(&k->r->resp, ">");
	hh_page_text(k->r, o->name);
	hh_buf_puts(&k->r->resp, "</option>\n");
	return HH_OK;
}

/* The organisation the page is for: ?organisation=, the form's field, the
 * chosen municipality's cookie, or the signed-in citizen's municipality.
 * 0 when none (or unknown). */
static int page_org(struct hh_req *r, const char *given, struct hh_org *org)
{
	const char *code = given ? given : hh_req_query(r, "organisation");
	if (!code || !*code)
		code = hh_req_cookie(r, "hh_kommune");
	if (code && *code && strlen(code) <= 40 &&
	    hh_org_by_code(r->app->store, &r->arena, code, org) == HH_OK)
		return 1;
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_CITIZEN && w->municipality_id) {
		struct hh_tx *tx;
		struct hh_store *st = r->app->store;
		if (st->tx_begin(st->cls, 0, &tx) != HH_OK)
			return 0;
		enum hh_rc rc = st->org_get(tx, &r->arena, w->municipality_id, org);
		st->tx_rollback(tx);
		return rc == HH_OK;
	}
	return 0;
}

static void minutes(struct hh_req *r, int64_t s)
{
	int64_t m = (s + 59) / 60;
	if (m <= 1)
		hh_buf_puts(&r->resp, "omkring 1 minut");
	else
		hh_buf_printf(&r->resp, "omkring %lld minutter", (long long)m);
}

/* The written inquiry's form, with the values sent and errors (may be
 * NULL). */
static void written_form(struct hh_req *r, const struct hh_org *org,
			 const char *text, const char *contact,
			 const char *text_err, const char *contact_err)
{
	struct hh_buf *b = &r->resp;
	const struct hh_principal *w = hh_auth(r);
	hh_buf_puts(b, "<section id=\"skriv\" aria-labelledby=\"skriv-h\">\n"
		       "<h2 id=\"skriv-h\">Skriv til os</h2>\n"
		       "<p>Skriv dit spørgsmål, så svarer vi dig på e-mail eller "
		       "telefon, typisk inden for to hverdage. Skriv ikke "
		       "CPR-nummer eller helbredsoplysninger.</p>\n"
		       "<form method=\"post\" action=\"/chat/skriv\" novalidate>\n"
		       "<input type=\"hidden\" name=\"organisation\" value=\"");
	hh_page_text(r, org->code);
	hh_buf_puts(b, "\">\n");
	if (w->csrf) {
		hh_buf_puts(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
		hh_page_text(r, w->csrf);
		hh_buf_puts(b, "\">\n");
	}
	hh_buf_puts(b, "<div class=\"field\"><label for=\"tekst\">Dit spørgsmål"
		       "</label>\n");
	if (text_err) {
		hh_buf_puts(b, "<p class=\"error\" id=\"tekst-fejl\">");
		hh_page_text(r, text_err);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_puts(b, "<textarea id=\"tekst\" name=\"text\" rows=\"6\" "
		       "maxlength=\"4000\" required");
	if (text_err)
		hh_buf_puts(b, " aria-invalid=\"true\" aria-describedby=\"tekst-fejl\"");
	hh_buf_puts(b, ">");
	hh_page_text(r, text);
	hh_buf_puts(b, "</textarea></div>\n<div class=\"field\"><label "
		       "for=\"kontakt\">Din e-mail eller dit telefonnummer"
		       "</label>\n");
	if (contact_err) {
		hh_buf_puts(b, "<p class=\"error\" id=\"kontakt-fejl\">");
		hh_page_text(r, contact_err);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_puts(b, "<input id=\"kontakt\" name=\"contact\" type=\"text\" "
		       "autocomplete=\"email\" maxlength=\"200\" required value=\"");
	hh_page_text(r, contact);
	hh_buf_puts(b, "\"");
	if (contact_err)
		hh_buf_puts(b, " aria-invalid=\"true\" "
			       "aria-describedby=\"kontakt-fejl\"");
	hh_buf_puts(b, "></div>\n<button type=\"submit\">Send henvendelse"
		       "</button>\n</form>\n</section>\n");
}

static void chat_page(struct hh_req *r, int status, const char *org_code,
		      const char *text, const char *contact,
		      const char *text_err, const char *contact_err)
{
	struct hh_org org;
	int has_org = page_org(r, org_code, &org);
	struct hh_page p = { .title = "Chat med os",
			     .description = "Chat med Borgerservice, eller skriv "
					    "til os, når chatten er lukket." };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Chat med os</h1>\n");
	if (!has_org) {
		hh_buf_puts(b, "<form method=\"get\" action=\"/chat\">\n"
			       "<div class=\"field\"><label for=\"org\">Hvem vil "
			       "du skrive med?</label>\n<select id=\"org\" "
			       "name=\"organisation\">\n");
		struct orgs_ctx k = { r, NULL };
		hh_org_each(r->app->store, &r->arena, org_option, &k);
		hh_buf_puts(b, "</select></div>\n<button type=\"submit\">Videre"
			       "</button>\n</form>\n");
		hh_page_end(r, status);
		return;
	}
	struct hh_chat_status s;
	if (hh_chat_status(r->app->store, &r->arena, org.id,
			   hh_now_us() / 1000000, &s) != HH_OK)
		memset(&s, 0, sizeof(s));
	hh_buf_puts(b, "<p>Du skriver med <strong>");
	hh_page_text(r, org.name);
	hh_buf_puts(b, "</strong>. <a href=\"/chat?organisation=\">Vælg en anden"
		       "</a></p>\n<div id=\"chat-status\" role=\"status\">");
	if (s.open) {
		hh_buf_puts(b, "<p class=\"open\">Chatten er åben.");
		if (s.queued) {
			hh_buf_printf(b, " Der står %lld foran dig i køen; ventetiden "
					 "er ", (long long)s.queued);
			minutes(r, s.expected_wait_s);
			hh_buf_puts(b, ".");
		}
		hh_buf_puts(b, "</p>");
	} else if (s.in_hours) {
		/* in opening hours but nobody at the console: no chat to
		 * start, so the page does not call it open (as the contact
		 * page says it) */
		hh_buf_puts(b, "<p class=\"closed\">Der er ingen ved chatten "
			       "lige nu. Skriv til os, så svarer vi senere.</p>");
	} else {
		hh_buf_puts(b, "<p class=\"closed\">Chatten er lukket lige nu.");
		if (s.change_at) {
			hh_buf_puts(b, " Den åbner igen ");
			hh_page_text(r, hh_datetime_da(&r->arena, s.change_at));
			hh_buf_puts(b, ".");
		}
		hh_buf_puts(b, " Skriv til os, så svarer vi senere.</p>");
	}
	hh_buf_puts(b, "</div>\n");
	/* the live chat, which only chat.js shows (and only when open) */
	const struct hh_principal *w = hh_auth(r);
	hh_buf_puts(b, "<section id=\"chat\" hidden data-organisation=\"");
	hh_page_text(r, org.code);
	hh_buf_printf(b, "\" data-open=\"%d\"", s.open);
	if (w->csrf) {
		hh_buf_puts(b, " data-csrf=\"");
		hh_page_text(r, w->csrf);
		hh_buf_puts(b, "\"");
	}
	hh_buf_puts(b, " aria-labelledby=\"chat-h\">\n"
		       "<h2 id=\"chat-h\">Chat</h2>\n"
		       "<p id=\"chat-place\" role=\"status\"></p>\n"
		       "<ol id=\"chat-log\" class=\"chat-log\" aria-live=\"polite\">"
		       "</ol>\n"
		       "<form id=\"chat-form\">\n<div class=\"field\"><label "
		       "for=\"chat-input\">Din besked</label>\n"
		       "<textarea id=\"chat-input\" rows=\"3\" maxlength=\"2000\">"
		       "</textarea></div>\n"
		       "<button type=\"submit\">Send</button>\n"
		       "<button type=\"button\" id=\"chat-leave\" class=\"secondary\">"
		       "Afslut chat</button>\n</form>\n"
		       "<p id=\"chat-error\" class=\"error\" role=\"alert\"></p>\n"
		       "<form id=\"chat-rate\" method=\"post\" action=\"/chat/bedoem\" "
		       "hidden>\n<fieldset><legend>Hvordan var chatten?</legend>\n");
	for (int i = 1; i <= 5; i++)
		hh_buf_printf(b, "<label><input type=\"radio\" name=\"rating\" "
				 "value=\"%d\"%s> %d</label>\n", i,
			      i == 5 ? " required" : "", i);
	hh_buf_puts(b, "</fieldset>\n<div class=\"field\"><label for=\"chat-comment\">"
		       "Kommentar (frivillig)</label>\n<textarea id=\"chat-comment\" "
		       "name=\"comment\" rows=\"2\" maxlength=\"1000\"></textarea>"
		       "</div>\n<button type=\"submit\">Send bedømmelse</button>\n"
		       "</form>\n</section>\n");
	written_form(r, &org, text, contact, text_err, contact_err);
	hh_buf_puts(b, "<script src=\"/static/chat.js\" defer></script>\n");
	hh_page_end(r, status);
}

void hh_page_chat(struct hh_req *r)
{
	chat_page(r, 200, NULL, NULL, NULL, NULL, NULL);
}

void hh_page_chat_written(struct hh_req *r)
{
	const char *code = hh_req_form(r, "organisation");
	const char *text = hh_req_form(r, "text");
	const char *contact = hh_req_form(r, "contact");
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		hh_page_csrf_refused(r, "Henvendelsen blev ikke sendt");
		return;
	}
	struct hh_org org;
	if (!code || hh_org_by_code(r->app->store, &r->arena, code, &org) != HH_OK) {
		chat_page(r, 422, NULL, text, contact, NULL, NULL);
		return;
	}
	int retry;
	if (!hh_chat_limit_take(r, HH_CHAT_LIMIT_WRITTEN, 0, &retry)) {
		hh_resp_header(r, "Retry-After",
			       hh_arena_printf(&r->arena, "%d", retry > 0 ? retry : 1));
		hh_page_error(r, 429, "Vent lidt",
			      "Du har sendt mange henvendelser på kort tid. Vent "
			      "lidt, og prøv igen.");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_inquiry q;
	enum hh_chat_fault f = HH_CHAT_FINE;
	enum hh_rc rc = hh_chat_written(r->app->store, &r->arena, &who, org.id,
					text, contact, &q, &f);
	if (rc == HH_ERR_INVALID) {
		chat_page(r, 422, code, text, contact,
			  f == HH_CHAT_TEXT ? hh_chat_fault_da(f) : NULL,
			  f == HH_CHAT_CONTACT ? hh_chat_fault_da(f) : NULL);
		return;
	}
	if (rc == HH_ERR_FORBIDDEN) {
		hh_page_error(r, 403, "Henvendelsen blev ikke sendt",
			      "Personale skriver ikke henvendelser her. Log "
			      "henvendelsen i Borgerservice.");
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Henvendelsen blev ikke sendt",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
		return;
	}
	struct hh_page p = { .title = "Tak for din henvendelse" };
	hh_page_begin(r, &p);
	hh_buf_puts(&r->resp, "<h1>Tak for din henvendelse</h1>\n<p role=\"status\">"
			      "Vi har modtaget dit spørgsmål til <strong>");
	hh_page_text(r, org.name);
	hh_buf_printf(&r->resp, "</strong> (henvendelse nr. %lld) og svarer dig så "
				"hurtigt som muligt.</p>\n<p><a href=\"/\">Gå til "
				"forsiden</a></p>\n", (long long)q.id);
	hh_page_end(r, 201);
}

/* The rating form's target (chat.js sends it through the API; this is
 * the same without it): the chat is the one in the hh_chat cookie. */
void hh_page_chat_rate(struct hh_req *r)
{
	const char *c = hh_req_cookie(r, "hh_chat");
	int64_t id = c ? strtoll(c, NULL, 10) : 0;
	const char *rating = hh_req_form(r, "rating");
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		hh_page_error(r, 403, "Bedømmelsen blev ikke sendt",
			      "Sikkerhedsnøglen i formularen passede ikke.");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_chat_view v;
	enum hh_chat_fault f = HH_CHAT_FINE;
	enum hh_rc rc = hh_chat_rate(r->app->store, &r->arena, &who,
				     hh_chat_token_of(r, id), id,
				     rating ? atoi(rating) : 0,
				     hh_req_form(r, "comment"), &v, &f);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 404, "Chatten findes ikke",
			      "Vi kan ikke finde den chat, du vil bedømme.");
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, rc == HH_ERR_INVALID ? 422 : 409,
			      "Bedømmelsen blev ikke gemt",
			      f != HH_CHAT_FINE ? hh_chat_fault_da(f)
						: "Prøv igen om lidt.");
		return;
	}
	hh_page_error(r, 200, "Tak for din bedømmelse",
		      "Din bedømmelse hjælper os med at blive bedre.");
}

/* ---- the agent's console ----------------------------------------------- */

void hh_page_chat_console(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER) {
		hh_resp_redirect(r, 303, "/log-ind");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_owner o = { .org_id = who.org_id };
	if (hh_access(&who, HH_RES_CHAT_QUEUE, HH_ACT_READ, &o) != HH_OK) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Chatkonsollen er for medarbejdere i Borgerservice.");
		return;
	}
	hh_chat_presence(r->app->store, &who);
	struct hh_page p = { .title = "Chat – Borgerservice" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Chat</h1>\n<div id=\"console\" data-csrf=\"");
	hh_page_text(r, w->csrf);
	hh_buf_printf(b, "\" data-user=\"%lld\">\n", (long long)who.user_id);
	hh_buf_puts(b, "<p id=\"console-status\" role=\"status\">Henter køen …</p>\n"
		       "<section aria-labelledby=\"koe-h\"><h2 id=\"koe-h\">Kø</h2>\n"
		       "<ol id=\"queue\" aria-live=\"polite\"></ol></section>\n"
		       "<section aria-labelledby=\"mine-h\"><h2 id=\"mine-h\">Mine "
		       "chats</h2>\n<div id=\"mine\"></div></section>\n"
		       "<section aria-labelledby=\"vb-h\"><h2 id=\"vb-h\">Vidensbase"
		       "</h2>\n<form id=\"kb-form\" role=\"search\"><label "
		       "for=\"kb-q\">Søg i vidensbasen</label>\n<input id=\"kb-q\" "
		       "type=\"search\" autocomplete=\"off\">\n<button "
		       "type=\"submit\">Søg</button></form>\n<ol id=\"kb-results\" "
		       "aria-live=\"polite\"></ol></section>\n"
		       "<p id=\"console-error\" class=\"error\" role=\"alert\"></p>\n"
		       "</div>\n<noscript><p>Chatkonsollen kræver JavaScript."
		       "</p></noscript>\n"
		       "<script src=\"/static/chat-console.js\" defer></script>\n");
	hh_page_end(r, 200);
}
