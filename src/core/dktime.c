/* dktime.c - Danish time (see dktime.h). */
#include "core/dktime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t hh_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void hh_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* 01:00 UTC on the last Sunday of month m of year y: when the EU changes
 * the clocks. */
static int64_t eu_switch(int64_t y, int m)
{
	int64_t last = hh_days_from_civil(y, m + 1, 1) - 1;
	int64_t wd = ((last + 4) % 7 + 7) % 7; /* 0: Sunday; 1970-01-01 was a
						  Thursday */
	return (last - wd) * 86400 + 3600;
}

int hh_dk_offset(int64_t t)
{
	int64_t y;
	int m, d;
	hh_civil_from_days(floor_div(t, 86400), &y, &m, &d);
	return t >= eu_switch(y, 3) && t < eu_switch(y, 10) ? 7200 : 3600;
}

int64_t hh_dk_local(int64_t t)
{
	return t + hh_dk_offset(t);
}

/* The instant whose Danish wall-clock time is local: of the two the
 * autumn change repeats, the first (summer time); one the spring change
 * skips is read as winter time. */
static int64_t dk_from_local(int64_t local)
{
	if (hh_dk_local(local - 7200) == local)
		return local - 7200;
	return local - 3600;
}

int hh_dk_add_period(int64_t t, const char *p, int64_t *out)
{
	if (!p || *p != 'P' || !p[1])
		return 0;
	p++;
	/* designators in order: Y M W D, then T H M S */
	static const char date_units[] = "YMWD", time_units[] = "HMS";
	int64_t n[7] = { 0 };
	int next = 0, in_time = 0, any_time = 0;
	while (*p) {
		if (*p == 'T') {
			if (in_time || !p[1])
				return 0;
			in_time = 1;
			next = next > 4 ? next : 4;
			p++;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return 0;
		int64_t v = 0;
		while (isdigit((unsigned char)*p)) {
			v = v * 10 + (*p - '0');
			if (v > 100000)
				return 0;
			p++;
		}
		const char *units = in_time ? time_units : date_units;
		const char *u = *p ? strchr(units, *p) : NULL;
		if (!u)
			return 0;
		int slot = (int)(u - units) + (in_time ? 4 : 0);
		if (slot < next)
			return 0;
		n[slot] = v;
		next = slot + 1;
		any_time |= in_time;
		p++;
	}
	if (in_time && !any_time)
		return 0;
	int64_t local = hh_dk_local(t);
	int64_t days = floor_div(local, 86400), secs = local - days * 86400;
	int64_t y;
	int m, d;
	hh_civil_from_days(days, &y, &m, &d);
	int64_t months = (int64_t)m - 1 + n[1] + 12 * n[0];
	y += floor_div(months, 12);
	m = (int)(months - floor_div(months, 12) * 12) + 1;
	int last = (int)(hh_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
			 hh_days_from_civil(y, m, 1));
	if (d > last)
		d = last;
	days = hh_days_from_civil(y, m, d) + 7 * n[2] + n[3];
	*out = dk_from_local(days * 86400 + secs) + 3600 * n[4] + 60 * n[5] + n[6];
	return 1;
}

static const char *const months_da[] = { "januar",  "februar",  "marts",
					 "april",   "maj",      "juni",
					 "juli",    "august",   "september",
					 "oktober", "november", "december" };

const char *hh_date_da(struct hh_arena *a, int64_t t)
{
	int64_t y;
	int m, d;
	hh_civil_from_days(floor_div(hh_dk_local(t), 86400), &y, &m, &d);
	return hh_arena_printf(a, "%d. %s %lld", d, months_da[m - 1], (long long)y);
}

const char *hh_datetime_da(struct hh_arena *a, int64_t t)
{
	int64_t l = hh_dk_local(t), s = l - floor_div(l, 86400) * 86400;
	return hh_arena_printf(a, "%s kl. %02d.%02d", hh_date_da(a, t),
			       (int)(s / 3600), (int)(s / 60 % 60));
}

void hh_iso8601_dk(int64_t t, char out[HH_ISO8601_SIZE])
{
	int off = hh_dk_offset(t);
	int64_t local = t + off, y;
	int m, dd;
	hh_civil_from_days(floor_div(local, 86400), &y, &m, &dd);
	int64_t s = local - floor_div(local, 86400) * 86400;
	snprintf(out, HH_ISO8601_SIZE, "%04lld-%02d-%02dT%02d:%02d:%02d+%02d:00",
		 (long long)y, m, dd, (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60),
		 off / 3600);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* ---- ISO 8601 (Open311 speaks it) ---------------------------------------- */

int hh_iso8601_parse(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	if (strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' ||
	    !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
		return 0;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return 0;
	const char *p = s + 10;
	if (*p == 'T' || *p == 't') {
		if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi))
			return 0;
		p += 6;
		if (*p == ':') {
			if (!digits(p + 1, 2, &se))
				return 0;
			p += 3;
			if (*p == '.' || *p == ',') {
				p++;
				if (!isdigit((unsigned char)*p))
					return 0;
				while (isdigit((unsigned char)*p))
					p++;
			}
		}
		if (h > 23 || mi > 59 || se > 60)
			return 0;
	}
	int64_t t = hh_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
	if (!*p) {
		*out = t - hh_dk_offset(t - 3600);
		return 1;
	}
	if ((*p == 'Z' || *p == 'z') && !p[1]) {
		*out = t;
		return 1;
	}
	if (*p != '+' && *p != '-' && *p != ' ')
		return 0;
	int sign = *p == '-' ? -1 : 1, oh, om = 0;
	p++;
	if (!digits(p, 2, &oh))
		return 0;
	p += 2;
	if (*p == ':')
		p++;
	if (*p && (!digits(p, 2, &om) || p[2]))
		return 0;
	if (oh > 23 || om > 59)
		return 0;
	*out = t - sign * (oh * 3600 + om * 60);
	return 1;
}

