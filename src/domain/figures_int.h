/* figures_int.h - private to the service figures (figures.c, figfold.c,
 * figbench.c): the fold's entry, the cost model and peer groups read
 * from content/figures.json, and the summary for one organisation
 * without an access check (the benchmark reads its peers with it). */
#ifndef HH_DOMAIN_FIGURES_INT_H
#define HH_DOMAIN_FIGURES_INT_H

#include <jansson.h>

#include "domain/figures.h"

/* meta keys: the id of the last event folded; the figures' content
 * (content/figures.json as imported) */
#define HH_FIG_CURSOR_KEY "figures_cursor"
#define HH_FIG_CONFIG_KEY "figures_config"
/* events folded per transaction */
#define HH_FIG_BATCH 5000

/* fig-hist: fig_proc filled from the facts folded before migration 0023
 * ("1") */
#define HH_FIG_PROC_KEY "figures_proc"
/* searches folded per transaction */
#define HH_FIG_SEARCH_BATCH 20000
/* A search counts for good (no result chosen later, no chat from its
 * visit within a day after it) this long after it was made; the fold
 * counts it then, and until then every read counts it from the log. */
#define HH_FIG_SEARCH_FINAL_S (25 * 3600)

/* Folds at most HH_FIG_BATCH events after the cursor in tx (a write
 * transaction) and moves the cursor; *folded gets how many. */
enum hh_rc hh_fig_fold_tx(struct hh_tx *tx, int *folded);
/* The cursor as stored (0: nothing folded). */
enum hh_rc hh_fig_cursor(struct hh_tx *tx, int64_t *cursor);
/* A meta value as an integer; -1 when there is none. */
enum hh_rc hh_fig_meta_int(struct hh_tx *tx, const char *key, int64_t *out);
/* Folds at most HH_FIG_SEARCH_BATCH searches not folded yet and made
 * before now - HH_FIG_SEARCH_FINAL_S into fig_agg ("srch", "srch_none",
 * "srch_weak") and marks them folded, in tx (a write transaction);
 * *folded gets how many. */
enum hh_rc hh_fig_search_fold_tx(struct hh_tx *tx, int64_t now, int *folded);
/* Once (meta HH_FIG_PROC_KEY): fig_proc's rows of the decisions folded
 * before migration 0023, from the case facts, in tx (a write
 * transaction). */
enum hh_rc hh_fig_proc_backfill_tx(struct hh_tx *tx);
/* The search counts of f's organisation and days: the folded searches
 * from fig_agg, the others from the log. */
enum hh_rc hh_fig_search_tx(struct hh_tx *tx, const struct hh_fig_filter *f,
			    struct hh_fig_search_counts *out);

/* content/figures.json as imported (an empty object when none): a
 * borrowed reference, released when a is cleared. */
json_t *hh_fig_conf(struct hh_tx *tx, struct hh_arena *a);
/* conf[section][key], else conf[section]["default"], else 0. */
double hh_fig_conf_num(json_t *conf, const char *section, const char *key);

/* The period of q made concrete: 0s replaced by the last 30 days up to
 * today, org 0 by the reader's. */
void hh_fig_filter_of(const struct hh_actor *who,
		      const struct hh_fig_query *q, struct hh_fig_filter *f);
/* Every indicator for f, in tx, without asking who may read them. */
enum hh_rc hh_fig_summary_tx(struct hh_tx *tx, struct hh_arena *a,
			     json_t *conf, const struct hh_fig_filter *f,
			     struct hh_fig_value out[HH_FIG__COUNT]);

/* One indicator for f, in tx (the one definition the summary, the
 * breakdowns, the series and the benchmark share). */
enum hh_rc hh_fig_one_tx(struct hh_tx *tx, struct hh_arena *a, json_t *conf,
			 const struct hh_fig_filter *f, enum hh_fig_ind i,
			 struct hh_fig_value *v);
/* May who read org's figures: OK, else FORBIDDEN. */
enum hh_rc hh_fig_may_read(const struct hh_actor *who, int64_t org_id);
/* The organisations as store->org_list streams them, collected into o
 * (grown in a): pass hh_fig_org_row as the callback. */
struct hh_fig_orgs {
	struct hh_arena *a;
	struct hh_org *o;
	int n, cap;
};
enum hh_rc hh_fig_org_row(void *p, const struct hh_org *o);
/* Is f's period a real one (from <= to, both real days)? */
int hh_fig_period_ok(const struct hh_fig_filter *f);

#endif
