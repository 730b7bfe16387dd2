/* figquery.c - the figures' filters from a query string (figquery.h). */
#include "domain/figquery.h"

#include <stdio.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/catalogue.h"

static const char *const NAMES[2][HH_FQ__COUNT] = {
	[HH_FIGQ_API] = { "from", "to", "period", "channel", "case_type",
			  "topic", "baseline_from", "baseline_to", "after" },
	[HH_FIGQ_PAGE] = { "fra", "til", "periode", "kanal", "sagstype", "emne",
			   "basis_fra", "basis_til", "efter" },
};

const char *hh_figq_name(enum hh_figq_names names, enum hh_figq_key k)
{
	return NAMES[names][k];
}

/* The channels a filter may name; their Danish names are the figures'
 * own (hh_fig_channel_label), so the pages and the breakdowns agree. */
static const struct {
	const char *code;
} CHANNELS[] = {
	{ "phone" }, { "counter" }, { "chat" }, { "email" }, { "web" },
	{ "letter_reply" }, { "self_service" }, { "assisted" }, { "follow_up" },
};
#define N_CHANNELS (int)(sizeof(CHANNELS) / sizeof(CHANNELS[0]))

const char *const *hh_figq_channels(int *n)
{
	static const char *codes[N_CHANNELS];
	/* written once with the same values by any thread: harmless */
	for (int i = 0; i < N_CHANNELS; i++)
		codes[i] = CHANNELS[i].code;
	*n = N_CHANNELS;
	return codes;
}

const char *hh_figq_channel_label(const char *code)
{
	return hh_fig_channel_label(code);
}

/* ---- days ---------------------------------------------------------- */

static int64_t days_of(int day)
{
	return hh_days_from_civil(day / 10000, day / 100 % 100, day % 100);
}

static int day_from(int64_t days)
{
	int64_t y;
	int m, d;
	hh_civil_from_days(days, &y, &m, &d);
	return (int)(y * 10000 + m * 100 + d);
}

int hh_figq_today(void)
{
	return day_from(hh_dk_local(hh_now_us() / 1000000) / 86400);
}

const char *hh_figq_iso(struct hh_arena *a, int day)
{
	return hh_arena_printf(a, "%04d-%02d-%02d", day / 10000, day / 100 % 100,
			       day % 100);
}

const char *hh_figq_day_da(struct hh_arena *a, int day)
{
	static const char *const months[] = { "januar", "februar", "marts",
					      "april", "maj", "juni", "juli",
					      "august", "september", "oktober",
					      "november", "december" };
	int m = day / 100 % 100;
	if (m < 1 || m > 12)
		return "";
	return hh_arena_printf(a, "%d. %s %d", day % 100, months[m - 1],
			       day / 10000);
}

/* "YYYY-MM-DD" of a real date from 2000 to 2099, as YYYYMMDD; 0: not
 * one. */
static int parse_date(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
		(s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	int day = y * 10000 + m * 100 + d;
	/* 31 April, 29 February 2026: the round trip moves them */
	return day_from(days_of(day)) == day ? day : 0;
}

/* The same day n years earlier (29 February: the 28th). */
static int years_back(int day, int n)
{
	int y = day / 10000 - n, m = day / 100 % 100, d = day % 100;
	int back = y * 10000 + m * 100 + d;
	if (day_from(days_of(back)) != back)
		back = y * 10000 + m * 100 + 28;
	return back;
}

#define MAX_SPAN_DAYS 1096 /* three years, one of them a leap year */

/* ---- parsing ------------------------------------------------------- */

static enum hh_rc fail_with(struct hh_figq_error *err, const char *field,
			    const char *da, const char *en)
{
	err->field = field;
	err->da = da;
	err->en = en;
	return HH_ERR_INVALID;
}

/* A KLE number or a prefix of one: "16", "16.10", "16.10.00". */
static int kle_ok(const char *s)
{
	size_t n = strlen(s);
	if (n != 2 && n != 5 && n != 8)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (i % 3 == 2) {
			if (s[i] != '.')
				return 0;
		} else if (s[i] < '0' || s[i] > '9') {
			return 0;
		}
	}
	return 1;
}

/* Parses the period from the dates or the quick choice. */
static enum hh_rc period(enum hh_figq_names nm, const char *from,
			 const char *to, const char *quick, int today,
			 struct hh_figq *out, struct hh_figq_error *err)
{
	const char *f_from = NAMES[nm][HH_FQ_FROM], *f_to = NAMES[nm][HH_FQ_TO];
	if (quick && (from || to))
		return fail_with(err, NAMES[nm][HH_FQ_PERIOD],
				 "Vælg enten en fast periode eller datoer, "
				 "ikke begge.",
				 "period cannot be combined with from or to");
	int64_t t = days_of(today);
	if (quick) {
		int y = today / 10000, m = today / 100 % 100;
		if (!strcmp(quick, "30d")) {
			out->q.from_day = day_from(t - 29);
			out->q.to_day = today;
		} else if (!strcmp(quick, "12m")) {
			out->q.from_day = day_from(days_of(years_back(today, 1)) + 1);
			out->q.to_day = today;
		} else if (!strcmp(quick, "year")) {
			out->q.from_day = y * 10000 + 101;
			out->q.to_day = today;
		} else if (!strcmp(quick, "quarter")) {
			/* the last whole calendar quarter before today's */
			int qm = (m - 1) / 3 * 3 + 1; /* this quarter's first month */
			int first = y * 10000 + qm * 100 + 1;
			int64_t end = days_of(first) - 1;
			out->q.to_day = day_from(end);
			int ey = out->q.to_day / 10000, em = out->q.to_day / 100 % 100;
			out->q.from_day = ey * 10000 + (em - 2) * 100 + 1;
		} else {
			return fail_with(err, NAMES[nm][HH_FQ_PERIOD],
					 "Den faste periode findes ikke. Vælg "
					 "en af de foreslåede.",
					 "one of 30d, quarter, 12m, year");
		}
		out->period = quick;
		return HH_OK;
	}
	if (!from && !to) {
		out->q.from_day = day_from(t - 29);
		out->q.to_day = today;
		return HH_OK;
	}
	if (!from)
		return fail_with(err, f_from,
				 "Skriv også en startdato (fra), fx 2026-01-01.",
				 "from is required with to (YYYY-MM-DD)");
	out->q.from_day = parse_date(from);
	if (!out->q.from_day)
		return fail_with(err, f_from,
				 "Startdatoen er ikke en gyldig dato. Skriv "
				 "den som år-måned-dag, fx 2026-01-01.",
				 "a real date YYYY-MM-DD from 2000 to 2099");
	out->q.to_day = to ? parse_date(to) : today;
	if (!out->q.to_day)
		return fail_with(err, f_to,
				 "Slutdatoen er ikke en gyldig dato. Skriv "
				 "den som år-måned-dag, fx 2026-03-31.",
				 "a real date YYYY-MM-DD from 2000 to 2099");
	if (out->q.from_day > out->q.to_day)
		return fail_with(err, f_to,
				 "Slutdatoen ligger før startdatoen. Byt om på "
				 "dem, eller vælg en anden periode.",
				 "to is before from");
	if (days_of(out->q.to_day) - days_of(out->q.from_day) + 1 > MAX_SPAN_DAYS)
		return fail_with(err, f_to,
				 "Perioden er for lang. Vælg højst tre år.",
				 "the period spans more than three years");
	return HH_OK;
}

static enum hh_rc baseline(enum hh_figq_names nm, const char *from,
			   const char *to, struct hh_figq *out,
			   struct hh_figq_error *err)
{
	const char *f_from = NAMES[nm][HH_FQ_BASE_FROM];
	const char *f_to = NAMES[nm][HH_FQ_BASE_TO];
	if (!from && !to) {
		out->baseline_from = years_back(out->q.from_day, 1);
		out->baseline_to = years_back(out->q.to_day, 1);
		return HH_OK;
	}
	if (!from || !to)
		return fail_with(err, from ? f_to : f_from,
				 "Skriv både start- og slutdato for "
				 "sammenligningsperioden, eller ingen af dem.",
				 "baseline_from and baseline_to go together");
	out->baseline_from = parse_date(from);
	if (!out->baseline_from)
		return fail_with(err, f_from,
				 "Sammenligningsperiodens startdato er ikke en "
				 "gyldig dato. Skriv den som år-måned-dag.",
				 "a real date YYYY-MM-DD from 2000 to 2099");
	out->baseline_to = parse_date(to);
	if (!out->baseline_to)
		return fail_with(err, f_to,
				 "Sammenligningsperiodens slutdato er ikke en "
				 "gyldig dato. Skriv den som år-måned-dag.",
				 "a real date YYYY-MM-DD from 2000 to 2099");
	if (out->baseline_from > out->baseline_to)
		return fail_with(err, f_to,
				 "Sammenligningsperiodens slutdato ligger før "
				 "dens startdato.",
				 "baseline_to is before baseline_from");
	if (days_of(out->baseline_to) - days_of(out->baseline_from) + 1 >
	    MAX_SPAN_DAYS)
		return fail_with(err, f_to,
				 "Sammenligningsperioden er for lang. Vælg "
				 "højst tre år.",
				 "the baseline spans more than three years");
	return HH_OK;
}

/* An empty value is as if the parameter were absent (a form's "Alle"). */
static const char *value(hh_figq_get_fn get, void *ctx, const char *name)
{
	const char *v = get(ctx, name);
	return v && *v ? v : NULL;
}

enum hh_rc hh_figq_parse(struct hh_store *st, struct hh_arena *a,
			 enum hh_figq_names nm, int today, hh_figq_get_fn get,
			 void *ctx, struct hh_figq *out,
			 struct hh_figq_error *err)
{
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	out->today = today ? today : hh_figq_today();
	const char *v[HH_FQ__COUNT];
	for (int k = 0; k < HH_FQ__COUNT; k++) {
		v[k] = value(get, ctx, NAMES[nm][k]);
		if (v[k] && (strlen(v[k]) > 100 || !hh_utf8_valid(v[k], strlen(v[k]))))
			return fail_with(err, NAMES[nm][k],
					 "Et af filtrene har en ugyldig værdi.",
					 "at most 100 characters of UTF-8");
	}
	enum hh_rc rc = period(nm, v[HH_FQ_FROM], v[HH_FQ_TO], v[HH_FQ_PERIOD],
			       out->today, out, err);
	if (rc != HH_OK)
		return rc;
	rc = baseline(nm, v[HH_FQ_BASE_FROM], v[HH_FQ_BASE_TO], out, err);
	if (rc != HH_OK)
		return rc;
	if (v[HH_FQ_CHANNEL]) {
		int known = 0;
		for (int i = 0; i < N_CHANNELS; i++)
			known |= !strcmp(v[HH_FQ_CHANNEL], CHANNELS[i].code);
		if (!known)
			return fail_with(err, NAMES[nm][HH_FQ_CHANNEL],
					 "Kanalen findes ikke. Vælg en fra "
					 "listen.",
					 "one of phone, counter, chat, email, "
					 "web, letter_reply, self_service, "
					 "assisted, follow_up");
		out->q.channel = hh_arena_strdup(a, v[HH_FQ_CHANNEL]);
	}
	if (v[HH_FQ_TOPIC]) {
		if (!kle_ok(v[HH_FQ_TOPIC]))
			return fail_with(err, NAMES[nm][HH_FQ_TOPIC],
					 "Emnet skal være et KLE-nummer eller "
					 "begyndelsen af et, fx 16 eller "
					 "16.10.",
					 "a KLE number or prefix: NN, NN.NN or "
					 "NN.NN.NN");
		out->q.topic = hh_arena_strdup(a, v[HH_FQ_TOPIC]);
	}
	if (v[HH_FQ_AFTER]) {
		char *end;
		long long id = strtoll(v[HH_FQ_AFTER], &end, 10);
		if (*end || id < 1 || v[HH_FQ_AFTER][0] == '+' ||
		    v[HH_FQ_AFTER][0] == ' ')
			return fail_with(err, NAMES[nm][HH_FQ_AFTER],
					 "Sidenummereringen i adressen er "
					 "ugyldig. Gå tilbage til første side.",
					 "a positive whole number");
		out->after = id;
	}
	if (v[HH_FQ_CASE_TYPE]) {
		/* the case type must exist; the figures' reader is staff
		   (the domain checks who may read the figures themselves) */
		struct hh_actor sys = { .label = "figures", .system = 1 };
		struct hh_case_type ct;
		rc = hh_case_type_read(st, a, &sys, v[HH_FQ_CASE_TYPE], &ct);
		if (rc == HH_ERR_NOT_FOUND)
			return fail_with(err, NAMES[nm][HH_FQ_CASE_TYPE],
					 "Sagstypen findes ikke. Vælg en fra "
					 "listen.",
					 "no case type has this code; see "
					 "/api/v1/case-types");
		if (rc != HH_OK)
			return rc;
		out->q.case_type = ct.code;
	}
	return HH_OK;
}
