/* test_cpr_at_rest.c - CPR numbers through the API: a citizen who signs in
 * and sends a form with CPR numbers, and a caseworker who reads it, see
 * them as they were sent, while the database file holds none of them in
 * clear (the server seals them, domain/vault.h). */
#include "testutil.h"

#include <sys/stat.h>

static const char *const orgs_json =
	"[{\"code\":\"901\",\"name\":\"Nordskov Kommune\",\"kind\":\"municipality\"},"
	" {\"code\":\"fam\",\"name\":\"Familieretshuset\",\"kind\":\"agency\"}]";

static const char *const users_json =
	"[{\"email\":\"cw@fam\",\"name\":\"Frida Fam\",\"organisation\":\"fam\","
	"  \"roles\":[\"caseworker\"],\"password\":\"password-1\"}]";

static const char *const citizens_json =
	"[{\"id\":\"anna\",\"name\":\"Anna Andersen\",\"cpr\":\"070761-4285\","
	"  \"municipality\":\"901\"}]";

static const char *const ct_json =
	"{\"name\":\"Ansøgning om skilsmisse\",\"organisation\":\"fam\","
	" \"deadline\":\"P30D\",\"public\":true,\"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true}],"
	" \"transitions\":["
	"  {\"from\":\"received\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"granted\",\"role\":\"caseworker\"}],"
	" \"form\":{\"title\":\"Skilsmisse\",\"fields\":["
	"  {\"name\":\"navn\",\"label\":\"Navn\",\"type\":\"text\",\"required\":true},"
	"  {\"name\":\"besked\",\"label\":\"Besked\",\"type\":\"textarea\"},"
	"  {\"name\":\"partner_cpr\",\"label\":\"Ægtefællens CPR-nummer\","
	"   \"type\":\"cpr\",\"required\":true}]}}";

struct ctx {
	struct tu_server s;
	char cookie[2][160], csrf[2][64]; /* 0: anna, 1: the caseworker */
};

static void put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

static int setup(void **state)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 0);
	char dir[4200], cmd[9000];
	snprintf(dir, sizeof(dir), "%s/content", c->s.dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/case-types'", dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "organisations.json", orgs_json);
	put(dir, "users.json", users_json);
	put(dir, "citizens.json", citizens_json);
	put(dir, "case-types/skilsmisse.json", ct_json);
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	assert_int_equal(stats.citizens, 1);
	c->s.app.demo = 1; /* the demo sign-in for citizens */
	struct tu_resp r = tu_call(c->s.base, NULL, NULL, "POST",
				   "/api/v1/citizen/session",
				   "{\"subject\":\"demo:anna\"}", NULL);
	assert_int_equal(r.status, 201);
	char setc[256];
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(c->cookie[0], sizeof(c->cookie[0]), "%.*s",
		 (int)strcspn(setc, ";"), setc);
	snprintf(c->csrf[0], sizeof(c->csrf[0]), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
	tu_login(&c->s, "cw@fam", c->cookie[1], sizeof(c->cookie[1]), c->csrf[1],
		 sizeof(c->csrf[1]));
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	if (c->s.store)
		tu_server_stop(&c->s);
	free(c);
	return 0;
}

static const char *data_of(const struct tu_resp *r, const char *field)
{
	return json_string_value(
		json_object_get(json_object_get(r->json, "data"), field));
}

/* Does the file at path hold s? */
static int file_has(const char *path, const char *s)
{
	char *t = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	struct stat sb;
	assert_int_equal(fstat(fileno(f), &sb), 0);
	t = hh_xmalloc((size_t)sb.st_size + 1);
	size_t n = fread(t, 1, (size_t)sb.st_size, f);
	fclose(f);
	int found = memmem(t, n, s, strlen(s)) != NULL;
	free(t);
	return found;
}

static void cpr_numbers_read_back_as_sent_and_rest_sealed(void **state)
{
	struct ctx *c = *state;
	struct tu_resp r = tu_call(
		c->s.base, c->cookie[0], c->csrf[0], "POST", "/api/v1/cases",
		"{\"case_type\":\"skilsmisse\",\"values\":{\"navn\":\"Anna\","
		"\"besked\":\"311299-4009\",\"partner_cpr\":\"1504821001\"}}",
		NULL);
	assert_int_equal(r.status, 201);
	int64_t id = json_integer_value(json_object_get(r.json, "id"));
	assert_string_equal(data_of(&r, "partner_cpr"), "150482-1001");
	assert_string_equal(data_of(&r, "besked"), "311299-4009");
	tu_resp_free(&r);
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", (long long)id);
	/* the citizen and the caseworker read them as they were sent */
	for (int who = 0; who < 2; who++) {
		r = tu_call(c->s.base, c->cookie[who], c->csrf[who], "GET", path,
			    NULL, NULL);
		assert_int_equal(r.status, 200);
		assert_string_equal(data_of(&r, "partner_cpr"), "150482-1001");
		assert_string_equal(data_of(&r, "besked"), "311299-4009");
		tu_resp_free(&r);
	}
	/* a change writes the case again */
	char tp[160];
	snprintf(tp, sizeof(tp), "%s/transition", path);
	const char *im[] = { "If-Match: \"1\"", NULL };
	r = tu_call(c->s.base, c->cookie[1], c->csrf[1], "POST", tp,
		    "{\"to\":\"in_progress\"}", im);
	assert_int_equal(r.status, 200);
	assert_string_equal(data_of(&r, "partner_cpr"), "150482-1001");
	tu_resp_free(&r);

	/* stop the server, keep its folder: the database file and its key */
	char db[4200], keys[4200];
	snprintf(db, sizeof(db), "%s/helhed.db", c->s.dir);
	snprintf(keys, sizeof(keys), "%s/helhed.db.keys", c->s.dir);
	char *dir = c->s.dir;
	c->s.dir = tu_tmpdir(); /* what tu_server_stop removes */
	tu_server_stop(&c->s);
	c->s.store = NULL;
	static const char *const clear[] = { "150482-1001", "1504821001",
					     "311299-4009", "3112994009",
					     "070761-4285", "0707614285" };
	char wal[4300];
	snprintf(wal, sizeof(wal), "%s-wal", db);
	for (size_t i = 0; i < sizeof(clear) / sizeof(clear[0]); i++) {
		assert_false(file_has(db, clear[i]));
		assert_false(file_has(wal, clear[i]));
	}
	assert_true(file_has(db, "v1:")); /* sealed, not left out */
	/* the key file is the server's own, mode 0600 */
	struct stat ks;
	assert_int_equal(stat(keys, &ks), 0);
	assert_int_equal(ks.st_mode & 0777, 0600);
	tu_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			cpr_numbers_read_back_as_sent_and_rest_sealed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
