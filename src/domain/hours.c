/* hours.c - opening hours per organisation and service (see hours.h). */
#include "domain/hours.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/orgfile.h"

static const char *const services[] = { "counter", "phone", "chat" };
static const char *const weekdays[7] = { "mon", "tue", "wed", "thu",
					 "fri", "sat", "sun" };

/* How far ahead hh_hours_open looks for the next opening. */
#define LOOKAHEAD_DAYS 31

struct exception_day {
	int64_t day;
	struct hh_hours_day hours;
};

struct hh_hours {
	struct hh_hours_day week[7]; /* Monday first */
	int holidays_closed;
	size_t n_exc;
	struct exception_day *exc; /* sorted by day */
};

int hh_hours_service_ok(const char *s)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < sizeof(services) / sizeof(*services); i++)
		if (!strcmp(s, services[i]))
			return 1;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* ---- Danish time and holidays ----------------------------------------- */

int64_t hh_dk_instant(int64_t day, int min)
{
	int64_t local = day * 86400 + (int64_t)min * 60;
	/* Summer time first: a repeated autumn hour is its first, CEST,
	 * occurrence. A skipped spring hour is neither; read as winter time
	 * it is the same distance after the switch. */
	if (hh_dk_offset(local - 7200) == 7200)
		return local - 7200;
	return local - 3600;
}

/* Easter Sunday of year y as days since the epoch (the anonymous
 * Gregorian algorithm). */
static int64_t easter(int64_t y)
{
	int64_t a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
	int64_t f = (b + 8) / 25, g = (b - f + 1) / 3;
	int64_t h = (19 * a + b - d - g + 15) % 30;
	int64_t i = c / 4, k = c % 4;
	int64_t l = (32 + 2 * e + 2 * i - h - k) % 7;
	int64_t m = (a + 11 * h + 22 * l) / 451;
	int month = (int)((h + l - 7 * m + 114) / 31);
	int dom = (int)((h + l - 7 * m + 114) % 31) + 1;
	return hh_days_from_civil(y, month, dom);
}

const char *hh_dk_holiday(int64_t day)
{
	int64_t y;
	int m, d;
	hh_civil_from_days(day, &y, &m, &d);
	if (m == 1 && d == 1)
		return "Nytårsdag";
	if (m == 12 && d == 25)
		return "Juledag";
	if (m == 12 && d == 26)
		return "2. juledag";
	static const struct {
		int offset;
		const char *name;
	} moving[] = {
		{ -3, "Skærtorsdag" },    { -2, "Langfredag" },
		{ 0, "Påskedag" },        { 1, "2. påskedag" },
		{ 39, "Kristi himmelfartsdag" }, { 49, "Pinsedag" },
		{ 50, "2. pinsedag" },
	};
	int64_t e = easter(y);
	for (size_t i = 0; i < sizeof(moving) / sizeof(*moving); i++)
		if (day == e + moving[i].offset)
			return moving[i].name;
	if (y < 2024 && day == e + 26)
		return "Store bededag";
	return NULL;
}

/* ---- the spec ----------------------------------------------------------- */

/* "HH:MM" of 00:00..24:00 into minutes; -1 if malformed. */
static int hhmm(const char *s, size_t n)
{
	if (n != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

static int span_cmp(const void *x, const void *y)
{
	const struct hh_hours_span *a = x, *b = y;
	return (a->open_min > b->open_min) - (a->open_min < b->open_min);
}

/* Reads an array of "HH:MM-HH:MM" into out; NULL or a message. */
static const char *read_spans(json_t *arr, struct hh_hours_day *out)
{
	out->n = 0;
	if (!json_is_array(arr))
		return "spans must be an array of \"HH:MM-HH:MM\"";
	if (json_array_size(arr) > HH_HOURS_MAX_SPANS)
		return "at most 4 spans a day";
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *s = json_string_value(v);
		const char *dash = s ? strchr(s, '-') : NULL;
		int o = dash ? hhmm(s, (size_t)(dash - s)) : -1;
		int c = dash ? hhmm(dash + 1, strlen(dash + 1)) : -1;
		if (o < 0 || c < 0)
			return "a span must be \"HH:MM-HH:MM\" (00:00 to 24:00)";
		if (o >= c)
			return "a span must close after it opens";
		out->span[out->n].open_min = o;
		out->span[out->n].close_min = c;
		out->n++;
	}
	qsort(out->span, (size_t)out->n, sizeof(*out->span), span_cmp);
	for (int k = 1; k < out->n; k++)
		if (out->span[k].open_min < out->span[k - 1].close_min)
			return "spans in a day must not overlap";
	return NULL;
}

/* "YYYY-MM-DD" (a real date from 1970) into days since the epoch. */
static int date_read(const char *s, int64_t *day)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	*day = hh_days_from_civil(y, m, d);
	int64_t yy;
	int mm, dd;
	hh_civil_from_days(*day, &yy, &mm, &dd);
	return yy == y && mm == m && dd == d;
}

static int exc_cmp(const void *x, const void *y)
{
	const struct exception_day *a = x, *b = y;
	return (a->day > b->day) - (a->day < b->day);
}

/* Reads one service's spec into h (strings into a); NULL or a message. */
static const char *read_spec(struct hh_arena *a, json_t *spec,
			     struct hh_hours *h)
{
	memset(h, 0, sizeof(*h));
	if (!json_is_object(spec))
		return "a service must be an object with \"week\"";
	const char *key;
	json_t *v;
	json_object_foreach(spec, key, v)
	{
		if (strcmp(key, "week") && strcmp(key, "holidays_closed") &&
		    strcmp(key, "exceptions"))
			return "unknown field (week, holidays_closed, exceptions)";
	}
	json_t *week = json_object_get(spec, "week");
	if (!json_is_object(week))
		return "\"week\" must be an object of mon..sun";
	json_object_foreach(week, key, v)
	{
		int wd = -1;
		for (int i = 0; i < 7; i++)
			if (!strcmp(key, weekdays[i]))
				wd = i;
		if (wd < 0)
			return "week days are mon, tue, wed, thu, fri, sat, sun";
		const char *err = read_spans(v, &h->week[wd]);
		if (err)
			return err;
	}
	json_t *hc = json_object_get(spec, "holidays_closed");
	if (hc && !json_is_boolean(hc))
		return "\"holidays_closed\" must be true or false";
	h->holidays_closed = hc ? json_is_true(hc) : 1;
	json_t *exc = json_object_get(spec, "exceptions");
	if (!exc)
		return NULL;
	if (!json_is_array(exc))
		return "\"exceptions\" must be an array";
	h->n_exc = json_array_size(exc);
	h->exc = hh_arena_calloc(a, (h->n_exc + 1) * sizeof(*h->exc));
	size_t i;
	json_array_foreach(exc, i, v)
	{
		struct exception_day *e = &h->exc[i];
		const char *date = json_string_value(json_object_get(v, "date"));
		json_t *closed = json_object_get(v, "closed");
		json_t *spans = json_object_get(v, "spans");
		json_t *note = json_object_get(v, "note");
		size_t known = !!json_object_get(v, "date") + !!closed + !!spans +
			       !!note;
		if (!json_is_object(v) || json_object_size(v) != known)
			return "an exception has date, closed or spans, and note";
		if (!date_read(date, &e->day))
			return "an exception's date must be YYYY-MM-DD";
		if ((closed && !json_is_true(closed)) || !!closed == !!spans)
			return "an exception is \"closed\": true or has \"spans\"";
		if (spans) {
			const char *err = read_spans(spans, &e->hours);
			if (err)
				return err;
		}
		if (note) {
			const char *s = json_string_value(note);
			if (!s || !*s || strlen(s) > 200 ||
			    !hh_utf8_valid(s, strlen(s)))
				return "an exception's note must be text (1-200 bytes)";
			e->hours.note = hh_arena_strdup(a, s);
		}
	}
	qsort(h->exc, h->n_exc, sizeof(*h->exc), exc_cmp);
	for (size_t k = 1; k < h->n_exc; k++)
		if (h->exc[k].day == h->exc[k - 1].day)
			return "two exceptions for the same date";
	return NULL;
}

/* ---- reading ------------------------------------------------------------ */

struct get_ctx {
	struct hh_arena *a;
	int64_t org_id;
	const char *service;
	const char *spec;
};

static enum hh_rc get_tx(struct hh_tx *tx, void *p)
{
	struct get_ctx *c = p;
	return tx->store->hours_get(tx, c->a, c->org_id, c->service, &c->spec);
}

enum hh_rc hh_hours_get(struct hh_store *st, struct hh_arena *a,
			int64_t org_id, const char *service,
			const struct hh_hours **out)
{
	*out = NULL;
	if (!hh_hours_service_ok(service))
		return HH_ERR_NOT_FOUND;
	struct get_ctx c = { .a = a, .org_id = org_id, .service = service };
	enum hh_rc rc = hh_store_run_tx(st, 0, get_tx, &c);
	if (rc != HH_OK)
		return rc;
	json_t *spec = json_loads(c.spec, 0, NULL);
	struct hh_hours *h = hh_arena_calloc(a, sizeof(*h));
	const char *err = spec ? read_spec(a, spec, h) : "not JSON";
	json_decref(spec);
	if (err) {
		/* checked on import: a stored spec that no longer reads is
		 * the store's fault */
		return HH_ERR_INTERNAL;
	}
	*out = h;
	return HH_OK;
}

void hh_hours_on(const struct hh_hours *h, int64_t day,
		 struct hh_hours_day *out)
{
	size_t lo = 0, hi = h->n_exc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->exc[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < h->n_exc && h->exc[lo].day == day) {
		*out = h->exc[lo].hours;
		return;
	}
	const char *holiday = hh_dk_holiday(day);
	if (holiday && h->holidays_closed) {
		memset(out, 0, sizeof(*out));
		out->note = holiday;
		return;
	}
	*out = h->week[((day + 3) % 7 + 7) % 7];
	out->note = holiday;
}

int hh_hours_open(const struct hh_hours *h, int64_t t, int64_t *change_at)
{
	int64_t local = hh_dk_local(t);
	int64_t day = floor_div(local, 86400);
	int64_t sec = local - day * 86400;
	struct hh_hours_day d;
	hh_hours_on(h, day, &d);
	int open = 0;
	int64_t change = 0;
	for (int i = 0; i < d.n; i++) {
		if (sec >= d.span[i].open_min * 60 &&
		    sec < d.span[i].close_min * 60) {
			open = 1;
			/* a span to midnight runs on into one from midnight */
			int64_t cday = day;
			int close = d.span[i].close_min;
			while (close == 1440) {
				struct hh_hours_day next;
				hh_hours_on(h, cday + 1, &next);
				if (!next.n || next.span[0].open_min != 0)
					break;
				if (++cday - day > LOOKAHEAD_DAYS) {
					close = -1; /* no closing in sight */
					break;
				}
				close = next.span[0].close_min;
			}
			change = close < 0 ? 0 : hh_dk_instant(cday, close);
			break;
		}
		if (sec < d.span[i].open_min * 60) {
			change = hh_dk_instant(day, d.span[i].open_min);
			break;
		}
	}
	for (int k = 1; !open && !change && k <= LOOKAHEAD_DAYS; k++) {
		hh_hours_on(h, day + k, &d);
		if (d.n)
			change = hh_dk_instant(day + k, d.span[0].open_min);
	}
	if (change_at)
		*change_at = change;
	return open;
}

/* ---- import ------------------------------------------------------------- */

/* One organisation's services: NULL when each reads, else why not. */
static const char *check_org(struct hh_arena *a, json_t *v)
{
	if (!json_is_object(v))
		return "expected an object of services";
	const char *service;
	json_t *spec;
	json_object_foreach(v, service, spec)
	{
		struct hh_hours h;
		const char *err = hh_hours_service_ok(service)
					  ? read_spec(a, spec, &h)
					  : "services are counter, phone and chat";
		if (err)
			return hh_arena_printf(a, "%s: %s", service, err);
	}
	return NULL;
}

static enum hh_rc put_org(struct hh_tx *tx, struct hh_arena *a,
			  int64_t org_id, json_t *v, int *n)
{
	const char *service;
	json_t *spec;
	json_object_foreach(v, service, spec)
	{
		char *s = json_dumps(spec, JSON_COMPACT | JSON_SORT_KEYS);
		if (!s)
			return HH_ERR_INTERNAL;
		enum hh_rc rc = tx->store->hours_put(tx, org_id, service, s);
		free(s);
		if (rc != HH_OK)
			return rc;
		(*n)++;
	}
	return HH_OK;
}

enum hh_rc hh_hours_import(struct hh_store *st, const char *dir, FILE *errs,
			   int *n)
{
	static const struct hh_org_file file = { "hours.json", check_org,
						 put_org };
	return hh_org_file_import(st, dir, &file, errs, n);
}
