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

/* "23. november 2026", the Danish date of t, into the arena. */
const char *hh_date_da(struct hh_arena *a, int64_t t);
/* "23. november 2026 kl. 14.05", Danish time, into the arena. */
const char *hh_datetime_da(struct hh_arena *a, int64_t t);

#endif
