/* search.c - /api/v1/search, /api/v1/suggest and the search report. */
#include "api/api.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/orgs.h"
#include "domain/articles.h"
#include "domain/reading.h"
#include "domain/reports.h"

/* Reads the query parameters shared by search and suggest. Returns 0 after
 * queueing a problem. */
static int read_query(struct hh_req *r, struct hh_search_query *q, int full)
{
	memset(q, 0, sizeof(*q));
	q->text = hh_req_query(r, "q");
	/* blank is empty too (as on /soeg): nothing to search, nothing to log */
	if (!q->text || !q->text[strspn(q->text, " \t\r\n")]) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "q",
				"q must be the words to search for");
		return 0;
	}
	if (!hh_utf8_valid(q->text, strlen(q->text))) {
		hh_resp_problem(r, HH_E_BAD_UTF8, "q", "q is not valid UTF-8");
		return 0;
	}
	const char *muni = hh_req_query(r, "municipality");
	if (muni && *muni) {
		struct hh_org org;
		if (hh_org_by_code(r->app->store, &r->arena, muni, &org) != HH_OK ||
		    org.kind != HH_ORG_MUNICIPALITY) {
			hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, "municipality",
					"no municipality has this code");
			return 0;
		}
		q->municipality_id = org.id;
	}
	if (!full)
		return 1;
	const char *kle = hh_req_query(r, "kle");
	if (kle && *kle) {
		if (!hh_kle_valid(kle)) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "kle",
					"kle must look like NN, NN.NN or NN.NN.NN");
			return 0;
		}
		q->kle = kle;
	}
	const char *aud = hh_req_query(r, "audience");
	if (aud && *aud && !(q->audience = hh_audience_parse(aud))) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "audience",
				"audience must be citizen or staff");
		return 0;
	}
	const char *org = hh_req_query(r, "organisation");
	if (org && *org) {
		if (!strcmp(org, "shared")) {
			q->organisation_id = -1;
		} else {
			struct hh_org o;
			if (hh_org_by_code(r->app->store, &r->arena, org, &o) != HH_OK) {
				hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION,
						"organisation", NULL);
				return 0;
			}
			q->organisation_id = o.id;
		}
	}
	/* s-self: kind=article,guide,service (any of them; none: all) */
	const char *kinds = hh_req_query(r, "kind");
	for (const char *k = kinds; k && *k;) {
		size_t n = strcspn(k, ",");
		char name[16];
		int kind = -1;
		if (n < sizeof(name)) {
			memcpy(name, k, n);
			name[n] = 0;
			kind = hh_doc_kind_parse(name);
		}
		if (kind < 0) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "kind",
					"kind must be article, guide or service, or "
					"several of them separated by commas");
			return 0;
		}
		q->kinds |= HH_KIND_BIT(kind);
		k += n + (k[n] == ',');
	}
	int64_t limit, offset;
	if (!hh_req_query_int(r, "limit", 10, 1, 50, &limit) ||
	    !hh_req_query_int(r, "offset", 0, 0, 1000, &offset))
		return 0;
	q->limit = (int)limit;
	q->offset = (int)offset;
	return 1;
}

void hh_api_search(struct hh_req *r)
{
	struct hh_search_query q;
	if (!read_query(r, &q, 1))
		return;
	if (!r->app->index) {
		hh_resp_problem(r, HH_E_UNAVAILABLE, NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_search_result res;
	/* the browser's anonymous visit, when it sends the cookie */
	int64_t sid = hh_reading_search_visit(r->app->index, &who, &q,
					      hh_visit(r, 0), &r->arena, &res);
	/* Written directly, with no printf: this is the hot path, and
	 * building a jansson tree only to serialise it cost more than the
	 * search itself. */
	struct hh_buf *b = &r->resp;
	hh_buf_reset(b);
	hh_buf_reserve(b, 8192); /* ten hits with snippets: about 6.5 KB */
	/* what ends every hit's url: ?s=<search id>" */
	char s_tail[32];
	snprintf(s_tail, sizeof(s_tail), "?s=%lld\"", (long long)sid);
	hh_buf_puts(b, "{\"query\":");
	hh_buf_json(b, q.text);
	hh_buf_puts(b, ",\"total\":");
	hh_buf_int(b, res.total);
	/* s-p99: total and the facets' counts are at least that many */
	hh_buf_puts(b, res.total_estimated ? ",\"total_estimated\":true"
					   : ",\"total_estimated\":false");
	hh_buf_puts(b, ",\"strength\":\"");
	hh_buf_puts(b, hh_search_strength_name(res.strength));
	hh_buf_puts(b, "\"");
	hh_buf_puts(b, ",\"limit\":");
	hh_buf_int(b, q.limit);
	hh_buf_puts(b, ",\"offset\":");
	hh_buf_int(b, q.offset);
	hh_buf_puts(b, ",\"results\":[");
	for (int i = 0; i < res.n_hits; i++) {
		const struct hh_search_hit *h = &res.hits[i];
		hh_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
		hh_buf_int(b, h->id); /* chat: an article link carries it */
		hh_buf_puts(b, ",\"kind\":\""); /* s-self */
		hh_buf_puts(b, hh_doc_kind_name(h->kind));
		hh_buf_puts(b, "\",\"slug\":");
		hh_buf_json(b, h->slug);
		hh_buf_puts(b, ",\"title\":");
		hh_buf_json(b, h->title);
		hh_buf_puts(b, ",\"summary\":");
		hh_buf_json(b, h->summary);
		if (h->org_code) {
			hh_buf_puts(b, ",\"organisation\":");
			hh_buf_json(b, h->org_code);
		}
		if (h->org_name) {
			hh_buf_puts(b, ",\"organisation_name\":");
			hh_buf_json(b, h->org_name);
		}
		hh_buf_puts(b, ",\"kle\":");
		hh_buf_json(b, h->kle);
		hh_buf_puts(b, ",\"audience\":\"");
		hh_buf_puts(b, hh_audience_name(h->audience));
		hh_buf_puts(b, "\",\"url\":\"");
		hh_buf_puts(b, hh_doc_kind_path(h->kind));
		hh_buf_puts(b, h->slug); /* a slug needs no escaping */
		hh_buf_puts(b, s_tail); /* s-trap: guides and forms too */
		if (h->snippet_html) {
			hh_buf_puts(b, ",\"snippet_html\":");
			hh_buf_json(b, h->snippet_html);
		}
		hh_buf_putc(b, '}');
	}
	hh_buf_puts(b, "],\"facets\":{");
	const struct {
		const char *open;
		const struct hh_facet *f;
		int n;
	} facets[] = { { "\"kle\":[", res.kle_groups, res.n_kle_groups },
		       { ",\"audience\":[", res.audiences, res.n_audiences },
		       { ",\"organisation\":[", res.organisations,
			 res.n_organisations } };
	for (int k = 0; k < 3; k++) {
		hh_buf_puts(b, facets[k].open);
		for (int i = 0; i < facets[k].n; i++) {
			hh_buf_puts(b, i ? ",{\"value\":" : "{\"value\":");
			hh_buf_json(b, facets[k].f[i].value);
			hh_buf_puts(b, ",\"count\":");
			hh_buf_int(b, facets[k].f[i].count);
			hh_buf_putc(b, '}');
		}
		hh_buf_putc(b, ']');
	}
	hh_buf_putc(b, '}');
	if (res.did_you_mean) {
		hh_buf_puts(b, ",\"did_you_mean\":");
		hh_buf_json(b, res.did_you_mean);
	}
	hh_buf_puts(b, res.clipped ? ",\"clipped\":true,\"search_id\":"
				   : ",\"clipped\":false,\"search_id\":");
	hh_buf_int(b, (long long)sid);
	hh_buf_putc(b, '}');
	hh_resp_body(r, 200, "application/json");
}

void hh_api_suggest(struct hh_req *r)
{
	struct hh_search_query q;
	if (!read_query(r, &q, 0))
		return;
	if (!r->app->index) {
		hh_resp_problem(r, HH_E_UNAVAILABLE, NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_suggestion s;
	hh_reading_suggest(r->app->index, &who, &q, &r->arena, &s);
	json_t *comp = json_array(), *titles = json_array();
	for (int i = 0; i < s.n_completions; i++)
		json_array_append_new(comp, json_string(s.completions[i]));
	for (int i = 0; i < s.n_titles; i++)
		json_array_append_new(titles,
				      json_pack("{s:s, s:s, s:s, s:s}", "title",
						s.titles[i].title, "slug",
						s.titles[i].slug, "kind",
						hh_doc_kind_name(s.titles[i].kind), "url",
						hh_arena_printf(&r->arena, "%s%s",
								hh_doc_kind_path(s.titles[i].kind),
								s.titles[i].slug)));
	hh_resp_header(r, "Cache-Control", "private, max-age=60");
	hh_resp_json(r, 200,
		     json_pack("{s:s, s:o, s:o}", "query", q.text, "completions",
			       comp, "titles", titles));
}

static enum hh_rc report_row(void *rows, const struct hh_search_report_row *row)
{
	json_array_append_new(rows,
			      json_pack("{s:s, s:I, s:I, s:I, s:I}", "query",
					row->query, "searches",
					(json_int_t)row->searches, "with_results",
					(json_int_t)row->with_results, "weak",
					(json_int_t)row->weak, "chosen",
					(json_int_t)row->chosen));
	return HH_OK;
}

void hh_api_search_report(struct hh_req *r)
{
	int64_t days;
	if (!hh_req_query_int(r, "days", 30, 1, 3650, &days))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *rows = json_array();
	enum hh_rc rc = hh_search_report(r->app->store, &who, &r->arena,
					 (int)days, 200, report_row, rows);
	if (rc != HH_OK) {
		json_decref(rows);
		hh_api_report_refusal(r, rc, "the search report is for editors "
					     "and managers");
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:I, s:o}", "days", (json_int_t)days,
				       "queries", rows));
}
