/* test_figquery.c - the figures' filters (domain/figquery.h) as the pages
 * and the API take them: the quick periods worked out by hand from a
 * fixed today, real dates only, from <= to, at most three years, the
 * baseline a year earlier (29 February included), the channel, case type
 * and KLE sets, paging, and the field each refusal names on each door. */
#include "testutil.h"

#include "domain/figquery.h"

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	/* the demo's organisations and case types (with their letter
	   templates), which the filter checks codes against */
	char *tmp = tu_tmpdir();
	static const char *const parts[] = { "organisations.json", "case-types",
					     "letter-templates" };
	for (int i = 0; i < 3; i++) {
		char link[4200], target[4200], from[64];
		snprintf(from, sizeof(from), "content/%s", parts[i]);
		snprintf(link, sizeof(link), "%s/%s", tmp, parts[i]);
		assert_non_null(realpath(from, target));
		assert_int_equal(symlink(target, link), 0);
	}
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->st, tmp, 0, stderr, NULL, NULL, &stats),
			 HH_OK);
	tu_rmdir(tmp);
	hh_arena_init(&f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_arena_clear(&f->a);
	hh_store_close(f->st);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

/* A query string as name=value pairs, NULL-terminated. */
static const char *lookup(void *ctx, const char *name)
{
	const char *const *kv = ctx;
	for (; kv[0]; kv += 2)
		if (!strcmp(kv[0], name))
			return kv[1];
	return NULL;
}

static enum hh_rc parse(struct fx *f, enum hh_figq_names nm, int today,
			const char *const *kv, struct hh_figq *out,
			struct hh_figq_error *err)
{
	return hh_figq_parse(f->st, &f->a, nm, today, lookup, (void *)kv, out, err);
}

/* Accepted with this period and baseline. */
static void ok(struct fx *f, int today, const char *const *kv, int from,
	       int to, int bfrom, int bto)
{
	struct hh_figq q;
	struct hh_figq_error e;
	enum hh_rc rc = parse(f, HH_FIGQ_API, today, kv, &q, &e);
	if (rc != HH_OK)
		fail_msg("refused: %s (%s)", e.field, e.en);
	assert_int_equal(q.q.from_day, from);
	assert_int_equal(q.q.to_day, to);
	if (bfrom) {
		assert_int_equal(q.baseline_from, bfrom);
		assert_int_equal(q.baseline_to, bto);
	}
}

/* Refused, naming field, with a Danish sentence and an English hint. */
static void refused(struct fx *f, enum hh_figq_names nm, const char *const *kv,
		    const char *field)
{
	struct hh_figq q;
	struct hh_figq_error e;
	assert_int_equal(parse(f, nm, 20261205, kv, &q, &e), HH_ERR_INVALID);
	assert_non_null(e.field);
	assert_string_equal(e.field, field);
	assert_non_null(e.da);
	assert_true(strlen(e.da) > 10 && e.da[strlen(e.da) - 1] == '.');
	assert_non_null(e.en);
}

static void test_periods(void **state)
{
	struct fx *f = *state;
	/* nothing: the last 30 days, and a year before as the baseline */
	ok(f, 20261205, (const char *[]){ NULL }, 20261106, 20261205, 20251106,
	   20251205);
	ok(f, 20261205, (const char *[]){ "period", "30d", NULL }, 20261106,
	   20261205, 0, 0);
	/* the last whole quarter, also across a new year */
	ok(f, 20261205, (const char *[]){ "period", "quarter", NULL }, 20260701,
	   20260930, 20250701, 20250930);
	ok(f, 20260115, (const char *[]){ "period", "quarter", NULL }, 20251001,
	   20251231, 0, 0);
	ok(f, 20260401, (const char *[]){ "period", "quarter", NULL }, 20260101,
	   20260331, 0, 0);
	/* twelve months up to today, from the day after a year ago */
	ok(f, 20260301, (const char *[]){ "period", "12m", NULL }, 20250302,
	   20260301, 0, 0);
	ok(f, 20261205, (const char *[]){ "period", "year", NULL }, 20260101,
	   20261205, 0, 0);
	/* dates; a missing "to" is today; 29 February's year before is the
	   28th */
	ok(f, 20261205, (const char *[]){ "from", "2024-02-29", "to", "2024-03-31",
					  NULL },
	   20240229, 20240331, 20230228, 20230331);
	ok(f, 20261205, (const char *[]){ "from", "2026-11-01", NULL }, 20261101,
	   20261205, 0, 0);
	/* three years exactly is allowed (2020 is a leap year: 1,096 days) */
	ok(f, 20261205, (const char *[]){ "from", "2020-01-01", "to", "2022-12-31",
					  NULL },
	   20200101, 20221231, 0, 0);
	/* a chosen baseline */
	ok(f, 20261205, (const char *[]){ "from", "2026-01-01", "to", "2026-03-31",
					  "baseline_from", "2024-01-01",
					  "baseline_to", "2024-03-31", NULL },
	   20260101, 20260331, 20240101, 20240331);
	/* an empty value is no filter (a form's "Alle") */
	ok(f, 20261205, (const char *[]){ "from", "", "channel", "", NULL },
	   20261106, 20261205, 0, 0);
}

static void test_refusals(void **state)
{
	struct fx *f = *state;
	refused(f, HH_FIGQ_API, (const char *[]){ "from", "2026-02-29", NULL }, "from");
	refused(f, HH_FIGQ_API, (const char *[]){ "from", "2026-04-31", NULL }, "from");
	refused(f, HH_FIGQ_API, (const char *[]){ "from", "2026-1-01", NULL }, "from");
	refused(f, HH_FIGQ_API, (const char *[]){ "from", "1999-12-31", NULL }, "from");
	refused(f, HH_FIGQ_API, (const char *[]){ "from", "2026-01-01",
						  "to", "2026-13-01", NULL },
		"to");
	refused(f, HH_FIGQ_API, (const char *[]){ "to", "2026-01-01", NULL }, "from");
	refused(f, HH_FIGQ_API, (const char *[]){ "from", "2026-03-01",
						  "to", "2026-02-28", NULL },
		"to");
	refused(f, HH_FIGQ_API, (const char *[]){ "from", "2020-01-01",
						  "to", "2023-01-01", NULL },
		"to");
	refused(f, HH_FIGQ_API, (const char *[]){ "period", "week", NULL }, "period");
	refused(f, HH_FIGQ_API, (const char *[]){ "period", "12m",
						  "from", "2026-01-01", NULL },
		"period");
	refused(f, HH_FIGQ_API, (const char *[]){ "baseline_from", "2025-01-01",
						  NULL },
		"baseline_to");
	refused(f, HH_FIGQ_API, (const char *[]){ "baseline_from", "2025-03-01",
						  "baseline_to", "2025-01-01",
						  NULL },
		"baseline_to");
	refused(f, HH_FIGQ_API, (const char *[]){ "channel", "fax", NULL }, "channel");
	refused(f, HH_FIGQ_API, (const char *[]){ "case_type", "findes-ikke", NULL },
		"case_type");
	static const char *const bad_kle[] = { "1", "16.1", "16-10", "ab", "16.10.0",
					       "16.10.00.00", "16." };
	for (size_t i = 0; i < sizeof(bad_kle) / sizeof(bad_kle[0]); i++)
		refused(f, HH_FIGQ_API, (const char *[]){ "topic", bad_kle[i], NULL },
			"topic");
	refused(f, HH_FIGQ_API, (const char *[]){ "after", "-3", NULL }, "after");
	refused(f, HH_FIGQ_API, (const char *[]){ "after", "12x", NULL }, "after");
	/* the pages' names */
	refused(f, HH_FIGQ_PAGE, (const char *[]){ "fra", "2026-02-30", NULL }, "fra");
	refused(f, HH_FIGQ_PAGE, (const char *[]){ "kanal", "brevdue", NULL }, "kanal");
	refused(f, HH_FIGQ_PAGE, (const char *[]){ "from", "2026-01-01",
						   "til", "2025-01-01", "fra",
						   "2026-01-01", NULL },
		"til");
	/* not UTF-8 */
	refused(f, HH_FIGQ_API, (const char *[]){ "topic", "\xff\xfe", NULL }, "topic");
}

static void test_filters(void **state)
{
	struct fx *f = *state;
	struct hh_figq q;
	struct hh_figq_error e;
	const char *kv[] = { "channel", "phone", "case_type", "skilsmisse",
			     "topic", "16.10", "after", "42", NULL };
	assert_int_equal(parse(f, HH_FIGQ_API, 20261205, kv, &q, &e), HH_OK);
	assert_string_equal(q.q.channel, "phone");
	assert_string_equal(q.q.case_type, "skilsmisse");
	assert_string_equal(q.q.topic, "16.10");
	assert_int_equal(q.after, 42);
	assert_null(q.period);
	assert_int_equal(q.q.org_id, 0);
	const char *kv2[] = { "sagstype", "skilsmisse", "emne", "16", "periode",
			      "12m", NULL };
	assert_int_equal(parse(f, HH_FIGQ_PAGE, 20261205, kv2, &q, &e), HH_OK);
	assert_string_equal(q.q.case_type, "skilsmisse");
	assert_string_equal(q.q.topic, "16");
	assert_string_equal(q.period, "12m");
	/* the English names mean nothing on the page, and the other way */
	const char *kv3[] = { "channel", "fax", NULL };
	assert_int_equal(parse(f, HH_FIGQ_PAGE, 20261205, kv3, &q, &e), HH_OK);
	assert_null(q.q.channel);
	assert_string_equal(hh_figq_name(HH_FIGQ_PAGE, HH_FQ_BASE_FROM), "basis_fra");
	assert_string_equal(hh_figq_name(HH_FIGQ_API, HH_FQ_CASE_TYPE), "case_type");
	assert_string_equal(hh_figq_iso(&f->a, 20260305), "2026-03-05");
	assert_string_equal(hh_figq_day_da(&f->a, 20260305), "5. marts 2026");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_periods, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
