/* figbench.c - the figures across organisations and against money: the
 * benchmark within a peer group with the composite service index
 * (hh_figures_benchmark), the cost model and benefit realisation
 * (hh_figures_cost), and the public service levels
 * (hh_figures_service_levels). The method is in docs/figures.md. */
#include "domain/figures_int.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/casetype.h"
#include "domain/figformula.h"

/* the indicators compared, in the dashboard's order */
static const enum hh_fig_ind bench_inds[] = {
	HH_FIG_FCR,		HH_FIG_TRANSFERS,	 HH_FIG_CALLBACKS_KEPT,
	HH_FIG_PROC_MEDIAN,	HH_FIG_PROC_P90,	 HH_FIG_WITHIN_DEADLINE,
	HH_FIG_SELF_SERVICE,	HH_FIG_CHAT_RATING,	 HH_FIG_FOUND,
	HH_FIG_SEARCH_SUCCESS,	HH_FIG_SEARCH_NO_RESULT, HH_FIG_SEARCH_WEAK,
	HH_FIG_COST_INQUIRY,	HH_FIG_COST_CASE,
};
#define N_BENCH ((int)(sizeof(bench_inds) / sizeof(bench_inds[0])))

/* ---- peer groups -------------------------------------------------------- */

static const char *kind_name(enum hh_org_kind k)
{
	return k == HH_ORG_MUNICIPALITY ? "municipality" : "agency";
}

/* The index of org's peer group in conf's peer_groups: the first whose
 * kind is the organisation's and whose size bounds (min_citizens
 * inclusive, max_citizens exclusive) hold its citizens; an organisation
 * whose size the content does not give joins the first group of its
 * kind. -1: none (then all organisations of its kind). */
static int group_of(json_t *conf, const struct hh_org *o)
{
	json_t *groups = json_object_get(conf, "peer_groups");
	json_t *me = json_object_get(json_object_get(conf, "organisations"), o->code);
	json_t *c = json_object_get(me, "citizens");
	double citizens = json_is_number(c) ? json_number_value(c) : -1;
	size_t i;
	json_t *g;
	json_array_foreach(groups, i, g) {
		const char *kind = json_string_value(json_object_get(g, "kind"));
		if (!kind || strcmp(kind, kind_name(o->kind)))
			continue;
		if (citizens < 0)
			return (int)i;
		json_t *lo = json_object_get(g, "min_citizens");
		json_t *hi = json_object_get(g, "max_citizens");
		if (json_is_number(lo) && citizens < json_number_value(lo))
			continue;
		if (json_is_number(hi) && citizens >= json_number_value(hi))
			continue;
		return (int)i;
	}
	return -1;
}

static int named(json_t *conf, const char *code)
{
	json_t *me = json_object_get(json_object_get(conf, "organisations"), code);
	return json_is_true(json_object_get(me, "named"));
}

/* ---- the benchmark ------------------------------------------------------ */

struct bench {
	struct hh_arena *a;
	struct hh_fig_filter f;
	struct hh_fig_bench *out;
};

struct peer_sort {
	struct hh_fig_peer p;
	int named;     /* may be named */
	int64_t org;
	int higher;    /* higher is better */
};

static int peer_cmp(const void *x, const void *y)
{
	const struct peer_sort *a = x, *b = y;
	if (a->p.v.has != b->p.v.has)
		return a->p.v.has ? -1 : 1;
	if (a->p.v.has && a->p.v.value != b->p.v.value) {
		int a_better = a->higher ? a->p.v.value > b->p.v.value
					 : a->p.v.value < b->p.v.value;
		return a_better ? -1 : 1;
	}
	return a->org < b->org ? -1 : a->org > b->org;
}

static int dbl_cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

static const char *anon_name(struct hh_arena *a, int k)
{
	if (k < 26)
		return hh_arena_printf(a, "Organisation %c", 'A' + k);
	return hh_arena_printf(a, "Organisation %d", k + 1);
}

/* Sorts ps best first, ranks them (equal values share a rank) and names
 * them: the reader's own and those who agreed by name, the others
 * "Organisation A", "B", ... in this order, which is by value and so
 * tells nothing of who they are. */
static void rank_peers(struct hh_arena *a, struct peer_sort *ps, int n,
		       struct hh_fig_peer *out)
{
	qsort(ps, (size_t)n, sizeof(*ps), peer_cmp);
	int anon = 0;
	for (int k = 0; k < n; k++) {
		out[k] = ps[k].p;
		if (!ps[k].p.v.has)
			out[k].rank = 0;
		else if (k > 0 && ps[k - 1].p.v.has &&
			 ps[k - 1].p.v.value == ps[k].p.v.value)
			out[k].rank = out[k - 1].rank;
		else
			out[k].rank = k + 1;
		if (!ps[k].p.own && !ps[k].named)
			out[k].name = anon_name(a, anon++);
	}
}

static enum hh_rc bench_tx(struct hh_tx *tx, void *p)
{
	struct bench *b = p;
	struct hh_fig_bench *out = b->out;
	json_t *conf = hh_fig_conf(tx, b->a);
	struct hh_fig_orgs all = { .a = b->a };
	enum hh_rc rc = tx->store->org_list(tx, b->a, hh_fig_org_row, &all);
	if (rc != HH_OK)
		return rc;
	const struct hh_org *own = NULL;
	for (int i = 0; i < all.n; i++)
		if (all.o[i].id == b->f.org_id)
			own = &all.o[i];
	if (!own)
		return HH_ERR_NOT_FOUND;
	int g = group_of(conf, own);
	json_t *gj = json_array_get(json_object_get(conf, "peer_groups"), (size_t)g);
	const char *gname = json_string_value(json_object_get(gj, "name"));
	out->group = hh_arena_strdup(b->a, gname ? gname
					   : own->kind == HH_ORG_MUNICIPALITY
						   ? "Alle kommuner"
						   : "Alle myndigheder");
	/* the peers and their figures */
	struct hh_org *peers = hh_arena_alloc(b->a, (size_t)all.n * sizeof(*peers));
	int np = 0;
	for (int i = 0; i < all.n; i++)
		if (all.o[i].kind == own->kind && group_of(conf, &all.o[i]) == g)
			peers[np++] = all.o[i];
	struct hh_fig_value(*vals)[HH_FIG__COUNT] =
		hh_arena_alloc(b->a, (size_t)np * sizeof(*vals));
	for (int i = 0; rc == HH_OK && i < np; i++) {
		struct hh_fig_filter f = b->f;
		f.org_id = peers[i].id;
		rc = hh_fig_summary_tx(tx, b->a, conf, &f, vals[i]);
	}
	if (rc != HH_OK)
		return rc;
	struct peer_sort *ps = hh_arena_alloc(b->a, (size_t)np * sizeof(*ps));
	double *sorted = hh_arena_alloc(b->a, (size_t)(np ? np : 1) * sizeof(*sorted));
	out->n_rows = N_BENCH;
	out->rows = hh_arena_alloc(b->a, N_BENCH * sizeof(*out->rows));
	double *lo = hh_arena_alloc(b->a, N_BENCH * sizeof(*lo));
	double *hi = hh_arena_alloc(b->a, N_BENCH * sizeof(*hi));
	for (int r = 0; r < N_BENCH; r++) {
		enum hh_fig_ind ind = bench_inds[r];
		struct hh_fig_bench_row *row = &out->rows[r];
		memset(row, 0, sizeof(*row));
		row->ind = ind;
		int nv = 0;
		for (int i = 0; i < np; i++) {
			ps[i] = (struct peer_sort){
				.p = { .name = peers[i].name, .own = peers[i].id == own->id,
				       .v = vals[i][ind] },
				.named = named(conf, peers[i].code),
				.org = peers[i].id,
				.higher = hh_fig_higher_better(ind),
			};
			if (vals[i][ind].has)
				sorted[nv++] = vals[i][ind].value;
		}
		row->n_peers = np;
		row->peers = hh_arena_alloc(b->a, (size_t)(np ? np : 1) * sizeof(*row->peers));
		rank_peers(b->a, ps, np, row->peers);
		for (int i = 0; i < np; i++)
			if (row->peers[i].own) {
				row->own = row->peers[i].v;
				row->rank = row->peers[i].rank;
			}
		row->ranked = nv;
		qsort(sorted, (size_t)nv, sizeof(*sorted), dbl_cmp);
		if (nv) {
			row->min = sorted[0];
			row->max = sorted[nv - 1];
			row->q1 = hh_fig_quantile(sorted, nv, 0.25).value;
			row->median = hh_fig_quantile(sorted, nv, 0.5).value;
			row->q3 = hh_fig_quantile(sorted, nv, 0.75).value;
		}
		lo[r] = row->min;
		hi[r] = row->max;
	}
	/* the composite index: per organisation the weighted mean of its
	 * min-max normalised scores (0 worst .. 1 best among the peers),
	 * over the indicators it has a value for and where the peers
	 * differ */
	json_t *weights = json_object_get(json_object_get(conf, "index"), "weights");
	const char *method = json_string_value(
		json_object_get(json_object_get(conf, "index"), "method"));
	out->method = hh_arena_strdup(b->a, method ? method : "");
	out->n_weights = 0;
	out->weight_keys = hh_arena_alloc(b->a, N_BENCH * sizeof(*out->weight_keys));
	out->weights = hh_arena_alloc(b->a, N_BENCH * sizeof(*out->weights));
	double w_of[N_BENCH];
	for (int r = 0; r < N_BENCH; r++) {
		json_t *w = json_object_get(weights, hh_fig_key(bench_inds[r]));
		w_of[r] = json_is_number(w) ? json_number_value(w) : 0;
		if (w_of[r] > 0) {
			out->weight_keys[out->n_weights] = hh_fig_key(bench_inds[r]);
			out->weights[out->n_weights++] = w_of[r];
		}
	}
	for (int i = 0; i < np; i++) {
		double sum = 0, wsum = 0;
		for (int r = 0; r < N_BENCH; r++) {
			const struct hh_fig_value *v = &vals[i][bench_inds[r]];
			if (w_of[r] <= 0 || !v->has || hi[r] <= lo[r])
				continue;
			double norm = (v->value - lo[r]) / (hi[r] - lo[r]);
			if (!hh_fig_higher_better(bench_inds[r]))
				norm = 1 - norm;
			sum += w_of[r] * norm;
			wsum += w_of[r];
		}
		struct hh_fig_value iv = { 0 };
		if (wsum > 0) {
			iv.value = 100 * sum / wsum;
			iv.num = iv.den = 1;
			iv.has = 1;
		}
		ps[i] = (struct peer_sort){
			.p = { .name = peers[i].name, .own = peers[i].id == own->id,
			       .v = iv },
			.named = named(conf, peers[i].code), .org = peers[i].id,
			.higher = 1,
		};
	}
	out->n_index = np;
	out->index = hh_arena_alloc(b->a, (size_t)(np ? np : 1) * sizeof(*out->index));
	rank_peers(b->a, ps, np, out->index);
	return HH_OK;
}

enum hh_rc hh_figures_benchmark(struct hh_store *st, const struct hh_actor *who,
				struct hh_arena *a, const struct hh_fig_query *q,
				struct hh_fig_bench *out)
{
	struct bench b = { .a = a, .out = out };
	memset(out, 0, sizeof(*out));
	hh_fig_filter_of(who, q, &b.f);
	enum hh_rc rc = hh_fig_may_read(who, b.f.org_id);
	if (rc != HH_OK)
		return rc;
	if (!hh_fig_period_ok(&b.f))
		return HH_ERR_INVALID;
	rc = hh_figures_catch_up(st);
	if (rc != HH_OK)
		return rc;
	return hh_store_run_tx(st, 0, bench_tx, &b);
}

/* ---- cost ------------------------------------------------------------ */

struct cost {
	struct hh_arena *a;
	struct hh_fig_filter f;
	int base_from, base_to;
	struct hh_fig_cost *out;
	json_t *conf;
	struct hh_fig_row rows[16];
	int n;
};

static enum hh_rc channel_row(void *p, const char *key, int64_t n, double sum)
{
	struct cost *c = p;
	(void)sum;
	if (!n || !*key || c->n == 16)
		return HH_OK;
	struct hh_fig_row *r = &c->rows[c->n++];
	r->key = hh_arena_strdup(c->a, key);
	r->label = hh_fig_channel_label(r->key);
	r->v.num = r->v.den = n;
	r->v.value = hh_fig_cost(1, hh_fig_conf_num(c->conf, "minutes_per_contact", key),
				 c->out->rate);
	r->v.has = c->out->rate > 0;
	return HH_OK;
}

/* Per day of the period, the count of channel's inquiries. */
static enum hh_rc per_day(struct hh_tx *tx, const struct hh_fig_filter *f,
			  const char *channel, double *out)
{
	struct hh_fig_filter g = *f;
	g.channel = channel;
	struct hh_fig_value v;
	enum hh_rc rc = hh_fig_one_tx(tx, NULL, NULL, &g, HH_FIG_INQUIRIES, &v);
	*out = v.value / (hh_fig_days_between(f->from_day, f->to_day) + 1);
	return rc;
}

static struct hh_fig_value change(double now, double base)
{
	struct hh_fig_value v = { .has = base > 0 };
	v.value = base > 0 ? (now - base) / base : 0;
	return v;
}

static enum hh_rc cost_tx(struct hh_tx *tx, void *p)
{
	struct cost *c = p;
	struct hh_fig_cost *out = c->out;
	c->conf = hh_fig_conf(tx, c->a);
	c->n = 0;
	struct hh_org o;
	enum hh_rc rc = tx->store->org_get(tx, c->a, c->f.org_id, &o);
	if (rc != HH_OK)
		return rc;
	out->rate = hh_fig_conf_num(c->conf, "hourly_rate", o.code);
	rc = hh_fig_one_tx(tx, c->a, c->conf, &c->f, HH_FIG_COST_INQUIRY,
			   &out->per_inquiry);
	if (rc == HH_OK)
		rc = hh_fig_one_tx(tx, c->a, c->conf, &c->f, HH_FIG_COST_CASE,
				   &out->per_case);
	if (rc == HH_OK)
		rc = tx->store->fig_agg_sum(tx, c->a, &c->f, "inq", HH_FIG_G_CHANNEL,
					    channel_row, c);
	out->n_channels = c->n;
	out->channels = hh_arena_alloc(c->a, (size_t)(c->n ? c->n : 1) *
						     sizeof(*out->channels));
	memcpy(out->channels, c->rows, (size_t)c->n * sizeof(*c->rows));
	out->total = (out->per_inquiry.has ? out->per_inquiry.value * out->per_inquiry.den
					   : 0) +
		     (out->per_case.has ? out->per_case.value * out->per_case.den : 0);
	out->baseline_from = c->base_from;
	out->baseline_to = c->base_to;
	if (rc != HH_OK || !c->base_from || !c->base_to || c->base_from > c->base_to)
		return rc;
	struct hh_fig_filter base = c->f;
	base.from_day = c->base_from;
	base.to_day = c->base_to;
	double now = 0, then = 0;
	rc = per_day(tx, &c->f, "phone", &now);
	if (rc == HH_OK)
		rc = per_day(tx, &base, "phone", &then);
	out->calls_change = change(now, then);
	if (rc == HH_OK)
		rc = per_day(tx, &c->f, "counter", &now);
	if (rc == HH_OK)
		rc = per_day(tx, &base, "counter", &then);
	out->visits_change = change(now, then);
	struct hh_fig_value cpc;
	if (rc == HH_OK)
		rc = hh_fig_one_tx(tx, c->a, c->conf, &base, HH_FIG_COST_CASE, &cpc);
	if (rc == HH_OK && cpc.has && out->per_case.has)
		out->cost_per_case_change = change(out->per_case.value, cpc.value);
	return rc;
}

enum hh_rc hh_figures_cost(struct hh_store *st, const struct hh_actor *who,
			   struct hh_arena *a, const struct hh_fig_query *q,
			   int baseline_from, int baseline_to,
			   struct hh_fig_cost *out)
{
	struct cost c = { .a = a, .base_from = baseline_from,
			  .base_to = baseline_to, .out = out };
	memset(out, 0, sizeof(*out));
	hh_fig_filter_of(who, q, &c.f);
	enum hh_rc rc = hh_fig_may_read(who, c.f.org_id);
	if (rc != HH_OK)
		return rc;
	if (!hh_fig_period_ok(&c.f))
		return HH_ERR_INVALID;
	rc = hh_figures_catch_up(st);
	if (rc != HH_OK)
		return rc;
	return hh_store_run_tx(st, 0, cost_tx, &c);
}

/* ---- public service levels --------------------------------------------- */

struct levels {
	struct hh_arena *a;
	const char *code;
	int from, to;
	const char **org_name;
	hh_fig_level_cb cb;
	void *ctx;
	struct hh_org org;
	struct hh_case_type *cts;
	int n, cap;
};

static enum hh_rc ct_row(void *p, const struct hh_case_type *ct)
{
	struct levels *l = p;
	int mine = ct->organisation &&
		   (!strcmp(ct->organisation, l->org.code) ||
		    (!strcmp(ct->organisation, "municipality") &&
		     l->org.kind == HH_ORG_MUNICIPALITY));
	if (!mine)
		return HH_OK;
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		struct hh_case_type *n = hh_arena_alloc(l->a, (size_t)cap * sizeof(*n));
		if (l->n)
			memcpy(n, l->cts, (size_t)l->n * sizeof(*n));
		l->cts = n;
		l->cap = cap;
	}
	l->cts[l->n++] = *ct;
	return HH_OK;
}

static enum hh_rc levels_tx(struct hh_tx *tx, void *p)
{
	struct levels *l = p;
	l->n = 0;
	enum hh_rc rc = tx->store->org_get_by_code(tx, l->a, l->code, &l->org);
	if (rc != HH_OK)
		return rc;
	if (l->org_name)
		*l->org_name = l->org.name;
	rc = tx->store->case_type_list(tx, l->a, 0, ct_row, l);
	struct hh_fig_filter f = { .org_id = l->org.id, .from_day = l->from,
				   .to_day = l->to };
	for (int i = 0; rc == HH_OK && i < l->n; i++) {
		struct hh_case_type_def def;
		char err[128];
		if (hh_case_type_def_parse(l->cts[i].definition, &def, err,
					   sizeof(err)) != HH_OK)
			continue;
		struct hh_fig_level lv = {
			.case_type = l->cts[i].code, .name = l->cts[i].name,
			.deadline = def.deadline ? hh_arena_strdup(l->a, def.deadline)
						 : NULL,
			.deadline_days = (int)((def.deadline_s + 86399) / 86400),
		};
		hh_case_type_def_clear(&def);
		f.case_type = l->cts[i].code;
		rc = hh_fig_one_tx(tx, l->a, NULL, &f, HH_FIG_WITHIN_DEADLINE, &lv.within);
		lv.decided = hh_fig_count(lv.within.den);
		if (rc == HH_OK)
			rc = hh_fig_one_tx(tx, l->a, NULL, &f, HH_FIG_PROC_MEDIAN,
					   &lv.median_days);
		if (rc == HH_OK)
			rc = l->cb(l->ctx, &lv);
	}
	return rc;
}

enum hh_rc hh_figures_service_levels(struct hh_store *st, struct hh_arena *a,
				     const char *org_code, int from_day,
				     int to_day, const char **org_name,
				     hh_fig_level_cb cb, void *ctx)
{
	if (!org_code || !*org_code)
		return HH_ERR_NOT_FOUND;
	struct levels l = { .a = a, .code = org_code, .org_name = org_name,
			    .cb = cb, .ctx = ctx };
	/* no period: the last year up to today */
	l.to = to_day ? to_day : hh_fig_day(hh_now_us() / 1000000);
	l.from = from_day ? from_day : hh_fig_day_add(l.to, -364);
	if (l.from > l.to || l.from < 19700101)
		return HH_ERR_INVALID;
	enum hh_rc rc = hh_figures_catch_up(st);
	if (rc != HH_OK)
		return rc;
	return hh_store_run_tx(st, 0, levels_tx, &l);
}
