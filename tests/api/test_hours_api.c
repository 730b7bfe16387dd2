/* test_hours_api.c - GET /api/v1/organisations/{code}/hours: a week of
 * spans with holidays and exceptions named, the open-now answer, and
 * problem+json for an unknown organisation or a bad parameter. */
#include "testutil.h"

#include "domain/hours.h"

static const char hours_json[] =
	"{\"901\": {"
	" \"counter\": {\"week\": {\"mon\": [\"10:00-15:00\"],"
	"   \"thu\": [\"10:00-12:00\", \"13:00-17:30\"]},"
	"   \"exceptions\": [{\"date\": \"2026-12-24\", \"closed\": true,"
	"                     \"note\": \"Juleaften\"}]},"
	" \"chat\": {\"week\": {\"mon\": [\"00:00-24:00\"], \"tue\": [\"00:00-24:00\"],"
	"   \"wed\": [\"00:00-24:00\"], \"thu\": [\"00:00-24:00\"],"
	"   \"fri\": [\"00:00-24:00\"], \"sat\": [\"00:00-24:00\"],"
	"   \"sun\": [\"00:00-24:00\"]}, \"holidays_closed\": false}}}";

static int setup(void **state)
{
	struct tu_server *s = hh_xcalloc(1, sizeof(*s));
	tu_server_start(s, 1);
	char path[4200];
	snprintf(path, sizeof(path), "%s/hours.json", s->dir);
	tu_write(path, hours_json);
	int n;
	assert_int_equal(hh_hours_import(s->store, s->dir, stderr, &n), HH_OK);
	assert_int_equal(n, 2);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct tu_server *s = *state;
	tu_server_stop(s);
	free(s);
	return 0;
}

static struct tu_resp get(struct tu_server *s, const char *path)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", s->base, path);
	return tu_http("GET", url, NULL, NULL, NULL);
}

static void test_week(void **state)
{
	struct tu_server *s = *state;
	/* Monday 21 to Sunday 27 December 2026 */
	struct tu_resp r = get(s, "/api/v1/organisations/901/hours?"
				  "service=counter&from=2026-12-21&days=7");
	assert_int_equal(r.status, 200);
	assert_non_null(r.json);
	assert_string_equal(json_string_value(json_object_get(r.json,
							       "organisation")),
			    "901");
	json_t *svc = json_object_get(r.json, "services");
	assert_int_equal(json_object_size(svc), 1); /* only the one asked */
	json_t *days = json_object_get(json_object_get(svc, "counter"), "days");
	assert_int_equal(json_array_size(days), 7);
	json_t *mon = json_array_get(days, 0);
	assert_string_equal(json_string_value(json_object_get(mon, "date")),
			    "2026-12-21");
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(mon, "spans"), 0)),
			    "10:00-15:00");
	json_t *thu = json_array_get(days, 3);
	assert_int_equal(json_array_size(json_object_get(thu, "spans")), 0);
	assert_string_equal(json_string_value(json_object_get(thu, "note")),
			    "Juleaften");
	json_t *fri = json_array_get(days, 4);
	assert_string_equal(json_string_value(json_object_get(fri, "note")),
			    "Juledag");
	tu_resp_free(&r);

	/* the chat is always open: open now, no closing within a month */
	r = get(s, "/api/v1/organisations/901/hours?days=1");
	assert_int_equal(r.status, 200);
	svc = json_object_get(r.json, "services");
	assert_int_equal(json_object_size(svc), 2);
	json_t *chat = json_object_get(svc, "chat");
	assert_true(json_is_true(json_object_get(chat, "open_now")));
	assert_null(json_object_get(chat, "closes_at"));
	assert_null(json_object_get(svc, "phone")); /* not offered */
	tu_resp_free(&r);

	/* an organisation without hours offers none */
	r = get(s, "/api/v1/organisations/902/hours");
	assert_int_equal(r.status, 200);
	assert_int_equal(json_object_size(json_object_get(r.json, "services")),
			 0);
	tu_resp_free(&r);
}

static void test_bad_requests(void **state)
{
	struct tu_server *s = *state;
	struct tu_resp r = get(s, "/api/v1/organisations/999/hours");
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	static const char *const bad[][2] = {
		{ "service=fax", "service" },  { "days=0", "days" },
		{ "days=63", "days" },         { "days=x", "days" },
		{ "from=2026-13-01", "from" }, { "from=2026-12-21T10:00", "from" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/api/v1/organisations/901/hours?%s",
			 bad[i][0]);
		r = get(s, path);
		tu_expect_problem(&r, 400, "invalid-parameter", bad[i][1]);
		tu_resp_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_week, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_requests, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
