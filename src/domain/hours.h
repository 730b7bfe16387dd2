/* hours.h - opening hours per organisation and service, as data.
 *
 * Each organisation gives, per service ("counter": the desk and the
 * bookable counter services, "phone", "chat"), a week of opening spans,
 * whether the Danish public holidays close it, and exceptions for single
 * dates (closed, or other spans, with a note such as "Juleaften"). Times
 * are Danish wall-clock times (core/dktime.h), so 08:00 is 08:00 in winter
 * and in summer, and the day the clocks change has 23 or 25 hours.
 *
 * The hours come from content/hours.json (hh_hours_import) into the store;
 * reading them is public (no access rule applies: opening hours are on
 * every contact page). */
#ifndef HH_DOMAIN_HOURS_H
#define HH_DOMAIN_HOURS_H

#include <stdint.h>
#include <stdio.h>

#include "core/arena.h"
#include "store/store.h"

#define HH_HOURS_MAX_SPANS 4

/* One opening span: minutes after local midnight, 0 <= open < close
 * <= 1440. */
struct hh_hours_span {
	int open_min;
	int close_min;
};

/* The hours of one local date. */
struct hh_hours_day {
	int n;                  /* spans, 0: closed all day */
	struct hh_hours_span span[HH_HOURS_MAX_SPANS];
	const char *note;       /* the holiday's or exception's Danish name
				   ("2. juledag"), NULL on an ordinary day;
				   static or in the hours' arena */
};

struct hh_hours; /* opaque; lives in the arena it was read into */

/* Is s one of the services ("counter", "phone", "chat")? */
int hh_hours_service_ok(const char *s);

/* The hours of organisation org_id for service, into a. NOT_FOUND when
 * the organisation gives none for that service. */
enum hh_rc hh_hours_get(struct hh_store *st, struct hh_arena *a,
			int64_t org_id, const char *service,
			const struct hh_hours **out);

/* The hours of the local date day (days since 1970-01-01, as
 * hh_days_from_civil counts them). */
void hh_hours_on(const struct hh_hours *h, int64_t day,
		 struct hh_hours_day *out);

/* Is it open at the instant t (epoch seconds)? *change_at (may be NULL)
 * gets the instant it closes (when open) or next opens (when closed); 0
 * when that is not within the next 31 days. */
int hh_hours_open(const struct hh_hours *h, int64_t t, int64_t *change_at);

/* The instant (epoch seconds) of Danish wall-clock minute min (0..1440)
 * on local date day. A time the spring switch skips (02:00-02:59) counts
 * as the time after it; a time the autumn switch repeats is its first
 * occurrence. */
int64_t hh_dk_instant(int64_t day, int min);

/* The Danish name of the public holiday on local date day ("Langfredag",
 * "Juledag"), NULL if it is none: New Year's Day, Maundy Thursday, Good
 * Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday,
 * Christmas Day and Boxing Day (Store bededag is no holiday from 2024). */
const char *hh_dk_holiday(int64_t day);

/* Imports dir/hours.json (missing: nothing to do) in one transaction:
 *   { "<organisation code>": {
 *       "<service>": {
 *         "week": { "mon": ["08:00-15:00"], "tue": [...], ..., "sun": [] },
 *         "holidays_closed": true,
 *         "exceptions": [ { "date": "2026-12-24", "closed": true,
 *                           "note": "Juleaften" },
 *                         { "date": "2026-12-23",
 *                           "spans": ["08:00-12:00"], "note": "..." } ] },
 *       ... },
 *     ... }
 * Missing weekdays are closed; spans in a day must not overlap. A bad file
 * is reported on errs as "FILE:1: message" and nothing of it is imported
 * (INVALID); *n gets the number of services imported. */
enum hh_rc hh_hours_import(struct hh_store *st, const char *dir, FILE *errs,
			   int *n);

#endif
