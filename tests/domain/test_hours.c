/* test_hours.c - opening hours: Danish public holidays, wall-clock
 * minutes as instants on both summer-time switch days, open/closed and
 * the next change across holidays, exceptions and midnight, and the
 * import refusing bad files whole. */
#include "testutil.h"

#include "core/dktime.h"
#include "domain/hours.h"

struct fx {
	char *dir;
	struct hh_store *st;
	struct hh_arena a;
	int64_t m901, m902;
	FILE *err;
	char *errbuf;
	size_t errlen;
};

static int64_t put_org(struct hh_store *st, const char *code)
{
	struct hh_tx *tx;
	assert_int_equal(st->tx_begin(st->cls, 1, &tx), HH_OK);
	struct hh_org o = { .code = code, .name = code,
			    .kind = HH_ORG_MUNICIPALITY };
	assert_int_equal(st->org_put(tx, &o), HH_OK);
	assert_int_equal(st->tx_commit(tx), HH_OK);
	return o.id;
}

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	f->st = tu_store(f->dir, 2);
	hh_arena_init(&f->a);
	f->m901 = put_org(f->st, "901");
	f->m902 = put_org(f->st, "902");
	f->err = open_memstream(&f->errbuf, &f->errlen);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fclose(f->err);
	free(f->errbuf);
	hh_arena_clear(&f->a);
	f->st->close(f->st);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static int64_t day_of(int y, int m, int d)
{
	return hh_days_from_civil(y, m, d);
}

/* Epoch seconds of a UTC time. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	return day_of(y, mo, d) * 86400 + h * 3600 + mi * 60;
}

/* Writes hours.json into the fixture's folder and imports it. */
static enum hh_rc import(struct fx *f, const char *json, int *n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/hours.json", f->dir);
	tu_write(path, json);
	return hh_hours_import(f->st, f->dir, f->err, n);
}

static const struct hh_hours *get(struct fx *f, int64_t org,
				  const char *service)
{
	const struct hh_hours *h;
	assert_int_equal(hh_hours_get(f->st, &f->a, org, service, &h), HH_OK);
	assert_non_null(h);
	return h;
}

static void test_holidays(void **state)
{
	(void)state;
	/* Easter 2026 is 5 April */
	assert_string_equal(hh_dk_holiday(day_of(2026, 4, 2)), "Skærtorsdag");
	assert_string_equal(hh_dk_holiday(day_of(2026, 4, 3)), "Langfredag");
	assert_string_equal(hh_dk_holiday(day_of(2026, 4, 5)), "Påskedag");
	assert_string_equal(hh_dk_holiday(day_of(2026, 4, 6)), "2. påskedag");
	assert_string_equal(hh_dk_holiday(day_of(2026, 5, 14)),
			    "Kristi himmelfartsdag");
	assert_string_equal(hh_dk_holiday(day_of(2026, 5, 24)), "Pinsedag");
	assert_string_equal(hh_dk_holiday(day_of(2026, 5, 25)), "2. pinsedag");
	assert_string_equal(hh_dk_holiday(day_of(2026, 12, 25)), "Juledag");
	assert_string_equal(hh_dk_holiday(day_of(2026, 12, 26)), "2. juledag");
	assert_string_equal(hh_dk_holiday(day_of(2027, 1, 1)), "Nytårsdag");
	/* Easter 2027 is 28 March; 2024's Store bededag was abolished */
	assert_string_equal(hh_dk_holiday(day_of(2027, 3, 29)), "2. påskedag");
	assert_string_equal(hh_dk_holiday(day_of(2023, 5, 5)), "Store bededag");
	assert_null(hh_dk_holiday(day_of(2024, 4, 26)));
	assert_null(hh_dk_holiday(day_of(2026, 12, 24))); /* a working day
							     by law */
	assert_null(hh_dk_holiday(day_of(2026, 4, 4)));
	assert_null(hh_dk_holiday(day_of(2026, 6, 5)));
}

static void test_instants_on_switch_days(void **state)
{
	(void)state;
	int64_t spring = day_of(2026, 3, 29), autumn = day_of(2026, 10, 25);
	/* ordinary days */
	assert_int_equal(hh_dk_instant(day_of(2026, 1, 15), 8 * 60),
			 utc(2026, 1, 15, 7, 0));
	assert_int_equal(hh_dk_instant(day_of(2026, 7, 15), 8 * 60),
			 utc(2026, 7, 15, 6, 0));
	/* spring: 02:00 CET becomes 03:00 CEST at 01:00 UTC */
	assert_int_equal(hh_dk_instant(spring, 60), utc(2026, 3, 29, 0, 0));
	assert_int_equal(hh_dk_instant(spring, 3 * 60), utc(2026, 3, 29, 1, 0));
	assert_int_equal(hh_dk_instant(spring, 8 * 60), utc(2026, 3, 29, 6, 0));
	/* the skipped 02:30 reads as 03:30 */
	assert_int_equal(hh_dk_instant(spring, 150), utc(2026, 3, 29, 1, 30));
	/* autumn: 03:00 CEST becomes 02:00 CET at 01:00 UTC; the repeated
	 * 02:30 is its first occurrence */
	assert_int_equal(hh_dk_instant(autumn, 150), utc(2026, 10, 25, 0, 30));
	assert_int_equal(hh_dk_instant(autumn, 3 * 60), utc(2026, 10, 25, 2, 0));
	assert_int_equal(hh_dk_instant(autumn, 8 * 60), utc(2026, 10, 25, 7, 0));
	assert_int_equal(hh_dk_instant(autumn, 22 * 60),
			 utc(2026, 10, 25, 21, 0));
	/* every result reads back as the wall-clock minute asked for,
	 * except the skipped hour */
	for (int64_t d = spring - 2; d <= autumn + 2; d += 1) {
		for (int min = 0; min < 1440; min += 30) {
			int64_t t = hh_dk_instant(d, min);
			if (d == spring && min >= 120 && min < 180)
				continue;
			assert_int_equal(hh_dk_local(t), d * 86400 + min * 60);
		}
	}
}

static const char chat_json[] =
	"{\"901\": {\"chat\": {"
	"  \"week\": {\"mon\": [\"08:00-22:00\"], \"tue\": [\"08:00-22:00\"],"
	"            \"wed\": [\"08:00-22:00\"], \"thu\": [\"08:00-22:00\"],"
	"            \"fri\": [\"08:00-12:00\", \"13:00-22:00\"],"
	"            \"sun\": [\"08:00-22:00\"]},"
	"  \"exceptions\": ["
	"    {\"date\": \"2026-12-24\", \"spans\": [\"08:00-12:00\"],"
	"     \"note\": \"Juleaften\"},"
	"    {\"date\": \"2026-04-05\", \"spans\": [\"10:00-14:00\"]},"
	"    {\"date\": \"2026-12-16\", \"closed\": true, \"note\": \"Lukket\"}]}},"
	" \"902\": {\"counter\": {\"holidays_closed\": false, \"week\": {"
	"   \"mon\": [\"20:00-24:00\"], \"tue\": [\"00:00-24:00\"],"
	"   \"wed\": [\"00:00-02:00\"]}}}}";

static void test_open_on_switch_days(void **state)
{
	struct fx *f = *state;
	int n = -1;
	assert_int_equal(import(f, chat_json, &n), HH_OK);
	assert_int_equal(n, 2);
	const struct hh_hours *h = get(f, f->m901, "chat");
	int64_t change;
	/* 29 March 2026, a Sunday, summer time from 03:00: 08:00 is 06:00
	 * UTC, 22:00 is 20:00 UTC */
	assert_false(hh_hours_open(h, utc(2026, 3, 29, 5, 59), &change));
	assert_int_equal(change, utc(2026, 3, 29, 6, 0));
	assert_true(hh_hours_open(h, utc(2026, 3, 29, 6, 0), &change));
	assert_int_equal(change, utc(2026, 3, 29, 20, 0));
	assert_false(hh_hours_open(h, utc(2026, 3, 29, 20, 0), &change));
	assert_int_equal(change, utc(2026, 3, 30, 6, 0));
	/* 25 October 2026, a Sunday, winter time from 03:00: 08:00 is 07:00
	 * UTC, 22:00 is 21:00 UTC */
	assert_false(hh_hours_open(h, utc(2026, 10, 25, 6, 30), &change));
	assert_int_equal(change, utc(2026, 10, 25, 7, 0));
	assert_true(hh_hours_open(h, utc(2026, 10, 25, 20, 59), &change));
	assert_int_equal(change, utc(2026, 10, 25, 21, 0));
	/* Saturday closed: Friday 22:00 (winter) to Sunday 08:00 */
	assert_false(hh_hours_open(h, utc(2026, 11, 6, 21, 0), &change));
	assert_int_equal(change, utc(2026, 11, 8, 7, 0));
	/* Friday's lunch break */
	assert_false(hh_hours_open(h, utc(2026, 11, 6, 11, 30), &change));
	assert_int_equal(change, utc(2026, 11, 6, 12, 0));
}

static void test_holidays_and_exceptions(void **state)
{
	struct fx *f = *state;
	int n;
	assert_int_equal(import(f, chat_json, &n), HH_OK);
	const struct hh_hours *h = get(f, f->m901, "chat");
	struct hh_hours_day d;
	/* Christmas Day, a Friday, closes (holidays_closed by default) */
	hh_hours_on(h, day_of(2026, 12, 25), &d);
	assert_int_equal(d.n, 0);
	assert_string_equal(d.note, "Juledag");
	/* the exception for Christmas Eve: short hours with its note */
	hh_hours_on(h, day_of(2026, 12, 24), &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.span[0].close_min, 12 * 60);
	assert_string_equal(d.note, "Juleaften");
	/* an exception opens a holiday (Easter Sunday 2026) */
	hh_hours_on(h, day_of(2026, 4, 5), &d);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.span[0].open_min, 10 * 60);
	/* a closed exception on a Wednesday */
	assert_false(hh_hours_open(h, utc(2026, 12, 16, 12, 0), NULL));
	/* Christmas: closed from Thursday 24 at 12:00 (11:00 UTC) through
	 * Friday 25 and Saturday 26 (both holidays) until Sunday 27 at 08:00 */
	int64_t change;
	assert_false(hh_hours_open(h, utc(2026, 12, 24, 11, 0), &change));
	assert_int_equal(change, utc(2026, 12, 27, 7, 0));
	/* with holidays_closed false a holiday keeps the week's hours, and
	 * says what day it is */
	const struct hh_hours *c = get(f, f->m902, "counter");
	hh_hours_on(c, day_of(2026, 4, 6), &d); /* 2. påskedag, a Monday */
	assert_int_equal(d.n, 1);
	assert_string_equal(d.note, "2. påskedag");
	/* a service the organisation does not give */
	const struct hh_hours *none;
	assert_int_equal(hh_hours_get(f->st, &f->a, f->m902, "chat", &none),
			 HH_ERR_NOT_FOUND);
	assert_int_equal(hh_hours_get(f->st, &f->a, f->m901, "fax", &none),
			 HH_ERR_NOT_FOUND);
}

static void test_open_across_midnight(void **state)
{
	struct fx *f = *state;
	int n;
	assert_int_equal(import(f, chat_json, &n), HH_OK);
	const struct hh_hours *h = get(f, f->m902, "counter");
	int64_t change;
	/* open Monday 20:00 through Wednesday 02:00 (winter: UTC+1) */
	assert_true(hh_hours_open(h, utc(2026, 11, 9, 22, 0), &change));
	assert_int_equal(change, utc(2026, 11, 11, 1, 0));
	assert_false(hh_hours_open(h, utc(2026, 11, 11, 1, 0), &change));
	assert_int_equal(change, utc(2026, 11, 16, 19, 0));
}

/* How many of the services the bad files name are in the store. */
static int rows(struct fx *f)
{
	int n = 0;
	const struct hh_hours *h;
	for (const char *s = "counter\0phone\0chat\0"; *s; s += strlen(s) + 1)
		n += hh_hours_get(f->st, &f->a, f->m901, s, &h) == HH_OK;
	return n;
}

static void test_bad_files(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
		"[]",
		"{\"901\": {\"fax\": {\"week\": {}}}}",
		"{\"901\": {\"chat\": {\"week\": {\"mon\": [\"08:00-12:00\", "
		"\"11:00-14:00\"]}}}}",
		"{\"901\": {\"chat\": {\"week\": {\"mon\": [\"25:00-26:00\"]}}}}",
		"{\"901\": {\"chat\": {\"week\": {\"mon\": [\"12:00-08:00\"]}}}}",
		"{\"901\": {\"chat\": {\"week\": {\"monday\": []}}}}",
		"{\"901\": {\"chat\": {\"week\": {}, \"opens\": 1}}}",
		"{\"901\": {\"chat\": {\"week\": {}, \"exceptions\": "
		"[{\"date\": \"2026-02-30\", \"closed\": true}]}}}",
		"{\"901\": {\"chat\": {\"week\": {}, \"exceptions\": "
		"[{\"date\": \"2026-12-24\"}]}}}",
		"{\"901\": {\"chat\": {\"week\": {}, \"exceptions\": "
		"[{\"date\": \"2026-12-24\", \"closed\": true}, "
		"{\"date\": \"2026-12-24\", \"spans\": []}]}}}",
		/* the first organisation is good, the second unknown: nothing
		 * of the file is imported */
		"{\"901\": {\"chat\": {\"week\": {}}}, \"999\": {\"chat\": "
		"{\"week\": {}}}}",
		"{\"901\": {\"chat\": {\"week\": {}}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int n = -1;
		fflush(f->err);
		size_t before = f->errlen;
		assert_int_equal(import(f, bad[i], &n), HH_ERR_INVALID);
		assert_int_equal(n, 0);
		fflush(f->err);
		assert_true(f->errlen > before); /* and said why */
		assert_int_equal(rows(f), 0);
	}
	assert_non_null(strstr(f->errbuf, "hours.json:1: "));
}

static void test_demo_hours(void **state)
{
	struct fx *f = *state;
	/* the repository's own content/hours.json, for its organisations */
	char path[4096];
	snprintf(path, sizeof(path), "%s/hours.json", f->dir);
	FILE *in = fopen("content/hours.json", "rb");
	assert_non_null(in);
	char *text = hh_xmalloc(1 << 20);
	size_t len = fread(text, 1, (1 << 20) - 1, in);
	fclose(in);
	text[len] = 0;
	for (const char *c = "familieretshuset\0sktst\0skifteretten\0udk\0";
	     *c; c += strlen(c) + 1)
		put_org(f->st, c);
	int n = 0;
	assert_int_equal(import(f, text, &n), HH_OK);
	free(text);
	assert_true(n >= 6);
	/* Nordskov's chat is open 08-22 on weekdays, as Sorø's hotline */
	const struct hh_hours *h = get(f, f->m901, "chat");
	assert_true(hh_hours_open(h, utc(2026, 12, 2, 7, 0), NULL));
	assert_false(hh_hours_open(h, utc(2026, 12, 2, 21, 0), NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_instants_on_switch_days),
		cmocka_unit_test_setup_teardown(test_open_on_switch_days, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_holidays_and_exceptions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_across_midnight, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demo_hours, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
