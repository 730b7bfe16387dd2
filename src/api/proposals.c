/* proposals.c - s-edit (issue 13): /api/v1/proposals, proposals to the
 * shared knowledge base (domain/proposals.h), beside the editors' pages:
 *   GET  /api/v1/proposals?state=open|accepted|declined|all
 *   POST /api/v1/articles/{slug}/proposals   (a shared article's slug)
 *   GET  /api/v1/proposals/{id}
 *   POST /api/v1/proposals/{id}/accept       {"version": the article's}
 *   POST /api/v1/proposals/{id}/decline      {"reason": "..."} */
#include "api/api.h"

#include <string.h>

#include "domain/articles.h"
#include "domain/proposals.h"

static const char *state_name(enum hh_proposal_state s)
{
	return s == HH_PROPOSAL_ACCEPTED ? "accepted"
	       : s == HH_PROPOSAL_DECLINED ? "declined" : "open";
}

/* The proposal as the API shows it (new reference). */
static json_t *proposal_json(const struct hh_proposal *p)
{
	char created[21], decided[21];
	hh_time_iso(p->created_at, created);
	hh_time_iso(p->decided_at, decided);
	json_t *j = json_pack(
		"{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
		"s:s, s:s}",
		"id", (json_int_t)p->id, "article", p->slug, "base_version",
		(json_int_t)p->base_version, "organisation_name", p->org_name,
		"proposer_name", p->proposer_name, "title", p->title, "summary",
		p->summary, "body", p->body_md, "keywords", p->keywords, "kle",
		p->kle, "audience", hh_audience_name(p->audience), "note", p->note,
		"state", state_name(p->state), "created_at", created);
	if (p->state != HH_PROPOSAL_OPEN) {
		json_object_set_new(j, "decided_at", json_string(decided));
		json_object_set_new(j, "decider_name",
				    json_string(p->decider_name ? p->decider_name
								: ""));
	}
	if (p->reason)
		json_object_set_new(j, "reason", json_string(p->reason));
	if (p->accepted_version)
		json_object_set_new(j, "accepted_version",
				    json_integer(p->accepted_version));
	return j;
}

static void refused(struct hh_req *r, enum hh_rc rc, const char *field)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else if (rc == HH_ERR_FORBIDDEN)
		hh_resp_problem(r, HH_E_FORBIDDEN, field,
				"proposals are for editors; the shared knowledge "
				"base's editors decide them, never their own");
	else if (rc == HH_ERR_INVALID)
		hh_resp_problem(r, HH_E_INVALID_FIELD, field,
				field && !strcmp(field, "unchanged")
					? "the proposal changes nothing"
					: "a field is not valid");
	else if (rc == HH_ERR_CONFLICT)
		hh_resp_problem(r, HH_E_STALE_VERSION, "version",
				"the article has changed, or the proposal is "
				"decided already");
	else
		hh_resp_rc(r, rc, field);
}


static enum hh_rc list_row(void *items, const struct hh_proposal *p)
{
	json_array_append_new(items, proposal_json(p));
	return HH_OK;
}

void hh_api_proposals(struct hh_req *r)
{
	const char *s = hh_req_query(r, "state");
	enum hh_proposal_state state = HH_PROPOSAL_OPEN;
	if (s && !strcmp(s, "all"))
		state = 0;
	else if (s && !strcmp(s, "accepted"))
		state = HH_PROPOSAL_ACCEPTED;
	else if (s && !strcmp(s, "declined"))
		state = HH_PROPOSAL_DECLINED;
	else if (s && strcmp(s, "open")) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "state",
				"state must be open, accepted, declined or all");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = json_array();
	enum hh_rc rc = hh_proposal_list(r->app->store, &who, &r->arena, state,
					 list_row, items);
	if (rc != HH_OK) {
		json_decref(items);
		refused(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "items", items));
}

void hh_api_proposal_create(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	const char *slug = hh_req_param(r, "slug");
	if (!hh_slug_valid(slug)) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return;
	}
	struct hh_proposal p = { 0 };
	const char *audience = "citizen";
	struct hh_json_spec spec[] = {
		HH_JSON_STR("title", &p.title, 1, 1, HH_TITLE_MAX),
		HH_JSON_STR("summary", &p.summary, 1, 1, HH_SUMMARY_MAX),
		HH_JSON_STR("body", &p.body_md, 1, 0, HH_BODY_MAX),
		HH_JSON_STR_LIST("keywords", &p.keywords, 0, 1, 100),
		HH_JSON_STR("kle", &p.kle, 0, 0, 8),
		HH_JSON_STR("audience", &audience, 0, 1, 10),
		HH_JSON_STR("note", &p.note, 0, 0, HH_PROPOSAL_NOTE_MAX),
		HH_JSON_INT("version", &p.base_version, 1, 1, INT64_MAX),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	if (!(p.audience = hh_audience_parse(audience))) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "audience",
				"audience must be citizen or staff");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *field = NULL;
	enum hh_rc rc = hh_proposal_create(r->app->store, &who, &r->arena, slug,
					   &p, &field);
	if (rc != HH_OK) {
		refused(r, rc, field);
		return;
	}
	struct hh_proposal out;
	if (hh_proposal_get(r->app->store, &who, &r->arena, p.id, &out, NULL) ==
	    HH_OK)
		p = out;
	hh_resp_header(r, "Location", hh_arena_printf(&r->arena,
						      "/api/v1/proposals/%lld",
						      (long long)p.id));
	hh_resp_json(r, 201, proposal_json(&p));
}

void hh_api_proposal_get(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_proposal p;
	struct hh_article a;
	enum hh_rc rc = id ? hh_proposal_get(r->app->store, &who, &r->arena, id,
					     &p, &a)
			   : HH_ERR_NOT_FOUND;
	if (rc != HH_OK) {
		refused(r, rc, NULL);
		return;
	}
	json_t *j = proposal_json(&p);
	json_object_set_new(j, "article_version", json_integer(a.version));
	hh_resp_json(r, 200, j);
}

static void decide(struct hh_req *r, int accept)
{
	if (!hh_api_may_write(r))
		return;
	int64_t id = hh_req_id(r, "id", NULL), version = 0;
	const char *reason = NULL;
	struct hh_json_spec accept_spec[] = {
		HH_JSON_INT("version", &version, 1, 1, INT64_MAX),
		HH_JSON_END
	};
	struct hh_json_spec decline_spec[] = {
		HH_JSON_STR("reason", &reason, 1, 1, HH_PROPOSAL_REASON_MAX),
		HH_JSON_END
	};
	if (!hh_json_body(r, accept ? accept_spec : decline_spec))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *field = NULL;
	enum hh_rc rc = !id ? HH_ERR_NOT_FOUND
			: accept ? hh_proposal_accept(r->app->store, &who,
						      &r->arena, id, version,
						      NULL)
				 : hh_proposal_decline(r->app->store, &who,
						       &r->arena, id, reason,
						       &field);
	struct hh_proposal p;
	if (rc == HH_OK)
		rc = hh_proposal_get(r->app->store, &who, &r->arena, id, &p, NULL);
	if (rc != HH_OK) {
		refused(r, rc, field);
		return;
	}
	hh_resp_json(r, 200, proposal_json(&p));
}

void hh_api_proposal_accept(struct hh_req *r)
{
	decide(r, 1);
}

void hh_api_proposal_decline(struct hh_req *r)
{
	decide(r, 0);
}
