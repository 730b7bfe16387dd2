/* pins.c - issue 13: /api/v1/pins, the pinned queries of the caller's
 * municipality over the API, as editors have them on /redaktion/synonymer
 * and from the report of searches without answers: list, pin (a query
 * to the article at a slug, replacing the query's pin) and remove. Every
 * rule (who may pin, which article, the normalised query) is the
 * domain's (domain/searchtune.h); each change takes effect in the
 * search at once. */
#include "api/api.h"

#include <string.h>

#include "core/util.h"
#include "domain/searchtune.h"

static void refused(struct hh_req *r, enum hh_rc rc, const char *field)
{
	if (rc == HH_ERR_FORBIDDEN)
		hh_api_report_refusal(r, rc,
				      "pins are for the editors of a "
				      "municipality");
	else if (rc == HH_ERR_INVALID && field && !strcmp(field, "query"))
		hh_resp_problem(r, HH_E_INVALID_FIELD, "query",
				"the query has no words to pin");
	else if (rc == HH_ERR_INVALID)
		hh_resp_problem(r, HH_E_INVALID_FIELD, "article",
				"the slug of a published article the "
				"municipality's citizens read");
	else
		hh_resp_rc(r, rc, field);
}

static json_t *pin_json(const struct hh_search_pin *p,
			const struct hh_article *a)
{
	char at[21];
	hh_time_iso(p->created_at, at);
	return json_pack("{s:s, s:{s:s, s:s}, s:s?, s:s, s:s?}", "query",
			 p->query, "article", "slug", a->slug ? a->slug : "",
			 "title", a->title ? a->title : "", "organisation",
			 p->org_code, "created_at", at, "created_by",
			 p->created_by);
}

static enum hh_rc item(void *items, const struct hh_search_pin *p,
		       const struct hh_article *a)
{
	json_array_append_new(items, pin_json(p, a));
	return HH_OK;
}

void hh_api_pins(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = json_array();
	enum hh_rc rc = hh_pin_list(r->app->store, &who, &r->arena, item,
				    items);
	if (rc != HH_OK) {
		json_decref(items);
		refused(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "items", items));
}

/* POST {"query": "...", "article": "slug"}: pins, replacing the query's
 * pin if it has one; 200 with the pin as stored (the query normalised). */
void hh_api_pin_create(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	const char *query, *slug;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("query", &query, 1, 1, 200),
		HH_JSON_STR("article", &slug, 1, 1, 200),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_search_pin p;
	struct hh_article a;
	const char *field = NULL;
	enum hh_rc rc = hh_pin_add(r->app->store, &who, &r->arena, query, slug,
				   &p, &a, &field);
	if (rc != HH_OK) {
		refused(r, rc, field);
		return;
	}
	p.org_code = hh_auth(r)->org_code;
	hh_resp_json(r, 200, pin_json(&p, &a));
}

/* DELETE ?query=...: removes the municipality's pin of that query (404
 * when it has none). */
void hh_api_pin_delete(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	const char *query = hh_req_query(r, "query");
	if (!query || !*query) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "query",
				"the pinned query to remove");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	enum hh_rc rc = hh_pin_remove(r->app->store, &who, &r->arena, query);
	if (rc != HH_OK) {
		refused(r, rc, NULL);
		return;
	}
	hh_resp_text(r, 204, NULL, "");
}
