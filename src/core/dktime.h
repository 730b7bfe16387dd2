/* dktime.h - Danish time: dates and clock times as Denmark reads them,
 * whatever time zone the server runs in. CET (+1 h), and CEST (+2 h) from
 * 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
 * of October (the EU rule). */
#ifndef HH_DKTIME_H
#define HH_DKTIME_H

#include <stdint.h>

#include "core/arena.h"

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's algorithms). */
int64_t hh_days_from_civil(int64_t y, int m, int d);
void hh_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* Seconds east of UTC in Denmark at the instant t (epoch seconds). */
int hh_dk_offset(int64_t t);
/* Danish wall-clock time of t, as epoch seconds (t + hh_dk_offset(t)). */
int64_t hh_dk_local(int64_t t);

/* t plus the ISO 8601 period p (PnYnMnWnDTnHnMnS, each part optional,
 * in that order; at most 100,000 of each), as a calendar in Denmark
 * counts it: years, months, weeks and days move the Danish date and keep
 * the Danish clock time (30 January + P1M is 28 or 29 February: the
 * month's last day when it is shorter; 1 March 10.00 + P1M is 1 April
 * 10.00 across the change to summer time), then hours, minutes and
 * seconds are added as elapsed time. A clock time the change to summer
 * time skips is read as winter time (02.30 is 03.30), one the change back
 * repeats as the first of the two. Returns 1 and sets *out, or 0 when p
 * is not such a period. */
int hh_dk_add_period(int64_t t, const char *p, int64_t *out);

/* "23. november 2026", the Danish date of t, into the arena. */
const char *hh_date_da(struct hh_arena *a, int64_t t);
/* "23. november 2026 kl. 14.05", Danish time, into the arena. */
const char *hh_datetime_da(struct hh_arena *a, int64_t t);

/* Room for any ISO 8601 time this writes (an int64_t year), though 26
 * bytes hold every real one. */
#define HH_ISO8601_SIZE 80

/* "2025-11-23T19:05:00+01:00": t in Danish local time with its offset. */
void hh_iso8601_dk(int64_t t, char out[HH_ISO8601_SIZE]);

/* Parses an ISO 8601 date-time: YYYY-MM-DD (from 1970), optionally
 * followed by THH:MM[:SS[.fraction]] and Z or an offset (+HH:MM, +HHMM,
 * +HH). Without an offset the time is Danish local time. A space stands
 * for "+" (an unencoded "+" in a query string arrives as one). Returns 1
 * and sets *out (epoch seconds) when valid, else 0. */
int hh_iso8601_parse(const char *s, int64_t *out);

#endif
