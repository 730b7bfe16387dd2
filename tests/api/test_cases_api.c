/* test_cases_api.c - the citizen's journey and the caseworker's queue over
 * HTTP: demo sign-in, plans, submitting forms (every error, idempotent
 * repeats), listing and reading cases, transitions with versions,
 * requests and answers, notes, assignment, the overview with follow-ups at
 * other authorities, the audit trail, and every endpoint called by someone
 * it does not belong to.
 *
 * One server serves the whole group (signing in costs an argon2id hash).
 * Its content is a small folder written here, not the demo content. The
 * tests share the store, so each makes its own cases and asserts on those
 * (or on counts it reads from the database itself). */
#include "testutil.h"

#include "core/dktime.h"

#include <time.h>
#include "domain/orgs.h"

/* Who calls: staff (by session cookie) and citizens (demo sign-in). */
enum { CW_FAM, CW_UDK, ED_FAM, CW_901, ANNA, BO, CARL, N_WHO, ANON = -1 };

static const char *const staff_emails[] = { "cw@fam", "cw@udk", "editor@fam",
					    "cw@901" };
static const char *const subjects[] = { "demo:anna", "demo:bo", "demo:carl" };

/* ---- the content folder ------------------------------------------------- */

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"902\",\"name\":\"Åstrup Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\"},"
	" {\"code\":\"udk\",\"name\":\"Udbetaling Danmark\",\"kind\":\"agency\"}]";

static const char *const users_json =
	"[{\"email\":\"cw@fam\",\"name\":\"Frida Fam\",\"organisation\":\"fam\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"cw@udk\",\"name\":\"Ulrik Udk\",\"organisation\":\"udk\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"editor@fam\",\"name\":\"Erna Editor\",\"organisation\":\"fam\","
	"  \"roles\":[\"editor\"],\"password\":\"password-1\"},"
	" {\"email\":\"cw@901\",\"name\":\"Niels Nordskov\",\"organisation\":\"901\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"}]";

static const char *const citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"902\"},"
	" {\"id\":\"carl\",\"name\":\"Carl Carlsen\",\"cpr\":\"020202-2222\"}]";

#define ALL_FIELDS                                                            \
	"[{\"name\":\"navn\",\"label\":\"Navn\",\"type\":\"text\","           \
	"  \"required\":true,\"min_length\":2,\"max_length\":60},"            \
	" {\"name\":\"begrundelse\",\"label\":\"Begrundelse\","               \
	"  \"type\":\"textarea\"},"                                           \
	" {\"name\":\"antal\",\"label\":\"Antal\",\"type\":\"number\","       \
	"  \"min\":0,\"max\":20},"                                            \
	" {\"name\":\"dato\",\"label\":\"Dato\",\"type\":\"date\","           \
	"  \"min\":\"2000-01-01\"},"                                          \
	" {\"name\":\"bolig\",\"label\":\"Bolig\",\"type\":\"choice\","       \
	"  \"options\":[{\"value\":\"ejer\",\"label\":\"Ejer\"},"             \
	"             {\"value\":\"lejer\",\"label\":\"Lejer\"}]},"           \
	" {\"name\":\"gift\",\"label\":\"Gift?\",\"type\":\"yesno\","         \
	"  \"required\":true},"                                               \
	" {\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","    \
	"  \"type\":\"cpr\",\"required\":true,"                               \
	"  \"when\":{\"field\":\"gift\",\"equals\":\"ja\"}},"                 \
	" {\"name\":\"boern\",\"label\":\"Børn?\",\"type\":\"yesno\"},"   \
	" {\"name\":\"adresse\",\"label\":\"Adresse\",\"type\":\"address\"}," \
	" {\"name\":\"email\",\"label\":\"E-mail\",\"type\":\"email\"},"      \
	" {\"name\":\"telefon\",\"label\":\"Telefon\",\"type\":\"phone\"},"   \
	" {\"name\":\"bilag\",\"label\":\"Bilag\",\"type\":\"file\","         \
	"  \"max_bytes\":1024,\"accept\":[\"application/pdf\"]}]"

static const char *const ct_skilsmisse =
	"{\"name\":\"Ansøgning om skilsmisse\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"  {\"key\":\"reflection\",\"label\":\"Refleksionsperiode\",\"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true},"
	"  {\"key\":\"rejected\",\"label\":\"Afslået\",\"final\":true}],"
	" \"transitions\":["
	"  {\"from\":\"received\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"received\",\"to\":\"reflection\",\"role\":\"caseworker\"},"
	"  {\"from\":\"reflection\",\"to\":\"in_progress\",\"role\":\"caseworker\","
	"   \"label\":\"Refleksionsperioden er slut\",\"after\":\"P3M\","
	"   \"wait_label\":\"Refleksionsperioden slutter\"},"
	"  {\"from\":\"in_progress\",\"to\":\"granted\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"rejected\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"received\",\"role\":\"manager\"}],"
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":" ALL_FIELDS "},"
	" \"followups\":["
	"  {\"state\":\"granted\",\"case_type\":\"revurdering\","
	"   \"organisation\":\"udk\",\"when\":{\"field\":\"boern\",\"equals\":\"ja\"}},"
	"  {\"state\":\"granted\",\"case_type\":\"opfoelgning\","
	"   \"organisation\":\"municipality\","
	"   \"when\":{\"field\":\"bolig\",\"equals\":[\"ejer\",\"lejer\"]}}]}";

static const char *const ct_boernetilskud =
	"{\"name\":\"Børnetilskud\",\"organisation\":\"municipality\","
	" \"deadline\":\"P2W\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"granted\"}],"
	" \"form\":{\"title\":\"Børnetilskud\",\"fields\":"
	"  [{\"name\":\"antal\",\"label\":\"Antal børn\",\"type\":\"number\","
	"    \"required\":true,\"min\":1,\"max\":20}]}}";

static const char *const ct_revurdering =
	"{\"name\":\"Revurdering af børnetilskud\",\"organisation\":\"udk\","
	" \"deadline\":\"P3M\",\"public\":false,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"done\",\"label\":\"Afgjort\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"done\"}]}";

static const char *const ct_opfoelgning =
	"{\"name\":\"Opfølgning på bolig\",\"organisation\":\"municipality\","
	" \"deadline\":\"PT48H\",\"public\":false,\"initial\":\"open\","
	" \"states\":[{\"key\":\"open\",\"label\":\"Åben\"},"
	"  {\"key\":\"closed\",\"label\":\"Lukket\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"open\",\"to\":\"closed\"}]}";

static const char *const le_skilsmisse =
	"{\"title\":\"I går fra hinanden\",\"summary\":\"Skilsmisse.\","
	" \"position\":1,\"articles\":[],"
	" \"questions\":[{\"key\":\"gift\",\"text\":\"Er I gift?\",\"type\":\"yesno\"},"
	"  {\"key\":\"boern\",\"text\":\"Har I børn?\",\"type\":\"yesno\"},"
	"  {\"key\":\"bolig\",\"text\":\"Bolig?\",\"type\":\"choice\","
	"   \"options\":[{\"value\":\"ejer\",\"label\":\"Ejer\"},"
	"                {\"value\":\"lejer\",\"label\":\"Lejer\"}]}],"
	" \"steps\":[{\"key\":\"ansoeg\",\"title\":\"Søg om skilsmisse\",\"text\":\"T\","
	"   \"organisation\":\"fam\",\"case_type\":\"skilsmisse\",\"when\":{\"gift\":\"ja\"}},"
	"  {\"key\":\"tilskud\",\"title\":\"Børnetilskud\",\"text\":\"T\","
	"   \"organisation\":\"municipality\",\"case_type\":\"boernetilskud\","
	"   \"when\":{\"boern\":\"ja\"}},"
	"  {\"key\":\"laes\",\"title\":\"Læs om bolig\",\"text\":\"T\"}],"
	" \"followups\":["
	"  {\"after\":\"skilsmisse\",\"state\":\"granted\",\"case_type\":\"revurdering\","
	"   \"organisation\":\"udk\",\"when\":{\"boern\":\"ja\"},\"title\":\"Revurdering\"},"
	"  {\"after\":\"skilsmisse\",\"state\":\"granted\",\"case_type\":\"opfoelgning\","
	"   \"organisation\":\"municipality\",\"when\":{\"bolig\":[\"ejer\",\"lejer\"]},"
	"   \"title\":\"Opfølgning\"}]}";

static void put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

/* ---- fixture and helpers ------------------------------------------------ */

struct ctx {
	struct tu_server s;
	struct hh_arena a; /* what the x_ readers below read */
	char cookie[N_WHO][160];
	char csrf[N_WHO][64];
	int64_t user_id[4];
};

/* ---- what the server stored, read through the store --------------------- */

/* Each reads in a transaction of its own; rows and strings go to an arena
 * the fixture clears with the test. */
static struct hh_arena *x_arena(struct ctx *c)
{
	return &c->a;
}

static enum hh_rc x_count_plan(void *p, const struct hh_plan *pl)
{
	(void)pl;
	++*(int64_t *)p;
	return HH_OK;
}

static int64_t x_plans(struct ctx *c)
{
	int64_t *ids, n = 0;
	size_t nz = tu_citizens(c->s.store, x_arena(c), &ids);
	struct hh_tx *tx = tu_read_begin(c->s.store);
	for (size_t i = 0; i < nz; i++)
		assert_int_equal(c->s.store->plan_list(tx, x_arena(c), ids[i],
						       x_count_plan, &n),
				 HH_OK);
	tu_read_end(tx);
	return n;
}

/* Audit rows (of every citizen) about what (NULL: any). */
static int64_t x_audits(struct ctx *c, const char *what)
{
	struct hh_audit *v;
	size_t n = tu_audits(c->s.store, x_arena(c), &v);
	int64_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !what || !strcmp(v[i].what, what);
	return k;
}

/* Every case (newest first); returns n. */
static size_t x_all_cases(struct ctx *c, struct hh_case **out)
{
	struct hh_case_filter f = { 0 };
	return tu_cases(c->s.store, x_arena(c), f, out);
}

static int64_t x_cases(struct ctx *c)
{
	struct hh_case *v;
	return (int64_t)x_all_cases(c, &v);
}

/* Cases of the citizen with subject. */
static int64_t x_cases_of(struct ctx *c, const char *subject)
{
	struct hh_citizen z;
	struct hh_tx *tx = tu_read_begin(c->s.store);
	assert_int_equal(c->s.store->citizen_get_by_subject(tx, x_arena(c),
							    subject, &z),
			 HH_OK);
	tu_read_end(tx);
	struct hh_case_filter f = { .citizen_id = z.id };
	struct hh_case *v;
	return (int64_t)tu_cases(c->s.store, x_arena(c), f, &v);
}

static struct hh_case x_case(struct ctx *c, int64_t id)
{
	struct hh_case k;
	struct hh_tx *tx = tu_read_begin(c->s.store);
	assert_int_equal(c->s.store->case_get(tx, x_arena(c), id, &k), HH_OK);
	tu_read_end(tx);
	return k;
}

/* The one follow-up of case parent at the organisation with code. */
static int64_t x_followup_at(struct ctx *c, int64_t parent, const char *code)
{
	struct hh_case *v;
	size_t n = x_all_cases(c, &v), k = 0;
	int64_t id = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].parent_case_id == parent && !strcmp(v[i].org_code, code)) {
			id = v[i].id;
			k++;
		}
	assert_int_equal(k, 1);
	return id;
}

static int64_t x_user_id(struct ctx *c, const char *email)
{
	struct hh_user u;
	struct hh_tx *tx = tu_read_begin(c->s.store);
	assert_int_equal(c->s.store->user_get_by_email(tx, x_arena(c), email, &u),
			 HH_OK);
	tu_read_end(tx);
	return u.id;
}

/* Moves case id's deadline to at, as if time had passed (a write through
 * the store, not the API: no API sets a deadline). */
static enum hh_rc x_deadline_tx(struct hh_tx *tx, void *p)
{
	struct hh_case *k = p;
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_case now;
	enum hh_rc rc = tx->store->case_get(tx, &a, k->id, &now);
	if (rc == HH_OK) {
		now.deadline_at = k->deadline_at;
		rc = tx->store->case_update(tx, &now, now.version);
	}
	hh_arena_clear(&a);
	return rc;
}

static void x_set_deadline(struct ctx *c, int64_t id, int64_t at)
{
	struct hh_case k = { .id = id, .deadline_at = at };
	assert_int_equal(hh_store_run_tx(c->s.store, 1, x_deadline_tx, &k), HH_OK);
}

/* Sends method path as who (ANON: no cookie). A body is sent as
 * application/json; someone signed in also sends the CSRF token. extra:
 * more headers (NULL-terminated, may be NULL); a "Content-Type:" or
 * "X-CSRF-Token:" among them replaces the default. */
static struct tu_resp call(struct ctx *c, int who, const char *method,
			   const char *path, const char *body,
			   const char *const *extra)
{
	return tu_call(c->s.base, who >= 0 ? c->cookie[who] : NULL,
		       who >= 0 ? c->csrf[who] : NULL, method, path, body, extra);
}

/* A complete RFC 9457 problem: status, media type and every field. */
static void expect_problem(const struct tu_resp *r, long status,
			   const char *code, const char *field)
{
	tu_expect_problem(r, status, code, field);
	/* a refusal carries no case */
	assert_null(json_object_get(r->json, "data"));
	assert_null(json_object_get(r->json, "citizen_name"));
	assert_null(strstr(r->body, "Anna Andersen"));
}

/* Calls and expects a problem; frees the response. */
static void refused(struct ctx *c, int who, const char *method, const char *path,
		    const char *body, const char *const *extra, long status,
		    const char *code, const char *field)
{
	struct tu_resp r = call(c, who, method, path, body, extra);
	if (r.status != status)
		fprintf(stderr, "%s %s as %d\n", method, path, who);
	expect_problem(&r, status, code, field);
	tu_resp_free(&r);
}

static int64_t jint(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

static const char *jstr(const json_t *j, const char *key)
{
	const char *v = json_string_value(json_object_get(j, key));
	if (!v)
		fail_msg("%s is not a string", key);
	return v;
}

static void expect_status(const struct tu_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status,
			r->body);
	assert_int_equal(r->status, status);
}

/* The ETag of r as a number. */
static int64_t etag(const struct tu_resp *r)
{
	char v[32];
	assert_true(tu_header(r, "ETag", v, sizeof(v)));
	assert_true(v[0] == '"' && v[strlen(v) - 1] == '"');
	return strtoll(v + 1, NULL, 10);
}

/* The body of a submission. New string. */
static char *case_body(const char *ct, const char *values, int64_t plan,
		       const char *step)
{
	json_error_t e;
	json_t *v = json_loads(values, 0, &e);
	if (!v)
		fail_msg("values %s: %s", values, e.text);
	json_t *j = json_pack("{s:s, s:o}", "case_type", ct, "values", v);
	if (plan)
		json_object_set_new(j, "plan_id", json_integer(plan));
	if (step)
		json_object_set_new(j, "step", json_string(step));
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return s;
}

static const char *const ok_values = "{\"navn\":\"Anna Andersen\",\"gift\":\"nej\"}";

/* POST /api/v1/cases as who. */
static struct tu_resp submit(struct ctx *c, int who, const char *ct,
			     const char *values, int64_t plan, const char *step,
			     const char *key)
{
	char *b = case_body(ct, values, plan, step);
	char kh[300];
	const char *extra[] = { kh, NULL };
	if (key)
		snprintf(kh, sizeof(kh), "Idempotency-Key: %s", key);
	struct tu_resp r = call(c, who, "POST", "/api/v1/cases", b, key ? extra : NULL);
	free(b);
	return r;
}

/* A new case of ct for citizen who; its id. */
static int64_t new_case(struct ctx *c, int who, const char *ct, int64_t plan,
			const char *step)
{
	const char *values = !strcmp(ct, "skilsmisse") ? ok_values : "{\"antal\":2}";
	struct tu_resp r = submit(c, who, ct, values, plan, step, NULL);
	expect_status(&r, 201);
	int64_t id = jint(r.json, "id");
	char loc[128], want[128];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	snprintf(want, sizeof(want), "/api/v1/cases/%lld", (long long)id);
	assert_string_equal(loc, want);
	assert_int_equal(etag(&r), 1);
	tu_resp_free(&r);
	return id;
}

/* POST /api/v1/cases/{id}/<what> as who, with If-Match: "version" (0:
 * none). */
static struct tu_resp act(struct ctx *c, int who, int64_t id, const char *what,
			  const char *body, int64_t version)
{
	char path[128], im[64];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/%s", (long long)id, what);
	snprintf(im, sizeof(im), "If-Match: \"%lld\"", (long long)version);
	const char *extra[] = { im, NULL };
	return call(c, who, "POST", path, body, version ? extra : NULL);
}

static int64_t version_of(struct ctx *c, int64_t id)
{
	return x_case(c, id).version;
}

/* Moves case id to `to` as who; expects 200. The new version. */
static int64_t move_ok(struct ctx *c, int who, int64_t id, const char *to)
{
	char body[128];
	snprintf(body, sizeof(body), "{\"to\":\"%s\"}", to);
	int64_t v = version_of(c, id);
	struct tu_resp r = act(c, who, id, "transition", body, v);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "state"), to);
	assert_int_equal(jint(r.json, "version"), v + 1);
	assert_int_equal(etag(&r), v + 1);
	tu_resp_free(&r);
	return v + 1;
}

/* GET path as who, expect 200; the response (caller frees). */
static struct tu_resp get_ok(struct ctx *c, int who, const char *path)
{
	struct tu_resp r = call(c, who, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	return r;
}

/* Does the list response hold the case id? */
static int lists(const struct tu_resp *r, int64_t id)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r->json, "items"), i, it) if (
		jint(it, "id") == id) return 1;
	return 0;
}

static int64_t plan_create(struct ctx *c, int who, const char *answers)
{
	char body[512];
	snprintf(body, sizeof(body), "{\"life_event\":\"skilsmisse\",\"answers\":%s}",
		 answers);
	struct tu_resp r = call(c, who, "POST", "/api/v1/plans", body, NULL);
	expect_status(&r, 201);
	int64_t id = jint(r.json, "id");
	tu_resp_free(&r);
	return id;
}

/* Signs citizen `who` in through the demo sign-in. */
static void citizen_login(struct ctx *c, int who)
{
	char body[128], setc[256];
	snprintf(body, sizeof(body), "{\"subject\":\"%s\"}", subjects[who - ANNA]);
	struct tu_resp r = call(c, ANON, "POST", "/api/v1/citizen/session", body, NULL);
	expect_status(&r, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	assert_int_equal(strncmp(setc, "hh_borger=", 10), 0);
	assert_non_null(strstr(setc, "HttpOnly"));
	assert_non_null(strstr(setc, "SameSite=Strict"));
	snprintf(c->cookie[who], sizeof(c->cookie[who]), "%.*s",
		 (int)strcspn(setc, ";"), setc);
	snprintf(c->csrf[who], sizeof(c->csrf[who]), "%s", jstr(r.json, "csrf_token"));
	assert_true(json_is_true(json_object_get(r.json, "demo")));
	tu_resp_free(&r);
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 0);
	hh_arena_init(&c->a);
	char dir[4200], cmd[9000];
	snprintf(dir, sizeof(dir), "%s/content", c->s.dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/case-types' '%s/life-events'", dir,
		 dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "organisations.json", orgs_json);
	put(dir, "users.json", users_json);
	put(dir, "citizens.json", citizens_json);
	put(dir, "case-types/skilsmisse.json", ct_skilsmisse);
	put(dir, "case-types/boernetilskud.json", ct_boernetilskud);
	put(dir, "case-types/revurdering.json", ct_revurdering);
	put(dir, "case-types/opfoelgning.json", ct_opfoelgning);
	put(dir, "life-events/skilsmisse.json", le_skilsmisse);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.users, 4);
	assert_int_equal(stats.citizens, 3);
	assert_int_equal(stats.case_types, 4);
	for (int i = 0; i < 4; i++) {
		tu_login(&c->s, staff_emails[i], c->cookie[i], sizeof(c->cookie[i]),
			 c->csrf[i], sizeof(c->csrf[i]));
		c->user_id[i] = x_user_id(c, staff_emails[i]);
	}
	/* the test server runs without --demo */
	c->s.app.demo = 1;
	for (int who = ANNA; who <= CARL; who++)
		citizen_login(c, who);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	tu_server_stop(&c->s);
	hh_arena_clear(&c->a);
	free(c);
	return 0;
}

/* ---- signing in --------------------------------------------------------- */

static void citizen_demo_sign_in(void **state)
{
	struct ctx *c = *state;
	/* only on a demo server */
	c->s.app.demo = 0;
	refused(c, ANON, "POST", "/api/v1/citizen/session",
		"{\"subject\":\"demo:anna\"}", NULL, 404, "demo-only", NULL);
	c->s.app.demo = 1;
	/* only demo citizens that exist */
	refused(c, ANON, "POST", "/api/v1/citizen/session",
		"{\"subject\":\"demo:nobody\"}", NULL, 400, "invalid-field", "subject");
	refused(c, ANON, "POST", "/api/v1/citizen/session",
		"{\"subject\":\"mitid:12345\"}", NULL, 400, "invalid-field", "subject");
	refused(c, ANON, "POST", "/api/v1/citizen/session", "{}", NULL, 400,
		"missing-field", "subject");
	refused(c, ANON, "POST", "/api/v1/citizen/session",
		"{\"subject\":\"demo:anna\",\"cpr\":\"070761-4285\"}", NULL, 400,
		"unknown-field", "cpr");
	/* a session of its own, which sees the citizen's name */
	char body[] = "{\"subject\":\"demo:anna\"}", setc[256], cookie[160], csrf[64];
	struct tu_resp r = call(c, ANON, "POST", "/api/v1/citizen/session", body, NULL);
	expect_status(&r, 201);
	assert_string_equal(jstr(r.json, "name"), "Anna Andersen");
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	assert_non_null(strstr(setc, "Max-Age=1800"));
	snprintf(cookie, sizeof(cookie), "%.*s", (int)strcspn(setc, ";"), setc);
	snprintf(csrf, sizeof(csrf), "%s", jstr(r.json, "csrf_token"));
	assert_string_not_equal(cookie, c->cookie[ANNA]); /* a new session */
	tu_resp_free(&r);
	char url[256], ch[128];
	snprintf(url, sizeof(url), "%s/api/v1/overview", c->s.base);
	r = tu_http("GET", url, NULL, NULL, cookie);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "name"), "Anna Andersen");
	tu_resp_free(&r);
	/* signing out needs the CSRF token, and ends only that session */
	snprintf(url, sizeof(url), "%s/api/v1/citizen/session", c->s.base);
	r = tu_http("DELETE", url, NULL, NULL, cookie);
	expect_problem(&r, 403, "csrf-token-invalid", NULL);
	tu_resp_free(&r);
	snprintf(ch, sizeof(ch), "X-CSRF-Token: %s", csrf);
	const char *h[] = { ch, NULL };
	r = tu_http("DELETE", url, NULL, h, cookie);
	expect_status(&r, 204);
	tu_resp_free(&r);
	snprintf(url, sizeof(url), "%s/api/v1/overview", c->s.base);
	r = tu_http("GET", url, NULL, NULL, cookie);
	expect_problem(&r, 401, "citizen-required", NULL);
	tu_resp_free(&r);
	r = get_ok(c, ANNA, "/api/v1/overview");
	tu_resp_free(&r);
	/* a staff session is not a citizen's */
	refused(c, CW_FAM, "GET", "/api/v1/overview", NULL, NULL, 401,
		"citizen-required", NULL);
	refused(c, ANON, "GET", "/api/v1/overview", NULL, NULL, 401,
		"citizen-required", NULL);
}

/* ---- plans -------------------------------------------------------------- */

static void plans(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = call(c, ANNA, "POST", "/api/v1/plans",
				"{\"life_event\":\"skilsmisse\",\"answers\":"
				"{\"gift\":\"ja\",\"boern\":\"nej\"}}",
				NULL);
	expect_status(&r, 201);
	int64_t id = jint(r.json, "id");
	char loc[128], path[128];
	snprintf(path, sizeof(path), "/api/v1/plans/%lld", (long long)id);
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, path);
	assert_string_equal(jstr(r.json, "life_event"), "skilsmisse");
	assert_string_equal(jstr(r.json, "title"), "I går fra hinanden");
	/* the steps the answers ask for: the divorce and the reading */
	json_t *steps = json_object_get(r.json, "steps");
	assert_int_equal(json_array_size(steps), 2);
	assert_string_equal(jstr(json_array_get(steps, 0), "key"), "ansoeg");
	assert_string_equal(jstr(json_array_get(steps, 0), "state"), "not_started");
	assert_string_equal(jstr(json_array_get(steps, 0), "state_label"), "Ikke startet");
	assert_string_equal(jstr(json_array_get(steps, 1), "key"), "laes");
	assert_string_equal(jstr(json_array_get(steps, 1), "state"), "info");
	tu_resp_free(&r);
	/* read back */
	r = get_ok(c, ANNA, path);
	assert_int_equal(jint(r.json, "id"), id);
	assert_string_equal(jstr(json_object_get(r.json, "answers"), "gift"), "ja");
	tu_resp_free(&r);
	/* nobody else's: another citizen gets 404, staff and the public are
	 * not citizens */
	refused(c, BO, "GET", path, NULL, NULL, 404, "not-found", NULL);
	refused(c, CW_FAM, "GET", path, NULL, NULL, 401, "citizen-required", NULL);
	refused(c, ANON, "GET", path, NULL, NULL, 401, "citizen-required", NULL);
	refused(c, ANNA, "GET", "/api/v1/plans/999999", NULL, NULL, 404, "not-found",
		NULL);
	refused(c, ANNA, "GET", "/api/v1/plans/abc", NULL, NULL, 404, "not-found", NULL);
	/* refusals */
	int64_t plans_before = x_plans(c);
	refused(c, ANNA, "POST", "/api/v1/plans",
		"{\"life_event\":\"skilsmisse\",\"answers\":{\"gift\":\"kanske\"}}",
		NULL, 400, "invalid-field", "answers.gift");
	refused(c, ANNA, "POST", "/api/v1/plans",
		"{\"life_event\":\"skilsmisse\",\"answers\":{\"hus\":\"ja\"}}", NULL,
		400, "invalid-field", "answers.hus");
	refused(c, ANNA, "POST", "/api/v1/plans",
		"{\"life_event\":\"findes-ikke\",\"answers\":{}}", NULL, 400,
		"invalid-field", "life_event");
	refused(c, ANNA, "POST", "/api/v1/plans", "{\"answers\":{}}", NULL, 400,
		"missing-field", "life_event");
	refused(c, ANNA, "POST", "/api/v1/plans",
		"{\"life_event\":\"skilsmisse\",\"answers\":[]}", NULL, 400,
		"invalid-field", "answers");
	refused(c, ANNA, "POST", "/api/v1/plans",
		"{\"life_event\":\"skilsmisse\",\"owner\":2}", NULL, 400,
		"unknown-field", "owner");
	refused(c, ANNA, "POST", "/api/v1/plans", "{\"life_event\":", NULL, 400,
		"bad-json", NULL);
	const char *text[] = { "Content-Type: text/plain", NULL };
	refused(c, ANNA, "POST", "/api/v1/plans", "{\"life_event\":\"skilsmisse\"}",
		text, 415, "unsupported-media-type", NULL);
	const char *no_csrf[] = { "X-CSRF-Token: forkert", NULL };
	refused(c, ANNA, "POST", "/api/v1/plans", "{\"life_event\":\"skilsmisse\"}",
		no_csrf, 403, "csrf-token-invalid", NULL);
	refused(c, CW_FAM, "POST", "/api/v1/plans", "{\"life_event\":\"skilsmisse\"}",
		NULL, 401, "citizen-required", NULL);
	refused(c, ANON, "POST", "/api/v1/plans", "{\"life_event\":\"skilsmisse\"}",
		NULL, 401, "citizen-required", NULL);
	assert_int_equal(x_plans(c), plans_before);
	/* no answers: a plan of the steps that always apply */
	r = call(c, BO, "POST", "/api/v1/plans", "{\"life_event\":\"skilsmisse\"}", NULL);
	expect_status(&r, 201);
	assert_int_equal(json_array_size(json_object_get(r.json, "steps")), 1);
	tu_resp_free(&r);
}

/* ---- submitting --------------------------------------------------------- */

static void submit_errors(void **state)
{
	struct ctx *c = *state;
	int64_t cases = x_cases(c);
	/* form errors: 422 with every error, in Danish */
	struct tu_resp r = submit(c, ANNA, "skilsmisse",
				  "{\"navn\":\"A\",\"gift\":\"ja\",\"antal\":\"mange\","
				  "\"dato\":\"1999-12-31\",\"bolig\":\"slot\","
				  "\"email\":\"anna\",\"telefon\":\"123\","
				  "\"adresse\":\"Vejen 1\",\"hemmelig\":1}",
				  0, NULL, NULL);
	expect_problem(&r, 422, "form-invalid", "hemmelig"); /* the first */
	json_t *errs = json_object_get(r.json, "errors");
	static const struct {
		const char *field, *message;
	} want[] = {
		{ "hemmelig", "Feltet findes ikke i blanketten." },
		{ "navn", "Skriv mindst 2 tegn." },
		{ "antal", "Skriv et tal." },
		{ "dato", "Datoen må tidligst være 2000-01-01." },
		{ "bolig", "Vælg en af mulighederne." },
		{ "partner_cpr", "Feltet skal udfyldes." },
		{ "adresse", "Skriv hele adressen: vej, husnummer, postnummer og by." },
		{ "email", "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk." },
		{ "telefon", "Skriv et telefonnummer med 8 cifre, fx 12 34 56 78." },
	};
	assert_int_equal(json_array_size(errs), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int found = 0;
		size_t k;
		json_t *e;
		json_array_foreach(errs, k, e) if (!strcmp(jstr(e, "field"), want[i].field))
		{
			assert_string_equal(jstr(e, "message"), want[i].message);
			found = 1;
		}
		if (!found)
			fail_msg("no error for %s: %s", want[i].field, r.body);
	}
	assert_true(json_is_array(json_object_get(r.json, "warnings")));
	tu_resp_free(&r);
	/* no values at all: the required fields are missing */
	r = call(c, ANNA, "POST", "/api/v1/cases", "{\"case_type\":\"skilsmisse\"}",
		 NULL);
	expect_problem(&r, 422, "form-invalid", "navn");
	assert_int_equal(json_array_size(json_object_get(r.json, "errors")), 2);
	tu_resp_free(&r);
	/* a file that lies about its type */
	r = submit(c, ANNA, "skilsmisse",
		   "{\"navn\":\"Anna\",\"gift\":\"nej\",\"bilag\":{\"name\":\"a.pdf\","
		   "\"content_type\":\"application/pdf\",\"data\":\"iVBORw0KGgo=\"}}",
		   0, NULL, NULL);
	expect_problem(&r, 422, "form-invalid", "bilag");
	/* the message names what the field accepts: PDF only */
	assert_string_equal(jstr(json_array_get(json_object_get(r.json, "errors"), 0),
				 "message"),
			    "Filtypen er ikke tilladt. Vedhæft en PDF-fil.");
	tu_resp_free(&r);
	/* the body itself */
	refused(c, ANNA, "POST", "/api/v1/cases",
		"{\"case_type\":\"skilsmisse\",\"values\":{},\"citizen_id\":2}", NULL,
		400, "unknown-field", "citizen_id");
	refused(c, ANNA, "POST", "/api/v1/cases", "{\"case_type\":\"skilsmisse\",",
		NULL, 400, "bad-json", NULL);
	refused(c, ANNA, "POST", "/api/v1/cases", "[1,2]", NULL, 400, "bad-json", NULL);
	refused(c, ANNA, "POST", "/api/v1/cases", "{\"values\":{}}", NULL, 400,
		"missing-field", "case_type");
	refused(c, ANNA, "POST", "/api/v1/cases",
		"{\"case_type\":\"skilsmisse\",\"values\":\"navn=Anna\"}", NULL, 400,
		"invalid-field", "values");
	refused(c, ANNA, "POST", "/api/v1/cases",
		"{\"case_type\":\"findes-ikke\",\"values\":{}}", NULL, 400,
		"invalid-field", "case_type");
	const char *form[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	refused(c, ANNA, "POST", "/api/v1/cases", "case_type=skilsmisse", form, 415,
		"unsupported-media-type", NULL);
	const char *none[] = { "Content-Type: text/plain", NULL };
	refused(c, ANNA, "POST", "/api/v1/cases",
		"{\"case_type\":\"skilsmisse\",\"values\":{}}", none, 415,
		"unsupported-media-type", NULL);
	/* CSRF: missing or someone else's */
	char *b = case_body("skilsmisse", ok_values, 0, NULL);
	const char *empty_csrf[] = { "X-CSRF-Token: ", NULL };
	refused(c, ANNA, "POST", "/api/v1/cases", b, empty_csrf, 403,
		"csrf-token-invalid", NULL);
	char bos[128];
	snprintf(bos, sizeof(bos), "X-CSRF-Token: %s", c->csrf[BO]);
	const char *wrong_csrf[] = { bos, NULL };
	refused(c, ANNA, "POST", "/api/v1/cases", b, wrong_csrf, 403,
		"csrf-token-invalid", NULL);
	/* without the cookie the token is nothing */
	char url[256], mine[128];
	snprintf(url, sizeof(url), "%s/api/v1/cases", c->s.base);
	snprintf(mine, sizeof(mine), "X-CSRF-Token: %s", c->csrf[ANNA]);
	const char *h[] = { "Content-Type: application/json", mine, NULL };
	r = tu_http("POST", url, b, h, NULL);
	expect_problem(&r, 401, "citizen-required", NULL);
	tu_resp_free(&r);
	/* only citizens submit here */
	refused(c, CW_FAM, "POST", "/api/v1/cases", b, NULL, 401, "citizen-required",
		NULL);
	free(b);
	/* someone else's plan */
	int64_t annas = plan_create(c, ANNA, "{\"gift\":\"ja\"}");
	r = submit(c, BO, "skilsmisse", ok_values, annas, "ansoeg", NULL);
	expect_problem(&r, 400, "invalid-field", "plan_id");
	tu_resp_free(&r);
	/* no municipality to send it to */
	r = submit(c, CARL, "boernetilskud", "{\"antal\":1}", 0, NULL, NULL);
	expect_problem(&r, 400, "invalid-field", "municipality");
	tu_resp_free(&r);
	/* not one of them made a case */
	assert_int_equal(x_cases(c), cases);
	/* a CPR number that fails modulus 11: accepted, with a warning */
	r = submit(c, ANNA, "skilsmisse",
		   "{\"navn\":\"Anna\",\"gift\":\"ja\",\"partner_cpr\":\"0707614286\"}",
		   0, NULL, NULL);
	expect_status(&r, 201);
	json_t *w = json_array_get(json_object_get(r.json, "warnings"), 0);
	assert_string_equal(jstr(w, "field"), "partner_cpr");
	assert_non_null(strstr(jstr(w, "message"), "modulus 11"));
	assert_string_equal(jstr(json_object_get(r.json, "data"), "partner_cpr"),
			    "070761-4286");
	assert_true(json_is_false(json_object_get(r.json, "replayed")));
	tu_resp_free(&r);
	assert_int_equal(x_cases(c), cases + 1);
}

static void submit_idempotent(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = submit(c, ANNA, "skilsmisse", ok_values, 0, NULL, "ans-1");
	expect_status(&r, 201);
	int64_t id = jint(r.json, "id");
	assert_true(json_is_false(json_object_get(r.json, "replayed")));
	assert_string_equal(jstr(r.json, "state"), "received");
	assert_string_equal(jstr(r.json, "organisation"), "fam");
	assert_string_equal(jstr(json_object_get(r.json, "data"), "navn"), "Anna Andersen");
	tu_resp_free(&r);
	int64_t cases = x_cases(c);
	/* the same key again: the same case, 200 */
	r = submit(c, ANNA, "skilsmisse", ok_values, 0, NULL, "ans-1");
	expect_status(&r, 200);
	assert_int_equal(jint(r.json, "id"), id);
	assert_true(json_is_true(json_object_get(r.json, "replayed")));
	char loc[128];
	assert_true(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_resp_free(&r);
	assert_int_equal(x_cases(c), cases);
	/* the same values in another order are the same request */
	r = submit(c, ANNA, "skilsmisse", "{\"gift\":\"nej\",\"navn\":\"Anna Andersen\"}",
		   0, NULL, "ans-1");
	expect_status(&r, 200);
	assert_int_equal(jint(r.json, "id"), id);
	tu_resp_free(&r);
	/* the same key with another body is refused (422), not replayed:
	 * the answer names no case and says nothing of the first one */
	r = submit(c, ANNA, "skilsmisse", "{\"navn\":\"Anna Berg\",\"gift\":\"nej\"}",
		   0, NULL, "ans-1");
	expect_problem(&r, 422, "idempotency-key-reused", "Idempotency-Key");
	assert_null(strstr(r.body, "Anna Andersen"));
	assert_false(tu_header(&r, "Location", loc, sizeof(loc)));
	tu_resp_free(&r);
	r = submit(c, ANNA, "boernetilskud", "{\"antal\":2}", 0, NULL, "ans-1");
	expect_problem(&r, 422, "idempotency-key-reused", "Idempotency-Key");
	tu_resp_free(&r);
	assert_int_equal(x_cases(c), cases);
	/* another key: a new case */
	r = submit(c, ANNA, "skilsmisse", ok_values, 0, NULL, "ans-2");
	expect_status(&r, 201);
	assert_int_not_equal(jint(r.json, "id"), id);
	tu_resp_free(&r);
	/* the same key from another citizen: theirs, not Anna's */
	r = submit(c, BO, "skilsmisse", "{\"navn\":\"Bo\",\"gift\":\"nej\"}", 0, NULL,
		   "ans-1");
	expect_status(&r, 201);
	assert_int_not_equal(jint(r.json, "id"), id);
	assert_string_equal(jstr(json_object_get(r.json, "data"), "navn"), "Bo");
	assert_null(strstr(r.body, "Anna"));
	tu_resp_free(&r);
	assert_int_equal(x_cases(c), cases + 2);
	/* a key must be 1 to 200 characters */
	char key[202];
	memset(key, 'k', 201);
	key[201] = 0;
	r = submit(c, ANNA, "skilsmisse", ok_values, 0, NULL, key);
	expect_problem(&r, 400, "invalid-parameter", "Idempotency-Key");
	tu_resp_free(&r);
	assert_int_equal(x_cases(c), cases + 2);
}

/* ---- lists -------------------------------------------------------------- */

static void list_as_citizen(void **state)
{
	struct ctx *c = *state;
	int64_t a = new_case(c, ANNA, "skilsmisse", 0, NULL);
	int64_t b = new_case(c, BO, "skilsmisse", 0, NULL);
	struct tu_resp r = get_ok(c, ANNA, "/api/v1/cases?limit=200");
	assert_true(lists(&r, a));
	assert_false(lists(&r, b));
	assert_int_equal(jint(r.json, "total"),
			 x_cases_of(c, "demo:anna"));
	assert_int_equal(json_array_size(json_object_get(r.json, "items")),
			 jint(r.json, "total"));
	/* a list holds no form data, and the newest comes first */
	json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
	assert_null(json_object_get(first, "data"));
	assert_int_equal(jint(first, "id"), a);
	char cc[64];
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "no-store");
	tu_resp_free(&r);
	r = get_ok(c, BO, "/api/v1/cases?limit=200");
	assert_true(lists(&r, b));
	assert_false(lists(&r, a));
	assert_null(strstr(r.body, "Anna"));
	tu_resp_free(&r);
	/* the public lists nothing */
	refused(c, ANON, "GET", "/api/v1/cases", NULL, NULL, 401, "auth-required", NULL);
}

static void list_as_caseworker(void **state)
{
	struct ctx *c = *state;
	int64_t a = new_case(c, ANNA, "skilsmisse", 0, NULL);
	int64_t b = new_case(c, ANNA, "skilsmisse", 0, NULL);
	int64_t d = new_case(c, BO, "skilsmisse", 0, NULL);
	int64_t m = new_case(c, ANNA, "boernetilskud", 0, NULL); /* at 901 */
	move_ok(c, CW_FAM, b, "in_progress");
	move_ok(c, CW_FAM, d, "in_progress");
	move_ok(c, CW_FAM, d, "granted");
	/* the family agency's queue: its own open cases, nobody else's */
	struct tu_resp r = get_ok(c, CW_FAM, "/api/v1/cases?limit=200");
	assert_true(lists(&r, a));
	assert_true(lists(&r, b));
	assert_false(lists(&r, d)); /* closed */
	assert_false(lists(&r, m)); /* 901's */
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
	{
		assert_string_equal(jstr(it, "organisation"), "fam");
		assert_true(json_is_false(json_object_get(it, "closed")));
	}
	struct hh_case *all;
	size_t n_all = x_all_cases(c, &all);
	int64_t open_at_fam = 0;
	for (size_t k = 0; k < n_all; k++)
		open_at_fam += !strcmp(all[k].org_code, "fam") && !all[k].closed_at;
	assert_int_equal(jint(r.json, "total"), open_at_fam);
	/* by deadline, soonest first */
	int64_t prev = 0;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
	{
		const char *dl = jstr(it, "deadline_at");
		struct tm tm = { 0 };
		assert_non_null(strptime(dl, "%Y-%m-%dT%H:%M:%SZ", &tm));
		int64_t t = (int64_t)timegm(&tm);
		assert_true(t >= prev);
		prev = t;
	}
	tu_resp_free(&r);
	/* open=0 adds the closed ones */
	r = get_ok(c, CW_FAM, "/api/v1/cases?open=0&limit=200");
	assert_true(lists(&r, d));
	tu_resp_free(&r);
	/* the municipality's queue has its case, not the agency's */
	r = get_ok(c, CW_901, "/api/v1/cases?limit=200");
	assert_true(lists(&r, m));
	assert_false(lists(&r, a));
	tu_resp_free(&r);
	/* state */
	r = get_ok(c, CW_FAM, "/api/v1/cases?state=in_progress&limit=200");
	assert_true(lists(&r, b));
	assert_false(lists(&r, a));
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		assert_string_equal(jstr(it, "state"), "in_progress");
	tu_resp_free(&r);
	/* case type */
	r = get_ok(c, CW_901, "/api/v1/cases?case_type=boernetilskud&limit=200");
	assert_true(lists(&r, m));
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		assert_string_equal(jstr(it, "case_type"), "boernetilskud");
	tu_resp_free(&r);
	r = get_ok(c, CW_FAM, "/api/v1/cases?case_type=boernetilskud");
	assert_int_equal(jint(r.json, "total"), 0);
	tu_resp_free(&r);
	r = get_ok(c, CW_FAM, "/api/v1/cases?case_type=findes-ikke");
	assert_int_equal(jint(r.json, "total"), 0);
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
	/* overdue: a's deadline has passed */
	x_set_deadline(c, a, hh_now_us() / 1000000 - 3600);
	r = get_ok(c, CW_FAM, "/api/v1/cases?overdue=1&limit=200");
	assert_true(lists(&r, a));
	assert_false(lists(&r, b));
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		assert_true(json_is_true(json_object_get(it, "overdue")));
	tu_resp_free(&r);
	/* assigned to me */
	struct tu_resp asg = act(c, CW_FAM, b, "assign", "{\"assignee\":\"me\"}",
				 version_of(c, b));
	expect_status(&asg, 200);
	tu_resp_free(&asg);
	r = get_ok(c, CW_FAM, "/api/v1/cases?assigned=me&limit=200");
	assert_true(lists(&r, b));
	assert_false(lists(&r, a));
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		assert_string_equal(jstr(it, "assigned_to"), "Frida Fam");
	tu_resp_free(&r);
	/* newest first */
	r = get_ok(c, CW_FAM, "/api/v1/cases?sort=newest&limit=200");
	prev = INT64_MAX;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
	{
		assert_true(jint(it, "id") < prev);
		prev = jint(it, "id");
	}
	tu_resp_free(&r);
	/* paging */
	r = get_ok(c, CW_FAM, "/api/v1/cases?sort=newest&limit=1&offset=1");
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	assert_int_equal(jint(r.json, "limit"), 1);
	assert_int_equal(jint(r.json, "offset"), 1);
	tu_resp_free(&r);
	refused(c, CW_FAM, "GET", "/api/v1/cases?sort=name", NULL, NULL, 400,
		"invalid-parameter", "sort");
	refused(c, CW_FAM, "GET", "/api/v1/cases?limit=0", NULL, NULL, 400,
		"invalid-parameter", "limit");
	refused(c, CW_FAM, "GET", "/api/v1/cases?limit=201", NULL, NULL, 400,
		"invalid-parameter", "limit");
	/* an editor has no queue */
	refused(c, ED_FAM, "GET", "/api/v1/cases", NULL, NULL, 403, "forbidden", NULL);
}

/* ---- one case ----------------------------------------------------------- */

static void read_one_case(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, ANNA, "skilsmisse", 0, NULL);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	/* the citizen's own */
	struct tu_resp r = get_ok(c, ANNA, path);
	assert_int_equal(jint(r.json, "id"), id);
	assert_int_equal(etag(&r), 1);
	assert_string_equal(jstr(r.json, "state_label"), "Modtaget");
	assert_string_equal(jstr(r.json, "case_type_name"), "Ansøgning om skilsmisse");
	assert_string_equal(jstr(r.json, "organisation_name"), "Familieretshuset");
	assert_string_equal(jstr(json_object_get(r.json, "data"), "navn"), "Anna Andersen");
	json_t *h = json_object_get(r.json, "history");
	assert_int_equal(json_array_size(h), 1);
	assert_string_equal(jstr(json_array_get(h, 0), "action"), "submit");
	assert_string_equal(jstr(json_array_get(h, 0), "actor"), "citizen");
	tu_resp_free(&r);
	/* not another citizen's, and nothing about it */
	refused(c, BO, "GET", path, NULL, NULL, 404, "not-found", NULL);
	/* the agency's caseworker; a caseworker elsewhere sees nothing */
	int64_t audits = x_audits(c, NULL);
	r = get_ok(c, CW_FAM, path);
	assert_string_equal(jstr(r.json, "citizen_name"), "Anna Andersen");
	assert_int_equal(etag(&r), 1);
	/* beside the case, the staff read lists the citizen's other cases at
	 * the agency (casework tools): a second read of her data */
	int others = json_array_size(json_object_get(r.json, "other_cases")) > 0;
	assert_true(others);
	tu_resp_free(&r);
	assert_int_equal(x_audits(c, NULL), audits + 1 + others);
	refused(c, CW_UDK, "GET", path, NULL, NULL, 404, "not-found", NULL);
	refused(c, CW_901, "GET", path, NULL, NULL, 404, "not-found", NULL);
	refused(c, ED_FAM, "GET", path, NULL, NULL, 403, "forbidden", NULL);
	refused(c, ANON, "GET", path, NULL, NULL, 401, "auth-required", NULL);
	/* the refused reads left no trace in the audit log */
	assert_int_equal(x_audits(c, NULL), audits + 1 + others);
	refused(c, ANNA, "GET", "/api/v1/cases/0", NULL, NULL, 404, "not-found", NULL);
	refused(c, ANNA, "GET", "/api/v1/cases/x1", NULL, NULL, 404, "not-found", NULL);
	refused(c, CW_FAM, "GET", "/api/v1/cases/99999999", NULL, NULL, 404,
		"not-found", NULL);
	/* internal notes: for staff only */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/notes", (long long)id);
	r = call(c, CW_FAM, "POST", path, "{\"text\":\"Intern: ring til advokaten\"}",
		 NULL);
	expect_status(&r, 204);
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	r = get_ok(c, CW_FAM, path);
	h = json_object_get(r.json, "history");
	assert_int_equal(json_array_size(h), 2);
	assert_string_equal(jstr(json_array_get(h, 1), "action"), "note");
	assert_string_equal(jstr(json_array_get(h, 1), "note"),
			    "Intern: ring til advokaten");
	assert_int_equal(etag(&r), 1); /* a note is not a new version */
	tu_resp_free(&r);
	r = get_ok(c, ANNA, path);
	h = json_object_get(r.json, "history");
	assert_int_equal(json_array_size(h), 1);
	assert_null(strstr(r.body, "advokaten"));
	tu_resp_free(&r);
}

/* ---- transitions -------------------------------------------------------- */

static void transitions(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, ANNA, "skilsmisse", 0, NULL);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/transition", (long long)id);
	/* If-Match */
	struct tu_resp r = act(c, CW_FAM, id, "transition",
			       "{\"to\":\"in_progress\",\"note\":\"Start\"}", 1);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "state"), "in_progress");
	assert_int_equal(jint(r.json, "version"), 2);
	assert_int_equal(etag(&r), 2);
	char fu[16];
	assert_true(tu_header(&r, "X-Followups", fu, sizeof(fu)));
	assert_string_equal(fu, "0");
	tu_resp_free(&r);
	int64_t events = tu_event_count(c->s.store);
	/* the same version again: stale, nothing written */
	r = act(c, CW_FAM, id, "transition", "{\"to\":\"granted\"}", 1);
	expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);
	refused(c, CW_FAM, "POST", path, "{\"to\":\"granted\",\"version\":1}", NULL, 412,
		"stale-version", "version");
	/* no version */
	refused(c, CW_FAM, "POST", path, "{\"to\":\"granted\"}", NULL, 428,
		"version-required", "version");
	/* If-Match and body disagree, or If-Match is no ETag */
	const char *im2[] = { "If-Match: \"2\"", NULL };
	refused(c, CW_FAM, "POST", path, "{\"to\":\"granted\",\"version\":3}", im2, 400,
		"invalid-field", "version");
	const char *bad_im[] = { "If-Match: abc", NULL };
	refused(c, CW_FAM, "POST", path, "{\"to\":\"granted\"}", bad_im, 400,
		"invalid-parameter", "If-Match");
	/* not a move the case type has */
	r = act(c, CW_FAM, id, "transition", "{\"to\":\"reflection\"}", 2);
	expect_problem(&r, 409, "transition-not-allowed", NULL);
	tu_resp_free(&r);
	r = act(c, CW_FAM, id, "transition", "{\"to\":\"nowhere\"}", 2);
	expect_problem(&r, 409, "transition-not-allowed", NULL);
	tu_resp_free(&r);
	/* a move for another role */
	r = act(c, CW_FAM, id, "transition", "{\"to\":\"received\"}", 2);
	expect_problem(&r, 403, "forbidden", NULL);
	tu_resp_free(&r);
	/* the body */
	refused(c, CW_FAM, "POST", path, "{\"to\":\"granted\",\"version\":2,\"x\":1}",
		NULL, 400, "unknown-field", "x");
	refused(c, CW_FAM, "POST", path, "{\"version\":2}", NULL, 400, "missing-field",
		"to");
	const char *no_csrf[] = { "X-CSRF-Token: nej", NULL };
	refused(c, CW_FAM, "POST", path, "{\"to\":\"granted\",\"version\":2}", no_csrf,
		403, "csrf-token-invalid", NULL);
	/* nobody else's */
	refused(c, CW_UDK, "POST", path, "{\"to\":\"granted\",\"version\":2}", NULL, 404,
		"not-found", NULL);
	refused(c, CW_901, "POST", path, "{\"to\":\"granted\",\"version\":2}", NULL, 404,
		"not-found", NULL);
	refused(c, ANNA, "POST", path, "{\"to\":\"granted\",\"version\":2}", NULL, 404,
		"not-found", NULL);
	refused(c, ED_FAM, "POST", path, "{\"to\":\"granted\",\"version\":2}", NULL, 403,
		"forbidden", NULL);
	refused(c, ANON, "POST", path, "{\"to\":\"granted\",\"version\":2}", NULL, 401,
		"auth-required", NULL);
	refused(c, CW_FAM, "POST", "/api/v1/cases/99999999/transition",
		"{\"to\":\"granted\",\"version\":2}", NULL, 404, "not-found", NULL);
	assert_int_equal(tu_event_count(c->s.store), events);
	assert_int_equal(version_of(c, id), 2);
	/* the version in the body works as well as If-Match */
	r = call(c, CW_FAM, "POST", path, "{\"to\":\"granted\",\"version\":2}", NULL);
	expect_status(&r, 200);
	assert_true(json_is_true(json_object_get(r.json, "closed")));
	assert_non_null(json_object_get(r.json, "closed_at"));
	assert_int_equal(etag(&r), 3);
	tu_resp_free(&r);
	/* closed is closed */
	r = act(c, CW_FAM, id, "transition", "{\"to\":\"in_progress\"}", 3);
	expect_problem(&r, 409, "transition-not-allowed", NULL);
	tu_resp_free(&r);
	/* the citizen sees the history with the states, not who */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	r = get_ok(c, ANNA, path);
	json_t *h = json_object_get(r.json, "history");
	assert_int_equal(json_array_size(h), 3);
	assert_string_equal(jstr(json_array_get(h, 1), "state"), "in_progress");
	assert_string_equal(jstr(json_array_get(h, 1), "actor"), "staff");
	/* a transition's note is written to the citizen (unlike a note) */
	assert_string_equal(jstr(json_array_get(h, 1), "note"), "Start");
	assert_string_equal(jstr(json_array_get(h, 2), "state"), "granted");
	assert_null(strstr(r.body, "user:"));
	tu_resp_free(&r);
}

static void requests_and_answers(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, ANNA, "skilsmisse", 0, NULL);
	move_ok(c, CW_FAM, id, "in_progress");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/requests", (long long)id);
	/* needs a version */
	refused(c, CW_FAM, "POST", path, "{\"question\":\"Attest?\"}", NULL, 428,
		"version-required", "version");
	refused(c, CW_UDK, "POST", path, "{\"question\":\"Attest?\",\"version\":2}",
		NULL, 404, "not-found", NULL);
	refused(c, ANNA, "POST", path, "{\"question\":\"Attest?\",\"version\":2}", NULL,
		404, "not-found", NULL);
	refused(c, ED_FAM, "POST", path, "{\"question\":\"Attest?\",\"version\":2}",
		NULL, 403, "forbidden", NULL);
	struct tu_resp r = act(c, CW_FAM, id, "requests",
			       "{\"question\":\"Send vielsesattesten\"}", 2);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "state"), "awaiting_citizen");
	assert_true(json_is_true(json_object_get(r.json, "paused")));
	assert_int_equal(etag(&r), 3);
	tu_resp_free(&r);
	/* the citizen sees the question */
	char cpath[128];
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld", (long long)id);
	r = get_ok(c, ANNA, cpath);
	assert_string_equal(jstr(r.json, "state_label"), "Afventer dig");
	json_t *h = json_object_get(r.json, "history");
	assert_string_equal(jstr(json_array_get(h, json_array_size(h) - 1), "question"),
			    "Send vielsesattesten");
	tu_resp_free(&r);
	/* a second request while waiting */
	r = act(c, CW_FAM, id, "requests", "{\"question\":\"Og?\"}", 3);
	expect_problem(&r, 409, "transition-not-allowed", NULL);
	tu_resp_free(&r);
	/* only the citizen answers, with the CSRF token */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/answers", (long long)id);
	refused(c, BO, "POST", path, "{\"answer\":\"Her\"}", NULL, 404, "not-found", NULL);
	refused(c, CW_FAM, "POST", path, "{\"answer\":\"Her\"}", NULL, 401,
		"citizen-required", NULL);
	const char *no_csrf[] = { "X-CSRF-Token: x", NULL };
	refused(c, ANNA, "POST", path, "{\"answer\":\"Her\"}", no_csrf, 403,
		"csrf-token-invalid", NULL);
	refused(c, ANNA, "POST", path, "{}", NULL, 400, "missing-field", "answer");
	refused(c, ANNA, "POST", path, "{\"answer\":\"Her\",\"version\":3}", NULL, 400,
		"unknown-field", "version");
	assert_int_equal(version_of(c, id), 3);
	r = call(c, ANNA, "POST", path, "{\"answer\":\"Attesten er vedhæftet\"}", NULL);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "state"), "in_progress");
	assert_true(json_is_false(json_object_get(r.json, "paused")));
	assert_int_equal(etag(&r), 4);
	tu_resp_free(&r);
	/* nothing more to answer */
	r = call(c, ANNA, "POST", path, "{\"answer\":\"Igen\"}", NULL);
	expect_problem(&r, 409, "transition-not-allowed", NULL);
	tu_resp_free(&r);
	/* the caseworker reads the answer */
	r = get_ok(c, CW_FAM, cpath);
	h = json_object_get(r.json, "history");
	json_t *last = json_array_get(h, json_array_size(h) - 1);
	assert_string_equal(jstr(last, "action"), "answer");
	assert_string_equal(jstr(last, "actor"), "citizen");
	assert_string_equal(jstr(last, "answer"), "Attesten er vedhæftet");
	tu_resp_free(&r);
}

static void notes_and_assignment(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, ANNA, "skilsmisse", 0, NULL);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/notes", (long long)id);
	refused(c, CW_FAM, "POST", path, "{}", NULL, 400, "missing-field", "text");
	refused(c, CW_UDK, "POST", path, "{\"text\":\"x\"}", NULL, 404, "not-found", NULL);
	refused(c, ANNA, "POST", path, "{\"text\":\"x\"}", NULL, 404, "not-found", NULL);
	refused(c, ED_FAM, "POST", path, "{\"text\":\"x\"}", NULL, 403, "forbidden", NULL);
	assert_int_equal(tu_case_events(c->s.store, x_arena(c), id, "note", NULL,
					NULL),
			 0);
	/* assign to me, then to nobody */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/assign", (long long)id);
	refused(c, CW_FAM, "POST", path, "{\"assignee\":\"me\"}", NULL, 428,
		"version-required", "version");
	refused(c, CW_FAM, "POST", path, "{\"assignee\":\"Frida\",\"version\":1}", NULL,
		400, "invalid-field", "assignee");
	refused(c, CW_UDK, "POST", path, "{\"assignee\":\"me\",\"version\":1}", NULL,
		404, "not-found", NULL);
	refused(c, ANNA, "POST", path, "{\"assignee\":\"me\",\"version\":1}", NULL, 404,
		"not-found", NULL);
	struct tu_resp r = act(c, CW_FAM, id, "assign", "{\"assignee\":\"me\"}", 1);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "assigned_to"), "Frida Fam");
	assert_int_equal(etag(&r), 2);
	tu_resp_free(&r);
	assert_int_equal(x_case(c, id).assigned_to, c->user_id[CW_FAM]);
	r = act(c, CW_FAM, id, "assign", "{\"assignee\":\"nobody\"}", 1);
	expect_problem(&r, 412, "stale-version", "version");
	tu_resp_free(&r);
	r = act(c, CW_FAM, id, "assign", "{\"assignee\":\"nobody\"}", 2);
	expect_status(&r, 200);
	assert_true(json_is_null(json_object_get(r.json, "assigned_to")));
	tu_resp_free(&r);
	assert_int_equal(x_case(c, id).assigned_to, 0); /* nobody */
}

/* ---- the overview, follow-ups and the audit trail ----------------------- */

static void overview_with_followups(void **state)
{
	struct ctx *c = *state;
	int64_t plan = plan_create(c, ANNA,
				   "{\"gift\":\"ja\",\"boern\":\"ja\",\"bolig\":\"ejer\"}");
	/* the follow-ups read the case's own answers */
	struct tu_resp sr = submit(c, ANNA, "skilsmisse",
				   "{\"navn\":\"Anna Andersen\",\"gift\":\"nej\","
				   "\"boern\":\"ja\",\"bolig\":\"ejer\"}",
				   plan, "ansoeg", NULL);
	expect_status(&sr, 201);
	int64_t id = jint(sr.json, "id");
	tu_resp_free(&sr);
	int64_t tilskud = new_case(c, ANNA, "boernetilskud", plan, "tilskud");
	move_ok(c, CW_FAM, id, "in_progress");
	struct tu_resp r = act(c, CW_FAM, id, "transition", "{\"to\":\"granted\"}", 2);
	expect_status(&r, 200);
	char fu[16];
	assert_true(tu_header(&r, "X-Followups", fu, sizeof(fu)));
	assert_string_equal(fu, "2");
	tu_resp_free(&r);
	int64_t at_udk = x_followup_at(c, id, "udk");
	int64_t at_901 = x_followup_at(c, id, "901");
	/* Anna's overview: the plan with its steps and follow-ups, and all
	 * her cases at every authority */
	r = get_ok(c, ANNA, "/api/v1/overview");
	assert_string_equal(jstr(r.json, "name"), "Anna Andersen");
	json_t *pl = NULL, *it;
	size_t i;
	json_array_foreach(json_object_get(r.json, "plans"), i, it) if (jint(it, "id") ==
									plan) pl = it;
	assert_non_null(pl);
	json_t *steps = json_object_get(pl, "steps");
	assert_int_equal(json_array_size(steps), 3);
	assert_string_equal(jstr(json_array_get(steps, 0), "state"), "done");
	assert_string_equal(jstr(json_array_get(steps, 1), "state"), "submitted");
	assert_string_equal(jstr(json_array_get(steps, 2), "state"), "info");
	json_t *fus = json_object_get(pl, "followups");
	assert_int_equal(json_array_size(fus), 2);
	int seen_udk = 0, seen_901 = 0;
	json_array_foreach(fus, i, it)
	{
		assert_int_equal(jint(it, "parent_case_id"), id);
		if (!strcmp(jstr(it, "organisation"), "udk")) {
			seen_udk = 1;
			assert_string_equal(jstr(it, "organisation_name"),
					    "Udbetaling Danmark");
			assert_string_equal(jstr(it, "case_type"), "revurdering");
		}
		if (!strcmp(jstr(it, "organisation"), "901"))
			seen_901 = 1;
	}
	assert_true(seen_udk && seen_901);
	json_t *cases = json_object_get(r.json, "cases");
	int found[4] = { 0 };
	int64_t want[4] = { id, tilskud, at_udk, at_901 };
	json_array_foreach(cases, i, it) for (int k = 0; k < 4; k++) if (jint(it, "id") ==
									  want[k])
		found[k] = 1;
	for (int k = 0; k < 4; k++)
		assert_true(found[k]);
	assert_int_equal(json_array_size(cases),
			 x_cases_of(c, "demo:anna"));
	char cc[64];
	assert_true(tu_header(&r, "Cache-Control", cc, sizeof(cc)));
	assert_string_equal(cc, "no-store");
	tu_resp_free(&r);
	/* the follow-up is the citizen's to read, like any of her cases */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)at_udk);
	r = get_ok(c, ANNA, path);
	assert_int_equal(jint(r.json, "parent_case_id"), id);
	tu_resp_free(&r);
	/* and in the agency's queue, not the family agency's */
	r = get_ok(c, CW_UDK, "/api/v1/cases?limit=200");
	assert_true(lists(&r, at_udk));
	assert_false(lists(&r, at_901));
	tu_resp_free(&r);
	r = get_ok(c, CW_FAM, "/api/v1/cases?open=0&limit=200");
	assert_false(lists(&r, at_udk));
	tu_resp_free(&r);
	r = get_ok(c, CW_UDK, path);
	tu_resp_free(&r);
	refused(c, CW_FAM, "GET", path, NULL, NULL, 404, "not-found", NULL);
	/* Bo's overview has none of it */
	r = get_ok(c, BO, "/api/v1/overview");
	assert_null(strstr(r.body, "Anna"));
	json_array_foreach(json_object_get(r.json, "plans"), i, it)
		assert_int_not_equal(jint(it, "id"), plan);
	json_array_foreach(json_object_get(r.json, "cases"), i, it)
		for (int k = 0; k < 4; k++)
			assert_int_not_equal(jint(it, "id"), want[k]);
	tu_resp_free(&r);
}

/* A reflection period as a timed wait: the move waits three calendar
 * months from when the case entered it; the API says when, the
 * caseworker's page disables the move and names the date, the citizen
 * sees when the wait ends and is not asked for anything. */
/* Sets the clock to t (0: the real one) and signs everyone in again
 * (sessions expire by that clock). */
static void clock_to(struct ctx *c, int64_t t)
{
	hh_clock_set_us(t * 1000000);
	for (int i = 0; i < 4; i++)
		tu_login(&c->s, staff_emails[i], c->cookie[i], sizeof(c->cookie[i]),
			 c->csrf[i], sizeof(c->csrf[i]));
	for (int who = ANNA; who <= CARL; who++)
		citizen_login(c, who);
}

static void timed_waits(void **state)
{
	struct ctx *c = *state;
	int64_t t0;
	assert_true(hh_iso8601_parse("2027-01-31T10:00", &t0));
	clock_to(c, t0);
	int64_t id = new_case(c, ANNA, "skilsmisse", 0, NULL);
	move_ok(c, CW_FAM, id, "reflection");
	/* a month later: not yet */
	clock_to(c, t0 + 31 * 86400);
	struct tu_resp r = act(c, CW_FAM, id, "transition", "{\"to\":\"in_progress\"}", 2);
	expect_problem(&r, 409, "transition-not-yet", "to");
	assert_string_equal(jstr(r.json, "opens_at"), "2027-04-30T10:00:00+02:00");
	tu_resp_free(&r);
	assert_int_equal(version_of(c, id), 2); /* nothing written */
	char path[128];
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld", (long long)id);
	r = call(c, CW_FAM, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "value=\"in_progress\" disabled>Refleksionsperioden er slut"
			     "</button> <span class=\"hint wait\">Refleksionsperioden "
			     "slutter 30. april 2027 kl. 10.00</span>");
	tu_resp_free(&r);
	/* the page's own door says it in Danish, and writes nothing */
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld/overgang", (long long)id);
	char form[256];
	snprintf(form, sizeof(form), "csrf=%s&version=2&til=in_progress", c->csrf[CW_FAM]);
	const char *urlenc[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	r = tu_call(c->s.base, c->cookie[CW_FAM], NULL, "POST", path, form, urlenc);
	expect_status(&r, 409);
	tu_expect_in(r.body, "Sagen kan ikke flyttes endnu. Refleksionsperioden slutter "
			     "30. april 2027 kl. 10.00, og først derefter kan sagen gå videre.");
	tu_resp_free(&r);
	assert_int_equal(version_of(c, id), 2);
	/* the citizen: when the wait ends, and nothing asked of her */
	r = get_ok(c, ANNA, "/api/v1/overview");
	json_t *it, *mine = NULL;
	size_t i;
	json_array_foreach(json_object_get(r.json, "cases"), i, it) if (jint(it, "id") == id)
		mine = it;
	assert_non_null(mine);
	assert_string_equal(jstr(mine, "wait_label"), "Refleksionsperioden slutter");
	assert_non_null(jstr(mine, "wait_ends_at"));
	int64_t ends;
	assert_true(hh_iso8601_parse(jstr(mine, "wait_ends_at"), &ends));
	assert_int_equal(ends, t0 + 89 * 86400 - 3600); /* 30 April 10:00 CEST */
	tu_resp_free(&r);
	snprintf(path, sizeof(path), "/mit-overblik/sag/%lld", (long long)id);
	r = call(c, ANNA, "GET", path, NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "<dt>Venteperiode</dt><dd>Refleksionsperioden slutter "
			     "30. april 2027</dd>");
	tu_expect_in(r.body, "Sagen venter, til venteperioden er slut.");
	assert_null(strstr(r.body, "Vi mangler oplysninger fra dig"));
	tu_resp_free(&r);
	/* from 30 April 10:00 Danish time the move is open */
	clock_to(c, ends);
	move_ok(c, CW_FAM, id, "in_progress");
	clock_to(c, 0);
}

static void audit_trail(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, CARL, "skilsmisse", 0, NULL);
	/* nobody has looked yet */
	struct tu_resp r = get_ok(c, CARL, "/api/v1/audit");
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
	tu_resp_free(&r);
	/* the caseworker reads the case; the citizen sees who, what and why */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	r = get_ok(c, CW_FAM, path);
	tu_resp_free(&r);
	/* the citizen reading their own case is not an entry */
	r = get_ok(c, CARL, path);
	tu_resp_free(&r);
	r = get_ok(c, CARL, "/api/v1/audit");
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 1);
	json_t *e = json_array_get(items, 0);
	char who[32], what[32];
	snprintf(who, sizeof(who), "user:%lld", (long long)c->user_id[CW_FAM]);
	snprintf(what, sizeof(what), "sag %lld", (long long)id);
	assert_string_equal(jstr(e, "who"), who);
	assert_string_equal(jstr(e, "what"), what);
	assert_string_equal(jstr(e, "why"), "sagsbehandling");
	assert_non_null(strptime(jstr(e, "at"), "%Y-%m-%dT%H:%M:%SZ",
				 &(struct tm){ 0 }));
	tu_resp_free(&r);
	/* refused reads are not entries */
	refused(c, CW_UDK, "GET", path, NULL, NULL, 404, "not-found", NULL);
	r = get_ok(c, CARL, "/api/v1/audit");
	assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
	tu_resp_free(&r);
	/* it is the citizen's own trail */
	size_t i_;
	json_t *e_;
	r = get_ok(c, BO, "/api/v1/audit");
	json_array_foreach(json_object_get(r.json, "items"), i_, e_)
		assert_string_not_equal(jstr(e_, "what"), what);
	tu_resp_free(&r);
	refused(c, CW_FAM, "GET", "/api/v1/audit", NULL, NULL, 401, "citizen-required",
		NULL);
	refused(c, ANON, "GET", "/api/v1/audit", NULL, NULL, 401, "citizen-required",
		NULL);
}

/* A read of a citizen's case by an IT system (an API token) names the
 * system, its organisation and its role in the citizen's trail, on both
 * doors; never the opaque "token:N" alone. */
static void audit_names_it_systems(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, CARL, "skilsmisse", 0, NULL);
	char tok[HH_TOKEN_CHARS], auth[100], path[128];
	assert_int_equal(hh_auth_token_add(c->s.store, "fam", "Fagsystem Familieret",
					   HH_ROLE_CASEWORKER, "test", tok),
			 HH_OK);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tok);
	const char *h[] = { auth, NULL };
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	struct tu_resp r = call(c, ANON, "GET", path, NULL, h);
	expect_status(&r, 200);
	tu_resp_free(&r);
	r = get_ok(c, CARL, "/api/v1/audit");
	json_t *e = json_array_get(json_object_get(r.json, "items"), 0);
	assert_int_equal(strncmp(jstr(e, "who"), "token:", 6), 0);
	assert_string_equal(jstr(e, "kind"), "it-system");
	assert_string_equal(jstr(e, "name"), "Fagsystem Familieret");
	assert_string_equal(jstr(e, "organisation"), "Familieretshuset");
	assert_string_equal(jstr(e, "role"), "sagsbehandler");
	tu_resp_free(&r);
	/* a person reading: named with organisation and role too */
	r = get_ok(c, CW_FAM, path);
	tu_resp_free(&r);
	r = get_ok(c, CARL, "/api/v1/audit");
	e = json_array_get(json_object_get(r.json, "items"), 0);
	assert_string_equal(jstr(e, "kind"), "staff");
	assert_string_equal(jstr(e, "organisation"), "Familieretshuset");
	assert_string_equal(jstr(e, "role"), "sagsbehandler");
	tu_resp_free(&r);
	/* the page */
	r = call(c, CARL, "GET", "/mit-overblik/indsigt", NULL, NULL);
	expect_status(&r, 200);
	tu_expect_in(r.body, "It-systemet »Fagsystem Familieret« hos Familieretshuset "
			     "(rolle: sagsbehandler)");
	tu_expect_not_in(r.body, "token:");
	tu_expect_not_in(r.body, "Et it-system hos en myndighed");
	tu_resp_free(&r);
}

/* A caseworker's queue shows citizens' names: each listing is one audit
 * event naming who listed which queue, and the cases and citizens it
 * showed; a citizen's list of their own cases is not one. */
static void queue_listing_is_audited(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, ANNA, "skilsmisse", 0, NULL);
	int64_t fam = x_case(c, id).org_id;
	int64_t anna = x_case(c, id).citizen_id;
	struct hh_event *ev;
	size_t before = tu_events(c->s.store, x_arena(c), "case-queue", fam, &ev);
	struct tu_resp r = get_ok(c, CW_FAM, "/api/v1/cases?limit=200&state=received");
	tu_resp_free(&r);
	size_t n = tu_events(c->s.store, x_arena(c), "case-queue", fam, &ev);
	assert_int_equal(n, before + 1);
	const struct hh_event *last = &ev[n - 1];
	char who[32];
	snprintf(who, sizeof(who), "user:%lld", (long long)c->user_id[CW_FAM]);
	assert_string_equal(last->actor, who);
	assert_string_equal(last->action, "list");
	assert_int_equal(last->org_id, fam);
	json_t *after = json_loads(last->after, 0, NULL);
	assert_non_null(after);
	json_t *queue = json_object_get(after, "queue");
	assert_string_equal(jstr(queue, "state"), "received");
	assert_int_equal(jint(queue, "limit"), 200);
	size_t i;
	json_t *v;
	int has_case = 0, has_anna = 0;
	json_array_foreach(json_object_get(after, "cases"), i, v)
		has_case |= json_integer_value(v) == id;
	json_array_foreach(json_object_get(after, "citizens"), i, v)
		has_anna |= json_integer_value(v) == anna;
	assert_true(has_case);
	assert_true(has_anna);
	json_decref(after);
	/* the caseworker's page is audited the same way */
	r = call(c, CW_FAM, "GET", "/sagsbehandling", NULL, NULL);
	expect_status(&r, 200);
	tu_resp_free(&r);
	assert_int_equal(tu_events(c->s.store, x_arena(c), "case-queue", fam, &ev),
			 before + 2);
	/* a citizen's own list is not an audited read of others */
	size_t all = tu_event_count(c->s.store);
	r = get_ok(c, ANNA, "/api/v1/cases");
	tu_resp_free(&r);
	assert_int_equal(tu_event_count(c->s.store), all);
}

/* Every case endpoint, called by someone the case does not belong to:
 * a refusal as documented, and never the case's data. */
static void wrong_people_get_nothing(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, ANNA, "skilsmisse", 0, NULL);
	int64_t plan = plan_create(c, ANNA, "{\"gift\":\"ja\"}");
	int64_t v = version_of(c, id);
	int64_t events = tu_event_count(c->s.store);
	static const struct {
		const char *method, *what, *body;
	} eps[] = {
		{ "GET", "", NULL },
		{ "POST", "/transition", "{\"to\":\"in_progress\",\"version\":1}" },
		{ "POST", "/assign", "{\"assignee\":\"nobody\",\"version\":1}" },
		{ "POST", "/notes", "{\"text\":\"x\"}" },
		{ "POST", "/requests", "{\"question\":\"x\",\"version\":1}" },
		{ "POST", "/answers", "{\"answer\":\"x\"}" },
	};
	static const struct {
		int who;
		long status[6];
		const char *code[6];
	} people[] = {
		/* another citizen: 404 everywhere */
		{ BO, { 404, 404, 404, 404, 404, 404 },
		  { "not-found", "not-found", "not-found", "not-found", "not-found",
		    "not-found" } },
		/* a caseworker of another organisation: 404, and answers are
		 * for citizens */
		{ CW_901, { 404, 404, 404, 404, 404, 401 },
		  { "not-found", "not-found", "not-found", "not-found", "not-found",
		    "citizen-required" } },
		{ CW_UDK, { 404, 404, 404, 404, 404, 401 },
		  { "not-found", "not-found", "not-found", "not-found", "not-found",
		    "citizen-required" } },
		/* the right organisation, the wrong role */
		{ ED_FAM, { 403, 403, 403, 403, 403, 401 },
		  { "forbidden", "forbidden", "forbidden", "forbidden", "forbidden",
		    "citizen-required" } },
		{ ANON, { 401, 401, 401, 401, 401, 401 },
		  { "auth-required", "auth-required", "auth-required",
		    "auth-required", "auth-required", "citizen-required" } },
	};
	for (size_t p = 0; p < sizeof(people) / sizeof(people[0]); p++) {
		for (size_t e = 0; e < sizeof(eps) / sizeof(eps[0]); e++) {
			char path[128];
			snprintf(path, sizeof(path), "/api/v1/cases/%lld%s", (long long)id,
				 eps[e].what);
			refused(c, people[p].who, eps[e].method, path, eps[e].body, NULL,
				people[p].status[e], people[p].code[e], NULL);
		}
	}
	/* the plan, for everyone but Anna */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/plans/%lld", (long long)plan);
	refused(c, BO, "GET", path, NULL, NULL, 404, "not-found", NULL);
	refused(c, CARL, "GET", path, NULL, NULL, 404, "not-found", NULL);
	refused(c, CW_FAM, "GET", path, NULL, NULL, 401, "citizen-required", NULL);
	/* nothing of that changed anything */
	assert_int_equal(tu_event_count(c->s.store), events);
	/* lists: present for the owner and the right queue only; the staff
	 * listings write only their audit events (case-queue, one each at
	 * most: see queue_listing_is_audited) */
	struct hh_org o901, oudk;
	assert_int_equal(hh_org_by_code(c->s.store, &c->a, "901", &o901), HH_OK);
	assert_int_equal(hh_org_by_code(c->s.store, &c->a, "udk", &oudk), HH_OK);
	struct hh_event *ev;
	size_t audits = tu_events(c->s.store, &c->a, "case-queue", o901.id, &ev) +
			tu_events(c->s.store, &c->a, "case-queue", oudk.id, &ev);
	static const int listers[] = { BO, CARL, CW_901, CW_UDK };
	for (size_t i = 0; i < sizeof(listers) / sizeof(listers[0]); i++) {
		struct tu_resp r = get_ok(c, listers[i], "/api/v1/cases?open=0&limit=200");
		assert_false(lists(&r, id));
		assert_null(strstr(r.body, "Anna Andersen"));
		tu_resp_free(&r);
	}
	size_t audits_after =
		tu_events(c->s.store, &c->a, "case-queue", o901.id, &ev) +
		tu_events(c->s.store, &c->a, "case-queue", oudk.id, &ev);
	assert_true(audits_after - audits <= 2);
	/* nothing of that changed anything */
	assert_int_equal(version_of(c, id), v);
	assert_int_equal(tu_event_count(c->s.store),
			 events + (int64_t)(audits_after - audits));
	assert_int_equal(x_audits(c, hh_arena_printf(&c->a, "sag %lld",
						     (long long)id)),
			 0);
}

/* Case types: citizens and the public see those open to them. */
static void case_types(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = get_ok(c, ANON, "/api/v1/case-types");
	assert_non_null(strstr(r.body, "\"skilsmisse\""));
	assert_null(strstr(r.body, "\"revurdering\""));
	tu_resp_free(&r);
	r = get_ok(c, CW_FAM, "/api/v1/case-types");
	assert_non_null(strstr(r.body, "\"revurdering\""));
	tu_resp_free(&r);
	r = get_ok(c, ANNA, "/api/v1/case-types/skilsmisse");
	assert_string_equal(jstr(r.json, "deadline"), "P30D");
	assert_int_equal(json_array_size(json_object_get(json_object_get(r.json, "form"),
							 "fields")),
			 12);
	tu_resp_free(&r);
	refused(c, ANNA, "GET", "/api/v1/case-types/revurdering", NULL, NULL, 404,
		"not-found", NULL);
	refused(c, ANON, "GET", "/api/v1/case-types/findes-ikke", NULL, NULL, 404,
		"not-found", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(citizen_demo_sign_in),
		cmocka_unit_test(plans),
		cmocka_unit_test(submit_errors),
		cmocka_unit_test(submit_idempotent),
		cmocka_unit_test(list_as_citizen),
		cmocka_unit_test(list_as_caseworker),
		cmocka_unit_test(read_one_case),
		cmocka_unit_test(transitions),
		cmocka_unit_test(requests_and_answers),
		cmocka_unit_test(notes_and_assignment),
		cmocka_unit_test(overview_with_followups),
		cmocka_unit_test(timed_waits),
		cmocka_unit_test(audit_trail),
		cmocka_unit_test(audit_names_it_systems),
		cmocka_unit_test(queue_listing_is_audited),
		cmocka_unit_test(wrong_people_get_nothing),
		cmocka_unit_test(case_types),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests_name("api/cases", tests, setup, teardown);
	curl_global_cleanup();
	return rc;
}
