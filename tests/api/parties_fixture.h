/* parties_fixture.h - the server the parties' API tests share
 * (test_parties_api, test_agreements_api, test_party_letters_api): the
 * test's organisations, users and citizens, one case type of its own,
 * the caseworker cw@fam and every citizen signed in (demo sign-in).
 *
 * Before including it, a test defines
 *   enum { CW_FAM, ANNA, ..., N_WHO, ANON = -1 };  (citizens from ANNA on)
 *   subjects[]: the citizens' demo subjects, from ANNA on;
 *   orgs_json, users_json, citizens_json: the content files. */
#ifndef HH_TESTS_PARTIES_FIXTURE_H
#define HH_TESTS_PARTIES_FIXTURE_H

struct ctx {
	struct tu_server s;
	char cookie[N_WHO][160];
	char csrf[N_WHO][64];
};

static void put(const char *dir, const char *rel, const char *text)
{
	char p[9000];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	tu_write(p, text);
}

static void expect_status(const struct tu_resp *r, long status)
{
	if (r->status != status)
		fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status,
			r->body);
	assert_int_equal(r->status, status);
}

static void citizen_login(struct ctx *c, int who)
{
	char body[128], setc[256];
	snprintf(body, sizeof(body), "{\"subject\":\"%s\"}", subjects[who - ANNA]);
	struct tu_resp r = tu_call(c->s.base, NULL, NULL, "POST",
				   "/api/v1/citizen/session", body, NULL);
	expect_status(&r, 201);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(c->cookie[who], sizeof(c->cookie[who]), "%.*s",
		 (int)strcspn(setc, ";"), setc);
	snprintf(c->csrf[who], sizeof(c->csrf[who]), "%s",
		 json_string_value(json_object_get(r.json, "csrf_token")));
	tu_resp_free(&r);
}

/* A server with the content above and the case type ct_json at
 * case-types/CT_FILE; with_party_letters also copies the demo's
 * letters to parties (content/letter-templates/_parties.json). The
 * import's counts in *stats. */
static struct ctx *parties_server(const char *ct_file, const char *ct_json,
				  int with_party_letters,
				  struct hh_import_stats *stats)
{
	struct ctx *c = hh_xcalloc(1, sizeof(*c));
	tu_server_start(&c->s, 0);
	char dir[4200], cmd[16000];
	snprintf(dir, sizeof(dir), "%s/content", c->s.dir);
	if (with_party_letters)
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/case-types' "
			 "'%s/letter-templates' && cp content/letter-templates/"
			 "_parties.json '%s/letter-templates/'", dir, dir, dir);
	else
		snprintf(cmd, sizeof(cmd), "mkdir -p '%s/case-types'", dir);
	assert_int_equal(system(cmd), 0);
	put(dir, "organisations.json", orgs_json);
	put(dir, "users.json", users_json);
	put(dir, "citizens.json", citizens_json);
	char rel[256];
	snprintf(rel, sizeof(rel), "case-types/%s", ct_file);
	put(dir, rel, ct_json);
	assert_int_equal(hh_content_import(c->s.store, dir, 1, stderr, NULL, NULL,
					   stats),
			 HH_OK);
	tu_login(&c->s, "cw@fam", c->cookie[CW_FAM], sizeof(c->cookie[CW_FAM]),
		 c->csrf[CW_FAM], sizeof(c->csrf[CW_FAM]));
	c->s.app.demo = 1;
	for (int who = ANNA; who < N_WHO; who++)
		citizen_login(c, who);
	return c;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	tu_server_stop(&c->s);
	free(c);
	return 0;
}

#endif
