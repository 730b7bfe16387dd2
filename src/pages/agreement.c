/* agreement.c - the pages of an agreement signed by both (issue 16,
 * point 4; domain/agreements.h): the agreement on the party's page, on
 * the applicant's case page and on the caseworker's case page, and the
 * signature (POST /mit-overblik/aftale/{id}, CSRF, then back to the page
 * it came from). */
#include "pages/agreement.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/agreements.h"
#include "pages/borger.h"
#include "pages/layout.h"
#include "pages/pages.h"

/* The fields of one version. */
static void fields_html(struct hh_req *r, const struct hh_agreement_text *t)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<dl class=\"facts answers\">\n");
	size_t i;
	json_t *f;
	json_array_foreach(t->fields, i, f)
	{
		hh_buf_puts(b, "<dt>");
		hh_page_text(r, json_string_value(json_object_get(f, "label")));
		hh_buf_puts(b, "</dt><dd>");
		hh_page_text(r, json_string_value(json_object_get(f, "value")));
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "</dl>\n");
}

/* Who signed one version, and when ("Underskrevet af Mette Jensen 6.
 * december 2026 kl. 10.12"). */
static void signatures_html(struct hh_req *r, const struct hh_agreement_text *t)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<ul class=\"signatures\">\n");
	for (int i = 0; i < t->n_signers; i++) {
		const struct hh_agreement_signer *s = &t->signers[i];
		hh_buf_puts(b, "<li>");
		if (s->signed_at) {
			hh_buf_puts(b, "Underskrevet af ");
			hh_page_text(r, s->name ? s->name : s->label);
			if (s->name) {
				hh_buf_puts(b, " (");
				hh_page_text(r, s->label);
				hh_buf_puts(b, ")");
			}
			hh_buf_puts(b, " ");
			hh_buf_puts(b, hh_borger_date(&r->arena, s->signed_at, 1));
		} else {
			hh_page_text(r, s->label);
			hh_buf_puts(b, ": mangler underskrift");
		}
		hh_buf_puts(b, "</li>\n");
	}
	hh_buf_puts(b, "</ul>\n");
}

void hh_page_agreement_section(struct hh_req *r, int64_t case_id)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_agreement g;
	if (hh_agreement_read(r->app->store, &r->arena, &who, case_id, &g, NULL) != HH_OK)
		return; /* no agreement, or not for this reader (the page says why) */
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section id=\"aftale\" class=\"agreement\" "
		       "aria-labelledby=\"aftale-h\">\n<h2 id=\"aftale-h\">");
	hh_page_text(r, g.def->agreement.title);
	hh_buf_puts(b, "</h2>\n");
	const char *done = hh_req_query(r, "underskrevet");
	if (done && !strcmp(done, "1"))
		hh_buf_puts(b, "<p class=\"success\" role=\"status\">Tak. Du har "
			       "underskrevet aftalen.</p>\n");
	else if (done && !strcmp(done, "2"))
		hh_buf_puts(b, "<p class=\"success\" role=\"status\">Du har allerede "
			       "underskrevet denne udgave af aftalen.</p>\n");
	if (g.current.complete)
		hh_buf_puts(b, "<p>Aftalen er underskrevet af alle parter.</p>\n");
	else if (g.may_sign)
		hh_buf_puts(b, "<p class=\"notice\">Aftalen venter på din underskrift. "
			       "Læs hele aftalen, før du underskriver.</p>\n");
	else if (g.c.closed_at)
		hh_buf_puts(b, "<p class=\"notice\">Sagen er lukket, før alle havde "
			       "underskrevet aftalen.</p>\n");
	else
		hh_buf_puts(b, "<p class=\"notice\">Aftalen venter på, at den anden "
			       "part underskriver den.</p>\n");
	if (g.has_signed && !g.current.complete)
		hh_buf_puts(b, "<p>Der er foreslået en ændring af aftalen. Den "
			       "underskrevne udgave gælder, indtil alle har "
			       "underskrevet ændringen.</p>\n");
	hh_buf_printf(b, "<h3>Udgave %d</h3>\n<p class=\"who\">", g.current.v.version);
	const struct hh_ct_party *pd = hh_ct_party(g.def, g.current.v.proposed_by);
	hh_buf_puts(b, g.current.v.version == 1 ? "Udfyldt af " : "Ændret af ");
	hh_page_text(r, pd ? pd->label : "ansøgeren");
	hh_buf_puts(b, " ");
	hh_buf_puts(b, hh_borger_date(&r->arena, g.current.v.proposed_at, 1));
	hh_buf_puts(b, "</p>\n");
	fields_html(r, &g.current);
	signatures_html(r, &g.current);
	if (g.may_sign) {
		hh_buf_printf(b, "<form class=\"form\" method=\"post\" "
				 "action=\"/mit-overblik/aftale/%lld\">\n",
			      (long long)g.c.id);
		hh_borger_csrf_field(r);
		/* the version read: a change since is refused, not signed */
		hh_buf_printf(b, "<input type=\"hidden\" name=\"udgave\" value=\"%d\">\n"
				 "<p>Når du underskriver, gælder din underskrift "
				 "udgave %d, som den står her.</p>\n"
				 "<button type=\"submit\">Underskriv aftalen</button>\n"
				 "</form>\n",
			      g.current.v.version, g.current.v.version);
	}
	if (g.has_signed && !g.current.complete) {
		hh_buf_printf(b, "<details>\n<summary>Den underskrevne aftale "
				 "(udgave %d)</summary>\n",
			      g.last_signed.v.version);
		fields_html(r, &g.last_signed);
		signatures_html(r, &g.last_signed);
		hh_buf_puts(b, "</details>\n");
	}
	hh_buf_puts(b, "</section>\n");
}

/* A refused signature: why, in Danish, and the way back. */
static void refused(struct hh_req *r, int status, const char *why,
		    const char *back)
{
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Aftalen blev ikke underskrevet" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Aftalen blev ikke underskrevet</h1>\n<div class=\"error\" "
		       "role=\"alert\"><p>");
	hh_page_text(r, why);
	hh_buf_puts(b, "</p></div>\n<p><a href=\"");
	hh_page_text(r, back);
	hh_buf_puts(b, "#aftale\">Gå tilbage til aftalen</a></p>\n");
	hh_page_end(r, status);
}

void hh_page_agreement_sign(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	if (!hh_borger_require(r, "/mit-overblik"))
		return;
	if (!id) {
		hh_page_not_found(r);
		return;
	}
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		hh_page_error(r, 403, "Aftalen blev ikke underskrevet",
			      "Sikkerhedsnøglen i formularen passede ikke. Gå "
			      "tilbage, genindlæs siden og prøv igen.");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_agreement g;
	enum hh_agreement_fault fault;
	enum hh_rc rc = hh_agreement_read(r->app->store, &r->arena, &who, id, &g, &fault);
	if (rc == HH_ERR_FORBIDDEN && fault == HH_AGR_ASSURANCE) {
		refused(r, 403, hh_agreement_fault_text(fault), "/mit-overblik");
		return;
	}
	if (rc == HH_ERR_NOT_FOUND || rc == HH_ERR_FORBIDDEN || (rc == HH_OK && !g.me)) {
		hh_page_not_found(r);
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Aftalen blev ikke underskrevet",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
		return;
	}
	const char *back = hh_arena_printf(&r->arena, "/mit-overblik/%s/%lld",
					   !strcmp(g.me, "applicant") ? "sag" : "part",
					   (long long)id);
	const char *udgave = hh_req_form(r, "udgave");
	char *end = NULL;
	long version = udgave && *udgave ? strtol(udgave, &end, 10) : 0;
	if (!end || *end || version <= 0 || version > 1000000) {
		refused(r, 422, "Vi kunne ikke se, hvilken udgave af aftalen du "
				"underskrev. Gå tilbage, og prøv igen.",
			back);
		return;
	}
	rc = hh_agreement_sign(r->app->store, &r->arena, &who, id, (int)version, &fault);
	if (rc == HH_ERR_CONFLICT && fault == HH_AGR_SIGNED) {
		/* sent twice (a double click): the first one got through */
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "%s?underskrevet=2#aftale",
							 back));
		return;
	}
	if (rc == HH_ERR_CONFLICT || (rc == HH_ERR_FORBIDDEN && fault == HH_AGR_ASSURANCE)) {
		refused(r, rc == HH_ERR_CONFLICT ? 409 : 403, hh_agreement_fault_text(fault),
			back);
		return;
	}
	if (rc == HH_ERR_NOT_FOUND || rc == HH_ERR_FORBIDDEN) {
		hh_page_not_found(r);
		return;
	}
	if (rc != HH_OK) {
		refused(r, 503, "Vi kunne ikke gemme din underskrift lige nu. Prøv igen "
				"om lidt.",
			back);
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "%s?underskrevet=1#aftale",
						 back));
}
