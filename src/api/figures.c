/* figures.c - the service figures over the API (issue 12): the summary
 * with its breakdowns, the drill-down, the benchmark and the public
 * service levels.
 *
 * A door like the others: the query string is parsed by the same
 * parser as the managers' pages (domain/figquery.h, English names), a
 * parameter the endpoint does not take is a 400 invalid-parameter naming
 * it, and the figures come from domain/figures.h as the caller. An
 * anonymous caller is asked to sign in (401); a signed-in one without
 * the right is refused (403). Values without data are null, never 0. */
#include "api/api.h"

#include <math.h>
#include <string.h>

#include "core/dktime.h"
#include "domain/access.h"
#include "domain/figquery.h"
#include "domain/figures.h"

static const char *qget(void *ctx, const char *name)
{
	return hh_req_query(ctx, name);
}

static void refuse(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

/* The reader of the figures, or 0 with 401/403 queued. */
static int reader(struct hh_req *r, struct hh_actor *who)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return 0;
	}
	hh_actor_of(r, who);
	/* asked here too, before the filters are checked: a refused
	   caller learns nothing of them */
	if (hh_access(who, HH_RES_FIGURES, HH_ACT_READ, NULL) != HH_OK) {
		hh_resp_problem(r, HH_E_FORBIDDEN, NULL,
				"the figures are for managers and admins");
		return 0;
	}
	return 1;
}

/* Refuses a parameter not in the figures' list (with extra, NULL-
 * terminated, may be NULL); without_after: the paging parameter is not
 * taken either. Returns 0 with the 400 queued. */
static int only_known(struct hh_req *r, const char *const *extra,
		      int without_after)
{
	const char *known[HH_FQ__COUNT + 8];
	int n = 0;
	for (int k = 0; k < HH_FQ__COUNT; k++)
		if (!(without_after && k == HH_FQ_AFTER))
			known[n++] = hh_figq_name(HH_FIGQ_API, k);
	for (int k = 0; extra && extra[k] && n < HH_FQ__COUNT + 7; k++)
		known[n++] = extra[k];
	known[n] = NULL;
	const char *bad = hh_req_query_unknown(r, known);
	if (bad) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, bad,
				"this endpoint does not take this parameter");
		return 0;
	}
	return 1;
}

static int parse(struct hh_req *r, struct hh_figq *f)
{
	struct hh_figq_error e;
	enum hh_rc rc = hh_figq_parse(r->app->store, &r->arena, HH_FIGQ_API, 0,
				      qget, r, f, &e);
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, e.field, e.en);
		return 0;
	}
	if (rc != HH_OK) {
		refuse(r, rc);
		return 0;
	}
	return 1;
}

static json_t *value_json(const struct hh_fig_value *v)
{
	return json_pack("{s:o, s:I, s:I}", "value",
			 v->has && !isnan(v->value) ? json_real(v->value) : json_null(),
			 "num", (json_int_t)v->num, "den", (json_int_t)v->den);
}

static json_t *period_json(struct hh_req *r, const struct hh_figq *f)
{
	json_t *j = json_pack("{s:s, s:s}", "from", hh_figq_iso(&r->arena, f->q.from_day),
			      "to", hh_figq_iso(&r->arena, f->q.to_day));
	json_object_set_new(j, "channel", f->q.channel ? json_string(f->q.channel)
						       : json_null());
	json_object_set_new(j, "case_type",
			    f->q.case_type ? json_string(f->q.case_type) : json_null());
	json_object_set_new(j, "topic", f->q.topic ? json_string(f->q.topic)
						   : json_null());
	return j;
}

static enum hh_rc row_json(void *ctx, const struct hh_fig_row *row)
{
	json_t *o = value_json(&row->v);
	json_object_set_new(o, "key", json_string(row->key ? row->key : ""));
	json_object_set_new(o, "label", json_string(row->label ? row->label : ""));
	json_array_append_new(ctx, o);
	return HH_OK;
}

static void send(struct hh_req *r, json_t *j)
{
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, j);
}

/* GET /api/v1/figures */
void hh_api_figures(struct hh_req *r)
{
	struct hh_actor who;
	struct hh_figq f;
	if (!reader(r, &who) || !only_known(r, NULL, 1) || !parse(r, &f))
		return;
	struct hh_store *st = r->app->store;
	struct hh_fig_value sum[HH_FIG__COUNT];
	enum hh_rc rc = hh_figures_summary(st, &who, &r->arena, &f.q, sum);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	json_t *j = json_object();
	json_object_set_new(j, "period", period_json(r, &f));
	json_t *ind = json_object();
	for (int i = 0; i < HH_FIG__COUNT; i++) {
		json_t *o = value_json(&sum[i]);
		json_object_set_new(o, "label", json_string(hh_fig_label(i)));
		json_object_set_new(o, "unit", json_string(hh_fig_unit(i)));
		json_object_set_new(ind, hh_fig_key(i), o);
	}
	json_object_set_new(j, "indicators", ind);
	/* the breakdowns the dashboard shows */
	static const struct {
		const char *name;
		enum hh_fig_dim dim;
		enum hh_fig_ind inds[6];
		int n;
	} parts[] = {
		{ "by_month", HH_FIG_BY_MONTH,
		  { HH_FIG_INQUIRIES, HH_FIG_CASES, HH_FIG_FCR, HH_FIG_SELF_SERVICE,
		    HH_FIG_FOUND },
		  5 },
		{ "by_case_type", HH_FIG_BY_CASE_TYPE,
		  { HH_FIG_CASES, HH_FIG_PROC_MEDIAN, HH_FIG_PROC_P90,
		    HH_FIG_WITHIN_DEADLINE, HH_FIG_SELF_SERVICE },
		  5 },
		{ "by_channel", HH_FIG_BY_CHANNEL,
		  { HH_FIG_INQUIRIES, HH_FIG_FCR, HH_FIG_TRANSFERS }, 3 },
		{ "by_topic", HH_FIG_BY_TOPIC, { HH_FIG_INQUIRIES, HH_FIG_FCR }, 2 },
		{ "by_article", HH_FIG_BY_ARTICLE, { HH_FIG_FOUND }, 1 },
	};
	for (size_t p = 0; rc == HH_OK && p < sizeof(parts) / sizeof(parts[0]); p++) {
		json_t *part = json_object();
		json_object_set_new(j, parts[p].name, part);
		for (int k = 0; rc == HH_OK && k < parts[p].n; k++) {
			json_t *arr = json_array();
			json_object_set_new(part, hh_fig_key(parts[p].inds[k]), arr);
			rc = hh_figures_breakdown(st, &who, &r->arena, &f.q,
						  parts[p].inds[k], parts[p].dim,
						  row_json, arr);
		}
	}
	json_t *mix = json_array();
	json_object_set_new(j, "channel_mix", mix);
	if (rc == HH_OK)
		rc = hh_figures_channel_mix(st, &who, &r->arena, &f.q, row_json, mix);
	struct hh_fig_cost cost;
	if (rc == HH_OK)
		rc = hh_figures_cost(st, &who, &r->arena, &f.q, f.baseline_from,
				     f.baseline_to, &cost);
	if (rc != HH_OK) {
		json_decref(j);
		refuse(r, rc);
		return;
	}
	json_t *c = json_object();
	json_object_set_new(c, "rate", json_real(cost.rate));
	json_object_set_new(c, "per_inquiry", value_json(&cost.per_inquiry));
	json_object_set_new(c, "per_case", value_json(&cost.per_case));
	json_object_set_new(c, "total", json_real(cost.total));
	json_t *chs = json_array();
	for (int i = 0; i < cost.n_channels; i++)
		row_json(chs, &cost.channels[i]);
	json_object_set_new(c, "channels", chs);
	json_object_set_new(c, "baseline",
			    json_pack("{s:s, s:s, s:o, s:o, s:o}", "from",
				      hh_figq_iso(&r->arena, cost.baseline_from), "to",
				      hh_figq_iso(&r->arena, cost.baseline_to),
				      "calls_change", value_json(&cost.calls_change),
				      "visits_change", value_json(&cost.visits_change),
				      "cost_per_case_change",
				      value_json(&cost.cost_per_case_change)));
	json_object_set_new(j, "cost", c);
	send(r, j);
}

struct items {
	json_t *arr;
	int n, limit;
	int64_t last;
};

static enum hh_rc item_json(void *ctx, const struct hh_fig_item *it)
{
	struct items *x = ctx;
	if (x->n++ >= x->limit)
		return HH_OK; /* the one after a page: there is more */
	x->last = it->id;
	char at[HH_ISO8601_SIZE];
	hh_iso8601_dk(it->at, at);
	json_array_append_new(
		x->arr,
		json_pack("{s:s, s:I, s:o, s:s, s:s, s:s, s:f, s:b}", "kind",
			  it->kind ? it->kind : "", "id", (json_int_t)it->id, "ref",
			  it->ref ? json_string(it->ref) : json_null(), "what",
			  it->what ? it->what : "", "at", at, "outcome",
			  it->outcome ? it->outcome : "", "value",
			  isnan(it->value) ? 0.0 : it->value, "counted", it->counted));
	return HH_OK;
}

/* GET /api/v1/figures/drill?indicator=KEY&...&after=ID&limit=N */
void hh_api_figures_drill(struct hh_req *r)
{
	static const char *const extra[] = { "indicator", "limit", NULL };
	struct hh_actor who;
	struct hh_figq f;
	if (!reader(r, &who) || !only_known(r, extra, 0))
		return;
	const char *key = hh_req_query(r, "indicator");
	int i = key ? hh_fig_by_key(key) : -1;
	if (!key) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "indicator",
				"required: an indicator's key (fcr, transfers, ...)");
		return;
	}
	if (i < 0) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "indicator",
				"no indicator has this key");
		return;
	}
	int64_t limit;
	if (!hh_req_query_int(r, "limit", 50, 1, 500, &limit) || !parse(r, &f))
		return;
	struct items x = { .arr = json_array(), .limit = (int)limit };
	enum hh_rc rc = hh_figures_drill(r->app->store, &who, &r->arena, &f.q, i,
					 f.after, (int)limit + 1, item_json, &x);
	if (rc != HH_OK) {
		json_decref(x.arr);
		refuse(r, rc);
		return;
	}
	json_t *j = json_pack("{s:s, s:o, s:o}", "indicator", hh_fig_key(i),
			      "period", period_json(r, &f), "items", x.arr);
	json_object_set_new(j, "next_after",
			    x.n > x.limit ? json_integer(x.last) : json_null());
	send(r, j);
}

static json_t *peer_json(const struct hh_fig_peer *p)
{
	json_t *o = value_json(&p->v);
	json_object_set_new(o, "name", json_string(p->name ? p->name : ""));
	json_object_set_new(o, "own", json_boolean(p->own));
	json_object_set_new(o, "rank", p->rank ? json_integer(p->rank) : json_null());
	return o;
}

static json_t *num_or_null(double v, int has)
{
	return has && !isnan(v) ? json_real(v) : json_null();
}

/* GET /api/v1/figures/benchmark */
void hh_api_figures_benchmark(struct hh_req *r)
{
	struct hh_actor who;
	struct hh_figq f;
	if (!reader(r, &who) || !only_known(r, NULL, 1) || !parse(r, &f))
		return;
	struct hh_fig_bench bn;
	memset(&bn, 0, sizeof(bn));
	enum hh_rc rc = hh_figures_benchmark(r->app->store, &who, &r->arena, &f.q,
					     &bn);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	json_t *rows = json_array();
	for (int k = 0; k < bn.n_rows; k++) {
		const struct hh_fig_bench_row *row = &bn.rows[k];
		int have = row->n_peers > 0;
		json_t *peers = json_array();
		for (int p = 0; p < row->n_peers; p++)
			json_array_append_new(peers, peer_json(&row->peers[p]));
		json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:i, s:o, s:o, s:o, "
				      "s:o, s:o, s:o}",
				      "indicator", hh_fig_key(row->ind), "label",
				      hh_fig_label(row->ind), "own",
				      value_json(&row->own), "rank",
				      row->rank ? json_integer(row->rank) : json_null(),
				      "ranked", row->ranked, "min",
				      num_or_null(row->min, have), "q1",
				      num_or_null(row->q1, have), "median",
				      num_or_null(row->median, have), "q3",
				      num_or_null(row->q3, have), "max",
				      num_or_null(row->max, have), "peers", peers);
		json_array_append_new(rows, o);
	}
	json_t *weights = json_object();
	for (int k = 0; k < bn.n_weights; k++)
		json_object_set_new(weights, bn.weight_keys[k], json_real(bn.weights[k]));
	json_t *orgs = json_array();
	for (int k = 0; k < bn.n_index; k++)
		json_array_append_new(orgs, peer_json(&bn.index[k]));
	json_t *j = json_pack("{s:s, s:o, s:o, s:{s:o, s:s, s:o}}", "group",
			      bn.group ? bn.group : "", "period", period_json(r, &f),
			      "rows", rows, "index", "weights", weights, "method",
			      bn.method ? bn.method : "", "organisations", orgs);
	send(r, j);
}

struct levels {
	json_t *arr;
};

static enum hh_rc level_json(void *ctx, const struct hh_fig_level *l)
{
	struct levels *x = ctx;
	json_array_append_new(
		x->arr,
		json_pack("{s:s, s:s, s:o, s:i, s:o, s:o, s:o}", "case_type",
			  l->case_type ? l->case_type : "", "name",
			  l->name ? l->name : "", "deadline",
			  l->deadline ? json_string(l->deadline) : json_null(),
			  "deadline_days", l->deadline_days, "decided",
			  value_json(&l->decided), "within", value_json(&l->within),
			  "median_days", value_json(&l->median_days)));
	return HH_OK;
}

/* GET /api/v1/service-levels/{org}?from=&to= (public; by default the
 * last twelve months) */
void hh_api_service_levels(struct hh_req *r)
{
	static const char *const known[] = { "from", "to", NULL };
	const char *bad = hh_req_query_unknown(r, known);
	if (bad) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, bad,
				"this endpoint takes from and to only");
		return;
	}
	int from, to;
	if (!hh_req_query(r, "from") && !hh_req_query(r, "to")) {
		to = hh_figq_today();
		int64_t y;
		int m, d;
		hh_civil_from_days(hh_days_from_civil(to / 10000 - 1, to / 100 % 100,
						      to % 100) + 1,
				   &y, &m, &d);
		from = (int)(y * 10000 + m * 100 + d);
	} else {
		struct hh_figq f;
		if (!parse(r, &f))
			return;
		from = f.q.from_day;
		to = f.q.to_day;
	}
	const char *code = hh_req_param(r, "org");
	const char *org_name = NULL;
	struct levels x = { json_array() };
	enum hh_rc rc = hh_figures_service_levels(r->app->store, &r->arena, code,
						  from, to, &org_name, level_json,
						  &x);
	if (rc != HH_OK) {
		json_decref(x.arr);
		hh_resp_rc(r, rc, NULL);
		return;
	}
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:o}", "organisation", code,
			      "name", org_name ? org_name : "", "from",
			      hh_figq_iso(&r->arena, from), "to",
			      hh_figq_iso(&r->arena, to), "case_types", x.arr);
	/* public, the same for everyone; a short while in caches */
	hh_resp_header(r, "Cache-Control", "public, max-age=300");
	hh_resp_json(r, 200, j);
}
