/* figures.h - the service figures (issue 12): first-contact resolution,
 * transfers, callbacks, processing times, self-service share, channel mix,
 * satisfaction, search success and cost, per organisation, period,
 * channel, case type and topic; the benchmark across organisations; the
 * public service levels; the live indicators for /metrics.
 *
 * Every figure is computed from the event log (table events, plus the
 * search log and the feedback rows, which are logs themselves): a fold
 * reads the events after the last one it saw (a cursor in the store) and
 * keeps per-entity facts and daily aggregates current in the same
 * transaction that moves the cursor. Every read catches up first, so a
 * figure always includes every committed event. Rebuilding (resetting the
 * cursor and the facts) gives the same figures: they are never edited by
 * hand. The formulas are documented in docs/figures.md, one place.
 *
 * Days are Danish calendar days as YYYYMMDD integers (20260315), counted
 * in Europe/Copenhagen time (core/dktime.h); a period is from_day..to_day
 * inclusive. Ratios are kept as numerator and denominator so a reader can
 * show both; value is num/den (a share 0..1, or per 100 where the
 * indicator says so) and has is 0 when the denominator is 0 (shown as
 * "-", never as 0 %).
 *
 * Access (domain/access.h, HH_RES_FIGURES): managers and admins read
 * their own organisation's figures, drill-downs and the benchmark; the
 * service levels are public. Anyone else: FORBIDDEN before anything is
 * read. Strings in results live in the arena the caller passed. */
#ifndef HH_DOMAIN_FIGURES_H
#define HH_DOMAIN_FIGURES_H

#include <stdint.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/buf.h"
#include "domain/actor.h"
#include "store/store.h"

/* The indicators. The order is the dashboard's. */
enum hh_fig_ind {
	HH_FIG_INQUIRIES = 0,   /* inquiries started in the period (count) */
	HH_FIG_FCR,             /* share of ended inquiries resolved at
				   first contact */
	HH_FIG_TRANSFERS,       /* transfers per 100 inquiries (every
				   transfer, onward ones too) */
	HH_FIG_CALLBACKS_KEPT,  /* share of promised callbacks, due in the
				   period, made by their due time */
	HH_FIG_CASES,           /* cases submitted in the period (count) */
	HH_FIG_PROC_MEDIAN,     /* processing time, submission to decision,
				   paused time excluded: median, in days */
	HH_FIG_PROC_P90,        /* the same, 90th percentile (nearest rank) */
	HH_FIG_WITHIN_DEADLINE, /* share of decisions made by the published
				   deadline (calendar days, Danish time) */
	HH_FIG_SELF_SERVICE,    /* share of cases that came by self-service */
	HH_FIG_CHAT_RATING,     /* mean chat rating, 1..5 */
	HH_FIG_FOUND,           /* share of "Fandt du det, du søgte?" = yes */
	HH_FIG_SEARCH_SUCCESS,  /* share of searches followed by an article
				   view and no contact within a day */
	HH_FIG_SEARCH_NO_RESULT, /* share of searches with no result */
	HH_FIG_SEARCH_WEAK,     /* share of searches with a weak result */
	HH_FIG_COST_INQUIRY,    /* kroner per inquiry (cost model) */
	HH_FIG_COST_CASE,       /* kroner per case (cost model) */
	HH_FIG__COUNT
};

/* Stable key ("fcr", "transfers", ...; used in URLs, CSV headers, the
 * API and /metrics), Danish label and unit ("%", "pr. 100", "dage",
 * "kr.", "" for counts and the rating) of each indicator. */
const char *hh_fig_key(enum hh_fig_ind i);
const char *hh_fig_label(enum hh_fig_ind i);
const char *hh_fig_unit(enum hh_fig_ind i);
/* The indicator with that key; -1: none. */
int hh_fig_by_key(const char *key);
/* The Danish name of a channel key (phone -> "Telefon"; self_service,
 * assisted, follow_up for cases); the key itself when unknown. */
const char *hh_fig_channel_label(const char *channel);
/* 1 when a higher value is better (FCR), 0 when lower is (transfers,
 * processing time, cost, no-result rate). */
int hh_fig_higher_better(enum hh_fig_ind i);

/* Which figures to compute. Strings are borrowed for the call. */
struct hh_fig_query {
	int64_t org_id;        /* 0: the reader's own organisation */
	int from_day, to_day;  /* the period, YYYYMMDD inclusive; 0: the
				  last 30 days up to today */
	const char *channel;   /* NULL: all; phone, counter, chat, email,
				  web, letter_reply (inquiries); for cases
				  self_service, assisted, follow_up */
	const char *case_type; /* NULL: all; a case type's code */
	const char *topic;     /* NULL: all; a KLE number or prefix ("02",
				  "02.34") of inquiries, cases and articles */
};

struct hh_fig_value {
	double value; /* num/den (x100 for per-100 indicators), or the
			 median/percentile/mean/kroner itself */
	int64_t num, den; /* for counts: num = den = the count */
	int has;          /* 0: no data (den 0) */
};

/* All indicators for q. out[i] for each enum hh_fig_ind. */
enum hh_rc hh_figures_summary(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *a, const struct hh_fig_query *q,
			      struct hh_fig_value out[HH_FIG__COUNT]);

/* One row of a breakdown or a series. */
struct hh_fig_row {
	const char *key;   /* the channel / case type code / KLE / article
			      id / month "2026-03" / day "2026-03-15" */
	const char *label; /* in Danish, for a page */
	struct hh_fig_value v;
};
typedef enum hh_rc (*hh_fig_row_cb)(void *ctx, const struct hh_fig_row *r);

enum hh_fig_dim {
	HH_FIG_BY_CHANNEL = 0,
	HH_FIG_BY_CASE_TYPE,
	HH_FIG_BY_TOPIC,   /* by KLE main group (two digits) */
	HH_FIG_BY_ARTICLE, /* satisfaction per article (HH_FIG_FOUND) and
			      inquiries answered with it */
	HH_FIG_BY_MONTH,   /* the trend: one row per month of the period */
	HH_FIG_BY_WEEK,    /* one row per ISO week */
};

/* Indicator i for q broken down by dim, in a stable order (months and
 * weeks in time order; others by key). Rows with no data are left out
 * except in a series (months and weeks), where they have has = 0. */
enum hh_rc hh_figures_breakdown(struct hh_store *st, const struct hh_actor *who,
				struct hh_arena *a, const struct hh_fig_query *q,
				enum hh_fig_ind i, enum hh_fig_dim dim,
				hh_fig_row_cb cb, void *ctx);

/* The channel mix: for each month of the period and each channel (phone,
 * counter, chat, email, web, letter_reply, and "self_service" for cases
 * that came by self-service), the count. cb gets key "2026-03/phone". */
enum hh_rc hh_figures_channel_mix(struct hh_store *st,
				  const struct hh_actor *who,
				  struct hh_arena *a,
				  const struct hh_fig_query *q,
				  hh_fig_row_cb cb, void *ctx);

/* What lies behind an indicator: the inquiries (kind "inquiry") or cases
 * (kind "case") counted in it for q, newest first, at most limit, after
 * the id `after` (0: from the newest). Only what the reader's own
 * organisation holds, and never more than the list views show: id,
 * public case number, channel or case type, start, outcome/state, and the
 * figure's own value for that row (processing days, resolved or not). */
struct hh_fig_item {
	const char *kind; /* "inquiry" or "case" */
	int64_t id;
	const char *ref;  /* journal number of a case, or NULL */
	const char *what; /* channel / case type name */
	int64_t at;       /* started / submitted */
	const char *outcome; /* inquiry outcome / case state */
	double value;     /* the row's contribution: days, 1/0 */
	int counted;      /* 1 when it counts in the numerator */
};
typedef enum hh_rc (*hh_fig_item_cb)(void *ctx, const struct hh_fig_item *it);
enum hh_rc hh_figures_drill(struct hh_store *st, const struct hh_actor *who,
			    struct hh_arena *a, const struct hh_fig_query *q,
			    enum hh_fig_ind i, int64_t after, int limit,
			    hh_fig_item_cb cb, void *ctx);

/* The cost model (content/figures.json, loaded as data) applied to q,
 * and benefit realisation against a baseline period. */
struct hh_fig_cost {
	double rate;                  /* kroner per hour, the organisation's */
	struct hh_fig_value per_inquiry, per_case;
	int n_channels;
	struct hh_fig_row *channels;  /* kroner per contact by channel;
					 v.num = contacts, v.value = kroner
					 per contact */
	double total;                 /* kroner in the period */
	/* against the baseline (has = 0 when none): relative change,
	   -0.45 for "down 45 %" */
	int baseline_from, baseline_to;
	struct hh_fig_value calls_change, visits_change, cost_per_case_change;
};
enum hh_rc hh_figures_cost(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *a, const struct hh_fig_query *q,
			   int baseline_from, int baseline_to,
			   struct hh_fig_cost *out);

/* The benchmark: the indicators of q's period across the organisations
 * in the reader's peer group (content/figures.json: groups by kind and
 * size). Other organisations are named only if they agreed to be
 * (content data); otherwise "Organisation A", "B", ... in an order that
 * does not reveal who they are (by value). */
struct hh_fig_peer {
	const char *name; /* the name, or the anonymous letter */
	int own;          /* the reader's organisation */
	struct hh_fig_value v;
	int rank;         /* 1 = best; 0 when no value */
};
struct hh_fig_bench_row {
	enum hh_fig_ind ind;
	struct hh_fig_value own;
	int rank, ranked;  /* own rank among ranked peers with a value */
	double min, q1, median, q3, max; /* the spread among peers */
	int n_peers;
	struct hh_fig_peer *peers; /* best first */
};
struct hh_fig_bench {
	const char *group;       /* the peer group's name */
	int n_rows;
	struct hh_fig_bench_row *rows; /* the indicators compared */
	/* the composite service index: 0..100 per organisation, with the
	   weights and method from content/figures.json */
	int n_weights;
	const char **weight_keys; /* indicator keys */
	double *weights;
	const char *method;       /* Danish text for the page */
	int n_index;
	struct hh_fig_peer *index; /* v.value = the index, best first */
};
enum hh_rc hh_figures_benchmark(struct hh_store *st,
				const struct hh_actor *who, struct hh_arena *a,
				const struct hh_fig_query *q,
				struct hh_fig_bench *out);

/* Public service levels: per case type the organisation handles, the
 * deadline it has set (as written, and in days), the decisions in the
 * year and the share made within the deadline, and the median. Anyone may
 * read them (no actor); NOT_FOUND for an unknown organisation code. */
struct hh_fig_level {
	const char *case_type, *name;
	const char *deadline; /* as set, e.g. "P30D" */
	int deadline_days;
	struct hh_fig_value decided, within, median_days;
};
typedef enum hh_rc (*hh_fig_level_cb)(void *ctx, const struct hh_fig_level *l);
enum hh_rc hh_figures_service_levels(struct hh_store *st, struct hh_arena *a,
				     const char *org_code, int from_day,
				     int to_day, const char **org_name,
				     hh_fig_level_cb cb, void *ctx);

/* The live indicators in Prometheus text format, appended to out: gauges
 * and counters with organisation and channel labels. */
enum hh_rc hh_figures_metrics(struct hh_store *st, struct hh_buf *out);

/* Folds the events written since the last call into the facts and
 * aggregates (every read does this first). */
enum hh_rc hh_figures_catch_up(struct hh_store *st);
/* Forgets every fact and folds the whole event log again. */
enum hh_rc hh_figures_rebuild(struct hh_store *st);

/* Reads dir/figures.json (the cost model, peer groups, who agreed to be
 * named, the composite index; docs/figures.md) into the store, where
 * the figures read it; called by hh_content_import. No file: OK, *n 0
 * (no cost figures, one peer group per kind, nobody named). A file that
 * is not a JSON object is reported on errs: INVALID. */
enum hh_rc hh_figures_config_import(struct hh_store *st, const char *dir,
				    FILE *errs, int *n);

#endif
