/* test_selfservice.c - self-service in the search and on the pages (s-self,
 * issue 13), over real HTTP on the demo content folder: forms and guides
 * found by the words citizens type and marked with their kind and link
 * (API and /soeg), the kinds filter, staff-only forms never shown and the
 * index kept current when case types are imported again, /selvbetjening
 * listing every public form by topic, /blanket sending there, an
 * article's "Start selvbetjening", a plan step's form for a signed-in
 * citizen, facets by Danish topic names, and the content checks (a form's
 * articles must exist, topics.json) with topics exported again. */
#include "testutil.h"

#include "domain/content.h"
#include "domain/topics.h"

struct ctx {
	struct tu_server s;
	char citizen[160], citizen_csrf[64]; /* Mette, 901 */
	char staff[160], staff_csrf[64];     /* editor of 901 */
};

static struct tu_resp get(struct ctx *c, const char *path, const char *cookie)
{
	return tu_call(c->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

/* GET /api/v1/search?q=... (q URL-encoded by the caller), expecting 200 */
static struct tu_resp api_search(struct ctx *c, const char *query)
{
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/search?%.200s", query);
	struct tu_resp r = get(c, path, NULL);
	if (r.status != 200)
		fprintf(stderr, "%s: %ld %s\n", path, r.status, r.body);
	assert_int_equal(r.status, 200);
	return r;
}

/* The rank (1-based) of the result with url among the first n, or 0. */
static int rank_of(const struct tu_resp *r, const char *url, const char *kind,
		   int n)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r->json, "results"), i, it)
	{
		if ((int)i >= n)
			break;
		const char *u = json_string_value(json_object_get(it, "url"));
		const char *k = json_string_value(json_object_get(it, "kind"));
		/* every kind's url carries the search (?s=: s-trap) */
		size_t n_url = strlen(url);
		if (u && !strncmp(u, url, n_url) && (!u[n_url] || u[n_url] == '?')) {
			assert_non_null(k);
			assert_string_equal(k, kind);
			return (int)i + 1;
		}
	}
	return 0;
}

static void expect_found(struct ctx *c, const char *query, const char *url,
			 const char *kind, int within)
{
	struct tu_resp r = api_search(c, query);
	int rank = rank_of(&r, url, kind, within);
	if (!rank)
		fprintf(stderr, "%s: %s not among the first %d: %.600s\n", query,
			url, within, r.body);
	assert_true(rank > 0);
	tu_resp_free(&r);
}

/* ---- search ------------------------------------------------------------ */

static void forms_and_guides_found_by_citizen_words(void **state)
{
	struct ctx *c = *state;
	expect_found(c, "q=skilsmisse%20blanket", "/blanket/skilsmisse", "service", 3);
	expect_found(c, "q=s%C3%B8g%20om%20parkeringstilladelse",
		     "/blanket/parkeringstilladelse", "service", 3);
	expect_found(c, "q=d%C3%B8dsfald%20hvad%20skal%20jeg%20g%C3%B8re",
		     "/livssituation/doedsfald", "guide", 3);
	expect_found(c, "q=bestil%20storskrald", "/blanket/storskrald-afhentning",
		     "service", 3);
	expect_found(c, "q=hul%20i%20vejen", "/blanket/fejl-paa-vej", "service", 3);
	/* an article keeps its kind and its link with the search's id */
	struct tu_resp r = api_search(c, "q=skilsmisse%20blanket");
	size_t i;
	json_t *it;
	int articles = 0;
	json_array_foreach(json_object_get(r.json, "results"), i, it)
	{
		const char *k = json_string_value(json_object_get(it, "kind"));
		const char *u = json_string_value(json_object_get(it, "url"));
		assert_non_null(k);
		assert_non_null(u);
		if (!strcmp(k, "article")) {
			articles++;
			assert_int_equal(strncmp(u, "/artikel/", 9), 0);
			assert_non_null(strstr(u, "?s="));
		} else if (!strcmp(k, "service")) {
			assert_int_equal(strncmp(u, "/blanket/", 9), 0);
			assert_non_null(strstr(u, "?s=")); /* s-trap */
		} else {
			assert_string_equal(k, "guide");
			assert_int_equal(strncmp(u, "/livssituation/", 15), 0);
			assert_non_null(strstr(u, "?s=")); /* s-trap */
		}
	}
	assert_true(articles > 0);
	tu_resp_free(&r);
}

static void kind_filter_over_the_api(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = api_search(c, "q=skilsmisse&kind=service");
	size_t i;
	json_t *it;
	assert_true(json_array_size(json_object_get(r.json, "results")) > 0);
	json_array_foreach(json_object_get(r.json, "results"), i, it)
		assert_string_equal(json_string_value(json_object_get(it, "kind")),
				    "service");
	tu_resp_free(&r);
	r = api_search(c, "q=skilsmisse&kind=article,guide");
	int guides = 0;
	json_array_foreach(json_object_get(r.json, "results"), i, it)
	{
		const char *k = json_string_value(json_object_get(it, "kind"));
		assert_string_not_equal(k, "service");
		guides += !strcmp(k, "guide");
	}
	assert_true(guides > 0);
	tu_resp_free(&r);
	r = get(c, "/api/v1/search?q=skilsmisse&kind=blanket", NULL);
	tu_expect_problem(&r, 400, "invalid-parameter", "kind");
	tu_resp_free(&r);
	r = get(c, "/api/v1/search?q=skilsmisse&kind=article,", NULL);
	assert_int_equal(r.status, 200); /* a trailing comma adds nothing */
	tu_resp_free(&r);
	/* suggestions lead to the right place too */
	r = get(c, "/api/v1/suggest?q=beboerlicens", NULL);
	assert_int_equal(r.status, 200);
	int service = 0;
	json_array_foreach(json_object_get(r.json, "titles"), i, it)
	{
		const char *k = json_string_value(json_object_get(it, "kind"));
		const char *u = json_string_value(json_object_get(it, "url"));
		if (!strcmp(k, "service")) {
			service = 1;
			assert_string_equal(u, "/blanket/parkeringstilladelse");
		}
	}
	assert_true(service);
	tu_resp_free(&r);
}

static void search_page_marks_each_hit(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/soeg?q=beboerlicens", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<li class=\"hit hit-service\"><p class=\"kind\">"
			     "Selvbetjening</p><a href=\"/blanket/"
			     "parkeringstilladelse?s=");
	tu_expect_in(r.body, "<li class=\"hit hit-article\"><p class=\"kind\">"
			     "Vejledning</p><a href=\"/artikel/beboerlicens-parkering?s=");
	tu_resp_free(&r);
	r = get(c, "/soeg?q=d%C3%B8dsfald", NULL);
	tu_expect_in(r.body, "<p class=\"kind\">Guide</p><a href=\"/livssituation/"
			     "doedsfald?s=");
	tu_resp_free(&r);
	/* A weak result's suggestions lead to each kind's own page too: the
	 * guide to /livssituation/, never as an article of the same slug. */
	/* (s-trap: not "dødsfaldsguide" any more: a part of a compound that
	 * is not its head is no evidence, so that finds nothing; a word no
	 * article has beside "dødsfald" makes the search weak instead) */
	r = get(c, "/soeg?q=d%C3%B8dsfald%20rottebek%C3%A6mpelse", NULL);
	assert_int_equal(r.status, 200);
	const char *notice = strstr(r.body, "Vi fandt ikke et sikkert svar");
	assert_non_null(notice);
	const char *end = strstr(notice, "</p>");
	assert_non_null(end);
	char *own = strndup(notice, (size_t)(end - notice));
	assert_non_null(own);
	tu_expect_in(own, "<a href=\"/livssituation/doedsfald?s=");
	assert_null(strstr(own, "/artikel/doedsfald?"));
	free(own);
	tu_resp_free(&r);
}

/* The editors' report entry for query q (its "chosen" count), or -1 when
 * the report does not list it. */
static long long report_chosen(struct ctx *c, const char *q)
{
	struct tu_resp r = get(c, "/api/v1/search-report", c->staff);
	assert_int_equal(r.status, 200);
	long long chosen = -1;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r.json, "queries"), i, it)
		if (!strcmp(json_string_value(json_object_get(it, "query")), q))
			chosen = json_integer_value(json_object_get(it, "chosen"));
	tu_resp_free(&r);
	return chosen;
}

/* The link of kind's first hit on the search page body (the path with
 * its ?s=), in buf. */
static const char *first_link(const char *body, const char *kind, char *buf,
			      size_t n)
{
	char mark[64];
	snprintf(mark, sizeof(mark), "<li class=\"hit hit-%s\">", kind);
	const char *at = strstr(body, mark);
	assert_non_null(at);
	at = strstr(at, "<a href=\"");
	assert_non_null(at);
	at += 9;
	size_t len = strcspn(at, "\"");
	assert_true(len < n);
	memcpy(buf, at, len);
	buf[len] = 0;
	return buf;
}

/* s-trap (issue 13): a search answered by a guide or a form counts as
 * answered: its link carries the search, opening it records the choice,
 * and the editors' report no longer lists the search as one that did not
 * help (anonymous: the form asks for a sign-in, and the search found it
 * even so). */
static void guide_or_form_answers_the_search(void **state)
{
	struct ctx *c = *state;
	char link[256];
	/* a guide */
	struct tu_resp r = get(c, "/soeg?q=d%C3%B8dsfald", NULL);
	assert_int_equal(r.status, 200);
	first_link(r.body, "guide", link, sizeof(link));
	tu_resp_free(&r);
	assert_int_equal(strncmp(link, "/livssituation/doedsfald?s=", 27), 0);
	assert_true(report_chosen(c, "dødsfald") == 0); /* listed: not chosen */
	r = get(c, link, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	assert_true(report_chosen(c, "dødsfald") == -1);
	/* a form */
	r = get(c, "/soeg?q=parkeringstilladelse%20strap", NULL);
	assert_int_equal(r.status, 200);
	first_link(r.body, "service", link, sizeof(link));
	tu_resp_free(&r);
	assert_int_equal(strncmp(link, "/blanket/parkeringstilladelse?s=", 32), 0);
	assert_true(report_chosen(c, "parkeringstilladelse strap") == 0);
	r = get(c, link, NULL); /* to the sign-in first */
	assert_true(r.status == 200 || r.status == 302 || r.status == 303);
	tu_resp_free(&r);
	assert_true(report_chosen(c, "parkeringstilladelse strap") == -1);
	/* a search id that is no number, or no form: nothing, no error */
	r = get(c, "/livssituation/doedsfald?s=abc", NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	r = get(c, "/blanket/findes-ikke?s=1", NULL);
	assert_int_equal(r.status == 404 || r.status == 302 || r.status == 303, 1);
	tu_resp_free(&r);
}

static void facets_have_danish_topic_names(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/soeg?q=ans%C3%B8gning", NULL);
	assert_int_equal(r.status, 200);
	const char *facets = strstr(r.body, "<nav class=\"facets\"");
	assert_non_null(facets);
	tu_expect_in(facets, ">Pension <span class=\"count\">");
	tu_expect_in(facets, ">Dødsfald og arv <span class=\"count\">");
	tu_expect_in(facets, "href=\"/soeg?q=ans%C3%B8gning&amp;kle=32\"");
	tu_expect_not_in(r.body, "KLE-gruppe");
	tu_resp_free(&r);
}

static void figures_topic_filter_has_names(void **state)
{
	struct ctx *c = *state;
	char cookie[160], setc[256], url[256];
	snprintf(url, sizeof(url), "%s/api/v1/session", c->s.base);
	const char *h[] = { "Content-Type: application/json", NULL };
	struct tu_resp r = tu_http("POST", url,
				   "{\"email\":\"leder@nordskov.demo\","
				   "\"password\":\"demo-leder\"}", h, NULL);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(setc, ";"), setc);
	tu_resp_free(&r);
	r = get(c, "/ledelse", cookie);
	assert_int_equal(r.status, 200);
	/* staff see the number beside the name */
	tu_expect_in(r.body, "<option value=\"15\">15 – Dødsfald og arv</option>");
	tu_expect_in(r.body, "<option value=\"32\">32 – Pension</option>");
	tu_resp_free(&r);
}

/* ---- staff-only forms; the index kept current --------------------------- */

/* Imports one case type, a copy of fejl-paa-vej named for the test, public
 * or not. */
static void import_internal(struct ctx *c, int public)
{
	char dir[4200], path[13000];
	snprintf(dir, sizeof(dir), "%s/intern", c->s.dir);
	snprintf(path, sizeof(path),
		 "mkdir -p '%s/case-types' '%s/letter-templates' && cp "
		 "content/letter-templates/fejl-paa-vej.json "
		 "'%s/letter-templates/kvartal-vej.json'",
		 dir, dir, dir);
	assert_int_equal(system(path), 0);
	json_error_t e;
	json_t *j = json_load_file("content/case-types/fejl-paa-vej.json", 0, &e);
	assert_non_null(j);
	json_object_set_new(j, "name", json_string("Kvartalsindberetning om vejene"));
	json_object_set_new(j, "keywords", json_string("kvartalsindberetning"));
	json_object_set_new(j, "public", json_boolean(public));
	snprintf(path, sizeof(path), "%s/case-types/kvartal-vej.json", dir);
	assert_int_equal(json_dump_file(j, path, 0), 0);
	json_decref(j);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 0, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.case_types, 1);
}

/* Does the search at path (as cookie) show the form kvartal-vej? */
static int shows_form(struct ctx *c, const char *path, const char *cookie)
{
	struct tu_resp r = get(c, path, cookie);
	assert_int_equal(r.status, 200);
	int n = rank_of(&r, "/blanket/kvartal-vej", "service", 50) > 0;
	tu_resp_free(&r);
	return n;
}

static void staff_only_forms_never_shown(void **state)
{
	struct ctx *c = *state;
	const char *q = "/api/v1/search?q=kvartalsindberetning&limit=50";
	import_internal(c, 0);
	assert_false(shows_form(c, q, NULL));
	assert_false(shows_form(c, q, c->citizen));
	assert_false(shows_form(c, q, c->staff));
	struct tu_resp r = get(c, "/selvbetjening", NULL);
	tu_expect_not_in(r.body, "kvartal-vej");
	tu_resp_free(&r);
	r = get(c, "/blanket/kvartal-vej", c->citizen);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	/* made public: the running server's index takes it in at once */
	import_internal(c, 1);
	assert_true(shows_form(c, q, NULL));
	r = get(c, "/selvbetjening", NULL);
	tu_expect_in(r.body, "href=\"/blanket/kvartal-vej\"");
	tu_resp_free(&r);
	/* and staff only again: gone */
	import_internal(c, 0);
	assert_false(shows_form(c, q, NULL));
	assert_false(shows_form(c, q, c->staff));
}

/* ---- /selvbetjening, /blanket, the article's button --------------------- */

static enum hh_rc public_code(void *p, const struct hh_case_type *ct)
{
	json_t *codes = p;
	if (strcmp(ct->code, "kvartal-vej")) /* another test's */
		json_array_append_new(codes, json_string(ct->code));
	return HH_OK;
}

static enum hh_rc public_codes_tx(struct hh_tx *tx, void *p)
{
	struct hh_arena a;
	hh_arena_init(&a);
	json_array_clear(p);
	enum hh_rc rc = tx->store->case_type_list(tx, &a, 1, public_code, p);
	hh_arena_clear(&a);
	return rc;
}

static void selvbetjening_lists_every_public_form(void **state)
{
	struct ctx *c = *state;
	json_t *codes = json_array();
	assert_int_equal(hh_store_run_tx(c->s.store, 0, public_codes_tx, codes),
			 HH_OK);
	assert_true(json_array_size(codes) >= 10);
	struct tu_resp r = get(c, "/selvbetjening", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h1>Selvbetjening</h1>");
	size_t i;
	json_t *v;
	json_array_foreach(codes, i, v)
	{
		char link[128];
		snprintf(link, sizeof(link), "<a href=\"/blanket/%s\">",
			 json_string_value(v));
		tu_expect_in(r.body, link);
	}
	/* and nothing else: one link per public form */
	int links = 0;
	for (const char *p = r.body; (p = strstr(p, "<h3><a href=\"/blanket/")); p++)
		links++;
	assert_int_equal(links, (int)json_array_size(codes));
	/* by topic, with Danish names, who receives it, and its guidance */
	tu_expect_in(r.body, "<h2 id=\"emne-15\">Dødsfald og arv</h2>");
	tu_expect_in(r.body, "<h2 id=\"emne-32\">Pension</h2>");
	tu_expect_in(r.body, "Sendes til Udbetaling Danmark");
	tu_expect_in(r.body, "Sendes til din kommune");
	tu_expect_in(r.body, "<a href=\"/artikel/skilsmisse-saadan-soeger-du\">"
			     "Læs vejledningen");
	tu_expect_not_in(r.body, "KLE");
	/* the topics in KLE order: Dødsfald (15) before Pension (32) */
	assert_true(strstr(r.body, "id=\"emne-15\"") < strstr(r.body, "id=\"emne-32\""));
	/* the menu on every page links to it */
	tu_expect_in(r.body, "<li><a href=\"/selvbetjening\">Selvbetjening</a></li>");
	tu_resp_free(&r);
	json_decref(codes);
}

static void bare_blanket_redirects(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/blanket", NULL);
	assert_int_equal(r.status, 303);
	char loc[256];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/selvbetjening");
	tu_resp_free(&r);
}

static void article_offers_its_form(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get(c, "/artikel/skilsmisse-saadan-soeger-du", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<a class=\"button\" href=\"/blanket/skilsmisse\">"
			     "Start selvbetjening");
	/* the body links to helhed's own form, not to an external one */
	tu_expect_in(r.body, "<a href=\"/blanket/skilsmisse\">ansøgningen om "
			     "skilsmisse</a>");
	tu_resp_free(&r);
	/* a municipality's own version of an article has the button too */
	r = get(c, "/artikel/beboerlicens-parkering", "hh_kommune=902");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "href=\"/blanket/parkeringstilladelse\">Start "
			     "selvbetjening");
	tu_resp_free(&r);
	/* an article without a form of its own has none */
	r = get(c, "/artikel/pas-fornyelse", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, "Start selvbetjening");
	tu_resp_free(&r);
}

/* ---- the plan step's form ----------------------------------------------- */

#define DOEDSFALD_ANSWERS "q_relation=aegtefaelle&q_boern=nej&q_betaler=ja&q_oekonomi=nej"

/* POSTs the guide's "Udfyld blanket" for step as the citizen; returns the
 * Location it was sent to. */
static void post_step_form(struct ctx *c, const char *step, char *loc,
			   size_t size)
{
	char body[512];
	snprintf(body, sizeof(body), "csrf=%s&" DOEDSFALD_ANSWERS "&blanket=%s",
		 c->citizen_csrf, step);
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	struct tu_resp r = tu_call(c->s.base, c->citizen, NULL, "POST",
				   "/livssituation/doedsfald", body, h);
	if (r.status != 303)
		fprintf(stderr, "%ld: %.400s\n", r.status, r.body);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, size));
	tu_resp_free(&r);
}

static void plan_step_opens_the_form_when_signed_in(void **state)
{
	struct ctx *c = *state;
	const char *page = "/livssituation/doedsfald?" DOEDSFALD_ANSWERS;
	struct tu_resp r = get(c, page, c->citizen);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<input type=\"hidden\" name=\"blanket\" "
			     "value=\"begravelseshjaelp\">");
	tu_expect_in(r.body, "Udfyld blanket<span class=\"visually-hidden\">: "
			     "Søg begravelseshjælp</span></button>");
	tu_expect_not_in(r.body, "når du har gemt dit forløb");
	tu_resp_free(&r);
	/* anonymous: told to sign in, no form to send */
	r = get(c, page, NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Blanketten kan du udfylde her, når du er logget ind.");
	tu_expect_not_in(r.body, "name=\"blanket\"");
	tu_resp_free(&r);

	/* the button saves the plan and opens the step's form for it */
	char loc[256], again[256];
	post_step_form(c, "begravelseshjaelp", loc, sizeof(loc));
	long long plan = 0;
	assert_int_equal(sscanf(loc, "/blanket/begravelseshjaelp?forloeb=%lld", &plan),
			 1);
	assert_true(plan > 0);
	assert_non_null(strstr(loc, "&trin=begravelseshjaelp"));
	r = get(c, loc, c->citizen);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Søg begravelseshjælp");
	tu_resp_free(&r);
	/* the same answers again: the same plan, not a copy */
	post_step_form(c, "begravelseshjaelp", again, sizeof(again));
	assert_string_equal(again, loc);
	/* a step without a form (or no step at all) leads to the plan */
	post_step_form(c, "anmeld-doedsfald", again, sizeof(again));
	char want[64];
	snprintf(want, sizeof(want), "/mit-overblik/forloeb/%lld", plan);
	assert_string_equal(again, want);
}

/* ---- content: a form's articles, topics ---------------------------------- */

static void content_checks_and_topics_export(void **state)
{
	struct ctx *c = *state;
	/* a form naming an article that does not exist: imported, with a
	 * warning (a folder of case types alone is a valid import) */
	char dir[4200], path[13000];
	snprintf(dir, sizeof(dir), "%s/bad", c->s.dir);
	snprintf(path, sizeof(path),
		 "mkdir -p '%s/case-types' '%s/letter-templates' && cp "
		 "content/letter-templates/fejl-paa-vej.json "
		 "'%s/letter-templates/fejl-igen.json'",
		 dir, dir, dir);
	assert_int_equal(system(path), 0);
	json_error_t e;
	json_t *j = json_load_file("content/case-types/fejl-paa-vej.json", 0, &e);
	assert_non_null(j);
	json_object_set_new(j, "articles", json_pack("[s]", "findes-ikke"));
	snprintf(path, sizeof(path), "%s/case-types/fejl-igen.json", dir);
	assert_int_equal(json_dump_file(j, path, 0), 0);
	json_decref(j);
	char *errs_text = NULL;
	size_t errs_len = 0;
	FILE *errs = open_memstream(&errs_text, &errs_len);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 0, errs, NULL, NULL,
					   &stats),
			 HH_OK);
	fclose(errs);
	assert_int_equal(stats.case_types, 1);
	tu_expect_in(errs_text, "fejl-igen.json:1: warning: articles: "
				"'findes-ikke' is no shared or agency's article");
	free(errs_text);
	/* not a list: refused */
	j = json_load_file("content/case-types/fejl-paa-vej.json", 0, &e);
	json_object_set_new(j, "articles", json_string("findes-ikke"));
	assert_int_equal(json_dump_file(j, path, 0), 0);
	json_decref(j);
	errs_text = NULL;
	errs = open_memstream(&errs_text, &errs_len);
	assert_int_equal(hh_content_import(c->s.store, dir, 0, errs, NULL, NULL,
					   &stats),
			 HH_ERR_INVALID);
	fclose(errs);
	assert_int_equal(stats.case_types, 0);
	tu_expect_in(errs_text, "fejl-igen.json:1: articles must be a list");
	free(errs_text);

	/* topics.json: two digits, one name each */
	char err[256];
	json_t *bad = json_loads("[{\"kle\":\"1\",\"name\":\"Et\"}]", 0, &e);
	assert_null(hh_topics_check(bad, err, sizeof(err)));
	json_decref(bad);
	bad = json_loads("[{\"kle\":\"15\",\"name\":\"A\"},{\"kle\":\"15\",\"name\":\"B\"}]",
			 0, &e);
	assert_null(hh_topics_check(bad, err, sizeof(err)));
	tu_expect_in(err, "named twice");
	json_decref(bad);
	bad = json_loads("[{\"kle\":\"15\",\"name\":\"\"}]", 0, &e);
	assert_null(hh_topics_check(bad, err, sizeof(err)));
	json_decref(bad);
	json_t *good = json_loads("[{\"kle\":\"32\",\"name\":\"Pension\"},"
				  "{\"kle\":\"15\",\"name\":\"Død\"}]", 0, &e);
	json_t *sorted = hh_topics_check(good, err, sizeof(err));
	assert_non_null(sorted);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(sorted, 0), "kle")), "15");
	json_decref(sorted);
	json_decref(good);

	/* the names as stored, and exported with the content */
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_topics t;
	assert_int_equal(hh_topics_load(c->s.store, &a, &t), HH_OK);
	assert_string_equal(hh_topic_name(&t, "15.00.00"), "Dødsfald og arv");
	assert_string_equal(hh_topic_name(&t, "32"), "Pension");
	assert_null(hh_topic_name(&t, "99.00.00"));
	assert_null(hh_topic_name(&t, "1"));
	hh_arena_clear(&a);
	snprintf(dir, sizeof(dir), "%s/export", c->s.dir);
	assert_int_equal(hh_content_export(c->s.store, dir, stderr, NULL), HH_OK);
	snprintf(path, sizeof(path), "%s/topics.json", dir);
	char *text = tu_read(path);
	assert_non_null(text);
	tu_expect_in(text, "\"name\": \"Dødsfald og arv\"");
	free(text);
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 0);
	struct hh_import_stats stats;
	enum hh_rc rc = hh_content_import(c->s.store, "content", 1, stderr, NULL,
					  NULL, &stats);
	assert_int_equal(rc, HH_OK);
	assert_true(stats.topics >= 10);
	/* the articles came in under the server's feet: build again, as a
	 * start after `helhed import` does */
	assert_int_equal(hh_index_build(c->s.app.index, c->s.store), HH_OK);
	c->s.app.demo = 1; /* the demo sign-in for citizens */
	struct tu_resp r = tu_call(c->s.base, NULL, NULL, "POST",
				   "/api/v1/citizen/session",
				   "{\"subject\":\"demo:demo-mette\"}", NULL);
	assert_int_equal(r.status, 201);
	char setc[256];
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(c->citizen, sizeof(c->citizen), "%.*s", (int)strcspn(setc, ";"),
		 setc);
	snprintf(c->citizen_csrf, sizeof(c->citizen_csrf), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
	/* staff from the demo users */
	char body[256], url[256];
	snprintf(url, sizeof(url), "%s/api/v1/session", c->s.base);
	snprintf(body, sizeof(body),
		 "{\"email\":\"redaktoer@nordskov.demo\",\"password\":\"demo-redaktoer\"}");
	const char *h[] = { "Content-Type: application/json", NULL };
	r = tu_http("POST", url, body, h, NULL);
	if (r.status != 201)
		fprintf(stderr, "staff sign-in: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(c->staff, sizeof(c->staff), "%.*s", (int)strcspn(setc, ";"), setc);
	tu_resp_free(&r);
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
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forms_and_guides_found_by_citizen_words),
		cmocka_unit_test(kind_filter_over_the_api),
		cmocka_unit_test(search_page_marks_each_hit),
		cmocka_unit_test(guide_or_form_answers_the_search), /* s-trap */
		cmocka_unit_test(facets_have_danish_topic_names),
		cmocka_unit_test(figures_topic_filter_has_names),
		cmocka_unit_test(staff_only_forms_never_shown),
		cmocka_unit_test(selvbetjening_lists_every_public_form),
		cmocka_unit_test(bare_blanket_redirects),
		cmocka_unit_test(article_offers_its_form),
		cmocka_unit_test(plan_step_opens_the_form_when_signed_in),
		cmocka_unit_test(content_checks_and_topics_export),
	};
	return cmocka_run_group_tests_name("api/selfservice", tests, setup,
					   teardown);
}
