/* test_session_pages.c - staff sign-in over the API, the server-rendered
 * pages (front page, articles, life events, sign-in form with its
 * double-submit CSRF token, staff page, sign-out), static files, security
 * headers and /metrics, all over real HTTP. */
#include "testutil.h"

#include <ctype.h>

struct ctx {
	struct tu_server s;
	char token[HH_TOKEN_CHARS]; /* bearer: editor of 901 */
};

/* ---- helpers ---------------------------------------------------------- */

static struct tu_resp get(struct ctx *c, const char *path, const char *cookie)
{
	return tu_call(c->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

static struct tu_resp req(struct ctx *c, const char *method, const char *path,
			   const char *body, const char *ctype,
			   const char *csrf, const char *cookie)
{
	char url[512], ct[128], cs[128];
	const char *h[3];
	int n = 0;
	snprintf(url, sizeof(url), "%s%s", c->s.base, path);
	if (ctype) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", ctype);
		h[n++] = ct;
	}
	if (csrf) {
		snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", csrf);
		h[n++] = cs;
	}
	h[n] = NULL;
	return tu_http(method, url, body, h, cookie);
}

static void expect_problem(const struct tu_resp *r, long status,
			   const char *code)
{
	char ct[128];
	if (r->status != status)
		fprintf(stderr, "unexpected %ld: %s\n", r->status, r->body);
	assert_int_equal(r->status, status);
	assert_true(tu_header(r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/problem+json");
	assert_non_null(json_string_value(json_object_get(r->json, "type")));
	assert_non_null(json_string_value(json_object_get(r->json, "title")));
	assert_non_null(json_string_value(json_object_get(r->json, "detail")));
	assert_int_equal(json_integer_value(json_object_get(r->json, "status")),
			 status);
	assert_string_equal(tu_code(r), code);
}

/* An HTML page in Danish with status. */
static void expect_page(const struct tu_resp *r, long status)
{
	char ct[128];
	if (r->status != status)
		fprintf(stderr, "unexpected %ld: %.300s\n", r->status, r->body);
	assert_int_equal(r->status, status);
	assert_true(tu_header(r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "text/html; charset=utf-8");
	assert_non_null(strstr(r->body, "<!doctype html>"));
	assert_non_null(strstr(r->body, "<html lang=\"da\">"));
	assert_non_null(strstr(r->body, "</html>"));
}

#define expect_in tu_expect_in
#define expect_not_in tu_expect_not_in

/* "name=value" of the first Set-Cookie for name, into out; 0 if none. */
static int set_cookie(const struct tu_resp *r, const char *name, char *out,
		      size_t size, char *attrs, size_t asize)
{
	size_t n = strlen(name);
	for (const char *p = r->headers; p && (p = strcasestr(p, "\r\nSet-Cookie:"));
	     p += 2) {
		const char *v = p + 13;
		while (*v == ' ')
			v++;
		if (strncmp(v, name, n) || v[n] != '=')
			continue;
		const char *eol = strstr(v, "\r\n");
		size_t len = strcspn(v, ";\r");
		snprintf(out, size, "%.*s", (int)len, v);
		if (attrs)
			snprintf(attrs, asize, "%.*s", (int)(eol - v - len),
				 v + len);
		return 1;
	}
	return 0;
}

/* The value of the hidden csrf field of a form, into out. */
static void hidden_csrf(const char *html, char *out, size_t size)
{
	const char *p = strstr(html, "name=\"csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"csrf\" value=\"");
	size_t n = strcspn(p, "\"");
	assert_true(n > 0 && n < size);
	snprintf(out, size, "%.*s", (int)n, p);
}

/* Signs in through the API; cookie gets "hh_session=...". */
static void api_login(struct ctx *c, const char *email, char *cookie,
		      size_t csize, char *csrf, size_t tsize)
{
	tu_login(&c->s, email, cookie, csize, csrf, tsize);
}

static int status_of_session(struct ctx *c, const char *cookie)
{
	struct tu_resp r = get(c, "/api/v1/session", cookie);
	int st = (int)r.status;
	tu_resp_free(&r);
	return st;
}

/* ---- the session API --------------------------------------------------- */

static void wrong_password_and_unknown_email_look_the_same(void **state)
{
	struct ctx *c = *state;
	struct tu_resp a = req(c, "POST", "/api/v1/session",
			       "{\"email\":\"editor@901\",\"password\":\"wrong-one\"}",
			       "application/json", NULL, NULL);
	struct tu_resp b = req(c, "POST", "/api/v1/session",
			       "{\"email\":\"nobody@901\",\"password\":\"wrong-one\"}",
			       "application/json", NULL, NULL);
	expect_problem(&a, 401, "bad-credentials");
	expect_problem(&b, 401, "bad-credentials");
	assert_string_equal(a.body, b.body);
	char sc[256];
	assert_false(set_cookie(&a, "hh_session", sc, sizeof(sc), NULL, 0));
	tu_resp_free(&a);
	tu_resp_free(&b);
	/* A right password for another user is still wrong. */
	a = req(c, "POST", "/api/v1/session",
	       "{\"email\":\"editor@901\",\"password\":\"password-2\"}",
	       "application/json", NULL, NULL);
	expect_problem(&a, 401, "bad-credentials");
	tu_resp_free(&a);
	/* Malformed sign-ins are client errors, not credential errors. */
	a = req(c, "POST", "/api/v1/session", "{\"email\":\"editor@901\"}",
	       "application/json", NULL, NULL);
	expect_problem(&a, 400, "missing-field");
	tu_resp_free(&a);
	a = req(c, "POST", "/api/v1/session",
	       "email=editor%40901&password=password-1",
	       "application/x-www-form-urlencoded", NULL, NULL);
	expect_problem(&a, 415, "unsupported-media-type");
	tu_resp_free(&a);
}

static void session_lifecycle(void **state)
{
	struct ctx *c = *state;
	char cookie[160], attrs[256];
	struct tu_resp r = req(c, "POST", "/api/v1/session",
			       "{\"email\":\"editor@901\",\"password\":\"password-1\"}",
			       "application/json", NULL, NULL);
	assert_int_equal(r.status, 201);
	assert_true(set_cookie(&r, "hh_session", cookie, sizeof(cookie), attrs,
			       sizeof(attrs)));
	assert_int_equal(strlen(cookie), strlen("hh_session=") + 43);
	expect_in(attrs, "; HttpOnly");
	expect_in(attrs, "; SameSite=Strict");
	expect_in(attrs, "; Path=/");
	expect_in(attrs, "; Max-Age=28800");
	expect_not_in(attrs, "Secure"); /* plain HTTP in the test */
	const char *csrf_v = json_string_value(json_object_get(r.json, "csrf_token"));
	assert_non_null(csrf_v);
	char csrf[64];
	snprintf(csrf, sizeof(csrf), "%s", csrf_v);
	assert_int_equal(strlen(csrf), 43);
	assert_string_equal(json_string_value(json_object_get(r.json, "email")),
			    "editor@901");
	assert_string_equal(json_string_value(json_object_get(r.json, "name")),
			    "Eva Editor");
	assert_string_equal(json_string_value(json_object_get(r.json, "organisation")),
			    "901");
	assert_string_equal(json_string_value(json_object_get(r.json, "roles")),
			    "editor");
	tu_resp_free(&r);

	/* The cookie identifies the caller. */
	r = get(c, "/api/v1/session", cookie);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "email")),
			    "editor@901");
	assert_string_equal(json_string_value(json_object_get(r.json, "kind")),
			    "user");
	assert_string_equal(json_string_value(json_object_get(r.json, "csrf_token")),
			    csrf);
	tu_resp_free(&r);
	r = get(c, "/api/v1/session", NULL);
	expect_problem(&r, 401, "auth-required");
	tu_resp_free(&r);
	r = get(c, "/api/v1/session",
		"hh_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	expect_problem(&r, 401, "auth-required");
	tu_resp_free(&r);

	/* A bearer token is a caller too, without a CSRF token. */
	char url[256], auth[128];
	snprintf(url, sizeof(url), "%s/api/v1/session", c->s.base);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->token);
	const char *h[] = { auth, NULL };
	r = tu_http("GET", url, NULL, h, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "kind")),
			    "token");
	assert_null(json_object_get(r.json, "csrf_token"));
	tu_resp_free(&r);

	/* A second session of the same user. */
	char cookie2[160], csrf2[64];
	api_login(c, "editor@901", cookie2, sizeof(cookie2), csrf2, sizeof(csrf2));
	assert_string_not_equal(cookie, cookie2);
	assert_string_not_equal(csrf, csrf2);

	/* Signing out needs the CSRF token of this session. */
	r = req(c, "DELETE", "/api/v1/session", NULL, NULL, NULL, cookie);
	expect_problem(&r, 403, "csrf-token-invalid");
	tu_resp_free(&r);
	r = req(c, "DELETE", "/api/v1/session", NULL, NULL, csrf2, cookie);
	expect_problem(&r, 403, "csrf-token-invalid");
	tu_resp_free(&r);
	assert_int_equal(status_of_session(c, cookie), 200);
	r = req(c, "DELETE", "/api/v1/session", NULL, NULL, csrf, cookie);
	assert_int_equal(r.status, 204);
	char gone[160], gone_attrs[256];
	assert_true(set_cookie(&r, "hh_session", gone, sizeof(gone), gone_attrs,
			       sizeof(gone_attrs)));
	assert_string_equal(gone, "hh_session=");
	expect_in(gone_attrs, "Max-Age=0");
	tu_resp_free(&r);
	/* The old cookie is dead; the other session lives on. */
	r = get(c, "/api/v1/session", cookie);
	expect_problem(&r, 401, "auth-required");
	tu_resp_free(&r);
	assert_int_equal(status_of_session(c, cookie2), 200);
	r = req(c, "DELETE", "/api/v1/session", NULL, NULL, csrf, cookie);
	expect_problem(&r, 401, "auth-required");
	tu_resp_free(&r);
	r = req(c, "DELETE", "/api/v1/session", NULL, NULL, csrf2, cookie2);
	assert_int_equal(r.status, 204);
	tu_resp_free(&r);
	assert_int_equal(status_of_session(c, cookie2), 401);
}

/* ---- citizen pages ---------------------------------------------------- */

static void front_page_lists_life_events(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/", NULL);
	expect_page(&r, 200);
	expect_in(r.body, "<a href=\"/livssituation/flytning-test\"><h3>Du skal "
			  "flytte</h3></a>");
	expect_in(r.body, "<option value=\"901\">Nordskov Kommune</option>");
	/* Agencies are no municipality to choose. */
	expect_not_in(r.body, "<option value=\"udk\"");
	expect_in(r.body, "href=\"/log-ind\"");
	tu_resp_free(&r);

	/* Choosing a municipality is remembered in a cookie. */
	r = get(c, "/?kommune=901", NULL);
	expect_page(&r, 200);
	expect_in(r.body, "Du ser indhold for <strong>Nordskov Kommune</strong>");
	expect_in(r.body, "<option value=\"901\" selected>");
	char kc[64], attrs[128];
	assert_true(set_cookie(&r, "hh_kommune", kc, sizeof(kc), attrs,
			       sizeof(attrs)));
	assert_string_equal(kc, "hh_kommune=901");
	tu_resp_free(&r);
	r = get(c, "/", "hh_kommune=901");
	expect_in(r.body, "Du ser indhold for <strong>Nordskov Kommune</strong>");
	tu_resp_free(&r);
	/* An agency or unknown code is no choice. */
	r = get(c, "/?kommune=udk", NULL);
	expect_page(&r, 200);
	expect_not_in(r.body, "Du ser indhold for");
	tu_resp_free(&r);
	r = get(c, "/?kommune=%3Cscript%3E", NULL);
	expect_page(&r, 200);
	expect_not_in(r.body, "<script>");
	tu_resp_free(&r);

	/* HEAD gives the headers without the page. */
	char url[256];
	snprintf(url, sizeof(url), "%s/", c->s.base);
	r = tu_http("HEAD", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "");
	tu_resp_free(&r);
}

static int danish_date(const char *s)
{
	static const char *const months[] = {
		"januar", "februar", "marts",	  "april",   "maj",	 "juni",
		"juli",	  "august",  "september", "oktober", "november", "december"
	};
	char *end;
	long day = strtol(s, &end, 10);
	if (end == s || day < 1 || day > 31 || strncmp(end, ". ", 2))
		return 0;
	end += 2;
	for (int i = 0; i < 12; i++) {
		size_t n = strlen(months[i]);
		if (!strncmp(end, months[i], n) && end[n] == ' ')
			return isdigit((unsigned char)end[n + 1]) &&
			       strtol(end + n + 1, NULL, 10) >= 2024;
	}
	return 0;
}

static void article_page_shows_owner_and_date(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/artikel/side-flyt", NULL);
	expect_page(&r, 200);
	/* The title is escaped wherever it appears. */
	expect_in(r.body, "<h1>Meld flytning &amp; &lt;adresse&gt;</h1>");
	expect_in(r.body, "<title>Meld flytning &amp; &lt;adresse&gt; – helhed</title>");
	expect_not_in(r.body, "<adresse>");
	expect_in(r.body, "<dt>Sidst opdateret</dt>");
	const char *t = strstr(r.body, "<time datetime=\"");
	assert_non_null(t);
	t = strchr(t, '>');
	assert_non_null(t);
	assert_true(danish_date(t + 1));
	expect_in(r.body, "Fælles vidensbase for kommunerne");
	expect_in(r.body, "<dt>KLE-nummer</dt><dd>23.05.00</dd>");
	/* The body is rendered Markdown with raw HTML escaped. */
	expect_in(r.body, "<strong>Husk</strong>");
	expect_in(r.body, "&lt;script&gt;");
	expect_not_in(r.body, "<script>");
	tu_resp_free(&r);

	/* A municipality sees its local version, marked as such. */
	r = get(c, "/artikel/side-flyt?kommune=901", NULL);
	expect_page(&r, 200);
	expect_in(r.body, "<h1>Meld flytning i Nordskov</h1>");
	expect_in(r.body, "Nordskov Kommune (lokal vejledning)");
	tu_resp_free(&r);
	r = get(c, "/artikel/side-flyt", "hh_kommune=902");
	expect_in(r.body, "<h1>Meld flytning &amp; &lt;adresse&gt;</h1>");
	tu_resp_free(&r);

	/* An agency's article names the agency. */
	r = get(c, "/artikel/side-pension", NULL);
	expect_page(&r, 200);
	expect_in(r.body, "<dd>Udbetaling Danmark</dd>");
	tu_resp_free(&r);
}

static void hidden_and_unknown_articles_are_404_pages(void **state)
{
	struct ctx *c = *state;
	static const char *const paths[] = {
		"/artikel/side-intern", "/artikel/side-kladde",
		"/artikel/findes-ikke", "/artikel/Ikke_Gyldig",
		"/livssituation/findes-ikke", "/findes/slet/ikke",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct tu_resp r = get(c, paths[i], NULL);
		expect_page(&r, 404);
		expect_in(r.body, "<h1>Siden findes ikke</h1>");
		expect_in(r.body, "Gå til forsiden");
		/* Nothing of the hidden article leaks. */
		expect_not_in(r.body, "Intern vejledning");
		expect_not_in(r.body, "Kladde om flytning");
		tu_resp_free(&r);
	}
	/* Staff see the staff article, marked as internal... */
	char cookie[160], csrf[64];
	api_login(c, "agent@901", cookie, sizeof(cookie), csrf, sizeof(csrf));
	struct tu_resp r = get(c, "/artikel/side-intern", cookie);
	expect_page(&r, 200);
	expect_in(r.body, "<h1>Intern vejledning om flytning</h1>");
	expect_in(r.body, "Intern vejledning for medarbejdere.");
	tu_resp_free(&r);
	/* ...but an agent does not see drafts; their editor does. */
	r = get(c, "/artikel/side-kladde", cookie);
	expect_page(&r, 404);
	tu_resp_free(&r);
	api_login(c, "editor@901", cookie, sizeof(cookie), csrf, sizeof(csrf));
	r = get(c, "/artikel/side-kladde", cookie);
	expect_page(&r, 200);
	expect_in(r.body, "Denne artikel er en kladde");
	tu_resp_free(&r);
}

static void life_event_page_lists_what_the_reader_may_see(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/livssituation/flytning-test", NULL);
	expect_page(&r, 200);
	expect_in(r.body, "<h1>Du skal flytte</h1>");
	expect_in(r.body, "<a href=\"/artikel/side-flyt\">Meld flytning &amp; "
			  "&lt;adresse&gt;</a>");
	expect_in(r.body, "<a href=\"/artikel/side-pension\">");
	expect_in(r.body, "<p class=\"who\">Udbetaling Danmark</p>");
	expect_not_in(r.body, "side-intern");
	expect_not_in(r.body, "side-kladde");
	expect_not_in(r.body, "findes-ikke");
	tu_resp_free(&r);
	r = get(c, "/livssituation/flytning-test?kommune=901", NULL);
	expect_page(&r, 200);
	expect_in(r.body, "Meld flytning i Nordskov");
	tu_resp_free(&r);
}

/* ---- staff pages ------------------------------------------------------- */

/* GETs the sign-in form; writes its cookie ("hh_login=...") and hidden
 * field value. */
static void login_form(struct ctx *c, char *cookie, size_t csize, char *field,
		       size_t fsize)
{
	char attrs[256];
	struct tu_resp r = get(c, "/log-ind", NULL);
	expect_page(&r, 200);
	expect_in(r.body, "<form class=\"form\" method=\"post\" action=\"/log-ind\">");
	assert_true(set_cookie(&r, "hh_login", cookie, csize, attrs, sizeof(attrs)));
	expect_in(attrs, "HttpOnly");
	expect_in(attrs, "SameSite=Strict");
	expect_in(attrs, "Path=/log-ind");
	char cc[128];
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "no-store");
	hidden_csrf(r.body, field, fsize);
	/* Double submit: the field repeats the cookie. */
	assert_string_equal(cookie + strlen("hh_login="), field);
	tu_resp_free(&r);
}

static void sign_in_form_flow(void **state)
{
	struct ctx *c = *state;
	char login_cookie[128], field[64], body[256], loc[128];
	login_form(c, login_cookie, sizeof(login_cookie), field, sizeof(field));
	/* Each form gets its own token. */
	char other_cookie[128], other_field[64];
	login_form(c, other_cookie, sizeof(other_cookie), other_field,
		   sizeof(other_field));
	assert_string_not_equal(field, other_field);

	snprintf(body, sizeof(body),
		 "email=editor%%40901&password=password-1&csrf=%s", field);
	struct tu_resp r = req(c, "POST", "/log-ind", body,
			       "application/x-www-form-urlencoded", NULL,
			       login_cookie);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/personale");
	char session[160], attrs[256];
	assert_true(set_cookie(&r, "hh_session", session, sizeof(session), attrs,
			       sizeof(attrs)));
	assert_int_equal(strlen(session), strlen("hh_session=") + 43);
	expect_in(attrs, "HttpOnly");
	expect_in(attrs, "SameSite=Strict");
	tu_resp_free(&r);

	/* The staff page greets the user, leads an editor to the articles
	 * and the search report, and offers sign-out with the session's
	 * CSRF token in the header (as every staff page does). */
	r = get(c, "/personale", session);
	expect_page(&r, 200);
	expect_in(r.body, "<h1>Velkommen, Eva Editor</h1>");
	/* the organisation by its name, not its code */
	expect_in(r.body, "<dd>Nordskov Kommune</dd>");
	expect_in(r.body, "<dd>redaktør</dd>");
	expect_in(r.body, "<a href=\"/personale/soegninger\">");
	expect_in(r.body, "<a href=\"#artikler\">");
	expect_in(r.body, "<h2 id=\"artikler\">");
	expect_not_in(r.body, "<a href=\"/sagsbehandling\">");
	{
		const char *header = strstr(r.body, "<header");
		const char *end = header ? strstr(header, "</header>") : NULL;
		const char *out = header ? strstr(header, "action=\"/log-ud\"") : NULL;
		assert_non_null(end);
		assert_true(out && out < end);
	}
	/* It lists the organisation's own articles, not the shared ones,
	 * each linked under its municipality (the article page finds a
	 * local article only there: the crawl found these links dead). */
	expect_in(r.body, "<a href=\"/artikel/side-flyt?kommune=901\">Meld flytning i "
			  "Nordskov</a></td><td>Udgivet</td><td>Borgere</td>");
	expect_not_in(r.body, "Kladde om flytning");
	expect_not_in(r.body, "Folkepension");
	char csrf[64];
	hidden_csrf(r.body, csrf, sizeof(csrf));
	tu_resp_free(&r);
	r = get(c, "/api/v1/session", session);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "csrf_token")),
			    csrf);
	tu_resp_free(&r);
	/* Signed in, the form sends you on. */
	r = get(c, "/log-ind", session);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/personale");
	tu_resp_free(&r);
	/* The menu links to the staff page. */
	r = get(c, "/", session);
	expect_in(r.body, "<a href=\"/personale\">Personale</a>");
	tu_resp_free(&r);

	/* A front-desk agent lands on the case queue it works, and is sent
	 * there from the sign-in form too. */
	login_form(c, login_cookie, sizeof(login_cookie), field, sizeof(field));
	snprintf(body, sizeof(body),
		 "email=agent%%40901&password=password-1&csrf=%s", field);
	r = req(c, "POST", "/log-ind", body, "application/x-www-form-urlencoded",
		NULL, login_cookie);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/sagsbehandling");
	assert_true(set_cookie(&r, "hh_session", session, sizeof(session), attrs,
			       sizeof(attrs)));
	tu_resp_free(&r);
	r = get(c, "/log-ind", session);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/sagsbehandling");
	tu_resp_free(&r);
	r = get(c, "/personale", session);
	expect_page(&r, 200);
	expect_in(r.body, "<a href=\"/sagsbehandling\">Sagskøen</a>");
	expect_not_in(r.body, "<a href=\"/personale/soegninger\">");
	tu_resp_free(&r);
}

static void sign_in_form_refusals(void **state)
{
	struct ctx *c = *state;
	char login_cookie[128], field[64], body[512], sc[160];
	login_form(c, login_cookie, sizeof(login_cookie), field, sizeof(field));

	/* Wrong password: 401, a Danish message, the email kept. */
	snprintf(body, sizeof(body),
		 "email=editor%%40901&password=forkert&csrf=%s", field);
	struct tu_resp r = req(c, "POST", "/log-ind", body,
			       "application/x-www-form-urlencoded", NULL,
			       login_cookie);
	expect_page(&r, 401);
	expect_in(r.body, "E-mail eller adgangskode er forkert.");
	expect_in(r.body, "role=\"alert\"");
	expect_in(r.body, "value=\"editor@901\"");
	assert_false(set_cookie(&r, "hh_session", sc, sizeof(sc), NULL, 0));
	/* A fresh form token comes with the form. */
	assert_true(set_cookie(&r, "hh_login", sc, sizeof(sc), NULL, 0));
	tu_resp_free(&r);
	/* Unknown email: the same answer. */
	snprintf(body, sizeof(body),
		 "email=nobody%%40901&password=forkert&csrf=%s", field);
	r = req(c, "POST", "/log-ind", body, "application/x-www-form-urlencoded",
	       NULL, login_cookie);
	expect_page(&r, 401);
	expect_in(r.body, "E-mail eller adgangskode er forkert.");
	tu_resp_free(&r);
	/* What the user typed is escaped when shown again. */
	snprintf(body, sizeof(body),
		 "email=%%22%%3E%%3Cscript%%3E&password=x&csrf=%s", field);
	r = req(c, "POST", "/log-ind", body, "application/x-www-form-urlencoded",
	       NULL, login_cookie);
	expect_page(&r, 401);
	expect_in(r.body, "value=\"&quot;&gt;&lt;script&gt;\"");
	expect_not_in(r.body, "<script>");
	tu_resp_free(&r);

	/* Without the form token, or with one that does not match. */
	r = req(c, "POST", "/log-ind", "email=editor%40901&password=password-1",
	       "application/x-www-form-urlencoded", NULL, login_cookie);
	expect_page(&r, 403);
	expect_in(r.body, "Formularen er udløbet");
	assert_false(set_cookie(&r, "hh_session", sc, sizeof(sc), NULL, 0));
	tu_resp_free(&r);
	snprintf(body, sizeof(body),
		 "email=editor%%40901&password=password-1&csrf=%s", field);
	r = req(c, "POST", "/log-ind", body, "application/x-www-form-urlencoded",
	       NULL, NULL);
	expect_page(&r, 403);
	assert_false(set_cookie(&r, "hh_session", sc, sizeof(sc), NULL, 0));
	tu_resp_free(&r);
	snprintf(body, sizeof(body),
		 "email=editor%%40901&password=password-1&csrf=%sx", field);
	r = req(c, "POST", "/log-ind", body, "application/x-www-form-urlencoded",
	       NULL, login_cookie);
	expect_page(&r, 403);
	tu_resp_free(&r);
	/* Empty fields. */
	snprintf(body, sizeof(body), "email=&password=&csrf=%s", field);
	r = req(c, "POST", "/log-ind", body, "application/x-www-form-urlencoded",
	       NULL, login_cookie);
	expect_page(&r, 400);
	expect_in(r.body, "Skriv både din e-mail og din adgangskode.");
	tu_resp_free(&r);
}

static void staff_page_needs_sign_in(void **state)
{
	struct ctx *c = *state;
	char loc[128];
	struct tu_resp r = get(c, "/personale", NULL);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/log-ind");
	tu_resp_free(&r);
	r = get(c, "/personale",
		"hh_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
}

static void sign_out_needs_the_csrf_field(void **state)
{
	struct ctx *c = *state;
	char cookie[160], csrf[64], body[128], loc[64], sc[160], attrs[256];
	api_login(c, "editor@901", cookie, sizeof(cookie), csrf, sizeof(csrf));

	struct tu_resp r = req(c, "POST", "/log-ud", "",
			       "application/x-www-form-urlencoded", NULL, cookie);
	expect_page(&r, 403);
	expect_in(r.body, "Du blev ikke logget ud");
	tu_resp_free(&r);
	r = req(c, "POST", "/log-ud", "csrf=forkert",
	       "application/x-www-form-urlencoded", NULL, cookie);
	expect_page(&r, 403);
	tu_resp_free(&r);
	assert_int_equal(status_of_session(c, cookie), 200);

	snprintf(body, sizeof(body), "csrf=%s", csrf);
	r = req(c, "POST", "/log-ud", body, "application/x-www-form-urlencoded",
	       NULL, cookie);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/");
	assert_true(set_cookie(&r, "hh_session", sc, sizeof(sc), attrs,
			       sizeof(attrs)));
	assert_string_equal(sc, "hh_session=");
	expect_in(attrs, "Max-Age=0");
	tu_resp_free(&r);
	assert_int_equal(status_of_session(c, cookie), 401);
	r = get(c, "/personale", cookie);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
}

/* ---- static files, headers, metrics ------------------------------------ */

static void static_files_are_cached(void **state)
{
	struct ctx *c = *state;
	char ct[128], cc[128], etag[64], url[256];
	struct tu_resp r = get(c, "/static/style.css", NULL);
	assert_int_equal(r.status, 200);
	assert_true(tu_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "text/css; charset=utf-8");
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	expect_in(cc, "max-age=");
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	assert_true(etag[0] == '"' && etag[strlen(etag) - 1] == '"');
	/* The file as it is on disk. */
	char *disk = tu_read("web/style.css");
	assert_non_null(disk);
	assert_string_equal(r.body, disk);
	free(disk);
	tu_resp_free(&r);

	char inm[128];
	snprintf(url, sizeof(url), "%s/static/style.css", c->s.base);
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	const char *h[] = { inm, NULL };
	r = tu_http("GET", url, NULL, h, NULL);
	assert_int_equal(r.status, 304);
	assert_string_equal(r.body, "");
	char etag2[64];
	assert_true(tu_header(&r, "ETag", etag2, sizeof(etag2)));
	assert_string_equal(etag2, etag);
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	tu_resp_free(&r);
	const char *h2[] = { "If-None-Match: \"0000000000000000\"", NULL };
	r = tu_http("GET", url, NULL, h2, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);

	r = get(c, "/static/findes-ikke.css", NULL);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	/* Static files are read-only. */
	r = req(c, "POST", "/static/style.css", "x", "text/plain", NULL, NULL);
	assert_true(r.status == 404 || r.status == 405);
	tu_resp_free(&r);
}

static void security_headers_are_set(void **state)
{
	struct ctx *c = *state;
	char v[512];
	static const char *const pages[] = { "/", "/log-ind", "/artikel/side-flyt",
					     "/artikel/findes-ikke" };
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		struct tu_resp r = get(c, pages[i], NULL);
		assert_true(tu_header(&r, "X-Content-Type-Options", v, sizeof(v)));
		assert_string_equal(v, "nosniff");
		assert_true(tu_header(&r, "Content-Security-Policy", v, sizeof(v)));
		expect_in(v, "default-src 'self'");
		expect_in(v, "frame-ancestors 'none'");
		expect_in(v, "form-action 'self'");
		assert_true(tu_header(&r, "X-Frame-Options", v, sizeof(v)));
		assert_string_equal(v, "DENY");
		assert_true(tu_header(&r, "Referrer-Policy", v, sizeof(v)));
		tu_resp_free(&r);
	}
	/* JSON and problem responses are not sniffed either. */
	struct tu_resp r = get(c, "/api/v1/articles", NULL);
	assert_int_equal(r.status, 200);
	assert_true(tu_header(&r, "X-Content-Type-Options", v, sizeof(v)));
	assert_string_equal(v, "nosniff");
	tu_resp_free(&r);
	r = get(c, "/api/v1/articles/findes-ikke", NULL);
	assert_true(tu_header(&r, "X-Content-Type-Options", v, sizeof(v)));
	tu_resp_free(&r);
	r = get(c, "/static/style.css", NULL);
	assert_true(tu_header(&r, "X-Content-Type-Options", v, sizeof(v)));
	tu_resp_free(&r);
}

/* The value of metric line "name{labels} N" in text, or -1. */
static long metric(const char *text, const char *series)
{
	const char *p = text;
	size_t n = strlen(series);
	while ((p = strstr(p, series))) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return strtol(p + n + 1, NULL, 10);
		p += n;
	}
	return -1;
}

static void metrics_are_prometheus_text(void **state)
{
	struct ctx *c = *state;
	char ct[128];
	/* Make sure a 4xx is counted: the counters move when a request
	 * completes, which may be just after its client has the answer, so
	 * wait for it (bounded). */
	struct tu_resp r = get(c, "/api/v1/findes-ikke", NULL);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	long four = -1, two = -1;
	for (int i = 0; i < 500 && four < 1; i++) {
		r = get(c, "/metrics", NULL);
		assert_int_equal(r.status, 200);
		assert_true(tu_header(&r, "Content-Type", ct, sizeof(ct)));
		assert_string_equal(ct, "text/plain; version=0.0.4; charset=utf-8");
		expect_in(r.body, "# TYPE helhed_http_requests_total counter\n");
		four = metric(r.body, "helhed_http_requests_total{class=\"4xx\"}");
		two = metric(r.body, "helhed_http_requests_total{class=\"2xx\"}");
		assert_true(metric(r.body, "helhed_http_in_flight") >= 1);
		tu_resp_free(&r);
		if (four < 1)
			usleep(10 * 1000);
	}
	assert_true(four >= 1);
	assert_true(two >= 1);
	/* Counters only grow. */
	r = get(c, "/metrics", NULL);
	assert_true(metric(r.body, "helhed_http_requests_total{class=\"2xx\"}") >=
		    two);
	assert_true(metric(r.body, "helhed_http_requests_total{class=\"5xx\"}") >=
		    0);
	expect_not_in(r.body, "<html");
	tu_resp_free(&r);
}

/* ---- fixture ------------------------------------------------------------ */

static void write_content(const char *dir)
{
	char p[4200];
	static const struct {
		const char *path, *text;
	} files[] = {
		{ "articles/side-flyt.md",
		  "---\ntitle: Meld flytning & <adresse>\nsummary: Sådan melder "
		  "du flytning.\nkeywords: flytning, adresse\nkle: 23.05.00\n"
		  "audience: citizen\nstatus: published\n---\n\n**Husk** at "
		  "melde flytning. <script>alert(1)</script>\n" },
		{ "articles/901/side-flyt.md",
		  "---\ntitle: Meld flytning i Nordskov\nsummary: Lokalt om "
		  "flytning.\nkeywords: flytning\nkle: 23.05.00\naudience: "
		  "citizen\nstatus: published\norganisation: 901\n---\n\nI "
		  "Nordskov melder du flytning på rådhuset.\n" },
		{ "articles/udk/side-pension.md",
		  "---\ntitle: Folkepension\nsummary: Om folkepension.\n"
		  "keywords: pension\nkle: \naudience: citizen\nstatus: "
		  "published\norganisation: udk\n---\n\nFolkepension søger du "
		  "hos Udbetaling Danmark.\n" },
		{ "articles/side-intern.md",
		  "---\ntitle: Intern vejledning om flytning\nsummary: Til "
		  "medarbejdere.\nkeywords: \nkle: \naudience: staff\nstatus: "
		  "published\n---\n\nKun for personale.\n" },
		{ "articles/side-kladde.md",
		  "---\ntitle: Kladde om flytning\nsummary: Ikke færdig.\n"
		  "keywords: \nkle: \naudience: citizen\nstatus: draft\n---\n\n"
		  "Ikke færdig endnu.\n" },
		{ "life-events/flytning-test.json",
		  "{\"title\": \"Du skal flytte\", \"summary\": \"Alt om at "
		  "flytte.\", \"position\": 1, \"articles\": [\"side-flyt\", "
		  "\"side-intern\", \"side-kladde\", \"findes-ikke\", "
		  "\"side-pension\"]}" },
	};
	snprintf(p, sizeof(p), "mkdir -p '%s/articles/901' '%s/articles/udk' "
			       "'%s/life-events'", dir, dir, dir);
	assert_int_equal(system(p), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, files[i].path);
		tu_write(p, files[i].text);
	}
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	char *dir = tu_tmpdir();
	write_content(dir);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 0, stderr, NULL,
					   NULL, &stats),
			 HH_OK);
	assert_int_equal(stats.articles_created, 5);
	assert_int_equal(stats.life_events, 1);
	tu_rmdir(dir);
	assert_int_equal(hh_auth_token_add(c->s.store, "901", "tests",
					   HH_ROLE_EDITOR, "test", c->token),
			 HH_OK);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrong_password_and_unknown_email_look_the_same),
		cmocka_unit_test(session_lifecycle),
		cmocka_unit_test(front_page_lists_life_events),
		cmocka_unit_test(article_page_shows_owner_and_date),
		cmocka_unit_test(hidden_and_unknown_articles_are_404_pages),
		cmocka_unit_test(life_event_page_lists_what_the_reader_may_see),
		cmocka_unit_test(sign_in_form_flow),
		cmocka_unit_test(sign_in_form_refusals),
		cmocka_unit_test(staff_page_needs_sign_in),
		cmocka_unit_test(sign_out_needs_the_csrf_field),
		cmocka_unit_test(static_files_are_cached),
		cmocka_unit_test(security_headers_are_set),
		cmocka_unit_test(metrics_are_prometheus_text),
	};
	int rc = cmocka_run_group_tests_name("api/session_pages", tests, setup,
					     teardown);
	curl_global_cleanup();
	return rc;
}
