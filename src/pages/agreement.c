/* agreement.c - the pages of an agreement signed by both (issue 16,
 * point 4; domain/agreements.h): the agreement on the party's page, on
 * the applicant's case page and on the caseworker's case page, and the
 * signature (POST /mit-overblik/aftale/{id}, CSRF, then back to the page
 * it came from). */
#include "pages/agreement.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/util.h"
#include "domain/agreements.h"
#include "pages/borger.h"
#include "pages/layout.h"
#include "pages/pages.h"

/* A role's label inside a sentence: its first letter lower-cased ("Den
 * anden forælder" -> "den anden forælder"), into a. */
static const char *in_sentence(struct hh_arena *a, const char *label)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)label, -1, &cp);
	if (n <= 0)
		return label;
	utf8proc_uint8_t first[4];
	utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), first);
	return hh_arena_printf(a, "%.*s%s", (int)m, (const char *)first, label + n);
}

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
			hh_page_text(r, s->name ? s->name : in_sentence(&r->arena, s->label));
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
	const char *changed = hh_req_query(r, "aendret");
	if (changed && !strcmp(changed, "1"))
		hh_buf_puts(b, "<p class=\"success\" role=\"status\">Tak. Din ændring "
			       "er gemt, og du har underskrevet den nye udgave. Den "
			       "anden part skal underskrive den, før den gælder.</p>\n");
	if (g.current.complete)
		hh_buf_puts(b, "<p>Aftalen er underskrevet af alle parter.</p>\n");
	else if (g.may_sign)
		hh_buf_puts(b, "<p class=\"notice\">Aftalen venter på din underskrift. "
			       "Læs hele aftalen, før du underskriver.</p>\n");
	else if (g.c.closed_at)
		hh_buf_puts(b, "<p class=\"notice\">Sagen er lukket, før alle havde "
			       "underskrevet aftalen.</p>\n");
	else if (g.def->confirm_state && !strcmp(g.c.state, g.def->confirm_state))
		hh_buf_puts(b, "<p class=\"notice\">Aftalen venter på, at den anden "
			       "part underskriver den. Fristen for sagen er sat i "
			       "bero så længe.</p>\n");
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
	hh_page_text(r, pd ? in_sentence(&r->arena, pd->label) : "ansøgeren");
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
				 "<input type=\"hidden\" name=\"tekst\" value=\"%s\">\n"
				 "<p>Når du underskriver, gælder din underskrift "
				 "udgave %d, som den står her.</p>\n"
				 "<button type=\"submit\">Underskriv aftalen</button>\n"
				 "</form>\n",
			      g.current.v.version, g.current.v.hash, g.current.v.version);
	}
	if (g.may_change)
		hh_buf_printf(b, "<p><a href=\"/mit-overblik/aftale/%lld/aendring\">"
				 "Foreslå en ændring af aftalen</a></p>\n",
			      (long long)g.c.id);
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

/* The start of a signer's post about agreement {id}: signed in as a
 * citizen, an id, the form's csrf (else the page says heading). The id,
 * or 0 when the response is written. */
static int64_t signer_post(struct hh_req *r, const char *heading)
{
	int64_t id = hh_req_id(r, "id", NULL);
	if (!hh_borger_require(r, "/mit-overblik"))
		return 0;
	if (!id) {
		hh_page_not_found(r);
		return 0;
	}
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		hh_page_csrf_refused(r, heading);
		return 0;
	}
	return id;
}

void hh_page_agreement_sign(struct hh_req *r)
{
	int64_t id = signer_post(r, "Aftalen blev ikke underskrevet");
	if (!id)
		return;
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
	/* r-agree: the hash of the text read (the form's "tekst"), when
	 * the form sent it */
	const char *tekst = hh_req_form(r, "tekst");
	rc = hh_agreement_sign(r->app->store, &r->arena, &who, id, (int)version,
			       tekst && *tekst ? tekst : NULL, &fault);
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

/* ---- a change: /mit-overblik/aftale/{id}/aendring ------------------------ */

/* The signer's own page, where the agreement is shown. */
static const char *back_of(struct hh_req *r, const struct hh_agreement *g)
{
	return hh_arena_printf(&r->arena, "/mit-overblik/%s/%lld",
			       g->me && !strcmp(g->me, "applicant") ? "sag" : "part",
			       (long long)g->c.id);
}

/* The current version's values as the form shows them (text by name). */
static json_t *values_of(struct hh_req *r, const struct hh_agreement *g)
{
	json_t *out = json_object();
	hh_arena_defer(&r->arena, hh_json_release, out);
	json_error_t e;
	json_t *content = json_loads(g->current.v.content, 0, &e);
	for (int i = 0; content && i < g->def->agreement.n_fields; i++) {
		const struct hh_form_field *f = hh_form_field(&g->def->form_def,
							      g->def->agreement.fields[i]);
		json_t *v = json_object_get(content, f->name);
		const char *text = v ? hh_field_ops[f->type].coerce(&r->arena, v) : NULL;
		if (text)
			json_object_set_new(out, f->name, json_string(text));
	}
	json_decref(content);
	return out;
}

static void change_page(struct hh_req *r, const struct hh_agreement *g,
			json_t *values, const struct hh_form_result *res,
			const char *notice, int status)
{
	const char *back = back_of(r, g);
	const struct hh_form *form = &g->def->form_def;
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Foreslå en ændring af aftalen" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li><li><a href=\"/mit-overblik\">"
		       "Mit overblik</a></li><li><a href=\"");
	hh_page_text(r, back);
	hh_buf_puts(b, "\">");
	hh_page_text(r, g->c.case_type_name);
	hh_buf_puts(b, "</a></li><li aria-current=\"page\">Foreslå en ændring</li>"
		       "</ol></nav>\n");
	if (res && res->n_errors) {
		hh_buf_puts(b, "<div class=\"error-summary\" role=\"alert\" "
			       "aria-labelledby=\"fejl-h\" tabindex=\"-1\">\n"
			       "<h2 id=\"fejl-h\">Der er et problem</h2>\n<p>Ret det "
			       "markerede, og send igen. Det, du har skrevet, er "
			       "ikke gået tabt.</p>\n<ul>\n");
		for (int i = 0; i < res->n_errors; i++) {
			const struct hh_form_field *f = hh_form_field(form, res->errors[i].field);
			hh_buf_printf(b, "<li><a href=\"#%s\">",
				      f ? hh_borger_field_anchor(&r->arena, f) : "aendring");
			if (f) {
				hh_page_text(r, f->label);
				hh_buf_puts(b, ": ");
			}
			hh_page_text(r, res->errors[i].message);
			hh_buf_puts(b, "</a></li>\n");
		}
		hh_buf_puts(b, "</ul>\n</div>\n");
	}
	if (notice) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>");
		hh_page_text(r, notice);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<h1>Foreslå en ændring af aftalen</h1>\n<p class=\"lead\">Ret "
		       "det, I skal aftale anderledes. Når du sender ændringen, "
		       "underskriver du den nye udgave, og den anden part skal "
		       "underskrive den, før den gælder.");
	if (g->current.complete || g->has_signed)
		hh_buf_puts(b, " Indtil da gælder den udgave, I begge har "
			       "underskrevet.");
	hh_buf_printf(b, "</p>\n<form id=\"aendring\" class=\"form\" method=\"post\" "
			 "action=\"/mit-overblik/aftale/%lld/aendring\" novalidate>\n",
		      (long long)g->c.id);
	hh_borger_csrf_field(r);
	hh_buf_printf(b, "<input type=\"hidden\" name=\"udgave\" value=\"%d\">\n",
		      g->current.v.version);
	for (int i = 0; i < g->def->agreement.n_fields; i++)
		hh_borger_form_field(r, g->def, hh_form_field(form, g->def->agreement.fields[i]),
				     values, res);
	hh_buf_puts(b, "<button type=\"submit\">Send ændringen, og underskriv "
		       "den</button>\n</form>\n<p><a href=\"");
	hh_page_text(r, back);
	hh_buf_puts(b, "#aftale\">Fortryd, og gå tilbage til aftalen</a></p>\n");
	hh_page_end(r, status);
}

/* The agreement of case id for the signed-in signer, or a page saying
 * why not (then 0). */
static int signer_agreement(struct hh_req *r, int64_t id, struct hh_agreement *g)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	enum hh_agreement_fault fault;
	enum hh_rc rc = hh_agreement_read(r->app->store, &r->arena, &who, id, g, &fault);
	if (rc == HH_ERR_FORBIDDEN && fault == HH_AGR_ASSURANCE) {
		refused(r, 403, hh_agreement_fault_text(fault), "/mit-overblik");
		return 0;
	}
	if (rc == HH_ERR_NOT_FOUND || rc == HH_ERR_FORBIDDEN || (rc == HH_OK && !g->me)) {
		hh_page_not_found(r);
		return 0;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Siden kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
		return 0;
	}
	return 1;
}

void hh_page_agreement_change(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	const char *self = hh_arena_printf(&r->arena, "/mit-overblik/aftale/%lld/aendring",
					   (long long)id);
	if (!hh_borger_require(r, id ? self : "/mit-overblik"))
		return;
	struct hh_agreement g;
	if (!id) {
		hh_page_not_found(r);
		return;
	}
	if (!signer_agreement(r, id, &g))
		return;
	if (!g.may_change) {
		refused(r, 409, "Sagen er lukket, så aftalen kan ikke længere ændres.",
			back_of(r, &g));
		return;
	}
	change_page(r, &g, values_of(r, &g), NULL, NULL, 200);
}

void hh_page_agreement_change_post(struct hh_req *r)
{
	int64_t id = signer_post(r, "Ændringen blev ikke gemt");
	if (!id)
		return;
	struct hh_agreement g;
	if (!signer_agreement(r, id, &g))
		return;
	const char *back = back_of(r, &g);
	const char *udgave = hh_req_form(r, "udgave");
	char *end = NULL;
	long base = udgave && *udgave ? strtol(udgave, &end, 10) : 0;
	if (!end || *end || base <= 0 || base > 1000000) {
		refused(r, 422, "Vi kunne ikke se, hvilken udgave af aftalen du ændrede. "
				"Gå tilbage, og prøv igen.",
			back);
		return;
	}
	/* what was sent of the agreement's fields, as text; a choice left
	 * unanswered keeps its value, an emptied text is emptied */
	json_t *fields = json_object();
	hh_arena_defer(&r->arena, hh_json_release, fields);
	for (int i = 0; i < g.def->agreement.n_fields; i++) {
		const char *v = hh_req_form(r, g.def->agreement.fields[i]);
		if (v && hh_utf8_valid(v, strlen(v)))
			json_object_set_new(fields, g.def->agreement.fields[i], json_string(v));
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_form_result res;
	enum hh_agreement_fault fault;
	enum hh_rc rc = hh_agreement_change(r->app->store, &r->arena, &who, id, (int)base,
					    fields, &res, NULL, &fault);
	json_decref(res.values);
	res.values = NULL;
	if (rc == HH_ERR_INVALID && res.n_errors) {
		json_t *shown = values_of(r, &g);
		json_object_update(shown, fields);
		change_page(r, &g, shown, &res, NULL, 422);
		return;
	}
	if (rc == HH_ERR_INVALID && fault == HH_AGR_UNCHANGED) {
		change_page(r, &g, fields, NULL, hh_agreement_fault_text(fault), 422);
		return;
	}
	if (rc == HH_ERR_CONFLICT && fault == HH_AGR_STALE) {
		/* r-agree: the reader was changing it, not signing */
		refused(r, 409, "Aftalen er ændret, siden du åbnede den. Læs den nye "
				"udgave, før du foreslår en ændring.",
			back);
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
		refused(r, 503, "Vi kunne ikke gemme din ændring lige nu. Prøv igen om "
				"lidt.",
			back);
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "%s?aendret=1#aftale", back));
}
