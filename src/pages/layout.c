/* layout.c - page frame: head, skip link, header, footer. */
#include "pages/layout.h"

#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/access.h"
#include "domain/oidc.h"

void hh_page_text(struct hh_req *r, const char *s)
{
	hh_buf_html(&r->resp, s ? s : "");
}

/* The width of one character of UTF-8 text in the page's source: its
 * escape's length for the five that are escaped, else 1 at the first
 * byte of a character and 0 at the others. */
static size_t source_width(unsigned char c)
{
	switch (c) {
	case '&': return 5;  /* &amp; */
	case '<': return 4;  /* &lt; */
	case '>': return 4;  /* &gt; */
	case '"': return 6;  /* &quot; */
	case '\'': return 5; /* &#39; */
	default: return (c & 0xc0) != 0x80;
	}
}

/* The <title>: "TITLE – helhed", at most 70 characters, as a browser's
 * tab, a bookmark and a search engine show it (html-validate's
 * long-title, which counts the source's characters, escapes included).
 * A longer title drops the site's name, and one longer still is cut
 * after its last whole word with "…"; the page's h1 keeps it whole. */
static void page_title(struct hh_req *r, const char *title)
{
	enum { MAX = 70 };
	static const char suffix[] = " – helhed";
	if (!title)
		title = "";
	size_t n = strlen(title), width = 0;
	for (size_t i = 0; i < n; i++)
		width += source_width((unsigned char)title[i]);
	if (width + 9 <= MAX) { /* the suffix is 9 characters */
		hh_page_text(r, title);
		hh_buf_puts(&r->resp, suffix);
		return;
	}
	if (width <= MAX) {
		hh_page_text(r, title);
		return;
	}
	/* the longest start of at most MAX - 1, back to a space */
	size_t cut = 0;
	for (size_t w = 0; cut < n; cut++) {
		size_t c = source_width((unsigned char)title[cut]);
		if (c && w + c > MAX - 1)
			break;
		w += c;
	}
	size_t sp = cut;
	while (sp > 0 && title[sp] != ' ')
		sp--;
	if (sp > 0)
		cut = sp;
	while (cut > 0 && (title[cut - 1] == ' ' || title[cut - 1] == ',' ||
			   title[cut - 1] == ':' || title[cut - 1] == '-'))
		cut--;
	hh_page_text(r, hh_arena_strndup(&r->arena, title, cut));
	hh_buf_puts(&r->resp, "…");
}

void hh_page_begin(struct hh_req *r, const struct hh_page *p)
{
	struct hh_buf *b = &r->resp;
	const struct hh_principal *w = hh_auth(r);
	hh_buf_reset(b);
	hh_buf_puts(b, "<!doctype html>\n<html lang=\"da\">\n<head>\n"
		       "<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, "
		       "initial-scale=1\">\n<title>");
	page_title(r, p->title);
	hh_buf_puts(b, "</title>\n");
	if (p->description) {
		hh_buf_puts(b, "<meta name=\"description\" content=\"");
		hh_page_text(r, p->description);
		hh_buf_puts(b, "\">\n");
	}
	hh_buf_puts(b,
		    "<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
		    "<link rel=\"icon\" href=\"/static/favicon.svg\" "
		    "type=\"image/svg+xml\">\n"
		    "<script src=\"/static/search.js\" defer></script>\n"
		    "</head>\n<body>\n"
		    "<a class=\"skip\" href=\"#indhold\">Gå til indhold</a>\n"
		    "<header class=\"site\">\n<div class=\"wrap\">\n"
		    "<a class=\"brand\" href=\"/\"><span class=\"logo\" "
		    "aria-hidden=\"true\">h</span> helhed"
		    "<span class=\"tagline\">Borgerservice samlet ét sted"
		    "</span></a>\n<nav aria-label=\"Hovedmenu\"><ul>\n"
		    "<li><a href=\"/\">Forside</a></li>\n"
		    "<li><a href=\"/soeg\">Søg</a></li>\n"
		    /* s-self: every form a citizen may send */
		    "<li><a href=\"/selvbetjening\">Selvbetjening</a></li>\n");
	/* the case queue, for staff the access table lets read it */
	struct hh_actor who;
	hh_actor_from(w, &who);
	if (w->kind == HH_USER &&
	    hh_access(&who, HH_RES_CASE_QUEUE, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/sagsbehandling\">Sager</a></li>\n");
	/* the agent's desk, for those the access table lets find citizens */
	if (w->kind == HH_USER &&
	    hh_access(&who, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/borgerservice\">Borgerservice</a></li>\n");
	/* chat: the console, for agents */
	if (w->kind == HH_USER &&
	    hh_access(&who, HH_RES_CHAT_QUEUE, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/borgerservice/chat\">Chat</a></li>\n");
	/* fig-pages: the service figures, for managers and admins */
	if (w->kind == HH_USER &&
	    hh_access(&who, HH_RES_FIGURES, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/ledelse\">Servicetal</a></li>\n");
	/* the account's links (sign in, one's own page, sign out) sit apart
	 * from the menu: on a phone the menu shares the brand's line and
	 * these take the second, so the header keeps to two lines however
	 * long the menu's words are (style.css, "header.site .account") */
	hh_buf_puts(b, "</ul></nav>\n<div class=\"account\"><ul>\n");
	if (w->kind == HH_USER) {
		/* signing out is on every staff page, as for citizens */
		hh_buf_puts(b, "<li><a href=\"/personale\">Personale</a></li>\n"
			       "<li><form class=\"nav-form\" method=\"post\" "
			       "action=\"/log-ud\"><input type=\"hidden\" "
			       "name=\"csrf\" value=\"");
		hh_page_text(r, w->csrf);
		hh_buf_puts(b, "\"><button type=\"submit\" class=\"link\">Log ud"
			       "</button></form></li>\n");
	} else if (w->kind == HH_CITIZEN) {
		/* the citizen's overview, and signing out (a POST with the
		 * session's CSRF token, so it works without JavaScript) */
		hh_buf_puts(b, "<li><a href=\"/mit-overblik\">Mit overblik</a></li>\n"
			       "<li><form class=\"nav-form\" method=\"post\" "
			       "action=\"/borger/log-ud\"><input type=\"hidden\" "
			       "name=\"csrf\" value=\"");
		hh_page_text(r, w->csrf);
		hh_buf_puts(b, "\"><button type=\"submit\" class=\"link\">Log ud"
			       "</button></form></li>\n");
	} else {
		hh_buf_puts(b, "<li><a href=\"/borger/log-ind\">Log ind</a></li>\n"
			       "<li><a href=\"/log-ind\">Log ind for "
			       "personale</a></li>\n");
	}
	hh_buf_puts(b, "</ul></div>\n</div>\n");
	if (p->muni_name) {
		hh_buf_puts(b, "<p class=\"muni wrap\">Du ser indhold for <strong>");
		hh_page_text(r, p->muni_name);
		hh_buf_puts(b, "</strong>. <a href=\"/?kommune=\">Skift kommune</a></p>\n");
	}
	hh_buf_puts(b, "</header>\n<main id=\"indhold\" class=\"wrap\" "
		       "tabindex=\"-1\">\n");
}

void hh_page_end(struct hh_req *r, int status)
{
	hh_page_end_org(r, status, NULL);
}

void hh_page_end_org(struct hh_req *r, int status, const char *org_code)
{
	struct hh_buf *b = &r->resp;
	/* chat: an entry on every citizen page (at the end of the page: the
	 * header's menu is full on a phone), to the page's organisation's
	 * chat when it is one organisation's; staff have the console */
	if (hh_auth(r)->kind != HH_USER) {
		hh_buf_puts(b, "<p class=\"chat-entry\">Har du et spørgsmål? "
			       "<a href=\"/chat");
		if (org_code) {
			hh_buf_puts(b, "?organisation=");
			hh_buf_urlenc(b, org_code);
		}
		hh_buf_puts(b, "\">Chat med os</a></p>\n");
	}
	hh_buf_puts(b,
		    "</main>\n<footer class=\"site\">\n<div class=\"wrap\">\n"
		    "<p>helhed samler vejledning og selvbetjening fra "
		    "kommuner og styrelser, så du ikke selv skal finde vej "
		    "mellem dem.</p>\n"
		    "<p>Har du brug for hjælp, kan du altid kontakte "
		    "Borgerservice i din kommune.</p>\n");
	/* contact, accessibility statement and privacy: on every page */
	hh_buf_puts(b, "<nav aria-label=\"Om siden\"><ul class=\"footer-links\">\n"
		       "<li><a href=\"/kontakt");
	if (org_code) {
		hh_buf_puts(b, "/");
		hh_buf_urlenc(b, org_code);
	}
	hh_buf_puts(b, "\">Kontakt</a></li>\n"
		       "<li><a href=\"/tilgaengelighed\">Tilgængelighedserklæring"
		       "</a></li>\n"
		       "<li><a href=\"/privatliv\">Privatliv og dine data</a></li>\n");
	/* fig-pages: the organisation's published processing times */
	if (org_code) {
		hh_buf_puts(b, "<li><a href=\"/serviceniveau/");
		hh_buf_urlenc(b, org_code);
		hh_buf_puts(b, "\">Sagsbehandlingstider</a></li>\n");
	}
	hh_buf_puts(b, "</ul></nav>\n"
		       "</div>\n</footer>\n</body>\n</html>\n");
	hh_resp_html(r, status);
}

void hh_page_error(struct hh_req *r, int status, const char *heading,
		   const char *message)
{
	struct hh_page p = { .title = heading };
	hh_page_begin(r, &p);
	hh_buf_puts(&r->resp, "<h1>");
	hh_page_text(r, heading);
	hh_buf_puts(&r->resp, "</h1>\n<p>");
	hh_page_text(r, message);
	hh_buf_puts(&r->resp, "</p>\n<p><a href=\"/\">Gå til forsiden</a></p>\n");
	hh_page_end(r, status);
}

void hh_page_csrf_refused(struct hh_req *r, const char *heading)
{
	hh_page_error(r, 403, heading,
		      "Sikkerhedsnøglen i formularen passede ikke. Gå tilbage, "
		      "genindlæs siden og prøv igen.");
}

void hh_page_sign_out(struct hh_req *r, enum hh_principal_kind kind,
		      const char *cookie,
		      enum hh_rc (*end)(struct hh_store *st, const char *token))
{
	const char *provider = NULL;
	if (hh_auth(r)->kind == kind) {
		if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
			hh_page_error(r, 403, "Du blev ikke logget ud",
				      "Sikkerhedsnøglen i formularen passede "
				      "ikke. Gå tilbage, genindlæs siden og prøv "
				      "igen.");
			return;
		}
		end(r->app->store, hh_req_cookie(r, cookie));
		/* signed in through OpenID Connect: sign out there too
		 * (RP-initiated logout) */
		if (hh_auth(r)->oidc)
			provider = hh_oidc_end_session_url(
				r->app->oidc, &r->arena,
				kind == HH_CITIZEN ? HH_OIDC_CITIZEN : HH_OIDC_STAFF);
	}
	hh_cookie_clear(r, HH_COOKIE_STRICT, cookie, NULL);
	hh_resp_redirect(r, 303, provider ? provider : "/");
}
