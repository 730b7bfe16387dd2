/* test_unavailable.c - pg-multi (issue 14): when the store cannot be
 * reached (HH_ERR_IO: PostgreSQL restarting, a failover, a disk gone),
 * a request that needs it gets 503 problem+json "store-unavailable" with
 * Retry-After, never a 500; a request with a session that cannot be
 * looked up gets the same, not a 401 or a sign-in page; /readyz says
 * not ready and /healthz still answers. The store's fault injection
 * stands in for the database being away; tests/pg/multi.mjs does it with
 * a real PostgreSQL. */
#include "testutil.h"

struct fx {
	struct tu_server s;
	char cookie[160], csrf[80];
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	tu_server_start(&f->s, 1);
	tu_login(&f->s, "editor@901", f->cookie, sizeof(f->cookie), f->csrf,
		 sizeof(f->csrf));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_store_fault_inject(f->s.store, 0, HH_OK);
	tu_server_stop(&f->s);
	free(f);
	return 0;
}

static void expect_unavailable(struct tu_resp *r)
{
	tu_expect_problem(r, 503, "store-unavailable", NULL);
	char v[16];
	assert_true(tu_header(r, "Retry-After", v, sizeof(v)));
	assert_string_equal(v, "1");
}

static void t_read_is_503(void **state)
{
	struct fx *f = *state;
	hh_store_fault_inject(f->s.store, 1, HH_ERR_IO);
	struct tu_resp r = tu_call(f->s.base, NULL, NULL, "GET",
				   "/api/v1/articles", NULL, NULL);
	expect_unavailable(&r);
	tu_resp_free(&r);
	/* once it is back, the same request answers */
	r = tu_call(f->s.base, NULL, NULL, "GET", "/api/v1/articles", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
}

static void t_signed_in_is_503_not_401(void **state)
{
	struct fx *f = *state;
	/* the session's look-up is the store call that fails */
	hh_store_fault_inject(f->s.store, 1, HH_ERR_IO);
	struct tu_resp r = tu_call(f->s.base, f->cookie, NULL, "GET",
				   "/api/v1/session", NULL, NULL);
	expect_unavailable(&r);
	tu_resp_free(&r);
	/* a write too: 503 before anything is tried */
	hh_store_fault_inject(f->s.store, 1, HH_ERR_IO);
	r = tu_call(f->s.base, f->cookie, f->csrf, "POST", "/api/v1/articles",
		    "{\"slug\":\"x-y\",\"organisation\":\"901\",\"title\":\"T\","
		    "\"summary\":\"S\",\"body\":\"B\"}", NULL);
	expect_unavailable(&r);
	tu_resp_free(&r);
	/* a page gets an HTML page, 503 as well */
	hh_store_fault_inject(f->s.store, 1, HH_ERR_IO);
	r = tu_call(f->s.base, f->cookie, NULL, "GET", "/personale/soegninger",
		    NULL, NULL);
	assert_int_equal(r.status, 503);
	char ct[64];
	assert_true(tu_header(&r, "Content-Type", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "text/html"));
	tu_resp_free(&r);
	/* back: signed in again, nothing was lost */
	r = tu_call(f->s.base, f->cookie, NULL, "GET", "/api/v1/session", NULL,
		    NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
}

static void t_readyz_and_healthz(void **state)
{
	struct fx *f = *state;
	hh_store_fault_inject(f->s.store, 1, HH_ERR_IO);
	struct tu_resp r = tu_call(f->s.base, NULL, NULL, "GET", "/readyz",
				   NULL, NULL);
	expect_unavailable(&r);
	tu_resp_free(&r);
	/* the process lives: /healthz asks no store, even with a cookie */
	hh_store_fault_inject(f->s.store, 1, HH_ERR_IO);
	r = tu_call(f->s.base, f->cookie, NULL, "GET", "/healthz", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	hh_store_fault_inject(f->s.store, 0, HH_OK);
	r = tu_call(f->s.base, NULL, NULL, "GET", "/readyz", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_read_is_503, setup, teardown),
		cmocka_unit_test_setup_teardown(t_signed_in_is_503_not_401,
						setup, teardown),
		cmocka_unit_test_setup_teardown(t_readyz_and_healthz, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
