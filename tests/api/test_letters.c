/* test_letters.c - letters over the API: a decision moved without its
 * letter (letter-required), drafts with field errors, send with versions,
 * the letter as JSON and PDF, four eyes over HTTP (the author is refused,
 * another organisation sees nothing), and the case's list. */
#include "../domain/letters_fixture.h"

#include "domain/cases.h"


static int64_t submit(struct lf_http *f, const char *ct)
{
	return lf_http_submit(f, ct,
			      "{\"beloeb\":\"12.500\",\"formaal\":\"briller\"}");
}

#define AS1 f->s.base, f->c1, f->t1
#define AS2 f->s.base, f->c2, f->t2
#define AS9 f->s.base, f->c9, f->t9

static const char *path(struct lf_http *f, const char *fmt, int64_t id)
{
	return hh_arena_printf(&f->a, fmt, (long long)id);
}

static int64_t new_letter(struct lf_http *f, int64_t case_id)
{
	struct tu_resp r = tu_call(AS1, "POST", path(f, "/api/v1/cases/%lld/letters", case_id),
				   "{\"decision\":\"rejected\",\"justification\":"
				   "\"Din formue overstiger grænsen på 10.000 kr.\"}",
				   NULL);
	if (r.status != 201)
		fprintf(stderr, "%s\n", r.body);
	assert_int_equal(r.status, 201);
	char etag[32], loc[128];
	assert_true(tu_header(&r, "ETag", etag, sizeof(etag)));
	assert_string_equal(etag, "\"1\"");
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, path(f, "/api/v1/letters/%lld", id));
	assert_string_equal(json_string_value(json_object_get(r.json, "state")), "draft");
	assert_string_equal(json_string_value(json_object_get(r.json, "kind")), "refused");
	tu_expect_in(json_string_value(json_object_get(r.json, "body")),
		     "Din formue overstiger grænsen på 10.000 kr.");
	tu_resp_free(&r);
	return id;
}

static const char *case_state(struct lf_http *f, int64_t id)
{
	struct tu_resp r = tu_call(AS1, "GET", path(f, "/api/v1/cases/%lld", id), NULL,
				   NULL);
	assert_int_equal(r.status, 200);
	const char *s = hh_arena_strdup(&f->a, json_string_value(json_object_get(r.json,
										 "state")));
	tu_resp_free(&r);
	return s;
}

static void decision_without_letter_is_refused(void **state)
{
	struct lf_http *f = *state;
	int64_t id = submit(f, "hjaelp");
	struct tu_resp r = tu_call(AS1, "POST", path(f, "/api/v1/cases/%lld/transition", id),
				   "{\"to\":\"rejected\",\"version\":1}", NULL);
	tu_expect_problem(&r, 409, "letter-required", "to");
	tu_resp_free(&r);
	/* a move that needs none is still made */
	r = tu_call(AS1, "POST", path(f, "/api/v1/cases/%lld/transition", id),
		    "{\"to\":\"closed\",\"version\":1}", NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
}

static void draft_refusals(void **state)
{
	struct lf_http *f = *state;
	int64_t id = submit(f, "hjaelp");
	const char *p = path(f, "/api/v1/cases/%lld/letters", id);
	struct tu_resp r = tu_call(AS1, "POST", p, "{\"decision\":\"rejected\"}", NULL);
	tu_expect_problem(&r, 422, "letter-invalid", "justification");
	json_t *e0 = json_array_get(json_object_get(r.json, "errors"), 0);
	assert_string_equal(json_string_value(json_object_get(e0, "field")),
			    "justification");
	tu_expect_in(json_string_value(json_object_get(e0, "message")), "begrundelse");
	tu_resp_free(&r);
	r = tu_call(AS1, "POST", p, "{\"decision\":\"granted\",\"x\":1}", NULL);
	tu_expect_problem(&r, 400, "unknown-field", "x");
	tu_resp_free(&r);
	r = tu_call(AS1, "POST", p, "{\"decision\":\"nowhere\"}", NULL);
	tu_expect_problem(&r, 422, "letter-invalid", "decision");
	tu_resp_free(&r);
	r = tu_call(AS1, "POST", p, "{\"kind\":\"request\",\"reply_by\":\"2001-01-01\"}",
		    NULL);
	tu_expect_problem(&r, 422, "letter-invalid", "reply_by");
	tu_resp_free(&r);
	r = tu_call(AS1, "POST", p, "{}", NULL);
	tu_expect_problem(&r, 400, "missing-field", "decision");
	tu_resp_free(&r);
	/* another organisation's case does not exist for them */
	r = tu_call(AS9, "POST", p, "{\"decision\":\"granted\"}", NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	/* anonymous */
	r = tu_call(f->s.base, NULL, NULL, "POST", p, "{\"decision\":\"granted\"}", NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
}

static void send_with_versions_and_read_back(void **state)
{
	struct lf_http *f = *state;
	int64_t id = submit(f, "hjaelp");
	int64_t lid = new_letter(f, id);
	const char *send = path(f, "/api/v1/letters/%lld/send", lid);
	struct tu_resp r = tu_call(AS1, "POST", send, "{}", NULL);
	tu_expect_problem(&r, 428, "version-required", "version");
	tu_resp_free(&r);
	const char *stale[] = { "If-Match: \"5\"", NULL };
	r = tu_call(AS1, "POST", send, "{}", stale);
	tu_expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);
	assert_string_equal(case_state(f, id), "in_progress");
	const char *v1[] = { "If-Match: \"1\"", NULL };
	r = tu_call(AS1, "POST", send, "{}", v1);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")), "sent");
	assert_true(json_is_string(json_object_get(r.json, "message_id")));
	tu_resp_free(&r);
	assert_string_equal(case_state(f, id), "rejected");
	/* sending again: the letter is sent, nothing more happens */
	r = tu_call(AS1, "POST", send, "{\"version\":2}", NULL);
	tu_expect_problem(&r, 409, "letter-state", NULL);
	tu_resp_free(&r);

	r = tu_call(AS2, "GET", path(f, "/api/v1/letters/%lld", lid), NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "author")),
			    "Jonas Krogh");
	tu_resp_free(&r);
	r = tu_call(AS2, "GET", path(f, "/api/v1/letters/%lld.pdf", lid), NULL, NULL);
	assert_int_equal(r.status, 200);
	char h[128];
	assert_true(tu_header(&r, "Content-Type", h, sizeof(h)));
	assert_string_equal(h, "application/pdf");
	assert_true(tu_header(&r, "Content-Disposition", h, sizeof(h)));
	tu_expect_in(h, "attachment");
	assert_true(tu_header(&r, "X-Content-Type-Options", h, sizeof(h)));
	assert_string_equal(h, "nosniff");
	assert_memory_equal(r.body, "%PDF", 4);
	tu_resp_free(&r);
	/* another organisation: 404 for the letter, its PDF and the list */
	r = tu_call(AS9, "GET", path(f, "/api/v1/letters/%lld", lid), NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(AS9, "GET", path(f, "/api/v1/letters/%lld.pdf", lid), NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(AS9, "GET", path(f, "/api/v1/cases/%lld/letters", id), NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = tu_call(AS1, "GET", path(f, "/api/v1/cases/%lld/letters", id), NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "letters")), 1);
	tu_resp_free(&r);
}

static void four_eyes_over_http(void **state)
{
	struct lf_http *f = *state;
	int64_t id = submit(f, "hjaelp4");
	int64_t lid = new_letter(f, id);
	struct tu_resp r = tu_call(AS1, "POST", path(f, "/api/v1/letters/%lld/send", lid),
				   "{\"version\":1}", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "awaiting_approval");
	tu_resp_free(&r);
	assert_string_equal(case_state(f, id), "in_progress");
	const char *approve = path(f, "/api/v1/letters/%lld/approve", lid);
	r = tu_call(AS1, "POST", approve, "{\"version\":2}", NULL);
	tu_expect_problem(&r, 403, "four-eyes", NULL);
	tu_resp_free(&r);
	r = tu_call(AS9, "POST", approve, "{\"version\":2}", NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	/* the list to approve: the second caseworker's, not the author's */
	r = tu_call(AS2, "GET", "/api/v1/letters/approval", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "letters")), 1);
	tu_resp_free(&r);
	r = tu_call(AS1, "GET", "/api/v1/letters/approval", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "letters")), 0);
	tu_resp_free(&r);
	/* returned with a comment, sent again, approved */
	r = tu_call(AS2, "POST", path(f, "/api/v1/letters/%lld/return", lid),
		    "{\"version\":2,\"comment\":\"Nævn også § 82.\"}", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")), "draft");
	tu_resp_free(&r);
	r = tu_call(AS1, "POST", path(f, "/api/v1/letters/%lld/send", lid),
		    "{\"version\":3}", NULL);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	r = tu_call(AS2, "POST", approve, "{\"version\":4}", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")), "sent");
	assert_string_equal(json_string_value(json_object_get(r.json, "approver")),
			    "Camilla Bæk");
	tu_resp_free(&r);
	assert_string_equal(case_state(f, id), "rejected");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, lf_http_setup, lf_http_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(decision_without_letter_is_refused),
		T(draft_refusals),
		T(send_with_versions_and_read_back),
		T(four_eyes_over_http),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
