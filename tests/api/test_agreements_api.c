/* test_agreements_api.c - an agreement signed by both over HTTP (issue
 * 16, point 4; docs/parties.md "Agreements"): the other parent reads the
 * whole agreement on their page and signs it with "Underskriv aftalen"
 * (CSRF, then back to the page: PRG); a signature on a version changed
 * since is a Danish 409 page with nothing written; the applicant signs a
 * change on her own case page; Mit overblik, the caseworker's case page
 * and the API show who signed when; a stranger finds nothing.
 *
 * One server for the group; each test makes its own cases. */
#include "testutil.h"

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

static const char *const ct_samvaer =
	"{\"name\":\"Aftale om samvær\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"awaiting_parent\",\"label\":\"Afventer den anden forælders "
	"   underskrift\",\"paused\":true},"
	"  {\"key\":\"registered\",\"label\":\"Registreret\",\"final\":true},"
	"  {\"key\":\"not_signed\",\"label\":\"Ikke underskrevet\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"registered\"}],"
	" \"parties\":[{\"role\":\"parent\",\"label\":\"Den anden forælder\","
	"   \"cpr_field\":\"foraelder_cpr\",\"confirm\":true,\"within\":\"P14D\"}],"
	" \"confirm_state\":\"awaiting_parent\",\"declined_state\":\"not_signed\","
	" \"agreement\":{\"title\":\"Samværsaftale\","
	"   \"signers\":[\"applicant\",\"parent\"],\"fields\":[\"bopael\",\"samvaer\"]},"
	" \"form\":{\"title\":\"Samvær\",\"fields\":["
	"  {\"name\":\"foraelder_cpr\",\"label\":\"Den anden forælders CPR-nummer\","
	"   \"type\":\"cpr\",\"required\":true},"
	"  {\"name\":\"bopael\",\"label\":\"Barnet bor\",\"type\":\"choice\","
	"   \"required\":true,\"options\":[{\"value\":\"mor\",\"label\":\"Hos mor\"},"
	"   {\"value\":\"far\",\"label\":\"Hos far\"}]},"
	"  {\"name\":\"samvaer\",\"label\":\"Samvær\",\"type\":\"text\","
	"   \"required\":true},"
	"  {\"name\":\"bemaerkninger\",\"label\":\"Bemærkninger\",\"type\":\"textarea\"}]}}";

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
	struct ctx *c = parties_server("samvaer.json", ct_samvaer, 0, &stats);
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

static int64_t applied(struct ctx *c)
{
	struct tu_resp r = call(c, ANNA, "POST", "/api/v1/cases",
				"{\"case_type\":\"samvaer\",\"values\":{\"foraelder_cpr\":\""
				BO_CPR "\",\"bopael\":\"mor\",\"samvaer\":\"Hver anden "
				"weekend\",\"bemaerkninger\":\"Kun til jer\"}}",
				NULL);
	expect_status(&r, 201);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")),
			    "awaiting_parent");
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	return id;
}

static struct tu_resp page_sign(struct ctx *c, int who, int64_t id, int version,
				const char *csrf)
{
	char path[64], body[200];
	snprintf(path, sizeof(path), "/mit-overblik/aftale/%lld", (long long)id);
	snprintf(body, sizeof(body), "csrf=%s&udgave=%d", csrf ? csrf : c->csrf[who],
		 version);
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	return call(c, who, "POST", path, body, form);
}

static struct tu_resp get_page(struct ctx *c, int who, const char *fmt, int64_t id)
{
	char path[96];
	snprintf(path, sizeof(path), fmt, (long long)id);
	return call(c, who, "GET", path, NULL, NULL);
}

static struct tu_resp change(struct ctx *c, int who, int64_t id, int base,
			     const char *fields)
{
	char path[64], body[300];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/agreement", (long long)id);
	snprintf(body, sizeof(body), "{\"version\":%d,\"fields\":%s}", base, fields);
	return call(c, who, "PUT", path, body, NULL);
}

static void the_other_parent_signs_on_their_page(void **state)
{
	struct ctx *c = *state;
	int64_t id = applied(c);
	/* Mit overblik sends Bo to the agreement */
	struct tu_resp o = call(c, BO, "GET", "/mit-overblik", NULL, NULL);
	expect_status(&o, 200);
	char link[120];
	snprintf(link, sizeof(link), "<a href=\"/mit-overblik/part/%lld#aftale\">Læs "
		 "aftalen, og skriv under</a>", (long long)id);
	tu_expect_in(o.body, link);
	tu_resp_free(&o);
	/* Bo reads the whole agreement, and who signed it */
	struct tu_resp r = get_page(c, BO, "/mit-overblik/part/%lld", id);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<h2 id=\"aftale-h\">Samværsaftale</h2>");
	tu_expect_in(r.body, "<dt>Barnet bor</dt><dd>Hos mor</dd>");
	tu_expect_in(r.body, "<dt>Samvær</dt><dd>Hver anden weekend</dd>");
	tu_expect_in(r.body, "Underskrevet af Anna Andersen (Ansøger) ");
	tu_expect_in(r.body, "Den anden forælder: mangler underskrift");
	tu_expect_in(r.body, "Aftalen venter på din underskrift");
	tu_expect_in(r.body, "<input type=\"hidden\" name=\"udgave\" value=\"1\">");
	tu_expect_in(r.body, ">Underskriv aftalen</button>");
	tu_expect_in(r.body, ">Jeg afviser aftalen</button>");
	tu_expect_not_in(r.body, "Jeg bekræfter ansøgningen"); /* signing is it */
	tu_expect_not_in(r.body, "Kun til jer"); /* the applicant's own */
	tu_resp_free(&r);
	/* a wrong CSRF token: nothing written */
	int64_t sigs = n_rows(c, "case_agreement_signatures");
	r = page_sign(c, BO, id, 1, "nej");
	expect_status(&r, 403);
	tu_resp_free(&r);
	/* Anna changes it meanwhile: Bo's page was of version 1 */
	r = change(c, ANNA, id, 1, "{\"samvaer\":\"En uge hos hver\"}");
	expect_status(&r, 200);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r.json,
									    "current"),
							     "version")),
			 2);
	tu_resp_free(&r);
	sigs = n_rows(c, "case_agreement_signatures");
	r = page_sign(c, BO, id, 1, NULL);
	expect_status(&r, 409);
	tu_expect_in(r.body, "Aftalen er ændret, siden du åbnede den.");
	tu_expect_in(r.body, "role=\"alert\"");
	char back[96];
	snprintf(back, sizeof(back), "href=\"/mit-overblik/part/%lld#aftale\"", (long long)id);
	tu_expect_in(r.body, back);
	tu_resp_free(&r);
	assert_int_equal(n_rows(c, "case_agreement_signatures"), sigs);
	/* the same over the API: 409 agreement-stale */
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/agreement/signatures", (long long)id);
	r = call(c, BO, "POST", path, "{\"version\":1}", NULL);
	tu_expect_problem(&r, 409, "agreement-stale", "version");
	tu_resp_free(&r);
	/* r-agree: the page sends the hash of the text it showed; a text
	 * other than version 2's is refused as stale, nothing written */
	r = get_page(c, BO, "/mit-overblik/part/%lld", id);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<input type=\"hidden\" name=\"tekst\" value=\"");
	tu_resp_free(&r);
	{
		char spath[64], body[200];
		snprintf(spath, sizeof(spath), "/mit-overblik/aftale/%lld", (long long)id);
		snprintf(body, sizeof(body), "csrf=%s&udgave=2&tekst=%064d", c->csrf[BO], 0);
		const char *form[] = { "Content-Type: application/x-www-form-urlencoded",
				       NULL };
		r = call(c, BO, "POST", spath, body, form);
		expect_status(&r, 409);
		tu_expect_in(r.body, "Aftalen er ændret, siden du åbnede den.");
		tu_resp_free(&r);
		assert_int_equal(n_rows(c, "case_agreement_signatures"), sigs);
	}
	/* version 2: signed, and back to the page (PRG) */
	r = page_sign(c, BO, id, 2, NULL);
	expect_status(&r, 303);
	char loc[200], want[200];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	snprintf(want, sizeof(want), "/mit-overblik/part/%lld?underskrevet=1#aftale",
		 (long long)id);
	assert_string_equal(loc, want);
	tu_resp_free(&r);
	/* sent twice (a double click): the first one got through */
	r = page_sign(c, BO, id, 2, NULL);
	expect_status(&r, 303);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_expect_in(loc, "underskrevet=2");
	tu_resp_free(&r);
	r = call(c, BO, "POST", path, "{\"version\":2}", NULL);
	tu_expect_problem(&r, 409, "agreement-signed", "version");
	tu_resp_free(&r);
	assert_int_equal(n_rows(c, "case_agreement_signatures"), sigs + 1);
	r = get_page(c, BO, "/mit-overblik/part/%lld?underskrevet=1", id);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Tak. Du har underskrevet aftalen.");
	tu_expect_in(r.body, "Aftalen er underskrevet af alle parter.");
	tu_expect_in(r.body, "Underskrevet af Bo Berg (Den anden forælder) ");
	tu_expect_in(r.body, " kl. ");
	tu_expect_not_in(r.body, ">Underskriv aftalen</button>");
	tu_resp_free(&r);
	/* the applicant's case page: signed by both, the case went on */
	r = get_page(c, ANNA, "/mit-overblik/sag/%lld", id);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Underskrevet af Bo Berg (Den anden forælder) ");
	tu_expect_in(r.body, "Aftalen er underskrevet af alle parter.");
	tu_expect_in(r.body, "Den anden forælder underskrev aftalen (udgave 2). Aftalen "
			     "er underskrevet af alle. Status ændret til");
	tu_resp_free(&r);
	/* the caseworker's case page */
	r = get_page(c, CW_FAM, "/sagsbehandling/sag/%lld", id);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Underskrevet af Anna Andersen (Ansøger) ");
	tu_expect_in(r.body, "Underskrevet af Bo Berg (Den anden forælder) ");
	tu_expect_in(r.body, "Den anden forælder underskrev aftalen (udgave 2)");
	tu_expect_in(r.body, "Ansøgeren ændrede aftalen (udgave 2) og underskrev den");
	tu_resp_free(&r);
	/* the API: current and signed are version 2, with who and when */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/agreement", (long long)id);
	r = call(c, CW_FAM, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	json_t *sg = json_object_get(r.json, "signed");
	assert_int_equal(json_integer_value(json_object_get(sg, "version")), 2);
	json_t *s1 = json_array_get(json_object_get(sg, "signatures"), 1);
	assert_string_equal(json_string_value(json_object_get(s1, "name")), "Bo Berg");
	assert_true(json_is_string(json_object_get(s1, "signed_at")));
	tu_resp_free(&r);
	/* a stranger finds nothing, on either door */
	r = call(c, CARL, "GET", path, NULL, NULL);
	tu_expect_problem(&r, 404, "not-found", NULL);
	tu_resp_free(&r);
	r = page_sign(c, CARL, id, 2, NULL);
	expect_status(&r, 404);
	tu_resp_free(&r);
	/* r-agree: Bo's reads are in Anna's trail as the other party's,
	 * not as her own ("Dig selv"), and without his name */
	r = call(c, ANNA, "GET", "/mit-overblik/indsigt", NULL, NULL);
	expect_status(&r, 200);
	char row[120];
	snprintf(row, sizeof(row), "<td>Den anden part i sagen</td><td>aftalen i sag %lld</td>",
		 (long long)id);
	tu_expect_in(r.body, row);
	snprintf(row, sizeof(row), "<td>Dig selv</td><td>aftalen i sag %lld</td>",
		 (long long)id);
	tu_expect_not_in(r.body, row);
	tu_resp_free(&r);
	/* ... and the API's trail gives the other party no id either */
	r = call(c, ANNA, "GET", "/api/v1/audit", NULL, NULL);
	expect_status(&r, 200);
	json_t *items = json_object_get(r.json, "items");
	int other = 0;
	const char *self = NULL; /* Anna's own reads: one citizen id only */
	for (size_t i = 0; i < json_array_size(items); i++) {
		const char *actor = json_string_value(
			json_object_get(json_array_get(items, i), "who"));
		assert_non_null(actor);
		if (!strcmp(actor, "other-party"))
			other++;
		else if (!strncmp(actor, "citizen:", 8) && !self)
			self = actor;
		else if (!strncmp(actor, "citizen:", 8))
			assert_string_equal(actor, self);
	}
	assert_true(other > 0);
	tu_resp_free(&r);
}

static void the_applicant_signs_a_change_on_her_case_page(void **state)
{
	struct ctx *c = *state;
	int64_t id = applied(c);
	/* Bo proposes another arrangement: he signs it by proposing it */
	struct tu_resp r = change(c, BO, id, 1, "{\"bopael\":\"far\"}");
	expect_status(&r, 200);
	tu_resp_free(&r);
	r = change(c, BO, id, 2, "{\"bemaerkninger\":\"x\"}");
	tu_expect_problem(&r, 422, "form-invalid", "bemaerkninger");
	tu_resp_free(&r);
	r = change(c, BO, id, 2, "{\"bopael\":\"far\"}");
	tu_expect_problem(&r, 422, "agreement-unchanged", "fields");
	tu_resp_free(&r);
	r = get_page(c, ANNA, "/mit-overblik/sag/%lld", id);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<h3>Udgave 2</h3>");
	tu_expect_in(r.body, "Aftalen venter på din underskrift.");
	tu_expect_not_in(r.body, "Sagen venter på, at den anden part");
	tu_expect_in(r.body, "Underskrevet af Bo Berg (Den anden forælder) ");
	tu_expect_in(r.body, "Ændret af den anden forælder");
	tu_expect_in(r.body, "<dt>Barnet bor</dt><dd>Hos far</dd>");
	tu_expect_in(r.body, "Ansøger: mangler underskrift");
	tu_expect_in(r.body, ">Underskriv aftalen</button>");
	tu_resp_free(&r);
	r = page_sign(c, ANNA, id, 2, NULL);
	expect_status(&r, 303);
	char loc[200], want[200];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	snprintf(want, sizeof(want), "/mit-overblik/sag/%lld?underskrevet=1#aftale",
		 (long long)id);
	assert_string_equal(loc, want);
	tu_resp_free(&r);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	assert_string_equal(json_string_value(json_object_get(r.json, "state")), "received");
	json_t *p = json_array_get(json_object_get(r.json, "parties"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "status")), "confirmed");
	tu_resp_free(&r);
	/* Mit overblik: the invitation says it is answered */
	r = call(c, BO, "GET", "/api/v1/overview", NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "\"status\":\"confirmed\"");
	tu_resp_free(&r);
	r = call(c, BO, "GET", "/mit-overblik", NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<dt>Aftalen</dt><dd>Underskrevet af begge ");
	tu_resp_free(&r);
}

static struct tu_resp page_change(struct ctx *c, int who, int64_t id, const char *body)
{
	char path[80], full[400];
	snprintf(path, sizeof(path), "/mit-overblik/aftale/%lld/aendring", (long long)id);
	snprintf(full, sizeof(full), "csrf=%s&%s", c->csrf[who], body);
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	return call(c, who, "POST", path, full, form);
}

/* Either parent proposes a change on the page: the form shows the
 * agreement's fields only, a bad value is a Danish error at the field
 * with what was written kept, a stale version is refused, and the change
 * is a new version the proposer signed by sending it. */
static void a_parent_changes_it_on_the_page(void **state)
{
	struct ctx *c = *state;
	int64_t id = applied(c);
	struct tu_resp r = get_page(c, BO, "/mit-overblik/part/%lld", id);
	expect_status(&r, 200);
	char link[120];
	snprintf(link, sizeof(link), "<a href=\"/mit-overblik/aftale/%lld/aendring\">"
		 "Foreslå en ændring af aftalen</a>", (long long)id);
	tu_expect_in(r.body, link);
	tu_resp_free(&r);
	r = get_page(c, BO, "/mit-overblik/aftale/%lld/aendring", id);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<h1>Foreslå en ændring af aftalen</h1>");
	tu_expect_in(r.body, "name=\"udgave\" value=\"1\"");
	tu_expect_in(r.body, "value=\"Hver anden weekend\""); /* as it stands */
	tu_expect_in(r.body, "<label for=\"f-samvaer\">Samvær</label>");
	tu_expect_not_in(r.body, "f-bemaerkninger"); /* not the agreement's */
	tu_expect_not_in(r.body, "f-foraelder_cpr");
	tu_expect_in(r.body, ">Send ændringen, og underskriv den</button>");
	tu_resp_free(&r);
	int64_t versions = n_rows(c, "case_agreements");
	/* a value the form does not take: the error at the field, nothing
	 * written, what was written kept */
	r = page_change(c, BO, id, "udgave=1&bopael=naboen&samvaer=En+uge+hos+hver");
	expect_status(&r, 422);
	tu_expect_in(r.body, "Der er et problem");
	tu_expect_in(r.body, "href=\"#f-bopael");
	tu_expect_in(r.body, "value=\"En uge hos hver\"");
	tu_resp_free(&r);
	/* nothing changed */
	r = page_change(c, BO, id, "udgave=1&bopael=mor&samvaer=Hver+anden+weekend");
	expect_status(&r, 422);
	tu_expect_in(r.body, "Du har ikke ændret noget i aftalen.");
	tu_resp_free(&r);
	assert_int_equal(n_rows(c, "case_agreements"), versions);
	/* the change: version 2, signed by Bo, back to his page */
	r = page_change(c, BO, id, "udgave=1&bopael=mor&samvaer=En+uge+hos+hver");
	expect_status(&r, 303);
	char loc[200], want[200];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	snprintf(want, sizeof(want), "/mit-overblik/part/%lld?aendret=1#aftale",
		 (long long)id);
	assert_string_equal(loc, want);
	tu_resp_free(&r);
	assert_int_equal(n_rows(c, "case_agreements"), versions + 1);
	/* r-agree: the same form sent again (a double click) is that change
	 * again: the receipt, nothing written */
	r = page_change(c, BO, id, "udgave=1&bopael=mor&samvaer=En+uge+hos+hver");
	expect_status(&r, 303);
	tu_resp_free(&r);
	assert_int_equal(n_rows(c, "case_agreements"), versions + 1);
	/* another change from version 1: no longer the newest */
	r = page_change(c, BO, id, "udgave=1&bopael=far&samvaer=En+uge+hos+hver");
	expect_status(&r, 409);
	tu_expect_in(r.body, "Aftalen er ændret, siden du åbnede den. Læs den nye udgave, "
			     "før du foreslår en ændring.");
	tu_resp_free(&r);
	assert_int_equal(n_rows(c, "case_agreements"), versions + 1);
	r = get_page(c, BO, "/mit-overblik/part/%lld?aendret=1", id);
	expect_status(&r, 200);
	tu_expect_in(r.body, "Tak. Din ændring er gemt, og du har underskrevet den nye "
			     "udgave.");
	tu_expect_in(r.body, "<dt>Samvær</dt><dd>En uge hos hver</dd>");
	tu_expect_in(r.body, "Ansøger: mangler underskrift");
	tu_resp_free(&r);
	/* a stranger and the anonymous find nothing */
	r = get_page(c, CARL, "/mit-overblik/aftale/%lld/aendring", id);
	expect_status(&r, 404);
	tu_resp_free(&r);
	r = page_change(c, CARL, id, "udgave=2&samvaer=x");
	expect_status(&r, 404);
	tu_resp_free(&r);
	assert_int_equal(n_rows(c, "case_agreements"), versions + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_other_parent_signs_on_their_page),
		cmocka_unit_test(the_applicant_signs_a_change_on_her_case_page),
		cmocka_unit_test(a_parent_changes_it_on_the_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
