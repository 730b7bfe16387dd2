/* letters.c - the caseworker's letter pages: compose a letter on a case
 * (the merged letter as a preview, the free parts, "Send afgørelsen"),
 * one letter with its actions (send a draft, approve or return with four
 * eyes), the PDF, the list of letters awaiting approval, and the letters
 * section of the case page.
 *
 * Complete without JavaScript: every action is a POST form with the
 * session's CSRF token and the version seen; the pages call the same
 * domain functions as the API (domain/letters.h). */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/catalogue.h"
#include "domain/letters.h"
#include "pages/layout.h"

/* The signed-in staff member who works cases, or NULL with the response
 * (sign in, or 403) queued. */
static const struct hh_principal *gate(struct hh_req *r, struct hh_actor *who)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER) {
		hh_resp_redirect(r, 303, "/log-ind");
		return NULL;
	}
	hh_actor_of(r, who);
	if (!hh_case_works(who)) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Breve på sager er for sagsbehandlere og ledere. Din "
			      "rolle giver ikke adgang til sager.");
		return NULL;
	}
	return w;
}

static void unavailable(struct hh_req *r, enum hh_rc rc, const char *what)
{
	if (rc == HH_ERR_NOT_FOUND)
		hh_page_error(r, 404, hh_arena_printf(&r->arena, "%s findes ikke", what),
			      "Vi kunne ikke finde det hos din organisation. Gå "
			      "tilbage til sagerne.");
	else if (rc == HH_ERR_FORBIDDEN)
		hh_page_error(r, 403, "Ingen adgang",
			      "Din rolle giver ikke adgang til den handling.");
	else
		hh_page_error(r, 503, "Siden kan ikke vises lige nu",
			      "Der opstod en fejl hos os. Prøv igen om lidt.");
}

/* A form text: NULL when absent; *bad when it is not text we take. */
static const char *form_text(struct hh_req *r, const char *name, int *bad)
{
	const char *s = hh_req_form(r, name);
	if (s && (!hh_utf8_valid(s, strlen(s)) || strlen(s) > HH_LETTER_FREE_MAX)) {
		*bad = 1;
		return NULL;
	}
	return s;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

static int64_t form_int(struct hh_req *r, const char *name)
{
	const char *s = hh_req_form(r, name);
	char *end = NULL;
	long long v = s && *s ? strtoll(s, &end, 10) : 0;
	return end && !*end && v > 0 ? v : 0;
}

static void csrf_field(struct hh_req *r, const struct hh_principal *w)
{
	hh_buf_puts(&r->resp, "<input type=\"hidden\" name=\"csrf\" value=\"");
	hh_page_text(r, w->csrf);
	hh_buf_puts(&r->resp, "\">\n");
}

static void error_box(struct hh_req *r, const char *error)
{
	if (!error)
		return;
	hh_buf_puts(&r->resp, "<div class=\"error\" role=\"alert\" id=\"fejl\"><p>");
	hh_page_text(r, error);
	hh_buf_puts(&r->resp, "</p></div>\n");
}

/* ---- compose -------------------------------------------------------------- */

struct compose {
	int64_t case_id, version;
	const char *to, *kind, *justification, *text;
	const char *error, *field; /* the field the error is about */
};

static void free_part(struct hh_req *r, const struct compose *c, const char *name,
		      const char *id, const char *label, const char *hint,
		      int required, const char *value)
{
	struct hh_buf *b = &r->resp;
	int bad = c->field && !strcmp(c->field, name);
	hh_buf_printf(b, "<div class=\"field%s\">\n<label for=\"%s\">", bad ? " invalid" : "",
		      id);
	hh_page_text(r, label);
	hh_buf_printf(b, "</label>\n<p class=\"hint\" id=\"%s-hint\">", id);
	hh_page_text(r, hint);
	hh_buf_puts(b, "</p>\n");
	if (bad) {
		hh_buf_printf(b, "<p class=\"field-error\" id=\"%s-fejl\">", id);
		hh_page_text(r, c->error);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_printf(b, "<textarea id=\"%s\" name=\"%s\" rows=\"6\" maxlength=\"%d\" "
			 "aria-describedby=\"%s-hint%s%s\"%s%s>",
		      id, name, HH_LETTER_FREE_MAX, id, bad ? " " : "",
		      bad ? hh_arena_printf(&r->arena, "%s-fejl", id) : "",
		      required ? " required" : "", bad ? " aria-invalid=\"true\"" : "");
	hh_page_text(r, value ? value : "");
	hh_buf_puts(b, "</textarea>\n</div>\n");
}

static const char *field_error(const char *field)
{
	if (!strcmp(field, "justification"))
		return "Skriv begrundelsen for afgørelsen. Borgeren har krav på at "
		       "vide, hvorfor afgørelsen blev, som den blev.";
	if (!strcmp(field, "text"))
		return "Teksten er for lang.";
	if (!strcmp(field, "decision"))
		return "Sagen kan ikke få den afgørelse fra sin nuværende tilstand. "
		       "Gå tilbage til sagen, og se hvad der er muligt nu.";
	if (!strcmp(field, "kind"))
		return "Der findes ingen brevskabelon til den afgørelse.";
	if (!strcmp(field, "case_id"))
		return "Sagen har ingen borger at skrive til.";
	return "Brevet kan ikke sendes sådan.";
}

static void render_compose(struct hh_req *r, const struct hh_principal *w,
			   struct compose *c, int status)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_letter_input in = { .case_id = c->case_id, .decision = c->to,
				      .kind = c->kind, .justification = c->justification,
				      .text = c->text };
	struct hh_letter l;
	struct hh_letter_context ctx;
	struct hh_buf html;
	hh_buf_init(&html);
	const char *field = NULL;
	enum hh_rc rc = hh_letter_preview(r->app->store, &r->arena, &who, &in, &l, &html,
					  &ctx, &field);
	if (rc != HH_OK && rc != HH_ERR_INVALID) {
		hh_buf_clear(&html);
		unavailable(r, rc, "Sagen");
		return;
	}
	if (rc == HH_ERR_INVALID && !c->error) {
		c->field = field;
		c->error = field_error(field ? field : "");
		status = 409;
	}
	if (!c->version)
		c->version = ctx.case_version;
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = hh_arena_printf(&r->arena, "Brev på sag %lld",
						      (long long)c->case_id) };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<div class=\"casework letter-compose\">\n"
			 "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
			 "<li><a href=\"/sagsbehandling\">Sager</a></li>"
			 "<li><a href=\"/sagsbehandling/sag/%lld\">Sag %lld</a></li>"
			 "<li aria-current=\"page\">Brev</li></ol></nav>\n<h1>",
		      (long long)c->case_id, (long long)c->case_id);
	if (rc == HH_OK) {
		hh_page_text(r, hh_letter_kind_da(l.kind));
		hh_buf_puts(b, ": ");
		hh_page_text(r, l.title);
	} else {
		hh_buf_puts(b, "Brev til borgeren");
	}
	hh_buf_puts(b, "</h1>\n");
	error_box(r, c->error);
	int decides = c->to && ctx.decision_label;
	if (rc == HH_OK) {
		hh_buf_puts(b, "<p class=\"lead\">");
		if (decides && ctx.four_eyes) {
			hh_buf_puts(b, "Sagstypen kræver, at en anden sagsbehandler "
				       "godkender brevet. Afgørelsen »");
			hh_page_text(r, ctx.decision_label);
			hh_buf_puts(b, "« bliver registreret, og brevet sendt til "
				       "borgeren, når brevet er godkendt.");
		} else if (decides) {
			hh_buf_puts(b, "Når du sender, bliver afgørelsen »");
			hh_page_text(r, ctx.decision_label);
			hh_buf_puts(b, "« registreret på sagen, og brevet sendt til "
				       "borgeren i samme handling.");
		} else if (ctx.four_eyes) {
			hh_buf_puts(b, "Sagstypen kræver, at en anden sagsbehandler "
				       "godkender brevet, før det sendes.");
		} else {
			hh_buf_puts(b, "Brevet sendes til borgeren, når du trykker "
				       "send.");
		}
		hh_buf_puts(b, "</p>\n");
		hh_buf_printf(b, "<form class=\"letter-form\" method=\"post\" "
				 "action=\"/sagsbehandling/sag/%lld/brev\">\n",
			      (long long)c->case_id);
		csrf_field(r, w);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n",
			      (long long)c->version);
		if (c->to) {
			hh_buf_puts(b, "<input type=\"hidden\" name=\"til\" value=\"");
			hh_page_text(r, c->to);
			hh_buf_puts(b, "\">\n");
		}
		if (c->kind) {
			hh_buf_puts(b, "<input type=\"hidden\" name=\"slags\" value=\"");
			hh_page_text(r, c->kind);
			hh_buf_puts(b, "\">\n");
		}
		if (ctx.needs_justification)
			free_part(r, c, "justification", "begrundelse",
				  "Begrundelse (skal udfyldes)",
				  "Forklar, hvilke oplysninger og regler afgørelsen "
				  "bygger på. Teksten står under »Begrundelse« i brevet.",
				  1, c->justification);
		free_part(r, c, "text", "tekst", "Tekst til borgeren (valgfri)",
			  "Skriv det, der er særligt for denne sag. Teksten står i "
			  "brevet, hvor skabelonen har plads til den.",
			  0, c->text);
		hh_buf_printf(b, "<div class=\"buttons\">\n"
				 "<button type=\"submit\" name=\"handling\" value=\"vis\" "
				 "class=\"secondary\">Opdater forhåndsvisningen</button>\n"
				 "<button type=\"submit\" name=\"handling\" value=\"send\">%s"
				 "</button>\n</div>\n</form>\n",
			      ctx.four_eyes ? "Send til godkendelse"
			      : decides && strcmp(l.kind, "request") ? "Send afgørelsen"
								      : "Send brevet");
		hh_buf_puts(b, "<section class=\"letter-preview\" aria-labelledby="
			       "\"forhaandsvisning\">\n<h2 id=\"forhaandsvisning\">"
			       "Forhåndsvisning</h2>\n");
		hh_buf_append(b, html.data ? html.data : "", html.len);
		hh_buf_puts(b, "</section>\n");
	}
	hh_buf_printf(b, "<p><a href=\"/sagsbehandling/sag/%lld\">Tilbage til sagen"
			 "</a></p>\n</div>\n",
		      (long long)c->case_id);
	hh_buf_clear(&html);
	hh_page_end(r, status);
}

void hh_page_letter_compose(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = gate(r, &who);
	if (!w)
		return;
	struct compose c = { .case_id = hh_req_id(r, "id", NULL),
			     .to = hh_req_query(r, "til"),
			     .kind = hh_req_query(r, "slags") };
	if (!c.case_id || (!c.to && !c.kind)) {
		unavailable(r, HH_ERR_NOT_FOUND, "Brevet");
		return;
	}
	render_compose(r, w, &c, 200);
}

void hh_page_letter_compose_post(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = gate(r, &who);
	if (!w)
		return;
	int bad = 0;
	struct compose c = { .case_id = hh_req_id(r, "id", NULL),
			     .version = form_int(r, "version") };
	c.to = form_text(r, "til", &bad);
	c.kind = form_text(r, "slags", &bad);
	c.justification = form_text(r, "justification", &bad);
	c.text = form_text(r, "text", &bad);
	if (!c.case_id || (!c.to && !c.kind)) {
		unavailable(r, HH_ERR_NOT_FOUND, "Brevet");
		return;
	}
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		c.error = "Formularen er udløbet eller blev sendt fra en anden side, "
			  "så brevet blev ikke sendt. Prøv igen her.";
		render_compose(r, w, &c, 403);
		return;
	}
	if (bad) {
		c.error = "Teksten er for lang eller indeholder tegn, vi ikke kan læse.";
		c.field = "text";
		render_compose(r, w, &c, 400);
		return;
	}
	const char *action = hh_req_form(r, "handling");
	if (!action || strcmp(action, "send")) {
		render_compose(r, w, &c, 200); /* the preview, with what was typed */
		return;
	}
	struct hh_letter_input in = { .case_id = c.case_id, .decision = c.to,
				      .kind = c.kind,
				      .justification = blank(c.justification)
							       ? NULL
							       : c.justification,
				      .text = blank(c.text) ? NULL : c.text,
				      .case_version = c.version };
	struct hh_letter l;
	const char *field = NULL;
	enum hh_rc rc = hh_letter_create(r->app->store, &r->arena, &who, &in, &l, &field);
	int awaiting = 0;
	if (rc == HH_OK)
		rc = hh_letter_send(r->app->store, &r->arena, &who, l.id, l.version, &l,
				    &awaiting);
	switch (rc) {
	case HH_OK:
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
							 "/sagsbehandling/sag/%lld?udfoert=%s",
							 (long long)c.case_id,
							 awaiting ? "brev-godkendelse"
								  : "brev-sendt"));
		return;
	case HH_ERR_INVALID:
		c.field = field;
		c.error = field_error(field ? field : "");
		render_compose(r, w, &c, field && strcmp(field, "decision") ? 422 : 409);
		return;
	case HH_ERR_CONFLICT:
		c.error = "Sagen er blevet ændret af en anden, mens du skrev. Se sagen "
			  "igen, før du sender. Din tekst står her stadig.";
		c.version = 0;
		render_compose(r, w, &c, 409);
		return;
	default:
		unavailable(r, rc, "Sagen");
		return;
	}
}

/* ---- one letter ------------------------------------------------------------ */

static void fact(struct hh_req *r, const char *label, const char *value)
{
	hh_buf_puts(&r->resp, "<dt>");
	hh_page_text(r, label);
	hh_buf_puts(&r->resp, "</dt><dd>");
	hh_page_text(r, value);
	hh_buf_puts(&r->resp, "</dd>\n");
}

static void render_letter(struct hh_req *r, const struct hh_principal *w,
			  int64_t id, const char *error, const char *done, int status)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_letter l;
	enum hh_rc rc = hh_letter_get_staff(r->app->store, &r->arena, &who, id, NULL, &l);
	if (rc != HH_OK) {
		unavailable(r, rc, "Brevet");
		return;
	}
	struct hh_buf html;
	hh_buf_init(&html);
	rc = hh_letter_html_of(r->app->store, &r->arena, &l, &html);
	if (rc != HH_OK) {
		hh_buf_clear(&html);
		unavailable(r, rc, "Brevet");
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = hh_arena_printf(&r->arena, "Brev: %s", l.title) };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<div class=\"casework letter-view\">\n"
			 "<nav class=\"crumbs\" aria-label=\"Brødkrummer\"><ol>"
			 "<li><a href=\"/sagsbehandling\">Sager</a></li>"
			 "<li><a href=\"/sagsbehandling/sag/%lld\">Sag %lld</a></li>"
			 "<li aria-current=\"page\">Brev</li></ol></nav>\n<h1>",
		      (long long)l.case_id, (long long)l.case_id);
	hh_page_text(r, l.title);
	hh_buf_puts(b, "</h1>\n");
	error_box(r, error);
	if (done) {
		hh_buf_puts(b, "<div class=\"case-done\" role=\"status\"><p>");
		hh_page_text(r, done);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<dl class=\"case-facts letter-facts\">\n");
	fact(r, "Tilstand", hh_letter_state_da(l.state));
	fact(r, "Slags", hh_letter_kind_da(l.kind));
	fact(r, "Skrevet af", l.author_name ? l.author_name : "");
	if (l.approver_name)
		fact(r, "Godkendt af", l.approver_name);
	if (l.sent_at)
		fact(r, "Sendt", hh_datetime_da(&r->arena, l.sent_at));
	if (l.reply_by)
		fact(r, "Svarfrist", hh_date_da(&r->arena, l.reply_by));
	hh_buf_puts(b, "</dl>\n");
	if (l.pdf)
		hh_buf_printf(b, "<p><a href=\"/sagsbehandling/brev/%lld.pdf\" download>"
				 "Hent brevet som PDF</a></p>\n",
			      (long long)l.id);
	int own = l.author_id == w->user_id;
	if (!strcmp(l.state, "draft")) {
		hh_buf_printf(b, "<form class=\"case-action\" method=\"post\" "
				 "action=\"/sagsbehandling/brev/%lld/send\">\n",
			      (long long)l.id);
		csrf_field(r, w);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n"
				 "<button type=\"submit\">Send brevet</button>\n</form>\n",
			      (long long)l.version);
	} else if (!strcmp(l.state, "awaiting_approval") && own) {
		hh_buf_puts(b, "<p class=\"hint\">Brevet venter på, at en anden "
			       "sagsbehandler godkender det. Du kan ikke selv "
			       "godkende et brev, du har skrevet.</p>\n");
	} else if (!strcmp(l.state, "awaiting_approval")) {
		hh_buf_printf(b, "<section class=\"case-actions\" aria-labelledby="
				 "\"godkend\">\n<h2 id=\"godkend\">Godkendelse</h2>\n"
				 "<form class=\"case-action\" method=\"post\" "
				 "action=\"/sagsbehandling/brev/%lld/godkend\">\n",
			      (long long)l.id);
		csrf_field(r, w);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n"
				 "<p>Når du godkender, bliver brevet sendt til borgeren"
				 "%s.</p>\n<button type=\"submit\">Godkend og send"
				 "</button>\n</form>\n"
				 "<form class=\"case-action\" method=\"post\" "
				 "action=\"/sagsbehandling/brev/%lld/returner\">\n",
			      (long long)l.version,
			      l.decision ? ", og afgørelsen bliver registreret på sagen"
					 : "",
			      (long long)l.id);
		csrf_field(r, w);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n"
				 "<div class=\"field\">\n<label for=\"kommentar\">"
				 "Kommentar til forfatteren</label>\n"
				 "<textarea id=\"kommentar\" name=\"kommentar\" rows=\"4\" "
				 "maxlength=\"%d\" required></textarea>\n</div>\n"
				 "<button type=\"submit\" class=\"secondary\">Send tilbage "
				 "til rettelse</button>\n</form>\n</section>\n",
			      (long long)l.version, HH_LETTER_FREE_MAX);
	}
	hh_buf_puts(b, "<section class=\"letter-preview\" aria-labelledby=\"brevet\">\n"
		       "<h2 id=\"brevet\">Brevet</h2>\n");
	hh_buf_append(b, html.data ? html.data : "", html.len);
	hh_buf_puts(b, "</section>\n</div>\n");
	hh_buf_clear(&html);
	hh_page_end(r, status);
}

static void letter_pdf(struct hh_req *r, int64_t id)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_letter l;
	enum hh_rc rc = hh_letter_get_staff(r->app->store, &r->arena, &who, id,
					    "brev hentet som PDF", &l);
	if (rc == HH_OK && !l.pdf)
		rc = HH_ERR_NOT_FOUND; /* a draft has no PDF yet */
	if (rc != HH_OK) {
		unavailable(r, rc, "Brevet");
		return;
	}
	hh_buf_append(&r->resp, l.pdf, l.pdf_len);
	hh_resp_header(r, "Content-Disposition",
		       hh_arena_printf(&r->arena, "attachment; filename=\"brev-%lld.pdf\"",
				       (long long)l.id));
	hh_resp_header(r, "X-Content-Type-Options", "nosniff");
	hh_resp_body(r, 200, "application/pdf");
}

void hh_page_letter(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = gate(r, &who);
	if (!w)
		return;
	int64_t id = hh_req_id(r, "id", ".pdf");
	const char *raw = hh_req_param(r, "id");
	if (id && strstr(raw, ".pdf")) {
		letter_pdf(r, id);
		return;
	}
	const char *done = hh_req_query(r, "udfoert");
	render_letter(r, w, id,
		      NULL,
		      !done			     ? NULL
		      : !strcmp(done, "returneret") ? "Brevet er sendt tilbage til "
						      "forfatteren."
		      : !strcmp(done, "godkendelse") ? "Brevet venter nu på en anden "
						       "sagsbehandlers godkendelse."
						     : "Brevet er sendt.",
		      200);
}

enum op { OP_SEND, OP_APPROVE, OP_RETURN };

static void letter_act(struct hh_req *r, enum op op)
{
	struct hh_actor who;
	const struct hh_principal *w = gate(r, &who);
	if (!w)
		return;
	int64_t id = hh_req_id(r, "id", NULL);
	if (!id) {
		unavailable(r, HH_ERR_NOT_FOUND, "Brevet");
		return;
	}
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		render_letter(r, w, id, "Formularen er udløbet eller blev sendt fra en "
					"anden side. Prøv igen her.",
			      NULL, 403);
		return;
	}
	int64_t version = form_int(r, "version");
	int bad = 0;
	const char *comment = form_text(r, "kommentar", &bad);
	if (op == OP_RETURN && (bad || blank(comment))) {
		render_letter(r, w, id, "Skriv en kommentar til forfatteren om, hvad "
					"der skal rettes.",
			      NULL, 400);
		return;
	}
	struct hh_letter l;
	int awaiting = 0;
	struct hh_store *st = r->app->store;
	enum hh_rc rc = op == OP_SEND	 ? hh_letter_send(st, &r->arena, &who, id, version,
							  &l, &awaiting)
			: op == OP_APPROVE ? hh_letter_approve(st, &r->arena, &who, id,
							     version, &l)
					   : hh_letter_return(st, &r->arena, &who, id,
							      version, comment, &l);
	switch (rc) {
	case HH_OK:
		hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
							 "/sagsbehandling/brev/%lld?udfoert=%s",
							 (long long)id,
							 op == OP_RETURN ? "returneret"
							 : awaiting	 ? "godkendelse"
									 : "sendt"));
		return;
	case HH_ERR_CONFLICT:
		render_letter(r, w, id, "Brevet eller sagen er blevet ændret af en "
					"anden, mens du havde siden åben. Se brevet, "
					"som det er nu, og prøv igen.",
			      NULL, 409);
		return;
	case HH_ERR_INVALID:
		render_letter(r, w, id, "Handlingen er ikke mulig. Brevet er måske "
					"allerede sendt, eller sagen kan ikke længere "
					"få den afgørelse, brevet beskriver.",
			      NULL, 409);
		return;
	case HH_ERR_FORBIDDEN:
		render_letter(r, w, id, op == OP_SEND
				       ? "Din rolle giver ikke adgang til at sende breve."
				       : "Et brev skal godkendes af en anden "
					 "sagsbehandler end den, der har skrevet det.",
			      NULL, 403);
		return;
	default:
		unavailable(r, rc, "Brevet");
		return;
	}
}

void hh_page_letter_send(struct hh_req *r)
{
	letter_act(r, OP_SEND);
}

void hh_page_letter_approve(struct hh_req *r)
{
	letter_act(r, OP_APPROVE);
}

void hh_page_letter_return(struct hh_req *r)
{
	letter_act(r, OP_RETURN);
}

/* ---- lists ------------------------------------------------------------------- */

struct rows {
	struct hh_req *r;
	int n;
	int with_case;
};

static enum hh_rc letter_row(void *p, const struct hh_letter *l)
{
	struct rows *x = p;
	struct hh_req *r = x->r;
	struct hh_buf *b = &r->resp;
	x->n++;
	hh_buf_printf(b, "<tr><td><a href=\"/sagsbehandling/brev/%lld\">",
		      (long long)l->id);
	hh_page_text(r, l->title);
	hh_buf_puts(b, "</a></td>");
	if (x->with_case)
		hh_buf_printf(b, "<td><a href=\"/sagsbehandling/sag/%lld\">Sag %lld</a>"
				 "</td>",
			      (long long)l->case_id, (long long)l->case_id);
	hh_buf_puts(b, "<td>");
	hh_page_text(r, hh_letter_kind_da(l->kind));
	hh_buf_puts(b, "</td><td>");
	hh_page_text(r, hh_letter_state_da(l->state));
	hh_buf_puts(b, "</td><td>");
	/* a letter to a party has no author: helhed sent it (p-letters) */
	hh_page_text(r, l->author_name ? l->author_name
			: !l->author_id && l->sent_at ? "Sendt automatisk" : "");
	hh_buf_puts(b, "</td><td>");
	hh_page_text(r, hh_datetime_da(&r->arena, l->sent_at ? l->sent_at
							    : l->updated_at));
	hh_buf_puts(b, "</td>");
	if (l->pdf_len || l->sent_at)
		hh_buf_printf(b, "<td><a href=\"/sagsbehandling/brev/%lld.pdf\">PDF</a>"
				 "</td>",
			      (long long)l->id);
	else
		hh_buf_puts(b, "<td></td>");
	hh_buf_puts(b, "</tr>\n");
	return HH_OK;
}

void hh_page_letters_approval(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = gate(r, &who);
	if (!w)
		return;
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Breve til godkendelse" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<div class=\"casework\">\n<nav class=\"crumbs\" aria-label="
		       "\"Brødkrummer\"><ol><li><a href=\"/sagsbehandling\">Sager</a>"
		       "</li><li aria-current=\"page\">Breve til godkendelse</li>"
		       "</ol></nav>\n<h1>Breve til godkendelse</h1>\n"
		       "<p class=\"lead\">Breve, som en kollega har skrevet, og som "
		       "skal godkendes af en anden sagsbehandler, før de sendes. Dine "
		       "egne breve står ikke her.</p>\n");
	size_t mark = b->len;
	hh_buf_puts(b, "<div class=\"table-wrap\"><table class=\"queue-table\">\n"
		       "<caption>Breve til godkendelse</caption>\n<thead><tr>"
		       "<th scope=\"col\">Brev</th><th scope=\"col\">Sag</th>"
		       "<th scope=\"col\">Slags</th><th scope=\"col\">Tilstand</th>"
		       "<th scope=\"col\">Skrevet af</th><th scope=\"col\">Ændret</th>"
		       "<th scope=\"col\"><span class=\"visually-hidden\">PDF</span>"
		       "</th></tr></thead>\n<tbody>\n");
	struct rows x = { r, 0, 1 };
	enum hh_rc rc = hh_letter_list_approval(r->app->store, &r->arena, &who,
						letter_row, &x);
	if (rc != HH_OK && rc != HH_ERR_FORBIDDEN) {
		b->len = mark;
		hh_buf_puts(b, "<p>Listen kan ikke vises lige nu. Prøv igen om lidt."
			       "</p>\n</div>\n");
		hh_page_end(r, 503);
		return;
	}
	if (!x.n) {
		b->len = mark;
		hh_buf_puts(b, "<p>Der er ingen breve, der venter på din godkendelse."
			       "</p>\n</div>\n");
		hh_page_end(r, 200);
		return;
	}
	hh_buf_puts(b, "</tbody></table></div>\n</div>\n");
	hh_page_end(r, 200);
}

void hh_page_case_letters(struct hh_req *r, const struct hh_case *c,
			  const struct hh_case_type_def *def, int may_change)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section class=\"case-letters\" aria-labelledby=\"breve\">\n"
		       "<h2 id=\"breve\">Breve</h2>\n");
	size_t mark = b->len;
	hh_buf_puts(b, "<div class=\"table-wrap\"><table class=\"queue-table\">\n"
		       "<caption>Sagens breve</caption>\n<thead><tr>"
		       "<th scope=\"col\">Brev</th><th scope=\"col\">Slags</th>"
		       "<th scope=\"col\">Tilstand</th><th scope=\"col\">Skrevet af</th>"
		       "<th scope=\"col\">Dato</th><th scope=\"col\"><span class="
		       "\"visually-hidden\">PDF</span></th></tr></thead>\n<tbody>\n");
	struct rows x = { r, 0, 0 };
	enum hh_rc rc = hh_letter_list_case(r->app->store, &r->arena, &who, c->id,
					    letter_row, &x);
	if (rc != HH_OK || !x.n) {
		b->len = mark;
		hh_buf_puts(b, rc == HH_OK ? "<p>Der er ikke sendt breve på sagen.</p>\n"
					   : "<p>Brevene kan ikke vises lige nu.</p>\n");
	} else {
		hh_buf_puts(b, "</tbody></table></div>\n");
	}
	/* letters without a decision: a hearing (partshøring) before one */
	if (may_change && !c->closed_at && c->citizen_id && def &&
	    json_object_get(def->letter_templates, "hearing"))
		hh_buf_printf(b, "<p><a href=\"/sagsbehandling/sag/%lld/brev?slags=hearing\">"
				 "Skriv partshøring</a></p>\n",
			      (long long)c->id);
	hh_buf_puts(b, "</section>\n");
}
