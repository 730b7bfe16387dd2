/* test_inquiries_api.c - /api/v1/inquiries over HTTP: log one with an
 * Idempotency-Key (201, a replay 200, the key with another body 422),
 * refusals as problem+json (unknown fields, channels, outcomes), the
 * outcome with If-Match (412 stale, 428 without, 409 when the rule
 * refuses), lists, and who sees what (another organisation's agent 404,
 * a citizen their own). */
#include "testutil.h"

#include <sys/stat.h>

struct ctx {
	struct tu_server s;
	char agent_a[200], csrf_a[80];   /* agent@901 */
	char agent_b[200], csrf_b[80];   /* agent@902 */
	char editor_a[200], ecsrf_a[80]; /* editor@901 */
	char anna[200], acsrf[80];       /* citizen of 901 */
	char bo[200], bcsrf[80];         /* citizen of 902 */
	int64_t anna_id, bo_id;
};

static void citizen_login(struct ctx *c, const char *subject, char *cookie,
			  char *csrf)
{
	char body[128], setc[256];
	snprintf(body, sizeof(body), "{\"subject\":\"%s\"}", subject);
	struct tu_resp r = tu_call(c->s.base, NULL, NULL, "POST",
				   "/api/v1/citizen/session", body, NULL);
	assert_int_equal(r.status, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(cookie, 200, "%.*s", (int)strcspn(setc, ";"), setc);
	snprintf(csrf, 80, "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
}

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
	/* an agent of 902 and a citizen of each municipality beside the
	 * seed */
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
		 "\"label\":\"Hører under en anden myndighed\"}]}}");
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.inquiry_codes, 2);
	tu_login(&c->s, "agent@901", c->agent_a, sizeof(c->agent_a), c->csrf_a,
		 sizeof(c->csrf_a));
	tu_login(&c->s, "agent@902", c->agent_b, sizeof(c->agent_b), c->csrf_b,
		 sizeof(c->csrf_b));
	tu_login(&c->s, "editor@901", c->editor_a, sizeof(c->editor_a), c->ecsrf_a,
		 sizeof(c->ecsrf_a));
	c->s.app.demo = 1;
	citizen_login(c, "demo:anna", c->anna, c->acsrf);
	citizen_login(c, "demo:bo", c->bo, c->bcsrf);
	c->anna_id = citizen_id(c, "demo:anna");
	c->bo_id = citizen_id(c, "demo:bo");
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

static struct tu_resp as_a(struct ctx *c, const char *method, const char *path,
			   const char *body, const char *const *extra)
{
	return tu_call(c->s.base, c->agent_a, c->csrf_a, method, path, body, extra);
}

static int64_t log_one(struct ctx *c, const char *body)
{
	struct tu_resp r = as_a(c, "POST", "/api/v1/inquiries", body, NULL);
	if (r.status != 201)
		fail_msg("log: %ld %s", r.status, r.body);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	return id;
}

static void t_create_and_replay(void **state)
{
	struct ctx *c = *state;
	char body[256], loc[128], etag[32];
	snprintf(body, sizeof(body),
		 "{\"channel\":\"phone\",\"citizen_id\":%lld,\"kle\":\"05.01.00\","
		 "\"note\":\"Spørger om boligstøtte\"}",
		 (long long)c->anna_id);
	const char *key[] = { "Idempotency-Key: opkald-1", NULL };
	struct tu_resp r = as_a(c, "POST", "/api/v1/inquiries", body, key);
	assert_int_equal(r.status, 201);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(id > 0);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	char want[64];
	snprintf(want, sizeof(want), "/api/v1/inquiries/%lld", (long long)id);
	assert_string_equal(loc, want);
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	assert_string_equal(etag, "\"1\"");
	assert_string_equal(json_string_value(json_object_get(r.json, "outcome")),
			    "open");
	assert_string_equal(json_string_value(json_object_get(r.json, "note")),
			    "Spørger om boligstøtte");
	assert_true(json_is_integer(json_object_get(r.json, "agent_id")));
	assert_true(json_is_false(json_object_get(r.json, "replayed")));
	tu_resp_free(&r);
	/* the same request again: the same inquiry, 200 */
	r = as_a(c, "POST", "/api/v1/inquiries", body, key);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "id")), id);
	assert_true(json_is_true(json_object_get(r.json, "replayed")));
	tu_resp_free(&r);
	/* the key with another body: the code case submissions use */
	r = as_a(c, "POST", "/api/v1/inquiries", "{\"channel\":\"counter\"}", key);
	tu_expect_problem(&r, 422, "idempotency-key-reused", "Idempotency-Key");
	tu_resp_free(&r);
	/* one inquiry, one event */
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_event *ev;
	assert_int_equal(tu_events(c->s.store, &a, "inquiry", id, &ev), 1);
	hh_arena_clear(&a);
	/* logged in one go with an outcome */
	r = as_a(c, "POST", "/api/v1/inquiries",
		 "{\"channel\":\"counter\",\"outcome\":\"callback_promised\","
		 "\"callback_due_at\":\"2099-01-05T10:00:00+01:00\"}",
		 NULL);
	assert_int_equal(r.status, 201);
	assert_string_equal(json_string_value(json_object_get(r.json,
							      "callback_due_at")),
			    "2099-01-05T09:00:00Z");
	assert_non_null(json_object_get(r.json, "ended_at"));
	tu_resp_free(&r);
}

static void t_bad_input(void **state)
{
	struct ctx *c = *state;
	int64_t before = tu_event_count(c->s.store);
	char bo_body[128];
	snprintf(bo_body, sizeof(bo_body), "{\"channel\":\"phone\",\"citizen_id\":%lld}",
		 (long long)c->bo_id);
	static const struct {
		const char *body;
		long status;
		const char *code, *field;
	} bad[] = {
		{ "{\"channel\":\"phone\",\"mood\":\"glad\"}", 400, "unknown-field",
		  "mood" },
		{ "{}", 400, "missing-field", "channel" },
		{ "{\"channel\":\"fax\"}", 400, "invalid-field", "channel" },
		{ "{\"channel\":\"phone\",\"outcome\":\"lost\"}", 400, "invalid-field",
		  "outcome" },
		{ "{\"channel\":\"phone\",\"outcome\":\"transferred\","
		  "\"transfer_team\":\"ydelse\"}", 400, "invalid-field",
		  "transfer_reason" },
		{ "{\"channel\":\"phone\",\"outcome\":\"transferred\","
		  "\"transfer_team\":\"ydelser\",\"transfer_reason\":\"vejret\"}",
		  400, "invalid-field", "transfer_reason" },
		{ "{\"channel\":\"phone\",\"outcome\":\"transferred\","
		  "\"transfer_team\":\"kantinen\","
		  "\"transfer_reason\":\"anden-myndighed\"}",
		  400, "invalid-field", "transfer_team" },
		{ "{\"channel\":\"phone\",\"outcome\":\"transferred\","
		  "\"transfer_org\":\"nej\",\"transfer_reason\":\"x\"}", 400,
		  "unknown-organisation", "transfer_org" },
		{ "{\"channel\":\"phone\",\"callback_due_at\":\"i morgen\"}", 400,
		  "invalid-field", "callback_due_at" },
		{ "{\"channel\":\"phone\",\"outcome\":\"case_created\","
		  "\"case_id\":424242}", 400, "invalid-field", "case_id" },
		{ "[1]", 400, "bad-json", NULL },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tu_resp r = as_a(c, "POST", "/api/v1/inquiries", bad[i].body,
					NULL);
		tu_expect_problem(&r, bad[i].status, bad[i].code, bad[i].field);
		tu_resp_free(&r);
	}
	/* another municipality's citizen */
	struct tu_resp r = as_a(c, "POST", "/api/v1/inquiries", bo_body, NULL);
	tu_expect_problem(&r, 400, "invalid-field", "citizen_id");
	tu_resp_free(&r);
	/* no CSRF token */
	const char *no_csrf[] = { "X-CSRF-Token: nope", NULL };
	r = as_a(c, "POST", "/api/v1/inquiries", "{\"channel\":\"phone\"}", no_csrf);
	tu_expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	assert_int_equal(tu_event_count(c->s.store), before);
}

static void t_outcome(void **state)
{
	struct ctx *c = *state;
	int64_t id = log_one(c, "{\"channel\":\"chat\"}");
	char path[96], etag[32];
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld/outcome", (long long)id);
	const char *body = "{\"outcome\":\"transferred\",\"transfer_org\":\"udk\","
			   "\"transfer_reason\":\"anden-myndighed\"}";
	/* without a version */
	struct tu_resp r = as_a(c, "POST", path, body, NULL);
	tu_expect_problem(&r, 428, "version-required", "version");
	tu_resp_free(&r);
	/* a stale one */
	const char *stale[] = { "If-Match: \"7\"", NULL };
	r = as_a(c, "POST", path, body, stale);
	tu_expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);
	const char *v1[] = { "If-Match: \"1\"", NULL };
	r = as_a(c, "POST", path, body, v1);
	assert_int_equal(r.status, 200);
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	assert_string_equal(etag, "\"2\"");
	assert_string_equal(json_string_value(json_object_get(r.json, "outcome")),
			    "transferred");
	assert_string_equal(json_string_value(json_object_get(r.json,
							      "transfer_reason")),
			    "anden-myndighed");
	tu_resp_free(&r);
	/* the same If-Match again: someone changed it since */
	r = as_a(c, "POST", path, body, v1);
	tu_expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);
	/* closed: never reopened */
	const char *v2[] = { "If-Match: \"2\"", NULL };
	r = as_a(c, "POST", path, "{\"outcome\":\"open\"}", v2);
	tu_expect_problem(&r, 409, "transition-not-allowed", "outcome");
	tu_resp_free(&r);
	r = as_a(c, "POST", path, "{\"outcome\":\"open\",\"extra\":1}", v2);
	tu_expect_problem(&r, 400, "unknown-field", "extra");
	tu_resp_free(&r);
	/* the version in the body does as well */
	int64_t id2 = log_one(c, "{\"channel\":\"email\"}");
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld/outcome", (long long)id2);
	r = as_a(c, "POST", path,
		 "{\"outcome\":\"resolved_first_contact\",\"version\":1}", NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")), 2);
	tu_resp_free(&r);
	/* events: create and outcome on each */
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_event *ev;
	assert_int_equal(tu_events(c->s.store, &a, "inquiry", id, &ev), 2);
	assert_string_equal(ev[1].action, "outcome");
	hh_arena_clear(&a);
}

static void t_who_sees_what(void **state)
{
	struct ctx *c = *state;
	char body[128], path[96];
	snprintf(body, sizeof(body), "{\"channel\":\"counter\",\"citizen_id\":%lld}",
		 (long long)c->anna_id);
	int64_t annas = log_one(c, body);
	int64_t anon = log_one(c, "{\"channel\":\"phone\"}");
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld", (long long)annas);
	/* the organisation's agent */
	struct tu_resp r = as_a(c, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "citizen_id")),
			 c->anna_id);
	tu_resp_free(&r);
	/* another organisation's agent, an editor, Bo: it does not exist */
	r = tu_call(c->s.base, c->agent_b, c->csrf_b, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->editor_a, c->ecsrf_a, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->bo, c->bcsrf, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	/* Anna reads her own, not the anonymous one */
	r = tu_call(c->s.base, c->anna, c->acsrf, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld", (long long)anon);
	r = tu_call(c->s.base, c->anna, c->acsrf, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	/* anonymous callers sign in first */
	r = tu_call(c->s.base, NULL, NULL, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld/outcome", (long long)anon);
	r = tu_call(c->s.base, c->agent_b, c->csrf_b, "POST", path,
		    "{\"outcome\":\"resolved_first_contact\",\"version\":1}", NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);

	/* lists: the queue of open ones, the citizen's own */
	r = as_a(c, "GET", "/api/v1/inquiries?open=1&limit=1", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 2);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->agent_b, c->csrf_b, "GET", "/api/v1/inquiries",
		    NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 0);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->anna, c->acsrf, "GET", "/api/v1/inquiries", NULL,
		    NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(r.json, "items"), 0),
				 "id")),
			 annas);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->editor_a, c->ecsrf_a, "GET", "/api/v1/inquiries",
		    NULL, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = as_a(c, "GET", "/api/v1/inquiries?open=2", NULL, NULL);
	tu_expect_problem(&r, 400, "invalid-parameter", "open");
	tu_resp_free(&r);
	/* a citizen logs none */
	r = tu_call(c->s.base, c->anna, c->acsrf, "POST", "/api/v1/inquiries",
		    "{\"channel\":\"web\"}", NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
}

int main(void)
{
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_create_and_replay, setup, teardown),
		cmocka_unit_test_setup_teardown(t_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(t_outcome, setup, teardown),
		cmocka_unit_test_setup_teardown(t_who_sees_what, setup, teardown),
	};
	return cmocka_run_group_tests_name("api/inquiries", tests, NULL, NULL);
}
