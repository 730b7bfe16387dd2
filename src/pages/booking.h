/* booking.h - what the appointment pages share with the contact pages
 * and Mit overblik: Danish dates and clock times of slots, and the
 * citizen's own bookings. Internal to src/pages/. */
#ifndef HH_PAGES_BOOKING_H
#define HH_PAGES_BOOKING_H

#include "pages/layout.h"

/* "mandag 7. december 2026" for a local date (days since 1970-01-01);
 * arena. */
const char *hh_booking_day_da(struct hh_arena *a, int64_t day);
/* "10.15", the Danish clock time of instant t; arena. */
const char *hh_booking_clock(struct hh_arena *a, int64_t t);
/* Appends Mit overblik's short section of the signed-in citizen's coming
 * bookings, with a link to book. */
void hh_booking_overview_section(struct hh_req *r);

#endif
