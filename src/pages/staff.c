/* staff.c - staff sign-in, sign-out and the staff start page.
 *
 * The sign-in form is protected against login CSRF with a double-submit
 * token: a random value in an HttpOnly SameSite=Strict cookie and the same
 * value in a hidden field. After sign-in, forms carry the session's CSRF
 * token. */
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/articles.h"
#include "domain/auth.h"
#include "domain/oidc.h"
#include "domain/orgs.h"
#include "domain/webhooks.h"
#include "pages/layout.h"

static void login_form(struct hh_req *r, int status, const char *error,
		       const char *email)
{
	char token[HH_TOKEN_CHARS];
	unsigned char unused[32];
	hh_auth_new_token(token, unused);
	hh_cookie_set(r, HH_COOKIE_STRICT, "hh_login", token, "/log-ind",
		      3600);
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Log ind for personale" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Log ind for personale</h1>\n"
		       "<p>Her logger medarbejdere i kommuner og styrelser "
		       "ind. Er du borger, skal du ikke logge ind for at læse "
		       "vejledningen.</p>\n");
	int sso = hh_oidc_enabled(r->app->oidc, HH_OIDC_STAFF);
	if (sso)
		hh_buf_puts(b, "<p><a class=\"button\" href=\"/personale/oidc/start\">"
			       "Log ind med organisationens login</a></p>\n");
	if (r->app->password_login_off) {
		if (!sso)
			hh_buf_puts(b, "<p class=\"notice\">Log ind er ikke sat op "
				       "på denne server. Kontakt den, der "
				       "administrerer helhed hos jer.</p>\n");
		hh_page_end(r, status);
		return;
	}
	if (sso)
		hh_buf_puts(b, "<h2>Eller log ind med e-mail og adgangskode</h2>\n");
	if (error) {
		hh_buf_puts(b, "<div class=\"error\" role=\"alert\" "
			       "id=\"login-fejl\"><p>");
		hh_page_text(r, error);
		hh_buf_puts(b, "</p></div>\n");
	}
	hh_buf_puts(b, "<form class=\"form\" method=\"post\" action=\"/log-ind\">\n"
		       "<input type=\"hidden\" name=\"csrf\" value=\"");
	hh_buf_puts(b, token);
	hh_buf_puts(b, "\">\n<div class=\"field\"><label for=\"email\">E-mail"
		       "</label>\n<input id=\"email\" name=\"email\" "
		       "type=\"email\" autocomplete=\"username\" required");
	if (error)
		hh_buf_puts(b, " aria-describedby=\"login-fejl\"");
	hh_buf_puts(b, " value=\"");
	hh_page_text(r, email ? email : "");
	hh_buf_puts(b, "\"></div>\n<div class=\"field\"><label for=\"password\">"
		       "Adgangskode</label>\n<input id=\"password\" "
		       "name=\"password\" type=\"password\" "
		       "autocomplete=\"current-password\" required></div>\n"
		       "<button type=\"submit\">Log ind</button>\n</form>\n");
	hh_page_end(r, status);
}

/* Where a signed-in staff member starts: caseworkers and front-desk
 * agents on the case queue they work; editors, managers and admins on the
 * staff page, which links to the articles, the search report and (for
 * those who also work cases) the queue. */
static const char *staff_home(unsigned roles)
{
	if ((roles & (HH_ROLE_CASEWORKER | HH_ROLE_AGENT)) &&
	    !(roles & (HH_ROLE_EDITOR | HH_ROLE_MANAGER | HH_ROLE_ADMIN)))
		return "/sagsbehandling";
	return "/personale";
}

void hh_page_login(struct hh_req *r)
{
	if (hh_auth(r)->kind == HH_USER) {
		hh_resp_redirect(r, 303, staff_home(hh_auth(r)->roles));
		return;
	}
	login_form(r, 200, NULL, NULL);
}

void hh_page_login_post(struct hh_req *r)
{
	if (r->app->password_login_off) {
		login_form(r, 403, NULL, NULL);
		return;
	}
	const char *email = hh_req_form(r, "email");
	const char *password = hh_req_form(r, "password");
	const char *csrf = hh_req_form(r, "csrf");
	const char *cookie = hh_req_cookie(r, "hh_login");
	if (!csrf || !cookie || strcmp(csrf, cookie) != 0) {
		login_form(r, 403,
			   "Formularen er udløbet eller blev sendt fra en anden "
			   "side. Prøv at logge ind igen.",
			   email);
		return;
	}
	if (!email || !*email || !password || !*password) {
		login_form(r, 400, "Skriv både din e-mail og din adgangskode.",
			   email);
		return;
	}
	if (strlen(email) > 254 || strlen(password) > 1024 ||
	    !hh_utf8_valid(email, strlen(email)) ||
	    !hh_utf8_valid(password, strlen(password))) {
		login_form(r, 400, "E-mail eller adgangskode er ugyldig.", NULL);
		return;
	}
	struct hh_login login;
	enum hh_rc rc = hh_auth_login(r->app->store, &r->arena, email, password,
				      hh_req_client_net(r), &login);
	if (rc == HH_ERR_FORBIDDEN) {
		login_form(r, 401, "E-mail eller adgangskode er forkert.", email);
		return;
	}
	if (rc == HH_ERR_LIMITED) {
		int min = (login.retry_after + 59) / 60;
		login_form(r, 429,
			   min <= 1 ? "Der har været for mange forkerte forsøg "
				      "på at logge ind. Vent et minut, og prøv "
				      "igen."
				    : hh_arena_printf(&r->arena,
						      "Der har været for mange "
						      "forkerte forsøg på at "
						      "logge ind. Vent %d "
						      "minutter, og prøv igen.",
						      min),
			   email);
		hh_resp_header(r, "Retry-After",
			       hh_arena_printf(&r->arena, "%d", login.retry_after));
		return;
	}
	if (rc != HH_OK) {
		login_form(r, 503,
			   "Vi kunne ikke logge dig ind lige nu. Prøv igen om lidt.",
			   email);
		return;
	}
	hh_cookie_set(r, HH_COOKIE_STRICT, "hh_session", login.token, NULL,
		      HH_SESSION_TTL);
	hh_resp_redirect(r, 303, staff_home(login.user.roles));
}

void hh_page_logout(struct hh_req *r)
{
	hh_page_sign_out(r, HH_USER, "hh_session", hh_auth_logout);
}

struct staff_ctx {
	struct hh_req *r;
	struct hh_buf rows;
	int n;
};

static enum hh_rc staff_row(void *p, const struct hh_article *a)
{
	struct staff_ctx *c = p;
	struct hh_buf *b = &c->rows;
	static const char *status_da[] = { "", "Kladde", "Udgivet", "Arkiveret" };
	hh_buf_puts(b, "<tr><td><a href=\"/artikel/");
	hh_buf_urlenc(b, a->slug);
	/* a municipality's local article is found under that municipality
	 * (the article page reads the chosen one, not the staff member's
	 * organisation) */
	if (a->org_code) {
		hh_buf_puts(b, "?kommune=");
		hh_buf_urlenc(b, a->org_code);
	}
	hh_buf_puts(b, "\">");
	hh_buf_html(b, a->title);
	hh_buf_puts(b, "</a></td><td>");
	hh_buf_puts(b, status_da[a->status]);
	hh_buf_puts(b, "</td><td>");
	hh_buf_puts(b, a->audience == HH_AUDIENCE_STAFF ? "Personale" : "Borgere");
	hh_buf_puts(b, "</td><td>");
	hh_buf_puts(b, hh_date_da(&c->r->arena, a->updated_at));
	hh_buf_puts(b, "</td></tr>\n");
	c->n++;
	return HH_OK;
}

/* The roles as staff call them ("sagsbehandler, redaktør"); the API
 * keeps the English role names. */
static const char *roles_da(struct hh_arena *a, unsigned roles)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { HH_ROLE_AGENT, "borgerservicemedarbejder" },
		      { HH_ROLE_CASEWORKER, "sagsbehandler" },
		      { HH_ROLE_EDITOR, "redaktør" },
		      { HH_ROLE_MANAGER, "leder" },
		      { HH_ROLE_ADMIN, "administrator" },
		      { HH_ROLE_CASE_SYSTEM, "sagssystem" } };
	const char *out = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (roles & names[i].bit)
			out = hh_arena_printf(a, "%s%s%s", out, *out ? ", " : "",
					      names[i].name);
	return *out ? out : "ingen";
}

void hh_page_staff(struct hh_req *r)
{
	const struct hh_principal *w = hh_auth(r);
	if (w->kind != HH_USER) {
		hh_resp_redirect(r, 303, "/log-ind");
		return;
	}
	/* the organisation's own articles, as far as the user may read
	 * them (drafts for its editors) */
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct staff_ctx c = { .r = r };
	hh_buf_init(&c.rows);
	struct hh_article_query q = { .org_id = w->org_id, .limit = 200 };
	const char *field;
	enum hh_rc rc = hh_article_list(r->app->store, &who, &r->arena, &q, NULL,
					staff_row, &c, &field);
	hh_resp_header(r, "Cache-Control", "no-store");
	struct hh_page p = { .title = "Personale" };
	hh_page_begin(r, &p);
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h1>Velkommen, ");
	hh_page_text(r, w->name);
	hh_buf_puts(b, "</h1>\n<dl class=\"meta\"><dt>Organisation</dt><dd>");
	struct hh_org org;
	hh_page_text(r, hh_org_by_code(r->app->store, &r->arena, w->org_code,
				       &org) == HH_OK
				? org.name
				: w->org_code);
	hh_buf_puts(b, "</dd><dt>Roller</dt><dd>");
	hh_page_text(r, roles_da(&r->arena, w->roles));
	hh_buf_puts(b, "</dd></dl>\n");
	/* the way to each staff tool the roles open (Log ud is in the
	 * header on every page) */
	hh_buf_puts(b, "<nav aria-labelledby=\"dit-arbejde\" class=\"staff-tools\">\n"
		       "<h2 id=\"dit-arbejde\">Dit arbejde</h2>\n<ul>\n");
	if (hh_access(&who, HH_RES_CASE_QUEUE, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/sagsbehandling\">Sagskøen</a>: "
			       "organisationens sager og deres frister</li>\n");
	hh_buf_puts(b, "<li><a href=\"#artikler\">Artiklerne</a>: din "
		       "organisations egne og lokale artikler</li>\n");
	/* s-edit: the editors' pages */
	if (hh_access_scope(&who, HH_RES_ARTICLE_DRAFT, HH_ACT_READ) !=
	    HH_SCOPE_NONE)
		hh_buf_puts(b, "<li><a href=\"/redaktion\">Redaktionen</a>: "
			       "skriv og ret artikler, se versioner og "
			       "forslag til fælles artikler</li>\n");
	if (hh_access(&who, HH_RES_SEARCH_REPORT, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/personale/soegninger\">Søgninger "
			       "uden svar</a>: det, borgerne ledte efter og "
			       "ikke fandt</li>\n");
	/* fig-pages: the service figures and the benchmark */
	if (hh_access(&who, HH_RES_FIGURES, HH_ACT_READ, NULL) == HH_OK)
		hh_buf_puts(b, "<li><a href=\"/ledelse\">Servicetal</a>: "
			       "henvendelser, sager, behandlingstider og "
			       "sammenligning med andre</li>\n");
	/* x-hooks2: the organisation's webhooks, for its admin */
	if (hh_webhook_may_manage(&who))
		hh_buf_puts(b, "<li><a href=\"/personale/webhooks\">Webhooks"
			       "</a>: organisationens egne systemer får besked, "
			       "når noget sker i helhed</li>\n");
	hh_buf_puts(b, "</ul>\n</nav>\n"
		       "<h2 id=\"artikler\">Din organisations artikler</h2>\n");
	if (rc != HH_OK) {
		hh_buf_puts(b, "<p class=\"error\">Artiklerne kan ikke vises lige "
			       "nu. Prøv igen om lidt.</p>\n");
	} else if (!c.n) {
		hh_buf_puts(b, "<p>Din organisation har ingen egne artikler "
			       "endnu.</p>\n");
	} else {
		hh_buf_puts(b, "<div class=\"table-wrap\"><table>\n"
			       "<caption>Egne og lokale artikler</caption>\n"
			       "<thead><tr><th scope=\"col\">Titel</th>"
			       "<th scope=\"col\">Status</th><th scope=\"col\">"
			       "Målgruppe</th><th scope=\"col\">Opdateret</th>"
			       "</tr></thead>\n<tbody>\n");
		hh_buf_puts(b, hh_buf_str(&c.rows));
		hh_buf_puts(b, "</tbody></table></div>\n");
	}
	hh_page_end(r, 200);
	hh_buf_clear(&c.rows);
}
