/* test_casetools_api.c - the caseworker's tools over HTTP: journal numbers
 * in the JSON, assignment to a colleague or a team, uploaded files as
 * downloads (headers, audit, 404s), finding a case, the stage filter, the
 * citizen's other cases and a follow-up's origin, through the API and the
 * staff pages.
 *
 * One server serves the whole group; its content is written here. */
#include "testutil.h"

#include "core/dktime.h"
#include "domain/orgs.h"

enum { CW_FAM, CW2_FAM, CW_UDK, ED_FAM, N_STAFF, ANNA = N_STAFF, BO, N_WHO,
       ANON = -1 };

static const char *const staff_emails[] = { "cw@fam", "cw2@fam", "cw@udk",
					    "editor@fam" };
static const char *const subjects[] = { "demo:anna", "demo:bo" };

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\"},"
	" {\"code\":\"udk\",\"name\":\"Udbetaling Danmark\",\"kind\":\"agency\"}]";

static const char *const users_json =
	"[{\"email\":\"cw@fam\",\"name\":\"Frida Fam\",\"organisation\":\"fam\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"cw2@fam\",\"name\":\"Jonas Krogh\",\"organisation\":\"fam\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"cw@udk\",\"name\":\"Ulrik Udk\",\"organisation\":\"udk\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"},"
	" {\"email\":\"editor@fam\",\"name\":\"Erna Editor\",\"organisation\":\"fam\","
	"  \"roles\":[\"editor\"],\"password\":\"password-1\"}]";

static const char *const citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"},"
	" {\"id\":\"bo\",\"name\":\"Bo Berg\",\"cpr\":\"010190-1234\","
	"  \"municipality\":\"901\"}]";

static const char *const ct_skilsmisse =
	"{\"name\":\"Ansøgning om skilsmisse\",\"organisation\":\"fam\","
	" \"kle\":\"16.10.00\",\"facet\":\"G02\",\"deadline\":\"P30D\","
	" \"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true}],"
	" \"transitions\":["
	"  {\"from\":\"received\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"awaiting_citizen\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"granted\",\"role\":\"caseworker\"}],"
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":["
	"  {\"name\":\"navn\",\"label\":\"Navn\",\"type\":\"text\",\"required\":true},"
	"  {\"name\":\"boern\",\"label\":\"Børn?\",\"type\":\"yesno\"},"
	"  {\"name\":\"bilag\",\"label\":\"Bilag\",\"type\":\"file\","
	"   \"max_bytes\":1024,\"accept\":[\"application/pdf\"]}]},"
	" \"followups\":[{\"state\":\"granted\",\"case_type\":\"revurdering\","
	"   \"organisation\":\"udk\",\"when\":{\"field\":\"boern\",\"equals\":\"ja\"}}]}";

static const char *const ct_revurdering =
	"{\"name\":\"Revurdering af børnetilskud\",\"organisation\":\"udk\","
	" \"kle\":\"27.30.00\",\"deadline\":\"P3M\",\"public\":false,"
	" \"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"done\",\"label\":\"Afgjort\",\"final\":true}],"
	" \"transitions\":[{\"from\":\"received\",\"to\":\"done\"}]}";

struct ctx {
	struct tu_server s;
	struct hh_arena a;
	char cookie[N_WHO][160];
	char csrf[N_WHO][64];
	int64_t user_id[N_STAFF];
	int yy;
};

static void put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

static struct tu_resp call(struct ctx *c, int who, const char *method,
			   const char *path, const char *body,
			   const char *const *extra)
{
	return tu_call(c->s.base, who >= 0 ? c->cookie[who] : NULL,
		       who >= 0 ? c->csrf[who] : NULL, method, path, body, extra);
}

static void expect_status(const struct tu_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status,
			r->body);
	assert_int_equal(r->status, status);
}

static const char *jstr(const json_t *j, const char *key)
{
	const char *v = json_string_value(json_object_get(j, key));
	if (!v)
		fail_msg("%s is not a string", key);
	return v;
}

static int64_t jint(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);
	if (!json_is_integer(v))
		fail_msg("%s is not an integer", key);
	return json_integer_value(v);
}

static struct tu_resp get(struct ctx *c, int who, const char *path)
{
	return call(c, who, "GET", path, NULL, NULL);
}

static struct tu_resp getf(struct ctx *c, int who, const char *fmt, long long a,
			   long long b)
{
	char path[256];
	snprintf(path, sizeof(path), fmt, a, b);
	return get(c, who, path);
}

static void citizen_login(struct ctx *c, int who)
{
	char body[128], setc[256];
	snprintf(body, sizeof(body), "{\"subject\":\"%s\"}", subjects[who - ANNA]);
	struct tu_resp r = call(c, ANON, "POST", "/api/v1/citizen/session", body, NULL);
	expect_status(&r, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(c->cookie[who], sizeof(c->cookie[who]), "%.*s",
		 (int)strcspn(setc, ";"), setc);
	snprintf(c->csrf[who], sizeof(c->csrf[who]), "%s", jstr(r.json, "csrf_token"));
	tu_resp_free(&r);
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 0);
	hh_arena_init(&c->a);
	char dir[4200], cmd[9000];
	snprintf(dir, sizeof(dir), "%s/content", c->s.dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/case-types'", dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "organisations.json", orgs_json);
	put(dir, "users.json", users_json);
	put(dir, "citizens.json", citizens_json);
	put(dir, "case-types/skilsmisse.json", ct_skilsmisse);
	put(dir, "case-types/revurdering.json", ct_revurdering);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.users, 4);
	/* the family agency's teams (content/teams.json in the demo) */
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store, 1, &tx), HH_OK);
	struct hh_org fam;
	assert_int_equal(c->s.store->org_get_by_code(tx, &c->a, "fam", &fam), HH_OK);
	assert_int_equal(c->s.store->inquiry_code_put(tx, fam.id, "team", "boern",
						      "Børn og familie"),
			 HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	for (int i = 0; i < N_STAFF; i++) {
		tu_login(&c->s, staff_emails[i], c->cookie[i], sizeof(c->cookie[i]),
			 c->csrf[i], sizeof(c->csrf[i]));
		struct hh_user u;
		tx = tu_read_begin(c->s.store);
		assert_int_equal(c->s.store->user_get_by_email(tx, &c->a,
							       staff_emails[i], &u),
				 HH_OK);
		tu_read_end(tx);
		c->user_id[i] = u.id;
	}
	c->s.app.demo = 1;
	citizen_login(c, ANNA);
	citizen_login(c, BO);
	int64_t y;
	int m, d;
	hh_civil_from_days(hh_dk_local(hh_now_us() / 1000000) / 86400, &y, &m, &d);
	c->yy = (int)(y % 100);
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

/* A new skilsmisse of citizen who with values (JSON text); the response's
 * JSON (kept in the arena's lifetime by the caller freeing r). */
static int64_t new_case(struct ctx *c, int who, const char *values,
			const char **journal_no)
{
	char *body = hh_arena_printf(&c->a, "{\"case_type\":\"skilsmisse\","
					    "\"values\":%s}",
				     values);
	struct tu_resp r = call(c, who, "POST", "/api/v1/cases", body, NULL);
	expect_status(&r, 201);
	int64_t id = jint(r.json, "id");
	if (journal_no)
		*journal_no = hh_arena_strdup(&c->a, jstr(r.json, "journal_no"));
	tu_resp_free(&r);
	return id;
}

static int64_t version_of(struct ctx *c, int64_t id)
{
	struct tu_resp r = getf(c, CW_FAM, "/api/v1/cases/%lld", id, 0);
	expect_status(&r, 200);
	int64_t v = jint(r.json, "version");
	tu_resp_free(&r);
	return v;
}

static struct tu_resp act(struct ctx *c, int who, int64_t id, const char *what,
			  const char *body)
{
	char path[128], im[64];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/%s", (long long)id, what);
	snprintf(im, sizeof(im), "If-Match: \"%lld\"", (long long)version_of(c, id));
	const char *extra[] = { im, NULL };
	return call(c, who, "POST", path, body, extra);
}

static void move(struct ctx *c, int64_t id, const char *to)
{
	char body[64];
	snprintf(body, sizeof(body), "{\"to\":\"%s\"}", to);
	struct tu_resp r = act(c, CW_FAM, id, "transition", body);
	expect_status(&r, 200);
	tu_resp_free(&r);
}

/* ---- journal numbers --------------------------------------------------------- */

static void journal_numbers_in_json(void **state)
{
	struct ctx *c = *state;
	const char *jnr;
	int64_t id = new_case(c, ANNA, "{\"navn\":\"Anna Andersen\"}", &jnr);
	/* the case type's KLE and facet, a serial, the year */
	char want[64];
	snprintf(want, sizeof(want), "16.10.00-G02-");
	assert_int_equal(strncmp(jnr, want, strlen(want)), 0);
	snprintf(want, sizeof(want), "-%02d", c->yy);
	assert_string_equal(jnr + strlen(jnr) - 3, want);
	struct tu_resp r = getf(c, CW_FAM, "/api/v1/cases/%lld", id, 0);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "journal_no"), jnr);
	tu_resp_free(&r);
	/* the citizen's own read and list carry it too */
	r = getf(c, ANNA, "/api/v1/cases/%lld", id, 0);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "journal_no"), jnr);
	tu_resp_free(&r);
	/* the staff page shows it as the case's title, the id stays in the URL */
	r = getf(c, CW_FAM, "/sagsbehandling/sag/%lld", id, 0);
	expect_status(&r, 200);
	assert_non_null(strstr(r.body, hh_arena_printf(&c->a, "<h1>Sag %s: ", jnr)));
	tu_resp_free(&r);
	r = get(c, CW_FAM, "/sagsbehandling?sortering=nyeste");
	expect_status(&r, 200);
	assert_non_null(strstr(r.body, hh_arena_printf(&c->a,
							"href=\"/sagsbehandling/sag/%lld\" "
							"aria-label=\"Sag %s\">%s</a>",
							(long long)id, jnr, jnr)));
	tu_resp_free(&r);
}

/* ---- assignment -------------------------------------------------------------- */

static void assign_colleague_and_team(void **state)
{
	struct ctx *c = *state;
	int64_t id = new_case(c, ANNA, "{\"navn\":\"Anna Andersen\"}", NULL);
	/* whom to */
	struct tu_resp r = get(c, CW_FAM, "/api/v1/casework/assignees");
	expect_status(&r, 200);
	json_t *items = json_object_get(r.json, "items");
	assert_int_equal(json_array_size(items), 3); /* two caseworkers, a team */
	assert_string_equal(jstr(json_array_get(items, 0), "name"), "Frida Fam");
	assert_string_equal(jstr(json_array_get(items, 2), "team"), "boern");
	tu_resp_free(&r);
	r = get(c, ANNA, "/api/v1/casework/assignees");
	expect_status(&r, 404);
	tu_resp_free(&r);
	/* a colleague */
	char body[128];
	snprintf(body, sizeof(body), "{\"user_id\":%lld}", (long long)c->user_id[CW2_FAM]);
	r = act(c, CW_FAM, id, "assign", body);
	expect_status(&r, 200);
	assert_string_equal(jstr(r.json, "assigned_to"), "Jonas Krogh");
	tu_resp_free(&r);
	/* outside the organisation, not a caseworker, an unknown team: 400
	 * with a Danish message, nothing changed */
	int64_t v = version_of(c, id);
	snprintf(body, sizeof(body), "{\"user_id\":%lld}", (long long)c->user_id[CW_UDK]);
	r = act(c, CW_FAM, id, "assign", body);
	tu_expect_problem(&r, 400, "invalid-field", "user_id");
	assert_non_null(strstr(jstr(r.json, "detail"), "sagsbehandler"));
	tu_resp_free(&r);
	snprintf(body, sizeof(body), "{\"user_id\":%lld}", (long long)c->user_id[ED_FAM]);
	r = act(c, CW_FAM, id, "assign", body);
	tu_expect_problem(&r, 400, "invalid-field", "user_id");
	tu_resp_free(&r);
	r = act(c, CW_FAM, id, "assign", "{\"team\":\"ydelser\"}");
	tu_expect_problem(&r, 400, "invalid-field", "team");
	tu_resp_free(&r);
	r = act(c, CW_FAM, id, "assign", "{\"team\":\"boern\",\"assignee\":\"me\"}");
	tu_expect_problem(&r, 400, "invalid-field", "assignee");
	tu_resp_free(&r);
	assert_int_equal(version_of(c, id), v);
	/* another organisation's caseworker: 404 */
	r = act(c, CW_UDK, id, "assign", "{\"team\":\"boern\"}");
	expect_status(&r, 404);
	tu_resp_free(&r);
	/* a team */
	r = act(c, CW_FAM, id, "assign", "{\"team\":\"boern\"}");
	expect_status(&r, 200);
	assert_true(json_is_null(json_object_get(r.json, "assigned_to")));
	assert_string_equal(jstr(r.json, "assigned_team"), "boern");
	assert_string_equal(jstr(r.json, "assigned_team_name"), "Børn og familie");
	tu_resp_free(&r);
	/* the API's history names whom each assignment went to */
	r = getf(c, CW_FAM, "/api/v1/cases/%lld", id, 0);
	json_t *h = json_object_get(r.json, "history");
	size_t hi, seen = 0;
	json_t *he;
	json_array_foreach(h, hi, he)
	{
		if (strcmp(jstr(he, "action"), "assign"))
			continue;
		seen++;
		if (seen == 1)
			assert_string_equal(jstr(he, "assigned_to"), "Jonas Krogh");
		else
			assert_string_equal(jstr(he, "assigned_team_name"),
					    "Børn og familie");
	}
	assert_int_equal(seen, 2);
	tu_resp_free(&r);
	/* the team's queue has it; the history says who and which team */
	r = get(c, CW_FAM, "/api/v1/cases?team=boern");
	expect_status(&r, 200);
	assert_int_equal(jint(r.json, "total"), 1);
	tu_resp_free(&r);
	r = getf(c, CW_FAM, "/sagsbehandling/sag/%lld", id, 0);
	expect_status(&r, 200);
	assert_non_null(strstr(r.body, "Tildelt Jonas Krogh"));
	assert_non_null(strstr(r.body, "Tildelt team Børn og familie"));
	/* the select of colleagues and teams */
	assert_non_null(strstr(r.body, "<select id=\"tildel-til\" name=\"tildel\""));
	assert_non_null(strstr(r.body, "<option value=\"team:boern\">Børn og familie"));
	tu_resp_free(&r);
	/* taking it through the page: the form posts tildel=mig */
	char form[300];
	snprintf(form, sizeof(form), "csrf=%s&version=%lld&tildel=mig", c->csrf[CW2_FAM],
		 (long long)version_of(c, id));
	const char *ct[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	char path[96];
	snprintf(path, sizeof(path), "/sagsbehandling/sag/%lld/tildeling", (long long)id);
	r = call(c, CW2_FAM, "POST", path, form, ct);
	expect_status(&r, 303);
	tu_resp_free(&r);
	r = getf(c, CW_FAM, "/api/v1/cases/%lld", id, 0);
	assert_string_equal(jstr(r.json, "assigned_to"), "Jonas Krogh");
	assert_string_equal(jstr(r.json, "assigned_team"), "boern");
	tu_resp_free(&r);
	/* a colleague outside the organisation through the page: 409 with
	 * the reason in Danish */
	snprintf(form, sizeof(form), "csrf=%s&version=%lld&tildel=bruger:%lld",
		 c->csrf[CW_FAM], (long long)version_of(c, id),
		 (long long)c->user_id[CW_UDK]);
	r = call(c, CW_FAM, "POST", path, form, ct);
	expect_status(&r, 409);
	assert_non_null(strstr(r.body, "Sagen kan kun tildeles en sagsbehandler i "
				       "sagens organisation."));
	tu_resp_free(&r);
}

/* ---- files ------------------------------------------------------------------- */

static const char *const with_file =
	"{\"navn\":\"Anna Andersen\",\"bilag\":{\"name\":\"dom \\\"endelig\\\" æ.pdf\","
	"\"content_type\":\"application/pdf\",\"data\":\"JVBERi0xLjQK\"}}";

/* The first file of case id, from the staff JSON. */
static int64_t first_file(struct ctx *c, int64_t id)
{
	struct tu_resp r = getf(c, CW_FAM, "/api/v1/cases/%lld", id, 0);
	expect_status(&r, 200);
	json_t *f = json_array_get(json_object_get(r.json, "files"), 0);
	int64_t fid = jint(f, "id");
	assert_int_equal(jint(f, "size"), 9);
	assert_string_equal(jstr(f, "href"),
			    hh_arena_printf(&c->a, "/api/v1/cases/%lld/files/%lld",
					    (long long)id, (long long)fid));
	tu_resp_free(&r);
	return fid;
}

static void file_download(void **state)
{
	struct ctx *c = *state;
	const char *jnr;
	int64_t id = new_case(c, ANNA, with_file, &jnr);
	int64_t bo_case = new_case(c, BO, with_file, NULL);
	int64_t fid = first_file(c, id), bo_fid = first_file(c, bo_case);
	const char *paths[] = { "/api/v1/cases/%lld/files/%lld",
				"/sagsbehandling/sag/%lld/fil/%lld" };
	for (int i = 0; i < 2; i++) {
		struct tu_resp r = getf(c, CW_FAM, paths[i], id, fid);
		expect_status(&r, 200);
		assert_memory_equal(r.body, "%PDF-1.4\n", 9);
		char h[512];
		assert_true(tu_header(&r, "Content-Disposition", h, sizeof(h)));
		assert_string_equal(h, "attachment; filename=\"dom _endelig_ __.pdf\"; "
				       "filename*=UTF-8''dom%20%22endelig%22%20%C3%A6.pdf");
		assert_true(tu_header(&r, "Content-Type", h, sizeof(h)));
		assert_string_equal(h, "application/pdf");
		assert_true(tu_header(&r, "X-Content-Type-Options", h, sizeof(h)));
		assert_string_equal(h, "nosniff");
		assert_true(tu_header(&r, "Content-Security-Policy", h, sizeof(h)));
		assert_string_equal(h, "sandbox; default-src 'none'");
		assert_true(tu_header(&r, "Cache-Control", h, sizeof(h)));
		assert_string_equal(h, "private, no-store");
		tu_resp_free(&r);
	}
	/* each download is in the citizen's log: who, which file, why */
	struct tu_resp r = get(c, ANNA, "/api/v1/audit");
	expect_status(&r, 200);
	size_t i, n = 0;
	json_t *e;
	const char *what = hh_arena_printf(&c->a, "fil «dom \"endelig\" æ.pdf» på sag %s",
					   jnr);
	json_array_foreach(json_object_get(r.json, "items"), i, e)
	{
		if (!strcmp(jstr(e, "what"), what)) {
			n++;
			assert_string_equal(jstr(e, "why"), "Sagsbehandling");
			assert_string_equal(jstr(e, "name"),
					    "Frida Fam, Familieretshuset");
		}
	}
	assert_int_equal(n, 2);
	tu_resp_free(&r);
	/* 404: another organisation, another case's file through this case,
	 * an unknown file; a citizen never reaches the staff download */
	for (int k = 0; k < 2; k++) {
		r = getf(c, CW_UDK, paths[k], id, fid);
		expect_status(&r, 404);
		assert_null(strstr(r.body, "%PDF"));
		tu_resp_free(&r);
		r = getf(c, CW_FAM, paths[k], id, bo_fid);
		expect_status(&r, 404);
		tu_resp_free(&r);
		r = getf(c, CW_FAM, paths[k], id, 999999);
		expect_status(&r, 404);
		tu_resp_free(&r);
	}
	r = getf(c, ANNA, paths[0], id, fid);
	expect_status(&r, 404);
	tu_resp_free(&r);
	r = getf(c, ANNA, paths[1], id, fid);
	assert_int_not_equal(r.status, 200);
	assert_null(strstr(r.body, "%PDF"));
	tu_resp_free(&r);
	r = getf(c, ANON, paths[0], id, fid);
	assert_int_not_equal(r.status, 200);
	tu_resp_free(&r);
	/* a stored type off the upload list is sent as bytes */
	struct hh_tx *tx;
	assert_int_equal(c->s.store->tx_begin(c->s.store, 1, &tx), HH_OK);
	int64_t html;
	assert_int_equal(c->s.store->case_file_insert(tx, id, "bilag", "x.html",
						      "text/html", "<b>x</b>", 8, &html),
			 HH_OK);
	assert_int_equal(c->s.store->tx_commit(tx), HH_OK);
	r = getf(c, CW_FAM, paths[0], id, html);
	expect_status(&r, 200);
	char h[128];
	assert_true(tu_header(&r, "Content-Type", h, sizeof(h)));
	assert_string_equal(h, "application/octet-stream");
	tu_resp_free(&r);
	/* the case page lists the files with links and Danish sizes */
	r = getf(c, CW_FAM, "/sagsbehandling/sag/%lld", id, 0);
	expect_status(&r, 200);
	assert_non_null(strstr(r.body, hh_arena_printf(&c->a,
							"<a href=\"/sagsbehandling/sag/%lld/fil/"
							"%lld\" download>dom &quot;endelig&quot; "
							"æ.pdf</a> <span class=\"size\">(PDF, 9 "
							"byte)</span>",
							(long long)id, (long long)fid)));
	tu_resp_free(&r);
}

/* ---- find, stages, other cases, origin ----------------------------------------- */

static int64_t total_of(struct ctx *c, int who, const char *path, long status)
{
	struct tu_resp r = get(c, who, path);
	expect_status(&r, status);
	int64_t t = status == 200 ? jint(r.json, "total") : -1;
	tu_resp_free(&r);
	return t;
}

static void find_and_stages(void **state)
{
	struct ctx *c = *state;
	const char *jnr;
	int64_t id = new_case(c, BO, "{\"navn\":\"Bo Berg\"}", &jnr);
	assert_int_equal(total_of(c, CW_FAM,
				  hh_arena_printf(&c->a, "/api/v1/cases?q=%s", jnr), 200),
			 1);
	assert_int_equal(total_of(c, CW_UDK,
				  hh_arena_printf(&c->a, "/api/v1/cases?q=%s", jnr), 200),
			 0);
	int64_t bos = total_of(c, CW_FAM, "/api/v1/cases?q=bo%20berg&open=0", 200);
	assert_true(bos >= 1);
	assert_int_equal(total_of(c, CW_FAM, "/api/v1/cases?q=BERG&open=0", 200), bos);
	/* CPR: found and audited in Bo's log */
	assert_int_equal(total_of(c, CW_FAM, "/api/v1/cases?q=010190-1234&open=0", 200),
			 bos);
	struct tu_resp r = get(c, BO, "/api/v1/audit");
	size_t i, n = 0;
	json_t *e;
	json_array_foreach(json_object_get(r.json, "items"), i, e)
		n += !strcmp(jstr(e, "what"), "opslag på CPR-nummer i sager");
	assert_true(n >= 1);
	tu_resp_free(&r);
	/* stages */
	move(c, id, "in_progress");
	move(c, id, "awaiting_citizen");
	r = get(c, CW_FAM, "/api/v1/cases?stage=afventer");
	expect_status(&r, 200);
	assert_true(jint(r.json, "total") >= 1);
	json_t *it;
	json_array_foreach(json_object_get(r.json, "items"), i, it)
		assert_string_equal(jstr(it, "state"), "awaiting_citizen");
	tu_resp_free(&r);
	r = get(c, CW_FAM, "/api/v1/cases?stage=bogus");
	tu_expect_problem(&r, 400, "invalid-parameter", "stage");
	tu_resp_free(&r);
	/* the queue page: grouped states and the search box */
	r = get(c, CW_FAM, "/sagsbehandling?fase=afventer");
	expect_status(&r, 200);
	assert_non_null(strstr(r.body, "<optgroup label=\"Afventer borgeren\">"));
	assert_non_null(strstr(r.body, "<option value=\"afventer\" selected>"));
	assert_non_null(strstr(r.body, "name=\"soeg\""));
	assert_non_null(strstr(r.body, jnr));
	tu_resp_free(&r);
	r = get(c, CW_FAM, "/sagsbehandling?soeg=Zorro");
	expect_status(&r, 200);
	assert_non_null(strstr(r.body, "0 sager"));
	tu_resp_free(&r);
	/* a citizen's list takes no staff filters, and never a staff page */
	r = get(c, BO, "/sagsbehandling");
	assert_int_not_equal(r.status, 200);
	tu_resp_free(&r);
}

static void other_cases_and_origin(void **state)
{
	struct ctx *c = *state;
	const char *ja, *jb;
	int64_t a = new_case(c, ANNA, "{\"navn\":\"Anna Andersen\",\"boern\":\"ja\"}",
			     &ja);
	int64_t b = new_case(c, ANNA, "{\"navn\":\"Anna Andersen\"}", &jb);
	struct tu_resp r = getf(c, CW_FAM, "/api/v1/cases/%lld", b, 0);
	expect_status(&r, 200);
	json_t *others = json_object_get(r.json, "other_cases");
	assert_true(json_array_size(others) >= 1);
	size_t i;
	json_t *o;
	int seen = 0;
	json_array_foreach(others, i, o)
	{
		assert_int_not_equal(jint(o, "id"), b);
		assert_string_equal(jstr(o, "organisation"), "fam");
		seen |= jint(o, "id") == a;
	}
	assert_true(seen);
	tu_resp_free(&r);
	/* the follow-up at Udbetaling Danmark carries where it came from */
	move(c, a, "in_progress");
	move(c, a, "granted");
	r = get(c, CW_UDK, "/api/v1/cases?sort=newest");
	expect_status(&r, 200);
	int64_t fu = jint(json_array_get(json_object_get(r.json, "items"), 0), "id");
	tu_resp_free(&r);
	r = getf(c, CW_UDK, "/api/v1/cases/%lld", fu, 0);
	expect_status(&r, 200);
	json_t *origin = json_object_get(r.json, "origin");
	assert_string_equal(jstr(origin, "journal_no"), ja);
	assert_string_equal(jstr(origin, "decision_label"), "Bevilget");
	assert_string_equal(jstr(json_object_get(origin, "values"), "boern"), "ja");
	/* no other organisation's cases beside it */
	json_array_foreach(json_object_get(r.json, "other_cases"), i, o)
		assert_string_equal(jstr(o, "organisation"), "udk");
	tu_resp_free(&r);
	r = getf(c, CW_UDK, "/sagsbehandling/sag/%lld", fu, 0);
	expect_status(&r, 200);
	assert_non_null(strstr(r.body, "Opfølgning på en anden sag"));
	assert_non_null(strstr(r.body, ja));
	assert_non_null(strstr(r.body, "Familieretshuset"));
	tu_resp_free(&r);
	/* and the parent stays 404 to them */
	r = getf(c, CW_UDK, "/api/v1/cases/%lld", a, 0);
	expect_status(&r, 404);
	tu_resp_free(&r);
	r = getf(c, CW_UDK, "/sagsbehandling/sag/%lld", a, 0);
	expect_status(&r, 404);
	tu_resp_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(journal_numbers_in_json),
		cmocka_unit_test(assign_colleague_and_team),
		cmocka_unit_test(file_download),
		cmocka_unit_test(find_and_stages),
		cmocka_unit_test(other_cases_and_origin),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
