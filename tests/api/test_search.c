/* test_search.c - search over HTTP: GET /api/v1/search and /api/v1/suggest
 * with their parameters and errors, municipality overrides and staff
 * articles, the search log and its report, articles changed through the
 * API showing in search at once, and the /soeg page (results, "Mente du",
 * no results, errors, paging).
 *
 * One server serves the group; every test searches for words of its own,
 * so that the counts it asserts are its own. */
#include "testutil.h"

#include "domain/articles.h"

enum { E901, AGENT, E902, EUDK, N_USERS, ANON = -1 };

static const char *const emails[N_USERS] = { "editor@901", "agent@901",
					     "editor@902", "editor@udk" };

struct ctx {
	struct tu_server s;
	char cookie[N_USERS][160];
	char csrf[N_USERS][64];
};

/* ---- helpers ---------------------------------------------------------- */

/* Sends method path as who (ANON: nobody); a body goes as JSON with the
 * session's CSRF token. cookie_extra: another cookie to send, or NULL. */
static struct tu_resp call_c(struct ctx *c, int who, const char *method,
			     const char *path, const char *body,
			     const char *cookie_extra)
{
	char url[2048], csrf_h[128], cookies[512];
	const char *h[4];
	int n = 0;
	if (body)
		h[n++] = "Content-Type: application/json";
	if (who >= 0) {
		snprintf(csrf_h, sizeof(csrf_h), "X-CSRF-Token: %s", c->csrf[who]);
		h[n++] = csrf_h;
	}
	h[n] = NULL;
	snprintf(url, sizeof(url), "%s%s", c->s.base, path);
	snprintf(cookies, sizeof(cookies), "%s%s%s",
		 who >= 0 ? c->cookie[who] : "",
		 who >= 0 && cookie_extra ? "; " : "",
		 cookie_extra ? cookie_extra : "");
	return tu_http(method, url, body, h, cookies[0] ? cookies : NULL);
}

static struct tu_resp call(struct ctx *c, int who, const char *method,
			   const char *path, const char *body)
{
	return call_c(c, who, method, path, body, NULL);
}

static struct tu_resp get(struct ctx *c, const char *path)
{
	return call(c, ANON, "GET", path, NULL);
}

static void expect_problem(const struct tu_resp *r, long status,
			   const char *code, const char *field)
{
	char ct[128];
	if (r->status != status || strcmp(tu_code(r), code))
		fprintf(stderr, "want %ld %s, got %ld: %s\n", status, code,
			r->status, r->body);
	assert_int_equal(r->status, status);
	assert_true(tu_header(r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/problem+json");
	assert_string_equal(tu_code(r), code);
	assert_int_equal(json_integer_value(json_object_get(r->json, "status")),
			 status);
	const char *f = json_string_value(json_object_get(r->json, "field"));
	if (field) {
		assert_non_null(f);
		assert_string_equal(f, field);
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
	if (!v)
		fail_msg("no string \"%s\"", key);
	return v;
}

/* Creates an article as the 901 editor (org NULL: shared). */
static void create(struct ctx *c, const char *slug, const char *org,
		   const char *title, const char *md, const char *kle,
		   const char *audience, const char *status)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:[], s:s, s:s, s:s}",
			      "slug", slug, "title", title, "summary",
			      "Resumé af artiklen.", "body", md, "keywords",
			      "kle", kle ? kle : "", "audience",
			      audience ? audience : "citizen", "status",
			      status ? status : "published");
	if (org)
		json_object_set_new(j, "organisation", json_string(org));
	char *b = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	struct tu_resp r = call(c, E901, "POST", "/api/v1/articles", b);
	if (r.status != 201)
		fprintf(stderr, "create %s: %ld %s\n", slug, r.status, r.body);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	free(b);
}

/* GET /api/v1/search?QUERY as who, expecting 200. */
static struct tu_resp search_as(struct ctx *c, int who, const char *query)
{
	char path[1600];
	snprintf(path, sizeof(path), "/api/v1/search?%s", query);
	struct tu_resp r = call(c, who, "GET", path, NULL);
	if (r.status != 200)
		fprintf(stderr, "%s: %ld %s\n", path, r.status, r.body);
	assert_int_equal(r.status, 200);
	assert_true(json_is_object(r.json));
	return r;
}

static struct tu_resp search(struct ctx *c, const char *query)
{
	return search_as(c, ANON, query);
}

/* The slugs of the results, "," joined. */
static const char *slugs(const struct tu_resp *r, char *out, size_t size)
{
	json_t *a = json_object_get(r->json, "results"), *it;
	size_t i, n = 0;
	assert_true(json_is_array(a));
	out[0] = 0;
	json_array_foreach(a, i, it)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "," : "",
				      jstr(it, "slug"));
	return out;
}

static void expect_slugs(struct ctx *c, const char *query, const char *want)
{
	char got[1024];
	struct tu_resp r = search(c, query);
	slugs(&r, got, sizeof(got));
	if (strcmp(got, want))
		fail_msg("search %s: [%s], want [%s]", query, got, want);
	tu_resp_free(&r);
}

/* ---- GET /api/v1/search ----------------------------------------------- */

static void search_answers_with_results_facets_and_ids(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = search(c, "q=sundhedskort");
	char ct[64];
	assert_true(tu_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_string_equal(ct, "application/json");
	assert_string_equal(jstr(r.json, "query"), "sundhedskort");
	assert_true(jint(r.json, "total") >= 2);
	assert_int_equal(jint(r.json, "limit"), 10);
	assert_int_equal(jint(r.json, "offset"), 0);
	assert_true(json_is_false(json_object_get(r.json, "clipped")));
	assert_null(json_object_get(r.json, "did_you_mean")); /* omitted */
	int64_t sid = jint(r.json, "search_id");
	assert_true(sid > 0);
	json_t *first = json_array_get(json_object_get(r.json, "results"), 0);
	assert_non_null(first);
	/* The title match comes first; every field is there. */
	assert_string_equal(jstr(first, "slug"), "sundhedskort-bestil");
	assert_string_equal(jstr(first, "title"), "Sundhedskort: bestil et nyt");
	assert_string_equal(jstr(first, "summary"), "Resumé af artiklen.");
	assert_string_equal(jstr(first, "kle"), "29.03.00");
	assert_string_equal(jstr(first, "audience"), "citizen");
	assert_null(json_object_get(first, "organisation")); /* shared */
	char url[128];
	snprintf(url, sizeof(url), "/artikel/sundhedskort-bestil?s=%lld",
		 (long long)sid);
	assert_string_equal(jstr(first, "url"), url);
	const char *snip = jstr(first, "snippet_html");
	assert_non_null(strstr(snip, "<mark>sundhedskort</mark>"));
	assert_null(strstr(snip, "<script"));
	assert_non_null(strstr(snip, "&lt;script&gt;"));
	/* Facets: objects of value and count. */
	json_t *facets = json_object_get(r.json, "facets");
	assert_true(json_is_object(facets));
	json_t *kle = json_object_get(facets, "kle");
	assert_true(json_is_array(kle));
	int found29 = 0;
	size_t i;
	json_t *it;
	json_array_foreach(kle, i, it)
		if (!strcmp(jstr(it, "value"), "29"))
			found29 = (int)jint(it, "count");
	assert_int_equal(found29, 2);
	assert_true(json_is_array(json_object_get(facets, "audience")));
	assert_true(json_is_array(json_object_get(facets, "organisation")));
	/* Each search gets its own id. */
	tu_resp_free(&r);
	r = search(c, "q=sundhedskort");
	assert_true(jint(r.json, "search_id") > sid);
	tu_resp_free(&r);
	/* A typo gets "Mente du". */
	r = search(c, "q=sundhedskrot");
	assert_string_equal(jstr(r.json, "did_you_mean"), "sundhedskort");
	assert_true(jint(r.json, "total") >= 1);
	tu_resp_free(&r);
}

static void municipality_shows_its_override(void **state)
{
	struct ctx *c = *state;
	char got[512];
	struct tu_resp r = search(c, "q=sygesikringskontor&municipality=901");
	slugs(&r, got, sizeof(got));
	assert_string_equal(got, "kontor-sygesikring");
	json_t *first = json_array_get(json_object_get(r.json, "results"), 0);
	assert_string_equal(jstr(first, "title"), "Nordskovs sygesikringskontor");
	assert_string_equal(jstr(first, "organisation"), "901");
	assert_string_equal(jstr(first, "organisation_name"), "Nordskov Kommune");
	tu_resp_free(&r);
	/* Without a municipality, and for another one: the shared one. */
	r = search(c, "q=sygesikringskontor");
	first = json_array_get(json_object_get(r.json, "results"), 0);
	assert_int_equal(jint(r.json, "total"), 1);
	assert_string_equal(jstr(first, "title"), "Sygesikringskontor");
	assert_null(json_object_get(first, "organisation")); /* shared */
	tu_resp_free(&r);
	r = search(c, "q=sygesikringskontor&municipality=902");
	assert_int_equal(jint(r.json, "total"), 1);
	first = json_array_get(json_object_get(r.json, "results"), 0);
	assert_string_equal(jstr(first, "title"), "Sygesikringskontor");
	tu_resp_free(&r);
	/* Filtering on the owner. */
	r = search(c, "q=sygesikringskontor&municipality=901&organisation=shared");
	assert_int_equal(jint(r.json, "total"), 0);
	tu_resp_free(&r);
}

static void staff_articles_only_for_staff(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = search(c, "q=snerydningsplan");
	assert_int_equal(jint(r.json, "total"), 0);
	tu_resp_free(&r);
	r = search_as(c, AGENT, "q=snerydningsplan&municipality=901");
	assert_int_equal(jint(r.json, "total"), 1);
	json_t *first = json_array_get(json_object_get(r.json, "results"), 0);
	assert_string_equal(jstr(first, "audience"), "staff");
	tu_resp_free(&r);
	/* The audience filter cannot show a citizen more. */
	r = search(c, "q=snerydningsplan&audience=staff&municipality=901");
	assert_int_equal(jint(r.json, "total"), 0);
	tu_resp_free(&r);
	/* A draft is found by nobody. */
	r = search_as(c, E901, "q=snerydningskladde&municipality=901");
	assert_int_equal(jint(r.json, "total"), 0);
	tu_resp_free(&r);
	/* The staff article's word is never offered to the public: not as
	 * a completion, not as "Mente du" (API and page); staff get it. */
	r = get(c, "/api/v1/suggest?q=snerydnings&municipality=901");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "snerydningsplan"));
	tu_resp_free(&r);
	r = call(c, AGENT, "GET", "/api/v1/suggest?q=snerydnings&municipality=901", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "snerydningsplan"));
	tu_resp_free(&r);
	r = search(c, "q=snerydningsplam&municipality=901");
	assert_null(strstr(r.body, "snerydningsplan"));
	tu_resp_free(&r);
	r = search_as(c, AGENT, "q=snerydningsplam&municipality=901");
	assert_string_equal(jstr(r.json, "did_you_mean"), "snerydningsplan");
	tu_resp_free(&r);
	r = get(c, "/soeg?q=snerydningsplam&municipality=901");
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "snerydningsplan"));
	tu_resp_free(&r);
}

static void bad_parameters_are_problems(void **state)
{
	struct ctx *c = *state;
	static const struct {
		const char *query, *code, *field;
	} bad[] = {
		{ "", "invalid-parameter", "q" },
		{ "q=", "invalid-parameter", "q" },
		{ "q=%20%20", "invalid-parameter", "q" },
		{ "municipality=901", "invalid-parameter", "q" },
		{ "q=%FF", "bad-utf8", "q" },
		{ "q=k%C3rekort", "bad-utf8", "q" },
		{ "q=pas&municipality=999", "unknown-organisation", "municipality" },
		{ "q=pas&municipality=udk", "unknown-organisation", "municipality" },
		{ "q=pas&organisation=999", "unknown-organisation", "organisation" },
		{ "q=pas&limit=0", "invalid-parameter", "limit" },
		{ "q=pas&limit=51", "invalid-parameter", "limit" },
		{ "q=pas&limit=abc", "invalid-parameter", "limit" },
		{ "q=pas&limit=", "invalid-parameter", "limit" },
		{ "q=pas&offset=-1", "invalid-parameter", "offset" },
		{ "q=pas&offset=1001", "invalid-parameter", "offset" },
		{ "q=pas&kle=2", "invalid-parameter", "kle" },
		{ "q=pas&audience=alle", "invalid-parameter", "audience" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "/api/v1/search?%s", bad[i].query);
		struct tu_resp r = get(c, path);
		if (r.status != 400)
			fprintf(stderr, "%s\n", path);
		expect_problem(&r, 400, bad[i].code, bad[i].field);
		tu_resp_free(&r);
	}
	/* The edges of the ranges are fine. */
	struct tu_resp r = search(c, "q=pas&limit=1&offset=0");
	tu_resp_free(&r);
	r = search(c, "q=pas&limit=50&offset=1000");
	assert_int_equal(json_array_size(json_object_get(r.json, "results")), 0);
	tu_resp_free(&r);
	/* Suggest checks q the same way. */
	r = get(c, "/api/v1/suggest");
	expect_problem(&r, 400, "invalid-parameter", "q");
	tu_resp_free(&r);
	r = get(c, "/api/v1/suggest?q=%FF");
	expect_problem(&r, 400, "bad-utf8", "q");
	tu_resp_free(&r);
	r = get(c, "/api/v1/suggest?q=pa&municipality=999");
	expect_problem(&r, 400, "unknown-organisation", "municipality");
	tu_resp_free(&r);
}

static void long_queries_are_clipped(void **state)
{
	struct ctx *c = *state;
	/* "sundhedskort x x x ...", 600 characters */
	char q[700] = "q=sundhedskort";
	while (strlen(q) < 2 + 600)
		strcat(q, "+x");
	struct tu_resp r = search(c, q);
	assert_true(json_is_true(json_object_get(r.json, "clipped")));
	assert_true(jint(r.json, "total") >= 1);
	assert_int_equal(strlen(jstr(r.json, "query")), 600);
	tu_resp_free(&r);
	/* Only stop words: no results, no error. */
	r = search(c, "q=og%20i%20til");
	assert_int_equal(jint(r.json, "total"), 0);
	assert_true(json_is_false(json_object_get(r.json, "clipped")));
	tu_resp_free(&r);
}

static void paging_over_the_api(void **state)
{
	struct ctx *c = *state;
	char all[1024] = "", page[1024];
	struct tu_resp r = search(c, "q=vinterbadning&limit=50");
	assert_int_equal(jint(r.json, "total"), 12);
	slugs(&r, all, sizeof(all));
	tu_resp_free(&r);
	/* Pages of 5 are the same list, cut. */
	char joined[1024] = "";
	for (int off = 0; off < 15; off += 5) {
		char qs[64];
		snprintf(qs, sizeof(qs), "q=vinterbadning&limit=5&offset=%d", off);
		r = search(c, qs);
		assert_int_equal(jint(r.json, "total"), 12);
		assert_int_equal(jint(r.json, "offset"), off);
		assert_int_equal(json_array_size(json_object_get(r.json, "results")),
				 off < 10 ? 5 : 2);
		slugs(&r, page, sizeof(page));
		if (*joined)
			strcat(joined, ",");
		strcat(joined, page);
		tu_resp_free(&r);
	}
	assert_string_equal(joined, all);
}

/* ---- GET /api/v1/suggest ---------------------------------------------- */

static int array_has(const json_t *a, const char *key, const char *want)
{
	size_t i;
	json_t *it;
	json_array_foreach(a, i, it) {
		const char *v = key ? json_string_value(json_object_get(it, key))
				    : json_string_value(it);
		if (v && !strcmp(v, want))
			return 1;
	}
	return 0;
}

static void suggest_completes_and_lists_titles(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/api/v1/suggest?q=sundheds");
	assert_int_equal(r.status, 200);
	char cc[64];
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "private, max-age=60");
	assert_string_equal(jstr(r.json, "query"), "sundheds");
	json_t *comp = json_object_get(r.json, "completions");
	json_t *titles = json_object_get(r.json, "titles");
	assert_true(array_has(comp, NULL, "sundhedskort"));
	assert_true(array_has(titles, "slug", "sundhedskort-bestil"));
	assert_true(array_has(titles, "url", "/artikel/sundhedskort-bestil"));
	assert_true(array_has(titles, "title", "Sundhedskort: bestil et nyt"));
	tu_resp_free(&r);
	/* Earlier words stay; the municipality's version is suggested. */
	r = get(c, "/api/v1/suggest?q=mit%20sygesikringsk&municipality=901");
	assert_int_equal(r.status, 200);
	assert_true(array_has(json_object_get(r.json, "completions"), NULL,
			      "mit sygesikringskontor"));
	assert_true(array_has(json_object_get(r.json, "titles"), "title",
			      "Nordskovs sygesikringskontor"));
	assert_false(array_has(json_object_get(r.json, "titles"), "title",
			       "Sygesikringskontor"));
	tu_resp_free(&r);
	/* Nothing to suggest is an empty answer, not an error. */
	r = get(c, "/api/v1/suggest?q=zqxjv");
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "completions")), 0);
	assert_int_equal(json_array_size(json_object_get(r.json, "titles")), 0);
	tu_resp_free(&r);
}

/* ---- the search log and its report ------------------------------------ */

static json_t *report_row(const json_t *queries, const char *query)
{
	size_t i;
	json_t *it;
	json_array_foreach(queries, i, it)
		if (!strcmp(jstr(it, "query"), query))
			return it;
	return NULL;
}

static void search_log_feeds_the_report(void **state)
{
	struct ctx *c = *state;
	/* Nothing found, twice (one in other case). */
	struct tu_resp r = search(c, "q=zqxjvbnm%20kvalp");
	assert_int_equal(jint(r.json, "total"), 0);
	assert_string_equal(jstr(r.json, "strength"), "none");
	tu_resp_free(&r);
	/* "kort" of kort|læser alone, in "Spær kort", is no evidence (s-trap:
	 * a kortlæser is no kind of card): nothing found. */
	r = search(c, "q=kortl%C3%A6ser");
	assert_int_equal(jint(r.json, "total"), 0);
	assert_string_equal(jstr(r.json, "strength"), "none");
	tu_resp_free(&r);
	/* Only weak evidence: the head "kort" of betaling|kort alone.
	 * Shown, but weak, and in the report as weak, not as answered. */
	r = search(c, "q=betalingskort");
	assert_true(jint(r.json, "total") >= 1);
	assert_string_equal(jstr(r.json, "strength"), "weak");
	tu_resp_free(&r);
	r = search(c, "q=ZQXJVBNM%20kvalp");
	tu_resp_free(&r);
	/* Found and chosen: a search that helped. */
	r = search(c, "q=bestil%20sundhedskort");
	assert_string_equal(jstr(r.json, "strength"), "strong");
	/* s-p99: a count of the demo's articles is exact */
	assert_true(json_is_false(json_object_get(r.json, "total_estimated")));
	json_t *first = json_array_get(json_object_get(r.json, "results"), 0);
	char path[256];
	snprintf(path, sizeof(path), "%s", jstr(first, "url"));
	tu_resp_free(&r);
	r = get(c, path);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	/* Found, not chosen. */
	r = search(c, "q=sygesikringskontor%20adresse");
	assert_true(jint(r.json, "total") >= 1);
	tu_resp_free(&r);
	/* Personal data is masked before it is kept. */
	r = search(c, "q=cpr%20010203-1234%20mistet");
	tu_resp_free(&r);
	r = search(c, "q=cpr%20010203%20%E2%80%93%201234%20glemt"); /* en dash */
	tu_resp_free(&r);
	r = search(c, "q=Jens%20Hansen%20sundhedskort");
	tu_resp_free(&r);
	r = search(c, "q=Udbetaling%20Danmark%20Vestergade%2012%2C%202.%20th");
	tu_resp_free(&r);
	/* The page logs too. */
	r = get(c, "/soeg?q=glemt%20qwfpgj");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);

	r = call(c, E901, "GET", "/api/v1/search-report", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(jint(r.json, "days"), 30);
	json_t *qs = json_object_get(r.json, "queries");
	json_t *row = report_row(qs, "zqxjvbnm kvalp");
	assert_non_null(row);
	assert_int_equal(jint(row, "searches"), 2);
	assert_int_equal(jint(row, "with_results"), 0);
	assert_int_equal(jint(row, "chosen"), 0);
	row = report_row(qs, "kortlæser");
	assert_non_null(row);
	assert_int_equal(jint(row, "searches"), 1);
	assert_int_equal(jint(row, "with_results"), 0);
	assert_int_equal(jint(row, "weak"), 0); /* no result at all (s-trap) */
	row = report_row(qs, "betalingskort");
	assert_non_null(row);
	assert_int_equal(jint(row, "searches"), 1);
	assert_int_equal(jint(row, "with_results"), 0); /* weak: not answered */
	assert_int_equal(jint(row, "weak"), 1);
	row = report_row(qs, "zqxjvbnm kvalp");
	assert_int_equal(jint(row, "weak"), 0);
	row = report_row(qs, "sygesikringskontor adresse");
	assert_non_null(row);
	assert_int_equal(jint(row, "with_results"), 1);
	assert_int_equal(jint(row, "chosen"), 0);
	assert_null(report_row(qs, "bestil sundhedskort"));
	assert_non_null(report_row(qs, "cpr # mistet"));
	assert_non_null(report_row(qs, "cpr # glemt"));
	assert_non_null(report_row(qs, "[navn] sundhedskort"));
	assert_null(strstr(r.body, "1234"));
	assert_null(strstr(r.body, "hansen"));
	assert_null(strstr(r.body, "vestergade"));
	assert_non_null(report_row(qs, "glemt qwfpgj"));
	assert_null(strstr(r.body, "010203"));
	tu_resp_free(&r);

	/* Only editors and managers read it. */
	r = get(c, "/api/v1/search-report");
	expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = call(c, AGENT, "GET", "/api/v1/search-report", NULL);
	expect_problem(&r, 403, "forbidden", NULL);
	assert_string_equal(json_string_value(json_object_get(r.json, "detail")),
			    "the search report is for editors and managers");
	tu_resp_free(&r);
	r = call(c, E901, "GET", "/api/v1/search-report?days=0", NULL);
	expect_problem(&r, 400, "invalid-parameter", "days");
	tu_resp_free(&r);
	/* A search id that is not ours does not break the article page. */
	r = get(c, "/artikel/sundhedskort-bestil?s=99999999");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	r = get(c, "/artikel/sundhedskort-bestil?s=abc");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
}

/* Each organisation's editors read their own organisation's searches;
 * a municipality's also those made without a municipality (the shared
 * knowledge base); an agency's none of the municipalities'. Both doors. */
static void search_report_per_organisation(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = search(c, "q=vrimlenord&municipality=901");
	tu_resp_free(&r);
	r = search(c, "q=vrimlesyd&municipality=902");
	tu_resp_free(&r);
	r = search(c, "q=vrimlefaelles");
	tu_resp_free(&r);
	static const struct {
		int who;
		int sees[3]; /* 901's, 902's, the shared one */
	} readers[] = { { E901, { 1, 0, 1 } }, { E902, { 0, 1, 1 } },
			{ EUDK, { 0, 0, 0 } } };
	static const char *const words[3] = { "vrimlenord", "vrimlesyd", "vrimlefaelles" };
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		r = call(c, readers[i].who, "GET", "/api/v1/search-report", NULL);
		assert_int_equal(r.status, 200);
		json_t *qs = json_object_get(r.json, "queries");
		struct tu_resp p = call(c, readers[i].who, "GET", "/personale/soegninger",
					NULL);
		assert_int_equal(p.status, 200);
		for (int k = 0; k < 3; k++) {
			if (readers[i].sees[k]) {
				assert_non_null(report_row(qs, words[k]));
				tu_expect_in(p.body, words[k]);
			} else {
				assert_null(report_row(qs, words[k]));
				tu_expect_not_in(p.body, words[k]);
			}
		}
		tu_resp_free(&p);
		tu_resp_free(&r);
	}
}

/* ---- changes through the API ------------------------------------------ */

static int64_t version_of(struct ctx *c, const char *slug)
{
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/articles/%s", slug);
	struct tu_resp r = call(c, E901, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	int64_t v = jint(r.json, "version");
	tu_resp_free(&r);
	return v;
}

static void put_article(struct ctx *c, const char *slug, const char *title,
			const char *md, const char *status)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "title",
			      title, "summary", "Resumé.", "body", md, "kle", "",
			      "audience", "citizen", "status", status, "version",
			      (json_int_t)version_of(c, slug));
	char *b = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/articles/%s", slug);
	struct tu_resp r = call(c, E901, "PUT", path, b);
	if (r.status != 200)
		fprintf(stderr, "PUT %s: %ld %s\n", slug, r.status, r.body);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	free(b);
}

static void api_changes_show_in_search_at_once(void **state)
{
	struct ctx *c = *state;
	expect_slugs(c, "q=snurretop", "");
	create(c, "snurretop-regler", NULL, "Snurretop i skolegården",
	       "Regler for snurretop i frikvarteret.", "", NULL, NULL);
	expect_slugs(c, "q=snurretop", "snurretop-regler");
	/* Changed: old words gone, new ones found, new title shown. */
	put_article(c, "snurretop-regler", "Hoppetov i skolegården",
		    "Regler for hoppetov i frikvarteret.", "published");
	expect_slugs(c, "q=snurretop", "");
	expect_slugs(c, "q=hoppetov", "snurretop-regler");
	struct tu_resp r = search(c, "q=hoppetov");
	json_t *first = json_array_get(json_object_get(r.json, "results"), 0);
	assert_string_equal(jstr(first, "title"), "Hoppetov i skolegården");
	tu_resp_free(&r);
	/* Back to draft: gone; published again: back. */
	put_article(c, "snurretop-regler", "Hoppetov i skolegården",
		    "Regler for hoppetov i frikvarteret.", "draft");
	expect_slugs(c, "q=hoppetov", "");
	put_article(c, "snurretop-regler", "Hoppetov i skolegården",
		    "Regler for hoppetov i frikvarteret.", "published");
	expect_slugs(c, "q=hoppetov", "snurretop-regler");
	/* Archived (DELETE): gone. */
	r = call(c, E901, "DELETE", "/api/v1/articles/snurretop-regler", NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	expect_slugs(c, "q=hoppetov", "");
	/* A draft created is not found. */
	create(c, "kladde-kaninhop", NULL, "Kaninhop", "Om kaninhop.", "", NULL,
	       "draft");
	expect_slugs(c, "q=kaninhop", "");
	r = get(c, "/api/v1/suggest?q=kaninho");
	assert_int_equal(json_array_size(json_object_get(r.json, "completions")), 0);
	tu_resp_free(&r);
}

/* ---- the /soeg page --------------------------------------------------- */

static struct tu_resp page(struct ctx *c, const char *path, long status,
			   const char *cookie)
{
	struct tu_resp r = call_c(c, ANON, "GET", path, NULL, cookie);
	if (r.status != status)
		fprintf(stderr, "%s: %ld\n%s\n", path, r.status, r.body);
	assert_int_equal(r.status, status);
	char ct[64];
	assert_true(tu_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "text/html"));
	assert_non_null(strstr(r.body, "</html>"));
	return r;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void search_page_shows_results(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = page(c, "/soeg?q=sundhedskort", 200, NULL);
	assert_non_null(strstr(r.body, "<h1>Søg</h1>"));
	assert_non_null(strstr(r.body, "2 resultater for <q>sundhedskort</q>"));
	assert_non_null(strstr(r.body, "href=\"/artikel/sundhedskort-bestil?s="));
	assert_non_null(strstr(r.body, ">Sundhedskort: bestil et nyt</a>"));
	assert_non_null(strstr(r.body, "<mark>"));
	/* the form keeps the query */
	assert_non_null(strstr(r.body, "value=\"sundhedskort\""));
	assert_null(strstr(r.body, "Mente du"));
	assert_null(strstr(r.body, "<script>alert"));
	tu_resp_free(&r);
	/* The chosen municipality (cookie) shows its override. */
	r = page(c, "/soeg?q=sygesikringskontor", 200, "hh_kommune=901");
	assert_non_null(strstr(r.body, "Nordskovs sygesikringskontor"));
	assert_non_null(strstr(r.body, "1 resultat for"));
	tu_resp_free(&r);
	r = page(c, "/soeg?q=sygesikringskontor", 200, NULL);
	assert_null(strstr(r.body, "Nordskovs sygesikringskontor"));
	tu_resp_free(&r);
	/* No query: just the form. */
	r = page(c, "/soeg", 200, NULL);
	assert_non_null(strstr(r.body, "action=\"/soeg\""));
	assert_null(strstr(r.body, "resultat"));
	tu_resp_free(&r);
	/* The query is escaped wherever it is shown. */
	r = page(c, "/soeg?q=%3Cscript%3Ealert(1)%3C/script%3E%22", 200, NULL);
	assert_null(strstr(r.body, "<script>alert"));
	assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;"));
	tu_resp_free(&r);
}

static void search_page_did_you_mean_and_no_results(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = page(c, "/soeg?q=sundhedskrot", 200, NULL);
	assert_non_null(strstr(r.body, "Mente du <a href=\"/soeg?q=sundhedskort\">"
				       "sundhedskort</a>?"));
	tu_resp_free(&r);
	r = page(c, "/soeg?q=zqxjvbnm", 200, NULL);
	assert_non_null(strstr(r.body, "Ingen resultater for <q>zqxjvbnm</q>"));
	assert_non_null(strstr(r.body, "Prøv med andre eller færre ord"));
	assert_non_null(strstr(r.body, "<a href=\"/kontakt\">kontakte Borgerservice"
				       "</a>"));
	assert_null(strstr(r.body, "sikkert svar"));
	assert_null(strstr(r.body, "Mente du"));
	assert_null(strstr(r.body, "class=\"articles hits\""));
	tu_resp_free(&r);
	/* Weak evidence only: said so, with what the citizen may mean (the
	 * best titles, linked) and the contact options; the hits follow. */
	/* s-trap: a compound whose only match is a part that is not its
	 * head ("kort" of kort|læser in "Spær kort") is no result at all: the
	 * page without results, with the contact options */
	r = page(c, "/soeg?q=kortl%C3%A6ser", 200, NULL);
	assert_non_null(strstr(r.body, "Ingen resultater for <q>kortlæser</q>"));
	assert_non_null(strstr(r.body, "<a href=\"/kontakt\">kontakte Borgerservice"
				       "</a>"));
	assert_null(strstr(r.body, "class=\"articles hits\""));
	tu_resp_free(&r);
	r = page(c, "/soeg?q=betalingskort", 200, NULL);
	assert_non_null(strstr(r.body, "Vi fandt ikke et sikkert svar – måske "
				       "mener du <a href=\"/artikel/"));
	assert_non_null(strstr(r.body, "<a href=\"/kontakt\">kontakte Borgerservice"
				       "</a>"));
	assert_non_null(strstr(r.body, "class=\"articles hits\""));
	tu_resp_free(&r);
	/* A sure answer says nothing of the kind. */
	r = page(c, "/soeg?q=bestil%20sundhedskort", 200, NULL);
	assert_null(strstr(r.body, "sikkert svar"));
	assert_non_null(strstr(r.body, "class=\"articles hits\""));
	tu_resp_free(&r);
	/* Empty and unreadable queries: 400 with a Danish message, and the
	 * form to try again. */
	const char *const empty[] = { "/soeg?q=", "/soeg?q=%20%20" };
	for (int i = 0; i < 2; i++) {
		r = page(c, empty[i], 400, NULL);
		assert_non_null(strstr(r.body, "role=\"alert\""));
		assert_non_null(strstr(r.body, "Skriv et eller flere ord, du vil "
					       "søge efter."));
		assert_non_null(strstr(r.body, "action=\"/soeg\""));
		tu_resp_free(&r);
	}
	r = page(c, "/soeg?q=%FF", 400, NULL);
	assert_non_null(strstr(r.body, "Søgningen indeholder tegn, vi ikke kan "
				       "læse."));
	tu_resp_free(&r);
	/* A very long query is used in part, and says so. */
	char path[800] = "/soeg?q=sundhedskort";
	while (strlen(path) < 700)
		strcat(path, "+x");
	r = page(c, path, 200, NULL);
	assert_non_null(strstr(r.body, "kun brugt begyndelsen"));
	tu_resp_free(&r);
}

static void search_page_pages(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = page(c, "/soeg?q=vinterbadning", 200, NULL);
	assert_non_null(strstr(r.body, "12 resultater for"));
	/* s-self: each hit is marked with its kind before its link */
	assert_int_equal(count(r.body, "<li class=\"hit hit-article\"><p class=\"kind\">"
				       "Vejledning</p><a href=\"/artikel/"), 10);
	assert_non_null(strstr(r.body, "Side 1 af 2"));
	assert_non_null(strstr(r.body, "<a rel=\"next\" href=\"/soeg?q=vinterbadning"
				       "&amp;side=2\">Næste side</a>"));
	assert_null(strstr(r.body, "Forrige side"));
	tu_resp_free(&r);
	r = page(c, "/soeg?q=vinterbadning&side=2", 200, NULL);
	assert_int_equal(count(r.body, "<li class=\"hit hit-article\"><p class=\"kind\">"
				       "Vejledning</p><a href=\"/artikel/"), 2);
	assert_non_null(strstr(r.body, "Side 2 af 2"));
	assert_non_null(strstr(r.body, "<a rel=\"prev\" href=\"/soeg?q=vinterbadning\">"
				       "Forrige side</a>"));
	assert_null(strstr(r.body, "Næste side"));
	tu_resp_free(&r);
	/* A bad page number is page 1; beyond the last, no hits. */
	r = page(c, "/soeg?q=vinterbadning&side=abc", 200, NULL);
	assert_non_null(strstr(r.body, "Side 1 af 2"));
	tu_resp_free(&r);
	r = page(c, "/soeg?q=vinterbadning&side=3", 200, NULL);
	assert_int_equal(count(r.body, "<p class=\"kind\">"), 0);
	tu_resp_free(&r);
	/* The KLE facet narrows and is kept when paging. */
	r = page(c, "/soeg?q=vinterbadning&kle=31", 200, NULL);
	assert_non_null(strstr(r.body, "4 resultater for"));
	assert_non_null(strstr(r.body, "Alle emner"));
	tu_resp_free(&r);
}

/* ---- fixture ---------------------------------------------------------- */

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	for (int i = 0; i < N_USERS; i++)
		tu_login(&c->s, emails[i], c->cookie[i], sizeof(c->cookie[i]),
			 c->csrf[i], sizeof(c->csrf[i]));
	*state = c;
	create(c, "sundhedskort-bestil", NULL, "Sundhedskort: bestil et nyt",
	       "Har du mistet dit **sundhedskort**, kan du bestille et nyt. "
	       "Skriv ikke <script>alert(1)</script> i feltet.",
	       "29.03.00", NULL, NULL);
	create(c, "sundhedskort-mistet", NULL, "Mistet pung",
	       "Spær kort og bestil nyt sundhedskort.", "29.03.01", NULL, NULL);
	create(c, "kontor-sygesikring", NULL, "Sygesikringskontor",
	       "Adresse og åbningstider for sygesikringskontoret.", "", NULL,
	       NULL);
	create(c, "kontor-sygesikring", "901", "Nordskovs sygesikringskontor",
	       "Nordskovs sygesikringskontor ligger på rådhuset.", "", NULL,
	       NULL);
	create(c, "snerydning-intern", "901", "Snerydningsplan for vejteamet",
	       "Snerydningsplan.", "", "staff", NULL);
	create(c, "snerydning-kladde", "901", "Snerydningskladde",
	       "Snerydningskladde.", "", NULL, "draft");
	for (int i = 1; i <= 12; i++) {
		char slug[64], title[64], kle[16];
		snprintf(slug, sizeof(slug), "vinterbadning-%02d", i);
		snprintf(title, sizeof(title), "Vinterbadning, del %d", i);
		snprintf(kle, sizeof(kle), "%s", i <= 4 ? "31.01.00" : "30.01.00");
		create(c, slug, NULL, title, "Om vinterbadning ved stranden.", kle,
		       NULL, NULL);
	}
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
		cmocka_unit_test(search_answers_with_results_facets_and_ids),
		cmocka_unit_test(municipality_shows_its_override),
		cmocka_unit_test(staff_articles_only_for_staff),
		cmocka_unit_test(bad_parameters_are_problems),
		cmocka_unit_test(long_queries_are_clipped),
		cmocka_unit_test(paging_over_the_api),
		cmocka_unit_test(suggest_completes_and_lists_titles),
		cmocka_unit_test(search_log_feeds_the_report),
		cmocka_unit_test(search_report_per_organisation),
		cmocka_unit_test(api_changes_show_in_search_at_once),
		cmocka_unit_test(search_page_shows_results),
		cmocka_unit_test(search_page_did_you_mean_and_no_results),
		cmocka_unit_test(search_page_pages),
	};
	int rc = cmocka_run_group_tests_name("api/search", tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
