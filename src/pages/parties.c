/* parties.c - the pages of the other party to a case (issue 16,
 * domain/parties.h): the invitations in Mit overblik, the case as that
 * party sees it (/mit-overblik/part/{id}) and their answer, and the
 * parties on the applicant's own case page. */
#include "pages/parties.h"

#include <string.h>

#include "core/util.h"
#include "domain/parties.h"
#include "pages/agreement.h"
#include "pages/borger.h"
#include "pages/layout.h"
#include "pages/pages.h"

static void party_dates(struct hh_req *r, const struct hh_invitation *v)
{
	struct hh_buf *b = &r->resp;
	if (!strcmp(v->status, "invited") && v->party.expires_at && !v->c.closed_at) {
		hh_buf_puts(b, "<dt>Svarfrist</dt><dd>Svar senest ");
		/* with the clock: it runs out at the submission's time of day */
		hh_buf_puts(b, hh_borger_date(&r->arena, v->party.expires_at, 1));
		hh_buf_puts(b, "</dd>\n");
	} else if (v->party.answered_at && v->def && v->def->agreement.present &&
		   !strcmp(v->status, "confirmed")) {
		/* p-agree: confirmed when both had signed the agreement */
		hh_buf_puts(b, "<dt>Aftalen</dt><dd>Underskrevet af begge ");
		hh_buf_puts(b, hh_borger_date(&r->arena, v->party.answered_at, 1));
		hh_buf_puts(b, "</dd>\n");
	} else if (v->party.answered_at) {
		hh_buf_puts(b, "<dt>Dit svar</dt><dd>");
		hh_page_text(r, hh_party_status_label(v->status));
		hh_buf_puts(b, " ");
		hh_buf_puts(b, hh_borger_date(&r->arena, v->party.answered_at, 0));
		hh_buf_puts(b, "</dd>\n");
	} else {
		hh_buf_puts(b, "<dt>Dit svar</dt><dd>");
		hh_page_text(r, hh_party_status_label(v->status));
		hh_buf_puts(b, "</dd>\n");
	}
}

/* p-letters: the letters of the case addressed to this party, each a
 * link to it in their inbox (Mit overblik, Digital Post) */
static void party_letters(struct hh_req *r, const struct hh_invitation *v,
			  int heading)
{
	if (!json_array_size(v->letters))
		return;
	struct hh_buf *b = &r->resp;
	if (heading)
		hh_buf_puts(b, "<h2>Breve til dig i sagen</h2>\n");
	hh_buf_puts(b, "<ul class=\"letters\">\n");
	size_t i;
	json_t *l;
	json_array_foreach(v->letters, i, l)
	{
		hh_buf_printf(b, "<li><a href=\"/mit-overblik/post/%lld\">",
			      (long long)json_integer_value(json_object_get(l, "id")));
		hh_page_text(r, json_string_value(json_object_get(l, "title")));
		hh_buf_puts(b, "</a></li>\n");
	}
	hh_buf_puts(b, "</ul>\n");
}

static int may_answer(const struct hh_invitation *v)
{
	return !strcmp(v->status, "invited") && !v->c.closed_at &&
	       v->def->confirm_state && !strcmp(v->c.state, v->def->confirm_state);
}

void hh_page_overview_invitations(struct hh_req *r, const struct hh_overview *m)
{
	if (!m->n_invitations)
		return;
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section aria-labelledby=\"parter\">\n"
		       "<h2 id=\"parter\">Sager, hvor du er part</h2>\n"
		       "<p>En anden har nævnt dig i en ansøgning. Se, hvad der "
		       "står om dig");
	int to_answer = 0;
	for (int i = 0; i < m->n_invitations; i++)
		to_answer |= may_answer(&m->invitations[i]);
	/* a party who never confirms is not told to answer */
	hh_buf_puts(b, to_answer ? ", og svar med dit eget log-in.</p>\n"
				 : ".</p>\n");
	hh_buf_puts(b, "<ul class=\"cases\">\n");
	for (int i = 0; i < m->n_invitations; i++) {
		const struct hh_invitation *v = &m->invitations[i];
		hh_buf_printf(b, "<li class=\"case%s\">\n<h3><a href=\"/mit-overblik/"
				 "part/%lld\">",
			      may_answer(v) ? " waiting" : "", (long long)v->c.id);
		hh_page_text(r, v->c.case_type_name);
		hh_buf_puts(b, "</a></h3>\n<dl class=\"facts\">\n<dt>Ansøger</dt><dd>");
		hh_page_text(r, v->applicant ? v->applicant : "Ukendt");
		hh_buf_puts(b, "</dd>\n<dt>Du er</dt><dd>");
		hh_page_text(r, hh_invitation_label(v));
		hh_buf_puts(b, "</dd>\n<dt>Status</dt><dd>");
		hh_page_text(r, hh_invitation_state_label(v));
		hh_buf_puts(b, "</dd>\n");
		party_dates(r, v);
		hh_buf_puts(b, "</dl>\n");
		if (may_answer(v) && v->def->agreement.present) /* p-agree */
			hh_buf_printf(b, "<p><a href=\"/mit-overblik/part/%lld#aftale\">"
					 "Læs aftalen, og skriv under</a></p>\n",
				      (long long)v->c.id);
		else if (may_answer(v))
			hh_buf_printf(b, "<p><a href=\"/mit-overblik/part/%lld\">Se "
					 "ansøgningen, og svar</a></p>\n",
				      (long long)v->c.id);
		party_letters(r, v, 0);
		hh_buf_puts(b, "</li>\n");
	}
	hh_buf_puts(b, "</ul>\n</section>\n");
}

void hh_page_case_parties(struct hh_req *r, const struct hh_case_type_def *def,
			  const struct hh_case *k, json_t *parties)
{
	if (!json_array_size(parties))
		return;
	struct hh_buf *b = &r->resp;
	/* p-agree: an agreement is signed, not confirmed */
	int agreement = def && def->agreement.present;
	/* (an agreement's section says whose signature it waits for) */
	if (def && def->confirm_state && !strcmp(k->state, def->confirm_state) &&
	    !k->closed_at && !agreement)
		hh_buf_puts(b, "<p class=\"notice\">Sagen venter på, at den anden "
			       "part bekræfter med sit eget log-in. Fristen for "
			       "sagen er sat i bero så længe.</p>\n");
	if (def && def->declined_state && !strcmp(k->state, def->declined_state))
		hh_buf_puts(b, agreement
				       ? "<p class=\"notice\">Sagen er lukket, fordi den "
					 "anden part ikke underskrev aftalen. I kan lave "
					 "en ny aftale, når I er enige.</p>\n"
				       : "<p class=\"notice\">Sagen er lukket, fordi den "
					 "anden part ikke bekræftede den. Du kan søge "
					 "igen, når I er enige.</p>\n");
	hh_buf_puts(b, "<h2>Parter i sagen</h2>\n<dl class=\"facts\">\n");
	size_t i;
	json_t *p;
	json_array_foreach(parties, i, p)
	{
		hh_buf_puts(b, "<dt>");
		hh_page_text(r, json_string_value(json_object_get(p, "label")));
		hh_buf_puts(b, "</dt><dd>");
		const char *name = json_string_value(json_object_get(p, "name"));
		if (name) {
			hh_page_text(r, name);
			hh_buf_puts(b, ": ");
		}
		hh_page_text(r, json_string_value(json_object_get(p, "status_label")));
		hh_buf_puts(b, "</dd>\n");
	}
	hh_buf_puts(b, "</dl>\n");
}

/* ---- /mit-overblik/part/{id} ------------------------------------------- */

static void party_page(struct hh_req *r, int64_t id, int status,
		       const char *notice)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_invitation v;
	enum hh_rc rc = hh_invitation_read(r->app->store, &r->arena, &who, id, &v);
	if (rc == HH_ERR_NOT_FOUND || rc == HH_ERR_FORBIDDEN) {
		hh_page_not_found(r);
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Siden kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
		return;
	}
	const char *q = hh_req_query(r, "besvaret");
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = v.c.case_type_name };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
		       "<li><a href=\"/\">Forside</a></li><li><a href=\"/mit-overblik\">"
		       "Mit overblik</a></li><li aria-current=\"page\">");
	hh_page_text(r, v.c.case_type_name);
	hh_buf_puts(b, "</li></ol></nav>\n<h1>");
	hh_page_text(r, v.c.case_type_name);
	hh_buf_puts(b, "</h1>\n");
	if (q && !strcmp(q, "1") && !notice)
		hh_buf_puts(b, "<p class=\"success\" role=\"status\">Tak. Dit svar er "
			       "sendt.</p>\n");
	if (notice) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>");
		hh_page_text(r, notice);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<p class=\"lead\">");
	hh_page_text(r, v.applicant ? v.applicant : "En borger");
	hh_buf_puts(b, " har sendt en ansøgning til ");
	hh_page_text(r, v.c.org_name);
	hh_buf_puts(b, " og nævnt dig som part i sagen.</p>\n<dl class=\"facts\">\n"
		       "<dt>Din rolle</dt><dd>");
	hh_page_text(r, hh_invitation_label(&v));
	hh_buf_puts(b, "</dd>\n<dt>Status</dt><dd>");
	hh_page_text(r, hh_invitation_state_label(&v));
	hh_buf_puts(b, "</dd>\n");
	party_dates(r, &v);
	hh_buf_puts(b, "</dl>\n");
	party_letters(r, &v, 1);
	if (!strcmp(v.status, "expired"))
		hh_buf_puts(b, "<p class=\"notice\">Du svarede ikke inden fristen, så "
			       "sagen er lukket.</p>\n");
	else if (!strcmp(v.status, "withdrawn"))
		hh_buf_puts(b, "<p class=\"notice\">Sagen blev lukket, før du "
			       "svarede. Du skal ikke gøre mere.</p>\n");
	else if (v.c.closed_at && !strcmp(v.status, "invited"))
		hh_buf_puts(b, "<p class=\"notice\">Sagen venter ikke længere på dit "
			       "svar, fordi den er lukket.</p>\n");
	/* what the applicant wrote that concerns this party: the shared
	 * fields only, to a party signed in at level substantial or high;
	 * none when the case type no longer declares the role */
	if (v.low_assurance)
		hh_buf_puts(b, "<p class=\"notice\">Ansøgningen handler om "
			       "CPR-numre. Log ind med MitID på betydeligt eller "
			       "højt sikringsniveau for at se, hvad ansøgeren "
			       "skrev, og for at svare.</p>\n");
	else if (!v.decl)
		hh_buf_puts(b, "<p class=\"notice\">Sagstypen er blevet ændret, så "
			       "vi kan ikke vise dig, hvad ansøgeren skrev om "
			       "jer.</p>\n");
	else if (json_array_size(v.shared)) {
		hh_buf_puts(b, "<h2>Det står der om jer i ansøgningen</h2>\n<p>Det "
			       "skrev ");
		hh_page_text(r, v.applicant ? v.applicant : "ansøgeren");
		hh_buf_puts(b, ":</p>\n<dl class=\"facts answers\">\n");
		size_t i;
		json_t *f;
		json_array_foreach(v.shared, i, f)
		{
			hh_buf_puts(b, "<dt>");
			hh_page_text(r, json_string_value(json_object_get(f, "label")));
			hh_buf_puts(b, "</dt><dd>");
			hh_page_text(r, json_string_value(json_object_get(f, "value")));
			hh_buf_puts(b, "</dd>\n");
		}
		hh_buf_puts(b, "</dl>\n");
	}
	/* p-agree: an agreement is confirmed by signing it; a decline is
	 * still an answer */
	int agreement = v.def && v.def->agreement.present;
	if (agreement && !v.low_assurance)
		hh_page_agreement_section(r, id);
	if (agreement && may_answer(&v) && !v.low_assurance) {
		hh_buf_printf(b, "<section id=\"svar\" aria-labelledby=\"svar-h\">\n"
				 "<h2 id=\"svar-h\">Hvis du ikke vil være med</h2>\n"
				 "<p>Er du ikke enig i aftalen, kan du afvise den. "
				 "Så bliver sagen lukket, og ansøgeren får "
				 "besked.</p>\n<form class=\"form\" method=\"post\" "
				 "action=\"/mit-overblik/part/%lld\">\n",
			      (long long)id);
		hh_borger_csrf_field(r);
		hh_buf_puts(b, "<button type=\"submit\" name=\"svar\" value=\"afvis\" "
			       "class=\"secondary\">Jeg afviser aftalen</button>\n"
			       "</form>\n</section>\n");
	} else if (may_answer(&v) && !v.low_assurance) {
		hh_buf_printf(b, "<section id=\"svar\" aria-labelledby=\"svar-h\">\n"
				 "<h2 id=\"svar-h\">Dit svar</h2>\n<p>Bekræfter du "
				 "ansøgningen, kan sagen gå videre. Afviser du, "
				 "bliver sagen lukket, og ansøgeren får "
				 "besked.</p>\n"
				 "<form class=\"form\" method=\"post\" "
				 "action=\"/mit-overblik/part/%lld\">\n",
			      (long long)id);
		hh_borger_csrf_field(r);
		hh_buf_puts(b, "<button type=\"submit\" name=\"svar\" value=\"bekraeft\">"
			       "Jeg bekræfter ansøgningen</button>\n<button type=\"submit\" "
			       "name=\"svar\" value=\"afvis\" class=\"secondary\">"
			       "Jeg afviser ansøgningen</button>\n</form>\n</section>\n");
	}
	hh_page_end(r, status);
}

void hh_page_party(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	const char *self = hh_arena_printf(&r->arena, "/mit-overblik/part/%lld",
					   (long long)id);
	if (!hh_borger_require(r, id ? self : "/mit-overblik"))
		return;
	if (!id) {
		hh_page_not_found(r);
		return;
	}
	party_page(r, id, 200, NULL);
}

void hh_page_party_answer(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	const char *self = hh_arena_printf(&r->arena, "/mit-overblik/part/%lld",
					   (long long)id);
	if (!hh_borger_require(r, id ? self : "/mit-overblik"))
		return;
	if (!id) {
		hh_page_not_found(r);
		return;
	}
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		hh_page_csrf_refused(r, "Dit svar blev ikke sendt");
		return;
	}
	const char *svar = hh_req_form(r, "svar");
	int confirm = svar && !strcmp(svar, "bekraeft");
	if (!confirm && (!svar || strcmp(svar, "afvis"))) {
		party_page(r, id, 422, "Vælg, om du bekræfter eller afviser.");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_case c;
	enum hh_party_fault fault;
	enum hh_rc rc = hh_party_answer(r->app->store, &r->arena, &who, id, confirm,
					&c, &fault);
	if (rc == HH_ERR_FORBIDDEN && fault == HH_PARTY_ASSURANCE) {
		party_page(r, id, 403, "Dit svar blev ikke sendt. Log ind med MitID "
				       "på betydeligt eller højt sikringsniveau for "
				       "at svare.");
		return;
	}
	if (rc == HH_ERR_NOT_FOUND || rc == HH_ERR_FORBIDDEN) {
		hh_page_not_found(r);
		return;
	}
	if (rc == HH_ERR_CONFLICT && fault == HH_PARTY_ANSWERED) {
		/* sent twice (a double click): the first one got through */
		struct hh_invitation v;
		if (hh_invitation_read(r->app->store, &r->arena, &who, id, &v) == HH_OK &&
		    !strcmp(v.status, confirm ? "confirmed" : "declined")) {
			hh_resp_redirect(r, 303, hh_arena_printf(
						 &r->arena, "/mit-overblik/part/%lld?besvaret=1",
						 (long long)id));
			return;
		}
	}
	if (rc == HH_ERR_CONFLICT && fault == HH_PARTY_SIGN) { /* p-agree */
		party_page(r, id, 409, "Aftalen skal underskrives. Brug knappen "
				       "»Underskriv aftalen«.");
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		party_page(r, id, 409,
			   fault == HH_PARTY_ANSWERED
				   ? "Du har allerede svaret. Dit første svar gælder."
			   : fault == HH_PARTY_EXPIRED
				   ? "Fristen for at svare er udløbet, og sagen er lukket."
				   : "Sagen venter ikke længere på dit svar, fordi den "
				     "er lukket.");
		return;
	}
	if (rc != HH_OK) {
		party_page(r, id, 503, "Vi kunne ikke gemme dit svar lige nu. Prøv "
				       "igen om lidt.");
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
						 "/mit-overblik/part/%lld?besvaret=1",
						 (long long)id));
}
