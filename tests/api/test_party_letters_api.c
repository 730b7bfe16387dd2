/* test_party_letters_api.c - the letters to the parties of a case over
 * HTTP (issue 16, p-letters; docs/parties.md "Letters to the parties"
 * and "Name and address protection"): each party finds the letters
 * addressed to them in their own Mit overblik (the inbox API and page,
 * the invitation's letters), never one addressed to the other; the
 * applicant's history leaves the party's letters out; with a protected
 * applicant, the address is in no API answer, page or PDF the other
 * party reads.
 *
 * One server for the group, with the shared party templates of
 * content/letter-templates/_parties.json; each test makes its own
 * cases. */
#include "testutil.h"

enum { CW_FAM, ANNA, BO, DINA, N_WHO, ANON = -1 };

static const char *const subjects[] = { "demo:anna", "demo:bo", "demo:dina" };

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\","
	"  \"cvr\":\"29180101\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\","
	"  \"cvr\":\"39180303\",\"contact\":{\"phone\":\"70 00 00 11\","
	"  \"email\":\"kontakt@familieretshuset.demo\",\"address\":\"Lindegade 3\","
	"  \"postcode\":\"5000\",\"city\":\"Odense C\"}}]";

static const char *const users_json =
	"[{\"email\":\"cw@fam\",\"name\":\"Frida Fam\",\"organisation\":\"fam\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"}]";

/* Dina has name and address protection */
static const char *const citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\",\"address\":\"Skovvej 12\",\"postcode\":\"4100\","
	"  \"city\":\"Nordskov\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"901\",\"address\":\"Bakkevej 4\",\"postcode\":\"4100\","
	"  \"city\":\"Nordskov\"},"
	" {\"id\":\"dina\",\"name\":\"Dina Dahl\",\"cpr\":\"230901-4128\","
	"  \"municipality\":\"901\",\"address\":\"Rosenvænget 27\",\"postcode\":\"4100\","
	"  \"city\":\"Nordskov\",\"address_protected\":true}]";

static const char *const ct_parskab =
	"{\"name\":\"Ansøgning om skilsmisse\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"awaiting_parties\",\"label\":\"Afventer ægtefællen\","
	"   \"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"
	"  {\"key\":\"declined\",\"label\":\"Ikke bekræftet af ægtefællen\","
	"   \"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"granted\"}],"
	" \"parties\":[{\"role\":\"spouse\",\"label\":\"Ægtefælle\","
	"   \"cpr_field\":\"partner_cpr\",\"confirm\":true,\"within\":\"P14D\","
	"   \"shared\":[\"vielsesdato\",\"adresse\"]}],"
	" \"confirm_state\":\"awaiting_parties\",\"declined_state\":\"declined\","
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":["
	"  {\"name\":\"vielsesdato\",\"label\":\"Vielsesdato\",\"type\":\"date\"},"
	"  {\"name\":\"adresse\",\"label\":\"Jeres adresse\",\"type\":\"address\"},"
	"  {\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","
	"   \"type\":\"cpr\",\"required\":true}]}}";

#define BO_CPR "010190-1234"
#define DINA_STREET "Rosenvænget"

#include "api/parties_fixture.h"

static struct tu_resp call(struct ctx *c, int who, const char *method,
			   const char *path, const char *body)
{
	return tu_call(c->s.base, who >= 0 ? c->cookie[who] : NULL,
		       who >= 0 ? c->csrf[who] : NULL, method, path, body, NULL);
}

static int setup(void **state)
{
	struct hh_import_stats stats;
	struct ctx *c = parties_server("parskab.json", ct_parskab, 1, &stats);
	(void)stats;
	*state = c;
	return 0;
}

static int64_t invite(struct ctx *c, int who)
{
	char body[400];
	snprintf(body, sizeof(body),
		 "{\"case_type\":\"parskab\",\"values\":{\"vielsesdato\":\"2010-06-12\","
		 "\"adresse\":\"%s\",\"partner_cpr\":\"%s\"}}",
		 who == DINA ? "Rosenvænget 27, 4100 Nordskov" : "Skovvej 12, 4100 Nordskov",
		 BO_CPR);
	struct tu_resp r = call(c, who, "POST", "/api/v1/cases", body);
	expect_status(&r, 201);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	return id;
}

/* The ids of who's letters on case id, of kind (NULL: any), through the
 * inbox API; at most 8. */
static int my_letters(struct ctx *c, int who, int64_t id, const char *kind,
		      int64_t *out)
{
	struct tu_resp r = call(c, who, "GET", "/api/v1/me/letters", NULL);
	expect_status(&r, 200);
	int n = 0;
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(r.json, "items"), i, l)
	{
		if (json_integer_value(json_object_get(l, "case_id")) != id)
			continue;
		if (kind && strcmp(json_string_value(json_object_get(l, "kind")), kind))
			continue;
		if (n < 8)
			out[n] = json_integer_value(json_object_get(l, "id"));
		n++;
	}
	tu_resp_free(&r);
	return n;
}

static void each_party_reads_their_own_letters(void **state)
{
	struct ctx *c = *state;
	int64_t id = invite(c, ANNA), bo[8], anna[8], ids[8];
	char path[128];
	struct hh_arena arena, *a = &arena;
	hh_arena_init(a);
	/* the invitation, in Bo's inbox only */
	assert_int_equal(my_letters(c, BO, id, "party_invitation", bo), 1);
	assert_int_equal(my_letters(c, ANNA, id, NULL, anna), 0);
	/* and under his invitation, API and page */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/parties/me", (long long)id);
	struct tu_resp r = call(c, BO, "GET", path, NULL);
	expect_status(&r, 200);
	json_t *ls = json_object_get(r.json, "letters");
	assert_int_equal(json_array_size(ls), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(ls, 0), "id")),
			 bo[0]);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/mit-overblik/part/%lld", (long long)id);
	r = call(c, BO, "GET", path, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Breve til dig i sagen");
	tu_expect_in(r.body, hh_arena_printf(a, "/mit-overblik/post/%lld",
					     (long long)bo[0]));
	tu_resp_free(&r);
	/* Bo declines: one letter each; neither opens the other's */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/parties/me", (long long)id);
	r = call(c, BO, "POST", path, "{\"answer\":\"decline\"}");
	expect_status(&r, 200);
	tu_resp_free(&r);
	assert_int_equal(my_letters(c, ANNA, id, "party_declined", anna), 1);
	assert_int_equal(my_letters(c, ANNA, id, NULL, ids), 1);
	assert_int_equal(my_letters(c, BO, id, NULL, ids), 2);
	snprintf(path, sizeof(path), "/api/v1/me/letters/%lld", (long long)anna[0]);
	r = call(c, BO, "GET", path, NULL);
	expect_status(&r, 404);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/mit-overblik/post/%lld", (long long)bo[0]);
	r = call(c, ANNA, "GET", path, NULL);
	expect_status(&r, 404);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/me/letters/%lld/pdf", (long long)bo[0]);
	r = call(c, ANNA, "GET", path, NULL);
	expect_status(&r, 404);
	tu_resp_free(&r);
	/* Anna's own: her page and her history say nothing of Bo's letters */
	snprintf(path, sizeof(path), "/mit-overblik/post/%lld", (long long)anna[0]);
	r = call(c, ANNA, "GET", path, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Din ansøgning er lukket");
	tu_expect_not_in(r.body, "Bo Berg");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	r = call(c, ANNA, "GET", path, NULL);
	expect_status(&r, 200);
	size_t i;
	json_t *h;
	json_array_foreach(json_object_get(r.json, "history"), i, h)
		assert_string_not_equal(json_string_value(json_object_get(h, "action")),
					"letter_party");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/mit-overblik/sag/%lld", (long long)id);
	r = call(c, ANNA, "GET", path, NULL);
	expect_status(&r, 200);
	tu_expect_not_in(r.body, "Du er nævnt");
	tu_resp_free(&r);
	/* staff see both, sent by helhed */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/letters", (long long)id);
	r = call(c, CW_FAM, "GET", path, NULL);
	expect_status(&r, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "letters")), 3);
	tu_resp_free(&r);
	/* nobody is protected here: no notice; the parties say so for staff */
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)id);
	r = call(c, CW_FAM, "GET", path, NULL);
	expect_status(&r, 200);
	tu_expect_not_in(r.body, "adressebeskyttelse");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	r = call(c, CW_FAM, "GET", path, NULL);
	expect_status(&r, 200);
	assert_true(json_is_false(json_object_get(
		json_array_get(json_object_get(r.json, "parties"), 0), "address_protected")));
	tu_resp_free(&r);
	r = call(c, ANNA, "GET", path, NULL);
	expect_status(&r, 200);
	assert_null(json_object_get(json_array_get(json_object_get(r.json, "parties"), 0),
				    "address_protected"));
	tu_resp_free(&r);
	hh_arena_clear(a);
}

static void a_protected_address_is_in_no_answer_bo_reads(void **state)
{
	struct ctx *c = *state;
	int64_t id = invite(c, DINA), bo[8];
	char path[128];
	struct hh_arena arena, *a = &arena;
	hh_arena_init(a);
	assert_int_equal(my_letters(c, BO, id, "party_invitation", bo), 1);
	const char *paths[] = {
		hh_arena_printf(a, "/api/v1/me/letters/%lld", (long long)bo[0]),
		hh_arena_printf(a, "/mit-overblik/post/%lld", (long long)bo[0]),
		hh_arena_printf(a, "/api/v1/cases/%lld/parties/me", (long long)id),
		hh_arena_printf(a, "/mit-overblik/part/%lld", (long long)id),
		"/api/v1/me/letters", "/api/v1/overview", "/mit-overblik",
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct tu_resp r = call(c, BO, "GET", paths[i], NULL);
		expect_status(&r, 200);
		tu_expect_not_in(r.body, DINA_STREET);
		tu_resp_free(&r);
	}
	/* the letter names her and gives no address of hers (the shared
	 * template gives none since r-letters; test_party_letters has the
	 * placeholder's "Adressebeskyttet"), nor does its PDF */
	snprintf(path, sizeof(path), "/api/v1/me/letters/%lld", (long long)bo[0]);
	struct tu_resp r = call(c, BO, "GET", path, NULL);
	tu_expect_in(r.body, "Ansøger: Dina Dahl");
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/me/letters/%lld/pdf", (long long)bo[0]);
	r = call(c, BO, "GET", path, NULL);
	expect_status(&r, 200);
	tu_resp_free(&r);
	/* the body is binary: fetched to a file by curl itself */
	char pdf[4300], cmd[9000];
	snprintf(pdf, sizeof(pdf), "%s/bo.pdf", c->s.dir);
	snprintf(cmd, sizeof(cmd),
		 "curl -s -o '%s' -b '%s' '%s/api/v1/me/letters/%lld/pdf' && "
		 "pdftotext '%s' - | grep -c '%s'",
		 pdf, c->cookie[BO], c->s.base, (long long)bo[0], pdf, DINA_STREET);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char out[32] = "";
	assert_non_null(fgets(out, sizeof(out), p));
	pclose(p);
	assert_int_equal(atoi(out), 0);
	snprintf(cmd, sizeof(cmd), "pdftotext '%s' - | grep -c 'Ansøger: Dina Dahl'", pdf);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, sizeof(out), p));
	pclose(p);
	assert_true(atoi(out) >= 1);
	/* the caseworker's case page says it, so that no one writes it */
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)id);
	r = call(c, CW_FAM, "GET", path, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Der er navne- og adressebeskyttelse i sagen");
	tu_expect_in(r.body, "<dt>Borger</dt><dd>Dina Dahl <strong class=\"tag\">"
			     "Navne- og adressebeskyttelse</strong></dd>");
	tu_resp_free(&r);
	/* a protected party: staff are told in the parties too */
	r = call(c, ANNA, "POST", "/api/v1/cases",
		 "{\"case_type\":\"parskab\",\"values\":{\"partner_cpr\":"
		 "\"230901-4128\"}}");
	expect_status(&r, 201);
	int64_t other = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)other);
	r = call(c, CW_FAM, "GET", path, NULL);
	expect_status(&r, 200);
	assert_true(json_is_true(json_object_get(
		json_array_get(json_object_get(r.json, "parties"), 0), "address_protected")));
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)other);
	r = call(c, CW_FAM, "GET", path, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Der er navne- og adressebeskyttelse i sagen");
	tu_resp_free(&r);
	/* the caseworker's view of the letter to Bo: the same text */
	snprintf(path, sizeof(path), "/api/v1/letters/%lld", (long long)bo[0]);
	r = call(c, CW_FAM, "GET", path, NULL);
	expect_status(&r, 200);
	tu_expect_not_in(r.body, DINA_STREET);
	tu_resp_free(&r);
	hh_arena_clear(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_party_reads_their_own_letters),
		cmocka_unit_test(a_protected_address_is_in_no_answer_bo_reads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
