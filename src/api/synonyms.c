/* synonyms.c - s-tune (issue 13): /api/v1/synonyms, the search's synonym
 * rules for the editors of the shared knowledge base: list (with a text
 * filter and paging), add, change and remove. Each change takes effect
 * in the index at once and is an event (domain/searchtune.h). */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "domain/searchtune.h"
#include "search/synonyms.h"

#define PAGE_MAX 200

static enum hh_rc item(void *items, int64_t id, const char *rule)
{
	json_array_append_new(items, json_pack("{s:I, s:s}", "id",
					       (json_int_t)id, "rule", rule));
	return HH_OK;
}

static void refused(struct hh_req *r, enum hh_rc rc, const char *field)
{
	if (rc == HH_ERR_FORBIDDEN)
		hh_api_report_refusal(r, rc,
				      "synonyms are for the editors of the "
				      "shared knowledge base");
	else if (rc == HH_ERR_CONFLICT)
		hh_resp_problem(r, HH_E_SYNONYM_EXISTS, field, NULL);
	else if (rc == HH_ERR_INVALID)
		hh_resp_problem(r, HH_E_INVALID_FIELD, field,
				"a phrase list: words separated by commas, at "
				"most six words a phrase");
	else
		hh_resp_rc(r, rc, field);
}

void hh_api_synonyms(struct hh_req *r)
{
	int64_t limit, offset;
	if (!hh_req_query_int(r, "limit", 50, 1, PAGE_MAX, &limit) ||
	    !hh_req_query_int(r, "offset", 0, 0, 1000000, &offset))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = json_array();
	int total = 0;
	enum hh_rc rc = hh_synonym_page(r->app->store, &who, &r->arena,
					hh_req_query(r, "q"), (int)offset,
					(int)limit, item, items, &total);
	if (rc != HH_OK) {
		json_decref(items);
		refused(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:i, s:o}", "total", total, "items",
				       items));
}

/* The body of a new or changed rule. */
static int rule_body(struct hh_req *r, const char **words,
		     const char **alternatives, int *both_ways)
{
	*both_ways = 1;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("words", words, 1, 1, 200),
		HH_JSON_STR("alternatives", alternatives, 1, 1, 500),
		HH_JSON_BOOL("both_ways", both_ways, 0),
		HH_JSON_END
	};
	return hh_json_body(r, spec);
}

void hh_api_synonym_create(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	const char *words, *alternatives;
	int both_ways;
	if (!rule_body(r, &words, &alternatives, &both_ways))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *rule = NULL, *field = NULL;
	int64_t id = 0;
	enum hh_rc rc = hh_synonym_add_id(r->app->store, &who,
					  hh_index_analyzer(r->app->index),
					  &r->arena, words, alternatives,
					  both_ways, &id, &rule, &field);
	if (rc != HH_OK) {
		refused(r, rc, field ? field : "words");
		return;
	}
	hh_resp_header(r, "Location", hh_arena_printf(&r->arena,
						      "/api/v1/synonyms/%lld",
						      (long long)id));
	hh_resp_json(r, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id,
				       "rule", rule));
}

static int rule_id(struct hh_req *r, int64_t *id)
{
	const char *s = hh_req_param(r, "id");
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || !*s || *end || v <= 0) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return 0;
	}
	*id = v;
	return 1;
}

void hh_api_synonym_put(struct hh_req *r)
{
	int64_t id;
	if (!hh_api_may_write(r) || !rule_id(r, &id))
		return;
	const char *words, *alternatives;
	int both_ways;
	if (!rule_body(r, &words, &alternatives, &both_ways))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *rule = NULL, *field = NULL;
	int64_t new_id = id;
	enum hh_rc rc = hh_synonym_change(r->app->store, &who,
					  hh_index_analyzer(r->app->index),
					  &r->arena, id, words, alternatives,
					  both_ways, &new_id, &rule, &field);
	if (rc != HH_OK) {
		refused(r, rc, field ? field : "words");
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:I, s:s}", "id", (json_int_t)new_id,
				       "rule", rule));
}

void hh_api_synonym_delete(struct hh_req *r)
{
	int64_t id;
	if (!hh_api_may_write(r) || !rule_id(r, &id))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *rule = NULL;
	enum hh_rc rc = hh_synonym_remove(r->app->store, &who, &r->arena, id,
					  &rule);
	if (rc != HH_OK) {
		refused(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
				       "rule", rule, "removed", 1));
}
