/* test_webhooks_api.c - x-hooks (issue 15): /api/v1/webhooks over real
 * HTTP: an organisation's admin creates, lists and deletes webhook
 * subscriptions and reads their deliveries; bad input gets a
 * problem+json naming the field; nobody else sees or touches them. The
 * deliveries themselves (signatures, retries, restarts, what a
 * subscriber sees) are tested in tests/domain/test_webhooks.c. */
#include "testutil.h"

#include "app/hooks.h"
#include "domain/auth.h"
#include "domain/content.h"
#include "domain/webhooks.h"

struct ctx {
	struct tu_server s;
	char admin_a[HH_TOKEN_CHARS], admin_b[HH_TOKEN_CHARS],
		editor_a[HH_TOKEN_CHARS];
	char h_admin_a[128], h_admin_b[128], h_editor_a[128];
};

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	assert_int_equal(hh_auth_token_add(c->s.store, "901", "hooks",
					   HH_ROLE_ADMIN, "test", c->admin_a),
			 HH_OK);
	assert_int_equal(hh_auth_token_add(c->s.store, "902", "hooks",
					   HH_ROLE_ADMIN, "test", c->admin_b),
			 HH_OK);
	assert_int_equal(hh_auth_token_add(c->s.store, "901", "ed",
					   HH_ROLE_EDITOR, "test", c->editor_a),
			 HH_OK);
	snprintf(c->h_admin_a, sizeof(c->h_admin_a), "Authorization: Bearer %s",
		 c->admin_a);
	snprintf(c->h_admin_b, sizeof(c->h_admin_b), "Authorization: Bearer %s",
		 c->admin_b);
	snprintf(c->h_editor_a, sizeof(c->h_editor_a),
		 "Authorization: Bearer %s", c->editor_a);
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

static struct tu_resp call(struct ctx *c, const char *auth, const char *method,
			   const char *path, const char *body)
{
	const char *h[] = { auth, NULL };
	return tu_call(c->s.base, NULL, NULL, method, path, body,
		       auth ? h : NULL);
}

static void problem(struct ctx *c, const char *auth, const char *body,
		    long status, const char *code, const char *field)
{
	struct tu_resp r = call(c, auth, "POST", "/api/v1/webhooks", body);
	tu_expect_problem(&r, status, code, field);
	tu_resp_free(&r);
}

static void t_bad_input_is_a_problem(void **state)
{
	struct ctx *c = *state;
	problem(c, c->h_admin_a,
		"{\"url\":\"http://example.org/h\",\"events\":[\"case.submitted\"]}",
		400, "invalid-field", "url");
	/* loopback over http only with the server's option */
	problem(c, c->h_admin_a,
		"{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"case.submitted\"]}",
		400, "invalid-field", "url");
	problem(c, c->h_admin_a,
		"{\"url\":\"https://example.org/h\",\"events\":[\"case.gone\"]}",
		400, "invalid-field", "events");
	problem(c, c->h_admin_a,
		"{\"url\":\"https://example.org/h\",\"events\":[]}",
		400, "invalid-field", "events");
	problem(c, c->h_admin_a,
		"{\"url\":\"https://example.org/h\",\"events\":[\"case.submitted\"],"
		"\"secret\":\"mine\"}",
		400, "unknown-field", "secret");
	problem(c, c->h_admin_a, "{\"events\":[\"case.submitted\"]}", 400,
		"missing-field", "url");
	problem(c, c->h_editor_a,
		"{\"url\":\"https://example.org/h\",\"events\":[\"case.submitted\"]}",
		403, "forbidden", NULL);
	problem(c, NULL,
		"{\"url\":\"https://example.org/h\",\"events\":[\"case.submitted\"]}",
		401, "auth-required", NULL);
	/* nothing was written */
	struct tu_resp r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
	c->s.app.webhooks_allow_http = 1;
	r = call(c, c->h_admin_a, "POST", "/api/v1/webhooks",
		 "{\"url\":\"http://127.0.0.1:9/h\",\"events\":[\"case.submitted\"]}");
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
}

static enum hh_rc append_tx(struct hh_tx *tx, void *p)
{
	struct hh_event *e = p;
	return tx->store->event_append(tx, e);
}

/* x-fix: a URL with bytes past ASCII is refused (punycode is the way);
 * one stored before that (broken UTF-8 from the staff form) is still
 * listed, percent-encoded, instead of vanishing from the list. */
static void t_non_ascii_url(void **state)
{
	struct ctx *c = *state;
	problem(c, c->h_admin_a,
		"{\"url\":\"https://esdh.n\xc3\xb8rdskov.dk/h\","
		"\"events\":[\"case.submitted\"]}",
		400, "invalid-field", "url");
	struct tu_resp r = call(c, c->h_admin_a, "POST", "/api/v1/webhooks",
				"{\"url\":\"https://esdh.xn--nrdskov-r1a.dk/h\","
				"\"events\":[\"case.submitted\"]}");
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	if (tu_on_pg()) /* PostgreSQL stores no broken UTF-8 at all */
		return;
	free(tu_sql(c->s.dir, "UPDATE webhook_subscriptions SET url = "
			      "CAST(X'68747470733A2F2F6EF8722E646B2F68' AS TEXT)",
		    0, NULL));
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks", NULL);
	assert_int_equal(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(items, 0), "url")),
			    "https://n%F8r.dk/h");
	tu_resp_free(&r);
}

static void t_create_list_deliveries_delete(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = call(c, c->h_admin_a, "POST", "/api/v1/webhooks",
				"{\"url\":\"https://hooks.example.org/helhed\","
				"\"events\":[\"case.submitted\",\"article.changed\"]}");
	assert_int_equal(r.status, 201);
	const char *secret = json_string_value(json_object_get(r.json, "secret"));
	assert_non_null(secret);
	assert_true(!strncmp(secret, "whsec_", 6));
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	json_t *ev = json_object_get(r.json, "events");
	assert_int_equal(json_array_size(ev), 2);
	assert_string_equal(json_string_value(json_array_get(ev, 1)),
			    "article.changed");
	tu_resp_free(&r);

	/* listed to its organisation, without the secret; not to another */
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks", NULL);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *it = json_array_get(items, 0);
	assert_null(json_object_get(it, "secret"));
	assert_string_equal(json_string_value(json_object_get(it, "url")),
			    "https://hooks.example.org/helhed");
	assert_true(json_is_true(json_object_get(it, "active")));
	tu_resp_free(&r);
	r = call(c, c->h_admin_b, "GET", "/api/v1/webhooks", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);

	/* an event: its delivery, pending, listed with its status */
	struct hh_org org;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_store_org_by_code(c->s.store, &a, "901", &org),
			 HH_OK);
	struct hh_event e = { .actor = "test", .org_id = org.id,
			      .entity = "case", .entity_id = 77,
			      .action = "submit",
			      .after = "{\"state\":\"received\"}" };
	assert_int_equal(hh_store_run_tx(c->s.store, 1, append_tx, &e), HH_OK);
	hh_arena_clear(&a);
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks/deliveries", NULL);
	assert_int_equal(r.status, 200);
	items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	it = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(it, "state")),
			    "pending");
	assert_string_equal(json_string_value(json_object_get(it, "type")),
			    "case.submitted");
	assert_int_equal(json_integer_value(json_object_get(it, "attempts")), 0);
	assert_int_equal(json_integer_value(json_object_get(it, "subscription_id")),
			 id);
	assert_true(json_is_null(json_object_get(it, "last_response_code")));
	assert_true(json_is_string(json_object_get(it, "next_attempt_at")));
	tu_resp_free(&r);
	r = call(c, c->h_admin_b, "GET", "/api/v1/webhooks/deliveries", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET",
		 "/api/v1/webhooks/deliveries?subscription=x", NULL);
	tu_expect_problem(&r, 400, "invalid-field", "subscription");
	tu_resp_free(&r);
	r = call(c, c->h_editor_a, "GET", "/api/v1/webhooks/deliveries", NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);

	/* paused and resumed by its own organisation only */
	char ppath[64];
	snprintf(ppath, sizeof(ppath), "/api/v1/webhooks/%lld", (long long)id);
	r = call(c, c->h_admin_b, "PATCH", ppath, "{\"active\":false}");
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "PATCH", ppath, "{\"active\":\"nej\"}");
	tu_expect_problem(&r, 400, "invalid-field", "active");
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "PATCH", ppath, "{\"active\":false}");
	assert_int_equal(r.status, 204);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks", NULL);
	assert_true(json_is_false(json_object_get(
		json_array_get(json_object_get(r.json, "items"), 0), "active")));
	tu_resp_free(&r);

	/* deleted by its own organisation only */
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/webhooks/%lld", (long long)id);
	r = call(c, c->h_admin_b, "DELETE", path, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "DELETE", path, NULL);
	assert_int_equal(r.status, 204);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "DELETE", path, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks/deliveries", NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
}

/* The domain's own events match: an article an editor writes through
 * the API gives the admin's subscription an article.changed delivery. */
static void t_a_real_article_change_is_queued(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = call(c, c->h_admin_a, "POST", "/api/v1/webhooks",
				"{\"url\":\"https://hooks.example.org/a\","
				"\"events\":[\"article.changed\"]}");
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	r = call(c, c->h_editor_a, "POST", "/api/v1/articles",
		 "{\"slug\":\"hook-artikel\",\"title\":\"Hook\","
		 "\"summary\":\"Et kort resumé af artiklen.\","
		 "\"body\":\"Brødtekst.\",\"keywords\":[\"a\",\"b\"],"
		 "\"kle\":\"23.05.00\",\"audience\":\"citizen\","
		 "\"status\":\"published\",\"organisation\":\"901\"}");
	if (r.status != 201)
		fprintf(stderr, "article: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks/deliveries", NULL);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(
				    json_array_get(items, 0), "type")),
			    "article.changed");
	tu_resp_free(&r);
}

/* The staff page: the admin's subscriptions and deliveries in Danish;
 * others are refused, the anonymous sent to sign in. */
static void t_the_staff_page(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = call(c, c->h_admin_a, "POST", "/api/v1/webhooks",
				"{\"url\":\"https://hooks.example.org/<side>\","
				"\"events\":[\"case.submitted\"]}");
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	struct hh_org org;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_store_org_by_code(c->s.store, &a, "901", &org),
			 HH_OK);
	struct hh_event e = { .actor = "test", .org_id = org.id,
			      .entity = "case", .entity_id = 5,
			      .action = "submit",
			      .after = "{\"state\":\"received\"}" };
	assert_int_equal(hh_store_run_tx(c->s.store, 1, append_tx, &e), HH_OK);
	hh_arena_clear(&a);
	r = call(c, c->h_admin_a, "GET", "/personale/webhooks", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "https://hooks.example.org/&lt;side&gt;"));
	assert_null(strstr(r.body, "<side>"));
	assert_non_null(strstr(r.body, "<td>Venter</td>"));
	assert_non_null(strstr(r.body, "case.submitted"));
	tu_resp_free(&r);
	r = call(c, c->h_admin_b, "GET", "/personale/webhooks", NULL);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "hooks.example.org"));
	assert_non_null(strstr(r.body, "ingen abonnementer"));
	tu_resp_free(&r);
	r = call(c, c->h_editor_a, "GET", "/personale/webhooks", NULL);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	r = call(c, NULL, "GET", "/personale/webhooks", NULL);
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
}

/* x-hooks2: PATCH of URL, events and active (checked as at subscribe),
 * a new secret shown once, a test event queued and listed under the
 * subscription's own deliveries; another organisation's is a 404. */
static void t_change_rotate_test(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = call(c, c->h_admin_a, "POST", "/api/v1/webhooks",
				"{\"url\":\"https://hooks.example.org/a\","
				"\"events\":[\"case.submitted\"]}");
	assert_int_equal(r.status, 201);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	char first[128];
	snprintf(first, sizeof(first), "%s",
		 json_string_value(json_object_get(r.json, "secret")));
	assert_true(json_is_null(json_object_get(r.json,
						 "previous_secret_until")));
	tu_resp_free(&r);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/webhooks/%lld", (long long)id);
	/* a literal address inside the network, at subscribe and at PATCH */
	problem(c, c->h_admin_a,
		"{\"url\":\"https://169.254.169.254/latest\","
		"\"events\":[\"case.submitted\"]}", 400, "invalid-field", "url");
	const char *bad[][3] = {
		{ "{\"url\":\"https://10.0.0.7/h\"}", "invalid-field", "url" },
		{ "{\"url\":\"https://[::1]/h\"}", "invalid-field", "url" },
		{ "{\"events\":[\"case.gone\"]}", "invalid-field", "events" },
		{ "{\"events\":[]}", "invalid-field", "events" },
		{ "{\"secret\":\"x\"}", "unknown-field", "secret" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		r = call(c, c->h_admin_a, "PATCH", path, bad[i][0]);
		tu_expect_problem(&r, 400, bad[i][1], bad[i][2]);
		tu_resp_free(&r);
	}
	r = call(c, c->h_admin_a, "PATCH", path,
		 "{\"url\":\"https://hooks.example.org/b\","
		 "\"events\":[\"letter.sent\",\"article.changed\"]}");
	assert_int_equal(r.status, 204);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks", NULL);
	json_t *it = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "url")),
			    "https://hooks.example.org/b");
	json_t *ev = json_object_get(it, "events");
	assert_int_equal(json_array_size(ev), 2);
	assert_string_equal(json_string_value(json_array_get(ev, 0)),
			    "letter.sent");
	assert_true(json_is_true(json_object_get(it, "active")));
	tu_resp_free(&r);

	/* a new secret */
	char spath[112];
	snprintf(spath, sizeof(spath), "%s/secret", path);
	r = call(c, c->h_admin_b, "POST", spath, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, c->h_editor_a, "POST", spath, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "POST", spath, NULL);
	assert_int_equal(r.status, 200);
	const char *second = json_string_value(json_object_get(r.json, "secret"));
	assert_non_null(second);
	assert_true(!strncmp(second, "whsec_", 6));
	assert_string_not_equal(second, first);
	assert_true(json_is_string(json_object_get(r.json,
						   "previous_secret_until")));
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks", NULL);
	it = json_array_get(json_object_get(r.json, "items"), 0);
	assert_null(json_object_get(it, "secret"));
	assert_true(json_is_string(json_object_get(it, "previous_secret_until")));
	tu_resp_free(&r);

	/* a test event */
	char tpath[112], dpath[112];
	snprintf(tpath, sizeof(tpath), "%s/test", path);
	snprintf(dpath, sizeof(dpath), "%s/deliveries", path);
	r = call(c, c->h_admin_b, "POST", tpath, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "POST", tpath, NULL);
	assert_int_equal(r.status, 202);
	int64_t did = json_integer_value(json_object_get(r.json, "delivery_id"));
	assert_true(did > 0);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", dpath, NULL);
	assert_int_equal(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	it = json_array_get(items, 0);
	assert_int_equal(json_integer_value(json_object_get(it, "id")), did);
	assert_string_equal(json_string_value(json_object_get(it, "type")),
			    "webhook.test");
	assert_string_equal(json_string_value(json_object_get(it, "state")),
			    "pending");
	tu_resp_free(&r);
	r = call(c, c->h_admin_b, "GET", dpath, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks/999999/deliveries",
		 NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);

	/* active alone */
	r = call(c, c->h_admin_a, "PATCH", path, "{\"active\":false}");
	assert_int_equal(r.status, 204);
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks", NULL);
	it = json_array_get(json_object_get(r.json, "items"), 0);
	assert_true(json_is_false(json_object_get(it, "active")));
	assert_string_equal(json_string_value(json_object_get(it, "url")),
			    "https://hooks.example.org/b");
	tu_resp_free(&r);
}

/* A form's body, urlencoded by curl. */
static char *form_escape(const char *s)
{
	return curl_easy_escape(NULL, s, 0);
}

static struct tu_resp form(struct ctx *c, const char *cookie, const char *path,
			   const char *body)
{
	const char *h[] = { "Content-Type: application/x-www-form-urlencoded",
			    NULL };
	return tu_call(c->s.base, cookie, NULL, "POST", path, body, h);
}

/* x-fix: a form that did what it asked answers 303 to the page; the
 * page that names the flash is the answer, and its address into loc. */
static struct tu_resp done_form(struct ctx *c, const char *cookie,
				const char *path, const char *body, char *loc,
				size_t locsz)
{
	struct tu_resp r = form(c, cookie, path, body);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, locsz));
	assert_true(!strncmp(loc, "/personale/webhooks?vist=", 25));
	tu_resp_free(&r);
	r = tu_call(c->s.base, cookie, NULL, "GET", loc, NULL, NULL);
	assert_int_equal(r.status, 200);
	return r;
}

static int64_t only_hook(struct ctx *c, int *active)
{
	struct tu_resp r = call(c, c->h_admin_a, "GET", "/api/v1/webhooks", NULL);
	json_t *items = json_object_get(r.json, "items");
	int64_t id = 0;
	if (json_array_size(items) == 1) {
		json_t *it = json_array_get(items, 0);
		id = json_integer_value(json_object_get(it, "id"));
		if (active)
			*active = json_is_true(json_object_get(it, "active"));
	}
	tu_resp_free(&r);
	return id;
}

/* x-hooks2: the staff page's forms for a signed-in admin: subscribe
 * (the secret shown in that answer only), refused input in Danish,
 * pause and resume, a test event, a new secret, delete; CSRF as other
 * staff forms; others refused. The link on /personale is the admin's. */
static void t_the_staff_page_changes(void **state)
{
	struct ctx *c = *state;
	char *tmp = tu_tmpdir(), path[4200];
	snprintf(path, sizeof(path), "%s/users.json", tmp);
	tu_write(path, "[{\"email\":\"admin@901\",\"name\":\"Ada Admin\","
		       "\"organisation\":\"901\",\"roles\":[\"admin\"],"
		       "\"password\":\"password-1\"}]");
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, tmp, 1, stderr, NULL,
					   NULL, &stats), HH_OK);
	tu_rmdir(tmp);
	char cookie[256], csrf[128], ecookie[256], ecsrf[128];
	tu_login(&c->s, "admin@901", cookie, sizeof(cookie), csrf, sizeof(csrf));
	tu_login(&c->s, "editor@901", ecookie, sizeof(ecookie), ecsrf,
		 sizeof(ecsrf));
	char *tok = form_escape(csrf), *etok = form_escape(ecsrf);
	struct tu_resp r = tu_call(c->s.base, cookie, NULL, "GET", "/personale",
				   NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "href=\"/personale/webhooks\"");
	tu_resp_free(&r);
	r = tu_call(c->s.base, ecookie, NULL, "GET", "/personale", NULL, NULL);
	tu_expect_not_in(r.body, "href=\"/personale/webhooks\"");
	tu_resp_free(&r);

	/* subscribe: no CSRF token, a private address, no event: nothing */
	char body[512];
	r = form(c, cookie, "/personale/webhooks",
		 "url=https%3A%2F%2Fhooks.example.org%2Fp&case.submitted=1");
	assert_int_equal(r.status, 403);
	tu_expect_in(r.body, "Formularen er udløbet");
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&url=https%%3A%%2F%%2F192.168.1.10"
		 "%%2Fp&case.submitted=1", tok);
	r = form(c, cookie, "/personale/webhooks", body);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "lokalt netværk");
	tu_expect_in(r.body, "value=\"https://192.168.1.10/p\"");
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&url=https%%3A%%2F%%2Fhooks."
		 "example.org%%2Fp", tok);
	r = form(c, cookie, "/personale/webhooks", body);
	assert_int_equal(r.status, 400);
	tu_expect_in(r.body, "Vælg mindst én hændelse");
	tu_resp_free(&r);
	assert_int_equal(only_hook(c, NULL), 0);
	snprintf(body, sizeof(body), "csrf=%s&url=https%%3A%%2F%%2Fhooks."
		 "example.org%%2Fp&case.submitted=1&letter.sent=1", tok);
	r = form(c, ecookie, "/personale/webhooks", body); /* wrong token too */
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	char loc[128];
	r = done_form(c, cookie, "/personale/webhooks", body, loc, sizeof(loc));
	tu_expect_in(r.body, "er oprettet");
	tu_expect_in(r.body, "vises kun denne ene gang");
	const char *w = strstr(r.body, "whsec_");
	assert_non_null(w);
	char first[80];
	snprintf(first, sizeof(first), "%.*s", (int)strcspn(w, "<"), w);
	tu_expect_in(r.body, "Et brev er sendt");
	tu_resp_free(&r);
	int active = -1;
	int64_t id = only_hook(c, &active);
	assert_true(id > 0);
	assert_int_equal(active, 1);
	r = tu_call(c->s.base, cookie, NULL, "GET", "/personale/webhooks", NULL,
		    NULL);
	tu_expect_not_in(r.body, first); /* shown once */
	tu_expect_in(r.body, "Sæt på pause");
	tu_resp_free(&r);

	/* the buttons */
	char apath[64];
	snprintf(apath, sizeof(apath), "/personale/webhooks/%lld", (long long)id);
	snprintf(body, sizeof(body), "csrf=%s&handling=pause", tok);
	r = done_form(c, cookie, apath, body, loc, sizeof(loc));
	tu_expect_in(r.body, "sat på pause");
	tu_expect_in(r.body, "Genoptag");
	tu_resp_free(&r);
	assert_int_equal(only_hook(c, &active), id);
	assert_int_equal(active, 0);
	snprintf(body, sizeof(body), "handling=genoptag");
	r = form(c, cookie, apath, body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	assert_int_equal(only_hook(c, &active), id);
	assert_int_equal(active, 0);
	snprintf(body, sizeof(body), "csrf=%s&handling=genoptag", tok);
	r = done_form(c, cookie, apath, body, loc, sizeof(loc));
	tu_resp_free(&r);
	assert_int_equal(only_hook(c, &active), id);
	assert_int_equal(active, 1);
	snprintf(body, sizeof(body), "csrf=%s&handling=test", tok);
	r = done_form(c, cookie, apath, body, loc, sizeof(loc));
	tu_expect_in(r.body, "testbesked");
	tu_expect_in(r.body, "<td>Testbesked</td>");
	tu_expect_in(r.body, "<td>Venter</td>");
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&handling=hemmelighed", tok);
	r = done_form(c, cookie, apath, body, loc, sizeof(loc));
	w = strstr(r.body, "whsec_");
	assert_non_null(w);
	assert_true(strncmp(w, first, strlen(first)) != 0);
	char second[80];
	snprintf(second, sizeof(second), "%.*s", (int)strcspn(w, "<"), w);
	tu_expect_in(r.body, "den gamle signerer også til");
	tu_resp_free(&r);
	/* x-fix: a reload is a GET of the page: no second rotation, and the
	 * secret is not shown again (nor to another user with the link) */
	const char *rotations = "SELECT count(*) FROM events WHERE entity = "
				"'webhook' AND action = 'rotate'";
	assert_int_equal(tu_sql_int(c->s.dir, rotations, 0, NULL), 1);
	r = tu_call(c->s.base, cookie, NULL, "GET", loc, NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, second);
	tu_expect_not_in(r.body, "whsec_");
	tu_expect_in(r.body, "allerede vist");
	tu_resp_free(&r);
	assert_int_equal(tu_sql_int(c->s.dir, rotations, 0, NULL), 1);
	/* the flash is the user's: another's GET of the link neither sees
	 * nor spends it */
	r = form(c, cookie, apath, body);
	assert_int_equal(r.status, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_resp_free(&r);
	assert_int_equal(tu_sql_int(c->s.dir, rotations, 0, NULL), 2);
	r = tu_call(c->s.base, ecookie, NULL, "GET", loc, NULL, NULL);
	tu_expect_not_in(r.body, "whsec_");
	tu_resp_free(&r);
	r = tu_call(c->s.base, cookie, NULL, "GET", loc, NULL, NULL);
	tu_expect_in(r.body, "whsec_");
	tu_resp_free(&r);
	/* another organisation's admin, an editor, an unknown action */
	const char *hb[] = { c->h_admin_b,
			     "Content-Type: application/x-www-form-urlencoded",
			     NULL };
	r = tu_call(c->s.base, NULL, NULL, "POST", apath, "handling=slet", hb);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&handling=slet", etok);
	r = form(c, ecookie, apath, body);
	assert_int_equal(r.status, 403);
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "csrf=%s&handling=sprut", tok);
	r = form(c, cookie, apath, body);
	assert_int_equal(r.status, 400);
	tu_resp_free(&r);
	assert_int_equal(only_hook(c, NULL), id);
	snprintf(body, sizeof(body), "csrf=%s&handling=slet", tok);
	r = done_form(c, cookie, apath, body, loc, sizeof(loc));
	tu_expect_in(r.body, "er slettet");
	tu_resp_free(&r);
	assert_int_equal(only_hook(c, NULL), 0);
	r = form(c, cookie, apath, body);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	r = form(c, NULL, apath, "handling=slet");
	assert_int_equal(r.status, 303);
	tu_resp_free(&r);
	curl_free(tok);
	curl_free(etok);
}

/* x-hooks2, point 6 over HTTP: a delivery that failed its attempt shows
 * its retry state in GET .../{id}/deliveries (attempts, the error, the
 * next try) and on the staff page in Danish; one refused by the SSRF
 * rule shows why and is failed, not retried. The worker's own poster
 * as production has it (no loopback allowance). */
static void t_retry_state_is_visible(void **state)
{
	struct ctx *c = *state;
	c->s.app.webhooks_allow_http = 1; /* to subscribe to loopback */
	struct tu_resp r = call(c, c->h_admin_a, "POST", "/api/v1/webhooks",
				"{\"url\":\"https://modtager.invalid/h\","
				"\"events\":[\"case.submitted\"]}");
	assert_int_equal(r.status, 201);
	int64_t gone = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "POST", "/api/v1/webhooks",
		 "{\"url\":\"http://localhost:9/h\",\"events\":[\"case.submitted\"]}");
	assert_int_equal(r.status, 201);
	int64_t inside = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	struct hh_org org;
	struct hh_arena a;
	hh_arena_init(&a);
	assert_int_equal(hh_store_org_by_code(c->s.store, &a, "901", &org),
			 HH_OK);
	struct hh_event e = { .actor = "test", .org_id = org.id,
			      .entity = "case", .entity_id = 5,
			      .action = "submit",
			      .after = "{\"state\":\"received\"}" };
	assert_int_equal(hh_store_run_tx(c->s.store, 1, append_tx, &e), HH_OK);
	hh_arena_clear(&a);
	struct hh_webhook_stats st;
	int64_t now = hh_now_us() / 1000000;
	assert_int_equal(hh_webhooks_deliver(c->s.store, &hh_hooks_curl_poster,
					     now, 50, &st), HH_OK);
	assert_int_equal(st.retried, 1);
	assert_int_equal(st.failed, 1);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/webhooks/%lld/deliveries",
		 (long long)gone);
	r = call(c, c->h_admin_a, "GET", path, NULL);
	assert_int_equal(r.status, 200);
	json_t *it = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "state")),
			    "pending");
	assert_int_equal(json_integer_value(json_object_get(it, "attempts")), 1);
	assert_true(json_is_null(json_object_get(it, "last_response_code")));
	assert_true(json_is_string(json_object_get(it, "last_error")));
	assert_true(json_is_string(json_object_get(it, "next_attempt_at")));
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/webhooks/%lld/deliveries",
		 (long long)inside);
	r = call(c, c->h_admin_a, "GET", path, NULL);
	it = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(it, "state")),
			    "failed");
	assert_int_equal(json_integer_value(json_object_get(it, "attempts")), 1);
	const char *why = json_string_value(json_object_get(it, "last_error"));
	assert_non_null(why);
	assert_true(!strncmp(why, "address not allowed (", 21));
	assert_true(json_is_null(json_object_get(it, "next_attempt_at")));
	tu_resp_free(&r);
	r = call(c, c->h_admin_a, "GET", "/personale/webhooks", NULL);
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "<td>Venter</td><td>1</td>");
	tu_expect_in(r.body, "<td>Opgivet</td><td>1</td><td>Adressen er ikke "
			     "tilladt");
	tu_resp_free(&r);
}

int main(void)
{
	hh_auth_init();
	curl_global_init(CURL_GLOBAL_ALL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_bad_input_is_a_problem, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_non_ascii_url, setup, teardown),
		cmocka_unit_test_setup_teardown(t_create_list_deliveries_delete,
						setup, teardown),
		cmocka_unit_test_setup_teardown(t_a_real_article_change_is_queued,
						setup, teardown),
		cmocka_unit_test_setup_teardown(t_the_staff_page, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_change_rotate_test, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_the_staff_page_changes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_retry_state_is_visible, setup,
						teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
