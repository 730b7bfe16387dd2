/* figformula.c - the service figures' formulas, pure (figformula.h). */
#include "domain/figformula.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/dktime.h"

static int day_of_civil(int64_t days)
{
	int64_t y;
	int m, d;
	hh_civil_from_days(days, &y, &m, &d);
	return (int)(y * 10000 + m * 100 + d);
}

static int64_t civil_of_day(int day)
{
	return hh_days_from_civil(day / 10000, day / 100 % 100, day % 100);
}

int hh_fig_day(int64_t t)
{
	int64_t local = hh_dk_local(t);
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	return day_of_civil(days);
}

int64_t hh_fig_day_start(int day)
{
	int64_t local = civil_of_day(day) * 86400;
	/* midnight is never inside a switch (they happen at 02:00/03:00
	 * local), so the offset an hour before it is the one at it */
	return local - hh_dk_offset(local - 3 * 3600);
}

int hh_fig_day_add(int day, int n)
{
	return day_of_civil(civil_of_day(day) + n);
}

int hh_fig_days_between(int a, int b)
{
	return (int)(civil_of_day(b) - civil_of_day(a));
}

void hh_fig_month_key(int day, char *out)
{
	snprintf(out, 12, "%04d-%02d", day / 10000 % 10000, day / 100 % 100);
}

void hh_fig_week_key(int day, char *out)
{
	int64_t days = civil_of_day(day);
	/* 1970-01-01 was a Thursday: weekday 0 = Monday */
	int wd = (int)(((days + 3) % 7 + 7) % 7);
	int64_t thursday = days - wd + 3;
	int64_t y;
	int m, d;
	hh_civil_from_days(thursday, &y, &m, &d);
	int64_t jan1 = hh_days_from_civil(y, 1, 1);
	int week = (int)((thursday - jan1) / 7 + 1);
	snprintf(out, 12, "%04d-W%02d", (int)(y % 10000), week);
}

struct hh_fig_value hh_fig_share(int64_t num, int64_t den)
{
	struct hh_fig_value v = { .num = num, .den = den, .has = den != 0 };
	v.value = den ? (double)num / (double)den : 0;
	return v;
}

struct hh_fig_value hh_fig_count(int64_t n)
{
	return (struct hh_fig_value){ .value = (double)n, .num = n, .den = n,
				      .has = 1 };
}

struct hh_fig_value hh_fig_fcr(const char *const *first_outcomes, int n)
{
	int64_t num = 0, den = 0;
	for (int i = 0; i < n; i++) {
		const char *o = first_outcomes[i];
		if (!o || !*o || !strcmp(o, "open"))
			continue;
		den++;
		num += !strcmp(o, "resolved_first_contact");
	}
	return hh_fig_share(num, den);
}

struct hh_fig_value hh_fig_transfers_per_100(const int *transfers, int n)
{
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += transfers[i];
	struct hh_fig_value v = hh_fig_share(sum, n);
	v.value *= 100;
	return v;
}

struct hh_fig_value hh_fig_callbacks_kept(const int64_t *due,
					  const int64_t *made, int n)
{
	int64_t kept = 0;
	for (int i = 0; i < n; i++)
		kept += made[i] && made[i] <= due[i];
	return hh_fig_share(kept, n);
}

int hh_fig_is_decision(const char *state)
{
	return state && strcmp(state, "withdrawn") && strcmp(state, "cancelled") &&
	       strcmp(state, "duplicate");
}

const char *hh_fig_case_channel(const char *actor, const char *action)
{
	if (action && !strcmp(action, "followup"))
		return "follow_up";
	if (actor && (!strncmp(actor, "citizen:", 8) || !strncmp(actor, "token:", 6)))
		return "self_service";
	return "assisted";
}

int64_t hh_fig_deadline_end(int64_t submitted_at, int deadline_days,
			    int64_t paused_s)
{
	int last = hh_fig_day_add(hh_fig_day(submitted_at), deadline_days);
	return hh_fig_day_start(hh_fig_day_add(last, 1)) + paused_s;
}

int hh_fig_within(int64_t submitted_at, int deadline_days, int64_t paused_s,
		  int64_t decided_at)
{
	return decided_at < hh_fig_deadline_end(submitted_at, deadline_days,
						paused_s);
}

int64_t hh_fig_proc_seconds(int64_t submitted_at, int64_t paused_s,
			    int64_t decided_at)
{
	int64_t s = decided_at - submitted_at - paused_s;
	return s < 0 ? 0 : s;
}

double hh_fig_proc_days(int64_t submitted_at, int64_t paused_s,
			int64_t decided_at)
{
	return (double)hh_fig_proc_seconds(submitted_at, paused_s, decided_at) /
	       86400.0;
}

int64_t hh_fig_quantile_rank(int64_t n, double p)
{
	if (n <= 0)
		return 0;
	int64_t rank = (int64_t)ceil(p * (double)n - 1e-9);
	return rank < 1 ? 1 : rank > n ? n : rank;
}

struct hh_fig_value hh_fig_quantile(const double *sorted, int n, double p)
{
	struct hh_fig_value v = { .den = n };
	if (n <= 0)
		return v;
	int rank = (int)hh_fig_quantile_rank(n, p);
	v.value = sorted[rank - 1];
	v.num = rank;
	v.has = 1;
	return v;
}

struct hh_fig_value hh_fig_self_service(const char *const *channels, int n)
{
	int64_t num = 0;
	for (int i = 0; i < n; i++)
		num += channels[i] && !strcmp(channels[i], "self_service");
	return hh_fig_share(num, n);
}

struct hh_fig_value hh_fig_mean(const double *v, int n)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	struct hh_fig_value r = { .num = n, .den = n, .has = n > 0 };
	r.value = n ? sum / n : 0;
	return r;
}

double hh_fig_cost(int64_t n, double minutes, double rate)
{
	return (double)n * minutes / 60.0 * rate;
}
