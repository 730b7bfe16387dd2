/* inquiries.c - inquiries (henvendelser) over the API: log one, list
 * them, read one, set its outcome.
 *
 * A door, as cases.c: each handler parses the request, calls one domain
 * function (domain/inquiries.h) with the caller as an actor and renders
 * JSON. NOT_FOUND is a 404 as for an unknown id, FORBIDDEN a 403 (401 for
 * a caller who should sign in); a stale version is 412, a move the
 * outcome rule refuses 409, an Idempotency-Key reused with another body
 * 422 (the code case submissions use). */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/inquiries.h"

static void refuse(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

/* Inquiries are for signed-in callers only: an anonymous one is asked to
 * sign in (401) rather than told nothing exists. Queues that and returns
 * 0; otherwise sets who. */
static int signed_in(struct hh_req *r, struct hh_actor *who)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return 0;
	}
	hh_actor_of(r, who);
	return 1;
}

static void send(struct hh_req *r, int status, const struct hh_inquiry *q,
		 int replayed)
{
	json_t *j = hh_inquiry_json(q);
	if (replayed >= 0)
		json_object_set_new(j, "replayed", json_boolean(replayed));
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)q->version));
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, status, j);
}

/* Parses an ISO 8601 time of field name into *out (0 when s is NULL);
 * queues a 400 and returns 0 when it is not one. */
static int time_of(struct hh_req *r, const char *name, const char *s,
		   int64_t *out)
{
	*out = 0;
	if (s && !hh_iso8601_parse(s, out)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, name,
				"an ISO 8601 time, e.g. 2026-03-02T10:00:00+01:00");
		return 0;
	}
	return 1;
}

/* Queues the problem for a refused input. */
static void input_refused(struct hh_req *r, enum hh_rc rc,
			  enum hh_inquiry_fault fault, const char *field)
{
	switch (fault) {
	case HH_INQ_KEY_REUSED:
		hh_resp_problem(r, HH_E_IDEMPOTENCY_KEY_REUSED, "Idempotency-Key",
				NULL);
		return;
	case HH_INQ_TRANSITION:
		hh_resp_problem(r, HH_E_TRANSITION_NOT_ALLOWED, "outcome",
				"a closed inquiry is not reopened; after "
				"callback_promised only transferred or "
				"case_created");
		return;
	case HH_INQ_ORG:
		hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, field,
				"no such organisation, or the inquiry's own");
		return;
	case HH_INQ_FINE:
		break;
	default:
		hh_resp_problem(r, HH_E_INVALID_FIELD, field, NULL);
		return;
	}
	if (rc == HH_ERR_CONFLICT)
		hh_resp_problem(r, HH_E_STALE_VERSION, "version",
				"the inquiry was changed by someone else; fetch it "
				"again");
	else
		refuse(r, rc);
}

void hh_api_inquiry_create(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	struct hh_inquiry_input in = { 0 };
	const char *started = NULL, *due = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("channel", &in.channel, 1, 1, 20),
		HH_JSON_INT("article_id", &in.article_id, 0, 1, INT64_MAX),
		HH_JSON_STR("kle", &in.kle, 0, 2, 8),
		HH_JSON_INT("citizen_id", &in.citizen_id, 0, 1, INT64_MAX),
		HH_JSON_STR("started_at", &started, 0, 10, 40),
		HH_JSON_STR("outcome", &in.outcome, 0, 1, 40),
		HH_JSON_STR("transfer_team", &in.transfer_team, 0, 1, 40),
		HH_JSON_STR("transfer_org", &in.transfer_org, 0, 1, 40),
		HH_JSON_STR("transfer_reason", &in.transfer_reason, 0, 1, 40),
		HH_JSON_INT("case_id", &in.case_id, 0, 1, INT64_MAX),
		HH_JSON_STR("callback_due_at", &due, 0, 10, 40),
		HH_JSON_STR("note", &in.note, 0, 0, 2000),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec) ||
	    !time_of(r, "started_at", started, &in.started_at) ||
	    !time_of(r, "callback_due_at", due, &in.callback_due_at))
		return;
	const char *key = hh_req_header(r, "Idempotency-Key");
	if (key) {
		if (!*key || strlen(key) > 200 || !hh_utf8_valid(key, strlen(key))) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "Idempotency-Key",
					"1 to 200 characters");
			return;
		}
		in.idem_key = key;
	}
	struct hh_inquiry q;
	int replayed = 0;
	enum hh_inquiry_fault fault = HH_INQ_FINE;
	const char *field = NULL;
	enum hh_rc rc = hh_inquiry_create(r->app->store, &r->arena, &who, &in, &q,
					  &replayed, &fault, &field);
	if (rc != HH_OK) {
		input_refused(r, rc, fault, field);
		return;
	}
	hh_resp_header(r, "Location",
		       hh_arena_printf(&r->arena, "/api/v1/inquiries/%lld",
				       (long long)q.id));
	send(r, replayed ? 200 : 201, &q, replayed);
}

static enum hh_rc list_row(void *p, const struct hh_inquiry *q)
{
	json_array_append_new(p, hh_inquiry_json(q));
	return HH_OK;
}

/* The first instant of the Danish day after the one t is in. */
static int64_t dk_day_end(int64_t t)
{
	int64_t local = hh_dk_local(t);
	int64_t next = (local / 86400 + 1) * 86400; /* local midnight */
	return next - hh_dk_offset(next - 3 * 3600);
}

void hh_api_inquiries(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	int64_t limit, offset, citizen, open;
	if (!hh_req_query_int(r, "limit", 50, 1, 200, &limit) ||
	    !hh_req_query_int(r, "offset", 0, 0, 10000000, &offset) ||
	    !hh_req_query_int(r, "citizen_id", 0, 1, INT64_MAX, &citizen) ||
	    !hh_req_query_int(r, "open", 0, 0, 1, &open))
		return;
	/* ?callbacks=today: the callbacks promised that are due by the end
	 * of the Danish today, overdue ones included (volume branch) */
	const char *callbacks = hh_req_query(r, "callbacks");
	if (callbacks && strcmp(callbacks, "today")) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "callbacks", "today");
		return;
	}
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	int64_t total = 0;
	enum hh_rc rc =
		callbacks ? hh_inquiry_callbacks_due(r->app->store, &r->arena, &who,
						     dk_day_end(hh_now_us() / 1000000),
						     offset, limit, &total, list_row,
						     items)
			  : hh_inquiry_list(r->app->store, &r->arena, &who, (int)open,
					    citizen, offset, limit, &total, list_row,
					    items);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:O, s:I, s:I, s:I}", "items", items,
				       "total", (json_int_t)total, "limit",
				       (json_int_t)limit, "offset",
				       (json_int_t)offset));
}

void hh_api_inquiry_get(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	struct hh_inquiry q;
	enum hh_rc rc = hh_inquiry_get(r->app->store, &r->arena, &who,
				       hh_req_id(r, "id", NULL), &q);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	send(r, 200, &q, -1);
}

void hh_api_inquiry_outcome(struct hh_req *r)
{
	struct hh_actor who;
	if (!signed_in(r, &who))
		return;
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	struct hh_inquiry_input in = { 0 };
	const char *due = NULL;
	int64_t version = 0;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("outcome", &in.outcome, 1, 1, 40),
		HH_JSON_STR("transfer_team", &in.transfer_team, 0, 1, 40),
		HH_JSON_STR("transfer_org", &in.transfer_org, 0, 1, 40),
		HH_JSON_STR("transfer_reason", &in.transfer_reason, 0, 1, 40),
		HH_JSON_INT("case_id", &in.case_id, 0, 1, INT64_MAX),
		HH_JSON_STR("callback_due_at", &due, 0, 10, 40),
		HH_JSON_STR("note", &in.note, 0, 0, 2000),
		/* the agent's desk: answered with this article */
		HH_JSON_INT("article_id", &in.article_id, 0, 1, INT64_MAX),
		HH_JSON_INT("version", &version, 0, 1, INT64_MAX),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec) ||
	    !time_of(r, "callback_due_at", due, &in.callback_due_at))
		return;
	int64_t hv = hh_if_match(r);
	if (hv < 0) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "If-Match",
				"If-Match must be the inquiry's ETag, e.g. \"3\"");
		return;
	}
	if (hv && version && hv != version) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "version",
				"If-Match and version disagree");
		return;
	}
	if (!hv && !version) {
		hh_resp_problem(r, HH_E_VERSION_REQUIRED, "version", NULL);
		return;
	}
	struct hh_inquiry q;
	enum hh_inquiry_fault fault = HH_INQ_FINE;
	const char *field = NULL;
	enum hh_rc rc = hh_inquiry_set_outcome(
		r->app->store, &r->arena, &who, hh_req_id(r, "id", NULL),
		hv ? hv : version, &in, &q, &fault, &field);
	if (rc != HH_OK) {
		input_refused(r, rc, fault, field);
		return;
	}
	send(r, 200, &q, -1);
}
