/* demoyear.h - a generated year of service data (issue 12, point 6):
 * `helhed demo-year`.
 *
 * Makes a reproducible year for 901 Nordskov Kommune (100,000 citizens),
 * the agencies it works with (familieretshuset, sktst, skifteretten,
 * udk), 902 Åstrup and six made-up municipalities (903-908, created here
 * as organisations of kind municipality, with their staff, teams and
 * opening hours) of other sizes and service levels, so that a benchmark
 * across them has a real spread. At scale 1 Nordskov gets about 500,000
 * inquiries and 100,000 cases a year; docs/demo-year.md lists every rate.
 *
 * Everything is written through the domain, as the running system
 * writes it, with the clock (core/util.h hh_clock_set_us) set to the
 * moment each thing happens: inquiries (hh_inquiry_create_in and
 * hh_inquiry_set_outcome_in, in batches), transfers closed by their
 * receivers (hh_desk_transfer_close), chats (hh_chat_open, _send, _take,
 * _close, _rate), written inquiries (hh_chat_written), cases submitted by
 * citizens (hh_case_submit_as) or at the desk (hh_desk_assisted_submit),
 * moved by caseworkers (hh_case_transition, hh_case_request), answered
 * by citizens (hh_case_answer), decided with their letters where the case
 * type asks for one (hh_letter_create, _send, _approve), the search log
 * (hh_searchlog_add, hh_reading_opened) and article views. So the event
 * log holds exactly what production would, and the figures are folded
 * from it.
 *
 * Reproducible: the same options (seed, from, days, scale) on an empty
 * database give the same events (ids, times, actors, states); what is
 * random by design stays random (the CPR seal's nonce, chat tokens, the
 * public ids of cases), none of which is in the event log.
 *
 * Not thread-safe: it sets the process's clock. Run it alone (the
 * command-line tool), never in a server. */
#ifndef HH_DEMOYEAR_H
#define HH_DEMOYEAR_H

#include <stdint.h>
#include <stdio.h>

#include "store/store.h"

struct hh_demo_year_opts {
	uint64_t seed;       /* the generator's seed */
	int64_t from_day;    /* the first Danish day, days since 1970-01-01 */
	int days;            /* how many days, 1..1000 */
	double scale;        /* 1.0: the full volumes; 0.01 a small year */
};

/* What was made. */
struct hh_demo_year_stats {
	int64_t organisations; /* created here (903-908) */
	int64_t citizens, staff;
	int64_t inquiries;      /* every channel, chats and written ones too */
	int64_t inquiries_901;
	int64_t transfers_closed, onward;
	int64_t callbacks, callbacks_late;
	int64_t chats, ratings, written;
	int64_t cases, cases_901, self_service, assisted, followups;
	int64_t transitions, requests, answers, decisions, letters;
	int64_t searches, chosen, no_result, views;
	int64_t events;         /* rows in the event log afterwards */
	int64_t elapsed_us;
};

#define HH_DEMO_YEAR_META "demo_year"

/* Generates the year into st (content already imported: organisations,
 * case types, articles, teams, hours and the demo staff). st should be
 * opened for bulk writing (store.h hh_store_sqlite_bulk). Refuses to run
 * twice on one database: CONFLICT when the meta key HH_DEMO_YEAR_META is
 * set (its value says what made it, into *made_by when not NULL; in a).
 * progress (may be NULL) gets a line per month. A refusal by the domain
 * is our bug: reported on errs with what was refused, and its rc
 * returned (what was written until then stays). Resets the clock to the
 * real one before returning. */
enum hh_rc hh_demo_year(struct hh_store *st, struct hh_arena *a,
			const struct hh_demo_year_opts *opts, FILE *errs,
			FILE *progress, struct hh_demo_year_stats *stats,
			const char **made_by);

/* The default first day: the first day of the month 12 months before
 * the Danish month of now (epoch seconds). */
int64_t hh_demo_year_default_from(int64_t now);

#endif
