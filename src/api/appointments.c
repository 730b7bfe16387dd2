/* appointments.c - appointments (tidsbestilling) over the API: the counter
 * services and free slots of an organisation, booking, reading, moving and
 * cancelling by booking code, a citizen's own bookings, the counter's day
 * list and marking who came.
 *
 * A door, as inquiries.c: each handler parses, calls one domain function
 * (domain/appointments.h) and renders JSON. Booking takes an
 * Idempotency-Key; moving and cancelling take the booking's ETag in
 * If-Match (optional: the code alone is enough) and get 412 when it is
 * stale. A slot taken by someone else first is 409 slot-taken. */
#include "api/api.h"

#include <stdlib.h>
#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/appointments.h"
#include "domain/orgs.h"

static void refuse(struct hh_req *r, enum hh_rc rc)
{
	if (rc == HH_ERR_FORBIDDEN && hh_auth(r)->kind == HH_ANON)
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
	else
		hh_resp_rc(r, rc, NULL);
}

/* The organisation of the {code} parameter; queues a 404 and returns 0
 * when there is none. */
static int org_param(struct hh_req *r, struct hh_org *o)
{
	const char *code = hh_req_param(r, "code");
	enum hh_rc rc = code ? hh_store_org_by_code(r->app->store, &r->arena,
						    code, o)
			     : HH_ERR_NOT_FOUND;
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return 0;
	}
	return 1;
}

static void send(struct hh_req *r, int status, const struct hh_appointment *b,
		 int replayed)
{
	json_t *j = hh_appointment_json(&r->arena, b, 1);
	if (replayed >= 0)
		json_object_set_new(j, "replayed", json_boolean(replayed));
	hh_resp_header(r, "ETag",
		       hh_arena_printf(&r->arena, "\"%lld\"", (long long)b->version));
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, status, j);
}

/* Queues the problem for a refused booking, move or cancellation. */
static void fault_refused(struct hh_req *r, enum hh_rc rc,
			  enum hh_appt_fault fault, const char *field)
{
	static const enum hh_error_code codes[] = {
		[HH_APPT_SERVICE] = HH_E_UNKNOWN_SERVICE,
		[HH_APPT_PAST] = HH_E_SLOT_IN_PAST,
		[HH_APPT_TOO_FAR] = HH_E_SLOT_TOO_FAR,
		[HH_APPT_CLOSED] = HH_E_SLOT_CLOSED,
		[HH_APPT_UNALIGNED] = HH_E_SLOT_UNALIGNED,
		[HH_APPT_CONTACT] = HH_E_INVALID_FIELD,
		[HH_APPT_TAKEN] = HH_E_SLOT_TAKEN,
		[HH_APPT_STATE] = HH_E_BOOKING_CLOSED,
		[HH_APPT_KEY_REUSED] = HH_E_IDEMPOTENCY_KEY_REUSED,
	};
	if (fault != HH_APPT_FINE) {
		hh_resp_problem(r, codes[fault],
				fault == HH_APPT_SERVICE	 ? "service"
				: fault == HH_APPT_KEY_REUSED ? "Idempotency-Key"
				: fault == HH_APPT_STATE      ? NULL
							      : field,
				fault == HH_APPT_CONTACT ? hh_appt_fault_da(fault)
							 : NULL);
		return;
	}
	if (rc == HH_ERR_CONFLICT)
		hh_resp_problem(r, HH_E_STALE_VERSION, "If-Match",
				"the booking was changed since you fetched it; "
				"fetch it again");
	else
		refuse(r, rc);
}

/* GET /api/v1/organisations/{code}/counter-services */
void hh_api_counter_services(struct hh_req *r)
{
	struct hh_org o;
	if (!org_param(r, &o))
		return;
	struct hh_counter_config cfg;
	enum hh_rc rc = hh_counter_config_get(r->app->store, &r->arena, o.id, &cfg);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	json_t *items = json_array();
	for (int i = 0; i < cfg.n_services; i++) {
		const struct hh_counter_service *s = &cfg.services[i];
		json_t *docs = json_array();
		for (int k = 0; k < s->n_documents; k++)
			json_array_append_new(docs, json_string(s->documents[k]));
		json_t *j = json_pack("{s:s, s:s, s:i, s:o}", "code", s->code, "name",
				      s->name, "minutes", s->minutes, "documents",
				      docs);
		if (s->price_note)
			json_object_set_new(j, "price_note", json_string(s->price_note));
		json_array_append_new(items, j);
	}
	hh_resp_json(r, 200, json_pack("{s:s, s:o, s:i, s:i}", "organisation",
				       o.code, "items", items, "slot_minutes",
				       cfg.slot_minutes, "book_ahead_days",
				       cfg.book_ahead_days));
}

static enum hh_rc slot_row(void *p, const struct hh_slot *s)
{
	char a[HH_ISO8601_SIZE], b[HH_ISO8601_SIZE];
	hh_iso8601_dk(s->start_at, a);
	hh_iso8601_dk(s->end_at, b);
	json_array_append_new(p, json_pack("{s:s, s:s, s:i}", "start_at", a,
					   "end_at", b, "free", s->free));
	return HH_OK;
}

/* A date parameter (YYYY-MM-DD, Danish date); def when absent. Queues a
 * 400 and returns 0 when malformed. */
static int day_query(struct hh_req *r, const char *name, int64_t def,
		     int64_t *out)
{
	const char *s = hh_req_query(r, name);
	if (!s) {
		*out = def;
		return 1;
	}
	if (!hh_appt_parse_day(s, out)) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, name,
				"a date as YYYY-MM-DD, e.g. 2026-03-02");
		return 0;
	}
	return 1;
}

/* GET /api/v1/organisations/{code}/slots?service=&from=&to= */
void hh_api_slots(struct hh_req *r)
{
	struct hh_org o;
	if (!org_param(r, &o))
		return;
	const char *service = hh_req_query(r, "service");
	if (!service || !*service) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "service",
				"the code of a counter service");
		return;
	}
	int64_t today = hh_appt_day_of(hh_now_us() / 1000000), from, to;
	if (!day_query(r, "from", today, &from) ||
	    !day_query(r, "to", from + 6, &to))
		return;
	if (to < from || to - from > 62) {
		hh_resp_problem(r, HH_E_INVALID_PARAM, "to",
				"from .. to is at most 62 days, to not before from");
		return;
	}
	json_t *items = json_array();
	hh_arena_defer(&r->arena, hh_json_release, items);
	enum hh_rc rc = hh_slots_list(r->app->store, &r->arena, o.id, service, from,
				      to, 0, slot_row, items);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_resp_problem(r, HH_E_UNKNOWN_SERVICE, "service", NULL);
		return;
	}
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:s, s:s, s:O}", "organisation", o.code,
				       "service", service, "items", items));
}

/* Parses an ISO 8601 start; queues a 400 and returns 0 when it is none. */
static int start_of(struct hh_req *r, const char *s, int64_t *out)
{
	if (!hh_iso8601_parse(s, out)) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "start_at",
				"an ISO 8601 time, e.g. 2026-03-02T10:00:00+01:00");
		return 0;
	}
	return 1;
}

/* POST /api/v1/appointments */
void hh_api_appointment_create(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_appointment_input in = { 0 };
	const char *org = NULL, *start = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("organisation", &org, 1, 1, 40),
		HH_JSON_STR("service", &in.service, 1, 1, 40),
		HH_JSON_STR("start_at", &start, 1, 10, 40),
		HH_JSON_STR("name", &in.name, 0, 0, 200),
		HH_JSON_STR("email", &in.email, 0, 0, 254),
		HH_JSON_STR("phone", &in.phone, 0, 0, 40),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec) || !start_of(r, start, &in.start_at))
		return;
	struct hh_org o;
	if (hh_store_org_by_code(r->app->store, &r->arena, org, &o) != HH_OK) {
		hh_resp_problem(r, HH_E_UNKNOWN_ORGANISATION, "organisation", NULL);
		return;
	}
	in.org_id = o.id;
	const char *key = hh_req_header(r, "Idempotency-Key");
	if (key) {
		if (!*key || strlen(key) > 200 || !hh_utf8_valid(key, strlen(key))) {
			hh_resp_problem(r, HH_E_INVALID_PARAM, "Idempotency-Key",
					"1 to 200 characters");
			return;
		}
		in.idem_key = key;
		in.idem_scope = hh_req_client_net(r);
	}
	struct hh_appointment b;
	int replayed = 0;
	enum hh_appt_fault fault = HH_APPT_FINE;
	const char *field = NULL;
	enum hh_rc rc = hh_appointment_book(r->app->store, &r->arena, &who, &in, &b,
					    &replayed, &fault, &field);
	if (rc != HH_OK) {
		fault_refused(r, rc, fault, field);
		return;
	}
	hh_resp_header(r, "Location",
		       hh_arena_printf(&r->arena, "/api/v1/appointments/%s", b.code));
	send(r, replayed ? 200 : 201, &b, replayed);
}

/* GET /api/v1/appointments/{code} */
void hh_api_appointment_get(struct hh_req *r)
{
	struct hh_appointment b;
	enum hh_rc rc = hh_appointment_get(r->app->store, &r->arena,
					   hh_req_param(r, "code"), &b);
	if (rc != HH_OK) {
		hh_resp_rc(r, rc, NULL);
		return;
	}
	send(r, 200, &b, -1);
}

/* The If-Match version (0: none); queues a 400 and returns -1 when
 * malformed. */
static int64_t version_of(struct hh_req *r)
{
	int64_t v = hh_if_match(r);
	if (v < 0)
		hh_resp_problem(r, HH_E_INVALID_PARAM, "If-Match",
				"If-Match must be the booking's ETag, e.g. \"3\"");
	return v;
}

/* PATCH /api/v1/appointments/{code}: {"start_at": ...} moves it. */
void hh_api_appointment_move(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	const char *start = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("start_at", &start, 1, 10, 40),
		HH_JSON_END
	};
	int64_t start_at, v;
	if (!hh_json_body(r, spec) || !start_of(r, start, &start_at) ||
	    (v = version_of(r)) < 0)
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_appointment b;
	enum hh_appt_fault fault = HH_APPT_FINE;
	enum hh_rc rc = hh_appointment_move(r->app->store, &r->arena, &who,
					    hh_req_param(r, "code"), v, start_at, 0,
					    &b, &fault);
	if (rc != HH_OK) {
		fault_refused(r, rc, fault, "start_at");
		return;
	}
	send(r, 200, &b, -1);
}

/* DELETE /api/v1/appointments/{code}: cancels it. */
void hh_api_appointment_cancel(struct hh_req *r)
{
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	int64_t v = version_of(r);
	if (v < 0)
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_appointment b;
	enum hh_appt_fault fault = HH_APPT_FINE;
	enum hh_rc rc = hh_appointment_cancel(r->app->store, &r->arena, &who,
					      hh_req_param(r, "code"), v, 0, &b,
					      &fault);
	if (rc != HH_OK) {
		fault_refused(r, rc, fault, NULL);
		return;
	}
	send(r, 200, &b, -1);
}

/* POST /api/v1/appointments/{code}/attendance {"state": "attended" |
 * "no_show"}: the front desk marks who came. */
void hh_api_appointment_attendance(struct hh_req *r)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	if (!hh_csrf_ok(r, NULL)) {
		hh_resp_problem(r, HH_E_CSRF, NULL, NULL);
		return;
	}
	const char *state = NULL;
	struct hh_json_spec spec[] = {
		HH_JSON_STR("state", &state, 1, 1, 20),
		HH_JSON_END
	};
	if (!hh_json_body(r, spec))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct hh_appointment b;
	enum hh_rc rc = hh_appointment_mark(r->app->store, &r->arena, &who,
					    hh_req_param(r, "code"), state, &b);
	if (rc == HH_ERR_INVALID) {
		hh_resp_problem(r, HH_E_INVALID_FIELD, "state",
				"attended or no_show");
		return;
	}
	if (rc == HH_ERR_CONFLICT) {
		hh_resp_problem(r, HH_E_BOOKING_CLOSED, NULL, NULL);
		return;
	}
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	send(r, 200, &b, -1);
}

struct rows {
	struct hh_arena *a;
	json_t *items;
};

static enum hh_rc appt_row(void *p, const struct hh_appointment *b)
{
	struct rows *w = p;
	json_array_append_new(w->items, hh_appointment_json(w->a, b, 1));
	return HH_OK;
}

/* GET /api/v1/organisations/{code}/appointments?date=: the day list. */
void hh_api_appointment_day(struct hh_req *r)
{
	if (hh_auth(r)->kind == HH_ANON) {
		hh_resp_problem(r, HH_E_AUTH_REQUIRED, NULL, NULL);
		return;
	}
	struct hh_org o;
	int64_t day;
	if (!org_param(r, &o) ||
	    !day_query(r, "date", hh_appt_day_of(hh_now_us() / 1000000), &day))
		return;
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct rows w = { &r->arena, json_array() };
	hh_arena_defer(&r->arena, hh_json_release, w.items);
	enum hh_rc rc = hh_appointment_day(r->app->store, &r->arena, &who, o.id,
					   day, appt_row, &w);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:s, s:O}", "organisation", o.code,
				       "items", w.items));
}

/* GET /api/v1/appointments: a signed-in citizen's coming bookings. */
void hh_api_appointments_mine(struct hh_req *r)
{
	if (hh_auth(r)->kind != HH_CITIZEN) {
		hh_resp_problem(r, hh_auth(r)->kind == HH_ANON ? HH_E_CITIZEN_REQUIRED
							       : HH_E_FORBIDDEN,
				NULL, NULL);
		return;
	}
	struct hh_actor who;
	hh_actor_of(r, &who);
	struct rows w = { &r->arena, json_array() };
	hh_arena_defer(&r->arena, hh_json_release, w.items);
	enum hh_rc rc = hh_appointment_mine(r->app->store, &r->arena, &who, 0,
					    appt_row, &w);
	if (rc != HH_OK) {
		refuse(r, rc);
		return;
	}
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_resp_json(r, 200, json_pack("{s:O}", "items", w.items));
}
