/* test_dktime.c - Danish time and ISO 8601 as Open311 writes and reads
 * them (core/dktime), and the XML writer's escaping (core/xml). */
#include "testutil.h"

#include "core/dktime.h"
#include "core/xml.h"

static void danish_time_follows_the_eu_clock_change(void **state)
{
	/* 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC */
	int64_t spring = hh_days_from_civil(2026, 3, 29) * 86400 + 3600;
	int64_t autumn = hh_days_from_civil(2026, 10, 25) * 86400 + 3600;
	assert_int_equal(hh_dk_offset(spring - 1), 3600);
	assert_int_equal(hh_dk_offset(spring), 7200);
	assert_int_equal(hh_dk_offset(autumn - 1), 7200);
	assert_int_equal(hh_dk_offset(autumn), 3600);
	char s[HH_ISO8601_SIZE];
	hh_iso8601_dk(spring - 1, s);
	assert_string_equal(s, "2026-03-29T01:59:59+01:00");
	hh_iso8601_dk(spring, s);
	assert_string_equal(s, "2026-03-29T03:00:00+02:00");
	hh_iso8601_dk(autumn - 1, s);
	assert_string_equal(s, "2026-10-25T02:59:59+02:00");
	hh_iso8601_dk(autumn, s);
	assert_string_equal(s, "2026-10-25T02:00:00+01:00");
	hh_iso8601_dk(hh_days_from_civil(2024, 12, 31) * 86400 + 23 * 3600 + 30 * 60, s);
	assert_string_equal(s, "2025-01-01T00:30:00+01:00"); /* over new year */
	hh_iso8601_dk(0, s);
	assert_string_equal(s, "1970-01-01T01:00:00+01:00");
	struct hh_arena a;
	hh_arena_init(&a);
	assert_string_equal(hh_date_da(&a, autumn), "25. oktober 2026");
	hh_arena_clear(&a);

	/* what clients may send as start_date and end_date */
	int64_t t, noon = hh_days_from_civil(2026, 1, 5) * 86400 + 12 * 3600;
	assert_true(hh_iso8601_parse("2026-01-05T12:00:00Z", &t));
	assert_int_equal(t, noon);
	assert_true(hh_iso8601_parse("2026-01-05T13:00:00+01:00", &t));
	assert_int_equal(t, noon);
	assert_true(hh_iso8601_parse("2026-01-05T13:00:00 01:00", &t)); /* "+" as space */
	assert_int_equal(t, noon);
	assert_true(hh_iso8601_parse("2026-01-05T07:00-0500", &t));
	assert_int_equal(t, noon);
	assert_true(hh_iso8601_parse("2026-01-05T12:00:00.250Z", &t));
	assert_int_equal(t, noon);
	assert_true(hh_iso8601_parse("2026-01-05T13:00:00", &t)); /* Danish time */
	assert_int_equal(t, noon);
	assert_true(hh_iso8601_parse("2026-07-05T14:00:00", &t)); /* summer */
	assert_int_equal(t, hh_days_from_civil(2026, 7, 5) * 86400 + 12 * 3600);
	assert_true(hh_iso8601_parse("2026-01-05", &t));
	assert_int_equal(t, hh_days_from_civil(2026, 1, 5) * 86400 - 3600);
	const char *bad[] = { "", "2026", "2026-13-01", "2026-02-29", "2026-01-05T25:00",
			      "2026-01-05T12", "2026-01-05T12:00:00+1", "2026-01-05X",
			      "2026-01-05T12:00:00Zz", "05-01-2026", "1969-12-31",
			      "2026-01-05T12:00:00.Z" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (hh_iso8601_parse(bad[i], &t))
			fprintf(stderr, "accepted %s\n", bad[i]);
		assert_false(hh_iso8601_parse(bad[i], &t));
	}
	assert_true(hh_iso8601_parse("2028-02-29", &t)); /* a leap day */
	(void)state;
}

/* t + period p, written in Danish time */
static void added(const char *from, const char *p, const char *want)
{
	int64_t t, u;
	assert_true(hh_iso8601_parse(from, &t));
	assert_true(hh_dk_add_period(t, p, &u));
	char s[HH_ISO8601_SIZE];
	hh_iso8601_dk(u, s);
	if (strcmp(s, want))
		fprintf(stderr, "%s + %s = %s, not %s\n", from, p, s, want);
	assert_string_equal(s, want);
}

static void periods_count_calendar_months_in_danish_time(void **state)
{
	(void)state;
	/* months are calendar months, not 30 days; a shorter month ends
	 * at its last day */
	added("2027-01-31T10:00", "P1M", "2027-02-28T10:00:00+01:00");
	added("2028-01-31T10:00", "P1M", "2028-02-29T10:00:00+01:00");
	added("2026-11-30T14:15", "P3M", "2027-02-28T14:15:00+01:00");
	added("2026-08-31T09:00", "P6M", "2027-02-28T09:00:00+01:00");
	added("2026-12-15T09:00", "P1M", "2027-01-15T09:00:00+01:00");
	added("2026-03-31T09:00", "P1Y", "2027-03-31T09:00:00+02:00");
	added("2028-02-29T09:00", "P1Y", "2029-02-28T09:00:00+01:00");
	added("2026-01-01T00:00", "P1Y2M3D", "2027-03-04T00:00:00+01:00");
	added("2026-12-29T12:00", "P1W", "2027-01-05T12:00:00+01:00");
	/* the Danish clock time stays across the change to summer time
	 * and back: 31 days less an hour, 31 days and an hour */
	added("2027-03-01T10:00", "P1M", "2027-04-01T10:00:00+02:00");
	added("2027-10-01T10:00", "P1M", "2027-11-01T10:00:00+01:00");
	added("2027-03-27T23:30", "P1D", "2027-03-28T23:30:00+02:00");
	int64_t t, u;
	assert_true(hh_iso8601_parse("2027-03-01T10:00", &t));
	assert_true(hh_dk_add_period(t, "P1M", &u));
	assert_int_equal(u - t, 31 * 86400 - 3600);
	/* a clock time the spring change skips is read as winter time */
	added("2027-02-28T02:30", "P1M", "2027-03-28T03:30:00+02:00");
	/* one the autumn change repeats: the first of the two */
	added("2027-08-31T02:30", "P2M", "2027-10-31T02:30:00+02:00");
	/* hours are elapsed time: P1D and PT24H differ across a change */
	added("2027-03-27T12:00", "PT24H", "2027-03-28T13:00:00+02:00");
	added("2027-03-27T12:00", "P1DT1H30M", "2027-03-28T13:30:00+02:00");
	const char *bad[] = { NULL, "", "P", "PT", "1M", "P1", "PM", "P1M1Y",
			      "P1D1W", "P1H", "PT1D", "P1MT", "P-1M", "P1.5M",
			      "P100001D", "P1M ", "PT1H1H" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (hh_dk_add_period(t, bad[i], &u))
			fprintf(stderr, "accepted %s\n", bad[i] ? bad[i] : "NULL");
		assert_false(hh_dk_add_period(t, bad[i], &u));
	}
}

static void item(const char *list, char *out, size_t size)
{
	(void)list;
	snprintf(out, size, "item");
}

static void xml_writer(void **state)
{
	(void)state;
	struct hh_buf b;
	hh_buf_init(&b);
	hh_xml_text(&b, "a&b<c>\"d'\x01\x1f\te\nø");
	assert_string_equal(hh_buf_str(&b), "a&amp;b&lt;c&gt;&quot;d&apos;\te\nø");
	hh_buf_reset(&b);
	json_t *doc = json_pack("{s:s, s:[i, b], s:n, s:{}}", "a", "<x>", "list", 3, 1,
				"none", "empty");
	hh_xml_document(&b, "doc", doc, item);
	assert_string_equal(hh_buf_str(&b),
			    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<doc>\n  <a>&lt;x&gt;</a>\n  <list>\n    <item>3</item>\n"
			    "    <item>true</item>\n  </list>\n  <none/>\n  <empty/>\n"
			    "</doc>\n");
	json_decref(doc);
	hh_buf_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(danish_time_follows_the_eu_clock_change),
		cmocka_unit_test(periods_count_calendar_months_in_danish_time),
		cmocka_unit_test(xml_writer),
	};
	return cmocka_run_group_tests_name("core/dktime", tests, NULL, NULL);
}
