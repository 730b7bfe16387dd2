/* cpr.c - CPR number validation: date, century rule, modulus 11. */
#include "domain/cpr.h"

#include <ctype.h>
#include <string.h>
#include "core/util.h"

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static long days_from_civil(int y, int m, int d)
{
	/* days since 1970-01-01 (Howard Hinnant's algorithm) */
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

enum hh_cpr_check hh_cpr_check(const char *s, char out[12], int *year,
			       long today_days)
{
	int dig[10], n = 0, hyphens = 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c)) {
			if (n == 10)
				return HH_CPR_BAD_FORM;
			dig[n++] = c - '0';
		} else if (c == '-' && n == 6 && !hyphens++) {
			continue; /* one hyphen, between date and serial */
		} else if (c != ' ') {
			return HH_CPR_BAD_FORM;
		}
	}
	if (n != 10)
		return HH_CPR_BAD_FORM;
	int day = dig[0] * 10 + dig[1], month = dig[2] * 10 + dig[3];
	int yy = dig[4] * 10 + dig[5], d7 = dig[6];
	int century;
	if (d7 <= 3)
		century = 1900;
	else if (d7 == 4 || d7 == 9)
		century = yy <= 36 ? 2000 : 1900;
	else
		century = yy <= 57 ? 2000 : 1800;
	int y = century + yy;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month < 1 || month > 12 || day < 1 ||
	    day > mdays[month - 1] + (month == 2 && leap(y)))
		return HH_CPR_BAD_DATE;
	if (!today_days)
		today_days = (long)(hh_now_us() / 1000000 / 86400);
	if (days_from_civil(y, month, day) > today_days)
		return century == 2000 && (d7 >= 5 && d7 <= 8) ? HH_CPR_BAD_CENTURY
							       : HH_CPR_FUTURE;
	if (out) {
		for (int i = 0; i < 6; i++)
			out[i] = (char)('0' + dig[i]);
		out[6] = '-';
		for (int i = 6; i < 10; i++)
			out[i + 1] = (char)('0' + dig[i]);
		out[11] = 0;
	}
	if (year)
		*year = y;
	static const int w[] = { 4, 3, 2, 7, 6, 5, 4, 3, 2, 1 };
	int sum = 0;
	for (int i = 0; i < 10; i++)
		sum += w[i] * dig[i];
	return sum % 11 ? HH_CPR_OK_NO_MOD11 : HH_CPR_OK;
}
