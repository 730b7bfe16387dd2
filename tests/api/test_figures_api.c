/* test_figures_api.c - the figures over the API (api/figures.c) in a real
 * server on inquiries and cases made through the domain: the summary
 * equals hh_figures_summary for the same query (the "the
 * dashboard's figures equal the formulas"), one organisation's manager
 * never sees another's, other roles are refused (403) and anonymous
 * callers asked to sign in (401), every bad or unknown parameter is a
 * 400 naming it, the drill-down pages through exactly what the count
 * counts, and the public service levels need no sign-in. */
#include "testutil.h"

#include <math.h>

#include "api/figures_fixture.h"

/* The API's indicator i equals the domain's value v. */
static void same(json_t *ind, enum hh_fig_ind i, const struct hh_fig_value *v)
{
	json_t *o = json_object_get(ind, hh_fig_key(i));
	if (!o)
		fail_msg("no indicator %s", hh_fig_key(i));
	assert_int_equal(json_integer_value(json_object_get(o, "num")), v->num);
	assert_int_equal(json_integer_value(json_object_get(o, "den")), v->den);
	json_t *val = json_object_get(o, "value");
	if (!v->has) {
		assert_true(json_is_null(val));
		return;
	}
	assert_true(json_is_number(val));
	assert_true(fabs(json_number_value(val) - v->value) < 1e-9);
}

static void test_summary_equals_domain(void **state)
{
	struct ff *f = *state;
	static const char *const queries[][2] = {
		{ "/api/v1/figures?period=30d", "period=30d" },
		{ "/api/v1/figures?period=30d&channel=phone", "channel=phone" },
		{ "/api/v1/figures?period=12m&case_type=proevesag", "case_type" },
	};
	const char *const *kvs[] = {
		(const char *[]){ "period", "30d", NULL },
		(const char *[]){ "period", "30d", "channel", "phone", NULL },
		(const char *[]){ "period", "12m", "case_type", "proevesag", NULL },
	};
	for (int k = 0; k < 3; k++) {
		struct tu_resp r = ff_get(f, f->manager, queries[k][0]);
		if (r.status != 200)
			fail_msg("%s: %ld %s", queries[k][0], r.status, r.body);
		struct hh_fig_value v[HH_FIG__COUNT];
		ff_domain(f, f->m901, kvs[k], v);
		json_t *ind = json_object_get(r.json, "indicators");
		for (int i = 0; i < HH_FIG__COUNT; i++)
			same(ind, i, &v[i]);
		tu_resp_free(&r);
	}
	/* the figures are not empty: the fixture's own counts */
	struct hh_fig_value v[HH_FIG__COUNT];
	ff_domain(f, f->m901, (const char *[]){ "period", "30d", NULL }, v);
	assert_int_equal(v[HH_FIG_INQUIRIES].num, 7);
	assert_int_equal(v[HH_FIG_CASES].num, 3);
	/* the breakdowns are there, each a list */
	struct tu_resp r = ff_get(f, f->manager, "/api/v1/figures?period=12m");
	assert_int_equal(r.status, 200);
	assert_true(json_is_array(json_object_get(json_object_get(r.json, "by_month"),
						  "fcr")));
	assert_true(json_array_size(json_object_get(json_object_get(r.json, "by_month"),
						    "inquiries")) >= 12);
	assert_true(json_is_array(json_object_get(r.json, "channel_mix")));
	assert_true(json_is_object(json_object_get(r.json, "cost")));
	char cc[64];
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "no-store");
	tu_resp_free(&r);
}

/* Åstrup's manager sees Åstrup's two inquiries, never Nordskov's seven,
 * and no parameter lets them ask for another organisation. */
static void test_own_organisation_only(void **state)
{
	struct ff *f = *state;
	struct tu_resp r = ff_get(f, f->manager902, "/api/v1/figures?period=30d");
	assert_int_equal(r.status, 200);
	struct hh_fig_value v[HH_FIG__COUNT];
	ff_domain(f, f->m902, (const char *[]){ "period", "30d", NULL }, v);
	json_t *ind = json_object_get(r.json, "indicators");
	for (int i = 0; i < HH_FIG__COUNT; i++)
		same(ind, i, &v[i]);
	assert_int_equal(json_integer_value(json_object_get(
				 json_object_get(ind, "inquiries"), "num")),
			 2);
	tu_resp_free(&r);
	r = ff_get(f, f->manager902, "/api/v1/figures?organisation=901");
	tu_expect_problem(&r, 400, "invalid-parameter", "organisation");
	tu_resp_free(&r);
	/* the drill-down lists Åstrup's inquiries only */
	r = ff_get(f, f->manager902,
		   "/api/v1/figures/drill?indicator=inquiries&period=30d");
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
	tu_resp_free(&r);
}

static void test_access(void **state)
{
	struct ff *f = *state;
	static const char *const paths[] = {
		"/api/v1/figures", "/api/v1/figures/benchmark",
		"/api/v1/figures/drill?indicator=fcr"
	};
	for (int k = 0; k < 3; k++) {
		struct tu_resp r = ff_get(f, NULL, paths[k]);
		tu_expect_problem(&r, 401, "auth-required", NULL);
		tu_resp_free(&r);
		const char *staff[] = { f->agent, f->caseworker, f->editor };
		for (int s = 0; s < 3; s++) {
			r = ff_get(f, staff[s], paths[k]);
			tu_expect_problem(&r, 403, "forbidden", NULL);
			tu_resp_free(&r);
		}
		r = ff_get(f, f->manager, paths[k]);
		assert_int_equal(r.status, 200);
		tu_resp_free(&r);
	}
}

static void test_bad_parameters(void **state)
{
	struct ff *f = *state;
	static const struct {
		const char *path, *field;
	} bad[] = {
		{ "/api/v1/figures?bogus=1", "bogus" },
		{ "/api/v1/figures?after=3", "after" },
		{ "/api/v1/figures?from=2026-02-30", "from" },
		{ "/api/v1/figures?from=2026-03-01&to=2026-01-01", "to" },
		{ "/api/v1/figures?from=2020-01-01&to=2024-01-01", "to" },
		{ "/api/v1/figures?to=2026-01-01", "from" },
		{ "/api/v1/figures?period=week", "period" },
		{ "/api/v1/figures?period=12m&from=2026-01-01", "period" },
		{ "/api/v1/figures?channel=fax", "channel" },
		{ "/api/v1/figures?case_type=findes-ikke", "case_type" },
		{ "/api/v1/figures?topic=16-10", "topic" },
		{ "/api/v1/figures?baseline_from=2025-01-01", "baseline_to" },
		{ "/api/v1/figures/benchmark?limit=3", "limit" },
		{ "/api/v1/figures/drill", "indicator" },
		{ "/api/v1/figures/drill?indicator=nope", "indicator" },
		{ "/api/v1/figures/drill?indicator=fcr&limit=0", "limit" },
		{ "/api/v1/figures/drill?indicator=fcr&limit=501", "limit" },
		{ "/api/v1/figures/drill?indicator=fcr&after=x", "after" },
		{ "/api/v1/service-levels/901?channel=phone", "channel" },
		{ "/api/v1/service-levels/901?from=2026-13-01", "from" },
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct tu_resp r = ff_get(f, f->manager, bad[k].path);
		if (r.status != 400)
			fprintf(stderr, "%s\n", bad[k].path);
		tu_expect_problem(&r, 400, "invalid-parameter", bad[k].field);
		tu_resp_free(&r);
	}
}

/* Paged by two, the drill-down of the inquiries gives each of the seven
 * once, newest first, and then says there is no more. */
static void test_drill_pages(void **state)
{
	struct ff *f = *state;
	int64_t seen[16], after = 0;
	int n = 0;
	for (int page = 0; page < 8; page++) {
		char path[160];
		int len = snprintf(path, sizeof(path),
				   "/api/v1/figures/drill?indicator=inquiries"
				   "&period=30d&limit=2");
		if (after)
			snprintf(path + len, sizeof(path) - len, "&after=%lld",
				 (long long)after);
		struct tu_resp r = ff_get(f, f->manager, path);
		if (r.status != 200)
			fail_msg("%s: %ld %s", path, r.status, r.body);
		json_t *items = json_object_get(r.json, "items");
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it) {
			assert_string_equal(json_string_value(json_object_get(it, "kind")),
					    "inquiry");
			int64_t id = json_integer_value(json_object_get(it, "id"));
			for (int k = 0; k < n; k++)
				assert_true(seen[k] != id);
			if (n)
				assert_true(id < seen[n - 1]); /* newest first */
			assert_true(n < 16);
			seen[n++] = id;
		}
		json_t *next = json_object_get(r.json, "next_after");
		int last = json_is_null(next);
		after = last ? 0 : json_integer_value(next);
		tu_resp_free(&r);
		if (last)
			break;
	}
	assert_int_equal(n, 7);
	/* the cases behind the processing time: the two decided ones */
	struct tu_resp r = ff_get(f, f->manager,
				  "/api/v1/figures/drill?indicator=proc_median"
				  "&period=30d");
	assert_int_equal(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 2);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		assert_string_equal(json_string_value(json_object_get(it, "kind")),
				    "case");
		int64_t id = json_integer_value(json_object_get(it, "id"));
		assert_true(id == f->cases[0] || id == f->cases[1]);
	}
	tu_resp_free(&r);
}

static void test_benchmark(void **state)
{
	struct ff *f = *state;
	struct tu_resp r = ff_get(f, f->manager, "/api/v1/figures/benchmark?period=30d");
	assert_int_equal(r.status, 200);
	assert_true(json_is_string(json_object_get(r.json, "group")));
	json_t *rows = json_object_get(r.json, "rows");
	assert_true(json_array_size(rows) > 0);
	/* exactly one own row among each indicator's peers */
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		json_t *peers = json_object_get(row, "peers");
		size_t k;
		json_t *p;
		int own = 0;
		json_array_foreach(peers, k, p)
			own += json_is_true(json_object_get(p, "own"));
		assert_int_equal(own, json_array_size(peers) ? 1 : 0);
	}
	json_t *index = json_object_get(r.json, "index");
	assert_true(json_is_object(json_object_get(index, "weights")));
	assert_true(json_is_string(json_object_get(index, "method")));
	tu_resp_free(&r);
}

static void test_service_levels(void **state)
{
	struct ff *f = *state;
	struct tu_resp r = ff_get(f, NULL, "/api/v1/service-levels/901");
	if (r.status != 200)
		fail_msg("%ld %s", r.status, r.body);
	assert_string_equal(json_string_value(json_object_get(r.json, "name")),
			    "Nordskov Kommune");
	json_t *types = json_object_get(r.json, "case_types");
	size_t i;
	json_t *t;
	int found = 0;
	json_array_foreach(types, i, t) {
		if (strcmp(json_string_value(json_object_get(t, "case_type")),
			   "proevesag"))
			continue;
		found = 1;
		assert_int_equal(json_integer_value(json_object_get(t, "deadline_days")),
				 10);
		/* two decided, both the same day: within the deadline */
		json_t *dec = json_object_get(t, "decided");
		assert_int_equal(json_integer_value(json_object_get(dec, "num")), 2);
		json_t *within = json_object_get(json_object_get(t, "within"), "value");
		assert_true(fabs(json_number_value(within) - 1.0) < 1e-9);
	}
	assert_true(found);
	char cc[64];
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "public, max-age=300");
	tu_resp_free(&r);
	r = ff_get(f, NULL, "/api/v1/service-levels/findes-ikke");
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary_equals_domain),
		cmocka_unit_test(test_own_organisation_only),
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_drill_pages),
		cmocka_unit_test(test_benchmark),
		cmocka_unit_test(test_service_levels),
	};
	return cmocka_run_group_tests(tests, ff_setup, ff_teardown);
}
