/* feedback.c - "Fandt du det, du søgte?" on the article and search pages:
 * the form (a plain POST to /feedback that works without JavaScript;
 * web/feedback.js sends it to the API without a reload) and its target,
 * which stores the answer and goes back to the page with "Tak for dit
 * svar" (domain/feedback.h).
 *
 * The form is anonymous. Cross-site forms are kept out as on the other
 * anonymous page forms (a signed-in reader's form carries the CSRF token),
 * and one more way: an answer needs the hh_visit cookie that the article
 * or search page set, which is SameSite=Lax and so never comes with a
 * form posted from another site. */
#include "pages/layout.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/feedback.h"
#include "domain/orgs.h"
#include "domain/reading.h"

/* A place on our own site to go back to: an article or a search, nothing
 * else (never another host). */
static int back_ok(const char *back)
{
	if (!back || strlen(back) > 1200)
		return 0;
	if (strncmp(back, "/artikel/", 9) && strncmp(back, "/soeg?", 6))
		return 0;
	for (const char *p = back; *p; p++)
		if ((unsigned char)*p < 0x21 || *p == '\\' || *p == '#' ||
		    (unsigned char)*p >= 0x7f)
			return 0;
	return !strstr(back, "//");
}

void hh_page_feedback_form(struct hh_req *r, const char *page,
			   int64_t article_id, const char *query,
			   const char *back, const char *muni_code)
{
	struct hh_buf *b = &r->resp;
	const char *tak = hh_req_query(r, "tak");
	if (tak && !strcmp(tak, "1")) {
		hh_buf_puts(b, "<section id=\"feedback\" class=\"feedback\" "
			       "aria-label=\"Fandt du det, du søgte?\">\n"
			       "<p class=\"feedback-thanks\" role=\"status\">"
			       "Tak for dit svar.</p>\n</section>\n");
		return;
	}
	const struct hh_principal *w = hh_auth(r);
	hh_buf_puts(b, "<section id=\"feedback\" class=\"feedback\" "
		       "aria-label=\"Fandt du det, du søgte?\">\n"
		       "<form class=\"feedback-form\" method=\"post\" "
		       "action=\"/feedback\"");
	if (w->csrf) {
		hh_buf_puts(b, " data-csrf=\"");
		hh_page_text(r, w->csrf);
		hh_buf_puts(b, "\"");
	}
	hh_buf_puts(b, ">\n<input type=\"hidden\" name=\"page\" value=\"");
	hh_page_text(r, page);
	hh_buf_puts(b, "\">\n");
	if (article_id)
		hh_buf_printf(b, "<input type=\"hidden\" name=\"article_id\" "
				 "value=\"%lld\">\n", (long long)article_id);
	if (query) {
		hh_buf_puts(b, "<input type=\"hidden\" name=\"q\" value=\"");
		hh_page_text(r, query);
		hh_buf_puts(b, "\">\n");
	}
	if (muni_code) {
		hh_buf_puts(b, "<input type=\"hidden\" name=\"municipality\" "
			       "value=\"");
		hh_page_text(r, muni_code);
		hh_buf_puts(b, "\">\n");
	}
	hh_buf_puts(b, "<input type=\"hidden\" name=\"back\" value=\"");
	hh_page_text(r, back);
	hh_buf_puts(b, "\">\n");
	if (w->csrf) {
		hh_buf_puts(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
		hh_page_text(r, w->csrf);
		hh_buf_puts(b, "\">\n");
	}
	hh_buf_puts(b, "<fieldset>\n<legend>Fandt du det, du søgte?</legend>\n"
		       "<div class=\"feedback-choices\">"
		       "<label><input type=\"radio\" name=\"found\" value=\"ja\" "
		       "required> Ja</label>\n"
		       "<label><input type=\"radio\" name=\"found\" value=\"nej\">"
		       " Nej</label></div>\n</fieldset>\n"
		       "<details class=\"feedback-more\">\n<summary>Skriv en "
		       "kommentar (frivillig)</summary>\n<div class=\"field\">"
		       "<label for=\"feedback-comment\">Hvad manglede du, eller "
		       "hvad kan vi gøre bedre?</label>\n"
		       "<p class=\"hint\" id=\"feedback-note\">Skriv ikke "
		       "personlige oplysninger som navn, CPR-nummer, e-mail eller "
		       "telefonnummer. Vi svarer ikke på kommentarer her; har du "
		       "brug for hjælp, så <a href=\"/kontakt\">kontakt os</a>."
		       "</p>\n<textarea id=\"feedback-comment\" name=\"comment\" "
		       "rows=\"3\" maxlength=\"500\" "
		       "aria-describedby=\"feedback-note\"></textarea></div>\n"
		       "</details>\n<button type=\"submit\" class=\"secondary\">"
		       "Send svar</button>\n"
		       "<p class=\"feedback-error error\" role=\"alert\"></p>\n"
		       "</form>\n</section>\n"
		       "<script src=\"/static/feedback.js\" defer></script>\n");
}

/* A Danish page saying why the answer was not kept, with the way back. */
static void refused(struct hh_req *r, int status, const char *why,
		    const char *back)
{
	struct hh_page p = { .title = "Dit svar blev ikke gemt" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Dit svar blev ikke gemt</h1>\n<p>");
	hh_page_text(r, why);
	hh_buf_puts(b, "</p>\n<p><a href=\"");
	hh_page_text(r, back);
	hh_buf_puts(b, "#feedback\">Tilbage til siden</a></p>\n");
	hh_page_end(r, status);
}

void hh_page_feedback_post(struct hh_req *r)
{
	const char *back = hh_req_form(r, "back");
	if (!back_ok(back))
		back = "/";
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		refused(r, 403, "Sikkerhedsnøglen i formularen passede ikke. "
				"Genindlæs siden, og prøv igen.", back);
		return;
	}
	const char *visit = hh_visit(r, 0);
	if (!visit) {
		refused(r, 400, "Din browser sendte ikke den cookie, siden satte. "
				"Tillad cookies fra siden, genindlæs den, og prøv "
				"igen.", back);
		return;
	}
	const char *found = hh_req_form(r, "found");
	const char *page = hh_req_form(r, "page");
	const char *id = hh_req_form(r, "article_id");
	const char *code = hh_req_form(r, "municipality");
	struct hh_feedback_in in = {
		.found = found && !strcmp(found, "ja")	  ? 1
			 : found && !strcmp(found, "nej") ? 0
							  : -1,
		.page = page,
		.query = hh_req_form(r, "q"),
		.comment = hh_req_form(r, "comment"),
		.visit = visit,
		.known = hh_reading_known,
		.known_ctx = r->app->index,
	};
	if (id) {
		char *end;
		long long v = strtoll(id, &end, 10);
		in.article_id = *id && !*end && v > 0 ? v : -1;
	}
	struct hh_org org;
	if (code && *code && strlen(code) <= 32 &&
	    hh_org_by_code(r->app->store, &r->arena, code, &org) == HH_OK &&
	    org.kind == HH_ORG_MUNICIPALITY)
		in.municipality_id = org.id;
	struct hh_feedback out;
	const char *field = NULL;
	enum hh_rc rc = hh_feedback_add(r->app->store, &r->arena, &in, &out,
					&field);
	if (rc == HH_ERR_INVALID) {
		const char *why =
			field && !strcmp(field, "found")
				? "Vælg Ja eller Nej, og send svaret igen."
			: field && !strcmp(field, "comment")
				? "Kommentaren må højst være på 500 tegn, og den "
				  "skal være almindelig tekst."
				: "Svaret passede ikke til siden. Genindlæs siden, "
				  "og prøv igen.";
		refused(r, 422, why, back);
		return;
	}
	if (rc != HH_OK) {
		refused(r, 503, "Der opstod en fejl hos os. Prøv igen om lidt.",
			back);
		return;
	}
	/* a repeat is thanked the same way: the first answer stands */
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "%s%ctak=1#feedback",
						   back,
						   strchr(back, '?') ? '&' : '?'));
}
