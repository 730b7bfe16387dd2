/* webhooks.c - x-hooks (issue 15): /api/v1/webhooks, an organisation's
 * admin's webhook subscriptions and their deliveries (docs/webhooks.md).
 * Every rule (who may, which URLs, which event types) is the domain's
 * (domain/webhooks.h). */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/webhooks.h"

static void refused(struct hh_req *r, enum hh_rc rc, const char *field)
{
	if (rc == HH_ERR_FORBIDDEN)
		hh_api_report_refusal(r, rc, "webhooks are for an "
				      "organisation's admin");
	else if (rc == HH_ERR_INVALID && field && !strcmp(field, "url"))
		hh_resp_problem(r, HH_E_INVALID_FIELD, "url",
				"an https:// URL with a host, no user name or "
				"password in it, not an address of a local "
				"network (loopback, private, link-local)");
	else if (rc == HH_ERR_INVALID && field && !strcmp(field, "events"))
		hh_resp_problem(r, HH_E_INVALID_FIELD, "events",
				"one or more of, each once: case.submitted, "
				"case.state_changed, letter.sent, "
				"inquiry.transferred, article.changed");
	else
		hh_resp_rc(r, rc, field);
}

static json_t *events_json(const char *list)
{
	json_t *a = json_array();
	const char *p = list ? list : "";
	while (*p) {
		size_t n = strcspn(p, ",");
		json_array_append_new(a, json_stringn(p, n));
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return a;
}

/* x-fix: a URL stored before non-ASCII was refused (url_ok) may hold
 * bytes that are not UTF-8, which json_pack refuses: listed with those
 * bytes percent-encoded, so the subscription stays visible (and can be
 * deleted or changed) instead of vanishing. New string (free). */
static char *url_text(const char *u)
{
	size_t n = u ? strlen(u) : 0;
	char *out = hh_xmalloc(3 * n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c >= 0x80 || c < 0x20) {
			static const char hex[] = "0123456789ABCDEF";
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	*o = 0;
	return out;
}

static json_t *sub_json(const struct hh_webhook_sub *s)
{
	char at[21];
	hh_time_iso(s->created_at, at);
	char *url = url_text(s->url);
	json_t *j = json_pack("{s:I, s:s, s:o, s:b, s:s, s:s?}", "id",
			      (json_int_t)s->id, "url", url, "events",
			      events_json(s->events), "active", s->active,
			      "created_at", at, "created_by", s->created_by);
	free(url);
	if (!j) /* never silently gone: the id at least */
		j = json_pack("{s:I, s:s, s:[], s:b, s:s, s:n}", "id",
			      (json_int_t)s->id, "url", "", "events", "active",
			      s->active, "created_at", at, "created_by");
	if (s->secret) /* only as it is made: shown once */
		json_object_set_new(j, "secret", json_string(s->secret));
	/* x-hooks2: a rotation's overlap, the old secret still signing */
	if (s->previous_until > hh_now_us() / 1000000) {
		hh_time_iso(s->previous_until, at);
		json_object_set_new(j, "previous_secret_until", json_string(at));
	} else {
		json_object_set_new(j, "previous_secret_until", json_null());
	}
	return j;
}

static enum hh_rc sub_item(void *items, const struct hh_webhook_sub *s)
{
	json_t *j = sub_json(s);
	if (!j)
		return HH_ERR_INTERNAL;
	json_array_append_new(items, j);
	return HH_OK;
}

void hh_api_webhooks(struct hh_req *r)
{
	struct hh_actor who;
	hh_actor_of(r, &who);
	json_t *items = json_array();
	enum hh_rc rc = hh_webhook_list(r->app->store, &who, &r->arena,
					sub_item, items);
	if (rc != HH_OK) {
		json_decref(items);
		refused(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "items", items));
}

/* The list as the spec joined it (", " between items) into names (16
 * at most); their number, or -1 with a problem queued. */
static int split_events(struct hh_req *r, const char *events,
			const char *names[16])
{
	int n = 0;
	char *copy = hh_arena_strdup(&r->arena, events ? events : "");
	for (char *save = NULL, *t = strtok_r(copy, ", ", &save); t;
	     t = strtok_r(NULL, ", ", &save)) {
		if (n == 16) {
			refused(r, HH_ERR_INVALID, "events");
			return -1;
		}
		names[n++] = t;
	}
	return n;
}

/* POST {"url": "https://...", "events": ["case.submitted", ...]}: 201
 * with the subscription and its secret, shown this once. */
void hh_api_webhook_create(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	const char *url = NULL, *events = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("url", &url, 1, 1, 2000),
		HH_JSON_STR_LIST("events", &events, 1, 1, 40),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	const char *names[16];
	int n = split_events(r, events, names);
	if (n < 0)
		return;
	struct hh_webhook_input in = { url, names, n, -1 };
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_webhook_sub s;
	const char *field = NULL;
	enum hh_rc rc = hh_webhook_subscribe(r->app->store, &who, &r->arena,
					     &in, r->app->webhooks_allow_http,
					     &s, &field);
	if (rc != HH_OK) {
		refused(r, rc, field);
		return;
	}
	hh_resp_json(r, 201, sub_json(&s));
}

/* The {id} of the path; 0 (and a 404 queued) when it is not one. */
static int64_t path_id(struct hh_req *r)
{
	const char *ids = hh_req_param(r, "id");
	char *end = NULL;
	long long id = ids ? strtoll(ids, &end, 10) : 0;
	if (!ids || !*ids || *end || id <= 0) {
		hh_resp_problem(r, HH_E_NOT_FOUND, NULL, NULL);
		return 0;
	}
	return id;
}

/* PATCH {"url", "events", "active"}, any of them (x-hooks2; before,
 * "active" only): each checked as at subscribe; "active": false pauses,
 * true resumes; 204. */
void hh_api_webhook_patch(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	int64_t id = path_id(r);
	if (!id)
		return;
	int active = -1, has_events = 0;
	const char *url = NULL, *events = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("url", &url, 0, 1, 2000),
		HH_JSON_STR_LIST("events", &events, 0, 1, 40),
		HH_JSON_BOOL("active", &active, 0),
		HH_JSON_END
	};
	spec[1].present = &has_events;
	if (!hh_json_body(r, spec))
		return;
	const char *names[16];
	int n = -1;
	if (has_events && (n = split_events(r, events, names)) < 0)
		return;
	struct hh_webhook_input in = { url, has_events ? names : NULL, n,
				       active };
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_webhook_sub s;
	const char *field = NULL;
	enum hh_rc rc = hh_webhook_change(r->app->store, &who, &r->arena, id,
					  &in, r->app->webhooks_allow_http, &s,
					  &field);
	if (rc != HH_OK) {
		refused(r, rc, field);
		return;
	}
	hh_resp_text(r, 204, NULL, "");
}

/* POST /api/v1/webhooks/{id}/secret (x-hooks2): a new secret, shown
 * this once; the old one signs too until previous_secret_until. 200. */
void hh_api_webhook_rotate(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	int64_t id = path_id(r);
	if (!id)
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	const char *secret = NULL;
	int64_t now = hh_now_us() / 1000000;
	enum hh_rc rc = hh_webhook_rotate(r->app->store, &who, &r->arena, id,
					  now, &secret);
	if (rc != HH_OK) {
		refused(r, rc, NULL);
		return;
	}
	char until[21];
	hh_time_iso(now + HH_WH_ROTATE_OVERLAP, until);
	hh_resp_json(r, 200, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id,
				       "secret", secret,
				       "previous_secret_until", until));
}

/* POST /api/v1/webhooks/{id}/test (x-hooks2): queues a webhook.test
 * delivery; 202 with its id (GET .../deliveries shows how it went). */
void hh_api_webhook_test(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	int64_t id = path_id(r);
	if (!id)
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	int64_t did = 0;
	enum hh_rc rc = hh_webhook_send_test(r->app->store, &who, id, &did);
	if (rc != HH_OK) {
		refused(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 202, json_pack("{s:I, s:I}", "delivery_id",
				       (json_int_t)did, "subscription_id",
				       (json_int_t)id));
}

void hh_api_webhook_delete(struct hh_req *r)
{
	if (!hh_api_may_write(r))
		return;
	int64_t id = path_id(r);
	if (!id)
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	enum hh_rc rc = hh_webhook_unsubscribe(r->app->store, &who, id);
	if (rc != HH_OK) {
		refused(r, rc, NULL);
		return;
	}
	hh_resp_text(r, 204, NULL, "");
}

static enum hh_rc delivery_item(void *items,
				const struct hh_webhook_delivery *d)
{
	char created[21], updated[21], next[21];
	hh_time_iso(d->created_at, created);
	hh_time_iso(d->updated_at, updated);
	json_t *j = json_pack("{s:I, s:I, s:I, s:s, s:s, s:I, s:s, s:s}",
			      "id", (json_int_t)d->id, "subscription_id",
			      (json_int_t)d->sub_id, "event_id",
			      (json_int_t)d->event_id, "type", d->type,
			      "state", d->state, "attempts",
			      (json_int_t)d->attempts, "created_at", created,
			      "updated_at", updated);
	if (!j) /* x-fix: never a NULL into the list */
		return HH_ERR_INTERNAL;
	json_object_set_new(j, "last_response_code",
			    d->last_code ? json_integer(d->last_code)
					 : json_null());
	json_object_set_new(j, "last_error", d->last_error
						     ? json_string(d->last_error)
						     : json_null());
	if (!strcmp(d->state, "pending")) {
		hh_time_iso(d->next_attempt_at, next);
		json_object_set_new(j, "next_attempt_at", json_string(next));
	} else {
		json_object_set_new(j, "next_attempt_at", json_null());
	}
	json_array_append_new(items, j);
	return HH_OK;
}

/* GET ?subscription=ID&limit=N: the newest deliveries first (at most
 * 100 by default, 1000 at most); and (x-hooks2) GET
 * /api/v1/webhooks/{id}/deliveries?limit=N, one subscription's (404
 * when the organisation has none of that id). */
static void deliveries(struct hh_req *r, int64_t path_sub);

void hh_api_webhook_deliveries(struct hh_req *r)
{
	deliveries(r, 0);
}

void hh_api_webhook_sub_deliveries(struct hh_req *r)
{
	int64_t id = path_id(r);
	if (id)
		deliveries(r, id);
}

static void deliveries(struct hh_req *r, int64_t path_sub)
{
	const char *sub = path_sub ? NULL : hh_req_query(r, "subscription");
	const char *lim = hh_req_query(r, "limit");
	char *end = NULL;
	long long sub_id = 0, limit = 100;
	if (sub && *sub) {
		sub_id = strtoll(sub, &end, 10);
		if (*end || sub_id <= 0) {
			hh_resp_problem(r, HH_E_INVALID_FIELD, "subscription",
					"a subscription's id");
			return;
		}
	}
	if (lim && *lim) {
		limit = strtoll(lim, &end, 10);
		if (*end || limit < 1 || limit > 1000) {
			hh_resp_problem(r, HH_E_INVALID_FIELD, "limit",
					"1 to 1000");
			return;
		}
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	if (path_sub) {
		sub_id = path_sub;
		struct hh_webhook_sub s;
		enum hh_rc rc = hh_webhook_get(r->app->store, &who, &r->arena,
					       sub_id, &s);
		if (rc != HH_OK) {
			refused(r, rc, NULL);
			return;
		}
	}
	json_t *items = json_array();
	enum hh_rc rc = hh_webhook_deliveries(r->app->store, &who, &r->arena,
					      sub_id, limit, delivery_item,
					      items);
	if (rc != HH_OK) {
		json_decref(items);
		refused(r, rc, NULL);
		return;
	}
	hh_resp_json(r, 200, json_pack("{s:o}", "items", items));
}
