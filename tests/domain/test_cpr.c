/* test_cpr.c - CPR numbers: the form, the date, the century from the 7th
 * digit, birth dates in the future, and modulus 11 as a warning only. */
#include "testutil.h"

#include <time.h>

#include "domain/cpr.h"

/* Days since 1970-01-01 of a calendar date (the clock hh_cpr_check uses). */
static long days(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
			 .tm_hour = 12 };
	return (long)(timegm(&tm) / 86400);
}

/* A fixed "today" so the tests do not age: 1 June 2026. */
#define TODAY days(2026, 6, 1)

static const int weights[10] = { 4, 3, 2, 7, 6, 5, 4, 3, 2, 1 };

static int mod11_sum(const char *ten)
{
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += weights[i] * (ten[i] - '0');
	return sum % 11;
}

/* Completes the 9 digits "DDMMYYSSS" with a last digit that passes
 * modulus 11 (want_ok) or fails it, into out ("DDMMYY-SSSS"). Returns 0
 * when no such digit exists for this prefix. */
static int complete(const char *nine, int want_ok, char out[12])
{
	char ten[11];
	memcpy(ten, nine, 9);
	ten[10] = 0;
	for (char c = '0'; c <= '9'; c++) {
		ten[9] = c;
		if ((mod11_sum(ten) == 0) == want_ok) {
			snprintf(out, 12, "%.6s-%.4s", ten, ten + 6);
			return 1;
		}
	}
	return 0;
}

/* Checks s against TODAY and returns the outcome; *year gets the year. */
static enum hh_cpr_check check(const char *s, int *year)
{
	char out[12];
	*year = -1;
	return hh_cpr_check(s, out, year, TODAY);
}

/* The birth year of the number built from day-month, yy, the 7th digit,
 * whatever modulus 11 says; -1 when the number is refused. */
static int year_of(const char *ddmm, int yy, int d7, long today)
{
	char nine[10], s[12], out[12];
	snprintf(nine, sizeof(nine), "%s%02d%d12", ddmm, yy, d7);
	if (!complete(nine, 1, s))
		assert_true(complete(nine, 0, s));
	int year = -1;
	enum hh_cpr_check r = hh_cpr_check(s, out, &year, today);
	if (r != HH_CPR_OK && r != HH_CPR_OK_NO_MOD11)
		return -1;
	return year;
}

/* ---- tests ------------------------------------------------------------ */

static void valid_numbers(void **state)
{
	(void)state;
	char out[12];
	int year = 0;
	/* the textbook example: 4*0+3*7+2*0+7*7+6*6+5*1+4*4+3*2+2*8+1*5 = 154 */
	assert_int_equal(hh_cpr_check("070761-4285", out, &year, TODAY), HH_CPR_OK);
	assert_string_equal(out, "070761-4285");
	assert_int_equal(year, 1961);
	/* without the hyphen, normalised with it */
	memset(out, 'x', sizeof(out));
	assert_int_equal(hh_cpr_check("0707614285", out, &year, TODAY), HH_CPR_OK);
	assert_string_equal(out, "070761-4285");
	/* spaces around are tolerated (typed or pasted) */
	assert_int_equal(hh_cpr_check(" 070761-4285 ", out, NULL, TODAY), HH_CPR_OK);
	assert_string_equal(out, "070761-4285");
	/* out and year may be NULL */
	assert_int_equal(hh_cpr_check("070761-4285", NULL, NULL, TODAY), HH_CPR_OK);
	/* generated valid numbers for many dates all pass */
	static const char *const prefixes[] = { "010100012", "311299312",
						"150657123", "280286201",
						"010110412", "311237987" };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		char s[12];
		assert_true(complete(prefixes[i], 1, s));
		assert_int_equal(hh_cpr_check(s, out, NULL, TODAY), HH_CPR_OK);
		assert_string_equal(out, s);
	}
	/* today = 0 means the real clock: a 1961 birth is in the past */
	assert_int_equal(hh_cpr_check("070761-4285", out, &year, 0), HH_CPR_OK);
}

static void century_rule(void **state)
{
	(void)state;
	long far = days(2100, 1, 1); /* so that 20xx births are not future */
	/* 0-3: always the 1900s */
	for (int d7 = 0; d7 <= 3; d7++) {
		assert_int_equal(year_of("0101", 0, d7, far), 1900);
		assert_int_equal(year_of("0101", 36, d7, far), 1936);
		assert_int_equal(year_of("0101", 37, d7, far), 1937);
		assert_int_equal(year_of("0101", 57, d7, far), 1957);
		assert_int_equal(year_of("0101", 58, d7, far), 1958);
		assert_int_equal(year_of("0101", 99, d7, far), 1999);
	}
	/* 4 and 9: the 2000s up to 36, the 1900s from 37 */
	static const int fournine[] = { 4, 9 };
	for (int i = 0; i < 2; i++) {
		int d7 = fournine[i];
		assert_int_equal(year_of("0101", 0, d7, far), 2000);
		assert_int_equal(year_of("0101", 36, d7, far), 2036);
		assert_int_equal(year_of("0101", 37, d7, far), 1937);
		assert_int_equal(year_of("0101", 57, d7, far), 1957);
		assert_int_equal(year_of("0101", 58, d7, far), 1958);
		assert_int_equal(year_of("0101", 99, d7, far), 1999);
	}
	/* 5-8: the 2000s up to 57, the 1800s from 58 */
	for (int d7 = 5; d7 <= 8; d7++) {
		assert_int_equal(year_of("0101", 0, d7, far), 2000);
		assert_int_equal(year_of("0101", 36, d7, far), 2036);
		assert_int_equal(year_of("0101", 37, d7, far), 2037);
		assert_int_equal(year_of("0101", 57, d7, far), 2057);
		assert_int_equal(year_of("0101", 58, d7, far), 1858);
		assert_int_equal(year_of("0101", 99, d7, far), 1899);
	}
	/* against today (2026): the same edges */
	int y;
	char s[12];
	assert_true(complete("010137412", 1, s));
	assert_int_equal(check(s, &y), HH_CPR_OK);
	assert_int_equal(y, 1937);
	assert_true(complete("010158512", 1, s));
	assert_int_equal(check(s, &y), HH_CPR_OK);
	assert_int_equal(y, 1858);
	assert_true(complete("010110712", 1, s));
	assert_int_equal(check(s, &y), HH_CPR_OK);
	assert_int_equal(y, 2010);
}

static void leap_days(void **state)
{
	(void)state;
	long far = days(2100, 1, 1);
	/* 1900 is not a leap year (divisible by 100), 2000 is (by 400) */
	assert_int_equal(year_of("2902", 0, 0, far), -1);   /* 1900 */
	assert_int_equal(year_of("2902", 0, 3, far), -1);   /* 1900 */
	assert_int_equal(year_of("2902", 0, 4, far), 2000); /* 2000 */
	assert_int_equal(year_of("2902", 0, 9, far), 2000);
	assert_int_equal(year_of("2902", 0, 5, far), 2000);
	assert_int_equal(year_of("2802", 0, 0, far), 1900);
	/* ordinary leap years and the years after them */
	assert_int_equal(year_of("2902", 96, 1, far), 1996);
	assert_int_equal(year_of("2902", 97, 1, far), -1);
	assert_int_equal(year_of("2902", 24, 4, far), 2024);
	assert_int_equal(year_of("2902", 23, 4, far), -1);
	assert_int_equal(year_of("2902", 60, 6, far), 1860);
	assert_int_equal(year_of("2902", 58, 6, far), -1); /* 1858 */
	/* the refusal is the date, not the form */
	char s[12], out[12];
	assert_true(complete("290297112", 1, s));
	assert_int_equal(hh_cpr_check(s, out, NULL, TODAY), HH_CPR_BAD_DATE);
	assert_true(complete("290200012", 1, s) || complete("290200012", 0, s));
	assert_int_equal(hh_cpr_check(s, out, NULL, TODAY), HH_CPR_BAD_DATE);
}

static void impossible_dates(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"0001611234", /* day 0 */
		"3201611234", /* day 32 */
		"0100611234", /* month 0 */
		"0113611234", /* month 13 */
		"3104611234", /* 31 April */
		"3106611234", /* 31 June */
		"3109611234", /* 31 September */
		"3111611234", /* 31 November */
		"3002611234", /* 30 February */
		"9999999999",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[12] = "unchanged";
		int year = -7;
		if (hh_cpr_check(bad[i], out, &year, TODAY) != HH_CPR_BAD_DATE)
			fail_msg("%s was not refused as a date", bad[i]);
		/* nothing is written for a refused number */
		assert_string_equal(out, "unchanged");
		assert_int_equal(year, -7);
	}
	/* the last days of the long months exist */
	char out[12];
	assert_int_not_equal(hh_cpr_check("3101611234", out, NULL, TODAY),
			     HH_CPR_BAD_DATE);
	assert_int_not_equal(hh_cpr_check("3112611234", out, NULL, TODAY),
			     HH_CPR_BAD_DATE);
	assert_int_not_equal(hh_cpr_check("3008611234", out, NULL, TODAY),
			     HH_CPR_BAD_DATE);
}

static void born_in_the_future(void **state)
{
	(void)state;
	char s[12], out[12];
	int year;
	/* 7th digit 4: 2030 by the rule, after today */
	assert_true(complete("010130412", 1, s));
	assert_int_equal(hh_cpr_check(s, out, &year, TODAY), HH_CPR_FUTURE);
	/* born today is fine, tomorrow is not (4: 2000s) */
	assert_true(complete("010626412", 1, s));
	assert_int_equal(hh_cpr_check(s, out, &year, TODAY), HH_CPR_OK);
	assert_int_equal(year, 2026);
	assert_true(complete("020626412", 1, s));
	assert_int_equal(hh_cpr_check(s, out, &year, TODAY), HH_CPR_FUTURE);
	/* 7th digit 5-8 with a year that the rule puts after today: no
	 * century gives a real birth date */
	assert_true(complete("010150512", 0, s));
	assert_int_equal(hh_cpr_check(s, out, &year, TODAY), HH_CPR_BAD_CENTURY);
	assert_true(complete("010157812", 1, s));
	assert_int_equal(hh_cpr_check(s, out, &year, TODAY), HH_CPR_BAD_CENTURY);
	/* the same numbers are fine once that day has come */
	assert_int_equal(hh_cpr_check(s, out, &year, days(2057, 1, 1)), HH_CPR_OK);
	assert_int_equal(year, 2057);
}

static void bad_form(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"070761428",     /* 9 digits */
		"070761-428",    /* 9 digits with the hyphen */
		"07076142851",   /* 11 digits */
		"070761-42851",  /* 11 digits with the hyphen */
		"070761-428a",   /* a letter */
		"o70761-4285",   /* a letter o for a zero */
		"07076-14285",   /* hyphen after 5 digits */
		"0707614-285",   /* hyphen after 7 digits */
		"-0707614285",   /* hyphen first */
		"0707614285-",   /* hyphen last */
		"070761--4285",  /* two hyphens */
		"070761/4285",   /* another separator */
		"07.07.61-4285", /* dots */
		"070761-4285\n", /* a newline */
		"070761−4285",   /* a Unicode minus, not a hyphen */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[12] = "unchanged";
		if (hh_cpr_check(bad[i], out, NULL, TODAY) != HH_CPR_BAD_FORM)
			fail_msg("'%s' was not refused as the wrong form", bad[i]);
		assert_string_equal(out, "unchanged");
	}
}

static void mod11_is_only_a_warning(void **state)
{
	(void)state;
	char s[12], out[12];
	int year = 0;
	/* the textbook example with its last digit changed */
	assert_int_equal(hh_cpr_check("070761-4286", out, &year, TODAY),
			 HH_CPR_OK_NO_MOD11);
	/* still normalised and dated: the number is accepted */
	assert_string_equal(out, "070761-4286");
	assert_int_equal(year, 1961);
	assert_int_equal(hh_cpr_check("0707614286", out, NULL, TODAY),
			 HH_CPR_OK_NO_MOD11);
	assert_string_equal(out, "070761-4286");
	/* numbers issued since 2007 often fail it; accepted all the same */
	assert_true(complete("010110412", 0, s));
	assert_int_equal(hh_cpr_check(s, out, &year, TODAY), HH_CPR_OK_NO_MOD11);
	assert_int_equal(year, 2010);
	/* a date error wins over the warning */
	assert_true(complete("320110412", 0, s));
	assert_int_equal(hh_cpr_check(s, out, NULL, TODAY), HH_CPR_BAD_DATE);
	/* every last digit but the right one fails modulus 11 */
	int ok = 0, warn = 0;
	for (char c = '0'; c <= '9'; c++) {
		char n[12] = "070761-428";
		n[10] = c;
		n[11] = 0;
		enum hh_cpr_check r = hh_cpr_check(n, out, NULL, TODAY);
		ok += r == HH_CPR_OK;
		warn += r == HH_CPR_OK_NO_MOD11;
	}
	assert_int_equal(ok, 1);
	assert_int_equal(warn, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_numbers),
		cmocka_unit_test(century_rule),
		cmocka_unit_test(leap_days),
		cmocka_unit_test(impossible_dates),
		cmocka_unit_test(born_in_the_future),
		cmocka_unit_test(bad_form),
		cmocka_unit_test(mod11_is_only_a_warning),
	};
	return cmocka_run_group_tests_name("domain/cpr", tests, NULL, NULL);
}
