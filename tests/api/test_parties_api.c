/* test_parties_api.c - the other parties to a case over HTTP (issue 16,
 * docs/parties.md): naming a party wrongly is a 422 with the field and
 * nothing written; the invitee finds the invitation in Mit overblik (API
 * and page), reads only the shared fields, and confirms or declines with
 * their own sign-in (API and page form with CSRF); answering twice, too
 * late or as someone not invited is refused with nothing written; the
 * applicant sees where the parties stand.
 *
 * One server for the group; each test makes its own cases. */
#include "testutil.h"
#include "core/dktime.h"

enum { CW_FAM, ANNA, BO, CARL, N_WHO, ANON = -1 };

static const char *const subjects[] = { "demo:anna", "demo:bo", "demo:carl" };

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\"}]";

static const char *const users_json =
	"[{\"email\":\"cw@fam\",\"name\":\"Frida Fam\",\"organisation\":\"fam\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"}]";

static const char *const citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"901\"},"
	" {\"id\":\"carl\",\"name\":\"Carl Carlsen\",\"cpr\":\"020202-2222\"}]";

static const char *const ct_parskab =
	"{\"name\":\"Skilsmisse med ægtefælle\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"  {\"key\":\"awaiting_parties\",\"label\":\"Afventer ægtefællen\","
	"   \"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"
	"  {\"key\":\"declined\",\"label\":\"Ikke bekræftet af ægtefællen\","
	"   \"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"granted\"}],"
	" \"parties\":[{\"role\":\"spouse\",\"label\":\"Ægtefælle\","
	"   \"cpr_field\":\"partner_cpr\",\"confirm\":true,\"within\":\"P14D\","
	"   \"shared\":[\"vielsesdato\"]},"
	"  {\"role\":\"representative\",\"label\":\"Fuldmagtshaver\","
	"   \"cpr_field\":\"fuldmagt_cpr\",\"confirm\":true,\"within\":\"P14D\"}],"
	" \"confirm_state\":\"awaiting_parties\",\"declined_state\":\"declined\","
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":["
	"  {\"name\":\"vielsesdato\",\"label\":\"Vielsesdato\",\"type\":\"date\"},"
	"  {\"name\":\"indkomst\",\"label\":\"Din indkomst\",\"type\":\"amount\"},"
	"  {\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","
	"   \"type\":\"cpr\",\"required\":true},"
	"  {\"name\":\"fuldmagt_cpr\",\"label\":\"Fuldmagtshaverens CPR-nummer\","
	"   \"type\":\"cpr\"}]}}";

#define ANNA_CPR "070761-4285"
#define BO_CPR "010190-1234"

#include "api/parties_fixture.h"

static struct tu_resp call(struct ctx *c, int who, const char *method,
			   const char *path, const char *body,
			   const char *const *extra)
{
	return tu_call(c->s.base, who >= 0 ? c->cookie[who] : NULL,
		       who >= 0 ? c->csrf[who] : NULL, method, path, body, extra);
}

static int setup(void **state)
{
	struct hh_import_stats stats;
	struct ctx *c = parties_server("parskab.json", ct_parskab, 0, &stats);
	assert_int_equal(stats.case_types, 1);
	*state = c;
	return 0;
}

static int64_t n_rows(struct ctx *c, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	return tu_sql_int(c->s.dir, sql, 0, NULL);
}

static struct tu_resp submit(struct ctx *c, int who, const char *partner,
			     const char *fuldmagt)
{
	char body[600];
	snprintf(body, sizeof(body),
		 "{\"case_type\":\"parskab\",\"values\":{\"vielsesdato\":"
		 "\"2010-06-12\",\"indkomst\":\"312.000\",\"partner_cpr\":\"%s\""
		 "%s%s%s}}",
		 partner, fuldmagt ? ",\"fuldmagt_cpr\":\"" : "",
		 fuldmagt ? fuldmagt : "", fuldmagt ? "\"" : "");
	return call(c, who, "POST", "/api/v1/cases", body, NULL);
}

static int64_t invite(struct ctx *c)
{
	struct tu_resp r = submit(c, ANNA, BO_CPR, NULL);
	expect_status(&r, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "awaiting_parties");
	assert_true(json_is_true(json_object_get(r.json, "paused")));
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	return id;
}

static struct tu_resp answer(struct ctx *c, int who, int64_t id, const char *what)
{
	char path[96], body[64];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/parties/me", (long long)id);
	snprintf(body, sizeof(body), "{\"answer\":\"%s\"}", what);
	return call(c, who, "POST", path, body, NULL);
}

static const char *case_state(struct ctx *c, int64_t id, char *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	struct tu_resp r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	snprintf(buf, n, "%s", json_string_value(json_object_get(r.json, "state")));
	tu_resp_free(&r);
	return buf;
}

/* ---- naming a party ------------------------------------------------------- */

static void wrong_parties_are_422_and_write_nothing(void **state)
{
	struct ctx *c = *state;
	int64_t cases = n_rows(c, "cases"), parties = n_rows(c, "case_parties");
	static const struct {
		const char *partner, *fuldmagt, *field, *says;
	} bad[] = {
		{ ANNA_CPR, NULL, "partner_cpr", "Du kan ikke selv være ægtefælle i sagen" },
		{ "010203-1234", NULL, "partner_cpr", "CPR-registret" },
		{ BO_CPR, BO_CPR, "fuldmagt_cpr", "én gang" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tu_resp r = submit(c, ANNA, bad[i].partner, bad[i].fuldmagt);
		tu_expect_problem(&r, 422, "form-invalid", bad[i].field);
		json_t *e = json_array_get(json_object_get(r.json, "errors"), 0);
		assert_string_equal(json_string_value(json_object_get(e, "field")),
				    bad[i].field);
		tu_expect_in(json_string_value(json_object_get(e, "message")),
			     bad[i].says);
		tu_resp_free(&r);
	}
	/* the form page says it at the field, keeping what was written */
	char body[300];
	snprintf(body, sizeof(body), "csrf=%s&vielsesdato=2010-06-12&partner_cpr=%s",
		 c->csrf[ANNA], ANNA_CPR);
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	struct tu_resp r = call(c, ANNA, "POST", "/blanket/parskab", body, form);
	expect_status(&r, 422);
	tu_expect_in(r.body, "Du kan ikke selv være ægtefælle i sagen");
	tu_expect_in(r.body, "2010-06-12");
	tu_resp_free(&r);
	assert_int_equal(n_rows(c, "cases"), cases);
	assert_int_equal(n_rows(c, "case_parties"), parties);
}

/* ---- confirming over the API ---------------------------------------------------- */

static void the_spouse_confirms_over_the_api(void **state)
{
	struct ctx *c = *state;
	int64_t id = invite(c);
	char path[96], st[64];
	/* the applicant sees the party and where it stands */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	struct tu_resp r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	json_t *p = json_array_get(json_object_get(r.json, "parties"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "role")), "spouse");
	assert_string_equal(json_string_value(json_object_get(p, "status")), "invited");
	/* the applicant typed a CPR number: the register's name is not
	 * hers to see before Bo has confirmed (p-fix 2) */
	assert_true(json_is_null(json_object_get(p, "name")));
	char *pj = json_dumps(json_object_get(r.json, "parties"), 0);
	tu_expect_not_in(pj, "010190"); /* the party's CPR number: never */
	free(pj);
	tu_resp_free(&r);
	/* the caseworker sees who must confirm, the applicant what waits */
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)id);
	r = call(c, CW_FAM, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<dt>Ægtefælle</dt><dd>Bo Berg: Afventer svar</dd>");
	tu_expect_in(r.body, "Afventer ægtefællen");
	tu_resp_free(&r);
	/* which is a read of Bo's data too: his audit trail says so */
	r = call(c, BO, "GET", "/api/v1/audit", NULL, NULL);
	expect_status(&r, 200);
	char want[64];
	snprintf(want, sizeof(want), "sag %lld (part i sagen)", (long long)id);
	tu_expect_in(r.body, want);
	/* and being named: the lookup in the register */
	snprintf(want, sizeof(want), "nævnt som part i sag %lld", (long long)id);
	tu_expect_in(r.body, want);
	tu_resp_free(&r);
	r = call(c, ANNA, "GET", "/mit-overblik", NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Sagen venter på, at den anden part bekræfter");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	/* the spouse: not their case, but their invitation */
	r = call(c, BO, "GET", path, NULL, NULL);
	expect_status(&r, 404);
	tu_resp_free(&r);
	r = call(c, BO, "GET", "/api/v1/overview", NULL, NULL);
	expect_status(&r, 200);
	json_t *inv = NULL, *v;
	size_t i;
	json_array_foreach(json_object_get(r.json, "invitations"), i, v)
		if (json_integer_value(json_object_get(v, "case_id")) == id)
			inv = v;
	assert_non_null(inv);
	assert_string_equal(json_string_value(json_object_get(inv, "status")), "invited");
	assert_string_equal(json_string_value(json_object_get(inv, "applicant")),
			    "Anna Andersen");
	assert_true(json_is_true(json_object_get(inv, "may_answer")));
	json_t *shared = json_object_get(inv, "shared");
	assert_int_equal(json_array_size(shared), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(shared, 0),
							       "label")),
			    "Vielsesdato");
	tu_expect_not_in(r.body, "indkomst");
	tu_expect_not_in(r.body, "312");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/parties/me", (long long)id);
	r = call(c, BO, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "label")),
			    "Ægtefælle");
	tu_resp_free(&r);
	/* nobody else: a stranger and the applicant 404, staff and the
	 * anonymous asked to sign in as a citizen */
	r = call(c, CARL, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = answer(c, CARL, id, "confirm");
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = answer(c, ANNA, id, "confirm");
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = answer(c, CW_FAM, id, "confirm");
	tu_expect_problem(&r, 401, "citizen-required", NULL);
	tu_resp_free(&r);
	r = answer(c, ANON, id, "confirm");
	assert_int_equal(r.status, 401);
	tu_resp_free(&r);
	/* bad input: nothing written */
	r = answer(c, BO, id, "kanske");
	tu_expect_problem(&r, 400, "invalid-field", "answer");
	tu_resp_free(&r);
	const char *no_csrf[] = { "X-CSRF-Token: nej", NULL };
	r = call(c, BO, "POST", path, "{\"answer\":\"confirm\"}", no_csrf);
	tu_expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "awaiting_parties");
	/* signed in below substantial: neither the shared fields nor an
	 * answer, as a form with CPR fields (p-fix 3) */
	free(tu_sql(c->s.dir, "UPDATE citizen_sessions SET loa = 'low' WHERE "
			      "citizen_id = (SELECT id FROM citizens WHERE "
			      "subject = 'demo:bo')", 0, NULL));
	r = call(c, BO, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 403, "assurance-too-low", NULL);
	tu_resp_free(&r);
	r = answer(c, BO, id, "confirm");
	tu_expect_problem(&r, 403, "assurance-too-low", NULL);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/mit-overblik/part/%lld", (long long)id);
	r = call(c, BO, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Log ind med MitID på betydeligt eller højt sikringsniveau");
	{
		/* r-letters: the answer date with the clock time it runs
		 * out at (the submission's time of day), in Danish time */
		char q[200];
		snprintf(q, sizeof(q),
			 "SELECT expires_at FROM case_parties WHERE case_id = %lld",
			 (long long)id);
		struct hh_arena da;
		hh_arena_init(&da);
		tu_expect_in(r.body, hh_arena_printf(&da, "Svar senest %s",
						     hh_datetime_da(&da, tu_sql_int(c->s.dir, q, 0, NULL))));
		hh_arena_clear(&da);
	}
	tu_expect_not_in(r.body, "2010-06-12");
	tu_expect_not_in(r.body, "12. juni 2010");
	tu_expect_not_in(r.body, "Jeg bekræfter");
	tu_resp_free(&r);
	r = call(c, BO, "GET", "/api/v1/overview", NULL, NULL);
	json_array_foreach(json_object_get(r.json, "invitations"), i, v)
		if (json_integer_value(json_object_get(v, "case_id")) == id)
			assert_int_equal(json_array_size(json_object_get(v, "shared")), 0);
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "awaiting_parties");
	free(tu_sql(c->s.dir, "UPDATE citizen_sessions SET loa = 'substantial' WHERE "
			      "citizen_id = (SELECT id FROM citizens WHERE "
			      "subject = 'demo:bo')", 0, NULL));
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/parties/me", (long long)id);
	/* the answer */
	r = answer(c, BO, id, "confirm");
	expect_status(&r, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")),
			    "confirmed");
	assert_false(json_is_true(json_object_get(r.json, "may_answer")));
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "received");
	/* confirmed: the applicant sees his name now, and his audit trail
	 * says she did; never the name of a protected citizen */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	p = json_array_get(json_object_get(r.json, "parties"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "name")), "Bo Berg");
	tu_resp_free(&r);
	r = call(c, BO, "GET", "/api/v1/audit", NULL, NULL);
	snprintf(want, sizeof(want), "navn og svar som part i sag %lld", (long long)id);
	tu_expect_in(r.body, want);
	tu_resp_free(&r);
	free(tu_sql(c->s.dir, "UPDATE citizens SET address_protected = 1 WHERE "
			      "subject = 'demo:bo'", 0, NULL));
	r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	p = json_array_get(json_object_get(r.json, "parties"), 0);
	assert_true(json_is_null(json_object_get(p, "name")));
	tu_expect_not_in(r.body, "Bo Berg");
	tu_resp_free(&r);
	free(tu_sql(c->s.dir, "UPDATE citizens SET address_protected = 0 WHERE "
			      "subject = 'demo:bo'", 0, NULL));
	/* the history, in Danish that reads (p-fix 9) */
	snprintf(path, sizeof(path), "/mit-overblik/sag/%lld", (long long)id);
	r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Den anden part (ægtefælle) bekræftede ansøgningen.");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)id);
	r = call(c, CW_FAM, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Den anden part (ægtefælle) bekræftede ansøgningen");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/parties/me", (long long)id);
	/* twice: 409, in either direction */
	r = answer(c, BO, id, "confirm");
	tu_expect_problem(&r, 409, "party-answered", NULL);
	tu_resp_free(&r);
	r = answer(c, BO, id, "decline");
	tu_expect_problem(&r, 409, "party-answered", NULL);
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "received");
}

static void a_decline_closes_it_for_both(void **state)
{
	struct ctx *c = *state;
	int64_t id = invite(c);
	char st[64], path[64];
	struct tu_resp r = answer(c, BO, id, "decline");
	expect_status(&r, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "status")),
			    "declined");
	assert_true(json_is_true(json_object_get(r.json, "closed")));
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "declined");
	/* the applicant's page says why */
	snprintf(path, sizeof(path), "/mit-overblik/sag/%lld", (long long)id);
	r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Ikke bekræftet af ægtefællen");
	tu_expect_in(r.body, "den anden part ikke bekræftede den");
	tu_expect_in(r.body, "Afvist");
	tu_resp_free(&r);
	/* p-fix M4: with a second party invited, the decline withdraws
	 * Carl's invitation: no deadline, no answer, a plain notice */
	r = submit(c, ANNA, BO_CPR, "020202-2222");
	expect_status(&r, 201);
	id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	r = answer(c, BO, id, "decline");
	expect_status(&r, 200);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/mit-overblik/part/%lld", (long long)id);
	r = call(c, CARL, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Sagen blev lukket, før du svarede.");
	tu_expect_not_in(r.body, "Svarfrist");
	tu_expect_not_in(r.body, "Jeg bekræfter");
	tu_resp_free(&r);
	r = answer(c, CARL, id, "confirm");
	tu_expect_problem(&r, 409, "party-case-closed", NULL);
	tu_resp_free(&r);
}

static void too_late_is_409_and_the_case_is_closed(void **state)
{
	struct ctx *c = *state;
	int64_t id = invite(c);
	char sql[160], st[64];
	snprintf(sql, sizeof(sql),
		 "UPDATE case_parties SET expires_at = 100 WHERE case_id = %lld",
		 (long long)id);
	free(tu_sql(c->s.dir, sql, 0, NULL));
	struct tu_resp r = answer(c, BO, id, "confirm");
	tu_expect_problem(&r, 409, "party-expired", NULL);
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "declined");
	/* Bo's overview says so */
	r = call(c, BO, "GET", "/api/v1/overview", NULL, NULL);
	expect_status(&r, 200);
	json_t *v;
	size_t i;
	int seen = 0;
	json_array_foreach(json_object_get(r.json, "invitations"), i, v)
		if (json_integer_value(json_object_get(v, "case_id")) == id) {
			assert_string_equal(json_string_value(json_object_get(v, "status")),
					    "expired");
			seen = 1;
		}
	assert_true(seen);
	tu_resp_free(&r);
}

/* ---- the pages ------------------------------------------------------------ */

static void the_spouse_confirms_on_the_page(void **state)
{
	struct ctx *c = *state;
	int64_t id = invite(c);
	char path[96], body[200], st[64];
	struct tu_resp r = call(c, BO, "GET", "/mit-overblik", NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Sager, hvor du er part");
	snprintf(path, sizeof(path), "/mit-overblik/part/%lld", (long long)id);
	tu_expect_in(r.body, path);
	tu_resp_free(&r);
	r = call(c, BO, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Anna Andersen");
	tu_expect_in(r.body, "Vielsesdato");
	tu_expect_in(r.body, "Jeg bekræfter");
	tu_expect_not_in(r.body, "Din indkomst");
	tu_expect_not_in(r.body, "312");
	tu_resp_free(&r);
	/* someone not invited: no such page */
	r = call(c, CARL, "GET", path, NULL, NULL);
	expect_status(&r, 404);
	tu_resp_free(&r);
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
			       NULL };
	r = call(c, BO, "POST", path, "csrf=forkert&svar=bekraeft", form);
	expect_status(&r, 403);
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "awaiting_parties");
	snprintf(body, sizeof(body), "csrf=%s&svar=bekraeft", c->csrf[BO]);
	r = call(c, BO, "POST", path, body, form);
	expect_status(&r, 303);
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "received");
	/* the same again (a double click): the receipt, nothing written */
	r = call(c, BO, "POST", path, body, form);
	expect_status(&r, 303);
	tu_resp_free(&r);
	/* the other answer: the page says the first one stands */
	snprintf(body, sizeof(body), "csrf=%s&svar=afvis", c->csrf[BO]);
	r = call(c, BO, "POST", path, body, form);
	expect_status(&r, 409);
	tu_expect_in(r.body, "Du har allerede svaret");
	tu_resp_free(&r);
	assert_string_equal(case_state(c, id, st, sizeof(st)), "received");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(wrong_parties_are_422_and_write_nothing),
		cmocka_unit_test(the_spouse_confirms_over_the_api),
		cmocka_unit_test(a_decline_closes_it_for_both),
		cmocka_unit_test(too_late_is_409_and_the_case_is_closed),
		cmocka_unit_test(the_spouse_confirms_on_the_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
