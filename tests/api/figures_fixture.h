/* figures_fixture.h - a real server with the demo's organisations, users
 * (with their demo passwords) and case types, and a few inquiries and
 * cases made through the domain at Nordskov (901) and Åstrup (902), for
 * the figures' API and page tests (test_figures_api.c,
 * tests/pages/test_figures_pages.c). Include after testutil.h. */
#ifndef HH_TESTS_FIGURES_FIXTURE_H
#define HH_TESTS_FIGURES_FIXTURE_H

#include "domain/cases.h"
#include "domain/figquery.h"
#include "domain/figures.h"
#include "domain/inquiries.h"
#include "domain/orgs.h"

struct ff {
	struct tu_server s;
	struct hh_arena a;
	int64_t m901, m902;
	int64_t cases[4];
	int n_cases;
	char manager[256], manager902[256], agent[256], caseworker[256],
		editor[256];
};

/* A case type that needs no form: received → in_progress → granted. */
static const char *const ff_ct =
	"{\"name\":\"Prøvesag\",\"organisation\":\"municipality\","
	" \"kle\":\"05.13.00\",\"deadline\":\"P10D\",\"public\":true,"
	" \"initial\":\"received\","
	" \"states\":[{\"key\":\"received\",\"label\":\"Modtaget\"},"
	"  {\"key\":\"in_progress\",\"label\":\"Under behandling\"},"
	"  {\"key\":\"awaiting_citizen\",\"label\":\"Afventer dig\",\"paused\":true},"
	"  {\"key\":\"granted\",\"label\":\"Bevilget\",\"final\":true}],"
	" \"transitions\":["
	"  {\"from\":\"received\",\"to\":\"in_progress\",\"role\":\"caseworker\"},"
	"  {\"from\":\"in_progress\",\"to\":\"granted\",\"role\":\"caseworker\"}]}";

/* Signs in with the demo's own password; "hh_session=..." into cookie. */
static inline void ff_login(struct ff *f, const char *email, const char *pw,
			    char *cookie, size_t size)
{
	char url[128], body[256], setc[256];
	snprintf(url, sizeof(url), "%s/api/v1/session", f->s.base);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
		 email, pw);
	const char *h[] = { "Content-Type: application/json", NULL };
	struct tu_resp r = tu_http("POST", url, body, h, NULL);
	if (r.status != 201)
		fail_msg("sign-in of %s: %ld %s", email, r.status, r.body);
	assert_true(tu_header(&r, "Set-Cookie", setc, sizeof(setc)));
	snprintf(cookie, size, "%.*s", (int)strcspn(setc, ";"), setc);
	tu_resp_free(&r);
}

/* A staff actor of org with roles, acting as the demo user email (events
 * name a real user). */
static inline struct hh_actor ff_actor(struct ff *f, int64_t org,
				       unsigned roles, const char *email)
{
	struct hh_tx *tx;
	struct hh_user u;
	assert_int_equal(f->s.store->tx_begin(f->s.store->cls, 0, &tx), HH_OK);
	assert_int_equal(f->s.store->user_get_by_email(tx, &f->a, email, &u), HH_OK);
	f->s.store->tx_rollback(tx);
	return (struct hh_actor){ .label = hh_arena_printf(&f->a, "user:%lld",
							   (long long)u.id),
				  .org_id = org, .org_is_municipality = 1,
				  .roles = roles, .user_id = u.id };
}

/* A manager of org (reading only: no user needed). */
static inline struct hh_actor ff_staff(int64_t org, unsigned roles)
{
	return (struct hh_actor){ .label = "user:900", .org_id = org,
				  .org_is_municipality = 1, .roles = roles };
}

/* One inquiry at org with outcome (NULL: open). */
static inline void ff_inquiry(struct ff *f, int64_t org, const char *channel,
			      const char *outcome)
{
	struct hh_actor agent =
		ff_actor(f, org, HH_ROLE_AGENT,
			 org == f->m901 ? "borgerservice@nordskov.demo"
					: "borgerservice@aastrup.demo");
	struct hh_inquiry_input in = { .channel = channel, .outcome = outcome };
	if (outcome && !strcmp(outcome, "transferred")) {
		in.transfer_org = "udk";
		in.transfer_reason = "anden-myndighed";
	}
	struct hh_inquiry out;
	int replayed;
	enum hh_inquiry_fault fault;
	const char *field = NULL;
	enum hh_rc rc = hh_inquiry_create(f->s.store, &f->a, &agent, &in, &out,
					  &replayed, &fault, &field);
	if (rc != HH_OK)
		fail_msg("inquiry %s/%s: rc %d fault %d field %s", channel,
			 outcome ? outcome : "open", rc, fault,
			 field ? field : "-");
}

/* One case of the test case type at org, granted when decided. */
static inline int64_t ff_case(struct ff *f, int64_t org, int decided)
{
	json_t *v = json_object();
	struct hh_submission sub = { .case_type = "proevesag",
				     .municipality_id = org, .values = v,
				     .actor = "import" };
	struct hh_form_result res = { 0 };
	struct hh_case c;
	int rp;
	const char *why = NULL;
	enum hh_rc rc = hh_case_submit(f->s.store, &f->a, &sub, &res, &c, &rp,
				       &why, NULL);
	json_decref(res.values);
	json_decref(v);
	if (rc != HH_OK)
		fail_msg("case: rc %d (%s)", rc, why ? why : "-");
	if (decided) {
		struct hh_actor cw =
			ff_actor(f, org, HH_ROLE_CASEWORKER,
				 org == f->m901 ? "sagsbehandler@nordskov.demo"
						: "sagsbehandler@aastrup.demo");
		struct hh_case out;
		assert_int_equal(hh_case_transition(f->s.store, &f->a, &cw, c.id,
						    "in_progress", c.version, NULL,
						    &out, NULL),
				 HH_OK);
		assert_int_equal(hh_case_transition(f->s.store, &f->a, &cw, c.id,
						    "granted", out.version, NULL,
						    &out, NULL),
				 HH_OK);
	}
	return c.id;
}

static inline int ff_setup(void **state)
{
	struct ff *f = hh_xcalloc(1, sizeof(*f));
	tu_server_start(&f->s, 0);
	hh_arena_init(&f->a);
	/* the demo's organisations, users, case types, letter templates and
	   the figures' model (figures.json), as `helhed import --users` */
	char *tmp = tu_tmpdir();
	static const char *const parts[] = { "organisations.json", "users.json",
					     "case-types", "letter-templates",
					     "teams.json", "figures.json" };
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char link[4200], target[4200], from[64];
		snprintf(from, sizeof(from), "content/%s", parts[i]);
		if (!realpath(from, target))
			continue; /* a part the content does not have */
		snprintf(link, sizeof(link), "%s/%s", tmp, parts[i]);
		assert_int_equal(symlink(target, link), 0);
	}
	struct hh_import_stats stats;
	assert_int_equal(hh_content_import(f->s.store, tmp, 1, stderr, NULL, NULL,
					   &stats),
			 HH_OK);
	tu_rmdir(tmp);
	struct hh_org o;
	assert_int_equal(hh_org_by_code(f->s.store, &f->a, "901", &o), HH_OK);
	f->m901 = o.id;
	assert_int_equal(hh_org_by_code(f->s.store, &f->a, "902", &o), HH_OK);
	f->m902 = o.id;
	/* the test's own case type */
	struct hh_tx *tx;
	assert_int_equal(f->s.store->tx_begin(f->s.store->cls, 1, &tx), HH_OK);
	struct hh_case_type ct = { .code = "proevesag", .organisation = "municipality",
				   .name = "Prøvesag", .public = 1,
				   .definition = ff_ct };
	assert_int_equal(f->s.store->case_type_put(tx, &ct), HH_OK);
	assert_int_equal(f->s.store->tx_commit(tx), HH_OK);
	/* Nordskov: 7 inquiries (4 resolved at once, 1 transferred, 1
	   open, 1 by counter resolved), 3 cases of which 2 decided;
	   Åstrup: 2 inquiries, 1 case */
	ff_inquiry(f, f->m901, "phone", "resolved_first_contact");
	ff_inquiry(f, f->m901, "phone", "resolved_first_contact");
	ff_inquiry(f, f->m901, "phone", "resolved_first_contact");
	ff_inquiry(f, f->m901, "phone", "transferred");
	ff_inquiry(f, f->m901, "phone", NULL);
	ff_inquiry(f, f->m901, "counter", "resolved_first_contact");
	ff_inquiry(f, f->m901, "email", "transferred");
	ff_inquiry(f, f->m902, "phone", "resolved_first_contact");
	ff_inquiry(f, f->m902, "phone", "transferred");
	f->cases[f->n_cases++] = ff_case(f, f->m901, 1);
	f->cases[f->n_cases++] = ff_case(f, f->m901, 1);
	f->cases[f->n_cases++] = ff_case(f, f->m901, 0);
	ff_case(f, f->m902, 0);
	ff_login(f, "leder@nordskov.demo", "demo-leder", f->manager,
		 sizeof(f->manager));
	ff_login(f, "leder@aastrup.demo", "demo-leder", f->manager902,
		 sizeof(f->manager902));
	ff_login(f, "borgerservice@nordskov.demo", "demo-borgerservice", f->agent,
		 sizeof(f->agent));
	ff_login(f, "sagsbehandler@nordskov.demo", "demo-sagsbehandler",
		 f->caseworker, sizeof(f->caseworker));
	ff_login(f, "redaktoer@nordskov.demo", "demo-redaktoer", f->editor,
		 sizeof(f->editor));
	*state = f;
	return 0;
}

static inline int ff_teardown(void **state)
{
	struct ff *f = *state;
	hh_arena_clear(&f->a);
	tu_server_stop(&f->s);
	free(f);
	return 0;
}

/* GET base+path with cookie (NULL: anonymous). */
static inline struct tu_resp ff_get(struct ff *f, const char *cookie,
				    const char *path)
{
	return tu_call(f->s.base, cookie, NULL, "GET", path, NULL, NULL);
}

static inline const char *ff_getter(void *ctx, const char *name)
{
	const char *const *kv = ctx;
	for (; kv[0]; kv += 2)
		if (!strcmp(kv[0], name))
			return kv[1];
	return NULL;
}

/* What the domain says for the manager of org and the filters kv (API
 * names, NULL-terminated pairs), with the same parser the doors use. */
static inline void ff_domain(struct ff *f, int64_t org, const char *const *kv,
			     struct hh_fig_value out[HH_FIG__COUNT])
{
	struct hh_figq q;
	struct hh_figq_error e;
	assert_int_equal(hh_figq_parse(f->s.store, &f->a, HH_FIGQ_API, 0,
				       ff_getter, (void *)kv, &q, &e),
			 HH_OK);
	struct hh_actor m = ff_staff(org, HH_ROLE_MANAGER);
	assert_int_equal(hh_figures_summary(f->s.store, &m, &f->a, &q.q, out),
			 HH_OK);
}

#endif
