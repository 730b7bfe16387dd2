/* desk.c - the agent's desk, /borgerservice: log a phone or counter
 * contact in a few keystrokes, find the citizen and their history, the
 * knowledge base beside it (staff articles too), "answered with this
 * article", transfer with a reason, the receiving queue and the callbacks
 * due today.
 *
 * Server-rendered and complete without JavaScript: plain forms, each
 * write a POST with the session's CSRF token answered by a redirect
 * (POST-redirect-GET). The CPR look-up is a POST too, so the number never
 * stands in a URL; its result is shown at once (nothing was changed but
 * the audit log). Keyboard: accesskeys Alt+1..4 choose the outcome
 * (Alt+Shift in Firefox), and web/desk.js adds Alt+1..4 for every
 * browser and "/" for the knowledge-base search. The pages call the same
 * domain functions as the API (domain/desk.h, domain/inquiries.h). */
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/auth.h"
#include "domain/casetype.h"
#include "domain/catalogue.h"
#include "domain/desk.h"
#include "domain/messages.h"
#include "domain/inquiries.h"
#include "domain/orgs.h"
#include "domain/reading.h"
#include "pages/layout.h"

#define NOTE_MAX 2000
#define HITS 8

static const struct {
	const char *code, *label, *key;
} outcomes[] = {
	{ "resolved_first_contact", "Løst med det samme", "1" },
	{ "transferred", "Viderestillet", "2" },
	{ "case_created", "Sag oprettet", "3" },
	{ "callback_promised", "Ringes op", "4" },
};

static const struct {
	const char *code, *label;
} channels[] = {
	{ "phone", "Telefon" }, { "counter", "Skranke" }, { "email", "E-mail" },
	{ "letter_reply", "Svar på brev" },
};

static const char *outcome_label(const char *code)
{
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (code && !strcmp(code, outcomes[i].code))
			return outcomes[i].label;
	return code && !strcmp(code, "open") ? "Åben" : code ? code : "";
}

static const char *channel_label(const char *code)
{
	for (size_t i = 0; i < sizeof(channels) / sizeof(channels[0]); i++)
		if (code && !strcmp(code, channels[i].code))
			return channels[i].label;
	return code && !strcmp(code, "chat") ? "Chat"
	       : code && !strcmp(code, "web") ? "Webformular" : code ? code : "";
}

/* The signed-in desk user, or NULL when a redirect to sign in or a 403
 * page is queued. */
static const struct hh_principal *desk_gate(struct hh_req *r, struct hh_actor *who)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER) {
		hh_resp_redirect(r, 303, "/log-ind");
		return NULL;
	}
	hh_actor_of(r, who);
	if (hh_access(who, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ, NULL) != HH_OK) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Borgerservice er for borgerservice-medarbejdere og "
			      "administratorer. Din rolle giver ikke adgang.");
		return NULL;
	}
	return w;
}

static int64_t num(const char *s)
{
	char *end;
	long long v = s && *s >= '1' && *s <= '9' ? strtoll(s, &end, 10) : 0;
	return v > 0 && !*end ? v : 0;
}

/* What the page shows besides the fixed parts. */
struct view {
	const struct hh_principal *w;
	struct hh_actor who;
	int64_t citizen_id, article_id;
	const char *q;                 /* the knowledge-base search */
	const char *notice;
	/* the look-up */
	int looked_up;
	const char *lookup_error;
	const char *cpr_typed, *name_typed;
	struct hh_citizen found[HH_DESK_LOOKUP_MAX];
	int n_found, more;
	/* the log form again after an error */
	const char *log_error, *log_field;
	const char *channel, *outcome, *target, *reason, *case_no, *due, *note;
};

static void csrf_field(struct hh_req *r, const struct view *v)
{
	hh_buf_puts(&r->resp, "<input type=\"hidden\" name=\"csrf\" value=\"");
	hh_page_text(r, v->w->csrf);
	hh_buf_puts(&r->resp, "\">\n");
}

/* /borgerservice with the page's state (borger, artikel, q) in the query. */
static const char *self_url(struct hh_req *r, const struct view *v,
			    int64_t citizen_id, int64_t article_id, const char *q)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "/borgerservice");
	char sep = '?';
	if (citizen_id) {
		hh_buf_printf(&b, "%cborger=%lld", sep, (long long)citizen_id);
		sep = '&';
	}
	if (article_id) {
		hh_buf_printf(&b, "%cartikel=%lld", sep, (long long)article_id);
		sep = '&';
	}
	if (q && *q) {
		hh_buf_printf(&b, "%cq=", sep);
		hh_buf_urlenc(&b, q);
	}
	(void)v;
	const char *s = hh_arena_strdup(&r->arena, b.data ? b.data : "/borgerservice");
	hh_buf_clear(&b);
	return s;
}

static void option(struct hh_req *r, const char *value, const char *label,
		   const char *chosen)
{
	hh_buf_puts(&r->resp, "<option value=\"");
	hh_page_text(r, value);
	hh_buf_puts(&r->resp, "\"");
	if (chosen && !strcmp(chosen, value))
		hh_buf_puts(&r->resp, " selected");
	hh_buf_puts(&r->resp, ">");
	hh_page_text(r, label);
	hh_buf_puts(&r->resp, "</option>\n");
}

/* ---- the transfer targets and reasons ------------------------------------------ */

struct codes_ctx {
	struct hh_req *r;
	const struct view *v;
	const char *prefix; /* "" for the own organisation, "ORG/" for another */
	const char *org_name;
	const char *kind;   /* which to show */
};

static enum hh_rc code_option(void *p, const struct hh_inquiry_code *c)
{
	struct codes_ctx *k = p;
	if (strcmp(c->kind, k->kind))
		return HH_OK;
	if (!strcmp(k->kind, "reason")) {
		option(k->r, c->code, c->label, k->v->reason);
		return HH_OK;
	}
	const char *value = hh_arena_printf(&k->r->arena, "%steam:%s", k->prefix,
					    c->code);
	const char *label = k->org_name ? hh_arena_printf(&k->r->arena, "%s – %s",
							  k->org_name, c->label)
					: c->label;
	option(k->r, value, label, k->v->target);
	return HH_OK;
}

struct orgs_ctx {
	struct hh_req *r;
	const struct view *v;
	struct hh_org list[200];
	int n;
};

static enum hh_rc org_row(void *p, const struct hh_org *o)
{
	struct orgs_ctx *k = p;
	if (k->n < 200)
		k->list[k->n++] = *o;
	return HH_OK;
}

static void target_select(struct hh_req *r, const struct view *v)
{
	struct hh_store *st = r->app->store;
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<div class=\"field\"><label for=\"til\">Viderestil til</label>\n"
		       "<select id=\"til\" name=\"til\"><option value=\"\">Vælg "
		       "modtager</option>\n<optgroup label=\"Egne teams\">\n");
	struct codes_ctx k = { r, v, "", NULL, "team" };
	hh_desk_codes(st, &r->arena, &v->who, NULL, code_option, &k);
	hh_buf_puts(b, "</optgroup>\n<optgroup label=\"Andre myndigheder\">\n");
	struct orgs_ctx *o = hh_arena_calloc(&r->arena, sizeof(*o));
	o->r = r;
	o->v = v;
	hh_org_each(st, &r->arena, org_row, o);
	for (int i = 0; i < o->n; i++) {
		if (o->list[i].id == v->who.org_id)
			continue;
		option(r, hh_arena_printf(&r->arena, "org:%s", o->list[i].code),
		       o->list[i].name, v->target);
		/* an agency's teams: the front desk knows them by name */
		if (o->list[i].kind == HH_ORG_AGENCY) {
			struct codes_ctx t = {
				r, v, hh_arena_printf(&r->arena, "org:%s/", o->list[i].code),
				o->list[i].name, "team" };
			hh_desk_codes(st, &r->arena, &v->who, o->list[i].code,
				      code_option, &t);
		}
	}
	hh_buf_puts(b, "</optgroup></select></div>\n");
	hh_buf_puts(b, "<div class=\"field\"><label for=\"aarsag\">Årsag</label>\n"
		       "<select id=\"aarsag\" name=\"aarsag\"><option value=\"\">"
		       "Vælg årsag</option>\n");
	struct codes_ctx rk = { r, v, "", NULL, "reason" };
	hh_desk_codes(st, &r->arena, &v->who, NULL, code_option, &rk);
	hh_buf_puts(b, "</select></div>\n");
}

/* ---- the page ---------------------------------------------------------------- */

static void log_form(struct hh_req *r, const struct view *v)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section aria-labelledby=\"registrer\" class=\"desk-log\">\n"
		       "<h2 id=\"registrer\">Registrér henvendelse</h2>\n");
	if (v->log_error) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\" id=\"log-fejl\" "
			       "tabindex=\"-1\"><p>");
		hh_page_text(r, v->log_error);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<form method=\"post\" action=\"/borgerservice/henvendelse\" "
		       "class=\"form wide\" id=\"log-form\">\n");
	csrf_field(r, v);
	if (v->citizen_id)
		hh_buf_printf(b, "<input type=\"hidden\" name=\"borger\" value=\"%lld\">\n",
			      (long long)v->citizen_id);
	if (v->article_id)
		hh_buf_printf(b, "<input type=\"hidden\" name=\"artikel\" value=\"%lld\">\n",
			      (long long)v->article_id);
	hh_buf_puts(b, "<fieldset><legend>Udfald (påkrævet)</legend>\n");
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		int on = v->outcome && !strcmp(v->outcome, outcomes[i].code);
		hh_buf_printf(b, "<div class=\"choice\"><input type=\"radio\" "
				 "name=\"udfald\" id=\"udfald-%s\" value=\"%s\" "
				 "accesskey=\"%s\" required%s%s> <label for=\"udfald-%s\">"
				 "%s <kbd>Alt+%s</kbd></label></div>\n",
			      outcomes[i].key, outcomes[i].code, outcomes[i].key,
			      on ? " checked" : "",
			      v->log_field && !strcmp(v->log_field, "udfald")
				      ? " aria-describedby=\"log-fejl\"" : "",
			      outcomes[i].key, outcomes[i].label, outcomes[i].key);
	}
	hh_buf_puts(b, "</fieldset>\n<fieldset><legend>Kanal</legend>\n");
	for (size_t i = 0; i < sizeof(channels) / sizeof(channels[0]); i++) {
		int on = v->channel ? !strcmp(v->channel, channels[i].code) : i == 0;
		hh_buf_printf(b, "<div class=\"choice\"><input type=\"radio\" "
				 "name=\"kanal\" id=\"kanal-%s\" value=\"%s\"%s> "
				 "<label for=\"kanal-%s\">%s</label></div>\n",
			      channels[i].code, channels[i].code, on ? " checked" : "",
			      channels[i].code, channels[i].label);
	}
	hh_buf_puts(b, "</fieldset>\n<details class=\"desk-more\"");
	if (v->log_field && strcmp(v->log_field, "udfald"))
		hh_buf_puts(b, " open");
	hh_buf_puts(b, "><summary>Viderestilling, sag, opringning og notat"
		       "</summary>\n");
	target_select(r, v);
	hh_buf_puts(b, "<div class=\"field\"><label for=\"sag\">Sagsnummer (ved "
		       "sag oprettet)</label>\n<input id=\"sag\" name=\"sag\" type=\"text\" "
		       "inputmode=\"numeric\" value=\"");
	hh_page_text(r, v->case_no ? v->case_no : "");
	hh_buf_puts(b, "\"></div>\n<div class=\"field\"><label for=\"ring\">Ring op "
		       "(dato og tid)</label>\n<input id=\"ring\" name=\"ring\" "
		       "type=\"datetime-local\" value=\"");
	hh_page_text(r, v->due ? v->due : "");
	hh_buf_puts(b, "\"></div>\n<div class=\"field\"><label for=\"note\">Notat "
		       "(valgfrit)</label>\n<textarea id=\"note\" name=\"note\" "
		       "rows=\"3\" maxlength=\"2000\">");
	hh_page_text(r, v->note ? v->note : "");
	hh_buf_puts(b, "</textarea></div>\n</details>\n");
	if (v->article_id)
		hh_buf_puts(b, "<p class=\"desk-article\">Registreres som besvaret med "
			       "den valgte artikel.</p>\n");
	hh_buf_puts(b, "<button type=\"submit\">Registrér henvendelse</button>\n"
		       "</form>\n</section>\n");
}

static void lookup_form(struct hh_req *r, const struct view *v)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section aria-labelledby=\"find-borger\">\n"
		       "<h2 id=\"find-borger\">Find borger</h2>\n");
	if (v->lookup_error) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\" id=\"opslag-fejl\">"
			       "<p>");
		hh_page_text(r, v->lookup_error);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<form method=\"post\" action=\"/borgerservice/opslag\" "
		       "class=\"form\">\n");
	csrf_field(r, v);
	if (v->article_id)
		hh_buf_printf(b, "<input type=\"hidden\" name=\"artikel\" value=\"%lld\">\n",
			      (long long)v->article_id);
	hh_buf_puts(b, "<div class=\"field\"><label for=\"cpr\">CPR-nummer</label>\n"
		       "<input id=\"cpr\" name=\"cpr\" type=\"text\" autocomplete=\"off\" "
		       "inputmode=\"numeric\" maxlength=\"11\"");
	if (v->lookup_error)
		hh_buf_puts(b, " aria-describedby=\"opslag-fejl\"");
	hh_buf_puts(b, " value=\"");
	/* the number typed is shown again only after an error, to correct */
	hh_page_text(r, v->lookup_error && v->cpr_typed ? v->cpr_typed : "");
	hh_buf_puts(b, "\"></div>\n<div class=\"field\"><label for=\"navn\">eller "
		       "navn</label>\n<input id=\"navn\" name=\"navn\" type=\"text\" "
		       "autocomplete=\"off\" maxlength=\"100\" value=\"");
	hh_page_text(r, v->name_typed ? v->name_typed : "");
	hh_buf_puts(b, "\"></div>\n<button type=\"submit\">Find</button>\n</form>\n");
	if (v->looked_up && !v->lookup_error) {
		if (!v->n_found) {
			hh_buf_puts(b, "<p role=\"status\">Ingen borger fundet, som du "
				       "har adgang til.</p>\n");
		} else {
			hh_buf_puts(b, "<ul class=\"desk-found\">\n");
			for (int i = 0; i < v->n_found; i++) {
				const struct hh_citizen *z = &v->found[i];
				hh_buf_puts(b, "<li><a href=\"");
				hh_page_text(r, self_url(r, v, z->id, v->article_id, NULL));
				hh_buf_puts(b, "\">");
				hh_page_text(r, z->name);
				hh_buf_puts(b, "</a>");
				if (z->cpr) {
					/* the date part only: enough to tell
					 * namesakes apart */
					hh_buf_puts(b, " <span class=\"who\">født ");
					hh_buf_printf(b, "%.6s", z->cpr);
					hh_buf_puts(b, "</span>");
				}
				hh_buf_puts(b, "</li>\n");
			}
			hh_buf_puts(b, "</ul>\n");
			if (v->more)
				hh_buf_puts(b, "<p>Der er flere. Skriv mere af navnet "
					       "eller brug CPR-nummeret.</p>\n");
		}
	}
	hh_buf_puts(b, "</section>\n");
}

struct hist_ctx {
	struct hh_req *r;
	int n_inq, n_cases;
};

static enum hh_rc hist_inq(void *p, const struct hh_inquiry *q)
{
	struct hist_ctx *h = p;
	struct hh_buf *b = &h->r->resp;
	if (!h->n_inq++)
		hh_buf_puts(b, "<h4>Henvendelser</h4>\n<ul class=\"desk-list\">\n");
	hh_buf_puts(b, "<li>");
	hh_page_text(h->r, hh_datetime_da(&h->r->arena, q->started_at));
	hh_buf_puts(b, " · ");
	hh_page_text(h->r, channel_label(q->channel));
	hh_buf_puts(b, " · ");
	hh_page_text(h->r, outcome_label(q->outcome));
	if (q->note && *q->note) {
		hh_buf_puts(b, " · ");
		hh_page_text(h->r, q->note);
	}
	hh_buf_puts(b, "</li>\n");
	return HH_OK;
}

static enum hh_rc hist_case(void *p, const struct hh_case *c)
{
	struct hist_ctx *h = p;
	struct hh_buf *b = &h->r->resp;
	if (!h->n_cases++)
		hh_buf_puts(b, "<h4>Sager</h4>\n<ul class=\"desk-list\">\n");
	hh_buf_printf(b, "<li><a href=\"/sagsbehandling/sag/%lld\">", (long long)c->id);
	hh_page_text(h->r, c->case_type_name ? c->case_type_name : c->case_type_code);
	hh_buf_puts(b, "</a> · ");
	hh_page_text(h->r, c->state_label ? c->state_label : c->state);
	if (c->org_name) {
		hh_buf_puts(b, " · ");
		hh_page_text(h->r, c->org_name);
	}
	hh_buf_puts(b, "</li>\n");
	return HH_OK;
}

static enum hh_rc hist_inq_end(struct hist_ctx *h)
{
	if (h->n_inq)
		hh_buf_puts(&h->r->resp, "</ul>\n");
	return HH_OK;
}

/* The chosen citizen and their history; the lists are written as the
 * domain streams them, so the inquiries' list is closed when the first
 * case arrives. */
static enum hh_rc hist_case_first(void *p, const struct hh_case *c)
{
	struct hist_ctx *h = p;
	if (!h->n_cases)
		hist_inq_end(h);
	return hist_case(p, c);
}

static enum hh_rc ct_option(void *p, const struct hh_case_type *ct)
{
	struct hh_req *r = p;
	if (ct->public)
		option(r, ct->code, ct->name, NULL);
	return HH_OK;
}

/* Assisted self-service: start one of the public forms for the citizen. */
static void start_form(struct hh_req *r, const struct view *v)
{
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<h3>Hjælp med en ansøgning</h3>\n<form method=\"get\" "
			 "action=\"/borgerservice/blanket\">\n<input type=\"hidden\" "
			 "name=\"borger\" value=\"%lld\">\n<div class=\"field\">"
			 "<label for=\"blanket-type\">Blanket</label>\n<select "
			 "id=\"blanket-type\" name=\"type\">\n",
		      (long long)v->citizen_id);
	hh_case_type_each(r->app->store, &r->arena, &v->who, ct_option, r);
	hh_buf_puts(b, "</select></div>\n<button type=\"submit\" class=\"secondary\">"
		       "Start blanket</button>\n</form>\n");
}

/* delivery: the citizen's exemption from Digital Post, and the small
 * form that registers or lifts it (domain/messages.h). */
static void dp_section(struct hh_req *r, const struct view *v,
		       const struct hh_citizen *z)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h3>Digital Post</h3>\n");
	hh_buf_printf(b, "<form method=\"post\" action=\"/borgerservice/borger/"
			 "%lld/digital-post\">\n", (long long)v->citizen_id);
	csrf_field(r, v);
	if (z->dp_exempt_since) {
		hh_buf_puts(b, "<p>Borgeren er <strong>fritaget for Digital "
			       "Post</strong> siden ");
		hh_page_text(r, hh_date_da(&r->arena, z->dp_exempt_since));
		hh_buf_puts(b, " (");
		hh_page_text(r, z->dp_exempt_reason ? z->dp_exempt_reason : "");
		hh_buf_puts(b, "). Breve sendes med posten.</p>\n"
			       "<input type=\"hidden\" name=\"handling\" "
			       "value=\"ophaev\">\n<button type=\"submit\" "
			       "class=\"secondary\">Ophæv fritagelsen</button>\n"
			       "</form>\n");
		return;
	}
	hh_buf_puts(b, "<p>Borgeren får breve i Digital Post.</p>\n"
		       "<input type=\"hidden\" name=\"handling\" value=\"fritag\">\n"
		       "<div class=\"field\"><label for=\"dp-fra\">Fritaget fra"
		       "</label>\n<input id=\"dp-fra\" name=\"fra\" type=\"date\" "
		       "required></div>\n<div class=\"field\"><label "
		       "for=\"dp-grund\">Begrundelse</label>\n<select id=\"dp-grund\" "
		       "name=\"grund\" required>\n");
	for (int i = 0; hh_dp_exempt_reasons[i]; i++) {
		hh_buf_puts(b, "<option>");
		hh_page_text(r, hh_dp_exempt_reasons[i]);
		hh_buf_puts(b, "</option>\n");
	}
	hh_buf_puts(b, "</select></div>\n<button type=\"submit\" class=\"secondary\">"
		       "Registrér fritagelse</button>\n</form>\n");
}

static void citizen_section(struct hh_req *r, const struct view *v)
{
	struct hh_buf *b = &r->resp;
	if (!v->citizen_id)
		return;
	size_t mark = b->len;
	hh_buf_puts(b, "<section aria-labelledby=\"borgeren\" class=\"desk-citizen\">\n");
	size_t head = b->len;
	struct hist_ctx h = { r, 0, 0 };
	struct hh_citizen z;
	/* the heading needs the name, which comes with the history: the
	 * lists are written first and the heading put before them */
	enum hh_rc rc = hh_desk_history(r->app->store, &r->arena, &v->who,
					v->citizen_id, &z, hist_inq, hist_case_first, &h);
	if (rc != HH_OK) {
		b->len = mark;
		hh_buf_puts(b, "<p class=\"notice\">Borgeren findes ikke, eller du har "
			       "ikke adgang til borgeren.</p>\n");
		return;
	}
	if (h.n_cases)
		hh_buf_puts(b, "</ul>\n");
	else
		hist_inq_end(&h);
	if (!h.n_inq && !h.n_cases)
		hh_buf_puts(b, "<p>Ingen tidligere henvendelser eller sager.</p>\n");
	start_form(r, v);
	dp_section(r, v, &z); /* delivery */
	hh_buf_puts(b, "</section>\n");
	/* insert the heading at head */
	struct hh_buf hd;
	hh_buf_init(&hd);
	hh_buf_puts(&hd, "<h2 id=\"borgeren\">Borger: ");
	hh_buf_html(&hd, z.name ? z.name : "");
	hh_buf_puts(&hd, "</h2>\n");
	if (z.cpr) {
		hh_buf_puts(&hd, "<p>CPR-nummer: ");
		hh_buf_html(&hd, z.cpr);
		hh_buf_puts(&hd, "</p>\n");
	}
	hh_buf_puts(&hd, "<p><a href=\"");
	hh_buf_html(&hd, self_url(r, v, 0, v->article_id, v->q));
	hh_buf_puts(&hd, "\">Fjern borgeren</a> (henvendelsen logges uden "
			 "borger)</p>\n<h3>Historik</h3>\n");
	size_t tail = b->len - head;
	char *rest = hh_arena_strndup(&r->arena, b->data + head, tail);
	b->len = head;
	hh_buf_puts(b, hd.data);
	hh_buf_puts(b, rest);
	hh_buf_clear(&hd);
}

static void kb_section(struct hh_req *r, const struct view *v)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<section aria-labelledby=\"vidensbase\" class=\"desk-kb\">\n"
		       "<h2 id=\"vidensbase\">Vidensbase</h2>\n"
		       "<form method=\"get\" action=\"/borgerservice\" role=\"search\">\n");
	if (v->citizen_id)
		hh_buf_printf(b, "<input type=\"hidden\" name=\"borger\" value=\"%lld\">\n",
			      (long long)v->citizen_id);
	hh_buf_puts(b, "<label for=\"q\">Søg i vidensbasen, også interne artikler "
		       "<kbd>/</kbd></label>\n<input id=\"q\" name=\"q\" "
		       "type=\"search\" value=\"");
	hh_page_text(r, v->q ? v->q : "");
	hh_buf_puts(b, "\">\n<button type=\"submit\">Søg</button>\n</form>\n");
	if (v->q && *v->q && r->app->index) {
		struct hh_search_query sq = {
			.text = v->q,
			.municipality_id = v->who.org_is_municipality ? v->who.org_id : 0,
			.limit = HITS,
			/* an inquiry is answered with an article */
			.kinds = HH_KIND_BIT(HH_DOC_ARTICLE),
		};
		struct hh_search_result res;
		hh_reading_search(r->app->index, &v->who, &sq, &r->arena, &res);
		if (!res.n_hits)
			hh_buf_puts(b, "<p role=\"status\">Ingen artikler fundet.</p>\n");
		else
			hh_buf_puts(b, "<ol class=\"articles hits\">\n");
		for (int i = 0; i < res.n_hits; i++) {
			const struct hh_search_hit *h = &res.hits[i];
			hh_buf_puts(b, "<li><a href=\"/artikel/");
			hh_buf_urlenc(b, h->slug);
			hh_buf_puts(b, "\" target=\"_blank\" rel=\"noopener\">");
			hh_page_text(r, h->title);
			hh_buf_puts(b, "</a>");
			if (h->audience == HH_AUDIENCE_STAFF)
				hh_buf_puts(b, " <span class=\"tag\">Intern</span>");
			hh_buf_puts(b, "\n<p class=\"snippet\">");
			hh_buf_puts(b, h->snippet_html);
			hh_buf_puts(b, "</p>");
			if (h->id == v->article_id) {
				hh_buf_puts(b, "<p><strong>Valgt som svar</strong></p>");
			} else {
				hh_buf_puts(b, "<p><a class=\"button secondary\" href=\"");
				hh_page_text(r, self_url(r, v, v->citizen_id, h->id, v->q));
				hh_buf_puts(b, "\">Besvaret med denne<span class=\"visually-hidden\">: ");
				hh_page_text(r, h->title);
				hh_buf_puts(b, "</span></a></p>");
			}
			hh_buf_puts(b, "</li>\n");
		}
		if (res.n_hits)
			hh_buf_puts(b, "</ol>\n");
	}
	hh_buf_puts(b, "</section>\n");
}

struct queue_ctx {
	struct hh_req *r;
	const struct view *v;
	int n;
	/* the receiver's choices for a transfer onwards, loaded once */
	struct hh_buf *targets, *reasons;
};

static enum hh_rc own_code(void *p, const struct hh_inquiry_code *c)
{
	struct queue_ctx *k = p;
	int team = !strcmp(c->kind, "team");
	struct hh_buf *b = team ? k->targets : k->reasons;
	hh_buf_puts(b, "<option value=\"");
	if (team)
		hh_buf_puts(b, "team:");
	hh_buf_html(b, c->code);
	hh_buf_puts(b, "\">");
	hh_buf_html(b, c->label);
	hh_buf_puts(b, "</option>\n");
	return HH_OK;
}

static enum hh_rc other_org(void *p, const struct hh_org *o)
{
	struct queue_ctx *k = p;
	if (o->id == k->v->who.org_id)
		return HH_OK;
	hh_buf_puts(k->targets, "<option value=\"org:");
	hh_buf_html(k->targets, o->code);
	hh_buf_puts(k->targets, "\">");
	hh_buf_html(k->targets, o->name);
	hh_buf_puts(k->targets, "</option>\n");
	return HH_OK;
}

static void buf_release(void *p)
{
	hh_buf_clear(p);
}

static void queue_choices(struct queue_ctx *k)
{
	struct hh_req *r = k->r;
	k->targets = hh_arena_calloc(&r->arena, sizeof(*k->targets));
	k->reasons = hh_arena_calloc(&r->arena, sizeof(*k->reasons));
	hh_buf_init(k->targets);
	hh_buf_init(k->reasons);
	hh_arena_defer(&r->arena, buf_release, k->targets);
	hh_arena_defer(&r->arena, buf_release, k->reasons);
	hh_desk_codes(r->app->store, &r->arena, &k->v->who, NULL, own_code, k);
	hh_org_each(r->app->store, &r->arena, other_org, k);
}

static enum hh_rc queue_row(void *p, const struct hh_inquiry_transfer *t,
			    const struct hh_inquiry *q)
{
	struct queue_ctx *k = p;
	struct hh_req *r = k->r;
	struct hh_buf *b = &r->resp;
	if (!k->n++)
		hh_buf_puts(b, "<ul class=\"desk-list\" id=\"modtaget\">\n");
	hh_buf_printf(b, "<li id=\"viderestilling-%lld\">", (long long)t->id);
	hh_page_text(r, hh_datetime_da(&r->arena, t->at));
	hh_buf_puts(b, " · ");
	hh_page_text(r, channel_label(q->channel));
	if (t->to_team) {
		hh_buf_puts(b, " · team ");
		hh_page_text(r, t->to_team);
	}
	hh_buf_puts(b, " · årsag ");
	hh_page_text(r, t->reason);
	if (q->note && *q->note) {
		hh_buf_puts(b, " · ");
		hh_page_text(r, q->note);
	}
	if (t->taken_by)
		hh_buf_puts(b, " · <em>taget</em>");
	hh_buf_printf(b, "\n<form method=\"post\" class=\"inline\" "
			 "action=\"/borgerservice/viderestilling/%lld\">",
		      (long long)t->id);
	csrf_field(r, k->v);
	if (!t->taken_by)
		hh_buf_puts(b, "<button type=\"submit\" name=\"handling\" value=\"tag\" "
			       "class=\"secondary\">Tag</button> ");
	hh_buf_puts(b, "<button type=\"submit\" name=\"handling\" value=\"loest\">"
		       "Afslut som løst</button></form>\n");
	/* the other results: a case, a callback, onwards */
	long long id = (long long)t->id;
	hh_buf_printf(b, "<details><summary>Andet resultat</summary>\n<form "
			 "method=\"post\" action=\"/borgerservice/viderestilling/%lld\">\n",
		      id);
	csrf_field(r, k->v);
	hh_buf_printf(b, "<input type=\"hidden\" name=\"handling\" value=\"afslut\">\n"
			 "<div class=\"field\"><label for=\"resultat-%lld\">Resultat"
			 "</label>\n<select id=\"resultat-%lld\" name=\"resultat\">\n"
			 "<option value=\"case_created\">Sag oprettet</option>\n"
			 "<option value=\"callback_promised\">Ringes op</option>\n"
			 "<option value=\"transferred\">Viderestillet igen</option>\n"
			 "</select></div>\n<div class=\"field\"><label for=\"sag-%lld\">"
			 "Sagsnummer</label>\n<input id=\"sag-%lld\" name=\"sag\" "
			 "type=\"text\" inputmode=\"numeric\"></div>\n<div class=\"field\">"
			 "<label for=\"ring-%lld\">Ring op (dato og tid)</label>\n<input "
			 "id=\"ring-%lld\" name=\"ring\" type=\"datetime-local\"></div>\n"
			 "<div class=\"field\"><label for=\"til-%lld\">Viderestil til"
			 "</label>\n<select id=\"til-%lld\" name=\"til\"><option "
			 "value=\"\">Vælg modtager</option>\n",
		      id, id, id, id, id, id, id, id);
	hh_buf_puts(b, hh_buf_str(k->targets));
	hh_buf_printf(b, "</select></div>\n<div class=\"field\"><label "
			 "for=\"aarsag-%lld\">Årsag</label>\n<select id=\"aarsag-%lld\" "
			 "name=\"aarsag\"><option value=\"\">Vælg årsag</option>\n",
		      id, id);
	hh_buf_puts(b, hh_buf_str(k->reasons));
	hh_buf_puts(b, "</select></div>\n<button type=\"submit\">Afslut</button>"
		       "</form></details></li>\n");
	return HH_OK;
}

static enum hh_rc callback_row(void *p, const struct hh_inquiry *q)
{
	struct queue_ctx *k = p;
	struct hh_buf *b = &k->r->resp;
	if (!k->n++)
		hh_buf_puts(b, "<ul class=\"desk-list\" id=\"opringninger\">\n");
	hh_buf_puts(b, "<li>kl. ");
	const char *dt = hh_datetime_da(&k->r->arena, q->callback_due_at);
	const char *kl = strstr(dt, "kl. ");
	hh_page_text(k->r, kl ? kl + 4 : dt);
	hh_buf_puts(b, " · ");
	hh_page_text(k->r, channel_label(q->channel));
	if (q->citizen_id) {
		hh_buf_puts(b, " · <a href=\"");
		hh_page_text(k->r, self_url(k->r, k->v, q->citizen_id, 0, NULL));
		hh_buf_puts(b, "\">borgeren</a>");
	}
	if (q->note && *q->note) {
		hh_buf_puts(b, " · ");
		hh_page_text(k->r, q->note);
	}
	hh_buf_puts(b, "</li>\n");
	return HH_OK;
}

static void render(struct hh_req *r, struct view *v, int status)
{
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page pg = { .title = "Borgerservice" };
	hh_page_begin(r, &pg);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<script src=\"/static/desk.js\" defer></script>\n"
		       "<h1>Borgerservice</h1>\n"
		       "<nav aria-label=\"Borgerservice\" class=\"subnav\"><ul>");
	/* the chat console only for those who may work the chat queue */
	if (hh_access_scope(&v->who, HH_RES_CHAT_QUEUE, HH_ACT_READ) !=
	    HH_SCOPE_NONE)
		hh_buf_puts(b, "<li><a href=\"/borgerservice/chat\">Chat</a></li>");
	hh_buf_puts(b, "<li><a href=\"/borgerservice/tidsbestillinger\">Dagens "
		       "tidsbestillinger</a></li></ul></nav>\n");
	if (v->notice) {
		hh_buf_puts(b, "<p class=\"notice\" role=\"status\" id=\"kvittering\">");
		hh_page_text(r, v->notice);
		hh_buf_puts(b, "</p>\n");
	}
	hh_buf_puts(b, "<div class=\"desk\">\n<div class=\"desk-main\">\n");
	log_form(r, v);
	lookup_form(r, v);
	citizen_section(r, v);
	hh_buf_puts(b, "</div>\n<div class=\"desk-side\">\n");
	kb_section(r, v);
	hh_buf_puts(b, "<section aria-labelledby=\"til-os\">\n<h2 id=\"til-os\">"
		       "Viderestillet til os</h2>\n");
	struct queue_ctx k = { r, v, 0, NULL, NULL };
	queue_choices(&k);
	if (hh_desk_transfer_queue(r->app->store, &r->arena, &v->who, NULL, queue_row,
				   &k) == HH_OK) {
		if (k.n)
			hh_buf_puts(b, "</ul>\n");
		else
			hh_buf_puts(b, "<p>Ingen henvendelser venter.</p>\n");
	}
	hh_buf_puts(b, "</section>\n<section aria-labelledby=\"ring-op\">\n"
		       "<h2 id=\"ring-op\">Skal ringes op i dag</h2>\n");
	struct queue_ctx c = { r, v, 0, NULL, NULL };
	if (hh_desk_callbacks_today(r->app->store, &r->arena, &v->who, 0,
				    callback_row, &c) == HH_OK) {
		if (c.n)
			hh_buf_puts(b, "</ul>\n");
		else
			hh_buf_puts(b, "<p>Ingen opringninger i dag.</p>\n");
	}
	hh_buf_puts(b, "</section>\n<section aria-labelledby=\"genveje\">\n"
		       "<h2 id=\"genveje\">Tastaturgenveje</h2>\n<dl class=\"keys\">\n"
		       "<dt><kbd>Alt+1</kbd> … <kbd>Alt+4</kbd></dt><dd>Vælg udfald "
		       "(i Firefox <kbd>Alt+Shift+1</kbd> … uden JavaScript)</dd>\n"
		       "<dt><kbd>Enter</kbd></dt><dd>Registrér henvendelsen, når et "
		       "udfald er valgt</dd>\n"
		       "<dt><kbd>/</kbd></dt><dd>Gå til søgning i vidensbasen</dd>\n"
		       "<dt><kbd>Alt+N</kbd></dt><dd>Gå til notatet</dd>\n"
		       "</dl>\n</section>\n</div>\n</div>\n");
	hh_page_end(r, status);
}

static void view_init(struct hh_req *r, struct view *v,
		      const struct hh_principal *w, const struct hh_actor *who)
{
	memset(v, 0, sizeof(*v));
	v->w = w;
	v->who = *who;
	v->citizen_id = num(hh_req_query(r, "borger"));
	v->article_id = num(hh_req_query(r, "artikel"));
	const char *q = hh_req_query(r, "q");
	if (q && hh_utf8_valid(q, strlen(q)) && hh_utf8_len(q) <= 200)
		v->q = q;
	const char *logged = hh_req_query(r, "logget");
	if (num(logged))
		v->notice = hh_arena_printf(&r->arena, "Henvendelsen er registreret "
						       "(nr. %lld).",
					    (long long)num(logged));
	const char *sag = hh_req_query(r, "sag");
	if (num(sag))
		v->notice = hh_arena_printf(&r->arena, "Ansøgningen er sendt som sag "
						       "nr. %lld.",
					    (long long)num(sag));
	const char *done = hh_req_query(r, "ok");
	if (done && !strcmp(done, "tag"))
		v->notice = "Du har taget henvendelsen.";
	else if (done && !strcmp(done, "loest"))
		v->notice = "Henvendelsen er afsluttet som løst.";
	else if (done && !strcmp(done, "afslut"))
		v->notice = "Viderestillingen er afsluttet.";
	/* delivery */
	else if (done && !strcmp(done, "fritaget"))
		v->notice = "Fritagelsen for Digital Post er registreret.";
	else if (done && !strcmp(done, "ophaevet"))
		v->notice = "Fritagelsen for Digital Post er ophævet.";
}

void hh_page_desk(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = desk_gate(r, &who);
	if (!w)
		return;
	struct view *v = hh_arena_alloc(&r->arena, sizeof(*v));
	view_init(r, v, w, &who);
	render(r, v, 200);
}

static int csrf_ok(struct hh_req *r, struct view *v, const char **error)
{
	if (hh_csrf_ok(r, hh_req_form(r, "csrf")))
		return 1;
	*error = "Formularen er udløbet eller blev sendt fra en anden side, så "
		 "intet blev gemt. Prøv igen her.";
	(void)v;
	return 0;
}

static enum hh_rc found_row(void *p, const struct hh_citizen *z)
{
	struct view *v = p;
	if (v->n_found < HH_DESK_LOOKUP_MAX)
		v->found[v->n_found++] = *z;
	return HH_OK;
}

/* POST /borgerservice/opslag: cpr or navn */
void hh_page_desk_lookup(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = desk_gate(r, &who);
	if (!w)
		return;
	struct view *v = hh_arena_alloc(&r->arena, sizeof(*v));
	view_init(r, v, w, &who);
	v->article_id = num(hh_req_form(r, "artikel"));
	v->looked_up = 1;
	if (!csrf_ok(r, v, &v->lookup_error)) {
		render(r, v, 403);
		return;
	}
	const char *cpr = hh_req_form(r, "cpr"), *name = hh_req_form(r, "navn");
	if (cpr && (!hh_utf8_valid(cpr, strlen(cpr)) || strlen(cpr) > 20))
		cpr = "x"; /* refused below as not a CPR number */
	if (name && (!hh_utf8_valid(name, strlen(name)) || hh_utf8_len(name) > 100))
		name = "1"; /* refused below */
	v->cpr_typed = cpr;
	v->name_typed = name && strcmp(name, "1") ? name : NULL;
	enum hh_desk_fault fault = HH_DESK_FINE;
	enum hh_rc rc = hh_desk_lookup(r->app->store, &r->arena, &who, cpr, name,
				       found_row, v, &v->more, &fault);
	int status = 200;
	if (rc == HH_ERR_INVALID) {
		status = 400;
		v->lookup_error =
			fault == HH_DESK_CPR
				? "CPR-nummeret er ikke gyldigt. Skriv 10 cifre, fx "
				  "010203-1234, med en dato der findes."
			: fault == HH_DESK_NAME
				? "Skriv mindst 2 bogstaver af navnet og ingen tal. Et "
				  "CPR-nummer skrives i feltet CPR-nummer."
				: "Skriv enten et CPR-nummer eller et navn.";
	} else if (rc != HH_OK) {
		hh_page_error(r, rc == HH_ERR_BUSY ? 503 : 500, "Der skete en fejl",
			      "Opslaget kunne ikke gennemføres. Prøv igen om lidt.");
		return;
	}
	render(r, v, status);
}

/* Danish wall-clock "YYYY-MM-DDTHH:MM" as epoch seconds; 0 if malformed. */
static int64_t dk_local_time(const char *s)
{
	int y, mo, d, h, mi;
	char tail;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &tail) != 5 ||
	    mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || h < 0 || mi < 0)
		return 0;
	int64_t local = hh_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60;
	int64_t t = local - hh_dk_offset(local - 3600);
	return local - hh_dk_offset(t);
}

/* POST /borgerservice/henvendelse */
void hh_page_desk_log(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = desk_gate(r, &who);
	if (!w)
		return;
	struct view *v = hh_arena_alloc(&r->arena, sizeof(*v));
	view_init(r, v, w, &who);
	v->citizen_id = num(hh_req_form(r, "borger"));
	v->article_id = num(hh_req_form(r, "artikel"));
	v->outcome = hh_req_form(r, "udfald");
	v->channel = hh_req_form(r, "kanal");
	v->target = hh_req_form(r, "til");
	v->reason = hh_req_form(r, "aarsag");
	v->case_no = hh_req_form(r, "sag");
	v->due = hh_req_form(r, "ring");
	v->note = hh_req_form(r, "note");
	const char *texts[] = { v->outcome, v->channel, v->target, v->reason,
				v->case_no, v->due, v->note };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i] && (!hh_utf8_valid(texts[i], strlen(texts[i])) ||
				 hh_utf8_len(texts[i]) > NOTE_MAX)) {
			v->log_error = "Et felt indeholder tegn eller en længde, vi ikke "
				       "kan modtage.";
			v->note = NULL;
			render(r, v, 400);
			return;
		}
	if (!csrf_ok(r, v, &v->log_error)) {
		render(r, v, 403);
		return;
	}
	struct hh_inquiry_input in = { .channel = v->channel && *v->channel
							  ? v->channel : "phone",
				       .citizen_id = v->citizen_id,
				       .article_id = v->article_id,
				       .outcome = v->outcome };
	if (!v->outcome || !*v->outcome) {
		v->log_error = "Vælg et udfald (Alt+1 til Alt+4).";
		v->log_field = "udfald";
		render(r, v, 400);
		return;
	}
	if (v->note && *v->note)
		in.note = v->note;
	if (!strcmp(v->outcome, "transferred")) {
		/* "team:CODE", "org:CODE" or "org:CODE/team:CODE" */
		const char *t = v->target ? v->target : "";
		if (!strncmp(t, "org:", 4)) {
			const char *slash = strchr(t + 4, '/');
			in.transfer_org = slash ? hh_arena_strndup(&r->arena, t + 4,
								   (size_t)(slash - t - 4))
						: t + 4;
			if (slash && !strncmp(slash + 1, "team:", 5))
				in.transfer_team = slash + 6;
		} else if (!strncmp(t, "team:", 5)) {
			in.transfer_team = t + 5;
		}
		if (v->reason && *v->reason)
			in.transfer_reason = v->reason;
		if (!in.transfer_org && !in.transfer_team) {
			v->log_error = "Vælg hvem henvendelsen viderestilles til.";
			v->log_field = "til";
			render(r, v, 400);
			return;
		}
		if (!in.transfer_reason) {
			v->log_error = "Vælg en årsag til viderestillingen.";
			v->log_field = "aarsag";
			render(r, v, 400);
			return;
		}
	} else if (!strcmp(v->outcome, "case_created")) {
		in.case_id = num(v->case_no);
		if (!in.case_id) {
			v->log_error = "Skriv sagsnummeret på den oprettede sag.";
			v->log_field = "sag";
			render(r, v, 400);
			return;
		}
	} else if (!strcmp(v->outcome, "callback_promised")) {
		in.callback_due_at = dk_local_time(v->due);
		if (!in.callback_due_at) {
			v->log_error = "Skriv hvornår borgeren skal ringes op.";
			v->log_field = "ring";
			render(r, v, 400);
			return;
		}
	}
	struct hh_inquiry q;
	int replayed;
	enum hh_inquiry_fault fault = HH_INQ_FINE;
	const char *field = NULL;
	enum hh_rc rc = hh_inquiry_create(r->app->store, &r->arena, &who, &in, &q,
					  &replayed, &fault, &field);
	if (rc == HH_ERR_INVALID || rc == HH_ERR_CONFLICT) {
		switch (fault) {
		case HH_INQ_OUTCOME:
			v->log_error = "Vælg et af de fire udfald.";
			v->log_field = "udfald";
			break;
		case HH_INQ_CHANNEL:
			v->log_error = "Vælg en kanal.";
			v->log_field = "kanal";
			break;
		case HH_INQ_ORG:
			v->log_error = "Myndigheden findes ikke.";
			v->log_field = "til";
			break;
		case HH_INQ_CITIZEN:
			v->log_error = "Borgeren findes ikke, eller du har ikke adgang.";
			v->log_field = "borger";
			break;
		case HH_INQ_ARTICLE:
			v->log_error = "Artiklen findes ikke for din organisation.";
			v->log_field = "artikel";
			break;
		case HH_INQ_CASE:
			v->log_error = "Sagen findes ikke, eller den er en anden borgers.";
			v->log_field = "sag";
			break;
		default:
			v->log_error =
				field && !strcmp(field, "transfer_team")
					? "Teamet findes ikke hos modtageren."
				: field && !strcmp(field, "transfer_reason")
					? "Årsagen findes ikke hos jer."
				: field && !strcmp(field, "callback_due_at")
					? "Tidspunktet for opringning skal ligge "
					  "efter henvendelsen."
					: "Henvendelsen kunne ikke registreres. Ret "
					  "felterne og prøv igen.";
			v->log_field = "til";
			break;
		}
		render(r, v, 400);
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, rc == HH_ERR_FORBIDDEN ? 403 : 500,
			      "Henvendelsen blev ikke registreret",
			      "Prøv igen om lidt.");
		return;
	}
	/* the next contact starts clean: no citizen, no article */
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
						 "/borgerservice?logget=%lld#kvittering",
						 (long long)q.id));
}

/* POST /borgerservice/viderestilling/{id}: handling=tag|loest. Whoever
 * receives transfers may take and close them (the access table:
 * caseworkers too), not only the desk, so the gate is the domain's. */
void hh_page_desk_transfer(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER) {
		hh_resp_redirect(r, 303, "/log-ind");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		hh_page_error(r, 403, "Formularen er udløbet",
			      "Formularen er udløbet eller blev sendt fra en anden "
			      "side, så intet blev gemt. Gå tilbage og prøv igen.");
		return;
	}
	int64_t id = num(hh_req_param(r, "id"));
	const char *what = hh_req_form(r, "handling");
	struct hh_inquiry_transfer t;
	enum hh_desk_fault fault = HH_DESK_FINE;
	enum hh_rc rc;
	if (what && !strcmp(what, "tag")) {
		rc = hh_desk_transfer_take(r->app->store, &r->arena, &who, id, &t, &fault);
	} else if (what && !strcmp(what, "loest")) {
		struct hh_desk_close c = { .result = "resolved" };
		rc = hh_desk_transfer_close(r->app->store, &r->arena, &who, id, &c, &t,
					    &fault, NULL);
	} else if (what && !strcmp(what, "afslut")) {
		const char *result = hh_req_form(r, "resultat");
		struct hh_desk_close c = { .result = result };
		const char *target = hh_req_form(r, "til"), *reason = hh_req_form(r, "aarsag");
		if (result && !strcmp(result, "case_created"))
			c.case_id = num(hh_req_form(r, "sag"));
		else if (result && !strcmp(result, "callback_promised"))
			c.callback_due_at = dk_local_time(hh_req_form(r, "ring"));
		else if (result && !strcmp(result, "transferred")) {
			if (target && !strncmp(target, "team:", 5))
				c.to_team = target + 5;
			else if (target && !strncmp(target, "org:", 4))
				c.to_org = target + 4;
			c.reason = reason && *reason ? reason : NULL;
		}
		const char *field = NULL;
		rc = hh_desk_transfer_close(r->app->store, &r->arena, &who, id, &c, &t,
					    &fault, &field);
		if (rc == HH_ERR_INVALID) {
			hh_page_error(r, 400, "Viderestillingen blev ikke afsluttet",
				      fault == HH_DESK_CODE || fault == HH_DESK_ORG
					      ? "Modtageren eller årsagen findes ikke. Gå "
						"tilbage og vælg igen."
				      : field && !strcmp(field, "case_id")
					      ? "Skriv sagsnummeret på den oprettede sag."
				      : field && !strcmp(field, "callback_due_at")
					      ? "Skriv hvornår borgeren skal ringes op; "
						"tidspunktet skal ligge efter nu."
				      : field && !strcmp(field, "reason")
					      ? "Vælg en årsag til viderestillingen."
					      : "Vælg modtager og årsag, sagsnummer eller "
						"tidspunkt efter resultatet.");
			return;
		}
	} else {
		hh_page_error(r, 400, "Vælg en handling",
			      "Vælg Tag eller Afslut som løst.");
		return;
	}
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 404, "Findes ikke",
			      "Viderestillingen findes ikke, eller den er ikke til "
			      "jer.");
		return;
	}
	if (rc == HH_ERR_FORBIDDEN) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Kun modtageren kan tage eller afslutte en "
			      "viderestilling.");
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		hh_page_error(r, 409, "Allerede afsluttet",
			      "Henvendelsen var allerede afsluttet af en anden.");
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 500, "Der skete en fejl", "Prøv igen om lidt.");
		return;
	}
	if (hh_access(&who, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ, NULL) != HH_OK)
		hh_resp_redirect(r, 303, "/personale");
	else
		hh_resp_redirect(r, 303, what[0] == 't' ? "/borgerservice?ok=tag#til-os"
				 : what[0] == 'l' ? "/borgerservice?ok=loest#til-os"
						  : "/borgerservice?ok=afslut#til-os");
}

/* ---- assisted self-service: a form filled in with the citizen --------------- */

/* What the form page shows: the citizen, the case type, what was typed
 * and what was wrong. */
struct assisted {
	const struct hh_principal *w;
	struct hh_actor who;
	struct hh_citizen z;
	const char *code;
	struct hh_case_type row;
	struct hh_case_type_def *def;
	const char *key;          /* the idempotency key of this form */
	int consent;
	const char *error;        /* a message above the form */
	const struct hh_form_result *res;
};

static const char *typed(struct hh_req *r, const char *name)
{
	const char *s = hh_req_form(r, name);
	return s && hh_utf8_valid(s, strlen(s)) ? s : NULL;
}

static const char *field_error(const struct assisted *x, const char *name)
{
	for (int i = 0; x->res && i < x->res->n_errors; i++)
		if (!strcmp(x->res->errors[i].field, name))
			return x->res->errors[i].message;
	return NULL;
}

static void assisted_field(struct hh_req *r, const struct assisted *x,
			   const struct hh_form_field *f)
{
	struct hh_buf *b = &r->resp;
	const char *val = typed(r, f->name);
	const char *err = field_error(x, f->name);
	const char *id = hh_arena_printf(&r->arena, "felt-%s", f->name);
	if (f->type == HH_FIELD_FILE) {
		/* files are not taken at the desk (the form is a plain
		 * urlencoded post): a form that requires one cannot be sent
		 * from here, and says so */
		hh_buf_puts(b, "<p class=\"hint\">");
		hh_page_text(r, f->label);
		hh_buf_puts(b, f->required ? ": kræver en fil, som borgeren selv skal "
					     "sende med blanketten på helhed."
					   : ": filer kan borgeren selv sende senere.");
		hh_buf_puts(b, "</p>\n");
		if (err) {
			hh_buf_puts(b, "<p class=\"field-error\">");
			hh_page_text(r, err);
			hh_buf_puts(b, " Blanketten kan ikke sendes fra Borgerservice.</p>\n");
		}
		return;
	}
	hh_buf_puts(b, "<div class=\"field\">");
	if (f->type == HH_FIELD_YESNO) {
		hh_buf_puts(b, "<fieldset><legend>");
		hh_page_text(r, f->label);
		if (!f->required)
			hh_buf_puts(b, " (valgfrit)");
		hh_buf_puts(b, "</legend>\n");
		static const char *const yn[2][2] = { { "ja", "Ja" }, { "nej", "Nej" } };
		for (int i = 0; i < 2; i++) {
			hh_buf_printf(b, "<div class=\"choice\"><input type=\"radio\" "
					 "name=\"%s\" id=\"%s-%s\" value=\"%s\"%s> "
					 "<label for=\"%s-%s\">%s</label></div>\n",
				      f->name, id, yn[i][0], yn[i][0],
				      val && !strcmp(val, yn[i][0]) ? " checked" : "",
				      id, yn[i][0], yn[i][1]);
		}
		if (err) {
			hh_buf_puts(b, "<p class=\"field-error\">");
			hh_page_text(r, err);
			hh_buf_puts(b, "</p>");
		}
		hh_buf_puts(b, "</fieldset></div>\n");
		return;
	}
	hh_buf_printf(b, "<label for=\"%s\">", id);
	hh_page_text(r, f->label);
	if (!f->required)
		hh_buf_puts(b, " (valgfrit)");
	hh_buf_puts(b, "</label>\n");
	if (f->help) {
		hh_buf_printf(b, "<p class=\"hint\" id=\"%s-hjaelp\">", id);
		hh_page_text(r, f->help);
		hh_buf_puts(b, "</p>\n");
	}
	if (err) {
		hh_buf_printf(b, "<p class=\"field-error\" id=\"%s-fejl\">", id);
		hh_page_text(r, err);
		hh_buf_puts(b, "</p>\n");
	}
	const char *described = err ? hh_arena_printf(&r->arena,
						      " aria-invalid=\"true\" "
						      "aria-describedby=\"%s-fejl\"", id)
				    : f->help ? hh_arena_printf(&r->arena,
								" aria-describedby=\"%s-hjaelp\"",
								id)
					      : "";
	if (f->type == HH_FIELD_CHOICE) {
		hh_buf_printf(b, "<select id=\"%s\" name=\"%s\"%s>\n<option value=\"\">"
				 "Vælg</option>\n", id, f->name, described);
		for (int i = 0; i < f->n_options; i++)
			option(r, f->options[i].value, f->options[i].label, val);
		hh_buf_puts(b, "</select></div>\n");
		return;
	}
	if (f->type == HH_FIELD_TEXTAREA) {
		hh_buf_printf(b, "<textarea id=\"%s\" name=\"%s\" rows=\"4\"%s>", id,
			      f->name, described);
		hh_page_text(r, val ? val : "");
		hh_buf_puts(b, "</textarea></div>\n");
		return;
	}
	const char *type = f->type == HH_FIELD_DATE ? "date"
			   : f->type == HH_FIELD_EMAIL ? "email"
			   : f->type == HH_FIELD_PHONE ? "tel" : "text";
	hh_buf_printf(b, "<input id=\"%s\" name=\"%s\" type=\"%s\"%s%s value=\"", id,
		      f->name, type,
		      f->type == HH_FIELD_NUMBER || f->type == HH_FIELD_CPR ||
				      f->type == HH_FIELD_AMOUNT
			      ? " inputmode=\"numeric\"" : "",
		      described);
	hh_page_text(r, val ? val : "");
	hh_buf_puts(b, "\"></div>\n");
}

static void assisted_render(struct hh_req *r, const struct assisted *x, int status)
{
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page pg = { .title = hh_arena_printf(&r->arena, "%s – Borgerservice",
						       x->row.name) };
	hh_page_begin(r, &pg);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<p><a href=\"");
	hh_page_text(r, hh_arena_printf(&r->arena, "/borgerservice?borger=%lld",
					(long long)x->z.id));
	hh_buf_puts(b, "\">Tilbage til Borgerservice</a></p>\n<h1>");
	hh_page_text(r, x->row.name);
	hh_buf_puts(b, "</h1>\n<p>Udfyldes sammen med <strong>");
	hh_page_text(r, x->z.name);
	hh_buf_puts(b, "</strong>. Sagen bliver borgerens og viser, at Borgerservice "
		       "hjalp.</p>\n");
	if (x->error || (x->res && x->res->n_errors)) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\" id=\"fejl\" "
			       "tabindex=\"-1\"><p>");
		hh_page_text(r, x->error ? x->error
					 : "Blanketten har fejl. Ret de markerede felter.");
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<form method=\"post\" action=\"/borgerservice/blanket\" "
		       "class=\"form wide\">\n");
	csrf_field(r, &(struct view){ .w = x->w });
	hh_buf_printf(b, "<input type=\"hidden\" name=\"borger\" value=\"%lld\">\n",
		      (long long)x->z.id);
	hh_buf_puts(b, "<input type=\"hidden\" name=\"type\" value=\"");
	hh_page_text(r, x->code);
	hh_buf_puts(b, "\">\n<input type=\"hidden\" name=\"noegle\" value=\"");
	hh_page_text(r, x->key);
	hh_buf_puts(b, "\">\n");
	const struct hh_form *form = &x->def->form_def;
	for (int i = 0; i < form->n_fields; i++)
		assisted_field(r, x, &form->fields[i]);
	hh_buf_puts(b, "<div class=\"field\"><div class=\"choice\"><input "
		       "type=\"checkbox\" id=\"samtykke\" name=\"samtykke\" "
		       "value=\"ja\" required");
	if (x->consent)
		hh_buf_puts(b, " checked");
	hh_buf_puts(b, "> <label for=\"samtykke\">" HH_DESK_CONSENT_TEXT
		       "</label></div></div>\n<button type=\"submit\">Send "
		       "ansøgningen</button>\n</form>\n");
	hh_page_end(r, status);
}

/* Loads what the form page needs; queues an error page and returns 0
 * when it cannot. */
static int assisted_load(struct hh_req *r, struct assisted *x, int64_t citizen_id,
			 const char *code)
{
	enum hh_rc rc = hh_desk_citizen(r->app->store, &r->arena, &x->who, citizen_id,
					&x->z);
	if (rc == HH_OK && code)
		rc = hh_case_type_form(r->app->store, &r->arena, code, &x->row, &x->def);
	else if (rc == HH_OK)
		rc = HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 404, "Findes ikke",
			      "Borgeren eller blanketten findes ikke, eller du har "
			      "ikke adgang.");
		return 0;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 500, "Der skete en fejl", "Prøv igen om lidt.");
		return 0;
	}
	x->code = code;
	return 1;
}

/* GET /borgerservice/blanket?borger=ID&type=CODE */
void hh_page_desk_form(struct hh_req *r)
{
	struct assisted *x = hh_arena_calloc(&r->arena, sizeof(*x));
	x->w = desk_gate(r, &x->who);
	if (!x->w ||
	    !assisted_load(r, x, num(hh_req_query(r, "borger")), hh_req_query(r, "type")))
		return;
	char token[HH_TOKEN_CHARS];
	unsigned char unused[32];
	hh_auth_new_token(token, unused);
	x->key = hh_arena_strdup(&r->arena, token);
	assisted_render(r, x, 200);
}

/* POST /borgerservice/blanket */
void hh_page_desk_form_post(struct hh_req *r)
{
	struct assisted *x = hh_arena_calloc(&r->arena, sizeof(*x));
	x->w = desk_gate(r, &x->who);
	if (!x->w ||
	    !assisted_load(r, x, num(hh_req_form(r, "borger")), typed(r, "type")))
		return;
	const char *key = typed(r, "noegle");
	x->key = key && *key && strlen(key) <= 100 ? key : "";
	x->consent = hh_req_form(r, "samtykke") != NULL;
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		x->error = "Formularen er udløbet eller blev sendt fra en anden side, så "
			   "intet blev sendt. Prøv igen her.";
		assisted_render(r, x, 403);
		return;
	}
	json_t *values = json_object();
	hh_arena_defer(&r->arena, hh_json_release, values);
	const struct hh_form *form = &x->def->form_def;
	for (int i = 0; i < form->n_fields; i++) {
		const char *v = hh_req_form(r, form->fields[i].name);
		if (v && *v && form->fields[i].type != HH_FIELD_FILE)
			json_object_set_new(values, form->fields[i].name,
					    json_string_nocheck(v));
	}
	struct hh_desk_assist in = { .case_type = x->code, .values = values,
				     .consent = x->consent,
				     .idem_key = *x->key ? x->key : NULL };
	struct hh_form_result res;
	struct hh_case c;
	int replayed;
	enum hh_submit_fault fault;
	enum hh_desk_fault dfault;
	enum hh_rc rc = hh_desk_assisted_submit(r->app->store, &r->arena, &x->who,
						x->z.id, &in, &res, &c, &replayed,
						&fault, &dfault);
	if (res.values)
		hh_arena_defer(&r->arena, hh_json_release, res.values);
	if (rc == HH_ERR_INVALID && dfault == HH_DESK_CONSENT) {
		x->error = "Sæt flueben, når borgeren har givet samtykke til, at "
			   "Borgerservice udfylder ansøgningen.";
		assisted_render(r, x, 400);
		return;
	}
	if (rc == HH_ERR_INVALID && res.n_errors) {
		x->res = &res;
		assisted_render(r, x, 422);
		return;
	}
	if (rc == HH_ERR_INVALID || rc == HH_ERR_CONFLICT) {
		x->error = fault == HH_SUBMIT_MUNICIPALITY
				   ? "Borgerens kommune kendes ikke, så ansøgningen kan "
				     "ikke sendes."
				   : "Ansøgningen kunne ikke sendes. Start blanketten "
				     "forfra.";
		assisted_render(r, x, rc == HH_ERR_CONFLICT ? 409 : 400);
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, rc == HH_ERR_FORBIDDEN ? 403 : 500,
			      "Ansøgningen blev ikke sendt", "Prøv igen om lidt.");
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
						 "/borgerservice?borger=%lld&sag=%lld"
						 "#kvittering",
						 (long long)x->z.id, (long long)c.id));
}

/* delivery: POST /borgerservice/borger/{id}/digital-post: handling
 * "fritag" (fra: YYYY-MM-DD, grund: one of hh_dp_exempt_reasons) or
 * "ophaev". */
void hh_page_desk_dp_exempt(struct hh_req *r)
{
	struct hh_actor who;
	const struct hh_principal *w = desk_gate(r, &who);
	if (!w)
		return;
	struct view *v = hh_arena_alloc(&r->arena, sizeof(*v));
	view_init(r, v, w, &who);
	v->citizen_id = num(hh_req_param(r, "id"));
	if (!csrf_ok(r, v, &v->notice)) {
		render(r, v, 403);
		return;
	}
	const char *what = hh_req_form(r, "handling");
	const char *from = hh_req_form(r, "fra");
	const char *reason = hh_req_form(r, "grund");
	int lift = what && !strcmp(what, "ophaev");
	int64_t since = 0;
	if (!lift && (!from || strlen(from) != 10 ||
		      !hh_iso8601_parse(from, &since) || since <= 0)) {
		v->notice = "Skriv den dato, borgeren er fritaget fra.";
		render(r, v, 400);
		return;
	}
	enum hh_rc rc = hh_citizen_dp_exempt(r->app->store, &who, v->citizen_id,
					     lift ? 0 : since, reason);
	if (rc == HH_ERR_INVALID) {
		v->notice = "Vælg en af begrundelserne på listen.";
		render(r, v, 400);
		return;
	}
	if (rc != HH_OK) {
		v->notice = rc == HH_ERR_NOT_FOUND
				    ? "Borgeren findes ikke, eller du har ikke "
				      "adgang til borgeren."
				    : "Fritagelsen kunne ikke gemmes. Prøv igen.";
		render(r, v, rc == HH_ERR_NOT_FOUND ? 404 : 503);
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
						 "/borgerservice?borger=%lld&ok=%s",
						 (long long)v->citizen_id,
						 lift ? "ophaevet" : "fritaget"));
}
