/* test_doors.c - one case, four doors: the form reached from a plan, the
 * form at its own address, the JSON API and Open311. The same answers
 * must give the same case data and, once decided, the same follow-up
 * cases, because the follow-up rules read the case and not the door.
 * Also: Danish amounts through the form page and the API, kept as øre,
 * and the plan's answers filling the form.
 *
 * One server serves the group; its content is written here. */
#include "testutil.h"

#include <sqlite3.h>

enum { CW_FAM, ANNA, N_WHO, ANON = -1 };

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\"},"
	" {\"code\":\"udk\",\"name\":\"Udbetaling Danmark\",\"kind\":\"agency\"}]";

static const char *const users_json =
	"[{\"email\":\"cw@fam\",\"name\":\"Frida Fam\",\"organisation\":\"fam\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"}]";

static const char *const citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"}]";

/* Children under 18 start a review at Udbetaling Danmark and one at the
 * citizen's municipality, once the divorce is granted. */
static const char *const ct_skilsmisse =
	"{\"name\":\"Ansøgning om skilsmisse\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true}],"
	" \"transitions\":["
	"  {\"from\":\"received\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"granted\",\"role\":\"caseworker\"}],"
	" \"form\":{\"title\":\"Søg om skilsmisse\",\"fields\":["
	"  {\"name\":\"navn\",\"label\":\"Din ægtefælles navn\",\"type\":\"text\","
	"   \"required\":true},"
	"  {\"name\":\"boern\",\"label\":\"Har I fælles børn under 18 år?\","
	"   \"type\":\"yesno\",\"required\":true},"
	"  {\"name\":\"beloeb\",\"label\":\"Bidrag om måneden (kr.)\","
	"   \"type\":\"amount\"}]},"
	" \"followups\":["
	"  {\"state\":\"granted\",\"case_type\":\"revurdering\",\"organisation\":\"udk\","
	"   \"when\":{\"field\":\"boern\",\"equals\":\"ja\"}},"
	"  {\"state\":\"granted\",\"case_type\":\"gennemgang\","
	"   \"organisation\":\"municipality\","
	"   \"when\":{\"field\":\"boern\",\"equals\":\"ja\"}}]}";

static const char *const ct_revurdering =
	"{\"name\":\"Revurdering af børnetilskud\",\"organisation\":\"udk\","
	" \"deadline\":\"P3M\",\"public\":false,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"}]}";

static const char *const ct_gennemgang =
	"{\"name\":\"Gennemgang af familiens ydelser\",\"organisation\":\"municipality\","
	" \"deadline\":\"P1M\",\"public\":false,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Oprettet\"}]}";

static const char *const le_skilsmisse =
	"{\"title\":\"I går fra hinanden\",\"summary\":\"Skilsmisse.\","
	" \"position\":1,\"articles\":[],"
	" \"questions\":[{\"key\":\"boern\",\"text\":\"Har I børn?\",\"type\":\"yesno\"}],"
	" \"steps\":[{\"key\":\"ansoeg\",\"title\":\"Søg om skilsmisse\",\"text\":\"T\","
	"   \"organisation\":\"fam\",\"case_type\":\"skilsmisse\"}]}";

struct ctx {
	struct tu_server s;
	char db[4200];
	char cookie[N_WHO][160];
	char csrf[N_WHO][64];
	char key[HH_TOKEN_CHARS]; /* Open311, for Nordskov */
};

static struct ctx *C;

/* The case id as the store has it (through the store, not SQL). */
static struct hh_case case_of(struct hh_arena *a, int64_t id)
{
	struct hh_store *st = C->s.store;
	struct hh_case c;
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->case_get(tx, a, id, &c), HH_OK);
	tu_read_end(tx);
	return c;
}

static enum hh_rc first_id(void *p, const struct hh_case *c)
{
	*(int64_t *)p = c->id;
	return HH_OK;
}

/* The case (its id in the store) of an Open311 public id; 0: none. */
static int64_t case_of_public(const char *pub)
{
	struct hh_store *st = C->s.store;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case_filter f = { .public_id = pub };
	int64_t id = 0;
	struct hh_tx *tx = tu_read_begin(st);
	assert_int_equal(st->case_list(tx, &a, &f, 0, 1, NULL, first_id, &id), HH_OK);
	tu_read_end(tx);
	hh_arena_clear(&a);
	return id;
}

/* A field of the case's data: an integer, or for a string 1 when it
 * equals want (want NULL: the JSON type is integer). */
static int64_t data_int(int64_t id, const char *field)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case c = case_of(&a, id);
	json_t *d = json_loads(c.data, 0, NULL);
	json_t *v = json_object_get(d, field);
	int64_t out = json_is_integer(v) ? json_integer_value(v) : -1;
	json_decref(d);
	hh_arena_clear(&a);
	return out;
}

static int data_is(int64_t id, const char *field, const char *want)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case c = case_of(&a, id);
	json_t *d = json_loads(c.data, 0, NULL);
	const char *v = json_string_value(json_object_get(d, field));
	int out = v && !strcmp(v, want);
	json_decref(d);
	hh_arena_clear(&a);
	return out;
}

/* Cases whose parent is parent (and of case type ct at org, when given). */
static int64_t children(int64_t parent, const char *ct, const char *org)
{
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case *v;
	size_t n = tu_cases(C->s.store, &a, (struct hh_case_filter){ 0 }, &v);
	int64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += v[i].parent_case_id == parent &&
		     (!ct || !strcmp(v[i].case_type_code, ct)) &&
		     (!org || !strcmp(v[i].org_code, org));
	hh_arena_clear(&a);
	return k;
}

static struct tu_resp call(int who, const char *method, const char *path,
			   const char *body, const char *const *extra)
{
	return tu_call(C->s.base, who >= 0 ? C->cookie[who] : NULL,
		       who >= 0 ? C->csrf[who] : NULL, method, path, body, extra);
}

static void expect_status(const struct tu_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status,
			r->body);
	assert_int_equal(r->status, status);
}

static void put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

/* key=value&... with each value percent-encoded. New string. */
static char *urlenc(const char *first, ...)
{
	struct hh_buf b;
	hh_buf_init(&b);
	va_list ap;
	va_start(ap, first);
	for (const char *k = first; k; k = va_arg(ap, const char *)) {
		const char *v = va_arg(ap, const char *);
		if (b.len)
			hh_buf_putc(&b, '&');
		hh_buf_urlenc(&b, k);
		hh_buf_putc(&b, '=');
		hh_buf_urlenc(&b, v);
	}
	va_end(ap);
	return hh_buf_steal(&b);
}

static const char *const form_ct[] = {
	"Content-Type: application/x-www-form-urlencoded", NULL
};

static int setup(void **state)
{
	C = hh_xcalloc(1, sizeof(*C));
	tu_server_start(&C->s, 0);
	snprintf(C->db, sizeof(C->db), "%s/helhed.db", C->s.dir);
	char dir[4200], cmd[9000];
	snprintf(dir, sizeof(dir), "%s/content", C->s.dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/case-types' '%s/life-events'", dir, dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "organisations.json", orgs_json);
	put(dir, "users.json", users_json);
	put(dir, "citizens.json", citizens_json);
	put(dir, "case-types/skilsmisse.json", ct_skilsmisse);
	put(dir, "case-types/revurdering.json", ct_revurdering);
	put(dir, "case-types/gennemgang.json", ct_gennemgang);
	put(dir, "life-events/skilsmisse.json", le_skilsmisse);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(C->s.store, dir, 1, stderr, NULL, NULL, &stats),
			 HH_OK);
	assert_int_equal(stats.case_types, 3);
	tu_login(&C->s, "cw@fam", C->cookie[CW_FAM], sizeof(C->cookie[CW_FAM]),
		 C->csrf[CW_FAM], sizeof(C->csrf[CW_FAM]));
	C->s.app.demo = 1;
	char setc[256];
	struct tu_resp r = call(ANON, "POST", "/api/v1/citizen/session",
				"{\"subject\":\"demo:anna\"}", NULL);
	expect_status(&r, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(C->cookie[ANNA], sizeof(C->cookie[ANNA]), "%.*s",
		 (int)strcspn(setc, ";"), setc);
	snprintf(C->csrf[ANNA], sizeof(C->csrf[ANNA]), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
	assert_int_equal(hh_auth_token_add(C->s.store, "901", "open311 901",
					   HH_ROLE_AGENT, "test", C->key),
			 HH_OK);
	*state = C;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_server_stop(&C->s);
	free(C);
	return 0;
}

/* ---- the four doors ----------------------------------------------------- */

enum door { FROM_PLAN, FORM_PAGE, API, OPEN311, N_DOORS };
static const char *const door_names[] = { "plan", "form page", "API", "Open311" };

static int64_t new_plan(const char *boern)
{
	char body[200];
	snprintf(body, sizeof(body),
		 "{\"life_event\":\"skilsmisse\",\"answers\":{\"boern\":\"%s\"}}", boern);
	struct tu_resp r = call(ANNA, "POST", "/api/v1/plans", body, NULL);
	expect_status(&r, 201);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	tu_resp_free(&r);
	return id;
}

/* The case id in a form page's redirect to the citizen's case. */
static int64_t redirected_case(const struct tu_resp *r)
{
	char loc[200];
	expect_status(r, 303);
	assert_true(tu_header(r, "Location", loc, sizeof(loc)));
	long long id = 0;
	assert_int_equal(sscanf(loc, "/mit-overblik/sag/%lld?sendt=1", &id), 1);
	return id;
}

/* Sends navn, boern and beloeb through door; the new case's id. */
static int64_t submit_through(enum door d, const char *boern, const char *beloeb)
{
	struct tu_resp r;
	int64_t id = 0;
	char *body;
	if (d == FROM_PLAN || d == FORM_PAGE) {
		char plan[32] = "", *path = "/blanket/skilsmisse";
		if (d == FROM_PLAN) {
			/* the answer in the plan is the opposite: the form's
			 * answer is the one that counts */
			snprintf(plan, sizeof(plan), "%lld",
				 (long long)new_plan(!strcmp(boern, "ja") ? "nej" : "ja"));
			body = urlenc("csrf", C->csrf[ANNA], "forloeb", plan, "trin",
				      "ansoeg", "navn", "Bo Berg", "boern", boern,
				      "beloeb", beloeb, NULL);
		} else {
			body = urlenc("csrf", C->csrf[ANNA], "navn", "Bo Berg", "boern",
				      boern, "beloeb", beloeb, NULL);
		}
		r = call(ANNA, "POST", path, body, form_ct);
		id = redirected_case(&r);
		if (d == FROM_PLAN)
		{
			struct hh_arena pa;
			hh_arena_init(&pa);
			assert_int_equal(case_of(&pa, id).plan_id,
					 strtoll(plan, NULL, 10));
			hh_arena_clear(&pa);
		}
	} else if (d == API) {
		json_t *j = json_pack("{s:s, s:{s:s, s:s, s:s}}", "case_type", "skilsmisse",
				      "values", "navn", "Bo Berg", "boern", boern,
				      "beloeb", beloeb);
		body = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		r = call(ANNA, "POST", "/api/v1/cases", body, NULL);
		expect_status(&r, 201);
		id = json_integer_value(json_object_get(r.json, "id"));
	} else {
		body = urlenc("api_key", C->key, "service_code", "skilsmisse",
			      "attribute[navn]", "Bo Berg", "attribute[boern]", boern,
			      "attribute[beloeb]", beloeb, NULL);
		r = call(ANON, "POST", "/open311/v2/requests.json", body, form_ct);
		expect_status(&r, 200); /* GeoReport v2 answers 200 */
		id = case_of_public(json_string_value(json_object_get(
			json_array_get(r.json, 0), "service_request_id")));
	}
	free(body);
	tu_resp_free(&r);
	assert_true(id > 0);
	return id;
}

/* Grants the case as the agency's caseworker; the follow-ups it made. */
static int grant(int64_t id)
{
	int n = -1;
	static const char *const to[] = { "in_progress", "granted" };
	for (int k = 0; k < 2; k++) {
		char path[100], body[64], im[40], fu[16];
		snprintf(path, sizeof(path), "/api/v1/cases/%lld/transition", (long long)id);
		snprintf(body, sizeof(body), "{\"to\":\"%s\"}", to[k]);
		snprintf(im, sizeof(im), "If-Match: \"%d\"", k + 1);
		const char *extra[] = { im, NULL };
		struct tu_resp r = call(CW_FAM, "POST", path, body, extra);
		expect_status(&r, 200);
		assert_true(tu_header(&r, "X-Followups", fu, sizeof(fu)));
		n = atoi(fu);
		tu_resp_free(&r);
	}
	return n;
}

static int64_t followups_at(int64_t id, const char *ct, const char *org)
{
	return children(id, ct, org);
}

static void same_followups_through_every_door(void **state)
{
	(void)state;
	for (int d = 0; d < N_DOORS; d++) {
		fprintf(stderr, "door: %s\n", door_names[d]);
		int64_t with = submit_through(d, "ja", "6.500");
		int64_t without = submit_through(d, "nej", "6.500");
		/* the same data whichever door */
		assert_int_equal(data_int(with, "beloeb"), 650000);
		assert_int_equal(data_is(with, "boern", "ja"), 1);
		int n = grant(with);
		/* Udbetaling Danmark's review, whichever door */
		assert_int_equal(followups_at(with, "revurdering", "udk"), 1);
		/* the municipality's needs to know the citizen's municipality:
		 * Open311 requests are made without a citizen */
		int64_t muni = followups_at(with, "gennemgang", "901");
		assert_int_equal(muni, d == OPEN311 ? 0 : 1);
		assert_int_equal(n, d == OPEN311 ? 1 : 2);
		/* no children: no follow-ups, whichever door and whatever the
		 * plan said */
		assert_int_equal(grant(without), 0);
		assert_int_equal(children(without, NULL, NULL), 0);
	}
}

/* The plan's answers fill the form's fields of the same name. */
static void plan_answers_fill_the_form(void **state)
{
	(void)state;
	int64_t plan = new_plan("ja");
	char path[200];
	snprintf(path, sizeof(path), "/blanket/skilsmisse?forloeb=%lld&trin=ansoeg",
		 (long long)plan);
	struct tu_resp r = call(ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "id=\"f-boern-1\" name=\"boern\" value=\"ja\" checked");
	tu_expect_not_in(r.body, "value=\"nej\" checked");
	tu_resp_free(&r);
	/* without the plan: nothing chosen */
	r = call(ANNA, "GET", "/blanket/skilsmisse", NULL, NULL);
	expect_status(&r, 200);
	tu_expect_not_in(r.body, " checked");
	/* the amount field's hint shows how to write kroner */
	tu_expect_in(r.body, "Skriv beløbet i kroner, fx 6.500 eller 6.500,50.");
	tu_expect_in(r.body, "inputmode=\"decimal\"");
	tu_resp_free(&r);
	/* an answer the field does not take is not filled in */
	plan = new_plan("nej");
	snprintf(path, sizeof(path), "/blanket/skilsmisse?forloeb=%lld&trin=ansoeg",
		 (long long)plan);
	r = call(ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "id=\"f-boern-2\" name=\"boern\" value=\"nej\" checked");
	tu_resp_free(&r);
}

/* ---- money through the page and the API --------------------------------- */

static const struct {
	const char *text;
	int64_t ore;
} good_amounts[] = {
	{ "6.500", 650000 },  { "6 500", 650000 },  { "6500", 650000 },
	{ "6.500,50", 650050 }, { "6500,5", 650050 }, { "6,5", 650 },
	{ "6\xc2\xa0" "500", 650000 }, { "6\xe2\x80\x89" "500", 650000 },
	{ " 6.500 kr. ", 650000 },
};

static const char *const bad_amounts[] = {
	"6.50", "6,500", "1.2.3", "-5", "1e3", "99999999999999999999", "seks",
};

static int64_t n_cases(void)
{
	struct hh_arena a;
	hh_arena_init(&a);
	int64_t n = (int64_t)tu_cases(C->s.store, &a, (struct hh_case_filter){ 0 },
				      NULL);
	hh_arena_clear(&a);
	return n;
}

static void amounts_through_the_form_page(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good_amounts) / sizeof(good_amounts[0]); i++) {
		char *body = urlenc("csrf", C->csrf[ANNA], "navn", "Bo Berg", "boern",
				    "nej", "beloeb", good_amounts[i].text, NULL);
		struct tu_resp r = call(ANNA, "POST", "/blanket/skilsmisse", body, form_ct);
		free(body);
		int64_t id = redirected_case(&r);
		tu_resp_free(&r);
		if (data_int(id, "beloeb") != good_amounts[i].ore)
			fail_msg("'%s' not kept as %lld øre", good_amounts[i].text,
				 (long long)good_amounts[i].ore);
		/* kept as an integer (data_int reads integers only) */
		assert_true(data_int(id, "beloeb") >= 0);
		if (good_amounts[i].ore != 650050)
			continue;
		/* the citizen and the caseworker read kroner and øre */
		char path[100];
		snprintf(path, sizeof(path), "/mit-overblik/sag/%lld", (long long)id);
		r = call(ANNA, "GET", path, NULL, NULL);
		expect_status(&r, 200);
		tu_expect_in(r.body, "6.500,50 kr.");
		tu_resp_free(&r);
		snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)id);
		r = call(CW_FAM, "GET", path, NULL, NULL);
		expect_status(&r, 200);
		tu_expect_in(r.body, "6.500,50 kr.");
		tu_expect_not_in(r.body, "650050");
		tu_resp_free(&r);
	}
	for (size_t i = 0; i < sizeof(bad_amounts) / sizeof(bad_amounts[0]); i++) {
		int64_t before = n_cases();
		char *body = urlenc("csrf", C->csrf[ANNA], "navn", "Bo Berg", "boern",
				    "nej", "beloeb", bad_amounts[i], NULL);
		struct tu_resp r = call(ANNA, "POST", "/blanket/skilsmisse", body, form_ct);
		free(body);
		expect_status(&r, 422);
		/* a Danish message with the forms taken, beside the field,
		 * and what the citizen wrote is still there */
		tu_expect_in(r.body, "id=\"f-beloeb-fejl\"");
		/* in the error itself, not only in the field's hint */
		if (strlen(bad_amounts[i]) < 20) /* not the one that is too big */
			tu_expect_in(strstr(r.body, "f-beloeb-fejl\"><span"),
				     "fx 6500, 6.500, 6 500 eller 6.500,50");
		tu_expect_in(r.body, "href=\"#f-beloeb\"");
		if (!strcmp(bad_amounts[i], "6.50")) {
			tu_expect_in(r.body, "Beløbet kan læses på to måder.");
			tu_expect_in(r.body, "value=\"6.50\"");
		}
		tu_resp_free(&r);
		assert_int_equal(n_cases(), before); /* nothing saved */
	}
}

static void amounts_through_the_api(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good_amounts) / sizeof(good_amounts[0]); i++) {
		json_t *j = json_pack("{s:s, s:{s:s, s:s, s:s}}", "case_type", "skilsmisse",
				      "values", "navn", "Bo Berg", "boern", "nej", "beloeb",
				      good_amounts[i].text);
		char *body = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		struct tu_resp r = call(ANNA, "POST", "/api/v1/cases", body, NULL);
		free(body);
		expect_status(&r, 201);
		/* integer øre, and the same as people read it */
		json_t *v = json_object_get(json_object_get(r.json, "data"), "beloeb");
		assert_true(json_is_integer(v));
		assert_int_equal(json_integer_value(v), good_amounts[i].ore);
		char want[40];
		snprintf(want, sizeof(want), "%s",
			 good_amounts[i].ore == 650 ? "6,50 kr."
			 : good_amounts[i].ore == 650050 ? "6.500,50 kr."
							 : "6.500,00 kr.");
		assert_string_equal(json_string_value(json_object_get(
					    json_object_get(r.json, "data_display"), "beloeb")),
				    want);
		tu_resp_free(&r);
	}
	for (size_t i = 0; i < sizeof(bad_amounts) / sizeof(bad_amounts[0]); i++) {
		int64_t before = n_cases();
		json_t *j = json_pack("{s:s, s:{s:s, s:s, s:s}}", "case_type", "skilsmisse",
				      "values", "navn", "Bo Berg", "boern", "nej", "beloeb",
				      bad_amounts[i]);
		char *body = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		struct tu_resp r = call(ANNA, "POST", "/api/v1/cases", body, NULL);
		free(body);
		expect_status(&r, 422);
		json_t *e = json_array_get(json_object_get(r.json, "errors"), 0);
		assert_string_equal(json_string_value(json_object_get(e, "field")), "beloeb");
		const char *m = json_string_value(json_object_get(e, "message"));
		assert_non_null(m);
		if (!strstr(m, "6.500,50") && !strstr(m, "for stort"))
			fail_msg("'%s': %s", bad_amounts[i], m);
		tu_resp_free(&r);
		assert_int_equal(n_cases(), before);
	}
	/* a bare number could be kroner or øre: refused */
	struct tu_resp r = call(ANNA, "POST", "/api/v1/cases",
				"{\"case_type\":\"skilsmisse\",\"values\":{\"navn\":"
				"\"Bo Berg\",\"boern\":\"nej\",\"beloeb\":6500}}",
				NULL);
	expect_status(&r, 422);
	tu_expect_in(r.body, "Skriv beløbet som tekst i kroner");
	tu_resp_free(&r);
}

/* Open311 describes an amount as text in kroner, with the forms taken. */
static void amounts_in_open311(void **state)
{
	(void)state;
	struct tu_resp r = call(ANON, "GET", "/open311/v2/services/skilsmisse.json",
				NULL, NULL);
	expect_status(&r, 200);
	json_t *attrs = json_object_get(r.json, "attributes"), *a, *amount = NULL;
	size_t i;
	json_array_foreach(attrs, i, a) if (!strcmp(json_string_value(json_object_get(
						       a, "code")),
					       "beloeb")) amount = a;
	assert_non_null(amount);
	assert_string_equal(json_string_value(json_object_get(amount, "datatype")),
			    "string");
	assert_false(json_is_true(json_object_get(amount, "required")));
	tu_expect_in(json_string_value(json_object_get(amount, "datatype_description")),
		     "Beløb i kroner med punktum mellem tusinder og komma før "
		     "ørerne, fx 6500, 6.500, 6 500 eller 6.500,50.");
	tu_resp_free(&r);
	/* an ambiguous amount is refused there too, and nothing is saved */
	int64_t before = n_cases();
	char *body = urlenc("api_key", C->key, "service_code", "skilsmisse",
			    "attribute[navn]", "Bo Berg", "attribute[boern]", "nej",
			    "attribute[beloeb]", "6,500", NULL);
	r = call(ANON, "POST", "/open311/v2/requests.json", body, form_ct);
	free(body);
	expect_status(&r, 400);
	tu_expect_in(r.body, "attribute[beloeb]: Beløbet kan læses på to måder.");
	tu_resp_free(&r);
	assert_int_equal(n_cases(), before);
}

/* The form page's hidden "skema" is its idempotency key: sent again with
 * the same answers it is the same case; with other answers (the back
 * button, a change, Send) it is refused with a Danish notice and no new
 * case, not a replay that shows the first case as if it were this one. */
static void form_page_key_reused_with_other_answers(void **state)
{
	(void)state;
	const char *skema = "skemaskemaskemaskemaskemaskemaskemaskema123";
	assert_int_equal(strlen(skema), HH_TOKEN_CHARS - 1);
	char *body = urlenc("csrf", C->csrf[ANNA], "skema", skema, "navn", "Bo Berg",
			    "boern", "nej", "beloeb", "100", NULL);
	struct tu_resp r = call(ANNA, "POST", "/blanket/skilsmisse", body, form_ct);
	int64_t first = redirected_case(&r);
	tu_resp_free(&r);
	r = call(ANNA, "POST", "/blanket/skilsmisse", body, form_ct);
	assert_int_equal(redirected_case(&r), first);
	tu_resp_free(&r);
	free(body);
	int64_t before = n_cases();
	body = urlenc("csrf", C->csrf[ANNA], "skema", skema, "navn", "Bo Bergsen",
		      "boern", "nej", "beloeb", "100", NULL);
	r = call(ANNA, "POST", "/blanket/skilsmisse", body, form_ct);
	free(body);
	expect_status(&r, 422);
	tu_expect_in(r.body, "Blanketten er allerede sendt med andre oplysninger.");
	tu_resp_free(&r);
	assert_int_equal(n_cases(), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_followups_through_every_door),
		cmocka_unit_test(plan_answers_fill_the_form),
		cmocka_unit_test(amounts_through_the_form_page),
		cmocka_unit_test(amounts_through_the_api),
		cmocka_unit_test(amounts_in_open311),
		cmocka_unit_test(form_page_key_reused_with_other_answers),
	};
	return cmocka_run_group_tests_name("api/doors", tests, setup, teardown);
}
