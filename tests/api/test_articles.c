/* test_articles.c - the article API end to end over HTTP: listing with
 * paging, filters and visibility; reading with local overrides; creating,
 * replacing with versions, archiving and history; and every error path a
 * client can hit, each checked as a complete problem+json document.
 *
 * One server serves the whole group (signing in costs an argon2id hash);
 * each test uses its own slugs and its own KLE group so that the counts it
 * asserts cannot be disturbed by the others. */
#include "testutil.h"

#include <pthread.h>

#include "api/api.h"
#include "domain/articles.h"

enum { E901, AGENT, E902, EUDK, N_USERS, ANON = -1 };

static const char *const emails[N_USERS] = { "editor@901", "agent@901",
					     "editor@902", "editor@udk" };

struct ctx {
	struct tu_server s;
	char cookie[N_USERS][160];
	char csrf[N_USERS][64];
	char token[HH_TOKEN_CHARS]; /* bearer: editor role, organisation 901 */
};

/* ---- helpers ---------------------------------------------------------- */

/* Sends method path as user who (ANON: no cookie). A body is sent as
 * application/json; a signed-in user also sends the session's CSRF token.
 * extra: more headers (NULL-terminated, may be NULL); a "Content-Type:"
 * or "X-CSRF-Token:" among them replaces the default. */
static struct tu_resp call(struct ctx *c, int who, const char *method,
			   const char *path, const char *body,
			   const char *const *extra)
{
	return tu_call(c->s.base, who >= 0 ? c->cookie[who] : NULL,
		       who >= 0 ? c->csrf[who] : NULL, method, path, body, extra);
}

#define expect_problem tu_expect_problem

/* The JSON body of a new article (org NULL: shared). New string. */
static char *article_body(const char *slug, const char *org, const char *title,
			  const char *kle, const char *audience,
			  const char *status, const char *md)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:[s,s], s:s, s:s, s:s}",
			      "slug", slug, "title", title, "summary",
			      "Et kort resumé af artiklen.", "body",
			      md ? md : "Brødtekst med **fed** skrift.",
			      "keywords", "nøgleord", "andet ord", "kle", kle,
			      "audience", audience, "status", status);
	if (org)
		json_object_set_new(j, "organisation", json_string(org));
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return s;
}

/* Creates an article as who and expects 201. */
static void create_ok(struct ctx *c, int who, const char *slug, const char *org,
		      const char *title, const char *kle, const char *audience,
		      const char *status)
{
	char *b = article_body(slug, org, title, kle, audience, status, NULL);
	struct tu_resp r = call(c, who, "POST", "/api/v1/articles", b, NULL);
	if (r.status != 201)
		fprintf(stderr, "create %s: %ld %s\n", slug, r.status, r.body);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	free(b);
}

/* The JSON body of a replacement (version 0: none in the body). */
static char *put_body(const char *title, const char *status, int64_t version)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "title", title,
			      "summary", "Et nyt resumé.", "body",
			      "Ny brødtekst.", "kle", "", "audience", "citizen",
			      "status", status);
	if (version)
		json_object_set_new(j, "version", json_integer(version));
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return s;
}

/* The slugs of a list response, joined with ",". */
static void slugs_of(const struct tu_resp *r, char *out, size_t size)
{
	json_t *items = json_object_get(r->json, "items");
	size_t i;
	json_t *it;
	size_t n = 0;
	out[0] = 0;
	assert_true(json_is_array(items));
	json_array_foreach(items, i, it)
	{
		const char *s = json_string_value(json_object_get(it, "slug"));
		assert_non_null(s);
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "," : "", s);
		assert_true(n < size);
	}
}

static int64_t jint(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static const char *jstr(const json_t *j, const char *key)
{
	const char *v = json_string_value(json_object_get(j, key));
	assert_non_null(v);
	return v;
}

/* GET path as who, expect 200, and compare the slugs listed and total. */
static void expect_list(struct ctx *c, int who, const char *path,
			const char *slugs, int64_t total)
{
	char got[2048];
	struct tu_resp r = call(c, who, "GET", path, NULL, NULL);
	if (r.status != 200)
		fprintf(stderr, "%s: %ld %s\n", path, r.status, r.body);
	assert_int_equal(r.status, 200);
	slugs_of(&r, got, sizeof(got));
	if (strcmp(got, slugs))
		fprintf(stderr, "%s as %d: got [%s]\n", path, who, got);
	assert_string_equal(got, slugs);
	assert_int_equal(jint(r.json, "total"), total);
	tu_resp_free(&r);
}

/* ---- listing ----------------------------------------------------------- */

static void list_pages_with_limit_offset_total(void **state)
{
	struct ctx *c = *state;
	const char *slugs[] = { "side-a", "side-b", "side-c", "side-d", "side-e" };
	for (int i = 0; i < 5; i++) {
		char kle[] = "41.00.00";
		kle[4] = (char)('0' + i);
		create_ok(c, E901, slugs[i], NULL, "Side", kle, "citizen",
			  "published");
	}
	struct tu_resp r = call(c, ANON, "GET", "/api/v1/articles?kle=41&limit=2",
				NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "total"), 5);
	assert_int_equal(jint(r.json, "limit"), 2);
	assert_int_equal(jint(r.json, "offset"), 0);
	tu_resp_free(&r);
	/* Pages are disjoint and together give every article once, in
	 * slug order. */
	expect_list(c, ANON, "/api/v1/articles?kle=41&limit=2&offset=0",
		    "side-a,side-b", 5);
	expect_list(c, ANON, "/api/v1/articles?kle=41&limit=2&offset=2",
		    "side-c,side-d", 5);
	expect_list(c, ANON, "/api/v1/articles?kle=41&limit=2&offset=4",
		    "side-e", 5);
	expect_list(c, ANON, "/api/v1/articles?kle=41&offset=50", "", 5);
	expect_list(c, ANON, "/api/v1/articles?kle=41",
		    "side-a,side-b,side-c,side-d,side-e", 5);
	r = call(c, ANON, "GET", "/api/v1/articles?kle=41&limit=100", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "limit"), 100);
	tu_resp_free(&r);
}

static void list_rejects_bad_parameters(void **state)
{
	struct ctx *c = *state;
	static const struct {
		const char *query, *field;
	} bad[] = {
		{ "limit=0", "limit" },	     { "limit=101", "limit" },
		{ "limit=abc", "limit" },    { "limit=", "limit" },
		{ "limit=5x", "limit" },     { "offset=-1", "offset" },
		{ "offset=x", "offset" },    { "status=secret", "status" },
		{ "audience=all", "audience" }, { "kle=4", "kle" },
		{ "kle=42.0", "kle" },	     { "kle=ab.cd", "kle" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/api/v1/articles?%s", bad[i].query);
		struct tu_resp r = call(c, ANON, "GET", path, NULL, NULL);
		expect_problem(&r, 400, "invalid-parameter", bad[i].field);
		tu_resp_free(&r);
	}
	struct tu_resp r = call(c, ANON, "GET", "/api/v1/articles?organisation=999",
				NULL, NULL);
	expect_problem(&r, 400, "unknown-organisation", "organisation");
	tu_resp_free(&r);
}

static void list_filters_and_visibility(void **state)
{
	struct ctx *c = *state;
	create_ok(c, E901, "liste-faelles", NULL, "Fælles", "42.01.01", "citizen",
		  "published");
	create_ok(c, E901, "liste-faelles-kladde", NULL, "Fælles kladde",
		  "42.01.02", "citizen", "draft");
	create_ok(c, E901, "liste-nordskov", "901", "Nordskov", "42.02.01",
		  "citizen", "published");
	create_ok(c, E901, "liste-nordskov-kladde", "901", "Nordskov kladde",
		  "42.02.02", "citizen", "draft");
	create_ok(c, E901, "liste-nordskov-intern", "901", "Nordskov intern",
		  "42.02.03", "staff", "published");
	create_ok(c, E902, "liste-aastrup-kladde", "902", "Åstrup kladde",
		  "42.03.01", "citizen", "draft");
	create_ok(c, EUDK, "liste-udk", "udk", "Udbetaling", "42.04.01",
		  "citizen", "published");

	/* Anonymous: published citizen articles only, whatever the owner. */
	expect_list(c, ANON, "/api/v1/articles?kle=42",
		    "liste-faelles,liste-nordskov,liste-udk", 3);
	expect_list(c, ANON, "/api/v1/articles?kle=42&status=published&audience=citizen",
		    "liste-faelles,liste-nordskov,liste-udk", 3);
	/* organisation: a code, or "shared". */
	expect_list(c, ANON, "/api/v1/articles?kle=42&organisation=901",
		    "liste-nordskov", 1);
	expect_list(c, ANON, "/api/v1/articles?kle=42&organisation=udk",
		    "liste-udk", 1);
	expect_list(c, ANON, "/api/v1/articles?kle=42&organisation=shared",
		    "liste-faelles", 1);
	/* kle is a prefix on whole groups: 42.0 is no prefix of 42.01. */
	expect_list(c, ANON, "/api/v1/articles?kle=42.02", "liste-nordskov", 1);
	expect_list(c, ANON, "/api/v1/articles?kle=42.02.01", "liste-nordskov", 1);
	expect_list(c, ANON, "/api/v1/articles?kle=43", "", 0);

	/* Anonymous asking for more than the public part must sign in. */
	struct tu_resp r = call(c, ANON, "GET", "/api/v1/articles?status=draft",
				NULL, NULL);
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = call(c, ANON, "GET", "/api/v1/articles?status=archived", NULL, NULL);
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = call(c, ANON, "GET", "/api/v1/articles?audience=staff", NULL, NULL);
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);

	/* An agent sees staff articles, but drafts are for editors. */
	expect_list(c, AGENT, "/api/v1/articles?kle=42&audience=staff",
		    "liste-nordskov-intern", 1);
	expect_list(c, AGENT, "/api/v1/articles?kle=42",
		    "liste-faelles,liste-nordskov,liste-nordskov-intern,liste-udk",
		    4);
	r = call(c, AGENT, "GET", "/api/v1/articles?status=draft", NULL, NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);

	/* Editors see their own and the shared drafts, never another
	 * organisation's. */
	expect_list(c, E901, "/api/v1/articles?kle=42&status=draft",
		    "liste-faelles-kladde,liste-nordskov-kladde", 2);
	expect_list(c, E902, "/api/v1/articles?kle=42&status=draft",
		    "liste-faelles-kladde,liste-aastrup-kladde", 2);
	expect_list(c, E902, "/api/v1/articles?kle=42&organisation=901",
		    "liste-nordskov,liste-nordskov-intern", 2);
	expect_list(c, E901, "/api/v1/articles?kle=42",
		    "liste-faelles,liste-faelles-kladde,liste-nordskov,"
		    "liste-nordskov-intern,liste-nordskov-kladde,liste-udk",
		    6);
	/* The same holds for a bearer token of 901. */
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->token);
	const char *h[] = { auth, NULL };
	r = call(c, ANON, "GET", "/api/v1/articles?kle=42&status=draft", NULL, h);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "total"), 2);
	tu_resp_free(&r);
	/* List items are summaries, without the body. */
	r = call(c, ANON, "GET", "/api/v1/articles?kle=42.01", NULL, NULL);
	json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
	assert_non_null(first);
	assert_null(json_object_get(first, "body"));
	assert_string_equal(jstr(first, "title"), "Fælles");
	tu_resp_free(&r);
}

/* ---- reading ---------------------------------------------------------- */

static void get_resolves_overrides_and_hides_drafts(void **state)
{
	struct ctx *c = *state;
	char etag[64];
	create_ok(c, E901, "hent-mig", NULL, "Fælles udgave", "", "citizen",
		  "published");
	create_ok(c, E901, "hent-mig", "901", "Nordskovs udgave", "", "citizen",
		  "published");
	create_ok(c, EUDK, "hent-styrelse", "udk", "Styrelsens artikel", "",
		  "citizen", "published");
	create_ok(c, E901, "hent-kladde", NULL, "Kladde", "", "citizen", "draft");

	/* Without a municipality: the shared article. */
	struct tu_resp r = call(c, ANON, "GET", "/api/v1/articles/hent-mig", NULL,
				NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "title"), "Fælles udgave");
	assert_false(json_is_string(json_object_get(r.json, "organisation")));
	assert_non_null(json_object_get(r.json, "body"));
	assert_non_null(json_object_get(r.json, "body_html"));
	tu_resp_free(&r);
	/* With one: its local override wins. */
	r = call(c, ANON, "GET", "/api/v1/articles/hent-mig?municipality=901",
		 NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "title"), "Nordskovs udgave");
	assert_string_equal(jstr(r.json, "organisation"), "901");
	assert_string_equal(jstr(r.json, "organisation_name"), "Nordskov Kommune");
	tu_resp_free(&r);
	/* A municipality without an override gets the shared one. */
	r = call(c, ANON, "GET", "/api/v1/articles/hent-mig?municipality=902",
		 NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "title"), "Fælles udgave");
	tu_resp_free(&r);
	/* The owner can be named exactly. */
	r = call(c, ANON, "GET", "/api/v1/articles/hent-mig?organisation=901",
		 NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "title"), "Nordskovs udgave");
	tu_resp_free(&r);
	r = call(c, ANON, "GET", "/api/v1/articles/hent-mig?organisation=shared",
		 NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "title"), "Fælles udgave");
	tu_resp_free(&r);
	/* An agency is not a municipality; unknown codes are refused. */
	r = call(c, ANON, "GET", "/api/v1/articles/hent-mig?municipality=udk",
		 NULL, NULL);
	expect_problem(&r, 400, "unknown-organisation", "municipality");
	tu_resp_free(&r);
	r = call(c, ANON, "GET", "/api/v1/articles/hent-mig?municipality=999",
		 NULL, NULL);
	expect_problem(&r, 400, "unknown-organisation", "municipality");
	tu_resp_free(&r);

	/* An agency's own article is found without parameters. */
	r = call(c, ANON, "GET", "/api/v1/articles/hent-styrelse", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "organisation"), "udk");
	assert_string_equal(jstr(r.json, "title"), "Styrelsens artikel");
	tu_resp_free(&r);

	/* A draft does not exist for the public, but does for its editor. */
	r = call(c, ANON, "GET", "/api/v1/articles/hent-kladde", NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, AGENT, "GET", "/api/v1/articles/hent-kladde", NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, E901, "GET", "/api/v1/articles/hent-kladde", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "status"), "draft");
	tu_resp_free(&r);

	r = call(c, ANON, "GET", "/api/v1/articles/findes-ikke", NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, ANON, "GET", "/api/v1/articles/Ikke_En_Slug", NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);

	/* ETag is the quoted version. */
	r = call(c, ANON, "GET", "/api/v1/articles/hent-mig", NULL, NULL);
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	char want[64];
	snprintf(want, sizeof(want), "\"%lld\"",
		 (long long)jint(r.json, "version"));
	assert_string_equal(etag, want);
	assert_string_equal(etag, "\"1\"");
	tu_resp_free(&r);
}

/* ---- writing ----------------------------------------------------------- */

static void create_returns_location_etag_and_safe_html(void **state)
{
	struct ctx *c = *state;
	char loc[256], etag[64], ct[128];
	char *b = article_body("ny-artikel", "901", "Ny artikel & mere", "12.34",
			       "citizen", "published",
			       "Hej <script>alert(1)</script> og <b>fed</b>\n\n"
			       "<div onclick=\"x()\">blok</div>\n");
	struct tu_resp r = call(c, E901, "POST", "/api/v1/articles", b, NULL);
	free(b);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/json");
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/api/v1/articles/ny-artikel?organisation=901");
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	assert_string_equal(etag, "\"1\"");
	assert_int_equal(jint(r.json, "version"), 1);
	assert_string_equal(jstr(r.json, "slug"), "ny-artikel");
	assert_string_equal(jstr(r.json, "organisation"), "901");
	assert_string_equal(jstr(r.json, "status"), "published");
	assert_string_equal(jstr(r.json, "kle"), "12.34");
	json_t *kw = json_object_get(r.json, "keywords");
	assert_int_equal(json_array_size(kw), 2);
	assert_string_equal(json_string_value(json_array_get(kw, 1)), "andet ord");
	/* Raw HTML is shown as typed, never passed through. */
	const char *html = jstr(r.json, "body_html");
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<div"));
	assert_null(strstr(html, "<b>"));
	assert_non_null(strstr(html, "&lt;script&gt;"));
	assert_non_null(strstr(html, "&lt;div onclick="));
	tu_resp_free(&r);

	/* The Location answers with what was created. */
	r = call(c, ANON, "GET", loc, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "title"), "Ny artikel & mere");
	assert_int_equal(jint(r.json, "version"), 1);
	/* As typed, in the canonical form a content file holds (no
	 * trailing line break). */
	assert_string_equal(jstr(r.json, "body"),
			    "Hej <script>alert(1)</script> og <b>fed</b>\n\n"
			    "<div onclick=\"x()\">blok</div>");
	tu_resp_free(&r);

	/* A shared article (organisation null) has a Location without it. */
	json_t *j = json_pack("{s:s, s:n, s:s, s:s, s:s}", "slug", "ny-faelles",
			      "organisation", "title", "Ny fælles", "summary",
			      "Resumé", "body", "");
	char *s = json_dumps(j, 0);
	json_decref(j);
	r = call(c, E901, "POST", "/api/v1/articles", s, NULL);
	free(s);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/api/v1/articles/ny-faelles");
	/* Defaults: a citizen draft. */
	assert_string_equal(jstr(r.json, "status"), "draft");
	assert_string_equal(jstr(r.json, "audience"), "citizen");
	assert_false(json_is_string(json_object_get(r.json, "organisation")));
	tu_resp_free(&r);
}

static void put_checks_versions(void **state)
{
	struct ctx *c = *state;
	char etag[64];
	const char *path = "/api/v1/articles/ret-mig?organisation=901";
	create_ok(c, E901, "ret-mig", "901", "Version 1", "", "citizen",
		  "published");

	/* If-Match with the ETag. */
	char *b = put_body("Version 2", "published", 0);
	const char *m1[] = { "If-Match: \"1\"", NULL };
	struct tu_resp r = call(c, E901, "PUT", path, b, m1);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "version"), 2);
	assert_string_equal(jstr(r.json, "title"), "Version 2");
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	assert_string_equal(etag, "\"2\"");
	tu_resp_free(&r);
	free(b);

	/* The version in the body does the same. */
	b = put_body("Version 3", "published", 2);
	r = call(c, E901, "PUT", path, b, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "version"), 3);
	tu_resp_free(&r);
	free(b);

	/* Weak and unquoted forms of If-Match are understood. */
	b = put_body("Version 4", "published", 0);
	const char *m3w[] = { "If-Match: W/\"3\"", NULL };
	r = call(c, E901, "PUT", path, b, m3w);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "version"), 4);
	tu_resp_free(&r);
	free(b);
	b = put_body("Version 5", "published", 0);
	const char *m4[] = { "If-Match: 4", NULL };
	r = call(c, E901, "PUT", path, b, m4);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "version"), 5);
	tu_resp_free(&r);
	free(b);

	/* A stale version is refused and changes nothing. */
	b = put_body("Forældet", "published", 0);
	r = call(c, E901, "PUT", path, b, m1);
	expect_problem(&r, 412, "stale-version", NULL);
	tu_resp_free(&r);
	free(b);
	b = put_body("Forældet", "published", 4);
	r = call(c, E901, "PUT", path, b, NULL);
	expect_problem(&r, 412, "stale-version", NULL);
	tu_resp_free(&r);
	free(b);

	/* No version at all: the client must say what it changes. */
	b = put_body("Uden version", "published", 0);
	r = call(c, E901, "PUT", path, b, NULL);
	expect_problem(&r, 428, "version-required", "version");
	tu_resp_free(&r);

	/* Malformed If-Match. */
	static const char *const bad[] = { "If-Match: abc", "If-Match: \"5",
					   "If-Match: \"x\"", "If-Match: 0",
					   "If-Match: -3", "If-Match: *",
					   "If-Match: 5 6" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *h[] = { bad[i], NULL };
		r = call(c, E901, "PUT", path, b, h);
		expect_problem(&r, 400, "invalid-parameter", "If-Match");
		tu_resp_free(&r);
	}
	free(b);
	/* If-Match and the body must agree. */
	b = put_body("Uenig", "published", 4);
	const char *m5[] = { "If-Match: \"5\"", NULL };
	r = call(c, E901, "PUT", path, b, m5);
	expect_problem(&r, 400, "invalid-field", "version");
	tu_resp_free(&r);
	free(b);

	/* Nothing changed by the refused requests. */
	r = call(c, ANON, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "version"), 5);
	assert_string_equal(jstr(r.json, "title"), "Version 5");
	assert_string_equal(jstr(r.json, "body"), "Ny brødtekst.");
	tu_resp_free(&r);

	/* The same content again is no new version. */
	b = put_body("Version 5", "published", 5);
	r = call(c, E901, "PUT", path, b, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "version"), 5);
	tu_resp_free(&r);
	free(b);

	/* PUT to an article that does not exist. */
	b = put_body("Ingen", "published", 1);
	r = call(c, E901, "PUT", "/api/v1/articles/ret-mig-ikke?organisation=901",
		 b, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, E901, "PUT", "/api/v1/articles/ret-mig?organisation=999", b,
		 NULL);
	expect_problem(&r, 400, "unknown-organisation", "organisation");
	tu_resp_free(&r);
	free(b);
}

static void delete_archives_and_history_records_it(void **state)
{
	struct ctx *c = *state;
	const char *path = "/api/v1/articles/arkiver-mig?organisation=901";
	create_ok(c, E901, "arkiver-mig", "901", "Før", "44.01", "citizen",
		  "published");
	char *b = put_body("Efter", "published", 1);
	struct tu_resp r = call(c, E901, "PUT", path, b, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	free(b);
	r = call(c, ANON, "GET", "/api/v1/articles/arkiver-mig?municipality=901",
		 NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);

	/* DELETE with a stale If-Match is refused. */
	const char *stale[] = { "If-Match: \"1\"", NULL };
	r = call(c, E901, "DELETE", path, NULL, stale);
	expect_problem(&r, 412, "stale-version", NULL);
	tu_resp_free(&r);
	/* Anonymous and the wrong organisation may not. */
	r = call(c, ANON, "DELETE", path, NULL, NULL);
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = call(c, E902, "DELETE", path, NULL, NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);

	const char *cur[] = { "If-Match: \"2\"", NULL };
	r = call(c, E901, "DELETE", path, NULL, cur);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "status"), "archived");
	assert_int_equal(jint(r.json, "version"), 3);
	tu_resp_free(&r);

	/* Gone for the public, in lists and by slug; kept for its editor. */
	r = call(c, ANON, "GET", "/api/v1/articles?organisation=901&limit=100",
		 NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "\"arkiver-mig\""));
	tu_resp_free(&r);
	r = call(c, ANON, "GET", "/api/v1/articles/arkiver-mig?municipality=901",
		 NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	expect_list(c, E901, "/api/v1/articles?organisation=901&status=archived",
		    "arkiver-mig", 1);

	/* The history: create, update, archive, with before and after. */
	r = call(c, E901, "GET", "/api/v1/articles/arkiver-mig/history?organisation=901",
		 NULL, NULL);
	assert_int_equal(r.status, 200);
	json_t *ev = json_object_get(r.json, "events");
	assert_int_equal(json_array_size(ev), 3);
	static const char *const actions[] = { "create", "update", "archive" };
	for (size_t i = 0; i < 3; i++) {
		json_t *e = json_array_get(ev, i);
		assert_string_equal(jstr(e, "action"), actions[i]);
		assert_non_null(strstr(jstr(e, "actor"), "user:"));
		assert_true(jstr(e, "at")[0] == '2');
	}
	assert_true(json_is_null(json_object_get(json_array_get(ev, 0), "before")));
	json_t *upd = json_array_get(ev, 1);
	assert_string_equal(jstr(json_object_get(upd, "before"), "title"), "Før");
	assert_string_equal(jstr(json_object_get(upd, "after"), "title"), "Efter");
	json_t *arc = json_array_get(ev, 2);
	assert_string_equal(jstr(json_object_get(arc, "before"), "status"),
			    "published");
	assert_string_equal(jstr(json_object_get(arc, "after"), "status"),
			    "archived");
	tu_resp_free(&r);

	/* History is for those who may edit. */
	r = call(c, ANON, "GET", "/api/v1/articles/arkiver-mig/history?organisation=901",
		 NULL, NULL);
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = call(c, E902, "GET", "/api/v1/articles/arkiver-mig/history?organisation=901",
		 NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, E901, "GET", "/api/v1/articles/findes-ikke/history", NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);

	/* Archiving again changes nothing. */
	r = call(c, E901, "DELETE", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "version"), 3);
	tu_resp_free(&r);
}

/* ---- error paths -------------------------------------------------------- */

static void bodies_are_checked_strictly(void **state)
{
	struct ctx *c = *state;
	static const struct {
		const char *body, *code, *field;
	} cases[] = {
		{ "{\"slug\": \"fejl\",", "bad-json", NULL },
		{ "not json", "bad-json", NULL },
		{ "[1, 2]", "bad-json", NULL },
		{ "", "bad-json", NULL },
		{ "{\"slug\":\"a-b\",\"slug\":\"c-d\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\"}",
		  "bad-json", NULL },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"colour\":\"red\"}",
		  "unknown-field", "colour" },
		{ "{\"slug\":\"fejl-x\",\"summary\":\"S\",\"body\":\"\"}",
		  "missing-field", "title" },
		{ "{\"title\":\"T\",\"summary\":\"S\",\"body\":\"\"}",
		  "missing-field", "slug" },
		{ "{\"slug\":\"fejl-x\",\"title\":5,\"summary\":\"S\",\"body\":\"\"}",
		  "invalid-field", "title" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"\",\"summary\":\"S\",\"body\":\"\"}",
		  "invalid-field", "title" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"keywords\":\"a\"}",
		  "invalid-field", "keywords" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"keywords\":[\"a,b\"]}",
		  "invalid-field", "keywords" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"audience\":\"alle\"}",
		  "invalid-field", "audience" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"status\":\"live\"}",
		  "invalid-field", "status" },
		{ "{\"slug\":\"Fejl X\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\"}",
		  "invalid-field", "slug" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"kle\":\"1.2\"}",
		  "invalid-field", "kle" },
		/* jansson refuses NUL in strings at the JSON level. */
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\\u0000U\",\"summary\":\"S\",\"body\":\"\"}",
		  "bad-json", NULL },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\\nU\",\"summary\":\"S\",\"body\":\"\"}",
		  "invalid-field", "title" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"organisation\":5}",
		  "invalid-field", "organisation" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"organisation\":\"999\"}",
		  "unknown-organisation", "organisation" },
		{ "{\"slug\":\"fejl-x\",\"title\":\"\xff\xfe\",\"summary\":\"S\",\"body\":\"\"}",
		  "bad-utf8", NULL },
		{ "{\"slug\":\"fejl-x\",\"title\":\"\xc3\",\"summary\":\"S\",\"body\":\"\"}",
		  "bad-utf8", NULL },
		{ "{\"slug\":\"fejl-x\",\"title\":\"\xc0\xaf\",\"summary\":\"S\",\"body\":\"\"}",
		  "bad-utf8", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tu_resp r = call(c, E901, "POST", "/api/v1/articles",
					cases[i].body, NULL);
		if (strcmp(tu_code(&r), cases[i].code))
			fprintf(stderr, "case %zu: %s\n", i, r.body);
		expect_problem(&r, 400, cases[i].code, cases[i].field);
		tu_resp_free(&r);
	}
	/* The same checks guard PUT. */
	create_ok(c, E901, "fejl-put", "901", "T", "", "citizen", "draft");
	struct tu_resp r = call(c, E901, "PUT",
				"/api/v1/articles/fejl-put?organisation=901",
				"{\"title\":\"T\",\"summary\":\"S\",\"body\":\"\","
				"\"audience\":\"citizen\",\"status\":\"draft\","
				"\"version\":1,\"slug\":\"x\"}",
				NULL);
	expect_problem(&r, 400, "unknown-field", "slug");
	tu_resp_free(&r);
	r = call(c, E901, "PUT", "/api/v1/articles/fejl-put?organisation=901",
		 "{\"title\":\"T\",\"summary\":\"S\",\"body\":\"\","
		 "\"audience\":\"citizen\",\"status\":\"draft\",\"version\":\"1\"}",
		 NULL);
	expect_problem(&r, 400, "invalid-field", "version");
	tu_resp_free(&r);
	r = call(c, E901, "PUT", "/api/v1/articles/fejl-put?organisation=901",
		 "{\"title\":\"T\",\"summary\":\"S\",\"body\":\"\",\"version\":1}",
		 NULL);
	expect_problem(&r, 400, "missing-field", "audience");
	tu_resp_free(&r);
	/* Nothing was created by the refused bodies. */
	r = call(c, E901, "GET", "/api/v1/articles/fejl-x", NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
}

static void media_type_must_be_json(void **state)
{
	struct ctx *c = *state;
	char *b = article_body("medie-type", NULL, "T", "", "citizen", "draft",
			       NULL);
	static const char *const types[] = {
		"Content-Type: text/plain",
		"Content-Type: application/x-www-form-urlencoded",
		"Content-Type: application/jsonp",
		"Content-Type:", /* curl: send none */
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const char *h[] = { types[i], NULL };
		struct tu_resp r = call(c, E901, "POST", "/api/v1/articles", b, h);
		expect_problem(&r, 415, "unsupported-media-type", NULL);
		tu_resp_free(&r);
	}
	/* Parameters after the type are fine. */
	const char *h[] = { "Content-Type: application/json; charset=utf-8", NULL };
	struct tu_resp r = call(c, E901, "POST", "/api/v1/articles", b, h);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	free(b);
}

static size_t read_from_buf(char *dst, size_t size, size_t n, void *ud)
{
	struct hh_buf *b = ud; /* len: bytes left; data: the rest */
	size_t k = size * n < b->len ? size * n : b->len;
	memcpy(dst, b->data, k);
	b->data += k;
	b->len -= k;
	return k;
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size,
		    void *ud)
{
	(void)h;
	if (type == CURLINFO_HEADER_OUT)
		hh_buf_append(ud, data, size);
	return 0;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	if (ud)
		hh_buf_append(ud, p, size * n);
	return size * n;
}

static void oversize_bodies_get_413(void **state)
{
	struct ctx *c = *state;
	/* Valid JSON just over what an article route takes from a signed-in
	 * editor (HH_JSON_BODY_MAX); anonymous callers get 64 KiB. */
	size_t n = HH_JSON_BODY_MAX + 6 * 1024;
	char *big = hh_xmalloc(n + 1);
	memset(big, 'a', n);
	const char *head = "{\"slug\":\"for-stor\",\"title\":\"T\",\"summary\":\"S\",\"body\":\"";
	memcpy(big, head, strlen(head));
	memcpy(big + n - 2, "\"}", 2);
	big[n] = 0;

	/* With Content-Length: refused before it is read. */
	struct tu_resp r = call(c, E901, "POST", "/api/v1/articles", big, NULL);
	expect_problem(&r, 413, "body-too-large", NULL);
	tu_resp_free(&r);
	/* Also when the client sends it all at once without waiting for
	 * 100 Continue. */
	const char *no_expect[] = { "Expect:", NULL };
	r = call(c, E901, "POST", "/api/v1/articles", big, no_expect);
	expect_problem(&r, 413, "body-too-large", NULL);
	tu_resp_free(&r);

	/* A page (a form sent from a browser) gets a Danish page, not
	 * problem+json, whether the size was declared or found out. */
	const char *form_type[] = { "Content-Type: application/x-www-form-urlencoded",
				    NULL };
	r = call(c, -1, "POST", "/log-ind", big, form_type);
	assert_int_equal(r.status, 413);
	assert_non_null(strcasestr(r.headers, "Content-Type: text/html"));
	assert_non_null(strstr(r.body, "fylder for meget"));
	assert_non_null(strstr(r.body, "<html lang=\"da\""));
	tu_resp_free(&r);

	/* Chunked, so the size is not known up front. */
	char url[256], csrf_h[128];
	snprintf(url, sizeof(url), "%s/api/v1/articles", c->s.base);
	snprintf(csrf_h, sizeof(csrf_h), "X-CSRF-Token: %s", c->csrf[E901]);
	CURL *h = curl_easy_init();
	struct curl_slist *l = NULL;
	l = curl_slist_append(l, "Content-Type: application/json");
	l = curl_slist_append(l, "Transfer-Encoding: chunked");
	l = curl_slist_append(l, csrf_h);
	struct hh_buf src = { .data = big, .len = n }, out, sent;
	hh_buf_init(&out);
	hh_buf_init(&sent);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_from_buf);
	curl_easy_setopt(h, CURLOPT_READDATA, &src);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, l);
	curl_easy_setopt(h, CURLOPT_COOKIE, c->cookie[E901]);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &sent);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	assert_int_equal(curl_easy_perform(h), CURLE_OK);
	long status;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(l);
	curl_easy_cleanup(h);
	/* It really went chunked. */
	assert_non_null(strcasestr(hh_buf_str(&sent), "Transfer-Encoding: chunked"));
	assert_null(strcasestr(hh_buf_str(&sent), "Content-Length"));
	assert_int_equal(status, 413);
	json_error_t e;
	json_t *j = json_loads(hh_buf_str(&out), 0, &e);
	assert_string_equal(json_string_value(json_object_get(j, "code")),
			    "body-too-large");
	json_decref(j);
	hh_buf_clear(&out);
	hh_buf_clear(&sent);

	/* Nothing was created, and a body under the cap is accepted. */
	r = call(c, E901, "GET", "/api/v1/articles/for-stor", NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	size_t ok_n = 60 * 1024;
	big[ok_n - 2] = '"';
	big[ok_n - 1] = '}';
	big[ok_n] = 0;
	r = call(c, E901, "POST", "/api/v1/articles", big, NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	free(big);
}

static void methods_not_allowed_name_the_allowed(void **state)
{
	struct ctx *c = *state;
	char allow[128];
	struct tu_resp r = call(c, E901, "PATCH", "/api/v1/articles/noget", NULL,
				NULL);
	expect_problem(&r, 405, "method-not-allowed", NULL);
	assert_true(tu_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, HEAD, PUT, DELETE");
	tu_resp_free(&r);
	r = call(c, E901, "DELETE", "/api/v1/articles", NULL, NULL);
	expect_problem(&r, 405, "method-not-allowed", NULL);
	assert_true(tu_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, HEAD, POST");
	tu_resp_free(&r);
	r = call(c, ANON, "POST", "/api/v1/articles/noget/history", "{}", NULL);
	expect_problem(&r, 405, "method-not-allowed", NULL);
	assert_true(tu_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, HEAD");
	tu_resp_free(&r);
	/* A method the server does not know at all still gets Allow. */
	r = call(c, ANON, "BREW", "/api/v1/articles", NULL, NULL);
	expect_problem(&r, 405, "method-not-allowed", NULL);
	assert_true(tu_header(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, HEAD, POST");
	tu_resp_free(&r);
	/* An unknown API path is a problem+json 404, not an HTML page. */
	r = call(c, ANON, "GET", "/api/v1/nothing-here", NULL, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
}

static void writes_need_the_right_caller(void **state)
{
	struct ctx *c = *state;
	char *b = article_body("ret-faelles", NULL, "T", "", "citizen",
			       "published", NULL);
	/* Nobody signed in. */
	struct tu_resp r = call(c, ANON, "POST", "/api/v1/articles", b, NULL);
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	/* A bad or unknown bearer token is nobody. */
	const char *bad_tok[] = {
		"Authorization: Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		NULL
	};
	r = call(c, ANON, "POST", "/api/v1/articles", b, bad_tok);
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	/* Agents do not write articles. */
	r = call(c, AGENT, "POST", "/api/v1/articles", b, NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	/* Agencies do not write the municipalities' shared base. */
	r = call(c, EUDK, "POST", "/api/v1/articles", b, NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	free(b);
	/* Nor do editors write for another organisation. */
	b = article_body("ret-faelles", "901", "T", "", "citizen", "published",
			 NULL);
	r = call(c, E902, "POST", "/api/v1/articles", b, NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);

	/* A session cookie without its CSRF token, or with a wrong one. */
	const char *no_csrf[] = { "X-CSRF-Token:", NULL };
	r = call(c, E901, "POST", "/api/v1/articles", b, no_csrf);
	expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	const char *wrong_csrf[] = { "X-CSRF-Token: wrong", NULL };
	r = call(c, E901, "POST", "/api/v1/articles", b, wrong_csrf);
	expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	char other[128];
	snprintf(other, sizeof(other), "X-CSRF-Token: %s", c->csrf[E902]);
	const char *others_csrf[] = { other, NULL };
	r = call(c, E901, "POST", "/api/v1/articles", b, others_csrf);
	expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);

	/* A bearer token needs no CSRF token. */
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->token);
	const char *bearer[] = { auth, NULL };
	r = call(c, ANON, "POST", "/api/v1/articles", b, bearer);
	assert_int_equal(r.status, 201);
	assert_string_equal(jstr(r.json, "organisation"), "901");
	tu_resp_free(&r);

	/* The same slug for the same owner is a conflict... */
	r = call(c, E901, "POST", "/api/v1/articles", b, NULL);
	expect_problem(&r, 409, "conflict", "slug");
	tu_resp_free(&r);
	free(b);
	/* ...but for another owner it is a local version. */
	b = article_body("ret-faelles", NULL, "Fælles", "", "citizen",
			 "published", NULL);
	r = call(c, E901, "POST", "/api/v1/articles", b, NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	free(b);
	b = article_body("ret-faelles", "902", "Åstrup", "", "citizen",
			 "published", NULL);
	r = call(c, E902, "POST", "/api/v1/articles", b, NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	free(b);

	/* Changing another organisation's article. */
	char *p = put_body("Kapret", "published", 1);
	r = call(c, E902, "PUT", "/api/v1/articles/ret-faelles?organisation=901",
		 p, NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = call(c, EUDK, "PUT", "/api/v1/articles/ret-faelles", p, NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = call(c, AGENT, "PUT", "/api/v1/articles/ret-faelles?organisation=901",
		 p, NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = call(c, ANON, "PUT", "/api/v1/articles/ret-faelles?organisation=901",
		 p, NULL);
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	/* Another organisation's draft is not even there. */
	create_ok(c, E901, "ret-kladde", "901", "Kladde", "", "citizen", "draft");
	r = call(c, E902, "PUT", "/api/v1/articles/ret-kladde?organisation=901",
		 p, NULL);
	expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	/* The municipality's editor may change the shared one. */
	r = call(c, E902, "PUT", "/api/v1/articles/ret-faelles", p, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	free(p);
	/* And nothing else changed. */
	r = call(c, ANON, "GET", "/api/v1/articles/ret-faelles?organisation=901",
		 NULL, NULL);
	assert_string_equal(jstr(r.json, "title"), "T");
	assert_int_equal(jint(r.json, "version"), 1);
	tu_resp_free(&r);
}

/* ---- concurrency ---------------------------------------------------------- */

struct put_job {
	const char *url;
	const char *body;
	const char *cookie;   /* or NULL */
	const char *headers[4];
	pthread_barrier_t *go;
	long status;
	CURLcode cc;
};

static void *put_thread(void *p)
{
	struct put_job *j = p;
	CURL *h = curl_easy_init();
	struct curl_slist *l = NULL;
	for (int i = 0; j->headers[i]; i++)
		l = curl_slist_append(l, j->headers[i]);
	curl_easy_setopt(h, CURLOPT_URL, j->url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, l);
	if (j->cookie)
		curl_easy_setopt(h, CURLOPT_COOKIE, j->cookie);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	pthread_barrier_wait(j->go);
	j->cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &j->status);
	curl_slist_free_all(l);
	curl_easy_cleanup(h);
	return NULL;
}

static void concurrent_puts_one_wins(void **state)
{
	struct ctx *c = *state;
	char url[256], csrf_h[128], auth[128];
	snprintf(url, sizeof(url), "%s/api/v1/articles/samtidig?organisation=901",
		 c->s.base);
	snprintf(csrf_h, sizeof(csrf_h), "X-CSRF-Token: %s", c->csrf[E901]);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", c->token);
	create_ok(c, E901, "samtidig", "901", "Start", "", "citizen", "published");
	/* Several rounds, each racing two writers on the current version;
	 * the titles differ per round so every write is a real change. */
	int64_t version = 1;
	for (int round = 0; round < 5; round++) {
		char ta_title[64], tb_title[64];
		snprintf(ta_title, sizeof(ta_title), "Fra session %d", round);
		snprintf(tb_title, sizeof(tb_title), "Fra token %d", round);
		char *ba = put_body(ta_title, "published", version);
		char *bb = put_body(tb_title, "published", version);
		pthread_barrier_t go;
		pthread_barrier_init(&go, NULL, 2);
		struct put_job a = { .url = url, .body = ba,
				     .cookie = c->cookie[E901],
				     .headers = { "Content-Type: application/json",
						  csrf_h, NULL },
				     .go = &go };
		struct put_job b = { .url = url, .body = bb,
				     .headers = { "Content-Type: application/json",
						  auth, NULL },
				     .go = &go };
		pthread_t tha, thb;
		assert_int_equal(pthread_create(&tha, NULL, put_thread, &a), 0);
		assert_int_equal(pthread_create(&thb, NULL, put_thread, &b), 0);
		pthread_join(tha, NULL);
		pthread_join(thb, NULL);
		pthread_barrier_destroy(&go);
		free(ba);
		free(bb);
		assert_int_equal(a.cc, CURLE_OK);
		assert_int_equal(b.cc, CURLE_OK);
		if (!((a.status == 200 && b.status == 412) ||
		      (a.status == 412 && b.status == 200)))
			fprintf(stderr, "round %d: %ld and %ld\n", round,
				a.status, b.status);
		assert_true((a.status == 200 && b.status == 412) ||
			    (a.status == 412 && b.status == 200));
		/* Exactly one new version, holding the winner's text. */
		struct tu_resp r = call(c, ANON, "GET",
					"/api/v1/articles/samtidig?organisation=901",
					NULL, NULL);
		assert_int_equal(jint(r.json, "version"), version + 1);
		assert_string_equal(jstr(r.json, "title"),
				    a.status == 200 ? ta_title : tb_title);
		tu_resp_free(&r);
		version++;
	}
	/* Every write left exactly one event. */
	struct tu_resp r = call(c, E901, "GET",
				"/api/v1/articles/samtidig/history?organisation=901",
				NULL, NULL);
	assert_int_equal(r.status, 200);
	json_t *ev = json_object_get(r.json, "events");
	struct tu_resp g = call(c, ANON, "GET",
				"/api/v1/articles/samtidig?organisation=901", NULL,
				NULL);
	assert_int_equal((int64_t)json_array_size(ev), jint(g.json, "version"));
	tu_resp_free(&g);
	tu_resp_free(&r);
}

/* ---- fixture -------------------------------------------------------------- */

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	for (int i = 0; i < N_USERS; i++)
		tu_login(&c->s, emails[i], c->cookie[i], sizeof(c->cookie[i]),
			 c->csrf[i], sizeof(c->csrf[i]));
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
		cmocka_unit_test(list_pages_with_limit_offset_total),
		cmocka_unit_test(list_rejects_bad_parameters),
		cmocka_unit_test(list_filters_and_visibility),
		cmocka_unit_test(get_resolves_overrides_and_hides_drafts),
		cmocka_unit_test(create_returns_location_etag_and_safe_html),
		cmocka_unit_test(put_checks_versions),
		cmocka_unit_test(delete_archives_and_history_records_it),
		cmocka_unit_test(bodies_are_checked_strictly),
		cmocka_unit_test(media_type_must_be_json),
		cmocka_unit_test(oversize_bodies_get_413),
		cmocka_unit_test(methods_not_allowed_name_the_allowed),
		cmocka_unit_test(writes_need_the_right_caller),
		cmocka_unit_test(concurrent_puts_one_wins),
	};
	int rc = cmocka_run_group_tests_name("api/articles", tests, setup,
					     teardown);
	curl_global_cleanup();
	return rc;
}
