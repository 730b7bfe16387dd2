/* test_inquiry_callbacks_api.c - GET /api/v1/inquiries?callbacks=today:
 * the callbacks an organisation promised that are due by the end of the
 * Danish today, overdue ones first, not tomorrow's, not once the result
 * is logged, not another organisation's; who may ask; a bad value. */
#include "testutil.h"

#include <sys/stat.h>

#include "core/dktime.h"

struct ctx {
	struct tu_server s;
	char agent_a[200], csrf_a[80]; /* agent@901 */
	char agent_b[200], csrf_b[80]; /* agent@902 */
	char anna[200], acsrf[80];     /* citizen of 901 */
};

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
		 "{\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"}]");
	snprintf(path, sizeof(path), "%s/users.json", dir);
	tu_write(path,
		 "[{\"email\":\"agent@902\",\"name\":\"Bent Agent\",\"organisation\":\"902\","
		 "\"roles\":[\"agent\"],\"password\":\"password-1\"}]");
	snprintf(path, sizeof(path), "%s/citizens.json", dir);
	tu_write(path,
		 "[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
		 "  \"municipality\":\"901\"}]");
	snprintf(path, sizeof(path), "%s/teams.json", dir);
	tu_write(path,
		 "{\"901\":{\"teams\":[{\"code\":\"ydelser\",\"name\":\"Ydelser\"}],"
		 "\"transfer_reasons\":[{\"code\":\"kraever-sagsbehandler\","
		 "\"label\":\"Kræver en sagsbehandlers vurdering\"}]}}");
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	tu_login(&c->s, "agent@901", c->agent_a, sizeof(c->agent_a), c->csrf_a,
		 sizeof(c->csrf_a));
	tu_login(&c->s, "agent@902", c->agent_b, sizeof(c->agent_b), c->csrf_b,
		 sizeof(c->csrf_b));
	c->s.app.demo = 1;
	struct tu_resp r = tu_call(c->s.base, NULL, NULL, "POST",
				   "/api/v1/citizen/session",
				   "{\"subject\":\"demo:anna\"}", NULL);
	assert_int_equal(r.status, 201);
	char setc[256];
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(c->anna, sizeof(c->anna), "%.*s", (int)strcspn(setc, ";"), setc);
	snprintf(c->acsrf, sizeof(c->acsrf), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
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

/* Logs a callback promised by cookie's agent: started at started, due at
 * due (epoch seconds); returns its id. */
static int64_t promise(struct ctx *c, const char *cookie, const char *csrf,
		       int64_t started, int64_t due)
{
	char s[HH_ISO8601_SIZE], d[HH_ISO8601_SIZE], body[400];
	hh_iso8601_dk(started, s);
	hh_iso8601_dk(due, d);
	snprintf(body, sizeof(body),
		 "{\"channel\":\"phone\",\"outcome\":\"callback_promised\","
		 "\"started_at\":\"%s\",\"callback_due_at\":\"%s\"}",
		 s, d);
	struct tu_resp r = tu_call(c->s.base, cookie, csrf, "POST",
				   "/api/v1/inquiries", body, NULL);
	if (r.status != 201)
		fail_msg("promise: %ld %s", r.status, r.body);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	return id;
}

/* The first instant of the Danish day after now's. */
static int64_t day_end(int64_t now)
{
	int64_t next = (hh_dk_local(now) / 86400 + 1) * 86400;
	return next - hh_dk_offset(next - 3 * 3600);
}

static void t_callbacks_due_today(void **state)
{
	struct ctx *c = *state;
	int64_t now = hh_now_us() / 1000000, end = day_end(now);
	int64_t overdue = promise(c, c->agent_a, c->csrf_a, now - 2 * 86400,
				  now - 86400);
	int64_t today = promise(c, c->agent_a, c->csrf_a, now - 60,
				now + (end - now) / 2 + 1);
	promise(c, c->agent_a, c->csrf_a, now - 60, end + 3600); /* tomorrow */
	promise(c, c->agent_b, c->csrf_b, now - 60, now + (end - now) / 2 + 1);
	/* an open inquiry and a resolved one are no callbacks */
	struct tu_resp r = tu_call(c->s.base, c->agent_a, c->csrf_a, "POST",
				   "/api/v1/inquiries", "{\"channel\":\"phone\"}",
				   NULL);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);

	r = tu_call(c->s.base, c->agent_a, NULL, "GET",
		    "/api/v1/inquiries?callbacks=today", NULL, NULL);
	assert_int_equal(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 2);
	assert_int_equal(json_array_size(items), 2);
	/* soonest due first: the overdue one */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0),
							     "id")),
			 overdue);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 1),
							     "id")),
			 today);
	tu_resp_free(&r);

	/* the overdue callback is made and sent on: off the list */
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/inquiries/%lld/outcome",
		 (long long)overdue);
	r = tu_call(c->s.base, c->agent_a, c->csrf_a, "POST", path,
		    "{\"outcome\":\"transferred\",\"transfer_team\":\"ydelser\","
		    "\"transfer_reason\":\"kraever-sagsbehandler\",\"version\":1}",
		    NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	r = tu_call(c->s.base, c->agent_a, NULL, "GET",
		    "/api/v1/inquiries?callbacks=today", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_int_equal(json_integer_value(json_object_get(
				 json_array_get(json_object_get(r.json, "items"), 0),
				 "id")),
			 today);
	tu_resp_free(&r);

	/* 902 sees only its own */
	r = tu_call(c->s.base, c->agent_b, NULL, "GET",
		    "/api/v1/inquiries?callbacks=today", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_integer_value(json_object_get(r.json, "total")), 1);
	assert_int_not_equal(json_integer_value(json_object_get(
				     json_array_get(json_object_get(r.json, "items"), 0),
				     "id")),
			     today);
	tu_resp_free(&r);
}

static void t_who_and_what(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = tu_call(c->s.base, c->agent_a, NULL, "GET",
				   "/api/v1/inquiries?callbacks=week", NULL, NULL);
	tu_expect_problem(&r, 400, "invalid-parameter", "callbacks");
	tu_resp_free(&r);
	/* a citizen has callbacks promised to them, not a list to work */
	r = tu_call(c->s.base, c->anna, NULL, "GET",
		    "/api/v1/inquiries?callbacks=today", NULL, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = tu_call(c->s.base, NULL, NULL, "GET", "/api/v1/inquiries?callbacks=today",
		    NULL, NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_callbacks_due_today, setup,
						teardown),
		cmocka_unit_test_setup_teardown(t_who_and_what, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
