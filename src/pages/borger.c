/* borger.c - the citizen's sign-in and sign-out, and the helpers the
 * citizen's own pages share (see borger.h).
 *
 * helhed does not verify who a citizen is: in production an OpenID
 * Connect broker (MitID) does (pages/oidc.c, domain/oidc.c), and the
 * sign-in page offers it. Until one is set up, the page says so. With
 * --demo it also lists the demo citizens, clearly marked as not MitID. The demo form is protected against login
 * CSRF with a double-submit token, as the staff sign-in is. */
#include "pages/borger.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/articles.h"
#include "domain/auth.h"
#include "domain/cases.h"
#include "domain/oidc.h"
#include "domain/citizens.h"
#include "domain/orgs.h"
#include "domain/plans.h"

/* ---- helpers --------------------------------------------------------- */

int hh_borger_local_path(const char *s)
{
	if (!s || s[0] != '/' || s[1] == '/' || strlen(s) > 2000)
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	return 1;
}

const struct hh_principal *hh_borger_require(struct hh_req *r,
					     const char *back_to)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind == HH_CITIZEN)
		return w;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "/borger/log-ind");
	if (hh_borger_local_path(back_to)) {
		hh_buf_puts(&b, "?next=");
		hh_buf_urlenc(&b, back_to);
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_redirect(r, 303, hh_buf_str(&b));
	hh_buf_clear(&b);
	return NULL;
}

void hh_borger_csrf_field(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	hh_buf_puts(&r->resp, "<input type=\"hidden\" name=\"csrf\" value=\"");
	hh_page_text(r, w->csrf);
	hh_buf_puts(&r->resp, "\">\n");
}

const char *hh_borger_date(struct hh_arena *a, int64_t t, int clock)
{
	return clock ? hh_datetime_da(a, t) : hh_date_da(a, t);
}

const char *hh_borger_duration(struct hh_arena *a, const char *iso,
			       int64_t seconds)
{
	static const struct {
		const char *unit, *one, *many;
		int time;
	} units[] = {
		{ "D", "dag", "dage", 0 },	   { "W", "uge", "uger", 0 },
		{ "M", "måned", "måneder", 0 }, { "Y", "år", "år", 0 },
		{ "H", "time", "timer", 1 },
	};
	if (iso && iso[0] == 'P') {
		const char *p = iso + 1;
		int time = *p == 'T';
		if (time)
			p++;
		char *end;
		long n = strtol(p, &end, 10);
		if (end != p && n > 0 && end[0] && !end[1])
			for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
				if (units[i].time == time && end[0] == units[i].unit[0])
					return hh_arena_printf(a, "%ld %s", n,
							       n == 1 ? units[i].one
								      : units[i].many);
	}
	if (seconds <= 0)
		return NULL;
	int64_t days = (seconds + 86399) / 86400;
	return hh_arena_printf(a, "%lld %s", (long long)days, days == 1 ? "dag" : "dage");
}

static enum hh_rc names_row(void *p, const struct hh_org *o)
{
	struct hh_org_names *n = p;
	json_object_set_new(n->by_code, o->code, json_string(o->name));
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)o->id);
	json_object_set_new(n->by_id, id, json_string(o->name));
	return HH_OK;
}

enum hh_rc hh_org_names_load(struct hh_req *r, struct hh_org_names *out)
{
	out->by_code = json_object();
	out->by_id = json_object();
	hh_arena_defer(&r->arena, hh_json_release, out->by_code);
	hh_arena_defer(&r->arena, hh_json_release, out->by_id);
	enum hh_rc rc = hh_org_each(r->app->store, &r->arena, names_row, out);
	if (rc != HH_OK) {
		json_object_clear(out->by_code);
		json_object_clear(out->by_id);
	}
	return rc;
}

const char *hh_org_names_get(const struct hh_org_names *n, const char *code,
			     const char *muni_name)
{
	if (!code)
		return NULL;
	if (!strcmp(code, "municipality"))
		return muni_name ? muni_name : "din kommune";
	const char *name = json_string_value(json_object_get(n->by_code, code));
	return name ? name : code;
}

const char *hh_org_names_by_id(const struct hh_org_names *n, int64_t id)
{
	char key[24];
	snprintf(key, sizeof(key), "%lld", (long long)id);
	return json_string_value(json_object_get(n->by_id, key));
}

const char *hh_borger_state_label(const struct hh_case_type_def *def,
				  const char *state)
{
	const struct hh_ct_state *s = def ? hh_ct_state(def, state) : NULL;
	return s && s->label ? s->label : state;
}

json_t *hh_borger_step_articles(struct hh_req *r, json_t *steps, int64_t muni_id)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *out = hh_plan_step_articles(r->app->store, &r->arena, &who, steps,
					    muni_id);
	hh_arena_defer(&r->arena, hh_json_release, out);
	return out;
}

void hh_borger_step_begin(struct hh_req *r, json_t *step, json_t *articles,
			  const struct hh_org_names *orgs,
			  const char *muni_name, const char *state,
			  const char *state_class)
{
	struct hh_buf *b = &r->resp;
	const char *title = json_string_value(json_object_get(step, "title"));
	const char *text = json_string_value(json_object_get(step, "text"));
	const char *org = json_string_value(json_object_get(step, "organisation"));
	hh_buf_puts(b, "<li class=\"step\">\n<h3>");
	hh_page_text(r, title ? title : "");
	hh_buf_puts(b, "</h3>\n");
	if (state) {
		hh_buf_printf(b, "<p class=\"state %s\">", state_class ? state_class : "");
		hh_page_text(r, state);
		hh_buf_puts(b, "</p>\n");
	}
	if (text) {
		hh_buf_puts(b, "<p>");
		hh_page_text(r, text);
		hh_buf_puts(b, "</p>\n");
	}
	/* who is responsible: an organisation in helhed, or (the parish,
	 * an a-kasse, an employer, the citizen) the step's own words */
	const char *who = org ? hh_org_names_get(orgs, org, muni_name)
			      : json_string_value(json_object_get(step, "responsible"));
	if (who) {
		hh_buf_puts(b, "<p class=\"who\">Ansvarlig: ");
		hh_page_text(r, who);
		hh_buf_puts(b, "</p>\n");
	}
	size_t i;
	json_t *slug;
	int n = 0;
	json_array_foreach(json_object_get(step, "articles"), i, slug)
	{
		const char *sl = json_string_value(slug);
		const char *t = sl ? json_string_value(json_object_get(articles, sl)) : NULL;
		if (!t)
			continue;
		if (!n++)
			hh_buf_puts(b, "<ul class=\"step-links\">\n");
		hh_buf_puts(b, "<li><a href=\"/artikel/");
		hh_buf_urlenc(b, sl);
		hh_buf_puts(b, "\">");
		hh_page_text(r, t);
		hh_buf_puts(b, "</a></li>\n");
	}
	if (n)
		hh_buf_puts(b, "</ul>\n");
}

/* ---- sign-in --------------------------------------------------------- */

struct demo_row {
	const char *subject, *name;
	int64_t municipality_id;
};

struct demo_ctx {
	struct hh_req *r;
	struct demo_row rows[64];
	int n;
};

static enum hh_rc demo_row(void *p, const struct hh_citizen *z)
{
	struct demo_ctx *c = p;
	if (c->n >= 64)
		return HH_OK;
	struct demo_row *d = &c->rows[c->n++];
	d->subject = hh_arena_strdup(&c->r->arena, z->subject);
	d->name = hh_arena_strdup(&c->r->arena, z->name);
	d->municipality_id = z->municipality_id;
	return HH_OK;
}

static const char *next_of(const char *next)
{
	return hh_borger_local_path(next) ? next : "/mit-overblik";
}

/* The way in through the MitID broker (OpenID Connect). */
static void mitid_button(struct hh_req *r, const char *next)
{
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<p><a class=\"button\" href=\"/borger/oidc/start?next=");
	struct hh_buf enc;
	hh_buf_init(&enc);
	hh_buf_urlenc(&enc, next_of(next));
	hh_page_text(r, hh_buf_str(&enc));
	hh_buf_clear(&enc);
	hh_buf_puts(b, "\">Log ind med MitID</a></p>\n");
}

static void login_page(struct hh_req *r, int status, const char *error,
		       const char *next)
{
	struct hh_buf *b = &r->resp;
	const struct hh_principal *w = hh_auth(r);
	hh_resp_header(r, "Cache-Control", "no-store");
	int mitid = hh_oidc_enabled(r->app->oidc, HH_OIDC_CITIZEN);
	if (!r->app->demo && mitid) {
		struct hh_page p = { .title = "Log ind" };
		hh_page_begin(r, &p);
		hh_buf_puts(b, "<h1>Log ind</h1>\n"
			       "<p class=\"lead\">Log ind for at se dine sager og "
			       "forløb og sende blanketter.</p>\n");
		mitid_button(r, next);
		hh_page_end(r, status);
		return;
	}
	if (!r->app->demo) {
		struct hh_page p = { .title = "Log ind" };
		hh_page_begin(r, &p);
		hh_buf_puts(b, "<h1>Log ind</h1>\n"
			       "<p class=\"lead\">Log ind med MitID er ikke sat op "
			       "på denne side endnu.</p>\n"
			       "<p>Du kan stadig læse al vejledningen og bruge "
			       "guiderne til det, der sker i dit liv, uden at logge "
			       "ind. Vil du sende en ansøgning eller se dine sager, "
			       "kan du bruge borger.dk eller kontakte Borgerservice "
			       "i din kommune.</p>\n"
			       "<p><a href=\"/\">Gå til forsiden</a></p>\n");
		hh_page_end(r, status);
		return;
	}
	char token[HH_TOKEN_CHARS];
	unsigned char unused[32];
	hh_auth_new_token(token, unused);
	hh_cookie_set(r, HH_COOKIE_STRICT, "hh_borger_login", token, "/borger/log-ind",
		      3600);
	struct demo_ctx c = { .r = r };
	enum hh_rc rc = hh_demo_citizen_each(r->app->store, &r->arena, demo_row, &c);
	struct hh_org_names orgs;
	if (rc == HH_OK)
		rc = hh_org_names_load(r, &orgs);
	struct hh_page p = { .title = "Log ind (demo)" };
	hh_page_begin(r, &p);
	hh_buf_puts(b, "<h1>Log ind</h1>\n");
	if (mitid)
		mitid_button(r, next);
	hh_buf_puts(b, "<div class=\"demo-banner\">\n"
		       "<p><strong>Demo: vælg en borger. Dette er ikke MitID."
		       "</strong></p>\n<p>Siden kører i demotilstand. Borgerne "
		       "herunder er opdigtede, og alt, hvad du gør som dem, er "
		       "kun til afprøvning.</p>\n</div>\n");
	if (error) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>");
		hh_page_text(r, error);
		hh_buf_puts(b, "</p></div>\n");
	}
	if (w->kind == HH_USER) {
		hh_buf_puts(b, "<p class=\"notice\">Du er logget ind som "
			       "personale. Log ud først, hvis du vil prøve siden "
			       "som borger.</p>\n");
		hh_page_end(r, status);
		return;
	}
	if (rc != HH_OK) {
		hh_buf_puts(b, "<p class=\"error\">Demoborgerne kan ikke vises "
			       "lige nu. Prøv igen om lidt.</p>\n");
		hh_page_end(r, 503);
		return;
	}
	if (!c.n) {
		hh_buf_puts(b, "<p>Der er ingen demoborgere i denne database.</p>\n");
		hh_page_end(r, status);
		return;
	}
	hh_buf_puts(b, "<ul class=\"demo-citizens\">\n");
	for (int i = 0; i < c.n; i++) {
		hh_buf_puts(b, "<li><form method=\"post\" action=\"/borger/log-ind\">\n"
			       "<input type=\"hidden\" name=\"csrf\" value=\"");
		hh_buf_puts(b, token);
		hh_buf_puts(b, "\">\n<input type=\"hidden\" name=\"borger\" value=\"");
		hh_page_text(r, c.rows[i].subject);
		hh_buf_puts(b, "\">\n<input type=\"hidden\" name=\"next\" value=\"");
		hh_page_text(r, next_of(next));
		hh_buf_puts(b, "\">\n<button type=\"submit\">Log ind som ");
		hh_page_text(r, c.rows[i].name);
		hh_buf_puts(b, "</button>\n");
		const char *muni = c.rows[i].municipality_id
					   ? hh_org_names_by_id(&orgs, c.rows[i].municipality_id)
					   : NULL;
		hh_buf_puts(b, "<p class=\"who\">");
		hh_page_text(r, muni ? muni : "Ingen kommune oplyst");
		hh_buf_puts(b, "</p>\n</form></li>\n");
	}
	hh_buf_puts(b, "</ul>\n");
	hh_page_end(r, status);
}

void hh_page_citizen_login(struct hh_req *r)
{
	const char *next = hh_req_query(r, "next");
	if (hh_auth(r)->kind == HH_CITIZEN) {
		hh_resp_redirect(r, 303, next_of(next));
		return;
	}
	login_page(r, 200, NULL, next);
}

void hh_page_citizen_login_post(struct hh_req *r)
{
	if (!r->app->demo) {
		login_page(r, 404, NULL, NULL);
		return;
	}
	const char *csrf = hh_req_form(r, "csrf");
	const char *cookie = hh_req_cookie(r, "hh_borger_login");
	const char *subject = hh_req_form(r, "borger");
	const char *next = hh_req_form(r, "next");
	if (!csrf || !cookie || strcmp(csrf, cookie) != 0) {
		login_page(r, 403,
			   "Siden er udløbet eller blev sendt fra en anden side. "
			   "Vælg borgeren igen.",
			   next);
		return;
	}
	if (hh_auth(r)->kind == HH_USER) {
		login_page(r, 409, NULL, next);
		return;
	}
	struct hh_citizen_login login;
	enum hh_rc rc = subject && strlen(subject) <= 200 &&
					!strncmp(subject, "demo:", 5)
				? hh_demo_citizen_login(r->app->store, &r->arena,
							subject, &login)
				: HH_ERR_NOT_FOUND;
	if (rc == HH_ERR_NOT_FOUND) {
		login_page(r, 400, "Den valgte demoborger findes ikke. Vælg en "
				   "af borgerne herunder.",
			   next);
		return;
	}
	if (rc != HH_OK) {
		login_page(r, 503, "Vi kunne ikke logge dig ind lige nu. Prøv "
				   "igen om lidt.",
			   next);
		return;
	}
	hh_cookie_set(r, HH_COOKIE_STRICT, "hh_borger", login.token, NULL,
		      HH_CITIZEN_SESSION_TTL);
	hh_cookie_clear(r, HH_COOKIE_STRICT, "hh_borger_login", "/borger/log-ind");
	hh_resp_redirect(r, 303, next_of(next));
}

void hh_page_citizen_logout(struct hh_req *r)
{
	hh_page_sign_out(r, HH_CITIZEN, "hh_borger", hh_citizen_logout);
}
