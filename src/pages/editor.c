/* editor.c - s-edit (issue 13): the editors' pages, /redaktion.
 *
 * The article list, the form that creates and edits an article (Markdown
 * with a preview: web/editor.js asks /redaktion/forhaandsvisning while the
 * editor writes, and without JavaScript the "Vis forhåndsvisning" button
 * sends the form back with the preview and saves nothing), the versions
 * with a diff and "Gendan denne version", a municipality's local version
 * of a shared article, and the proposals to the shared knowledge base.
 *
 * Thin over the domain (domain/articles.h, versions.h, proposals.h): the
 * pages parse the form, call the domain with the actor and render what
 * comes back; every right is decided there. An article's address here is
 * /redaktion/{owner}/{slug}, the owner being the organisation's code or
 * "faelles" for the shared knowledge base. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/articles.h"
#include "domain/kle.h" /* kle (issue 15) */
#include "domain/markdown.h"
#include "domain/orgs.h"
#include "domain/proposals.h"
#include "domain/reading.h"
#include "domain/searchtune.h"
#include "domain/versions.h"
#include "pages/layout.h"

#define SHARED_CODE "faelles"

static const char *status_da(enum hh_status s)
{
	switch (s) {
	case HH_STATUS_DRAFT: return "Kladde";
	case HH_STATUS_ARCHIVED: return "Arkiveret";
	default: return "Udgivet";
	}
}

/* Signed-in staff whose roles may write articles get through; anyone else
 * is sent to the sign-in (anonymous, citizens) or refused in Danish. */
static int editor_gate(struct hh_req *r, struct hh_actor *who)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_ANON) {
		hh_resp_redirect(r, 303, "/log-ind");
		return 0;
	}
	hh_actor_of(r, who);
	if (hh_access_scope(who, HH_RES_ARTICLE_DRAFT, HH_ACT_READ) ==
	    HH_SCOPE_NONE) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Redaktionen er for redaktører. Din rolle giver "
			      "ikke adgang til at skrive artikler.");
		return 0;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	return 1;
}

/* The owner in an address: "faelles" is 0, else an organisation's code.
 * 0 and a 404 page when there is no such organisation. */
static int owner_of(struct hh_req *r, const char *code, int64_t *org_id)
{
	if (code && !strcmp(code, SHARED_CODE)) {
		*org_id = 0;
		return 1;
	}
	struct hh_org org;
	if (!code || hh_org_by_code(r->app->store, &r->arena, code, &org) !=
			     HH_OK) {
		hh_page_error(r, 404, "Artiklen findes ikke",
			      "Vi kunne ikke finde artiklen. Gå tilbage til "
			      "redaktionens liste over artikler.");
		return 0;
	}
	*org_id = org.id;
	return 1;
}

/* The address of an article's editing page (and what follows it). */
static const char *edit_url(struct hh_req *r, const struct hh_article *a,
			    const char *tail)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "/redaktion/");
	hh_buf_urlenc(&b, a->org_id ? a->org_code : SHARED_CODE);
	hh_buf_putc(&b, '/');
	hh_buf_urlenc(&b, a->slug);
	hh_buf_puts(&b, tail ? tail : "");
	const char *s = hh_arena_strdup(&r->arena, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

static void csrf_field(struct hh_req *r)
{
	hh_buf_puts(&r->resp, "<input type=\"hidden\" name=\"csrf\" value=\"");
	hh_page_text(r, hh_auth(r)->csrf);
	hh_buf_puts(&r->resp, "\">\n");
}

static const char *owner_name(const struct hh_article *a)
{
	return a->org_id ? (a->org_name ? a->org_name : a->org_code)
			 : "Fælles vidensbase";
}

/* The notice a redirect asked for with ?besked=... */
static void notice(struct hh_req *r)
{
	static const struct {
		const char *code, *text;
	} notes[] = {
		{ "oprettet", "Artiklen er oprettet." },
		{ "gemt", "Ændringerne er gemt som en ny version." },
		{ "uaendret", "Der var ingen ændringer at gemme." },
		{ "gendannet", "Versionen er gendannet som en ny version." },
		{ "lokal", "Kommunens lokale version er oprettet som kladde. "
			   "Borgerne i kommunen ser den fælles artikel, indtil "
			   "du udgiver den lokale." },
		{ "findes", "Kommunen har allerede en lokal version. Her er den." },
		{ "foreslaaet", "Dit forslag er sendt til redaktørerne af den "
				"fælles vidensbase." },
		{ "accepteret", "Forslaget er accepteret og er nu en ny version "
				"af den fælles artikel." },
		{ "afvist", "Forslaget er afvist. Forslagsstilleren kan se "
			    "begrundelsen." },
		{ "synonym", "Synonymet er tilføjet og virker nu i søgningen." },
		{ "synonym-findes", "Synonymet findes allerede." },
		{ "fastgjort", "Artiklen er fastgjort og vises nu øverst for "
			       "denne søgning i din kommune." },
		{ "fjernet", "Fastgørelsen er fjernet." },
		/* s-tune */
		{ "synonym-fjernet", "Synonymet er fjernet og virker ikke "
				     "længere i søgningen." },
		{ "synonym-var-fjernet", "Synonymet var allerede fjernet." },
	};
	const char *code = hh_req_query(r, "besked");
	for (size_t i = 0; code && i < sizeof(notes) / sizeof(notes[0]); i++)
		if (!strcmp(code, notes[i].code)) {
			hh_buf_puts(&r->resp, "<p class=\"success\" role=\"status\">");
			hh_page_text(r, notes[i].text);
			hh_buf_puts(&r->resp, "</p>\n");
		}
}

static void subnav(struct hh_req *r, const struct hh_actor *who)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"subnav\" aria-label=\"Redaktionen\"><ul>"
		       "<li><a href=\"/redaktion\">Artikler</a></li>"
		       "<li><a href=\"/redaktion/ny\">Ny artikel</a></li>");
	if (hh_proposal_can_decide(who) ||
	    hh_access(who, HH_RES_ARTICLE_PROPOSAL, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/redaktion/forslag\">Forslag til "
			       "fælles artikler</a></li>");
	if (hh_access(who, HH_RES_SEARCH_REPORT, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/personale/soegninger\">Søgninger "
			       "uden svar</a></li>");
	/* s-tune: the synonyms and the municipality's pins */
	if (hh_article_can_edit(who, 0) || who->org_is_municipality)
		hh_buf_puts(b, "<li><a href=\"/redaktion/synonymer\">Synonymer "
			       "og fastgørelser</a></li>");
	hh_buf_puts(b, "</ul></nav>\n");
}

/* ---- the list ----------------------------------------------------------- */

/* Case-folded NFC (new, free()); NULL when s is not UTF-8. */
static char *fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE |
				 UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0)
		return NULL;
	return (char *)out;
}

struct list_ctx {
	struct hh_req *r;
	const struct hh_actor *who;
	char *find; /* folded; NULL: all */
	struct hh_buf rows;
	int n;
};

static enum hh_rc list_row(void *p, const struct hh_article *a)
{
	struct list_ctx *c = p;
	int may_change = hh_article_can_edit(c->who, a->org_id);
	/* the editor's own articles and those they may change, and the
	 * shared ones, which every editor may propose a change to */
	if (!may_change && a->org_id)
		return HH_OK;
	if (c->find) {
		char *t = fold(a->title);
		int hit = t && strstr(t, c->find);
		free(t);
		if (!hit)
			return HH_OK;
	}
	struct hh_buf *b = &c->rows;
	hh_buf_puts(b, "<tr><th scope=\"row\"><a href=\"");
	hh_buf_html(b, edit_url(c->r, a, NULL));
	hh_buf_puts(b, "\">");
	hh_buf_html(b, a->title);
	hh_buf_puts(b, "</a></th><td>");
	hh_buf_html(b, owner_name(a));
	hh_buf_puts(b, "</td><td>");
	hh_buf_puts(b, status_da(a->status));
	hh_buf_puts(b, "</td><td>");
	hh_buf_puts(b, a->audience == HH_AUDIENCE_STAFF ? "Personale" : "Borgere");
	hh_buf_printf(b, "</td><td class=\"num\">%lld</td><td>",
		      (long long)a->version);
	hh_buf_puts(b, hh_date_da(&c->r->arena, a->updated_at));
	hh_buf_puts(b, "</td></tr>\n");
	c->n++;
	return HH_OK;
}

static void option(struct hh_buf *b, const char *value, const char *label,
		   const char *chosen)
{
	hh_buf_puts(b, "<option value=\"");
	hh_buf_puts(b, value);
	hh_buf_putc(b, '"');
	if (chosen && !strcmp(chosen, value))
		hh_buf_puts(b, " selected");
	hh_buf_puts(b, ">");
	hh_buf_puts(b, label);
	hh_buf_puts(b, "</option>");
}

void hh_page_editor_list(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	const char *status = hh_req_query(r, "status");
	const char *find = hh_req_query(r, "titel");
	struct hh_article_query q = { .status = hh_status_parse(status) };
	if (!q.status)
		status = NULL;
	struct list_ctx c = { .r = r, .who = &who };
	hh_buf_init(&c.rows);
	if (find && *find && strlen(find) <= 200)
		c.find = fold(find);
	const char *field;
	enum hh_rc rc = hh_article_list(r->app->store, &who, &r->arena, &q, NULL,
					list_row, &c, &field);
	struct hh_page p = { .title = "Redaktionen" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Redaktionen</h1>\n");
	subnav(r, &who);
	notice(r);
	hh_buf_puts(b, "<p><a class=\"button\" href=\"/redaktion/ny\">Ny artikel"
		       "</a></p>\n<form class=\"figure-filters\" method=\"get\" "
		       "action=\"/redaktion\">\n<div class=\"field\"><label "
		       "for=\"titel\">Søg i titler</label>\n<input id=\"titel\" "
		       "name=\"titel\" type=\"search\" value=\"");
	hh_page_text(r, find ? find : "");
	hh_buf_puts(b, "\"></div>\n<div class=\"field\"><label for=\"status\">"
		       "Status</label>\n<select id=\"status\" name=\"status\">");
	option(b, "", "Alle", status ? status : "");
	option(b, "draft", "Kladde", status);
	option(b, "published", "Udgivet", status);
	option(b, "archived", "Arkiveret", status);
	hh_buf_puts(b, "</select></div>\n<button type=\"submit\" "
		       "class=\"secondary\">Vis</button>\n</form>\n");
	if (rc != HH_OK)
		hh_buf_puts(b, "<p class=\"error\">Artiklerne kan ikke vises lige "
			       "nu. Prøv igen om lidt.</p>\n");
	else if (!c.n)
		hh_buf_puts(b, "<p>Ingen artikler passer til din søgning.</p>\n");
	else {
		hh_buf_printf(b, "<div class=\"table-wrap\"><table>\n<caption>"
				 "Artikler, du kan ændre eller foreslå ændringer "
				 "til (%d)</caption>\n<thead><tr>"
				 "<th scope=\"col\">Titel</th>"
				 "<th scope=\"col\">Ejer</th>"
				 "<th scope=\"col\">Status</th>"
				 "<th scope=\"col\">Målgruppe</th>"
				 "<th scope=\"col\">Version</th>"
				 "<th scope=\"col\">Opdateret</th></tr></thead>\n"
				 "<tbody>\n", c.n);
		hh_buf_puts(b, hh_buf_str(&c.rows));
		hh_buf_puts(b, "</tbody></table></div>\n");
	}
	hh_page_end(r, 200);
	hh_buf_clear(&c.rows);
	free(c.find);
}

/* ---- the form ------------------------------------------------------------ */

/* What the form shows: the fields as the editor wrote them, the error
 * beside the field it belongs to, and the preview. */
struct form {
	int is_new;           /* /redaktion/ny */
	int proposal;         /* a proposal to a shared article */
	const struct hh_article *cur; /* editing: the article as stored */
	const char *owner;    /* new: "faelles" or the organisation's code */
	struct hh_article a;  /* the fields */
	const char *note;     /* a proposal's reason */
	int64_t version;      /* the version the editor is changing */
	const char *field;    /* the field with an error */
	const char *field_msg;
	const char *message;  /* a message above the form (conflict) */
	const char *preview;  /* rendered HTML, or NULL */
};

static const char *field_message(const char *field, enum hh_rc rc)
{
	if (!strcmp(field, "slug"))
		return rc == HH_ERR_CONFLICT
			       ? "Der findes allerede en artikel med denne "
				 "adresse. Vælg en anden."
			       : "Skriv en adresse på 2-80 tegn med små bogstaver "
				 "a-z, tal og bindestreger, fx flytning-i-kommunen.";
	if (!strcmp(field, "title"))
		return "Skriv en titel på én linje og højst 200 tegn.";
	if (!strcmp(field, "summary"))
		return "Skriv et resumé på én linje og højst 500 tegn.";
	if (!strcmp(field, "body"))
		return "Brødteksten er for lang (højst 256 KB) eller indeholder "
		       "ugyldige tegn.";
	if (!strcmp(field, "keywords"))
		return "Nøgleordene må fylde højst 1000 tegn på én linje.";
	if (!strcmp(field, "kle"))
		return "Skriv KLE-nummeret som 00, 00.00 eller 00.00.00, eller "
		       "lad feltet stå tomt.";
	if (!strcmp(field, "audience"))
		return "Vælg, om artiklen er til borgere eller personale.";
	if (!strcmp(field, "status"))
		return "Vælg en status: kladde, udgivet eller arkiveret.";
	if (!strcmp(field, "note"))
		return "Begrundelsen må fylde højst 2000 tegn.";
	if (!strcmp(field, "organisation"))
		return "Vælg, hvem artiklen tilhører.";
	return "Feltet er ikke udfyldt rigtigt.";
}

/* The id a field has in the form. */
static const char *field_id(const char *field)
{
	if (!strcmp(field, "slug")) return "f-slug";
	if (!strcmp(field, "title")) return "f-title";
	if (!strcmp(field, "summary")) return "f-summary";
	if (!strcmp(field, "body")) return "f-body";
	if (!strcmp(field, "keywords")) return "f-keywords";
	if (!strcmp(field, "kle")) return "f-kle";
	if (!strcmp(field, "audience")) return "f-audience-citizen";
	if (!strcmp(field, "status")) return "f-status-draft";
	if (!strcmp(field, "note")) return "f-note";
	return "f-owner";
}

/* Opens a field's <div> with its label and, when it has the error, the
 * message; then the attributes the control needs are up to the caller
 * (invalid_attrs). */
static void field_open(struct hh_req *r, const struct form *f,
		       const char *field, const char *label, const char *hint)
{
	struct hh_buf *b = &r->resp;
	int bad = f->field && !strcmp(f->field, field);
	hh_buf_printf(b, "<div class=\"field%s\"><label for=\"%s\">%s</label>\n",
		      bad ? " has-error" : "", field_id(field), label);
	if (hint)
		hh_buf_printf(b, "<p class=\"hint\" id=\"%s-hjaelp\">%s</p>\n",
			      field_id(field), hint);
	if (bad) {
		hh_buf_printf(b, "<p class=\"field-error\" id=\"%s-fejl\">",
			      field_id(field));
		hh_page_text(r, f->field_msg);
		hh_buf_puts(b, "</p>\n");
	}
}

static void invalid_attrs(struct hh_req *r, const struct form *f,
			  const char *field, int hint)
{
	struct hh_buf *b = &r->resp;
	int bad = f->field && !strcmp(f->field, field);
	if (bad)
		hh_buf_puts(b, " aria-invalid=\"true\"");
	if (bad || hint) {
		hh_buf_puts(b, " aria-describedby=\"");
		if (hint)
			hh_buf_printf(b, "%s-hjaelp", field_id(field));
		if (bad)
			hh_buf_printf(b, "%s%s-fejl", hint ? " " : "",
				      field_id(field));
		hh_buf_putc(b, '"');
	}
}

static void text_input(struct hh_req *r, const struct form *f,
		       const char *field, const char *name, const char *label,
		       const char *hint, const char *value, int required)
{
	field_open(r, f, field, label, hint);
	hh_buf_printf(&r->resp, "<input id=\"%s\" name=\"%s\" type=\"text\"%s",
		      field_id(field), name, required ? " required" : "");
	invalid_attrs(r, f, field, hint != NULL);
	hh_buf_puts(&r->resp, " value=\"");
	hh_page_text(r, value ? value : "");
	hh_buf_puts(&r->resp, "\"></div>\n");
}

static void radio(struct hh_req *r, const struct form *f, const char *field,
		  const char *name, const char *value, const char *label,
		  int checked)
{
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<div class=\"radio\"><input type=\"radio\" "
			 "id=\"f-%s-%s\" name=\"%s\" value=\"%s\"%s",
		      field, value, name, value, checked ? " checked" : "");
	invalid_attrs(r, f, field, 0);
	hh_buf_printf(b, "><label for=\"f-%s-%s\">%s</label></div>\n", field,
		      value, label);
}

static void radios(struct hh_req *r, const struct form *f, const char *field,
		   const char *legend)
{
	struct hh_buf *b = &r->resp;
	int bad = f->field && !strcmp(f->field, field);
	hh_buf_printf(b, "<fieldset class=\"field radios inline%s\"><legend>%s"
			 "</legend>\n", bad ? " has-error" : "", legend);
	if (bad) {
		hh_buf_printf(b, "<p class=\"field-error\" id=\"%s-fejl\">",
			      field_id(field));
		hh_page_text(r, f->field_msg);
		hh_buf_puts(b, "</p>\n");
	}
}

static void preview_section(struct hh_req *r, const struct form *f)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section class=\"preview\" aria-labelledby=\"preview-h\">"
		       "\n<h2 id=\"preview-h\">Forhåndsvisning</h2>\n"
		       "<div id=\"preview\" class=\"article-body\" "
		       "aria-live=\"polite\">");
	if (f->preview)
		hh_buf_puts(b, f->preview); /* cmark, raw HTML escaped */
	else
		hh_buf_puts(b, "<p class=\"hint\">Tryk på \"Vis "
			       "forhåndsvisning\" for at se brødteksten, som "
			       "borgerne vil se den.</p>");
	hh_buf_puts(b, "</div>\n</section>\n");
}

/* The form page, with status (200, or the error's). */
static void form_page(struct hh_req *r, const struct hh_actor *who,
		      const struct form *f, int status)
{
	const struct hh_article *a = &f->a;
	const char *title = f->is_new ? "Ny artikel"
			    : f->proposal ? "Foreslå en ændring"
					  : "Rediger artikel";
	struct hh_page p = { .title = title };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<h1>%s</h1>\n", title);
	subnav(r, who);
	if (!f->is_new && f->cur) {
		hh_buf_puts(b, "<dl class=\"meta\"><dt>Artikel</dt><dd>");
		hh_page_text(r, f->cur->title);
		hh_buf_puts(b, "</dd><dt>Ejer</dt><dd>");
		hh_page_text(r, owner_name(f->cur));
		hh_buf_printf(b, "</dd><dt>Status</dt><dd>%s</dd><dt>Version</dt>"
				 "<dd>%lld</dd></dl>\n",
			      status_da(f->cur->status),
			      (long long)f->cur->version);
	}
	notice(r);
	if (f->message) {
		hh_buf_puts(b, "<div class=\"error-summary\" role=\"alert\">"
			       "<p>");
		hh_page_text(r, f->message);
		hh_buf_puts(b, "</p></div>\n");
	}
	if (f->field) {
		hh_buf_printf(b, "<div class=\"error-summary\" role=\"alert\">"
				 "<h2>Ret fejlen i formularen</h2>\n<ul><li>"
				 "<a href=\"#%s\">",
			      field_id(f->field));
		hh_page_text(r, f->field_msg);
		hh_buf_puts(b, "</a></li></ul></div>\n");
	}
	if (!f->is_new && f->cur && !f->proposal) {
		hh_buf_puts(b, "<ul class=\"step-links\">");
		hh_buf_puts(b, "<li><a href=\"");
		hh_buf_html(b, edit_url(r, f->cur, "/versioner"));
		hh_buf_puts(b, "\">Versioner og ændringer</a></li>");
		if (f->cur->status == HH_STATUS_PUBLISHED) {
			hh_buf_puts(b, "<li><a href=\"/artikel/");
			hh_buf_urlenc(b, f->cur->slug);
			if (f->cur->org_id) {
				hh_buf_puts(b, "?kommune=");
				hh_buf_urlenc(b, f->cur->org_code);
			}
			hh_buf_puts(b, "\">Se artiklen</a></li>");
		}
		if (!f->cur->org_id) {
			hh_buf_puts(b, "<li><a href=\"");
			hh_buf_html(b, edit_url(r, f->cur, "/forslag"));
			hh_buf_puts(b, "\">Foreslå en ændring i stedet</a></li>");
		}
		hh_buf_puts(b, "</ul>\n");
	}
	struct hh_article local;
	if (!f->is_new && f->cur && !f->cur->org_id && who->org_is_municipality &&
	    !f->proposal &&
	    hh_article_read(r->app->store, who, &r->arena, who->org_id,
			    f->cur->slug, &local) == HH_OK) {
		hh_buf_puts(b, "<p>Din kommune har en lokal version af artiklen: "
			       "<a href=\"");
		hh_buf_html(b, edit_url(r, &local, NULL));
		hh_buf_puts(b, "\">Gå til den lokale version</a>.</p>\n");
	} else if (!f->is_new && f->cur && !f->cur->org_id &&
		   who->org_is_municipality && !f->proposal) {
		hh_buf_puts(b, "<form method=\"post\" class=\"inline-form\" "
			       "action=\"");
		hh_buf_html(b, edit_url(r, f->cur, "/lokal"));
		hh_buf_puts(b, "\">\n");
		csrf_field(r);
		hh_buf_puts(b, "<p>Er jeres regler anderledes? Lav en lokal "
			       "version, som jeres borgere ser i stedet for den "
			       "fælles artikel.</p>\n<button type=\"submit\" "
			       "class=\"secondary\">Lav lokal version</button>\n"
			       "</form>\n");
	}
	/* the form itself */
	const char *action = f->is_new ? "/redaktion/ny"
			     : edit_url(r, f->cur, f->proposal ? "/forslag" : NULL);
	hh_buf_puts(b, "<form class=\"form wide editor-form\" method=\"post\" "
		       "action=\"");
	hh_buf_html(b, action);
	hh_buf_puts(b, "\" novalidate>\n");
	csrf_field(r);
	if (!f->is_new)
		hh_buf_printf(b, "<input type=\"hidden\" name=\"version\" "
				 "value=\"%lld\">\n", (long long)f->version);
	if (f->is_new) {
		/* who owns the new article: the editor's organisation, or the
		 * shared knowledge base for those who may write it */
		field_open(r, f, "organisation", "Ejer", NULL);
		hh_buf_puts(b, "<select id=\"f-owner\" name=\"ejer\"");
		invalid_attrs(r, f, "organisation", 0);
		hh_buf_puts(b, ">");
		const struct hh_principal *w = hh_auth(r);
		struct hh_org org;
		const char *own = w->org_code ? w->org_code : "";
		if (hh_article_can_edit(who, who->org_id))
			option(b, own,
			       hh_org_by_code(r->app->store, &r->arena, own,
					      &org) == HH_OK
				       ? hh_arena_printf(&r->arena, "%s (egen)",
							 org.name)
				       : own,
			       f->owner);
		if (hh_article_can_edit(who, 0))
			option(b, SHARED_CODE, "Fælles vidensbase", f->owner);
		hh_buf_puts(b, "</select></div>\n");
		text_input(r, f, "slug", "slug", "Adresse",
			   "Bruges i artiklens link: små bogstaver, tal og "
			   "bindestreger, fx flytning-i-kommunen. Kan ikke "
			   "ændres senere.",
			   a->slug, 1);
	}
	text_input(r, f, "title", "title", "Titel", NULL, a->title, 1);
	text_input(r, f, "summary", "summary", "Resumé",
		   "Én linje, som vises i søgeresultater og lister.",
		   a->summary, 1);
	field_open(r, f, "body", "Brødtekst (Markdown)",
		   "Overskrifter med ##, lister med -, links som "
		   "[tekst](https://adresse). HTML vises som tekst.");
	hh_buf_puts(b, "<textarea id=\"f-body\" name=\"body\" rows=\"18\" "
		       "class=\"markdown\" data-preview=\"preview\"");
	invalid_attrs(r, f, "body", 1);
	hh_buf_puts(b, ">\n"); /* a leading newline is dropped by the parser */
	hh_page_text(r, a->body_md);
	hh_buf_puts(b, "</textarea></div>\n");
	text_input(r, f, "keywords", "keywords", "Nøgleord",
		   "Adskilt med komma, fx flytning, adresseændring.",
		   a->keywords, 0);
	text_input(r, f, "kle", "kle", "KLE-nummer (emne)",
		   "Fx 23.05 eller 23.05.01. Kan stå tomt.", a->kle, 0);
	/* kle (issue 15): the number's title from the imported KLE */
	const char *kle_title = hh_kle_title(r->app->store, &r->arena, a->kle);
	if (kle_title) {
		hh_buf_puts(b, "<p class=\"hint kle-title\" id=\"f-kle-titel\">"
			       "KLE-emne: ");
		hh_page_text(r, a->kle);
		hh_buf_puts(b, " ");
		hh_page_text(r, kle_title);
		hh_buf_puts(b, "</p>\n");
	}
	radios(r, f, "audience", "Målgruppe");
	radio(r, f, "audience", "audience", "citizen", "Borgere",
	      a->audience != HH_AUDIENCE_STAFF);
	radio(r, f, "audience", "audience", "staff", "Personale",
	      a->audience == HH_AUDIENCE_STAFF);
	hh_buf_puts(b, "</fieldset>\n");
	if (!f->proposal) {
		radios(r, f, "status", "Status");
		radio(r, f, "status", "status", "draft", "Kladde",
		      a->status == HH_STATUS_DRAFT || !a->status);
		radio(r, f, "status", "status", "published", "Udgivet",
		      a->status == HH_STATUS_PUBLISHED);
		radio(r, f, "status", "status", "archived", "Arkiveret",
		      a->status == HH_STATUS_ARCHIVED);
		hh_buf_puts(b, "</fieldset>\n");
	} else {
		field_open(r, f, "note", "Begrundelse",
			   "Hvorfor skal den fælles artikel ændres? "
			   "Redaktørerne af den fælles vidensbase læser den.");
		hh_buf_puts(b, "<textarea id=\"f-note\" name=\"note\" rows=\"4\"");
		invalid_attrs(r, f, "note", 1);
		hh_buf_puts(b, ">\n");
		hh_page_text(r, f->note);
		hh_buf_puts(b, "</textarea></div>\n");
	}
	hh_buf_printf(b, "<div class=\"actions\"><button type=\"submit\" "
			 "name=\"handling\" value=\"gem\">%s</button>\n"
			 "<button type=\"submit\" name=\"handling\" value=\"vis\" "
			 "class=\"secondary\">Vis forhåndsvisning</button></div>\n"
			 "</form>\n",
		      f->proposal ? "Send forslag" : f->is_new ? "Opret artikel"
							       : "Gem");
	preview_section(r, f);
	hh_buf_puts(b, "<script src=\"/static/editor.js\" defer></script>\n");
	hh_page_end(r, status);
}

/* Reads the form's fields into f->a (and the version and note). */
static void read_form(struct hh_req *r, struct form *f)
{
	f->a.title = hh_req_form(r, "title");
	f->a.summary = hh_req_form(r, "summary");
	f->a.body_md = hh_req_form(r, "body");
	if (!f->a.body_md)
		f->a.body_md = "";
	f->a.keywords = hh_req_form(r, "keywords");
	f->a.kle = hh_req_form(r, "kle");
	if (f->a.kle && !*f->a.kle)
		f->a.kle = NULL;
	f->a.audience = hh_audience_parse(hh_req_form(r, "audience"));
	f->a.status = hh_status_parse(hh_req_form(r, "status"));
	f->note = hh_req_form(r, "note");
	const char *v = hh_req_form(r, "version");
	char *end = NULL;
	long long n = v && *v ? strtoll(v, &end, 10) : 0;
	f->version = end && !*end && n > 0 ? n : 0;
}

static const char *render_preview(struct hh_req *r, const char *md)
{
	char *html = hh_markdown_html(md ? md : "", md ? strlen(md) : 0);
	const char *s = hh_arena_strdup(&r->arena, html);
	free(html);
	return s;
}

static int csrf_ok(struct hh_req *r)
{
	return hh_csrf_ok(r, hh_req_form(r, "csrf"));
}

#define CSRF_MESSAGE                                                          \
	"Formularen er udløbet eller blev sendt fra en anden side, så intet "  \
	"blev gemt. Din tekst står herunder: send den igen."

void hh_page_editor_new(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	if (hh_access(&who, HH_RES_ARTICLE, HH_ACT_CREATE, NULL) != HH_OK) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Din rolle giver ikke adgang til at oprette "
			      "artikler.");
		return;
	}
	struct form f = { .is_new = 1, .owner = hh_auth(r)->org_code };
	f.a.status = HH_STATUS_DRAFT;
	f.a.audience = HH_AUDIENCE_CITIZEN;
	form_page(r, &who, &f, 200);
}

void hh_page_editor_create(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	struct form f = { .is_new = 1 };
	read_form(r, &f);
	f.owner = hh_req_form(r, "ejer");
	f.a.slug = hh_req_form(r, "slug");
	if (!csrf_ok(r)) {
		f.message = CSRF_MESSAGE;
		form_page(r, &who, &f, 403);
		return;
	}
	const char *handling = hh_req_form(r, "handling");
	if (handling && !strcmp(handling, "vis")) {
		f.preview = render_preview(r, f.a.body_md);
		form_page(r, &who, &f, 200);
		return;
	}
	int64_t org_id = -1;
	if (f.owner && !strcmp(f.owner, SHARED_CODE)) {
		org_id = 0;
	} else if (f.owner) {
		struct hh_org org;
		if (hh_org_by_code(r->app->store, &r->arena, f.owner, &org) ==
		    HH_OK)
			org_id = org.id;
	}
	const char *field = NULL;
	enum hh_rc rc;
	struct hh_article a = f.a;
	if (org_id < 0) {
		rc = HH_ERR_INVALID;
		field = "organisation";
	} else {
		a.org_id = org_id;
		rc = hh_article_create(r->app->store, &who, &r->arena, &a, &field);
	}
	if (rc == HH_OK) {
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "%s?besked="
								    "oprettet",
							 edit_url(r, &a, NULL)));
		return;
	}
	if ((rc == HH_ERR_INVALID || rc == HH_ERR_CONFLICT) && field) {
		f.field = field;
		f.field_msg = field_message(field, rc);
		form_page(r, &who, &f, rc == HH_ERR_CONFLICT ? 409 : 400);
		return;
	}
	if (rc == HH_ERR_FORBIDDEN) {
		f.field = "organisation";
		f.field_msg = "Du må ikke oprette artikler for den valgte ejer.";
		form_page(r, &who, &f, 403);
		return;
	}
	f.message = "Artiklen kunne ikke gemmes lige nu. Din tekst står "
		    "herunder: prøv igen om lidt.";
	form_page(r, &who, &f, 503);
}

/* The article at the address's owner and slug, for editing; 0 and an
 * error page when it is not one who may change (or propose to). */
static int load_article(struct hh_req *r, const struct hh_actor *who,
			struct hh_article *a)
{
	int64_t org_id;
	if (!owner_of(r, hh_req_param(r, "org"), &org_id))
		return 0;
	enum hh_rc rc = hh_article_read(r->app->store, who, &r->arena, org_id,
					hh_req_param(r, "slug"), a);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 404, "Artiklen findes ikke",
			      "Vi kunne ikke finde artiklen. Gå tilbage til "
			      "redaktionens liste over artikler.");
		return 0;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Prøv igen om lidt",
			      "Artiklen kan ikke vises lige nu.");
		return 0;
	}
	return 1;
}

static void fill_from(struct form *f, const struct hh_article *a)
{
	f->a = *a;
	f->version = a->version;
}

void hh_page_editor_edit(struct hh_req *r)
{
	struct hh_actor who;
	struct hh_article a;
	if (!editor_gate(r, &who) || !load_article(r, &who, &a))
		return;
	struct form f = { .cur = &a };
	fill_from(&f, &a);
	if (!hh_article_can_edit(&who, a.org_id)) {
		/* a shared article an agency's editor may only propose to */
		if (!a.org_id) {
			f.proposal = 1;
			form_page(r, &who, &f, 200);
			return;
		}
		hh_page_error(r, 403, "Ingen adgang",
			      "Du kan ikke ændre denne artikel.");
		return;
	}
	form_page(r, &who, &f, 200);
}

void hh_page_editor_save(struct hh_req *r)
{
	struct hh_actor who;
	struct hh_article cur;
	if (!editor_gate(r, &who) || !load_article(r, &who, &cur))
		return;
	struct form f = { .cur = &cur };
	read_form(r, &f);
	f.a.slug = cur.slug;
	f.a.org_id = cur.org_id;
	if (!csrf_ok(r)) {
		f.message = CSRF_MESSAGE;
		form_page(r, &who, &f, 403);
		return;
	}
	const char *handling = hh_req_form(r, "handling");
	if (handling && !strcmp(handling, "vis")) {
		f.preview = render_preview(r, f.a.body_md);
		form_page(r, &who, &f, 200);
		return;
	}
	if (!f.version) {
		f.message = "Formularen mangler artiklens version. Åbn artiklen "
			    "igen og ret den der.";
		form_page(r, &who, &f, 400);
		return;
	}
	struct hh_article a = f.a;
	int changed;
	const char *field;
	enum hh_rc rc = hh_article_update(r->app->store, &who, &r->arena, &a,
					  f.version, &changed, &field);
	if (rc == HH_OK) {
		hh_resp_redirect(r, 303,
				 hh_arena_printf(&r->arena, "%s?besked=%s",
						 edit_url(r, &cur, NULL),
						 changed ? "gemt" : "uaendret"));
		return;
	}
	if (rc == HH_ERR_INVALID && field) {
		f.field = field;
		f.field_msg = field_message(field, rc);
		form_page(r, &who, &f, 400);
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		/* someone saved first: the editor's text stays in the form,
		 * which now carries the newest version, so saving again is a
		 * choice made knowing it */
		struct hh_article now;
		if (hh_article_read(r->app->store, &who, &r->arena, cur.org_id,
				    cur.slug, &now) == HH_OK) {
			cur = now;
			f.version = now.version;
		}
		f.message = hh_arena_printf(
			&r->arena,
			"Artiklen er blevet ændret af en anden, mens du skrev "
			"(den er nu version %lld). Dine ændringer er ikke gemt, "
			"men din tekst står herunder. Se den andens ændringer "
			"under \"Versioner og ændringer\". Gemmer du igen, "
			"erstatter din tekst den andens.",
			(long long)cur.version);
		form_page(r, &who, &f, 409);
		return;
	}
	if (rc == HH_ERR_FORBIDDEN || rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Du kan ikke ændre denne artikel.");
		return;
	}
	f.message = "Artiklen kunne ikke gemmes lige nu. Din tekst står "
		    "herunder: prøv igen om lidt.";
	form_page(r, &who, &f, 503);
}

/* POST /redaktion/forhaandsvisning: the body field rendered as the
 * article page renders it, an HTML fragment for editor.js. */
void hh_page_editor_preview(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = hh_auth(r);
	hh_actor_of(r, &who);
	if (w->kind != HH_USER ||
	    hh_access_scope(&who, HH_RES_ARTICLE_DRAFT, HH_ACT_READ) ==
		    HH_SCOPE_NONE) {
		hh_resp_text(r, 403, "text/plain; charset=utf-8",
			     "Forhåndsvisningen er for redaktører.\n");
		return;
	}
	if (!csrf_ok(r)) {
		hh_resp_text(r, 403, "text/plain; charset=utf-8",
			     "Formularen er udløbet. Genindlæs siden.\n");
		return;
	}
	const char *md = hh_req_form(r, "body");
	if (md && strlen(md) > HH_BODY_MAX) {
		hh_resp_text(r, 413, "text/plain; charset=utf-8",
			     "Brødteksten er for lang.\n");
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_text(r, 200, "text/html; charset=utf-8", render_preview(r, md));
}

/* ---- versions and the diff ---------------------------------------------- */

struct version_rows {
	struct hh_req *r;
	const struct hh_article *cur;
	struct hh_buf rows; /* newest first: each row goes before the last */
};

static enum hh_rc version_row(void *p, const struct hh_article *v)
{
	struct version_rows *c = p;
	struct hh_buf row;
	hh_buf_init(&row);
	hh_buf_printf(&row, "<tr><th scope=\"row\">%lld</th><td>",
		      (long long)v->version);
	hh_buf_puts(&row, hh_datetime_da(&c->r->arena, v->updated_at));
	hh_buf_puts(&row, "</td><td>");
	hh_buf_html(&row, v->updated_by);
	hh_buf_puts(&row, "</td><td>");
	hh_buf_puts(&row, status_da(v->status));
	hh_buf_puts(&row, "</td><td>");
	hh_buf_html(&row, v->title);
	hh_buf_puts(&row, "</td><td>");
	if (v->version == c->cur->version) {
		hh_buf_puts(&row, "Nuværende version");
	} else {
		hh_buf_puts(&row, "<a href=\"");
		hh_buf_html(&row, edit_url(c->r, c->cur,
					   hh_arena_printf(&c->r->arena,
							   "/versioner/%lld",
							   (long long)v->version)));
		hh_buf_printf(&row, "\">Sammenlign version %lld med den "
				    "nuværende</a>",
			      (long long)v->version);
	}
	hh_buf_puts(&row, "</td></tr>\n");
	hh_buf_puts(&row, hh_buf_str(&c->rows));
	hh_buf_clear(&c->rows);
	c->rows = row;
	return HH_OK;
}

static void versions_unavailable(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN)
		hh_page_error(r, 403, "Ingen adgang",
			      "Din rolle giver ikke adgang til artiklers "
			      "versioner.");
	else if (rc == HH_ERR_NOT_FOUND)
		hh_page_error(r, 404, "Versionen findes ikke",
			      "Vi kunne ikke finde artiklen eller versionen "
			      "blandt dem, du kan ændre.");
	else
		hh_page_error(r, 503, "Prøv igen om lidt",
			      "Versionerne kan ikke vises lige nu.");
}

void hh_page_editor_versions(struct hh_req *r)
{
	struct hh_actor who;
	int64_t org_id;
	if (!editor_gate(r, &who) || !owner_of(r, hh_req_param(r, "org"), &org_id))
		return;
	struct hh_article cur;
	struct version_rows c = { .r = r, .cur = &cur };
	hh_buf_init(&c.rows);
	/* cur is filled before the first row is handed on */
	enum hh_rc rc = hh_article_versions(r->app->store, &who, &r->arena,
					    org_id, hh_req_param(r, "slug"),
					    &cur, version_row, &c);
	if (rc != HH_OK) {
		hh_buf_clear(&c.rows);
		versions_unavailable(r, rc);
		return;
	}
	struct hh_page p = { .title = "Versioner" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Versioner af ");
	hh_page_text(r, cur.title);
	hh_buf_puts(b, "</h1>\n");
	subnav(r, &who);
	hh_buf_puts(b, "<p><a href=\"");
	hh_buf_html(b, edit_url(r, &cur, NULL));
	hh_buf_puts(b, "\">Tilbage til artiklen</a></p>\n"
		       "<div class=\"table-wrap\"><table>\n<caption>Alle "
		       "versioner, nyeste først</caption>\n<thead><tr>"
		       "<th scope=\"col\">Version</th><th scope=\"col\">Gemt</th>"
		       "<th scope=\"col\">Af</th><th scope=\"col\">Status</th>"
		       "<th scope=\"col\">Titel</th><th scope=\"col\">Ændringer"
		       "</th></tr></thead>\n<tbody>\n");
	hh_buf_puts(b, hh_buf_str(&c.rows));
	hh_buf_puts(b, "</tbody></table></div>\n");
	hh_page_end(r, 200);
	hh_buf_clear(&c.rows);
}

/* The line diff of old_md and new_md as an ordered list: each removed or
 * added line says so in words (a sign and hidden text for screen
 * readers, <del>/<ins> for the meaning), not only by its colour. */
static void diff_html(struct hh_req *r, const char *old_md, const char *new_md,
		      const char *old_label, const char *new_label)
{
	struct hh_diff_line *lines;
	size_t n, added, removed;
	hh_text_diff(&r->arena, old_md, new_md, &lines, &n, &added, &removed);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<p class=\"diff-summary\">Fra ");
	hh_page_text(r, old_label);
	hh_buf_puts(b, " til ");
	hh_page_text(r, new_label);
	hh_buf_printf(b, ": %zu %s tilføjet, %zu %s fjernet. Fjernede linjer er "
			 "markeret med − og overstregning, tilføjede med + og "
			 "understregning.</p>\n",
		      added, added == 1 ? "linje" : "linjer", removed,
		      removed == 1 ? "linje" : "linjer");
	if (!added && !removed) {
		hh_buf_puts(b, "<p>Brødteksten er den samme.</p>\n");
		return;
	}
	hh_buf_puts(b, "<ol class=\"diff\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct hh_diff_line *l = &lines[i];
		switch (l->op) {
		case HH_DIFF_DEL:
			hh_buf_puts(b, "<li class=\"diff-del\"><span class=\"sign\" "
				       "aria-hidden=\"true\">−</span><del><span "
				       "class=\"visually-hidden\">Fjernet: </span>");
			hh_buf_html_n(b, l->text, l->len);
			hh_buf_puts(b, "</del></li>\n");
			break;
		case HH_DIFF_ADD:
			hh_buf_puts(b, "<li class=\"diff-add\"><span class=\"sign\" "
				       "aria-hidden=\"true\">+</span><ins><span "
				       "class=\"visually-hidden\">Tilføjet: </span>");
			hh_buf_html_n(b, l->text, l->len);
			hh_buf_puts(b, "</ins></li>\n");
			break;
		default:
			hh_buf_puts(b, "<li class=\"diff-same\"><span class=\"sign\" "
				       "aria-hidden=\"true\"> </span><span>");
			hh_buf_html_n(b, l->text, l->len);
			hh_buf_puts(b, "</span></li>\n");
			break;
		}
	}
	hh_buf_puts(b, "</ol>\n");
}

/* The fields other than the body that differ, as a table. */
static void field_changes(struct hh_req *r, const char *old_label,
			  const char *new_label, const struct hh_article *o,
			  const struct hh_article *n)
{
	struct {
		const char *name, *was, *now;
	} rows[] = {
		{ "Titel", o->title, n->title },
		{ "Resumé", o->summary, n->summary },
		{ "Nøgleord", o->keywords, n->keywords },
		{ "KLE-nummer", o->kle, n->kle },
		{ "Målgruppe",
		  o->audience == HH_AUDIENCE_STAFF ? "Personale" : "Borgere",
		  n->audience == HH_AUDIENCE_STAFF ? "Personale" : "Borgere" },
	};
	struct hh_buf *b = &r->resp;
	int any = 0;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (!strcmp(rows[i].was ? rows[i].was : "",
			    rows[i].now ? rows[i].now : ""))
			continue;
		if (!any++) {
			hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n"
				       "<caption>Andre felter, der er ændret"
				       "</caption>\n<thead><tr><th scope=\"col\">"
				       "Felt</th><th scope=\"col\">");
			hh_page_text(r, old_label);
			hh_buf_puts(b, "</th><th scope=\"col\">");
			hh_page_text(r, new_label);
			hh_buf_puts(b, "</th></tr></thead>\n<tbody>\n");
		}
		hh_buf_printf(b, "<tr><th scope=\"row\">%s</th><td>", rows[i].name);
		hh_page_text(r, rows[i].was);
		hh_buf_puts(b, "</td><td>");
		hh_page_text(r, rows[i].now);
		hh_buf_puts(b, "</td></tr>\n");
	}
	if (any)
		hh_buf_puts(b, "</tbody></table></div>\n");
	else
		hh_buf_puts(b, "<p>Titel, resumé, nøgleord, KLE-nummer og "
			       "målgruppe er de samme.</p>\n");
}

void hh_page_editor_version(struct hh_req *r)
{
	struct hh_actor who;
	int64_t org_id;
	if (!editor_gate(r, &who) || !owner_of(r, hh_req_param(r, "org"), &org_id))
		return;
	int64_t v = hh_req_id(r, "version", NULL);
	struct hh_article cur, old;
	enum hh_rc rc = hh_article_version(r->app->store, &who, &r->arena, org_id,
					   hh_req_param(r, "slug"), v, &cur,
					   &old);
	if (rc != HH_OK) {
		versions_unavailable(r, rc);
		return;
	}
	const char *old_label = hh_arena_printf(&r->arena, "version %lld",
						(long long)v);
	const char *new_label = hh_arena_printf(&r->arena, "nuværende version "
							   "(%lld)",
						(long long)cur.version);
	struct hh_page p = { .title = hh_arena_printf(&r->arena, "Version %lld",
						      (long long)v) };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<h1>Version %lld af ", (long long)v);
	hh_page_text(r, cur.title);
	hh_buf_puts(b, "</h1>\n");
	subnav(r, &who);
	hh_buf_puts(b, "<p><a href=\"");
	hh_buf_html(b, edit_url(r, &cur, "/versioner"));
	hh_buf_printf(b, "\">Alle versioner</a></p>\n<p>Gemt %s af ",
		      hh_datetime_da(&r->arena, old.updated_at));
	hh_page_text(r, old.updated_by);
	hh_buf_printf(b, ". Herunder ses, hvad der er ændret fra version %lld "
			 "til den nuværende version %lld.</p>\n",
		      (long long)v, (long long)cur.version);
	if (v == cur.version) {
		hh_buf_puts(b, "<p>Dette er den nuværende version.</p>\n");
	} else {
		field_changes(r, old_label, new_label, &old, &cur);
		hh_buf_puts(b, "<h2>Brødtekst</h2>\n");
		diff_html(r, old.body_md, cur.body_md, old_label, new_label);
		hh_buf_puts(b, "<form method=\"post\" action=\"");
		hh_buf_html(b, edit_url(r, &cur, "/gendan"));
		hh_buf_puts(b, "\">\n");
		csrf_field(r);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"gendan\" "
				 "value=\"%lld\">\n<input type=\"hidden\" "
				 "name=\"version\" value=\"%lld\">\n<p>Gendanner "
				 "du, bliver version %lld's tekst en ny version; "
				 "artiklens status (%s) er uændret.</p>\n"
				 "<button type=\"submit\">Gendan denne version"
				 "</button>\n</form>\n",
			      (long long)v, (long long)cur.version, (long long)v,
			      status_da(cur.status));
	}
	hh_page_end(r, 200);
}

void hh_page_editor_restore(struct hh_req *r)
{
	struct hh_actor who;
	int64_t org_id;
	if (!editor_gate(r, &who) || !owner_of(r, hh_req_param(r, "org"), &org_id))
		return;
	if (!csrf_ok(r)) {
		hh_page_error(r, 403, "Formularen er udløbet",
			      "Formularen er udløbet eller blev sendt fra en "
			      "anden side, så intet blev gendannet. Prøv igen.");
		return;
	}
	const char *vs = hh_req_form(r, "gendan");
	const char *es = hh_req_form(r, "version");
	long long v = vs ? atoll(vs) : 0, expected = es ? atoll(es) : 0;
	struct hh_article out;
	int changed;
	enum hh_rc rc = v > 0 && expected > 0
				? hh_article_restore(r->app->store, &who,
						     &r->arena, org_id,
						     hh_req_param(r, "slug"), v,
						     expected, &out, &changed)
				: HH_ERR_NOT_FOUND;
	if (rc == HH_OK) {
		hh_resp_redirect(r, 303,
				 hh_arena_printf(&r->arena, "%s?besked=%s",
						 edit_url(r, &out, NULL),
						 changed ? "gendannet"
							 : "uaendret"));
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		hh_page_error(r, 409, "Artiklen er ændret",
			      "Artiklen er blevet ændret af en anden, siden du "
			      "åbnede versionen, så intet blev gendannet. Åbn "
			      "versionen igen, og se ændringerne, før du "
			      "gendanner.");
		return;
	}
	versions_unavailable(r, rc);
}

/* ---- a municipality's local version ------------------------------------- */

void hh_page_editor_local(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	const char *owner = hh_req_param(r, "org");
	if (!owner || strcmp(owner, SHARED_CODE)) {
		hh_page_error(r, 404, "Artiklen findes ikke",
			      "Kun fælles artikler kan have en lokal version.");
		return;
	}
	if (!csrf_ok(r)) {
		hh_page_error(r, 403, "Formularen er udløbet",
			      "Formularen er udløbet eller blev sendt fra en "
			      "anden side, så der blev ikke lavet en lokal "
			      "version. Prøv igen.");
		return;
	}
	const char *slug = hh_req_param(r, "slug");
	struct hh_article a;
	enum hh_rc rc = hh_article_make_local(r->app->store, &who, &r->arena,
					      slug, &a);
	if (rc == HH_OK) {
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
							 "%s?besked=lokal",
							 edit_url(r, &a, NULL)));
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		struct hh_article own = { .org_id = who.org_id, .slug = slug,
					  .org_code = hh_auth(r)->org_code };
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
							 "%s?besked=findes",
							 edit_url(r, &own, NULL)));
		return;
	}
	if (rc == HH_ERR_FORBIDDEN) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Kun en kommunes redaktører kan lave en lokal "
			      "version af en fælles artikel.");
		return;
	}
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 404, "Artiklen findes ikke",
			      "Vi kunne ikke finde den fælles artikel.");
		return;
	}
	hh_page_error(r, 503, "Prøv igen om lidt",
		      "Den lokale version kunne ikke laves lige nu.");
}

/* ---- proposals to the shared knowledge base ----------------------------- */

void hh_page_editor_propose_form(struct hh_req *r)
{
	struct hh_actor who;
	struct hh_article a;
	if (!editor_gate(r, &who) || !load_article(r, &who, &a))
		return;
	if (a.org_id) {
		hh_page_error(r, 404, "Artiklen findes ikke",
			      "Man kan kun foreslå ændringer til fælles "
			      "artikler.");
		return;
	}
	struct form f = { .cur = &a, .proposal = 1 };
	fill_from(&f, &a);
	form_page(r, &who, &f, 200);
}

void hh_page_editor_propose(struct hh_req *r)
{
	struct hh_actor who;
	struct hh_article cur;
	if (!editor_gate(r, &who) || !load_article(r, &who, &cur))
		return;
	if (cur.org_id) {
		hh_page_error(r, 404, "Artiklen findes ikke",
			      "Man kan kun foreslå ændringer til fælles "
			      "artikler.");
		return;
	}
	struct form f = { .cur = &cur, .proposal = 1 };
	read_form(r, &f);
	if (!csrf_ok(r)) {
		f.message = CSRF_MESSAGE;
		form_page(r, &who, &f, 403);
		return;
	}
	const char *handling = hh_req_form(r, "handling");
	if (handling && !strcmp(handling, "vis")) {
		f.preview = render_preview(r, f.a.body_md);
		form_page(r, &who, &f, 200);
		return;
	}
	struct hh_proposal p = {
		.base_version = f.version, .title = f.a.title,
		.summary = f.a.summary, .body_md = f.a.body_md,
		.keywords = f.a.keywords, .kle = f.a.kle,
		.audience = f.a.audience, .note = f.note,
	};
	const char *field;
	enum hh_rc rc = hh_proposal_create(r->app->store, &who, &r->arena,
					   cur.slug, &p, &field);
	if (rc == HH_OK) {
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
							 "/redaktion/forslag/"
							 "%lld?besked=foreslaaet",
							 (long long)p.id));
		return;
	}
	if (rc == HH_ERR_INVALID && field && !strcmp(field, "unchanged")) {
		f.message = "Forslaget ændrer ikke noget i artiklen. Ret i "
			    "teksten, før du sender det.";
		form_page(r, &who, &f, 400);
		return;
	}
	if (rc == HH_ERR_INVALID && field) {
		f.field = field;
		f.field_msg = field_message(field, rc);
		form_page(r, &who, &f, 400);
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		f.version = cur.version;
		f.message = hh_arena_printf(
			&r->arena,
			"Den fælles artikel er blevet ændret, mens du skrev (den "
			"er nu version %lld). Dit forslag er ikke sendt, men din "
			"tekst står herunder. Se ændringerne under artiklens "
			"versioner, og send forslaget igen.",
			(long long)cur.version);
		form_page(r, &who, &f, 409);
		return;
	}
	if (rc == HH_ERR_FORBIDDEN) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Din rolle giver ikke adgang til at foreslå "
			      "ændringer.");
		return;
	}
	f.message = "Forslaget kunne ikke sendes lige nu. Din tekst står "
		    "herunder: prøv igen om lidt.";
	form_page(r, &who, &f, 503);
}

struct proposal_rows {
	struct hh_req *r;
	struct hh_buf rows;
	int n;
};

static enum hh_rc proposal_row(void *p, const struct hh_proposal *pr)
{
	struct proposal_rows *c = p;
	struct hh_buf *b = &c->rows;
	hh_buf_printf(b, "<tr><th scope=\"row\"><a href=\"/redaktion/forslag/"
			 "%lld\">", (long long)pr->id);
	hh_buf_html(b, pr->title);
	hh_buf_puts(b, "</a></th><td>");
	hh_buf_html(b, pr->proposer_name);
	hh_buf_puts(b, ", ");
	hh_buf_html(b, pr->org_name);
	hh_buf_puts(b, "</td><td>");
	hh_buf_puts(b, hh_date_da(&c->r->arena, pr->created_at));
	hh_buf_puts(b, "</td><td>");
	hh_buf_puts(b, hh_proposal_state_da(pr->state));
	hh_buf_puts(b, "</td></tr>\n");
	c->n++;
	return HH_OK;
}

void hh_page_editor_proposals(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	const char *vis = hh_req_query(r, "vis");
	int all = vis && !strcmp(vis, "alle");
	struct proposal_rows c = { .r = r };
	hh_buf_init(&c.rows);
	enum hh_rc rc = hh_proposal_list(r->app->store, &who, &r->arena,
					 all ? 0 : HH_PROPOSAL_OPEN,
					 proposal_row, &c);
	if (rc == HH_ERR_FORBIDDEN) {
		hh_buf_clear(&c.rows);
		hh_page_error(r, 403, "Ingen adgang",
			      "Forslag til fælles artikler er for redaktører.");
		return;
	}
	struct hh_page p = { .title = "Forslag til fælles artikler" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Forslag til fælles artikler</h1>\n");
	subnav(r, &who);
	notice(r);
	if (hh_proposal_can_decide(&who))
		hh_buf_puts(b, "<p>Du er redaktør af den fælles vidensbase: du "
			       "kan acceptere eller afvise andres forslag.</p>\n");
	else
		hh_buf_puts(b, "<p>Din organisations forslag. Redaktørerne af "
			       "den fælles vidensbase accepterer eller afviser "
			       "dem; en afvisning har en begrundelse.</p>\n");
	hh_buf_printf(b, "<p><a href=\"/redaktion/forslag%s\">%s</a></p>\n",
		      all ? "" : "?vis=alle",
		      all ? "Vis kun åbne forslag" : "Vis også afgjorte forslag");
	if (rc != HH_OK)
		hh_buf_puts(b, "<p class=\"error\">Forslagene kan ikke vises lige "
			       "nu. Prøv igen om lidt.</p>\n");
	else if (!c.n)
		hh_buf_puts(b, all ? "<p>Ingen forslag.</p>\n"
				   : "<p>Ingen åbne forslag.</p>\n");
	else {
		hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n<caption>"
			       "Forslag, nyeste først</caption>\n<thead><tr>"
			       "<th scope=\"col\">Foreslået titel</th>"
			       "<th scope=\"col\">Fra</th><th scope=\"col\">"
			       "Dato</th><th scope=\"col\">Status</th></tr>"
			       "</thead>\n<tbody>\n");
		hh_buf_puts(b, hh_buf_str(&c.rows));
		hh_buf_puts(b, "</tbody></table></div>\n");
	}
	hh_page_end(r, 200);
	hh_buf_clear(&c.rows);
}

static void proposal_unavailable(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_NOT_FOUND)
		hh_page_error(r, 404, "Forslaget findes ikke",
			      "Vi kunne ikke finde forslaget blandt dem, du kan "
			      "se.");
	else if (rc == HH_ERR_FORBIDDEN)
		hh_page_error(r, 403, "Ingen adgang",
			      "Kun redaktører af den fælles vidensbase kan "
			      "afgøre forslag, og aldrig deres egne.");
	else
		hh_page_error(r, 503, "Prøv igen om lidt",
			      "Forslaget kan ikke vises lige nu.");
}

/* The proposal page: the proposal, its diff against the shared article
 * as it is now, and (for the shared base's editors, not the proposer,
 * while it is open) the forms that accept and decline it. error: a
 * message above it (a failed decision), shown with status. */
static void proposal_page(struct hh_req *r, const struct hh_actor *who,
			  int64_t id, const char *error, const char *reason,
			  int reason_bad, int status)
{
	struct hh_proposal pr;
	struct hh_article cur;
	enum hh_rc rc = hh_proposal_get(r->app->store, who, &r->arena, id, &pr,
					&cur);
	if (rc != HH_OK) {
		proposal_unavailable(r, rc);
		return;
	}
	struct hh_page p = { .title = "Forslag til en fælles artikel" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Forslag til ");
	hh_page_text(r, cur.title);
	hh_buf_puts(b, "</h1>\n");
	subnav(r, who);
	notice(r);
	if (error) {
		hh_buf_puts(b, "<div class=\"error-summary\" role=\"alert\"><p>");
		hh_page_text(r, error);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<dl class=\"meta\"><dt>Fra</dt><dd>");
	hh_page_text(r, pr.proposer_name);
	hh_buf_puts(b, ", ");
	hh_page_text(r, pr.org_name);
	hh_buf_printf(b, "</dd><dt>Foreslået</dt><dd>%s</dd><dt>Status</dt>"
			 "<dd>%s</dd>",
		      hh_datetime_da(&r->arena, pr.created_at),
		      hh_proposal_state_da(pr.state));
	if (pr.state != HH_PROPOSAL_OPEN) {
		hh_buf_puts(b, "<dt>Afgjort af</dt><dd>");
		hh_page_text(r, pr.decider_name);
		hh_buf_printf(b, ", %s</dd>",
			      hh_datetime_da(&r->arena, pr.decided_at));
	}
	if (pr.state == HH_PROPOSAL_ACCEPTED)
		hh_buf_printf(b, "<dt>Blev til</dt><dd>version %lld af den "
				 "fælles artikel</dd>",
			      (long long)pr.accepted_version);
	hh_buf_puts(b, "</dl>\n");
	if (pr.state == HH_PROPOSAL_DECLINED) {
		hh_buf_puts(b, "<h2>Begrundelse for afvisningen</h2>\n"
			       "<blockquote class=\"quote\"><p>");
		hh_page_text(r, pr.reason);
		hh_buf_puts(b, "</p></blockquote>\n");
	}
	if (pr.note && *pr.note) {
		hh_buf_puts(b, "<h2>Forslagsstillerens begrundelse</h2>\n"
			       "<blockquote class=\"quote\"><p>");
		hh_page_text(r, pr.note);
		hh_buf_puts(b, "</p></blockquote>\n");
	}
	struct hh_article prop = cur;
	hh_proposal_onto(&prop, &pr);
	const char *cur_label = hh_arena_printf(&r->arena, "nuværende version "
							   "(%lld)",
						(long long)cur.version);
	hh_buf_puts(b, "<h2>Ændringer i forhold til den nuværende artikel</h2>\n");
	if (pr.state == HH_PROPOSAL_OPEN && pr.base_version != cur.version)
		hh_buf_printf(b, "<p class=\"notice\">Forslaget blev lavet til "
				 "version %lld; artiklen er siden ændret. "
				 "Ændringerne herunder er i forhold til den "
				 "nuværende version.</p>\n",
			      (long long)pr.base_version);
	field_changes(r, cur_label, "forslaget", &cur, &prop);
	hh_buf_puts(b, "<h3>Brødtekst</h3>\n");
	diff_html(r, cur.body_md, pr.body_md, cur_label, "forslaget");
	int mine = pr.proposed_by && who->label &&
		   !strcmp(pr.proposed_by, who->label);
	if (pr.state == HH_PROPOSAL_OPEN && hh_proposal_can_decide(who) &&
	    !mine) {
		hh_buf_printf(b, "<h2>Afgør forslaget</h2>\n<form method=\"post\" "
				 "action=\"/redaktion/forslag/%lld/accepter\">\n",
			      (long long)pr.id);
		csrf_field(r);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"version\" "
				 "value=\"%lld\">\n<p>Accepterer du, bliver "
				 "forslaget en ny version af den fælles artikel "
				 "(status uændret: %s).</p>\n<button "
				 "type=\"submit\">Accepter forslaget</button>\n"
				 "</form>\n<form method=\"post\" class=\"form "
				 "wide\" action=\"/redaktion/forslag/%lld/afvis\">\n",
			      (long long)cur.version, status_da(cur.status),
			      (long long)pr.id);
		csrf_field(r);
		const char *msg = "Skriv en begrundelse på højst 2000 tegn, som "
				  "forslagsstilleren kan læse.";
		int bad = reason_bad;
		hh_buf_printf(b, "<div class=\"field%s\"><label for=\"f-reason\">"
				 "Begrundelse for at afvise</label>\n",
			      bad ? " has-error" : "");
		if (bad) {
			hh_buf_puts(b, "<p class=\"field-error\" "
				       "id=\"f-reason-fejl\">");
			hh_page_text(r, msg);
			hh_buf_puts(b, "</p>\n");
		}
		hh_buf_printf(b, "<textarea id=\"f-reason\" name=\"reason\" "
				 "rows=\"4\" required%s>\n",
			      bad ? " aria-invalid=\"true\" aria-describedby="
				    "\"f-reason-fejl\""
				  : "");
		hh_page_text(r, reason ? reason : "");
		hh_buf_puts(b, "</textarea></div>\n<button type=\"submit\" "
			       "class=\"secondary\">Afvis forslaget</button>\n"
			       "</form>\n");
	} else if (pr.state == HH_PROPOSAL_OPEN && mine) {
		hh_buf_puts(b, "<p>Forslaget er dit eget, så en anden redaktør "
			       "af den fælles vidensbase afgør det.</p>\n");
	}
	hh_page_end(r, status);
}

void hh_page_editor_proposal(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	int64_t id = hh_req_id(r, "id", NULL);
	if (!id) {
		proposal_unavailable(r, HH_ERR_NOT_FOUND);
		return;
	}
	proposal_page(r, &who, id, NULL, NULL, 0, 200);
}

static void decide(struct hh_req *r, int accept)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	int64_t id = hh_req_id(r, "id", NULL);
	if (!id) {
		proposal_unavailable(r, HH_ERR_NOT_FOUND);
		return;
	}
	if (!csrf_ok(r)) {
		proposal_page(r, &who, id,
			      "Formularen er udløbet eller blev sendt fra en "
			      "anden side, så forslaget er ikke afgjort. Prøv "
			      "igen.",
			      accept ? NULL : hh_req_form(r, "reason"), 0, 403);
		return;
	}
	enum hh_rc rc;
	const char *field = NULL;
	const char *reason = hh_req_form(r, "reason");
	if (accept) {
		const char *vs = hh_req_form(r, "version");
		long long v = vs ? atoll(vs) : 0;
		rc = v > 0 ? hh_proposal_accept(r->app->store, &who, &r->arena,
						id, v, NULL)
			   : HH_ERR_CONFLICT;
	} else {
		rc = hh_proposal_decline(r->app->store, &who, &r->arena, id,
					 reason ? reason : "", &field);
	}
	if (rc == HH_OK) {
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
							 "/redaktion/forslag/"
							 "%lld?besked=%s",
							 (long long)id,
							 accept ? "accepteret"
								: "afvist"));
		return;
	}
	if (rc == HH_ERR_INVALID && field) {
		proposal_page(r, &who, id, NULL, reason, 1, 400);
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		proposal_page(r, &who, id,
			      "Forslaget er allerede afgjort, eller den fælles "
			      "artikel er blevet ændret, siden du åbnede siden. "
			      "Se ændringerne herunder igen, før du afgør det.",
			      accept ? NULL : reason, 0, 409);
		return;
	}
	proposal_unavailable(r, rc);
}

void hh_page_editor_accept(struct hh_req *r)
{
	decide(r, 1);
}

void hh_page_editor_decline(struct hh_req *r)
{
	decide(r, 0);
}

/* ---- synonyms and pins, from the report of searches without answers ---- */

/* The pin of one normalised query among the editor's organisation's. */
struct pin_find {
	const char *query;
	const char *slug, *title;
};

static enum hh_rc find_pin(void *p, const struct hh_search_pin *pin,
			   const struct hh_article *a)
{
	struct pin_find *f = p;
	if (!strcmp(pin->query, f->query)) {
		f->slug = a->slug;
		f->title = a->title;
	}
	return HH_OK;
}

/* GET /redaktion/soegning?q=...: for one search from the report, in one
 * step each: a synonym for its words, or an article pinned to it (the
 * results citizens get now are offered, or any article's address). */
static void tuning_page(struct hh_req *r, const struct hh_actor *who,
			const char *q, const char *field, const char *msg,
			const char *alternatives, int status)
{
	struct hh_page p = { .title = "Forbedr en søgning" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Forbedr søgningen efter <q>");
	hh_page_text(r, q);
	hh_buf_puts(b, "</q></h1>\n");
	subnav(r, who);
	notice(r);
	if (field) {
		hh_buf_printf(b, "<div class=\"error-summary\" role=\"alert\">"
				 "<h2>Ret fejlen i formularen</h2>\n<ul><li>"
				 "<a href=\"#f-%s\">", field);
		hh_page_text(r, msg);
		hh_buf_puts(b, "</a></li></ul></div>\n");
	}
	hh_buf_puts(b, "<p><a href=\"/soeg?q=");
	hh_buf_urlenc(b, q);
	hh_buf_puts(b, "\">Se, hvad borgerne finder nu</a> · <a href=\""
		       "/personale/soegninger\">Tilbage til søgninger uden svar"
		       "</a></p>\n");
	/* a synonym: shared by every organisation's search */
	hh_buf_puts(b, "<section aria-labelledby=\"synonym-h\">\n<h2 "
		       "id=\"synonym-h\">Tilføj et synonym</h2>\n");
	if (!hh_article_can_edit(who, 0)) {
		hh_buf_puts(b, "<p>Synonymer gælder søgningen i alle kommuner, "
			       "så kun redaktører af den fælles vidensbase kan "
			       "tilføje dem.</p>\n");
	} else {
		hh_buf_puts(b, "<p>Synonymet virker med det samme i søgningen "
			       "for alle kommuner.</p>\n<form class=\"form wide\" "
			       "method=\"post\" action=\"/redaktion/synonym\">\n");
		csrf_field(r);
		int bad = field && !strcmp(field, "words");
		hh_buf_printf(b, "<div class=\"field%s\"><label for=\"f-words\">"
				 "Søgeord</label>\n", bad ? " has-error" : "");
		if (bad) {
			hh_buf_puts(b, "<p class=\"field-error\" id=\"f-words-fejl\">");
			hh_page_text(r, msg);
			hh_buf_puts(b, "</p>\n");
		}
		hh_buf_printf(b, "<input id=\"f-words\" name=\"ord\" type=\"text\" "
				 "required%s value=\"",
			      bad ? " aria-invalid=\"true\" aria-describedby="
				    "\"f-words-fejl\""
				  : "");
		hh_page_text(r, q);
		hh_buf_puts(b, "\"></div>\n");
		bad = field && !strcmp(field, "alternatives");
		hh_buf_printf(b, "<div class=\"field%s\"><label "
				 "for=\"f-alternatives\">Betyder det samme som"
				 "</label>\n<p class=\"hint\" id=\"f-alternatives-"
				 "hjaelp\">Et eller flere ord, adskilt med komma, "
				 "fx grovaffald, storskrald.</p>\n",
			      bad ? " has-error" : "");
		if (bad) {
			hh_buf_puts(b, "<p class=\"field-error\" "
				       "id=\"f-alternatives-fejl\">");
			hh_page_text(r, msg);
			hh_buf_puts(b, "</p>\n");
		}
		hh_buf_printf(b, "<input id=\"f-alternatives\" name=\"betyder\" "
				 "type=\"text\" required aria-describedby=\""
				 "f-alternatives-hjaelp%s\"%s value=\"",
			      bad ? " f-alternatives-fejl" : "",
			      bad ? " aria-invalid=\"true\"" : "");
		hh_page_text(r, alternatives ? alternatives : "");
		hh_buf_puts(b, "\"></div>\n<fieldset class=\"field radios\">"
			       "<legend>Retning</legend>\n"
			       "<div class=\"radio\"><input type=\"radio\" "
			       "id=\"f-way-both\" name=\"retning\" value=\"begge\" "
			       "checked><label for=\"f-way-both\">Begge veje: "
			       "hvert ord finder de andre</label></div>\n"
			       "<div class=\"radio\"><input type=\"radio\" "
			       "id=\"f-way-one\" name=\"retning\" value=\"en\">"
			       "<label for=\"f-way-one\">Kun søgeordet finder de "
			       "andre ord</label></div>\n</fieldset>\n"
			       "<button type=\"submit\">Tilføj synonym</button>\n"
			       "</form>\n");
	}
	hh_buf_puts(b, "</section>\n");
	/* a pin: the editor's own municipality's searches */
	hh_buf_puts(b, "<section aria-labelledby=\"pin-h\">\n<h2 id=\"pin-h\">"
		       "Fastgør en artikel</h2>\n");
	if (!who->org_is_municipality) {
		hh_buf_puts(b, "<p>Kun en kommunes redaktører kan fastgøre "
			       "artikler til kommunens søgninger.</p>\n");
	} else {
		hh_buf_puts(b, "<p>Den valgte artikel vises øverst, når nogen i "
			       "din kommune søger på præcis disse ord (store og "
			       "små bogstaver er ligegyldige).</p>\n<form class=\""
			       "form wide\" method=\"post\" action=\"/redaktion/"
			       "fastgoer\">\n");
		csrf_field(r);
		hh_buf_puts(b, "<input type=\"hidden\" name=\"q\" value=\"");
		hh_page_text(r, q);
		hh_buf_puts(b, "\">\n");
		/* what the municipality's citizens find now */
		struct hh_search_query sq = { .text = q,
					      .municipality_id = who->org_id,
					      .limit = 8,
					      /* a pin is an article */
					      .kinds = HH_KIND_BIT(HH_DOC_ARTICLE) };
		struct hh_search_result res;
		struct hh_actor citizen = { 0 }; /* as the public searches */
		hh_reading_search_again(r->app->index, &citizen, &sq, &r->arena,
					&res);
		int bad = field && !strcmp(field, "article");
		hh_buf_printf(b, "<fieldset class=\"field radios%s\" id=\"f-article\">"
				 "<legend>Artikel</legend>\n",
			      bad ? " has-error" : "");
		if (bad) {
			hh_buf_puts(b, "<p class=\"field-error\">");
			hh_page_text(r, msg);
			hh_buf_puts(b, "</p>\n");
		}
		for (int i = 0; i < res.n_hits; i++) {
			hh_buf_printf(b, "<div class=\"radio\"><input type=\"radio\" "
					 "id=\"f-hit-%d\" name=\"artikel\" value=\"",
				      i);
			hh_page_text(r, res.hits[i].slug);
			hh_buf_printf(b, "\"><label for=\"f-hit-%d\">", i);
			hh_page_text(r, res.hits[i].title);
			hh_buf_printf(b, " <span class=\"hint\">(nr. %d nu)</span>"
					 "</label></div>\n", i + 1);
		}
		if (!res.n_hits)
			hh_buf_puts(b, "<p>Søgningen giver ingen resultater nu. "
				       "Skriv adressen på den artikel, der skal "
				       "vises.</p>\n");
		hh_buf_puts(b, "</fieldset>\n<div class=\"field\"><label "
			       "for=\"f-slug-pin\">Eller en anden artikels "
			       "adresse</label>\n<p class=\"hint\" id=\"f-slug-"
			       "pin-hjaelp\">Det sidste i artiklens link, fx "
			       "flytning for /artikel/flytning.</p>\n<input "
			       "id=\"f-slug-pin\" name=\"adresse\" type=\"text\" "
			       "aria-describedby=\"f-slug-pin-hjaelp\"></div>\n"
			       "<button type=\"submit\">Fastgør artikel</button>\n"
			       "</form>\n");
		/* the pin this query has now, with a way to remove it */
		struct pin_find pf = { .query = hh_pin_query_normalise(&r->arena,
								       q) };
		if (pf.query &&
		    hh_pin_list(r->app->store, who, &r->arena, find_pin, &pf) ==
			    HH_OK &&
		    pf.title) {
			hh_buf_puts(b, "<p>Fastgjort nu: <a href=\"/artikel/");
			hh_buf_urlenc(b, pf.slug);
			hh_buf_puts(b, "\">");
			hh_page_text(r, pf.title);
			hh_buf_puts(b, "</a>.</p>\n<form method=\"post\" "
				       "action=\"/redaktion/fastgoer/fjern\">\n");
			csrf_field(r);
			hh_buf_puts(b, "<input type=\"hidden\" name=\"q\" value=\"");
			hh_page_text(r, q);
			hh_buf_puts(b, "\">\n<button type=\"submit\" "
				       "class=\"secondary\">Fjern fastgørelsen"
				       "</button>\n</form>\n");
		}
	}
	hh_buf_puts(b, "</section>\n");
	hh_page_end(r, status);
}

/* A query from the report, or an error page when there is none. */
static const char *tuning_query(struct hh_req *r, const char *q)
{
	if (!q || !*q || strlen(q) > HH_PIN_QUERY_MAX ||
	    !hh_utf8_valid(q, strlen(q))) {
		hh_page_error(r, 400, "Ingen søgning",
			      "Vælg en søgning i rapporten over søgninger uden "
			      "svar.");
		return NULL;
	}
	return q;
}

void hh_page_editor_tuning(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	const char *q = tuning_query(r, hh_req_query(r, "q"));
	if (q)
		tuning_page(r, &who, q, NULL, NULL, NULL, 200);
}

static const char *back_to(struct hh_req *r, const char *q, const char *note)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "/redaktion/soegning?q=");
	hh_buf_urlenc(&b, q);
	hh_buf_printf(&b, "&besked=%s", note);
	const char *s = hh_arena_strdup(&r->arena, hh_buf_str(&b));
	hh_buf_clear(&b);
	return s;
}

void hh_page_editor_synonym(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	const char *words = hh_req_form(r, "ord");
	const char *alternatives = hh_req_form(r, "betyder");
	const char *q = tuning_query(r, words);
	if (!q)
		return;
	if (!csrf_ok(r)) {
		tuning_page(r, &who, q, "words",
			    "Formularen er udløbet eller blev sendt fra en anden "
			    "side. Send den igen.", alternatives, 403);
		return;
	}
	const char *way = hh_req_form(r, "retning");
	const char *field;
	enum hh_rc rc = hh_synonym_add(r->app->store, &who,
				       hh_index_analyzer(r->app->index),
				       &r->arena, words, alternatives,
				       !way || strcmp(way, "en"), NULL, &field);
	if (rc == HH_OK || rc == HH_ERR_CONFLICT) {
		hh_resp_redirect(r, 303, back_to(r, q, rc == HH_OK ? "synonym"
								   : "synonym-findes"));
		return;
	}
	if (rc == HH_ERR_INVALID)
		tuning_page(r, &who, q, field,
			    field && !strcmp(field, "words")
				    ? "Skriv et søgeord (højst seks ord, ingen "
				      "kommaer)."
				    : "Skriv et eller flere ord, adskilt med "
				      "komma (højst seks ord hver).",
			    alternatives, 400);
	else if (rc == HH_ERR_FORBIDDEN)
		hh_page_error(r, 403, "Ingen adgang",
			      "Kun redaktører af den fælles vidensbase kan "
			      "tilføje synonymer.");
	else
		hh_page_error(r, 503, "Prøv igen om lidt",
			      "Synonymet kunne ikke gemmes lige nu.");
}

/* What the pin and unpin posts share: the editor, the query (field q)
 * and the form's CSRF token. NULL when a page was sent instead. */
static const char *pin_post_begin(struct hh_req *r, struct hh_actor *who)
{
	if (!editor_gate(r, who))
		return NULL;
	const char *q = tuning_query(r, hh_req_form(r, "q"));
	if (q && !csrf_ok(r)) {
		tuning_page(r, who, q, "article",
			    "Formularen er udløbet eller blev sendt fra en anden "
			    "side. Send den igen.", NULL, 403);
		return NULL;
	}
	return q;
}

/* A pin refused for a reason other than the form's content. */
static void pin_refused(struct hh_req *r, enum hh_rc rc, const char *unavailable)
{
	if (rc == HH_ERR_FORBIDDEN)
		hh_page_error(r, 403, "Ingen adgang",
			      "Kun en kommunes redaktører kan fastgøre "
			      "artikler til kommunens søgninger.");
	else
		hh_page_error(r, 503, "Prøv igen om lidt", unavailable);
}

void hh_page_editor_pin(struct hh_req *r)
{
	struct hh_actor who;
	const char *q = pin_post_begin(r, &who);
	if (!q)
		return;
	const char *slug = hh_req_form(r, "adresse");
	if (!slug || !*slug)
		slug = hh_req_form(r, "artikel");
	const char *field;
	enum hh_rc rc = hh_pin_add(r->app->store, &who, &r->arena, q, slug,
				   NULL, NULL, &field);
	if (rc == HH_OK) {
		hh_resp_redirect(r, 303, back_to(r, q, "fastgjort"));
		return;
	}
	if (rc == HH_ERR_INVALID)
		tuning_page(r, &who, q, "article",
			    field && !strcmp(field, "query")
				    ? "Søgningen har ingen ord at fastgøre til."
				    : "Vælg en udgivet artikel, eller skriv "
				      "adressen på en.",
			    NULL, 400);
	else
		pin_refused(r, rc, "Artiklen kunne ikke fastgøres lige nu.");
}

void hh_page_editor_unpin(struct hh_req *r)
{
	struct hh_actor who;
	const char *q = pin_post_begin(r, &who);
	if (!q)
		return;
	enum hh_rc rc = hh_pin_remove(r->app->store, &who, &r->arena, q);
	/* removed from the list on /redaktion/synonymer: back to it */
	const char *from = hh_req_form(r, "fra");
	if (rc == HH_OK || rc == HH_ERR_NOT_FOUND)
		hh_resp_redirect(r, 303,
				 from && !strcmp(from, "synonymer")
					 ? "/redaktion/synonymer?besked=fjernet"
					 : back_to(r, q, "fjernet"));
	else
		pin_refused(r, rc, "Fastgørelsen kunne ikke fjernes lige nu.");
}

/* ---- s-tune (issue 13): the synonyms' list and the pins' list ------------ */

#define SYN_PAGE 50

struct syn_rows {
	struct hh_req *r;
	const char *q;
	int side;
};

static enum hh_rc syn_row(void *p, int64_t id, const char *rule)
{
	struct syn_rows *c = p;
	struct hh_req *r = c->r;
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<tr><td>");
	hh_page_text(r, rule);
	hh_buf_puts(b, "</td><td><form method=\"post\" action=\"/redaktion/"
		       "fjern-synonym\">\n");
	csrf_field(r);
	hh_buf_printf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\">\n"
			 "<input type=\"hidden\" name=\"side\" value=\"%d\">\n"
			 "<input type=\"hidden\" name=\"q\" value=\"",
		      (long long)id, c->side);
	hh_page_text(r, c->q ? c->q : "");
	hh_buf_puts(b, "\">\n<button type=\"submit\" class=\"secondary\">Fjern "
		       "<span class=\"visually-hidden\">synonymet ");
	hh_page_text(r, rule);
	hh_buf_puts(b, "</span></button>\n</form></td></tr>\n");
	return HH_OK;
}

static enum hh_rc pin_row_html(void *p, const struct hh_search_pin *pin,
			       const struct hh_article *a)
{
	struct hh_req *r = p;
	struct hh_buf *b = &r->resp;
	/* what the municipality's citizens get at the slug now: the index
	 * resolves the pin per search (searchtune.h) */
	struct hh_article now;
	const struct hh_actor citizen = { 0 };
	enum hh_rc rc = hh_article_find(r->app->store, &citizen, &r->arena,
					pin->org_id, a->slug, &now);
	int shown = rc == HH_OK && now.status == HH_STATUS_PUBLISHED;
	hh_buf_puts(b, "<tr><td>");
	hh_page_text(r, pin->query);
	hh_buf_puts(b, "</td><td>");
	if (shown) {
		hh_buf_puts(b, "<a href=\"/artikel/");
		hh_buf_urlenc(b, now.slug);
		hh_buf_puts(b, "\">");
		hh_page_text(r, now.title);
		hh_buf_puts(b, "</a>");
		if (now.org_id)
			hh_buf_puts(b, " <span class=\"hint\">(kommunens lokale "
				       "version)</span>");
	} else {
		hh_page_text(r, a->title);
		hh_buf_puts(b, " <strong>(vises ikke: artiklen er ikke "
			       "udgivet)</strong>");
	}
	hh_buf_puts(b, "</td><td><form method=\"post\" action=\"/redaktion/"
		       "fastgoer/fjern\">\n");
	csrf_field(r);
	hh_buf_puts(b, "<input type=\"hidden\" name=\"q\" value=\"");
	hh_page_text(r, pin->query);
	/* removed from this list: back to this list, not to the search */
	hh_buf_puts(b, "\">\n<input type=\"hidden\" name=\"fra\" "
		       "value=\"synonymer\">\n");
	hh_buf_puts(b, "<button type=\"submit\" class=\"secondary\">Fjern "
		       "<span class=\"visually-hidden\">fastgørelsen af ");
	hh_page_text(r, pin->query);
	hh_buf_puts(b, "</span></button>\n</form></td></tr>\n");
	return HH_OK;
}

/* GET /redaktion/synonymer?q=&side=: the store's synonym rules (search
 * in them, 50 a page, each with "Fjern") for the editors of the shared
 * knowledge base, and the municipality's pinned searches (each with
 * "Fjern") for its editors. */
void hh_page_editor_synonyms(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	int may_syn = hh_article_can_edit(&who, 0);
	int may_pin = who.org_is_municipality;
	if (!may_syn && !may_pin) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Synonymer er for redaktørerne af den fælles "
			      "vidensbase, fastgørelser for en kommunes "
			      "redaktører.");
		return;
	}
	const char *q = hh_req_query(r, "q");
	if (q && (strlen(q) > 200 || !hh_utf8_valid(q, strlen(q))))
		q = NULL;
	const char *side_s = hh_req_query(r, "side");
	int side = side_s ? atoi(side_s) : 1;
	if (side < 1 || side > 100000)
		side = 1;
	struct hh_page pg = { .title = "Synonymer og fastgørelser" };
	hh_page_begin(r, &pg);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Synonymer og fastgørelser</h1>\n");
	subnav(r, &who);
	notice(r);
	if (may_syn) {
		hh_buf_puts(b, "<section aria-labelledby=\"syn-h\">\n<h2 "
			       "id=\"syn-h\">Synonymer</h2>\n<p>Synonymerne "
			       "gælder alle søgninger. Et fjernet synonym virker "
			       "ikke længere, og det kommer ikke tilbage fra "
			       "indholdsfilen ved næste start eller import.</p>\n"
			       "<form class=\"form\" method=\"get\" action=\""
			       "/redaktion/synonymer\" role=\"search\">\n<div "
			       "class=\"field\"><label for=\"f-syn-q\">Søg i "
			       "synonymerne</label>\n<input id=\"f-syn-q\" "
			       "name=\"q\" type=\"search\" value=\"");
		hh_page_text(r, q ? q : "");
		hh_buf_puts(b, "\"></div>\n<button type=\"submit\">Find synonymer"
			       "</button>\n</form>\n");
		/* the rows are written straight into the page, inside the
		 * table opened here */
		hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n<caption>"
			       "Synonymer, ældste først</caption>\n<thead><tr>"
			       "<th scope=\"col\">Regel</th><th scope=\"col\">"
			       "Fjern</th></tr></thead>\n<tbody>\n");
		struct syn_rows c = { .r = r, .q = q, .side = side };
		int total = 0;
		enum hh_rc rc = hh_synonym_page(r->app->store, &who, &r->arena, q,
						(side - 1) * SYN_PAGE, SYN_PAGE,
						syn_row, &c, &total);
		hh_buf_puts(b, "</tbody></table></div>\n");
		if (rc != HH_OK)
			hh_buf_puts(b, "<p class=\"error\" role=\"alert\">"
				       "Synonymerne kan ikke vises lige nu.</p>\n");
		int pages = (total + SYN_PAGE - 1) / SYN_PAGE;
		hh_buf_printf(b, "<p>%d synonymer%s.</p>\n", total,
			      q && *q ? " passer til søgningen" : " i alt");
		if (pages > 1) {
			hh_buf_puts(b, "<nav aria-label=\"Sider med synonymer\">"
				       "<ul class=\"pager\">");
			for (int k = side - 1; k <= side + 1; k += 2) {
				if (k < 1 || k > pages)
					continue;
				hh_buf_printf(b, "<li><a href=\"/redaktion/synonymer"
						 "?side=%d", k);
				if (q && *q) {
					hh_buf_puts(b, "&amp;q=");
					hh_buf_urlenc(b, q);
				}
				hh_buf_printf(b, "\">%s</a></li>",
					      k < side ? "Forrige side"
						       : "Næste side");
			}
			hh_buf_puts(b, "</ul></nav>\n");
		}
		hh_buf_puts(b, "</section>\n");
	}
	if (may_pin) {
		hh_buf_puts(b, "<section aria-labelledby=\"pins-h\">\n<h2 "
			       "id=\"pins-h\">Fastgjorte artikler i din kommune"
			       "</h2>\n<p>Artiklen vises øverst, når nogen i "
			       "kommunen søger på præcis søgeordet. Har kommunen "
			       "en udgivet lokal version af artiklen, vises den."
			       "</p>\n<div class=\"table-wrap\"><table>\n"
			       "<caption>Fastgjorte søgninger</caption>\n<thead>"
			       "<tr><th scope=\"col\">Søgeord</th><th scope=\""
			       "col\">Vises øverst</th><th scope=\"col\">Fjern"
			       "</th></tr></thead>\n<tbody>\n");
		enum hh_rc rc = hh_pin_list(r->app->store, &who, &r->arena,
					    pin_row_html, r);
		hh_buf_puts(b, "</tbody></table></div>\n");
		if (rc != HH_OK)
			hh_buf_puts(b, "<p class=\"error\" role=\"alert\">"
				       "Fastgørelserne kan ikke vises lige nu."
				       "</p>\n");
		hh_buf_puts(b, "</section>\n");
	}
	hh_page_end(r, 200);
}

/* POST /redaktion/fjern-synonym (id, csrf, and the list's q and side to
 * go back to). */
void hh_page_editor_unsynonym(struct hh_req *r)
{
	struct hh_actor who;
	if (!editor_gate(r, &who))
		return;
	if (!csrf_ok(r)) {
		hh_page_error(r, 403, "Formularen er udløbet",
			      "Formularen er udløbet eller blev sendt fra en "
			      "anden side, så intet blev fjernet. Gå tilbage, "
			      "genindlæs siden og prøv igen.");
		return;
	}
	const char *id_s = hh_req_form(r, "id");
	long long id = id_s ? atoll(id_s) : 0;
	const char *rule = NULL;
	enum hh_rc rc = id > 0 ? hh_synonym_remove(r->app->store, &who,
						   &r->arena, id, &rule)
			       : HH_ERR_NOT_FOUND;
	if (rc == HH_OK || rc == HH_ERR_NOT_FOUND) {
		struct hh_buf b;
		hh_buf_init(&b);
		hh_buf_printf(&b, "/redaktion/synonymer?besked=%s",
			      rc == HH_OK ? "synonym-fjernet"
					  : "synonym-var-fjernet");
		const char *q = hh_req_form(r, "q");
		const char *side = hh_req_form(r, "side");
		if (q && *q) {
			hh_buf_puts(&b, "&q=");
			hh_buf_urlenc(&b, q);
		}
		if (side && atoi(side) > 1)
			hh_buf_printf(&b, "&side=%d", atoi(side));
		hh_resp_redirect(r, 303, hh_arena_strdup(&r->arena,
							 hh_buf_str(&b)));
		hh_buf_clear(&b);
	} else if (rc == HH_ERR_FORBIDDEN) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Kun redaktører af den fælles vidensbase kan "
			      "fjerne synonymer.");
	} else {
		hh_page_error(r, 503, "Prøv igen om lidt",
			      "Synonymet kunne ikke fjernes lige nu.");
	}
}

