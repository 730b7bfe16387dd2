/* chat.c - live chat over the API: status, open, read and wait for
 * messages, send, take, transfer, close, rate; the agent's console; the
 * transcript of a chat inquiry; the written inquiry.
 *
 * A door, as inquiries.c: each handler parses, calls one domain function
 * (domain/chat.h) with the caller and the chat token it carries, and
 * renders JSON. GET /api/v1/chats/{id}/messages?after=N&wait=S is the
 * long poll: with nothing after N it parks the request (its connection
 * suspended, no thread held; http/http.h hh_req_wait) until a message is
 * committed or S seconds (at most 25) have passed. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/chat.h"
#include "core/dktime.h"
#include "core/util.h"
#include "domain/chat.h"
#include "domain/orgs.h"

#define WAIT_MAX_S 25

static void refuse(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

/* Queues the problem for a refusal with its fault. */
static void chat_refused(struct hh_req *r, enum hh_rc rc,
			 enum hh_chat_fault f, const char *field)
{
	switch (f) {
	case HH_CHAT_CLOSED:
		hh_resp_problem(r, HH_E_CHAT_CLOSED, NULL, NULL);
		return;
	case HH_CHAT_STATE:
		hh_resp_problem(r, HH_E_CHAT_STATE, NULL, NULL);
		return;
	case HH_CHAT_LIMIT:
		hh_resp_problem(r, HH_E_CHAT_AGENT_LIMIT, NULL, NULL);
		return;
	case HH_CHAT_NOT_YOURS:
		hh_resp_problem(r, HH_E_CHAT_NOT_YOURS, NULL, NULL);
		return;
	case HH_CHAT_RATED:
		hh_resp_problem(r, HH_E_CHAT_RATED, NULL, NULL);
		return;
	case HH_CHAT_ORG:
		hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, "organisation", NULL);
		return;
	case HH_CHAT_FINE:
		refuse(r, rc);
		return;
	default:
		if (rc == HH_ERR_CONFLICT)
			hh_resp_problem(r, HH_E_TRANSITION_NOT_ALLOWED, field,
					hh_chat_fault_da(f));
		else
			hh_resp_problem(r, HH_E_INVALID_FIELD, field,
					hh_chat_fault_da(f));
		return;
	}
}

/* Spends one of a chat limit; on refusal queues a 429 with Retry-After
 * and a Danish detail, and returns 0. */
static int limited(struct hh_req *r, enum hh_chat_limit kind, int64_t chat_id)
{
	int retry;
	if (hh_chat_limit_take(r, kind, chat_id, &retry))
		return 0;
	hh_resp_problem(r, HH_E_TOO_MANY_REQUESTS, NULL,
			kind == HH_CHAT_LIMIT_WRITTEN
				? "Du har sendt mange henvendelser på kort tid. "
				  "Vent lidt, og prøv igen."
				: "Du har sendt mange beskeder på kort tid. Vent "
				  "lidt, og prøv igen.");
	hh_resp_header(r, "Retry-After",
		       hh_arena_printf(&r->arena, "%d", retry > 0 ? retry : 1));
	return 1;
}

static int org_of(struct hh_req *r, const char *code, int64_t *org_id)
{
	struct hh_org org;
	enum hh_rc rc = hh_org_by_code(r->app->store, &r->arena, code, &org);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, "organisation", NULL);
		return 0;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return 0;
	}
	*org_id = org.id;
	return 1;
}

static void send_chat(struct hh_req *r, int status,
		      const struct hh_chat_view *v)
{
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, status, hh_chat_json(v));
}

/* ---- public: status, open, written inquiry ----------------------------- */

void hh_api_chat_status(struct hh_req *r)
{
	int64_t org_id;
	if (!org_of(r, hh_req_param(r, "code"), &org_id))
		return;
	struct hh_chat_status s;
	enum hh_rc rc = hh_chat_status(r->app->store, &r->arena, org_id,
				       hh_now_us() / 1000000, &s);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, hh_chat_status_json(&s));
}

void hh_api_chat_open(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	const char *code = NULL, *topic = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("organisation", &code, 1, 1, 40),
		HH_JSON_STR("topic", &topic, 0, 0, 200),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	int64_t org_id;
	if (!org_of(r, code, &org_id) || limited(r, HH_CHAT_LIMIT_OPEN, 0))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_chat_view v;
	char token[HH_CHAT_TOKEN_SIZE];
	enum hh_chat_fault f = HH_CHAT_FINE;
	/* the browser's anonymous visit (search success: a search followed
	 * by a contact), when chat.js sends the cookie */
	enum hh_rc rc = hh_chat_open_visit(r->app->store, &r->arena, &who,
					   org_id, topic && *topic ? topic : NULL,
					   hh_visit(r, 0), &v, token, &f);
	if (rc != HH_OK) {
		chat_refused(r, rc, f, "topic");
		return;
	}
	json_t *j = hh_chat_json(&v);
	json_object_set_new(j, "token", json_string(token));
	hh_chat_cookie_set(r, v.chat.id, token);
	hh_resp_header(r, "Location",
		       hh_arena_printf(&r->arena, "/api/v1/chats/%lld",
				       (long long)v.chat.id));
	hh_resp_json(r, 201, j);
	sodium_memzero(token, sizeof(token));
}

void hh_api_written_inquiry(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	const char *code = NULL, *text = NULL, *contact = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("organisation", &code, 1, 1, 40),
		HH_JSON_STR("text", &text, 1, 0, 20000),
		HH_JSON_STR("contact", &contact, 1, 0, 200),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	int64_t org_id;
	if (!org_of(r, code, &org_id) || limited(r, HH_CHAT_LIMIT_WRITTEN, 0))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_inquiry q;
	enum hh_chat_fault f = HH_CHAT_FINE;
	enum hh_rc rc = hh_chat_written(r->app->store, &r->arena, &who, org_id,
					text, contact, &q, &f);
	if (rc != HH_OK) {
		chat_refused(r, rc, f, f == HH_CHAT_CONTACT ? "contact" : "text");
		return;
	}
	hh_resp_json(r, 201, json_pack("{s:I, s:s, s:s}", "inquiry_id",
				       (json_int_t)q.id, "channel", q.channel,
				       "message",
				       "Tak. Vi har modtaget din henvendelse og "
				       "svarer dig så hurtigt som muligt."));
}

/* ---- one chat ---------------------------------------------------------- */

void hh_api_chat_get(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL);
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_chat_view v;
	enum hh_rc rc = hh_chat_get(r->app->store, &r->arena, &who,
				    hh_chat_token_of(r, id), id, &v);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	send_chat(r, 200, &v);
}

static enum hh_rc msg_row(void *p, const struct hh_chat_message *m)
{
	json_array_append_new(p, hh_chat_message_json(m));
	return HH_OK;
}

void hh_api_chat_messages(struct hh_req *r)
{
	int64_t id = hh_req_id(r, "id", NULL), after, wait;
	if (!hh_req_query_int(r, "after", 0, 0, INT64_MAX, &after) ||
	    !hh_req_query_int(r, "wait", 0, 0, WAIT_MAX_S, &wait))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	/* read before looking, so a message committed in between wakes
	 * the request at once instead of being missed */
	uint64_t gen = hh_req_wait_gen(r, hh_chat_key(id));
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	struct hh_chat_view v;
	enum hh_rc rc = hh_chat_messages(r->app->store, &r->arena, &who,
					 hh_chat_token_of(r, id), id, after, 200,
					 &v, msg_row, items);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	if (!json_array_size(items) && wait > 0 &&
	    strcmp(v.chat.state, "closed") && !hh_req_wait_expired(r) &&
	    hh_req_wait(r, hh_chat_key(id), gen,
			r->started_us_mono + wait * 1000000))
		return; /* parked: this handler runs again when woken */
	json_t *j = json_object();
	json_object_set_new(j, "chat", hh_chat_json(&v));
	json_object_set(j, "messages", items);
	json_object_set_new(j, "last_seq", json_integer(v.chat.last_seq));
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, j);
}

void hh_api_chat_send(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	int64_t id = hh_req_id(r, "id", NULL), article_id = 0;
	const char *body = NULL;
	struct hh_json_spec spec[] = {
		/* the domain tells empty and too long in Danish */
		HH_JSON_STR("body", &body, 0, 0, 20000),
		HH_JSON_INT("article_id", &article_id, 0, 1, INT64_MAX),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	if (limited(r, HH_CHAT_LIMIT_MESSAGE_ADDR, id) ||
	    limited(r, HH_CHAT_LIMIT_MESSAGE_CHAT, id))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_chat_message m;
	enum hh_chat_fault f = HH_CHAT_FINE;
	enum hh_rc rc = hh_chat_send(r->app->store, &r->arena, &who,
				     hh_chat_token_of(r, id), id, body, article_id,
				     &m, &f);
	if (rc != HH_OK) {
		chat_refused(r, rc, f, f == HH_CHAT_ARTICLE ? "article_id" : "body");
		return;
	}
	/* committed: the answer acknowledges a durable message */
	hh_resp_json(r, 201, hh_chat_message_json(&m));
}

void hh_api_chat_take(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_chat_view v;
	enum hh_chat_fault f = HH_CHAT_FINE;
	enum hh_rc rc = hh_chat_take(r->app->store, &r->arena, &who,
				     hh_req_id(r, "id", NULL), &v, &f);
	if (rc != HH_OK) {
		chat_refused(r, rc, f, NULL);
		return;
	}
	send_chat(r, 200, &v);
}

void hh_api_chat_transfer(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	int64_t agent = 0;
	const char *team = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_INT("agent_id", &agent, 0, 1, INT64_MAX),
		HH_JSON_STR("team", &team, 0, 1, 40),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	if ((agent && team) || (!agent && !team)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "agent_id",
				"Vælg enten en kollega (agent_id) eller et team.");
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_chat_view v;
	enum hh_chat_fault f = HH_CHAT_FINE;
	enum hh_rc rc =
		hh_chat_transfer(r->app->store, &r->arena, &who,
				 hh_req_id(r, "id", NULL), agent, team, &v, &f);
	if (rc != HH_OK) {
		chat_refused(r, rc, f, f == HH_CHAT_TEAM ? "team" : "agent_id");
		return;
	}
	send_chat(r, 200, &v);
}

void hh_api_chat_close(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	struct hh_inquiry_input in = { 0 };
	const char *due = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("outcome", &in.outcome, 0, 1, 40),
		HH_JSON_STR("transfer_team", &in.transfer_team, 0, 1, 40),
		HH_JSON_STR("transfer_org", &in.transfer_org, 0, 1, 40),
		HH_JSON_STR("transfer_reason", &in.transfer_reason, 0, 1, 40),
		HH_JSON_INT("case_id", &in.case_id, 0, 1, INT64_MAX),
		HH_JSON_STR("callback_due_at", &due, 0, 10, 40),
		HH_JSON_STR("note", &in.note, 0, 0, 2000),
		HH_JSON_END
	};
	/* the citizen leaves with an empty body */
	int has_body = r->body.len > 0;
	if (has_body && !hh_json_body(r, spec))
		return;
	if (due && !hh_iso8601_parse(due, &in.callback_due_at)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "callback_due_at",
				"an ISO 8601 time, e.g. 2026-03-02T10:00:00+01:00");
		return;
	}
	int64_t id = hh_req_id(r, "id", NULL);
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_chat_view v;
	enum hh_chat_fault f = HH_CHAT_FINE;
	enum hh_inquiry_fault qf = HH_INQ_FINE;
	const char *field = NULL;
	enum hh_rc rc = hh_chat_close(r->app->store, &r->arena, &who,
				      hh_chat_token_of(r, id), id,
				      in.outcome || has_body ? &in : NULL, &v, &f,
				      &qf, &field);
	if (rc != HH_OK) {
		chat_refused(r, rc, f, field ? field : "outcome");
		return;
	}
	send_chat(r, 200, &v);
}

void hh_api_chat_rate(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	int64_t rating = 0;
	const char *comment = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_INT("rating", &rating, 1, 1, 5),
		HH_JSON_STR("comment", &comment, 0, 0, 1000),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	int64_t id = hh_req_id(r, "id", NULL);
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_chat_view v;
	enum hh_chat_fault f = HH_CHAT_FINE;
	enum hh_rc rc = hh_chat_rate(r->app->store, &r->arena, &who,
				     hh_chat_token_of(r, id), id, (int)rating,
				     comment, &v, &f);
	if (rc != HH_OK) {
		chat_refused(r, rc, f, "rating");
		return;
	}
	send_chat(r, 200, &v);
}

/* ---- the agent's console ----------------------------------------------- */

struct console {
	json_t *queue, *mine;
	struct hh_store *st;
	struct hh_arena *a;
	crypto_generichash_state h; /* what the answer shows, for ?known= */
};

static enum hh_rc console_row(void *p, const struct hh_chat_view *v)
{
	struct console *k = p;
	const struct hh_chat *c = &v->chat;
	json_t *j = hh_chat_json(v);
	json_array_append_new(strcmp(c->state, "queued") ? k->mine : k->queue, j);
	char line[160];
	int n = snprintf(line, sizeof(line), "%lld %s %lld %lld;",
			 (long long)c->id, c->state, (long long)c->last_seq,
			 (long long)c->version);
	crypto_generichash_update(&k->h, (const unsigned char *)line, (size_t)n);
	return HH_OK;
}

/* GET /api/v1/chat-console?known=E&wait=S: the queue and the agent's own
 * chats (each with its last_seq), and E, a tag of what it showed; with
 * known=E and nothing changed since, waits up to S seconds for a change
 * in the organisation's chats (a new chat, a message, a take). */
void hh_api_chat_console(struct hh_req *r)
{
	int64_t wait;
	if (!hh_req_query_int(r, "wait", 0, 0, WAIT_MAX_S, &wait))
		return;
	const char *known = hh_req_query(r, "known");
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	uint64_t gen = hh_req_wait_gen(r, hh_chat_org_key(who.org_id));
	struct console k;
	memset(&k, 0, sizeof(k));
	k.queue = json_array();
	k.mine = json_array();
	k.st = r->app->store;
	k.a = &r->arena;
	hh_arena_defer(&r->arena, hh_json_release, k.queue);
	hh_arena_defer(&r->arena, hh_json_release, k.mine);
	crypto_generichash_init(&k.h, NULL, 0, 16);
	/* a heartbeat once a request, not on every wake-up while it
	 * waits (each wake would be a write) */
	enum hh_rc rc = hh_chat_console(r->app->store, &r->arena, &who,
					r->wait_deadline_us == 0, console_row, &k);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	unsigned char tag[16];
	crypto_generichash_final(&k.h, tag, sizeof(tag));
	char hex[33];
	sodium_bin2hex(hex, sizeof(hex), tag, sizeof(tag));
	if (known && !strcmp(known, hex) && wait > 0 && !hh_req_wait_expired(r) &&
	    hh_req_wait(r, hh_chat_org_key(who.org_id), gen,
			r->started_us_mono + wait * 1000000))
		return;
	struct hh_chat_status s;
	json_t *j = json_pack("{s:O, s:O, s:s}", "queue", k.queue, "mine", k.mine,
			      "known", hex);
	if (hh_chat_status(r->app->store, &r->arena, who.org_id,
			   hh_now_us() / 1000000, &s) == HH_OK)
		json_object_set_new(j, "status", hh_chat_status_json(&s));
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, j);
}

/* GET /api/v1/inquiries/{id}/transcript: a chat inquiry's messages. */
void hh_api_inquiry_transcript(struct hh_req *r)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	enum hh_rc rc =
		hh_chat_transcript(r->app->store, &r->arena, &who,
				   hh_req_id(r, "id", NULL), msg_row, items);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:O}", "messages", items));
}
