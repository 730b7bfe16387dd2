/* test_feedback_api.c - "Fandt du det, du søgte?" over real HTTP: POST
 * /api/v1/feedback good and bad (malformed JSON, an unknown field, found
 * missing, a too long comment, broken UTF-8, a wrong article, the wrong
 * media type, an unknown municipality, a missing CSRF token) with the
 * problem+json each gets; a replay by the same visit (200, the first
 * answer, nothing written); the hh_visit cookie's attributes; the visit
 * written into search_log and chats, and never into the request log; and
 * GET /api/v1/feedback-report for editors only. */
#include "testutil.h"

#include <fcntl.h>

#include "api/feedback_fixture.h"
#include "domain/feedback.h"

#define VISIT "00112233445566778899aabbccddeeff"


/* the request log on, as `helhed serve` without --quiet */
static void log_on(struct hh_server_config *cfg)
{
	cfg->log_requests = 1;
}

static int setup_cfg(void **state, void (*tweak)(struct hh_server_config *))
{
	struct fb_ctx *c = fb_start(tweak);
	tu_login(&c->s, "agent@901", c->agent, sizeof(c->agent), c->acsrf,
		 sizeof(c->acsrf));
	c->art = fb_article(c, "sundhedskort", "sundhedskort", "29.09.02",
			    HH_STATUS_PUBLISHED);
	c->draft = fb_article(c, "kladde", "kladde", "", HH_STATUS_DRAFT);
	*state = c;
	return 0;
}

static int setup(void **state)
{
	return setup_cfg(state, NULL);
}

/* with the request log, for the test that reads it */
static int setup_log(void **state)
{
	return setup_cfg(state, log_on);
}

static struct tu_resp post(struct fb_ctx *c, const char *cookie, const char *body)
{
	return tu_call(c->s.base, cookie, NULL, "POST", "/api/v1/feedback", body,
		       NULL);
}


static void good_answers_are_stored_and_a_replay_is_not(void **state)
{
	struct fb_ctx *c = *state;
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"found\":false,\"page\":\"article\",\"article_id\":%lld,"
		 "\"comment\":\"  Ring på 12 34 56 78  \",\"municipality\":\"901\"}",
		 (long long)c->art);
	struct tu_resp r = post(c, "hh_visit=" VISIT, body);
	assert_int_equal(r.status, 201);
	json_int_t id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(id > 0);
	assert_true(json_is_false(json_object_get(r.json, "found")));
	assert_true(json_is_false(json_object_get(r.json, "already_recorded")));
	assert_string_equal(json_string_value(json_object_get(r.json, "comment")),
			    "Ring på [fjernet]");
	assert_int_equal(json_integer_value(json_object_get(r.json, "article_id")),
			 c->art);
	tu_resp_free(&r);
	/* the same visit again, now saying yes: 200, the first answer */
	snprintf(body, sizeof(body),
		 "{\"found\":true,\"page\":\"article\",\"article_id\":%lld}",
		 (long long)c->art);
	r = post(c, "hh_visit=" VISIT, body);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "id")), id);
	assert_true(json_is_false(json_object_get(r.json, "found")));
	assert_true(json_is_true(json_object_get(r.json, "already_recorded")));
	tu_resp_free(&r);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM feedback"), 1);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'feedback'"),
			 1);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM feedback WHERE visit = '"
				  VISIT "' AND municipality_id IS NOT NULL"),
			 1);
	/* a search page, anonymous without a visit: stored, no visit */
	r = post(c, NULL, "{\"found\":true,\"page\":\"search\",\"query\":\"pas\","
			  "\"comment\":null}");
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "query")),
			    "pas");
	tu_resp_free(&r);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM feedback WHERE page = "
				  "'search' AND visit IS NULL"),
			 1);
	/* a signed-in staff member with the CSRF token: stored as anonymous */
	r = tu_call(c->s.base, c->editor, c->csrf, "POST", "/api/v1/feedback",
		    "{\"found\":true,\"page\":\"search\",\"query\":\"flytning\"}",
		    NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'feedback' AND actor = 'anonymous'"),
			 3);
}

static void bad_answers_get_problem_json(void **state)
{
	struct fb_ctx *c = *state;
	struct tu_resp r = post(c, NULL, "{\"found\":true,");
	tu_expect_problem(&r, 400, "bad-json", NULL);
	tu_resp_free(&r);
	r = post(c, NULL, "{\"found\":true,\"page\":\"search\",\"query\":\"pas\","
			  "\"name\":\"Jens\"}");
	tu_expect_problem(&r, 400, "unknown-field", "name");
	tu_resp_free(&r);
	r = post(c, NULL, "{\"page\":\"search\",\"query\":\"pas\"}");
	tu_expect_problem(&r, 400, "missing-field", "found");
	tu_resp_free(&r);
	r = post(c, NULL, "{\"found\":\"ja\",\"page\":\"search\",\"query\":\"pas\"}");
	tu_expect_problem(&r, 400, "invalid-field", "found");
	tu_resp_free(&r);
	/* 501 characters */
	struct hh_buf b;
	hh_buf_init(&b);
	hh_buf_puts(&b, "{\"found\":false,\"page\":\"search\",\"query\":\"pas\","
			"\"comment\":\"");
	for (int i = 0; i < 501; i++)
		hh_buf_puts(&b, "å");
	hh_buf_puts(&b, "\"}");
	r = post(c, NULL, hh_buf_str(&b));
	tu_expect_problem(&r, 400, "invalid-field", "comment");
	tu_resp_free(&r);
	hh_buf_clear(&b);
	r = post(c, NULL, "{\"found\":false,\"page\":\"search\",\"query\":\"pas\","
			  "\"comment\":\"d\xc3\x28rligt\"}");
	tu_expect_problem(&r, 400, "bad-utf8", NULL);
	tu_resp_free(&r);
	char body[256];
	snprintf(body, sizeof(body),
		 "{\"found\":true,\"page\":\"article\",\"article_id\":%lld}",
		 (long long)c->draft);
	r = post(c, NULL, body);
	tu_expect_problem(&r, 400, "invalid-field", "article_id");
	tu_resp_free(&r);
	r = post(c, NULL, "{\"found\":true,\"page\":\"article\",\"article_id\":987654}");
	tu_expect_problem(&r, 400, "invalid-field", "article_id");
	tu_resp_free(&r);
	r = post(c, NULL, "{\"found\":true,\"page\":\"article\"}");
	tu_expect_problem(&r, 400, "invalid-field", "article_id");
	tu_resp_free(&r);
	snprintf(body, sizeof(body),
		 "{\"found\":true,\"page\":\"search\",\"article_id\":%lld}",
		 (long long)c->art);
	r = post(c, NULL, body);
	tu_expect_problem(&r, 400, "invalid-field", "article_id");
	tu_resp_free(&r);
	r = post(c, NULL, "{\"found\":true,\"page\":\"forside\"}");
	tu_expect_problem(&r, 400, "invalid-field", "page");
	tu_resp_free(&r);
	r = post(c, NULL, "{\"found\":true,\"page\":\"search\",\"query\":\"pas\","
			  "\"municipality\":\"udk\"}");
	tu_expect_problem(&r, 400, "unknown-organisation", "municipality");
	tu_resp_free(&r);
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	r = tu_call(c->s.base, NULL, NULL, "POST", "/api/v1/feedback",
		    "found=ja&page=search&query=pas", form);
	tu_expect_problem(&r, 415, "unsupported-media-type", NULL);
	tu_resp_free(&r);
	/* a session without its CSRF token */
	const char *bad[] = { "X-CSRF-Token: wrong", NULL };
	r = tu_call(c->s.base, c->editor, NULL, "POST", "/api/v1/feedback",
		    "{\"found\":true,\"page\":\"search\",\"query\":\"pas\"}", bad);
	tu_expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM feedback"), 0);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM events WHERE entity = "
				  "'feedback'"),
			 0);
}

/* Runs GET path with stderr (where the request log goes) into a file;
 * returns the response and the log written meanwhile (new). */
static struct tu_resp logged_get(struct fb_ctx *c, const char *path,
				 const char *cookie, char **log)
{
	char file[4300];
	snprintf(file, sizeof(file), "%s/stderr.txt", c->s.dir);
	fflush(stderr);
	int saved = dup(2);
	int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, 2);
	close(fd);
	char url[512];
	snprintf(url, sizeof(url), "%s%s", c->s.base, path);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, cookie);
	/* the log line is written when the request completes, just after
	 * the answer: wait for it (a guard, not a timing assumption) */
	char want[256];
	snprintf(want, sizeof(want), "\"path\":\"%.*s\"",
		 (int)strcspn(path, "?"), path);
	char *text = NULL;
	for (int i = 0; i < 200; i++) {
		free(text);
		text = tu_read(file);
		if (text && strstr(text, want))
			break;
		usleep(25 * 1000);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*log = text;
	return r;
}

static void the_visit_is_set_logged_with_searches_and_never_in_the_log(void **state)
{
	struct fb_ctx *c = *state;
	char *log = NULL;
	struct tu_resp r = logged_get(c, "/soeg?q=sundhedskort", NULL, &log);
	assert_int_equal(r.status, 200);
	char setc[512];
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	/* hh_visit=<32 hex>; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400 */
	assert_int_equal(strncmp(setc, "hh_visit=", 9), 0);
	char visit[64];
	snprintf(visit, sizeof(visit), "%.*s", (int)strcspn(setc + 9, ";"),
		 setc + 9);
	assert_int_equal(strlen(visit), 32);
	assert_true(hh_searchlog_visit_valid(visit));
	tu_expect_in(setc, "; Path=/;");
	tu_expect_in(setc, "HttpOnly; SameSite=Lax");
	tu_expect_in(setc, "Max-Age=86400");
	tu_expect_not_in(setc, "Secure");
	/* the request was logged, without the visit */
	assert_non_null(log);
	tu_expect_in(log, "\"path\":\"/soeg\"");
	tu_expect_not_in(log, visit);
	free(log);
	tu_resp_free(&r);
	/* the search log row carries it */
	assert_int_equal(hh_searchlog_flush(c->s.store), HH_OK);
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM search_log WHERE visit = '%s' AND "
		 "query = 'sundhedskort'",
		 visit);
	assert_int_equal(fb_count(c, sql), 1);

	/* a browser that has one keeps it: no new cookie, and its searches
	 * (page and API) and its article pages log it */
	char cookie[128];
	snprintf(cookie, sizeof(cookie), "hh_visit=%s", visit);
	r = logged_get(c, "/api/v1/search?q=pas", cookie, &log);
	assert_int_equal(r.status, 200);
	assert_false(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	tu_expect_in(log, "\"path\":\"/api/v1/search\"");
	tu_expect_not_in(log, visit);
	free(log);
	tu_resp_free(&r);
	r = logged_get(c, "/artikel/sundhedskort", cookie, &log);
	assert_int_equal(r.status, 200);
	assert_false(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	tu_expect_not_in(log, visit);
	free(log);
	tu_resp_free(&r);
	assert_int_equal(hh_searchlog_flush(c->s.store), HH_OK);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM search_log WHERE visit = '%s'", visit);
	assert_int_equal(fb_count(c, sql), 2);
	/* a forged cookie is not a visit: a new one is set, the forged
	 * value is kept nowhere */
	char url[256];
	snprintf(url, sizeof(url), "%s/soeg?q=flytning", c->s.base);
	r = tu_http("GET", url, NULL, NULL, "hh_visit=' OR 1=1 --");
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	assert_int_equal(strncmp(setc, "hh_visit=", 9), 0);
	tu_resp_free(&r);
	assert_int_equal(hh_searchlog_flush(c->s.store), HH_OK);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM search_log WHERE visit "
				  "LIKE '%OR%'"),
			 0);
	/* behind TLS the cookie is Secure, as the other cookies */
	c->s.app.secure_cookies = 1;
	r = tu_http("GET", url, NULL, NULL, NULL);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	tu_expect_in(setc, "; Secure");
	tu_resp_free(&r);
	c->s.app.secure_cookies = 0;
}

static void a_chat_started_from_a_browser_keeps_its_visit(void **state)
{
	struct fb_ctx *c = *state;
	struct tu_resp r = tu_call(c->s.base, "hh_visit=" VISIT, NULL, "POST",
				   "/api/v1/chats",
				   "{\"organisation\":\"901\",\"topic\":\"pas\"}",
				   NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM chats WHERE visit = '"
				  VISIT "'"),
			 1);
	r = tu_call(c->s.base, NULL, NULL, "POST", "/api/v1/chats",
		    "{\"organisation\":\"901\"}", NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	assert_int_equal(fb_count(c, "SELECT count(*) FROM chats WHERE visit IS NULL"),
			 1);
}

static void the_report_is_for_editors(void **state)
{
	struct fb_ctx *c = *state;
	char body[256];
	snprintf(body, sizeof(body),
		 "{\"found\":false,\"page\":\"article\",\"article_id\":%lld,"
		 "\"comment\":\"mangler priser\",\"municipality\":\"901\"}",
		 (long long)c->art);
	struct tu_resp r = post(c, "hh_visit=" VISIT, body);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	snprintf(body, sizeof(body),
		 "{\"found\":true,\"page\":\"article\",\"article_id\":%lld}",
		 (long long)c->art);
	r = post(c, NULL, body);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->editor, NULL, "GET", "/api/v1/feedback-report",
		    NULL, NULL);
	assert_int_equal(r.status, 200);
	json_t *pages = json_object_get(r.json, "pages");
	assert_int_equal(json_array_size(pages), 1);
	json_t *p = json_array_get(pages, 0);
	assert_int_equal(json_integer_value(json_object_get(p, "article_id")),
			 c->art);
	assert_string_equal(json_string_value(json_object_get(p, "slug")),
			    "sundhedskort");
	assert_int_equal(json_integer_value(json_object_get(p, "yes")), 1);
	assert_int_equal(json_integer_value(json_object_get(p, "no")), 1);
	assert_true(json_real_value(json_object_get(p, "share")) == 0.5);
	json_t *cm = json_object_get(p, "comments");
	assert_int_equal(json_array_size(cm), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(cm, 0), "comment")),
			    "mangler priser");
	tu_resp_free(&r);
	r = tu_call(c->s.base, NULL, NULL, "GET", "/api/v1/feedback-report", NULL,
		    NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->agent, NULL, "GET", "/api/v1/feedback-report",
		    NULL, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	assert_string_equal(json_string_value(json_object_get(r.json, "detail")),
			    "the feedback report is for editors and managers");
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->editor, NULL, "GET",
		    "/api/v1/feedback-report?days=0", NULL, NULL);
	tu_expect_problem(&r, 400, "invalid-parameter", "days");
	tu_resp_free(&r);
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			good_answers_are_stored_and_a_replay_is_not, setup, fb_stop),
		cmocka_unit_test_setup_teardown(bad_answers_get_problem_json, setup,
						fb_stop),
		cmocka_unit_test_setup_teardown(
			the_visit_is_set_logged_with_searches_and_never_in_the_log,
			setup_log, fb_stop),
		cmocka_unit_test_setup_teardown(
			a_chat_started_from_a_browser_keeps_its_visit, setup,
			fb_stop),
		cmocka_unit_test_setup_teardown(the_report_is_for_editors, setup,
						fb_stop),
	};
	int rc = cmocka_run_group_tests_name("api/feedback", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
