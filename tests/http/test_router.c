/* test_router.c - route matching, the Allow set, and problem+json rendering
 * from the error registry. */
#include "testutil.h"

#include <ctype.h>

#include "http/http.h"

static void h_list(struct hh_req *r) { (void)r; }
static void h_create(struct hh_req *r) { (void)r; }
static void h_get(struct hh_req *r) { (void)r; }
static void h_put(struct hh_req *r) { (void)r; }
static void h_versions(struct hh_req *r) { (void)r; }
static void h_static(struct hh_req *r) { (void)r; }
static void h_health(struct hh_req *r) { (void)r; }
static void h_two(struct hh_req *r) { (void)r; }
static void h_options(struct hh_req *r) { (void)r; }

static const struct hh_route table[] = {
	{ HH_GET, "/healthz", h_health, 0, 0 },
	{ HH_GET, "/api/v1/articles", h_list, 0, 0 },
	{ HH_POST, "/api/v1/articles", h_create, 0, 0 },
	{ HH_GET, "/api/v1/articles/{slug}", h_get, 0, 0 },
	{ HH_PUT | HH_DELETE, "/api/v1/articles/{slug}", h_put, 0, 0 },
	{ HH_GET, "/api/v1/articles/{slug}/versions", h_versions, 0, 0 },
	{ HH_POST, "/api/v1/orgs/{org}/articles/{slug}", h_two, 0, 0 },
	{ HH_GET, "/static/*", h_static, 0, 0 },
	{ HH_OPTIONS, "/api/*", h_options, 0, 0 },
	{ 0, NULL, NULL, 0, 0 },
};

struct fixture {
	struct hh_req r;
};

static int setup(void **state)
{
	struct fixture *f = hh_xcalloc(1, sizeof(*f));
	hh_arena_init(&f->r.arena);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	hh_arena_clear(&f->r.arena);
	free(f);
	return 0;
}

static const struct hh_route *match(struct fixture *f, enum hh_method m,
				    const char *path, unsigned *allowed)
{
	return hh_route_match(table, &f->r, m, path, allowed);
}

static void exact_paths(void **state)
{
	struct fixture *f = *state;
	unsigned allowed = 12345;
	const struct hh_route *rt = match(f, HH_GET, "/healthz", &allowed);
	assert_non_null(rt);
	assert_ptr_equal(rt->handler, h_health);
	assert_int_equal(f->r.n_params, 0);
	/* same path, method picks the route */
	rt = match(f, HH_GET, "/api/v1/articles", &allowed);
	assert_ptr_equal(rt->handler, h_list);
	rt = match(f, HH_POST, "/api/v1/articles", &allowed);
	assert_ptr_equal(rt->handler, h_create);
	/* near misses do not match */
	assert_null(match(f, HH_GET, "/healthz/", &allowed));
	assert_int_equal(allowed, 0);
	assert_null(match(f, HH_GET, "/healthzz", &allowed));
	assert_null(match(f, HH_GET, "/health", &allowed));
	assert_null(match(f, HH_GET, "/HEALTHZ", &allowed));
	assert_null(match(f, HH_GET, "", &allowed));
	assert_int_equal(allowed, 0);
}

static void param_capture(void **state)
{
	struct fixture *f = *state;
	unsigned allowed;
	const struct hh_route *rt =
		match(f, HH_GET, "/api/v1/articles/skift-af-laege", &allowed);
	assert_non_null(rt);
	assert_ptr_equal(rt->handler, h_get);
	assert_int_equal(f->r.n_params, 1);
	assert_string_equal(hh_req_param(&f->r, "slug"), "skift-af-laege");
	assert_null(hh_req_param(&f->r, "org"));

	rt = match(f, HH_GET, "/api/v1/articles/abc/versions", &allowed);
	assert_ptr_equal(rt->handler, h_versions);
	assert_string_equal(hh_req_param(&f->r, "slug"), "abc");

	rt = match(f, HH_POST, "/api/v1/orgs/901/articles/x-y", &allowed);
	assert_ptr_equal(rt->handler, h_two);
	assert_int_equal(f->r.n_params, 2);
	assert_string_equal(hh_req_param(&f->r, "org"), "901");
	assert_string_equal(hh_req_param(&f->r, "slug"), "x-y");

	/* an empty segment does not fill a parameter */
	assert_null(match(f, HH_GET, "/api/v1/articles/", &allowed));
	assert_null(match(f, HH_GET, "/api/v1/articles//versions", &allowed));
	/* a parameter is one segment, never more */
	assert_null(match(f, HH_GET, "/api/v1/articles/a/b", &allowed));
	assert_int_equal(allowed, HH_OPTIONS); /* only the /api/ * route */
	assert_int_equal(f->r.n_params, 0);
}

static void trailing_star(void **state)
{
	struct fixture *f = *state;
	unsigned allowed;
	const struct hh_route *rt =
		match(f, HH_GET, "/static/css/site.css", &allowed);
	assert_non_null(rt);
	assert_ptr_equal(rt->handler, h_static);
	assert_string_equal(hh_req_param(&f->r, "*"), "css/site.css");
	rt = match(f, HH_GET, "/static/x", &allowed);
	assert_string_equal(hh_req_param(&f->r, "*"), "x");
	/* the prefix itself with nothing after the star */
	rt = match(f, HH_GET, "/static/", &allowed);
	assert_non_null(rt);
	assert_ptr_equal(rt->handler, h_static);
	assert_int_equal(f->r.n_params, 1);
	assert_string_equal(hh_req_param(&f->r, "*"), "");
	/* the prefix must be complete */
	assert_null(match(f, HH_GET, "/static", &allowed));
	assert_null(match(f, HH_GET, "/staticx/a", &allowed));
	assert_int_equal(allowed, 0);
	/* a star route for OPTIONS covers every /api/ path */
	rt = match(f, HH_OPTIONS, "/api/v1/articles/abc", &allowed);
	assert_ptr_equal(rt->handler, h_options);
}

static void head_matches_get(void **state)
{
	struct fixture *f = *state;
	unsigned allowed;
	const struct hh_route *rt = match(f, HH_HEAD, "/healthz", &allowed);
	assert_non_null(rt);
	assert_ptr_equal(rt->handler, h_health);
	rt = match(f, HH_HEAD, "/api/v1/articles/abc", &allowed);
	assert_ptr_equal(rt->handler, h_get);
	assert_string_equal(hh_req_param(&f->r, "slug"), "abc");
	/* HEAD is not implied by routes without GET */
	assert_null(match(f, HH_HEAD, "/api/v1/orgs/901/articles/x", &allowed));
	assert_int_equal(allowed, HH_POST | HH_OPTIONS);
}

static void method_not_allowed_fills_allowed(void **state)
{
	struct fixture *f = *state;
	unsigned allowed = 0;
	assert_null(match(f, HH_PATCH, "/api/v1/articles/abc", &allowed));
	/* every route whose pattern matches contributes */
	assert_int_equal(allowed, HH_GET | HH_HEAD | HH_PUT | HH_DELETE |
					  HH_OPTIONS);
	assert_int_equal(f->r.n_params, 0);
	assert_null(match(f, HH_DELETE, "/healthz", &allowed));
	assert_int_equal(allowed, HH_GET | HH_HEAD);
	assert_null(match(f, HH_PUT, "/api/v1/articles", &allowed));
	assert_int_equal(allowed, HH_GET | HH_HEAD | HH_POST | HH_OPTIONS);
}

static void unknown_path(void **state)
{
	struct fixture *f = *state;
	unsigned allowed = 99;
	assert_null(match(f, HH_GET, "/nope", &allowed));
	assert_int_equal(allowed, 0);
	assert_null(match(f, HH_GET, "/", &allowed));
	assert_int_equal(allowed, 0);
	/* an empty table */
	static const struct hh_route empty[] = { { 0, NULL, NULL, 0, 0 } };
	allowed = 99;
	assert_null(hh_route_match(empty, &f->r, HH_GET, "/healthz", &allowed));
	assert_int_equal(allowed, 0);
}

static void methods_format(void **state)
{
	(void)state;
	char buf[64];
	hh_methods_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	hh_methods_format(HH_GET, buf, sizeof(buf));
	assert_string_equal(buf, "GET");
	hh_methods_format(HH_POST | HH_GET | HH_HEAD, buf, sizeof(buf));
	assert_string_equal(buf, "GET, HEAD, POST");
	hh_methods_format(HH_GET | HH_HEAD | HH_POST | HH_PUT | HH_DELETE |
				  HH_PATCH | HH_OPTIONS,
			  buf, sizeof(buf));
	assert_string_equal(buf, "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS");
	/* a small buffer truncates but stays terminated */
	char small[8];
	memset(small, 'x', sizeof(small));
	hh_methods_format(HH_GET | HH_HEAD | HH_POST, small, sizeof(small));
	assert_true(memchr(small, 0, sizeof(small)) != NULL);
	assert_true(strncmp(small, "GET, HE", 7) == 0);
}

static void method_parse(void **state)
{
	(void)state;
	assert_int_equal(hh_method_parse("GET"), HH_GET);
	assert_int_equal(hh_method_parse("HEAD"), HH_HEAD);
	assert_int_equal(hh_method_parse("POST"), HH_POST);
	assert_int_equal(hh_method_parse("PUT"), HH_PUT);
	assert_int_equal(hh_method_parse("DELETE"), HH_DELETE);
	assert_int_equal(hh_method_parse("PATCH"), HH_PATCH);
	assert_int_equal(hh_method_parse("OPTIONS"), HH_OPTIONS);
	assert_int_equal(hh_method_parse("get"), 0);
	assert_int_equal(hh_method_parse("TRACE"), 0);
	assert_int_equal(hh_method_parse(""), 0);
}

/* ---- problem+json ----------------------------------------------------- */

static void problem_json_fields(void **state)
{
	(void)state;
	json_t *j = hh_problem_json(HH_E_INVALID_FIELD, "title",
				    "must be 1 to 200 characters",
				    "/api/v1/articles");
	assert_string_equal(json_string_value(json_object_get(j, "type")),
			    "/problems/invalid-field");
	assert_string_equal(json_string_value(json_object_get(j, "title")),
			    "Feltet har en ugyldig værdi.");
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 400);
	assert_string_equal(json_string_value(json_object_get(j, "code")),
			    "invalid-field");
	assert_string_equal(json_string_value(json_object_get(j, "detail")),
			    "must be 1 to 200 characters");
	assert_string_equal(json_string_value(json_object_get(j, "field")),
			    "title");
	assert_string_equal(json_string_value(json_object_get(j, "instance")),
			    "/api/v1/articles");
	json_decref(j);

	/* without detail the English hint is used; no field, no instance */
	j = hh_problem_json(HH_E_STALE_VERSION, NULL, NULL, NULL);
	assert_int_equal(json_integer_value(json_object_get(j, "status")), 412);
	assert_string_equal(json_string_value(json_object_get(j, "code")),
			    "stale-version");
	assert_string_equal(json_string_value(json_object_get(j, "detail")),
			    hh_error_hint_en(HH_E_STALE_VERSION));
	assert_string_equal(json_string_value(json_object_get(j, "title")),
			    hh_error_title_da(HH_E_STALE_VERSION));
	assert_null(json_object_get(j, "field"));
	assert_null(json_object_get(j, "instance"));
	json_decref(j);
}

static int kebab(const char *s)
{
	if (!*s || *s == '-')
		return 0;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		      *s == '-'))
			return 0;
	return s[-1] != '-';
}

static void registry_is_consistent(void **state)
{
	(void)state;
	assert_true(HH_E__COUNT > 10);
	for (int i = 0; i < HH_E__COUNT; i++) {
		enum hh_error_code c = (enum hh_error_code)i;
		const char *code = hh_error_code_name(c);
		int status = hh_error_status(c);
		assert_non_null(code);
		if (!kebab(code))
			fail_msg("code %d '%s' is not lower-case kebab", i, code);
		if (status < 400 || status > 599)
			fail_msg("%s: status %d", code, status);
		const char *da = hh_error_title_da(c), *en = hh_error_hint_en(c);
		if (!da || !*da || !en || !*en)
			fail_msg("%s: empty text", code);
		assert_true(hh_utf8_valid(da, strlen(da)));
		for (int k = 0; k < i; k++)
			if (!strcmp(code, hh_error_code_name(
						  (enum hh_error_code)k)))
				fail_msg("code '%s' used twice", code);
		/* each renders to a complete problem document */
		json_t *j = hh_problem_json(c, NULL, NULL, NULL);
		assert_int_equal(json_integer_value(json_object_get(j, "status")),
				 status);
		assert_string_equal(json_string_value(json_object_get(j, "code")),
				    code);
		json_decref(j);
	}
	/* a few codes the API promises */
	assert_string_equal(hh_error_code_name(HH_E_NOT_FOUND), "not-found");
	assert_int_equal(hh_error_status(HH_E_NOT_FOUND), 404);
	assert_int_equal(hh_error_status(HH_E_METHOD_NOT_ALLOWED), 405);
	assert_int_equal(hh_error_status(HH_E_BODY_TOO_LARGE), 413);
	assert_int_equal(hh_error_status(HH_E_CONFLICT), 409);
	assert_int_equal(hh_error_status(HH_E_BUSY), 503);
	assert_int_equal(hh_error_status(HH_E_INTERNAL), 500);
}

/* An id parameter: decimal digits above 0 and nothing else, or exactly
 * the suffix asked for after them. */
static void id_params(void **state)
{
	struct fixture *f = *state;
	unsigned allowed;
	static const struct {
		const char *slug, *suffix;
		int64_t id;
	} cases[] = {
		{ "12", NULL, 12 },
		{ "007", NULL, 7 },
		{ "9223372036854775807", NULL, INT64_MAX },
		{ "9223372036854775808", NULL, 0 },
		{ "0", NULL, 0 },
		{ "+5", NULL, 0 },
		{ "-5", NULL, 0 },
		{ "5x", NULL, 0 },
		{ "12.pdf", NULL, 0 },
		{ "12.pdf", ".pdf", 12 },
		{ "12.pdfx", ".pdf", 0 },
		{ "12", ".pdf", 12 },
		{ ".pdf", ".pdf", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char path[96];
		snprintf(path, sizeof(path), "/api/v1/articles/%s", cases[i].slug);
		assert_non_null(match(f, HH_GET, path, &allowed));
		assert_int_equal(hh_req_id(&f->r, "slug", cases[i].suffix),
				 cases[i].id);
	}
	assert_int_equal(hh_req_id(&f->r, "org", NULL), 0); /* no such parameter */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		T(exact_paths),
		T(param_capture),
		T(id_params),
		T(trailing_star),
		T(head_matches_get),
		T(method_not_allowed_fills_allowed),
		T(unknown_path),
		cmocka_unit_test(methods_format),
		cmocka_unit_test(method_parse),
		cmocka_unit_test(problem_json_fields),
		cmocka_unit_test(registry_is_consistent),
	};
	return cmocka_run_group_tests_name("http/router", tests, NULL, NULL);
}
