/* figdrill.c - what lies behind a figure (hh_figures_drill: the
 * inquiries and cases counted in an indicator) and the live indicators
 * for Prometheus (hh_figures_metrics). */
#include "domain/figures_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/figformula.h"

/* ---- the drill-down ---------------------------------------------------- */

struct drill {
	struct hh_arena *a;
	struct hh_fig_filter f;
	enum hh_fig_ind i;
	int64_t after;
	int limit, sent, seen;
	int64_t last_id;
	hh_fig_item_cb cb;
	void *ctx;
	/* case type names met so far */
	const char *ct_code[32], *ct_name[32];
	int n_ct;
	struct hh_tx *tx;
};

static enum hh_rc inq_item(void *p, const struct hh_fig_inquiry_fact *q)
{
	struct drill *d = p;
	d->seen++;
	d->last_id = q->id;
	if (d->sent >= d->limit)
		return HH_OK;
	struct hh_fig_item it = { .kind = "inquiry", .id = q->id,
				  .what = hh_fig_channel_label(q->channel),
				  .at = q->started_at, .outcome = q->outcome };
	switch (d->i) {
	case HH_FIG_FCR:
		if (!q->first_outcome)
			return HH_OK; /* not in the denominator */
		it.counted = !strcmp(q->first_outcome, "resolved_first_contact");
		it.value = it.counted;
		it.outcome = q->first_outcome;
		break;
	case HH_FIG_TRANSFERS:
		it.value = q->transfers;
		it.counted = q->transfers > 0;
		break;
	case HH_FIG_CALLBACKS_KEPT:
		if (!q->callback_due_at)
			return HH_OK;
		it.counted = q->callback_kept == 1;
		it.value = it.counted;
		break;
	default:
		it.value = 1;
		it.counted = 1;
		break;
	}
	d->sent++;
	return d->cb(d->ctx, &it);
}

static const char *ct_name(struct drill *d, const char *code)
{
	for (int i = 0; i < d->n_ct; i++)
		if (!strcmp(d->ct_code[i], code))
			return d->ct_name[i];
	struct hh_case_type ct;
	const char *name = code;
	if (d->tx->store->case_type_get_by_code(d->tx, d->a, code, &ct) == HH_OK)
		name = ct.name;
	if (d->n_ct < 32) {
		d->ct_code[d->n_ct] = hh_arena_strdup(d->a, code);
		d->ct_name[d->n_ct++] = name;
	}
	return name;
}

static enum hh_rc case_item(void *p, const struct hh_fig_case_fact *k)
{
	struct drill *d = p;
	d->seen++;
	d->last_id = k->id;
	if (d->sent >= d->limit)
		return HH_OK;
	struct hh_fig_item it = { .kind = "case", .id = k->id, .ref = k->ref,
				  .what = ct_name(d, k->case_type),
				  .at = k->submitted_at, .outcome = k->state };
	switch (d->i) {
	case HH_FIG_PROC_MEDIAN:
	case HH_FIG_PROC_P90:
		it.value = k->proc_days;
		it.counted = 1;
		break;
	case HH_FIG_WITHIN_DEADLINE:
		it.value = k->within;
		it.counted = k->within;
		break;
	case HH_FIG_SELF_SERVICE:
		it.counted = !strcmp(k->channel, "self_service");
		it.value = it.counted;
		break;
	default:
		it.value = 1;
		it.counted = 1;
		break;
	}
	d->sent++;
	return d->cb(d->ctx, &it);
}

static enum hh_rc drill_tx(struct hh_tx *tx, void *p)
{
	struct drill *d = p;
	d->tx = tx;
	int inquiries = d->i == HH_FIG_INQUIRIES || d->i == HH_FIG_FCR ||
			d->i == HH_FIG_TRANSFERS || d->i == HH_FIG_CALLBACKS_KEPT ||
			d->i == HH_FIG_COST_INQUIRY;
	int cases = d->i == HH_FIG_CASES || d->i == HH_FIG_SELF_SERVICE ||
		    d->i == HH_FIG_COST_CASE;
	int decided = d->i == HH_FIG_PROC_MEDIAN || d->i == HH_FIG_PROC_P90 ||
		      d->i == HH_FIG_WITHIN_DEADLINE;
	if (!inquiries && !cases && !decided)
		return HH_OK; /* search, feedback and ratings name no one */
	struct hh_fig_filter f = d->f;
	if (d->i == HH_FIG_SELF_SERVICE)
		f.channel = NULL;
	int64_t before = d->after;
	enum hh_rc rc = HH_OK;
	/* rows that do not count in the figure are skipped, so read on in
	 * pages until limit rows are sent or the rows run out */
	while (rc == HH_OK && d->sent < d->limit) {
		int page = d->limit * 2 < 200 ? 200 : d->limit * 2;
		d->seen = 0;
		rc = inquiries ? tx->store->fig_inquiry_list(tx, d->a, &f, before, page,
							     inq_item, d)
			       : tx->store->fig_case_list(tx, d->a, &f, decided, before,
							  page, case_item, d);
		if (d->seen < page)
			break;
		before = d->last_id;
	}
	return rc;
}

enum hh_rc hh_figures_drill(struct hh_store *st, const struct hh_actor *who,
			    struct hh_arena *a, const struct hh_fig_query *q,
			    enum hh_fig_ind i, int64_t after, int limit,
			    hh_fig_item_cb cb, void *ctx)
{
	struct drill d = { .a = a, .i = i, .after = after > 0 ? after : 0,
			   .limit = limit, .cb = cb, .ctx = ctx };
	hh_fig_filter_of(who, q, &d.f);
	enum hh_rc rc = hh_fig_may_read(who, d.f.org_id);
	if (rc != HH_OK)
		return rc;
	if (!hh_fig_period_ok(&d.f) || (unsigned)i >= HH_FIG__COUNT || limit < 1)
		return HH_ERR_INVALID;
	rc = hh_figures_catch_up(st);
	if (rc != HH_OK)
		return rc;
	return hh_store_run_tx(st, 0, drill_tx, &d);
}

/* ---- /metrics ------------------------------------------------------ */

/* A label value in Prometheus' text format: \, " and newline escaped. */
static void label(struct hh_buf *out, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\')
			hh_buf_puts(out, "\\\\");
		else if (*s == '"')
			hh_buf_puts(out, "\\\"");
		else if (*s == '\n')
			hh_buf_puts(out, "\\n");
		else
			hh_buf_putc(out, *s);
	}
}

static void family(struct hh_buf *out, const char *name, const char *type,
		   const char *help)
{
	hh_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

struct metrics {
	struct hh_arena a;
	struct hh_buf *out;
	struct hh_fig_orgs orgs;
	int today;
};

struct emit {
	struct hh_buf *out;
	const char *name, *org, *case_type;
	int ratio; /* 1: value sum/n; 0: the count n */
};

static enum hh_rc emit_row(void *p, const char *key, int64_t n, double sum)
{
	struct emit *e = p;
	if (!n || !*key)
		return HH_OK;
	hh_buf_printf(e->out, "%s{organisation=\"", e->name);
	label(e->out, e->org);
	if (e->case_type) {
		hh_buf_puts(e->out, "\",case_type=\"");
		label(e->out, e->case_type);
	}
	hh_buf_puts(e->out, "\",channel=\"");
	label(e->out, key);
	if (e->ratio)
		hh_buf_printf(e->out, "\"} %.6g\n", sum / (double)n);
	else
		hh_buf_printf(e->out, "\"} %lld\n", (long long)n);
	return HH_OK;
}

struct ct_keys {
	struct hh_arena *a;
	const char *k[64];
	int n;
};

static enum hh_rc ct_key(void *p, const char *key, int64_t n, double sum)
{
	struct ct_keys *k = p;
	(void)sum;
	if (n && *key && k->n < 64)
		k->k[k->n++] = hh_arena_strdup(k->a, key);
	return HH_OK;
}

static enum hh_rc metrics_tx(struct hh_tx *tx, void *p)
{
	struct metrics *m = p;
	struct hh_buf *out = m->out;
	hh_buf_reset(out); /* a retried transaction starts over */
	m->orgs.a = &m->a;
	m->orgs.n = 0;
	enum hh_rc rc = tx->store->org_list(tx, &m->a, hh_fig_org_row, &m->orgs);
	/* gauges over the last 30 days up to today; counters since the
	 * first event */
	struct hh_fig_filter last30 = { .from_day = hh_fig_day_add(m->today, -29),
					.to_day = m->today };
	struct hh_fig_filter ever = { .from_day = 19700101, .to_day = 99991231 };
	static const struct {
		const char *name, *metric, *help;
	} gauges[] = {
		{ "helhed_fcr_ratio", "fcr",
		  "Share of ended inquiries resolved at first contact, last 30 days." },
		{ "helhed_within_deadline_ratio", "dec",
		  "Share of decisions made by the published deadline, last 30 days." },
		{ "helhed_chat_rating_mean", "rating",
		  "Mean chat rating (1-5), last 30 days." },
	};
	for (size_t g = 0; rc == HH_OK && g < sizeof(gauges) / sizeof(gauges[0]); g++) {
		family(out, gauges[g].name, "gauge", gauges[g].help);
		for (int i = 0; rc == HH_OK && i < m->orgs.n; i++) {
			struct emit e = { out, gauges[g].name, m->orgs.o[i].code, NULL, 1 };
			last30.org_id = m->orgs.o[i].id;
			rc = tx->store->fig_agg_sum(tx, &m->a, &last30, gauges[g].metric,
						    HH_FIG_G_CHANNEL, emit_row, &e);
		}
	}
	if (rc == HH_OK)
		family(out, "helhed_inquiries_total", "counter",
		       "Inquiries started, by organisation and channel.");
	for (int i = 0; rc == HH_OK && i < m->orgs.n; i++) {
		struct emit e = { out, "helhed_inquiries_total", m->orgs.o[i].code,
				  NULL, 0 };
		ever.org_id = m->orgs.o[i].id;
		rc = tx->store->fig_agg_sum(tx, &m->a, &ever, "inq", HH_FIG_G_CHANNEL,
					    emit_row, &e);
	}
	if (rc == HH_OK)
		family(out, "helhed_cases_total", "counter",
		       "Cases submitted, by organisation, case type and channel.");
	for (int i = 0; rc == HH_OK && i < m->orgs.n; i++) {
		struct ct_keys k = { .a = &m->a };
		ever.org_id = m->orgs.o[i].id;
		ever.case_type = NULL;
		rc = tx->store->fig_agg_sum(tx, &m->a, &ever, "case", HH_FIG_G_CASE_TYPE,
					    ct_key, &k);
		for (int c = 0; rc == HH_OK && c < k.n; c++) {
			struct emit e = { out, "helhed_cases_total", m->orgs.o[i].code,
					  k.k[c], 0 };
			ever.case_type = k.k[c];
			rc = tx->store->fig_agg_sum(tx, &m->a, &ever, "case",
						    HH_FIG_G_CHANNEL, emit_row, &e);
		}
		ever.case_type = NULL;
	}
	int64_t cursor = 0, lag = 0, newest = 0;
	if (rc == HH_OK)
		rc = hh_fig_cursor(tx, &cursor);
	if (rc == HH_OK)
		rc = tx->store->fig_lag(tx, cursor, &lag, &newest);
	if (rc == HH_OK) {
		/* the cursor: event ids start at 1 and the log is append-only,
		 * so the last id folded is how many were (counting the events
		 * would read the whole log at every scrape) */
		family(out, "helhed_fig_events_folded_total", "counter",
		       "Events folded into the service figures.");
		hh_buf_printf(out, "helhed_fig_events_folded_total %lld\n",
			      (long long)cursor);
		family(out, "helhed_fig_lag_events", "gauge",
			  "Events written and not yet folded into the figures.");
		hh_buf_printf(out, "helhed_fig_lag_events %lld\n", (long long)lag);
	}
	return rc;
}

enum hh_rc hh_figures_metrics(struct hh_store *st, struct hh_buf *out)
{
	enum hh_rc rc = hh_figures_catch_up(st);
	if (rc != HH_OK)
		return rc;
	struct metrics m = { .out = out,
			     .today = hh_fig_day(hh_now_us() / 1000000) };
	hh_arena_init(&m.a);
	struct hh_buf b;
	hh_buf_init(&b);
	m.out = &b;
	rc = hh_store_run_tx(st, 0, metrics_tx, &m);
	if (rc == HH_OK && b.len) /* all or nothing */
		hh_buf_append(out, b.data, b.len);
	hh_buf_clear(&b);
	hh_arena_clear(&m.a);
	return rc;
}
