/* figures.c - the service figures' reads (figures.h): catching up with
 * the event log, the summary, breakdowns and series, the channel mix,
 * the drill-down, /metrics, and the figures' content (figures.json).
 *
 * Every read catches up first (figfold.c) and then reads the daily
 * aggregates (counts, shares, means, the search log's final searches)
 * and, for medians and percentiles, the daily lists of processing times
 * (fig_proc). The indicators' definitions are in docs/figures.md;
 * each one is computed here by hh_fig_one_tx, and the summary, the
 * breakdowns, the series and the benchmark all call it, so they cannot
 * disagree. */
#include "domain/figures_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/access.h"
#include "domain/figformula.h"
#include "domain/kle.h" /* kle (issue 15): topics' titles */

/* ---- the indicators' names ------------------------------------------- */

static const struct {
	const char *key, *label, *unit;
	int higher_better;
} inds[HH_FIG__COUNT] = {
	[HH_FIG_INQUIRIES] = { "inquiries", "Henvendelser", "", 1 },
	[HH_FIG_FCR] = { "fcr", "Løst ved første kontakt", "%", 1 },
	[HH_FIG_TRANSFERS] = { "transfers", "Viderestillinger", "pr. 100", 0 },
	[HH_FIG_CALLBACKS_KEPT] = { "callbacks_kept", "Opringninger holdt til tiden",
				    "%", 1 },
	[HH_FIG_CASES] = { "cases", "Sager", "", 1 },
	[HH_FIG_PROC_MEDIAN] = { "proc_median", "Sagsbehandlingstid, median",
				 "dage", 0 },
	[HH_FIG_PROC_P90] = { "proc_p90", "Sagsbehandlingstid, 90 % af sagerne",
			      "dage", 0 },
	[HH_FIG_WITHIN_DEADLINE] = { "within_deadline", "Afgjort inden for fristen",
				     "%", 1 },
	[HH_FIG_SELF_SERVICE] = { "self_service", "Digital selvbetjening", "%", 1 },
	[HH_FIG_CHAT_RATING] = { "chat_rating", "Tilfredshed med chat", "", 1 },
	[HH_FIG_FOUND] = { "found", "Fandt det, de søgte", "%", 1 },
	[HH_FIG_SEARCH_SUCCESS] = { "search_success", "Søgninger der hjalp", "%", 1 },
	[HH_FIG_SEARCH_NO_RESULT] = { "search_no_result", "Søgninger uden resultat",
				      "%", 0 },
	[HH_FIG_SEARCH_WEAK] = { "search_weak", "Søgninger med svagt resultat",
				 "%", 0 },
	[HH_FIG_COST_INQUIRY] = { "cost_inquiry", "Omkostning pr. henvendelse",
				  "kr.", 0 },
	[HH_FIG_COST_CASE] = { "cost_case", "Omkostning pr. sag", "kr.", 0 },
};

const char *hh_fig_key(enum hh_fig_ind i)
{
	return (unsigned)i < HH_FIG__COUNT ? inds[i].key : "?";
}

const char *hh_fig_label(enum hh_fig_ind i)
{
	return (unsigned)i < HH_FIG__COUNT ? inds[i].label : "?";
}

const char *hh_fig_unit(enum hh_fig_ind i)
{
	return (unsigned)i < HH_FIG__COUNT ? inds[i].unit : "";
}

int hh_fig_by_key(const char *key)
{
	for (int i = 0; key && i < HH_FIG__COUNT; i++)
		if (!strcmp(inds[i].key, key))
			return i;
	return -1;
}

int hh_fig_higher_better(enum hh_fig_ind i)
{
	return (unsigned)i < HH_FIG__COUNT ? inds[i].higher_better : 1;
}

/* ---- catching up ---------------------------------------------------- */

/* What a catch-up has to do, read first so that a read with nothing to
 * fold takes no write transaction. */
struct pending {
	int64_t lag;      /* events after the cursor */
	int searches;     /* a search not folded yet is final */
	int proc_missing; /* fig_proc not filled for the facts before 0023 */
};

static enum hh_rc first_search(void *p, const struct hh_fig_search_row *r)
{
	(void)r;
	*(int *)p = 1;
	return HH_OK;
}

static enum hh_rc pending_tx(struct hh_tx *tx, void *p)
{
	struct pending *w = p;
	int64_t cursor, newest, proc = 1;
	enum hh_rc rc = hh_fig_cursor(tx, &cursor);
	if (rc == HH_OK)
		rc = tx->store->fig_lag(tx, cursor, &w->lag, &newest);
	if (rc == HH_OK)
		rc = hh_fig_meta_int(tx, HH_FIG_PROC_KEY, &proc);
	w->proc_missing = proc <= 0;
	w->searches = 0;
	if (rc == HH_OK)
		rc = tx->store->fig_search_rows(
			tx, hh_now_us() / 1000000 - HH_FIG_SEARCH_FINAL_S, 1,
			first_search, &w->searches);
	return rc;
}

static enum hh_rc fold_tx(struct hh_tx *tx, void *p)
{
	return hh_fig_fold_tx(tx, p);
}

static enum hh_rc search_fold_tx(struct hh_tx *tx, void *p)
{
	return hh_fig_search_fold_tx(tx, hh_now_us() / 1000000, p);
}

static enum hh_rc backfill_tx(struct hh_tx *tx, void *p)
{
	(void)p;
	return hh_fig_proc_backfill_tx(tx);
}

/* Folds the final searches not folded yet, a batch per transaction. */
static enum hh_rc search_catch_up(struct hh_store *st)
{
	enum hh_rc rc;
	int folded;
	do {
		folded = 0;
		rc = hh_store_run_tx(st, 1, search_fold_tx, &folded);
	} while (rc == HH_OK && folded == HH_FIG_SEARCH_BATCH);
	return rc;
}

enum hh_rc hh_figures_catch_up(struct hh_store *st)
{
	struct pending w = { 0 };
	enum hh_rc rc = hh_store_run_tx(st, 0, pending_tx, &w);
	/* before any new decision is folded: it would be counted twice */
	if (rc == HH_OK && w.proc_missing)
		rc = hh_store_run_tx(st, 1, backfill_tx, NULL);
	while (rc == HH_OK && w.lag > 0) {
		int folded = 0;
		rc = hh_store_run_tx(st, 1, fold_tx, &folded);
		if (folded < HH_FIG_BATCH)
			break;
	}
	if (rc == HH_OK && w.searches)
		rc = search_catch_up(st);
	return rc;
}

static enum hh_rc reset_tx(struct hh_tx *tx, void *p)
{
	(void)p;
	enum hh_rc rc = tx->store->fig_reset(tx);
	if (rc == HH_OK)
		rc = tx->store->meta_set(tx, HH_FIG_CURSOR_KEY, "0");
	if (rc == HH_OK)
		rc = tx->store->meta_set(tx, HH_FIG_PROC_KEY, "1");
	return rc;
}

enum hh_rc hh_figures_rebuild(struct hh_store *st)
{
	enum hh_rc rc = hh_store_run_tx(st, 1, reset_tx, NULL);
	if (rc != HH_OK)
		return rc;
	int folded;
	do {
		folded = 0;
		rc = hh_store_run_tx(st, 1, fold_tx, &folded);
	} while (rc == HH_OK && folded == HH_FIG_BATCH);
	if (rc == HH_OK)
		rc = search_catch_up(st);
	return rc;
}

/* ---- the figures' content ------------------------------------------- */

static void conf_free(void *p)
{
	json_decref(p);
}

json_t *hh_fig_conf(struct hh_tx *tx, struct hh_arena *a)
{
	const char *text = NULL;
	json_t *j = NULL;
	if (tx->store->meta_get(tx, a, HH_FIG_CONFIG_KEY, &text) == HH_OK && text)
		j = json_loads(text, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	hh_arena_defer(a, conf_free, j);
	return j;
}

double hh_fig_conf_num(json_t *conf, const char *section, const char *key)
{
	json_t *s = json_object_get(conf, section);
	json_t *v = key ? json_object_get(s, key) : NULL;
	if (!json_is_number(v))
		v = json_object_get(s, "default");
	return json_is_number(v) ? json_number_value(v) : 0;
}

struct conf_put {
	const char *text;
};

static enum hh_rc conf_put_tx(struct hh_tx *tx, void *p)
{
	struct conf_put *c = p;
	return tx->store->meta_set(tx, HH_FIG_CONFIG_KEY, c->text);
}

enum hh_rc hh_figures_config_import(struct hh_store *st, const char *dir,
				    FILE *errs, int *n)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/figures.json", dir);
	*n = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? HH_OK : HH_ERR_IO; /* none: no cost model */
	fclose(f);
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);
	if (!json_is_object(j)) {
		fprintf(errs, "%s:%d: %s\n", path, err.line,
			j ? "not a JSON object" : err.text);
		json_decref(j);
		return HH_ERR_INVALID;
	}
	char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	struct conf_put c = { text };
	enum hh_rc rc = hh_store_run_tx(st, 1, conf_put_tx, &c);
	free(text);
	*n = rc == HH_OK;
	return rc;
}

/* ---- one indicator --------------------------------------------------- */

void hh_fig_filter_of(const struct hh_actor *who, const struct hh_fig_query *q,
		      struct hh_fig_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->org_id = q->org_id ? q->org_id : who->org_id;
	f->to_day = q->to_day ? q->to_day : hh_fig_day(hh_now_us() / 1000000);
	f->from_day = q->from_day ? q->from_day : hh_fig_day_add(f->to_day, -29);
	f->channel = q->channel && *q->channel ? q->channel : NULL;
	f->case_type = q->case_type && *q->case_type ? q->case_type : NULL;
	f->topic = q->topic && *q->topic ? q->topic : NULL;
}

struct sum {
	int64_t n;
	double sum;
};

static enum hh_rc sum_row(void *p, const char *key, int64_t n, double sum)
{
	struct sum *s = p;
	(void)key;
	s->n += n;
	s->sum += sum;
	return HH_OK;
}

static enum hh_rc total(struct hh_tx *tx, const struct hh_fig_filter *f,
			const char *metric, struct sum *out)
{
	memset(out, 0, sizeof(*out));
	return tx->store->fig_agg_sum(tx, NULL, f, metric, HH_FIG_G_TOTAL, sum_row,
				      out);
}

/* The median and the 90th percentile of f's processing times, by
 * nearest rank (hh_fig_quantile's definition): the ranks from the
 * count, then only the values at those ranks. */
static enum hh_rc proc_quantiles(struct hh_tx *tx, const struct hh_fig_filter *f,
				 struct hh_fig_value *median,
				 struct hh_fig_value *p90)
{
	int64_t n = 0;
	memset(median, 0, sizeof(*median));
	memset(p90, 0, sizeof(*p90));
	enum hh_rc rc = tx->store->fig_proc_count(tx, f, &n);
	median->den = p90->den = n;
	if (rc != HH_OK || n == 0)
		return rc;
	int64_t rank[2] = { hh_fig_quantile_rank(n, 0.5),
			    hh_fig_quantile_rank(n, 0.9) };
	double days[2];
	rc = tx->store->fig_proc_at(tx, f, rank, 2, days);
	if (rc != HH_OK)
		return rc;
	*median = (struct hh_fig_value){ .value = days[0], .num = rank[0],
					 .den = n, .has = 1 };
	*p90 = (struct hh_fig_value){ .value = days[1], .num = rank[1], .den = n,
				      .has = 1 };
	return HH_OK;
}

struct cost {
	json_t *conf;
	const char *section;
	double minutes; /* sum of n x minutes */
	int64_t n;
};

static enum hh_rc cost_row(void *p, const char *key, int64_t n, double sum)
{
	struct cost *c = p;
	(void)sum;
	c->minutes += (double)n * hh_fig_conf_num(c->conf, c->section, key);
	c->n += n;
	return HH_OK;
}

/* The organisation's hourly rate (content: hourly_rate by code). */
static double rate_of(struct hh_tx *tx, struct hh_arena *a, json_t *conf,
		      int64_t org_id)
{
	struct hh_org o;
	if (tx->store->org_get(tx, a, org_id, &o) != HH_OK)
		return hh_fig_conf_num(conf, "hourly_rate", NULL);
	return hh_fig_conf_num(conf, "hourly_rate", o.code);
}

enum hh_rc hh_fig_one_tx(struct hh_tx *tx, struct hh_arena *a, json_t *conf,
			 const struct hh_fig_filter *f, enum hh_fig_ind i,
			 struct hh_fig_value *v)
{
	struct sum s, d;
	enum hh_rc rc = HH_OK;
	memset(v, 0, sizeof(*v));
	switch (i) {
	case HH_FIG_INQUIRIES:
	case HH_FIG_CASES:
		rc = total(tx, f, i == HH_FIG_CASES ? "case" : "inq", &s);
		*v = hh_fig_count(s.n);
		break;
	case HH_FIG_FCR:
	case HH_FIG_CALLBACKS_KEPT:
	case HH_FIG_WITHIN_DEADLINE:
	case HH_FIG_FOUND:
		rc = total(tx, f, i == HH_FIG_FCR ? "fcr" : i == HH_FIG_FOUND ? "found"
				  : i == HH_FIG_CALLBACKS_KEPT ? "cb" : "dec", &s);
		*v = hh_fig_share((int64_t)s.sum, s.n);
		break;
	case HH_FIG_TRANSFERS:
		rc = total(tx, f, "trf", &s);
		if (rc == HH_OK)
			rc = total(tx, f, "inq", &d);
		*v = hh_fig_share((int64_t)s.sum, d.n);
		v->value *= 100;
		break;
	case HH_FIG_PROC_MEDIAN:
	case HH_FIG_PROC_P90: {
		struct hh_fig_value other;
		rc = i == HH_FIG_PROC_MEDIAN ? proc_quantiles(tx, f, v, &other)
					     : proc_quantiles(tx, f, &other, v);
		break;
	}
	case HH_FIG_SELF_SERVICE: {
		/* the share among all channels: a channel filter does not
		 * apply */
		struct hh_fig_filter g = *f;
		g.channel = NULL;
		rc = total(tx, &g, "case", &d);
		g.channel = "self_service";
		if (rc == HH_OK)
			rc = total(tx, &g, "case", &s);
		*v = hh_fig_share(s.n, d.n);
		break;
	}
	case HH_FIG_CHAT_RATING:
		rc = total(tx, f, "rating", &s);
		*v = hh_fig_share((int64_t)s.sum, s.n);
		break;
	case HH_FIG_SEARCH_SUCCESS:
	case HH_FIG_SEARCH_NO_RESULT:
	case HH_FIG_SEARCH_WEAK: {
		/* the search log knows municipality and time only */
		if (f->channel || f->case_type || f->topic)
			break;
		struct hh_fig_search_counts c = { 0 };
		rc = hh_fig_search_tx(tx, f, &c);
		*v = hh_fig_share(i == HH_FIG_SEARCH_SUCCESS ? c.success
				  : i == HH_FIG_SEARCH_NO_RESULT ? c.no_result
								 : c.weak,
				  c.searches);
		break;
	}
	case HH_FIG_COST_INQUIRY:
	case HH_FIG_COST_CASE: {
		int inq = i == HH_FIG_COST_INQUIRY;
		struct cost c = { .conf = conf,
				  .section = inq ? "minutes_per_contact"
						 : "minutes_per_case" };
		rc = tx->store->fig_agg_sum(tx, a, f, inq ? "inq" : "case",
					    inq ? HH_FIG_G_CHANNEL : HH_FIG_G_CASE_TYPE,
					    cost_row, &c);
		double rate = rc == HH_OK ? rate_of(tx, a, conf, f->org_id) : 0;
		if (c.n && rate > 0) {
			v->num = c.n;
			v->den = c.n;
			v->value = hh_fig_cost(1, c.minutes / (double)c.n, rate);
			v->has = 1;
		}
		break;
	}
	case HH_FIG__COUNT:
		rc = HH_ERR_INVALID;
		break;
	}
	return rc;
}

enum hh_rc hh_fig_search_tx(struct hh_tx *tx, const struct hh_fig_filter *f,
			    struct hh_fig_search_counts *out)
{
	/* the searches folded for good: per day in fig_agg */
	struct sum s, none, weak;
	struct hh_fig_filter g = { .org_id = f->org_id, .from_day = f->from_day,
				   .to_day = f->to_day };
	enum hh_rc rc = total(tx, &g, "srch", &s);
	if (rc == HH_OK)
		rc = total(tx, &g, "srch_none", &none);
	if (rc == HH_OK)
		rc = total(tx, &g, "srch_weak", &weak);
	/* and those not folded yet (the last day or so) from the log */
	struct hh_fig_search_counts c = { 0 };
	if (rc == HH_OK)
		rc = tx->store->fig_search_since(
			tx, f->org_id, hh_fig_day_start(f->from_day),
			hh_fig_day_start(hh_fig_day_add(f->to_day, 1)), &c);
	out->searches = s.n + c.searches;
	out->success = (int64_t)s.sum + c.success;
	out->no_result = (int64_t)none.sum + c.no_result;
	out->weak = (int64_t)weak.sum + c.weak;
	return rc;
}

enum hh_rc hh_fig_summary_tx(struct hh_tx *tx, struct hh_arena *a, json_t *conf,
			     const struct hh_fig_filter *f,
			     struct hh_fig_value out[HH_FIG__COUNT])
{
	enum hh_rc rc = HH_OK;
	for (int i = 0; rc == HH_OK && i < HH_FIG__COUNT; i++) {
		if (i == HH_FIG_PROC_MEDIAN) {
			/* both quantiles from one read of the decisions */
			rc = proc_quantiles(tx, f, &out[i], &out[HH_FIG_PROC_P90]);
			i = HH_FIG_PROC_P90;
			continue;
		}
		if (i == HH_FIG_SEARCH_SUCCESS && !f->channel && !f->case_type &&
		    !f->topic) {
			/* the three search figures from one count */
			struct hh_fig_search_counts c = { 0 };
			rc = hh_fig_search_tx(tx, f, &c);
			out[i] = hh_fig_share(c.success, c.searches);
			out[HH_FIG_SEARCH_NO_RESULT] = hh_fig_share(c.no_result,
								     c.searches);
			out[HH_FIG_SEARCH_WEAK] = hh_fig_share(c.weak, c.searches);
			i = HH_FIG_SEARCH_WEAK;
			continue;
		}
		rc = hh_fig_one_tx(tx, a, conf, f, (enum hh_fig_ind)i, &out[i]);
	}
	return rc;
}

enum hh_rc hh_fig_may_read(const struct hh_actor *who, int64_t org_id)
{
	struct hh_owner o = { org_id, 0 };
	enum hh_rc rc = hh_access(who, HH_RES_FIGURES, HH_ACT_READ, &o);
	return rc == HH_ERR_NOT_FOUND ? HH_ERR_FORBIDDEN : rc;
}

int hh_fig_period_ok(const struct hh_fig_filter *f)
{
	return f->from_day >= 19700101 && f->to_day <= 99991231 &&
	       f->from_day <= f->to_day;
}

struct summary {
	struct hh_arena *a;
	const struct hh_fig_filter *f;
	struct hh_fig_value *out;
};

static enum hh_rc summary_tx(struct hh_tx *tx, void *p)
{
	struct summary *s = p;
	return hh_fig_summary_tx(tx, s->a, hh_fig_conf(tx, s->a), s->f, s->out);
}

enum hh_rc hh_figures_summary(struct hh_store *st, const struct hh_actor *who,
			      struct hh_arena *a, const struct hh_fig_query *q,
			      struct hh_fig_value out[HH_FIG__COUNT])
{
	struct hh_fig_filter f;
	hh_fig_filter_of(who, q, &f);
	enum hh_rc rc = hh_fig_may_read(who, f.org_id);
	if (rc != HH_OK)
		return rc;
	if (!hh_fig_period_ok(&f))
		return HH_ERR_INVALID;
	rc = hh_figures_catch_up(st);
	if (rc != HH_OK)
		return rc;
	struct summary s = { a, &f, out };
	return hh_store_run_tx(st, 0, summary_tx, &s);
}

/* ---- names for pages -------------------------------------------------- */

const char *hh_fig_channel_label(const char *channel)
{
	static const char *const names[][2] = {
		{ "phone", "Telefon" },
		{ "counter", "Personligt fremmøde" },
		{ "chat", "Chat" },
		{ "email", "E-mail" },
		{ "web", "Web" },
		{ "letter_reply", "Svar på brev" },
		{ "self_service", "Digital selvbetjening" },
		{ "assisted", "Med hjælp i Borgerservice" },
		{ "follow_up", "Opfølgning" },
		{ "article", "Artikel" },
		{ "search", "Søgning" },
	};
	for (size_t i = 0; channel && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i][0], channel))
			return names[i][1];
	return channel ? channel : "";
}

static const char *const months_da[12] = { "januar", "februar", "marts", "april",
					   "maj", "juni", "juli", "august",
					   "september", "oktober", "november",
					   "december" };

/* ---- breakdowns and series ------------------------------------------ */

/* The aggregate whose keys a breakdown of i lists (NULL: none). */
static const char *metric_of(enum hh_fig_ind i)
{
	switch (i) {
	case HH_FIG_INQUIRIES:
	case HH_FIG_FCR:
	case HH_FIG_TRANSFERS:
	case HH_FIG_COST_INQUIRY:
		return "inq";
	case HH_FIG_CALLBACKS_KEPT:
		return "cb";
	case HH_FIG_CASES:
	case HH_FIG_SELF_SERVICE:
	case HH_FIG_COST_CASE:
		return "case";
	case HH_FIG_PROC_MEDIAN:
	case HH_FIG_PROC_P90:
	case HH_FIG_WITHIN_DEADLINE:
		return "dec";
	case HH_FIG_CHAT_RATING:
		return "rating";
	case HH_FIG_FOUND:
		return "found";
	default:
		return NULL;
	}
}

struct keys {
	struct hh_arena *a;
	const char **k;
	int n, cap;
};

static enum hh_rc key_row(void *p, const char *key, int64_t n, double sum)
{
	struct keys *k = p;
	(void)sum;
	if (!key || !*key || !n)
		return HH_OK;
	if (k->n == k->cap) {
		int cap = k->cap ? k->cap * 2 : 32;
		const char **nk = hh_arena_alloc(k->a, (size_t)cap * sizeof(*nk));
		if (k->n)
			memcpy(nk, k->k, (size_t)k->n * sizeof(*nk));
		k->k = nk;
		k->cap = cap;
	}
	k->k[k->n++] = hh_arena_strdup(k->a, key);
	return HH_OK;
}

struct bd {
	struct hh_arena *a;
	struct hh_fig_filter f;
	enum hh_fig_ind i;
	enum hh_fig_dim dim;
	hh_fig_row_cb cb;
	void *ctx;
};

/* The last day of the month / ISO week of day. */
static int bucket_end(int day, int week)
{
	if (week) {
		char k0[12], k1[12];
		hh_fig_week_key(day, k0);
		int d = day;
		for (;;) {
			int next = hh_fig_day_add(d, 1);
			hh_fig_week_key(next, k1);
			if (strcmp(k0, k1))
				return d;
			d = next;
		}
	}
	int first_next = day / 100 % 100 == 12 ? (day / 10000 + 1) * 10000 + 101
					       : day / 100 * 100 + 101;
	return hh_fig_day_add(first_next, -1);
}

static enum hh_rc series_tx(struct hh_tx *tx, struct bd *b, json_t *conf)
{
	int week = b->dim == HH_FIG_BY_WEEK;
	enum hh_rc rc = HH_OK;
	for (int d = b->f.from_day; rc == HH_OK && d <= b->f.to_day;) {
		int end = bucket_end(d, week);
		if (end > b->f.to_day)
			end = b->f.to_day;
		struct hh_fig_filter g = b->f;
		g.from_day = d;
		g.to_day = end;
		struct hh_fig_row r = { 0 };
		char key[12];
		if (week) {
			hh_fig_week_key(d, key);
			r.label = hh_arena_printf(b->a, "uge %d %.4s", atoi(key + 6), key);
		} else {
			hh_fig_month_key(d, key);
			r.label = hh_arena_printf(b->a, "%s %d", months_da[d / 100 % 100 - 1],
						  d / 10000);
		}
		r.key = hh_arena_strdup(b->a, key);
		rc = hh_fig_one_tx(tx, b->a, conf, &g, b->i, &r.v);
		if (rc == HH_OK)
			rc = b->cb(b->ctx, &r);
		d = hh_fig_day_add(end, 1);
	}
	return rc;
}

struct art_row {
	const char *key;
	int64_t n;
	double sum;
};

struct art_rows {
	struct hh_arena *a;
	struct art_row *r;
	int n, cap;
};

static enum hh_rc art_row(void *p, const char *key, int64_t n, double sum)
{
	struct art_rows *s = p;
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 64;
		struct art_row *nr = hh_arena_alloc(s->a, (size_t)cap * sizeof(*nr));
		if (s->n)
			memcpy(nr, s->r, (size_t)s->n * sizeof(*nr));
		s->r = nr;
		s->cap = cap;
	}
	s->r[s->n++] = (struct art_row){ hh_arena_strdup(s->a, key), n, sum };
	return HH_OK;
}

/* by article id, as a number */
static int art_cmp(const void *x, const void *y)
{
	long long a = atoll(((const struct art_row *)x)->key),
		  b = atoll(((const struct art_row *)y)->key);
	return a < b ? -1 : a > b;
}

static enum hh_rc by_article_tx(struct hh_tx *tx, struct bd *b)
{
	int what = b->i == HH_FIG_FOUND ? 0 : b->i == HH_FIG_INQUIRIES ? 1
					 : b->i == HH_FIG_FCR ? 2 : -1;
	if (what < 0)
		return HH_OK; /* no indicator per article but these */
	struct art_rows s = { .a = b->a };
	enum hh_rc rc;
	if (what == 0) {
		/* the answers per article and day are aggregates ("art_found",
		 * the article where the case type would be); answers know no
		 * channel or case type */
		struct hh_fig_filter g = b->f;
		g.channel = g.case_type = NULL;
		rc = tx->store->fig_agg_sum(tx, b->a, &g, "art_found",
					    HH_FIG_G_CASE_TYPE, art_row, &s);
		if (s.n > 1)
			qsort(s.r, (size_t)s.n, sizeof(*s.r), art_cmp);
	} else {
		rc = tx->store->fig_article_sum(tx, &b->f, what, art_row, &s);
	}
	for (int k = 0; rc == HH_OK && k < s.n; k++) {
		struct hh_fig_row r = { .key = s.r[k].key };
		struct hh_article art;
		r.label = tx->store->article_get_by_id(tx, b->a, atoll(r.key), &art) ==
					  HH_OK
				  ? art.title
				  : hh_arena_printf(b->a, "Artikel %s", r.key);
		r.v = what == 1 ? hh_fig_count(s.r[k].n)
				: hh_fig_share((int64_t)s.r[k].sum, s.r[k].n);
		rc = b->cb(b->ctx, &r);
	}
	return rc;
}

static const char *key_label(struct hh_tx *tx, struct bd *b, const char *key)
{
	if (b->dim == HH_FIG_BY_CHANNEL)
		return hh_fig_channel_label(key);
	if (b->dim == HH_FIG_BY_TOPIC) {
		/* kle (issue 15): the imported title beside the number */
		const char *title = NULL;
		if (hh_kle_titles_tx(tx, b->a, 1, &key, &title) == HH_OK && title)
			return hh_arena_printf(b->a, "KLE %s – %s", key, title);
		return hh_arena_printf(b->a, "KLE %s", key);
	}
	struct hh_case_type ct;
	if (tx->store->case_type_get_by_code(tx, b->a, key, &ct) == HH_OK)
		return ct.name;
	return key;
}

static enum hh_rc breakdown_tx(struct hh_tx *tx, void *p)
{
	struct bd *b = p;
	json_t *conf = hh_fig_conf(tx, b->a);
	if (b->dim == HH_FIG_BY_MONTH || b->dim == HH_FIG_BY_WEEK)
		return series_tx(tx, b, conf);
	if (b->dim == HH_FIG_BY_ARTICLE)
		return by_article_tx(tx, b);
	const char *metric = metric_of(b->i);
	if (!metric)
		return HH_OK;
	int group = b->dim == HH_FIG_BY_CHANNEL ? HH_FIG_G_CHANNEL
		    : b->dim == HH_FIG_BY_CASE_TYPE ? HH_FIG_G_CASE_TYPE
						    : HH_FIG_G_TOPIC;
	struct keys k = { .a = b->a };
	enum hh_rc rc = tx->store->fig_agg_sum(tx, b->a, &b->f, metric, group,
					       key_row, &k);
	for (int n = 0; rc == HH_OK && n < k.n; n++) {
		struct hh_fig_filter g = b->f;
		if (group == HH_FIG_G_CHANNEL)
			g.channel = k.k[n];
		else if (group == HH_FIG_G_CASE_TYPE)
			g.case_type = k.k[n];
		else
			g.topic = k.k[n];
		struct hh_fig_row r = { .key = k.k[n],
					.label = key_label(tx, b, k.k[n]) };
		rc = hh_fig_one_tx(tx, b->a, conf, &g, b->i, &r.v);
		if (rc == HH_OK && r.v.has)
			rc = b->cb(b->ctx, &r);
	}
	return rc;
}

enum hh_rc hh_figures_breakdown(struct hh_store *st, const struct hh_actor *who,
				struct hh_arena *a, const struct hh_fig_query *q,
				enum hh_fig_ind i, enum hh_fig_dim dim,
				hh_fig_row_cb cb, void *ctx)
{
	struct bd b = { .a = a, .i = i, .dim = dim, .cb = cb, .ctx = ctx };
	hh_fig_filter_of(who, q, &b.f);
	enum hh_rc rc = hh_fig_may_read(who, b.f.org_id);
	if (rc != HH_OK)
		return rc;
	if (!hh_fig_period_ok(&b.f) || (unsigned)i >= HH_FIG__COUNT ||
	    (unsigned)dim > HH_FIG_BY_WEEK)
		return HH_ERR_INVALID;
	rc = hh_figures_catch_up(st);
	if (rc != HH_OK)
		return rc;
	return hh_store_run_tx(st, 0, breakdown_tx, &b);
}

/* ---- the channel mix ------------------------------------------------- */

static const char *const mix_channels[] = { "phone", "counter", "chat", "email",
					    "web", "letter_reply",
					    "self_service" };
#define N_MIX ((int)(sizeof(mix_channels) / sizeof(mix_channels[0])))

struct mix {
	struct hh_arena *a;
	struct hh_fig_filter f;
	hh_fig_row_cb cb;
	void *ctx;
	int n_months;
	int64_t *counts; /* [month][channel] */
	int ch;
};

static int month_index(int from, int day)
{
	return (day / 10000 - from / 10000) * 12 + day / 100 % 100 - from / 100 % 100;
}

static enum hh_rc mix_row(void *p, const char *key, int64_t n, double sum)
{
	struct mix *m = p;
	(void)sum;
	int mi = month_index(m->f.from_day, atoi(key));
	if (mi >= 0 && mi < m->n_months)
		m->counts[mi * N_MIX + m->ch] += n;
	return HH_OK;
}

static enum hh_rc mix_tx(struct hh_tx *tx, void *p)
{
	struct mix *m = p;
	m->n_months = month_index(m->f.from_day, m->f.to_day) + 1;
	m->counts = hh_arena_alloc(m->a, (size_t)m->n_months * N_MIX *
						 sizeof(*m->counts));
	memset(m->counts, 0, (size_t)m->n_months * N_MIX * sizeof(*m->counts));
	enum hh_rc rc = HH_OK;
	for (m->ch = 0; rc == HH_OK && m->ch < N_MIX; m->ch++) {
		struct hh_fig_filter g = m->f;
		if (g.channel && strcmp(g.channel, mix_channels[m->ch]))
			continue;
		g.channel = mix_channels[m->ch];
		int cases = !strcmp(g.channel, "self_service");
		rc = tx->store->fig_agg_sum(tx, m->a, &g, cases ? "case" : "inq",
					    HH_FIG_G_DAY, mix_row, m);
	}
	for (int mi = 0; rc == HH_OK && mi < m->n_months; mi++) {
		int y = m->f.from_day / 10000 + (m->f.from_day / 100 % 100 - 1 + mi) / 12;
		int mo = (m->f.from_day / 100 % 100 - 1 + mi) % 12 + 1;
		for (int c = 0; rc == HH_OK && c < N_MIX; c++) {
			struct hh_fig_row r = {
				.key = hh_arena_printf(m->a, "%04d-%02d/%s", y, mo,
						       mix_channels[c]),
				.label = hh_arena_printf(m->a, "%s %d, %s",
							 months_da[mo - 1], y,
							 hh_fig_channel_label(
								 mix_channels[c])),
				.v = hh_fig_count(m->counts[mi * N_MIX + c]),
			};
			rc = m->cb(m->ctx, &r);
		}
	}
	return rc;
}

enum hh_rc hh_figures_channel_mix(struct hh_store *st, const struct hh_actor *who,
				  struct hh_arena *a, const struct hh_fig_query *q,
				  hh_fig_row_cb cb, void *ctx)
{
	struct mix m = { .a = a, .cb = cb, .ctx = ctx };
	hh_fig_filter_of(who, q, &m.f);
	enum hh_rc rc = hh_fig_may_read(who, m.f.org_id);
	if (rc != HH_OK)
		return rc;
	if (!hh_fig_period_ok(&m.f))
		return HH_ERR_INVALID;
	rc = hh_figures_catch_up(st);
	if (rc != HH_OK)
		return rc;
	return hh_store_run_tx(st, 0, mix_tx, &m);
}

enum hh_rc hh_fig_org_row(void *p, const struct hh_org *o)
{
	struct hh_fig_orgs *s = p;
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		struct hh_org *no = hh_arena_alloc(s->a, (size_t)cap * sizeof(*no));
		if (s->n)
			memcpy(no, s->o, (size_t)s->n * sizeof(*no));
		s->o = no;
		s->cap = cap;
	}
	s->o[s->n++] = *o;
	return HH_OK;
}
