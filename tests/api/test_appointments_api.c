/* test_appointments_api.c - appointments over the API: counter services
 * and slots, booking with an Idempotency-Key, every refusal as
 * problem+json, moving and cancelling by code with If-Match (412 when
 * stale), the day list and attendance for the front desk, and the limit
 * on anonymous bookings per address. */
#include "api/appointments_fixture.h"

#include "core/limit.h"

static struct tu_resp anon(struct afx *f, const char *method, const char *path,
			   const char *body, const char *const *extra)
{
	return tu_call(f->s.base, NULL, NULL, method, path, body, extra);
}

static char *booking_body(const char *start, const char *extra)
{
	char b[600];
	snprintf(b, sizeof(b),
		 "{\"organisation\":\"901\",\"service\":\"pas\",\"start_at\":\"%s\","
		 "\"name\":\"Ida Hansen\",\"email\":\"ida@example.dk\"%s}",
		 start, extra ? extra : "");
	return hh_xstrdup(b);
}

static void test_services_and_slots(void **state)
{
	struct afx *f = *state;
	struct tu_resp r = anon(f, "GET", "/api/v1/organisations/901/counter-services",
				NULL, NULL);
	assert_int_equal(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 2);
	json_t *pas = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(pas, "code")), "pas");
	assert_int_equal(json_integer_value(json_object_get(pas, "minutes")), 15);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(pas, "documents"), 1)),
			    "Sundhedskort");
	assert_string_equal(json_string_value(json_object_get(pas, "price_note")),
			    "Pas koster gebyr.");
	tu_resp_free(&r);
	r = anon(f, "GET", "/api/v1/organisations/nope/counter-services", NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = anon(f, "GET", "/api/v1/organisations/902/counter-services", NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL); /* takes no bookings */
	tu_resp_free(&r);

	/* today is closed (an exception): the first slot is tomorrow's */
	char path[256];
	snprintf(path, sizeof(path),
		 "/api/v1/organisations/901/slots?service=pas&from=%s&to=%s", f->today,
		 f->today);
	r = anon(f, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
	snprintf(path, sizeof(path),
		 "/api/v1/organisations/901/slots?service=mitid&from=%s&to=%s",
		 f->tomorrow, f->tomorrow);
	r = anon(f, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	items = json_object_get(r.json, "items");
	/* all day, unless tomorrow is Sunday: 30 minutes on a 15 grid */
	size_t n = json_array_size(items);
	assert_true(n == 0 || n == 24 * 4 - 1);
	if (n) {
		const char *s = json_string_value(
			json_object_get(json_array_get(items, 0), "start_at"));
		assert_non_null(strstr(s, "T00:00:00+0"));
		assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0),
								    "free")),
				 1);
	}
	tu_resp_free(&r);
	static const struct {
		const char *query, *code, *field;
	} bad[] = {
		{ "", "invalid-parameter", "service" },
		{ "service=vielse", "unknown-service", "service" },
		{ "service=pas&from=2026-02-30", "invalid-parameter", "from" },
		{ "service=pas&from=i-morgen", "invalid-parameter", "from" },
		{ "service=pas&from=2026-03-10&to=2026-03-01", "invalid-parameter", "to" },
		{ "service=pas&from=2026-01-01&to=2026-12-01", "invalid-parameter", "to" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/organisations/901/slots?%s",
			 bad[i].query);
		r = anon(f, "GET", path, NULL, NULL);
		tu_expect_problem(&r, 400, bad[i].code, bad[i].field);
		tu_resp_free(&r);
	}
}

static void test_book_idempotently(void **state)
{
	struct afx *f = *state;
	char start[64], other[64];
	afx_slot(f, "pas", 0, start, sizeof(start));
	afx_slot(f, "pas", 1, other, sizeof(other));
	const char *key[] = { "Idempotency-Key: 6c1f0a52-booking", NULL };
	char *body = booking_body(start, NULL);
	struct tu_resp r = anon(f, "POST", "/api/v1/appointments", body, key);
	assert_int_equal(r.status, 201);
	const char *code = json_string_value(json_object_get(r.json, "code"));
	assert_non_null(code);
	assert_int_equal(strlen(code), HH_BOOKING_CODE_LEN);
	char loc[128], etag[32], code1[32];
	snprintf(code1, sizeof(code1), "%s", code);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_expect_in(loc, code1);
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	assert_string_equal(etag, "\"1\"");
	assert_string_equal(json_string_value(json_object_get(r.json, "start_at")), start);
	assert_false(json_is_true(json_object_get(r.json, "replayed")));
	tu_resp_free(&r);
	/* the same request again: the same booking */
	r = anon(f, "POST", "/api/v1/appointments", body, key);
	assert_int_equal(r.status, 200);
	assert_true(json_is_true(json_object_get(r.json, "replayed")));
	assert_string_equal(json_string_value(json_object_get(r.json, "code")), code1);
	tu_resp_free(&r);
	free(body);
	/* the key with another request */
	body = booking_body(other, NULL);
	r = anon(f, "POST", "/api/v1/appointments", body, key);
	tu_expect_problem(&r, 422, "idempotency-key-reused", "Idempotency-Key");
	tu_resp_free(&r);
	/* the one counter is taken at start: another citizen gets 409 */
	free(body);
	body = booking_body(start, NULL);
	r = anon(f, "POST", "/api/v1/appointments", body, NULL);
	tu_expect_problem(&r, 409, "slot-taken", "start_at");
	assert_string_equal(json_string_value(json_object_get(r.json, "title")),
			    "Beklager, tiden er netop blevet taget af en anden. "
			    "Vælg en anden tid.");
	tu_resp_free(&r);
	free(body);
	/* the slot is gone from the list */
	char next[64];
	afx_slot(f, "pas", 0, next, sizeof(next));
	assert_string_equal(next, other);
}

static void test_refusals_are_problems(void **state)
{
	struct afx *f = *state;
	char start[64], unaligned[64], closed[64];
	afx_slot(f, "pas", 0, start, sizeof(start));
	/* 10 minutes past a slot's start (the grid is 15) */
	snprintf(unaligned, sizeof(unaligned), "%s", start);
	memcpy(unaligned + 14, "10", 2);
	snprintf(closed, sizeof(closed), "%sT10:00:00", f->sunday);
	struct {
		const char *body, *code, *field;
		long status;
	} bad[] = {
		{ booking_body("2020-01-06T10:00:00+01:00", NULL), "slot-in-past",
		  "start_at", 422 },
		{ booking_body(unaligned, NULL), "slot-unaligned", "start_at", 422 },
		{ booking_body(closed, NULL), "slot-closed", "start_at", 422 },
		{ booking_body("2030-01-07T10:00:00+01:00", NULL), "slot-too-far",
		  "start_at", 422 },
		{ booking_body("i morgen", NULL), "invalid-field", "start_at", 400 },
		{ booking_body(start, ",\"colour\":\"blå\""), "unknown-field", "colour",
		  400 },
		{ hh_xstrdup("{\"organisation\":\"901\",\"service\":\"vielse\","
			     "\"start_at\":\"2030-01-07T10:00:00+01:00\",\"name\":\"A\","
			     "\"phone\":\"12345678\"}"),
		  "unknown-service", "service", 400 },
		{ hh_xstrdup("{\"organisation\":\"999\",\"service\":\"pas\","
			     "\"start_at\":\"2030-01-07T10:00:00+01:00\"}"),
		  "unknown-organisation", "organisation", 400 },
		{ hh_xstrdup("{\"organisation\":\"901\",\"service\":\"pas\","
			     "\"start_at\":\"2030-01-07T10:00:00+01:00\",\"name\":\"A\"}"),
		  "invalid-field", "email", 400 },
		{ hh_xstrdup("{\"organisation\":\"901\",\"service\":\"pas\"}"),
		  "missing-field", "start_at", 400 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tu_resp r = anon(f, "POST", "/api/v1/appointments", bad[i].body,
					NULL);
		if (strcmp(tu_code(&r), bad[i].code))
			fprintf(stderr, "%s: %s\n", bad[i].body, r.body);
		tu_expect_problem(&r, bad[i].status, bad[i].code, bad[i].field);
		tu_resp_free(&r);
		free((char *)bad[i].body);
	}
	/* nothing was booked: the first slot is still free */
	char again[64];
	afx_slot(f, "pas", 0, again, sizeof(again));
	assert_string_equal(again, start);
}

static void test_move_and_cancel_by_code(void **state)
{
	struct afx *f = *state;
	char start[64], later[64];
	afx_slot(f, "pas", 0, start, sizeof(start));
	afx_slot(f, "pas", 4, later, sizeof(later));
	char *body = booking_body(start, NULL);
	struct tu_resp r = anon(f, "POST", "/api/v1/appointments", body, NULL);
	free(body);
	assert_int_equal(r.status, 201);
	char code[32], path[128], move[128], etag[32];
	snprintf(code, sizeof(code), "%s",
		 json_string_value(json_object_get(r.json, "code")));
	tu_resp_free(&r);
	/* read it as typed from the confirmation: grouped, in lower case */
	char typed[32];
	snprintf(typed, sizeof(typed), "%.4s-%.4s-%.4s", code, code + 4, code + 8);
	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	snprintf(path, sizeof(path), "/api/v1/appointments/%s", typed);
	r = anon(f, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "code")), code);
	assert_string_equal(json_string_value(json_object_get(r.json, "name")),
			    "Ida Hansen");
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	assert_string_equal(etag, "\"1\"");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/appointments/%s", code);
	snprintf(move, sizeof(move), "{\"start_at\":\"%s\"}", later);
	const char *stale[] = { "If-Match: \"5\"", NULL };
	r = anon(f, "PATCH", path, move, stale);
	tu_expect_problem(&r, 412, "stale-version", "If-Match");
	tu_resp_free(&r);
	const char *v1[] = { "If-Match: \"1\"", NULL };
	r = anon(f, "PATCH", path, move, v1);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "start_at")), later);
	assert_int_equal(json_integer_value(json_object_get(r.json, "version")), 2);
	tu_resp_free(&r);
	/* the old time is free again */
	char first[64];
	afx_slot(f, "pas", 0, first, sizeof(first));
	assert_string_equal(first, start);
	const char *bad_match[] = { "If-Match: soon", NULL };
	r = anon(f, "DELETE", path, NULL, bad_match);
	tu_expect_problem(&r, 400, "invalid-parameter", "If-Match");
	tu_resp_free(&r);
	r = anon(f, "DELETE", path, NULL, v1);
	tu_expect_problem(&r, 412, "stale-version", "If-Match");
	tu_resp_free(&r);
	r = anon(f, "DELETE", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "cancelled");
	tu_resp_free(&r);
	r = anon(f, "DELETE", path, NULL, NULL);
	tu_expect_problem(&r, 409, "booking-not-changeable", NULL);
	tu_resp_free(&r);
	r = anon(f, "PATCH", path, move, NULL);
	tu_expect_problem(&r, 409, "booking-not-changeable", NULL);
	tu_resp_free(&r);
	r = anon(f, "GET", "/api/v1/appointments/ABCD-EFGH-JKMN", NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = anon(f, "GET", "/api/v1/appointments/0", NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
}

static void test_day_list_and_attendance(void **state)
{
	struct afx *f = *state;
	char start[64];
	afx_slot(f, "mitid", 0, start, sizeof(start));
	char b[400];
	snprintf(b, sizeof(b),
		 "{\"organisation\":\"901\",\"service\":\"mitid\",\"start_at\":\"%s\","
		 "\"name\":\"Jens Dam\",\"phone\":\"20 30 40 50\"}",
		 start);
	struct tu_resp r = anon(f, "POST", "/api/v1/appointments", b, NULL);
	assert_int_equal(r.status, 201);
	char code[32];
	snprintf(code, sizeof(code), "%s",
		 json_string_value(json_object_get(r.json, "code")));
	tu_resp_free(&r);
	char day[11];
	snprintf(day, sizeof(day), "%.10s", start);
	char agent_c[200], agent_t[80], ed_c[200], ed_t[80];
	tu_login(&f->s, "agent@901", agent_c, sizeof(agent_c), agent_t, sizeof(agent_t));
	tu_login(&f->s, "editor@901", ed_c, sizeof(ed_c), ed_t, sizeof(ed_t));
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/organisations/901/appointments?date=%s",
		 day);
	r = tu_call(f->s.base, agent_c, agent_t, "GET", path, NULL, NULL);
	assert_int_equal(r.status, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0),
							      "name")),
			    "Jens Dam");
	tu_resp_free(&r);
	r = tu_call(f->s.base, ed_c, ed_t, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = anon(f, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/organisations/902/appointments?date=%s",
		 day);
	r = tu_call(f->s.base, agent_c, agent_t, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/organisations/901/appointments?date=i-dag");
	r = tu_call(f->s.base, agent_c, agent_t, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 400, "invalid-parameter", "date");
	tu_resp_free(&r);

	snprintf(path, sizeof(path), "/api/v1/appointments/%s/attendance", code);
	const char *no_csrf[] = { "X-CSRF-Token: wrong", NULL };
	r = tu_call(f->s.base, agent_c, agent_t, "POST", path,
		    "{\"state\":\"attended\"}", no_csrf);
	tu_expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	r = tu_call(f->s.base, agent_c, agent_t, "POST", path,
		    "{\"state\":\"arrived\"}", NULL);
	tu_expect_problem(&r, 400, "invalid-field", "state");
	tu_resp_free(&r);
	r = tu_call(f->s.base, ed_c, ed_t, "POST", path, "{\"state\":\"attended\"}",
		    NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(f->s.base, agent_c, agent_t, "POST", path,
		    "{\"state\":\"attended\"}", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "attended");
	tu_resp_free(&r);
	/* attended: the citizen can no longer cancel it */
	snprintf(path, sizeof(path), "/api/v1/appointments/%s", code);
	r = anon(f, "DELETE", path, NULL, NULL);
	tu_expect_problem(&r, 409, "booking-not-changeable", NULL);
	tu_resp_free(&r);
	/* the list of one's own is a citizen's */
	r = anon(f, "GET", "/api/v1/appointments", NULL, NULL);
	tu_expect_problem(&r, 401, "citizen-required", NULL);
	tu_resp_free(&r);
	r = tu_call(f->s.base, agent_c, agent_t, "GET", "/api/v1/appointments", NULL,
		    NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
}

static void test_anonymous_bookings_are_limited(void **state)
{
	struct afx *f = *state;
	/* two at once, then one an hour, per address */
	f->s.app.anon_writes_by_client = hh_limiter_new(64, 2, 3600000000LL);
	char *body = booking_body("2020-01-06T10:00:00+01:00", NULL);
	for (int i = 0; i < 2; i++) {
		struct tu_resp r = anon(f, "POST", "/api/v1/appointments", body, NULL);
		tu_expect_problem(&r, 422, "slot-in-past", "start_at");
		tu_resp_free(&r);
	}
	struct tu_resp r = anon(f, "POST", "/api/v1/appointments", body, NULL);
	tu_expect_problem(&r, 429, "too-many-requests", NULL);
	char retry[16];
	assert_true(tu_header(&r, "Retry-After", retry, sizeof(retry)));
	assert_true(atoi(retry) > 0);
	tu_resp_free(&r);
	/* the page's form too, with a Danish page */
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	r = anon(f, "POST", "/tidsbestilling", "kommune=901&ydelse=pas", form);
	assert_int_equal(r.status, 429);
	tu_expect_in(r.body, "lang=\"da\"");
	tu_resp_free(&r);
	/* reading is not limited, nor is a signed-in caller */
	r = anon(f, "GET", "/api/v1/organisations/901/counter-services", NULL, NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	char c[200], t[80];
	tu_login(&f->s, "agent@901", c, sizeof(c), t, sizeof(t));
	r = tu_call(f->s.base, c, t, "POST", "/api/v1/appointments", body, NULL);
	tu_expect_problem(&r, 422, "slot-in-past", "start_at");
	tu_resp_free(&r);
	free(body);
	struct hh_limiter *l = f->s.app.anon_writes_by_client;
	f->s.app.anon_writes_by_client = NULL;
	hh_limiter_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_services_and_slots, afx_setup,
						afx_teardown),
		cmocka_unit_test_setup_teardown(test_book_idempotently, afx_setup,
						afx_teardown),
		cmocka_unit_test_setup_teardown(test_refusals_are_problems, afx_setup,
						afx_teardown),
		cmocka_unit_test_setup_teardown(test_move_and_cancel_by_code, afx_setup,
						afx_teardown),
		cmocka_unit_test_setup_teardown(test_day_list_and_attendance, afx_setup,
						afx_teardown),
		cmocka_unit_test_setup_teardown(test_anonymous_bookings_are_limited,
						afx_setup, afx_teardown),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
