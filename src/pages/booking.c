/* booking.c - appointments (tidsbestilling) as pages: choose an
 * organisation, a service and a free time, and book it; the booking's own
 * page by its code (move, cancel); the counter's day list for the front
 * desk. Every step is a plain link or form, so it works without
 * JavaScript.
 *
 * Forms of citizens who are not signed in carry a double-submit token:
 * the same random value in a strict cookie limited to /tidsbestilling and
 * in the form (as the sign-in forms do). Signed-in callers use their
 * session's CSRF token. */
#include "pages/booking.h"

#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/appointments.h"
#include "domain/auth.h"
#include "domain/orgs.h"
#include "pages/borger.h"

#define TOKEN_COOKIE "hh_tid"
#define TOKEN_PATH "/tidsbestilling"

static const char *const weekday_da[7] = { "mandag", "tirsdag", "onsdag",
					   "torsdag", "fredag", "lørdag",
					   "søndag" };

/* ---- helpers ----------------------------------------------------------- */

const char *hh_booking_day_da(struct hh_arena *a, int64_t day)
{
	int64_t y;
	int m, d;
	static const char *const months[12] = { "januar", "februar", "marts",
						"april", "maj", "juni", "juli",
						"august", "september", "oktober",
						"november", "december" };
	hh_civil_from_days(day, &y, &m, &d);
	int64_t w = ((day + 3) % 7 + 7) % 7;
	return hh_arena_printf(a, "%s %d. %s %lld", weekday_da[w], d, months[m - 1],
			       (long long)y);
}

const char *hh_booking_clock(struct hh_arena *a, int64_t t)
{
	int64_t l = hh_dk_local(t) % 86400;
	if (l < 0)
		l += 86400;
	return hh_arena_printf(a, "%02d.%02d", (int)(l / 3600), (int)(l / 60 % 60));
}

/* The form's token: the session's, or the double-submit cookie's (made
 * and set when there is none). */
static const char *form_token(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_USER || w->kind == HH_CITIZEN)
		return w->csrf;
	const char *c = hh_req_cookie(r, TOKEN_COOKIE);
	if (c && strlen(c) == HH_TOKEN_CHARS - 1)
		return c;
	char token[HH_TOKEN_CHARS];
	unsigned char unused[32];
	hh_auth_new_token(token, unused);
	hh_cookie_set(r, HH_COOKIE_STRICT, TOKEN_COOKIE, token, TOKEN_PATH, 7200);
	return hh_arena_strdup(&r->arena, token);
}

static int token_ok(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	const char *sent = hh_req_form(r, "csrf");
	if (w->kind == HH_USER || w->kind == HH_CITIZEN)
		return sent && hh_csrf_ok(r, sent);
	const char *c = hh_req_cookie(r, TOKEN_COOKIE);
	return sent && c && strlen(c) == HH_TOKEN_CHARS - 1 && !strcmp(sent, c);
}

static void token_field(struct hh_req *r, const char *token)
{
	hh_buf_puts(&r->resp, "<input type=\"hidden\" name=\"csrf\" value=\"");
	hh_page_text(r, token);
	hh_buf_puts(&r->resp, "\">\n");
}

static void error_box(struct hh_req *r, const char *msg)
{
	if (!msg)
		return;
	hh_buf_puts(&r->resp, "<div class=\"error\" role=\"alert\" "
			      "id=\"booking-error\"><p>");
	hh_page_text(r, msg);
	hh_buf_puts(&r->resp, "</p></div>\n");
}

struct org_list {
	struct hh_req *r;
	struct hh_org v[64];
	int n;
};

static enum hh_rc org_row(void *p, const struct hh_org *o)
{
	struct org_list *l = p;
	struct hh_counter_config cfg;
	if (l->n < 64 &&
	    hh_counter_config_get(l->r->app->store, &l->r->arena, o->id, &cfg) == HH_OK)
		l->v[l->n++] = *o;
	return HH_OK;
}

/* ---- the booking steps -------------------------------------------------- */

struct slot_list {
	struct hh_arena *a;
	struct hh_slot *v;
	size_t n, cap;
};

static enum hh_rc slot_push(void *p, const struct hh_slot *s)
{
	struct slot_list *l = p;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct hh_slot *v = hh_arena_alloc(l->a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *s;
	return HH_OK;
}

/* Appends the free slots of a week from day from as radio buttons grouped
 * by day (name "start", value the epoch seconds), with links to the
 * weeks before and after (base: the page's URL with its query, to which
 * "&fra=" is added). Returns how many slots were shown. */
static size_t slot_radios(struct hh_req *r, int64_t org_id, const char *service,
			  int64_t from, const char *base, int64_t chosen)
{
	struct hh_buf *b = &r->resp;
	struct slot_list l = { &r->arena, NULL, 0, 0 };
	enum hh_rc rc = hh_slots_list(r->app->store, &r->arena, org_id, service,
				      from, from + 6, 0, slot_push, &l);
	if (rc != HH_OK && rc != HH_ERR_NOT_FOUND) {
		hh_buf_puts(b, "<p class=\"error\">De ledige tider kan ikke vises "
			       "lige nu. Prøv igen om lidt.</p>\n");
		return 0;
	}
	int64_t today = hh_appt_day_of(hh_now_us() / 1000000);
	hh_buf_puts(b, "<nav class=\"pager\" aria-label=\"Uger\"><ul>\n");
	if (from > today) {
		hh_buf_puts(b, "<li><a href=\"");
		hh_page_text(r, hh_arena_printf(&r->arena, "%s&fra=%lld", base,
						(long long)(from - 7 > today ? from - 7
									     : today)));
		hh_buf_puts(b, "\">Forrige uge</a></li>\n");
	}
	hh_buf_puts(b, "<li><a href=\"");
	hh_page_text(r, hh_arena_printf(&r->arena, "%s&fra=%lld", base,
					(long long)(from + 7)));
	hh_buf_puts(b, "\">Næste uge</a></li>\n</ul></nav>\n");
	if (!l.n) {
		hh_buf_puts(b, "<p class=\"notice\">Der er ingen ledige tider i "
			       "disse dage. Prøv næste uge.</p>\n");
		return 0;
	}
	int64_t shown_day = -1;
	for (size_t i = 0; i < l.n; i++) {
		int64_t day = hh_appt_day_of(l.v[i].start_at);
		if (day != shown_day) {
			if (shown_day >= 0)
				hh_buf_puts(b, "</div>\n</fieldset>\n");
			hh_buf_puts(b, "<fieldset class=\"slots\">\n<legend>");
			const char *name = hh_booking_day_da(&r->arena, day);
			char cap[64];
			snprintf(cap, sizeof(cap), "%s", name);
			cap[0] = (char)(cap[0] - 32); /* weekdays start in a-z */
			hh_page_text(r, cap);
			hh_buf_puts(b, "</legend>\n<div class=\"radios inline\">\n");
			shown_day = day;
		}
		hh_buf_printf(b, "<div class=\"radio\"><input type=\"radio\" "
				 "name=\"start\" id=\"t%lld\" value=\"%lld\"%s required>"
				 "<label for=\"t%lld\">kl. ",
			      (long long)l.v[i].start_at, (long long)l.v[i].start_at,
			      l.v[i].start_at == chosen ? " checked" : "",
			      (long long)l.v[i].start_at);
		hh_page_text(r, hh_booking_clock(&r->arena, l.v[i].start_at));
		hh_buf_puts(b, "</label></div>\n");
	}
	hh_buf_puts(b, "</div>\n</fieldset>\n");
	return l.n;
}

static void service_facts(struct hh_req *r, const struct hh_counter_service *s)
{
	struct hh_buf *b = &r->resp;
	hh_buf_printf(b, "<p>Varighed: %d minutter.</p>\n", s->minutes);
	if (s->n_documents) {
		hh_buf_puts(b, "<p>Husk at medbringe:</p>\n<ul class=\"documents\">\n");
		for (int k = 0; k < s->n_documents; k++) {
			hh_buf_puts(b, "<li>");
			hh_page_text(r, s->documents[k]);
			hh_buf_puts(b, "</li>\n");
		}
		hh_buf_puts(b, "</ul>\n");
	}
	if (s->price_note) {
		hh_buf_puts(b, "<p class=\"hint\">");
		hh_page_text(r, s->price_note);
		hh_buf_puts(b, "</p>\n");
	}
}

/* What the booking form was sent with, to show it again after an error. */
struct sent {
	const char *name, *email, *phone;
	int64_t start;
	const char *error;
	const char *error_field;
};

static void contact_fields(struct hh_req *r, const struct sent *s)
{
	struct hh_buf *b = &r->resp;
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_CITIZEN) {
		hh_buf_puts(b, "<p>Du er logget ind, så tiden bliver gemt under "
			       "Mit overblik. Du kan skrive en e-mail eller et "
			       "telefonnummer, hvis vi skal kunne kontakte dig.</p>\n");
	} else {
		hh_buf_puts(b, "<p>Du behøver ikke logge ind. Skriv dit navn og "
			       "enten din e-mail eller dit telefonnummer.</p>\n"
			       "<div class=\"field\"><label for=\"name\">Navn</label>\n"
			       "<input id=\"name\" name=\"name\" type=\"text\" "
			       "autocomplete=\"name\" "
			       "required value=\"");
		hh_page_text(r, s ? s->name : NULL);
		hh_buf_puts(b, "\"></div>\n");
	}
	hh_buf_puts(b, "<div class=\"field\"><label for=\"email\">E-mail</label>\n"
		       "<input id=\"email\" name=\"email\" type=\"email\" "
		       "autocomplete=\"email\" value=\"");
	hh_page_text(r, s ? s->email : NULL);
	hh_buf_puts(b, "\"></div>\n<div class=\"field\"><label for=\"phone\">"
		       "Telefonnummer</label>\n<input id=\"phone\" name=\"phone\" "
		       "type=\"tel\" autocomplete=\"tel\" value=\"");
	hh_page_text(r, s ? s->phone : NULL);
	hh_buf_puts(b, "\"></div>\n");
}

/* The booking page at its step: no organisation, no service, or the
 * times and the form. */
static void booking_page(struct hh_req *r, int status, const char *org_code,
			 const char *service, int64_t from, const struct sent *s)
{
	struct hh_buf *b = &r->resp;
	struct hh_org org = { 0 };
	int have_org = org_code && *org_code &&
		       hh_org_by_code(r->app->store, &r->arena, org_code, &org) == HH_OK;
	struct hh_counter_config cfg;
	int have_cfg = have_org && hh_counter_config_get(r->app->store, &r->arena,
							 org.id, &cfg) == HH_OK;
	const struct hh_counter_service *svc =
		have_cfg ? hh_counter_service_find(&cfg, service) : NULL;
	const char *token = form_token(r);
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Bestil tid i Borgerservice" };
	hh_page_begin(r, &p);
	hh_buf_puts(b, "<h1>Bestil tid i Borgerservice</h1>\n");
	error_box(r, s ? s->error : NULL);
	if (!have_cfg) {
		struct org_list l = { .r = r };
		hh_org_each(r->app->store, &r->arena, org_row, &l);
		hh_buf_puts(b, "<p class=\"lead\">Bestil en tid, så du ikke skal "
			       "vente, når du kommer. Vælg først, hvor du vil "
			       "møde op.</p>\n"
			       "<form class=\"form\" method=\"get\" "
			       "action=\"/tidsbestilling\">\n<fieldset>\n"
			       "<legend>Vælg kommune</legend>\n<div class=\"radios\">\n");
		for (int i = 0; i < l.n; i++) {
			hh_buf_puts(b, "<div class=\"radio\"><input type=\"radio\" "
				       "name=\"kommune\" required id=\"k-");
			hh_page_text(r, l.v[i].code);
			hh_buf_puts(b, "\" value=\"");
			hh_page_text(r, l.v[i].code);
			hh_buf_puts(b, "\"><label for=\"k-");
			hh_page_text(r, l.v[i].code);
			hh_buf_puts(b, "\">");
			hh_page_text(r, l.v[i].name);
			hh_buf_puts(b, "</label></div>\n");
		}
		hh_buf_puts(b, "</div>\n</fieldset>\n<button type=\"submit\">Videre"
			       "</button>\n</form>\n"
			       "<h2>Har du allerede en tid?</h2>\n"
			       "<form class=\"form\" method=\"get\" "
			       "action=\"/tidsbestilling\">\n<div class=\"field\">"
			       "<label for=\"kode\">Din bookingkode</label>\n"
			       "<input id=\"kode\" name=\"kode\" type=\"text\" "
			       "autocomplete=\"off\" "
			       "required></div>\n<button type=\"submit\">Find min tid"
			       "</button>\n</form>\n");
		hh_page_end(r, status);
		return;
	}
	hh_buf_puts(b, "<p class=\"lead\">");
	hh_page_text(r, org.name);
	hh_buf_puts(b, ". <a href=\"/tidsbestilling\">Vælg en anden kommune</a></p>\n");
	if (!svc) {
		hh_buf_puts(b, "<form class=\"form\" method=\"get\" "
			       "action=\"/tidsbestilling\">\n"
			       "<input type=\"hidden\" name=\"kommune\" value=\"");
		hh_page_text(r, org.code);
		hh_buf_puts(b, "\">\n<fieldset>\n<legend>Hvad skal du?</legend>\n"
			       "<div class=\"radios\">\n");
		for (int i = 0; i < cfg.n_services; i++) {
			hh_buf_puts(b, "<div class=\"radio\"><input type=\"radio\" "
				       "name=\"ydelse\" required id=\"y-");
			hh_page_text(r, cfg.services[i].code);
			hh_buf_puts(b, "\" value=\"");
			hh_page_text(r, cfg.services[i].code);
			hh_buf_puts(b, "\"><label for=\"y-");
			hh_page_text(r, cfg.services[i].code);
			hh_buf_puts(b, "\">");
			hh_page_text(r, cfg.services[i].name);
			hh_buf_printf(b, " (%d min.)", cfg.services[i].minutes);
			hh_buf_puts(b, "</label></div>\n");
		}
		hh_buf_puts(b, "</div>\n</fieldset>\n<button type=\"submit\">Videre"
			       "</button>\n</form>\n");
		hh_page_end_org(r, status, org.code);
		return;
	}
	hh_buf_puts(b, "<h2>");
	hh_page_text(r, svc->name);
	hh_buf_puts(b, "</h2>\n");
	service_facts(r, svc);
	hh_buf_puts(b, "<p><a href=\"/tidsbestilling?kommune=");
	hh_page_text(r, org.code);
	hh_buf_puts(b, "\">Vælg en anden ydelse</a></p>\n"
		       "<form class=\"form booking\" method=\"post\" "
		       "action=\"/tidsbestilling\">\n");
	token_field(r, token);
	hh_buf_puts(b, "<input type=\"hidden\" name=\"kommune\" value=\"");
	hh_page_text(r, org.code);
	hh_buf_puts(b, "\">\n<input type=\"hidden\" name=\"ydelse\" value=\"");
	hh_page_text(r, svc->code);
	hh_buf_printf(b, "\">\n<input type=\"hidden\" name=\"fra\" value=\"%lld\">\n"
			 "<h2>Vælg en tid</h2>\n",
		      (long long)from);
	const char *base = hh_arena_printf(&r->arena, "/tidsbestilling?kommune=%s&ydelse=%s",
					   org.code, svc->code);
	if (slot_radios(r, org.id, svc->code, from, base, s ? s->start : 0)) {
		hh_buf_puts(b, "<h2>Dine oplysninger</h2>\n");
		contact_fields(r, s);
		hh_buf_puts(b, "<button type=\"submit\">Bestil tiden</button>\n");
	}
	hh_buf_puts(b, "</form>\n");
	hh_page_end_org(r, status, org.code);
}

static int64_t from_param(const char *s)
{
	int64_t today = hh_appt_day_of(hh_now_us() / 1000000);
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || v < today || v > today + 400)
		return today;
	return v;
}

void hh_page_booking(struct hh_req *r)
{
	const char *code = hh_req_query(r, "kode");
	if (code) {
		/* "Find min tid": the booking's own page */
		struct hh_buf u;
		hh_buf_init(&u);
		hh_buf_puts(&u, "/tidsbestilling/");
		hh_buf_urlenc(&u, code);
		hh_resp_redirect(r, 303, hh_arena_strdup(&r->arena, hh_buf_str(&u)));
		hh_buf_clear(&u);
		return;
	}
	booking_page(r, 200, hh_req_query(r, "kommune"), hh_req_query(r, "ydelse"),
		     from_param(hh_req_query(r, "fra")), NULL);
}

/* The status and message of a refused booking or move. */
static int fault_status(enum hh_rc rc, enum hh_appt_fault f)
{
	if (f == HH_APPT_TAKEN || f == HH_APPT_STATE)
		return 409;
	if (f != HH_APPT_FINE || rc == HH_ERR_INVALID)
		return 400;
	if (rc == HH_ERR_NOT_FOUND)
		return 404;
	if (rc == HH_ERR_FORBIDDEN)
		return 403;
	if (rc == HH_ERR_LIMITED)
		return 429;
	return 503;
}

static const char *fault_message(enum hh_rc rc, enum hh_appt_fault f)
{
	if (f != HH_APPT_FINE)
		return hh_appt_fault_da(f);
	if (rc == HH_ERR_CONFLICT)
		return "Tidsbestillingen blev ændret imens. Se den igen, og prøv "
		       "en gang til.";
	if (rc == HH_ERR_FORBIDDEN)
		return "Du er logget ind som medarbejder og kan kun bestille tid "
		       "ved din egen organisations skranke. Log ud for at "
		       "bestille tid som borger.";
	return "Vi kunne ikke gemme din tid lige nu. Prøv igen om lidt.";
}

static int64_t start_field(struct hh_req *r)
{
	const char *s = hh_req_form(r, "start");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 ? v : 0;
}

void hh_page_booking_post(struct hh_req *r)
{
	const char *org_code = hh_req_form(r, "kommune");
	const char *service = hh_req_form(r, "ydelse");
	int64_t from = from_param(hh_req_form(r, "fra"));
	struct sent s = { hh_req_form(r, "name"), hh_req_form(r, "email"),
			  hh_req_form(r, "phone"), start_field(r), NULL, NULL };
	if (!token_ok(r)) {
		s.error = "Siden er udløbet eller blev sendt fra en anden side. "
			  "Vælg tiden igen.";
		booking_page(r, 403, org_code, service, from, &s);
		return;
	}
	if (!s.start) {
		s.error = "Vælg en af de ledige tider.";
		booking_page(r, 400, org_code, service, from, &s);
		return;
	}
	struct hh_org org;
	if (!org_code || hh_org_by_code(r->app->store, &r->arena, org_code, &org) != HH_OK) {
		booking_page(r, 400, NULL, NULL, from, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_appointment_input in = {
		.org_id = org.id, .service = service, .start_at = s.start,
		.name = s.name, .email = s.email, .phone = s.phone,
	};
	/* an empty field is no value */
	if (in.email && !*in.email)
		in.email = NULL;
	if (in.phone && !*in.phone)
		in.phone = NULL;
	struct hh_appointment bk;
	int replayed;
	enum hh_appt_fault fault = HH_APPT_FINE;
	const char *field = NULL;
	enum hh_rc rc = hh_appointment_book(r->app->store, &r->arena, &who, &in, &bk,
					    &replayed, &fault, &field);
	if (rc != HH_OK) {
		s.error = fault_message(rc, fault);
		if (fault == HH_APPT_TAKEN)
			s.start = 0;
		booking_page(r, fault_status(rc, fault), org_code, service, from, &s);
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "/tidsbestilling/%s?ny=1",
						 bk.code));
}

/* ---- the booking by its code ------------------------------------------- */

struct org_find {
	int64_t id;
	struct hh_org org;
};

static enum hh_rc org_find_row(void *p, const struct hh_org *o)
{
	struct org_find *f = p;
	if (o->id == f->id)
		f->org = *o;
	return HH_OK;
}

static void booking_show(struct hh_req *r, int status, const char *code,
			 const char *error, const char *notice)
{
	struct hh_buf *b = &r->resp;
	struct hh_appointment bk;
	enum hh_rc rc = hh_appointment_get(r->app->store, &r->arena, code, &bk);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 404, "Tidsbestillingen findes ikke",
			      "Vi kan ikke finde en tid med den kode. Tjek, at du "
			      "har skrevet koden rigtigt, som den står i din "
			      "bekræftelse.");
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Prøv igen om lidt",
			      "Tidsbestillingen kan ikke vises lige nu.");
		return;
	}
	struct hh_counter_config cfg;
	const struct hh_counter_service *svc = NULL;
	if (hh_counter_config_get(r->app->store, &r->arena, bk.org_id, &cfg) == HH_OK)
		svc = hh_counter_service_find(&cfg, bk.service);
	struct org_find of = { .id = bk.org_id };
	hh_org_each(r->app->store, &r->arena, org_find_row, &of);
	const char *org_name = of.org.name;
	const char *org_code = of.org.code;
	const char *token = form_token(r);
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Din tid i Borgerservice" };
	hh_page_begin(r, &p);
	const char *display = hh_booking_code_display(&r->arena, bk.code);
	int cancelled = !strcmp(bk.state, "cancelled");
	if (notice) {
		hh_buf_puts(b, "<div class=\"success\" role=\"status\"><p>");
		hh_page_text(r, notice);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, cancelled ? "<h1>Tiden er aflyst</h1>\n"
				 : "<h1>Din tid i Borgerservice</h1>\n");
	error_box(r, error);
	hh_buf_puts(b, "<dl class=\"facts booking-facts\">\n<dt>Bookingkode</dt>"
		       "<dd><strong class=\"booking-code\">");
	hh_page_text(r, display);
	hh_buf_puts(b, "</strong></dd>\n<dt>Hvad</dt><dd>");
	hh_page_text(r, svc ? svc->name : bk.service);
	hh_buf_puts(b, "</dd>\n<dt>Hvornår</dt><dd class=\"booking-when\">");
	const char *when = hh_booking_day_da(&r->arena, hh_appt_day_of(bk.start_at));
	hh_page_text(r, when);
	hh_buf_puts(b, " kl. ");
	hh_page_text(r, hh_booking_clock(&r->arena, bk.start_at));
	hh_buf_puts(b, "</dd>\n<dt>Hvor</dt><dd>");
	hh_page_text(r, org_name ? org_name : "");
	hh_buf_puts(b, ", Borgerservice");
	hh_buf_printf(b, " (skranke %d)</dd>\n</dl>\n", bk.counter);
	if (!cancelled && !strcmp(bk.state, "booked"))
		hh_buf_puts(b, "<p>Gem koden. Med den kan du se, flytte og aflyse "
			       "tiden her, uden at logge ind.</p>\n");
	if (svc && !cancelled)
		service_facts(r, svc);
	if (!strcmp(bk.state, "booked") && bk.start_at > hh_now_us() / 1000000) {
		hh_buf_puts(b, "<h2>Flyt tiden</h2>\n<form class=\"form\" method=\"post\" "
			       "action=\"/tidsbestilling/");
		hh_page_text(r, bk.code);
		hh_buf_puts(b, "/flyt\">\n");
		token_field(r, token);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n",
			      (long long)bk.version);
		int64_t from = from_param(hh_req_query(r, "fra"));
		const char *base = hh_arena_printf(&r->arena, "/tidsbestilling/%s?flyt=1",
						   bk.code);
		if (slot_radios(r, bk.org_id, bk.service, from, base, 0))
			hh_buf_puts(b, "<button type=\"submit\">Flyt til den valgte tid"
				       "</button>\n");
		hh_buf_puts(b, "</form>\n<h2>Aflys tiden</h2>\n<form class=\"form\" "
			       "method=\"post\" action=\"/tidsbestilling/");
		hh_page_text(r, bk.code);
		hh_buf_puts(b, "/aflys\">\n");
		token_field(r, token);
		hh_buf_printf(b, "<input type=\"hidden\" name=\"version\" value=\"%lld\">\n"
				 "<p>Kan du ikke komme, så aflys tiden, så en anden "
				 "kan få den.</p>\n<button type=\"submit\">Aflys "
				 "tiden</button>\n</form>\n",
			      (long long)bk.version);
	} else if (cancelled) {
		hh_buf_puts(b, "<p><a href=\"/tidsbestilling\">Bestil en ny tid</a></p>\n");
	}
	hh_page_end_org(r, status, org_code);
}

void hh_page_booking_show(struct hh_req *r)
{
	const char *notice = NULL;
	if (hh_req_query(r, "ny"))
		notice = "Din tid er bestilt. Gem bookingkoden herunder.";
	else if (hh_req_query(r, "flyttet"))
		notice = "Din tid er flyttet.";
	booking_show(r, 200, hh_req_param(r, "code"), NULL, notice);
}

static int64_t version_field(struct hh_req *r)
{
	const char *s = hh_req_form(r, "version");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	return s && *s && !*end && v > 0 ? v : 0;
}

void hh_page_booking_move(struct hh_req *r)
{
	const char *code = hh_req_param(r, "code");
	if (!token_ok(r)) {
		booking_show(r, 403, code, "Siden er udløbet eller blev sendt fra "
					   "en anden side. Prøv igen.", NULL);
		return;
	}
	int64_t start = start_field(r);
	if (!start) {
		booking_show(r, 400, code, "Vælg den tid, du vil flytte til.", NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_appointment bk;
	enum hh_appt_fault fault = HH_APPT_FINE;
	enum hh_rc rc = hh_appointment_move(r->app->store, &r->arena, &who, code,
					    version_field(r), start, 0, &bk, &fault);
	if (rc != HH_OK) {
		booking_show(r, fault_status(rc, fault), code,
			     fault_message(rc, fault), NULL);
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
						 "/tidsbestilling/%s?flyttet=1",
						 bk.code));
}

void hh_page_booking_cancel(struct hh_req *r)
{
	const char *code = hh_req_param(r, "code");
	if (!token_ok(r)) {
		booking_show(r, 403, code, "Siden er udløbet eller blev sendt fra "
					   "en anden side. Prøv igen.", NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_appointment bk;
	enum hh_appt_fault fault = HH_APPT_FINE;
	enum hh_rc rc = hh_appointment_cancel(r->app->store, &r->arena, &who, code,
					      version_field(r), 0, &bk, &fault);
	if (rc != HH_OK) {
		booking_show(r, fault_status(rc, fault), code,
			     fault_message(rc, fault), NULL);
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena, "/tidsbestilling/%s",
						 bk.code));
}

/* ---- the counter's day list --------------------------------------------- */

struct day_rows {
	struct hh_arena *a;
	struct hh_appointment *v;
	size_t n, cap;
};

static enum hh_rc day_push(void *p, const struct hh_appointment *bk)
{
	struct day_rows *l = p;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct hh_appointment *v = hh_arena_alloc(l->a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *bk;
	return HH_OK;
}

static const char *state_da(const char *s)
{
	return !strcmp(s, "attended") ? "Mødt"
	       : !strcmp(s, "no_show") ? "Udeblevet"
	       : !strcmp(s, "cancelled") ? "Aflyst"
					 : "Bestilt";
}

static void day_page(struct hh_req *r, int status, int64_t day,
		     const char *error)
{
	struct hh_buf *b = &r->resp;
	const struct hh_principal *w = hh_auth(r);
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct day_rows rows = { &r->arena, NULL, 0, 0 };
	enum hh_rc rc = hh_appointment_day(r->app->store, &r->arena, &who,
					   w->org_id, day, day_push, &rows);
	if (rc == HH_ERR_FORBIDDEN) {
		hh_page_error(r, 403, "Ingen adgang",
			      "Dagens tidsbestillinger kan ses af "
			      "Borgerservices medarbejdere.");
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Prøv igen om lidt",
			      "Dagens tidsbestillinger kan ikke vises lige nu.");
		return;
	}
	struct hh_counter_config cfg;
	int have_cfg = hh_counter_config_get(r->app->store, &r->arena, w->org_id,
					     &cfg) == HH_OK;
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Dagens tidsbestillinger" };
	hh_page_begin(r, &p);
	hh_buf_puts(b, "<h1>Tidsbestillinger ");
	hh_page_text(r, hh_booking_day_da(&r->arena, day));
	hh_buf_puts(b, "</h1>\n");
	error_box(r, error);
	int64_t y;
	int m, d;
	hh_civil_from_days(day - 1, &y, &m, &d);
	hh_buf_printf(b, "<nav class=\"pager\" aria-label=\"Dage\"><ul>\n"
			 "<li><a href=\"/borgerservice/tidsbestillinger?dato="
			 "%04lld-%02d-%02d\">Dagen før</a></li>\n",
		      (long long)y, m, d);
	hh_civil_from_days(day + 1, &y, &m, &d);
	hh_buf_printf(b, "<li><a href=\"/borgerservice/tidsbestillinger?dato="
			 "%04lld-%02d-%02d\">Dagen efter</a></li>\n</ul></nav>\n",
		      (long long)y, m, d);
	if (!rows.n) {
		hh_buf_puts(b, "<p>Der er ingen tidsbestillinger denne dag.</p>\n");
		hh_page_end(r, status);
		return;
	}
	hh_civil_from_days(day, &y, &m, &d);
	hh_buf_puts(b, "<div class=\"table-wrap\"><table class=\"day-list\">\n"
		       "<caption>Bestilte tider efter klokkeslæt</caption>\n"
		       "<thead><tr><th scope=\"col\">Tid</th><th scope=\"col\">"
		       "Skranke</th><th scope=\"col\">Ydelse</th><th scope=\"col\">"
		       "Navn</th><th scope=\"col\">Medbringer</th><th scope=\"col\">"
		       "Status</th><th scope=\"col\">Marker</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < rows.n; i++) {
		const struct hh_appointment *bk = &rows.v[i];
		const struct hh_counter_service *svc =
			have_cfg ? hh_counter_service_find(&cfg, bk->service) : NULL;
		hh_buf_puts(b, "<tr><td>");
		hh_page_text(r, hh_booking_clock(&r->arena, bk->start_at));
		hh_buf_puts(b, "–");
		hh_page_text(r, hh_booking_clock(&r->arena, bk->end_at));
		hh_buf_printf(b, "</td><td>%d</td><td>", bk->counter);
		hh_page_text(r, svc ? svc->name : bk->service);
		hh_buf_puts(b, "</td><td>");
		hh_page_text(r, bk->name ? bk->name
					 : bk->citizen_id ? "Borger logget ind med MitID"
							  : "");
		if (bk->phone || bk->email) {
			hh_buf_puts(b, "<br><span class=\"hint\">");
			hh_page_text(r, bk->phone ? bk->phone : bk->email);
			hh_buf_puts(b, "</span>");
		}
		hh_buf_puts(b, "</td><td>");
		for (int k = 0; svc && k < svc->n_documents; k++) {
			if (k)
				hh_buf_puts(b, "; ");
			hh_page_text(r, svc->documents[k]);
		}
		hh_buf_puts(b, "</td><td>");
		hh_page_text(r, state_da(bk->state));
		hh_buf_puts(b, "</td><td>");
		static const char *const marks[2][2] = { { "attended", "Mødt" },
							 { "no_show", "Udeblevet" } };
		for (int k = 0; k < 2; k++) {
			if (!strcmp(bk->state, marks[k][0]))
				continue;
			hh_buf_puts(b, "<form class=\"inline\" method=\"post\" "
				       "action=\"/borgerservice/tidsbestillinger/");
			hh_page_text(r, bk->code);
			hh_buf_puts(b, "\">");
			token_field(r, w->csrf);
			/* the button's name says which time it marks */
			hh_buf_printf(b, "<input type=\"hidden\" name=\"dato\" "
					 "value=\"%04lld-%02d-%02d\">"
					 "<input type=\"hidden\" name=\"status\" "
					 "value=\"%s\"><button type=\"submit\" "
					 "aria-label=\"%s kl. ",
				      (long long)y, m, d, marks[k][0], marks[k][1]);
			hh_page_text(r, hh_booking_clock(&r->arena, bk->start_at));
			hh_buf_printf(b, "\">%s</button></form>\n", marks[k][1]);
		}
		hh_buf_puts(b, "</td></tr>\n");
	}
	hh_buf_puts(b, "</tbody>\n</table></div>\n");
	hh_page_end(r, status);
}

/* For staff: an anonymous caller goes to the sign-in page; anyone else
 * is answered by what the domain decides. Returns 1 to go on. */
static int signed_in(struct hh_req *r)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_redirect(r, 303, "/log-ind");
		return 0;
	}
	return 1;
}

void hh_page_booking_day(struct hh_req *r)
{
	if (!signed_in(r))
		return;
	int64_t day;
	if (!hh_appt_parse_day(hh_req_query(r, "dato"), &day))
		day = hh_appt_day_of(hh_now_us() / 1000000);
	day_page(r, 200, day, NULL);
}

void hh_page_booking_mark(struct hh_req *r)
{
	if (!signed_in(r))
		return;
	int64_t day;
	if (!hh_appt_parse_day(hh_req_form(r, "dato"), &day))
		day = hh_appt_day_of(hh_now_us() / 1000000);
	if (!hh_csrf_ok(r, hh_req_form(r, "csrf"))) {
		day_page(r, 403, day, "Sikkerhedsnøglen passede ikke. Prøv igen.");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_appointment bk;
	enum hh_rc rc = hh_appointment_mark(r->app->store, &r->arena, &who,
					    hh_req_param(r, "code"),
					    hh_req_form(r, "status"), &bk);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_error(r, 404, "Tidsbestillingen findes ikke",
			      "Der er ingen sådan tid i jeres kalender.");
		return;
	}
	if (rc != HH_OK) {
		day_page(r, rc == HH_ERR_FORBIDDEN ? 403 : rc == HH_ERR_CONFLICT ? 409
											     : 400,
			 day, rc == HH_ERR_CONFLICT ? "Tiden er aflyst og kan ikke markeres."
						    : "Tiden kunne ikke markeres.");
		return;
	}
	hh_resp_redirect(r, 303, hh_arena_printf(&r->arena,
						 "/borgerservice/tidsbestillinger?dato=%s",
						 hh_req_form(r, "dato") ? hh_req_form(r, "dato")
									: ""));
}

/* ---- Mit overblik ------------------------------------------------------- */

static enum hh_rc mine_row(void *p, const struct hh_appointment *bk)
{
	struct hh_req *r = p;
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<li><a href=\"/tidsbestilling/");
	hh_page_text(r, bk->code);
	hh_buf_puts(b, "\">");
	hh_page_text(r, hh_booking_day_da(&r->arena, hh_appt_day_of(bk->start_at)));
	hh_buf_puts(b, " kl. ");
	hh_page_text(r, hh_booking_clock(&r->arena, bk->start_at));
	hh_buf_puts(b, "</a></li>\n");
	return HH_OK;
}

void hh_booking_overview_section(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	hh_buf_puts(&r->resp, "<section class=\"bookings\" aria-labelledby=\"tider\">\n"
			      "<h2 id=\"tider\">Dine tider i Borgerservice</h2>\n<ul>\n");
	size_t before = r->resp.len;
	hh_appointment_mine(r->app->store, &r->arena, &who, 0, mine_row, r);
	if (r->resp.len == before)
		hh_buf_puts(&r->resp, "<li>Du har ingen bestilte tider.</li>\n");
	hh_buf_puts(&r->resp, "</ul>\n<p><a href=\"/tidsbestilling\">Bestil tid"
			      "</a></p>\n</section>\n");
}
