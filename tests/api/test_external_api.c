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
 * One server serves the group; each test reports cases of its own ids. */
#include "testutil.h"

#include "domain/auth.h"
#include "domain/citizens.h"
#include "domain/external.h"
#include "domain/vault.h"

/* Udbetaling Danmark's and Åstrup Kommune's case systems, a caseworker
 * token of Udbetaling Danmark (not a case system) */
enum { UDK, M902, UDK_CW, N_TOKENS };

struct ctx {
	struct tu_server s;
	struct hh_arena a;
	char token[N_TOKENS][HH_TOKEN_CHARS];
	char anna[256], bo[256]; /* citizen cookies */
};

#define ANNA_CPR "070761-4285"
#define BO_CPR "010190-1234"

static struct ctx *C;

static void citizen(const char *subject, const char *name, const char *cpr,
		    char *cookie, size_t size)
{
	struct hh_citizen_login l;
	assert_int_equal(hh_citizen_login(C->s.store, &C->a, subject, name, cpr,
					  "901", &l),
			 HH_OK);
	snprintf(cookie, size, "hh_borger=%s", l.token);
}

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
	citizen("test:anna", "Anna Andersen", ANNA_CPR, C->anna, sizeof(C->anna));
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
		"\"updated_at\":\"2026-12-0%lldT10:00:00Z\"%s%s%s}",
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
		"\"text\":\"\",\"version\":1,\"deadline\":\"snart\"}",
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
		"\"self_service_url\":\"https://www.borger.dk/udk?a=1&b=2\"}";
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
					 .version = 1 };
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
				"\"updated_at\":\"2020-01-01T10:00:00Z\"}");
	assert_int_equal(r.status, 201);
	tu_resp_free(&r);
	r = call(UDK, "PUT", "ydelser/RV-NEW",
		 "{\"cpr\":\"020202-1234\",\"title\":\"Ny\","
		 "\"state\":\"Modtaget\",\"text\":\"\",\"version\":1}");
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
		cmocka_unit_test(test_store_faults),
		cmocka_unit_test(test_key_rotation), /* last: new keys */
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
