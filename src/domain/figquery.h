/* figquery.h - the service figures' filters as the managers' pages and
 * the figures API take them from a query string (issue 12): period,
 * quick choices, channel, case type, topic, baseline period, and the
 * drill-down's paging. One parser for both doors, so that a filter the
 * API refuses the page refuses too, with the same field; the page says
 * it in Danish, the API in a problem+json.
 *
 * The pages name the parameters in Danish (fra, til, periode, kanal,
 * sagstype, emne, basis_fra, basis_til, efter), the API in English
 * (from, to, period, channel, case_type, topic, baseline_from,
 * baseline_to, after). Values are the same on both:
 *   - dates YYYY-MM-DD, real calendar dates, from <= to, a span of at
 *     most three years (1,096 days); a missing to is today, a missing
 *     from with a to is refused;
 *   - period: "30d" (the last 30 days up to today), "quarter" (the last
 *     full calendar quarter), "12m" (the last 12 months up to today),
 *     "year" (1 January up to today); not together with from or to;
 *   - channel: phone, counter, chat, email, web, letter_reply (how an
 *     inquiry came), self_service, assisted, follow_up (how a case
 *     came);
 *   - case type: the code of a case type helhed knows;
 *   - topic: a KLE number or prefix: "16", "16.10" or "16.10.00";
 *   - baseline: both or neither; by default the same period a year
 *     earlier (29 February becomes 28 February).
 * No filters at all: the last 30 days. */
#ifndef HH_DOMAIN_FIGQUERY_H
#define HH_DOMAIN_FIGQUERY_H

#include <stdint.h>

#include "core/arena.h"
#include "domain/figures.h"
#include "store/store.h"

enum hh_figq_names { HH_FIGQ_API = 0, HH_FIGQ_PAGE };

/* The parameter keys, for building links and checking for unknown
 * ones. */
enum hh_figq_key {
	HH_FQ_FROM = 0,
	HH_FQ_TO,
	HH_FQ_PERIOD,
	HH_FQ_CHANNEL,
	HH_FQ_CASE_TYPE,
	HH_FQ_TOPIC,
	HH_FQ_BASE_FROM,
	HH_FQ_BASE_TO,
	HH_FQ_AFTER,
	HH_FQ__COUNT
};
/* The name of key k on a door ("from" / "fra"). */
const char *hh_figq_name(enum hh_figq_names names, enum hh_figq_key k);

struct hh_figq {
	struct hh_fig_query q;  /* strings in the arena */
	int baseline_from, baseline_to;
	const char *period;     /* the quick choice taken, or NULL */
	int64_t after;          /* drill-down: after this id; 0 */
	int today;              /* the Danish day the period counts from */
};

/* What was wrong with a parameter. */
struct hh_figq_error {
	const char *field;   /* the parameter's name on the door */
	const char *da;      /* for the page: a whole Danish sentence */
	const char *en;      /* for the API's detail */
};

/* Looks a parameter up by name (NULL: absent); borrowed. */
typedef const char *(*hh_figq_get_fn)(void *ctx, const char *name);

/* Reads the filters through get. today: the Danish day as YYYYMMDD (0:
 * now). A case type is checked against the store. Returns HH_OK, or
 * HH_ERR_INVALID with *err filled (strings static or in a). */
enum hh_rc hh_figq_parse(struct hh_store *st, struct hh_arena *a,
			 enum hh_figq_names names, int today,
			 hh_figq_get_fn get, void *ctx, struct hh_figq *out,
			 struct hh_figq_error *err);

/* Today in Denmark as YYYYMMDD. */
int hh_figq_today(void);
/* "2026-03-15" for a YYYYMMDD day, into the arena. */
const char *hh_figq_iso(struct hh_arena *a, int day);
/* "15. marts 2026" for a YYYYMMDD day, into the arena. */
const char *hh_figq_day_da(struct hh_arena *a, int day);
/* The Danish name of a channel code ("Telefon"), or the code itself. */
const char *hh_figq_channel_label(const char *code);
/* The channel codes in the dashboard's order; *n gets their number. */
const char *const *hh_figq_channels(int *n);

#endif
