/* feedback.c - POST /api/v1/feedback ("Fandt du det, du søgte?", sent by
 * web/feedback.js or any client) and GET /api/v1/feedback-report (the
 * editors' share of "yes" per article).
 *
 * POST answers 201 with the answer stored. A visit (the hh_visit cookie)
 * answers once per page and Danish day: a repeat stores nothing and
 * answers 200 with the first answer and "already_recorded": true, so a
 * client that sends twice (a double click, a retry) needs no error path. */
#include "api/api.h"

#include <string.h>

#include "domain/feedback.h"
#include "domain/orgs.h"
#include "domain/reading.h"

static json_t *answer_json(const struct hh_feedback *f)
{
	const struct hh_feedback_row *row = &f->row;
	json_t *j = json_pack("{s:I, s:b, s:s, s:b}", "id", (json_int_t)row->id,
			      "found", row->found, "page", row->page,
			      "already_recorded", f->already_recorded);
	if (row->article_id)
		json_object_set_new(j, "article_id",
				    json_integer(row->article_id));
	if (row->query)
		json_object_set_new(j, "query", json_string(row->query));
	if (row->comment)
		json_object_set_new(j, "comment", json_string(row->comment));
	return j;
}

void hh_api_feedback_create(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	int found = -1;
	int64_t article_id = 0;
	const char *page = NULL, *query = NULL, *comment = NULL, *muni = NULL;
	/* the comment's limit (500 characters) is the domain's, counted
	   after trimming */
	struct hh_json_spec spec[] = {
		HH_JSON_BOOL("found", &found, 1),
		HH_JSON_STR("page", &page, 1, 1, 20),
		HH_JSON_INT("article_id", &article_id, 0, 1, INT64_MAX),
		HH_JSON_STR("query", &query, 0, 1, HH_FEEDBACK_QUERY_MAX),
		HH_JSON_STR_NULL("comment", &comment, 0, 0, 2000),
		HH_JSON_STR("municipality", &muni, 0, 1, 40),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	struct hh_feedback_in in = {
		.found = found,
		.page = page,
		.article_id = article_id,
		.query = query,
		.comment = comment,
		.visit = hh_visit(r, 0),
		.known = hh_reading_known,
		.known_ctx = r->app->index,
	};
	if (muni) {
		struct hh_org org;
		if (hh_org_by_code(r->app->store, &r->arena, muni, &org) != HH_OK ||
		    org.kind != HH_ORG_MUNICIPALITY) {
			hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, "municipality",
					"no municipality has this code");
			return;
		}
		in.municipality_id = org.id;
	}
	struct hh_feedback out;
	const char *field = NULL;
	enum hh_rc rc = hh_feedback_add(r->app->store, &r->arena, &in, &out,
					&field);
	if (rc == HH_ERR_INVALID) {
		const char *detail =
			field && !strcmp(field, "article_id")
				? (page && !strcmp(page, "article")
					   ? "article_id must be a published "
					     "citizen article"
					   : "article_id is only for page article")
			: field && !strcmp(field, "query")
				? "query is the search text, for page search only"
			: field && !strcmp(field, "comment")
				? "comment must be at most 500 characters of "
				  "UTF-8 text"
			: field && !strcmp(field, "page")
				? "page must be article or search"
				: NULL;
		hh_resp_problem(r, HH_E_INVALID_FIELD, field, detail);
		return;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_json(r, out.already_recorded ? 200 : 201, answer_json(&out));
}

static enum hh_rc report_row(void *p, const struct hh_feedback_report_row *row)
{
	json_t *rows = p;
	const struct hh_feedback_stat *s = &row->stat;
	int64_t n = s->yes + s->no;
	json_t *comments = json_array();
	for (int i = 0; i < row->n_comments; i++) {
		const struct hh_feedback_row *c = &row->comments[i];
		char iso[21];
		hh_time_iso(c->at, iso);
		json_array_append_new(comments,
				      json_pack("{s:s, s:b, s:s}", "at", iso,
						"found", c->found, "comment",
						c->comment));
	}
	json_t *j = json_pack("{s:s, s:I, s:I, s:f, s:o}", "page",
			      s->article_id ? "article" : "search", "yes",
			      (json_int_t)s->yes, "no", (json_int_t)s->no,
			      "share", n ? (double)s->yes / (double)n : 0.0,
			      "comments", comments);
	if (s->article_id) {
		json_object_set_new(j, "article_id", json_integer(s->article_id));
		if (s->slug)
			json_object_set_new(j, "slug", json_string(s->slug));
		if (s->title)
			json_object_set_new(j, "title", json_string(s->title));
	}
	json_array_append_new(rows, j);
	return HH_OK;
}

void hh_api_feedback_report(struct hh_req *r)
{
	int64_t days;
	if (!hh_req_query_int(r, "days", 30, 1, 3650, &days))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *rows = json_array();
	enum hh_rc rc = hh_feedback_report(r->app->store, &who, &r->arena,
					   (int)days, 200, 5, report_row, rows);
	if (rc != HH_OK) {
		json_decref(rows);
		hh_api_report_refusal(r, rc, "the feedback report is for editors "
					     "and managers");
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:I, s:o}", "days", (json_int_t)days,
				       "pages", rows));
}
