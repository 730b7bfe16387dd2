/* test_desk_api.c - the agent's desk over HTTP (/api/v1/desk/...): the
 * look-up (a wrong CPR is problem+json "invalid-cpr", another
 * municipality's citizen is not found, roles without the desk 403,
 * anonymous 401, no CSRF token 403), the history (404 for another
 * municipality's citizen), "answered with this article" with If-Match
 * (428, 412, ETag), transfers (the receiving queue, 404 elsewhere, the
 * sender may not close, unknown codes 400, closed twice 409, the
 * first-contact outcome unchanged), codes, callbacks and usefulness. */
#include "testutil.h"

#include <sys/stat.h>

#include "domain/desk.h"

struct ctx {
	struct tu_server s;
	char agent_a[200], csrf_a[80];   /* agent@901 */
	char agent_b[200], csrf_b[80];   /* agent@902 */
	char agent_u[200], csrf_u[80];   /* agent@udk */
	char editor_a[200], ecsrf_a[80]; /* editor@901 */
	int64_t anna_id, bo_id, article_id;
};

static int64_t citizen_id(struct ctx *c, const char *subject)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_citizen z;
	struct hh_tx *tx = tu_read_begin(c->s.store);
	assert_int_equal(c->s.store->citizen_get_by_subject(tx, &a, subject, &z),
			 HH_OK);
	tu_read_end(tx);
	hh_arena_clear(&a);
	return z.id;
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 1);
	char dir[4200], path[4300];
	snprintf(dir, sizeof(dir), "%s/more", c->s.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/organisations.json", dir);
	tu_write(path,
		 "[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
		 "{\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"},"
		 "{\"code\":\"udk\",\"name\":\"Udbetaling Danmark\",\"kind\":\"agency\"}]");
	snprintf(path, sizeof(path), "%s/users.json", dir);
	tu_write(path,
		 "[{\"email\":\"agent@902\",\"name\":\"Bent Agent\",\"organisation\":\"902\","
		 "\"roles\":[\"agent\"],\"password\":\"password-1\"},"
		 "{\"email\":\"agent@udk\",\"name\":\"Ulla Agent\",\"organisation\":\"udk\","
		 "\"roles\":[\"agent\"],\"password\":\"password-1\"}]");
	snprintf(path, sizeof(path), "%s/citizens.json", dir);
	tu_write(path,
		 "[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
		 "  \"municipality\":\"901\"},"
		 " {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
		 "  \"municipality\":\"902\"}]");
	snprintf(path, sizeof(path), "%s/teams.json", dir);
	tu_write(path,
		 "{\"901\":{\"teams\":[{\"code\":\"ydelser\",\"name\":\"Ydelser\"}],"
		 "\"transfer_reasons\":[{\"code\":\"anden-myndighed\","
		 "\"label\":\"Hører under en anden myndighed\"}]},"
		 "\"udk\":{\"teams\":[{\"code\":\"boligstoette\",\"name\":\"Boligstøtte\"},"
		 "{\"code\":\"pension\",\"name\":\"Pension\"}],"
		 "\"transfer_reasons\":[{\"code\":\"fagligt\",\"label\":\"Fagligt\"}]}}");
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	tu_login(&c->s, "agent@901", c->agent_a, sizeof(c->agent_a), c->csrf_a,
		 sizeof(c->csrf_a));
	tu_login(&c->s, "agent@902", c->agent_b, sizeof(c->agent_b), c->csrf_b,
		 sizeof(c->csrf_b));
	tu_login(&c->s, "agent@udk", c->agent_u, sizeof(c->agent_u), c->csrf_u,
		 sizeof(c->csrf_u));
	tu_login(&c->s, "editor@901", c->editor_a, sizeof(c->editor_a), c->ecsrf_a,
		 sizeof(c->ecsrf_a));
	c->anna_id = citizen_id(c, "demo:anna");
	c->bo_id = citizen_id(c, "demo:bo");
	/* a shared article to answer with */
	struct hh_article art = { .slug = "pas", .title = "Pas", .summary = "S",
				  .body_md = "B", .body_html = "<p>B</p>",
				  .keywords = "", .kle = "",
				  .audience = HH_AUDIENCE_CITIZEN,
				  .status = HH_STATUS_PUBLISHED, .updated_by = "t" };
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
	assert_int_equal(c->s.store->article_insert(tx, &art), HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	c->article_id = art.id;
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

enum who { A, B, U, ED, ANON };

static struct tu_resp as(struct ctx *c, enum who w, const char *method,
			 const char *path, const char *body, const char *const *extra)
{
	const char *cookie = w == A ? c->agent_a : w == B ? c->agent_b
			     : w == U ? c->agent_u : w == ED ? c->editor_a : NULL;
	const char *csrf = w == A ? c->csrf_a : w == B ? c->csrf_b
			   : w == U ? c->csrf_u : w == ED ? c->ecsrf_a : NULL;
	return tu_call(c->s.base, cookie, csrf, method, path, body, extra);
}

static void expect(struct tu_resp *r, long status, const char *code)
{
	if (r->status != status)
		fail_msg("want %ld, got %ld: %s", status, r->status, r->body);
	if (code) {
		char ct[128];
		assert_true(tu_header(r, "Content-Type", ct, sizeof(ct)));
		assert_non_null(strstr(ct, "application/problem+json"));
		assert_string_equal(json_string_value(json_object_get(r->json, "code")),
				    code);
	}
}

static int64_t log_one(struct ctx *c, enum who w, const char *body)
{
	struct tu_resp r = as(c, w, "POST", "/api/v1/inquiries", body, NULL);
	expect(&r, 201, NULL);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	return id;
}

static void t_lookup(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = as(c, A, "POST", "/api/v1/desk/lookup",
			      "{\"cpr\":\"070761-4285\"}", NULL);
	expect(&r, 200, NULL);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0),
							      "name")),
			    "Anna Andersen");
	tu_resp_free(&r);
	/* a wrong CPR: problem+json with the field, Danish title */
	r = as(c, A, "POST", "/api/v1/desk/lookup", "{\"cpr\":\"320761-4285\"}", NULL);
	expect(&r, 400, "invalid-cpr");
	assert_string_equal(json_string_value(json_object_get(r.json, "field")), "cpr");
	assert_non_null(strstr(json_string_value(json_object_get(r.json, "title")),
			       "CPR-nummeret"));
	tu_resp_free(&r);
	r = as(c, A, "POST", "/api/v1/desk/lookup", "{\"name\":\"Anna 0707\"}", NULL);
	expect(&r, 400, "invalid-field");
	tu_resp_free(&r);
	r = as(c, A, "POST", "/api/v1/desk/lookup", "{\"cpr\":\"0707614285\",\"x\":1}",
	       NULL);
	expect(&r, 400, "unknown-field");
	tu_resp_free(&r);
	/* another municipality's citizen: nobody */
	r = as(c, A, "POST", "/api/v1/desk/lookup", "{\"cpr\":\"010190-1234\"}", NULL);
	expect(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
	/* the agency finds him by name */
	r = as(c, U, "POST", "/api/v1/desk/lookup", "{\"name\":\"berg\"}", NULL);
	expect(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	tu_resp_free(&r);
	r = as(c, ED, "POST", "/api/v1/desk/lookup", "{\"name\":\"Anna\"}", NULL);
	expect(&r, 403, "forbidden");
	tu_resp_free(&r);
	r = as(c, ANON, "POST", "/api/v1/desk/lookup", "{\"name\":\"Anna\"}", NULL);
	expect(&r, 401, "auth-required");
	tu_resp_free(&r);
	/* a session without its CSRF token */
	r = tu_call(c->s.base, c->agent_a, NULL, "POST", "/api/v1/desk/lookup",
		    "{\"name\":\"Anna\"}", NULL);
	expect(&r, 403, "csrf-token-invalid");
	tu_resp_free(&r);
}

static void t_history(void **state)
{
	struct ctx *c = *state;
	char body[200], path[200];
	snprintf(body, sizeof(body), "{\"channel\":\"phone\",\"citizen_id\":%lld}",
		 (long long)c->anna_id);
	int64_t q = log_one(c, A, body);
	snprintf(path, sizeof(path), "/api/v1/desk/citizens/%lld/history",
		 (long long)c->anna_id);
	struct tu_resp r = as(c, A, "GET", path, NULL, NULL);
	expect(&r, 200, NULL);
	json_t *inq = json_object_get(r.json, "inquiries");
	assert_int_equal(json_array_size(inq), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(inq, 0), "id")),
			 q);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(r.json, "citizen"), "cpr")),
			    "070761-4285");
	tu_resp_free(&r);
	r = as(c, B, "GET", path, NULL, NULL);
	expect(&r, 404, "not-found");
	assert_null(strstr(r.body, "Anna"));
	tu_resp_free(&r);
	r = as(c, ED, "GET", path, NULL, NULL);
	expect(&r, 403, "forbidden");
	tu_resp_free(&r);
	r = as(c, A, "GET", "/api/v1/desk/citizens/999999/history", NULL, NULL);
	expect(&r, 404, "not-found");
	tu_resp_free(&r);
}

static void t_article(void **state)
{
	struct ctx *c = *state;
	int64_t q = log_one(c, A, "{\"channel\":\"counter\",\"outcome\":"
				  "\"resolved_first_contact\"}");
	char path[128], body[128], im[64];
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld/article", (long long)q);
	snprintf(body, sizeof(body), "{\"article_id\":%lld}", (long long)c->article_id);
	struct tu_resp r = as(c, A, "POST", path, body, NULL);
	expect(&r, 428, "version-required");
	tu_resp_free(&r);
	const char *stale[] = { "If-Match: \"7\"", NULL };
	r = as(c, A, "POST", path, body, stale);
	expect(&r, 412, "stale-version");
	tu_resp_free(&r);
	const char *fresh[] = { "If-Match: \"1\"", NULL };
	r = as(c, A, "POST", path, body, fresh);
	expect(&r, 200, NULL);
	assert_int_equal(json_integer_value(json_object_get(r.json, "article_id")),
			 c->article_id);
	assert_true(tu_header(&r, "ETag", im, sizeof(im)));
	assert_string_equal(im, "\"2\"");
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "{\"article_id\":99999999,\"version\":2}");
	r = as(c, A, "POST", path, body, NULL);
	expect(&r, 400, "invalid-field");
	tu_resp_free(&r);
	/* another municipality's agent: it does not exist */
	snprintf(body, sizeof(body), "{\"article_id\":%lld,\"version\":2}",
		 (long long)c->article_id);
	r = as(c, B, "POST", path, body, NULL);
	expect(&r, 404, "not-found");
	tu_resp_free(&r);
	/* the editor reads the count */
	r = as(c, ED, "GET", "/api/v1/desk/usefulness", NULL, NULL);
	expect(&r, 200, NULL);
	json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
	assert_int_equal(json_integer_value(json_object_get(first, "article_id")),
			 c->article_id);
	assert_int_equal(json_integer_value(json_object_get(first, "answered")), 1);
	tu_resp_free(&r);
	r = as(c, A, "GET", "/api/v1/desk/usefulness", NULL, NULL);
	expect(&r, 403, "forbidden");
	tu_resp_free(&r);
	/* on the outcome change too */
	int64_t q2 = log_one(c, A, "{\"channel\":\"phone\"}");
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld/outcome", (long long)q2);
	snprintf(body, sizeof(body), "{\"outcome\":\"resolved_first_contact\","
				     "\"article_id\":%lld,\"version\":1}",
		 (long long)c->article_id);
	r = as(c, A, "POST", path, body, NULL);
	expect(&r, 200, NULL);
	assert_int_equal(json_integer_value(json_object_get(r.json, "article_id")),
			 c->article_id);
	tu_resp_free(&r);
}

static void t_transfers(void **state)
{
	struct ctx *c = *state;
	int64_t q = log_one(c, A, "{\"channel\":\"phone\",\"outcome\":\"transferred\","
				  "\"transfer_org\":\"udk\",\"transfer_team\":"
				  "\"boligstoette\",\"transfer_reason\":"
				  "\"anden-myndighed\"}");
	struct tu_resp r = as(c, U, "GET", "/api/v1/desk/transfers", NULL, NULL);
	expect(&r, 200, NULL);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *t = json_array_get(items, 0);
	int64_t tid = json_integer_value(json_object_get(t, "id"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(t, "inquiry"),
							    "id")),
			 q);
	tu_resp_free(&r);
	r = as(c, B, "GET", "/api/v1/desk/transfers", NULL, NULL);
	expect(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/desk/transfers/%lld", (long long)tid);
	r = as(c, B, "GET", path, NULL, NULL);
	expect(&r, 404, "not-found");
	tu_resp_free(&r);
	r = as(c, U, "GET", path, NULL, NULL);
	expect(&r, 200, NULL);
	assert_int_equal(json_integer_value(json_object_get(r.json, "transfer_count")), 1);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/desk/transfers/%lld/close", (long long)tid);
	r = as(c, A, "POST", path, "{\"result\":\"resolved\"}", NULL);
	expect(&r, 403, "forbidden");
	tu_resp_free(&r);
	r = as(c, U, "POST", path, "{\"result\":\"transferred\",\"to_team\":\"nej\","
				   "\"reason\":\"fagligt\"}", NULL);
	expect(&r, 400, "unknown-code");
	tu_resp_free(&r);
	r = as(c, U, "POST", path, "{\"result\":\"done\"}", NULL);
	expect(&r, 400, "invalid-field");
	tu_resp_free(&r);
	r = as(c, U, "POST", path, "{\"result\":\"resolved\"}", NULL);
	expect(&r, 200, NULL);
	assert_string_equal(json_string_value(json_object_get(r.json, "result")),
			    "resolved");
	tu_resp_free(&r);
	r = as(c, U, "POST", path, "{\"result\":\"resolved\"}", NULL);
	expect(&r, 409, "transition-not-allowed");
	tu_resp_free(&r);
	/* the first agent's outcome stands */
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld", (long long)q);
	r = as(c, A, "GET", path, NULL, NULL);
	expect(&r, 200, NULL);
	assert_string_equal(json_string_value(json_object_get(r.json, "outcome")),
			    "transferred");
	tu_resp_free(&r);
	/* the receiver does not read the inquiry through the inquiries'
	 * own door: only through the transfer */
	r = as(c, U, "GET", path, NULL, NULL);
	expect(&r, 404, "not-found");
	tu_resp_free(&r);
}

static void t_codes_and_callbacks(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = as(c, A, "GET", "/api/v1/desk/codes", NULL, NULL);
	expect(&r, 200, NULL);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	tu_resp_free(&r);
	r = as(c, A, "GET", "/api/v1/desk/codes?organisation=udk", NULL, NULL);
	expect(&r, 200, NULL);
	/* another organisation's teams only, not its reasons */
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	assert_null(strstr(r.body, "fagligt"));
	tu_resp_free(&r);
	r = as(c, A, "GET", "/api/v1/desk/codes?organisation=zzz", NULL, NULL);
	expect(&r, 400, "unknown-organisation");
	tu_resp_free(&r);
	r = as(c, ED, "GET", "/api/v1/desk/codes", NULL, NULL);
	expect(&r, 403, "forbidden");
	tu_resp_free(&r);
	/* a callback in an hour is due today, unless today ends first */
	int64_t now = hh_now_us() / 1000000, from, to;
	hh_desk_dk_day(now, &from, &to);
	int64_t due = now + 60 < to ? now + 60 : 0;
	if (due) {
		char iso[21], body[200];
		hh_time_iso(due, iso);
		snprintf(body, sizeof(body),
			 "{\"channel\":\"phone\",\"outcome\":\"callback_promised\","
			 "\"callback_due_at\":\"%s\"}", iso);
		int64_t q = log_one(c, A, body);
		r = as(c, A, "GET", "/api/v1/desk/callbacks", NULL, NULL);
		expect(&r, 200, NULL);
		json_t *items = json_object_get(r.json, "items");
		assert_int_equal(json_array_size(items), 1);
		assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0),
								    "id")),
				 q);
		tu_resp_free(&r);
		r = as(c, B, "GET", "/api/v1/desk/callbacks", NULL, NULL);
		expect(&r, 200, NULL);
		assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
		tu_resp_free(&r);
	}
}

static void t_assisted_case(void **state)
{
	struct ctx *c = *state;
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store->cls, 1, &tx), HH_OK);
	struct hh_case_type ct = {
		.code = "hjaelp", .organisation = "municipality", .name = "Hjælp",
		.public = 1,
		.definition =
			"{\"name\":\"Hjælp\",\"organisation\":\"municipality\","
			"\"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
			"\"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"}],"
			"\"transitions\":[],\"form\":{\"title\":\"Hjælp\",\"fields\":"
			"[{\"name\":\"antal\",\"label\":\"Antal\",\"type\":\"number\","
			"\"required\":true,\"min\":1,\"max\":20}]}}" };
	assert_int_equal(c->s.store->case_type_put(tx, &ct), HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/desk/citizens/%lld/cases",
		 (long long)c->anna_id);
	struct tu_resp r = as(c, A, "POST", path,
			      "{\"case_type\":\"hjaelp\",\"values\":{\"antal\":2}}", NULL);
	expect(&r, 400, "invalid-field");
	assert_string_equal(json_string_value(json_object_get(r.json, "field")), "consent");
	tu_resp_free(&r);
	r = as(c, A, "POST", path,
	       "{\"case_type\":\"hjaelp\",\"consent\":true,\"values\":{\"antal\":99}}",
	       NULL);
	expect(&r, 422, "form-invalid");
	tu_resp_free(&r);
	const char *key[] = { "Idempotency-Key: skranke-1", NULL };
	const char *body = "{\"case_type\":\"hjaelp\",\"consent\":true,"
			   "\"values\":{\"antal\":2}}";
	r = as(c, A, "POST", path, body, key);
	expect(&r, 201, NULL);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	json_t *x = json_object_get(json_object_get(r.json, "data"),
				    "borgerservice-assisted");
	assert_true(json_is_true(json_object_get(x, "consent")));
	assert_string_equal(json_string_value(json_object_get(x, "organisation")), "901");
	tu_resp_free(&r);
	/* the same again: the same case */
	r = as(c, A, "POST", path, body, key);
	expect(&r, 200, NULL);
	assert_int_equal(json_integer_value(json_object_get(r.json, "id")), id);
	tu_resp_free(&r);
	/* the key with another body */
	r = as(c, A, "POST", path,
	       "{\"case_type\":\"hjaelp\",\"consent\":true,\"values\":{\"antal\":3}}",
	       key);
	expect(&r, 422, "idempotency-key-reused");
	tu_resp_free(&r);
	/* another municipality's agent cannot file for Anna */
	r = as(c, B, "POST", path, body, NULL);
	expect(&r, 404, "not-found");
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(t_history, setup, teardown),
		cmocka_unit_test_setup_teardown(t_article, setup, teardown),
		cmocka_unit_test_setup_teardown(t_transfers, setup, teardown),
		cmocka_unit_test_setup_teardown(t_codes_and_callbacks, setup, teardown),
		cmocka_unit_test_setup_teardown(t_assisted_case, setup, teardown),
	};
	return cmocka_run_group_tests_name("api/desk", tests, NULL, NULL);
}
