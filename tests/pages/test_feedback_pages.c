/* test_feedback_pages.c - "Fandt du det, du søgte?" on the pages, over
 * real HTTP and without JavaScript: the form on a published citizen
 * article and on a search results page (also with no results), not on a
 * draft; a plain form post stores the answer and goes back to the page
 * with "Tak for dit svar" (the search is not logged a second time); a post
 * without the visit cookie, without an answer or from a session without
 * its CSRF token is refused in Danish with nothing stored; the way back
 * never leaves the site; and the editors' report shows the answers. */
#include "testutil.h"

#include "api/feedback_fixture.h"


static int setup(void **state)
{
	struct fb_ctx *c = fb_start(NULL);
	c->art = fb_article(c, "sundhedskort", "Sundhedskort", "",
			    HH_STATUS_PUBLISHED);
	c->draft = fb_article(c, "kladde", "Kladde", "", HH_STATUS_DRAFT);
	*state = c;
	return 0;
}

static struct tu_resp get(struct fb_ctx *c, const char *cookie, const char *path)
{
	return tu_call(c->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

static struct tu_resp post(struct fb_ctx *c, const char *cookie, const char *body)
{
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	return tu_call(c->s.base, cookie, NULL, "POST", "/feedback", body, form);
}


/* The hh_visit cookie the page set, as "hh_visit=..." in out. */
static void visit_cookie(struct tu_resp *r, char *out, size_t n)
{
	char setc[512];
	assert_true(tu_header(r, "Set-Cookie", setc, sizeof(setc)));
	assert_int_equal(strncmp(setc, "hh_visit=", 9), 0);
	snprintf(out, n, "%.*s", (int)strcspn(setc, ";"), setc);
}

/* A new visitor's first look at path: the hh_visit cookie it set, as
 * "hh_visit=..." in out. */
static void first_visit(struct fb_ctx *c, const char *path, char *out,
			size_t n)
{
	struct tu_resp r = get(c, NULL, path);
	visit_cookie(&r, out, n);
	tu_resp_free(&r);
}

/* Posts body with cookie: 303 to location (NULL: wherever). */
static void post_goes_back(struct fb_ctx *c, const char *cookie,
			   const char *body, const char *location)
{
	struct tu_resp r = post(c, cookie, body);
	assert_int_equal(r.status, 303);
	if (location) {
		char loc[256];
		assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
		assert_string_equal(loc, location);
	}
	tu_resp_free(&r);
}

/* The form's accessible parts, which every page with it has. */
static void has_form(const char *body)
{
	tu_expect_in(body, "<form class=\"feedback-form\" method=\"post\" "
			   "action=\"/feedback\"");
	tu_expect_in(body, "<fieldset>\n<legend>Fandt du det, du søgte?</legend>");
	tu_expect_in(body, "<label><input type=\"radio\" name=\"found\" "
			   "value=\"ja\" required> Ja</label>");
	tu_expect_in(body, "<label><input type=\"radio\" name=\"found\" "
			   "value=\"nej\"> Nej</label>");
	tu_expect_in(body, "<label for=\"feedback-comment\">");
	tu_expect_in(body, "id=\"feedback-comment\" name=\"comment\"");
	tu_expect_in(body, "Skriv ikke personlige oplysninger");
	tu_expect_in(body, "<button type=\"submit\" class=\"secondary\">Send svar"
			   "</button>");
}

static void the_form_is_on_articles_and_search_pages(void **state)
{
	struct fb_ctx *c = *state;
	struct tu_resp r = get(c, NULL, "/artikel/sundhedskort");
	assert_int_equal(r.status, 200);
	has_form(r.body);
	char want[128];
	snprintf(want, sizeof(want),
		 "<input type=\"hidden\" name=\"article_id\" value=\"%lld\">",
		 (long long)c->art);
	tu_expect_in(r.body, want);
	tu_expect_in(r.body, "name=\"back\" value=\"/artikel/sundhedskort\"");
	char cookie[128];
	visit_cookie(&r, cookie, sizeof(cookie));
	tu_resp_free(&r);
	/* a search with no results has it too, with its text */
	r = get(c, cookie, "/soeg?q=xyzzyqq");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Ingen resultater");
	has_form(r.body);
	tu_expect_in(r.body, "<input type=\"hidden\" name=\"q\" value=\"xyzzyqq\">");
	tu_expect_in(r.body, "name=\"back\" value=\"/soeg?q=xyzzyqq\"");
	tu_expect_not_in(r.body, "name=\"article_id\"");
	tu_resp_free(&r);
	/* a chosen municipality goes with the answer */
	char muni[200];
	snprintf(muni, sizeof(muni), "%s; hh_kommune=901", cookie);
	r = get(c, muni, "/soeg?q=pas");
	tu_expect_in(r.body, "name=\"municipality\" value=\"901\"");
	tu_resp_free(&r);
	/* a draft, which only its editors see, asks nothing */
	r = get(c, c->editor, "/artikel/kladde");
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, "feedback-form");
	tu_resp_free(&r);
	/* a search page without a search asks nothing */
	r = get(c, NULL, "/soeg");
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, "feedback-form");
	tu_resp_free(&r);
}

static void a_plain_post_is_thanked_in_danish(void **state)
{
	struct fb_ctx *c = *state;
	char cookie[128];
	first_visit(c, "/artikel/sundhedskort", cookie, sizeof(cookie));
	struct tu_resp r;
	char body[512];
	snprintf(body, sizeof(body),
		 "page=article&article_id=%lld&back=%%2Fartikel%%2Fsundhedskort"
		 "&found=nej&comment=Mangler+pris%%2C+skriv+til+a%%40b.dk",
		 (long long)c->art);
	post_goes_back(c, cookie, body, "/artikel/sundhedskort?tak=1#feedback");
	assert_int_equal(fb_count(c, "SELECT count(*) FROM feedback WHERE found = 0 "
				  "AND comment = 'Mangler pris, skriv til "
				  "[fjernet]'"),
			 1);
	/* the page comes back with the thanks instead of the form, and is
	 * not counted as another view */
	r = get(c, cookie, "/artikel/sundhedskort?tak=1");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "role=\"status\">Tak for dit svar.</p>");
	tu_expect_not_in(r.body, "feedback-form");
	tu_resp_free(&r);
	/* the same answer again (a reload of the post): thanked, not stored */
	post_goes_back(c, cookie, body, NULL);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM feedback"), 1);

	/* a search page: back to the same search, not logged again */
	r = get(c, cookie, "/soeg?q=xyzzyqq");
	tu_resp_free(&r);
	assert_int_equal(hh_searchlog_flush(c->s.store), HH_OK);
	int64_t searches = fb_count(c, "SELECT count(*) FROM search_log");
	post_goes_back(c, cookie, "page=search&q=xyzzyqq&back=%2Fsoeg%3Fq%3Dxyzzyqq"
				  "&found=ja&comment=",
		       "/soeg?q=xyzzyqq&tak=1#feedback");
	r = get(c, cookie, "/soeg?q=xyzzyqq&tak=1");
	tu_expect_in(r.body, "Tak for dit svar.");
	tu_expect_in(r.body, "Ingen resultater");
	tu_resp_free(&r);
	assert_int_equal(hh_searchlog_flush(c->s.store), HH_OK);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM search_log"), searches);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM feedback WHERE page = "
				  "'search' AND query = 'xyzzyqq' AND found = 1 "
				  "AND comment IS NULL"),
			 1);
}

static void refused_posts_store_nothing(void **state)
{
	struct fb_ctx *c = *state;
	char cookie[128];
	first_visit(c, "/artikel/sundhedskort", cookie, sizeof(cookie));
	struct tu_resp r;
	char body[256];
	snprintf(body, sizeof(body),
		 "page=article&article_id=%lld&back=%%2Fartikel%%2Fsundhedskort"
		 "&found=ja",
		 (long long)c->art);
	/* no visit cookie: as a form posted from another site */
	r = post(c, NULL, body);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "<h1>Dit svar blev ikke gemt</h1>");
	tu_expect_in(r.body, "cookie");
	tu_expect_in(r.body, "href=\"/artikel/sundhedskort#feedback\"");
	tu_resp_free(&r);
	/* no answer chosen */
	snprintf(body, sizeof(body),
		 "page=article&article_id=%lld&back=%%2Fartikel%%2Fsundhedskort",
		 (long long)c->art);
	r = post(c, cookie, body);
	assert_int_equal(r.status, 422);
	tu_expect_in(r.body, "Vælg Ja eller Nej");
	tu_resp_free(&r);
	/* a draft */
	snprintf(body, sizeof(body), "page=article&article_id=%lld&found=ja",
		 (long long)c->draft);
	r = post(c, cookie, body);
	assert_int_equal(r.status, 422);
	tu_resp_free(&r);
	/* a signed-in editor without the session's CSRF token */
	snprintf(body, sizeof(body),
		 "page=article&article_id=%lld&found=ja&back=%%2Fartikel%%2Fsundhedskort",
		 (long long)c->art);
	char both[400];
	snprintf(both, sizeof(both), "%s; %s", c->editor, cookie);
	r = post(c, both, body);
	assert_int_equal(r.status, 403);
	tu_expect_in(r.body, "Sikkerhedsnøglen");
	tu_resp_free(&r);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM feedback"), 0);
	/* with it: stored, as anonymous as anyone's */
	char with[400];
	snprintf(with, sizeof(with), "%s&csrf=%s", body, c->csrf);
	post_goes_back(c, both, with, NULL);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'feedback' AND actor = 'anonymous'"),
			 1);
	/* the way back never leaves the site */
	const char *away[] = { "https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example",
			       "%2Fartikel%2F..%2F%2Fevil.example",
			       "%2Fsoeg%3Fq%3Da%0d%0aSet-Cookie%3A+x%3Dy" };
	for (size_t i = 0; i < sizeof(away) / sizeof(away[0]); i++) {
		char q[300];
		snprintf(q, sizeof(q), "page=search&q=flyt%zu&found=ja&back=%s", i,
			 away[i]);
		post_goes_back(c, cookie, q, "/?tak=1#feedback");
	}
}

static void the_editors_report_shows_the_answers(void **state)
{
	struct fb_ctx *c = *state;
	char cookie[128];
	first_visit(c, "/artikel/sundhedskort", cookie, sizeof(cookie));
	char body[256];
	snprintf(body, sizeof(body),
		 "page=article&article_id=%lld&found=nej&municipality=901"
		 "&comment=Hvor+s%%C3%%B8ger+jeg%%3F",
		 (long long)c->art);
	post_goes_back(c, cookie, body, NULL);
	struct tu_resp r = get(c, c->editor, "/personale/soegninger");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<h2 id=\"fandt\">Fandt du det, du søgte?</h2>");
	tu_expect_in(r.body, "<caption>Svar pr. artikel</caption>");
	tu_expect_in(r.body, "<a href=\"/artikel/sundhedskort\">Sundhedskort</a>"
			     "</th><td>0</td><td>1</td><td>0 %</td>");
	tu_expect_in(r.body, "<li>(Nej) Hvor søger jeg?</li>");
	tu_resp_free(&r);
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			the_form_is_on_articles_and_search_pages, setup, fb_stop),
		cmocka_unit_test_setup_teardown(a_plain_post_is_thanked_in_danish,
						setup, fb_stop),
		cmocka_unit_test_setup_teardown(refused_posts_store_nothing, setup,
						fb_stop),
		cmocka_unit_test_setup_teardown(the_editors_report_shows_the_answers,
						setup, fb_stop),
	};
	int rc = cmocka_run_group_tests_name("pages/feedback", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
