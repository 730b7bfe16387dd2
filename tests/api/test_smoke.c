/* test_smoke.c - the server answers health checks and serves a page. */
#include "testutil.h"

static void healthz_and_readyz(void **state)
{
	struct tu_server *s = *state;
	char url[128];
	snprintf(url, sizeof(url), "%s/healthz", s->base);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "ok\n");
	tu_resp_free(&r);
	snprintf(url, sizeof(url), "%s/readyz", s->base);
	r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	s->app.ready = 0;
	r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 503);
	assert_string_equal(tu_code(&r), "unavailable");
	tu_resp_free(&r);
	s->app.ready = 1;
}

static void front_page_is_danish_html(void **state)
{
	struct tu_server *s = *state;
	char url[128];
	snprintf(url, sizeof(url), "%s/", s->base);
	struct tu_resp r = tu_http("GET", url, NULL, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html lang=\"da\">"));
	assert_non_null(strstr(r.body, "<main"));
	tu_resp_free(&r);
}

static int setup(void **state)
{
	struct tu_server *s = hh_xcalloc(1, sizeof(*s));
	tu_server_start(s, 1);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	tu_server_stop(*state);
	free(*state);
	return 0;
}

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(healthz_and_readyz),
		cmocka_unit_test(front_page_is_danish_html),
	};
	return cmocka_run_group_tests_name("api/smoke", tests, setup, teardown);
}
