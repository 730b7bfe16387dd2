/* test_search_tune.c - s-tune (issue 13) over real HTTP: a pin holds on
 * every page of /api/v1/search and /soeg (every hit once, total and
 * facets right); a municipality's local version of a pinned article,
 * published or archived, takes effect at once; synonyms removed and
 * changed over the API and from /redaktion/synonymer, at once in the
 * search, kept removed by the seed, import and export; the pins' list
 * with "Fjern"; an article's versions and restoring one over the API. */
#include "testutil.h"

#include <stdarg.h>

#include "domain/searchtune.h"

struct ctx {
	struct tu_server s;
	char db[4200];
	char ed1[200], ed1_csrf[80]; /* editor@901 */
	char ed2[200], ed2_csrf[80]; /* editor@902 */
	char edu[200], edu_csrf[80]; /* editor@udk (an agency) */
	struct hh_search_tuning *tuning;
};

#define N_FLYT 15

static void shared_article(struct ctx *c, const char *slug, const char *title,
			   const char *body, const char *kle)
{
	struct hh_article art = { .slug = slug, .title = title,
				  .summary = "Kort om det", .body_md = body,
				  .body_html = "<p>x</p>", .keywords = "",
				  .kle = kle, .audience = HH_AUDIENCE_CITIZEN,
				  .status = HH_STATUS_PUBLISHED,
				  .updated_by = "import" };
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
	assert_int_equal(c->s.store->article_insert(tx, &art), HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	struct hh_change ch = { "article", art.id, 0, "create" };
	hh_store_changed(c->s.store, &ch);
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	snprintf(c->db, sizeof(c->db), "%s/helhed.db", c->s.dir);
	tu_login(&c->s, "editor@901", c->ed1, sizeof(c->ed1), c->ed1_csrf,
		 sizeof(c->ed1_csrf));
	tu_login(&c->s, "editor@902", c->ed2, sizeof(c->ed2), c->ed2_csrf,
		 sizeof(c->ed2_csrf));
	tu_login(&c->s, "editor@udk", c->edu, sizeof(c->edu), c->edu_csrf,
		 sizeof(c->edu_csrf));
	/* N_FLYT articles about moving, the i-th saying it 20 - i times,
	 * and one about school that does not */
	for (int i = 1; i <= N_FLYT; i++) {
		char slug[32], title[64], body[1024];
		snprintf(slug, sizeof(slug), "flyt-%d", i);
		snprintf(title, sizeof(title), "Emne nummer %d", i);
		size_t o = 0;
		for (int k = 0; k < 20 - i; k++)
			o += (size_t)snprintf(body + o, sizeof(body) - o,
					      "Flytning ord%d. ", k);
		shared_article(c, slug, title, body,
			       i % 2 ? "23.05.01" : "16.01.02");
	}
	shared_article(c, "skolestart", "Skolestart",
		       "Når barnet starter i skole.", "17.01.00");
	assert_int_equal(hh_search_tuning_start(c->s.app.index, c->s.store,
						&c->s.an, &c->tuning),
			 HH_OK);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	hh_search_tuning_stop(c->tuning);
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

static struct tu_resp get(struct ctx *c, const char *cookie, const char *path)
{
	return tu_call(c->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

static struct tu_resp post_form(struct ctx *c, const char *cookie,
				const char *path, const char *body)
{
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded",
			    NULL };
	return tu_call(c->s.base, cookie, NULL, "POST", path, body, h);
}

/* A form body: csrf then name=value pairs (values encoded), NULL ends. */
static char *form(const char *csrf, ...)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "csrf=");
	hh_buf_puts(&b, csrf ? csrf : "");
	va_list ap;
	va_start(ap, csrf);
	const char *name;
	while ((name = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);
		char *e = curl_easy_escape(NULL, value, 0);
		hh_buf_printf(&b, "&%s=%s", name, e);
		curl_free(e);
	}
	va_end(ap);
	char *out = hh_xstrdup(hh_buf_str(&b));
	hh_buf_clear(&b);
	return out;
}

static int64_t count(struct ctx *c, const char *sql)
{
	return tu_sql_int(c->s.dir, sql, 0, NULL);
}

static void pin(struct ctx *c, const char *cookie, const char *csrf,
		const char *query, const char *slug)
{
	char *body = form(csrf, "q", query, "adresse", slug, NULL);
	struct tu_resp r = post_form(c, cookie, "/redaktion/fastgoer", body);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	free(body);
}

/* Every page of /api/v1/search?q=flytning in municipality muni, limit
 * at a time: the slugs in order (new, "," joined and ended); checks that
 * each page says the same total, returned in *total. */
static char *api_pages(struct ctx *c, const char *muni, int limit, int *total)
{
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, ",");
	*total = -1;
	for (int off = 0; off < 100; off += limit) {
		char path[200];
		snprintf(path, sizeof(path),
			 "/api/v1/search?q=flytning&municipality=%s&limit=%d"
			 "&offset=%d", muni, limit, off);
		struct tu_resp r = get(c, NULL, path);
		assert_int_equal(r.status, 200);
		int t = (int)json_integer_value(json_object_get(r.json, "total"));
		if (*total < 0)
			*total = t;
		assert_int_equal(t, *total);
		json_t *res = json_object_get(r.json, "results");
		size_t i;
		json_t *h;
		json_array_foreach(res, i, h) {
			hh_buf_puts(&b, json_string_value(json_object_get(h, "slug")));
			hh_buf_puts(&b, ",");
		}
		size_t n = json_array_size(res);
		tu_resp_free(&r);
		if ((int)n < limit)
			break;
	}
	char *out = hh_xstrdup(hh_buf_str(&b));
	hh_buf_clear(&b);
	return out;
}

/* The facet counts of a search summed (kle facet), and the count of the
 * value v there. */
static void kle_facets(struct ctx *c, const char *path, int *sum,
		       const char *v, int *of_v)
{
	struct tu_resp r = get(c, NULL, path);
	assert_int_equal(r.status, 200);
	json_t *kle = json_object_get(json_object_get(r.json, "facets"), "kle");
	*sum = 0;
	*of_v = 0;
	size_t i;
	json_t *f;
	json_array_foreach(kle, i, f) {
		int n = (int)json_integer_value(json_object_get(f, "count"));
		*sum += n;
		const char *val = json_string_value(json_object_get(f, "value"));
		if (val && !strcmp(val, v))
			*of_v = n;
	}
	tu_resp_free(&r);
}

/* ---- pins on every page ------------------------------------------------ */

static void a_pin_holds_on_every_page(void **state)
{
	struct ctx *c = *state;
	/* 902 has no pin: its order is the plain one */
	int plain_total;
	char *plain = api_pages(c, "902", 50, &plain_total);
	assert_int_equal(plain_total, N_FLYT);
	pin(c, c->ed1, c->ed1_csrf, "flytning", "skolestart");
	/* what 901 must see: the pinned one, then the plain order */
	char want[1024];
	snprintf(want, sizeof(want), ",skolestart%s", plain);
	static const int sizes[] = { 1, 4, 10, 7 };
	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		int total;
		char *got = api_pages(c, "901", sizes[s], &total);
		assert_int_equal(total, N_FLYT + 1);
		if (strcmp(got, want))
			fail_msg("pages of %d: %s, want %s", sizes[s], got, want);
		free(got);
	}
	/* the facets count the pin once, on every page */
	int sum, of17;
	kle_facets(c, "/api/v1/search?q=flytning&municipality=901&offset=10",
		   &sum, "17", &of17);
	assert_int_equal(sum, N_FLYT + 1);
	assert_int_equal(of17, 1);
	/* pinned to one of the hits (the 12th): moved, counted once */
	pin(c, c->ed1, c->ed1_csrf, "flytning", "flyt-12");
	{
		int total;
		char *got = api_pages(c, "901", 10, &total);
		assert_int_equal(total, N_FLYT);
		char *rest = hh_xstrdup(plain);
		char *at = strstr(rest, ",flyt-12,");
		assert_non_null(at);
		memmove(at, at + strlen(",flyt-12"), strlen(at + strlen(",flyt-12")) + 1);
		snprintf(want, sizeof(want), ",flyt-12%s", rest);
		if (strcmp(got, want))
			fail_msg("pages of 10: %s, want %s", got, want);
		free(rest);
		free(got);
	}
	/* /soeg: side 1 and 2 together show every hit once, the pin first */
	pin(c, c->ed1, c->ed1_csrf, "flytning", "skolestart");
	struct tu_resp p1 = get(c, "hh_kommune=901", "/soeg?q=flytning");
	struct tu_resp p2 = get(c, "hh_kommune=901", "/soeg?q=flytning&side=2");
	assert_int_equal(p1.status, 200);
	assert_int_equal(p2.status, 200);
	const char *first = strstr(p1.body, "href=\"/artikel/");
	assert_non_null(first);
	assert_int_equal(strncmp(first, "href=\"/artikel/skolestart",
				 strlen("href=\"/artikel/skolestart")), 0);
	for (int i = 1; i <= N_FLYT; i++) {
		char needle[64];
		snprintf(needle, sizeof(needle), "href=\"/artikel/flyt-%d?", i);
		int n = 0;
		for (const char *q = p1.body; (q = strstr(q, needle)); q++)
			n++;
		for (const char *q = p2.body; (q = strstr(q, needle)); q++)
			n++;
		if (n != 1)
			fail_msg("flyt-%d shown %d times on side 1 and 2", i, n);
	}
	tu_expect_not_in(p2.body, "href=\"/artikel/skolestart");
	tu_resp_free(&p1);
	tu_resp_free(&p2);
	free(plain);
}

/* ---- local versions of a pinned article -------------------------------- */

/* The slug and owner of the first hit of q in muni ("slug@owner", owner
 * "shared" when none), and the total. */
static void first_hit(struct ctx *c, const char *muni, char *out, size_t n,
		      int *total)
{
	char path[200];
	snprintf(path, sizeof(path),
		 "/api/v1/search?q=flytning&municipality=%s&limit=3", muni);
	struct tu_resp r = get(c, NULL, path);
	assert_int_equal(r.status, 200);
	*total = (int)json_integer_value(json_object_get(r.json, "total"));
	json_t *h = json_array_get(json_object_get(r.json, "results"), 0);
	const char *org = json_string_value(json_object_get(h, "organisation"));
	snprintf(out, n, "%s@%s", json_string_value(json_object_get(h, "slug")),
		 org ? org : "shared");
	tu_resp_free(&r);
}

static void a_local_version_takes_the_pin_at_once(void **state)
{
	struct ctx *c = *state;
	pin(c, c->ed1, c->ed1_csrf, "flytning", "skolestart");
	pin(c, c->ed2, c->ed2_csrf, "flytning", "skolestart");
	char got[128];
	int total;
	first_hit(c, "901", got, sizeof(got), &total);
	assert_string_equal(got, "skolestart@shared");
	/* Nordskov publishes its own version: its citizens get it first at
	 * once, Åstrup's still the shared one */
	struct tu_resp r = tu_call(
		c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/articles",
		"{\"slug\":\"skolestart\",\"organisation\":\"901\",\"title\":"
		"\"Skolestart i Nordskov\",\"summary\":\"Lokalt\",\"body\":"
		"\"Skolerne i Nordskov.\",\"status\":\"published\"}",
		NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	first_hit(c, "901", got, sizeof(got), &total);
	assert_string_equal(got, "skolestart@901");
	assert_int_equal(total, N_FLYT + 1);
	first_hit(c, "902", got, sizeof(got), &total);
	assert_string_equal(got, "skolestart@shared");
	/* archived: the shared one again, at once */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "DELETE",
		    "/api/v1/articles/skolestart?organisation=901", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	first_hit(c, "901", got, sizeof(got), &total);
	assert_string_equal(got, "skolestart@shared");
	/* the pins' list says what each pin shows now */
	r = get(c, c->ed1, "/redaktion/synonymer");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<td>flytning</td><td><a href=\"/artikel/skolestart\">"
			     "Skolestart</a>");
	tu_resp_free(&r);
	/* the pinned shared article archived: no pin anywhere, at once */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "DELETE",
		    "/api/v1/articles/skolestart", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	first_hit(c, "901", got, sizeof(got), &total);
	assert_string_equal(got, "flyt-1@shared");
	assert_int_equal(total, N_FLYT);
	first_hit(c, "902", got, sizeof(got), &total);
	assert_string_equal(got, "flyt-1@shared");
	r = get(c, c->ed1, "/redaktion/synonymer");
	tu_expect_in(r.body, "(vises ikke: artiklen er ikke udgivet)");
	tu_resp_free(&r);
}

static void pins_are_removed_from_their_list(void **state)
{
	struct ctx *c = *state;
	pin(c, c->ed1, c->ed1_csrf, "flytning", "skolestart");
	struct tu_resp r = get(c, c->ed1, "/redaktion/synonymer");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h2 id=\"pins-h\">Fastgjorte artikler i din "
			     "kommune</h2>");
	tu_expect_in(r.body, "action=\"/redaktion/fastgoer/fjern\"");
	tu_expect_in(r.body, "name=\"fra\" value=\"synonymer\"");
	tu_resp_free(&r);
	/* an agency's editor has neither list's rights to pins */
	r = get(c, c->edu, "/redaktion/synonymer");
	tu_expect_not_in(r.body, "pins-h");
	tu_resp_free(&r);
	/* removed from the list: back to the list, with the notice */
	char *body = form(c->ed1_csrf, "q", "flytning", "fra", "synonymer",
			  NULL);
	r = post_form(c, c->ed1, "/redaktion/fastgoer/fjern", body);
	assert_int_equal(r.status, 303);
	char loc[200];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/redaktion/synonymer?besked=fjernet");
	tu_resp_free(&r);
	free(body);
	assert_int_equal(count(c, "SELECT count(*) FROM search_pins"), 0);
	r = get(c, c->ed1, "/redaktion/synonymer?besked=fjernet");
	tu_expect_in(r.body, "Fastgørelsen er fjernet.");
	tu_resp_free(&r);
	/* removed from the search's page: back to that search */
	pin(c, c->ed1, c->ed1_csrf, "flytning", "skolestart");
	body = form(c->ed1_csrf, "q", "flytning", NULL);
	r = post_form(c, c->ed1, "/redaktion/fastgoer/fjern", body);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/redaktion/soegning?q=flytning&besked=fjernet");
	tu_resp_free(&r);
	free(body);
	char got[128];
	int total;
	first_hit(c, "901", got, sizeof(got), &total);
	assert_string_equal(got, "flyt-1@shared");
}

/* A write over the API refused to those who may not make it: anonymous
 * (401), an agency's editor (403) and 901's editor without the CSRF
 * token (403). */
static void expect_write_refused(struct ctx *c, const char *path,
				 const char *body)
{
	struct tu_resp r = tu_call(c->s.base, NULL, NULL, "POST", path, body,
				   NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->edu, c->edu_csrf, "POST", path, body, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->ed1, NULL, "POST", path, body, NULL);
	tu_expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
}

/* issue 13: the pins over the API, with the same rules as the pages */
static void pins_over_the_api(void **state)
{
	struct ctx *c = *state;
	const char *body = "{\"query\":\"  Flytning \",\"article\":"
			   "\"skolestart\"}";
	/* anonymous, an agency's editor, no CSRF token, unknown fields */
	expect_write_refused(c, "/api/v1/pins", body);
	struct tu_resp r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/pins",
		    "{\"query\":\"flytning\",\"article\":\"skolestart\","
		    "\"rank\":1}", NULL);
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	/* no such article, no words */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/pins",
		    "{\"query\":\"flytning\",\"article\":\"findes-ikke\"}",
		    NULL);
	tu_expect_problem(&r, 400, "invalid-field", "article");
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/pins",
		    "{\"query\":\" ?! \",\"article\":\"skolestart\"}", NULL);
	tu_expect_problem(&r, 400, "invalid-field", "query");
	tu_resp_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM search_pins"), 0);
	/* pinned: at once first in 901, not in 902 */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/pins",
		    body, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "query")),
			    "flytning");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r.json, "article"), "slug")),
			    "skolestart");
	/* the answer names the article as the list does (it was "") */
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r.json, "article"), "title")),
			    "Skolestart");
	assert_string_equal(json_string_value(json_object_get(
				    r.json, "organisation")), "901");
	tu_resp_free(&r);
	char got[128];
	int total;
	first_hit(c, "901", got, sizeof(got), &total);
	assert_string_equal(got, "skolestart@shared");
	first_hit(c, "902", got, sizeof(got), &total);
	assert_string_equal(got, "flyt-1@shared");
	/* listed for 901's editor only */
	r = get(c, c->ed1, "/api/v1/pins");
	assert_int_equal(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *it = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(it, "query")),
			    "flytning");
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(it, "article"), "title")),
			    "Skolestart");
	tu_resp_free(&r);
	r = get(c, c->ed2, "/api/v1/pins");
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
	r = get(c, NULL, "/api/v1/pins");
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	/* pinned again to another article: replaced, still one pin */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/pins",
		    "{\"query\":\"flytning\",\"article\":\"flyt-9\"}", NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM search_pins"), 1);
	first_hit(c, "901", got, sizeof(got), &total);
	assert_string_equal(got, "flyt-9@shared");
	/* removed: at once; again: 404; 902's editor cannot remove 901's */
	r = tu_call(c->s.base, c->ed2, c->ed2_csrf, "DELETE",
		    "/api/v1/pins?query=flytning", NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "DELETE",
		    "/api/v1/pins?query=Flytning", NULL, NULL);
	assert_int_equal(r.status, 204);
	tu_resp_free(&r);
	first_hit(c, "901", got, sizeof(got), &total);
	assert_string_equal(got, "flyt-1@shared");
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "DELETE",
		    "/api/v1/pins?query=flytning", NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "DELETE", "/api/v1/pins",
		    NULL, NULL);
	tu_expect_problem(&r, 400, "invalid-field", "query");
	tu_resp_free(&r);
}

/* ---- synonyms ------------------------------------------------------------ */

/* The total of a search for q in 901. */
static int hits(struct ctx *c, const char *q)
{
	char path[200];
	snprintf(path, sizeof(path), "/api/v1/search?q=%s&municipality=901", q);
	struct tu_resp r = get(c, NULL, path);
	assert_int_equal(r.status, 200);
	int t = (int)json_integer_value(json_object_get(r.json, "total"));
	tu_resp_free(&r);
	return t;
}

static void synonyms_over_the_api(void **state)
{
	struct ctx *c = *state;
	assert_int_equal(hits(c, "qwertyskole"), 0);
	/* anonymous, an agency's editor, no CSRF token */
	const char *rule = "{\"words\":\"qwertyskole\",\"alternatives\":"
			   "\"skolestart\"}";
	expect_write_refused(c, "/api/v1/synonyms", rule);
	struct tu_resp r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST",
				   "/api/v1/synonyms",
				   "{\"words\":\"qwertyskole\","
				   "\"alternatives\":\" , \"}", NULL);
	tu_expect_problem(&r, 400, "invalid-field", "alternatives");
	tu_resp_free(&r);
	/* added: at once in the search */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/synonyms",
		    rule, NULL);
	assert_int_equal(r.status, 201);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(id > 0);
	assert_string_equal(json_string_value(json_object_get(r.json, "rule")),
			    "qwertyskole, skolestart");
	tu_resp_free(&r);
	assert_int_equal(hits(c, "qwertyskole"), 1);
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/synonyms",
		    rule, NULL);
	tu_expect_problem(&r, 409, "synonym-exists", NULL);
	tu_resp_free(&r);
	/* the list: filtered and paged */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/synonyms",
		    "{\"words\":\"qwertyflyt\",\"alternatives\":\"flytning\","
		    "\"both_ways\":false}", NULL);
	assert_int_equal(r.status, 201);
	int64_t id2 = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	r = get(c, c->ed1, "/api/v1/synonyms?q=QWERTY&limit=1&offset=1");
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 2);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(items, 0), "rule")),
			    "qwertyflyt => flytning");
	tu_resp_free(&r);
	r = get(c, NULL, "/api/v1/synonyms");
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	/* changed: the old text no longer finds, the new one does */
	char path[100];
	snprintf(path, sizeof(path), "/api/v1/synonyms/%lld", (long long)id);
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "PUT", path,
		    "{\"words\":\"asdfskole\",\"alternatives\":\"skolestart\"}",
		    NULL);
	assert_int_equal(r.status, 200);
	int64_t id3 = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	assert_int_equal(hits(c, "qwertyskole"), 0);
	assert_int_equal(hits(c, "asdfskole"), 1);
	/* removed: at once; again: 404 */
	snprintf(path, sizeof(path), "/api/v1/synonyms/%lld", (long long)id3);
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "DELETE", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	assert_int_equal(hits(c, "asdfskole"), 0);
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "DELETE", path, NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'synonym' AND action = 'delete'"), 1);
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'synonym' AND action = 'update'"), 1);
	/* the seed and import do not bring a removed rule back; export
	 * leaves it out */
	char *dir = tu_tmpdir(), file[4200];
	snprintf(file, sizeof(file), "%s/synonyms.txt", dir);
	tu_write(file, "asdfskole, skolestart\nqwertyskole, skolestart\n");
	int added = -1;
	assert_int_equal(hh_synonyms_seed(c->s.store, &c->s.an, file, 0, NULL,
					  &added), HH_OK);
	assert_int_equal(added, 0);
	assert_int_equal(hits(c, "asdfskole"), 0);
	int n_syn = 0, n_pins = 0;
	assert_int_equal(hh_search_tuning_export(c->s.store, dir, &n_syn,
						 &n_pins), HH_OK);
	assert_int_equal(n_syn, 1);
	char *txt = tu_read(file);
	tu_expect_not_in(txt, "skolestart");
	tu_expect_in(txt, "\nqwertyflyt => flytning\n");
	free(txt);
	tu_rmdir(dir);
	/* added again by an editor: back */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/synonyms",
		    "{\"words\":\"asdfskole\",\"alternatives\":\"skolestart\"}",
		    NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	assert_int_equal(hits(c, "asdfskole"), 1);
	(void)id2;
}

static void synonyms_removed_from_their_page(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = tu_call(
		c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/synonyms",
		"{\"words\":\"qwertyskole\",\"alternatives\":\"skolestart\"}", NULL);
	assert_int_equal(r.status, 201);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	assert_int_equal(hits(c, "qwertyskole"), 1);
	r = get(c, c->ed1, "/redaktion/synonymer?q=qwerty");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<td>qwertyskole, skolestart</td>");
	tu_expect_in(r.body, "1 synonymer passer til søgningen.");
	tu_resp_free(&r);
	r = get(c, c->ed1, "/redaktion/synonymer?q=findesikke");
	tu_expect_not_in(r.body, "qwertyskole");
	tu_resp_free(&r);
	/* without the form's token nothing is removed */
	char ids[32];
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	char *body = form("forkert", "id", ids, "q", "qwerty", NULL);
	r = post_form(c, c->ed1, "/redaktion/fjern-synonym", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	assert_int_equal(hits(c, "qwertyskole"), 1);
	body = form(c->ed1_csrf, "id", ids, "q", "qwerty", NULL);
	r = post_form(c, c->ed1, "/redaktion/fjern-synonym", body);
	assert_int_equal(r.status, 303);
	char loc[256];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/redaktion/synonymer?besked=synonym-fjernet"
				 "&q=qwerty");
	tu_resp_free(&r);
	free(body);
	assert_int_equal(hits(c, "qwertyskole"), 0);
	r = get(c, c->ed1, loc);
	tu_expect_in(r.body, "Synonymet er fjernet og virker ikke længere i "
			     "søgningen.");
	tu_expect_not_in(r.body, "<td>qwertyskole");
	tu_resp_free(&r);
	/* an agency's editor may not */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/synonyms",
		    "{\"words\":\"qwertyskole\",\"alternatives\":\"skolestart\"}",
		    NULL);
	id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	body = form(c->edu_csrf, "id", ids, NULL);
	r = post_form(c, c->edu, "/redaktion/fjern-synonym", body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	free(body);
	assert_int_equal(hits(c, "qwertyskole"), 1);
}

/* ---- versions over the API ----------------------------------------------- */

static void versions_and_restore_over_the_api(void **state)
{
	struct ctx *c = *state;
	/* version 2 changes the body */
	struct tu_resp r = tu_call(
		c->s.base, c->ed1, c->ed1_csrf, "PUT", "/api/v1/articles/skolestart",
		"{\"title\":\"Skolestart\",\"summary\":\"Kort om det\",\"body\":"
		"\"Når barnet starter i skole.\\n\\nNy linje.\",\"audience\":"
		"\"citizen\",\"kle\":\"17.01.00\",\"status\":\"published\",\"version\":1}",
		NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	/* the list: number, status, author, time, what changed */
	r = get(c, c->ed1, "/api/v1/articles/skolestart/versions");
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json,
							    "current_version")),
			 2);
	json_t *vs = json_object_get(r.json, "versions");
	assert_int_equal(json_array_size(vs), 2);
	json_t *v2 = json_array_get(vs, 1);
	assert_int_equal(json_integer_value(json_object_get(v2, "version")), 2);
	assert_string_equal(json_string_value(json_object_get(v2, "status")),
			    "published");
	assert_non_null(json_string_value(json_object_get(v2, "author")));
	assert_non_null(json_string_value(json_object_get(v2, "at")));
	json_t *ch = json_object_get(v2, "change");
	assert_int_equal(json_array_size(json_object_get(ch, "fields")), 1);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(ch, "fields"), 0)),
			    "body");
	assert_int_equal(json_integer_value(json_object_get(ch, "lines_added")),
			 2);
	tu_resp_free(&r);
	/* one version's content */
	r = get(c, c->ed1, "/api/v1/articles/skolestart/versions/1");
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "body")),
			    "Når barnet starter i skole.");
	tu_resp_free(&r);
	r = get(c, c->ed1, "/api/v1/articles/skolestart/versions/9");
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	/* the public sees no versions */
	r = get(c, NULL, "/api/v1/articles/skolestart/versions");
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	/* restore: the version seen is required; a stale one is 409 */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST",
		    "/api/v1/articles/skolestart/versions/1/restore", NULL, NULL);
	tu_expect_problem(&r, 428, "version-required", "version");
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->ed1, NULL, "POST",
		    "/api/v1/articles/skolestart/versions/1/restore",
		    "{\"version\":2}", NULL);
	tu_expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	const char *stale[] = { "If-Match: \"1\"", NULL };
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST",
		    "/api/v1/articles/skolestart/versions/1/restore", NULL, stale);
	tu_expect_problem(&r, 409, "article-changed", "version");
	tu_resp_free(&r);
	assert_int_equal(count(c, "SELECT version FROM articles WHERE slug = "
				  "'skolestart'"), 2);
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST",
		    "/api/v1/articles/skolestart/versions/1/restore",
		    "{\"version\":2}", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")), 3);
	assert_true(json_is_true(json_object_get(r.json, "restored")));
	assert_string_equal(json_string_value(json_object_get(r.json, "body")),
			    "Når barnet starter i skole.");
	tu_resp_free(&r);
	/* the same request again: done already, nothing written */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST",
		    "/api/v1/articles/skolestart/versions/1/restore",
		    "{\"version\":2}", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")), 3);
	assert_true(json_is_false(json_object_get(r.json, "restored")));
	tu_resp_free(&r);
	assert_int_equal(count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'article' AND action = 'restore'"), 1);
	/* another municipality's editor may not restore a local article */
	r = tu_call(c->s.base, c->ed1, c->ed1_csrf, "POST", "/api/v1/articles",
		    "{\"slug\":\"lokal\",\"organisation\":\"901\",\"title\":"
		    "\"Lokal\",\"summary\":\"Lokalt\",\"body\":\"En.\"}", NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->ed2, c->ed2_csrf, "POST",
		    "/api/v1/articles/lokal/versions/1/restore?organisation=901",
		    "{\"version\":1}", NULL);
	assert_true(r.status == 404 || r.status == 403);
	tu_resp_free(&r);
	/* unknown version number syntax */
	r = get(c, c->ed1, "/api/v1/articles/skolestart/versions/x");
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_pin_holds_on_every_page, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			a_local_version_takes_the_pin_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(pins_are_removed_from_their_list,
						setup, teardown),
		cmocka_unit_test_setup_teardown(pins_over_the_api, setup,
						teardown),
		cmocka_unit_test_setup_teardown(synonyms_over_the_api, setup,
						teardown),
		cmocka_unit_test_setup_teardown(synonyms_removed_from_their_page,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			versions_and_restore_over_the_api, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
