/* figformula.h - the service figures' formulas as pure functions over
 * small arrays (no store, no time of day): the one definition of each
 * indicator (docs/figures.md), which the fold (figfold.c) and the reads
 * (figures.c) use and which the tests run beside them on the same events.
 *
 * Times are epoch seconds; days are Danish calendar days as YYYYMMDD. */
#ifndef HH_DOMAIN_FIGFORMULA_H
#define HH_DOMAIN_FIGFORMULA_H

#include <stdint.h>

#include "domain/figures.h"

/* ---- Danish days ---- */
/* The Danish calendar day of t (20260315). */
int hh_fig_day(int64_t t);
/* The instant Danish day `day` starts (local midnight), epoch seconds. */
int64_t hh_fig_day_start(int day);
/* day + n calendar days. */
int hh_fig_day_add(int day, int n);
/* Calendar days from a to b (b - a). */
int hh_fig_days_between(int a, int b);
/* "2026-03" / ISO week "2026-W12" (the week's Thursday decides the
 * year) of a day, into out (at least 12 bytes). */
void hh_fig_month_key(int day, char *out);
void hh_fig_week_key(int day, char *out);

/* ---- values ---- */
/* num/den as a share; has = 0 when den is 0. */
struct hh_fig_value hh_fig_share(int64_t num, int64_t den);
/* A count: value = num = den = n, has = 1. */
struct hh_fig_value hh_fig_count(int64_t n);

/* ---- inquiries ---- */
/* First-contact resolution: of the inquiries with a first outcome
 * (first_outcomes[i] not NULL and not "open"), the share whose first
 * outcome is "resolved_first_contact". */
struct hh_fig_value hh_fig_fcr(const char *const *first_outcomes, int n);
/* Transfers per 100 inquiries: 100 * sum(transfers) / n. */
struct hh_fig_value hh_fig_transfers_per_100(const int *transfers, int n);
/* Callbacks kept: of the n promised callbacks (due[i]), the share made
 * (made[i], 0: not made) at or before their due time. */
struct hh_fig_value hh_fig_callbacks_kept(const int64_t *due,
					  const int64_t *made, int n);

/* ---- cases ---- */
/* Is a case type's final state a decision? Every final state is, except
 * withdrawn, cancelled and duplicate (closed without deciding). */
int hh_fig_is_decision(const char *state);
/* The channel a case came by, from the actor of its first event and
 * that event's action: "followup" -> follow_up; "citizen:N" and
 * "token:N" (an app through Open311) -> self_service; anything else (an
 * agent at the desk, "user:N"; a tool) -> assisted. */
const char *hh_fig_case_channel(const char *actor, const char *action);
/* The published deadline's end: the end of the Danish day that is
 * deadline_days calendar days after the submission's day, moved on by
 * the paused seconds (the clock stands still while the case waits for
 * the citizen). */
int64_t hh_fig_deadline_end(int64_t submitted_at, int deadline_days,
			    int64_t paused_s);
/* 1 when decided_at is before hh_fig_deadline_end. */
int hh_fig_within(int64_t submitted_at, int deadline_days, int64_t paused_s,
		  int64_t decided_at);
/* Processing time in whole seconds: decided_at - submitted_at -
 * paused_s, 0 when that is negative (what fig_proc keeps). */
int64_t hh_fig_proc_seconds(int64_t submitted_at, int64_t paused_s,
			    int64_t decided_at);
/* Processing days: hh_fig_proc_seconds / 86400. */
double hh_fig_proc_days(int64_t submitted_at, int64_t paused_s,
			int64_t decided_at);
/* The p-quantile (0 < p <= 1) of n sorted values by nearest rank: the
 * value at rank ceil(p * n) (1-based). The median is p = 0.5: for an
 * even count the lower of the two middle values (a value that
 * occurred). has = 0 when n is 0. */
struct hh_fig_value hh_fig_quantile(const double *sorted, int n, double p);
/* That rank: ceil(p * n), at least 1 and at most n (0 when n is 0). */
int64_t hh_fig_quantile_rank(int64_t n, double p);
/* Self-service share: of n cases' channels, those "self_service". */
struct hh_fig_value hh_fig_self_service(const char *const *channels, int n);
/* The mean of n values (den = n). */
struct hh_fig_value hh_fig_mean(const double *v, int n);

/* ---- cost ---- */
/* Kroner for n contacts or cases of minutes each at rate kroner per
 * hour. */
double hh_fig_cost(int64_t n, double minutes, double rate);

#endif
