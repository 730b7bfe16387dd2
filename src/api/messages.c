/* messages.c - Digital Post messages over the API (delivery): the
 * organisation's messages and error queue, and its two actions.
 *
 *   GET  /api/v1/messages?state=&channel=&limit=   staff of the organisation
 *   GET  /api/v1/messages/{id}
 *   POST /api/v1/messages/{id}/retry   error/failed → queued, routed again
 *   POST /api/v1/messages/{id}/print   error/failed → the next print batch
 *
 * A door: parse, call domain/messages.h with the caller, render. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "app/postman.h"
#include "core/dktime.h"
#include "core/util.h"
#include "domain/messages.h"

static void refuse(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else if (rc == HH_ERR_CONFLICT)
		hh_resp_problem(r, HH_E_MESSAGE_STATE, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

static json_t *time_json(int64_t t)
{
	if (!t)
		return json_null();
	char iso[HH_ISO8601_SIZE];
	hh_iso8601_dk(t, iso);
	return json_string(iso);
}

static json_t *message_json(const struct hh_message_row *r)
{
	const struct hh_message *m = &r->m;
	json_t *j = json_pack("{s:I, s:s, s:I, s:s, s:s?, s:I, s:s?, s:s?, s:s?}",
			      "id", (json_int_t)m->id, "message_id",
			      m->message_id, "letter_id",
			      (json_int_t)m->letter_id, "state", m->state,
			      "channel", m->channel, "attempts",
			      (json_int_t)m->attempts, "last_error",
			      m->last_error, "title", r->title,
			      "citizen_name", r->citizen_name);
	json_object_set_new(j, "case_id", r->case_id ? json_integer(r->case_id)
						     : json_null());
	json_object_set_new(j, "print_batch", m->print_batch
				? json_string(m->print_batch) : json_null());
	json_object_set_new(j, "created_at", time_json(m->created_at));
	json_object_set_new(j, "next_attempt_at",
			    strcmp(m->state, "queued") ? json_null()
						       : time_json(m->next_attempt_at));
	json_object_set_new(j, "sent_at", time_json(m->sent_at));
	json_object_set_new(j, "delivered_at", time_json(m->delivered_at));
	return j;
}

static enum hh_rc list_row(void *p, const struct hh_message_row *r)
{
	json_array_append_new(p, message_json(r));
	return HH_OK;
}

static const char *const STATES[] = { "queued", "sent", "delivered", "failed",
				      "printed", "error", NULL };
static const char *const CHANNELS[] = { "digital_post", "print", "error", NULL };

static int one_of(const char *s, const char *const *set)
{
	for (int i = 0; set[i]; i++)
		if (!strcmp(s, set[i]))
			return 1;
	return 0;
}

void hh_api_messages(struct hh_req *r)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	int64_t limit;
	if (!hh_req_query_int(r, "limit", 100, 1, 500, &limit))
		return;
	struct hh_message_filter f = { .state = hh_req_query(r, "state"),
				       .channel = hh_req_query(r, "channel") };
	if (f.state && !one_of(f.state, STATES)) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "state",
				"queued, sent, delivered, failed, printed or error");
		return;
	}
	if (f.channel && !one_of(f.channel, CHANNELS)) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "channel",
				"digital_post, print or error");
		return;
	}
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	enum hh_rc rc = hh_messages_list(r->app->store, &r->arena, &who, &f,
					 (int)limit, list_row, items);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:O}", "items", items));
}

void hh_api_message_get(struct hh_req *r)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_message_row m;
	enum hh_rc rc = hh_message_get(r->app->store, &r->arena, &who,
				       hh_req_id(r, "id", NULL), &m);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, message_json(&m));
}

static void act(struct hh_req *r, int to_print)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	int64_t id = hh_req_id(r, "id", NULL), now = hh_now_us() / 1000000;
	enum hh_rc rc = to_print ? hh_message_to_print(r->app->store, &who, id, now)
				 : hh_message_retry(r->app->store, &who, id, now);
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_NO_ADDRESS, NULL, NULL);
		return;
	}
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	struct hh_message_row m;
	rc = hh_message_get(r->app->store, &r->arena, &who, id, &m);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_json(r, 200, message_json(&m));
}

void hh_api_message_retry(struct hh_req *r)
{
	act(r, 0);
}

void hh_api_message_print(struct hh_req *r)
{
	act(r, 1);
}
