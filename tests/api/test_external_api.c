/* test_external_api.c - other authorities' case systems report cases
 * (issue 15, point 1; domain/external.h): PUT and GET
 * /api/v1/external-cases/{system}/{id} over HTTP, on SQLite and (with
 * HELHED_TEST_BACKEND=postgres) on PostgreSQL.
 *
 * Accepted, an idempotent repeat, out-of-order versions, another
 * organisation's token, the wrong role, bad input of every kind (nothing
 * written), CPR sealed at rest, and Mit overblik (page and API) showing
 * the case to its citizen and to no other.
 *
 * x-decl: declared case systems (domain/casesystems.h): the admin's PUT
 * and GET, who may, bad declarations; reports refused when they do not
 * fit the declaration (unknown system, case type, state, fact), nothing
 * written; follow-ups across systems (a granted divorce with children
 * starts the municipality's review once, in the report's transaction);
 * a plan step moved by an external case.
 *
 * One server serves the group; each test reports cases of its own ids.
 * The demo content is imported (case types, life events and
 * Familieretshuset's declared system, content/case-systems.json). */
#include "testutil.h"

#include "domain/auth.h"
#include "domain/casesystems.h"
#include "domain/citizens.h"
#include "domain/content.h"
#include "domain/kle.h"
#include "domain/plans.h"
#include "domain/external.h"
#include "domain/vault.h"

/* Udbetaling Danmark's and Åstrup Kommune's case systems, a caseworker
 * token of Udbetaling Danmark (not a case system); x-decl: the admins of
 * both, Familieretshuset's case system, a caseworker of Nordskov (901) */
enum { UDK, M902, UDK_CW, UDK_ADMIN, M902_ADMIN, FRH, CW901, FRH_ADMIN,
       N_TOKENS };

struct ctx {
	struct tu_server s;
	struct hh_arena a;
	char token[N_TOKENS][HH_TOKEN_CHARS];
	char anna[256], bo[256]; /* citizen cookies */
	int64_t anna_id;
};

#define ANNA_CPR "070761-4285"
#define BO_CPR "010190-1234"

static struct ctx *C;

static int64_t citizen(const char *subject, const char *name, const char *cpr,
		       char *cookie, size_t size)
{
	struct hh_citizen_login l;
	assert_int_equal(hh_citizen_login(C->s.store, &C->a, subject, name, cpr,
					  "901", &l),
			 HH_OK);
	snprintf(cookie, size, "hh_borger=%s", l.token);
	return l.citizen.id;
}

static struct tu_resp declare(int who, const char *system, const char *json);

/* What the tests of point 1 report: one case type, the states they use */
#define TEST_DECLARATION                                                    \
	"{\"label\":\"Testsystem\",\"states\":["                              \
	"{\"name\":\"Modtaget\",\"stage\":\"received\"},"                     \
	"{\"name\":\"Under behandling\",\"stage\":\"in_progress\"},"          \
	"{\"name\":\"Afventer dokumentation\",\"stage\":\"awaiting_citizen\"},"\
	"{\"name\":\"Genoptaget\",\"stage\":\"in_progress\"},"                \
	"{\"name\":\"Afgjort\",\"stage\":\"decided\"},"                       \
	"{\"name\":\"Afsluttet\",\"stage\":\"closed\"},"                      \
	"{\"name\":\"Lukket\",\"stage\":\"closed\"}],"                        \
	"\"case_types\":[{\"key\":\"boligstoette\",\"name\":\"Boligstøtte\","    \
	"\"facts\":{\"husstand\":\"integer\"}}]}"

static int setup(void **state)
{
	C = hh_xcalloc(1, sizeof(*C));
	tu_server_start(&C->s, 1);
	hh_arena_init(&C->a);
	assert_int_equal(hh_auth_token_add(C->s.store, "udk", "udk sagssystem",
					   HH_ROLE_CASE_SYSTEM, "test",
					   C->token[UDK]),
			 HH_OK);
	assert_int_equal(hh_auth_token_add(C->s.store, "902", "esdh 902",
					   HH_ROLE_CASE_SYSTEM, "test",
					   C->token[M902]),
			 HH_OK);
	assert_int_equal(hh_auth_token_add(C->s.store, "udk", "udk caseworker",
					   HH_ROLE_CASEWORKER, "test",
					   C->token[UDK_CW]),
			 HH_OK);
	/* x-decl: the demo content (case types, life events, the
	 * declaration of Familieretshuset's system) */
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(C->s.store, "content", 0, stderr, NULL,
					   NULL, &stats),
			 HH_OK);
	assert_int_equal(stats.case_systems, 1);
	static const struct {
		int slot;
		const char *org;
		unsigned roles;
	} more[] = { { UDK_ADMIN, "udk", HH_ROLE_ADMIN },
		     { M902_ADMIN, "902", HH_ROLE_ADMIN },
		     { FRH, "familieretshuset", HH_ROLE_CASE_SYSTEM },
		     { CW901, "901", HH_ROLE_CASEWORKER },
		     { FRH_ADMIN, "familieretshuset", HH_ROLE_ADMIN } };
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		assert_int_equal(hh_auth_token_add(C->s.store, more[i].org, "test",
						   more[i].roles, "test",
						   C->token[more[i].slot]),
				 HH_OK);
	static const char *const udk_systems[] = { "boligstoette", "ydelser",
						   "fejl" };
	for (size_t i = 0; i < 3; i++) {
		struct tu_resp r = declare(UDK_ADMIN, udk_systems[i],
					   TEST_DECLARATION);
		assert_int_equal(r.status, 201);
		tu_resp_free(&r);
	}
	struct tu_resp r = declare(M902_ADMIN, "boligstoette", TEST_DECLARATION);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	C->anna_id = citizen("test:anna", "Anna Andersen", ANNA_CPR, C->anna,
			     sizeof(C->anna));
	citizen("test:bo", "Bo Berg", BO_CPR, C->bo, sizeof(C->bo));
	*state = C;
	return 0;
}

static int teardown(void **state)
{
	tu_server_stop(&C->s);
	hh_arena_clear(&C->a);
	free(C);
	return 0;
}

/* A request with token who (-1: none) to /api/v1/external-cases/path. */
static struct tu_resp call(int who, const char *method, const char *path,
			   const char *body)
{
	char auth[128], url[512];
	const char *h[3] = { NULL, NULL, NULL };
	int n = 0;
	if (who >= 0) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 C->token[who]);
		h[n++] = auth;
	}
	if (body)
		h[n++] = "Content-Type: application/json";
	snprintf(url, sizeof(url), "%s/api/v1/external-cases/%s", C->s.base, path);
	return tu_http(method, url, body, h, NULL);
}

/* A request with token who (-1: none) to /api/v1/case-systems/system. */
static struct tu_resp cs_call(int who, const char *method, const char *system,
			      const char *json)
{
	char auth[128], url[512];
	const char *h[3] = { NULL, NULL, NULL };
	int n = 0;
	if (who >= 0) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
			 C->token[who]);
		h[n++] = auth;
	}
	if (json)
		h[n++] = "Content-Type: application/json";
	snprintf(url, sizeof(url), "%s/api/v1/case-systems/%s", C->s.base, system);
	return tu_http(method, url, json, h, NULL);
}

static struct tu_resp declare(int who, const char *system, const char *json)
{
	return cs_call(who, "PUT", system, json);
}

/* A report body: version v, state, CPR cpr and the link url (NULL: none). */
static char *body(int64_t v, const char *state, const char *cpr,
		  const char *url)
{
	char *b = hh_arena_printf(
		&C->a,
		"{\"cpr\":\"%s\",\"title\":\"Boligstøtte\",\"state\":\"%s\","
		"\"text\":\"Vi behandler din ansøgning.\","
		"\"deadline\":\"2027-02-01\",\"version\":%lld,"
		"\"created_at\":\"2026-11-01T10:00:00Z\","
		"\"updated_at\":\"2026-12-0%lldT10:00:00Z\","
		"\"case_type\":\"boligstoette\"%s%s%s}",
		cpr, state, (long long)v, (long long)(v % 9 + 1),
		url ? ",\"self_service_url\":\"" : "", url ? url : "",
		url ? "\"" : "");
	return b;
}

static const char *jstr(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

static int64_t jint(json_t *j, const char *k)
{
	return json_integer_value(json_object_get(j, k));
}

/* How many events external cases have in all. */
static int64_t events(void)
{
	char *n = tu_sql(C->s.dir,
			 "SELECT count(*) FROM events WHERE entity = 'external_case'",
			 0, NULL);
	int64_t v = n ? atoll(n) : -1;
	free(n);
	return v;
}

/* GET path as who: its status, and the stored version and state. */
static long get(int who, const char *path, int64_t *version, char *state,
		size_t size)
{
	struct tu_resp r = call(who, "GET", path, NULL);
	long status = r.status;
	if (status == 200) {
		if (version)
			*version = jint(r.json, "version");
		if (state)
			snprintf(state, size, "%s", jstr(r.json, "state"));
	}
	tu_resp_free(&r);
	return status;
}

/* ---- accepted ----------------------------------------------------------- */

static void test_accepted(void **state)
{
	int64_t before = events();
	struct tu_resp r = call(UDK, "PUT", "boligstoette/BS-1",
				body(1, "Modtaget", "0707614285",
				     "https://www.borger.dk/boligstoette"));
	if (r.status != 201)
		fprintf(stderr, "%s\n", r.body);
	assert_int_equal(r.status, 201);
	char loc[256];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/api/v1/external-cases/boligstoette/BS-1");
	assert_string_equal(jstr(r.json, "outcome"), "created");
	assert_string_equal(jstr(r.json, "organisation"), "udk");
	assert_string_equal(jstr(r.json, "organisation_name"), "Udbetaling Danmark");
	assert_string_equal(jstr(r.json, "cpr"), ANNA_CPR); /* normalised */
	tu_resp_free(&r);
	assert_int_equal(events(), before + 1);

	r = call(UDK, "GET", "boligstoette/BS-1", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "system"), "boligstoette");
	assert_string_equal(jstr(r.json, "id"), "BS-1");
	assert_string_equal(jstr(r.json, "title"), "Boligstøtte");
	assert_string_equal(jstr(r.json, "state"), "Modtaget");
	assert_string_equal(jstr(r.json, "text"), "Vi behandler din ansøgning.");
	assert_string_equal(jstr(r.json, "self_service_url"),
			    "https://www.borger.dk/boligstoette");
	assert_string_equal(jstr(r.json, "cpr"), ANNA_CPR);
	assert_int_equal(jint(r.json, "version"), 1);
	assert_non_null(strstr(jstr(r.json, "deadline"), "2027-02-01T00:00:00"));
	assert_string_equal(jstr(r.json, "created_at"), "2026-11-01T11:00:00+01:00");
	assert_non_null(jstr(r.json, "received_at"));
	tu_resp_free(&r);

	/* the CPR number is never at rest in clear, nor in the event */
	char *row = tu_sql(C->s.dir,
			   "SELECT cpr || '|' || cpr_key FROM external_cases "
			   "WHERE system = 'boligstoette' AND external_id = 'BS-1'",
			   0, NULL);
	assert_non_null(row);
	assert_int_equal(strncmp(row, "v1:", 3), 0);
	tu_expect_not_in(row, "070761");
	tu_expect_not_in(row, "0707614285");
	free(row);
	char *ev = tu_sql(C->s.dir,
			  "SELECT after FROM events WHERE entity = 'external_case' "
			  "ORDER BY id DESC LIMIT 1",
			  0, NULL);
	assert_non_null(ev);
	tu_expect_in(ev, "\"state\":\"Modtaget\"");
	tu_expect_not_in(ev, "070761");
	free(ev);
}

/* ---- idempotent --------------------------------------------------------- */

static void test_repeat_changes_nothing(void **state)
{
	const char *b = body(1, "Modtaget", ANNA_CPR, NULL);
	struct tu_resp r = call(UDK, "PUT", "boligstoette/BS-2", b);
	assert_int_equal(r.status, 201);
	const char *received = hh_arena_strdup(&C->a, jstr(r.json, "received_at"));
	tu_resp_free(&r);
	int64_t before = events();
	for (int i = 0; i < 2; i++) {
		r = call(UDK, "PUT", "boligstoette/BS-2", b);
		assert_int_equal(r.status, 200);
		assert_string_equal(jstr(r.json, "outcome"), "unchanged");
		assert_string_equal(jstr(r.json, "received_at"), received);
		tu_resp_free(&r);
	}
	assert_int_equal(events(), before);
}

/* ---- ordered by the sender's version ----------------------------------- */

static void test_out_of_order(void **state)
{
	struct tu_resp r = call(UDK, "PUT", "boligstoette/BS-3",
				body(3, "Afgjort", ANNA_CPR, NULL));
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	int64_t before = events();

	/* v2 arrives late: refused, v3 stays */
	r = call(UDK, "PUT", "boligstoette/BS-3", body(2, "Under behandling",
						       ANNA_CPR, NULL));
	tu_expect_problem(&r, 409, "external-version-stale", "version");
	assert_int_equal(jint(r.json, "stored_version"), 3);
	tu_expect_in(jstr(r.json, "detail"), "version 3 is stored");
	tu_resp_free(&r);
	int64_t v = 0;
	char st[64];
	assert_int_equal(get(UDK, "boligstoette/BS-3", &v, st, sizeof(st)), 200);
	assert_int_equal(v, 3);
	assert_string_equal(st, "Afgjort");
	assert_int_equal(events(), before);

	/* the same version with other content: refused too */
	r = call(UDK, "PUT", "boligstoette/BS-3", body(3, "Genoptaget",
						       ANNA_CPR, NULL));
	tu_expect_problem(&r, 409, "external-version-reused", "version");
	assert_int_equal(jint(r.json, "stored_version"), 3);
	tu_resp_free(&r);
	assert_int_equal(get(UDK, "boligstoette/BS-3", &v, st, sizeof(st)), 200);
	assert_string_equal(st, "Afgjort");

	/* v4: accepted, one event with before and after */
	r = call(UDK, "PUT", "boligstoette/BS-3", body(4, "Genoptaget",
						       ANNA_CPR, NULL));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "outcome"), "updated");
	tu_resp_free(&r);
	assert_int_equal(get(UDK, "boligstoette/BS-3", &v, st, sizeof(st)), 200);
	assert_int_equal(v, 4);
	assert_string_equal(st, "Genoptaget");
	assert_int_equal(events(), before + 1);
	char *ev = tu_sql(C->s.dir,
			  "SELECT before || ' -> ' || after || ' ' || action FROM events "
			  "WHERE entity = 'external_case' ORDER BY id DESC LIMIT 1",
			  0, NULL);
	tu_expect_in(ev, "\"version\":3");
	tu_expect_in(ev, "\"version\":4");
	tu_expect_in(ev, " update");
	free(ev);
}

/* ---- who may ------------------------------------------------------------ */

static void test_other_organisation(void **state)
{
	struct tu_resp r = call(UDK, "PUT", "boligstoette/BS-4",
				body(2, "Modtaget", ANNA_CPR, NULL));
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);

	/* Åstrup's system cannot read Udbetaling Danmark's case */
	assert_int_equal(get(M902, "boligstoette/BS-4", NULL, NULL, 0), 404);
	/* nor overwrite it: the same URL is a case of its own organisation */
	r = call(M902, "PUT", "boligstoette/BS-4", body(9, "Lukket", BO_CPR, NULL));
	assert_int_equal(r.status, 201);
	assert_string_equal(jstr(r.json, "organisation"), "902");
	tu_resp_free(&r);
	int64_t v = 0;
	char st[64];
	assert_int_equal(get(UDK, "boligstoette/BS-4", &v, st, sizeof(st)), 200);
	assert_int_equal(v, 2);
	assert_string_equal(st, "Modtaget");
	assert_int_equal(get(M902, "boligstoette/BS-4", &v, st, sizeof(st)), 200);
	assert_int_equal(v, 9);

	/* a token without the role case-system, and no token at all */
	r = call(UDK_CW, "PUT", "boligstoette/BS-5", body(1, "Modtaget", ANNA_CPR, NULL));
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = call(UDK_CW, "GET", "boligstoette/BS-4", NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = call(-1, "PUT", "boligstoette/BS-5", body(1, "Modtaget", ANNA_CPR, NULL));
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = call(-1, "GET", "boligstoette/BS-4", NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	assert_int_equal(get(UDK, "boligstoette/BS-5", NULL, NULL, 0), 404);
}

/* ---- bad input: a problem, nothing written ----------------------------- */

static void refused(const char *path, const char *b, long status,
		    const char *code, const char *field)
{
	int64_t before = events();
	struct tu_resp r = call(UDK, "PUT", path, b);
	tu_expect_problem(&r, status, code, field);
	tu_resp_free(&r);
	assert_int_equal(events(), before);
}

static void test_bad_input(void **state)
{
	/* a CPR number with no such date, and one that is no number */
	refused("boligstoette/BS-6", body(1, "Modtaget", "320161-4285", NULL), 400,
		"invalid-cpr", "cpr");
	refused("boligstoette/BS-6", body(1, "Modtaget", "hej", NULL), 400,
		"invalid-cpr", "cpr");
	/* an unknown field */
	refused("boligstoette/BS-6",
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":\"S\","
		"\"text\":\"\",\"version\":1,\"priority\":\"høj\"}",
		400, "unknown-field", "priority");
	/* a field missing, a version below 1 */
	refused("boligstoette/BS-6",
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"text\":\"\",\"version\":1}",
		400, "missing-field", "state");
	refused("boligstoette/BS-6",
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":\"S\","
		"\"text\":\"\",\"version\":0}",
		400, "invalid-field", "version");
	/* links that are not https */
	refused("boligstoette/BS-6",
		body(1, "Modtaget", ANNA_CPR, "http://www.borger.dk/"), 400,
		"invalid-field", "self_service_url");
	refused("boligstoette/BS-6",
		body(1, "Modtaget", ANNA_CPR, "javascript:alert(1)"), 400,
		"invalid-field", "self_service_url");
	refused("boligstoette/BS-6",
		body(1, "Modtaget", ANNA_CPR, "https://x.dk/\\\" onclick=\\\"x"), 400,
		"invalid-field", "self_service_url");
	/* a deadline that is no date */
	refused("boligstoette/BS-6",
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":\"S\","
		"\"text\":\"\",\"version\":1,\"deadline\":\"snart\","
		"\"case_type\":\"boligstoette\"}",
		400, "invalid-field", "deadline");
	/* a system name and a case id outside what is taken */
	refused("Bolig_Stoette/BS-6", body(1, "Modtaget", ANNA_CPR, NULL), 400,
		"invalid-field", "system");
	refused("boligstoette/BS%206", body(1, "Modtaget", ANNA_CPR, NULL), 400,
		"invalid-field", "id");
	/* not JSON */
	refused("boligstoette/BS-6", "{\"cpr\":", 400, "bad-json", NULL);
	/* an oversized body */
	struct hh_buf big;
	hh_buf_init(&big);
	hh_buf_printf(&big, "{\"cpr\":\"%s\",\"title\":\"T\",\"state\":\"S\","
			    "\"version\":1,\"text\":\"", ANNA_CPR);
	for (int i = 0; i < 70000; i++)
		hh_buf_putc(&big, 'x');
	hh_buf_puts(&big, "\"}");
	refused("boligstoette/BS-6", hh_buf_str(&big), 413, "body-too-large", NULL);
	hh_buf_clear(&big);
	/* a text over 2000 characters in a body under the limit */
	hh_buf_init(&big);
	hh_buf_printf(&big, "{\"cpr\":\"%s\",\"title\":\"T\",\"state\":\"S\","
			    "\"version\":1,\"text\":\"", ANNA_CPR);
	for (int i = 0; i < 2001; i++)
		hh_buf_putc(&big, 'x');
	hh_buf_puts(&big, "\"}");
	refused("boligstoette/BS-6", hh_buf_str(&big), 400, "invalid-field", "text");
	hh_buf_clear(&big);
	assert_int_equal(get(UDK, "boligstoette/BS-6", NULL, NULL, 0), 404);
}

/* ---- Mit overblik ------------------------------------------------------- */

static struct tu_resp as_citizen(const char *cookie, const char *path)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s", C->s.base, path);
	return tu_http("GET", url, NULL, NULL, cookie);
}

static void test_overview(void **state)
{
	/* a title and text that would be markup if not escaped */
	const char *b =
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"Børne<script>x</script>ydelse\","
		"\"state\":\"Afventer dokumentation\","
		"\"text\":\"Send os din lejekontrakt & husstandens indkomst.\","
		"\"deadline\":\"2027-03-15\",\"version\":1,"
		"\"self_service_url\":\"https://www.borger.dk/udk?a=1&b=2\","
		"\"case_type\":\"boligstoette\"}";
	struct tu_resp r = call(UDK, "PUT", "ydelser/OV-1", b);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);

	/* the API: Anna's, with the authority; not Bo's */
	r = as_citizen(C->anna, "/api/v1/overview");
	assert_int_equal(r.status, 200);
	json_t *ext = json_object_get(r.json, "external_cases"), *it;
	size_t i;
	int found = 0;
	json_array_foreach(ext, i, it) if (!strcmp(jstr(it, "id"), "OV-1"))
	{
		found = 1;
		assert_string_equal(jstr(it, "organisation_name"), "Udbetaling Danmark");
		assert_string_equal(jstr(it, "state"), "Afventer dokumentation");
		assert_null(json_object_get(it, "cpr"));
	}
	assert_true(found);
	tu_resp_free(&r);
	r = as_citizen(C->bo, "/api/v1/overview");
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, "OV-1");
	tu_resp_free(&r);

	/* the page: marked with the authority, the link in good Danish, every
	 * field escaped */
	r = as_citizen(C->anna, "/mit-overblik");
	assert_int_equal(r.status, 200);
	tu_expect_in(r.body, "Børne&lt;script&gt;x&lt;/script&gt;ydelse");
	tu_expect_not_in(r.body, "<script>x");
	tu_expect_in(r.body, "OV-1");
	tu_expect_in(r.body, "<dt>Myndighed</dt><dd>Udbetaling Danmark</dd>");
	tu_expect_in(r.body, "Afventer dokumentation");
	tu_expect_in(r.body, "Send os din lejekontrakt &amp; husstandens indkomst.");
	tu_expect_in(r.body, "15. marts 2027");
	tu_expect_in(r.body, "href=\"https://www.borger.dk/udk?a=1&amp;b=2\"");
	tu_expect_in(r.body, "Gå til Udbetaling Danmarks selvbetjening");
	tu_resp_free(&r);
	r = as_citizen(C->bo, "/mit-overblik");
	assert_int_equal(r.status, 200);
	tu_expect_not_in(r.body, "OV-1");
	tu_expect_not_in(r.body, "Afventer dokumentation");
	tu_resp_free(&r);

	/* a case reported under Bo's CPR number shows for him */
	r = call(UDK, "PUT", "ydelser/OV-2", body(1, "Modtaget", BO_CPR, NULL));
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	r = as_citizen(C->bo, "/mit-overblik");
	tu_expect_in(r.body, "OV-2");
	tu_resp_free(&r);
}


/* ---- x-decl: declaring a case system ----------------------------------- */

static int64_t count_sql(const char *sql, const char *arg);

/* How many cases helhed has, all told. */
static int64_t all_cases(void)
{
	char *n = tu_sql(C->s.dir, "SELECT count(*) FROM cases", 0, NULL);
	int64_t v = n ? atoll(n) : -1;
	free(n);
	return v;
}

/* How many declarations the store holds, and the stored definition of
 * (org code, system) or NULL (new). */
static int64_t declarations(void)
{
	char *n = tu_sql(C->s.dir, "SELECT count(*) FROM case_systems", 0, NULL);
	int64_t v = n ? atoll(n) : -1;
	free(n);
	return v;
}

static char *definition(const char *org, const char *system)
{
	struct tu_sql_arg args[] = { TU_TEXT(org), TU_TEXT(system) };
	return tu_sql(C->s.dir,
		      "SELECT definition FROM case_systems c JOIN organisations o "
		      "ON o.id = c.organisation_id WHERE o.code = ?1 AND "
		      "c.system = ?2",
		      2, args);
}

/* x-fix: `helhed import` keeps a declaration the organisation made
 * through the API (said on stderr) unless forced, and writes a declare
 * or redeclare event for what it writes. */
static void test_import_keeps_declarations(void **state)
{
	json_error_t e;
	json_t *all = json_load_file("content/case-systems.json", 0, &e);
	assert_non_null(all);
	json_t *mine = json_deep_copy(json_object_get(
		json_object_get(all, "familieretshuset"), "familiesag"));
	json_decref(all);
	json_object_set_new(mine, "label", json_string("Vores eget system"));
	char *text = json_dumps(mine, JSON_COMPACT);
	json_decref(mine);
	struct tu_resp r = declare(FRH_ADMIN, "familiesag", text);
	free(text);
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	const char *redeclared = "SELECT count(*) FROM events WHERE entity = "
				 "'case_system' AND action = 'redeclare' AND "
				 "actor = 'import'";
	int64_t ev = tu_sql_int(C->s.dir, redeclared, 0, NULL);

	char *msg = NULL;
	size_t msg_len = 0;
	FILE *errs = open_memstream(&msg, &msg_len);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(C->s.store, "content", 0, errs, NULL,
					   NULL, &stats),
			 HH_OK);
	fclose(errs);
	assert_int_equal(stats.case_systems, 0);
	tu_expect_in(msg, "familieretshuset/familiesag: declared already; kept");
	free(msg);
	char *d = definition("familieretshuset", "familiesag");
	tu_expect_in(d, "Vores eget system");
	free(d);
	assert_int_equal(tu_sql_int(C->s.dir, redeclared, 0, NULL), ev);

	/* forced: the file's declaration again, with its event */
	assert_int_equal(hh_content_import(C->s.store, "content",
					   HH_IMPORT_FORCE, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.case_systems, 1);
	d = definition("familieretshuset", "familiesag");
	assert_null(strstr(d, "Vores eget system"));
	free(d);
	assert_int_equal(tu_sql_int(C->s.dir, redeclared, 0, NULL), ev + 1);
	/* the first import's declaration was an event too */
	assert_true(tu_sql_int(C->s.dir, "SELECT count(*) FROM events WHERE "
				       "entity = 'case_system' AND action = "
				       "'declare' AND actor = 'import'",
			       0, NULL) >= 1);
}

static void test_declare(void **state)
{
	/* new: 201 with Location, then GET by the admin and the system */
	struct tu_resp r = declare(UDK_ADMIN, "esdh", TEST_DECLARATION);
	assert_int_equal(r.status, 201);
	char loc[256];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/api/v1/case-systems/esdh");
	assert_string_equal(jstr(r.json, "system"), "esdh");
	assert_string_equal(jstr(r.json, "organisation"), "udk");
	assert_string_equal(jstr(r.json, "label"), "Testsystem");
	tu_resp_free(&r);
	for (int who = UDK_ADMIN; who >= 0; who = who == UDK_ADMIN ? UDK : -1) {
		r = cs_call(who, "GET", "esdh", NULL);
		assert_int_equal(r.status, 200);
		json_t *states = json_object_get(r.json, "states");
		assert_int_equal(json_array_size(states), 7);
		assert_string_equal(jstr(json_array_get(states, 2), "stage"),
				    "awaiting_citizen");
		json_t *t = json_array_get(json_object_get(r.json, "case_types"), 0);
		assert_string_equal(jstr(t, "key"), "boligstoette");
		assert_string_equal(jstr(json_object_get(t, "facts"), "husstand"),
				    "integer");
		tu_resp_free(&r);
	}
	/* a report fits it */
	r = call(UDK, "PUT", "esdh/E-1", body(1, "Modtaget", ANNA_CPR, NULL));
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	/* again: 200, replaced, one event each */
	char *ev = tu_sql(C->s.dir,
			  "SELECT count(*) FROM events WHERE entity = 'case_system'",
			  0, NULL);
	int64_t evs = atoll(ev);
	free(ev);
	r = declare(UDK_ADMIN, "esdh",
		    "{\"label\":\"ESDH\",\"states\":[{\"name\":\"Ny\","
		    "\"stage\":\"received\"}],\"case_types\":[{\"key\":\"x\","
		    "\"name\":\"X\"}]}");
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "label"), "ESDH");
	tu_resp_free(&r);
	ev = tu_sql(C->s.dir,
		    "SELECT action FROM events WHERE entity = 'case_system' "
		    "ORDER BY id DESC LIMIT 1",
		    0, NULL);
	assert_string_equal(ev, "redeclare");
	free(ev);
	ev = tu_sql(C->s.dir,
		    "SELECT count(*) FROM events WHERE entity = 'case_system'",
		    0, NULL);
	assert_int_equal(atoll(ev), evs + 1);
	free(ev);

	/* the next report is checked against the new declaration (parsed
	 * declarations are shared by their text: a new text is a new
	 * parse) */
	r = call(UDK, "PUT", "esdh/E-1", body(2, "Modtaget", ANNA_CPR, NULL));
	tu_expect_problem(&r, 422, "unknown-case-type", "case_type");
	tu_resp_free(&r);
	r = call(UDK, "PUT", "esdh/E-1",
		 "{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":"
		 "\"Modtaget\",\"text\":\"\",\"version\":2,\"case_type\":\"x\"}");
	tu_expect_problem(&r, 422, "undeclared-state", "state");
	tu_resp_free(&r);
	r = call(UDK, "PUT", "esdh/E-1",
		 "{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":\"Ny\","
		 "\"text\":\"\",\"version\":2,\"case_type\":\"x\"}");
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "stage"), "received");
	tu_resp_free(&r);

	/* who may: not the case system, a caseworker or another
	 * organisation's admin (to whom it does not exist) */
	r = declare(UDK, "esdh", TEST_DECLARATION);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = declare(UDK_CW, "esdh", TEST_DECLARATION);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = cs_call(UDK_CW, "GET", "esdh", NULL);
	tu_expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	r = cs_call(M902_ADMIN, "GET", "esdh", NULL);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	r = cs_call(M902, "GET", "ydelser", NULL);
	assert_int_equal(r.status, 404);
	tu_resp_free(&r);
	r = cs_call(-1, "GET", "esdh", NULL);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	r = declare(-1, "esdh", TEST_DECLARATION);
	tu_expect_problem(&r, 401, "auth-required", NULL);
	tu_resp_free(&r);
	char *kept = definition("udk", "esdh");
	tu_expect_in(kept, "\"label\":\"ESDH\"");
	free(kept);
}

static void bad_declaration_as(int who, const char *org, const char *system,
			       const char *json, const char *field)
{
	int64_t n = declarations();
	char *before = definition(org, system);
	struct tu_resp r = declare(who, system, json);
	if (r.status != 400)
		fprintf(stderr, "%s\n", r.body);
	tu_expect_problem(&r, 400, "invalid-field", field);
	tu_resp_free(&r);
	r = declare(who, "ny-bs", json);
	tu_expect_problem(&r, 400, "invalid-field", field);
	tu_resp_free(&r);
	/* nothing written: the old declaration stands, no new one */
	char *after = definition(org, system);
	assert_string_equal(before, after);
	free(before);
	free(after);
	assert_int_equal(declarations(), n);
}

static void bad_declaration(const char *json, const char *field)
{
	bad_declaration_as(UDK_ADMIN, "udk", "boligstoette", json, field);
}

#define ST "\"states\":[{\"name\":\"Modtaget\",\"stage\":\"received\"}," \
	   "{\"name\":\"Bevilget\",\"stage\":\"decided\"}]"
#define CT(extra) "\"case_types\":[{\"key\":\"a\",\"name\":\"A\"" extra "}]"

static void test_bad_declarations(void **state)
{
	bad_declaration("{\"label\":\"L\"," ST "," CT("") ",\"x\":1}", "x");
	bad_declaration("{" ST "," CT("") "}", "label");
	bad_declaration("{\"label\":\"L\",\"states\":[]," CT("") "}", "states");
	bad_declaration("{\"label\":\"L\",\"states\":[{\"name\":\"M\","
			"\"stage\":\"modtaget\"}]," CT("") "}",
			"states[0].stage");
	bad_declaration("{\"label\":\"L\",\"states\":[{\"name\":\"M\","
			"\"stage\":\"received\"},{\"name\":\"M\","
			"\"stage\":\"closed\"}]," CT("") "}",
			"states[1].name");
	bad_declaration("{\"label\":\"L\"," ST ",\"case_types\":[]}", "case_types");
	bad_declaration("{\"label\":\"L\"," ST ",\"case_types\":[{\"key\":\"A B\","
			"\"name\":\"A\"}]}",
			"case_types[0].key");
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"kle\":\"16.1\"") "}",
			"case_types[0].kle");
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"facts\":{\"boern\":\"ja\"}") "}",
			"case_types[0].facts.boern");
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"priority\":1") "}",
			"case_types[0].priority");
	/* follow-ups: a state the system does not declare, a condition on a
	 * fact the case type does not take, a case type or an organisation
	 * helhed does not have (the store's check) */
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"followups\":[{\"state\":"
			"\"Granted\",\"case_type\":\"boernetilskud-revurdering\"}]") "}",
			"case_types[0].followups[0].state");
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"facts\":{\"b\":\"boolean\"},"
			"\"followups\":[{\"state\":\"Bevilget\",\"case_type\":"
			"\"boernetilskud-revurdering\",\"when\":{\"field\":\"c\","
			"\"equals\":true}}]") "}",
			"case_types[0].followups[0].when");
	/* x-fix: unknown keys in a condition's terms */
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"facts\":{\"b\":\"boolean\"},"
			"\"followups\":[{\"state\":\"Bevilget\",\"case_type\":"
			"\"boernetilskud-revurdering\",\"when\":{\"field\":\"b\","
			"\"equals\":true,\"not\":true}}]") "}",
			"case_types[0].followups[0].when");
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"facts\":{\"b\":\"boolean\"},"
			"\"followups\":[{\"state\":\"Bevilget\",\"case_type\":"
			"\"boernetilskud-revurdering\",\"when\":[{\"field\":\"b\","
			"\"equals\":true},{\"field\":\"b\",\"equal\":true}]}]") "}",
			"case_types[0].followups[0].when");
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"followups\":[{\"state\":"
			"\"Bevilget\",\"case_type\":\"findes-ikke\"}]") "}",
			"case_types[0].followups[0].case_type");
	bad_declaration_as(FRH_ADMIN, "familieretshuset", "familiesag",
			   "{\"label\":\"L\"," ST "," CT(",\"followups\":[{\"state\":"
			   "\"Bevilget\",\"case_type\":\"boernetilskud-revurdering\","
			   "\"organisation\":\"999\"}]") "}",
			   "case_types[0].followups[0].organisation");
	/* x-fix: a case type that does not name the declaring organisation
	 * in its started_by cannot be started by its systems, at the
	 * citizen's municipality or at any named one */
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"followups\":[{\"state\":"
			"\"Bevilget\",\"case_type\":\"boernetilskud-revurdering\","
			"\"organisation\":\"902\"}]") "}",
			"case_types[0].followups[0].case_type");
	bad_declaration("{\"label\":\"L\"," ST "," CT(",\"followups\":[{\"state\":"
			"\"Bevilget\",\"case_type\":\"boernetilskud-revurdering\"}]") "}",
			"case_types[0].followups[0].case_type");
	/* not an object, a bad system name */
	struct tu_resp r = declare(UDK_ADMIN, "boligstoette", "[1]");
	tu_expect_problem(&r, 400, "bad-json", NULL);
	tu_resp_free(&r);
	r = declare(UDK_ADMIN, "Bolig_Stoette", TEST_DECLARATION);
	tu_expect_problem(&r, 400, "invalid-field", "system");
	tu_resp_free(&r);

	/* a KLE number: any well-formed one before KLE is imported, only
	 * the emneplan's after */
	const char *kle = "{\"label\":\"L\"," ST "," CT(",\"kle\":\"99.99.99\"") "}";
	r = declare(UDK_ADMIN, "kle-test", kle);
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	struct hh_kle_import_stats ks;
	FILE *null = fopen("/dev/null", "w");
	assert_int_equal(hh_kle_import(C->s.store, "tests/data/kle/emneplan-sample.xml",
				       null, &ks),
			 HH_OK);
	fclose(null);
	r = declare(UDK_ADMIN, "kle-test", kle);
	tu_expect_problem(&r, 400, "invalid-field", "case_types[0].kle");
	tu_resp_free(&r);
	r = declare(UDK_ADMIN, "kle-test",
		    "{\"label\":\"L\"," ST "," CT(",\"kle\":\"16.10.00\"") "}");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
}

/* ---- x-decl: a report must fit its system's declaration ---------------- */

static void test_undeclared_refused(void **state)
{
	/* a system the organisation has not declared (another's is not
	 * its own: Udbetaling Danmark declared ydelser, Åstrup did not) */
	refused("esdh-ukendt/U-1", body(1, "Modtaget", ANNA_CPR, NULL), 422,
		"unknown-system", "system");
	struct tu_resp r = call(M902, "PUT", "ydelser/U-1",
				body(1, "Modtaget", ANNA_CPR, NULL));
	tu_expect_problem(&r, 422, "unknown-system", "system");
	tu_resp_free(&r);
	assert_int_equal(get(M902, "ydelser/U-1", NULL, NULL, 0), 404);
	/* a case type the system does not declare: the citizen has no case
	 * of a type the organisation reports */
	refused("ydelser/U-1",
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":\"Modtaget\","
		"\"text\":\"\",\"version\":1,\"case_type\":\"pension\"}",
		422, "unknown-case-type", "case_type");
	/* a state it does not declare */
	refused("ydelser/U-1", body(1, "Bevilget", ANNA_CPR, NULL), 422,
		"undeclared-state", "state");
	/* a fact the case type does not take, one of the wrong type */
	refused("ydelser/U-1",
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":\"Modtaget\","
		"\"text\":\"\",\"version\":1,\"case_type\":\"boligstoette\","
		"\"facts\":{\"husstand\":2,\"boern\":true}}",
		422, "unknown-fact", "facts.boern");
	refused("ydelser/U-1",
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":\"Modtaget\","
		"\"text\":\"\",\"version\":1,\"case_type\":\"boligstoette\","
		"\"facts\":{\"husstand\":\"to\"}}",
		400, "invalid-field", "facts.husstand");
	refused("ydelser/U-1",
		"{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":\"Modtaget\","
		"\"text\":\"\",\"version\":1}",
		400, "missing-field", "case_type");
	assert_int_equal(get(UDK, "ydelser/U-1", NULL, NULL, 0), 404);

	/* the same report, declared: accepted, its stage kept */
	r = call(UDK, "PUT", "ydelser/U-1",
		 "{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":"
		 "\"Afventer dokumentation\",\"text\":\"\",\"version\":1,"
		 "\"case_type\":\"boligstoette\",\"facts\":{\"husstand\":2}}");
	assert_int_equal(r.status, 201);
	assert_string_equal(jstr(r.json, "case_type"), "boligstoette");
	assert_string_equal(jstr(r.json, "stage"), "awaiting_citizen");
	assert_int_equal(jint(json_object_get(r.json, "facts"), "husstand"), 2);
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 0);
	tu_resp_free(&r);
	/* the overview shows the stage beside the authority's own words */
	r = as_citizen(C->anna, "/mit-overblik");
	tu_expect_in(r.body, "Afventer dokumentation</span> <span class=\"stage\">"
			     "(Afventer dig)</span>");
	tu_resp_free(&r);
	/* the facts are content: the same version with others is reused */
	r = call(UDK, "PUT", "ydelser/U-1",
		 "{\"cpr\":\"" ANNA_CPR "\",\"title\":\"T\",\"state\":"
		 "\"Afventer dokumentation\",\"text\":\"\",\"version\":1,"
		 "\"case_type\":\"boligstoette\",\"facts\":{\"husstand\":3}}");
	tu_expect_problem(&r, 409, "external-version-reused", "version");
	tu_resp_free(&r);

	/* a system declared after the fact: a row stored before (no case
	 * type, no stage) still reads and shows */
	char *org = tu_sql(C->s.dir, "SELECT id FROM organisations WHERE code = 'udk'",
			   0, NULL);
	struct tu_sql_arg args[] = { TU_TEXT(org) };
	char *done = tu_sql(C->s.dir,
			    "INSERT INTO external_cases(organisation_id, system, "
			    "external_id, cpr, cpr_hash, title, state, citizen_text, "
			    "version, received_at) SELECT CAST(?1 AS INTEGER), 'ydelser', "
			    "'OLD-1', cpr, cpr_hash, 'Gammel sag', 'Noget', '', 1, 1 "
			    "FROM external_cases WHERE external_id = 'U-1' RETURNING id",
			    1, args);
	assert_non_null(done);
	free(done);
	free(org);
	r = call(UDK, "GET", "ydelser/OLD-1", NULL);
	assert_int_equal(r.status, 200);
	assert_true(json_is_null(json_object_get(r.json, "case_type")));
	assert_true(json_is_null(json_object_get(r.json, "stage")));
	tu_resp_free(&r);
	r = as_citizen(C->anna, "/mit-overblik");
	tu_expect_in(r.body, "OLD-1");
	tu_resp_free(&r);
	/* and its next report must fit the declaration */
	r = call(UDK, "PUT", "ydelser/OLD-1", body(2, "Noget", ANNA_CPR, NULL));
	tu_expect_problem(&r, 422, "undeclared-state", "state");
	tu_resp_free(&r);
	r = call(UDK, "PUT", "ydelser/OLD-1", body(2, "Lukket", ANNA_CPR, NULL));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "stage"), "closed");
	tu_resp_free(&r);
}

/* ---- x-decl: follow-ups across systems --------------------------------- */

static struct tu_resp frh(const char *id, int64_t v, const char *state,
			  const char *cpr, const char *children)
{
	char path[128];
	snprintf(path, sizeof(path), "familiesag/%s", id);
	return call(FRH, "PUT", path,
		    hh_arena_printf(&C->a,
				    "{\"cpr\":\"%s\",\"title\":\"Skilsmisse\","
				    "\"state\":\"%s\",\"text\":\"\",\"version\":%lld,"
				    "\"case_type\":\"skilsmisse\"%s%s%s}",
				    cpr, state, (long long)v,
				    children ? ",\"facts\":{\"children\":" : "",
				    children ? children : "", children ? "}" : ""));
}

/* How many reviews (boernetilskud-revurdering) the citizen cpr's helhed
 * citizen has, all told. */
static int64_t reviews(int64_t citizen_id)
{
	char id[32];
	snprintf(id, sizeof(id), "%lld", (long long)citizen_id);
	struct tu_sql_arg args[] = { TU_TEXT(id) };
	char *n = tu_sql(C->s.dir,
			 "SELECT count(*) FROM cases c JOIN case_types t ON "
			 "t.id = c.case_type_id WHERE t.code = "
			 "'boernetilskud-revurdering' AND c.citizen_id = "
			 "CAST(?1 AS INTEGER)",
			 1, args);
	int64_t v = n ? atoll(n) : -1;
	free(n);
	return v;
}

static void test_followup_across_systems(void **state)
{
	char cookie[256];
	int64_t dorte = citizen("test:dorte", "Dorte Dahl", "030303-1234", cookie,
				sizeof(cookie));
	/* received, then granted without children: nothing to follow up */
	struct tu_resp r = frh("FU-0", 1, "Bevilget", "030303-1234", "false");
	assert_int_equal(r.status, 201);
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 0);
	tu_resp_free(&r);
	assert_int_equal(reviews(dorte), 0);

	r = frh("FU-1", 1, "Modtaget", "030303-1234", "true");
	assert_int_equal(r.status, 201);
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 0);
	tu_resp_free(&r);
	assert_int_equal(reviews(dorte), 0);

	/* granted with children: the municipality's review starts, once */
	r = frh("FU-1", 2, "Bevilget", "030303-1234", "true");
	assert_int_equal(r.status, 200);
	json_t *fus = json_object_get(r.json, "followups");
	assert_int_equal(json_array_size(fus), 1);
	json_t *fu = json_array_get(fus, 0);
	assert_string_equal(jstr(fu, "case_type"), "boernetilskud-revurdering");
	assert_true(json_is_true(json_object_get(fu, "started")));
	/* x-fix: never which case or where */
	assert_null(json_object_get(fu, "organisation"));
	assert_null(json_object_get(fu, "case_id"));
	assert_int_equal(json_object_size(fu), 2);
	tu_resp_free(&r);
	assert_int_equal(reviews(dorte), 1);
	char *ev = tu_sql(C->s.dir,
			  "SELECT after FROM events WHERE entity = 'case' AND "
			  "action = 'followup' ORDER BY id DESC LIMIT 1",
			  0, NULL);
	tu_expect_in(ev, "\"after_external\":\"familiesag/FU-1\"");
	free(ev);
	/* a repeat, a later version in the same state: nothing new */
	r = frh("FU-1", 2, "Bevilget", "030303-1234", "true");
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "outcome"), "unchanged");
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 0);
	tu_resp_free(&r);
	r = frh("FU-1", 3, "Bevilget", "030303-1234", "true");
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "outcome"), "updated");
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 0);
	tu_resp_free(&r);
	assert_int_equal(reviews(dorte), 1);

	/* in the citizen's Mit overblik (API and page) ... */
	r = as_citizen(cookie, "/api/v1/overview");
	assert_int_equal(r.status, 200);
	json_t *cases = json_object_get(r.json, "cases"), *it;
	size_t i;
	int found = 0;
	json_array_foreach(cases, i, it) if (!strcmp(jstr(it, "case_type"),
						     "boernetilskud-revurdering"))
	{
		found++;
		assert_string_equal(jstr(it, "organisation"), "901");
	}
	assert_int_equal(found, 1);
	tu_resp_free(&r);
	r = as_citizen(cookie, "/mit-overblik");
	tu_expect_in(r.body, "Gennemgang af børnetilskud og familieydelser");
	tu_resp_free(&r);
	/* ... and the municipality's queue, with where it came from */
	char url[512];
	snprintf(url, sizeof(url), "%s/api/v1/cases?limit=200", C->s.base);
	char auth[128];
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", C->token[CW901]);
	const char *h[] = { auth, NULL };
	r = tu_http("GET", url, NULL, h, NULL);
	assert_int_equal(r.status, 200);
	found = 0;
	json_array_foreach(json_object_get(r.json, "items"), i, it) if (
		!strcmp(jstr(it, "case_type"), "boernetilskud-revurdering"))
		found++;
	assert_true(found >= 1);
	tu_resp_free(&r);
	char *origin = tu_sql(C->s.dir,
			      "SELECT data FROM cases WHERE data LIKE '%FU-1%'",
			      0, NULL);
	tu_expect_in(origin, "\"journal_no\":\"FU-1\"");
	tu_expect_in(origin, "\"organisation_name\":\"Familieretshuset\"");
	tu_expect_in(origin, "\"children\":true");
	free(origin);

	/* no helhed citizen with the CPR number: nothing started, the
	 * answer says so (x-fix: unknown-citizen, not no-municipality), the
	 * report stands */
	int64_t cases_before = all_cases();
	r = frh("FU-2", 1, "Bevilget", "040404-1234", "true");
	assert_int_equal(r.status, 201);
	fus = json_object_get(r.json, "followups");
	assert_int_equal(json_array_size(fus), 1);
	fu = json_array_get(fus, 0);
	assert_true(json_is_false(json_object_get(fu, "started")));
	assert_string_equal(jstr(fu, "reason"), "unknown-citizen");
	tu_resp_free(&r);
	assert_int_equal(all_cases(), cases_before);
}

/* x-fix: the case type's consent is read again at report time: a case
 * type that no longer names Familieretshuset in started_by is not
 * started by its declared rule; the report stands. */
static void test_followup_consent_at_report(void **state)
{
	char cookie[256];
	int64_t g = citizen("test:gitte", "Gitte Gran", "080808-1234", cookie,
			    sizeof(cookie));
	char *n = tu_sql(C->s.dir,
			 "UPDATE case_types SET definition = replace(definition, "
			 "'\"started_by\"', '\"started_by_was\"') WHERE code = "
			 "'boernetilskud-revurdering'",
			 0, NULL);
	free(n);
	struct tu_resp r = frh("SC-1", 1, "Bevilget", "080808-1234", "true");
	assert_int_equal(r.status, 201);
	json_t *fus = json_object_get(r.json, "followups");
	assert_int_equal(json_array_size(fus), 1);
	json_t *fu = json_array_get(fus, 0);
	assert_true(json_is_false(json_object_get(fu, "started")));
	assert_string_equal(jstr(fu, "reason"), "not-allowed");
	tu_resp_free(&r);
	assert_int_equal(reviews(g), 0);
	n = tu_sql(C->s.dir,
		   "UPDATE case_types SET definition = replace(definition, "
		   "'\"started_by_was\"', '\"started_by\"') WHERE code = "
		   "'boernetilskud-revurdering'",
		   0, NULL);
	free(n);
	/* consent back: the next version in the state starts it (x-fix 3:
	 * nothing was recorded as started) */
	r = frh("SC-1", 2, "Bevilget", "080808-1234", "true");
	assert_int_equal(r.status, 200);
	fus = json_object_get(r.json, "followups");
	assert_int_equal(json_array_size(fus), 1);
	assert_true(json_is_true(json_object_get(json_array_get(fus, 0),
						 "started")));
	tu_resp_free(&r);
	assert_int_equal(reviews(g), 1);
}

/* x-fix: a rule starts its case once per external case: not again when
 * the case leaves the state and comes back; and facts corrected in a
 * later version in the same state still start it. */
static void test_followup_once_per_case(void **state)
{
	char cookie[256];
	int64_t g = citizen("test:oskar", "Oskar Ole", "090909-1234", cookie,
			    sizeof(cookie));
	struct tu_resp r = frh("OP-1", 1, "Bevilget", "090909-1234", "true");
	assert_int_equal(r.status, 201);
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 1);
	tu_resp_free(&r);
	r = frh("OP-1", 2, "Under behandling", "090909-1234", "true");
	assert_int_equal(r.status, 200);
	tu_resp_free(&r);
	r = frh("OP-1", 3, "Bevilget", "090909-1234", "true");
	assert_int_equal(r.status, 200);
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 0);
	tu_resp_free(&r);
	assert_int_equal(reviews(g), 1);
	/* facts corrected within the granted state */
	r = frh("OP-2", 1, "Bevilget", "090909-1234", "false");
	assert_int_equal(r.status, 201);
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 0);
	tu_resp_free(&r);
	r = frh("OP-2", 2, "Bevilget", "090909-1234", "true");
	assert_int_equal(r.status, 200);
	json_t *fus = json_object_get(r.json, "followups");
	assert_int_equal(json_array_size(fus), 1);
	assert_true(json_is_true(json_object_get(json_array_get(fus, 0),
						 "started")));
	tu_resp_free(&r);
	assert_int_equal(reviews(g), 2);
	/* and once only: a further version in the state starts nothing */
	r = frh("OP-2", 3, "Bevilget", "090909-1234", "true");
	assert_int_equal(json_array_size(json_object_get(r.json, "followups")), 0);
	tu_resp_free(&r);
	assert_int_equal(reviews(g), 2);
	assert_int_equal(count_sql("SELECT count(*) FROM external_followups f "
				   "JOIN external_cases e ON e.id = "
				   "f.external_case_id WHERE e.external_id = ?1",
				   "OP-2"), 1);
}

/* x-fix: a follow-up started by a report is told after commit as a
 * change of the case (hh_store_changed), as a helhed decision's is. */
struct seen {
	int64_t case_id, org_id;
	int n;
};

static void saw(void *cls, const struct hh_change *ch)
{
	struct seen *s = cls;
	if (!strcmp(ch->entity, "case") && !strcmp(ch->action, "followup")) {
		s->case_id = ch->id;
		s->org_id = ch->org_id;
		s->n++;
	}
}

static void test_followup_change_notice(void **state)
{
	char cookie[256];
	int64_t h = citizen("test:hanne", "Hanne Hald", "101010-1234", cookie,
			    sizeof(cookie));
	struct seen s = { 0 };
	assert_int_equal(hh_store_subscribe(C->s.store, saw, &s), HH_OK);
	struct tu_resp r = frh("CN-1", 1, "Bevilget", "101010-1234", "true");
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	hh_store_unsubscribe(C->s.store, saw, &s);
	assert_int_equal(reviews(h), 1);
	assert_int_equal(s.n, 1);
	char id[32];
	snprintf(id, sizeof(id), "%lld", (long long)h);
	struct tu_sql_arg args[] = { TU_TEXT(id) };
	assert_int_equal(s.case_id,
			 tu_sql_int(C->s.dir, "SELECT id FROM cases WHERE "
					      "citizen_id = CAST(?1 AS INTEGER)",
				    1, args));
	assert_true(s.org_id > 0);
}

/* A failing store call while a report starts its follow-up: neither the
 * report nor the follow-up is written; the retry (BUSY) writes both. */
static void test_followup_faults(void **state)
{
	char cookie[256];
	int64_t erik = citizen("test:erik", "Erik Eg", "050505-1234", cookie,
			       sizeof(cookie));
	char *org = tu_sql(C->s.dir, "SELECT id FROM organisations WHERE "
				     "code = 'familieretshuset'", 0, NULL);
	struct hh_actor sys = { .label = "token:frh", .roles = HH_ROLE_CASE_SYSTEM,
				.org_id = atoll(org) };
	free(org);
	json_t *facts = json_pack("{s:b}", "children", 1);
	struct hh_external_report in = { .cpr = "050505-1234", .title = "Skilsmisse",
					 .state = "Bevilget", .text = "",
					 .version = 1, .case_type = "skilsmisse",
					 .facts = facts };
	int failed = 0;
	int64_t n_reviews = 0;
	for (int n = 1; n <= 20; n++) {
		char id[32];
		snprintf(id, sizeof(id), "FF-%d", n);
		struct hh_arena a;
		hh_arena_init(&a);
		struct hh_external_result res;
		hh_store_fault_inject(C->s.store, n, HH_ERR_IO);
		enum hh_rc rc = hh_external_report(C->s.store, &a, &sys, "familiesag",
						   id, &in, NULL, &res);
		hh_store_fault_inject(C->s.store, 0, HH_OK);
		hh_arena_clear(&a);
		int64_t rows = count_sql("SELECT count(*) FROM external_cases WHERE "
					 "external_id = ?1", id);
		if (rc == HH_OK) {
			assert_int_equal(rows, 1);
			n_reviews++;
		} else {
			failed++;
			assert_int_equal(rows, 0);
		}
		/* a review for each report written, none for the others */
		assert_int_equal(reviews(erik), n_reviews);
	}
	json_decref(facts);
	assert_true(failed > 8); /* the faults reached the follow-up */
	assert_true(n_reviews > 0);
}

/* ---- x-decl: a plan step moved by an external case --------------------- */

static const char *step_state(json_t *plan, const char *key)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(plan, "steps"), i, s) if (
		!strcmp(jstr(s, "key"), key)) return jstr(s, "state");
	return NULL;
}

static void test_plan_step(void **state)
{
	char cookie[256];
	int64_t fie = citizen("test:fie", "Fie Fjord", "060606-1234", cookie,
			      sizeof(cookie));
	json_t *answers = json_pack("{s:s, s:s, s:s}", "gift", "ja", "hvad",
				    "skilsmisse", "boern", "nej");
	struct hh_plan plan;
	const char *bad = NULL;
	assert_int_equal(hh_plan_create(C->s.store, &C->a, fie,
					"skilsmisse-og-separation", answers, &plan,
					&bad),
			 HH_OK);
	json_decref(answers);
	char api[128], page[128];
	snprintf(api, sizeof(api), "/api/v1/plans/%lld", (long long)plan.id);
	snprintf(page, sizeof(page), "/mit-overblik/forloeb/%lld", (long long)plan.id);
	static const struct {
		const char *report; /* NULL: none yet */
		int64_t version;
		const char *state, *label;
	} steps[] = { { NULL, 0, "not_started", "Ikke startet" },
		      { "Modtaget", 1, "in_progress", "Under behandling" },
		      { "Afventer dokumentation", 2, "awaiting_citizen", "Afventer dig" },
		      { "Under behandling", 3, "in_progress", "Under behandling" },
		      { "Bevilget", 4, "done", "Færdig" } };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (steps[i].report) {
			struct tu_resp w = frh("PL-1", steps[i].version,
					       steps[i].report, "060606-1234",
					       "false");
			assert_true(w.status == 200 || w.status == 201);
			tu_resp_free(&w);
		}
		struct tu_resp r = as_citizen(cookie, api);
		assert_int_equal(r.status, 200);
		assert_string_equal(step_state(r.json, "soeg-skilsmisse"),
				    steps[i].state);
		/* a step without external or case type stays information */
		assert_string_equal(step_state(r.json, "bodeling"), "info");
		tu_resp_free(&r);
		r = as_citizen(cookie, page);
		assert_int_equal(r.status, 200);
		const char *at = strstr(r.body, "Søg om skilsmisse");
		assert_non_null(at);
		const char *next = strstr(at + 1, "Lav bodelingen");
		assert_non_null(next);
		char *section = hh_arena_strndup(&C->a, at, (size_t)(next - at));
		tu_expect_in(section, steps[i].label);
		tu_resp_free(&r);
	}
}

/* ---- faults: a failing store call at any point writes nothing half ---- */

static int64_t count_sql(const char *sql, const char *arg)
{
	struct tu_sql_arg args[] = { TU_TEXT(arg) };
	char *n = tu_sql(C->s.dir, sql, 1, args);
	int64_t v = n ? atoll(n) : -1;
	free(n);
	return v;
}

static void test_store_faults(void **state)
{
	struct hh_actor sys = { .label = "token:1", .roles = HH_ROLE_CASE_SYSTEM };
	/* the organisation of the udk token, as the domain sees it */
	char *org = tu_sql(C->s.dir, "SELECT id FROM organisations WHERE code = 'udk'",
			   0, NULL);
	sys.org_id = atoll(org);
	free(org);
	struct hh_external_report in = { .cpr = ANNA_CPR, .title = "T",
					 .state = "Modtaget", .text = "",
					 .version = 1, .case_type = "boligstoette" };
	int failed = 0, passed = 0;
	for (int n = 1; n <= 12; n++) {
		for (int busy = 0; busy < 2; busy++) {
			char id[32], like[48];
			snprintf(id, sizeof(id), "F-%d-%d", n, busy);
			snprintf(like, sizeof(like), "%%\"id\":\"%s\"%%", id);
			struct hh_arena a;
			hh_arena_init(&a);
			struct hh_external_result res;
			hh_store_fault_inject(C->s.store, n,
					      busy ? HH_ERR_BUSY : HH_ERR_IO);
			enum hh_rc rc = hh_external_report(C->s.store, &a, &sys,
							   "fejl", id, &in, NULL,
							   &res);
			hh_store_fault_inject(C->s.store, 0, HH_OK);
			hh_arena_clear(&a);
			int64_t rows = count_sql(
				"SELECT count(*) FROM external_cases WHERE "
				"external_id = ?1", id);
			int64_t evs = count_sql(
				"SELECT count(*) FROM events WHERE entity = "
				"'external_case' AND after LIKE ?1", like);
			if (rc == HH_OK) {
				passed++;
				assert_int_equal(rows, 1);
				assert_int_equal(evs, 1);
			} else {
				failed++;
				assert_int_equal(rows, 0);
				assert_int_equal(evs, 0);
			}
			/* BUSY is retried: it never fails the report */
			if (busy)
				assert_int_equal(rc, HH_OK);
		}
	}
	assert_true(failed > 0); /* the faults were hit */
	assert_true(passed > 0);
}

/* ---- a key rotation re-seals external cases too ----------------------- */

static void test_key_rotation(void **state)
{
	struct tu_resp r = call(UDK, "PUT", "ydelser/ROT-1",
				body(1, "Modtaget", ANNA_CPR, NULL));
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	char *before = tu_sql(C->s.dir,
			      "SELECT cpr_key || ' ' || cpr_hash_key FROM "
			      "external_cases WHERE external_id = 'ROT-1'",
			      0, NULL);

	struct hh_vault_rotation rot;
	char err[256] = "";
	enum hh_rc rc = hh_vault_rotate(C->s.store, 2, 0, &rot, err, sizeof(err));
	if (rc != HH_OK)
		fprintf(stderr, "rotate: %s\n", err);
	assert_int_equal(rc, HH_OK);
	assert_true(rot.dropped); /* no row names an old key any more */
	assert_true(rot.p.external >= 1);
	char *after = tu_sql(C->s.dir,
			     "SELECT cpr_key || ' ' || cpr_hash_key FROM "
			     "external_cases WHERE external_id = 'ROT-1'",
			     0, NULL);
	char want[64];
	snprintf(want, sizeof(want), "%s %s", rot.seal_id, rot.hash_id);
	assert_string_equal(after, want);
	assert_string_not_equal(after, before);
	free(before);
	free(after);

	/* opened and found under the new keys alone */
	r = call(UDK, "GET", "ydelser/ROT-1", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "cpr"), ANNA_CPR);
	tu_resp_free(&r);
	r = as_citizen(C->anna, "/mit-overblik");
	tu_expect_in(r.body, "ROT-1");
	tu_resp_free(&r);
	/* and a report of the same version is still the same content */
	r = call(UDK, "PUT", "ydelser/ROT-1", body(1, "Modtaget", ANNA_CPR, NULL));
	assert_int_equal(r.status, 200);
	assert_string_equal(jstr(r.json, "outcome"), "unchanged");
	tu_resp_free(&r);
}


/* ---- review2: findings ------------------------------------------------- */

/* review2: a link with userinfo shows www.borger.dk to the eye and goes
 * to the host after '@' (evil.example): refused like any other link
 * that is not the authority's own site. */
static void test_review_link_userinfo(void **state)
{
	refused("boligstoette/RV-1",
		body(1, "Modtaget", ANNA_CPR, "https://www.borger.dk@evil.example/"),
		400, "invalid-field", "self_service_url");
	refused("boligstoette/RV-1",
		body(1, "Modtaget", ANNA_CPR,
		     "https://www.borger.dk:443@evil.example/selvbetjening"),
		400, "invalid-field", "self_service_url");
	assert_int_equal(get(UDK, "boligstoette/RV-1", NULL, NULL, 0), 404);
}

/* review2: docs/external-cases.md says Mit overblik lists external
 * cases "newest first (updated_at, else received_at)". A case reported
 * today without updated_at is newer than one last updated in 2020. */
static void test_review_order_received_at(void **state)
{
	char cookie[256];
	citizen("test:cecilie", "Cecilie Ceder", "020202-1234", cookie,
		sizeof(cookie));
	struct tu_resp r = call(UDK, "PUT", "ydelser/RV-OLD",
				"{\"cpr\":\"020202-1234\",\"title\":\"Gammel\","
				"\"state\":\"Afsluttet\",\"text\":\"\",\"version\":1,"
				"\"updated_at\":\"2020-01-01T10:00:00Z\","
				"\"case_type\":\"boligstoette\"}");
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	r = call(UDK, "PUT", "ydelser/RV-NEW",
		 "{\"cpr\":\"020202-1234\",\"title\":\"Ny\","
		 "\"state\":\"Modtaget\",\"text\":\"\",\"version\":1,"
		 "\"case_type\":\"boligstoette\"}");
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	r = as_citizen(cookie, "/api/v1/overview");
	assert_int_equal(r.status, 200);
	json_t *ext = json_object_get(r.json, "external_cases");
	assert_int_equal(json_array_size(ext), 2);
	assert_string_equal(jstr(json_array_get(ext, 0), "id"), "RV-NEW");
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_repeat_changes_nothing),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_other_organisation),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_overview),
		cmocka_unit_test(test_review_link_userinfo),
		cmocka_unit_test(test_review_order_received_at),
		cmocka_unit_test(test_declare),
		cmocka_unit_test(test_import_keeps_declarations),
		cmocka_unit_test(test_bad_declarations),
		cmocka_unit_test(test_undeclared_refused),
		cmocka_unit_test(test_followup_across_systems),
		cmocka_unit_test(test_followup_consent_at_report),
		cmocka_unit_test(test_followup_once_per_case),
		cmocka_unit_test(test_followup_change_notice),
		cmocka_unit_test(test_followup_faults),
		cmocka_unit_test(test_plan_step),
		cmocka_unit_test(test_store_faults),
		cmocka_unit_test(test_key_rotation), /* last: new keys */
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
