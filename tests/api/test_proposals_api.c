/* test_proposals_api.c - s-edit (issue 13): the JSON door to proposals to
 * the shared knowledge base, over real HTTP: an agency's editor proposes
 * (201, Location), a proposal that changes nothing or names a stale
 * version is refused; the proposer may not accept it (403), nor anyone
 * anonymous (401) or without a session's CSRF token; a municipality's
 * editor accepts it against the version it saw (the article gets a
 * new version) and a second one is declined with a reason the proposer
 * reads; a decided proposal cannot be decided again (412). */
#include "testutil.h"

struct ctx {
	struct tu_server s;
	char ed1[200], ed1_csrf[80]; /* editor@901: the shared base's editor */
	char edu[200], edu_csrf[80]; /* editor@udk: an agency's editor */
};

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	tu_login(&c->s, "editor@901", c->ed1, sizeof(c->ed1), c->ed1_csrf,
		 sizeof(c->ed1_csrf));
	tu_login(&c->s, "editor@udk", c->edu, sizeof(c->edu), c->edu_csrf,
		 sizeof(c->edu_csrf));
	struct hh_article art = { .slug = "pas", .title = "Pas",
				  .summary = "Nyt pas", .body_md = "Bestil tid.",
				  .body_html = "<p>Bestil tid.</p>",
				  .keywords = "", .kle = "",
				  .audience = HH_AUDIENCE_CITIZEN,
				  .status = HH_STATUS_PUBLISHED,
				  .updated_by = "import" };
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
	assert_int_equal(c->s.store->article_insert(tx, &art), HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
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

static struct tu_resp call(struct ctx *c, const char *cookie, const char *csrf,
			   const char *method, const char *path,
			   const char *body)
{
	return tu_call(c->s.base, cookie, csrf, method, path, body, NULL);
}

static int64_t propose(struct ctx *c, const char *body_text)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"title\":\"Pas\",\"summary\":\"Nyt pas\",\"body\":\"%s\","
		 "\"note\":\"Ny frist\",\"version\":1}", body_text);
	struct tu_resp r = call(c, c->edu, c->edu_csrf, "POST",
				"/api/v1/articles/pas/proposals", body);
	assert_int_equal(r.status, 201);
	char loc[128];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	char want[64];
	snprintf(want, sizeof(want), "/api/v1/proposals/%lld", (long long)id);
	assert_string_equal(loc, want);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "open");
	assert_string_equal(json_string_value(json_object_get(r.json,
							      "proposer_name")),
			    "Ulla Editor");
	tu_resp_free(&r);
	return id;
}

static void propose_accept_decline(void **state)
{
	struct ctx *c = *state;
	/* refusals before anything is stored */
	struct tu_resp r = call(c, NULL, NULL, "POST",
				"/api/v1/articles/pas/proposals",
				"{\"title\":\"Pas\",\"summary\":\"S\",\"body\":\"B\","
				"\"version\":1}");
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = call(c, c->edu, "forkert", "POST", "/api/v1/articles/pas/proposals",
		 "{\"title\":\"Pas\",\"summary\":\"S\",\"body\":\"B\","
		 "\"version\":1}");
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	r = call(c, c->edu, c->edu_csrf, "POST",
		 "/api/v1/articles/pas/proposals",
		 "{\"title\":\"Pas\",\"summary\":\"Nyt pas\",\"body\":"
		 "\"Bestil tid.\",\"version\":1}");
	tu_expect_problem(&r, 400, "invalid-field", "unchanged");
	tu_resp_free(&r);
	r = call(c, c->edu, c->edu_csrf, "POST",
		 "/api/v1/articles/pas/proposals",
		 "{\"title\":\"Pas\",\"summary\":\"Nyt pas\",\"body\":\"X\","
		 "\"version\":3}");
	tu_expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);

	int64_t id = propose(c, "Bestil tid i god tid.");
	char path[96], acc[128], dec[128];
	snprintf(path, sizeof(path), "/api/v1/proposals/%lld", (long long)id);
	snprintf(acc, sizeof(acc), "%s/accept", path);
	snprintf(dec, sizeof(dec), "%s/decline", path);
	/* the proposer may not decide it */
	r = call(c, c->edu, c->edu_csrf, "POST", acc, "{\"version\":1}");
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	/* the shared base's editor sees it and accepts it */
	r = call(c, c->ed1, NULL, "GET", "/api/v1/proposals", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	tu_resp_free(&r);
	r = call(c, c->ed1, NULL, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json,
							    "article_version")),
			 1);
	tu_resp_free(&r);
	r = call(c, c->ed1, c->ed1_csrf, "POST", acc, "{\"version\":2}");
	tu_expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);
	r = call(c, c->ed1, c->ed1_csrf, "POST", acc, "{\"version\":1}");
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "accepted");
	assert_int_equal(json_integer_value(json_object_get(r.json,
							    "accepted_version")),
			 2);
	tu_resp_free(&r);
	r = call(c, NULL, NULL, "GET", "/api/v1/articles/pas", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "body")),
			    "Bestil tid i god tid.");
	tu_resp_free(&r);
	/* decided: not again */
	r = call(c, c->ed1, c->ed1_csrf, "POST", dec, "{\"reason\":\"Nej\"}");
	tu_expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);

	/* a proposal made against version 1 is stale now */
	r = call(c, c->edu, c->edu_csrf, "POST",
		 "/api/v1/articles/pas/proposals",
		 "{\"title\":\"Pas\",\"summary\":\"Nyt pas\",\"body\":\"Y\","
		 "\"version\":1}");
	tu_expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);
}

/* A proposal against the current version, declined. */
static void declined_with_a_reason(void **state)
{
	struct ctx *c = *state;
	int64_t id = propose(c, "Et forslag.");
	char path[96], dec[128];
	snprintf(path, sizeof(path), "/api/v1/proposals/%lld", (long long)id);
	snprintf(dec, sizeof(dec), "%s/decline", path);
	struct tu_resp r = call(c, c->ed1, c->ed1_csrf, "POST", dec,
				"{\"reason\":\"\"}");
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	r = call(c, c->ed1, c->ed1_csrf, "POST", dec,
		 "{\"reason\":\"Det gælder ikke alle kommuner.\"}");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	r = call(c, c->edu, NULL, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "declined");
	assert_string_equal(json_string_value(json_object_get(r.json, "reason")),
			    "Det gælder ikke alle kommuner.");
	tu_resp_free(&r);
	/* the article is as it was */
	r = call(c, NULL, NULL, "GET", "/api/v1/articles/pas", NULL);
	assert_string_equal(json_string_value(json_object_get(r.json, "body")),
			    "Bestil tid.");
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")),
			 1);
	tu_resp_free(&r);
	/* nobody signed in sees proposals */
	r = call(c, NULL, NULL, "GET", "/api/v1/proposals", NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(propose_accept_decline, setup,
						teardown),
		cmocka_unit_test_setup_teardown(declined_with_a_reason, setup,
						teardown),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests_name("api/proposals", tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
